// SPDX-License-Identifier: GPL-2.0
/* Option parsing. Every value is checked here so that the rest never sees a bad one. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/options.h"
#include "base/names.h"
#include "base/version.h"
#include "model/counters.h"
#include "outputs/metrics.h"

enum {
	OPT_FORCE = 0x100,
	OPT_HANDLER,
	OPT_LIST_PROBES,
	OPT_RINGBUF,
	OPT_JSON,
	OPT_METRICS,
	OPT_METRICS_TEXTFILE,
	OPT_METRICS_VMS,
	OPT_CONNECT,
};

static const struct option long_opts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "pid", required_argument, NULL, 'p' },
	{ "probes", required_argument, NULL, 'P' },
	{ "handler", required_argument, NULL, OPT_HANDLER },
	{ "csv", required_argument, NULL, 'w' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "replay", required_argument, NULL, 'r' },
	{ "errors-only", no_argument, NULL, 'e' },
	{ "list-probes", no_argument, NULL, OPT_LIST_PROBES },
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "metrics-textfile", required_argument, NULL, OPT_METRICS_TEXTFILE },
	{ "metrics-vms", required_argument, NULL, OPT_METRICS_VMS },
	{ "connect", optional_argument, NULL, OPT_CONNECT },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static const char usage_text[] =
"Usage: gfntop [OPTIONS]\n"
"Live view of KVM guest-memory range operations and SEV-SNP launches.\n"
"\n"
"  -b, --batch                plain text summaries, no TUI (like top -b)\n"
"  -d, --delay SECS           refresh / report interval, default 1\n"
"  -n, --iterations N         stop after N intervals\n"
"  -p, --pid PID[,PID...]     only VMs whose VMM process is one of these\n"
"  -P, --probes FAMILY[,...]  only these families (snp,snp-rfc,psp,rmp,mmu,attr,tp)\n"
"      --handler FUNC         also trace FUNC as a gfn-range handler (checked against BTF)\n"
"  -w, --csv FILE             record every event to FILE ('-' = stdout); refuses to overwrite\n"
"      --force                allow replacing an existing FILE (never follows a symlink)\n"
"  -r, --replay FILE          read a recorded trace instead of the kernel (no privileges)\n"
"  -e, --errors-only          show and record failed operations only\n"
"      --list-probes          print every probe: family, target, kind, state, reason; exit\n"
"      --ringbuf-size BYTES   kernel ring buffer size (power of two, default 16M)\n"
"      --json                 batch output (NDJSON: one object per interval, one for the\n"
"                             summary) and --list-probes as JSON\n"
"      --metrics ADDR:PORT    serve Prometheus/OpenMetrics at http://ADDR:PORT/metrics\n"
"                             (loopback unless ADDR is given; port 0: any free one)\n"
"      --metrics-textfile DIR write DIR/gfntop.prom each interval (node_exporter textfile)\n"
"      --metrics-vms N        per-VM series for up to N VMs at once (labels vmm, vm_pid)\n"
"      --connect [PATH]       the view of a running recorder (gfntop record) instead of the kernel,\n"
"                             through its socket (default " DEFAULT_SOCKET ")\n"
"  -v, --verbose              libbpf and detection details on stderr\n"
"  -V, --version; -h, --help\n"
"\n"
"Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n"
"See gfntop(8) for the CSV schema.\n";

static enum opt_result fail(char *err, size_t len, const char *fmt, const char *arg)
{
	snprintf(err, len, fmt, arg);
	return OPT_ERROR;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* PID[,PID...] */
static int parse_pids(const char *arg, struct options *o)
{
	const char *p = arg;

	while (*p) {
		char buf[16];
		size_t n = strcspn(p, ",");
		unsigned long v;

		if (n == 0 || n >= sizeof(buf) || o->npids >= MAX_PIDS)
			return -1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (parse_ulong(buf, 4194304, &v) || v == 0)
			return -1;
		o->pids[o->npids++] = (unsigned int)v;
		p += n;
		if (*p == ',' && !*++p)
			return -1;	/* trailing comma */
	}
	return o->npids ? 0 : -1;
}

static int parse_families(const char *arg, unsigned int *mask)
{
	const char *p = arg;

	if (!*p)
		return -1;
	while (*p) {
		size_t n = strcspn(p, ",");
		int f = family_from_name(p, n);

		if (f <= 0)
			return -1;
		*mask |= 1u << f;
		p += n;
		if (*p == ',' && !*++p)
			return -1;
	}
	return 0;
}

/* 4096, 64K, 16M: a power of two between one page and 1 GiB */
static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end || v < 4096 || v > (1ULL << 30) || (v & (v - 1)))
		return -1;
	*out = (size_t)v;
	return 0;
}

enum opt_result options_parse(int argc, char **argv, struct options *o,
			      char *err, size_t errlen, void *out)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->delay_s = 1.0;
	optind = 0;	/* full reset of getopt's state (glibc) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bd:n:p:P:w:r:evVh", long_opts, NULL)) != -1) {
		unsigned long v;
		char *end;

		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case 'd':
			errno = 0;
			o->delay_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(o->delay_s) ||
			    o->delay_s < 0.01 || o->delay_s > 86400)
				return fail(err, errlen, "invalid delay '%s' (seconds, 0.01 to 86400)", optarg);
			break;
		case 'n':
			if (parse_ulong(optarg, 1000000000, &v) || v == 0)
				return fail(err, errlen, "invalid iteration count '%s' (a positive integer)", optarg);
			o->iterations = (long)v;
			break;
		case 'p':
			if (parse_pids(optarg, o))
				return fail(err, errlen, "invalid pid list '%s' (PID[,PID...], at most 64)", optarg);
			break;
		case 'P':
			if (parse_families(optarg, &o->families))
				return fail(err, errlen, "invalid probe family list '%s' "
					    "(choose from snp,snp-rfc,psp,rmp,mmu,attr,tp)", optarg);
			break;
		case OPT_HANDLER:
			if (o->nhandlers >= MAX_HANDLERS)
				return fail(err, errlen, "too many --handler options (at most %s)", "8");
			if (!*optarg || strlen(optarg) > 120 ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(optarg))
				return fail(err, errlen, "invalid function name '%s'", optarg);
			o->handlers[o->nhandlers++] = optarg;
			break;
		case 'w':
			if (!*optarg)
				return fail(err, errlen, "empty trace file name%s", "");
			o->csv_path = optarg;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case 'r':
			if (!*optarg)
				return fail(err, errlen, "empty replay file name%s", "");
			o->replay_path = optarg;
			break;
		case 'e':
			o->errors_only = true;
			break;
		case OPT_LIST_PROBES:
			o->list_probes = true;
			break;
		case OPT_CONNECT:
			/* --connect=PATH, --connect PATH, or --connect alone for the default socket */
			if (!optarg && optind < argc && argv[optind][0] && argv[optind][0] != '-')
				optarg = argv[optind++];
			if (optarg && (!*optarg || strlen(optarg) >= 108))
				return fail(err, errlen, "invalid socket path '%s' (at most 107 bytes)", optarg);
			o->connect_path = optarg ? optarg : DEFAULT_SOCKET;
			break;
		case OPT_RINGBUF:
			if (parse_size(optarg, &o->ringbuf_bytes))
				return fail(err, errlen, "invalid ring buffer size '%s' "
					    "(a power of two from 4096 to 1G, suffix K or M)", optarg);
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_METRICS: {
			struct sockaddr_storage ss;
			socklen_t len;

			if (metrics_parse_addr(optarg, &ss, &len))
				return fail(err, errlen, "invalid --metrics address '%s' "
					    "(PORT, ADDR:PORT or [ADDR6]:PORT, numeric)", optarg);
			o->metrics_listen = optarg;
			break;
		}
		case OPT_METRICS_TEXTFILE:
			if (!*optarg)
				return fail(err, errlen, "empty --metrics-textfile directory%s", "");
			o->metrics_textfile = optarg;
			break;
		case OPT_METRICS_VMS:
			if (parse_ulong(optarg, CNT_MAX_VMS_LIMIT, &v) || v == 0)
				return fail(err, errlen, "invalid --metrics-vms '%s' (1 to 4096)", optarg);
			o->metrics_vms = (int)v;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'V':
			fprintf(out, "gfntop %s\n", GFNTOP_VERSION);
			return OPT_EXIT_OK;
		case 'h':
			fputs(usage_text, out);
			o->help = true;	/* the caller appends the commands (commands.c) */
			return OPT_EXIT_OK;
		case ':':
			return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			return fail(err, errlen, "unknown option '%s' (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s' (see --help)", argv[optind]);
	if (o->connect_path && (o->replay_path || o->list_probes || o->families || o->nhandlers ||
				o->ringbuf_bytes || o->csv_path || o->metrics_listen || o->metrics_textfile))
		return fail(err, errlen, "%s shows a recorder's events: -r, --list-probes, -P, --handler, "
			    "--ringbuf-size, -w and --metrics do not apply (the recorder records and exports; "
			    "see gfntop record)", "--connect");
	if (o->replay_path && o->list_probes)
		return fail(err, errlen, "--list-probes inspects the kernel; it cannot be combined with %s", "--replay");
	if (o->replay_path && (o->families || o->nhandlers))
		return fail(err, errlen, "%s: -P and --handler select kernel probes; filter a replay with -p or -e", "--replay");
	if (o->force && !o->csv_path)
		return fail(err, errlen, "%s only applies with -w FILE", "--force");
	if (o->metrics_listen && o->replay_path)
		return fail(err, errlen, "--metrics serves a live run; a replay can write its counters with %s",
			    "--metrics-textfile DIR");
	if (o->metrics_vms && !o->metrics_listen && !o->metrics_textfile)
		return fail(err, errlen, "%s only applies with --metrics or --metrics-textfile", "--metrics-vms");
	if (o->json)
		o->batch = true;	/* JSON is a batch output; the TUI has no twin */
	if (o->csv_path && o->replay_path && !strcmp(o->csv_path, o->replay_path) && strcmp(o->csv_path, "-"))
		return fail(err, errlen, "refusing to write the trace being replayed ('%s')", o->csv_path);
	return OPT_RUN;
}

/* The values the recorder's options share with these (record_options.c). */
int option_pids(const char *arg, struct options *o)
{
	return parse_pids(arg, o);
}

int option_families(const char *arg, unsigned int *mask)
{
	return parse_families(arg, mask);
}

int option_ringbuf_size(const char *arg, size_t *bytes)
{
	return parse_size(arg, bytes);
}
