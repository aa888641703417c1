/*
 * The memory guard of bulk transfers: the bytes a run holds are bounded by
 * the windows and buffers, not by the bytes it transfers.  Generated
 * payload is made as the send buffer takes it and checked on arrival by
 * making it again (sim/world/payload.c), so a sending program holds no
 * more than its send buffer takes, and the integrity check no copy at all.
 *
 * It counts bytes, not time (so it cannot flake): this program replaces
 * malloc and its kin with glibc's own (__libc_malloc...) plus a count of
 * the live heap bytes (malloc_usable_size()), and runs
 * configs/bench/bulk.ini in process at two sizes.  The peak of live bytes
 * during the run, above what was live before it:
 *   - at most PEAK_BOUND(sndbuf, rcvbuf) = 2 * sndbuf + 2 * rcvbuf + 8 MiB:
 *     the sender's buffer and the program's bytes of one step (sndbuf
 *     each), the receiver's queue and the packets of the window in flight
 *     (rcvbuf each, the window being half of it), and the run's fixed
 *     cost (the reading program's buffer of 1 MiB, pools, outputs);
 *   - flat: the 10 times larger transfer (1 GB against 100 MB with large
 *     buffers) peaks within 10 % of the other.
 * The same with buffers fixed at 4 MiB / 8 MiB, with the linux profile's
 * autotuning from 16 KiB / 128 KiB up to its limits (4 MiB / 32 MiB,
 * which then stand for sndbuf and rcvbuf in the bound), and with the
 * profile's 16 KiB / 128 KiB held there.
 *
 * Built with a sanitizer, the replacement is left out (the sanitizer's
 * malloc must see every block); valgrind replaces it with its own.  Then
 * nothing is counted and the test is skipped.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/config/config.h"
#include "sim/run.h"
#include "sim/world/net.h"

/* A sanitizer brings its own malloc, which this file's must not hide. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define COUNTING 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define COUNTING 0
#endif
#endif
#ifndef COUNTING
#define COUNTING 1
#endif

#define MiB (UINT64_C(1) << 20)
#define PEAK_BOUND(snd, rcv) (2 * (uint64_t)(snd) + 2 * (uint64_t)(rcv) + 8 * MiB)
#define FLAT_PERCENT 10

static uint64_t live, peak, allocs; /* heap bytes now, their maximum; calls */

#if COUNTING
/* glibc's allocator under its own names. */
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);
void *__libc_memalign(size_t align, size_t size);

static void *counted(void *p)
{
	if (p) {
		uint64_t now = __atomic_add_fetch(&live, malloc_usable_size(p), __ATOMIC_RELAXED);
		uint64_t was = __atomic_load_n(&peak, __ATOMIC_RELAXED);
		while (now > was && !__atomic_compare_exchange_n(&peak, &was, now, true,
		                                                  __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			;
		__atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
	}
	return p;
}

static void uncount(void *p)
{
	if (p)
		__atomic_sub_fetch(&live, malloc_usable_size(p), __ATOMIC_RELAXED);
}

void *malloc(size_t size)
{
	return counted(__libc_malloc(size));
}

void *calloc(size_t n, size_t size)
{
	return counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t size)
{
	uncount(p);
	void *q = __libc_realloc(p, size);
	if (!q && size) { /* failed: p is still there */
		counted(p);
		return NULL;
	}
	return counted(q);
}

void free(void *p)
{
	uncount(p);
	__libc_free(p);
}

void *memalign(size_t align, size_t size)
{
	return counted(__libc_memalign(align, size));
}

void *aligned_alloc(size_t align, size_t size)
{
	return counted(__libc_memalign(align, size));
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p = counted(__libc_memalign(align, size));
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
#endif

/* The buffers of a run: where they start (tcp_wmem[1], tcp_rmem[1]) and
 * how far autotuning may grow them (tcp_wmem[2], tcp_rmem[2]; 0: they
 * stay where they start). */
struct buffers {
	uint32_t sndbuf, rcvbuf, wmem_max, rmem_max;
};

/* The most a run's buffers hold: the larger of start and limit. */
static uint32_t most(uint32_t start, uint32_t max)
{
	return max > start ? max : start;
}

/* Sends `bytes` over configs/bench/bulk.ini with the given buffers and
 * returns the peak of heap bytes above the start. */
static uint64_t transfer_peak(uint64_t bytes, const struct buffers *b)
{
	char *script = g_strdup_printf("client.script=connect; send %" G_GUINT64_FORMAT "; close",
	                               bytes);
	char *snd = g_strdup_printf("tcp.sndbuf=%u", b->sndbuf);
	char *rcv = g_strdup_printf("tcp.rcvbuf=%u", b->rcvbuf);
	char *wmax = g_strdup_printf("tcp.wmem_max=%u", b->wmem_max);
	char *rmax = g_strdup_printf("tcp.rmem_max=%u", b->rmem_max);
	const char *sets[] = {script, snd, rcv, wmax, rmax, NULL};
	char *dir = g_dir_make_tmp("tcpsim-memory-XXXXXX", NULL);
	GError *error = NULL;
	struct config cfg;
	g_assert_true(config_load("configs/bench/bulk.ini", sets, &cfg, &error));
	g_assert_no_error(error);
	struct run_options opt = {.out_dir = dir};
	struct run_result res;
	uint64_t base = __atomic_load_n(&live, __ATOMIC_RELAXED);
	__atomic_store_n(&peak, base, __ATOMIC_RELAXED);
	g_assert_true(run_simulation(&cfg, &opt, &res, &error));
	uint64_t high = __atomic_load_n(&peak, __ATOMIC_RELAXED) - base;
	const struct net_stats *st = net_stats(res.net);
	g_assert_cmpuint(net_role_stats(res.net, NET_SERVER)->bytes_received, ==, bytes);
	g_assert_cmpuint(st->corrupted_bytes, ==, 0);
	g_assert_cmpuint(st->short_streams, ==, 0);
	g_test_message("%" G_GUINT64_FORMAT " bytes, sndbuf %u..%u rcvbuf %u..%u: peak %" G_GUINT64_FORMAT
	               " heap bytes", bytes, b->sndbuf, b->wmem_max, b->rcvbuf, b->rmem_max, high);
	run_result_clear(&res);
	config_clear(&cfg);
	g_rmdir(dir);
	g_free(dir);
	g_free(script);
	g_free(snd);
	g_free(rcv);
	g_free(wmax);
	g_free(rmax);
	return high;
}

static void check_bounded(uint64_t small, const struct buffers *buf)
{
	g_free(g_malloc(1)); /* through this file's malloc? */
	if (__atomic_load_n(&allocs, __ATOMIC_RELAXED) == 0) {
		g_test_skip("malloc is a sanitizer's or valgrind's: nothing counted");
		return;
	}
	uint64_t bound = PEAK_BOUND(most(buf->sndbuf, buf->wmem_max), most(buf->rcvbuf, buf->rmem_max));
	uint64_t a = transfer_peak(small, buf);
	uint64_t b = transfer_peak(10 * small, buf);
	g_assert_cmpuint(a, <=, bound);
	g_assert_cmpuint(b, <=, bound);
	g_assert_cmpuint(b * 100, <=, a * (100 + FLAT_PERCENT));
}

/* Buffers fixed large: 4 MiB to send (tcp_wmem[2]), 8 MiB to receive;
 * 100 MB and 1 GB. */
static void test_large_buffers(void)
{
	const struct buffers b = {4 * MiB, 8 * MiB, 0, 0};
	check_bounded(100000000, &b);
}

/* The linux profile's buffers, autotuned from 16 KiB and 128 KiB up to
 * Linux's limits (tcp_wmem[2] 4 MiB, tcp_rmem[2] 32 MiB on 6.18), the
 * largest a connection grows to by itself; 100 MB and 1 GB. */
static void test_autotuning_limits(void)
{
	const struct buffers b = {16384, 131072, 4 * MiB, 32 * MiB};
	check_bounded(100000000, &b);
}

/* The linux profile's 16 KiB and 128 KiB held there (autotuning off):
 * 2 MB and 20 MB (slow in simulated time, a few segments in flight). */
static void test_profile_buffers(void)
{
	const struct buffers b = {16384, 131072, 0, 0};
	check_bounded(2000000, &b);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/memory/bulk/large-buffers", test_large_buffers);
	g_test_add_func("/memory/bulk/autotuning-limits", test_autotuning_limits);
	g_test_add_func("/memory/bulk/profile-buffers", test_profile_buffers);
	return g_test_run();
}
