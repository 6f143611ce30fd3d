#!/bin/sh
# Runs every test suite against one build directory and prints one closing
# line "total: N passed, M failed". Exit status 0 only when nothing failed.
#   tests/run.sh build/asan            (what `make test` runs)
#   VALGRIND=1 tests/run.sh build/debug
# Suites:
#   deps      scripts/deps.sh check     `make run`'s packages cover the Makefile's
#   unit      build/…/tests/test_*      cmocka binaries
#   test-http tests/http/raw/*.req      raw requests, checked against *.expect
#   e2e       build/…/tests/e2e_*       a real server forked on a loopback port
#   browser   tests/browser/run.sh      the quick entry, each role's pages, then field work without a
#             network (offline.mjs, with axe-core), on a phone; the axe crawl at 390 px on
#             SQLite and at 1366 px on PostgreSQL (AXE_SIZES="390 1366" crawls both sizes)
#             (BROWSER=0 skips it; it installs chromium, playwright-core and axe-core once)
# Every suite runs on SQLite, then again on PostgreSQL 15: a throwaway
# cluster (tests/pg_cluster.sh) in the temporary directory, with a migrated
# template database each test copies; PROXIMA_TEST_PG tells the test
# support to make its databases there (support/scratch_db.h).
# The two passes run at the same time (the PostgreSQL one prints its
# output when done). ENGINES="sqlite" (or "postgres") runs one pass only.
set -u
build=${1:?usage: tests/run.sh BUILD_DIR}
bin="$build/proxima"
passed=0
failed=0
failures=""
tmp=$(mktemp -d)
pgdir=""
pg_pid=""
cleanup() {
	[ -n "$pg_pid" ] && kill "$pg_pid" 2>/dev/null
	if [ -n "$pgdir" ]; then
		tests/pg_cluster.sh stop "$pgdir" >/dev/null 2>&1
		rm -rf "$pgdir"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

vg=""
if [ "${VALGRIND:-0}" = 1 ]; then
	vg="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(cd "$(dirname "$0")" && pwd)/valgrind.supp"
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
# Pango's font stack keeps one-time caches until exit (see tests/lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export PROXIMA_BIN="$bin"
export PROXIMA_TEST_TMP="$tmp"

engine=sqlite
fail() {
	failed=$((failed + 1))
	failures="$failures
  [$engine] $1"
}

# A cmocka binary: count what it reports; a crash counts as one failure.
run_cmocka() {
	name=$(basename "$1")
	log="$out/$name.out"
	t0=$(date +%s)
	$vg "$1" >"$log" 2>&1
	rc=$?
	echo "$(($(date +%s) - t0)) $name" >>"$out/times"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	passed=$((passed + ${p:-0}))
	if [ -n "$f" ] && [ "$f" -gt 0 ]; then
		failed=$((failed + f))
		failures="$failures
  [$engine] $name: $(grep '^\[  FAILED  \] [a-z_]' "$log" | sed 's/^\[  FAILED  \] //' | tr '\n' ' ')"
	fi
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
		fail "$name: exited with status $rc"
	fi
	if [ "$rc" -ne 0 ] || [ -n "$f" ]; then
		echo "---- $name output ----"
		tail -40 "$log"
	fi
}

run_suites() {
	pass_start=$(date +%s)
	out="$tmp/$engine"
	mkdir -p "$out"
	export PROXIMA_TEST_TMP="$out"
	echo "== unit ($engine)"
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		run_cmocka "$t"
	done

	echo "== test-http, raw requests ($engine)"
	db="$out/raw.db"
	[ "$engine" = postgres ] && db="$PROXIMA_TEST_PG_BASE dbname=raw"
	if ! "$bin" init --db "$db" >/dev/null 2>"$out/init.err"; then
		fail "test-http: cannot init database: $(cat "$out/init.err")"
	else
		for req in tests/http/raw/*.req; do
			[ -f "$req" ] || continue
			name=$(basename "$req" .req)
			expect="tests/http/raw/$name.expect"
			resp="$out/$name.resp"
			if ! $vg "$bin" test-http --db "$db" <"$req" >"$resp" 2>"$out/$name.err"; then
				fail "raw/$name: test-http exited with an error: $(tail -3 "$out/$name.err")"
				continue
			fi
			if [ -s "$out/$name.err" ] && grep -q "ERROR\|runtime error" "$out/$name.err"; then
				fail "raw/$name: sanitizer report: $(head -3 "$out/$name.err")"
				continue
			fi
			if ! tests/http/check_raw.sh "$resp" "$expect" >"$out/$name.why" 2>&1; then
				fail "raw/$name: $(cat "$out/$name.why")"
			else
				passed=$((passed + 1))
			fi
		done
	fi

	echo "== e2e, forked server ($engine)"
	for t in "$build"/tests/e2e_*; do
		[ -x "$t" ] || continue
		run_cmocka "$t"
	done

	# The two passes' browser tests run side by side (their dependencies
	# were installed once, below). The axe crawl of every page of every
	# role runs at 390 px in the SQLite pass and at 1366 px in the
	# PostgreSQL one: each size once, each engine crawled (AXE_SIZES).
	if [ "${BROWSER:-1}" != 0 ]; then
		echo "== browser, chromium on a phone viewport ($engine)"
		t0=$(date +%s)
		sizes=390
		[ "$engine" = postgres ] && sizes=1366
		AXE_SIZES=${AXE_SIZES:-$sizes} BROWSER_DEPS_READY=1 \
			tests/browser/run.sh "$bin" >"$out/browser.out" 2>&1
		echo "$(($(date +%s) - t0)) browser" >>"$out/times"
		cat "$out/browser.out" | grep -v '^browser: [0-9]* passed' | tail -20
		line=$(grep '^browser: [0-9]* passed, [0-9]* failed' "$out/browser.out" | tail -1)
		if [ -z "$line" ]; then
			fail "browser: no result line"
		else
			p=$(echo "$line" | sed 's/^browser: \([0-9]*\) passed.*/\1/')
			f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
			passed=$((passed + p))
			# Each failed check by name, in the closing list: CI shows only
			# the end of the output.
			[ "$f" -gt 0 ] && failed=$((failed + f)) && failures="$failures
	  [$engine] browser: $f check(s) failed
$(grep '^not ok\|^# server: ' "$out/browser.out" | cut -c1-300 | sed 's/^/	    /')"
		fi
	fi

}

# The slowest binaries of the pass and its wall time, to keep the suite
# within its time budget (15 minutes on the 2-core CI machine).
slowest() {
	[ -f "$out/times" ] || return 0
	echo "== slowest ($engine, pass took $(($(date +%s) - pass_start)) s):" \
		$(sort -rn "$out/times" | head -8 | awk '{printf "%s %ss, ", $2, $1}')
}

# The PostgreSQL pass: a cluster of its own, a migrated template, one key
# file for every test database (a PostgreSQL database has no DB.key).
start_postgres() {
	# pgdir: a directory of its own (made before the pass starts, so that
	# the exit trap stops the cluster): the server's user must reach it.
	admin=$(tests/pg_cluster.sh start "$pgdir") || return 1
	export PROXIMA_TEST_PG_BASE="${admin% dbname=*}"
	export PROXIMA_KEY_FILE="$tmp/pg.key"
	psql "$admin" -q -c "CREATE DATABASE proxima_template" -c "CREATE DATABASE raw" >/dev/null &&
		"$bin" init --db "$PROXIMA_TEST_PG_BASE dbname=proxima_template" >/dev/null &&
		psql "$PROXIMA_TEST_PG_BASE dbname=proxima_template" -q -f tests/pg_compat.sql || return 1
	export PROXIMA_TEST_PG="$admin"
}

# The PostgreSQL pass runs beside the SQLite one (its tests mostly wait on
# the server's round trips): its output and counts come back through files.
postgres_pass() {
	engine=postgres
	passed=0
	failed=0
	failures=""
	if start_postgres; then
		run_suites
	else
		fail "cannot start the PostgreSQL test cluster: $(tail -3 "$pgdir/server.log" 2>/dev/null)"
	fi
	slowest
	echo "$passed $failed" >"$tmp/postgres.counts"
	printf '%s' "$failures" >"$tmp/postgres.failures"
}

# The packages `make run` installs must cover what the Makefile links: a
# fresh machine has nothing else (scripts/deps.sh check).
if scripts/deps.sh check >"$tmp/deps-check.out" 2>&1; then
	passed=$((passed + 1))
else
	engine=build
	fail "$(cat "$tmp/deps-check.out")"
fi

engines=${ENGINES:-sqlite postgres}
if [ "${BROWSER:-1}" != 0 ] && ! tests/browser/run.sh --install >"$tmp/browser-install.out" 2>&1; then
	fail "browser: cannot install its dependencies: $(tail -3 "$tmp/browser-install.out")"
	BROWSER=0
fi
case " $engines " in
*" postgres "*)
	pgdir=$(mktemp -d /tmp/proxima-pg.XXXXXX) || exit 1
	(postgres_pass) >"$tmp/postgres.log" 2>&1 &
	pg_pid=$!
	;;
esac
case " $engines " in
*" sqlite "*)
	engine=sqlite
	run_suites
	slowest
	;;
esac
if [ -n "$pg_pid" ]; then
	wait "$pg_pid"
	cat "$tmp/postgres.log"
	if [ -f "$tmp/postgres.counts" ]; then
		read -r p f <"$tmp/postgres.counts"
		passed=$((passed + p))
		failed=$((failed + f))
		failures="$failures$(cat "$tmp/postgres.failures")"
	else
		engine=postgres
		fail "the PostgreSQL pass gave no result"
	fi
fi

if [ "$failed" -gt 0 ]; then
	echo "failures:$failures"
fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
