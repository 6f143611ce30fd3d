#!/bin/sh
# Dashboard benchmark (issue 5; docs/performance.md "Dashboards over
# aggregates").
#   bench/dashboard.sh [PATH-TO-PROXIMA [PATH-TO-DASHBOARD]]
#
# Runs only when the province-scale database exists: BENCH_SCALE_DB
# (default var/scale.db). Build it once (39 minutes and 9.4 GB at scale 1 on
# the 2-core machine of docs/performance.md; scale 0.1 takes a tenth):
#   build/proxima init --db var/scale.db
#   build/proxima demo --db var/scale.db --scale 1
# Then prints p50/p99 of the act.* indicators, of the territory-year
# dashboard (every indicator and the 4-quarter trend, through the report
# engine) and of the province-year comparison over the aggregates, beside
# the same computed with act.* by plain SQL over the raw tables (same file,
# same run). The activity exports are timed by hand (docs/performance.md).
#
# Environment (optional): BENCH_SCALE_DB, BENCH_YEAR (default last year),
# BENCH_REQUESTS (default 20), BENCH_PROVINCE_RAW (default 3).
set -eu
bin=${1:-build/proxima}
driver=${2:-build/bench/dashboard}
db=${BENCH_SCALE_DB:-var/scale.db}
if [ ! -f "$db" ]; then
	echo "dashboard benchmark: skipped ($db does not exist; see bench/dashboard.sh)"
	exit 0
fi
year=${BENCH_YEAR:-$(( $(date +%Y) - 1 ))}
echo "dashboard benchmark on $db ($(du -h "$db" | cut -f1)), year $year"
"$driver" "$db" "$year" "${BENCH_REQUESTS:-20}" "${BENCH_PROVINCE_RAW:-3}"
