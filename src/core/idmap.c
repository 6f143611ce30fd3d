/* The id map (core/idmap.h). */
#include "core/idmap.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

enum { IDMAP_MIN_CAP = 16 };

/* The number of slots for n ids, at most half full, and its log2. */
static size_t slots_for(size_t n, unsigned *log2)
{
	if (n > SIZE_MAX / sizeof(struct idmap_slot) / 2)
		die_oom();
	size_t cap = 1;
	unsigned k = 0;
	while (cap < IDMAP_MIN_CAP || cap < 2 * n) {
		cap *= 2;
		k++;
	}
	*log2 = k;
	return cap;
}

static struct idmap_slot *slots_new(size_t cap)
{
	struct idmap_slot *v = calloc(cap, sizeof(*v));
	if (!v)
		die_oom();
	return v;
}

/* The slot of id (not 0) in m (cap > 0): its own, or the free slot where
 * it would go. */
static struct idmap_slot *probe(const struct idmap *m, int64_t id)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)(idmap_hash(id) >> m->shift);
	while (m->slots[i].id && m->slots[i].id != id)
		i = (i + 1) & mask;
	return &m->slots[i];
}

/* Moves m's ids into new slots for n ids. */
static void grow(struct idmap *m, size_t n)
{
	struct idmap old = *m;
	unsigned k;
	m->cap = m->alloc = slots_for(n, &k);
	m->shift = 64 - k;
	m->slots = slots_new(m->cap);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].id)
			*probe(m, old.slots[i].id) = old.slots[i];
	free(old.slots);
}

void idmap_init(struct idmap *m)
{
	memset(m, 0, sizeof(*m));
}

void idmap_free(struct idmap *m)
{
	free(m->slots);
	idmap_init(m);
}

void idmap_reset(struct idmap *m, size_t n)
{
	unsigned k;
	size_t cap = slots_for(n, &k);
	if (cap > m->alloc) {
		free(m->slots);
		m->slots = slots_new(cap);
		m->alloc = cap;
	} else {
		memset(m->slots, 0, cap * sizeof(*m->slots));
	}
	m->cap = cap;
	m->shift = 64 - k;
	m->n = 0;
	m->has_zero = false;
}

bool idmap_put(struct idmap *m, int64_t id, int64_t value)
{
	if (id == 0) {
		if (m->has_zero)
			return false;
		m->has_zero = true;
		m->zero_value = value;
		return true;
	}
	if (2 * (m->n + 1) > m->cap)
		grow(m, m->n + 1); /* twice the slots */
	struct idmap_slot *s = probe(m, id);
	if (s->id)
		return false;
	*s = (struct idmap_slot){id, value};
	m->n++;
	return true;
}

bool idmap_get(const struct idmap *m, int64_t id, int64_t *value)
{
	if (id == 0) {
		if (m->has_zero && value)
			*value = m->zero_value;
		return m->has_zero;
	}
	if (!m->n)
		return false;
	const struct idmap_slot *s = probe(m, id);
	if (s->id && value)
		*value = s->value;
	return s->id != 0;
}

size_t idmap_count(const struct idmap *m)
{
	return m->n + m->has_zero;
}
