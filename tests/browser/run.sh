#!/bin/sh
# Browser test: the quick entry, then the pages of each role, on a phone, in
# Debian's chromium driven by playwright-core (never a downloaded browser).
# Prints the checks, then one line "browser: N passed, M failed" (both
# scripts added up); exit status 0 only when all passed.
#   tests/browser/run.sh [PROXIMA_BINARY]     (default: $PROXIMA_BIN or build/proxima)
#   tests/browser/run.sh --install            (only installs what is missing)
# AXE_SIZES (pages.mjs, english.mjs): the widths of the axe and English
# crawls, default "390 1366".
# Installs what is missing with apt-get (chromium, nodejs, npm, sqlite3) and
# the npm packages (playwright-core, axe-core) with npm ci. Makes a temporary database with two
# territories, an organisation and a PAP, serves it on a free loopback
# port, and writes docs/screenshots/quick-entry.png and week.png. Then
# offline.mjs (field work without a network) on a database of its own. Then a
# second database from pages-base.jsonl and pages-data.jsonl ("proxima
# import") with a PAP, a manager, a committee member and an analyst, served
# with a fixed clock (PROXIMA_NOW) for pages.mjs, which writes the
# dashboards, referrals, overlap matrix and menu screenshots, then
# english.mjs (every page of every role in English, no French name).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-${PROXIMA_BIN:-$root/build/proxima}}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac

summary() {
	echo "browser: $1 passed, $2 failed"
}
give_up() {
	echo "browser: $*" >&2
	summary 0 1
	exit 1
}

# install_deps: chromium, node and the npm packages, once. tests/run.sh
# calls "run.sh --install" before its two passes, which then run side by
# side with BROWSER_DEPS_READY=1 (npm ci rebuilds node_modules: two at
# once would break each other).
install_deps() {
	missing=""
	[ -x /usr/bin/chromium ] || missing="$missing chromium"
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
	command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
	if [ -n "$missing" ]; then
		sudo=""
		[ "$(id -u)" = 0 ] || sudo="sudo"
		echo "browser: installing$missing" >&2
		$sudo apt-get update -q >/dev/null 2>&1
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing >/dev/null 2>&1 ||
			give_up "cannot install$missing"
	fi

	if [ -f "$here/package-lock.json" ]; then
		(cd "$here" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
			(cd "$here" && npm install --no-audit --no-fund >/dev/null 2>&1) ||
			{ [ -d "$here/node_modules/playwright-core" ] && [ -d "$here/node_modules/axe-core" ]; } || give_up "npm could not install playwright-core"
	else
		(cd "$here" && npm install --no-audit --no-fund >/dev/null 2>&1) ||
			give_up "npm could not install playwright-core"
	fi
}
if [ "${1:-}" = --install ]; then
	install_deps
	exit 0
fi
[ "${BROWSER_DEPS_READY:-0}" = 1 ] || install_deps
[ -x "$bin" ] || give_up "no proxima binary at $bin (run make first)"

tmp=$(mktemp -d)
pid=""
stop_server() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	pid=""
}
cleanup() {
	stop_server
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# The engine: in tests/run.sh's PostgreSQL pass (PROXIMA_TEST_PG set), each
# database is a new one of its throwaway cluster and the screenshots stay
# in the temporary directory (docs/screenshots come from the SQLite pass).
newdb() {
	if [ -n "${PROXIMA_TEST_PG:-}" ]; then
		psql "$PROXIMA_TEST_PG" -q -c "CREATE DATABASE browser_$1_$$" >/dev/null || return 1
		echo "$PROXIMA_TEST_PG_BASE dbname=browser_$1_$$"
	else
		echo "$tmp/$1.db"
	fi
}
run_sql() {
	if [ -n "${PROXIMA_TEST_PG:-}" ]; then
		psql "$1" -q -v ON_ERROR_STOP=1 -c "$2" >/dev/null
	else
		sqlite3 "$1" "$2"
	fi
}
# query_tsv DB SQL: the rows of SQL, tab-separated, on standard output.
query_tsv() {
	if [ -n "${PROXIMA_TEST_PG:-}" ]; then
		psql "$1" -q -A -t -F "$(printf '\t')" -v ON_ERROR_STOP=1 -c "$2"
	else
		sqlite3 -separator "$(printf '\t')" "$1" "$2"
	fi
}
[ -n "${PROXIMA_TEST_PG:-}" ] && SCREENSHOT_DIR="$tmp/screenshots" && mkdir -p "$SCREENSHOT_DIR"

export PROXIMA_TEST_FAST_HASH=1
db=$(newdb proxima) || give_up "cannot create a PostgreSQL database"
email="pap@exemple.test"
password="motdepasse-du-test"
"$bin" init --db "$db" >/dev/null 2>"$tmp/init.err" || give_up "init: $(cat "$tmp/init.err")"
run_sql "$db" "
INSERT INTO territory (id, ext_id, name, type) VALUES
  (1, 'T-A', 'Territoire A', 'urbain'), (2, 'T-B', 'Territoire B', 'mixte');
INSERT INTO organisation (id, ext_id, name, sector_id) VALUES
  (1, 'ORG-A', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS')),
  (2, 'ORG-B', 'Maison de la famille', (SELECT id FROM sector WHERE ext_id = 'COMM'));
INSERT INTO organisation_territory VALUES (1, 1), (2, 2);" || give_up "cannot create the rows"
printf '%s\n' "$password" | "$bin" user add --db "$db" --email "$email" \
	--name "Marie Tremblay" --role pap --organisation ORG-A --territory T-A >/dev/null ||
	give_up "cannot add the PAP"

# serve DB: starts "proxima serve" on a free loopback port; sets pid and url.
# Each database keeps its access log's anchors apart (on PostgreSQL they
# would default to beside the pass's one key file).
nserve=0
serve() {
	: >"$tmp/out"
	nserve=$((nserve + 1))
	"$bin" serve --db "$1" --listen 127.0.0.1:0 --access-log off --anchors "$tmp/anchors.$nserve" \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	url=""
	i=0
	while [ $i -lt 150 ]; do
		url=$(sed -n 's|^proxima: listening on \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$tmp/out")
		[ -n "$url" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$url" ] || give_up "the server did not start: $(tail -3 "$tmp/err")"
}

# run_node SCRIPT: runs a test script, prints its checks and adds its
# "RESULT passed failed" line to the totals (a missing line is one failure).
total_passed=0
total_failed=0
run_node() {
	PROXIMA_URL="$url" SCREENSHOT_DIR="${SCREENSHOT_DIR:-$root/docs/screenshots}" \
		node "$here/$1" >"$tmp/node.out" 2>&1
	grep -v '^RESULT ' "$tmp/node.out"
	result=$(sed -n 's/^RESULT \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$tmp/node.out" | tail -1)
	if [ -z "$result" ]; then
		echo "not ok - $1 gave no result"
		total_failed=$((total_failed + 1))
		return
	fi
	# shellcheck disable=SC2086
	set -- $result
	total_passed=$((total_passed + $1))
	total_failed=$((total_failed + $2))
	# A failed check: the server's last warnings and errors beside it.
	[ "$2" -gt 0 ] && grep 'level=\(warn\|error\)' "$tmp/err" | tail -8 | sed 's/^/# server: /'
	return 0
}

serve "$db"
PROXIMA_EMAIL="$email" PROXIMA_PASSWORD="$password" run_node quick_entry.mjs
stop_server

# Field work without a network: two PAPs of one organisation on a fresh
# database (of the pass's engine), which offline.mjs reads with sqlite3 or
# psql to count the records.
field_db=$(newdb field) || give_up "cannot create a PostgreSQL database"
"$bin" init --db "$field_db" >/dev/null 2>"$tmp/init.err" || give_up "init: $(cat "$tmp/init.err")"
run_sql "$field_db" "
INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T-B', 'Territoire B', 'rural');
INSERT INTO organisation (id, ext_id, name, sector_id) VALUES
  (1, 'ORG-B', 'CLSC des Rangs', (SELECT id FROM sector WHERE ext_id = 'MSSS'));
INSERT INTO organisation_territory VALUES (1, 1);" || give_up "cannot create the rows"
for who in a b; do
	printf '%s\n' "$password" | "$bin" user add --db "$field_db" --email "pap-$who@exemple.test" \
		--name "PAP $who" --role pap --organisation ORG-B --territory T-B >/dev/null ||
		give_up "cannot add pap-$who"
done
serve "$field_db"
PROXIMA_DB="$field_db" PROXIMA_PASSWORD="$password" run_node offline.mjs
stop_server

# The pages of each role: a small imported fixture on a fixed clock.
pages_db=$(newdb pages) || give_up "cannot create a PostgreSQL database"
export PROXIMA_NOW="2026-11-25T10:00:00"
"$bin" init --db "$pages_db" >/dev/null 2>"$tmp/init.err" || give_up "init: $(cat "$tmp/init.err")"
"$bin" import --db "$pages_db" "$here/pages-base.jsonl" >/dev/null 2>"$tmp/import.err" ||
	give_up "import: $(cat "$tmp/import.err")"
while read -r id mail role org terr; do
	set -- --db "$pages_db" --id "$id" --email "$mail" --name "Compte $id" --role "$role"
	[ "$org" = - ] || set -- "$@" --organisation "$org"
	[ "$terr" = - ] || set -- "$@" --territory "$terr"
	printf '%s\n' "$password" | "$bin" user add "$@" >/dev/null 2>"$tmp/user.err" ||
		give_up "user add $id: $(cat "$tmp/user.err")"
done <<USERS
pap-x pap@x.test pap X A1
pap-y pap@y.test pap Y A
pap-z pap@z.test pap Z B
gest-x gest@x.test gestionnaire X A1
comite-a comite@a.test comite - A
analyste analyste@q.test analyste - -
admin admin@q.test admin - -
USERS
"$bin" import --db "$pages_db" "$here/pages-data.jsonl" >/dev/null 2>"$tmp/import.err" ||
	give_up "import: $(cat "$tmp/import.err")"
serve "$pages_db"
PROXIMA_PASSWORD="$password" run_node pages.mjs
# The same pages in English (english.mjs): no French name that has an
# English one, from the catalogue or from the reference data below.
query_tsv "$pages_db" "SELECT name, name_en FROM sector UNION ALL
  SELECT label_fr, label_en FROM ref_item UNION ALL
  SELECT label, label_en FROM portrait WHERE label_en IS NOT NULL" >"$tmp/french_names.tsv" ||
	give_up "cannot read the reference names"
FRENCH_NAMES="$tmp/french_names.tsv" PROXIMA_PASSWORD="$password" run_node english.mjs
stop_server

summary "$total_passed" "$total_failed"
[ "$total_failed" -eq 0 ]
