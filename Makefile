# gfntop — build, test, install.
#
#   make            build ./gfntop
#   make test       install what the tests need (scripts/deps.sh), build, run every tier
#   make run        install what building needs (scripts/deps.sh build), build, start the live view (root)
#   make demo       replay the recorded sample trace (no privileges)
#   make bench      run the benchmarks (bench/run; BENCH_ROUNDS=, BENCH_QUICK=1)
#   make install    PREFIX=/usr/local DESTDIR= (the program, the manual, the systemd unit
#                   of `gfntop record` and the sysusers.d entry of its group)
#   make clean

CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool
PREFIX  ?= /usr/local
DESTDIR ?=
OUT     ?= build
BIN     ?= gfntop

ARCH_TRIPLET := $(shell $(CC) -dumpmachine 2>/dev/null)
LIBBPF_LIBS  := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wshadow -Wno-missing-field-initializers
CPPFLAGS += -D_GNU_SOURCE -Iinclude -Isrc -I$(OUT)
LDLIBS   += $(LIBBPF_LIBS) $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo) \
	    $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) -lpthread -lm

BPF_CFLAGS := -g -O2 -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 \
	      -I/usr/include/$(ARCH_TRIPLET) -Iinclude -Ibpf

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.o,$(BPF_SRCS))
BPF_HDRS := $(wildcard bpf/*.h) $(wildcard include/gfntop/*.h)

# src/ by layer (README, "Design"): base probes trace sources model views outputs cli
SRCS     := $(shell find src -name '*.c' | sort)
OBJS     := $(patsubst src/%.c,$(OUT)/src/%.o,$(SRCS))
LIB_OBJS := $(filter-out $(OUT)/src/cli/main.o,$(OBJS))
HDRS     := $(shell find src -name '*.h') $(wildcard include/gfntop/*.h)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))
WORKLOAD_SRCS := $(wildcard tests/workloads/*.c)
WORKLOAD_BINS := $(patsubst tests/workloads/%.c,$(OUT)/workloads/%,$(WORKLOAD_SRCS))

.PHONY: all test run demo install clean deps tests-build fuzz asan-build bench bench-build

all: $(BIN)

# ---- BPF: compile each concern, link into one object, generate the skeleton ----

$(OUT)/bpf/%.o: bpf/%.bpf.c $(BPF_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/gfntop.bpf.o: $(BPF_OBJS)
	$(BPFTOOL) gen object $@ $^

$(OUT)/gfntop.skel.h: $(OUT)/gfntop.bpf.o
	$(BPFTOOL) gen skeleton $< name gfntop_bpf > $@.tmp && mv $@.tmp $@

# ---- userspace ----

$(OUT)/src/%.o: src/%.c $(HDRS) $(OUT)/gfntop.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BIN): $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# ---- tests ----

$(OUT)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LIB_OBJS) $(LDLIBS) -lcmocka -o $@

$(OUT)/workloads/%: tests/workloads/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static $< -o $@

FUZZ_BINS := $(OUT)/fuzz/fuzz_csv $(OUT)/fuzz/fuzz_options $(OUT)/fuzz/fuzz_metrics

tests-build: $(BIN) $(UNIT_BINS) $(WORKLOAD_BINS) $(FUZZ_BINS) bench-build
	$(MAKE) asan-build

# The same program and unit tests built with AddressSanitizer (incl. LeakSanitizer) and
# UBSan, into build-asan/; the asan test tier runs them (tests/run.sh).
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
asan-build:
	$(MAKE) OUT=build-asan BIN=build-asan/gfntop CFLAGS="$(ASAN_FLAGS)" LDFLAGS="$(ASAN_FLAGS)" \
		build-asan/gfntop $(patsubst $(OUT)/%,build-asan/%,$(UNIT_BINS))

# ---- fuzzing (libFuzzer, with ASan and UBSan) ----

FUZZ_SRCS := $(wildcard src/trace/*.c) $(wildcard src/base/*.c) src/cli/options.c src/outputs/metrics_addr.c \
	     src/outputs/negotiate.c src/outputs/textbuf.c
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	      -std=gnu11 -D_GNU_SOURCE -Iinclude -Isrc
FUZZ_SECONDS ?= 60

$(OUT)/fuzz/%: tests/fuzz/%.c $(FUZZ_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $< $(FUZZ_SRCS) -lm -o $@

fuzz: $(FUZZ_BINS)
	tests/fuzz/run.sh $(FUZZ_SECONDS)

# ---- benchmarks (bench/): the workload, the bare peer recorder, the userspace pipeline ----

BENCH_BINS := $(OUT)/bench/kvm_refault $(OUT)/bench/bare_recorder $(OUT)/bench/pipeline

$(OUT)/bench/kvm_refault: bench/src/kvm_refault.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

$(OUT)/bench/bare_recorder.bpf.o: bench/src/bare_recorder.bpf.c bpf/kernel_types.h
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/bench/bare_recorder.skel.h: $(OUT)/bench/bare_recorder.bpf.o
	$(BPFTOOL) gen skeleton $< name bare_recorder_bpf > $@.tmp && mv $@.tmp $@

$(OUT)/bench/bare_recorder: bench/src/bare_recorder.c $(OUT)/bench/bare_recorder.skel.h
	$(CC) $(CFLAGS) -I$(OUT)/bench $< $(LIBBPF_LIBS) -o $@

# the printf family wrapped so that pipeline can count calls on the hot paths
PRINTF_WRAPS := $(foreach f,snprintf vsnprintf sprintf vsprintf fprintf vfprintf printf \
		  __snprintf_chk __sprintf_chk __fprintf_chk __printf_chk,-Wl,--wrap=$(f))

$(OUT)/bench/pipeline: bench/src/pipeline.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LIB_OBJS) $(PRINTF_WRAPS) $(LDLIBS) -o $@

bench-build: $(BIN) $(BENCH_BINS)

bench: deps
	$(MAKE) bench-build
	bench/run

deps:
	scripts/deps.sh

test: deps
	$(MAKE) tests-build
	tests/run.sh

run:
	scripts/deps.sh build
	$(MAKE) gfntop
	./gfntop

demo: gfntop
	./gfntop -r tests/data/sample-mmu.csv

# systemd looks for units and sysusers.d files under /usr/local/lib too
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d

install: $(BIN)
	install -D -m 0755 gfntop $(DESTDIR)$(PREFIX)/sbin/gfntop
	install -D -m 0644 man/gfntop.8 $(DESTDIR)$(PREFIX)/share/man/man8/gfntop.8
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' systemd/gfntop.service.in >$(DESTDIR)$(UNITDIR)/gfntop.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/gfntop.service
	install -D -m 0644 systemd/gfntop.sysusers $(DESTDIR)$(SYSUSERSDIR)/gfntop.conf

clean:
	rm -rf build build-asan gfntop
