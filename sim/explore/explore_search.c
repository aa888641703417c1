/*
 * The enumeration (explore.h): the fault-free run, then under each first
 * fault its subtree, depth first, on worker threads; the units' results
 * merged in unit order.
 */
#include "sim/explore/explore_int.h"

#include <string.h>

/* Fewer faults first, then the earlier: by segment, then by action. */
static bool placement_less(const struct explore_placement *a, const struct explore_placement *b)
{
	if (a->n != b->n)
		return a->n < b->n;
	for (uint32_t i = 0; i < a->n; i++) {
		if (a->at[i].pos != b->at[i].pos)
			return a->at[i].pos < b->at[i].pos;
		if (a->at[i].action != b->at[i].action)
			return a->at[i].action < b->at[i].action;
	}
	return false;
}

static void best_offer(struct explore_best *b, const struct explore_placement *p, uint64_t count)
{
	b->count += count;
	if (!b->found || placement_less(p, &b->p)) {
		b->found = true;
		b->p = *p;
	}
}

static void unit_init(struct explore_unit *u)
{
	memset(u, 0, sizeof *u);
	u->hashes = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	u->outcomes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static void unit_clear(struct explore_unit *u)
{
	if (u->hashes)
		g_array_free(u->hashes, TRUE);
	if (u->outcomes)
		g_hash_table_destroy(u->outcomes);
	memset(u, 0, sizeof *u);
}

static void note(const struct explore *x, struct explore_unit *u, const struct explore_placement *p,
                 const struct explore_exec *e)
{
	u->placements++;
	g_array_append_val(u->hashes, e->hash);
	for (uint32_t i = 0; i < x->n_checks; i++)
		if (e->violated & 1ull << i)
			best_offer(&u->violation[i], p, 1);
	if (!e->outcome)
		return;
	struct explore_best *b = g_hash_table_lookup(u->outcomes, e->outcome);
	if (!b) {
		b = g_new0(struct explore_best, 1);
		g_hash_table_insert(u->outcomes, g_strdup(e->outcome), b);
	}
	best_offer(b, p, 1);
}

void explore_place_fault(const struct explore *x, struct explore_placement *p, uint32_t pos, uint32_t a,
                         int sender, uint32_t rank)
{
	const struct explore_action *act = &x->actions[a];
	static const enum fault_action to_fault[EXPLORE_N_KINDS] = {
		[EXPLORE_DROP] = FAULT_DROP, [EXPLORE_DUPLICATE] = FAULT_DUPLICATE, [EXPLORE_DELAY] = FAULT_DELAY};
	struct explore_fault *f = &p->at[p->n++];
	f->pos = pos;
	f->action = a;
	f->f = (struct fault){.name = x->fault_names[p->n - 1], .action = to_fault[act->kind], .sender = sender,
	                      .kind = FAULT_ANY, .first = rank, .last = rank, .delay = act->delay, .from = 0,
	                      .to = SIM_NEVER};
}

/* p's next fault: action a on segment pos of the run e (p's own). */
static void place(const struct explore *x, struct explore_placement *p, const struct explore_exec *e,
                  uint32_t pos, uint32_t a)
{
	const struct explore_seg *g = &e->segs[pos - 1];
	explore_place_fault(x, p, pos, a, g->sender, g->rank);
}

static void expand(const struct explore *x, struct explore_placement *p, const struct explore_exec *e,
                   struct explore_unit *u);

/* The placement p with one more fault, and its subtree. */
static void visit(const struct explore *x, struct explore_placement *p, const struct explore_exec *parent,
                  uint32_t pos, uint32_t a, struct explore_unit *u)
{
	struct explore_exec child;
	place(x, p, parent, pos, a);
	explore_execute(x, p, &child);
	note(x, u, p, &child);
	expand(x, p, &child, u);
	explore_exec_clear(&child);
	p->n--;
}

static void expand(const struct explore *x, struct explore_placement *p, const struct explore_exec *e,
                   struct explore_unit *u)
{
	if (p->n == x->spec.faults)
		return;
	uint32_t last = MIN(e->n_segs, x->spec.segments);
	for (uint32_t pos = p->n ? p->at[p->n - 1].pos + 1 : 1; pos <= last; pos++)
		for (uint32_t a = 0; a < x->n_actions; a++)
			visit(x, p, e, pos, a, u);
}

uint64_t explore_bound(const struct explore *x)
{
	uint64_t total = 1, choose = 1, power = 1;
	uint64_t n = x->spec.segments, a = x->n_actions;
	for (uint64_t k = 1; k <= x->spec.faults && k <= n; k++) {
		/* C(n, k) = C(n, k - 1) * (n - k + 1) / k, exact at each step */
		if (choose > UINT64_MAX / (n - k + 1) || power > UINT64_MAX / a)
			return UINT64_MAX;
		choose = choose * (n - k + 1) / k;
		power *= a;
		if (power != 0 && choose > UINT64_MAX / power)
			return UINT64_MAX;
		uint64_t term = choose * power;
		if (total > UINT64_MAX - term)
			return UINT64_MAX;
		total += term;
	}
	return total;
}

/* The workers' shared state. */
struct pool {
	const struct explore *x;
	const struct explore_exec *root;
	struct explore_unit *units;   /* the fault-free run, then one per unit */
	uint32_t n_units;
	gint next;                   /* the next unit to take */
	GMutex lock;
	GCond cond;
	uint32_t done;
	uint32_t resumed;            /* units read back from the resume folder */
};

static void *worker(void *data)
{
	struct pool *pl = data;
	for (;;) {
		uint32_t u = (uint32_t)g_atomic_int_add(&pl->next, 1);
		if (u >= pl->n_units)
			return NULL;
		struct explore_placement p = {0};
		struct explore_unit *unit = &pl->units[1 + u]; /* units[0]: the fault-free run */
		char *path = pl->x->resume_dir ? g_strdup_printf("%s/unit-%u", pl->x->resume_dir, u) : NULL;
		unit_init(unit);
		bool kept = path && explore_unit_load(pl->x, unit, path);
		if (!kept) {
			unit_clear(unit); /* a partly read file */
			unit_init(unit);
			visit(pl->x, &p, pl->root, 1 + u / pl->x->n_actions, u % pl->x->n_actions, unit);
			if (path)
				explore_unit_save(pl->x, unit, path); /* best effort: only a resume needs it */
		}
		g_free(path);
		g_mutex_lock(&pl->lock);
		pl->resumed += kept;
		pl->done++;
		g_cond_signal(&pl->cond);
		g_mutex_unlock(&pl->lock);
	}
}

static gint compare_u64(gconstpointer a, gconstpointer b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static gint compare_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The units' results, in unit order, into r. */
static void merge(const struct explore *x, struct explore_unit *units, uint32_t n, struct explore_report *r)
{
	GArray *all = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	GHashTable *outcomes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (uint32_t i = 0; i < n; i++) {
		struct explore_unit *u = &units[i];
		r->placements += u->placements;
		g_array_append_vals(all, u->hashes->data, u->hashes->len);
		for (uint32_t c = 0; c < x->n_checks; c++)
			if (u->violation[c].found)
				best_offer(&r->violation[c], &u->violation[c].p, u->violation[c].count);
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, u->outcomes);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			const struct explore_best *b = v;
			struct explore_best *m = g_hash_table_lookup(outcomes, k);
			if (!m) {
				m = g_new0(struct explore_best, 1);
				g_hash_table_insert(outcomes, g_strdup(k), m);
			}
			best_offer(m, &b->p, b->count);
		}
		unit_clear(u);
	}
	g_array_sort(all, compare_u64);
	for (guint i = 0; i < all->len; i++)
		r->distinct += i == 0 || g_array_index(all, uint64_t, i) != g_array_index(all, uint64_t, i - 1);
	g_array_free(all, TRUE);
	r->outcomes = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, outcomes);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(r->outcomes, g_strdup(k));
	g_ptr_array_sort(r->outcomes, compare_str);
	r->outcome_best = g_new0(struct explore_best, r->outcomes->len);
	for (guint i = 0; i < r->outcomes->len; i++)
		r->outcome_best[i] = *(struct explore_best *)g_hash_table_lookup(outcomes, r->outcomes->pdata[i]);
	g_hash_table_destroy(outcomes);
}

void explore_search(const struct explore *x, int jobs, void (*progress)(void *ctx, uint64_t done, uint64_t total),
                    void *ctx, struct explore_report *r)
{
	struct explore_placement none = {0};
	memset(r, 0, sizeof *r);
	r->bound = explore_bound(x);
	explore_execute(x, &none, &r->baseline);

	struct pool pl = {.x = x, .root = &r->baseline};
	pl.n_units = x->spec.faults ? MIN(r->baseline.n_segs, x->spec.segments) * x->n_actions : 0;
	pl.units = g_new0(struct explore_unit, pl.n_units + 1);
	unit_init(&pl.units[0]);
	note(x, &pl.units[0], &none, &r->baseline); /* the placement of no fault */
	g_mutex_init(&pl.lock);
	g_cond_init(&pl.cond);
	uint32_t n_threads = jobs > 0 ? (uint32_t)jobs : g_get_num_processors();
	n_threads = MAX(1u, MIN(n_threads, pl.n_units));
	GThread **threads = g_new(GThread *, n_threads);
	for (uint32_t i = 0; i < n_threads; i++)
		threads[i] = g_thread_new("explore", worker, &pl);
	g_mutex_lock(&pl.lock);
	while (pl.done < pl.n_units) {
		g_cond_wait(&pl.cond, &pl.lock);
		if (progress)
			progress(ctx, pl.done, pl.n_units);
	}
	g_mutex_unlock(&pl.lock);
	for (uint32_t i = 0; i < n_threads; i++)
		g_thread_join(threads[i]);
	g_free(threads);
	r->units = pl.n_units;
	r->resumed = pl.resumed;
	merge(x, pl.units, pl.n_units + 1, r);
	g_free(pl.units);
	g_mutex_clear(&pl.lock);
	g_cond_clear(&pl.cond);
}

void explore_report_clear(struct explore_report *r)
{
	explore_exec_clear(&r->baseline);
	if (r->outcomes)
		g_ptr_array_free(r->outcomes, TRUE);
	g_free(r->outcome_best);
	memset(r, 0, sizeof *r);
}
