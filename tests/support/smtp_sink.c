/* The tests' SMTP sink. See smtp_sink.h. */
#include "support/smtp_sink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/server.h"

/* Reads one line (up to LF) into out; returns its length, -1 at EOF. */
static ssize_t read_line(int fd, char *out, size_t cap)
{
	size_t n = 0;
	while (n + 1 < cap) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r <= 0)
			return n ? (ssize_t)n : -1;
		out[n++] = c;
		if (c == '\n')
			break;
	}
	out[n] = '\0';
	return (ssize_t)n;
}

static void say(int fd, const char *s)
{
	(void)!write(fd, s, strlen(s));
}

/* One SMTP session on fd, messages appended to f. */
static void session(int fd, FILE *f)
{
	char line[4096];
	say(fd, "220 sink ready\r\n");
	while (read_line(fd, line, sizeof(line)) >= 0) {
		if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0) {
			say(fd, "250 sink\r\n");
		} else if (strncasecmp(line, "MAIL FROM", 9) == 0 ||
			   strncasecmp(line, "RCPT TO", 7) == 0) {
			fputs(line, f);
			say(fd, "250 ok\r\n");
		} else if (strncasecmp(line, "DATA", 4) == 0) {
			say(fd, "354 go on\r\n");
			while (read_line(fd, line, sizeof(line)) >= 0 && strcmp(line, ".\r\n") != 0)
				fputs(line, f);
			fputs("\n--- end ---\n", f);
			fflush(f);
			say(fd, "250 queued\r\n");
		} else if (strncasecmp(line, "QUIT", 4) == 0) {
			say(fd, "221 bye\r\n");
			return;
		} else {
			say(fd, "250 ok\r\n");
		}
	}
}

int smtp_sink_start(struct smtp_sink *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		return -1;
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof(a);
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 8) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &al) < 0) {
		close(ls);
		return -1;
	}
	s->port = ntohs(a.sin_port);
	pid_t pid = fork();
	if (pid < 0) {
		close(ls);
		return -1;
	}
	if (pid == 0) {
		FILE *f = fopen(s->path, "a");
		if (!f)
			_exit(1);
		for (;;) {
			int fd = accept(ls, NULL, NULL);
			if (fd < 0) {
				if (errno == EINTR)
					continue;
				_exit(0);
			}
			session(fd, f);
			close(fd);
		}
	}
	close(ls);
	s->pid = pid;
	return 0;
}

void smtp_sink_stop(struct smtp_sink *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
}

int smtp_sink_wait(const struct smtp_sink *s, int n, int timeout_ms)
{
	long long end = ts_now_ms() + timeout_ms;
	int got = 0;
	do {
		size_t len;
		char *text = ts_read_file(s->path, &len);
		got = 0;
		for (const char *p = text; p && (p = strstr(p, "MAIL FROM")); p++)
			got++;
		free(text);
		if (got >= n)
			break;
		ts_sleep_ms(100);
	} while (ts_now_ms() < end);
	return got;
}
