#!/usr/bin/env bash
# Outbox benchmark (run by hand; not part of the tests): a phone sends
# 1,000 waiting entries (issue 11; target: under 5 s on this machine).
#   bench/sync.sh [PATH-TO-PROXIMA]          (default build/proxima: `make` first)
#
# Makes a fresh database (one territory, one organisation, one PAP with a
# bearer token), serves it on a free loopback port, and times:
#   - sync: the 1,000 entries as the phone's outbox sends them, quick-entry
#     forms with their own keys, in batches of 100 to POST /api/v1/sync,
#     one after the other (one curl process, one keep-alive connection);
#   - the baseline, in the same run and on the same server: the same 1,000
#     activities as 1,000 single POST /api/v1/activities, each with its
#     Idempotency-Key (one curl process, one keep-alive connection).
# Then it sends the outbox a second time (every entry answered from its
# key, nothing written) and checks the database holds 1,000 rows from
# each path.
#
# Environment: BENCH_ENTRIES (default 1000), BENCH_BATCH (default 100),
# BENCH_KEEP=1 keeps the temporary directory.
# Exit status: 0 when the measurement ran (target met or not), 1 on failure,
# 2 on usage errors.
set -euo pipefail

bin=${1:-build/proxima}
N=${BENCH_ENTRIES:-1000}
BATCH=${BENCH_BATCH:-100}
[ -x "$bin" ] || { echo "bench: no executable at $bin (build it: make)" >&2; exit 2; }
for c in curl sqlite3; do
	command -v $c >/dev/null || { echo "bench: $c not found" >&2; exit 2; }
done
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
T=$(mktemp -d "${TMPDIR:-/tmp}/proxima-sync-bench.XXXXXX")
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM
now_ns() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }

db=$T/bench.db
export PROXIMA_TEST_FAST_HASH=1
"$bin" init --db "$db" >/dev/null
sqlite3 "$db" "
INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T-B', 'Territoire B', 'rural');
INSERT INTO organisation (id, ext_id, name, sector_id) VALUES
  (1, 'ORG-B', 'CLSC des Rangs', (SELECT id FROM sector WHERE ext_id = 'MSSS'));
INSERT INTO organisation_territory VALUES (1, 1);"
echo "bench-password" | "$bin" user add --db "$db" --email pap@bench.test --name "PAP" \
	--role pap --organisation ORG-B --territory T-B >/dev/null
token=$("$bin" token create --db "$db" --email pap@bench.test --name bench | tail -1)
account=p$(sqlite3 "$db" "SELECT id FROM person WHERE email = 'pap@bench.test'")

# The entries: varied quick-entry forms, in the outbox's batches, and the
# same activities as single API bodies.
awk -v N="$N" -v B="$BATCH" -v ACC="$account" -v OUT="$T" '
BEGIN {
	srand(11)
	nt = split("contact_informel demarchage accompagnement intervention_individuelle activite_collective", types, " ")
	np = split("domicile parc cafe_commerce local_communautaire rue ecole", places, " ")
	nn = split("logement alimentation isolement francisation parentalite revenu", needs, " ")
	cfg = OUT "/single.curl"
	for (i = 1; i <= N; i++) {
		day = sprintf("2026-11-%02d", (i % 28) + 1)
		t = types[int(rand() * nt) + 1]; p = places[int(rand() * np) + 1]
		n = needs[int(rand() * nn) + 1]; d = 5 * (int(rand() * 24) + 1)
		a = int(rand() * 6); c = int(rand() * 4)
		b = int((i - 1) / B)
		f = OUT "/batch-" b ".json"
		if ((i - 1) % B == 0) printf "{\"account\":\"%s\",\"entries\":[", ACC > f
		else printf "," > f
		printf "{\"key\":\"sync-%08d\",\"form\":\"/journal/nouvelle\",\"fields\":[[\"date\",\"%s\"],[\"type\",\"%s\"],[\"place\",\"%s\"],[\"duration_min\",\"%d\"],[\"counts.adults\",\"%d\"],[\"counts.children_0_5\",\"%d\"],[\"needs\",\"%s\"],[\"indirect.deplacement\",\"10\"]]}", i, day, t, p, d, a, c, n > f
		if (i % B == 0 || i == N) { printf "]}" > f; close(f) }
		body = sprintf("{\"id\":\"api-%08d\",\"date\":\"%s\",\"type\":\"%s\",\"place\":\"%s\",\"duration_min\":%d,\"counts\":{\"adults\":%d,\"children_0_5\":%d},\"needs\":[\"%s\"],\"indirect\":{\"deplacement\":10}}", i, day, t, p, d, a, c, n)
		gsub(/"/, "\\\"", body)
		if (i > 1) printf "next\n" > cfg
		printf "url = \"URL/api/v1/activities\"\nrequest = \"POST\"\nsilent\nheader = \"Authorization: Bearer TOKEN\"\nheader = \"Content-Type: application/json\"\nheader = \"Idempotency-Key: api-%08d\"\ndata = \"%s\"\noutput = \"/dev/null\"\nwrite-out = \"%%{http_code}\\n\"\n", i, body > cfg
	}
}'
batches=$(ls "$T"/batch-*.json | sort -t- -k2 -n)

"$bin" serve --db "$db" --listen 127.0.0.1:0 --access-log off >"$T/out" 2>"$T/err" &
pid=$!
url=""
for _ in $(seq 100); do
	url=$(sed -n 's|^proxima: listening on \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$T/out")
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { echo "bench: the server did not start: $(tail -3 "$T/err")" >&2; exit 1; }
sed -i "s|URL/|$url/|; s|Bearer TOKEN|Bearer $token|" "$T/single.curl"

# sync_all FILE: posts every batch in order on one connection; the HTTP
# codes go to FILE.
sync_all() {
	local args=()
	for b in $batches; do
		args+=(--next -s -o /dev/null -w '%{http_code}\n' -X POST
		       -H "Authorization: Bearer $token" -H 'Content-Type: application/json'
		       --data-binary "@$b" "$url/api/v1/sync")
	done
	curl "${args[@]:1}" >"$1"
}
bad() { grep -vc "^$1\$" "$2" || true; }

echo "bench: $N entries, batches of $BATCH, on $url"
t0=$(now_ns); sync_all "$T/sync.codes"; t1=$(now_ns)
t2=$(now_ns); curl -K "$T/single.curl" >"$T/single.codes"; t3=$(now_ns)
t4=$(now_ns); sync_all "$T/again.codes"; t5=$(now_ns)

synced=$(sqlite3 "$db" "SELECT count(*) FROM activity WHERE ext_id LIKE 'sync-%'")
single=$(sqlite3 "$db" "SELECT count(*) FROM activity WHERE ext_id LIKE 'api-%'")
errs=$(( $(bad 200 "$T/sync.codes") + $(bad 201 "$T/single.codes") + $(bad 200 "$T/again.codes") ))
sync_ms=$(ms "$t0" "$t1"); single_ms=$(ms "$t2" "$t3"); again_ms=$(ms "$t4" "$t5")
printf 'sync (outbox, %d per POST /api/v1/sync): %6d ms  %7.0f entries/s\n' "$BATCH" "$sync_ms" \
	"$(echo "$N * 1000 / $sync_ms" | bc -l)"
printf 'baseline (single POST /api/v1/activities): %6d ms  %7.0f entries/s\n' "$single_ms" \
	"$(echo "$N * 1000 / $single_ms" | bc -l)"
printf 'sync again (every entry already there):   %6d ms\n' "$again_ms"
printf 'rows: %d from sync, %d from single posts; HTTP errors: %d\n' "$synced" "$single" "$errs"
[ "$synced" = "$N" ] && [ "$single" = "$N" ] && [ "$errs" = 0 ] ||
	{ echo "bench: the runs did not all succeed" >&2; exit 1; }
if [ "$sync_ms" -lt 5000 ]; then echo "target (< 5 s for $N entries): met"; else echo "target (< 5 s for $N entries): NOT met"; fi
