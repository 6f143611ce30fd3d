/* The test-http mode: reads one raw HTTP/1.x request on a file descriptor,
 * runs it through the same pipeline as the server and writes the raw
 * response. For tests from files of raw requests, and for fuzzing. */
#ifndef PROXIMA_TEST_HTTP_H
#define PROXIMA_TEST_HTTP_H

#include <stddef.h>

/* Parses the raw request in the n bytes at raw, handles it and appends the
 * raw response to out (a malloc'd buffer the caller frees; *out_len gets
 * its length). Returns the response status. */
int test_http_exchange(const char *raw, size_t n, char **out, size_t *out_len);

/* Reads a request from in_fd, writes the response to out_fd. Returns 0 when
 * a response was written, -1 on an I/O error. */
int test_http_run(int in_fd, int out_fd);

#endif
