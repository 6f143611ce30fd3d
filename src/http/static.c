#include "http/static.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/util.h"

static char **urls; /* parallel to embedded_assets */

/* The ETag without its quotes, for the ?v= query. */
static void etag_bare(const char *etag, char *out, size_t cap)
{
	size_t n = strlen(etag);
	if (n >= 2 && etag[0] == '"')
		snprintf(out, cap, "%.*s", (int)(n - 2), etag + 1);
	else
		snprintf(out, cap, "%s", etag);
}

void static_init(void)
{
	if (urls)
		return;
	urls = calloc(embedded_assets_count + 1, sizeof(*urls));
	if (!urls)
		die_oom();
	for (size_t i = 0; i < embedded_assets_count; i++) {
		char v[64], u[256];
		etag_bare(embedded_assets[i].etag, v, sizeof(v));
		snprintf(u, sizeof(u), "/static/%s?v=%s", embedded_assets[i].name, v);
		urls[i] = strdup(u);
		if (!urls[i])
			die_oom();
	}
}

const char *static_url(const char *name)
{
	const struct embedded_file *f = embed_find(embedded_assets, embedded_assets_count, name);
	BUG_ON(!f || !urls);
	return urls[f - embedded_assets];
}

static const char *content_type_of(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".webmanifest", "application/manifest+json"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < ARRAY_LEN(types); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* True when an If-None-Match header lists etag (or is "*"). */
static int etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	return strstr(inm, etag) != NULL;
}

enum perr static_serve(struct request *req, struct response *resp)
{
	const char *name = req_param(req, "name");
	const struct embedded_file *f = embed_find(embedded_assets, embedded_assets_count, name);
	if (!f)
		return PERR_NOT_FOUND;
	char v[64];
	etag_bare(f->etag, v, sizeof(v));
	const char *want = req_query(req, "v");
	resp->cache_static = 1;
	resp_header(resp, req->arena, "ETag", f->etag);
	resp_header(resp, req->arena, "Cache-Control",
		    want && strcmp(want, v) == 0 ? "public, max-age=31536000, immutable"
						 : "public, no-cache");
	resp->content_type = content_type_of(f->name);
	if (etag_matches(req_header(req, "If-None-Match"), f->etag)) {
		resp->status = 304;
		return PERR_OK;
	}
	resp->static_body = f->data;
	resp->static_len = f->len;
	return PERR_OK;
}
