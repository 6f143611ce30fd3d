/* libFuzzer harness: the bytes are one raw HTTP/1.x request, run through
 * the whole pipeline by test_http_exchange() (request line and headers,
 * cookies, query, urlencoded and multipart bodies, CSRF, sessions and
 * bearer tokens, the router, every page and API handler).
 *
 * The database is prepared once (LLVMFuzzerInitialize) with the seed
 * records of fuzz_common.h, a stored Idempotency-Key answer ("fuzz-key-1",
 * person gx, POST /api/v1/activities) and fixed credentials that the seed
 * corpus (tests/fuzz/corpus/request/) uses:
 *   Cookie: proxima_session=FUZZ_SESSION_*; proxima_csrf=FUZZ_CSRF
 *   X-CSRF-Token: the token bound to the session (make_seeds.sh lists
 *   them), or FUZZ_CSRF without a session
 *   Authorization: Bearer FUZZ_BEARER_GX
 * An input that wrote to the database is undone by copying back an
 * in-memory snapshot, so each input sees the same state.
 *
 * Beyond the sanitizers, an input fails when the pipeline answers 500 (a
 * handler reported a bug or an I/O failure: with one thread and a local
 * database neither should happen; FUZZ_ALLOW_500=1 turns this off),
 * leaves a transaction open, answers a JSON body that does not parse or
 * a text body that is not valid UTF-8, or puts a control byte in a header
 * (response splitting). */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz/fuzz_common.h"

#include <jansson.h>

#include "core/utf8.h"
#include "http/test_http.h"

#define FUZZ_CSRF "csrf___0123456789abcdefghijklmnopqrstuvwxyz"
#define FUZZ_SESSION_PX "sessPX_0123456789abcdefghijklmnopqrstuvwxyz"
#define FUZZ_SESSION_GX "sessGX_0123456789abcdefghijklmnopqrstuvwxyz"
#define FUZZ_SESSION_PY "sessPY_0123456789abcdefghijklmnopqrstuvwxyz"
#define FUZZ_SESSION_AD "sessAD_0123456789abcdefghijklmnopqrstuvwxyz"
#define FUZZ_BEARER_GX "bearGX_0123456789abcdefghijklmnopqrstuvwxyz"
#define FUZZ_PASSWORD "motdepasse-fuzz-1"

static struct db *conn; /* the pipeline's own connection (db_thread) */
static sqlite3 *snap;   /* the prepared state */
static int allow_500;
static int show; /* FUZZ_SHOW=1: print each response's first line */

/* Inserts a session (table "session") or a bearer token ("api_token") for
 * the person with external id ext, with a fixed token. */
static void add_credential(struct db *db, bool bearer, const char *token, const char *ext)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	const char *sql =
		bearer ? "INSERT INTO api_token (token_hash, person_id, name, created_at) "
			 "SELECT ?1, id, 'fuzz', ?2 FROM person WHERE ext_id = ?3"
		       : "INSERT INTO session (token_hash, person_id, created_at, expires_at, "
			 "last_seen_at) SELECT ?1, id, ?2, ?2 + 86400 * 365, ?2 "
			 "FROM person WHERE ext_id = ?3";
	struct db_stmt *s;
	if (!(s = db_query(db, sql)))
		fuzz_die("prepare", db_errmsg(db));
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int64(s, 2, ptime_now());
	db_bind_text(s, 3, ext);
	int rc = db_step(s);
	db_query_free(s);
	if (rc != DB_DONE || db_changes(db) != 1)
		fuzz_die("credential", ext);
}

/* The response's own checks: a JSON body parses (jansson) and every text
 * body is valid UTF-8, so that an escaping or encoding slip in an API or
 * page writer is caught even when the status looks fine. */
static void check_response(const char *out, size_t len)
{
	const char *end = memmem(out, len, "\r\n\r\n", 4);
	if (!end) {
		fprintf(stderr, "fuzz_request: no end of headers in the response\n");
		abort();
	}
	/* Header lines end with CR LF and hold no other control byte: a value
	 * that carried one would split the header (response splitting). */
	for (const char *c = out; c < end; c++) {
		unsigned char u = (unsigned char)*c;
		bool crlf = (u == '\r' && c[1] == '\n') || (u == '\n' && c > out && c[-1] == '\r');
		if ((u < 0x20 && !crlf) || u == 0x7f) {
			fprintf(stderr,
				"fuzz_request: control byte 0x%02x in the response "
				"headers:\n%.*s\n",
				u, (int)(end - out), out);
			abort();
		}
	}
	const char *body = end + 4;
	size_t blen = len - (size_t)(body - out);
	const char *ct = memmem(out, (size_t)(end - out), "\r\nContent-Type: ", 16);
	if (!ct || !blen)
		return;
	ct += 16;
	if (strncmp(ct, "application/json", 16) == 0) {
		json_error_t err;
		json_t *j = json_loadb(body, blen, 0, &err);
		if (!j) {
			fprintf(stderr,
				"fuzz_request: the JSON response does not parse (%s):\n%.*s\n",
				err.text, (int)(blen > 2000 ? 2000 : blen), body);
			abort();
		}
		json_decref(j);
	}
	if ((strncmp(ct, "application/json", 16) == 0 || strncmp(ct, "text/", 5) == 0) &&
	    !utf8_valid(body, blen)) {
		size_t bad = 0; /* the first byte that starts no valid character */
		for (;;) {
			size_t k = 1;
			while (k <= 4 && bad + k <= blen && !utf8_valid(body + bad, k))
				k++;
			if (k > 4 || bad + k > blen)
				break;
			bad += k;
		}
		size_t from = bad > 300 ? bad - 300 : 0;
		fprintf(stderr, "fuzz_request: a text response is not valid UTF-8 at byte %zu:\n",
			bad);
		for (size_t i = from; i < blen && i < bad + 60; i++) {
			unsigned char c = (unsigned char)body[i];
			if (c >= 0x20 && c < 0x7f)
				fputc(c, stderr);
			else
				fprintf(stderr, "\\x%02x", c);
		}
		fputc('\n', stderr);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_process_init();
	allow_500 = getenv("FUZZ_ALLOW_500") && strcmp(getenv("FUZZ_ALLOW_500"), "1") == 0;
	show = getenv("FUZZ_SHOW") && strcmp(getenv("FUZZ_SHOW"), "1") == 0;
	const char *path = fuzz_new_db_path("request");
	struct db *db = fuzz_open_migrated(path);
	fuzz_import_text(db, fuzz_seed_jsonl);
	add_credential(db, false, FUZZ_SESSION_PX, "px");
	add_credential(db, false, FUZZ_SESSION_GX, "gx");
	add_credential(db, false, FUZZ_SESSION_PY, "py");
	add_credential(db, false, FUZZ_SESSION_AD, "ad");
	add_credential(db, true, FUZZ_BEARER_GX, "gx");
	/* One account that can sign in (POST /connexion). */
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, FUZZ_PASSWORD, strlen(FUZZ_PASSWORD),
			      crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0)
		fuzz_die("crypto_pwhash_str", NULL);
	struct db_stmt *s;
	if (!(s = db_query(db, "UPDATE person SET password_hash = ?1 WHERE ext_id = 'px'")))
		fuzz_die("prepare", db_errmsg(db));
	db_bind_text(s, 1, hash);
	db_step(s);
	db_query_free(s);
	db_close(db);

	db_thread_setup(path);
	conn = db_thread();
	if (!conn)
		fuzz_die("db_thread", path);
	/* A stored answer for Idempotency-Key "fuzz-key-1", so that the seed
	 * that sends this key again reaches the replay path. */
	static const char body[] = "{\"id\":\"fz0\",\"date\":\"2025-03-11\",\"duration_min\":30,"
				   "\"type\":\"contact_informel\",\"author\":\"gx\"}";
	char req[1024];
	int n = snprintf(req, sizeof(req),
			 "POST /api/v1/activities HTTP/1.1\r\nHost: localhost\r\n"
			 "Authorization: Bearer %s\r\nIdempotency-Key: fuzz-key-1\r\n"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			 FUZZ_BEARER_GX, sizeof(body) - 1, body);
	char *out;
	size_t len;
	int status = test_http_exchange(req, (size_t)n, &out, &len);
	if (status != 201)
		fuzz_die("warm-up request", out);
	free(out);
	snap = fuzz_snapshot(conn);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sqlite3 *h = (sqlite3 *)db_sqlite_raw(conn);
	sqlite3_int64 before = sqlite3_total_changes64(h);
	char *out = NULL;
	size_t len = 0;
	int status = test_http_exchange((const char *)data, size, &out, &len);
	if (status < 100 || status > 599 || !out || len < 12 || memcmp(out, "HTTP/1.1 ", 9) != 0) {
		fprintf(stderr, "fuzz_request: malformed response (status %d)\n", status);
		abort();
	}
	if (status == 500 && !allow_500) {
		fprintf(stderr, "fuzz_request: the pipeline answered 500:\n%.*s\n",
			(int)(len > 4000 ? 4000 : len), out);
		abort();
	}
	check_response(out, len);
	if (show) {
		const char *eol = memchr(out, '\r', len);
		const char *err = strstr(out, "\"message\"");
		fprintf(stderr, "fuzz_request: %.*s %.160s\n", eol ? (int)(eol - out) : 20, out,
			err ? err : "");
	}
	free(out);
	if (!sqlite3_get_autocommit(h)) {
		fprintf(stderr, "fuzz_request: a transaction was left open\n");
		abort();
	}
	if (sqlite3_total_changes64(h) != before)
		fuzz_copy_db(h, snap);
	return 0;
}
