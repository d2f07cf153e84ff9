// SPDX-License-Identifier: GPL-2.0
/* `gfntop record` options. Every value is checked here so that the recorder never sees a bad one. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/record_options.h"
#include "base/names.h"
#include "outputs/metrics.h"

enum {
	OPT_DIR = 0x100, OPT_ROTATE, OPT_KEEP, OPT_NO_TRACE, OPT_SOCKET, OPT_NO_SOCKET, OPT_METRICS,
	OPT_FLIGHT, OPT_INC_AFTER, OPT_INC_KEEP, OPT_MAX_VIEWERS, OPT_BACKLOG, OPT_RETIRE,
	OPT_HANDLER, OPT_RINGBUF, OPT_METRICS_TEXTFILE, OPT_METRICS_VMS,
};

static const struct option long_opts[] = {
	{ "dir", required_argument, NULL, OPT_DIR },
	{ "rotate", required_argument, NULL, OPT_ROTATE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "no-trace", no_argument, NULL, OPT_NO_TRACE },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "no-socket", no_argument, NULL, OPT_NO_SOCKET },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "metrics-textfile", required_argument, NULL, OPT_METRICS_TEXTFILE },
	{ "metrics-vms", required_argument, NULL, OPT_METRICS_VMS },
	{ "flight-events", required_argument, NULL, OPT_FLIGHT },
	{ "incident-after", required_argument, NULL, OPT_INC_AFTER },
	{ "incident-keep", required_argument, NULL, OPT_INC_KEEP },
	{ "max-viewers", required_argument, NULL, OPT_MAX_VIEWERS },
	{ "viewer-backlog", required_argument, NULL, OPT_BACKLOG },
	{ "retire-after", required_argument, NULL, OPT_RETIRE },
	{ "delay", required_argument, NULL, 'd' },
	{ "replay", required_argument, NULL, 'r' },
	{ "pid", required_argument, NULL, 'p' },
	{ "probes", required_argument, NULL, 'P' },
	{ "handler", required_argument, NULL, OPT_HANDLER },
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static const char usage_text[] =
"Usage: gfntop record [OPTIONS]\n"
"The always-on recorder (run it under systemd, in the foreground): loads the probes once,\n"
"records to rotated traces, writes an incident file for every launch failure, serves viewers.\n"
"\n"
"      --dir DIR              traces and incidents (default " RECORD_DEFAULT_DIR ")\n"
"      --rotate SIZE|DURATION a new trace file at this size (256M) or age (1h); give both for\n"
"                             whichever comes first (default 256M and 1d)\n"
"      --keep N|SIZE          rotated traces kept: the newest N files, or the newest that fit\n"
"                             in SIZE; give both for both (default 8)\n"
"      --no-trace             no full trace: aggregates, flight recorder and incidents only\n"
"      --socket PATH          viewers' socket (default " RECORD_DEFAULT_SOCKET ", mode 0660,\n"
"                             group gfntop if it exists); --no-socket: none\n"
"      --flight-events N      events the flight recorder keeps per VM, and as many of its\n"
"                             launch-related events (default 1024)\n"
"      --incident-after SECS  how long an incident collects after its failure (default 2)\n"
"      --incident-keep N|SIZE incident files kept, the newest (default 256 and 64M)\n"
"      --max-viewers N        viewers at once (default 16)\n"
"      --viewer-backlog N     events queued for a viewer before it misses some (default 65536)\n"
"      --retire-after SECS    how long a VM whose VMM exited stays in the tables (default 60)\n"
"      --metrics ADDR:PORT, --metrics-textfile DIR, --metrics-vms N\n"
"                             Prometheus/OpenMetrics counters, as for the live view\n"
"  -d, --delay SECS           tick: flush, rotation by age, incident windows, retirement (default 1)\n"
"  -r, --replay FILE          run a recorded trace through the recorder instead of the kernel\n"
"                             (the incidents of an old trace; no privileges)\n"
"  -P, --probes, -p, --pid, --handler, --ringbuf-size, -v, --verbose: as for the live view\n"
"  -h, --help\n"
"\n"
"SIGHUP starts a new trace file; SIGTERM drains the kernel's buffer and closes. See gfntop(8).\n";

static enum opt_result fail(char *err, size_t len, const char *fmt, const char *arg)
{
	snprintf(err, len, fmt, arg);
	return OPT_ERROR;
}

/* a decimal number and what follows it */
static int number(const char *s, double *v, const char **unit)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (errno || end == s || !isfinite(*v) || *v < 0)
		return -1;
	*unit = end;
	return 0;
}

int parse_bytes(const char *s, uint64_t *out)
{
	static const char units[] = "KMGT";
	const char *u, *p;
	double v;

	if (number(s, &v, &u))
		return -1;
	if (*u == 'B' && !u[1]) {
		u++;	/* plain bytes: "4096B" */
	} else if (*u) {
		if (!(p = strchr(units, *u >= 'a' ? *u - 32 : *u)))
			return -1;
		v *= (double)(1ULL << (10 * (p - units + 1)));
		u++;
		if (*u == 'i' && u[1] == 'B')
			u += 2;
		else if (*u == 'B')
			u++;
	}
	if (*u || v < 1 || v > 1e18 || v != floor(v))
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int parse_duration(const char *s, uint64_t *ns)
{
	static const struct { char unit; double s; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	const char *u;
	double v;

	if (number(s, &v, &u) || !*u || u[1])
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (units[i].unit == *u && v * units[i].s >= 1 && v * units[i].s <= 366 * 86400.0) {
			*ns = (uint64_t)(v * units[i].s * 1e9);
			return 0;
		}
	}
	return -1;
}

static int parse_count(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_secs(const char *s, double min, double max, double *out)
{
	const char *u;
	double v;

	if (number(s, &v, &u) || *u || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* --keep and --incident-keep: a count of files, or a size (a unit makes it one) */
static int parse_keep(const char *s, unsigned long *files, uint64_t *bytes)
{
	if (strspn(s, "0123456789") == strlen(s))
		return parse_count(s, 1, 1000000, files);
	return parse_bytes(s, bytes);
}

enum opt_result record_options_parse(int argc, char **argv, struct record_options *o,
				     char *err, size_t errlen, void *out)
{
	bool rotate_given = false, keep_given = false, inc_keep_given = false;
	int c;

	memset(o, 0, sizeof(*o));
	o->common.delay_s = 1.0;
	o->dir = RECORD_DEFAULT_DIR;
	o->socket_path = RECORD_DEFAULT_SOCKET;
	o->flight_events = 1024;
	o->incident_after_s = 2;
	o->max_viewers = 16;
	o->viewer_backlog = 65536;
	o->retire_after_s = 60;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:r:p:P:vh", long_opts, NULL)) != -1) {
		unsigned long v;

		switch (c) {
		case OPT_DIR:
			if (!*optarg)
				return fail(err, errlen, "empty --dir%s", "");
			o->dir = optarg;
			break;
		case OPT_ROTATE:
			if (!parse_duration(optarg, &o->rotate_ns))
				;
			else if (parse_bytes(optarg, &o->rotate_bytes) || o->rotate_bytes < 65536)
				return fail(err, errlen, "invalid --rotate '%s' (a size of at least 64K, as 256M, "
					    "or a duration, as 30s, 15m, 1h, 1d)", optarg);
			rotate_given = true;
			break;
		case OPT_KEEP:
			if (parse_keep(optarg, &o->keep_files, &o->keep_bytes))
				return fail(err, errlen, "invalid --keep '%s' (a number of files, or a size as 4G)", optarg);
			keep_given = true;
			break;
		case OPT_NO_TRACE:
			o->no_trace = true;
			break;
		case OPT_SOCKET:
			if (!*optarg || strlen(optarg) >= 108)
				return fail(err, errlen, "invalid --socket '%s' (a path of at most 107 bytes)", optarg);
			o->socket_path = optarg;
			break;
		case OPT_NO_SOCKET:
			o->socket_path = NULL;
			break;
		case OPT_METRICS: {
			struct sockaddr_storage ss;
			socklen_t len;

			if (metrics_parse_addr(optarg, &ss, &len))
				return fail(err, errlen, "invalid --metrics address '%s' "
					    "(PORT, ADDR:PORT or [ADDR6]:PORT, numeric)", optarg);
			o->common.metrics_listen = optarg;
			break;
		}
		case OPT_METRICS_TEXTFILE:
			if (!*optarg)
				return fail(err, errlen, "empty --metrics-textfile directory%s", "");
			o->common.metrics_textfile = optarg;
			break;
		case OPT_METRICS_VMS:
			if (parse_count(optarg, 1, CNT_MAX_VMS_LIMIT, &v))
				return fail(err, errlen, "invalid --metrics-vms '%s' (1 to 4096)", optarg);
			o->common.metrics_vms = (int)v;
			break;
		case OPT_FLIGHT:
			if (parse_count(optarg, 16, 1 << 20, &v))
				return fail(err, errlen, "invalid --flight-events '%s' (16 to 1048576)", optarg);
			o->flight_events = (unsigned int)v;
			break;
		case OPT_INC_AFTER:
			if (parse_secs(optarg, 0, 3600, &o->incident_after_s))
				return fail(err, errlen, "invalid --incident-after '%s' (seconds, 0 to 3600)", optarg);
			break;
		case OPT_INC_KEEP:
			if (parse_keep(optarg, &o->incident_files, &o->incident_bytes))
				return fail(err, errlen, "invalid --incident-keep '%s' (a number of files, or a size as 64M)", optarg);
			inc_keep_given = true;
			break;
		case OPT_MAX_VIEWERS:
			if (parse_count(optarg, 1, 1024, &v))
				return fail(err, errlen, "invalid --max-viewers '%s' (1 to 1024)", optarg);
			o->max_viewers = (unsigned int)v;
			break;
		case OPT_BACKLOG:
			if (parse_count(optarg, 256, 1 << 22, &v))
				return fail(err, errlen, "invalid --viewer-backlog '%s' (256 to 4194304 events)", optarg);
			o->viewer_backlog = (unsigned int)v;
			break;
		case OPT_RETIRE:
			if (parse_secs(optarg, 0, 86400 * 30, &o->retire_after_s))
				return fail(err, errlen, "invalid --retire-after '%s' (seconds, 0 to 2592000)", optarg);
			break;
		case 'r':
			if (!*optarg)
				return fail(err, errlen, "empty replay file name%s", "");
			o->replay_path = optarg;
			break;
		case 'd':
			if (parse_secs(optarg, 0.01, 86400, &o->common.delay_s))
				return fail(err, errlen, "invalid delay '%s' (seconds, 0.01 to 86400)", optarg);
			break;
		case 'p':
			if (option_pids(optarg, &o->common))
				return fail(err, errlen, "invalid pid list '%s' (PID[,PID...], at most 64)", optarg);
			break;
		case 'P':
			if (option_families(optarg, &o->common.families))
				return fail(err, errlen, "invalid probe family list '%s' "
					    "(choose from snp,snp-rfc,psp,rmp,mmu,attr,tp)", optarg);
			break;
		case OPT_HANDLER:
			if (o->common.nhandlers >= MAX_HANDLERS)
				return fail(err, errlen, "too many --handler options (at most %s)", "8");
			if (!*optarg || strlen(optarg) > 120 ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(optarg))
				return fail(err, errlen, "invalid function name '%s'", optarg);
			o->common.handlers[o->common.nhandlers++] = optarg;
			break;
		case OPT_RINGBUF:
			if (option_ringbuf_size(optarg, &o->common.ringbuf_bytes))
				return fail(err, errlen, "invalid ring buffer size '%s' "
					    "(a power of two from 4096 to 1G, suffix K or M)", optarg);
			break;
		case 'v':
			o->common.verbose++;
			break;
		case 'h':
			fputs(usage_text, out);
			return OPT_EXIT_OK;
		case ':':
			return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			return fail(err, errlen, "unknown option '%s' (see gfntop record --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s' (see gfntop record --help)", argv[optind]);
	if (!rotate_given) {
		o->rotate_bytes = 256ULL << 20;
		o->rotate_ns = 86400ULL * 1000000000;
	}
	if (!keep_given)
		o->keep_files = 8;
	if (!inc_keep_given) {
		o->incident_files = 256;
		o->incident_bytes = 64ULL << 20;
	}
	if (o->replay_path && (o->common.families || o->common.nhandlers || o->common.npids))
		return fail(err, errlen, "%s: -P, -p and --handler select kernel probes", "--replay");
	if (o->replay_path && (o->common.metrics_listen || o->common.metrics_textfile))
		return fail(err, errlen, "%s: the metrics are the live recorder's", "--replay");
	if (o->common.metrics_vms && !o->common.metrics_listen && !o->common.metrics_textfile)
		return fail(err, errlen, "%s only applies with --metrics or --metrics-textfile", "--metrics-vms");
	return OPT_RUN;
}
