#include "support/server.h"

#include "support/scratch_db.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TS_MAX_ARGS 48

long long ts_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ts_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

const char *ts_proxima_bin(void)
{
	const char *b = getenv("PROXIMA_BIN");
	if (!b || !*b) {
		fprintf(stderr, "test support: PROXIMA_BIN is not set (run tests/run.sh BUILD)\n");
		return NULL;
	}
	if (access(b, X_OK) != 0) {
		fprintf(stderr, "test support: PROXIMA_BIN=%s is not executable: %s\n", b,
			strerror(errno));
		return NULL;
	}
	return b;
}

static const char *scratch_root(void)
{
	const char *t = getenv("PROXIMA_TEST_TMP");
	if (!t || !*t)
		t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

int ts_mkdtemp(char *out, size_t cap, const char *prefix)
{
	int n = snprintf(out, cap, "%s/%s.XXXXXX", scratch_root(), prefix);
	if (n < 0 || (size_t)n >= cap) {
		fprintf(stderr, "test support: scratch path too long\n");
		return -1;
	}
	if (!mkdtemp(out)) {
		fprintf(stderr, "test support: mkdtemp %s: %s\n", out, strerror(errno));
		return -1;
	}
	return 0;
}

char *ts_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct ts_buf b = {0};
	char chunk[65536];
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		ts_buf_append(&b, chunk, (size_t)r);
	}
	close(fd);
	if (!b.data)
		ts_buf_append(&b, "", 0);
	if (len)
		*len = b.len;
	return b.data;
}

/* Copies a file's content into out (NUL-terminated, truncated). */
static void slurp_into(const char *path, char *out, size_t cap)
{
	if (!out || !cap)
		return;
	size_t n;
	char *s = ts_read_file(path, &n);
	out[0] = '\0';
	if (!s)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	free(s);
}

static int decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* Waits up to timeout_ms for pid. Returns the decoded status, or -1 after
 * killing and reaping it. */
static int wait_child(pid_t pid, int timeout_ms)
{
	long long deadline = ts_now_ms() + timeout_ms;
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return decode_status(st);
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "test support: waitpid %d: %s\n", (int)pid,
				strerror(errno));
			return -1;
		}
		if (ts_now_ms() >= deadline)
			break;
		ts_sleep_ms(5);
	}
	fprintf(stderr, "test support: process %d did not exit within %d ms; killing it\n",
		(int)pid, timeout_ms);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return -1;
}

/* Fills argv with the binary, args and extra; returns 0 or -1. */
static int build_argv(const char **argv, const char *bin, const char *const *args,
		      const char *const *extra)
{
	size_t n = 0;
	argv[n++] = bin;
	for (size_t i = 0; args && args[i]; i++) {
		if (n + 1 >= TS_MAX_ARGS)
			return -1;
		argv[n++] = args[i];
	}
	for (size_t i = 0; extra && extra[i]; i++) {
		if (n + 1 >= TS_MAX_ARGS)
			return -1;
		argv[n++] = extra[i];
	}
	argv[n] = NULL;
	return 0;
}

/* Forks and execs argv with the given descriptors as stdout and stderr
 * (stdin is /dev/null). Returns the pid or -1. Only async-signal-safe calls
 * happen between fork and exec. */
static pid_t spawn(const char **argv, int out_fd, int err_fd)
{
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null_fd < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "test support: fork: %s\n", strerror(errno));
		close(null_fd);
		return -1;
	}
	if (pid == 0) {
		if (dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
			_exit(127);
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(null_fd);
	return pid;
}

static char run_dir[512];
static unsigned run_counter;

int ts_run(const char *const *args, int timeout_ms, char *out, size_t out_cap, char *err,
	   size_t err_cap)
{
	if (out && out_cap)
		out[0] = '\0';
	if (err && err_cap)
		err[0] = '\0';
	const char *bin = ts_proxima_bin();
	if (!bin)
		return -1;
	if (!run_dir[0] && ts_mkdtemp(run_dir, sizeof(run_dir), "run") < 0) {
		run_dir[0] = '\0';
		return -1;
	}
	const char *argv[TS_MAX_ARGS];
	if (build_argv(argv, bin, args, NULL) < 0)
		return -1;
	char out_path[600], err_path[600];
	unsigned k = run_counter++;
	snprintf(out_path, sizeof(out_path), "%s/%u.out", run_dir, k);
	snprintf(err_path, sizeof(err_path), "%s/%u.err", run_dir, k);
	int ofd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int efd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (ofd < 0 || efd < 0) {
		fprintf(stderr, "test support: cannot create %s: %s\n", out_path, strerror(errno));
		if (ofd >= 0)
			close(ofd);
		if (efd >= 0)
			close(efd);
		return -1;
	}
	pid_t pid = spawn(argv, ofd, efd);
	close(ofd);
	close(efd);
	if (pid < 0)
		return -1;
	int rc = wait_child(pid, timeout_ms);
	slurp_into(out_path, out, out_cap);
	slurp_into(err_path, err, err_cap);
	return rc;
}

int ts_server_prepare(struct ts_server *s)
{
	memset(s, 0, sizeof(*s));
	s->out_fd = -1;
	if (ts_mkdtemp(s->dir, sizeof(s->dir), "server") < 0)
		return -1;
	if (scratch_pg_admin()) {
		/* PostgreSQL: a new database of the test cluster, a copy of the
		 * migrated template ("init" then only checks it). */
		if (scratch_pg_create(s->db, sizeof(s->db), "server", true) < 0)
			return -1;
	} else {
		snprintf(s->db, sizeof(s->db), "%s/proxima.db", s->dir);
	}
	snprintf(s->access_log, sizeof(s->access_log), "%s/access.log", s->dir);
	snprintf(s->anchors, sizeof(s->anchors), "%s/proxima.anchors", s->dir);
	snprintf(s->err_path, sizeof(s->err_path), "%s/stderr.log", s->dir);
	char err[2048];
	const char *args[] = {"init", "--db", s->db, NULL};
	int rc = ts_run(args, TS_START_TIMEOUT_MS, NULL, 0, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "test support: proxima init --db %s failed (%d): %s\n", s->db, rc,
			err);
		return -1;
	}
	return 0;
}

void ts_server_dump_stderr(const struct ts_server *s)
{
	size_t n;
	char *e = ts_read_file(s->err_path, &n);
	if (!e)
		return;
	const char *from = n > 3000 ? e + n - 3000 : e;
	fprintf(stderr, "---- server stderr (%s) ----\n%s\n----\n", s->err_path, from);
	free(e);
}

/* Reads the listening line from the child's stdout. Returns the port or
 * -1. */
static int read_port(struct ts_server *s)
{
	static const char prefix[] = "proxima: listening on http://127.0.0.1:";
	char line[256] = {0};
	size_t len = 0;
	long long deadline = ts_now_ms() + TS_START_TIMEOUT_MS;
	while (!memchr(line, '\n', len)) {
		long long left = deadline - ts_now_ms();
		if (left <= 0) {
			fprintf(stderr, "test support: no listening line within %d ms\n",
				TS_START_TIMEOUT_MS);
			return -1;
		}
		struct pollfd p = {.fd = s->out_fd, .events = POLLIN};
		int pr = poll(&p, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		if (len + 1 >= sizeof(line)) {
			fprintf(stderr, "test support: listening line too long\n");
			return -1;
		}
		ssize_t r = read(s->out_fd, line + len, sizeof(line) - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "test support: server closed stdout before listening\n");
			return -1;
		}
		len += (size_t)r;
	}
	line[len] = '\0';
	char *nl = strchr(line, '\n');
	s->stdout_extra = (size_t)(line + len - (nl + 1));
	*nl = '\0';
	const char *p = line + sizeof(prefix) - 1;
	int port = 0;
	if (strncmp(line, prefix, sizeof(prefix) - 1) != 0 || *p < '1' || *p > '9')
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		port = port * 10 + (*p - '0');
		if (port > 65535)
			goto bad;
	}
	if (strcmp(p, "/") != 0)
		goto bad;
	return port;
bad:
	fprintf(stderr, "test support: unexpected listening line '%s'\n", line);
	return -1;
}

int ts_server_start(struct ts_server *s, const char *const *extra)
{
	if (!s->db[0] && ts_server_prepare(s) < 0)
		return -1;
	const char *bin = ts_proxima_bin();
	if (!bin)
		return -1;
	const char *args[] = {"serve",       "--db",
			      s->db,         "--listen",
			      "127.0.0.1:0", "--access-log",
			      s->access_log, s->anchors[0] ? "--anchors" : NULL,
			      s->anchors,    NULL};
	const char *argv[TS_MAX_ARGS];
	if (build_argv(argv, bin, args, extra) < 0)
		return -1;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	int efd = open(s->err_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (efd < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	s->pid = spawn(argv, pfd[1], efd);
	close(pfd[1]);
	close(efd);
	s->out_fd = pfd[0];
	s->status = -1;
	if (s->pid < 0) {
		s->pid = 0;
		close(s->out_fd);
		s->out_fd = -1;
		return -1;
	}
	s->port = read_port(s);
	if (s->port < 0) {
		kill(s->pid, SIGKILL);
		wait_child(s->pid, TS_STOP_TIMEOUT_MS);
		s->pid = 0;
		close(s->out_fd);
		s->out_fd = -1;
		ts_server_dump_stderr(s);
		return -1;
	}
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
	return 0;
}

int ts_server_signal(struct ts_server *s, int sig)
{
	if (s->pid <= 0)
		return -1;
	return kill(s->pid, sig);
}

/* Counts what is left on the child's stdout, then closes it. */
static void drain_stdout(struct ts_server *s)
{
	if (s->out_fd < 0)
		return;
	int fl = fcntl(s->out_fd, F_GETFL);
	if (fl >= 0)
		fcntl(s->out_fd, F_SETFL, fl | O_NONBLOCK);
	char chunk[4096];
	ssize_t r;
	while ((r = read(s->out_fd, chunk, sizeof(chunk))) > 0)
		s->stdout_extra += (size_t)r;
	close(s->out_fd);
	s->out_fd = -1;
}

int ts_server_wait(struct ts_server *s, int timeout_ms)
{
	if (s->pid <= 0)
		return s->status;
	s->status = wait_child(s->pid, timeout_ms);
	s->pid = 0;
	drain_stdout(s);
	if (s->status != 0)
		ts_server_dump_stderr(s);
	return s->status;
}

int ts_server_stop(struct ts_server *s)
{
	if (s->pid <= 0)
		return s->status;
	ts_server_signal(s, SIGTERM);
	return ts_server_wait(s, TS_STOP_TIMEOUT_MS);
}

bool ts_server_alive(struct ts_server *s)
{
	if (s->pid <= 0)
		return false;
	int st;
	pid_t r = waitpid(s->pid, &st, WNOHANG);
	if (r == s->pid) {
		s->status = decode_status(st);
		s->pid = 0;
		drain_stdout(s);
		return false;
	}
	return true;
}

/* Buffers and libcurl. */

void ts_buf_append(struct ts_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d) {
			fprintf(stderr, "test support: out of memory\n");
			abort();
		}
		b->data = d;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void ts_buf_free(struct ts_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct ts_resp *r = ud;
	ts_buf_append(&r->body, p, size * n);
	return size * n;
}

/* Keeps only the last response's headers (a 100 Continue comes first). */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct ts_resp *r = ud;
	size_t len = size * n;
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
		r->head.len = 0;
	ts_buf_append(&r->head, p, len);
	return len;
}

int ts_http(CURL *curl, const char *method, const char *url, const char *const *headers,
	    const void *body, size_t body_len, struct ts_resp *r)
{
	memset(r, 0, sizeof(*r));
	ts_buf_append(&r->head, "", 0);
	ts_buf_append(&r->body, "", 0);
	CURL *h = curl ? curl : curl_easy_init();
	if (!h) {
		r->code = CURLE_FAILED_INIT;
		return -1;
	}
	if (curl)
		curl_easy_reset(h);
	struct curl_slist *list = NULL;
	for (size_t i = 0; headers && headers[i]; i++)
		list = curl_slist_append(list, headers[i]);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	if (list)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	if (!method)
		method = "GET";
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") == 0 && !body) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
		if (body || strcmp(method, "POST") == 0) {
			curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? (const char *)body : "");
		}
	}
	r->code = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r->num_connects);
	if (!curl)
		curl_easy_cleanup(h);
	else
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(list);
	if (r->code != CURLE_OK) {
		fprintf(stderr, "test support: %s %s: %s\n", method, url,
			curl_easy_strerror(r->code));
		return -1;
	}
	return 0;
}

void ts_resp_free(struct ts_resp *r)
{
	ts_buf_free(&r->head);
	ts_buf_free(&r->body);
}

/* Calls fn for each header line of a head block (after the status line).
 * Stops and returns 1 when fn returns nonzero. */
static int each_header(const char *head,
		       int (*fn)(const char *name, size_t nlen, const char *val, size_t vlen,
				 void *ud),
		       void *ud)
{
	const char *p = head ? strchr(head, '\n') : NULL;
	while (p && *++p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len && p[len - 1] == '\r')
			len--;
		const char *colon = memchr(p, ':', len);
		if (colon) {
			const char *v = colon + 1, *end = p + len;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			if (fn(p, (size_t)(colon - p), v, (size_t)(end - v), ud))
				return 1;
		}
		p = eol;
	}
	return 0;
}

struct header_query {
	const char *name;
	char *out;
	size_t cap;
	int count;
	bool first_only;
};

static int match_header(const char *name, size_t nlen, const char *val, size_t vlen, void *ud)
{
	struct header_query *q = ud;
	if (strlen(q->name) != nlen || strncasecmp(q->name, name, nlen) != 0)
		return 0;
	q->count++;
	if (q->out && q->cap) {
		size_t n = vlen < q->cap - 1 ? vlen : q->cap - 1;
		memcpy(q->out, val, n);
		q->out[n] = '\0';
	}
	return q->first_only;
}

const char *ts_header(const struct ts_resp *r, const char *name, char *out, size_t cap)
{
	struct header_query q = {name, out, cap, 0, true};
	each_header(r->head.data, match_header, &q);
	return q.count ? out : NULL;
}

int ts_header_count(const struct ts_resp *r, const char *name)
{
	struct header_query q = {name, NULL, 0, 0, false};
	each_header(r->head.data, match_header, &q);
	return q.count;
}

struct cookie_query {
	const char *name;
	char *out;
	size_t cap;
	bool found;
};

static int match_cookie(const char *name, size_t nlen, const char *val, size_t vlen, void *ud)
{
	struct cookie_query *q = ud;
	size_t cn = strlen(q->name);
	if (nlen != 10 || strncasecmp(name, "Set-Cookie", 10) != 0)
		return 0;
	if (vlen <= cn || strncmp(val, q->name, cn) != 0 || val[cn] != '=')
		return 0;
	const char *v = val + cn + 1;
	size_t n = strcspn(v, ";");
	if (n > (size_t)(val + vlen - v))
		n = (size_t)(val + vlen - v);
	if (n >= q->cap)
		n = q->cap - 1;
	memcpy(q->out, v, n);
	q->out[n] = '\0';
	q->found = true;
	return 1;
}

const char *ts_set_cookie(const struct ts_resp *r, const char *name, char *out, size_t cap)
{
	if (!cap)
		return NULL;
	struct cookie_query q = {name, out, cap, false};
	each_header(r->head.data, match_cookie, &q);
	return q.found ? out : NULL;
}

bool ts_body_has(const struct ts_resp *r, const char *text)
{
	return r->body.data && strstr(r->body.data, text) != NULL;
}

const char *ts_url(const struct ts_server *s, const char *path)
{
	static _Thread_local char url[4096];
	snprintf(url, sizeof(url), "%s%s", s->url, path);
	return url;
}

/* Raw sockets. */

int ts_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int ts_send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads more bytes into out[*len] before the deadline. Returns the count
 * read, 0 at end of stream, -1 on error or timeout. */
static ssize_t read_some(int fd, char *out, size_t cap, size_t *len, long long deadline)
{
	for (;;) {
		long long left = deadline - ts_now_ms();
		if (left <= 0 || *len + 1 >= cap)
			return -1;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int pr = poll(&p, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		ssize_t r = recv(fd, out + *len, cap - 1 - *len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == ECONNRESET ? 0 : -1;
		*len += (size_t)r;
		out[*len] = '\0';
		return r;
	}
}

/* The Content-Length of a head block, or -1. */
static long long head_content_length(const char *head, size_t head_len)
{
	const char *p = head;
	const char *end = head + head_len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			break;
		if ((size_t)(eol - p) > 15 && strncasecmp(p, "Content-Length:", 15) == 0) {
			long long v = 0;
			const char *d = p + 15;
			while (*d == ' ')
				d++;
			if (*d < '0' || *d > '9')
				return -1;
			for (; *d >= '0' && *d <= '9'; d++)
				v = v * 10 + (*d - '0');
			return v;
		}
		p = eol + 1;
	}
	return -1;
}

ssize_t ts_read_response(int fd, char *out, size_t cap, int timeout_ms)
{
	long long deadline = ts_now_ms() + timeout_ms;
	size_t len = 0;
	if (cap)
		out[0] = '\0';
	const char *eoh;
	while (!(eoh = strstr(out, "\r\n\r\n"))) {
		ssize_t r = read_some(fd, out, cap, &len, deadline);
		if (r < 0 || (r == 0 && len == 0))
			return -1;
		if (r == 0)
			return (ssize_t)len; /* closed mid-head: the caller sees it */
	}
	size_t head_len = (size_t)(eoh + 4 - out);
	if (len >= 10 && strncmp(out, "HTTP/1.", 7) == 0 && out[9] == '1')
		return (ssize_t)len; /* interim 1xx response */
	long long cl = head_content_length(out, head_len);
	for (;;) {
		if (cl >= 0 && len >= head_len + (size_t)cl)
			return (ssize_t)len;
		ssize_t r = read_some(fd, out, cap, &len, deadline);
		if (r < 0)
			return -1;
		if (r == 0)
			return (ssize_t)len;
	}
}

ssize_t ts_read_until_close(int fd, char *out, size_t cap, int timeout_ms)
{
	long long deadline = ts_now_ms() + timeout_ms;
	size_t len = 0;
	if (cap)
		out[0] = '\0';
	for (;;) {
		ssize_t r = read_some(fd, out, cap, &len, deadline);
		if (r < 0)
			return -1;
		if (r == 0)
			return (ssize_t)len;
	}
}
