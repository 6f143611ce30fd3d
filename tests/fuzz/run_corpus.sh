#!/bin/sh
# Regression mode of the fuzzers: runs every file of the seed corpora
# (tests/fuzz/corpus/TARGET/) and every saved reproducer
# (tests/fuzz/regressions/TARGET/) once through its fuzzer, without
# mutating anything. Exit status 0 only when no input crashed, leaked or
# broke a harness check. Needs the fuzzers: `make fuzz` (clang).
#   tests/fuzz/run_corpus.sh [BUILD_DIR]     (default build/fuzz)
# Prints one line per target and a closing "total: N passed, M failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/fuzz}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM

for t in request form import; do
	bin="$build/fuzz_$t"
	if [ ! -x "$bin" ]; then
		echo "fuzz_$t: missing $bin (run: make fuzz)"
		failed=$((failed + 1))
		continue
	fi
	n=0
	bad=0
	for dir in "$here/corpus/$t" "$here/regressions/$t"; do
		[ -d "$dir" ] || continue
		# Batches keep the command line short; libFuzzer runs each file
		# given as an argument once and stops at the first failure.
		files=$(find "$dir" -type f | sort)
		[ -n "$files" ] || continue
		count=$(printf '%s\n' "$files" | wc -l)
		n=$((n + count))
		if ! printf '%s\n' "$files" | xargs -n 200 "$bin" -runs=1 >"$log" 2>&1; then
			bad=1
			echo "---- fuzz_$t failed on $dir:"
			grep -E '^(Running|Executed|==[0-9]+==|SUMMARY|fuzz_|.*runtime error)' "$log" |
				tail -25
		fi
	done
	if [ "$bad" -eq 0 ]; then
		echo "fuzz_$t: $n inputs ok"
		passed=$((passed + n))
	else
		echo "fuzz_$t: FAILED ($n inputs)"
		failed=$((failed + 1))
	fi
done
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
