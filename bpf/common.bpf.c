// SPDX-License-Identifier: GPL-2.0
/*
 * The one definition of the maps and load-time settings that every gfntop
 * BPF file declares extern through gfntop.bpf.h. The attach engine sizes the
 * ring buffer and fills the settings before load.
 */
#define GFNTOP_DEFINE_MAPS
#include "gfntop.bpf.h"
#include "kagg.bpf.h"

const volatile bool filter_pids = false;
const volatile __u64 vm_key[2] = {};
const volatile __u64 wakeup_bytes = 1 << 20;
__u64 lost_count = 0;
const volatile __u32 kagg_families = 0;
__u64 kagg_full = 0;
__s64 kagg_samples = 0;

char LICENSE[] SEC("license") = "GPL";
