#include "http/client_addr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "core/util.h"

/* a as IPv6, an IPv4 address mapped (::ffff:a.b.c.d). */
static void map4(const struct in_addr *a, struct in6_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->s6_addr[10] = 0xff;
	out->s6_addr[11] = 0xff;
	memcpy(&out->s6_addr[12], a, 4);
}

/* Parses s (length n, brackets allowed around IPv6) into out. 0 or -1. */
static int parse(const char *s, size_t n, struct in6_addr *out)
{
	char t[CLIENT_ADDR_LEN];
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(t))
		return -1;
	memcpy(t, s, n);
	t[n] = '\0';
	struct in_addr a4;
	if (inet_pton(AF_INET, t, &a4) == 1) {
		map4(&a4, out);
		return 0;
	}
	return inet_pton(AF_INET6, t, out) == 1 ? 0 : -1;
}

/* a as text, the IPv4 form for a mapped address. */
static int format(const struct in6_addr *a, char *out, size_t cap)
{
	if (IN6_IS_ADDR_V4MAPPED(a))
		return inet_ntop(AF_INET, &a->s6_addr[12], out, (socklen_t)cap) ? 0 : -1;
	return inet_ntop(AF_INET6, a, out, (socklen_t)cap) ? 0 : -1;
}

/* Skips the spaces and tabs around the n bytes at *p: *p moves to the
 * first other byte, *n shrinks by what was skipped there, and the end of
 * what is left is returned. */
static const char *trim(const char **p, size_t *n)
{
	const char *s = *p, *e = s + *n;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*n -= (size_t)(s - *p);
	*p = s;
	return e;
}

static bool loopback(const struct in6_addr *a)
{
	return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
}

int client_addr_trust_parse(const char *list, struct client_addr_trust *out)
{
	memset(out, 0, sizeof(*out));
	if (!list)
		return 0;
	if (!*list) {
		out->loopback = true;
		return 0;
	}
	for (const char *p = list;;) {
		size_t n = strcspn(p, ",");
		const char *e = trim(&p, &n);
		if (out->n == CLIENT_ADDR_TRUST_MAX ||
		    parse(p, (size_t)(e - p), &out->addr[out->n]) < 0)
			return -1;
		out->n++;
		p += n;
		if (!*p)
			return 0;
		p++;
	}
}

/* sa as IPv6 (IPv4 mapped). 0, or -1 for another family. */
static int peer(const struct sockaddr *sa, struct in6_addr *out)
{
	if (sa->sa_family == AF_INET) {
		map4(&((const struct sockaddr_in *)(const void *)sa)->sin_addr, out);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		*out = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		return 0;
	}
	return -1;
}

bool client_addr_trusted(const struct client_addr_trust *t, const struct sockaddr *sa)
{
	struct in6_addr a;
	if (!sa || peer(sa, &a) < 0)
		return false;
	if (t->loopback && loopback(&a))
		return true;
	for (size_t i = 0; i < t->n; i++)
		if (memcmp(&t->addr[i], &a, sizeof(a)) == 0)
			return true;
	return false;
}

int client_addr_of(const struct sockaddr *sa, char *out, size_t cap)
{
	struct in6_addr a;
	if (!sa || peer(sa, &a) < 0 || format(&a, out, cap) < 0) {
		if (cap)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int client_addr_normalise(const char *s, char *out, size_t cap)
{
	struct in6_addr a;
	if (!s || parse(s, strlen(s), &a) < 0)
		return -1;
	return format(&a, out, cap);
}

int client_addr_forwarded(const char *xff, char *out, size_t cap)
{
	if (!xff)
		return -1;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	size_t n = strlen(last);
	const char *e = trim(&last, &n);
	struct in6_addr a;
	if (parse(last, (size_t)(e - last), &a) < 0)
		return -1;
	return format(&a, out, cap);
}

int client_addr_block(const char *addr, char *out, size_t cap)
{
	struct in6_addr a;
	if (!addr || parse(addr, strlen(addr), &a) < 0) {
		str_copy(out, cap, addr ? addr : "");
		return -1;
	}
	if (IN6_IS_ADDR_V4MAPPED(&a))
		return format(&a, out, cap);
	memset(&a.s6_addr[8], 0, 8);
	char p[CLIENT_ADDR_LEN];
	if (format(&a, p, sizeof(p)) < 0)
		return -1;
	size_t n = strlen(p);
	if (n + 4 >= cap)
		return -1;
	memcpy(out, p, n);
	memcpy(out + n, "/64", 4);
	return 0;
}
