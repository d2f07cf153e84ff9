#!/usr/bin/env python3
"""What a user would write instead of `gfntop -r TRACE -b`: Python's csv module
summarising a gfntop trace into the same two tables gfntop prints, per VM and
per VM x address space x memslot x operation: operations, pages, errors and the
p50/p99 of the durations; lost events. bench/pipeline.sh times it against
gfntop's replay and checks that both give the same counts. Not part of gfntop:
a reference peer for the benchmark only."""
import csv
import sys
from collections import defaultdict


class Stats:
    __slots__ = ("ops", "pages", "errors", "durs")

    def __init__(self):
        self.ops = self.pages = self.errors = 0
        self.durs = []

    def add(self, pages, failed, dur):
        self.ops += 1
        self.pages += pages
        self.errors += failed
        if dur is not None:
            self.durs.append(dur)

    def cells(self):
        d = sorted(self.durs)

        def q(p):
            return str(d[min(len(d) - 1, int(p * len(d)))]) if d else "-"
        return f"{self.ops:>10} {self.pages:>10} {self.errors:>7} {q(0.5):>8} {q(0.99):>8}"


class Vms:
    """The entry (a number) of each row, the kind of each entry ("vm", "vmm" or "task") and its labels."""
    LATER = -1

    def __init__(self):
        self.entry = {}     # (pid, vm_id) or ("task", pid) -> entry
        self.vmm = {}       # VMM pid -> [entry its rows without vm_id go to (or LATER), its VMs]
        self.kind = []      # by entry
        self.label = []     # by entry: [pid, vm_id] as printed

    def new(self, kind, pid, vm_id):
        self.kind.append(kind)
        self.label.append([pid or "-", vm_id or "-"])
        return len(self.kind) - 1

    def vmm_slot(self, pid):
        if pid not in self.vmm:
            slot = self.vmm[pid] = [Vms.LATER, 0]
            task = self.entry.get(("task", pid))
            if task is not None and self.kind[task] == "task":
                self.kind[task] = "vmm"     # the VMM's own task, seen first: it was the VMM's
                slot[0] = task
        return self.vmm[pid]

    def of(self, pid, vm_id, task):
        if not pid and not vm_id:
            if task in self.vmm:
                pid = task                  # a known VMM's own task: the VMM's
            else:
                key = ("task", task)
                if key not in self.entry:
                    self.entry[key] = self.new("task", task, "")
                return self.entry[key]
        e = self.entry.get((pid, vm_id))
        if e is not None:
            return e
        if not vm_id:
            slot = self.vmm_slot(pid)
            if slot[0] == Vms.LATER:
                slot[0] = self.new("vmm", pid, "")
            return slot[0]
        slot = self.vmm_slot(pid) if pid else None
        if slot and slot[0] != Vms.LATER and not slot[1]:
            e = slot[0]     # the VMM's rows came first: their entry becomes the VM
            self.kind[e] = "vm"
            self.label[e][1] = vm_id
        else:
            e = self.new("vm", pid, vm_id)
        if slot is not None:
            if not slot[1]:
                slot[0] = e
            elif slot[0] not in (Vms.LATER, e) and self.kind[slot[0]] == "vm":
                slot[0] = Vms.LATER     # a second VM: rows without vm_id cannot be told apart
            slot[1] += 1
        self.entry[(pid, vm_id)] = e
        return e

    def name(self, e):
        return self.label[e]


def main(path):
    per_vm = defaultdict(Stats)
    per_row = defaultdict(Stats)
    comm = {}
    lost = events = 0
    vms = Vms()
    with open(path, newline="") as f:
        rows = csv.reader(f)
        col = {name: i for i, name in enumerate(next(rows))}
        c_pid, c_comm, c_vm_pid, c_vm_id = col["pid"], col["comm"], col["vm_pid"], col["vm_id"]
        c_op, c_as, c_slot, c_npages = col["op"], col["as_id"], col["slot"], col["npages"]
        c_dur, c_ret, c_fw = col["dur_ns"], col["ret"], col["fw_error"]
        for r in rows:
            if r[c_op] == "lost":
                lost += int(r[c_ret])
                continue
            events += 1
            vm = vms.of(r[c_vm_pid], r[c_vm_id], r[c_pid] or "-")
            if vm not in comm or (r[c_pid] == r[c_vm_pid] and not comm[vm][1]):
                comm[vm] = (r[c_comm], r[c_pid] == r[c_vm_pid])
            pages = int(r[c_npages]) if r[c_npages] else 0
            failed = bool((r[c_ret] and int(r[c_ret]) < 0) or (r[c_fw] and int(r[c_fw]) > 0))
            dur = int(r[c_dur]) if r[c_dur] else None
            per_vm[vm].add(pages, failed, dur)
            per_row[(vm, r[c_as] or "-", r[c_slot] or "-", r[c_op])].add(pages, failed, dur)
    print(f"python summary of {path}: {events} events, {lost} lost")
    print(f"{'VMM_PID':>8} {'COMM':<16} {'VM_ID':<16} {'OPS':>10} {'PAGES':>10} {'ERRORS':>7} {'P50':>8} {'P99':>8}")
    for vm, s in sorted(per_vm.items(), key=lambda kv: -kv[1].ops):
        pid, vm_id = vms.name(vm)
        print(f"{pid:>8} {comm[vm][0]:<16} {vm_id:<16} {s.cells()}")
    print()
    print(f"{'VMM_PID':>8} {'VM_ID':<16} {'AS':>3} {'SLOT':>5} {'OP':<16} {'OPS':>10} {'PAGES':>10} {'ERRORS':>7} "
          f"{'P50':>8} {'P99':>8}")
    for (vm, a, slot, op), s in sorted(per_row.items(), key=lambda kv: -kv[1].ops):
        pid, vm_id = vms.name(vm)
        print(f"{pid:>8} {vm_id:<16} {a:>3} {slot:>5} {op:<16} {s.cells()}")


if __name__ == "__main__":
    main(sys.argv[1])
