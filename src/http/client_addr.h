/* Who a request comes from: the client's address for the sign-in throttle,
 * the per-address connection cap and the access log.
 *
 * Behind a reverse proxy every connection comes from the proxy, and the
 * client's address is the LAST entry of X-Forwarded-For: the one the proxy
 * appended (nginx: proxy_set_header X-Forwarded-For
 * $proxy_add_x_forwarded_for). Anyone can send that header, so it is
 * believed only from a trusted proxy (`proxima serve --trust-proxy`), and
 * only its last entry: the ones before were written by the client or by
 * proxies nobody vouches for. */
#ifndef PROXIMA_CLIENT_ADDR_H
#define PROXIMA_CLIENT_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

#define CLIENT_ADDR_LEN 64       /* room for any address or block below */
#define CLIENT_ADDR_TRUST_MAX 16 /* proxies in a --trust-proxy list */

/* The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. */
struct client_addr_trust {
	bool loopback; /* 127.0.0.0/8 and ::1 */
	size_t n;
	struct in6_addr addr[CLIENT_ADDR_TRUST_MAX]; /* IPv4 as IPv4-mapped */
};

/* Parses the value of --trust-proxy into *out: NULL trusts nobody, "" the
 * loopback addresses (a proxy on the same machine), else a comma-separated
 * list of IPv4 or IPv6 addresses. Returns 0, or -1 for an entry that is not
 * an address (or too many). */
int client_addr_trust_parse(const char *list, struct client_addr_trust *out);

/* Whether the connection's peer sa (AF_INET or AF_INET6) is trusted. */
bool client_addr_trusted(const struct client_addr_trust *t, const struct sockaddr *sa);

/* The peer sa as text into out (cap >= CLIENT_ADDR_LEN), in the form
 * client_addr_normalise gives. 0, or -1 for another family. */
int client_addr_of(const struct sockaddr *sa, char *out, size_t cap);

/* Writes address text s (IPv4 dotted, or IPv6, optionally in brackets)
 * into out in one canonical form: inet_ntop's, with an IPv4-mapped IPv6
 * address as the IPv4 address. 0, or -1 when s is not an address. */
int client_addr_normalise(const char *s, char *out, size_t cap);

/* The client's address from the value of X-Forwarded-For (entries
 * separated by commas, spaces around them ignored): its last entry,
 * normalised into out. 0, or -1 when the last entry is not an address
 * (the caller then keeps the peer's). */
int client_addr_forwarded(const char *xff, char *out, size_t cap);

/* The block an address belongs to, as the throttle counts it: an IPv4
 * address on its own, an IPv6 address as its /64 ("2001:db8:1:2::/64"),
 * which one subscriber usually holds whole. 0, or -1 when addr is not an
 * address (then out is addr itself, truncated to fit). */
int client_addr_block(const char *addr, char *out, size_t cap);

#endif
