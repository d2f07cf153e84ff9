// SPDX-License-Identifier: GPL-2.0
/*
 * What the info metrics say about the build and the host: versions go in
 * labels of a metric whose value is 1 (gfntop_build_info, gfntop_platform_info),
 * never in metric names. An unknown value is an empty label.
 */
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "outputs/metrics.h"
#include "base/version.h"

/* The first line of a small sysfs file, or "" if there is none. */
static void read_param(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

void metrics_platform_info(struct expo_info *build, struct expo_info *platform)
{
	static const char *const params[] = { "sev", "sev_es", "sev_snp" };
	struct utsname u;
	char path[96], val[64], name[32];

	*build = (struct expo_info){ 0 };
	*platform = (struct expo_info){ 0 };
	expo_info_add(build, "version", GFNTOP_VERSION);
	expo_info_add(build, "libbpf", libbpf_version_string());

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	expo_info_add(platform, "kernel", u.release);
	expo_info_add(platform, "machine", u.machine);
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/kvm_amd/parameters/%s", params[i]);
		snprintf(name, sizeof(name), "kvm_amd_%s", params[i]);
		read_param(path, val, sizeof(val));
		expo_info_add(platform, name, val);
	}
	/* the SEV firmware API version comes with the trace metadata (issue 11); unknown until then */
	expo_info_add(platform, "sev_api", "");
}
