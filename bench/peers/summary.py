#!/usr/bin/env python3
"""What a user would write instead of `gfntop -r TRACE -b`: Python's csv module
summarising a gfntop trace per VM and per VM x memslot x operation (operations,
pages, errors; lost events). bench/pipeline.sh times it against gfntop's replay.
Not part of gfntop; a reference peer for the benchmark only."""
import csv
import sys
from collections import defaultdict


def main(path):
    per_vm = defaultdict(lambda: [0, 0, 0])
    per_row = defaultdict(lambda: [0, 0, 0])
    lost = events = 0
    with open(path, newline="") as f:
        rows = csv.reader(f)
        col = {name: i for i, name in enumerate(next(rows))}
        vm_pid, vm_id, op = col["vm_pid"], col["vm_id"], col["op"]
        as_id, slot, npages, ret = col["as_id"], col["slot"], col["npages"], col["ret"]
        fw_error = col["fw_error"]
        for r in rows:
            if r[op] == "lost":
                lost += int(r[ret])
                continue
            events += 1
            pages = int(r[npages]) if r[npages] else 0
            failed = (r[ret] and int(r[ret]) < 0) or (r[fw_error] and int(r[fw_error]) > 0)
            vm = (r[vm_pid], r[vm_id])
            for stats in (per_vm[vm], per_row[(vm, r[as_id], r[slot], r[op])]):
                stats[0] += 1
                stats[1] += pages
                stats[2] += 1 if failed else 0
    print(f"{events} events, {lost} lost")
    for (pid, vid), (ops, pages, errors) in sorted(per_vm.items(), key=lambda kv: -kv[1][0]):
        print(f"{pid:>8} {vid:<16} {ops:>10} {pages:>10} {errors:>8}")
    for ((pid, vid), a, s, o), (ops, pages, errors) in sorted(per_row.items(), key=lambda kv: -kv[1][0]):
        print(f"{pid:>8} {vid:<16} {a:>3} {s:>5} {o:<16} {ops:>10} {pages:>10} {errors:>8}")


if __name__ == "__main__":
    main(sys.argv[1])
