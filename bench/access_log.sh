#!/bin/sh
# The access-log viewer over a large log (issue 13; docs/performance.md).
#   bench/access_log.sh [ENTRIES]
#
# Makes a database with ENTRIES access-log entries (default 1,000,000, one
# every 30 s from 2026-04-01, i.e. about a year), an admin account, then
# times over HTTP (bench/dashboard_page.sh: p50/p99 of 20 requests) the
# first page of the log for the fiscal year, a page filtered by action,
# a page filtered by family, and a month exported as CSV. The baseline is
# the page's query in the sqlite3 shell as the viewer first wrote it
# (ORDER BY id: the period read whole and sorted) against the one it runs
# (ORDER BY at, id: the index order, reading one page).
set -eu
n=${1:-1000000}
bin=${PROXIMA_BIN:-build/proxima}
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 (the shell) not found" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/proxima-access.XXXXXX")
trap 'rm -rf "$T"' EXIT
db=$T/log.db
export PROXIMA_NOW=2027-03-31T12:00:00 PROXIMA_TEST_FAST_HASH=1 BENCH_PAGE_PASSWORD=bench-password-1
"$bin" init --db "$db" >/dev/null
echo "$BENCH_PAGE_PASSWORD" | "$bin" user add --db "$db" --email admin@bench.test --name Admin \
	--role admin >/dev/null
sqlite3 "$db" "WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM k WHERE i < $n + 1)
INSERT INTO audit_log (id, at, actor_id, action, object_kind, object_id, information, purpose,
  prev_hash, hash)
SELECT i, 1775016000 + i * 30, 1, CASE WHEN i % 7 = 0 THEN 'write' ELSE 'read' END, 'family',
  i % 5000, 'nominative', 'suivi', x'00', x'00' FROM k;"
echo "entries: $(sqlite3 "$db" 'SELECT count(*) FROM audit_log')"

year="du=2026-04-01&au=2027-03-31"
for path in "/confidentialite/journal?$year" "/confidentialite/journal?$year&action=write" \
	"/confidentialite/journal?$year&famille=42" \
	"/confidentialite/journal?du=2026-11-01&au=2026-11-30&format=csv"; do
	printf '%s: ' "$path"
	bench/dashboard_page.sh "$db" admin@bench.test "$path" 20
done

cols="SELECT l.id, l.at, p.name, l.action, l.object_id FROM audit_log l
LEFT JOIN person p ON p.id = l.actor_id WHERE l.at >= 1775016000 AND l.at <= 1806551999"
for order in "l.id DESC" "l.at DESC, l.id DESC"; do
	printf 'sqlite3 shell, first page ORDER BY %s: ' "$order"
	printf '.timer on\n%s ORDER BY %s LIMIT 51;\n' "$cols" "$order" | sqlite3 "$db" |
		sed -n 's/^Run Time: real \([0-9.]*\).*/\1 s/p'
done
