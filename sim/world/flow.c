/*
 * Data integrity: every byte an application reads is compared with the byte
 * its peer's application wrote at that position of the same connection.
 * A segment of an older incarnation accepted into a new one (the hazard
 * TIME_WAIT exists to prevent) shows up here as corrupted bytes; a stream
 * read to end of file with bytes missing shows up as short.
 */
#include <string.h>
#include <glib.h>
#include "sim/world/net_int.h"

/* Forgets a stream's bytes; keeps its memory unless it grew large. */
static void stream_retire(struct stream *s)
{
	uint8_t *data = s->cap <= 4096 ? s->data : NULL;
	uint32_t cap = data ? s->cap : 0;
	if (!data)
		g_free(s->data);
	memset(s, 0, sizeof *s);
	s->data = data;
	s->cap = cap;
}

struct flow_pair *flow_new(struct flow_list *l)
{
	struct flow_pair *f = l->free;
	if (f) {
		l->free = f->next;
		struct stream keep[NET_ROLES] = {f->dir[0], f->dir[1]};
		memset(f, 0, sizeof *f);
		memcpy(f->dir, keep, sizeof keep);
	} else {
		f = g_new0(struct flow_pair, 1);
	}
	f->refs = 1;
	f->id = ++l->next_id;
	f->next = l->head;
	if (l->head)
		l->head->prev = f;
	l->head = f;
	return f;
}

struct flow_pair *flow_ref(struct flow_pair *f)
{
	if (f)
		f->refs++;
	return f;
}

static void stream_verdict(const struct stream *s, struct net_stats *stats)
{
	stats->corrupted_bytes += s->corrupted;
	if (s->eof_seen && s->read < s->written)
		stats->short_streams++;
}

static void flow_destroy(struct flow_list *l, struct flow_pair *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		l->head = f->next;
	if (f->next)
		f->next->prev = f->prev;
	for (int r = 0; r < NET_ROLES; r++)
		stream_retire(&f->dir[r]);
	f->prev = NULL;
	f->next = l->free;
	l->free = f;
}

bool flow_unref(struct flow_list *l, struct flow_pair *f, struct net_stats *stats)
{
	if (!f || --f->refs > 0)
		return false;
	for (int r = 0; r < NET_ROLES; r++)
		stream_verdict(&f->dir[r], stats);
	flow_destroy(l, f);
	return true;
}

void flow_judge_live(const struct flow_list *l, struct net_stats *stats)
{
	for (const struct flow_pair *f = l->head; f; f = f->next)
		for (int r = 0; r < NET_ROLES; r++)
			stream_verdict(&f->dir[r], stats);
}

void flow_free_all(struct flow_list *l)
{
	struct flow_pair *lists[] = {l->head, l->free}; /* live ones, then recycled */
	for (size_t k = 0; k < G_N_ELEMENTS(lists); k++) {
		struct flow_pair *next;
		for (struct flow_pair *f = lists[k]; f; f = next) {
			next = f->next;
			for (int r = 0; r < NET_ROLES; r++)
				g_free(f->dir[r].data);
			g_free(f);
		}
	}
	l->head = l->free = NULL;
}

void stream_write(struct stream *s, const uint8_t *data, uint32_t len)
{
	uint32_t taken = s->ahead < len ? (uint32_t)s->ahead : len; /* their places were read */
	s->ahead -= taken;
	s->written += taken;
	data += taken;
	len -= taken;
	if (len == 0)
		return;
	if (s->head + s->len + len > s->cap) {
		if (s->len > 0) /* memmove from a NULL buffer is undefined, even for 0 bytes */
			memmove(s->data, s->data + s->head, s->len);
		s->head = 0;
		if (s->len + len > s->cap) {
			s->cap = (s->len + len) * 2;
			s->data = g_realloc(s->data, s->cap);
		}
	}
	memcpy(s->data + s->head + s->len, data, len);
	s->len += len;
	s->written += len;
}

void stream_read(struct stream *s, const uint8_t *data, uint32_t len)
{
	uint32_t n = len < s->len ? len : s->len;
	const uint8_t *want = s->data + s->head;
	if (n > 0 && memcmp(data, want, n) != 0) /* count the differing bytes only then */
		for (uint32_t i = 0; i < n; i++)
			s->corrupted += data[i] != want[i];
	s->corrupted += len - n; /* more than was ever written */
	s->ahead += len - n;
	s->head += n;
	s->len -= n;
	s->read += len;
}
