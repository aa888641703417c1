/*
 * Tests of the pcapng output: the writer against the specification
 * (draft-ietf-opsawg-pcapng), read back block by block by a small reader
 * written here from the draft; the comment rules of sim/out/annotate.c on
 * synthetic events; and every shipped config run with --format pcapng,
 * read by tshark: both interfaces, the comments, no malformed packet, and
 * the capture point's interface exported alone analysed by Wireshark
 * exactly like the classic pcap of the same run.
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/out/annotate.h"
#include "sim/out/pcapng.h"
#include "tests/output_util.h"
#include "tests/tshark.h"

/* --- a pcapng reader, from the draft --- */

struct ng_option {
	guint16 code;
	GBytes *value;
};

struct ng_block {
	guint32 type;
	GBytes *body;      /* between the length fields */
	GPtrArray *options; /* struct ng_option *, in order */
};

static guint32 get32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint16 get16(const guint8 *p)
{
	return (guint16)(p[0] | p[1] << 8);
}

static void ng_option_free(gpointer p)
{
	struct ng_option *o = p;

	g_bytes_unref(o->value);
	g_free(o);
}

static void ng_block_free(gpointer p)
{
	struct ng_block *b = p;

	g_bytes_unref(b->body);
	g_ptr_array_unref(b->options);
	g_free(b);
}

/* Options from offset `at` of the body to its end; asserts the list is
 * well formed and ends with opt_endofopt. */
static GPtrArray *parse_options(const guint8 *body, gsize len, gsize at)
{
	GPtrArray *opts = g_ptr_array_new_with_free_func(ng_option_free);
	gboolean ended = at == len; /* no options at all */

	while (at < len) {
		g_assert_cmpuint(at + 4, <=, len);
		guint16 code = get16(body + at), olen = get16(body + at + 2);
		gsize padded = (olen + 3u) & ~3u;

		g_assert_cmpuint(at + 4 + padded, <=, len);
		if (code == PCAPNG_OPT_ENDOFOPT) {
			g_assert_cmpuint(olen, ==, 0);
			g_assert_cmpuint(at + 4, ==, len); /* the last thing in the block */
			ended = TRUE;
			break;
		}
		struct ng_option *o = g_new(struct ng_option, 1);
		o->code = code;
		o->value = g_bytes_new(body + at + 4, olen);
		g_ptr_array_add(opts, o);
		for (gsize i = olen; i < padded; i++)
			g_assert_cmpuint(body[at + 4 + i], ==, 0); /* zero padding */
		at += 4 + padded;
	}
	g_assert_true(ended);
	return opts;
}

/* Fixed part of each block body before its options. */
static gsize fixed_len(guint32 type, const guint8 *body, gsize len)
{
	switch (type) {
	case PCAPNG_SHB: return 16;
	case PCAPNG_IDB: return 8;
	case PCAPNG_EPB:
		g_assert_cmpuint(len, >=, 20);
		return 20 + ((get32(body + 12) + 3u) & ~3u);
	default: return len;
	}
}

/* Every block of the file, checked for the framing rules of section 3.1. */
static GPtrArray *ng_read(const char *path)
{
	GError *error = NULL;
	gchar *data = NULL;
	gsize len = 0;
	GPtrArray *blocks = g_ptr_array_new_with_free_func(ng_block_free);

	g_file_get_contents(path, &data, &len, &error);
	g_assert_no_error(error);
	for (gsize at = 0; at < len;) {
		const guint8 *p = (const guint8 *)data + at;
		g_assert_cmpuint(at + 12, <=, len);
		guint32 type = get32(p), total = get32(p + 4);

		g_assert_cmpuint(total % 4, ==, 0);
		g_assert_cmpuint(total, >=, 12);
		g_assert_cmpuint(at + total, <=, len);
		g_assert_cmpuint(get32(p + total - 4), ==, total);
		struct ng_block *b = g_new0(struct ng_block, 1);
		b->type = type;
		b->body = g_bytes_new(p + 8, total - 12);
		b->options = parse_options(p + 8, total - 12, fixed_len(type, p + 8, total - 12));
		g_ptr_array_add(blocks, b);
		at += total;
	}
	g_free(data);
	return blocks;
}

#define BLOCK(a, i) ((const struct ng_block *)g_ptr_array_index((a), (i)))

static const guint8 *body_of(const struct ng_block *b)
{
	return g_bytes_get_data(b->body, NULL);
}

/* The text of option `code` of b, or NULL. */
static char *option_text(const struct ng_block *b, guint16 code)
{
	for (guint i = 0; i < b->options->len; i++) {
		const struct ng_option *o = g_ptr_array_index(b->options, i);
		gsize n;
		const char *v = g_bytes_get_data(o->value, &n);

		if (o->code == code)
			return g_strndup(v, n);
	}
	return NULL;
}

/* --- the writer --- */

/* A minimal IPv4 header of 20 bytes + len payload bytes. */
static guint8 *fake_packet(guint32 len, guint8 fill)
{
	guint8 *p = g_malloc0(20 + len);

	p[0] = 0x45;
	p[12] = 10, p[15] = 1;   /* 10.0.0.1 */
	p[16] = 10, p[19] = 2;   /* 10.0.0.2 */
	memset(p + 20, fill, len);
	return p;
}

/* SHB, two IDBs, EPBs with and without a comment: each field as written. */
static void test_writer_blocks(void)
{
	char *tmp = scn_tmpdir(), *path = g_build_filename(tmp, "t.pcapng", NULL);
	char *tmp_path = g_strconcat(path, ".tmp", NULL);
	GError *error = NULL;
	struct pcapng_out *po = pcapng_out_open(path, PCAP_RAW_IPV4, "tcpsim test", &error);
	guint8 *p1 = fake_packet(3, 0xab), *p2 = fake_packet(0, 0);

	g_assert_no_error(error);
	g_assert_cmpuint(pcapng_out_add_interface(po, "client", "the client"), ==, 0);
	g_assert_cmpuint(pcapng_out_add_interface(po, "server", "the server"), ==, 1);
	pcapng_out_write(po, 0, 5 * G_GINT64_CONSTANT(1000000000) + 7, p1, 23, "dropped; client X -> Y");
	pcapng_out_write(po, 1, G_GINT64_CONSTANT(0x123456789), p2, 20, NULL);
	g_assert_true(g_file_test(tmp_path, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS)); /* complete files only */
	g_assert_true(pcapng_out_commit(po, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(tmp_path, G_FILE_TEST_EXISTS));

	GPtrArray *b = ng_read(path);
	g_assert_cmpuint(b->len, ==, 5);
	/* 4.1 SHB: magic, version 1.0, section length -1, shb_userappl */
	const guint8 *shb = body_of(BLOCK(b, 0));
	g_assert_cmphex(BLOCK(b, 0)->type, ==, 0x0A0D0D0A);
	g_assert_cmphex(get32(shb), ==, 0x1A2B3C4D);
	g_assert_cmpuint(get16(shb + 4), ==, 1);
	g_assert_cmpuint(get16(shb + 6), ==, 0);
	g_assert_cmphex(get32(shb + 8), ==, 0xFFFFFFFF);
	g_assert_cmphex(get32(shb + 12), ==, 0xFFFFFFFF);
	char *app = option_text(BLOCK(b, 0), 4);
	g_assert_cmpstr(app, ==, "tcpsim test");
	g_free(app);
	/* 4.2 IDBs: link type 101 (raw IP), snap length 0, name, description, tsresol 9 */
	for (guint i = 1; i <= 2; i++) {
		const guint8 *idb = body_of(BLOCK(b, i));
		char *name = option_text(BLOCK(b, i), 2), *desc = option_text(BLOCK(b, i), 3);
		char *res = option_text(BLOCK(b, i), 9);

		g_assert_cmphex(BLOCK(b, i)->type, ==, 1);
		g_assert_cmpuint(get16(idb), ==, 101);
		g_assert_cmpuint(get32(idb + 4), ==, 0);
		g_assert_cmpstr(name, ==, i == 1 ? "client" : "server");
		g_assert_cmpstr(desc, ==, i == 1 ? "the client" : "the server");
		g_assert_cmpstr(res, ==, "\x09"); /* one byte: 10^-9 s */
		g_free(name);
		g_free(desc);
		g_free(res);
	}
	/* 4.3 EPBs: interface, 64-bit timestamp in ns, lengths, data, comment */
	const guint8 *e1 = body_of(BLOCK(b, 3)), *e2 = body_of(BLOCK(b, 4));
	g_assert_cmphex(BLOCK(b, 3)->type, ==, 6);
	g_assert_cmpuint(get32(e1), ==, 0);
	g_assert_cmpuint(((guint64)get32(e1 + 4) << 32 | get32(e1 + 8)), ==, 5000000007u);
	g_assert_cmpuint(get32(e1 + 12), ==, 23);
	g_assert_cmpuint(get32(e1 + 16), ==, 23);
	g_assert_true(memcmp(e1 + 20, p1, 23) == 0);
	char *comment = option_text(BLOCK(b, 3), 1);
	g_assert_cmpstr(comment, ==, "dropped; client X -> Y");
	g_free(comment);
	g_assert_cmpuint(get32(e2), ==, 1);
	g_assert_cmpuint(((guint64)get32(e2 + 4) << 32 | get32(e2 + 8)), ==, 0x123456789u);
	g_assert_cmpuint(BLOCK(b, 4)->options->len, ==, 0); /* no comment, no options */
	g_ptr_array_unref(b);
	g_free(p1);
	g_free(p2);
	scn_rmtree(tmp);
	g_free(tmp);
	g_free(path);
	g_free(tmp_path);
}

/* An Ethernet capture gets link type 1 and its frames (sim/out/wire.c's
 * wire_frame()) as they are given. */
static void test_writer_ethernet(void)
{
	char *tmp = scn_tmpdir(), *path = g_build_filename(tmp, "e.pcapng", NULL);
	GError *error = NULL;
	struct pcapng_out *po = pcapng_out_open(path, PCAP_ETHERNET, "t", &error);
	guint8 *p = fake_packet(1, 0x11), frame[35];
	static const guint8 eth[14] = {2, 0, 10, 0, 0, 2, 2, 0, 10, 0, 0, 1, 0x08, 0x00};

	memcpy(frame, eth, 14);
	memcpy(frame + 14, p, 21);
	pcapng_out_add_interface(po, "client", "c");
	pcapng_out_write(po, 0, 1, frame, sizeof frame, "x");
	g_assert_true(pcapng_out_commit(po, &error));
	GPtrArray *b = ng_read(path);
	g_assert_cmpuint(get16(body_of(BLOCK(b, 1))), ==, 1);
	const guint8 *e = body_of(BLOCK(b, 2));
	g_assert_cmpuint(get32(e + 12), ==, 35);
	g_assert_true(memcmp(e + 20, eth, 14) == 0);
	g_assert_true(memcmp(e + 34, p, 21) == 0);
	g_ptr_array_unref(b);
	g_free(p);
	scn_rmtree(tmp);
	g_free(tmp);
	g_free(path);
}

/* An option value has 16 bits of length: a longer comment is cut at a
 * character boundary, never inside a UTF-8 sequence. */
static void test_writer_long_comment(void)
{
	char *tmp = scn_tmpdir(), *path = g_build_filename(tmp, "c.pcapng", NULL);
	GError *error = NULL;
	struct pcapng_out *po = pcapng_out_open(path, PCAP_RAW_IPV4, "t", &error);
	guint8 *p = fake_packet(0, 0);
	GString *c = g_string_new(NULL);

	while (c->len < 65534)
		g_string_append_c(c, 'a');
	g_string_append(c, "\xc3\xa9\xc3\xa9"); /* an e-acute across the limit */
	pcapng_out_add_interface(po, "client", "c");
	pcapng_out_write(po, 0, 0, p, 20, c->str);
	g_assert_true(pcapng_out_commit(po, &error));
	GPtrArray *b = ng_read(path);
	char *got = option_text(BLOCK(b, 2), 1);
	g_assert_cmpuint(strlen(got), ==, 65534);
	g_assert_true(g_utf8_validate(got, -1, NULL));
	g_free(got);
	g_ptr_array_unref(b);
	g_string_free(c, TRUE);
	g_free(p);
	scn_rmtree(tmp);
	g_free(tmp);
	g_free(path);
}

/* An abandoned writer leaves nothing behind. */
static void test_writer_abandon(void)
{
	char *tmp = scn_tmpdir(), *path = g_build_filename(tmp, "a.pcapng", NULL);
	GError *error = NULL;
	struct pcapng_out *po = pcapng_out_open(path, PCAP_RAW_IPV4, "t", &error);

	pcapng_out_add_interface(po, "client", "c");
	pcapng_out_abandon(po);
	g_assert_true(scn_absent_or_empty(tmp));
	g_assert_null(pcapng_out_open("/nonexistent-dir/x.pcapng", PCAP_RAW_IPV4, "t", &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_error_free(error);
	scn_rmtree(tmp);
	g_free(tmp);
	g_free(path);
}

/* --- the comments: sim/out/annotate.c on synthetic events --- */

struct emitted {
	guint32 iface;
	gint64 t;
	char *comment;
};

static void emitted_free(gpointer p)
{
	g_free(((struct emitted *)p)->comment);
	g_free(p);
}

static void collect(void *ctx, uint32_t iface, sim_time t, const uint8_t *packet, uint32_t len,
		    const char *comment)
{
	struct emitted *e = g_new(struct emitted, 1);

	(void)packet;
	(void)len;
	e->iface = iface;
	e->t = t;
	e->comment = g_strdup(comment);
	g_ptr_array_add(ctx, e);
}

#define MS G_GINT64_CONSTANT(1000000)

/* A client-to-server (or back) segment event. */
static struct net_packet_event seg_event(struct packet_view *pv, gint64 t, enum net_role at,
					 gboolean outgoing, gboolean from_client, guint32 seq,
					 guint8 flags, guint32 len)
{
	memset(pv, 0, sizeof(*pv));
	pv->kind = PACKET_TCP;
	pv->tcp.saddr = from_client ? 0x0a000001 : 0x0a000002;
	pv->tcp.daddr = from_client ? 0x0a000002 : 0x0a000001;
	pv->tcp.sport = from_client ? 40000 : 8080;
	pv->tcp.dport = from_client ? 8080 : 40000;
	pv->tcp.seq = seq;
	pv->tcp.flags = flags;
	pv->tcp.len = len;
	pv->ip_id = (guint16)(seq + (from_client ? 0 : 0x8000));
	return (struct net_packet_event){.t = t, .at = at, .outgoing = outgoing, .pv = pv,
					 .conn_id = 1, .fate = LINK_DELIVER,
					 .pair_id = pv->ip_id}; /* pairs a send with its arrival */
}

static struct net_state_event state_event(gint64 t, enum net_role role, guint64 conn,
					  enum tcp_state from, enum tcp_state to)
{
	return (struct net_state_event){.t = t, .role = role, .conn_id = conn, .from = from, .to = to};
}

static const struct emitted *nth(GPtrArray *out, guint i)
{
	g_assert_cmpuint(i, <, out->len);
	return g_ptr_array_index(out, i);
}

/* Rule 1: a change goes on the packet the endpoint sends at that instant
 * (the SYN of CLOSED -> SYN_SENT); rule 2: with none after it, on the one
 * that came before at that instant (the ACK that ends LAST_ACK). */
static void test_annotate_same_instant(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(emitted_free);
	struct annotate *a = annotate_new(collect, out);
	struct packet_view pv;
	struct net_state_event s = state_event(0, NET_CLIENT, 1, TCP_CLOSED, TCP_SYN_SENT);
	struct net_packet_event e;
	const guint8 bytes[20] = {0x45};

	annotate_state(a, &s);
	e = seg_event(&pv, 0, NET_CLIENT, TRUE, TRUE, 100, TCP_SYN, 0);
	annotate_packet(a, &e, bytes, sizeof bytes);
	e = seg_event(&pv, 10 * MS, NET_SERVER, FALSE, TRUE, 100, TCP_SYN, 0);
	annotate_packet(a, &e, bytes, sizeof bytes);
	s = state_event(10 * MS, NET_SERVER, 1, TCP_LAST_ACK, TCP_CLOSED);
	annotate_state(a, &s);
	e = seg_event(&pv, 20 * MS, NET_CLIENT, TRUE, TRUE, 101, TCP_ACK, 0);
	annotate_packet(a, &e, bytes, sizeof bytes);
	g_assert_cmpuint(annotate_finish(a), ==, 0);
	g_assert_cmpuint(out->len, ==, 3);
	g_assert_cmpstr(nth(out, 0)->comment, ==, "client CLOSED -> SYN_SENT");
	g_assert_cmpuint(nth(out, 1)->iface, ==, 1);
	g_assert_cmpstr(nth(out, 1)->comment, ==, "server LAST_ACK -> CLOSED");
	g_assert_cmpstr(nth(out, 2)->comment, ==, "");
	annotate_free(a);
	g_ptr_array_unref(out);
}

/* Rule 3: a change at an instant without a packet (a timer) goes on the
 * endpoint's last packet, with how much later; packets still come out in
 * the order they were seen.  Rule 4: before any packet, on the next one. */
static void test_annotate_timer_changes(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(emitted_free);
	struct annotate *a = annotate_new(collect, out);
	struct packet_view pv;
	struct net_state_event s = state_event(5 * MS, NET_SERVER, 1, TCP_CLOSED, TCP_LISTEN);
	struct net_packet_event e;
	const guint8 bytes[20] = {0x45};

	annotate_state(a, &s); /* rule 4: the server has no packet yet */
	e = seg_event(&pv, 10 * MS, NET_CLIENT, TRUE, TRUE, 1, TCP_ACK, 0);
	annotate_packet(a, &e, bytes, sizeof bytes);
	e = seg_event(&pv, 20 * MS, NET_SERVER, FALSE, TRUE, 1, TCP_ACK, 0);
	annotate_packet(a, &e, bytes, sizeof bytes);
	s = state_event(60010 * MS, NET_CLIENT, 2, TCP_TIME_WAIT, TCP_CLOSED);
	annotate_state(a, &s); /* rule 3, the connection number from #2 on */
	e = seg_event(&pv, 70000 * MS, NET_SERVER, TRUE, FALSE, 1, TCP_ACK, 0);
	annotate_packet(a, &e, bytes, sizeof bytes);
	g_assert_cmpuint(annotate_finish(a), ==, 0);
	g_assert_cmpuint(out->len, ==, 3);
	g_assert_cmpint(nth(out, 0)->t, ==, 10 * MS); /* in event order */
	g_assert_cmpint(nth(out, 1)->t, ==, 20 * MS);
	g_assert_cmpint(nth(out, 2)->t, ==, 70000 * MS);
	g_assert_cmpstr(nth(out, 0)->comment, ==, "60.000000 s later: client #2 TIME_WAIT -> CLOSED");
	g_assert_cmpstr(nth(out, 1)->comment, ==, "0.015000 s earlier: server CLOSED -> LISTEN");
	annotate_free(a);
	g_ptr_array_unref(out);
}

/* A change at an interface that never sees a packet finds no place. */
static void test_annotate_unplaced(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(emitted_free);
	struct annotate *a = annotate_new(collect, out);
	struct net_state_event s = state_event(0, NET_SERVER, 1, TCP_CLOSED, TCP_SYN_RCVD);

	annotate_state(a, &s);
	g_assert_cmpuint(annotate_finish(a), ==, 1);
	g_assert_cmpuint(out->len, ==, 0);
	annotate_free(a);
	g_ptr_array_unref(out);
}

/* The k-th resend of a segment and the sender's RTO; drops; copies. */
static void test_annotate_packet_facts(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(emitted_free);
	struct annotate *a = annotate_new(collect, out);
	struct packet_view pv;
	struct net_packet_event e;
	const guint8 bytes[20] = {0x45};

	e = seg_event(&pv, 0, NET_CLIENT, TRUE, TRUE, 1, TCP_ACK | TCP_PSH, 10);
	e.fate = LINK_DROP_LOSS;
	annotate_packet(a, &e, bytes, sizeof bytes);
	e = seg_event(&pv, 400 * MS, NET_CLIENT, TRUE, TRUE, 1, TCP_ACK | TCP_PSH, 10);
	e.retransmission = true, e.why = TCP_SEND_RTO, e.rto = 800 * MS, e.fate = LINK_DROP_QUEUE;
	annotate_packet(a, &e, bytes, sizeof bytes);
	e = seg_event(&pv, 1200 * MS, NET_CLIENT, TRUE, TRUE, 1, TCP_ACK | TCP_PSH, 10);
	e.retransmission = true, e.why = TCP_SEND_RTO, e.rto = 1600 * MS;
	annotate_packet(a, &e, bytes, sizeof bytes);
	e = seg_event(&pv, 1210 * MS, NET_SERVER, FALSE, TRUE, 1, TCP_ACK | TCP_PSH, 10);
	e.retransmission = true, e.why = TCP_SEND_RTO;
	annotate_packet(a, &e, bytes, sizeof bytes);
	e.duplicate = true, e.t = 1215 * MS;
	annotate_packet(a, &e, bytes, sizeof bytes);
	e = seg_event(&pv, 1300 * MS, NET_SERVER, TRUE, FALSE, 1, TCP_ACK, 0);
	e.why = TCP_SEND_PROBE, e.retransmission = true, e.rto = 200 * MS;
	annotate_packet(a, &e, bytes, sizeof bytes);
	annotate_finish(a);
	g_assert_cmpuint(out->len, ==, 6);
	g_assert_cmpstr(nth(out, 0)->comment, ==, "dropped by the network (loss)");
	g_assert_cmpstr(nth(out, 1)->comment, ==,
			"retransmission #1 after a timeout (RTO 800 ms); dropped by the network (queue full)");
	g_assert_cmpstr(nth(out, 2)->comment, ==, "retransmission #2 after a timeout (RTO 1.6 s)");
	g_assert_cmpstr(nth(out, 3)->comment, ==, "retransmission #2 after a timeout");
	g_assert_cmpstr(nth(out, 4)->comment, ==,
			"retransmission #2 after a timeout; duplicated by the network (second copy)");
	g_assert_cmpstr(nth(out, 5)->comment, ==, "tail loss probe (retransmission #1, RTO 200 ms)");
	annotate_free(a);
	g_ptr_array_unref(out);
}

/* An arrival behind a packet its sender sent later: how long it flew. */
static void test_annotate_reordering(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(emitted_free);
	struct annotate *a = annotate_new(collect, out);
	struct packet_view pv1, pv2;
	struct net_packet_event e1, e2;
	const guint8 bytes[20] = {0x45};

	e1 = seg_event(&pv1, 0, NET_CLIENT, TRUE, TRUE, 1, TCP_ACK, 10);
	annotate_packet(a, &e1, bytes, sizeof bytes);
	e2 = seg_event(&pv2, 1 * MS, NET_CLIENT, TRUE, TRUE, 11, TCP_ACK, 10);
	annotate_packet(a, &e2, bytes, sizeof bytes);
	e2.at = NET_SERVER, e2.outgoing = false, e2.t = 20 * MS, e2.reordered = true;
	annotate_packet(a, &e2, bytes, sizeof bytes);
	e1.at = NET_SERVER, e1.outgoing = false, e1.t = 52 * MS;
	annotate_packet(a, &e1, bytes, sizeof bytes);
	annotate_finish(a);
	g_assert_cmpstr(nth(out, 2)->comment, ==, "reordered: overtook a packet sent earlier");
	g_assert_cmpstr(nth(out, 3)->comment, ==,
			"delayed 52 ms in flight (reordered): arrived after a packet sent later");
	annotate_free(a);
	g_ptr_array_unref(out);
}

/* --- every shipped config, end to end --- */

/* tshark -r in -Y filter -w out: the packets of one interface alone. */
static void tshark_export(const char *in, const char *filter, const char *out)
{
	char *argv[] = {g_strdup("tshark"), g_strdup("-n"), g_strdup("-r"), g_strdup(in),
			g_strdup("-Y"), g_strdup(filter), g_strdup("-w"), g_strdup(out), NULL};
	GError *error = NULL;
	char *err = NULL;
	int status = 0;

	g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
		     NULL, NULL, NULL, &err, &status, &error);
	for (char **a = argv; *a; a++)
		g_free(*a);
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, &error))
		g_test_message("tshark export: %s", err);
	g_assert_no_error(error);
	g_free(err);
}

static char **fields(const char *file, const char *filter, const char *const *names)
{
	GError *error = NULL;
	char **lines = tshark_fields(file, filter, names, &error);

	g_assert_no_error(error);
	return lines;
}

/* What Wireshark's TCP analysis says about each packet, one line each. */
static const char *const analysis_fields[] = {
	"frame.time_epoch", "ip.src", "ip.dst", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags",
	"tcp.len", "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
	"tcp.analysis.out_of_order", "tcp.analysis.spurious_retransmission",
	"tcp.analysis.duplicate_ack_num", "tcp.analysis.lost_segment",
	"tcp.analysis.ack_lost_segment", "icmp.type", NULL,
};

/* The number of packet events at each interface, and their order. */
/* A packet event of the wire: a packet event, not one held for an ARP
 * reply that never came (fate "unresolved": never sent, in no capture). */
static gboolean wire_event(const struct scn_json *v)
{
	return g_strcmp0(scn_json_str(v, "event"), "packet") == 0 &&
	       g_strcmp0(scn_json_str(v, "fate"), "unresolved") != 0;
}

static GString *event_interfaces(GPtrArray *events, guint *at_client, guint *at_server)
{
	GString *order = g_string_new(NULL);

	*at_client = *at_server = 0;
	for (guint i = 0; i < events->len; i++) {
		const struct scn_json *v = g_ptr_array_index(events, i);

		if (!wire_event(v))
			continue;
		gboolean client = g_strcmp0(scn_json_str(v, "at"), "client") == 0;
		*at_client += client;
		*at_server += !client;
		g_string_append_c(order, client ? '0' : '1');
	}
	return order;
}

/* Every dropped or retransmitted packet event has its words in the
 * comment of its frame (the n-th packet event of the wire is the n-th
 * frame). */
static void check_comments(GPtrArray *events, char *const *comments)
{
	guint frame = 0, drops = 0;

	for (guint i = 0; i < events->len; i++) {
		const struct scn_json *v = g_ptr_array_index(events, i);

		if (!wire_event(v))
			continue;
		const char *fate = scn_json_str(v, "fate");
		const char *c = comments[frame];

		g_assert_nonnull(c);
		if (fate != NULL && strcmp(fate, "deliver") != 0) {
			g_assert_true(strstr(c, "dropped by the network") || strstr(c, "not forwarded") ||
				      strstr(c, "dropped beyond the router"));
			drops++;
		}
		if (strcmp(scn_json_get(v, "retransmission")->text, "true") == 0 &&
		    g_strcmp0(scn_json_str(v, "kind"), "tcp") == 0)
			g_assert_true(strstr(c, "retransmi") || strstr(c, "probe"));
		frame++;
	}
	g_assert_null(comments[frame]);
}

/* Every state change's words appear in some comment. */
static void check_states_placed(GPtrArray *events, const char *all_comments,
				guint at_client, guint at_server)
{
	for (guint i = 0; i < events->len; i++) {
		const struct scn_json *v = g_ptr_array_index(events, i);

		if (g_strcmp0(scn_json_str(v, "event"), "state") != 0)
			continue;
		const char *role = scn_json_str(v, "role");
		if ((strcmp(role, "client") == 0 ? at_client : at_server) == 0)
			continue; /* no packet at that interface: nowhere to go */
		char *words = g_strdup_printf("%s -> %s", scn_json_str(v, "from"), scn_json_str(v, "to"));
		if (strstr(all_comments, words) == NULL)
			g_test_message("no comment says %s %s", role, words);
		g_assert_nonnull(strstr(all_comments, words));
		g_free(words);
	}
}

static void test_config(gconstpointer data)
{
	const char *config = data;
	const char *const *extra = out_config_args(config);
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	static const char *const mine[] = {"--json", "--events", "{tmp}/events.jsonl", "--format",
					   "pcapng", NULL};
	struct out_run ng, classic;

	for (guint i = 0; extra[i]; i++)
		g_ptr_array_add(args, g_strdup(extra[i]));
	for (guint i = 0; mine[i]; i++)
		g_ptr_array_add(args, g_strdup(mine[i]));
	g_ptr_array_add(args, NULL);
	out_run(&ng, config, (const char *const *)args->pdata, TRUE);
	out_run(&classic, config, extra, TRUE);
	char *pcapng = g_build_filename(ng.dir, "trace.pcapng", NULL);
	char *pcap = g_build_filename(classic.dir, "trace.pcap", NULL);
	char *events_path = out_path(&ng, "events.jsonl");
	g_assert_cmpstr(scn_json_str(ng.json, "files.pcapng"), ==, pcapng);
	g_assert_null(scn_json_get(ng.json, "files.pcap"));
	g_assert_true(g_file_test(pcap, G_FILE_TEST_EXISTS));

	/* the blocks: SHB, the two interfaces, one EPB per packet event */
	GPtrArray *events = out_read_jsonl(events_path);
	guint at_client, at_server;
	GString *order = event_interfaces(events, &at_client, &at_server);
	GPtrArray *blocks = ng_read(pcapng);
	g_assert_cmpuint(blocks->len, ==, 3 + at_client + at_server);
	char *n1 = option_text(BLOCK(blocks, 1), 2), *n2 = option_text(BLOCK(blocks, 2), 2);
	g_assert_cmpstr(n1, ==, "client");
	g_assert_cmpstr(n2, ==, "server");

	/* tshark: the same interfaces in the same order, nothing malformed,
	 * and the comments */
	const char *const f[] = {"frame.interface_id", "_ws.malformed", "_ws.expert.message",
				 "ip.checksum.status", "frame.comment", "arp.opcode", NULL};
	char **lines = fields(pcapng, NULL, f);
	GString *ids = g_string_new(NULL);
	GPtrArray *comments = g_ptr_array_new_with_free_func(g_free);
	for (char **l = lines; *l; l++) {
		char **v = g_strsplit(*l, "\t", -1);
		g_string_append(ids, v[0]);
		g_assert_cmpstr(v[1], ==, "");
		g_assert_null(strstr(v[2], "Malformed"));
		if (v[5][0] == '\0') /* IPv4, not ARP; ICMP quotes a header */
			g_assert_true(g_regex_match_simple("^1(,1)*$", v[3], 0, 0));
		g_ptr_array_add(comments, g_strdup(v[4]));
		g_strfreev(v);
	}
	g_ptr_array_add(comments, NULL);
	g_assert_cmpstr(ids->str, ==, order->str);
	char *all = g_strjoinv("\n", (char **)comments->pdata);
	check_comments(events, (char **)comments->pdata);
	check_states_placed(events, all, at_client, at_server);

	/* the capture point's interface alone: Wireshark's analysis of the
	 * classic capture, packet for packet */
	char *point = g_strdup_printf("frame.interface_id == %d",
				      g_strcmp0(scn_json_str(ng.json, "capture.point"), "server") == 0);
	char *alone = out_path(&ng, "alone.pcapng");
	tshark_export(pcapng, point, alone);
	char **got = fields(alone, NULL, analysis_fields), **want = fields(pcap, NULL, analysis_fields);
	char *got_s = g_strjoinv("\n", got), *want_s = g_strjoinv("\n", want);
	g_assert_cmpstr(got_s, ==, want_s);

	g_free(got_s);
	g_free(want_s);
	g_strfreev(got);
	g_strfreev(want);
	g_free(alone);
	g_free(point);
	g_free(all);
	g_ptr_array_unref(comments);
	g_strfreev(lines);
	g_string_free(ids, TRUE);
	g_free(n1);
	g_free(n2);
	g_ptr_array_unref(blocks);
	g_string_free(order, TRUE);
	g_ptr_array_unref(events);
	g_free(events_path);
	g_free(pcap);
	g_free(pcapng);
	out_run_clear(&ng);
	out_run_clear(&classic);
	g_ptr_array_free(args, TRUE);
}

/* lossy_close: the comments a student should see, as tshark shows them. */
static void test_lossy_close_comments(void)
{
	const char *const args[] = {"--format", "pcapng", NULL};
	struct out_run r;
	const char *const f[] = {"frame.comment", NULL};

	out_run(&r, "configs/lossy_close.ini", args, TRUE);
	char *pcapng = g_build_filename(r.dir, "trace.pcapng", NULL);
	char **c = fields(pcapng, "frame.comment", f);
	char *all = g_strjoinv("\n", c);
	g_assert_nonnull(strstr(all, "client CLOSED -> SYN_SENT"));
	g_assert_nonnull(strstr(all, "dropped by the network (loss); client FIN_WAIT_1 -> TIME_WAIT"));
	/* the server's RTO from its samples of 46.867 and 28.781 ms, in
	 * tcp_rtt_estimator()'s microseconds: SRTT 44.606 ms, mdev 88.387 ms,
	 * rttvar at its 200 ms floor; 244.606 ms in whole 4 ms jiffies (HZ=250,
	 * rounding up) is 62 jiffies: 248 ms, printed with %g */
	g_assert_nonnull(strstr(all, "tail loss probe (retransmission #1, RTO 248 ms)"));
	g_assert_nonnull(strstr(all, "s later: client TIME_WAIT -> CLOSED"));
	g_assert_nonnull(strstr(all, "server LAST_ACK -> CLOSED"));
	g_free(all);
	g_strfreev(c);
	g_free(pcapng);
	out_run_clear(&r);
}

/* The same seed gives the same bytes. */
static void test_deterministic(void)
{
	const char *const args[] = {"--format", "pcapng", "-q", NULL};
	struct out_run a, b;
	char *pa, *pb, *da, *db;
	gsize na, nb;

	out_run(&a, "configs/lossy_close.ini", args, TRUE);
	out_run(&b, "configs/lossy_close.ini", args, TRUE);
	pa = g_build_filename(a.dir, "trace.pcapng", NULL);
	pb = g_build_filename(b.dir, "trace.pcapng", NULL);
	g_assert_true(g_file_get_contents(pa, &da, &na, NULL));
	g_assert_true(g_file_get_contents(pb, &db, &nb, NULL));
	g_assert_cmpuint(na, ==, nb);
	g_assert_true(memcmp(da, db, na) == 0);
	g_free(da);
	g_free(db);
	g_free(pa);
	g_free(pb);
	out_run_clear(&a);
	out_run_clear(&b);
}

/* --format takes pcap or pcapng; anything else is a usage error. */
static void test_format_option(void)
{
	const char *const bad[] = {"--format", "pcap-ng", NULL};
	const char *const pcap[] = {"--format", "pcap", "-q", NULL};
	struct out_run r;

	out_run(&r, "configs/lossy_close.ini", bad, FALSE);
	g_assert_cmpint(r.run.status, ==, 2);
	g_assert_nonnull(strstr(r.run.err, "--format pcap-ng"));
	g_assert_true(scn_absent_or_empty(r.dir));
	out_run_clear(&r);
	out_run(&r, "configs/lossy_close.ini", pcap, TRUE);
	char *p = g_build_filename(r.dir, "trace.pcap", NULL), *ng = g_build_filename(r.dir, "trace.pcapng", NULL);
	g_assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(ng, G_FILE_TEST_EXISTS));
	g_free(p);
	g_free(ng);
	out_run_clear(&r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pcapng/writer/blocks", test_writer_blocks);
	g_test_add_func("/pcapng/writer/ethernet", test_writer_ethernet);
	g_test_add_func("/pcapng/writer/long-comment", test_writer_long_comment);
	g_test_add_func("/pcapng/writer/abandon", test_writer_abandon);
	g_test_add_func("/pcapng/comments/same-instant", test_annotate_same_instant);
	g_test_add_func("/pcapng/comments/timer-changes", test_annotate_timer_changes);
	g_test_add_func("/pcapng/comments/unplaced", test_annotate_unplaced);
	g_test_add_func("/pcapng/comments/packet-facts", test_annotate_packet_facts);
	g_test_add_func("/pcapng/comments/reordering", test_annotate_reordering);
	g_test_add_func("/pcapng/run/lossy-close-comments", test_lossy_close_comments);
	g_test_add_func("/pcapng/run/deterministic", test_deterministic);
	g_test_add_func("/pcapng/run/format-option", test_format_option);
	out_add_config_tests("/pcapng/config", test_config);
	return g_test_run();
}
