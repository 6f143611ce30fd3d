#!/bin/sh
# Dashboard pages over HTTP (issue 5; docs/performance.md): the whole
# request, computations, charts and HTML, as a browser gets it.
#   bench/dashboard_page.sh DB EMAIL PATH [REQUESTS]
#
# Starts `proxima serve` on DB (a loopback port), signs in as EMAIL with the
# password read from BENCH_PAGE_PASSWORD, then GETs PATH (e.g.
# "/tableaux/territoire?du=2025-01-01&au=2025-12-31") REQUESTS times
# (default 20) after one warm-up on one keep-alive connection, and prints
# p50 and p99 (nearest rank) of curl's total time in milliseconds and the
# page size. Every response must be 200. The server is stopped at exit.
#
# The account is made once with `proxima user add` (see docs/performance.md).
set -eu
db=$1 email=$2 path=$3 reqs=${4:-20}
bin=${PROXIMA_BIN:-build/proxima}
: "${BENCH_PAGE_PASSWORD:?set BENCH_PAGE_PASSWORD}"
T=$(mktemp -d "${TMPDIR:-/tmp}/proxima-page.XXXXXX")
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
"$bin" serve --db "$db" --listen 127.0.0.1:0 --access-log off >"$T/out" 2>"$T/err" &
pid=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$T/out" "$T/err" | head -1)
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$T/err" >&2; echo "dashboard_page: server did not start" >&2; exit 1; }
base=http://127.0.0.1:$port
jar=$T/jar
token=$(curl -s -c "$jar" "$base/connexion" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
	--data-urlencode "courriel=$email" --data-urlencode "mot_de_passe=$BENCH_PAGE_PASSWORD" \
	--data-urlencode "csrf_token=$token" "$base/connexion")
[ "$code" = 303 ] || { echo "dashboard_page: sign-in answered $code" >&2; exit 1; }
# One curl, one connection: a warm-up then REQUESTS timed GETs.
urls=""
i=0
while [ "$i" -le "$reqs" ]; do
	urls="$urls -o /dev/null $base$path"
	i=$((i + 1))
done
# shellcheck disable=SC2086
curl -s -b "$jar" -w '%{http_code} %{time_total} %{size_download}\n' $urls >"$T/times"
if grep -qv '^200 ' "$T/times"; then
	echo "dashboard_page: a response was not 200:" >&2
	sort "$T/times" | uniq -c | head >&2
	exit 1
fi
tail -n +2 "$T/times" | awk '{print $2 * 1000}' | sort -n >"$T/ms"
n=$(wc -l <"$T/ms")
p50=$(awk -v n="$n" 'NR == int(n * 0.5 + 0.999999) {print}' "$T/ms")
p99=$(awk -v n="$n" 'NR == int(n * 0.99 + 0.999999) {print}' "$T/ms")
size=$(tail -1 "$T/times" | cut -d' ' -f3)
printf 'GET %s (%s requests, %s bytes): p50 %.1f ms   p99 %.1f ms\n' "$path" "$n" "$size" "$p50" "$p99"
