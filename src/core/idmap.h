/* A map of int64 ids to int64 values (a set when the values are ignored),
 * for the row ids a computation meets: open addressing with linear
 * probing over one power-of-two array of {id, value} slots, at most half
 * full, so a lookup reads one cache line. Every int64 is a valid id: the
 * free slots hold 0, and id 0 is kept beside the array.
 *
 * The struct lives in the caller's memory (a member, a local); its slots
 * are malloc'd and released by idmap_free. A zero-initialised struct
 * idmap is an empty map. Allocation failures abort (die_oom), as the rest
 * of core does. Not thread-safe: one map, one thread at a time. */
#ifndef PROXIMA_IDMAP_H
#define PROXIMA_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idmap_slot {
	int64_t id, value; /* id 0: a free slot */
};

struct idmap {
	struct idmap_slot *slots; /* cap slots in use, of alloc allocated */
	size_t cap, alloc;        /* cap 0 or a power of two >= 16 */
	size_t n;                 /* ids in slots (id 0 is not there) */
	unsigned shift;           /* 64 - log2(cap): a slot is hash >> shift */
	bool has_zero;            /* id 0, kept outside the slots */
	int64_t zero_value;
};

/* The hash of id (Fibonacci hashing): the home slot of id in a map of
 * 2^k slots is the hash's top k bits. Exposed so tests can make ids that
 * collide. */
static inline uint64_t idmap_hash(int64_t id)
{
	return (uint64_t)id * 0x9E3779B97F4A7C15u;
}

/* Makes m an empty map without memory (the same as zero-initialising it). */
void idmap_init(struct idmap *m);

/* Releases m's memory; m is then empty and may be used again. */
void idmap_free(struct idmap *m);

/* Empties m and makes room for n ids without growing. Memory m already
 * has is reused when it is enough, and only the slots n ids need are
 * cleared, so a map reused for sets of different sizes costs what the
 * current one needs. */
void idmap_reset(struct idmap *m, size_t n);

/* Maps id to value when id is not in m yet and returns true. When it is,
 * its value stays as it was (the first put wins) and returns false. Grows
 * m as needed. */
bool idmap_put(struct idmap *m, int64_t id, int64_t value);

/* Whether id is in m; when it is and value is not NULL, *value gets its
 * value. */
bool idmap_get(const struct idmap *m, int64_t id, int64_t *value);

/* The number of ids in m. */
size_t idmap_count(const struct idmap *m);

#endif
