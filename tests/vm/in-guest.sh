#!/bin/sh
# Runs inside a vm-tier guest (see run-matrix), in the repository, as root, with
# this machine's binaries. It only records; run-matrix checks the results on the
# host. Everything goes to $GFNTOP_OUT:
#   list-probes.txt     gfntop --list-probes (the real load and attach trial)
#   fentry.csv          gfntop -P mmu,tp, default methods (fentry/fexit, tp_btf)
#   kprobe.csv          gfntop -P mmu with GFNTOP_METHODS=kprobe (the kprobe fallback)
#   kagg.out            gfntop -P mmu,tp without -w: counted in the kernel (issue 16)
#   truth               what the workload did
#   damon               whether DAMON aged the workload's pages (age / test_age)
#   snp.csv, sev.truth  gfntop -P snp,psp,rmp while kvm_sev_ioctl issues SEV commands
O=$GFNTOP_OUT
N=${GFNTOP_VM_N:-40}

./gfntop --list-probes >"$O/list-probes.txt" 2>"$O/list-probes.err"
echo $? >"$O/list-probes.rc"
# --handler: a gfn-range handler attaches; a function of another prototype, or none, does not
./gfntop --list-probes -P tp --handler kvm_age_gfn --handler kvm_arch_flush_shadow_memslot \
	--handler gfntop_no_such_function >"$O/handlers.txt" 2>&1

./gfntop -b -d 1 -P mmu,tp -w "$O/fentry.csv" >"$O/fentry.out" 2>&1 &
g1=$!
GFNTOP_METHODS=kprobe ./gfntop -b -d 1 -P mmu -w "$O/kprobe.csv" >"$O/kprobe.out" 2>&1 &
g2=$!
./gfntop -b -d 1 -P mmu,tp >"$O/kagg.out" 2>"$O/kagg.err" &
g6=$!
for f in fentry kprobe; do
	i=0
	until [ -s "$O/$f.csv" ] || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
done
i=0
until grep -q '^gfntop: tracing' "$O/kagg.err" 2>/dev/null || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done

# DAMON samples the workload's address space while it holds its VM: its
# vaddr operations clear (clear_young) and test (test_young) accessed bits
# through the MMU notifier, which KVM turns into kvm_age_gfn / kvm_test_age_gfn.
HOLD=0
D=/sys/kernel/mm/damon/admin/kdamonds
[ -d "$D" ] && HOLD=4
build/workloads/kvm_madvise -n "$N" -H $HOLD >"$O/truth" 2>"$O/workload.err" &
wl=$!
if [ "$HOLD" != 0 ]; then
	until grep -q '^hold' "$O/truth" 2>/dev/null; do sleep 0.1; done
	if echo 1 >$D/nr_kdamonds && echo 1 >$D/0/contexts/nr_contexts &&
	   echo vaddr >$D/0/contexts/0/operations && echo 1 >$D/0/contexts/0/targets/nr_targets &&
	   echo $wl >$D/0/contexts/0/targets/0/pid_target && echo on 2>"$O/damon.err" >$D/0/state; then
		sleep "${GFNTOP_DAMON_SECS:-2}"
		echo off >$D/0/state
		echo "damon=on pid=$wl" >"$O/damon"
	else
		echo "damon=failed: DAMON refused to start a vaddr context ($(cat "$O/damon.err" 2>/dev/null))" >"$O/damon"
	fi
else
	echo "damon=absent (no /sys/kernel/mm/damon: CONFIG_DAMON_SYSFS is off)" >"$O/damon"
fi
wait $wl
echo $? >"$O/workload.rc"

sleep 1
kill -INT $g1 $g2 $g6
wait $g1
echo $? >"$O/fentry.rc"
wait $g2
echo $? >"$O/kprobe.rc"
wait $g6
echo $? >"$O/kagg.rc"

# snp/psp/rmp: live capture starts, runs and stops cleanly; without SEV hardware
# only sev_mem_enc_ioctl fires (KVM rejects the commands after entering it).
./gfntop -b -d 1 -P snp,psp,rmp -w "$O/snp.csv" >"$O/snp.out" 2>&1 &
g3=$!
i=0
until [ -s "$O/snp.csv" ] || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
build/workloads/kvm_sev_ioctl >"$O/sev.truth" 2>&1
sleep 0.5
kill -INT $g3
wait $g3
echo $? >"$O/snp.rc"

# Last, as it unloads kvm_amd: a module unloaded under gfntop. fentry programs pin the
# module (rmmod refuses); kprobes do not (rmmod succeeds, gfntop must notice).
./gfntop -b -d 0.3 -P snp -w "$O/pin.csv" >"$O/pin.out" 2>&1 &
g4=$!
i=0
until [ -s "$O/pin.csv" ] || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
rmmod kvm_amd >"$O/rmmod-fentry.out" 2>&1
echo $? >"$O/rmmod-fentry.rc"
kill -INT $g4
wait $g4
echo $? >"$O/pin.rc"
GFNTOP_METHODS=kprobe ./gfntop -b -d 0.3 -P snp,psp -w "$O/unload.csv" >"$O/unload.out" 2>&1 &
g5=$!
i=0
until [ -s "$O/unload.csv" ] || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
rmmod kvm_amd >"$O/rmmod-kprobe.out" 2>&1
echo $? >"$O/rmmod-kprobe.rc"
sleep 1
kill -INT $g5
wait $g5
echo $? >"$O/unload.rc"
exit 0
