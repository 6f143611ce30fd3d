#!/bin/sh
# Journal write benchmark (make bench, after bench/run.sh; issue 3).
#   bench/writes.sh [PATH-TO-PROXIMA [PATH-TO-WRITE_CEILING]]
#
# Measures durable writes through the API: POST /api/v1/activities by wrk
# (bench/post_activity.lua) at 50 keep-alive connections against `proxima
# serve` (default threads, access log to a file) on a demo database, as the
# demo PAP with a bearer token. Every 201 is sent after the COMMIT of its
# transaction (WAL, synchronous=FULL). Prints writes/s and p99, then the
# ceiling: bench/write_ceiling doing the API's write path (db_begin,
# activity_validate, activity_save, db_commit, one activity per
# transaction) in a C loop on a copy of the same database, with 1 and with
# 2 threads (one connection each), and the raw write+fdatasync rate of the
# disk before and after. Every API POST carries its own Idempotency-Key, as
# an offline client sends them; the server groups concurrent writes into
# one commit (group commit, db/db.h). Target (issue 15): >= 5,000
# acknowledged writes/s, >= 2.5 times the one-commit-per-write loop (1
# thread) of the same run, and a p99 under 50 ms.
#
# Checks: every response is a 201; the server is then killed (SIGKILL) and
# every acknowledged activity id must be in the database; the rows added
# must equal the 201 responses plus at most one request per connection that
# was committed but whose response wrk did not wait for when it stopped.
#
# Keyed writes (issue 14): the same POSTs, each with its own Idempotency-Key
# (as offline sync sends them), on a copy of the database with no stored key
# and on one with 50,000 stored keys (all younger than 24 hours). The answer
# of a key is stored in the write's transaction; expired ones are purged by
# the housekeeping, off the write path, so both figures must be the same
# ("SAME": the 50,000-key figure within 10 % of the other).
#
# Everything lives in a temporary directory removed at exit; the server
# binds to 127.0.0.1 only and is stopped by the exit trap.
#
# Environment (optional): BENCH_DURATION (s, default 10), BENCH_WARMUP (s,
# default 2), BENCH_WRITE_CONNECTIONS (default 50), BENCH_WRK_THREADS
# (default 2), BENCH_KEYED_ONLY (1: only the two keyed cases), BENCH_KEYS
# (stored keys of the second keyed case, default 50000), BENCH_SERVER_THREADS
# (proxima serve --threads; default: the server's own default).
#
# Exit status: 0 when the measurement is valid (whether or not the target is
# met), 1 when it is not (setup failure, errors, a lost write), 2 on usage
# errors.
set -eu

bin=${1:-build/proxima}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
KEYED_ONLY=${BENCH_KEYED_ONLY:-0}
KEYS=${BENCH_KEYS:-50000}
CONNS=${BENCH_WRITE_CONNECTIONS:-50}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
SERVE_THREADS=${BENCH_SERVER_THREADS:+--threads $BENCH_SERVER_THREADS}
EMAIL=pap@demo.proxima.quebec
TARGET_WPS=5000
TARGET_RATIO=2.5
TARGET_P99_MS=50
# A case is "disturbed" when other processes used more than OTHER_MAX % of a
# core meanwhile (column other), as in bench/run.sh. This benchmark leaves
# CPU idle (it waits for the disk), but it still suffers from work that fills
# it: each commit wakes a thread up, which then waits for a CPU (column runq:
# time the server's or the ceiling's threads spent ready to run but waiting,
# from /proc/PID/task/*/schedstat; with the server, part of it is waiting
# behind wrk and its own threads).
OTHER_MAX=15

say() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
usage() { printf 'bench: %s\n' "$*" >&2; exit 2; }

[ -x "$bin" ] || usage "no executable at $bin (build it: make)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
ceiling=${2:-$(dirname "$bin")/bench/write_ceiling}
[ -x "$ceiling" ] || usage "no executable at $ceiling (build it: make bench, or make BUILD=… …/bench/write_ceiling)"
ceiling=$(cd "$(dirname "$ceiling")" && pwd)/$(basename "$ceiling")
here=$(cd "$(dirname "$0")" && pwd)
for n in "$DURATION" "$WARMUP" "$CONNS" "$WRK_THREADS" "$KEYS" "${BENCH_SERVER_THREADS:-0}"; do
	case $n in '' | *[!0-9]*) usage "BENCH_* settings are whole numbers, not '$n'" ;; esac
done
[ "$DURATION" -ge 1 ] && [ "$CONNS" -ge "$WRK_THREADS" ] && [ "$WRK_THREADS" -ge 1 ] ||
	usage "need BENCH_DURATION >= 1 and BENCH_WRITE_CONNECTIONS >= BENCH_WRK_THREADS >= 1"
command -v wrk >/dev/null || die "wrk not found (scripts/deps.sh bench installs it)"
command -v curl >/dev/null || die "curl not found"
command -v sqlite3 >/dev/null || die "sqlite3 (the shell) not found (scripts/deps.sh bench installs it)"
NCPU=$(nproc)
CLK_TCK=$(getconf CLK_TCK)

T=$(mktemp -d "${TMPDIR:-/tmp}/proxima-writes.XXXXXX")
proxima_pid=""
keyed_pid=""
job_pid=""

stop_pid() { # stop_pid PID: TERM, wait up to 5 s, then KILL
	kill -TERM "$1" 2>/dev/null || return 0
	i=0
	while [ "$i" -lt 50 ] && kill -0 "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$1" 2>/dev/null || true
}

# shellcheck disable=SC2317 # called by the trap
cleanup() {
	set +e
	[ -n "$job_pid" ] && kill -TERM "$job_pid" 2>/dev/null
	[ -n "$proxima_pid" ] && stop_pid "$proxima_pid"
	[ -n "$keyed_pid" ] && stop_pid "$keyed_pid"
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ---------------------------------------------------------------

uptime_cs() { # a monotonic clock in 1/100 s
	awk '{sub(/\./, "", $1); print $1 + 0}' /proc/uptime
}

runq_ms() { # time the threads of a process spent waiting for a CPU, in ms
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $2} END {printf "%d", s / 1e6}'
}

cpu_ticks() { # utime+stime of a process (all threads)
	awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

machine_busy() { # CPU ticks spent by the whole machine (all cores), not idle nor iowait
	awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
}

machine_iowait() {
	awk '$1 == "cpu" {print $6; exit}' /proc/stat
}

children_ticks() { # CPU of this shell's reaped children (wrk, write_ceiling)
	awk '{print $16 + $17}' "/proc/$$/stat"
}

tcp_active_opens() { # connect()s so far in this network namespace
	awk '$1 == "Tcp:" { if (!h) { for (i = 1; i <= NF; i++) if ($i == "ActiveOpens") c = i; h = 1 }
	     else print $c }' /proc/net/snmp
}

# run_job LIMIT OUTPUT CMD...: runs CMD in the background and waits for it,
# so that a signal interrupts the wait (a foreground child would delay the
# trap).
run_job() {
	limit=$1
	output=$2
	shift 2
	timeout -k 5 "$limit" "$@" >"$output" 2>&1 &
	job_pid=$!
	rc=0
	wait "$job_pid" || rc=$?
	job_pid=""
	return "$rc"
}

to_ms() { # wrk latency (e.g. 520.00us, 3.38ms, 1.02s) to milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000;
		else if (v ~ /s$/) n *= 1000
		printf "%.2f", n }'
}

pct() { # pct TICKS CENTISECONDS: % of one core
	awk -v t="$1" -v hz="$CLK_TCK" -v s="$2" 'BEGIN {o = 100 * t / hz / (s / 100); printf "%d", (o < 0) ? 0 : o}'
}

rows() { # rows DB: activities in the database
	sqlite3 "$1" 'SELECT count(*) FROM activity'
}

kv() { # kv KEY LINE: the value of key=value in LINE
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# --- machine ---------------------------------------------------------------

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
say "Proxima journal write benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine : $NCPU cores, ${cpu_model:-unknown CPU}, Linux $(uname -r)"
say "software: $("$bin" version), SQLite $(sqlite3 -version | cut -d' ' -f1) (shell), $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
say "disk    : $(df -P "$T" | awk 'NR == 2 {print $1}') ($(awk -v t="$T" '$2 == "/" || index(t, $2) == 1 {fs = $3} END {print fs}' /proc/mounts)), temporary directory $T"
say "load    : $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) before the run"
b0=$(machine_busy)
sleep 1
b1=$(machine_busy)
busy_before=$((100 * (b1 - b0) / CLK_TCK))
say "busy    : $busy_before % of one core in use during 1 s before the run"
[ "$busy_before" -le 10 ] || say "WARNING : the machine is busy; figures will be disturbed (see column other)."
say ""

# --- database, token, server -----------------------------------------------

DB=$T/proxima.db
"$bin" init --db "$DB" >"$T/init.out" 2>&1 || { cat "$T/init.out" >&2; die "proxima init failed"; }
"$bin" demo --db "$DB" >"$T/demo.out" 2>&1 || { cat "$T/demo.out" >&2; die "proxima demo failed"; }
TOKEN=$("$bin" token create --db "$DB" --email "$EMAIL" --name bench-writes 2>"$T/token.err") ||
	{ cat "$T/token.err" >&2; die "proxima token create failed"; }
[ -n "$TOKEN" ] || die "proxima token create printed no token"
# Copies of this database for the ceiling runs (no connection is open, so
# there is no WAL to carry along).
[ ! -s "$DB-wal" ] || die "unexpected WAL after proxima demo"
cp "$DB" "$T/ceiling1.db"
cp "$DB" "$T/ceiling2.db"
cp "$DB" "$T/keyed0.db"
cp "$DB" "$T/keyed.db"
# Stored answers of KEYS earlier keyed writes by the same person, spread
# over the last 23 hours (none has expired: the housekeeping keeps them).
sqlite3 "$T/keyed.db" "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $KEYS)
	INSERT INTO idempotency (person_id, key, method, path, status, body, created_at)
	SELECT p.id, 'stored-' || n.i, 'POST', '/api/v1/activities', 201,
	       '{\"id\":\"act-' || printf('%016x', n.i) || '\"}', strftime('%s', 'now') - n.i % 82800
	FROM n, person p WHERE p.email = '$EMAIL'" || die "cannot store $KEYS keys"
rows0=$(rows "$DB")
say "database: proxima init + proxima demo: $rows0 activities; token for $EMAIL"

: >"$T/stdout"
"$bin" serve --db "$DB" --listen 127.0.0.1:0 --access-log "$T/access.log" $SERVE_THREADS >"$T/stdout" 2>"$T/stderr" &
proxima_pid=$!
port=""
i=0
while [ "$i" -lt 50 ]; do
	port=$(sed -n 's|^proxima: listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$T/stdout")
	[ -n "$port" ] && break
	kill -0 "$proxima_pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
[ -n "$port" ] || { cat "$T/stderr" >&2; die "proxima serve did not start"; }
URL=http://127.0.0.1:$port/api/v1/activities
say "server  : proxima serve --db $DB --listen 127.0.0.1:0 --access-log $T/access.log"
say "          (port $port, $(awk '/^Threads:/ {print $2}' "/proc/$proxima_pid/status") threads: the default pool)"

DATE=$(TZ=America/Toronto date +%F)
export BENCH_TOKEN="$TOKEN" BENCH_DATE="$DATE"

# Two POSTs on one connection: both 201, the connection kept.
printf '{"date":"%s","type":"contact_informel","place":"parc","duration_min":30,"counts":{"adults":2,"children_0_5":1},"needs":["isolement"]}' \
	"$DATE" >"$T/one.json"
out=$(curl -sv -o /dev/null -o /dev/null -w '%{http_code}/%{num_connects} ' \
	-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	--data-binary @"$T/one.json" "$URL" "$URL" 2>"$T/curl.err") ||
	{ cat "$T/curl.err" >&2; die "curl POST $URL failed"; }
if [ "$out" != "201/1 201/0 " ]; then
	cat "$T/curl.err" >&2
	die "POST $URL did not answer 201 twice on one keep-alive connection ($out)"
fi
! grep -qi '^< connection: *close' "$T/curl.err" || die "POST $URL answers with Connection: close"
say "check   : 2 POSTs on one connection: 201, 201, kept alive"
say ""

# --- keyed writes ----------------------------------------------------------

# keyed_case N DB STORED: POSTs with a new Idempotency-Key each, by wrk
# after a warm-up, on a server of its own over DB (which holds STORED keys);
# sets k_wps, k_p50, k_p99 and k_line.
keyed_case() {
	kdb=$2
	: >"$T/keyed.out"
	"$bin" serve --db "$kdb" --key "$DB.key" --listen 127.0.0.1:0 --access-log "$T/keyed.access.log" $SERVE_THREADS \
		>"$T/keyed.out" 2>"$T/keyed.err" &
	keyed_pid=$!
	kport=""
	i=0
	while [ "$i" -lt 50 ] && [ -z "$kport" ]; do
		sleep 0.1
		kport=$(sed -n 's|^proxima: listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$T/keyed.out")
		i=$((i + 1))
	done
	[ -n "$kport" ] || { cat "$T/keyed.err" >&2; die "proxima serve (keyed) did not start"; }
	kurl=http://127.0.0.1:$kport/api/v1/activities
	say "[$1] keyed writes, $3 stored keys: BENCH_IDEMPOTENCY=1 $wrk_keyed $kurl"
	if [ "$WARMUP" -gt 0 ]; then
		BENCH_IDEMPOTENCY=1 run_job $((WARMUP + 20)) "$T/wrk.keyed.warmup.txt" \
			wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$here/post_activity.lua" "$kurl" ||
			{ cat "$T/wrk.keyed.warmup.txt" >&2; die "wrk warm-up (keyed) failed"; }
		# The warm-up's connections must be gone before the measure opens
		# its own: with both counted, the server's per-address cap (64)
		# refuses connections, and wrk's reconnections then burn the CPU.
		sleep 1
	fi
	BENCH_IDEMPOTENCY=1 run_job $((DURATION + 20)) "$T/wrk.keyed.txt" \
		wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$here/post_activity.lua" "$kurl" ||
		{ cat "$T/wrk.keyed.txt" >&2; die "wrk (keyed) failed"; }
	stop_pid "$keyed_pid"
	wait "$keyed_pid" 2>/dev/null || true
	keyed_pid=""
	ksecs=$(awk '/ requests in / {sub(/s,$/, "", $4); print $4}' "$T/wrk.keyed.txt")
	kst=$(sed -n 's/^statuses: //p' "$T/wrk.keyed.txt")
	k201=$(kv 201 "$kst")
	[ -n "$ksecs" ] && [ -n "$k201" ] || { cat "$T/wrk.keyed.txt" >&2; die "cannot read wrk's output (keyed)"; }
	if [ "$(kv non_2xx "$kst")" != 0 ] || [ "$(kv other_2xx "$kst")" != 0 ] || [ "$(kv no_id "$kst")" != 0 ]; then
		keyed_invalid=1
		say "      ERRORS: $kst"
	fi
	k_wps=$(awk -v n="$k201" -v s="$ksecs" 'BEGIN {printf "%d", n / s}')
	k_p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$T/wrk.keyed.txt")")
	k_p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$T/wrk.keyed.txt")")
	k_stored=$(sqlite3 "$kdb" 'SELECT count(*) FROM idempotency')
	say "      $k201 x 201 in $ksecs s: $k_wps writes/s; p50 $k_p50 ms, p99 $k_p99 ms; $k_stored keys stored after"
	k_groups=$(sed -n 's/.*event=db.groups groups=\([0-9]*\) units=\([0-9]*\) largest=\([0-9]*\).*/\1 \2 \3/p' "$T/keyed.err")
	[ -z "$k_groups" ] ||
		say "      group commit (warm-up included): $(echo "$k_groups" | awk '{printf "%d units in %d COMMITs, %.1f per COMMIT, at most %d", $2, $1, ($1 > 0) ? $2 / $1 : 0, $3}')"
	k_gline=$(sed -n 's/.*event=db.groups //p' "$T/keyed.err")
	[ -z "$(kv work_us_per_unit "$k_gline")" ] ||
		say "      leader CPU per unit: work $(kv work_us_per_unit "$k_gline") us, COMMIT $(kv commit_us_per_unit "$k_gline") us"
	[ -z "$(kv slowest_ms "$k_gline")" ] ||
		say "      slowest group $(kv slowest_ms "$k_gline") ms (BEGIN to COMMIT); $(kv slow "$k_gline") groups of 20 ms or more"
}
keyed_invalid=0
wrk_keyed="wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s --latency -s $here/post_activity.lua"
keyed_case keyed-1 "$T/keyed0.db" 0
kw0=$k_wps
kp0="$k_p50 $k_p99"
keyed_case keyed-2 "$T/keyed.db" "$KEYS"
kw1=$k_wps
kp1="$k_p50 $k_p99"
keyed_ratio=$(awk -v a="$kw1" -v b="$kw0" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
keyed_same=$(awk -v r="$keyed_ratio" 'BEGIN {print (r >= 0.9) ? "SAME" : "NOT THE SAME"}')
keyed_summary() {
	say "keyed writes: 0 stored keys: $kw0 writes/s (p50, p99: $kp0 ms); $KEYS stored keys: $kw1 writes/s ($kp1 ms)"
	say "  ratio $keyed_ratio: $keyed_same"
}
keyed_summary
say ""
if [ "$KEYED_ONLY" = 1 ]; then
	[ "$keyed_invalid" = 0 ] || { say "INVALID MEASUREMENT: errors above"; exit 1; }
	exit 0
fi

# --- the disk --------------------------------------------------------------

disk_rates() { # disk_rates N: write_ceiling --disk; sets d_line
	say "[$1/5] disk: $ceiling --disk --seconds 2 DIR (pwrite + fdatasync, 4 KiB and 44 KiB, overwriting)"
	run_job 30 "$T/disk.$1.txt" "$ceiling" --disk --seconds 2 "$T" ||
		{ cat "$T/disk.$1.txt" >&2; die "write_ceiling --disk failed"; }
	d_line=$(awk '$1 == "disk" {sub(/block=/, "", $2); sub(/fdatasync_per_s=/, "", $3);
		printf "%s%s bytes: %s/s", (n++ ? ", " : ""), $2, $3}' "$T/disk.$1.txt")
	say "      fdatasync: $d_line"
	d_big=$(awk '$1 == "disk" && $2 == "block=45056" {sub(/.*=/, "", $3); print $3}' "$T/disk.$1.txt")
}
disk_rates 1
disk1=$d_line
disk1_big=$d_big

# --- the API ---------------------------------------------------------------

wrk_cmd="BENCH_IDEMPOTENCY=1 wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s --latency -s $here/post_activity.lua $URL"
say "[2/5] API: $wrk_cmd (after a ${WARMUP} s warm-up)"
if [ "$WARMUP" -gt 0 ]; then
	BENCH_IDEMPOTENCY=1 run_job $((WARMUP + 20)) "$T/wrk.warmup.txt" \
		wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$here/post_activity.lua" "$URL" ||
		{ cat "$T/wrk.warmup.txt" >&2; die "wrk warm-up failed"; }
fi
# Requests cut short by the end of the warm-up may still be committing:
# wait until the table stops growing.
before=$(rows "$DB")
while :; do
	sleep 0.3
	now=$(rows "$DB")
	[ "$now" = "$before" ] && break
	before=$now
done
max_id=$(sqlite3 "$DB" 'SELECT coalesce(max(id), 0) FROM activity')

mkdir "$T/ack"
u0=$(uptime_cs)
q0=$(runq_ms "$proxima_pid")
t0=$(cpu_ticks "$proxima_pid")
m0=$(machine_busy)
io0=$(machine_iowait)
w0=$(children_ticks)
o0=$(tcp_active_opens)
BENCH_IDEMPOTENCY=1 BENCH_ACK_DIR=$T/ack run_job $((DURATION + 20)) "$T/wrk.txt" \
	wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$here/post_activity.lua" "$URL" ||
	{ cat "$T/wrk.txt" >&2; die "wrk failed: $wrk_cmd"; }
o1=$(tcp_active_opens)
w1=$(children_ticks)
io1=$(machine_iowait)
m1=$(machine_busy)
t1=$(cpu_ticks "$proxima_pid")
q1=$(runq_ms "$proxima_pid")
u1=$(uptime_cs)
# Only what was committed counts: no graceful shutdown.
kill -KILL "$proxima_pid"
wait "$proxima_pid" 2>/dev/null || true
proxima_pid=""

secs=$(awk '/ requests in / {sub(/s,$/, "", $4); print $4}' "$T/wrk.txt")
reqs=$(awk '/ requests in / {print $1}' "$T/wrk.txt")
p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$T/wrk.txt")")
p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$T/wrk.txt")")
statuses=$(sed -n 's/^statuses: //p' "$T/wrk.txt")
n201=$(kv 201 "$statuses")
nother=$(kv other_2xx "$statuses")
nfail=$(kv non_2xx "$statuses")
noid=$(kv no_id "$statuses")
wrk_non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$T/wrk.txt")
sockerr=$(sed -n 's/^ *Socket errors: //p' "$T/wrk.txt")
[ -n "$secs" ] && [ -n "$n201" ] || { cat "$T/wrk.txt" >&2; die "cannot read wrk's output"; }
wps=$(awk -v n="$n201" -v s="$secs" 'BEGIN {printf "%d", n / s}')
srv_cpu=$(pct $((t1 - t0)) $((u1 - u0)))
wrk_cpu=$(pct $((w1 - w0)) $((u1 - u0)))
other_cpu=$(pct $((m1 - m0 - (t1 - t0) - (w1 - w0))) $((u1 - u0)))
iowait=$(pct $((io1 - io0)) $((u1 - u0)))
runq=$(awk -v q=$((q1 - q0)) -v u=$((u1 - u0)) 'BEGIN {printf "%.1f", (u > 0) ? q / (u * 10) * 100 : 0}')
connects=$((o1 - o0))

# Every acknowledged activity must be in the database (read after the kill,
# so from the WAL as recovered). Ids are "act-" and 16 hex digits.
cat "$T"/ack/acked.* >"$T/acked.txt" 2>/dev/null || : >"$T/acked.txt"
acked=$(wc -l <"$T/acked.txt" | tr -d ' ')
badfmt=$(grep -cv '^act-[0-9a-f]\{16\}$' "$T/acked.txt" || true)
{
	echo "CREATE TEMP TABLE acked (ext_id TEXT);"
	echo "BEGIN;"
	grep '^act-[0-9a-f]\{16\}$' "$T/acked.txt" | sed "s/.*/INSERT INTO acked VALUES ('&');/"
	echo "COMMIT;"
	echo "SELECT count(DISTINCT ext_id),"
	echo "       (SELECT count(*) FROM acked WHERE ext_id NOT IN"
	echo "            (SELECT ext_id FROM activity WHERE deleted_at IS NULL)),"
	echo "       (SELECT count(*) FROM activity WHERE id > $max_id),"
	echo "       (SELECT count(*) FROM activity WHERE id > $max_id AND ext_id NOT IN (SELECT ext_id FROM acked))"
	echo "  FROM acked;"
} | sqlite3 -separator ' ' "$DB" >"$T/check.txt" 2>"$T/check.err" ||
	{ cat "$T/check.err" >&2; die "cannot check the database"; }
read -r distinct missing added unacked <"$T/check.txt"
after=$(rows "$DB")

invalid=0
disturbed=0
say "      $n201 x 201 in $secs s: $wps writes/s; p50 $p50 ms, p99 $p99 ms"
say "      CPU: server $srv_cpu %, wrk $wrk_cpu %, other $other_cpu % of a core; iowait $iowait %;" \
	"server run queue wait $runq % of the time; TCP connects $connects"
if [ "$nother" != 0 ] || [ "$nfail" != 0 ] || [ "${wrk_non2xx:-0}" != 0 ] || [ "$noid" != 0 ] || [ "$n201" != "$reqs" ]; then
	invalid=1
	say "      ERRORS: other 2xx $nother, non-2xx $nfail (wrk: ${wrk_non2xx:-0}), 201 without an id $noid, responses $reqs"
fi
if [ -n "$sockerr" ]; then
	invalid=1
	say "      ERRORS: socket errors: $sockerr"
fi
if [ "$connects" -gt $((4 * CONNS > 1000 ? 4 * CONNS : 1000)) ]; then
	invalid=1
	say "      keep-alive NOT held: $connects TCP connects for $reqs requests"
fi
[ "$other_cpu" -le "$OTHER_MAX" ] || disturbed=1
say "      server killed (SIGKILL); activities: $before before, $after after: $added added"
say "      acknowledged ids recorded: $acked ($distinct distinct, $badfmt malformed); missing from the database: $missing"
say "      added without an acknowledgement (in flight when wrk stopped): $unacked (at most $CONNS)"
if [ "$acked" != "$n201" ] || [ "$distinct" != "$acked" ] || [ "$badfmt" != 0 ]; then
	invalid=1
	say "      ERROR: the recorded ids do not match the 201 responses"
fi
if [ "$missing" != 0 ]; then
	invalid=1
	say "      LOST WRITES: $missing acknowledged activities are not in the database"
fi
if [ "$added" != $((n201 + unacked)) ] || [ "$unacked" -gt "$CONNS" ] || [ $((after - before)) != "$added" ]; then
	invalid=1
	say "      ERROR: rows added ($added) != 201 responses ($n201) + unacknowledged ($unacked, at most $CONNS)"
else
	say "      rows added = 201 responses + unacknowledged: $added = $n201 + $unacked"
fi

# --- the ceiling -----------------------------------------------------------

run_ceiling() { # run_ceiling N THREADS DB: sets c_line, c_other
	n=$1
	th=$2
	db=$3
	say "[$n/5] ceiling: $ceiling --seconds $DURATION --threads $th DB $EMAIL"
	u0=$(uptime_cs)
	m0=$(machine_busy)
	w0=$(children_ticks)
	run_job $((DURATION + 30)) "$T/ceiling.$th.txt" \
		"$ceiling" --seconds "$DURATION" --threads "$th" "$db" "$EMAIL" ||
		{ cat "$T/ceiling.$th.txt" >&2; die "write_ceiling failed"; }
	w1=$(children_ticks)
	m1=$(machine_busy)
	u1=$(uptime_cs)
	c_line=$(grep '^ceiling ' "$T/ceiling.$th.txt")
	c_other=$(pct $((m1 - m0 - (w1 - w0))) $((u1 - u0)))
	c_cpu=$(pct $((w1 - w0)) $((u1 - u0)))
	c_runq=$(awk -v q="$(kv runq_ms "$c_line")" -v s="$(kv seconds "$c_line")" \
		'BEGIN {printf "%.1f", (s > 0) ? q / (s * 1000) * 100 : 0}')
	say "      $(kv writes "$c_line") commits in $(kv seconds "$c_line") s: $(kv writes_per_s "$c_line") writes/s;" \
		"p50 $(kv p50_ms "$c_line") ms, p99 $(kv p99_ms "$c_line") ms, max $(kv max_ms "$c_line") ms per transaction;" \
		"CPU $c_cpu %, other $c_other %; run queue wait $c_runq % of the time"
	[ "$c_other" -le "$OTHER_MAX" ] || disturbed=1
}
run_ceiling 3 1 "$T/ceiling1.db"
c1=$c_line
c1_other=$c_other
c1_runq=$c_runq
run_ceiling 4 2 "$T/ceiling2.db"
c2=$c_line
c2_other=$c_other
c2_runq=$c_runq
disk_rates 5
disk2=$d_line
disk2_big=$d_big

# --- report ----------------------------------------------------------------

c1_wps=$(kv writes_per_s "$c1")
c2_wps=$(kv writes_per_s "$c2")
ratio1=$(awk -v a="$wps" -v b="$c1_wps" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
ratio2=$(awk -v a="$wps" -v b="$c2_wps" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
say ""
say "Results ($DURATION s each; latency in ms; runq = run queue wait of the measured"
say "process, % of the time; other = CPU used by the rest of the machine, % of a core)"
say ""
fmt='%-44s %9s %7s %7s %5s %6s\n'
# shellcheck disable=SC2059
printf "$fmt" case 'writes/s' p50 p99 runq other
say "-----------------------------------------------------------------------------------"
# shellcheck disable=SC2059
printf "$fmt" "API: POST, $CONNS connections, $WRK_THREADS wrk threads" "$wps" "$p50" "$p99" "$runq" "$other_cpu"
# shellcheck disable=SC2059
printf "$fmt" "ceiling: C loop, 1 thread" "$c1_wps" "$(kv p50_ms "$c1")" "$(kv p99_ms "$c1")" "$c1_runq" "$c1_other"
# shellcheck disable=SC2059
printf "$fmt" "ceiling: C loop, 2 threads (2 connections)" "$c2_wps" "$(kv p50_ms "$c2")" "$(kv p99_ms "$c2")" "$c2_runq" "$c2_other"
say "(API latency: request to response at $CONNS busy connections; ceiling: db_begin to db_commit)"
say ""
say "API / ceiling: $ratio1 (1 thread), $ratio2 (2 threads)"
say "disk: pwrite + fdatasync per second on a file in the same directory (one commit"
say "of one activity appends about 11 pages, 44 KiB, to the WAL, then fdatasync):"
say "  before: $disk1"
say "  after : $disk2"
disk_unstable=$(awk -v a="$disk1_big" -v b="$disk2_big" 'BEGIN {print (a > 0 && b > 0 && b / a < 1.5 && a / b < 1.5) ? 0 : 1}')
if [ "$disk_unstable" = 1 ]; then
	say "  DISK UNSTABLE: the 44 KiB rate changed by more than 1.5 times during the run (other"
	say "  processes writing to the same disk?); compare runs, not figures within this one."
fi
ok_wps=$(awk -v w="$wps" -v t="$TARGET_WPS" 'BEGIN {print (w >= t) ? "yes" : "no"}')
ok_ratio=$(awk -v r="$ratio1" -v t="$TARGET_RATIO" 'BEGIN {print (r >= t) ? "yes" : "no"}')
ok_p99=$(awk -v p="$p99" -v t="$TARGET_P99_MS" 'BEGIN {print (p + 0 < t) ? "yes" : "no"}')
if [ "$ok_wps" = yes ] && [ "$ok_ratio" = yes ] && [ "$ok_p99" = yes ]; then verdict=MET; else verdict="NOT MET"; fi
say ""
keyed_summary
say ""
say "TARGET $verdict: $wps acknowledged writes/s (need >= $TARGET_WPS: $ok_wps), $ratio1 of the ceiling (need >= $TARGET_RATIO: $ok_ratio), p99 $p99 ms (need < $TARGET_P99_MS: $ok_p99)"
say "(With $CONNS connections always busy, the mean latency is $CONNS / writes/s by Little's law:"
say " $(awk -v c="$CONNS" -v r="$wps" 'BEGIN {printf "%.1f", (r > 0) ? 1000 * c / r : 0}') ms, whatever the server does.)"
say "access log: $(wc -l <"$T/access.log" | tr -d ' ') lines"

if [ "$disturbed" != 0 ]; then
	say ""
	say "DISTURBED: other processes used more than $OTHER_MAX % of a core during some cases"
	say "(column other); run again on a quiet machine before trusting the figures."
fi
[ "$keyed_invalid" = 0 ] || invalid=1
if [ "$invalid" != 0 ]; then
	say ""
	say "INVALID MEASUREMENT: errors or lost writes above; do not use these figures."
	exit 1
fi
exit 0
