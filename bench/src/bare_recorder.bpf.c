// SPDX-License-Identifier: GPL-2.0
/*
 * The floor gfntop is measured against: a BTF raw-tracepoint program on
 * kvm_unmap_hva_range that reserves one small record in a ring buffer, fills
 * it and submits it - the least a recorder of every event can do. It wakes
 * nobody (the consumer polls), unless `wake` asks for the kernel's default
 * adaptive wake-up, which wakes a consumer that has caught up on every event.
 * `record128` does the same with gfntop's record size (128 bytes, zeroed).
 * `empty` is the same attach kind doing nothing: the cost of the hook alone.
 */
#include "../../bpf/kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct bare_record {
	__u64 ts;
	__u64 start;
	__u64 end;
	__u32 pid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} records SEC(".maps");

const volatile bool wake = false;
__u64 lost = 0;

SEC("tp_btf/kvm_unmap_hva_range")
int BPF_PROG(record, unsigned long start, unsigned long end)
{
	struct bare_record *r = bpf_ringbuf_reserve(&records, sizeof(*r), 0);

	if (!r) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	r->ts = bpf_ktime_get_ns();
	r->start = start;
	r->end = end;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->pad = 0;
	bpf_ringbuf_submit(r, wake ? 0 : BPF_RB_NO_WAKEUP);
	return 0;
}

/* gfntop's record size (128 bytes, zeroed first), to price the size alone */
struct bare_record128 {
	struct bare_record head;
	__u8 rest[128 - sizeof(struct bare_record)];
};

SEC("tp_btf/kvm_unmap_hva_range")
int BPF_PROG(record128, unsigned long start, unsigned long end)
{
	struct bare_record128 *r = bpf_ringbuf_reserve(&records, sizeof(*r), 0);

	if (!r) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	__builtin_memset(r, 0, sizeof(*r));
	r->head.ts = bpf_ktime_get_ns();
	r->head.start = start;
	r->head.end = end;
	r->head.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(r, wake ? 0 : BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/kvm_unmap_hva_range")
int BPF_PROG(empty, unsigned long start, unsigned long end)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
