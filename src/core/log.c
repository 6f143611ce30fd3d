#include "core/log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/ptime.h"

static enum log_level min_level = LOG_INFO;
static int access_fd = 2;

void log_set_level(enum log_level level)
{
	min_level = level;
}

static const char *level_name(enum log_level l)
{
	switch (l) {
	case LOG_DEBUG: return "debug";
	case LOG_INFO: return "info";
	case LOG_WARN: return "warn";
	case LOG_ERROR: return "error";
	}
	return "?";
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

void log_write(enum log_level level, const char *event, const char *fmt, ...)
{
	if (level < min_level)
		return;
	char line[2048];
	char ts[21];
	ptime_format_utc((int64_t)time(NULL), ts);
	int n = snprintf(line, sizeof(line), "ts=%s level=%s event=%s ", ts, level_name(level),
			 event);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n;
	if (m > 0)
		len += (size_t)m < sizeof(line) - (size_t)n - 1 ? (size_t)m
								: sizeof(line) - (size_t)n - 2;
	line[len++] = '\n';
	write_all(2, line, len);
}

char *log_value(char *out, size_t cap, const char *s)
{
	size_t o = 0;
	if (cap < 3) {
		if (cap)
			out[0] = '\0';
		return out;
	}
	out[o++] = '"';
	for (; s && *s && o + 3 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			out[o++] = '?';
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

int log_access_open(const char *where)
{
	if (!where || strcmp(where, "-") == 0) {
		access_fd = 2;
		return 0;
	}
	if (strcmp(where, "off") == 0) {
		access_fd = -1;
		return 0;
	}
	int fd = open(where, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	access_fd = fd;
	return 0;
}

int log_access_enabled(void)
{
	return access_fd >= 0;
}

void log_access_line(const char *line, size_t len)
{
	if (access_fd >= 0)
		write_all(access_fd, line, len);
}
