// SPDX-License-Identifier: GPL-2.0
/*
 * Test workload: a KVM VM with two memslots, and N madvise(MADV_DONTNEED)
 * calls on known ranges, alternating between the slots. It prints exactly
 * what it did, one fact per line, so a test can compare gfntop's trace with
 * the truth:
 *
 *   vm_pid=1234
 *   slot id=0 as_id=0 base_gfn=0x0 npages=2048 hva=0x7f...
 *   madvise slot=0 hva_start=0x... hva_end=0x... gfn_start=0x10 gfn_end=0x14
 *   done madvise=N
 *
 * THP is disabled on the slots first (MADV_NOHUGEPAGE), so no huge-page split
 * adds invalidations of its own; pages are written before each madvise so
 * there is something to zap.
 *
 * With -H SECONDS it then keeps the VM (and its notifier) for that long, printing
 * "hold" first, so something else can age its pages (DAMON, reclaim).
 *
 * Usage: kvm_madvise [-n COUNT] [-p PAGES_PER_CALL] [-s SLOT_MIB] [-w SECONDS_BEFORE] [-H SECONDS_AFTER]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#define PAGE 4096UL
#define NSLOTS 2

static void die(const char *what)
{
	fprintf(stderr, "kvm_madvise: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	unsigned long count = 100, pages = 4, slot_mib = 8;
	double wait_before = 0, hold_after = 0;
	struct {
		uint64_t gpa;
		char *hva;
		unsigned long npages;
	} slots[NSLOTS];
	int kvm, vm, opt;

	while ((opt = getopt(argc, argv, "n:p:s:w:H:")) != -1) {
		switch (opt) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'p': pages = strtoul(optarg, NULL, 0); break;
		case 's': slot_mib = strtoul(optarg, NULL, 0); break;
		case 'w': wait_before = strtod(optarg, NULL); break;
		case 'H': hold_after = strtod(optarg, NULL); break;
		default:
			fprintf(stderr, "usage: kvm_madvise [-n COUNT] [-p PAGES] [-s SLOT_MIB] [-w SECONDS] [-H SECONDS]\n");
			return 2;
		}
	}
	if (!pages || !slot_mib || pages * PAGE > slot_mib << 20) {
		fprintf(stderr, "kvm_madvise: bad sizes\n");
		return 2;
	}

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("vm_pid=%d\n", getpid());
	for (int i = 0; i < NSLOTS; i++) {
		size_t size = slot_mib << 20;
		struct kvm_userspace_memory_region r;

		slots[i].gpa = (uint64_t)i << 30;	/* slot i at 1 GiB * i */
		slots[i].npages = size / PAGE;
		slots[i].hva = mmap(NULL, size, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (slots[i].hva == MAP_FAILED)
			die("mmap");
		if (madvise(slots[i].hva, size, MADV_NOHUGEPAGE))
			die("madvise(MADV_NOHUGEPAGE)");
		memset(slots[i].hva, 0x5a, size);
		r = (struct kvm_userspace_memory_region){
			.slot = (uint32_t)i, .guest_phys_addr = slots[i].gpa,
			.memory_size = size, .userspace_addr = (uint64_t)(uintptr_t)slots[i].hva,
		};
		if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r))
			die("KVM_SET_USER_MEMORY_REGION");
		printf("slot id=%d as_id=0 base_gfn=0x%llx npages=%lu hva=%p\n", i,
		       (unsigned long long)(slots[i].gpa / PAGE), slots[i].npages, (void *)slots[i].hva);
	}
	if (wait_before > 0)
		usleep((useconds_t)(wait_before * 1e6));

	for (unsigned long n = 0; n < count; n++) {
		int s = (int)(n % NSLOTS);
		unsigned long chunks = slots[s].npages / pages;
		unsigned long first = ((n / NSLOTS) % chunks) * pages;	/* page index in the slot */
		char *start = slots[s].hva + first * PAGE;
		size_t len = pages * PAGE;

		start[0] = 1;	/* fault back in what an earlier round zapped */
		if (madvise(start, len, MADV_DONTNEED))
			die("madvise(MADV_DONTNEED)");
		printf("madvise slot=%d hva_start=%p hva_end=%p gfn_start=0x%llx gfn_end=0x%llx\n", s,
		       (void *)start, (void *)(start + len),
		       (unsigned long long)(slots[s].gpa / PAGE + first),
		       (unsigned long long)(slots[s].gpa / PAGE + first + pages));
	}
	printf("done madvise=%lu\n", count);
	if (hold_after > 0) {
		printf("hold seconds=%g\n", hold_after);
		usleep((useconds_t)(hold_after * 1e6));
	}
	close(vm);	/* unregisters KVM's MMU notifier before the memory is unmapped */
	close(kvm);
	return 0;
}
