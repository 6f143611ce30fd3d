#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "http/client_addr.h"
#include "http/error.h"
#include "http/request.h"
#include "http/response.h"

/* ---- Connections: the slow-client defences ----
 *
 * Each connection MHD accepts gets a struct conn (MHD's socket context),
 * in one list under conns.mu. The accept policy refuses an address that
 * already holds the cap; the watchdog thread shuts down the socket of a
 * connection that has waited longer than the header timeout for a
 * request's headers (MHD then closes it: it owns the descriptor, and
 * closes it only after the CLOSED notification, which takes conns.mu, so a
 * shutdown never reaches a descriptor reused by another connection). */
struct conn {
	struct conn *prev, *next;
	int fd;
	struct in6_addr peer; /* IPv4 mapped */
	bool trusted;         /* a trusted proxy: no cap, X-Forwarded-For believed */
	bool busy;            /* its request's headers are in: no deadline */
	bool cut;             /* the watchdog shut it down */
	int64_t waiting_us;   /* since when it waits for a request's headers */
	char addr[CLIENT_ADDR_LEN];
};

/* Connections per address: a chained hash table, an entry per address
 * with a connection open. */
#define ADDR_BUCKETS 1024
struct addr_count {
	struct addr_count *next;
	struct in6_addr addr;
	unsigned n;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	struct conn *head;
	struct addr_count *buckets[ADDR_BUCKETS];
	unsigned per_address;
	int64_t header_timeout_us;
	struct client_addr_trust trust;
	bool stopping;
	pthread_t watchdog;
} conns = {.mu = PTHREAD_MUTEX_INITIALIZER};

static struct addr_count **addr_slot(const struct in6_addr *a)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < sizeof(a->s6_addr); i++)
		h = (h ^ a->s6_addr[i]) * 16777619u;
	struct addr_count **p = &conns.buckets[h % ADDR_BUCKETS];
	while (*p && memcmp(&(*p)->addr, a, sizeof(*a)) != 0)
		p = &(*p)->next;
	return p;
}

/* Adds d (+1 or -1) to a's count. Under conns.mu. */
static void addr_add(const struct in6_addr *a, int d)
{
	struct addr_count **p = addr_slot(a);
	if (!*p) {
		if (d < 0)
			return;
		*p = calloc(1, sizeof(**p));
		if (!*p)
			die_oom();
		(*p)->addr = *a;
	}
	(*p)->n = (unsigned)((int)(*p)->n + d);
	if (!(*p)->n) {
		struct addr_count *gone = *p;
		*p = gone->next;
		free(gone);
	}
}

/* sa as an IPv6 address (IPv4 mapped). 0, or -1 for another family. */
static int peer_of(const struct sockaddr *sa, struct in6_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (sa && sa->sa_family == AF_INET) {
		out->s6_addr[10] = out->s6_addr[11] = 0xff;
		memcpy(&out->s6_addr[12], &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		       4);
		return 0;
	}
	if (sa && sa->sa_family == AF_INET6) {
		*out = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		return 0;
	}
	return -1;
}

/* Connections refused since the watchdog last logged (one line per pass
 * rather than one per connection of a flood). */
static atomic_int refused;

/* MHD's accept policy: an address at its cap is refused at once. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
	(void)cls;
	(void)len;
	struct in6_addr a;
	if (peer_of(sa, &a) < 0 || client_addr_trusted(&conns.trust, sa))
		return MHD_YES;
	pthread_mutex_lock(&conns.mu);
	struct addr_count *c = *addr_slot(&a);
	bool full = c && c->n >= conns.per_address;
	pthread_mutex_unlock(&conns.mu);
	if (full)
		atomic_fetch_add(&refused, 1);
	return full ? MHD_NO : MHD_YES;
}

static void conn_started(struct MHD_Connection *c, void **ctx)
{
	struct conn *k = calloc(1, sizeof(*k));
	if (!k)
		die_oom();
	const union MHD_ConnectionInfo *fi =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ai =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	k->fd = fi ? fi->connect_fd : -1;
	const struct sockaddr *sa = ai ? ai->client_addr : NULL;
	peer_of(sa, &k->peer);
	client_addr_of(sa, k->addr, sizeof(k->addr));
	k->trusted = client_addr_trusted(&conns.trust, sa);
	k->waiting_us = ptime_monotonic_us();
	pthread_mutex_lock(&conns.mu);
	k->next = conns.head;
	if (conns.head)
		conns.head->prev = k;
	conns.head = k;
	if (!k->trusted)
		addr_add(&k->peer, 1);
	pthread_mutex_unlock(&conns.mu);
	*ctx = k;
}

static void conn_closed(void **ctx)
{
	struct conn *k = *ctx;
	if (!k)
		return;
	pthread_mutex_lock(&conns.mu);
	if (k->prev)
		k->prev->next = k->next;
	else
		conns.head = k->next;
	if (k->next)
		k->next->prev = k->prev;
	if (!k->trusted)
		addr_add(&k->peer, -1);
	pthread_mutex_unlock(&conns.mu);
	free(k);
	*ctx = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		conn_started(c, socket_context);
	else
		conn_closed(socket_context);
}

/* The connection's state, or NULL. */
static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

/* Marks the connection busy (its request's headers are in) or waiting
 * again (its answer is done). */
static void conn_set_busy(struct MHD_Connection *c, bool busy)
{
	struct conn *k = conn_of(c);
	if (!k)
		return;
	pthread_mutex_lock(&conns.mu);
	k->busy = busy;
	if (!busy)
		k->waiting_us = ptime_monotonic_us();
	pthread_mutex_unlock(&conns.mu);
}

/* Shuts down the connections past the header deadline. Returns how many. */
static int watchdog_pass(void)
{
	int cut = 0;
	int64_t now = ptime_monotonic_us();
	pthread_mutex_lock(&conns.mu);
	for (struct conn *k = conns.head; k; k = k->next) {
		if (k->busy || k->cut || k->fd < 0 || now - k->waiting_us < conns.header_timeout_us)
			continue;
		shutdown(k->fd, SHUT_RDWR);
		k->cut = true;
		cut++;
	}
	pthread_mutex_unlock(&conns.mu);
	return cut;
}

static void *watchdog(void *arg)
{
	(void)arg;
	int64_t step_ms = conns.header_timeout_us / 4000;
	if (step_ms > 1000)
		step_ms = 1000;
	pthread_mutex_lock(&conns.mu);
	while (!conns.stopping) {
		pthread_mutex_unlock(&conns.mu);
		int cut = watchdog_pass(), n = atomic_exchange(&refused, 0);
		if (cut)
			log_warn("http.header_timeout", "closed=%d", cut);
		if (n)
			log_warn("http.refused", "reason=per_address_limit connections=%d", n);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += step_ms * 1000000;
		until.tv_sec += until.tv_nsec / 1000000000;
		until.tv_nsec %= 1000000000;
		pthread_mutex_lock(&conns.mu);
		if (!conns.stopping)
			pthread_cond_timedwait(&conns.wake, &conns.mu, &until);
	}
	pthread_mutex_unlock(&conns.mu);
	return NULL;
}

static int watchdog_start(const struct server_options *opt)
{
	conns.per_address = opt->per_address ? opt->per_address : SERVER_PER_ADDRESS;
	conns.header_timeout_us =
		(int64_t)(opt->header_timeout_s ? opt->header_timeout_s : SERVER_HEADER_TIMEOUT_S) *
		1000000;
	conns.trust = opt->trust;
	conns.stopping = false;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&conns.wake, &ca);
	pthread_condattr_destroy(&ca);
	return pthread_create(&conns.watchdog, NULL, watchdog, NULL) == 0 ? 0 : -1;
}

static void watchdog_stop(void)
{
	pthread_mutex_lock(&conns.mu);
	conns.stopping = true;
	pthread_cond_signal(&conns.wake);
	pthread_mutex_unlock(&conns.mu);
	pthread_join(conns.watchdog, NULL);
	pthread_cond_destroy(&conns.wake);
}

/* ---- Requests ---- */

/* State of one request, from the URI callback to the completion callback. */
struct exchange {
	struct arena *arena;
	struct request req;
	struct response resp;
	struct buf body;
	size_t body_limit;
	bool started;
	bool too_large;
	bool responded;  /* a response was queued (else the log says status=0) */
	bool from_proxy; /* the peer is a trusted proxy */
	int64_t start_us;
	char remote[CLIENT_ADDR_LEN]; /* the client's address (X-Forwarded-For behind a proxy) */
};

static atomic_int in_flight;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	struct exchange *x = calloc(1, sizeof(*x));
	if (!x)
		die_oom();
	x->arena = arena_new(16 * 1024);
	x->start_us = ptime_monotonic_us();
	request_init(&x->req, x->arena);
	x->req.method_str = NULL; /* unknown until the first on_request call */
	x->req.raw_target = arena_strdup(x->arena, uri);
	response_init(&x->resp);
	buf_init(&x->body, APP_LIMIT_MULTIPART);
	const struct conn *k = conn_of(c);
	if (k) {
		str_copy(x->remote, sizeof(x->remote), k->addr);
		x->from_proxy = k->trusted;
	}
	atomic_fetch_add(&in_flight, 1);
	return x;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	(void)kind;
	struct exchange *x = cls;
	kvlist_add(x->arena, &x->req.headers, arena_strdup(x->arena, key),
		   arena_strdup(x->arena, value ? value : ""));
	return MHD_YES;
}

/* Hands the finished response to MHD. The body stays owned by the exchange
 * (freed at completion), so MHD gets it without a copy. */
static enum MHD_Result send_response(struct MHD_Connection *c, struct exchange *x)
{
	size_t len;
	const void *body = resp_body(&x->resp, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
								 MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	for (size_t i = 0; i < x->resp.headers.n; i++)
		MHD_add_response_header(r, x->resp.headers.v[i].key, x->resp.headers.v[i].val);
	if (x->resp.content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, x->resp.content_type);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)x->resp.status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The request's headers into req, and the client's address: the last
 * X-Forwarded-For entry when the peer is a trusted proxy (its own line is
 * the last one too), else the peer's. */
static void take_headers(struct MHD_Connection *c, struct exchange *x)
{
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, x);
	if (x->from_proxy) {
		const char *xff = NULL;
		for (size_t i = 0; i < x->req.headers.n; i++)
			if (strcasecmp(x->req.headers.v[i].key, "X-Forwarded-For") == 0)
				xff = x->req.headers.v[i].val;
		char a[CLIENT_ADDR_LEN];
		if (client_addr_forwarded(xff, a, sizeof(a)) == 0)
			str_copy(x->remote, sizeof(x->remote), a);
	}
	x->req.remote_addr = x->remote;
	x->req.from_proxy = x->from_proxy;
}

/* 413 for a body over its limit, with the error page of the request's
 * path and language. */
static enum MHD_Result refuse_too_large(struct MHD_Connection *c, struct exchange *x,
					const char *method)
{
	struct request *req = &x->req;
	if (request_set_target(req, method, req->raw_target) < 0)
		request_set_target(req, method, "/");
	req->lang = i18n_negotiate(req_header(req, "Accept-Language"));
	app_respond_error(req, &x->resp, PERR_TOO_LARGE);
	x->responded = true;
	return send_response(c, x);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)version;
	struct exchange *x = *con_cls;
	if (!x)
		return MHD_NO; /* the URI callback always runs first */
	if (!x->started) {
		x->started = true;
		conn_set_busy(c, true);
		x->req.method_str = arena_strdup(x->arena, method);
		take_headers(c, x);
		const char *ct = req_header(&x->req, MHD_HTTP_HEADER_CONTENT_TYPE);
		x->body_limit = app_body_limit(ct);
		const char *cl = req_header(&x->req, MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t n;
		/* Announced too large: answered now, the body never read (MHD
		 * then closes the connection). */
		if (cl && parse_i64(cl, 0, INT64_MAX, &n) == 0 && (uint64_t)n > x->body_limit) {
			x->too_large = true;
			return refuse_too_large(c, x, method);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!x->too_large && (x->body.len + *upload_size > x->body_limit ||
				      buf_append(&x->body, upload_data, *upload_size) < 0)) {
			x->too_large = true;
			buf_free(&x->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (x->responded)
		return MHD_YES; /* the early 413 is on its way */
	struct request *req = &x->req;
	req->start_us = x->start_us;
	if (x->body.len) {
		req->body = x->body.data;
		req->body_len = x->body.len;
	}
	/* A chunked body is counted as it comes: refused once complete. */
	if (x->too_large)
		return refuse_too_large(c, x, method);
	if (request_set_target(req, method, req->raw_target) < 0)
		app_respond_error(req, &x->resp, PERR_INVALID);
	else
		app_handle(req, &x->resp);
	x->responded = true;
	return send_response(c, x);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	struct exchange *x = *con_cls;
	if (!x)
		return;
	*con_cls = NULL;
	conn_set_busy(c, false);
	if (log_access_enabled()) {
		char line[1024], ts[21], path[300];
		ptime_format_utc((int64_t)time(NULL), ts);
		size_t len;
		resp_body(&x->resp, &len);
		/* The path as received, never the query: queries can carry
		 * search terms, which may be nominative. */
		const char *p = x->req.raw_target ? x->req.raw_target : "?";
		char raw[256];
		size_t plen = strcspn(p, "?");
		snprintf(raw, sizeof(raw), "%.*s", (int)(plen < 255 ? plen : 255), p);
		p = raw;
		/* The public family survey (/s/TOKEN) is anonymous: its lines
		 * carry neither the client address nor the token; neither do
		 * the static files, whose requests from the same phone, a few
		 * milliseconds later, would give the address back. */
		bool anonymous = str_starts(p, "/s/") || str_starts(p, "/static/");
		if (str_starts(p, "/s/"))
			p = "/s/-";
		int n = snprintf(line, sizeof(line),
				 "ts=%s event=http method=%s path=%s status=%d bytes=%zu "
				 "ms=%.3f ip=%s%s\n",
				 ts, x->req.method_str ? x->req.method_str : "?",
				 log_value(path, sizeof(path), p),
				 x->responded ? x->resp.status : 0, x->responded ? len : 0,
				 (double)(ptime_monotonic_us() - x->start_us) / 1000.0,
				 x->remote[0] && !anonymous ? x->remote : "-",
				 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
		if (n > 0)
			log_access_line(line,
					(size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	response_free(&x->resp);
	buf_free(&x->body);
	arena_free(x->arena);
	free(x);
	atomic_fetch_sub(&in_flight, 1);
}

/* While MHD_start_daemon() runs, MHD's messages from that thread are kept
 * here instead of logged, so that a failure to start is one line. */
static atomic_bool starting;
static pthread_t start_thread;
static char start_msg[256];

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512], v[600];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(msg, sizeof(msg), fmt, ap);
#pragma GCC diagnostic pop
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	if (atomic_load(&starting) && pthread_equal(pthread_self(), start_thread)) {
		str_copy(start_msg, sizeof(start_msg), msg);
		return;
	}
	log_warn("http.mhd", "msg=%s", log_value(v, sizeof(v), msg));
}

int server_parse_listen(const char *listen, struct sockaddr_storage *ss, unsigned *len)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen)
		return -1;
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	int port;
	if (parse_int(colon + 1, 0, 65535, &port) < 0)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return -1;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return 0;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	if (strcmp(host, "localhost") == 0)
		str_copy(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		return -1;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*len = sizeof(*s4);
	return 0;
}

/* Waits for a stop signal, running the housekeeping between. Returns the
 * signal. */
static int wait_for_stop(const struct server_options *opt, const sigset_t *stop)
{
	int sig = 0;
	if (!opt->housekeep || opt->housekeep_s <= 0) {
		sigwait(stop, &sig);
		return sig;
	}
	for (;;) {
		struct timespec t = {opt->housekeep_s, 0};
		sig = sigtimedwait(stop, NULL, &t);
		if (sig > 0)
			return sig;
		if (errno == EAGAIN)
			opt->housekeep();
	}
}

int server_run(const struct server_options *opt)
{
	struct sockaddr_storage ss;
	unsigned sslen;
	if (server_parse_listen(opt->listen, &ss, &sslen) < 0) {
		fprintf(stderr, "proxima: bad listen address '%s' (want ADDR:PORT)\n", opt->listen);
		return -1;
	}
	unsigned threads = opt->threads ? opt->threads : SERVER_THREADS_DEFAULT;
	/* Block the stop signals before MHD starts its threads, so they all
	 * inherit the mask and only sigwait() below sees the signals. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	/* The port goes to MHD too, only so that its messages name it. */
	uint16_t want_port = ((struct sockaddr_in *)&ss)->sin_port;
	if (ss.ss_family == AF_INET6) {
		flags |= MHD_USE_IPv6;
		want_port = ((struct sockaddr_in6 *)&ss)->sin6_port;
	}
	start_thread = pthread_self();
	start_msg[0] = '\0';
	if (watchdog_start(opt) < 0) {
		fprintf(stderr, "proxima: cannot start the connection watchdog\n");
		pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
		return -1;
	}
	atomic_store(&starting, true);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, ntohs(want_port), on_accept, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)4096, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), /* zeroed per request */
		MHD_OPTION_END);
	atomic_store(&starting, false);
	if (!d) {
		fprintf(stderr, "proxima: cannot listen on %s: %s\n", opt->listen,
			start_msg[0] ? start_msg : "address in use or not allowed");
		watchdog_stop();
		pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
		return -1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = di ? di->port : 0;
	char host[128];
	const char *colon = strrchr(opt->listen, ':');
	snprintf(host, sizeof(host), "%.*s", (int)(colon - opt->listen), opt->listen);
	printf("proxima: listening on http://%s:%u/\n", host, port);
	fflush(stdout);
	log_info("server.start", "listen=%s:%u threads=%u", host, port, threads);
	if (start_msg[0]) {
		char v[300];
		log_warn("http.mhd", "msg=%s", log_value(v, sizeof(v), start_msg));
	}

	int sig = wait_for_stop(opt, &stop);
	log_info("server.stop", "signal=%d in_flight=%d", sig, atomic_load(&in_flight));
	MHD_socket lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	int64_t deadline = ptime_monotonic_us() + (int64_t)opt->shutdown_grace_s * 1000000;
	while (atomic_load(&in_flight) > 0 && ptime_monotonic_us() < deadline) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	int left = atomic_load(&in_flight);
	watchdog_stop();
	MHD_stop_daemon(d);
	db_thread_close_all();
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	log_info("server.stopped", "unfinished=%d", left);
	return 0;
}
