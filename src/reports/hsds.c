/* The HSDS data package of a territory's directory (see hsds.h). */
#include "reports/hsds.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "core/zip.h"
#include "model/corridor.h"
#include "model/directory.h"
#include "model/organisation.h"
#include "model/refdata.h"

#define HSDS_FILE_MAX (64u << 20) /* bytes of one file */
#define HSDS_COLS_MAX 24

/* A foreign key: the field, and the table whose id it names. */
struct hsds_fk {
	const char *field;
	enum hsds_table to;
};

/* One HSDS 3.0 table as a CSV resource: its name, file, columns (the
 * standard's field names, in its order) and foreign keys. */
static const struct hsds_def {
	const char *name, *path, *title;
	const char *cols[HSDS_COLS_MAX];
	struct hsds_fk fks[4];
} defs[HSDS_DESCRIPTOR] = {
	[HSDS_ORGANIZATION] = {"organization",
			       "organizations.csv",
			       "Organisations",
			       {"id", "name", "alternate_name", "description", "email", "website",
				"tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
				"uri", "parent_organization_id"},
			       {{NULL, HSDS_ORGANIZATION}}},
	[HSDS_SERVICE] = {"service",
			  "services.csv",
			  "Services",
			  {"id",
			   "organization_id",
			   "program_id",
			   "name",
			   "alternate_name",
			   "description",
			   "url",
			   "email",
			   "status",
			   "interpretation_services",
			   "application_process",
			   "fees_description",
			   "wait_time",
			   "fees",
			   "accreditations",
			   "eligibility_description",
			   "minimum_age",
			   "maximum_age",
			   "assured_date",
			   "assurer_email",
			   "licenses",
			   "alert",
			   "last_modified"},
			  {{"organization_id", HSDS_ORGANIZATION}}},
	[HSDS_LOCATION] = {"location",
			   "locations.csv",
			   "Locations",
			   {"id", "location_type", "url", "organization_id", "name",
			    "alternate_name", "description", "transportation", "latitude",
			    "longitude", "external_identifier", "external_identifier_type"},
			   {{"organization_id", HSDS_ORGANIZATION}}},
	[HSDS_SERVICE_AT_LOCATION] = {"service_at_location",
				      "service_at_location.csv",
				      "Services at locations",
				      {"id", "service_id", "location_id", "description"},
				      {{"service_id", HSDS_SERVICE},
				       {"location_id", HSDS_LOCATION}}},
	[HSDS_SERVICE_AREA] = {"service_area",
			       "service_areas.csv",
			       "Service areas",
			       {"id", "service_id", "name", "description", "extent", "extent_type",
				"uri"},
			       {{"service_id", HSDS_SERVICE}}},
	[HSDS_CONTACT] = {"contact",
			  "contacts.csv",
			  "Contacts",
			  {"id", "organization_id", "service_id", "service_at_location_id",
			   "location_id", "name", "title", "department", "email"},
			  {{"organization_id", HSDS_ORGANIZATION}, {"service_id", HSDS_SERVICE}}},
	[HSDS_PHONE] = {"phone",
			"phones.csv",
			"Phones",
			{"id", "location_id", "service_id", "organization_id", "contact_id",
			 "service_at_location_id", "number", "extension", "type", "description"},
			{{"service_id", HSDS_SERVICE},
			 {"organization_id", HSDS_ORGANIZATION},
			 {"contact_id", HSDS_CONTACT}}},
	[HSDS_TAXONOMY] = {"taxonomy",
			   "taxonomies.csv",
			   "Taxonomies",
			   {"id", "name", "description", "uri", "version"},
			   {{NULL, HSDS_ORGANIZATION}}},
	[HSDS_TAXONOMY_TERM] = {"taxonomy_term",
				"taxonomy_terms.csv",
				"Taxonomy terms",
				{"id", "code", "name", "description", "parent_id", "taxonomy",
				 "language", "taxonomy_id", "term_uri"},
				{{"taxonomy_id", HSDS_TAXONOMY}}},
	[HSDS_ATTRIBUTE] = {"attribute",
			    "attributes.csv",
			    "Attributes",
			    {"id", "link_id", "taxonomy_term_id", "link_type", "link_entity",
			     "value"},
			    {{"taxonomy_term_id", HSDS_TAXONOMY_TERM}}},
};

/* Proxima's reference lists as HSDS taxonomies. */
static const struct {
	const char *id, *name_fr, *name_en;
} taxonomies[] = {
	{"proxima-besoins", N_("Besoins"), "Needs"},
	{"proxima-populations", N_("Populations"), "Populations"},
	{"proxima-secteurs", N_("Secteurs"), "Sectors"},
};
enum { TAX_NEED, TAX_POPULATION, TAX_SECTOR };

/* The package being built. */
struct hsds {
	struct db *db;
	struct arena *a;
	const char *lang, *date;
	struct hsds_package *p;
	const char **terms; /* ids of the terms written */
	size_t n_terms, cap_terms;
	const char **orgs; /* ids of the organisations written */
	size_t n_orgs, cap_orgs;
	size_t n_attributes;
};

static size_t ncols(enum hsds_table t)
{
	size_t n = 0;
	while (n < HSDS_COLS_MAX && defs[t].cols[n])
		n++;
	return n;
}

/* The index of column name of t; a name not in the table is a bug. */
static size_t col(enum hsds_table t, const char *name)
{
	for (size_t i = 0; i < HSDS_COLS_MAX && defs[t].cols[i]; i++)
		if (strcmp(defs[t].cols[i], name) == 0)
			return i;
	abort(); /* broken invariant: a column HSDS does not define */
}

/* One CSV field, quoted when it must be (RFC 4180). */
static void csv_field(struct buf *b, struct arena *a, const char *s)
{
	s = sheet_text(a, s ? s : "");
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Writes a row of t: v[i] is column i's value (NULL: empty). */
static void row(struct hsds *h, enum hsds_table t, const char *const *v)
{
	struct buf *b = &h->p->files[t];
	size_t n = ncols(t);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		csv_field(b, h->a, v ? v[i] : defs[t].cols[i]);
	}
	buf_puts(b, "\r\n");
	if (v)
		h->p->rows[t]++;
}

static bool seen(const char **v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return true;
	return false;
}

static const char *label(struct hsds *h, const char *fr)
{
	return i18n_tr(h->lang, fr);
}

/* The term of code in taxonomy k (written once): its id. */
static const char *term(struct hsds *h, int k, const char *code, const char *name_fr,
			const char *name_en)
{
	const char *id = arena_printf(h->a, "%s-%s", taxonomies[k].id, code);
	if (seen(h->terms, h->n_terms, id))
		return id;
	h->terms = arena_grow(h->a, h->terms, h->n_terms, &h->cap_terms, sizeof(*h->terms));
	h->terms[h->n_terms++] = id;
	bool en = strcmp(h->lang, "en") == 0 && name_en && *name_en;
	const char *v[HSDS_COLS_MAX] = {0};
	v[col(HSDS_TAXONOMY_TERM, "id")] = id;
	v[col(HSDS_TAXONOMY_TERM, "code")] = code;
	v[col(HSDS_TAXONOMY_TERM, "name")] = en ? name_en : name_fr;
	v[col(HSDS_TAXONOMY_TERM, "description")] = en ? name_fr : (name_en ? name_en : name_fr);
	v[col(HSDS_TAXONOMY_TERM, "taxonomy")] = taxonomies[k].id;
	v[col(HSDS_TAXONOMY_TERM, "language")] = h->lang;
	v[col(HSDS_TAXONOMY_TERM, "taxonomy_id")] = taxonomies[k].id;
	row(h, HSDS_TAXONOMY_TERM, v);
	return id;
}

/* The term of a reference-list code (need, population). */
static const char *ref_term(struct hsds *h, int k, enum ref_list l, const char *code)
{
	return term(h, k, code, refdata_label(h->db, h->a, l, code, "fr"),
		    refdata_label(h->db, h->a, l, code, "en"));
}

/* An attribute: entity link_id (of table entity) carries term. */
static void attribute(struct hsds *h, const char *link_id, const char *entity, const char *type,
		      const char *term_id)
{
	const char *v[HSDS_COLS_MAX] = {0};
	v[col(HSDS_ATTRIBUTE, "id")] = arena_printf(h->a, "attr-%zu", ++h->n_attributes);
	v[col(HSDS_ATTRIBUTE, "link_id")] = link_id;
	v[col(HSDS_ATTRIBUTE, "taxonomy_term_id")] = term_id;
	v[col(HSDS_ATTRIBUTE, "link_type")] = type;
	v[col(HSDS_ATTRIBUTE, "link_entity")] = entity;
	row(h, HSDS_ATTRIBUTE, v);
}

/* The taxonomies, and every shipped need and population as a term. */
static int write_taxonomies(struct hsds *h)
{
	bool en = strcmp(h->lang, "en") == 0;
	for (size_t k = 0; k < ARRAY_LEN(taxonomies); k++) {
		const char *v[HSDS_COLS_MAX] = {0};
		v[col(HSDS_TAXONOMY, "id")] = taxonomies[k].id;
		v[col(HSDS_TAXONOMY, "name")] =
			en ? taxonomies[k].name_en : label(h, taxonomies[k].name_fr);
		v[col(HSDS_TAXONOMY, "description")] =
			label(h, "Liste de référence de Proxima (codes stables).");
		row(h, HSDS_TAXONOMY, v);
	}
	const struct {
		int k;
		enum ref_list l;
	} lists[] = {{TAX_NEED, REF_NEED}, {TAX_POPULATION, REF_POPULATION}};
	for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
		struct ref_item *it;
		size_t n;
		if (refdata_list(h->db, h->a, lists[i].l, 0, &it, &n) < 0)
			return -1;
		for (size_t j = 0; j < n; j++)
			term(h, lists[i].k, it[j].code, it[j].label_fr, it[j].label_en);
	}
	return 0;
}

/* The organisation of ext_id (once), with its sector as an attribute;
 * orgs/n are every organisation, sec/ns every sector. */
static void write_org(struct hsds *h, const char *ext_id, const struct organisation *orgs, size_t n,
		      const struct sector *sec, size_t ns)
{
	if (!ext_id || seen(h->orgs, h->n_orgs, ext_id))
		return;
	const struct organisation *o = NULL;
	for (size_t i = 0; i < n && !o; i++)
		if (strcmp(orgs[i].ext_id, ext_id) == 0)
			o = &orgs[i];
	if (!o)
		return;
	h->orgs = arena_grow(h->a, h->orgs, h->n_orgs, &h->cap_orgs, sizeof(*h->orgs));
	h->orgs[h->n_orgs++] = o->ext_id;
	const char *v[HSDS_COLS_MAX] = {0};
	v[col(HSDS_ORGANIZATION, "id")] = o->ext_id;
	v[col(HSDS_ORGANIZATION, "name")] = o->name;
	v[col(HSDS_ORGANIZATION, "description")] =
		arena_printf(h->a, "%s%s%s", label(h, "Secteur"), label(h, " : "),
			     organisation_sector_label(o, h->lang));
	row(h, HSDS_ORGANIZATION, v);
	for (size_t i = 0; i < ns; i++)
		if (sec[i].id == o->sector_id)
			attribute(h, o->ext_id, "organization", "sector",
				  term(h, TAX_SECTOR, sec[i].ext_id, sec[i].name, sec[i].name_en));
}

/* Where service id is offered: the territory t, as a service area. */
static int write_area(struct hsds *h, const char *service_id, int64_t t)
{
	struct territory_ref dt;
	int r = territory_get_ref(h->db, h->a, t, &dt);
	if (r != 0)
		return r < 0 ? -1 : 0;
	const char *v[HSDS_COLS_MAX] = {0};
	v[col(HSDS_SERVICE_AREA, "id")] = arena_printf(h->a, "%s-area", service_id);
	v[col(HSDS_SERVICE_AREA, "service_id")] = service_id;
	v[col(HSDS_SERVICE_AREA, "name")] = dt.name;
	v[col(HSDS_SERVICE_AREA, "description")] =
		arena_printf(h->a, "%s %s", label(h, "Territoire"), dt.ext_id);
	row(h, HSDS_SERVICE_AREA, v);
	return 0;
}

/* The e-mail address in a contact text (the first word with an '@'), or
 * NULL. */
static const char *email_in(struct arena *a, const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	if (!at)
		return NULL;
	const char *b = at, *e = at;
	while (b > s && !strchr(" \t,;/()<>", b[-1]))
		b--;
	while (*e && !strchr(" \t,;/()<>", *e))
		e++;
	return b < at && e > at + 1 ? arena_strndup(a, b, (size_t)(e - b)) : NULL;
}

/* The telephone number in a contact text (the first run of digits,
 * spaces and "+-(). " holding at least 7 digits), or NULL. */
static const char *phone_in(struct arena *a, const char *s)
{
	for (const char *p = s; p && *p; p++) {
		if (!(*p >= '0' && *p <= '9') && *p != '+' && *p != '(')
			continue;
		const char *e = p;
		int digits = 0;
		for (; *e && (strchr("+-(). ", *e) || (*e >= '0' && *e <= '9')); e++)
			digits += *e >= '0' && *e <= '9';
		while (e > p && e[-1] == ' ')
			e--;
		if (digits >= 7)
			return arena_strndup(a, p, (size_t)(e - p));
		p = e > p ? e - 1 : p;
	}
	return NULL;
}

/* A position's partner contact, as a contact (an e-mail) and a phone. */
static void write_contact(struct hsds *h, const struct dir_position *p, const char *service_id)
{
	const char *email = email_in(h->a, p->contact), *phone = phone_in(h->a, p->contact);
	if (!email && !phone)
		return;
	const char *cid = arena_printf(h->a, "%s-contact", service_id);
	const char *v[HSDS_COLS_MAX] = {0};
	v[col(HSDS_CONTACT, "id")] = cid;
	v[col(HSDS_CONTACT, "organization_id")] = p->org_ext;
	v[col(HSDS_CONTACT, "service_id")] = service_id;
	v[col(HSDS_CONTACT, "title")] = label(h, "Personne agente de proximité");
	v[col(HSDS_CONTACT, "email")] = email;
	row(h, HSDS_CONTACT, v);
	if (!phone)
		return;
	const char *w[HSDS_COLS_MAX] = {0};
	w[col(HSDS_PHONE, "id")] = arena_printf(h->a, "%s-phone", service_id);
	w[col(HSDS_PHONE, "service_id")] = service_id;
	w[col(HSDS_PHONE, "organization_id")] = p->org_ext;
	w[col(HSDS_PHONE, "contact_id")] = cid;
	w[col(HSDS_PHONE, "number")] = phone;
	w[col(HSDS_PHONE, "type")] = "voice";
	row(h, HSDS_PHONE, w);
}

/* "a, b, c": the labels of a position's populations and components. */
static const char *mandate_text(struct hsds *h, const struct dir_position *p)
{
	struct buf b = BUF_INIT(8192);
	const char **pops = arena_calloc(h->a, p->n_items + 1, sizeof(*pops));
	size_t np = 0;
	for (size_t i = 0; i < p->n_items; i++)
		if (p->items[i].population && !seen(pops, np, p->items[i].population))
			pops[np++] = p->items[i].population;
	buf_printf(&b, "%s%s", label(h, "Populations"), label(h, " : "));
	for (size_t i = 0; i < np; i++)
		buf_printf(&b, "%s%s", i ? ", " : "",
			   refdata_label(h->db, h->a, REF_POPULATION, pops[i], h->lang));
	buf_printf(&b, ". %s%s", label(h, "Composantes"), label(h, " : "));
	for (size_t i = 0; i < p->components.n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "",
			   refdata_label(h->db, h->a, REF_COMPONENT, p->components.v[i], h->lang));
	buf_putc(&b, '.');
	const char *s = arena_strdup(h->a, b.data);
	buf_free(&b);
	return s;
}

/* One service per position: outreach work of its organisation. */
static int write_position(struct hsds *h, const struct dir_position *p)
{
	const char *id = arena_printf(h->a, "position-%s", p->ext_id);
	const char *v[HSDS_COLS_MAX] = {0};
	v[col(HSDS_SERVICE, "id")] = id;
	v[col(HSDS_SERVICE, "organization_id")] = p->org_ext;
	v[col(HSDS_SERVICE, "name")] =
		arena_printf(h->a, "%s — %s", label(h, "Intervention de proximité"), p->org_name);
	v[col(HSDS_SERVICE, "description")] = mandate_text(h, p);
	v[col(HSDS_SERVICE, "status")] = p->current_name ? "active" : "inactive";
	row(h, HSDS_SERVICE, v);
	for (size_t i = 0; i < p->n_items; i++)
		if (p->items[i].population)
			attribute(h, id, "service", "population",
				  ref_term(h, TAX_POPULATION, REF_POPULATION,
					   p->items[i].population));
	write_contact(h, p, id);
	return write_area(h, id, p->territory_id);
}

/* One service per corridor active on the date: its entry point. */
static int write_corridor(struct hsds *h, const struct corridor *c)
{
	const char *id = arena_printf(h->a, "corridor-%s", c->ext_id);
	const char *v[HSDS_COLS_MAX] = {0};
	v[col(HSDS_SERVICE, "id")] = id;
	v[col(HSDS_SERVICE, "organization_id")] = c->entry_ext;
	v[col(HSDS_SERVICE, "name")] = c->name;
	v[col(HSDS_SERVICE, "description")] = arena_printf(
		h->a, "%s%s%s", label(h, "Point d'entrée du corridor pour"), label(h, " : "),
		c->need ? refdata_label(h->db, h->a, REF_NEED, c->need, h->lang)
			: refdata_label(h->db, h->a, REF_POPULATION, c->population, h->lang));
	v[col(HSDS_SERVICE, "status")] = "active";
	v[col(HSDS_SERVICE, "wait_time")] =
		arena_printf(h->a, "%s%s%g %s", label(h, "Délai cible"), label(h, " : "),
			     c->target_days, label(h, "jours"));
	row(h, HSDS_SERVICE, v);
	if (c->need)
		attribute(h, id, "service", "need", ref_term(h, TAX_NEED, REF_NEED, c->need));
	if (c->population)
		attribute(h, id, "service", "population",
			  ref_term(h, TAX_POPULATION, REF_POPULATION, c->population));
	return write_area(h, id, c->territory_id);
}

/* The organisations (those on the territory, and the services'), then
 * the services. */
static int write_directory(struct hsds *h, int64_t territory_id)
{
	struct organisation *orgs;
	struct sector *sec;
	struct dir_org *on;
	struct directory d;
	struct corridor *c;
	size_t n, ns, non, nc;
	if (organisation_list(h->db, h->a, &orgs, &n) < 0 ||
	    sector_list(h->db, h->a, &sec, &ns) < 0 ||
	    directory_organisations(h->db, h->a, territory_id, &on, &non) < 0 ||
	    directory_load(h->db, h->a, territory_id, h->date, &d) < 0 ||
	    corridor_list(h->db, h->a, territory_id, &c, &nc) < 0)
		return -1;
	for (size_t i = 0; i < non; i++)
		write_org(h, on[i].ext_id, orgs, n, sec, ns);
	for (size_t i = 0; i < d.n_positions; i++)
		write_org(h, d.positions[i].org_ext, orgs, n, sec, ns);
	for (size_t i = 0; i < nc; i++)
		if (corridor_active_on(&c[i], h->date))
			write_org(h, c[i].entry_ext, orgs, n, sec, ns);
	for (size_t i = 0; i < d.n_positions; i++)
		if (write_position(h, &d.positions[i]) < 0)
			return -1;
	for (size_t i = 0; i < nc; i++)
		if (corridor_active_on(&c[i], h->date) && c[i].entry_ext &&
		    write_corridor(h, &c[i]) < 0)
			return -1;
	return 0;
}

/* datapackage.json: the Frictionless tabular data package descriptor. */
static void write_descriptor(struct hsds *h, const struct territory_ref *t, int64_t now)
{
	struct jsonw w;
	jsonw_init(&w, &h->p->files[HSDS_DESCRIPTOR]);
	char created[21];
	ptime_format_utc(now, created);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "name", arena_printf(h->a, "proxima-directory-%s", t->ext_id));
	jsonw_kv_str(&w, "title",
		     arena_printf(h->a, "%s%s%s", label(h, "Répertoire du territoire"),
				  label(h, " : "), t->name));
	jsonw_kv_str(&w, "description",
		     label(h, "Répertoire des postes de PAP et des corridors du territoire, au "
			      "format Open Referral HSDS 3.0 (données tabulaires)."));
	jsonw_kv_str(&w, "profile", "tabular-data-package");
	jsonw_kv_str(&w, "created", created);
	jsonw_kv_str(&w, "version", h->date);
	jsonw_key(&w, "resources");
	jsonw_arr_begin(&w);
	for (int k = 0; k < HSDS_DESCRIPTOR; k++) {
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "name", defs[k].name);
		jsonw_kv_str(&w, "path", defs[k].path);
		jsonw_kv_str(&w, "title", defs[k].title);
		jsonw_kv_str(&w, "profile", "tabular-data-resource");
		jsonw_kv_str(&w, "format", "csv");
		jsonw_kv_str(&w, "mediatype", "text/csv");
		jsonw_kv_str(&w, "encoding", "utf-8");
		jsonw_key(&w, "schema");
		jsonw_obj_begin(&w);
		jsonw_key(&w, "fields");
		jsonw_arr_begin(&w);
		for (size_t i = 0; i < ncols((enum hsds_table)k); i++) {
			jsonw_obj_begin(&w);
			jsonw_kv_str(&w, "name", defs[k].cols[i]);
			jsonw_kv_str(&w, "type", "string");
			jsonw_obj_end(&w);
		}
		jsonw_arr_end(&w);
		jsonw_kv_str(&w, "primaryKey", "id");
		jsonw_key(&w, "foreignKeys");
		jsonw_arr_begin(&w);
		for (size_t i = 0; i < ARRAY_LEN(defs[k].fks) && defs[k].fks[i].field; i++) {
			jsonw_obj_begin(&w);
			jsonw_kv_str(&w, "fields", defs[k].fks[i].field);
			jsonw_key(&w, "reference");
			jsonw_obj_begin(&w);
			jsonw_kv_str(&w, "resource", defs[defs[k].fks[i].to].name);
			jsonw_kv_str(&w, "fields", "id");
			jsonw_obj_end(&w);
			jsonw_obj_end(&w);
		}
		jsonw_arr_end(&w);
		jsonw_obj_end(&w);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	jsonw_finish(&w);
}

int hsds_package_build(struct db *db, struct arena *a, int64_t territory_id, const char *date,
		       const char *lang, int64_t now, struct hsds_package *out)
{
	memset(out, 0, sizeof(*out));
	for (int k = 0; k < HSDS__COUNT; k++) {
		buf_init(&out->files[k], HSDS_FILE_MAX);
		out->names[k] = k == HSDS_DESCRIPTOR ? "datapackage.json" : defs[k].path;
	}
	struct territory_ref t;
	int r = territory_get_ref(db, a, territory_id, &t);
	if (r != 0)
		return r;
	struct hsds h = {.db = db,
			 .a = a,
			 .lang = strcmp(lang, "en") == 0 ? "en" : "fr",
			 .date = date,
			 .p = out};
	for (int k = 0; k < HSDS_DESCRIPTOR; k++)
		row(&h, (enum hsds_table)k, NULL); /* the header */
	if (write_taxonomies(&h) < 0 || write_directory(&h, territory_id) < 0) {
		log_error("hsds_failed", "territory=%lld reason=\"database\"",
			  (long long)territory_id);
		hsds_package_free(out);
		return -1;
	}
	write_descriptor(&h, &t, now);
	for (int k = 0; k < HSDS__COUNT; k++)
		if (out->files[k].overflow) {
			log_error("hsds_failed", "territory=%lld reason=\"too large\"",
				  (long long)territory_id);
			hsds_package_free(out);
			return -1;
		}
	return 0;
}

int hsds_package_zip(const struct hsds_package *p, const char *dir, int64_t now, struct buf *zip)
{
	struct zip_entry e[HSDS__COUNT];
	char names[HSDS__COUNT][128];
	for (int k = 0; k < HSDS__COUNT; k++) {
		int n = snprintf(names[k], sizeof(names[k]), "%s/%s", dir, p->names[k]);
		if (n < 0 || (size_t)n >= sizeof(names[k]))
			return -1;
		e[k] = (struct zip_entry){names[k], p->files[k].data, p->files[k].len};
	}
	return zip_write(zip, e, HSDS__COUNT, now);
}

void hsds_package_free(struct hsds_package *p)
{
	for (int k = 0; k < HSDS__COUNT; k++)
		buf_free(&p->files[k]);
}
