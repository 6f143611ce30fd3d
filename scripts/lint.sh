#!/bin/sh
# Static checks of src/, run by `make lint` from the repository root:
#   1. fmtcheck    tools/fmtcheck.c: literal formats for the HTML, log and
#                  buf writers, html_printf codes and argument counts, SQL
#                  only in src/db/ (literal or stmt_sql), statements and
#                  transactions only in src/db/, src/model/,
#                  src/interchange/, src/auth/, no
#                  literal status above src/http/, settings only
#                  through their module, functions of 100 lines at
#                  most, no indicator id spelt
#                  out, banned calls.
#                  Its own fixtures (tests/lint/) are checked first, so a
#                  checker that silently passes everything fails here.
#   2. clang-format --dry-run --Werror with .clang-format (tuned for
#                  clang-format 14, Debian 12's).
#   3. cppcheck    warning, portability and performance checks.
# Prints one summary line per check and exits 1 if any failed.
# Environment:
#   LINT_SKIP_FORMAT=1  skip the clang-format check (e.g. while a branch
#                       waits for a `clang-format -i` pass), reported as
#                       skipped, not as passed.
#   CLANG_FORMAT, CPPCHECK  the binaries to use (default: from PATH).
# Full outputs go to build/lint/.
set -u
cd "$(dirname "$0")/.." || exit 2

CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
CPPCHECK=${CPPCHECK:-cppcheck}
skip_format=${LINT_SKIP_FORMAT:-0}
out=build/lint
mkdir -p "$out"

need=""
if [ "$skip_format" != 1 ] && ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
	need=1
fi
command -v "$CPPCHECK" >/dev/null 2>&1 || need=1
if [ -n "$need" ]; then
	scripts/deps.sh lint || exit 2
fi

${MAKE:-make} --no-print-directory -s build/tools/fmtcheck || exit 2
fmtcheck=build/tools/fmtcheck

# The files checked: every .c and .h under src/ (generated code lives in
# build/ and is not checked). Names are split on newlines only.
nl='
'
set -f
IFS=$nl
src=$(find src -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
nsrc=$(printf '%s\n' "$src" | grep -c .)

failed=0
ran=0
pass() { ran=$((ran + 1)); echo "lint: $1: ok${2:+ ($2)}"; }
fail() { ran=$((ran + 1)); failed=$((failed + 1)); echo "lint: $1: FAILED${2:+ ($2)}"; }

# --- 1a. fmtcheck self-test ------------------------------------------------
# tests/lint/ok/ must pass untouched; tests/lint/bad/ must produce exactly
# tests/lint/expected.txt (one deliberate problem per line) and exit 1.
ok_files=$(find tests/lint/ok -type f -name '*.[ch]' | LC_ALL=C sort)
bad_files=$(find tests/lint/bad -type f -name '*.[ch]' | LC_ALL=C sort)
# shellcheck disable=SC2086
$fmtcheck $ok_files >"$out/selftest-ok.txt" 2>&1
ok_rc=$?
# shellcheck disable=SC2086
$fmtcheck $bad_files >"$out/selftest-bad.txt" 2>&1
bad_rc=$?
nexp=$(grep -c . tests/lint/expected.txt)
if [ "$ok_rc" -ne 0 ] || [ -s "$out/selftest-ok.txt" ]; then
	cat "$out/selftest-ok.txt"
	fail "fmtcheck self-test" "clean fixtures reported (exit $ok_rc)"
elif [ "$bad_rc" -ne 1 ] || ! cmp -s tests/lint/expected.txt "$out/selftest-bad.txt"; then
	diff -u tests/lint/expected.txt "$out/selftest-bad.txt"
	fail "fmtcheck self-test" "fixture problems differ from tests/lint/expected.txt (exit $bad_rc)"
else
	pass "fmtcheck self-test" "$nexp expected problems found, clean fixtures clean"
fi

# --- 1b. fmtcheck over src/ ------------------------------------------------
# shellcheck disable=SC2086
$fmtcheck $src >"$out/fmtcheck.txt" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
	pass fmtcheck "$nsrc files"
else
	cat "$out/fmtcheck.txt"
	fail fmtcheck "$(grep -c . "$out/fmtcheck.txt") problems, exit $rc"
fi

# --- 2. clang-format -------------------------------------------------------
if [ "$skip_format" = 1 ]; then
	ran=$((ran + 1))
	echo "lint: clang-format: skipped (LINT_SKIP_FORMAT=1)"
else
	ver=$("$CLANG_FORMAT" --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9]*\).*/\1/p')
	if [ "$ver" != 14 ]; then
		echo "lint: note: .clang-format is tuned for clang-format 14; this is ${ver:-unknown}"
	fi
	# shellcheck disable=SC2086
	if "$CLANG_FORMAT" --dry-run --Werror $src >"$out/clang-format.txt" 2>&1; then
		pass clang-format "$nsrc files"
	else
		# Count the lines that `clang-format -i` would change, per file.
		lines=0
		files=""
		nfiles=0
		for f in $src; do
			n=$("$CLANG_FORMAT" "$f" | diff "$f" - | grep -c '^<')
			if [ "$n" -gt 0 ]; then
				lines=$((lines + n))
				nfiles=$((nfiles + 1))
				files="$files $f:$n"
			fi
		done
		echo "lint: clang-format would change (file:lines):$files"
		fail clang-format "$lines lines in $nfiles files differ; fix with clang-format -i, details in $out/clang-format.txt"
	fi
fi

# --- 3. cppcheck -----------------------------------------------------------
# Library configs: posix and gnu match -D_GNU_SOURCE. sqlite3.cfg is not
# used: it forbids a bool as sqlite3_bind_int's value (invalidFunctionArgBool),
# and C converts bool to exactly 0/1, which is how Proxima stores flags.
# proxima.cfg tells cppcheck that die_oom() and die_bug() never return
# (they are _Noreturn, which cppcheck 2.10 does not see from a prototype),
# instead of suppressing every "NULL check after malloc" report.
# Suppressed: missingIncludeSystem (system headers are described by the
# library configs, not parsed).
cat >"$out/proxima.cfg" <<'CFG'
<?xml version="1.0"?>
<def format="2">
  <function name="die_oom"><noreturn>true</noreturn></function>
  <function name="die_bug"><noreturn>true</noreturn><leak-ignore/></function>
</def>
CFG
"$CPPCHECK" --enable=warning,portability,performance --error-exitcode=1 --inline-suppr -q \
	--std=c11 -D_GNU_SOURCE -Isrc --library=posix --library=gnu --library="$out/proxima.cfg" \
	--suppress=missingIncludeSystem \
	--template='{file}:{line}: {severity}: {message} [{id}]' src >"$out/cppcheck.txt" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
	pass cppcheck "$(printf '%s\n' "$src" | grep -c '\.c$') .c files"
else
	cat "$out/cppcheck.txt"
	fail cppcheck "$(grep -Ec ': (error|warning|portability|performance|style|information): ' "$out/cppcheck.txt") problems, exit $rc"
fi

if [ "$failed" -gt 0 ]; then
	echo "lint: $failed of $ran checks failed"
	exit 1
fi
echo "lint: all $ran checks passed"
