/* The HTTP server: the only file that knows libmicrohttpd, so a move to
 * MHD 1.0 stays local. epoll, a thread pool of one thread per core,
 * keep-alive; a request is handled only once its body is complete (never
 * on the first callback, which would force Connection: close), except a
 * body announced larger than its limit: 413 at once, without reading it
 * (the connection then closes). A watchdog thread closes the connections
 * that take too long to send their headers (slowloris), and an accept
 * policy caps the connections of one address. */
#ifndef PROXIMA_SERVER_H
#define PROXIMA_SERVER_H

#include "http/client_addr.h"

/* Threads of the pool when --threads is not given. A thread whose request
 * writes waits for its group commit (db/db.h), and a group holds at most
 * one unit per waiting thread: the pool is sized for DB_GROUP_MAX
 * concurrent writers, not for the cores (reads never wait on each other). */
#define SERVER_THREADS_DEFAULT 64

struct server_options {
	const char *listen;      /* "ADDR:PORT", "[v6]:PORT"; port 0 = any free port */
	unsigned threads;        /* 0 = SERVER_THREADS_DEFAULT */
	int shutdown_grace_s;    /* how long in-flight requests may take at stop */
	void (*housekeep)(void); /* called every housekeep_s seconds, or NULL */
	int housekeep_s;
	/* Slow clients: a connection must send the headers of each request
	 * within header_timeout_s of its opening or of its previous answer
	 * (an idle keep-alive connection included), else it is closed; one
	 * address may hold per_address connections at once (trusted proxies
	 * excepted). 0 = the defaults below. */
	unsigned header_timeout_s, per_address;
	/* The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
	 * believed (http/client_addr.h); zeroed = none. */
	struct client_addr_trust trust;
};

#define SERVER_HEADER_TIMEOUT_S 10
#define SERVER_PER_ADDRESS 64

/* Splits "ADDR:PORT" into a socket address. Returns 0 or -1. Exposed for
 * tests and the command line's error message. */
struct sockaddr_storage;
int server_parse_listen(const char *listen, struct sockaddr_storage *ss, unsigned *len);

/* Serves until SIGINT or SIGTERM (calling opt->housekeep on the main
 * thread every opt->housekeep_s seconds meanwhile), then stops accepting,
 * lets in-flight requests finish (up to the grace period), closes the database
 * connections and returns 0. Prints "proxima: listening on http://…/" on
 * standard output once the socket is bound. Returns -1 if it cannot start. */
int server_run(const struct server_options *opt);

#endif
