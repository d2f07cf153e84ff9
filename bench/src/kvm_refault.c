// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark workload: the operation gfntop's probes sit on. A KVM VM maps one
 * memslot; each cycle writes one page of it (a fault that brings the page
 * back) and madvise(MADV_DONTNEED)s it, which runs KVM's MMU notifier and
 * fires kvm:kvm_unmap_hva_range exactly once. The timed loop runs after a
 * warm-up; it prints, as one line of key=value facts:
 *
 *   pid=1234 cycles=200000 events=201000 ns_total=812345678 ns_per_cycle=4061.7
 *
 * events counts every madvise (warm-up included): what a recorder attached
 * for the whole run must have seen, exactly.
 *
 * With -r RATE the timed loop is paced to RATE cycles per second (in steps
 * of 1 ms), for the benchmarks that need a steady load rather than the most
 * the CPU can do.
 *
 * With -S it stops itself (SIGSTOP) once its VM exists, before the first
 * madvise: a benchmark can then start a recorder filtered to its pid and
 * let it go on with SIGCONT.
 *
 * Usage: kvm_refault [-n CYCLES] [-W WARMUP_CYCLES] [-P PAGES_IN_SLOT] [-r RATE] [-S]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#define PAGE 4096UL

static void die(const char *what)
{
	fprintf(stderr, "kvm_refault: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static void cycles(char *mem, unsigned long npages, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		char *p = mem + (i % npages) * PAGE;

		*(volatile char *)p = 1;	/* refault what the previous round zapped */
		if (madvise(p, PAGE, MADV_DONTNEED))
			die("madvise(MADV_DONTNEED)");
	}
}

/* n cycles at `rate` per second: a burst every millisecond, then sleep to the schedule */
static void paced_cycles(char *mem, unsigned long npages, unsigned long n, unsigned long rate)
{
	unsigned long per_ms = rate / 1000 ? rate / 1000 : 1, done = 0;
	uint64_t t0 = now_ns();

	while (done < n) {
		unsigned long burst = n - done < per_ms ? n - done : per_ms;
		uint64_t due;
		struct timespec ts;

		cycles(mem, npages, burst);
		done += burst;
		due = t0 + (uint64_t)((double)done * 1e9 / (double)rate);
		ts.tv_sec = (time_t)(due / 1000000000ULL);
		ts.tv_nsec = (long)(due % 1000000000ULL);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
}

int main(int argc, char **argv)
{
	unsigned long n = 200000, warmup = 1000, npages = 64, rate = 0;
	int stop_first = 0;
	struct kvm_userspace_memory_region r;
	uint64_t t0, t1;
	int kvm, vm, opt;
	char *mem;

	while ((opt = getopt(argc, argv, "n:W:P:r:S")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'W': warmup = strtoul(optarg, NULL, 0); break;
		case 'P': npages = strtoul(optarg, NULL, 0); break;
		case 'r': rate = strtoul(optarg, NULL, 0); break;
		case 'S': stop_first = 1; break;
		default:
			fprintf(stderr, "usage: kvm_refault [-n CYCLES] [-W WARMUP] [-P PAGES] [-r RATE] [-S]\n");
			return 2;
		}
	}
	if (!n || !npages) {
		fprintf(stderr, "kvm_refault: -n and -P must be positive\n");
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	mem = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	if (madvise(mem, npages * PAGE, MADV_NOHUGEPAGE))	/* one 4 KiB zap per cycle */
		die("madvise(MADV_NOHUGEPAGE)");
	memset(mem, 0x5a, npages * PAGE);
	r = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = 0, .memory_size = npages * PAGE,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r))
		die("KVM_SET_USER_MEMORY_REGION");

	if (stop_first)
		raise(SIGSTOP);
	cycles(mem, npages, warmup);
	t0 = now_ns();
	if (rate)
		paced_cycles(mem, npages, n, rate);
	else
		cycles(mem, npages, n);
	t1 = now_ns();
	printf("pid=%d cycles=%lu events=%lu ns_total=%llu ns_per_cycle=%.1f\n", getpid(), n, n + warmup,
	       (unsigned long long)(t1 - t0), (double)(t1 - t0) / (double)n);
	close(vm);
	close(kvm);
	return 0;
}
