/*
 * A free-list allocator of fixed-size objects: objects are carved out of
 * large blocks and recycled, so the hot path (a packet in flight, a
 * connection) never calls malloc once the pool has grown to its working
 * size.  Memory is returned only by sim_pool_clear().
 */
#ifndef SIM_ENGINE_POOL_H
#define SIM_ENGINE_POOL_H

#include <stddef.h>
#include <stdint.h>

struct sim_pool {
	size_t obj_size;      /* bytes per object, rounded up to 16 */
	size_t per_block;     /* objects carved from each block */
	void *free_list;      /* recycled objects, linked through their first word */
	void **blocks;        /* every block allocated, for sim_pool_clear() */
	size_t n_blocks;      /* blocks in use */
	size_t cap_blocks;    /* capacity of blocks[] */
	size_t in_use;        /* objects handed out and not yet returned */
	size_t peak;          /* largest in_use seen */
};

void sim_pool_init(struct sim_pool *p, size_t obj_size);
void *sim_pool_get(struct sim_pool *p);   /* zero-filled object */
/* An object whose first `zero` bytes are zero-filled and the rest left as
 * they are: for objects that end in a buffer filled before it is read (a
 * packet's payload, where zeroing 1,460 bytes cost more than the rest of
 * the packet's life in the pool). */
void *sim_pool_get_head(struct sim_pool *p, size_t zero);
void sim_pool_put(struct sim_pool *p, void *obj);
void sim_pool_clear(struct sim_pool *p);

#endif
