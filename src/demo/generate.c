/* The demo generator: walks the world of world.c over the demo year and
 * writes interchange records (JSON Lines). Deterministic: every random
 * choice comes from a splitmix64 stream derived from the seed and the
 * record's place in the world (not from the order of the calls), so adding
 * a record kind later does not change the others. */
#include "demo/demo.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/ptime.h"
#include "core/util.h"
#include "demo/world.h"

/* ---- Random numbers -------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* An independent stream for (stream, index) under seed. */
static struct rng rng_for(uint64_t seed, uint64_t stream, uint64_t index)
{
	struct rng r = {seed ^ (stream * 0xd1342543de82ef95ull) ^
			(index * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull)};
	rng_next(&r);
	return r;
}

/* Uniform in [lo, hi] (lo <= hi). */
static int rng_int(struct rng *r, int lo, int hi)
{
	uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
	return lo + (int)(((rng_next(r) >> 32) * span) >> 32);
}

static bool rng_pct(struct rng *r, int pct)
{
	return rng_int(r, 0, 99) < pct;
}

/* An index drawn with the given weights (at least one positive). */
static int rng_weighted(struct rng *r, const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i] > 0 ? w[i] : 0;
	BUG_ON(total <= 0);
	int x = rng_int(r, 0, total - 1);
	for (int i = 0; i < n; i++) {
		if (w[i] <= 0)
			continue;
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

static const char *rng_code(struct rng *r, const struct w_weight *v, size_t n)
{
	int w[16];
	size_t k = 0;
	for (; k < n && k < ARRAY_LEN(w) && v[k].code; k++)
		w[k] = v[k].w;
	return v[rng_weighted(r, w, (int)k)].code;
}

#define PICK(r, arr) ((arr)[rng_int((r), 0, (int)ARRAY_LEN(arr) - 1)])

/* ---- Calendar -------------------------------------------------------- */

static void day_str(int64_t day, char out[11])
{
	struct pdate d = ptime_civil_from_days(day);
	ptime_format_date(&d, out);
}

/* 0 = Monday … 6 = Sunday. */
static int weekday(int64_t day)
{
	int64_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* The instant of local time minutes after midnight of day. */
static int64_t day_at(int64_t day, int minutes)
{
	struct pdate d = ptime_civil_from_days(day);
	return ptime_date_start(&d) + (int64_t)minutes * 60;
}

static int64_t day_of(int64_t t)
{
	struct pdate d = ptime_local_date(t);
	return ptime_days_from_civil(&d);
}

/* Easter Sunday (anonymous Gregorian algorithm), as a day number. */
static int64_t easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	struct pdate p = {y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1};
	return ptime_days_from_civil(&p);
}

/* Québec statutory holidays and the holiday break (24 Dec – 2 Jan). */
static bool holiday(int64_t day)
{
	struct pdate d = ptime_civil_from_days(day);
	int wd = weekday(day);
	if ((d.month == 12 && d.day >= 24) || (d.month == 1 && d.day <= 2))
		return true;
	if ((d.month == 6 && d.day == 24) || (d.month == 7 && d.day == 1))
		return true;
	if (wd == 0 && ((d.month == 9 && d.day <= 7) ||                 /* fête du Travail */
			(d.month == 10 && d.day >= 8 && d.day <= 14) || /* Action de grâce */
			(d.month == 5 && d.day >= 18 && d.day <= 24)))  /* Patriotes */
		return true;
	int64_t e = easter(d.year);
	return day == e - 2 || day == e + 1;
}

/* ---- The generator's state ------------------------------------------ */

struct fam {
	char id[32];
	char code[16];
	int org, terr, follower;       /* indexes into w_orgs, w_territories, w_persons */
	int64_t opened, closed;        /* days; closed INT64_MAX while open */
	const struct w_origin *origin; /* NULL: French-speaking family */
	bool ref, cite;
};

/* A position with its indexes resolved. */
struct pos {
	const struct w_position *w;
	int org, terr;
	int holder_person[3];
	int nholders;
};

/* A few activities of one person and type (reservoir sample), for the
 * stories to point to. */
#define RESERVOIR 6
struct last_act {
	char id[RESERVOIR][16];
	int64_t day[RESERVOIR];
	unsigned seen;
};

struct gen {
	const struct demo_options *opt;
	uint64_t seed;
	struct buf *out;
	demo_flush_fn flush;
	void *ctx;
	size_t chunk;
	size_t *counts;
	int err;
	struct jsonw w;
	struct buf scratch; /* notes and story texts before they are written */
	int64_t now, today, first;
	char sfx[16]; /* id suffix of the replica, "" for the first */
	unsigned replica;
	struct pos *pos;
	struct fam *fams;
	size_t nfam;
	size_t *org_fam_start, *org_fam_n;
	struct last_act *last; /* [person][type] */
	unsigned act_seq;
};

static int org_index(const char *id)
{
	for (size_t i = 0; i < w_org_count; i++)
		if (strcmp(w_orgs[i].id, id) == 0)
			return (int)i;
	die_bug(__FILE__, __LINE__, id);
}

static int person_index(const char *id)
{
	for (size_t i = 0; i < w_person_count; i++)
		if (strcmp(w_persons[i].id, id) == 0)
			return (int)i;
	die_bug(__FILE__, __LINE__, id);
}

static int terr_index(const char *id)
{
	for (int i = 0; i < W_TERRITORIES; i++)
		if (strcmp(w_territories[i].id, id) == 0)
			return i;
	die_bug(__FILE__, __LINE__, id);
}

static bool is_man(int person)
{
	for (size_t i = 0; i < w_men_count; i++)
		if (strcmp(w_men[i], w_persons[person].id) == 0)
			return true;
	return false;
}

static bool org_serves(int org, int terr)
{
	for (int k = 0; k < 2; k++)
		if (w_orgs[org].terr[k] && strcmp(w_orgs[org].terr[k], w_territories[terr].id) == 0)
			return true;
	return false;
}

/* Days ago -> day number; W_NONE stays "none" (INT64_MAX). */
static int64_t ago(const struct gen *g, int days)
{
	return days == W_NONE ? INT64_MAX : g->today - days;
}

/* ---- Writing records ------------------------------------------------- */

static void rec_begin(struct gen *g, enum demo_kind k, const char *id)
{
	char full[96];
	snprintf(full, sizeof(full), "%s%s", id, g->sfx);
	jsonw_init(&g->w, g->out);
	jsonw_obj_begin(&g->w);
	jsonw_kv_str(&g->w, "kind", demo_kind_name(k));
	jsonw_kv_str(&g->w, "id", full);
	g->counts[k]++;
}

static void rec_end(struct gen *g)
{
	jsonw_obj_end(&g->w);
	if (jsonw_finish(&g->w) < 0 || buf_putc(g->out, '\n') < 0)
		g->err = -1;
	if (!g->err && g->flush && g->out->len >= g->chunk) {
		if (g->flush(g->ctx, g->out->data, g->out->len) < 0)
			g->err = -1;
		buf_reset(g->out);
	}
}

/* A reference to another record: its id with the replica's suffix. */
static void kv_ref(struct gen *g, const char *key, const char *id)
{
	if (!id)
		return;
	char full[96];
	snprintf(full, sizeof(full), "%s%s", id, g->sfx);
	jsonw_kv_str(&g->w, key, full);
}

static void ref_item(struct gen *g, const char *id)
{
	char full[96];
	snprintf(full, sizeof(full), "%s%s", id, g->sfx);
	jsonw_str(&g->w, full);
}

static void kv_date(struct gen *g, const char *key, int64_t day)
{
	if (day == INT64_MAX)
		return;
	char s[11];
	day_str(day, s);
	jsonw_kv_str(&g->w, key, s);
}

static void kv_time(struct gen *g, const char *key, int64_t t)
{
	if (t <= 0)
		return;
	char s[26];
	ptime_format_local(t, s);
	jsonw_kv_str(&g->w, key, s);
}

static void kv_codes(struct gen *g, const char *key, const char *const *v, size_t n)
{
	size_t k = 0;
	while (k < n && v[k])
		k++;
	if (!k)
		return;
	jsonw_key(&g->w, key);
	jsonw_arr_begin(&g->w);
	for (size_t i = 0; i < k; i++)
		jsonw_str(&g->w, v[i]);
	jsonw_arr_end(&g->w);
}

/* ---- Text slots ------------------------------------------------------ */

struct slots {
	bool male; /* the author, for {e} and {es} */
	const struct w_territory *t;
	const char *ressource;
	const struct w_origin *o;
	int nf, na;
	struct rng *r;
};

static const char *const ages[] = {"2 mois",  "4 mois",  "8 mois", "11 mois",
				   "15 mois", "18 mois", "2 ans"};
static const char *const kids[] = {"deux enfants",        "trois enfants", "deux petits",
				   "jumeaux de deux ans", "trois petits",  "deux garçons"};

/* Appends a noun phrase with its article ("le parc", "la halte",
 * "l'école", "Le Havre", "Services Québec") after the preposition prep
 * ('a' for à, 'd' for de, 0 for none), contracting "à le" and "de le". */
static void put_with(struct buf *b, const char *np, char prep)
{
	bool le = str_starts(np, "le ") || str_starts(np, "Le ");
	bool les = str_starts(np, "les ");
	if (prep == 'a' && (le || les)) {
		buf_puts(b, les ? "aux " : "au ");
		buf_puts(b, np + (les ? 4 : 3));
	} else if (prep == 'd' && (le || les)) {
		buf_puts(b, les ? "des " : "du ");
		buf_puts(b, np + (les ? 4 : 3));
	} else {
		if (prep)
			buf_puts(b, prep == 'a' ? "à " : "de ");
		buf_puts(b, np);
	}
}

/* Appends tpl to b with its {slots} filled (see world.h). */
static void expand(struct buf *b, const char *tpl, const struct slots *s)
{
	const char *p = tpl;
	while (*p) {
		const char *open = strchr(p, '{');
		if (!open) {
			buf_puts(b, p);
			return;
		}
		buf_append(b, p, (size_t)(open - p));
		const char *close = strchr(open, '}');
		BUG_ON(!close);
		const char *name = open + 1;
		char prep = 0;
		if (str_starts(name, "a_") || str_starts(name, "de_")) {
			prep = name[0];
			name = strchr(name, '_') + 1;
		}
		size_t n = (size_t)(close - name);
#define SLOT(lit) (n == sizeof(lit) - 1 && memcmp(name, lit, n) == 0)
		if (SLOT("parc"))
			put_with(b, s->t->parks[rng_int(s->r, 0, 2)], prep);
		else if (SLOT("lieu"))
			put_with(b, s->t->places[rng_int(s->r, 0, 2)], prep);
		else if (SLOT("ressource"))
			put_with(b, s->ressource ? s->ressource : "l'organisme partenaire", prep);
		else if (SLOT("quartier"))
			buf_puts(b, s->t->quartier);
		else if (SLOT("hlm"))
			buf_puts(b, s->t->hlm);
		else if (SLOT("ecole"))
			buf_puts(b, s->t->school);
		else if (SLOT("pays"))
			buf_puts(b, s->o ? s->o->countries[rng_int(s->r, 0, 3)] : "l'étranger");
		else if (SLOT("langue"))
			buf_puts(b, s->o ? s->o->lang_name : "sa langue");
		else if (SLOT("age"))
			buf_puts(b, PICK(s->r, ages));
		else if (SLOT("enfants"))
			buf_puts(b, PICK(s->r, kids));
		else if (SLOT("e"))
			buf_puts(b, s->male ? "" : "e");
		else if (SLOT("es"))
			buf_puts(b, s->male ? "s" : "es");
		else if (SLOT("nf"))
			buf_printf(b, "%d", s->nf);
		else if (SLOT("na"))
			buf_printf(b, "%d", s->na);
		else
			die_bug(__FILE__, __LINE__, tpl);
#undef SLOT
		p = close + 1;
	}
}

/* True when a note or story with these flags fits the context. */
static bool text_fits(unsigned flags, const struct w_territory *t, enum w_profile prof,
		      const struct w_origin *o, int month)
{
	if (month && (flags & N_SUMMER) && (month < 6 || month > 9))
		return false;
	if (month && (flags & N_RENTREE) && month != 8 && month != 9)
		return false;
	if (month && (flags & N_DECEMBER) && month != 12)
		return false;
	if ((flags & N_IMM) && (!o || strcmp(o->lang, "en") == 0))
		return false;
	if ((flags & N_RURAL) && strcmp(t->type, "urbain") == 0)
		return false;
	if ((flags & N_CITY) && strcmp(t->type, "rural") == 0)
		return false;
	if ((flags & N_SCHOOL) && prof != P_ECOLE)
		return false;
	if ((flags & N_FAMILY) && prof == P_RUE)
		return false;
	if ((flags & N_CLSC) && prof != P_CLSC)
		return false;
	return true;
}

static const struct w_origin *origin_of(const char *lang)
{
	for (size_t i = 0; i < w_origin_count; i++)
		if (strcmp(w_origins[i].lang, lang) == 0)
			return &w_origins[i];
	return NULL; /* "fr" */
}

static const char *terr_lang(struct rng *r, const struct w_territory *t, bool immigrant)
{
	int w[8];
	int n = 0;
	for (; n < 8 && t->langs[n].code; n++)
		w[n] = immigrant && strcmp(t->langs[n].code, "fr") == 0 ? 0 : t->langs[n].w;
	return t->langs[rng_weighted(r, w, n)].code;
}

/* ---- Static records -------------------------------------------------- */

static void gen_territories(struct gen *g)
{
	for (int i = 0; i < W_TERRITORIES; i++) {
		const struct w_territory *t = &w_territories[i];
		rec_begin(g, DEMO_TERRITORY, t->id);
		if (g->replica) {
			char name[64];
			snprintf(name, sizeof(name), "%s (r%u)", t->name, g->replica + 1);
			jsonw_kv_str(&g->w, "name", name);
		} else {
			jsonw_kv_str(&g->w, "name", t->name);
		}
		jsonw_kv_str(&g->w, "type", t->type);
		rec_end(g);
	}
	for (int i = 0; i < W_TERRITORIES; i++) {
		const struct w_territory *t = &w_territories[i];
		for (int k = 0; k < W_PORTRAIT; k++) {
			const struct w_portrait_def *d = &w_portrait_defs[k];
			char id[64];
			snprintf(id, sizeof(id), "POR-%s-%s", t->id, d->indicator);
			rec_begin(g, DEMO_PORTRAIT, id);
			kv_ref(g, "territory", t->id);
			jsonw_kv_str(&g->w, "indicator", d->indicator);
			jsonw_kv_str(&g->w, "label", d->label);
			jsonw_key(&g->w, "value");
			jsonw_double(&g->w, t->portrait[k], 2);
			jsonw_kv_str(&g->w, "unit", d->unit);
			if (d->period_start)
				jsonw_kv_str(&g->w, "period_start", d->period_start);
			if (d->period_end)
				jsonw_kv_str(&g->w, "period_end", d->period_end);
			jsonw_kv_str(&g->w, "source", d->source);
			rec_end(g);
		}
	}
}

static void gen_organisations(struct gen *g)
{
	for (size_t i = 0; i < w_org_count; i++) {
		const struct w_org *o = &w_orgs[i];
		rec_begin(g, DEMO_ORGANISATION, o->id);
		jsonw_kv_str(&g->w, "name", o->name);
		jsonw_kv_str(&g->w, "sector", o->sector);
		jsonw_key(&g->w, "territories");
		jsonw_arr_begin(&g->w);
		for (int k = 0; k < 2; k++)
			if (o->terr[k])
				ref_item(g, o->terr[k]);
		jsonw_arr_end(&g->w);
		rec_end(g);
	}
}

static void gen_persons(struct gen *g)
{
	for (size_t i = 0; i < w_person_count; i++) {
		const struct w_person *p = &w_persons[i];
		rec_begin(g, DEMO_PERSON, p->id);
		jsonw_kv_str(&g->w, "name", p->name);
		if (g->replica) {
			/* local-part + suffix, same domain */
			const char *at = strchr(p->email, '@');
			char email[128];
			snprintf(email, sizeof(email), "%.*s%s%s", (int)(at - p->email), p->email,
				 g->sfx, at);
			jsonw_kv_str(&g->w, "email", email);
		} else {
			jsonw_kv_str(&g->w, "email", p->email);
		}
		jsonw_kv_str(&g->w, "role", p->role);
		kv_ref(g, "organisation", p->org);
		kv_ref(g, "territory", p->terr);
		rec_end(g);
	}
}

static const char *const component_codes[] = {"demarchage", "accompagnement", "collaboration"};

static void gen_positions(struct gen *g)
{
	for (size_t i = 0; i < w_position_count; i++) {
		const struct w_position *p = &w_positions[i];
		rec_begin(g, DEMO_POSITION, p->id);
		kv_ref(g, "organisation", p->org);
		kv_ref(g, "territory", p->terr);
		kv_date(g, "start", ago(g, p->start_ago));
		kv_date(g, "end", ago(g, p->end_ago));
		jsonw_key(&g->w, "holders");
		jsonw_arr_begin(&g->w);
		for (int h = 0; h < 3 && p->holders[h].person; h++) {
			jsonw_obj_begin(&g->w);
			kv_ref(g, "person", p->holders[h].person);
			kv_date(g, "from", ago(g, p->holders[h].from_ago));
			kv_date(g, "to", ago(g, p->holders[h].to_ago));
			jsonw_obj_end(&g->w);
		}
		jsonw_arr_end(&g->w);
		jsonw_key(&g->w, "mandate");
		jsonw_obj_begin(&g->w);
		jsonw_key(&g->w, "components");
		jsonw_arr_begin(&g->w);
		for (int c = 0; c < 3; c++)
			if (p->components & (1u << c))
				jsonw_str(&g->w, component_codes[c]);
		jsonw_arr_end(&g->w);
		jsonw_key(&g->w, "items");
		jsonw_arr_begin(&g->w);
		for (int k = 0; k < 10 && p->items[k].population; k++) {
			jsonw_obj_begin(&g->w);
			jsonw_kv_str(&g->w, "population", p->items[k].population);
			jsonw_kv_str(&g->w, "activity", p->items[k].activity);
			jsonw_obj_end(&g->w);
		}
		jsonw_arr_end(&g->w);
		jsonw_obj_end(&g->w);
		rec_end(g);
	}
}

/* ---- Positions at run time ------------------------------------------ */

static void resolve_positions(struct gen *g)
{
	for (size_t i = 0; i < w_position_count; i++) {
		struct pos *p = &g->pos[i];
		p->w = &w_positions[i];
		p->org = org_index(p->w->org);
		p->terr = terr_index(p->w->terr);
		p->nholders = 0;
		for (int h = 0; h < 3 && p->w->holders[h].person; h++)
			p->holder_person[p->nholders++] = person_index(p->w->holders[h].person);
	}
}

/* The days holder h of position p works in the demo year: [*from, *to]
 * (empty when *from > *to). */
static void holder_span(const struct gen *g, const struct pos *p, int h, int64_t *from, int64_t *to)
{
	int64_t f = ago(g, p->w->holders[h].from_ago), t = ago(g, p->w->holders[h].to_ago);
	int64_t ps = ago(g, p->w->start_ago), pe = ago(g, p->w->end_ago);
	*from = f > ps ? f : ps;
	if (*from < g->first)
		*from = g->first;
	*to = t < pe ? t : pe;
	if (*to > g->today)
		*to = g->today;
}

/* Index of the person holding position p on day, or -1. */
static int holder_on(const struct gen *g, const struct pos *p, int64_t day)
{
	for (int h = 0; h < p->nholders; h++) {
		int64_t f = ago(g, p->w->holders[h].from_ago), t = ago(g, p->w->holders[h].to_ago);
		if (day >= f && day <= t && day >= ago(g, p->w->start_ago) &&
		    day <= ago(g, p->w->end_ago))
			return p->holder_person[h];
	}
	return -1;
}

/* ---- Families -------------------------------------------------------- */

/* Writes family f of org on territory t: its record, consent and
 * nominative part (names, phone and address drawn from r). */
static void family_write(struct gen *g, struct rng *r, const struct fam *f, const struct w_org *org,
			 const struct w_territory *t)
{
	rec_begin(g, DEMO_FAMILY, f->id);
	kv_ref(g, "organisation", org->id);
	jsonw_kv_str(&g->w, "code", f->code);
	kv_date(g, "opened", f->opened);
	kv_date(g, "closed", f->closed);
	if (g->opt->extras & DEMO_X_FOLLOWER)
		kv_ref(g, "follower", w_persons[f->follower].id);
	jsonw_key(&g->w, "consent");
	jsonw_obj_begin(&g->w);
	kv_date(g, "date", f->opened);
	jsonw_kv_str(&g->w, "language", f->origin ? f->origin->lang : "fr");
	jsonw_key(&g->w, "scopes");
	jsonw_arr_begin(&g->w);
	jsonw_str(&g->w, "suivi");
	if (f->ref)
		jsonw_str(&g->w, "reference");
	if (f->cite)
		jsonw_str(&g->w, "citation");
	jsonw_arr_end(&g->w);
	jsonw_obj_end(&g->w);

	jsonw_key(&g->w, "nominative");
	jsonw_obj_begin(&g->w);
	buf_reset(&g->scratch);
	if (f->origin)
		buf_printf(&g->scratch, "%s %s", f->origin->first[rng_int(r, 0, 5)],
			   f->origin->last[rng_int(r, 0, 5)]);
	else
		buf_printf(&g->scratch, "%s %s",
			   w_fr_first[rng_int(r, 0, (int)w_fr_first_count - 1)],
			   w_fr_last[rng_int(r, 0, (int)w_fr_last_count - 1)]);
	jsonw_kv_str(&g->w, "name", g->scratch.data);
	buf_reset(&g->scratch);
	/* 555-0100 to 555-0199 are reserved for fiction. */
	buf_printf(&g->scratch, "%s-555-01%02d", t->area, rng_int(r, 0, 99));
	jsonw_kv_str(&g->w, "phone", g->scratch.data);
	buf_reset(&g->scratch);
	buf_printf(&g->scratch, "%d, %s", rng_int(r, 12, 2980), t->streets[rng_int(r, 0, 3)]);
	if (rng_pct(r, 60))
		buf_printf(&g->scratch, ", app. %d", rng_int(r, 1, 12));
	buf_printf(&g->scratch, ", %s", t->town);
	jsonw_kv_str(&g->w, "address", g->scratch.data);
	jsonw_obj_end(&g->w);
	rec_end(g);
}

/* The follower of family f of organisation o: whoever held one of the
 * org's positions when the file was opened, or its holder today while
 * the file is open; the org's manager otherwise. */
static int family_follower(const struct gen *g, int o, const struct fam *f)
{
	const struct w_org *org = &w_orgs[o];
	int follower = -1;
	for (size_t p = 0; p < w_position_count && follower < 0; p++) {
		if (g->pos[p].org != o)
			continue;
		int who = holder_on(g, &g->pos[p], f->opened);
		int today_who = holder_on(g, &g->pos[p], g->today);
		if (f->closed == INT64_MAX && today_who >= 0)
			who = today_who;
		follower = who;
	}
	if (follower < 0)
		follower = person_index(org->manager ? org->manager : "p-valerie-cote-berube");
	return follower;
}

static void gen_families(struct gen *g)
{
	size_t n = 0;
	for (size_t o = 0; o < w_org_count; o++) {
		const struct w_org *org = &w_orgs[o];
		g->org_fam_start[o] = n;
		g->org_fam_n[o] = 0;
		if (org->families <= 0)
			continue;
		/* The families' territory: the one of the org's first position. */
		int terr = terr_index(org->terr[0]);
		for (size_t p = 0; p < w_position_count; p++)
			if (g->pos[p].org == (int)o) {
				terr = g->pos[p].terr;
				break;
			}
		const struct w_territory *t = &w_territories[terr];
		for (int i = 0; i < org->families; i++) {
			struct rng r = rng_for(g->seed, 'F', o * 1000 + (unsigned)i);
			struct fam *f = &g->fams[n++];
			g->org_fam_n[o]++;
			memset(f, 0, sizeof(*f));
			snprintf(f->id, sizeof(f->id), "FAM-%s-%03d", org->fam_prefix, i + 1);
			snprintf(f->code, sizeof(f->code), "%s-%04d", org->fam_prefix,
				 1000 + i * 53 + rng_int(&r, 0, 52));
			f->org = (int)o;
			f->terr = terr;
			f->opened = g->today - rng_int(&r, 20, 540);
			f->closed = INT64_MAX;
			if (rng_pct(&r, 30)) {
				int64_t c = f->opened + rng_int(&r, 45, 320);
				if (c < g->today)
					f->closed = c;
			}
			bool imm =
				strcmp(org->sector, "MIFI") == 0 || rng_pct(&r, t->immigrant_pct);
			f->origin = origin_of(terr_lang(&r, t, imm));
			f->ref = rng_pct(&r, 82);
			f->cite = rng_pct(&r, 35);
			f->follower = family_follower(g, (int)o, f);
			family_write(g, &r, f, org, t);
		}
	}
	g->nfam = n;
}

/* A family of org open on day (optionally with referral consent), or NULL. */
static const struct fam *family_open(struct gen *g, struct rng *r, int org, int64_t day,
				     bool need_ref)
{
	size_t n = g->org_fam_n[org];
	if (!n)
		return NULL;
	for (int tries = 0; tries < 6; tries++) {
		const struct fam *f =
			&g->fams[g->org_fam_start[org] + (size_t)rng_int(r, 0, (int)n - 1)];
		if (day >= f->opened && day <= f->closed && (!need_ref || f->ref))
			return f;
	}
	return NULL;
}

/* ---- Corridors and projects ----------------------------------------- */

static const char *const portrait_none[1] = {NULL};

static void gen_corridors(struct gen *g)
{
	for (size_t i = 0; i < w_corridor_count; i++) {
		const struct w_corridor *c = &w_corridors[i];
		rec_begin(g, DEMO_CORRIDOR, c->id);
		kv_ref(g, "territory", c->terr);
		jsonw_kv_str(&g->w, "name", c->name);
		jsonw_kv_str(&g->w, "need", c->need);
		jsonw_kv_str(&g->w, "population", c->population);
		kv_ref(g, "entry_organisation", c->entry);
		jsonw_kv_int(&g->w, "target_days", c->target_days);
		kv_codes(g, "consent_languages", c->langs, 8);
		kv_codes(g, "template_fields", c->fields, 8);
		kv_codes(g, "portrait_indicators", c->portrait[0] ? c->portrait : portrait_none, 3);
		kv_date(g, "active_from", ago(g, c->from_ago));
		rec_end(g);
	}
}

static void gen_projects(struct gen *g)
{
	for (size_t i = 0; i < w_project_count; i++) {
		const struct w_project *p = &w_projects[i];
		rec_begin(g, DEMO_PROJECT, p->id);
		kv_ref(g, "territory", p->terr);
		jsonw_kv_str(&g->w, "name", p->name);
		kv_date(g, "start", ago(g, p->start_ago));
		kv_date(g, "end", ago(g, p->end_ago));
		jsonw_key(&g->w, "organisations");
		jsonw_arr_begin(&g->w);
		for (int k = 0; k < 6 && p->orgs[k]; k++)
			ref_item(g, p->orgs[k]);
		jsonw_arr_end(&g->w);
		rec_end(g);
	}
}

/* ---- Activities ------------------------------------------------------ */

enum {
	T_CONTACT,
	T_DEMARCHAGE,
	T_ACCOMP,
	T_INDIV,
	T_GROUPE,
	T_COLLECTIVE,
	T_CONCERTATION,
	T_LIAISON,
	T_PRESENTATION,
	T_CRISE,
	T_CODEV
};

#define W_PLACES 10
static const char *const places[W_PLACES] = {
	"domicile", "parc", "cafe_commerce",        "local_communautaire", "point_de_service",
	"ecole",    "rue",  "organisme_partenaire", "telephone_virtuel",   "autre",
};
static const int place_weights[W_TYPES][W_PLACES] = {
	[T_CONTACT] = {3, 30, 15, 15, 3, 10, 15, 6, 0, 3},
	[T_DEMARCHAGE] = {30, 15, 10, 0, 0, 2, 38, 3, 0, 2},
	[T_ACCOMP] = {8, 0, 0, 2, 30, 8, 0, 40, 0, 12},
	[T_INDIV] = {45, 2, 6, 15, 10, 3, 0, 4, 15, 0},
	[T_GROUPE] = {0, 5, 0, 55, 5, 20, 0, 15, 0, 0},
	[T_COLLECTIVE] = {0, 40, 0, 35, 0, 10, 5, 0, 0, 10},
	[T_CONCERTATION] = {0, 0, 0, 10, 20, 5, 0, 40, 25, 0},
	[T_LIAISON] = {0, 0, 0, 0, 25, 5, 0, 15, 55, 0},
	[T_PRESENTATION] = {0, 0, 0, 5, 25, 25, 0, 45, 0, 0},
	[T_CRISE] = {45, 8, 0, 5, 2, 0, 20, 5, 15, 0},
	[T_CODEV] = {0, 0, 0, 20, 30, 0, 0, 30, 20, 0},
};

/* Direct minutes: [min, max]. */
static const int durations[W_TYPES][2] = {
	[T_CONTACT] = {5, 30},        [T_DEMARCHAGE] = {60, 180}, [T_ACCOMP] = {60, 180},
	[T_INDIV] = {45, 90},         [T_GROUPE] = {90, 150},     [T_COLLECTIVE] = {120, 240},
	[T_CONCERTATION] = {60, 150}, [T_LIAISON] = {10, 45},     [T_PRESENTATION] = {45, 90},
	[T_CRISE] = {45, 180},        [T_CODEV] = {120, 180},
};
static const int redaction[W_TYPES][2] = {
	[T_CONTACT] = {0, 5},        [T_DEMARCHAGE] = {10, 25}, [T_ACCOMP] = {15, 30},
	[T_INDIV] = {20, 40},        [T_GROUPE] = {15, 30},     [T_COLLECTIVE] = {15, 30},
	[T_CONCERTATION] = {10, 30}, [T_LIAISON] = {5, 15},     [T_PRESENTATION] = {5, 15},
	[T_CRISE] = {30, 60},        [T_CODEV] = {0, 15},
};
static const int preparation[W_TYPES][2] = {
	[T_CONTACT] = {0, 0},        [T_DEMARCHAGE] = {5, 20}, [T_ACCOMP] = {5, 15},
	[T_INDIV] = {0, 15},         [T_GROUPE] = {30, 60},    [T_COLLECTIVE] = {60, 180},
	[T_CONCERTATION] = {10, 30}, [T_LIAISON] = {0, 5},     [T_PRESENTATION] = {30, 90},
	[T_CRISE] = {0, 0},          [T_CODEV] = {10, 20},
};

/* Codes that may be drawn, each with its own chance in %. */
struct pct_code {
	const char *code;
	int pct;
};
static const struct pct_code strategies[W_TYPES][4] = {
	[T_CONTACT] = {{"s_inserer", 55}, {"proximite_relationnelle", 60}, {"proactif", 20}},
	[T_DEMARCHAGE] = {{"proactif", 80}, {"s_inserer", 50}},
	[T_ACCOMP] = {{"proximite_relationnelle", 50}, {"mise_en_reseau", 50}, {"empowerment", 20}},
	[T_INDIV] = {{"proximite_relationnelle", 70}, {"empowerment", 35}, {"proactif", 10}},
	[T_GROUPE] = {{"mise_en_reseau", 60}, {"empowerment", 60}},
	[T_COLLECTIVE] = {{"mise_en_reseau", 60}, {"s_inserer", 40}, {"empowerment", 25}},
	[T_CONCERTATION] = {{"communaute_intervention", 85}},
	[T_LIAISON] = {{"communaute_intervention", 70}, {"mise_en_reseau", 20}},
	[T_PRESENTATION] = {{"communaute_intervention", 70}, {"s_inserer", 40}},
	[T_CRISE] = {{"proximite_relationnelle", 60}, {"proactif", 40}},
	[T_CODEV] = {{"communaute_intervention", 80}},
};
static const struct pct_code outcomes[W_TYPES][5] = {
	[T_CONTACT] = {{"lien_confiance", 55}, {"orientation_ressource", 15}},
	[T_DEMARCHAGE] = {{"lien_confiance", 45}, {"orientation_ressource", 25}},
	[T_ACCOMP] = {{"acces_service", 70}, {"orientation_ressource", 30}, {"lien_confiance", 30}},
	[T_INDIV] = {{"lien_confiance", 40},
		     {"orientation_ressource", 35},
		     {"reseau_soutien", 15},
		     {"acces_service", 15},
		     {"crise_desamorcee", 4}},
	[T_GROUPE] = {{"reseau_soutien", 50}, {"participation_sociale", 50}, {"aidant", 8}},
	[T_COLLECTIVE] = {{"participation_sociale", 75},
			  {"reseau_soutien", 25},
			  {"lien_confiance", 20},
			  {"aidant", 8}},
	[T_CONCERTATION] = {{"orientation_ressource", 10}},
	[T_LIAISON] = {{"acces_service", 25}, {"orientation_ressource", 25}},
	[T_PRESENTATION] = {{"orientation_ressource", 5}},
	[T_CRISE] = {{"crise_desamorcee", 80}, {"urgence_evitee", 45}, {"lien_confiance", 20}},
	[T_CODEV] = {{"reseau_soutien", 10}},
};

static const struct w_weight needs_family[] = {{"parentalite", 14},  {"developpement_enfant", 14},
					       {"isolement", 14},    {"alimentation", 10},
					       {"logement", 9},      {"revenu", 8},
					       {"sante_mentale", 8}, {"sante_physique", 6},
					       {"transport", 4},     {"violence", 3},
					       {"emploi", 4},        {"scolarite", 4},
					       {"autre", 2},         {NULL, 0}};
static const struct w_weight needs_immigrant[] = {{"francisation", 20},
						  {"immigration_statut", 16},
						  {"logement", 12},
						  {"emploi", 9},
						  {"isolement", 12},
						  {"revenu", 8},
						  {"scolarite", 8},
						  {"sante_physique", 7},
						  {"developpement_enfant", 8},
						  {NULL, 0}};
static const struct w_weight needs_street[] = {
	{"logement", 22},      {"dependances", 18}, {"sante_mentale", 18},
	{"alimentation", 12},  {"revenu", 10},      {"violence", 6},
	{"sante_physique", 8}, {"isolement", 6},    {NULL, 0}};
static const struct w_weight needs_school[] = {{"scolarite", 26},    {"developpement_enfant", 22},
					       {"parentalite", 16},  {"francisation", 8},
					       {"alimentation", 8},  {"isolement", 6},
					       {"sante_mentale", 6}, {NULL, 0}};
static const struct w_weight needs_rural[] = {
	{"parentalite", 30}, {"violence", 20}, {"transport", 30}, {"sante_mentale", 20}, {NULL, 0}};

/* Adds code to list (size cap) unless already there. */
static void add_code(const char **list, int *n, int cap, const char *code)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(list[i], code) == 0)
			return;
	if (*n < cap)
		list[(*n)++] = code;
}

struct day_ctx {
	struct gen *g;
	struct rng *r;
	const struct pos *p;
	int person;          /* author */
	int64_t holder_from; /* first day of the author in the position */
	int64_t day;
	int slot;
};

/* Other PAP (of another organisation) on the position's territory on day. */
static int other_paps(const struct day_ctx *c, int *out, int cap)
{
	int n = 0;
	for (size_t i = 0; i < w_position_count && n < cap; i++) {
		const struct pos *q = &c->g->pos[i];
		if (q->terr != c->p->terr || q->org == c->p->org)
			continue;
		int who = holder_on(c->g, q, c->day);
		if (who >= 0)
			out[n++] = who;
	}
	return n;
}

static int partner_orgs(const struct day_ctx *c, int *out, int cap)
{
	int n = 0;
	for (size_t i = 0; i < w_org_count && n < cap; i++)
		if ((int)i != c->p->org && org_serves((int)i, c->p->terr))
			out[n++] = (int)i;
	return n;
}

/* Draws k distinct values of v[0..n) into out (k <= n). */
static int pick_distinct(struct rng *r, const int *v, int n, int k, int *out)
{
	int tmp[32];
	if (n > 32)
		n = 32;
	memcpy(tmp, v, sizeof(int) * (size_t)n);
	if (k > n)
		k = n;
	for (int i = 0; i < k; i++) {
		int j = rng_int(r, i, n - 1);
		int t = tmp[i];
		tmp[i] = tmp[j];
		tmp[j] = t;
		out[i] = tmp[i];
	}
	return k;
}

static int round5(int m)
{
	return (m + 2) / 5 * 5;
}

/* Travel minutes (there and back) to reach place. */
static int travel(struct rng *r, const struct w_territory *t, enum w_profile prof, int type,
		  int place)
{
	if (type == T_ACCOMP)
		return t->travel_min * rng_int(r, 20, 30) / 10; /* drive the family and back */
	if (type == T_CONTACT && rng_pct(r, 60))
		return 0; /* met on the way, during a tour */
	switch (place) {
	case 0:
	case 7:
	case 9: return t->travel_min * rng_int(r, 14, 22) / 10;
	case 4: return rng_int(r, 5, t->travel_min);
	case 1:
	case 2:
	case 6: return rng_int(r, 5, 15);
	case 3: return rng_int(r, 0, 10);
	case 5: return prof == P_ECOLE ? 0 : rng_int(r, 10, 20);
	default: return 0;
	}
}

/* The place a note's words imply (index in places), or -1. */
static int note_place(const char *text)
{
	static const struct {
		const char *words;
		int place;
	} hints[] = {
		{"parc}", 1},         {"lieu}", 2},    {"domicile", 0},  {"Porte-à-porte", 0},
		{"porte-à-porte", 0}, {"téléphon", 8}, {"{ecole}", 5},   {"Courriel", 8},
		{"au local", 3},      {"au café", 2},  {"buanderie", 2},
	};
	for (size_t i = 0; i < ARRAY_LEN(hints); i++)
		if (strstr(text, hints[i].words))
			return hints[i].place;
	return -1;
}

/* What gen_activity draws for one activity, in the order it draws it (the
 * order keeps the demo the same from one version to the next). */
struct act_draw {
	struct pdate pd;
	int type, place;
	const struct fam *fam;    /* the followed family, or NULL */
	const struct w_origin *o; /* the immigrant context, or NULL */
	bool interpreter;
	int dur, dep, itp, red, prep, start;
	int ad, c05, c617, nfam, nnew, hors;
	const char *needs[3], *outs[5], *strats[4];
	int nneeds, nouts, nstrats;
	int cand[32], ncand, partners[6], npart, with[4], nwith;
	bool unplanned;
	const char *init;
	const struct w_note *note;
};

/* Draws the activity's type, place, followed family, immigrant context
 * (o) and whether an interpreter is needed. */
static void act_draw_kind(const struct day_ctx *c, bool weekend, struct act_draw *a)
{
	struct gen *g = c->g;
	struct rng *r = c->r;
	const struct pos *p = c->p;
	const struct w_territory *t = &w_territories[p->terr];
	enum w_profile prof = p->w->profile;
	a->pd = ptime_civil_from_days(c->day);
	bool summer = a->pd.month >= 6 && a->pd.month <= 8;
	bool winter = a->pd.month >= 11 || a->pd.month <= 4;

	/* Type. */
	int tw[W_TYPES];
	memcpy(tw, w_type_weights[prof], sizeof(tw));
	if (c->day - c->holder_from < 60)
		tw[T_PRESENTATION] *= 4; /* a new PAP presents herself to the partners */
	if (summer || a->pd.month == 12)
		tw[T_COLLECTIVE] = tw[T_COLLECTIVE] * 3 / 2;
	if (weekend) {
		memset(tw, 0, sizeof(tw));
		tw[T_COLLECTIVE] = 6;
		tw[T_CONTACT] = 3;
		tw[T_CRISE] = prof == P_RUE ? 2 : 0;
	}
	a->type = rng_weighted(r, tw, W_TYPES);

	/* Place. */
	int pw[W_PLACES];
	memcpy(pw, place_weights[a->type], sizeof(pw));
	a->place = rng_weighted(r, pw, W_PLACES);
	if (prof == P_ECOLE &&
	    (a->type == T_CONTACT || a->type == T_GROUPE || a->type == T_INDIV) && rng_pct(r, 55))
		a->place = 5; /* ecole */
	if (prof == P_RUE && (a->type == T_CONTACT || a->type == T_DEMARCHAGE) && rng_pct(r, 50))
		a->place = 6; /* rue */
	if (winter && a->place == 1 && rng_pct(r, 70))
		a->place = rng_pct(r, 50) ? 3 : 2;

	/* A followed family, when the work is with one family. */
	if ((a->type == T_ACCOMP || a->type == T_INDIV || a->type == T_CRISE) && rng_pct(r, 55))
		a->fam = family_open(g, r, p->org, c->day, false);
	else if (a->type == T_CONTACT && rng_pct(r, 12))
		a->fam = family_open(g, r, p->org, c->day, false);

	/* Immigrant context: the family's language, or the territory's mix. */
	if (a->fam)
		a->o = a->fam->origin;
	else if (a->type != T_CONCERTATION && a->type != T_LIAISON && a->type != T_CODEV &&
		 a->type != T_PRESENTATION &&
		 (prof == P_IMMIGRATION || rng_pct(r, t->immigrant_pct)))
		a->o = origin_of(terr_lang(r, t, true));
	/* The MIFI intervenante speaks Spanish; English needs no interpreter. */
	a->interpreter = a->o && strcmp(a->o->lang, "en") != 0 &&
			 !(prof == P_IMMIGRATION && strcmp(a->o->lang, "es") == 0) &&
			 (a->type == T_ACCOMP || a->type == T_INDIV || a->type == T_CRISE ||
			  a->type == T_GROUPE) &&
			 rng_pct(r, 80);
}

/* Draws the direct and indirect minutes and the start time (-1: none). */
static void act_draw_time(const struct day_ctx *c, bool weekend, struct act_draw *a)
{
	struct rng *r = c->r;
	const struct pos *p = c->p;
	const struct w_territory *t = &w_territories[p->terr];
	enum w_profile prof = p->w->profile;
	/* Time. */
	a->dur = round5(rng_int(r, durations[a->type][0], durations[a->type][1]));
	if (a->type == T_INDIV && a->place == 8)
		a->dur = round5(rng_int(r, 15, 35));
	if (a->dur < 5)
		a->dur = 5;
	a->dep = travel(r, t, prof, a->type, a->place);
	if (a->interpreter)
		a->itp = a->type == T_GROUPE ? a->dur
			 : a->type == T_ACCOMP
				 ? a->dur * rng_int(r, 40, 70) / 100
				 : a->dur * rng_int(r, 60, 100) / 100 + rng_int(r, 15, 30);
	a->red = rng_int(r, redaction[a->type][0], redaction[a->type][1]);
	if (a->type == T_CONTACT && rng_pct(r, 50))
		a->red = 0;
	if (prof == P_CLSC && a->red)
		a->red += 10; /* notes au dossier */
	if (a->interpreter)
		a->red += rng_int(r, 10, 20);
	a->prep = rng_int(r, preparation[a->type][0], preparation[a->type][1]);
	if (a->type == T_INDIV && rng_pct(r, 70))
		a->prep = 0;
	if (a->interpreter)
		a->prep += rng_int(r, 10, 20); /* booking and briefing the interpreter */

	/* Start time. */
	a->start = -1;
	if (!rng_pct(r, 10)) {
		static const int slot_from[4] = {510, 630, 810, 960};
		int s = c->slot < 4 ? c->slot : 3;
		a->start = slot_from[s] + rng_int(r, 0, 8) * 15;
		if (a->type == T_COLLECTIVE && (weekend || rng_pct(r, 40)))
			a->start = weekend ? 600 + rng_int(r, 0, 4) * 30
					   : 1050 + rng_int(r, 0, 2) * 30;
		if (a->type == T_GROUPE && rng_pct(r, 25))
			a->start = 1110; /* 18 h 30, after work */
	}
}

/* Draws the people reached, by type and profile. */
static void act_draw_counts(const struct day_ctx *c, struct act_draw *a)
{
	struct rng *r = c->r;
	const struct pos *p = c->p;
	enum w_profile prof = p->w->profile;
	/* Counts. */
	bool familyish = prof != P_RUE && prof != P_ANIMATION;
	switch (a->type) {
	case T_CONTACT:
		a->ad = rng_pct(r, 80) ? 1 : 2;
		a->c05 = familyish && rng_pct(r, 60) ? rng_int(r, 1, 2) : 0;
		a->c617 = rng_pct(r, prof == P_ECOLE || prof == P_RUE ? 40 : 15) ? 1 : 0;
		a->nfam = a->c05 || a->c617 || rng_pct(r, 30) ? 1 : 0;
		a->nnew = rng_pct(r, 35) ? a->ad : 0;
		a->hors = a->nnew && rng_pct(r, 45) ? a->nnew : 0;
		break;
	case T_DEMARCHAGE:
		a->ad = rng_int(r, 2, 12);
		a->c05 = familyish ? rng_int(r, 0, 6) : 0;
		a->c617 = rng_int(r, 0, prof == P_RUE ? 5 : 3);
		a->nfam = familyish ? (a->ad * 6 + 9) / 10 : 0;
		a->nnew = rng_int(r, 0, a->ad / 2 + 1);
		a->hors = rng_int(r, 0, a->nnew);
		break;
	case T_ACCOMP:
	case T_INDIV:
	case T_CRISE:
		a->ad = rng_pct(r, 75) ? 1 : 2;
		a->c05 = familyish && rng_pct(r, 55) ? rng_int(r, 1, 3) : 0;
		a->c617 = rng_pct(r, prof == P_ECOLE ? 60 : 20) ? rng_int(r, 1, 2) : 0;
		a->nfam = prof == P_RUE ? 0 : 1;
		a->nnew = rng_pct(r, 12) ? 1 : 0;
		a->hors = a->nnew && rng_pct(r, 50) ? 1 : 0;
		break;
	case T_GROUPE:
		a->ad = rng_int(r, 4, 12);
		a->c05 = familyish ? rng_int(r, 0, 10) : 0;
		a->c617 = prof == P_ECOLE ? rng_int(r, 0, 4) : 0;
		a->nfam = familyish ? a->ad - rng_int(r, 0, 2) : 0;
		a->nnew = rng_int(r, 0, 2);
		a->hors = rng_int(r, 0, a->nnew);
		break;
	case T_COLLECTIVE:
		a->ad = rng_int(r, 12, 80);
		a->c05 = rng_int(r, 5, 40);
		a->c617 = rng_int(r, 3, 30);
		a->nfam = rng_int(r, a->ad / 3, a->ad * 2 / 3);
		a->nnew = a->ad * rng_int(r, 5, 20) / 100;
		a->hors = a->nnew * rng_int(r, 0, 50) / 100;
		break;
	default: break;
	}
	if (p->terr == 2 && a->nnew == 0 && a->ad > 0 && rng_pct(r, 10))
		a->nnew = 1; /* a territory where families keep arriving */
	if (a->fam)
		a->nfam = 0; /* counted through the followed family */
	if (a->hors > a->nnew)
		a->hors = a->nnew;
}

/* Draws the needs, outcomes and strategies. */
static void act_draw_codes(const struct day_ctx *c, struct act_draw *a)
{
	struct rng *r = c->r;
	const struct pos *p = c->p;
	enum w_profile prof = p->w->profile;
	/* Needs. */
	int want = a->type == T_CONCERTATION || a->type == T_LIAISON ? rng_int(r, 0, 1)
		   : a->type == T_CODEV || a->type == T_PRESENTATION ? 0
		   : a->type == T_CONTACT                            ? (rng_pct(r, 50) ? 1 : 0)
								     : rng_int(r, 1, 3);
	for (int i = 0; i < want; i++) {
		const struct w_weight *pool = prof == P_RUE            ? needs_street
					      : prof == P_ECOLE        ? needs_school
					      : a->o && rng_pct(r, 65) ? needs_immigrant
								       : needs_family;
		if (p->terr == 1 && rng_pct(r, 25))
			pool = needs_rural;
		if ((p->org == org_index("X-HAVRE") || p->org == org_index("B-CDF")) &&
		    rng_pct(r, 30))
			add_code(a->needs, &a->nneeds, 3, "violence");
		else
			add_code(a->needs, &a->nneeds, 3, rng_code(r, pool, 16));
	}

	/* Outcomes and strategies. */
	for (int i = 0; i < 5 && outcomes[a->type][i].code; i++)
		if (rng_pct(r, outcomes[a->type][i].pct))
			add_code(a->outs, &a->nouts, 5, outcomes[a->type][i].code);
	if (!rng_pct(r, 15))
		for (int i = 0; i < 4 && strategies[a->type][i].code; i++)
			if (rng_pct(r, strategies[a->type][i].pct))
				add_code(a->strats, &a->nstrats, 4, strategies[a->type][i].code);
}

/* Draws the partner organisations and the other PAP present. */
static void act_draw_partners(const struct day_ctx *c, struct act_draw *a)
{
	struct rng *r = c->r;
	/* Partners and other PAP. */
	a->ncand = partner_orgs(c, a->cand, 32);
	int want_part = 0;
	switch (a->type) {
	case T_CONCERTATION: want_part = rng_int(r, 2, 5); break;
	case T_LIAISON: want_part = rng_pct(r, 80); break;
	case T_ACCOMP: want_part = rng_pct(r, 60); break;
	case T_COLLECTIVE: want_part = rng_pct(r, 70) ? rng_int(r, 1, 3) : 0; break;
	case T_PRESENTATION:          /* always made to a partner (the model requires one) */
		(void)rng_pct(r, 90); /* keep the draw: the rest of the demo stays the same */
		want_part = 1;
		break;
	case T_GROUPE: want_part = rng_pct(r, 30); break;
	case T_CODEV: want_part = rng_pct(r, 60) ? rng_int(r, 2, 4) : 0; break;
	default: want_part = rng_pct(r, 5); break;
	}
	a->npart = pick_distinct(r, a->cand, a->ncand, want_part, a->partners);
	int pw2[W_TYPES] = {[T_DEMARCHAGE] = 15, [T_COLLECTIVE] = 30, [T_CONCERTATION] = 50,
			    [T_CODEV] = 70,      [T_ACCOMP] = 8,      [T_GROUPE] = 10};
	if (rng_pct(r, pw2[a->type])) {
		int others[32];
		int nothers = other_paps(c, others, 32);
		int k = a->type == T_CODEV          ? rng_int(r, 2, 4)
			: a->type == T_CONCERTATION ? rng_int(r, 1, 3)
						    : 1;
		a->nwith = pick_distinct(r, others, nothers, k, a->with);
	}
}

/* Draws whether the activity was planned and who initiated it. */
static void act_draw_initiative(const struct day_ctx *c, struct act_draw *a)
{
	struct rng *r = c->r;
	/* Planned or not, and who initiated it. */
	static const int unplanned_pct[W_TYPES] = {90, 40, 5, 10, 0, 0, 0, 15, 0, 85, 0};
	a->unplanned = rng_pct(r, unplanned_pct[a->type]);
	switch (a->type) {
	case T_CONTACT: a->init = rng_pct(r, 70) ? "pap" : "personne"; break;
	case T_DEMARCHAGE:
	case T_COLLECTIVE: a->init = "pap"; break;
	case T_CRISE:
		a->init = rng_pct(r, 60) ? "personne" : rng_pct(r, 75) ? "partenaire" : "pap";
		break;
	case T_CONCERTATION:
	case T_PRESENTATION:
	case T_CODEV: a->init = rng_pct(r, 60) ? "partenaire" : "pap"; break;
	default: {
		int x = rng_int(r, 0, 99);
		a->init = x < 40 ? "personne" : x < 75 ? "pap" : "partenaire";
		break;
	}
	}
}

/* Draws a note in the PAP's words (into g->scratch), which may move the
 * activity to the place it names. */
static void act_draw_note(const struct day_ctx *c, struct act_draw *a)
{
	struct gen *g = c->g;
	struct rng *r = c->r;
	const struct pos *p = c->p;
	const struct w_territory *t = &w_territories[p->terr];
	enum w_profile prof = p->w->profile;
	/* A note two times out of three, in the PAP's words; a note that names
	 * a place moves the activity there. */
	if (rng_pct(r, 65)) {
		const struct w_notes *bank = &w_notes_by_type[a->type];
		for (int tries = 0; tries < 8 && !a->note; tries++) {
			const struct w_note *n = &bank->v[rng_int(r, 0, (int)bank->n - 1)];
			if (text_fits(n->flags, t, prof, a->o, a->pd.month))
				a->note = n;
		}
	}
	if (a->note) {
		struct slots s = {is_man(c->person),
				  t,
				  a->npart ? w_orgs[a->partners[0]].short_name : NULL,
				  a->o,
				  a->nfam ? a->nfam : 1,
				  a->ad ? a->ad : 1,
				  r};
		if (!s.ressource && a->ncand)
			s.ressource = w_orgs[a->cand[rng_int(r, 0, a->ncand - 1)]].short_name;
		buf_reset(&g->scratch);
		expand(&g->scratch, a->note->text, &s);
		int hint = note_place(a->note->text);
		if (hint >= 0 && hint != a->place) {
			a->place = hint;
			a->dep = travel(r, t, prof, a->type, a->place);
		}
	}
}

/* Writes activity a as record id (components may still be drawn). */
static void act_write(const struct day_ctx *c, struct act_draw *a, const char *id)
{
	struct gen *g = c->g;
	struct rng *r = c->r;
	const struct pos *p = c->p;
	const struct w_territory *t = &w_territories[p->terr];
	/* Write it. */
	rec_begin(g, DEMO_ACTIVITY, id);
	kv_ref(g, "author", w_persons[c->person].id);
	kv_ref(g, "territory", t->id);
	kv_date(g, "date", c->day);
	if (a->start >= 0) {
		char hm[16]; /* "HH:MM", sized for any int (-Wformat-truncation) */
		snprintf(hm, sizeof(hm), "%02d:%02d", a->start / 60 % 24, a->start % 60);
		jsonw_kv_str(&g->w, "start_time", hm);
	}
	jsonw_kv_int(&g->w, "duration_min", a->dur);
	jsonw_key(&g->w, "indirect");
	jsonw_obj_begin(&g->w);
	jsonw_kv_int(&g->w, "deplacement", a->dep);
	jsonw_kv_int(&g->w, "interprete", a->itp);
	jsonw_kv_int(&g->w, "redaction", a->red);
	jsonw_kv_int(&g->w, "preparation", a->prep);
	jsonw_obj_end(&g->w);
	jsonw_kv_str(&g->w, "type", w_types[a->type]);
	/* Components are usually left to the type; some entries name two. */
	if (a->npart && a->type == T_ACCOMP && rng_pct(r, 30)) {
		const char *comp[2] = {"accompagnement", "collaboration"};
		kv_codes(g, "components", comp, 2);
	} else if (a->npart && a->type == T_COLLECTIVE && rng_pct(r, 30)) {
		const char *comp[2] = {"demarchage", "collaboration"};
		kv_codes(g, "components", comp, 2);
	}
	kv_codes(g, "strategies", a->strats, (size_t)a->nstrats);
	jsonw_kv_str(&g->w, "place", places[a->place]);
	jsonw_kv_bool(&g->w, "unplanned", a->unplanned);
	jsonw_kv_str(&g->w, "initiated_by", a->init);
	jsonw_key(&g->w, "counts");
	jsonw_obj_begin(&g->w);
	jsonw_kv_int(&g->w, "adults", a->ad);
	jsonw_kv_int(&g->w, "children_0_5", a->c05);
	jsonw_kv_int(&g->w, "children_6_17", a->c617);
	jsonw_kv_int(&g->w, "families", a->nfam);
	jsonw_kv_int(&g->w, "new_contacts", a->nnew);
	jsonw_kv_int(&g->w, "hors_reseau", a->hors);
	jsonw_obj_end(&g->w);
	if (a->fam) {
		jsonw_key(&g->w, "families");
		jsonw_arr_begin(&g->w);
		ref_item(g, a->fam->id);
		jsonw_arr_end(&g->w);
	}
	if (a->npart) {
		jsonw_key(&g->w, "partners");
		jsonw_arr_begin(&g->w);
		for (int i = 0; i < a->npart; i++)
			ref_item(g, w_orgs[a->partners[i]].id);
		jsonw_arr_end(&g->w);
	}
	if (a->nwith) {
		jsonw_key(&g->w, "with_pap");
		jsonw_arr_begin(&g->w);
		for (int i = 0; i < a->nwith; i++)
			ref_item(g, w_persons[a->with[i]].id);
		jsonw_arr_end(&g->w);
	}
	kv_codes(g, "needs", a->needs, (size_t)a->nneeds);
	kv_codes(g, "outcomes", a->outs, (size_t)a->nouts);

	if (a->note)
		jsonw_kv_str(&g->w, "note", g->scratch.data);
	rec_end(g);
}

/* Keeps id in the reservoir of the person's recent activities of its type
 * (what later records refer to). */
static void act_remember(const struct day_ctx *c, const struct act_draw *a, const char *id)
{
	struct gen *g = c->g;
	struct last_act *la = &g->last[(size_t)c->person * W_TYPES + (size_t)a->type];
	struct rng pick = rng_for(g->seed, 'K', g->act_seq);
	unsigned slot =
		la->seen < RESERVOIR ? la->seen : (unsigned)rng_int(&pick, 0, (int)la->seen);
	la->seen++;
	if (slot < RESERVOIR) {
		str_copy(la->id[slot], sizeof(la->id[slot]), id);
		la->day[slot] = c->day;
	}
}

static void gen_activity(struct day_ctx *c, bool weekend)
{
	struct act_draw a = {0};
	act_draw_kind(c, weekend, &a);
	act_draw_time(c, weekend, &a);
	act_draw_counts(c, &a);
	act_draw_codes(c, &a);
	act_draw_partners(c, &a);
	act_draw_initiative(c, &a);
	act_draw_note(c, &a);
	char id[24];
	snprintf(id, sizeof(id), "ACT-%06u", ++c->g->act_seq);
	act_write(c, &a, id);
	act_remember(c, &a, id);
}

/* Summer holidays of holder h: [from, to] as month*31+day ordinals. */
static void vacation(struct rng *r, enum w_profile prof, int *from, int *to)
{
	if (prof == P_ECOLE) { /* the school is closed */
		*from = 6 * 31 + 27;
		*to = 7 * 31 + 18;
		return;
	}
	int start = 6 * 31 + rng_int(r, 1, 40); /* July 1 – Aug 9 */
	*from = start;
	*to = start + rng_int(r, 3, 4) * 7 - 1;
}

static void gen_activities(struct gen *g)
{
	for (size_t i = 0; i < w_position_count; i++) {
		const struct pos *p = &g->pos[i];
		for (int h = 0; h < p->nholders; h++) {
			int64_t from, to;
			holder_span(g, p, h, &from, &to);
			if (from > to)
				continue;
			struct rng r = rng_for(g->seed, 'A', i * 8 + (unsigned)h);
			int vfrom, vto;
			vacation(&r, p->w->profile, &vfrom, &vto);
			int64_t hfrom = ago(g, p->w->holders[h].from_ago);
			for (int64_t d = from; d <= to && !g->err; d++) {
				struct pdate pd = ptime_civil_from_days(d);
				int ord = (pd.month - 1) * 31 + pd.day;
				int wd = weekday(d);
				struct day_ctx c = {g, &r, p, p->holder_person[h], hfrom, d, 0};
				if (wd >= 5) {
					/* A Saturday event now and then. */
					int pct = p->w->profile == P_ANIMATION ||
								  p->w->profile == P_RUE
							  ? 12
							  : 3;
					if (wd == 5 && !holiday(d) && rng_pct(&r, pct))
						gen_activity(&c, true);
					continue;
				}
				if (holiday(d) || (ord >= vfrom && ord <= vto) || rng_pct(&r, 3))
					continue;
				int n = p->w->rate10 / 10 +
					(rng_pct(&r, p->w->rate10 % 10 * 10) ? 1 : 0);
				int x = rng_int(&r, 0, 99);
				n += x < 18 ? -1 : x >= 88 ? 1 : 0;
				for (int k = 0; k < n; k++) {
					c.slot = k;
					gen_activity(&c, false);
				}
			}
		}
	}
}

/* ---- Referrals ------------------------------------------------------- */

static const char *const lost_reasons[] = {
	"Famille jamais jointe malgré trois relances.",
	"La famille a déménagé sans laisser de coordonnées.",
	"Rendez-vous manqués; dossier fermé sans autre relance.",
	"Numéro de téléphone hors service.",
};

struct hop_times {
	int64_t first_contact, sent, received, taken, closed;
	const char *outcome, *reason;
	const char *refusal_code; /* a refusal's coded reason, or NULL */
};

static void write_referral(struct gen *g, const char *id, const struct fam *f, int from, int to,
			   const struct w_corridor *c, const char *need, const struct hop_times *h,
			   const char *previous, bool loop)
{
	BUG_ON(from == to);
	rec_begin(g, DEMO_REFERRAL, id);
	kv_ref(g, "family", f->id);
	kv_ref(g, "from_organisation", w_orgs[from].id);
	kv_ref(g, "to_organisation", w_orgs[to].id);
	if (c)
		kv_ref(g, "corridor", c->id);
	if (need)
		jsonw_kv_str(&g->w, "need", need);
	kv_time(g, "first_contact_at", h->first_contact);
	kv_time(g, "sent_at", h->sent);
	kv_time(g, "received_at", h->received);
	kv_time(g, "taken_at", h->taken);
	kv_time(g, "closed_at", h->closed);
	if (h->outcome)
		jsonw_kv_str(&g->w, "outcome", h->outcome);
	if (h->refusal_code && (g->opt->extras & DEMO_X_REASON))
		jsonw_kv_str(&g->w, "refusal_code", h->refusal_code);
	if (h->reason && (g->opt->extras & DEMO_X_REASON))
		jsonw_kv_str(&g->w, "reason", h->reason);
	if (previous)
		kv_ref(g, "previous", previous);
	if (loop)
		jsonw_kv_bool(&g->w, "loop_detected", true);
	rec_end(g);
}

enum { S_QUICK, S_LATE, S_REFUSED, S_LOST, S_OPEN, S_REORIENT };

/* Fills h for a last hop ending with scenario s, dropping what would lie
 * after now (such a referral is simply still open). */
static void finish_hop(struct gen *g, struct rng *r, int s, int late_pct, struct hop_times *h)
{
	h->received = h->taken = h->closed = 0;
	h->outcome = h->reason = h->refusal_code = NULL;
	switch (s) {
	case S_QUICK:
		h->received = h->sent + rng_int(r, 1, 6) * 3600;
		h->taken = h->received + rng_int(r, 1, 20) * 3600;
		h->outcome = "prise_en_charge";
		break;
	case S_LATE: /* later where lateness is common */
		h->received = h->sent + rng_int(r, 4, 72) * 3600;
		h->taken = h->sent + (int64_t)rng_int(r, 3, 3 + late_pct / 2) * 86400 +
			   rng_int(r, 0, 8) * 3600;
		h->outcome = "prise_en_charge";
		break;
	case S_REFUSED: {
		h->received = h->sent + rng_int(r, 2, 48) * 3600;
		h->closed = h->received + rng_int(r, 2, 72) * 3600;
		const struct w_refusal *why = &w_refusals[rng_int(r, 0, (int)w_refusal_count - 1)];
		h->outcome = "refusee";
		h->reason = why->text;
		h->refusal_code = why->code;
		break;
	}
	case S_LOST:
		if (rng_pct(r, 60))
			h->received = h->sent + rng_int(r, 3, 96) * 3600;
		h->closed = h->sent + (int64_t)rng_int(r, 30, 60) * 86400;
		h->outcome = "perdue";
		h->reason = PICK(r, lost_reasons);
		break;
	default: /* S_OPEN */
		if (rng_pct(r, 50))
			h->received = h->sent + rng_int(r, 2, 30) * 3600;
		break;
	}
	if (h->received > g->now)
		h->received = 0;
	if (h->taken > g->now || h->closed > g->now) {
		h->taken = h->closed = 0;
		h->outcome = h->reason = h->refusal_code = NULL;
	}
}

/* An organisation of the territory, not in avoid[0..n). */
static int other_org(struct rng *r, int terr, const int *avoid, int n)
{
	int cand[32], k = 0;
	for (size_t i = 0; i < w_org_count && k < 32; i++) {
		bool bad = !org_serves((int)i, terr);
		for (int j = 0; j < n && !bad; j++)
			bad = avoid[j] == (int)i;
		if (!bad)
			cand[k++] = (int)i;
	}
	return k ? cand[rng_int(r, 0, k - 1)] : -1;
}

static const struct w_corridor *corridor_into(int org, int terr)
{
	for (size_t i = 0; i < w_corridor_count; i++)
		if (org_index(w_corridors[i].entry) == org &&
		    strcmp(w_corridors[i].terr, w_territories[terr].id) == 0)
			return &w_corridors[i];
	return NULL;
}

/* The start of a referral trajectory on territory terr (t): a corridor
 * drawn by weight (*cp, its entry organisation *entry), a sender of the
 * territory with families (*sender) and a family of it open on *day with
 * referral consent; NULL when none is found. */
static const struct fam *referral_start(struct gen *g, struct rng *r, int terr,
					const struct w_territory *t, const struct w_corridor **cp,
					int *entry, int *sender, int64_t *day)
{
	int cw[32] = {0}, ci[32] = {0}, nc = 0;
	for (size_t i = 0; i < w_corridor_count && nc < 32; i++)
		if (strcmp(w_corridors[i].terr, t->id) == 0) {
			cw[nc] = w_corridors[i].weight;
			ci[nc++] = (int)i;
		}
	if (!nc)
		return NULL;
	const struct w_corridor *c = &w_corridors[ci[rng_weighted(r, cw, nc)]];
	*cp = c;
	*entry = org_index(c->entry);
	/* The sender: an organisation of the territory with families. */
	int senders[32], ns = 0;
	for (size_t o = 0; o < w_org_count; o++)
		if ((int)o != *entry && g->org_fam_n[o] &&
		    g->fams[g->org_fam_start[o]].terr == terr)
			senders[ns++] = (int)o;
	if (!ns)
		return NULL;
	const struct fam *f = NULL;
	for (int tries = 0; tries < 10 && !f; tries++) {
		*sender = senders[rng_int(r, 0, ns - 1)];
		int64_t lo = g->first > ago(g, c->from_ago) ? g->first : ago(g, c->from_ago);
		*day = lo + rng_int(r, 0, (int)(g->today - lo));
		if (weekday(*day) >= 5)
			*day -= weekday(*day) - 4; /* back to Friday */
		f = family_open(g, r, *sender, *day, true);
	}
	return f;
}

static void gen_referrals(struct gen *g)
{
	static const int terr_share[W_TERRITORIES] = {22, 20, 32, 26};
	unsigned seq = 0;
	const unsigned trajectories = 215;
	for (unsigned tj = 0; tj < trajectories && !g->err; tj++) {
		struct rng r = rng_for(g->seed, 'R', tj);
		int terr = rng_weighted(&r, terr_share, W_TERRITORIES);
		const struct w_territory *t = &w_territories[terr];
		const struct w_corridor *c;
		int entry, sender = -1;
		int64_t day = 0;
		const struct fam *f = referral_start(g, &r, terr, t, &c, &entry, &sender, &day);
		if (!f)
			continue;

		int x = rng_int(&r, 0, 99), s;
		int q = t->quick_pct, l = q + t->late_pct, rf = l + t->refused_pct,
		    ro = rf + t->reoriented_pct, lo2 = ro + t->lost_pct;
		s = x < q     ? S_QUICK
		    : x < l   ? S_LATE
		    : x < rf  ? S_REFUSED
		    : x < ro  ? S_REORIENT
		    : x < lo2 ? S_LOST
			      : S_OPEN;

		struct hop_times h = {0};
		h.sent = day_at(day, rng_int(&r, 510, 960));
		if (h.sent > g->now)
			h.sent = g->now - rng_int(&r, 1, 6) * 3600;
		/* The PAP met the family for this need shortly before sending. */
		if (rng_pct(&r, 70))
			h.first_contact =
				h.sent - (rng_pct(&r, 75) ? rng_int(&r, 1, 12) * 3600
							  : (int64_t)rng_int(&r, 24, 48) * 3600);
		char id[24], prev[24];
		snprintf(id, sizeof(id), "REF-%04u", ++seq);
		if (s != S_REORIENT) {
			finish_hop(g, &r, s, t->late_pct, &h);
			write_referral(g, id, f, sender, entry, c, c->need, &h, NULL, false);
			continue;
		}
		/* A re-orientation chain; a third of them come back to an
		 * organisation already in the chain (a loop). */
		bool loop = rng_pct(&r, t->reoriented_pct >= 15 ? 50 : 30);
		int chain[4] = {sender, entry};
		int hops = loop && rng_pct(&r, 50) ? 3 : 2;
		int to = entry;
		const struct w_corridor *hc = c;
		int from = sender;
		bool looped = false; /* the hop being written comes back in the chain */
		for (int k = 0; k < hops; k++) {
			bool last = k == hops - 1;
			if (!last) {
				h.received = h.sent + rng_int(&r, 1, 20) * 3600;
				h.closed = h.received + (int64_t)rng_int(&r, 1, 5) * 86400;
				h.taken = 0;
				h.outcome = "reorientee";
				h.reason =
					"Besoin relevant plutôt d'un autre service du territoire.";
				if (h.closed > g->now) {
					finish_hop(g, &r, S_OPEN, t->late_pct, &h);
					last = true;
				}
			} else {
				int fs = rng_int(&r, 0, 99);
				finish_hop(g, &r,
					   fs < 45   ? S_QUICK
					   : fs < 75 ? S_LATE
					   : fs < 88 ? S_LOST
						     : S_REFUSED,
					   t->late_pct, &h);
			}
			write_referral(g, id, f, from, to, hc, c->need, &h, k ? prev : NULL,
				       looped);
			if (last)
				break;
			/* Next hop: from the receiver to someone else. */
			str_copy(prev, sizeof(prev), id);
			snprintf(id, sizeof(id), "REF-%04u", ++seq);
			int next;
			if (loop && k == hops - 2) {
				next = chain[rng_int(&r, 0, k)]; /* back to an earlier one */
				if (next == to)
					next = chain[0];
				looped = true;
			} else {
				next = other_org(&r, terr, chain, k + 2);
			}
			if (next < 0 || next == to)
				break;
			chain[k + 2] = next;
			int64_t sent = h.closed + rng_int(&r, 1, 24) * 3600;
			memset(&h, 0, sizeof(h));
			h.sent = sent > g->now ? g->now : sent;
			from = to;
			to = next;
			hc = corridor_into(to, terr);
		}
	}
}

/* ---- Team follow-up -------------------------------------------------- */

/* The next working day at or after d. */
static int64_t workday(int64_t d)
{
	while (weekday(d) >= 5 || holiday(d))
		d++;
	return d;
}

static void gen_supervision(struct gen *g)
{
	unsigned seq = 0;
	for (size_t i = 0; i < w_position_count; i++) {
		const struct pos *p = &g->pos[i];
		const struct w_territory *t = &w_territories[p->terr];
		const char *mgr = w_orgs[p->org].manager;
		for (int h = 0; h < p->nholders; h++) {
			int64_t from, to;
			holder_span(g, p, h, &from, &to);
			struct rng r = rng_for(g->seed, 'S', i * 8 + (unsigned)h);
			int weeks = t->supervision_weeks;
			if (p->w->profile == P_CLSC && weeks > 3)
				weeks = 3;
			for (int64_t d = workday(from + rng_int(&r, 0, weeks * 7 - 1)); d <= to;
			     d = workday(d + weeks * 7 + rng_int(&r, -2, 2))) {
				if (rng_pct(&r, 12))
					continue; /* cancelled */
				char id[24];
				snprintf(id, sizeof(id), "SUP-%05u", ++seq);
				rec_begin(g, DEMO_SUPERVISION, id);
				kv_ref(g, "person", w_persons[p->holder_person[h]].id);
				kv_ref(g, "supervisor", mgr);
				kv_date(g, "date", d);
				jsonw_key(&g->w, "hours");
				jsonw_double(&g->w, rng_pct(&r, 60) ? 1.0 : 1.5, 1);
				jsonw_kv_str(&g->w, "type", "individuelle");
				rec_end(g);
			}
			/* Group: the MFA pilot's community of practice every six
			 * weeks; territory D's inter-organisation codéveloppement
			 * every month. */
			int group_weeks = p->terr == 3                                ? 4
					  : strcmp(w_orgs[p->org].sector, "MFA") == 0 ? 6
										      : 0;
			if (!group_weeks)
				continue;
			for (int64_t d = workday(from + rng_int(&r, 0, 13)); d <= to;
			     d = workday(d + group_weeks * 7)) {
				char id[24];
				snprintf(id, sizeof(id), "SUP-%05u", ++seq);
				rec_begin(g, DEMO_SUPERVISION, id);
				kv_ref(g, "person", w_persons[p->holder_person[h]].id);
				kv_ref(g, "supervisor", mgr);
				kv_date(g, "date", d);
				jsonw_key(&g->w, "hours");
				jsonw_double(&g->w, p->terr == 3 ? 3.0 : 2.0, 1);
				jsonw_kv_str(&g->w, "type",
					     p->terr == 3 ? "codeveloppement" : "groupe");
				rec_end(g);
			}
		}
	}
}

static const struct w_weight support_types[] = {{"charge_emotionnelle", 30},
						{"situation_complexe", 28},
						{"clarification_mandat", 14},
						{"securite", 10},
						{"surcharge", 12},
						{"conflit_partenaire", 6},
						{NULL, 0}};

static void gen_support(struct gen *g)
{
	unsigned seq = 0;
	for (size_t i = 0; i < w_position_count; i++) {
		const struct pos *p = &g->pos[i];
		const struct w_territory *t = &w_territories[p->terr];
		for (int h = 0; h < p->nholders; h++) {
			int64_t from, to;
			holder_span(g, p, h, &from, &to);
			if (from > to)
				continue;
			struct rng r = rng_for(g->seed, 'Q', i * 8 + (unsigned)h);
			int span = (int)(to - from + 1);
			int per_year = t->support_per_year;
			/* PAP who left their position were running on empty. */
			if (h < p->nholders - 1 && p->w->holders[h].to_ago != W_NONE)
				per_year += 3;
			int n = per_year * span / 365 +
				(rng_pct(&r, per_year * span % 365 * 100 / 365) ? 1 : 0);
			for (int k = 0; k < n; k++) {
				int64_t d = workday(from + rng_int(&r, 0, span - 1));
				if (d > to)
					d = to;
				char id[24];
				snprintf(id, sizeof(id), "SOU-%04u", ++seq);
				rec_begin(g, DEMO_SUPPORT_REQUEST, id);
				kv_ref(g, "person", w_persons[p->holder_person[h]].id);
				kv_date(g, "date", d);
				jsonw_kv_str(&g->w, "addressed_to",
					     w_orgs[p->org].manager && rng_pct(&r, 60)
						     ? "gestionnaire"
						     : "equipe");
				jsonw_kv_str(&g->w, "type", rng_code(&r, support_types, 16));
				rec_end(g);
			}
		}
	}
}

static int clamp_score(int s10)
{
	int s = (s10 + 5) / 10;
	return s < 1 ? 1 : s > 5 ? 5 : s;
}

static void gen_surveys(struct gen *g)
{
	unsigned seq = 0;
	/* PAP wellbeing, three waves a year. */
	static const int waves[3] = {320, 200, 80};
	for (int wv = 0; wv < 3; wv++) {
		for (size_t i = 0; i < w_position_count; i++) {
			const struct pos *p = &g->pos[i];
			struct rng r = rng_for(g->seed, 'V', i * 8 + (unsigned)wv);
			int64_t d = workday(g->today - waves[wv] + rng_int(&r, -10, 10));
			int who = holder_on(g, p, d);
			if (who < 0 || d > g->today || !rng_pct(&r, 85))
				continue;
			int base = w_territories[p->terr].survey_base10;
			if (strcmp(w_persons[who].id, "p-isabelle-fortin") == 0)
				base -= 12;
			char id[24];
			snprintf(id, sizeof(id), "SRV-P-%04u", ++seq);
			rec_begin(g, DEMO_SURVEY, id);
			jsonw_kv_str(&g->w, "type", "pap");
			kv_ref(g, "person", w_persons[who].id);
			kv_ref(g, "territory", w_territories[p->terr].id);
			kv_date(g, "date", d);
			jsonw_kv_int(&g->w, "score", clamp_score(base + rng_int(&r, -12, 12)));
			rec_end(g);
		}
	}
	/* Families in the arrimage projects. */
	seq = 0;
	for (size_t i = 0; i < w_project_count; i++) {
		const struct w_project *pj = &w_projects[i];
		int64_t from = ago(g, pj->start_ago), to = ago(g, pj->end_ago);
		if (from < g->first)
			from = g->first;
		if (to > g->today)
			to = g->today;
		for (int k = 0; k < pj->answers && from <= to; k++) {
			struct rng r = rng_for(g->seed, 'W', i * 100 + (unsigned)k);
			char id[24];
			snprintf(id, sizeof(id), "SRV-F-%04u", ++seq);
			rec_begin(g, DEMO_SURVEY, id);
			jsonw_kv_str(&g->w, "type", "famille");
			kv_ref(g, "project", pj->id);
			kv_ref(g, "territory", pj->terr);
			kv_date(g, "date", from + rng_int(&r, 0, (int)(to - from)));
			jsonw_kv_int(&g->w, "score",
				     clamp_score(pj->score_base10 + rng_int(&r, -15, 12)));
			rec_end(g);
		}
	}
}

/* A PAP holding a position on terr at some time in the year (optionally
 * of profile prof, -1 for any): person index and a day they held it. */
static int pap_on(struct gen *g, struct rng *r, int terr, int prof, int64_t *day,
		  int64_t *holder_from)
{
	for (int tries = 0; tries < 40; tries++) {
		const struct pos *p = &g->pos[rng_int(r, 0, (int)w_position_count - 1)];
		if ((terr >= 0 && p->terr != terr) || (prof >= 0 && (int)p->w->profile != prof))
			continue;
		int h = rng_int(r, 0, p->nholders - 1);
		int64_t from, to;
		holder_span(g, p, h, &from, &to);
		if (from > to)
			continue;
		*day = from + rng_int(r, 0, (int)(to - from));
		if (holder_from)
			*holder_from = ago(g, p->w->holders[h].from_ago);
		return p->holder_person[h];
	}
	return -1;
}

static void gen_gaps(struct gen *g)
{
	for (size_t i = 0; i < w_gap_count; i++) {
		const struct w_gap *gp = &w_gaps[i];
		struct rng r = rng_for(g->seed, 'G', i);
		int64_t day;
		int who = pap_on(g, &r, terr_index(gp->terr), -1, &day, NULL);
		if (who < 0)
			continue;
		char id[24];
		snprintf(id, sizeof(id), "GAP-%03u", (unsigned)(i + 1));
		rec_begin(g, DEMO_SERVICE_GAP, id);
		kv_ref(g, "territory", gp->terr);
		kv_date(g, "date", workday(day) > g->today ? day : workday(day));
		jsonw_kv_str(&g->w, "need", gp->need);
		kv_ref(g, "author", w_persons[who].id);
		jsonw_kv_str(&g->w, "description", gp->text);
		rec_end(g);
	}
}

/* ---- Stories --------------------------------------------------------- */

static int type_index(const char *code)
{
	for (int i = 0; i < W_TYPES; i++)
		if (strcmp(w_types[i], code) == 0)
			return i;
	return -1;
}

/* The position a person holds or held (first match). */
static const struct pos *pos_of(struct gen *g, int person)
{
	for (size_t i = 0; i < w_position_count; i++)
		for (int h = 0; h < g->pos[i].nholders; h++)
			if (g->pos[i].holder_person[h] == person)
				return &g->pos[i];
	return NULL;
}

static void gen_stories(struct gen *g)
{
	unsigned seq = 0;
	/* Each story once; those whose words change with the place (slots)
	 * once more, by another PAP of another territory. */
	int *first_author = calloc(w_story_count, sizeof(int));
	if (!first_author)
		die_oom();
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < w_story_count; i++) {
			const struct w_story *st = &w_stories[i];
			if (round && (st->terr || st->project ||
				      (!strstr(st->text, "{pays}") && !strstr(st->text, "parc}"))))
				continue;
			struct rng r = rng_for(g->seed, 'T', i * 2 + (unsigned)round);
			int terr = st->terr ? terr_index(st->terr) : -1;
			if (terr < 0 && (st->flags & N_RURAL))
				terr = 1;
			int prof = st->flags & N_SCHOOL ? P_ECOLE
				   : st->flags & N_CLSC ? P_CLSC
							: -1;
			int who = -1;
			int64_t day = 0;
			const struct pos *p = NULL;
			const struct w_origin *o = NULL;
			for (int tries = 0; tries < 30; tries++) {
				int64_t since = 0;
				who = pap_on(g, &r, terr, prof, &day, &since);
				if (who < 0 || ((st->flags & N_NEW) && g->today - since > 180))
					continue;
				p = pos_of(g, who);
				if (round && p->terr == pos_of(g, first_author[i])->terr)
					continue;
				const struct w_territory *t = &w_territories[p->terr];
				o = (st->flags & N_IMM) ? origin_of(terr_lang(&r, t, true)) : NULL;
				if (t->immigrant_pct < 10 && (st->flags & N_IMM))
					continue;
				if (text_fits(st->flags, t, p->w->profile, o, 0))
					break;
				who = -1;
			}
			if (who < 0)
				continue;
			if (!round)
				first_author[i] = who;
			const struct w_territory *t = &w_territories[p->terr];
			const char *act = NULL;
			int ti = st->type ? type_index(st->type) : -1;
			if (ti >= 0) {
				const struct last_act *la =
					&g->last[(size_t)who * W_TYPES + (size_t)ti];
				if (la->seen) {
					unsigned n = la->seen < RESERVOIR ? la->seen : RESERVOIR;
					unsigned k = (unsigned)rng_int(&r, 0, (int)n - 1);
					act = la->id[k];
					day = la->day[k] + rng_int(&r, 0, 3);
					if (day > g->today)
						day = g->today;
				}
			}
			const struct fam *fam = NULL;
			if (ti == T_INDIV || ti == T_ACCOMP || ti == T_CRISE) {
				for (int tries = 0; tries < 6 && !fam; tries++) {
					const struct fam *f =
						family_open(g, &r, p->org, day, false);
					if (f && f->cite)
						fam = f;
				}
			}
			bool quote = fam ? rng_pct(&r, 85) : rng_pct(&r, 55);
			bool selected = st->reason && rng_pct(&r, round ? 20 : 55);

			char id[24];
			snprintf(id, sizeof(id), "REC-%03u", ++seq);
			rec_begin(g, DEMO_STORY, id);
			kv_ref(g, "author", w_persons[who].id);
			kv_date(g, "date", day);
			struct slots s = {is_man(who), t, NULL, o, 1, 1, &r};
			buf_reset(&g->scratch);
			expand(&g->scratch, st->text, &s);
			jsonw_kv_str(&g->w, "text", g->scratch.data);
			kv_ref(g, "activity", act);
			if (fam)
				kv_ref(g, "family", fam->id);
			kv_ref(g, "project", st->project);
			kv_ref(g, "territory", t->id);
			kv_codes(g, "strategies", st->strategies, 3);
			kv_codes(g, "outcomes", st->outcomes, 3);
			kv_codes(g, "needs", st->needs, 3);
			jsonw_kv_bool(&g->w, "consent_quote", quote);
			jsonw_kv_bool(&g->w, "selected", selected);
			if (selected)
				jsonw_kv_str(&g->w, "selection_reason", st->reason);
			rec_end(g);
		}
	}
	free(first_author);
}

/* ---- Entry point ----------------------------------------------------- */

static const char *const kind_names[DEMO_KIND__COUNT] = {
	[DEMO_TERRITORY] = "territory",
	[DEMO_PORTRAIT] = "portrait",
	[DEMO_ORGANISATION] = "organisation",
	[DEMO_PERSON] = "person",
	[DEMO_POSITION] = "position",
	[DEMO_FAMILY] = "family",
	[DEMO_CORRIDOR] = "corridor",
	[DEMO_PROJECT] = "project",
	[DEMO_ACTIVITY] = "activity",
	[DEMO_REFERRAL] = "referral",
	[DEMO_SUPERVISION] = "supervision",
	[DEMO_SUPPORT_REQUEST] = "support_request",
	[DEMO_SURVEY] = "survey",
	[DEMO_SERVICE_GAP] = "service_gap",
	[DEMO_STORY] = "story",
};

const char *demo_kind_name(enum demo_kind k)
{
	return k < DEMO_KIND__COUNT ? kind_names[k] : "";
}

static size_t total_families(void)
{
	size_t n = 0;
	for (size_t o = 0; o < w_org_count; o++)
		n += (size_t)(w_orgs[o].families > 0 ? w_orgs[o].families : 0);
	return n;
}

int demo_generate(const struct demo_options *opt, struct buf *out, demo_flush_fn flush, void *ctx,
		  size_t chunk, size_t counts[DEMO_KIND__COUNT])
{
	size_t local[DEMO_KIND__COUNT] = {0};
	struct gen g = {0};
	g.opt = opt;
	g.out = out;
	g.flush = flush;
	g.ctx = ctx;
	g.chunk = chunk ? chunk : (size_t)8 << 20;
	g.counts = counts ? counts : local;
	memset(g.counts, 0, sizeof(size_t) * DEMO_KIND__COUNT);
	g.now = opt->now;
	g.today = day_of(opt->now);
	g.first = g.today - 364;
	buf_init(&g.scratch, 64 * 1024);
	g.pos = calloc(w_position_count, sizeof(*g.pos));
	g.fams = calloc(total_families(), sizeof(*g.fams));
	g.org_fam_start = calloc(w_org_count, sizeof(size_t));
	g.org_fam_n = calloc(w_org_count, sizeof(size_t));
	g.last = calloc(w_person_count * W_TYPES, sizeof(*g.last));
	if (!g.pos || !g.fams || !g.org_fam_start || !g.org_fam_n || !g.last)
		die_oom();
	resolve_positions(&g);

	unsigned scale = opt->scale ? opt->scale : 1;
	for (g.replica = 0; g.replica < scale && !g.err; g.replica++) {
		g.seed = (opt->seed ? opt->seed : DEMO_SEED) + g.replica * 0x9e3779b97f4a7c15ull;
		if (g.replica)
			snprintf(g.sfx, sizeof(g.sfx), "-r%03u", g.replica + 1);
		g.act_seq = 0;
		memset(g.last, 0, w_person_count * W_TYPES * sizeof(*g.last));
		gen_territories(&g);
		gen_organisations(&g);
		gen_persons(&g);
		gen_positions(&g);
		gen_families(&g);
		gen_corridors(&g);
		gen_projects(&g);
		gen_activities(&g);
		gen_referrals(&g);
		gen_supervision(&g);
		gen_support(&g);
		gen_surveys(&g);
		gen_gaps(&g);
		gen_stories(&g);
	}
	if (!g.err && flush && out->len) {
		if (flush(ctx, out->data, out->len) < 0)
			g.err = -1;
		buf_reset(out);
	}
	buf_free(&g.scratch);
	free(g.pos);
	free(g.fams);
	free(g.org_fam_start);
	free(g.org_fam_n);
	free(g.last);
	return g.err || out->overflow ? -1 : 0;
}
