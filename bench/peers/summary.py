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


def main(path):
    per_vm = defaultdict(Stats)
    per_row = defaultdict(Stats)
    comm = {}
    lost = events = 0
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
            vm = (r[c_vm_pid] or "-", r[c_vm_id] or "-")
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
        print(f"{vm[0]:>8} {comm[vm][0]:<16} {vm[1]:<16} {s.cells()}")
    print()
    print(f"{'VMM_PID':>8} {'VM_ID':<16} {'AS':>3} {'SLOT':>5} {'OP':<16} {'OPS':>10} {'PAGES':>10} {'ERRORS':>7} "
          f"{'P50':>8} {'P99':>8}")
    for (vm, a, slot, op), s in sorted(per_row.items(), key=lambda kv: -kv[1].ops):
        print(f"{vm[0]:>8} {vm[1]:<16} {a:>3} {slot:>5} {op:<16} {s.cells()}")


if __name__ == "__main__":
    main(sys.argv[1])
