#!/bin/sh
# SQLite and PostgreSQL side by side, in one run (issue 12):
#   bench/engines.sh [PATH-TO-PROXIMA]
#
# For each engine, on a database with the demo (proxima demo):
#   - durable API writes/s: POST /api/v1/activities by wrk
#     (bench/post_activity.lua), BENCH_CONNECTIONS keep-alive connections
#     for BENCH_DURATION seconds, against one "proxima serve", then against
#     two "proxima serve" on the same database (one wrk each, at the same
#     time; the writes/s added up). SQLite: WAL, synchronous=FULL; two
#     servers share the file. PostgreSQL: a cluster made here with its
#     durability on (fsync, full_page_writes, synchronous_commit=on).
#   - import records/s: "proxima import" of the demo's records
#     ("proxima demo --jsonl") into a new database.
# Prints one table and the load average before and after (the machine is
# shared: figures on a loaded machine are marked so).
#
# Environment (optional): BENCH_DURATION (s, default 10),
# BENCH_CONNECTIONS (default 16).
set -eu
bin=${1:-build/proxima}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-16}
EMAIL=pap@demo.proxima.quebec
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
command -v wrk >/dev/null || { echo "engines.sh: wrk not found (scripts/deps.sh bench)" >&2; exit 2; }

T=$(mktemp -d)
PG=$(mktemp -d /tmp/proxima-bench-pg.XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	"$root/tests/pg_cluster.sh" stop "$PG" >/dev/null 2>&1 || true
	rm -rf "$T" "$PG"
}
trap cleanup EXIT INT TERM

export PROXIMA_KEY_FILE="$T/bench.key"
load() { cut -d' ' -f1-3 /proc/loadavg; }
say() { printf '%s\n' "$*"; }

say "engines.sh: $("$bin" version | head -n1); $(nproc) cores; load before: $(load)"
admin=$(PG_DURABLE=1 "$root/tests/pg_cluster.sh" start "$PG")
base=${admin% dbname=*}
psql "$admin" -q -c "CREATE DATABASE bench_writes" -c "CREATE DATABASE bench_import"

# serve DB OUT: starts a server in the background (its pid joins pids; not
# in a command substitution, whose subshell would keep the pid to itself).
serve() {
	"$bin" serve --db "$1" --listen 127.0.0.1:0 --access-log off >"$2" 2>"$2.err" &
	pids="$pids $!"
}

# url_of OUT: waits until the server writing OUT listens; echoes its URL.
url_of() {
	i=0
	while [ $i -lt 300 ]; do
		url=$(sed -n 's|^proxima: listening on \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$1")
		[ -n "$url" ] && { echo "$url"; return 0; }
		sleep 0.1
		i=$((i + 1))
	done
	cat "$1.err" >&2
	return 1
}

stop_servers() {
	for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	pids=""
}

# wps URL...: runs one wrk per URL at once; prints the writes/s added up.
wps() {
	n=0
	wpids=""
	for u in "$@"; do
		n=$((n + 1))
		BENCH_TOKEN=$TOKEN wrk -t1 -c"$CONNS" -d"${DURATION}s" -s "$here/post_activity.lua" \
			"$u/api/v1/activities" >"$T/wrk.$n" 2>&1 &
		wpids="$wpids $!"
	done
	for p in $wpids; do wait "$p" || true; done
	total=0
	for i in $(seq 1 "$n"); do
		ok=$(sed -n 's/^statuses: 201=\([0-9]*\).*/\1/p' "$T/wrk.$i")
		bad=$(sed -n 's/.*non_2xx=\([0-9]*\).*/\1/p' "$T/wrk.$i")
		[ "${bad:-0}" = 0 ] || { cat "$T/wrk.$i" >&2; echo "engines.sh: non-2xx answers" >&2; }
		total=$((total + ${ok:-0}))
	done
	echo $((total / DURATION))
}

"$bin" init --db "$T/records.db" >/dev/null
"$bin" demo --db "$T/records.db" --jsonl "$T/demo.jsonl" >/dev/null
records=$(wc -l <"$T/demo.jsonl")

for engine in sqlite postgres; do
	if [ $engine = sqlite ]; then
		db="$T/writes.db"
		idb="$T/import.db"
	else
		db="$base dbname=bench_writes"
		idb="$base dbname=bench_import"
	fi
	"$bin" init --db "$db" >/dev/null
	"$bin" demo --db "$db" >/dev/null
	TOKEN=$("$bin" token create --db "$db" --email "$EMAIL" --name bench)
	serve "$db" "$T/s1.out"
	u1=$(url_of "$T/s1.out")
	one=$(wps "$u1")
	serve "$db" "$T/s2.out"
	u2=$(url_of "$T/s2.out")
	two=$(wps "$u1" "$u2")
	stop_servers
	# What the group commits did (units per group, leaders' CPU per unit).
	sed -n "s/.*event=db.groups /$engine group commits: /p" "$T/s1.out.err" "$T/s2.out.err" >&2
	"$bin" init --db "$idb" >/dev/null
	t0=$(date +%s.%N)
	"$bin" import --db "$idb" "$T/demo.jsonl" >/dev/null
	t1=$(date +%s.%N)
	rps=$(awk -v n="$records" -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", n / (b - a) }')
	eval "res_$engine=\"$one|$two|$rps\""
done

say ""
say "| engine | API writes/s, 1 server | API writes/s, 2 servers | import records/s ($records records) |"
say "|---|---|---|---|"
for engine in sqlite postgres; do
	eval "r=\$res_$engine"
	say "| $engine | $(echo "$r" | cut -d'|' -f1) | $(echo "$r" | cut -d'|' -f2) | $(echo "$r" | cut -d'|' -f3) |"
done
say ""
say "load after: $(load); $CONNS connections per server, ${DURATION}s each"
