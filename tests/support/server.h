/* Test support: a real proxima server forked on a loopback port, the
 * proxima command line run as a child process, a libcurl request helper
 * and raw-socket helpers. Linked into every test binary (unit tests too),
 * so it has no main() and needs only libc and libcurl.
 *
 * Environment (set by tests/run.sh):
 *   PROXIMA_BIN       the proxima binary to run
 *   PROXIMA_TEST_TMP  a scratch directory (falls back to $TMPDIR or /tmp)
 *
 * Functions return -1 on failure and print why on standard error, so a
 * test can assert on the value and still show the cause. */
#ifndef PROXIMA_TEST_SERVER_H
#define PROXIMA_TEST_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <curl/curl.h>

/* How long a child may take to start or to stop, in milliseconds. Generous:
 * sanitised binaries start slowly on a loaded machine. */
#define TS_START_TIMEOUT_MS 15000
#define TS_STOP_TIMEOUT_MS 12000

/* The path of the proxima binary ($PROXIMA_BIN), or NULL with a message. */
const char *ts_proxima_bin(void);

/* Creates a new private directory under the scratch directory and writes
 * its path into out. Returns 0 or -1. */
int ts_mkdtemp(char *out, size_t cap, const char *prefix);

/* Runs "proxima ARGS..." (args is NULL-terminated, without the binary),
 * waits up to timeout_ms and captures its standard output and error into
 * out and err (NUL-terminated, truncated to fit; either may be NULL).
 * Returns the exit status, 128+N when killed by signal N, or -1 when it
 * did not finish in time (it is then killed) or could not be started. */
int ts_run(const char *const *args, int timeout_ms, char *out, size_t out_cap, char *err,
	   size_t err_cap);

/* A forked "proxima serve". */
struct ts_server {
	pid_t pid; /* 0 once reaped */
	int port;
	int out_fd;          /* read end of the child's standard output */
	int status;          /* exit status once reaped (see ts_server_wait) */
	size_t stdout_extra; /* bytes printed on stdout after the listening line */
	char dir[512];       /* private directory: db, key, logs */
	char db[600];
	char access_log[600];
	char anchors[600];  /* the access log's anchors (--anchors), in dir */
	char err_path[600]; /* the child's standard error */
	char url[64];       /* "http://127.0.0.1:PORT", no trailing slash */
};

/* Creates a fresh directory and database ("proxima init") for s, without
 * starting anything. Returns 0 or -1. */
int ts_server_prepare(struct ts_server *s);

/* Starts "proxima serve --db s->db --listen 127.0.0.1:0 --access-log
 * s->access_log [--anchors s->anchors] [extra...]" (extra is NULL-terminated or NULL) and waits
 * for its listening line, which must be exactly
 * "proxima: listening on http://127.0.0.1:PORT/". Calls
 * ts_server_prepare() first when s->db is empty. Returns 0 or -1 (the
 * child is then killed and reaped). */
int ts_server_start(struct ts_server *s, const char *const *extra);

/* Sends sig to the server. Returns 0 or -1. */
int ts_server_signal(struct ts_server *s, int sig);

/* Waits up to timeout_ms for the server to exit. Returns its exit status
 * (128+N when killed by signal N), or -1 on timeout, after which it is
 * killed with SIGKILL and reaped. Also counts what it printed on stdout
 * after the listening line into s->stdout_extra. */
int ts_server_wait(struct ts_server *s, int timeout_ms);

/* SIGTERM, then ts_server_wait(TS_STOP_TIMEOUT_MS). Returns the exit
 * status, or -1 (timeout: killed). A server already reaped returns its
 * recorded status. */
int ts_server_stop(struct ts_server *s);

/* True while the child has not exited (it is reaped when it has). */
bool ts_server_alive(struct ts_server *s);

/* Prints the last lines of the server's standard error (for failures). */
void ts_server_dump_stderr(const struct ts_server *s);

/* A growable byte buffer, always NUL-terminated. */
struct ts_buf {
	char *data;
	size_t len, cap;
};

void ts_buf_append(struct ts_buf *b, const void *p, size_t n);
void ts_buf_free(struct ts_buf *b);

/* A response received with libcurl. */
struct ts_resp {
	long status;
	struct ts_buf head; /* the final response's header lines, CRLF kept */
	struct ts_buf body;
	long num_connects; /* CURLINFO_NUM_CONNECTS: new connections made */
	CURLcode code;     /* the transfer's result */
};

/* One request. method: "GET" (default when NULL), "HEAD", "POST" or any
 * other token. headers: NULL-terminated "Name: value" strings, or NULL.
 * body may be NULL. curl may be a handle to reuse (keep-alive across
 * calls; its options are reset each time) or NULL for a one-off handle.
 * url is base + path, e.g. ts_url(s, "/healthz"). Returns 0 when an HTTP
 * response was received, else -1 (r->code says why). Free with
 * ts_resp_free(). */
int ts_http(CURL *curl, const char *method, const char *url, const char *const *headers,
	    const void *body, size_t body_len, struct ts_resp *r);

void ts_resp_free(struct ts_resp *r);

/* The value of the first response header called name (case-insensitive),
 * copied into out; NULL when absent. */
const char *ts_header(const struct ts_resp *r, const char *name, char *out, size_t cap);

/* The value of cookie name as set by one of the response's Set-Cookie
 * headers (without attributes), copied into out; NULL when not set. */
const char *ts_set_cookie(const struct ts_resp *r, const char *name, char *out, size_t cap);

/* How many response headers are called name. */
int ts_header_count(const struct ts_resp *r, const char *name);

/* True when the body contains text. */
bool ts_body_has(const struct ts_resp *r, const char *text);

/* Writes s->url + path into a static per-thread buffer and returns it. */
const char *ts_url(const struct ts_server *s, const char *path);

/* Raw sockets. */

/* A blocking TCP connection to 127.0.0.1:port, or -1 (errno is kept, so
 * ECONNREFUSED can be told apart). */
int ts_connect(int port);

/* Writes all of p. Returns 0 or -1. */
int ts_send_all(int fd, const void *p, size_t n);

/* Reads one HTTP response: the head up to the blank line and then
 * Content-Length bytes of body (or until the peer closes when there is no
 * Content-Length). Interim 1xx responses are returned as they are: a
 * caller waiting for "100 Continue" gets just that. Returns the number of
 * bytes read into out (NUL-terminated), or -1 on timeout, error or when
 * the peer closed before any byte. */
ssize_t ts_read_response(int fd, char *out, size_t cap, int timeout_ms);

/* Reads until the peer closes or timeout_ms passes. Returns the bytes read
 * (NUL-terminated into out), or -1 on error or timeout. */
ssize_t ts_read_until_close(int fd, char *out, size_t cap, int timeout_ms);

/* Milliseconds on a monotonic clock. */
long long ts_now_ms(void);

/* Sleeps for ms milliseconds. */
void ts_sleep_ms(int ms);

/* Reads a whole file into a malloc'd NUL-terminated string (NULL on
 * error); *len gets its length when len is not NULL. */
char *ts_read_file(const char *path, size_t *len);

#endif
