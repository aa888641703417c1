/*
 * A free-list allocator of fixed-size objects.
 *
 * Model: memory comes in blocks of POOL_BLOCK_OBJECTS objects; a new block
 * is threaded whole onto the free list, and objects go back onto the list
 * when put.  A free object's first word links to the next free object,
 * which is why objects are at least one pointer long; sizes are rounded up
 * to 16 so every object keeps the 16-byte alignment of its block.
 *
 * Invariants: in_use counts objects handed out and not yet put back;
 * peak >= in_use; every object on the free list lies in one of blocks[].
 * The list is LIFO, so the object put last is handed out next while it is
 * still warm in the cache.
 */
#include "sim/engine/pool.h"

#include <glib.h>
#include <string.h>

#define POOL_BLOCK_OBJECTS 256
#define POOL_ALIGN 16

void sim_pool_init(struct sim_pool *p, size_t obj_size)
{
	g_assert(obj_size > 0);
	g_assert(obj_size <= G_MAXSIZE / POOL_BLOCK_OBJECTS - POOL_ALIGN);
	*p = (struct sim_pool){
		.obj_size = (obj_size + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1),
		.per_block = POOL_BLOCK_OBJECTS,
	};
}

/* Allocates one more block and threads all its objects onto the free list,
 * the first object at the head. */
static void add_block(struct sim_pool *p)
{
	char *block = g_malloc(p->obj_size * p->per_block);

	if (p->n_blocks == p->cap_blocks) {
		p->cap_blocks = p->cap_blocks ? 2 * p->cap_blocks : 8;
		p->blocks = g_renew(void *, p->blocks, p->cap_blocks);
	}
	p->blocks[p->n_blocks++] = block;
	for (size_t i = p->per_block; i-- > 0;) {
		void *obj = block + i * p->obj_size;
		*(void **)obj = p->free_list;
		p->free_list = obj;
	}
}

void *sim_pool_get_head(struct sim_pool *p, size_t zero)
{
	g_assert(p->obj_size > 0); /* initialised? */
	g_assert(zero >= sizeof(void *) && zero <= p->obj_size); /* the free-list link goes */
	if (!p->free_list)
		add_block(p);
	void *obj = p->free_list;
	p->free_list = *(void **)obj;
	memset(obj, 0, zero);
	if (++p->in_use > p->peak)
		p->peak = p->in_use;
	return obj;
}

void *sim_pool_get(struct sim_pool *p)
{
	return sim_pool_get_head(p, p->obj_size);
}

/* Like free(), putting NULL does nothing. */
void sim_pool_put(struct sim_pool *p, void *obj)
{
	if (!obj)
		return;
	g_assert(p->in_use > 0); /* more puts than gets: a double put */
	*(void **)obj = p->free_list;
	p->free_list = obj;
	p->in_use--;
}

/* Frees every block, including objects still in use; the pool stays
 * initialised for the same object size and can be used again. */
void sim_pool_clear(struct sim_pool *p)
{
	size_t obj_size = p->obj_size;

	for (size_t i = 0; i < p->n_blocks; i++)
		g_free(p->blocks[i]);
	g_free(p->blocks);
	*p = (struct sim_pool){ .obj_size = obj_size, .per_block = POOL_BLOCK_OBJECTS };
}
