# tcpsim — build, install dependencies, test, benchmark.
#
#   make run     install missing Debian packages, build, run configs/lossy_close.ini
#   make check   install missing Debian packages, build, run the whole test suite
#   make bench   optimised build and the benchmark (never part of check)
#   make install    the program, its manual page (tcpsim.1), the bash completion,
#                   the example configs and the plot scripts under PREFIX
#                   (/usr/local), below DESTDIR if given; make uninstall removes
#                   exactly those
#
# Reliability (issue 7; each in a build folder of its own, never in build/):
#   make check-asan      the whole suite built with ASan + UBSan (build-asan/)
#   make check-valgrind  every configs/ run and every test program under
#                        valgrind memcheck (build-valgrind/)
#   make fuzz            libFuzzer targets (clang) in build-fuzz/fuzz/
#   make fuzz-run        each target for FUZZ_SECONDS (60) seconds
#   make stress          STRESS_RUNS (100000) random configs, in process
#   make stress-asan     the same under ASan + UBSan (STRESS_ASAN_RUNS, 10000)
#   make check-warnings  everything with -Werror, under gcc and clang
#   make lint            the layer rule (tools/check_layers.sh), clang-tidy and
#                        cppcheck on sim/ and models/
#   make WERROR=1 ...    any build with -Werror
#
# Sources are picked up by wildcard: a new .c anywhere under sim/ or models/ joins the
# library, a new tests/test_*.c becomes a test program.

CC      ?= cc
PKGS    := glib-2.0 gsl libpcap
# cairo draws the PNG diagrams (SVG needs nothing); `make deps` installs it,
# and a build without it says so when asked for a PNG.
ifneq ($(shell pkg-config --exists cairo 2>/dev/null && echo yes),)
PKGS    += cairo fontconfig
CAIRO_CFLAGS := -DTCPSIM_HAVE_CAIRO=1
endif
# Debian packages the build, the tests and the plots need.
DEB_PKGS := build-essential pkg-config libglib2.0-dev libgsl-dev libpcap-dev tshark gnuplot-nox bc \
            parallel valgrind libcairo2-dev groff-base
# and the browser that opens the HTML report in the tests only (`make
# check`, installed by `make deps-check`): `make run` goes without it.
CHECK_DEB_PKGS := chromium
# and those of the reliability targets (installed by `make deps-dev`).
DEV_DEB_PKGS := clang libclang-rt-dev valgrind clang-tidy cppcheck

# The warning set: strict, documented, applied to every source.
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wswitch-enum -Wpointer-arith -Wcast-qual -Wformat=2 -Wundef
OPT     ?= -O2 -g
# GCC's generic x86-64 tuning copies and clears a known size from 128
# bytes to 8 KiB with `rep movsq` / `rep stosq`, whose start-up costs tens
# of cycles; the C library's vector memcpy and memset are faster at the
# sizes copied per connection and per call here (an endpoint's kilobyte, a
# socket's 400 bytes).  Up to 256 bytes GCC still writes the loop in place.
# Only where the compiler takes the flags (GCC on x86).
STRINGOP_FLAGS := -mmemcpy-strategy=unrolled_loop:256:noalign,libcall:-1:noalign \
                  -mmemset-strategy=unrolled_loop:256:noalign,libcall:-1:noalign
STRINGOP := $(shell $(CC) -Werror $(STRINGOP_FLAGS) -x c -c /dev/null -o /dev/null 2>/dev/null && \
                    echo "$(STRINGOP_FLAGS)")
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(STRINGOP) $(WARN) $(if $(filter 1,$(WERROR)),-Werror) -I. \
             $(EXTRA_CFLAGS) $(CAIRO_CFLAGS) \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

BUILD   ?= build
# Every .c under sim/ (its rooms included) and models/, but main.c.
SRC_TREE := $(shell find sim models -name '*.c')
# The TCP endpoint's files are compiled as one unit, models/tcp_unit.c
# (see there): the files it includes are built in it, not on their own,
# and it is rebuilt when any of them changes.
TCP_UNIT_PARTS := $(shell sed -n 's/^\#include "\(models\/[a-z_]*\.c\)"$$/\1/p' models/tcp_unit.c)
LIB_SRC := $(sort $(filter-out sim/main.c $(TCP_UNIT_PARTS),$(SRC_TREE)))
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC))
# The HTML report's style and script, compiled in as strings (tools/embed_text.sh).
REPORT_ASSETS := sim/out/report/report.css sim/out/report/report.js
LIB_OBJ += $(BUILD)/gen/report_assets.o
LIB     := $(BUILD)/libtcpsim.a
TEST_SUPPORT_SRC := $(sort $(filter-out tests/test_%.c,$(wildcard tests/*.c)))
TEST_SUPPORT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(TEST_SUPPORT_SRC))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
HEADERS := $(shell find sim models -name '*.h') $(wildcard tests/*.h tests/fuzz/*.h tools/*.h tools/stress/*.h)
# The fuzz targets' entry functions, linked into test_fuzz_regressions.
FUZZ_TARGETS := config script set sweep summary tcp meta merge cli pkt
FUZZ_SRC := tests/fuzz/fuzz_common.c $(patsubst %,tests/fuzz/fuzz_%.c,$(FUZZ_TARGETS))
FUZZ_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(FUZZ_SRC))

.PHONY: all deps run check bench clean test-programs plots install uninstall
.SECONDARY: $(TEST_SUPPORT_OBJ) $(LIB_OBJ) $(FUZZ_OBJ)
.DEFAULT_GOAL := all

all: tcpsim tcpsim.1 tcpsim.bash

# The manual page and the bash completion, written by the program from the
# tables it runs on (options, config keys, script calls): never out of date.
tcpsim.1: tcpsim
	./tcpsim --man > $@.tmp && mv $@.tmp $@
tcpsim.bash: tcpsim
	./tcpsim --completion bash > $@.tmp && mv $@.tmp $@

# Install whatever Debian package is missing; do nothing when all are present.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@
$(BUILD)/models/tcp_unit.o $(BUILD)/mutants/models/tcp_unit.o: $(TCP_UNIT_PARTS)

$(BUILD)/gen/report_assets.c: tools/embed_text.sh $(REPORT_ASSETS)
	@mkdir -p $(dir $@)
	sh tools/embed_text.sh report_css sim/out/report/report.css report_js sim/out/report/report.js > $@.tmp
	mv $@.tmp $@

$(BUILD)/gen/report_assets.o: $(BUILD)/gen/report_assets.c
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

tcpsim: $(BUILD)/sim/main.o $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT_OBJ) $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(TEST_EXTRA_OBJ) $(TEST_SUPPORT_OBJ) $(LIB) $(LDLIBS_ALL)

# The mutation test (tests/test_explore_mutants.c, models/mutant.h): the
# explorer against deliberately broken TCP models.  Its own copy of the
# library is built with -DTCPSIM_MUTANTS in $(BUILD)/mutants/, and the test
# links that one alone (the test helpers are built without the define, so
# their struct tcp_params would not match).  The shipped library and
# ./tcpsim never see the define: the check below, and tools/check_layers.sh
# (no other source may name it).
MUTANT_OBJ := $(patsubst %.c,$(BUILD)/mutants/%.o,$(LIB_SRC))
MUTANT_LIB := $(BUILD)/libtcpsim-mutants.a
.SECONDARY: $(MUTANT_OBJ)
ifneq ($(findstring TCPSIM_MUTANTS,$(CFLAGS_ALL)),)
$(error TCPSIM_MUTANTS is for $(MUTANT_LIB) only, never the shipped build)
endif

$(BUILD)/mutants/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DTCPSIM_MUTANTS -c $< -o $@

$(MUTANT_LIB): $(MUTANT_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/test_explore_mutants: tests/test_explore_mutants.c $(MUTANT_LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DTCPSIM_MUTANTS -o $@ $< $(MUTANT_LIB) $(LDLIBS_ALL)

# Test programs that link more than the library and the test helpers.
$(BUILD)/tests/test_fuzz_regressions: TEST_EXTRA_OBJ = $(FUZZ_OBJ)
$(BUILD)/tests/test_fuzz_regressions: $(FUZZ_OBJ)
# The stress tool, a program of several files (tools/stress/*.c); all but
# its main.c are linked into tests/test_stress too.  Its objects go to
# $(BUILD)/tools/stress-obj/: $(BUILD)/tools/stress is the program.
STRESS_OBJ     := $(patsubst tools/stress/%.c,$(BUILD)/tools/stress-obj/%.o,$(sort $(wildcard tools/stress/*.c)))
STRESS_LIB_OBJ := $(filter-out %/main.o,$(STRESS_OBJ))
$(BUILD)/tests/test_stress: TEST_EXTRA_OBJ = $(STRESS_LIB_OBJ)
$(BUILD)/tests/test_stress: $(STRESS_LIB_OBJ)

$(BUILD)/tools/stress-obj/%.o: tools/stress/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/tools/stress: $(STRESS_OBJ) $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

test-programs: $(TEST_BIN)

# Stand-alone programs (benchmarks, tools): tools/NAME.c -> $(BUILD)/tools/NAME
$(BUILD)/tools/%: tools/%.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL)

run: deps
	$(MAKE) tcpsim
	./tcpsim configs/lossy_close.ini

check: deps deps-check
	$(MAKE) tcpsim test-programs
	tests/run.sh $(TEST_BIN)

bench: deps
	$(MAKE) BUILD=build-bench OPT="-O3 -DNDEBUG" tcpsim-bench build-bench/tools/bench_queue build-bench/tools/measure \
	  build-bench/tools/bench_loop
	BUILD=build-bench tools/bench.sh ./tcpsim-bench

# make plots: every sweep of configs/sweeps/ into out/sweeps/NAME/, its
# figures by gnuplot (plots/plots.sh), copied to docs/sweeps/ for the README.
SWEEP_CONFIGS := $(wildcard configs/sweeps/*.ini)
SWEEP_DIRS := $(patsubst configs/sweeps/%.ini,out/sweeps/%,$(SWEEP_CONFIGS))
plots: deps
	$(MAKE) tcpsim
	@for c in $(SWEEP_CONFIGS); do n=$$(basename $$c .ini); rm -rf out/sweeps/$$n; \
	  ./tcpsim sweep $$c -q -o out/sweeps/$$n || exit 1; done
	plots/plots.sh $(SWEEP_DIRS)
	@mkdir -p docs/sweeps; for d in $(SWEEP_DIRS); do cp $$d/*.png docs/sweeps/; done

# make install [PREFIX=/usr/local] [DESTDIR=staging folder]; make uninstall.
PREFIX      ?= /usr/local
BINDIR      := $(PREFIX)/bin
MAN1DIR     := $(PREFIX)/share/man/man1
DATADIR     := $(PREFIX)/share/tcpsim
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
INSTALL_CONFIGS := $(sort $(shell find configs -name '*.ini'))
INSTALL_PLOTS   := $(sort $(wildcard plots/*.gp plots/*.sh))
# Every file installed, as the path below PREFIX/share/tcpsim or absolute.
INSTALLED_FILES := $(BINDIR)/tcpsim $(MAN1DIR)/tcpsim.1 $(BASHCOMPDIR)/tcpsim \
                   $(addprefix $(DATADIR)/,$(INSTALL_CONFIGS) $(INSTALL_PLOTS))

install: tcpsim tcpsim.1 tcpsim.bash
	install -D -m 755 tcpsim "$(DESTDIR)$(BINDIR)/tcpsim"
	install -D -m 644 tcpsim.1 "$(DESTDIR)$(MAN1DIR)/tcpsim.1"
	install -D -m 644 tcpsim.bash "$(DESTDIR)$(BASHCOMPDIR)/tcpsim"
	@for f in $(INSTALL_CONFIGS); do install -D -m 644 $$f "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	@for f in $(INSTALL_PLOTS); do m=644; case $$f in *.sh) m=755;; esac; \
	  install -D -m $$m $$f "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	@echo "installed: $(DESTDIR)$(BINDIR)/tcpsim, man tcpsim, $(DESTDIR)$(DATADIR)/{configs,plots}"

# Removes the installed files, then the folders of share/tcpsim once empty;
# below a DESTDIR, every folder the install made, up to DESTDIR, once empty.
uninstall:
	rm -f $(foreach f,$(INSTALLED_FILES),"$(DESTDIR)$(f)")
	@for d in $$(printf '%s\n' $(sort $(dir $(addprefix $(DATADIR)/,$(INSTALL_CONFIGS) $(INSTALL_PLOTS)))) \
	           $(DATADIR) | sort -r); do \
	  [ ! -d "$(DESTDIR)$$d" ] || rmdir --ignore-fail-on-non-empty "$(DESTDIR)$$d"; done
	@if [ -n "$(DESTDIR)" ]; then for d in $(BINDIR) $(MAN1DIR) $(BASHCOMPDIR); do \
	  while [ "$$d" != / ] && [ -d "$(DESTDIR)$$d" ]; do \
	    rmdir --ignore-fail-on-non-empty "$(DESTDIR)$$d"; d=$$(dirname "$$d"); done; done; fi

tcpsim-bench: $(BUILD)/sim/main.o $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

clean:
	rm -rf build build-bench tcpsim tcpsim-bench tcpsim.1 tcpsim.bash out \
	       build-asan build-valgrind build-fuzz build-werror-gcc build-werror-clang

# ---------------------------------------------------------------------------
# Reliability (issue 7): sanitizers, valgrind, fuzzing, randomized stress,
# warnings as errors, static analysis.  Each builds in its own folder with a
# recursive make (build-asan/, build-valgrind/, build-fuzz/, build-werror-*/),
# so they never disturb build/ and can run side by side; only `make stress`
# uses the normal optimised build.

.PHONY: deps-dev deps-check check-asan check-valgrind fuzz fuzz-run stress stress-asan \
        check-warnings lint tool-programs

TOOL_BIN := $(patsubst tools/%.c,$(BUILD)/tools/%,$(wildcard tools/*.c)) $(BUILD)/tools/stress
tool-programs: $(TOOL_BIN)

# Install the tools of these targets when missing (see DEV_DEB_PKGS).
deps-dev:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEV_DEB_PKGS)"

deps-check:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(CHECK_DEB_PKGS)"

# tcpsim inside a build folder: the one the sanitized tests spawn.
$(BUILD)/tcpsim: $(BUILD)/sim/main.o $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# AddressSanitizer + UndefinedBehaviorSanitizer, compile and link; any
# report ends the program with a non-zero status (no recovery), leaks
# included.  The tests run build-asan/tcpsim through $$TCPSIM_BIN.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_ENV   := ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1:hard_rss_limit_mb=4096 \
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SAN_MAKE  := $(MAKE) BUILD=build-asan OPT="-O1 -g" EXTRA_CFLAGS="$(SAN_FLAGS)"
ASAN_TEST_BIN := $(patsubst tests/%.c,build-asan/tests/%,$(TEST_SRC))

# test_stress runs 300 configs here instead of 1000: full leak stacks
# (fast_unwind_on_malloc=0) make each allocation ten times slower;
# `make stress-asan` runs thousands with fast unwinding.
# (test_alloc counts the allocations of the plain ./tcpsim under valgrind:
# it is built too.)
check-asan: deps deps-check
	$(MAKE) tcpsim
	$(SAN_MAKE) WERROR=1 build-asan/tcpsim test-programs
	$(SAN_ENV) TCPSIM_BIN=build-asan/tcpsim TEST_LOG_DIR=build-asan/test-logs TCPSIM_STRESS_RUNS=300 \
	  tests/run.sh $(ASAN_TEST_BIN)

# valgrind memcheck: every configs/ scenario through tcpsim, and every test
# program with the tcpsim runs it spawns; 0 errors and 0 definite leaks.
VALGRIND_TEST_BIN := $(patsubst tests/%.c,build-valgrind/tests/%,$(TEST_SRC))

check-valgrind: deps deps-dev deps-check
	$(MAKE) tcpsim
	$(MAKE) BUILD=build-valgrind OPT="-O1 -g" build-valgrind/tcpsim test-programs
	tests/valgrind.sh build-valgrind/tcpsim $(VALGRIND_TEST_BIN)

# libFuzzer targets (tests/fuzz/): the library built with coverage and
# ASan + UBSan by clang, one binary per target in build-fuzz/fuzz/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_BIN     := $(patsubst %,build-fuzz/fuzz/fuzz_%,$(FUZZ_TARGETS))

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/tests/fuzz/fuzz_common.o $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DFUZZ_LIBFUZZER -fsanitize=fuzzer -o $@ $< \
	  $(BUILD)/tests/fuzz/fuzz_common.o $(LIB) $(LDLIBS_ALL)

fuzz: deps deps-dev
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) OPT="-O1 -g" EXTRA_CFLAGS="$(FUZZ_FLAGS)" WERROR=1 $(FUZZ_BIN)

# Each target for FUZZ_SECONDS; fails on any crash, leak or timeout, whose
# input it copies to tests/fuzz/regressions/<target>/.
fuzz-run: fuzz
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Randomized stress (tools/stress/): random configs over the whole
# parameter space, run in process, checked by the end-of-run oracle.
# Failing configs are saved in tests/stress-failures/.
STRESS_RUNS      ?= 100000
STRESS_ASAN_RUNS ?= 10000
STRESS_SEED      ?= 1
STRESS_JOBS      ?= $(shell nproc 2>/dev/null || echo 1)
STRESS_ARGS       = --seed $(STRESS_SEED) --jobs $(STRESS_JOBS) --failures tests/stress-failures

stress: deps
	$(MAKE) $(BUILD)/tools/stress
	$(BUILD)/tools/stress --runs $(STRESS_RUNS) $(STRESS_ARGS)

# (fast unwinding here: the full stacks of check-asan's leak reports cost
# an unwind per malloc, ten times the run time)
stress-asan: deps
	$(SAN_MAKE) build-asan/tools/stress
	$(subst fast_unwind_on_malloc=0:,,$(SAN_ENV)) build-asan/tools/stress --runs $(STRESS_ASAN_RUNS) \
	  --timeout 120 $(STRESS_ARGS)

# Everything (library, tcpsim, tests, tools) with -Werror, by gcc and clang.
check-warnings: deps deps-dev
	$(MAKE) BUILD=build-werror-gcc CC=gcc WERROR=1 build-werror-gcc/tcpsim test-programs tool-programs
	$(MAKE) BUILD=build-werror-clang CC=clang WERROR=1 build-werror-clang/tcpsim test-programs tool-programs

# Static analysis of the project's own code (sim/, models/); any finding
# fails, after both tools have run.  Checks left out as noise for this code:
# performance-no-int-to-ptr (GLib's GUINT_TO_POINTER idiom),
# bugprone-macro-parentheses (the key-table macros expand designators,
# which cannot be parenthesised), the padding advice of the analyzer,
# bugprone-easily-swappable-parameters, narrowing-conversions (-Wconversion's
# job), reserved identifiers (G_DEFINE_QUARK), cert-err33-c (unchecked
# fprintf).  cppcheck reads the GLib headers so that it knows their macros.
LINT_SRC  := $(sort $(filter-out models/tcp_unit.c,$(SRC_TREE)))
# the files with mutant hooks, analysed again with the hooks compiled in
MUTANT_LINT_SRC := $(shell grep -l TCP_MUTANT models/*.c)
empty :=
space := $(empty) $(empty)
TIDY_CHECKS = $(subst $(space),,$(TIDY_CHECK_LIST))
TIDY_CHECK_LIST := -*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,\
-clang-analyzer-optin.performance.Padding,\
bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions,\
-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,-bugprone-macro-parentheses,\
cert-*,-cert-dcl37-c,-cert-dcl51-cpp,-cert-err33-c,misc-*,-misc-no-recursion,\
performance-*,-performance-no-int-to-ptr,portability-*
CPPCHECK_FLAGS = --library=gtk --library=posix --enable=warning,performance,portability --std=c11 \
                 --inline-suppr --error-exitcode=1 --quiet -I. -D_GNU_SOURCE -D__GNUC__=12 -D__x86_64__ \
                 --suppress=missingIncludeSystem $(shell pkg-config --cflags-only-I $(PKGS) 2>/dev/null)

lint: deps deps-dev
	@status=0; \
	echo "layers: tools/check_layers.sh (docs/ARCHITECTURE.md)"; \
	tools/check_layers.sh || status=1; \
	echo "clang-tidy: $(words $(LINT_SRC)) files"; \
	clang-tidy --quiet --warnings-as-errors='*' --checks='$(TIDY_CHECKS)' $(LINT_SRC) -- \
	  -std=c11 -D_GNU_SOURCE -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null) || status=1; \
	echo "clang-tidy: $(words $(MUTANT_LINT_SRC)) files with -DTCPSIM_MUTANTS (models/mutant.h)"; \
	clang-tidy --quiet --warnings-as-errors='*' --checks='$(TIDY_CHECKS)' $(MUTANT_LINT_SRC) -- \
	  -std=c11 -D_GNU_SOURCE -DTCPSIM_MUTANTS -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null) || status=1; \
	echo "cppcheck: $(words $(LINT_SRC)) files"; \
	cppcheck $(CPPCHECK_FLAGS) $(LINT_SRC) || status=1; \
	exit $$status
