#!/bin/sh
# Runs every test suite against one build directory and prints one closing
# line "total: N passed, M failed". Exit status 0 only when nothing failed.
#   tests/run.sh build/asan            (what `make test` runs)
#   VALGRIND=1 tests/run.sh build/debug
# Suites:
#   unit      build/…/tests/test_*      cmocka binaries
#   test-http tests/http/raw/*.req      raw requests, checked against *.expect
#   e2e       build/…/tests/e2e_*       a real server forked on a loopback port
#   browser   tests/browser/run.sh      the quick entry, each role's pages, then field work without a
#             network (offline.mjs, with axe-core), on a phone
#             (BROWSER=0 skips it; it installs chromium, playwright-core and axe-core)
set -u
build=${1:?usage: tests/run.sh BUILD_DIR}
bin="$build/proxima"
passed=0
failed=0
failures=""
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

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

fail() {
	failed=$((failed + 1))
	failures="$failures
  $1"
}

# A cmocka binary: count what it reports; a crash counts as one failure.
run_cmocka() {
	name=$(basename "$1")
	out="$tmp/$name.out"
	$vg "$1" >"$out" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	passed=$((passed + ${p:-0}))
	if [ -n "$f" ] && [ "$f" -gt 0 ]; then
		failed=$((failed + f))
		failures="$failures
  $name: $(grep '^\[  FAILED  \] [a-z_]' "$out" | sed 's/^\[  FAILED  \] //' | tr '\n' ' ')"
	fi
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
		fail "$name: exited with status $rc"
	fi
	if [ "$rc" -ne 0 ] || [ -n "$f" ]; then
		echo "---- $name output ----"
		tail -40 "$out"
	fi
}

echo "== unit"
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run_cmocka "$t"
done

echo "== test-http (raw requests)"
db="$tmp/raw.db"
if ! "$bin" init --db "$db" >/dev/null 2>"$tmp/init.err"; then
	fail "test-http: cannot init database: $(cat "$tmp/init.err")"
else
	for req in tests/http/raw/*.req; do
		[ -f "$req" ] || continue
		name=$(basename "$req" .req)
		expect="tests/http/raw/$name.expect"
		resp="$tmp/$name.resp"
		if ! $vg "$bin" test-http --db "$db" <"$req" >"$resp" 2>"$tmp/$name.err"; then
			fail "raw/$name: test-http exited with an error: $(tail -3 "$tmp/$name.err")"
			continue
		fi
		if [ -s "$tmp/$name.err" ] && grep -q "ERROR\|runtime error" "$tmp/$name.err"; then
			fail "raw/$name: sanitizer report: $(head -3 "$tmp/$name.err")"
			continue
		fi
		if ! tests/http/check_raw.sh "$resp" "$expect" >"$tmp/$name.why" 2>&1; then
			fail "raw/$name: $(cat "$tmp/$name.why")"
		else
			passed=$((passed + 1))
		fi
	done
fi

echo "== e2e (forked server)"
for t in "$build"/tests/e2e_*; do
	[ -x "$t" ] || continue
	run_cmocka "$t"
done

if [ "${BROWSER:-1}" != 0 ]; then
	echo "== browser (chromium, phone viewport)"
	tests/browser/run.sh "$bin" >"$tmp/browser.out" 2>&1
	cat "$tmp/browser.out" | grep -v '^browser: [0-9]* passed' | tail -20
	line=$(grep '^browser: [0-9]* passed, [0-9]* failed' "$tmp/browser.out" | tail -1)
	if [ -z "$line" ]; then
		fail "browser: no result line"
	else
		p=$(echo "$line" | sed 's/^browser: \([0-9]*\) passed.*/\1/')
		f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
		passed=$((passed + p))
		[ "$f" -gt 0 ] && failed=$((failed + f)) && failures="$failures
  browser: $f check(s) failed"
	fi
fi

if [ "$failed" -gt 0 ]; then
	echo "failures:$failures"
fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
