/* A tiny SMTP server for tests: forked by the test, on a free loopback
 * port, it accepts every message (EHLO/HELO, MAIL, RCPT, DATA, RSET,
 * NOOP, QUIT; no TLS, no authentication) and appends each message's
 * envelope and content to a file, so the test reads what left Proxima. */
#ifndef PROXIMA_TEST_SMTP_SINK_H
#define PROXIMA_TEST_SMTP_SINK_H

#include <stddef.h>
#include <sys/types.h>

struct smtp_sink {
	pid_t pid;
	int port;
	char path[600]; /* the messages received, appended */
};

/* Forks the sink, listening on 127.0.0.1 (a free port into s->port),
 * writing into path. Returns 0 or -1. */
int smtp_sink_start(struct smtp_sink *s, const char *path);

/* Stops the sink (SIGTERM) and reaps it. */
void smtp_sink_stop(struct smtp_sink *s);

/* Waits up to timeout_ms for at least n messages; returns how many were
 * received (the file's "MAIL FROM" lines). */
int smtp_sink_wait(const struct smtp_sink *s, int n, int timeout_ms);

#endif
