/* End-to-end tests of the command line's one option parser: every command
 * that "proxima help" lists answers --help with its usage, and an unknown
 * option, an option of another command or a missing value with the same
 * one-line usage error (exit 2). The commands and their action words come
 * from the binary itself, so a new command is checked without a new test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define OUT_MAX 16384
#define MAX_COMMANDS 40

/* What a run of proxima printed and how it ended. */
struct run {
	int status; /* exit status, or -1 when it did not exit */
	char out[OUT_MAX], err[OUT_MAX];
};

/* The whole of file path into buf (NUL-terminated, cut at cap - 1). */
static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Runs $PROXIMA_BIN with args (NULL-terminated, after the binary) and
 * standard input from /dev/null into *r. */
static void run(struct run *r, const char *const *args)
{
	const char *bin = getenv("PROXIMA_BIN");
	const char *tmp = getenv("PROXIMA_TEST_TMP");
	assert_non_null(bin);
	assert_non_null(tmp);
	char out[512], err[512], db[512];
	snprintf(out, sizeof(out), "%s/cli.out", tmp);
	snprintf(err, sizeof(err), "%s/cli.err", tmp);
	snprintf(db, sizeof(db), "%s/cli-none.db", tmp);
	const char *argv[16] = {bin};
	size_t n = 1;
	for (; args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		setenv("PROXIMA_DB", db, 1); /* never the developer's database */
		execv(bin, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	int st;
	assert_true(waitpid(pid, &st, 0) == pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* The commands "proxima help" lists ("  name  summary" lines), but help. */
static size_t commands(char names[][32])
{
	static struct run r;
	const char *args[] = {"help", NULL};
	run(&r, args);
	assert_int_equal(r.status, 0);
	size_t n = 0;
	for (const char *p = r.out; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > 2 && p[0] == ' ' && p[1] == ' ' && p[2] != ' ') {
			size_t k = 0;
			while (k < len - 2 && p[2 + k] != ' ' && k < 31)
				k++;
			if (!(k == 4 && strncmp(p + 2, "help", 4) == 0)) {
				assert_true(n < MAX_COMMANDS);
				memcpy(names[n], p + 2, k);
				names[n++][k] = '\0';
			}
		}
		p += len + (eol ? 1 : 0);
	}
	assert_true(n >= 10);
	return n;
}

/* The action word a command needs before its options ("user add"), from
 * its usage line "usage: proxima user add|passwd|list"; "" when its
 * synopsis starts with an option or is empty. */
static void action_of(const char *name, char *action, size_t cap)
{
	static struct run r;
	const char *args[] = {name, "--help", NULL};
	run(&r, args);
	action[0] = '\0';
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "usage: proxima %s ", name);
	if (strncmp(r.out, prefix, strlen(prefix)) != 0)
		return;
	const char *w = r.out + strlen(prefix);
	size_t k = strcspn(w, "| \n");
	if (*w >= 'a' && *w <= 'z' && k < cap) {
		memcpy(action, w, k);
		action[k] = '\0';
	}
}

/* --help: the usage, "usage: proxima NAME" first, on standard output. */
static void test_help_of_every_command(void **state)
{
	(void)state;
	char names[MAX_COMMANDS][32];
	size_t n = commands(names);
	static struct run r;
	for (size_t i = 0; i < n; i++) {
		const char *args[] = {names[i], "--help", NULL};
		run(&r, args);
		char want[64];
		snprintf(want, sizeof(want), "usage: proxima %s", names[i]);
		if (r.status != 0 || strncmp(r.out, want, strlen(want)) != 0 || r.err[0])
			fail_msg("proxima %s --help: exit %d, out \"%.80s\", err \"%.80s\"",
				 names[i], r.status, r.out, r.err);
	}
}

/* Runs "proxima NAME [ACTION] OPTION..." and checks the one usage error:
 * exit 2, nothing on standard output, and exactly
 * "proxima NAME: WHAT 'ARG' (see 'proxima NAME --help')". */
static void check_usage_error(const char *name, const char *const *opts, const char *what,
			      const char *arg)
{
	char action[32];
	action_of(name, action, sizeof(action));
	const char *args[8] = {name};
	size_t k = 1;
	if (action[0])
		args[k++] = action;
	for (size_t i = 0; opts[i] && k < 7; i++)
		args[k++] = opts[i];
	args[k] = NULL;
	static struct run r;
	run(&r, args);
	char want[256];
	snprintf(want, sizeof(want), "proxima %s: %s '%s' (see 'proxima %s --help')\n", name, what,
		 arg, name);
	if (r.status != 2 || r.out[0] || strcmp(r.err, want) != 0)
		fail_msg("proxima %s %s %s: exit %d, out \"%.80s\", err \"%.200s\" (wanted \"%s\")",
			 name, action, opts[0], r.status, r.out, r.err, want);
}

static void test_unknown_option_same_message(void **state)
{
	(void)state;
	char names[MAX_COMMANDS][32];
	size_t n = commands(names);
	for (size_t i = 0; i < n; i++) {
		const char *opts[] = {"--no-such-option", NULL};
		check_usage_error(names[i], opts, "unknown option", "--no-such-option");
	}
}

/* An option of another command (serve's --listen) is unknown elsewhere,
 * with the same message as any unknown option. */
static void test_option_of_another_command(void **state)
{
	(void)state;
	char names[MAX_COMMANDS][32];
	size_t n = commands(names);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], "serve") == 0)
			continue;
		const char *opts[] = {"--listen", "127.0.0.1:1", NULL};
		check_usage_error(names[i], opts, "unknown option", "--listen");
	}
}

/* An option given without its value, as the last word. */
static void test_missing_value_same_message(void **state)
{
	(void)state;
	static const char *const with_db[] = {"serve",
					      "init",
					      "migrate",
					      "demo",
					      "reindex",
					      "user",
					      "token",
					      "import",
					      "export",
					      "report",
					      "audit",
					      "retention",
					      "export-activities",
					      "hsds"};
	for (size_t i = 0; i < sizeof(with_db) / sizeof(*with_db); i++) {
		const char *opts[] = {"--db", NULL};
		check_usage_error(with_db[i], opts, "missing value for", "--db");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_of_every_command),
		cmocka_unit_test(test_unknown_option_same_message),
		cmocka_unit_test(test_option_of_another_command),
		cmocka_unit_test(test_missing_value_same_message),
	};
	return cmocka_run_group_tests_name("e2e_cli", tests, NULL, NULL);
}
