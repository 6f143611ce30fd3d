#!/bin/sh
# Province comparison benchmark (issue 15; docs/performance.md "Province
# comparison in one pass").
#   bench/compare.sh [PATH-TO-COMPARE-DRIVER]
#
# Runs only when the province-scale database exists: BENCH_SCALE_DB
# (default var/scale.db; see bench/dashboard.sh to build it). Prints the
# wall and CPU time of what /tableaux/comparaison computes for an analyst
# (every indicator of every top-level territory, last year) through
# report_compare, beside one report_compute per territory (the baseline),
# in the same run, and checks that both give the same figures.
#
# Environment (optional): BENCH_SCALE_DB, BENCH_YEAR (default last year),
# BENCH_REQUESTS (default 10), BENCH_PARENT (compare its children instead).
set -eu
driver=${1:-build/bench/compare}
db=${BENCH_SCALE_DB:-var/scale.db}
if [ ! -f "$db" ]; then
	echo "comparison benchmark: skipped ($db does not exist; see bench/dashboard.sh)"
	exit 0
fi
year=${BENCH_YEAR:-$(( $(date +%Y) - 1 ))}
echo "comparison benchmark on $db ($(du -h "$db" | cut -f1)), year $year, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BENCH_PARENT:-}" ]; then
	"$driver" "$db" "$year" "${BENCH_REQUESTS:-10}" "$BENCH_PARENT"
else
	"$driver" "$db" "$year" "${BENCH_REQUESTS:-10}"
fi
