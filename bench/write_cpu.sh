#!/bin/sh
# The server's CPU time per acknowledged keyed write (docs/performance.md
# "API writes, fourth pass"): on a shared machine, a figure that other
# processes change far less than writes/s.
#   bench/write_cpu.sh [PATH-TO-PROXIMA [SECONDS]]
#
# Serves a fresh `proxima init` + `proxima demo` database on a loopback
# port (default threads, access log to a file), warms up for 2 s, then runs
# wrk (bench/post_activity.lua, 2 threads, 50 connections, each POST with
# its own Idempotency-Key) for SECONDS (default 8) and prints the rate, the
# p99, the server's user + system CPU per 201 in milliseconds (from
# /proc/PID/stat, before and after), the load average, and the server's
# event=db.groups line (leader CPU per unit, work and COMMIT). Every
# response must be a 201. Alternate two binaries, several pairs, to compare.
# BENCH_SERVER_THREADS passes --threads to the server.
set -eu
bin=${1:-build/proxima}
secs=${2:-8}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/proxima-wcpu.XXXXXX")
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
"$bin" init --db "$T/p.db" >/dev/null 2>&1
"$bin" demo --db "$T/p.db" >/dev/null 2>&1
BENCH_TOKEN=$("$bin" token create --db "$T/p.db" --email pap@demo.proxima.quebec --name cpu 2>/dev/null)
"$bin" serve --db "$T/p.db" --listen 127.0.0.1:0 --access-log "$T/access.log" \
	${BENCH_SERVER_THREADS:+--threads "$BENCH_SERVER_THREADS"} >"$T/out" 2>"$T/err" &
pid=$!
port=""
for _ in $(seq 50); do
	port=$(sed -n 's|^proxima: listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$T/out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$T/err" >&2; exit 1; }
url=http://127.0.0.1:$port/api/v1/activities
BENCH_DATE=$(TZ=America/Toronto date +%F)
export BENCH_TOKEN BENCH_DATE BENCH_IDEMPOTENCY=1
wrk -t2 -c50 -d2s -s "$here/post_activity.lua" "$url" >/dev/null
sleep 1
c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
wrk -t2 -c50 -d"${secs}s" --latency -s "$here/post_activity.lua" "$url" >"$T/wrk.txt"
c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
kill -TERM "$pid"
wait "$pid" || true
pid=""
st=$(sed -n 's/^statuses: //p' "$T/wrk.txt")
n=$(printf '%s\n' "$st" | sed -n 's/^201=\([0-9]*\) .*/\1/p')
case $st in *" non_2xx=0 "*) ;; *) echo "write_cpu: not all 201: $st" >&2; exit 1 ;; esac
printf '%s: %s writes/s, p99 %s, server CPU %s ms per write, load %s | %s\n' "$(basename "$bin")" \
	"$(awk '/Requests\/sec/ {print $2}' "$T/wrk.txt")" "$(awk '$1 == "99%" {print $2}' "$T/wrk.txt")" \
	"$(awk -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN {printf "%.3f", 1000 * c / hz / n}')" \
	"$(cut -d' ' -f1 /proc/loadavg)" "$(sed -n 's/.*event=db.groups //p' "$T/err") $(sed -n 's/.*event=memo /memo /p' "$T/err")"
