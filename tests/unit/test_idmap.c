/* The id map (src/core/idmap.c), checked against a naive reference (a list
 * searched from the start) on random ids, on the ids a table of row ids
 * gets wrong (0, negative, the extremes, sequences, ids that share one
 * home slot), through growth and through reuse after a reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "core/idmap.h"

/* The reference: pairs in the order they were first put. */
struct ref {
	struct idmap_slot *v;
	size_t n;
};

static bool ref_get(const struct ref *r, int64_t id, int64_t *value)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].id == id) {
			*value = r->v[i].value;
			return true;
		}
	return false;
}

static bool ref_put(struct ref *r, int64_t id, int64_t value)
{
	int64_t unused;
	if (ref_get(r, id, &unused))
		return false;
	r->v[r->n++] = (struct idmap_slot){id, value};
	return true;
}

/* splitmix64: the same ids on every run. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* m holds exactly the pairs of r. */
static void assert_same(const struct idmap *m, const struct ref *r)
{
	assert_int_equal(idmap_count(m), r->n);
	for (size_t i = 0; i < r->n; i++) {
		int64_t v = ~r->v[i].value;
		assert_true(idmap_get(m, r->v[i].id, &v));
		assert_true(v == r->v[i].value);
	}
}

static void empty_map(void **state)
{
	(void)state;
	struct idmap m = {0};
	int64_t v = 42;
	assert_int_equal(idmap_count(&m), 0);
	assert_false(idmap_get(&m, 0, &v));
	assert_false(idmap_get(&m, 1, &v));
	assert_false(idmap_get(&m, INT64_MIN, NULL));
	assert_true(v == 42);
	idmap_free(&m);
	/* Freed, it is an empty map again. */
	assert_true(idmap_put(&m, 7, 70));
	assert_true(idmap_get(&m, 7, &v));
	assert_true(v == 70);
	idmap_free(&m);
	assert_false(idmap_get(&m, 7, NULL));
	idmap_init(&m);
	assert_int_equal(idmap_count(&m), 0);
}

/* 0, negative ids and the extremes are ids like the others; the first
 * value put stays. */
static void edge_ids(void **state)
{
	(void)state;
	enum { N = 7 };
	static const int64_t ids[N] = {
		0, -1, 1, INT64_MIN, INT64_MAX, INT64_MIN + 1, INT64_MAX - 1};
	struct idmap m = {0};
	for (size_t i = 0; i < N; i++)
		assert_true(idmap_put(&m, ids[i], (int64_t)i * 10 - 30));
	for (size_t i = 0; i < N; i++)
		assert_false(idmap_put(&m, ids[i], 999));
	assert_int_equal(idmap_count(&m), N);
	for (size_t i = 0; i < N; i++) {
		int64_t v = 999;
		assert_true(idmap_get(&m, ids[i], &v));
		assert_true(v == (int64_t)i * 10 - 30);
		assert_true(idmap_get(&m, ids[i], NULL));
	}
	assert_false(idmap_get(&m, 2, NULL));
	assert_false(idmap_get(&m, -2, NULL));
	idmap_free(&m);
}

/* Random puts and gets, ids from a narrow range (many repeats, 0 among
 * them) and from the whole int64 range. */
static void random_against_reference(void **state)
{
	(void)state;
	enum { OPS = 6000 };
	static const uint64_t spans[] = {16, 1001, 0};
	uint64_t seed = 2025;
	for (size_t s = 0; s < 3; s++) {
		struct ref r = {calloc(OPS, sizeof(*r.v)), 0};
		struct idmap m = {0};
		assert_non_null(r.v);
		for (size_t op = 0; op < OPS; op++) {
			uint64_t x = next_random(&seed);
			int64_t id = spans[s] ? (int64_t)(x % spans[s]) - (int64_t)(spans[s] / 2)
					      : (int64_t)x;
			int64_t value = (int64_t)next_random(&seed);
			assert_int_equal(idmap_put(&m, id, value), ref_put(&r, id, value));
			int64_t probe = spans[s] ? id + 1 : (int64_t)next_random(&seed);
			int64_t got = 0, want = 0;
			bool found = idmap_get(&m, probe, &got);
			assert_int_equal(found, ref_get(&r, probe, &want));
			assert_true(!found || got == want);
		}
		assert_same(&m, &r);
		idmap_free(&m);
		free(r.v);
	}
}

/* Sequences of ids, as row ids come, through many doublings; the map
 * stays at most half full. */
static void sequences_and_growth(void **state)
{
	(void)state;
	enum { N = 100000 };
	static const int64_t steps[] = {1, -1, (int64_t)1 << 32, 4096};
	for (size_t s = 0; s < 4; s++) {
		struct idmap m = {0};
		for (int64_t i = 1; i <= N; i++) {
			assert_true(idmap_put(&m, i * steps[s], -i));
			assert_true(2 * m.n <= m.cap);
		}
		assert_int_equal(idmap_count(&m), N);
		for (int64_t i = 1; i <= N; i++) {
			int64_t v = 0;
			assert_true(idmap_get(&m, i * steps[s], &v));
			assert_true(v == -i);
		}
		assert_false(idmap_get(&m, (N + 1) * steps[s], NULL));
		assert_false(idmap_get(&m, 0, NULL));
		idmap_free(&m);
	}
}

/* Ids whose hashes share their top 12 bits, all ones: in any map of up to
 * 4,096 slots they have one home, the last slot, so their probes run
 * together and wrap around to the first. */
static void colliding_ids(void **state)
{
	(void)state;
	enum { N = 300 };
	int64_t ids[2 * N];
	size_t n = 0;
	for (int64_t id = 1; n < 2 * N; id++)
		if (idmap_hash(id) >> 52 == 0xFFF)
			ids[n++] = id;
	struct idmap m = {0};
	for (size_t i = 0; i < N; i++)
		assert_true(idmap_put(&m, ids[i], (int64_t)i));
	assert_true(m.cap <= 4096);
	assert_int_equal(idmap_count(&m), N);
	for (size_t i = 0; i < N; i++) {
		int64_t v = -1;
		assert_true(idmap_get(&m, ids[i], &v));
		assert_true(v == (int64_t)i);
		assert_false(idmap_put(&m, ids[i], -5));
	}
	/* Absent ids of the same home: the probe stops at the free slot. */
	for (size_t i = N; i < 2 * N; i++)
		assert_false(idmap_get(&m, ids[i], NULL));
	idmap_free(&m);
}

/* A reset empties the map and keeps its memory; none of the earlier ids
 * comes back, whether the next use is smaller or larger. */
static void reuse_after_reset(void **state)
{
	(void)state;
	enum { N = 10000 };
	struct idmap m = {0};
	for (int64_t i = 0; i < N; i++)
		assert_true(idmap_put(&m, i * 7 - 3000, i));
	assert_true(idmap_put(&m, 0, 1));
	assert_int_equal(idmap_count(&m), N + 1);
	struct idmap_slot *slots = m.slots;
	size_t alloc = m.alloc;
	struct ref r = {calloc(N, sizeof(*r.v)), 0};
	assert_non_null(r.v);

	/* Smaller, in the same memory: the earlier ids are not there, and
	 * each can be put again with a new value. */
	idmap_reset(&m, N / 2);
	assert_true(m.slots == slots && m.alloc == alloc);
	assert_int_equal(idmap_count(&m), 0);
	assert_false(idmap_get(&m, 0, NULL));
	for (int64_t i = 0; i < N / 2; i++) {
		int64_t id = (N / 2 - 1 - i) * 7 - 3000;
		assert_false(idmap_get(&m, id, NULL));
		assert_true(idmap_put(&m, id, -i) && ref_put(&r, id, -i));
	}
	assert_same(&m, &r);
	for (int64_t i = N / 2; i < N; i++)
		assert_false(idmap_get(&m, i * 7 - 3000, NULL));

	/* Much smaller: only the slots 10 ids need are cleared; larger again
	 * within the same memory. */
	idmap_reset(&m, 10);
	assert_true(m.cap <= 64);
	idmap_reset(&m, N / 2);
	assert_true(m.slots == slots);
	/* Then more than a reset made room for: it grows. */
	idmap_reset(&m, 10);
	assert_int_equal(idmap_count(&m), 0);
	r.n = 0;
	for (int64_t i = 0; i < 200; i++)
		assert_true(idmap_put(&m, i * 7 - 2999, i) && ref_put(&r, i * 7 - 2999, i));
	assert_same(&m, &r);
	assert_false(idmap_get(&m, -3000, NULL));

	/* Larger than any memory it had. */
	idmap_reset(&m, 5 * N);
	assert_int_equal(idmap_count(&m), 0);
	assert_false(idmap_get(&m, -2999, NULL));
	r.n = 0;
	for (int64_t i = 0; i < 200; i++)
		assert_true(idmap_put(&m, -i, i) && ref_put(&r, -i, i));
	assert_same(&m, &r);
	free(r.v);
	idmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_map),
		cmocka_unit_test(edge_ids),
		cmocka_unit_test(random_against_reference),
		cmocka_unit_test(sequences_and_growth),
		cmocka_unit_test(colliding_ids),
		cmocka_unit_test(reuse_after_reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
