/* The installable web app (issue 11):
 *   GET /sw.js                 the service worker, at the root scope
 *   GET /manifest.webmanifest  the manifest (French name, icons)
 * and the one list of what a phone may keep for work without a network.
 *
 * The service worker (assets/sw.js) is served with a prelude written here:
 * its version (a hash of every embedded asset, so any change of the app
 * installs a new worker, whose caches replace the old ones), the app
 * shell's versioned URLs, and the allow-list of pages it may store. A page
 * is stored only when it is on that list and its answer is not no-store:
 * the pages that carry nominative details are on neither side (the list
 * is http/offline.c's). */
#include <sodium.h>
#include <string.h>

#include "core/embed.h"
#include "core/util.h"
#include "http/offline.h"
#include "http/static.h"
#include "model/journal_week.h"
#include "model/refdata.h"
#include "views/view.h"

/* The assets of the app shell, cached when the worker installs. */
static const char *const shell_assets[] = {
	"style.css",    "app.js",       "outbox.js",         "icon.svg",
	"icon-192.png", "icon-512.png", "icon-maskable.png",
};

int view_offline_urls(struct request *req, const char ***out, size_t *n)
{
	struct journal_week w;
	if (journal_week_of(NULL, &w) < 0)
		return -1;
	enum { WEEKS = 4 };
	size_t cap = offline_pages_count + WEEKS + REF__COUNT;
	const char **v = arena_alloc(req->arena, cap * sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < offline_pages_count; i++)
		if (offline_pages[i][strlen(offline_pages[i]) - 1] != '/')
			v[k++] = offline_pages[i];
	/* "Mon journal" for the recent weeks, as the week links name them. */
	for (int i = 0; i < WEEKS; i++) {
		v[k++] = arena_printf(req->arena, "/journal?semaine=%s", w.monday);
		if (journal_week_of(w.prev, &w) < 0)
			return -1;
	}
	for (int l = 0; l < REF__COUNT; l++)
		v[k++] = arena_printf(req->arena, "/api/v1/reference/%s",
				      ref_list_name((enum ref_list)l));
	*out = v;
	*n = k;
	return 0;
}

/* The app's version: a hash of every embedded asset's ETag (hex, in a). */
static const char *app_version(struct arena *a)
{
	crypto_generichash_state h;
	unsigned char d[8];
	crypto_generichash_init(&h, NULL, 0, sizeof(d));
	for (size_t i = 0; i < embedded_assets_count; i++)
		crypto_generichash_update(&h, (const unsigned char *)embedded_assets[i].etag,
					  strlen(embedded_assets[i].etag));
	crypto_generichash_final(&h, d, sizeof(d));
	char *hex = arena_alloc(a, 2 * sizeof(d) + 1);
	sodium_bin2hex(hex, 2 * sizeof(d) + 1, d, sizeof(d));
	return hex;
}

/* Writes the JSON array of strings v[0..n-1] (URLs: no character that
 * needs escaping in JSON). */
static void js_array(struct buf *o, const char *const *v, size_t n)
{
	buf_puts(o, "[");
	for (size_t i = 0; i < n; i++)
		buf_printf(o, "%s\"%s\"", i ? ", " : "", v[i]);
	buf_puts(o, "]");
}

enum perr view_service_worker(struct request *req, struct response *resp)
{
	const struct embedded_file *sw =
		embed_find(embedded_assets, embedded_assets_count, "sw.js");
	if (!sw)
		return PERR_INTERNAL; /* a build without assets/sw.js */
	const char *shell[ARRAY_LEN(shell_assets)];
	for (size_t i = 0; i < ARRAY_LEN(shell_assets); i++)
		shell[i] = static_url(shell_assets[i]);
	struct buf *o = &resp->body;
	buf_printf(o, "\"use strict\";\nconst VERSION = \"%s\";\nconst SHELL = ",
		   app_version(req->arena));
	js_array(o, shell, ARRAY_LEN(shell));
	buf_printf(o,
		   ";\nconst OUTBOX_JS = \"%s\";\nconst OFFLINE_PAGES = ", static_url("outbox.js"));
	js_array(o, offline_pages, offline_pages_count);
	buf_puts(o, ";\n");
	buf_append(o, sw->data, sw->len);
	resp->content_type = "text/javascript; charset=utf-8";
	/* A worker's own policy: it fetches and imports from this origin only. */
	resp_header(resp, req->arena, "Content-Security-Policy",
		    "default-src 'none'; script-src 'self'; connect-src 'self'");
	resp_header(resp, req->arena, "Service-Worker-Allowed", "/");
	resp_header(resp, req->arena, "Cache-Control", "no-cache");
	return PERR_OK;
}

enum perr view_manifest(struct request *req, struct response *resp)
{
	struct buf *o = &resp->body;
	buf_printf(o,
		   "{\n  \"name\": \"Proxima — journal de terrain\",\n"
		   "  \"short_name\": \"Proxima\",\n"
		   "  \"lang\": \"fr-CA\",\n"
		   "  \"description\": \"Le journal de terrain de l'intervention de proximité.\",\n"
		   "  \"id\": \"/journal/nouvelle\",\n"
		   "  \"start_url\": \"/journal/nouvelle\",\n"
		   "  \"scope\": \"/\",\n"
		   "  \"display\": \"standalone\",\n"
		   "  \"background_color\": \"#ffffff\",\n"
		   "  \"theme_color\": \"#0b5c73\",\n"
		   "  \"icons\": [\n"
		   "    {\"src\": \"%s\", \"sizes\": \"any\", \"type\": \"image/svg+xml\"},\n"
		   "    {\"src\": \"%s\", \"sizes\": \"192x192\", \"type\": \"image/png\"},\n"
		   "    {\"src\": \"%s\", \"sizes\": \"512x512\", \"type\": \"image/png\"},\n"
		   "    {\"src\": \"%s\", \"sizes\": \"512x512\", \"type\": \"image/png\", "
		   "\"purpose\": \"maskable\"}\n  ]\n}\n",
		   static_url("icon.svg"), static_url("icon-192.png"), static_url("icon-512.png"),
		   static_url("icon-maskable.png"));
	resp->content_type = "application/manifest+json";
	resp_header(resp, req->arena, "Cache-Control", "no-cache");
	return PERR_OK;
}
