#include "http/test_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "http/error.h"
#include "http/request.h"
#include "http/response.h"

#define RAW_MAX_HEADERS (64u * 1024)

/* Finds the end of the line starting at p (before end); returns the
 * position after its LF and sets *len to the line length without CR LF. */
static const char *next_line(const char *p, const char *end, size_t *len)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));
	if (!lf)
		return NULL;
	*len = (size_t)(lf - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return lf + 1;
}

/* Fills req from the raw text. Returns PERR_OK, PERR_INVALID or
 * PERR_TOO_LARGE. */
static enum perr parse_raw(struct request *req, const char *raw, size_t n)
{
	const char *p = raw, *end = raw + n;
	size_t len;
	const char *next = next_line(p, end, &len);
	if (!next || (size_t)(next - raw) > RAW_MAX_HEADERS)
		return PERR_INVALID;
	/* Request line: METHOD SP target SP HTTP/1.x */
	char *line = arena_strndup(req->arena, p, len);
	char *sp1 = strchr(line, ' ');
	char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return PERR_INVALID;
	*sp1 = *sp2 = '\0';
	const char *method = line, *target = sp1 + 1;
	for (const char *m = method; *m; m++)
		if (*m < 'A' || *m > 'Z')
			return PERR_INVALID;
	p = next;
	for (;;) {
		next = next_line(p, end, &len);
		if (!next || (size_t)(next - raw) > RAW_MAX_HEADERS)
			return PERR_INVALID;
		if (len == 0) {
			p = next;
			break;
		}
		const char *colon = memchr(p, ':', len);
		if (!colon || colon == p)
			return PERR_INVALID;
		const char *v = colon + 1;
		while (v < p + len && (*v == ' ' || *v == '\t'))
			v++;
		size_t vlen = (size_t)(p + len - v);
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		kvlist_add(req->arena, &req->headers,
			   arena_strndup(req->arena, p, (size_t)(colon - p)),
			   arena_strndup(req->arena, v, vlen));
		p = next;
	}
	if (request_set_target(req, method, target) < 0)
		return PERR_INVALID;
	size_t avail = (size_t)(end - p);
	const char *cl = req_header(req, "Content-Length");
	if (req_header(req, "Transfer-Encoding"))
		return PERR_INVALID; /* chunked bodies are not accepted here */
	if (cl) {
		int64_t want;
		if (parse_i64(cl, 0, INT64_MAX, &want) < 0)
			return PERR_INVALID;
		if ((uint64_t)want > app_body_limit(req_header(req, "Content-Type")))
			return PERR_TOO_LARGE;
		if ((uint64_t)want > avail)
			return PERR_INVALID; /* truncated body */
		avail = (size_t)want;
	} else {
		avail = 0;
	}
	if (avail) {
		req->body = arena_strndup(req->arena, p, avail);
		req->body_len = avail;
	}
	return PERR_OK;
}

int test_http_exchange(const char *raw, size_t n, char **out, size_t *out_len)
{
	struct arena *a = arena_new(16 * 1024);
	struct request req;
	struct response resp;
	request_init(&req, a);
	req.start_us = ptime_monotonic_us();
	req.remote_addr = "test";
	response_init(&resp);
	enum perr e = parse_raw(&req, raw, n);
	if (e != PERR_OK) {
		req.lang = i18n_negotiate(req_header(&req, "Accept-Language"));
		app_respond_error(&req, &resp, e);
	} else {
		app_handle(&req, &resp);
	}
	struct buf o = BUF_INIT(RESPONSE_MAX_BODY + 65536);
	buf_printf(&o, "HTTP/1.1 %d %s\r\n", resp.status, http_reason(resp.status));
	if (resp.content_type)
		buf_printf(&o, "Content-Type: %s\r\n", resp.content_type);
	for (size_t i = 0; i < resp.headers.n; i++)
		buf_printf(&o, "%s: %s\r\n", resp.headers.v[i].key, resp.headers.v[i].val);
	size_t blen;
	const void *body = resp_body(&resp, &blen);
	buf_printf(&o, "Content-Length: %zu\r\n\r\n", blen);
	if (req.method != HTTP_HEAD)
		buf_append(&o, body, blen);
	int status = resp.status;
	response_free(&resp);
	arena_free(a);
	*out = buf_detach(&o, out_len);
	return status;
}

int test_http_run(int in_fd, int out_fd)
{
	struct buf in = BUF_INIT(APP_LIMIT_MULTIPART + RAW_MAX_HEADERS);
	char chunk[65536];
	for (;;) {
		ssize_t r = read(in_fd, chunk, sizeof(chunk));
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		if (buf_append(&in, chunk, (size_t)r) < 0)
			break; /* over any limit: the parser answers 413/400 */
	}
	char *out;
	size_t len;
	test_http_exchange(in.data, in.len, &out, &len);
	buf_free(&in);
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(out_fd, out + off, len - off);
		if (w <= 0) {
			free(out);
			return -1;
		}
		off += (size_t)w;
	}
	free(out);
	return 0;
}
