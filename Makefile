# tcpsim — build, install dependencies, test, benchmark.
#
#   make run     install missing Debian packages, build, run configs/lossy_close.ini
#   make check   install missing Debian packages, build, run the whole test suite
#   make bench   optimised build and the benchmark (never part of check)
#
# Sources are picked up by wildcard: a new sim/*.c or models/*.c joins the
# library, a new tests/test_*.c becomes a test program.

CC      ?= cc
PKGS    := glib-2.0 gsl libpcap
# Debian packages the build, the tests and the plots need.
DEB_PKGS := build-essential pkg-config libglib2.0-dev libgsl-dev libpcap-dev tshark gnuplot-nox bc

# The warning set: strict, documented, applied to every source.
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wswitch-enum -Wpointer-arith -Wcast-qual -Wformat=2 -Wundef
OPT     ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -I. $(EXTRA_CFLAGS) \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

BUILD   ?= build
LIB_SRC := $(sort $(filter-out sim/main.c,$(wildcard sim/*.c)) $(wildcard models/*.c))
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC))
LIB     := $(BUILD)/libtcpsim.a
TEST_SUPPORT_SRC := $(sort $(filter-out tests/test_%.c,$(wildcard tests/*.c)))
TEST_SUPPORT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(TEST_SUPPORT_SRC))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
HEADERS := $(wildcard sim/*.h models/*.h tests/*.h)

.PHONY: all deps run check bench clean test-programs
.SECONDARY: $(TEST_SUPPORT_OBJ) $(LIB_OBJ)
.DEFAULT_GOAL := all

all: tcpsim

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

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

tcpsim: $(BUILD)/sim/main.o $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT_OBJ) $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB) $(LDLIBS_ALL)

test-programs: $(TEST_BIN)

# Stand-alone programs (benchmarks, tools): tools/NAME.c -> $(BUILD)/tools/NAME
$(BUILD)/tools/%: tools/%.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL)

run: deps
	$(MAKE) tcpsim
	./tcpsim configs/lossy_close.ini

check: deps
	$(MAKE) tcpsim test-programs
	tests/run.sh $(TEST_BIN)

bench: deps
	$(MAKE) BUILD=build-bench OPT="-O3 -DNDEBUG" tcpsim-bench build-bench/tools/bench_queue build-bench/tools/measure
	BUILD=build-bench tools/bench.sh ./tcpsim-bench

tcpsim-bench: $(BUILD)/sim/main.o $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

clean:
	rm -rf build build-bench tcpsim tcpsim-bench out
