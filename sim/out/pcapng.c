/*
 * The pcapng writer.  Each block is assembled in a GByteArray (header,
 * body, options, trailing length) and written with one fwrite(); the
 * stream is buffered by sim/out/outfile.c.
 *
 * Layout of the blocks written (all fields little-endian, every block and
 * every option value padded to a multiple of 4 bytes):
 *   SHB: type, length, magic 0x1A2B3C4D, version 1.0, section length -1
 *        (unknown), shb_userappl, opt_endofopt, length
 *   IDB: type, length, link type, reserved 0, snap length 0 (no limit),
 *        if_name, if_description, if_tsresol = 9, opt_endofopt, length
 *   EPB: type, length, interface id, timestamp high and low 32 bits,
 *        captured length, original length, frame, [opt_comment,
 *        opt_endofopt,] length
 *
 * Invariant: no packet is written before every interface is declared
 * (an EPB may only name an interface already described).
 */
#include "sim/out/pcapng.h"

#include <string.h>
#include "sim/out/outfile.h"

enum {
	BLOCK_OVERHEAD = 12, /* type, length, and the length again */
};

struct pcapng_out {
	struct outfile *of;      /* the temporary file and its stream */
	enum pcap_framing framing;
	uint32_t interfaces;     /* IDBs written */
	bool packets_started;    /* an EPB was written: no more IDBs */
	GByteArray *block;       /* the block being assembled */
};

static void put16(GByteArray *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	g_byte_array_append(b, x, sizeof x);
}

static void put32(GByteArray *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	g_byte_array_append(b, x, sizeof x);
}

static void pad4(GByteArray *b)
{
	static const uint8_t zero[3];
	g_byte_array_append(b, zero, (4 - b->len % 4) % 4);
}

/* One option: code, length, value padded to 4 bytes. */
static void put_option(GByteArray *b, uint16_t code, const void *value, uint16_t len)
{
	put16(b, code);
	put16(b, len);
	g_byte_array_append(b, value, len);
	pad4(b);
}

/* A text option, cut at a UTF-8 character boundary if it is too long. */
static void put_text_option(GByteArray *b, uint16_t code, const char *text)
{
	size_t len = strlen(text);
	if (len > PCAPNG_MAX_OPTION) {
		const char *end = g_utf8_find_prev_char(text, text + PCAPNG_MAX_OPTION + 1);
		len = end ? (size_t)(end - text) : 0;
	}
	put_option(b, code, text, (uint16_t)len);
}

static void end_options(GByteArray *b)
{
	put16(b, PCAPNG_OPT_ENDOFOPT);
	put16(b, 0);
}

static void begin_block(GByteArray *b, uint32_t type)
{
	g_byte_array_set_size(b, 0);
	put32(b, type);
	put32(b, 0); /* the length, filled in by finish_block() */
}

/* Fills in the total length at both ends and writes the block. */
static void finish_block(struct pcapng_out *po)
{
	GByteArray *b = po->block;
	g_assert(b->len % 4 == 0);
	uint32_t total = b->len + 4;
	put32(b, total);
	b->data[4] = (uint8_t)total;
	b->data[5] = (uint8_t)(total >> 8);
	b->data[6] = (uint8_t)(total >> 16);
	b->data[7] = (uint8_t)(total >> 24);
	fwrite(b->data, 1, b->len, outfile_stream(po->of));
}

static void write_shb(struct pcapng_out *po, const char *app)
{
	GByteArray *b = po->block;
	begin_block(b, PCAPNG_SHB);
	put32(b, PCAPNG_BYTE_ORDER_MAGIC);
	put16(b, 1); /* major version */
	put16(b, 0); /* minor version */
	put32(b, 0xFFFFFFFFu); /* section length: -1, not given */
	put32(b, 0xFFFFFFFFu);
	put_text_option(b, PCAPNG_SHB_USERAPPL, app);
	end_options(b);
	finish_block(po);
}

struct pcapng_out *pcapng_out_open(const char *path, enum pcap_framing framing, const char *app,
                                   GError **error)
{
	struct outfile *of = outfile_open(path, error);
	if (of == NULL)
		return NULL;
	struct pcapng_out *po = g_new0(struct pcapng_out, 1);
	po->of = of;
	po->framing = framing;
	po->block = g_byte_array_sized_new(256);
	write_shb(po, app);
	return po;
}

uint32_t pcapng_out_add_interface(struct pcapng_out *po, const char *name, const char *description)
{
	static const uint8_t nanoseconds = 9;
	GByteArray *b = po->block;

	g_assert(!po->packets_started);
	begin_block(b, PCAPNG_IDB);
	put16(b, po->framing == PCAP_ETHERNET ? PCAPNG_LINKTYPE_ETHERNET : PCAPNG_LINKTYPE_RAW);
	put16(b, 0); /* reserved */
	put32(b, 0); /* snap length: no limit */
	put_text_option(b, PCAPNG_IF_NAME, name);
	put_text_option(b, PCAPNG_IF_DESCRIPTION, description);
	put_option(b, PCAPNG_IF_TSRESOL, &nanoseconds, 1);
	end_options(b);
	finish_block(po);
	return po->interfaces++;
}

void pcapng_out_write(struct pcapng_out *po, uint32_t iface, sim_time t, const uint8_t *frame,
                      uint32_t len, const char *comment)
{
	GByteArray *b = po->block;

	g_assert(iface < po->interfaces);
	g_assert(t >= 0);
	po->packets_started = true;
	begin_block(b, PCAPNG_EPB);
	put32(b, iface);
	put32(b, (uint32_t)((uint64_t)t >> 32));
	put32(b, (uint32_t)t);
	put32(b, len); /* captured: all of it */
	put32(b, len); /* original */
	g_byte_array_append(b, frame, len);
	pad4(b);
	if (comment != NULL && comment[0] != '\0') {
		put_text_option(b, PCAPNG_OPT_COMMENT, comment);
		end_options(b);
	}
	finish_block(po);
}

static void free_writer(struct pcapng_out *po)
{
	g_byte_array_unref(po->block);
	g_free(po);
}

bool pcapng_out_commit(struct pcapng_out *po, GError **error)
{
	bool ok = outfile_commit(po->of, error);
	free_writer(po);
	return ok;
}

void pcapng_out_abandon(struct pcapng_out *po)
{
	outfile_abandon(po->of);
	free_writer(po);
}
