#!/bin/sh
# The server's CPU time per request for one signed-in GET (docs/performance.md
# "API lists"): a figure that other processes on a shared machine change far
# less than wall-clock latency.
#   bench/cpu_per_request.sh DB EMAIL PATH [REQUESTS]
#
# Starts `proxima serve` ($PROXIMA_BIN, default build/proxima) on DB with one
# thread on a loopback port, signs in as EMAIL with the password in
# BENCH_PAGE_PASSWORD, GETs PATH once to warm up, then REQUESTS times
# (default 50) on one keep-alive connection, and prints the server's user +
# system CPU time per request in milliseconds (from /proc/PID/stat, before
# and after), the p50 of curl's total time and the response size. Every
# response must be 200. The server is stopped at exit.
set -eu
db=$1 email=$2 path=$3 reqs=${4:-50}
bin=${PROXIMA_BIN:-build/proxima}
: "${BENCH_PAGE_PASSWORD:?set BENCH_PAGE_PASSWORD}"
T=$(mktemp -d "${TMPDIR:-/tmp}/proxima-cpu.XXXXXX")
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
"$bin" serve --db "$db" --listen 127.0.0.1:0 --threads 1 --access-log off >"$T/out" 2>"$T/err" &
pid=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$T/out" | head -1)
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$T/err" >&2; echo "cpu_per_request: server did not start" >&2; exit 1; }
base=http://127.0.0.1:$port
jar=$T/jar
token=$(curl -s -c "$jar" "$base/connexion" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
	--data-urlencode "courriel=$email" --data-urlencode "mot_de_passe=$BENCH_PAGE_PASSWORD" \
	--data-urlencode "csrf_token=$token" "$base/connexion")
[ "$code" = 303 ] || { echo "cpu_per_request: sign-in answered $code" >&2; exit 1; }
curl -s -o /dev/null -b "$jar" "$base$path"
# utime + stime of the whole process, in clock ticks (fields 14 and 15).
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
urls=""
i=0
while [ "$i" -lt "$reqs" ]; do
	urls="$urls -o /dev/null $base$path"
	i=$((i + 1))
done
t0=$(ticks)
# shellcheck disable=SC2086
curl -s -b "$jar" -w '%{http_code} %{time_total} %{size_download}\n' $urls >"$T/times"
t1=$(ticks)
if grep -qv '^200 ' "$T/times"; then
	echo "cpu_per_request: a response was not 200:" >&2
	sort "$T/times" | uniq -c | head >&2
	exit 1
fi
hz=$(getconf CLK_TCK)
awk '{print $2 * 1000}' "$T/times" | sort -n >"$T/ms"
p50=$(awk -v n="$reqs" 'NR == int(n * 0.5 + 0.999999) {print}' "$T/ms")
size=$(tail -1 "$T/times" | cut -d' ' -f3)
awk -v d="$((t1 - t0))" -v hz="$hz" -v n="$reqs" -v p="$path" -v p50="$p50" -v s="$size" \
	'BEGIN { printf "GET %s (%d requests, %s bytes): server CPU %.2f ms/request, p50 %.1f ms\n", p, n, s, d * 1000 / hz / n, p50 }'
