/* `proxima demo`: generate the demo year, import it through the import
 * engine, then give the five demo accounts their passwords. */
#include "demo/demo.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "core/arena.h"
#include "core/ptime.h"
#include "core/util.h"
#include "interchange/interchange.h"
#include "model/person.h"
#include "model/settings.h"

#define EM(x) x "@" DEMO_EMAIL_DOMAIN

/* The persons behind these e-mails are in src/demo/world.c. */
static const struct demo_account accounts[DEMO_ACCOUNT_COUNT] = {
	{"pap", EM("pap"), "demo-pap-proxima", "Valérie Côté-Bérubé",
	 "intervenante de proximité au CLSC des Deux-Rives (territoire A) : son journal, "
	 "ses familles suivies, ses références"},
	{"gestionnaire", EM("gestionnaire"), "demo-gestion-proxima", "Hélène Desrosiers",
	 "gestionnaire au CLSC des Deux-Rives : l'équipe, la supervision, la reddition de "
	 "comptes"},
	{"comite", EM("comite"), "demo-comite-proxima", "Roxanne Gingras",
	 "comité d'arrimage du territoire A : tableau de bord, corridors, postes et mandats"},
	{"analyste", EM("analyste"), "demo-analyste-proxima", "Sébastien Paquette",
	 "analyste : comparaison des territoires A à D, données dépersonnalisées"},
	{"admin", EM("admin"), "demo-admin-proxima", "Louise Marchand",
	 "administratrice : comptes, organisations, territoires, listes de référence"},
};

const struct demo_account *demo_accounts(void)
{
	return accounts;
}

static int write_chunk(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

int demo_write_file(const struct demo_options *opt, FILE *f, size_t counts[DEMO_KIND__COUNT])
{
	struct buf out = BUF_INIT((size_t)64 << 20);
	int rc = demo_generate(opt, &out, write_chunk, f, (size_t)1 << 20, counts);
	buf_free(&out);
	return rc < 0 || fflush(f) != 0 ? -1 : 0;
}

int demo_set_passwords(struct db *db, char *err, size_t errcap)
{
	struct arena *a = arena_new(4096);
	int rc = 0;
	for (size_t i = 0; i < DEMO_ACCOUNT_COUNT && rc == 0; i++) {
		struct person p;
		int found = person_find_by_email(db, a, accounts[i].email, &p);
		if (found != 0) {
			snprintf(err, errcap, "demo account %s is missing after the import",
				 accounts[i].email);
			rc = -1;
			break;
		}
		/* A second load keeps a hash that already matches (hashing is
		 * deliberately slow). */
		if (p.password_hash && password_verify(p.password_hash, accounts[i].password) == 0)
			continue;
		char hash[PASSWORD_HASH_LEN];
		if (password_hash(accounts[i].password, hash) < 0 ||
		    person_set_password(db, p.id, hash) != 0) {
			snprintf(err, errcap, "cannot set the password of %s", accounts[i].email);
			rc = -1;
		}
	}
	arena_free(a);
	return rc;
}

/* The demo's settings, as one write unit. */
static enum db_unit_verdict record_demo(struct db *db, void *arg)
{
	(void)arg;
	bool ok =
		settings_set(db, SETTING_INSTANCE_NAME, "Proxima — démonstration") == SETTING_OK &&
		settings_set_internal(db, SETTING_DEMO_LOADED, "1") == SETTING_OK;
	return ok ? DB_UNIT_KEEP : DB_UNIT_DISCARD;
}

int demo_load(struct db *db, const struct demo_options *opt, struct demo_result *res, char *err,
	      size_t errcap)
{
	int64_t t0 = ptime_monotonic_us();
	memset(res, 0, sizeof(*res));
	struct arena *a = arena_new(1024);
	struct person p;
	res->already_loaded = person_find_by_email(db, a, accounts[0].email, &p) == 0;
	arena_free(a);

	struct buf out = BUF_INIT((size_t)1 << 31);
	if (demo_generate(opt, &out, NULL, NULL, 0, res->counts) < 0 || !out.len) {
		snprintf(err, errcap, "cannot generate the demo data (out of memory)");
		buf_free(&out);
		return -1;
	}
	FILE *in = fmemopen(out.data, out.len, "r");
	if (!in) {
		snprintf(err, errcap, "cannot read the demo data back (fmemopen)");
		buf_free(&out);
		return -1;
	}
	struct import_result ir;
	memset(&ir, 0, sizeof(ir));
	int rc = interchange_import(db, in, &ir);
	fclose(in);
	buf_free(&out);
	if (rc != 0) {
		char why[700];
		import_error_format(&ir, why, sizeof(why));
		snprintf(err, errcap, "the import refused the demo data: %s", why);
		return -1;
	}
	res->inserted = ir.inserted;
	res->updated = ir.updated;
	if (demo_set_passwords(db, err, errcap) < 0)
		return -1;
	if (db_unit_run(db, record_demo, NULL, NULL) != DB_UNIT_COMMITTED) {
		snprintf(err, errcap, "cannot record the demo settings");
		return -1;
	}
	res->seconds = (double)(ptime_monotonic_us() - t0) / 1e6;
	return 0;
}
