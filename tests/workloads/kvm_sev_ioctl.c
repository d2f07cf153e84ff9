// SPDX-License-Identifier: GPL-2.0
/*
 * Test workload: SEV ioctls on an ordinary KVM VM. Without SEV hardware KVM
 * rejects them (kvm_amd.sev off: -ENOTTY) but only after sev_mem_enc_ioctl
 * has been entered, so the snp family's ioctl probe fires with the real
 * command and parameters. Prints what it asked and what came back:
 *
 *   vm_pid=1234
 *   slot id=3 base_gfn=0x800 npages=256
 *   ioctl id=101 ret=-25 gfn_start=0x80e len=0x3000 uaddr=0x7f... type=6
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

/* uAPI of 6.10+ (arch/x86/include/uapi/asm/kvm.h); bookworm's headers predate it */
struct snp_launch_update {
	uint64_t gfn_start, uaddr, len;
	uint8_t type, pad0;
	uint16_t flags;
	uint32_t pad1;
	uint64_t pad2[4];
};

struct sev_cmd {
	uint32_t id, pad0;
	uint64_t data;
	uint32_t error, sev_fd;
};

int main(void)
{
	static char page[3 * 4096] __attribute__((aligned(4096)));
	static const uint32_t ids[] = { 100, 101, 102, 0 };	/* SNP_LAUNCH_{START,UPDATE,FINISH}, SEV_INIT */
	struct snp_launch_update p = { .gfn_start = 0x80e, .uaddr = (uint64_t)(uintptr_t)page,
				       .len = sizeof(page), .type = 6 /* CPUID */ };
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm;

	if (kvm < 0 || (vm = ioctl(kvm, KVM_CREATE_VM, 0)) < 0) {
		perror("kvm_sev_ioctl: /dev/kvm");
		return 1;
	}
	/* a memslot holding gfn 0x80e, so the probe's memslot lookup has something to find */
	void *mem = mmap(NULL, 256 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct kvm_userspace_memory_region r = { .slot = 3, .guest_phys_addr = 0x800 * 4096,
						 .memory_size = 256 * 4096, .userspace_addr = (uint64_t)(uintptr_t)mem };

	if (mem == MAP_FAILED || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r)) {
		perror("kvm_sev_ioctl: memslot");
		return 1;
	}
	memset(page, 1, sizeof(page));
	printf("vm_pid=%d\n", getpid());
	printf("slot id=3 base_gfn=0x800 npages=256\n");
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct sev_cmd cmd = { .id = ids[i], .data = (uint64_t)(uintptr_t)&p, .sev_fd = 0 };
		int ret = ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd) < 0 ? -errno : 0;

		printf("ioctl id=%u ret=%d gfn_start=0x%llx len=0x%llx uaddr=%p type=%u\n", ids[i], ret,
		       (unsigned long long)p.gfn_start, (unsigned long long)p.len, (void *)page, p.type);
	}
	close(vm);
	close(kvm);
	return 0;
}
