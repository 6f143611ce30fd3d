#!/usr/bin/env bash
# Import benchmark (run by hand; not part of the tests).
#   bench/import.sh [PATH-TO-PROXIMA]          (default build/proxima: `make` first)
#
# Generates a JSON Lines file with awk: 4 territories, 8 organisations,
# 40 persons, 80 families (with nominative details), then N activities
# (default 1,000,000) with varied fields (types, places, durations,
# indirect time, counts, needs, strategies, outcomes, some notes in
# French with accents, some linked families, partners and joint PAP).
# It times `proxima import` of that file into a fresh database (after
# `proxima init`) and prints records/s, next to the baseline: the sqlite3
# command-line shell inserting the same activity rows (and their list rows)
# with plain INSERTs in one transaction, into the same schema, with the same
# settings (WAL, synchronous=FULL, foreign_keys=ON and the same page cache
# as the import: PRAGMA cache_size=-262144). A third line is the engine's
# floor: SQLite alone copying the same rows from the shell's database with
# INSERT ... SELECT (indexes dropped and built again at the end), with no
# parsing, validation or aggregates: an upper bound for any importer of these
# rows into this schema on this machine.
#
# Environment: BENCH_ACTIVITIES (default 1000000), BENCH_SEED (default 42),
# BENCH_KEEP=1 keeps the temporary directory. Target: >= 100,000 records/s.
# Exit status: 0 when the measurement ran (target met or not), 1 on failure,
# 2 on usage errors.
set -euo pipefail

bin=${1:-build/proxima}
N=${BENCH_ACTIVITIES:-1000000}
SEED=${BENCH_SEED:-42}
[ -x "$bin" ] || { echo "bench: no executable at $bin (build it: make)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 (the shell) not found" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
T=$(mktemp -d "${TMPDIR:-/tmp}/proxima-import-bench.XXXXXX")
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$T"' EXIT INT TERM

now_ns() { date +%s%N; }

echo "bench: generating $N activities in $T"
t0=$(now_ns)
awk -v N="$N" -v SEED="$SEED" -v JSON="$T/data.jsonl" -v SQL="$T/baseline.sql" \
    -v HEAD="$T/head.jsonl" '
function pick(n) { return int(rand() * n) + 1 }
# k distinct indexes of 1..n into out[1..k]
function distinct(n, k, out,    i, j, v, dup) {
	for (i = 1; i <= k; i++) {
		do {
			v = pick(n); dup = 0
			for (j = 1; j < i; j++) if (out[j] == v) dup = 1
		} while (dup)
		out[i] = v
	}
}
function jlist(name, arr, idx, k,    s, i) {
	if (k == 0) return ""
	s = ",\"" name "\":["
	for (i = 1; i <= k; i++) s = s (i > 1 ? "," : "") "\"" arr[idx[i]] "\""
	return s "]"
}
BEGIN {
	srand(SEED)
	ntypes = split("contact_informel demarchage accompagnement intervention_individuelle intervention_groupe activite_collective concertation liaison presentation_mandat intervention_crise codeveloppement", types, " ")
	split("demarchage demarchage accompagnement accompagnement accompagnement demarchage collaboration collaboration collaboration accompagnement collaboration", implied, " ")
	nplaces = split("domicile parc cafe_commerce local_communautaire point_de_service ecole rue organisme_partenaire telephone_virtuel autre", places, " ")
	nneeds = split("logement alimentation sante_mentale isolement francisation parentalite developpement_enfant revenu violence sante_physique dependances immigration_statut transport emploi scolarite autre", needs, " ")
	nstrat = split("s_inserer proximite_relationnelle proactif mise_en_reseau empowerment communaute_intervention", strats, " ")
	nout = split("lien_confiance orientation_ressource crise_desamorcee urgence_evitee participation_sociale reseau_soutien aidant acces_service", outs, " ")
	ncomp = split("demarchage accompagnement collaboration", comps, " ")
	split("pap personne partenaire", inits, " ")
	nnotes = split("Rencontre au parc avec une mère et son bébé, très isolée.|Accompagnement à la clinique : interprète en espagnol.|Café-rencontre « Parents d\x27ici et d\x27ailleurs », bonne participation.|Suivi téléphonique ; la famille a trouvé un logement.|Tournée du quartier, nouveaux contacts près de l\x27école.", notes, "|")
	nsec = split("MSSS MFA MEQ MIFI MESS COMM MUN POL", sectors, " ")
	for (t = 1; t <= 4; t++)
		printf "{\"kind\":\"territory\",\"id\":\"T%d\",\"name\":\"Territoire %d\",\"type\":\"%s\"}\n", t, t, (t % 2 ? "urbain" : "rural") > HEAD
	for (o = 1; o <= 8; o++)
		printf "{\"kind\":\"organisation\",\"id\":\"O%d\",\"name\":\"Organisation %d\",\"sector\":\"%s\",\"territories\":[\"T%d\"]}\n", o, o, sectors[o], (o - 1) % 4 + 1 > HEAD
	for (p = 1; p <= 40; p++) {
		porg[p] = (p - 1) % 8 + 1; pterr[p] = (porg[p] - 1) % 4 + 1
		printf "{\"kind\":\"person\",\"id\":\"P%d\",\"name\":\"Intervenante %d\",\"email\":\"pap%d@example.org\",\"role\":\"pap\",\"organisation\":\"O%d\",\"territory\":\"T%d\"}\n", p, p, p, porg[p], pterr[p] > HEAD
	}
	for (f = 1; f <= 80; f++)
		printf "{\"kind\":\"family\",\"id\":\"F%d\",\"organisation\":\"O%d\",\"code\":\"FAM-%03d\",\"opened\":\"2023-01-15\",\"consent\":{\"date\":\"2023-01-15\",\"language\":\"fr\",\"scopes\":[\"suivi\",\"reference\"]},\"nominative\":{\"name\":\"Famille %d\",\"phone\":\"514-555-%04d\"}}\n", f, (f - 1) % 8 + 1, f, f, f > HEAD
	close(HEAD)
	print "PRAGMA journal_mode=WAL;" > SQL
	print "PRAGMA synchronous=FULL;" > SQL
	print "PRAGMA foreign_keys=ON;" > SQL
	print "PRAGMA cache_size=-262144;" > SQL
	print "BEGIN;" > SQL
	for (i = 1; i <= N; i++) {
		a = pick(40); org = porg[a]; terr = pterr[a]
		date = sprintf("%04d-%02d-%02d", 2023 + int(rand() * 2), pick(12), pick(28))
		st = rand() < 0.5 ? sprintf("%02d:%02d", 8 + int(rand() * 10), int(rand() * 4) * 15) : ""
		ty = pick(ntypes)
		dur = 5 + int(rand() * 120)
		d1 = rand() < 0.4 ? int(rand() * 60) : 0
		d2 = rand() < 0.1 ? int(rand() * 60) : 0
		d3 = rand() < 0.5 ? int(rand() * 30) : 0
		d4 = rand() < 0.2 ? int(rand() * 30) : 0
		pl = rand() < 0.8 ? places[pick(nplaces)] : ""
		unpl = rand() < 0.3 ? 1 : 0
		ini = rand() < 0.7 ? inits[pick(3)] : ""
		ad = int(rand() * 5); c05 = int(rand() * 3); c617 = int(rand() * 3)
		fam = int(rand() * 2); people = ad + c05 + c617
		nc = people ? int(rand() * (people + 1)) : 0
		hr = people ? int(rand() * (people + 1)) : 0
		kn = int(rand() * 4); distinct(nneeds, kn, ni)
		ks = int(rand() * 3); distinct(nstrat, ks, si)
		ko = int(rand() * 3); distinct(nout, ko, oi)
		kc = rand() < 0.3 ? 1 : 0; if (kc) ci[1] = pick(ncomp)
		lf = rand() < 0.05 ? org + 8 * int(rand() * 10) : 0
		lp = rand() < 0.1 ? org % 8 + 1 : 0
		if (types[ty] == "presentation_mandat") lp = org % 8 + 1 # a partner is required
		lw = rand() < 0.05 ? a % 40 + 1 : 0
		nt = rand() < 0.2 ? notes[pick(nnotes)] : ""
		line = sprintf("{\"kind\":\"activity\",\"id\":\"A%07d\",\"author\":\"P%d\",\"territory\":\"T%d\",\"date\":\"%s\"", i, a, terr, date)
		if (st != "") line = line ",\"start_time\":\"" st "\""
		line = line sprintf(",\"duration_min\":%d,\"indirect\":{\"deplacement\":%d,\"interprete\":%d,\"redaction\":%d,\"preparation\":%d},\"type\":\"%s\"", dur, d1, d2, d3, d4, types[ty])
		line = line jlist("components", comps, ci, kc) jlist("strategies", strats, si, ks)
		if (pl != "") line = line ",\"place\":\"" pl "\""
		line = line ",\"unplanned\":" (unpl ? "true" : "false")
		if (ini != "") line = line ",\"initiated_by\":\"" ini "\""
		line = line sprintf(",\"counts\":{\"adults\":%d,\"children_0_5\":%d,\"children_6_17\":%d,\"families\":%d,\"new_contacts\":%d,\"hors_reseau\":%d}", ad, c05, c617, fam, nc, hr)
		if (lf) line = line ",\"families\":[\"F" lf "\"]"
		if (lp) line = line ",\"partners\":[\"O" lp "\"]"
		if (lw) line = line ",\"with_pap\":[\"P" lw "\"]"
		line = line jlist("needs", needs, ni, kn) jlist("outcomes", outs, oi, ko)
		if (nt != "") line = line ",\"note\":\"" nt "\""
		print line "}" > JSON
		# The same rows for the baseline (ids as `proxima init` + the head give them).
		q = nt; gsub(/\x27/, "\x27\x27", q)
		printf "INSERT INTO activity (id, ext_id, author_id, organisation_id, territory_id, date, start_time, duration_min, ind_deplacement, ind_interprete, ind_redaction, ind_preparation, type, place, unplanned, initiated_by, adults, children_0_5, children_6_17, families, new_contacts, hors_reseau, note, created_at, updated_at) VALUES (%d, \x27A%07d\x27, %d, %d, %d, \x27%s\x27, %s, %d, %d, %d, %d, %d, \x27%s\x27, %s, %d, %s, %d, %d, %d, %d, %d, %d, %s, 1700000000, 1700000000);\n", i, i, a, org, terr, date, (st == "" ? "NULL" : "\x27" st "\x27"), dur, d1, d2, d3, d4, types[ty], (pl == "" ? "NULL" : "\x27" pl "\x27"), unpl, (ini == "" ? "NULL" : "\x27" ini "\x27"), ad, c05, c617, fam, nc, hr, (nt == "" ? "NULL" : "\x27" q "\x27") > SQL
		printf "INSERT INTO activity_component VALUES (%d, \x27%s\x27);\n", i, (kc ? comps[ci[1]] : implied[ty]) > SQL
		for (k = 1; k <= ks; k++) printf "INSERT INTO activity_strategy VALUES (%d, \x27%s\x27);\n", i, strats[si[k]] > SQL
		for (k = 1; k <= kn; k++) printf "INSERT INTO activity_need VALUES (%d, \x27%s\x27);\n", i, needs[ni[k]] > SQL
		for (k = 1; k <= ko; k++) printf "INSERT INTO activity_outcome VALUES (%d, \x27%s\x27);\n", i, outs[oi[k]] > SQL
		if (lf) printf "INSERT INTO activity_family VALUES (%d, %d);\n", i, lf > SQL
		if (lp) printf "INSERT INTO activity_partner VALUES (%d, %d);\n", i, lp > SQL
		if (lw) printf "INSERT INTO activity_pap VALUES (%d, %d);\n", i, lw > SQL
	}
	print "COMMIT;" > SQL
}'
cat "$T/head.jsonl" "$T/data.jsonl" >"$T/import.jsonl"
rm "$T/data.jsonl"
records=$(wc -l <"$T/import.jsonl")
t1=$(now_ns)
echo "bench: generated $records records ($(du -h "$T/import.jsonl" | cut -f1)) in $(( (t1 - t0) / 1000000 )) ms"

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else printf "-" }'; }
# Runs "$@" under GNU time: real, user and system seconds into the file $1.
timed() {
	local out=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -o "$out" -f "%e %U %S" "$@"
	else
		local t0 t1
		t0=$(now_ns)
		"$@"
		t1=$(now_ns)
		awk -v ns="$((t1 - t0))" 'BEGIN { printf "%.2f 0 0\n", ns / 1e9 }' >"$out"
	fi
}

# proxima import
"$bin" init --db "$T/import.db" >/dev/null
timed "$T/import.time" "$bin" import --db "$T/import.db" "$T/import.jsonl"
read -r imp_real imp_user imp_sys <"$T/import.time"

# Baseline: the sqlite3 shell, same rows, same schema and settings. The
# head (territories, organisations, persons, families) is loaded by proxima
# first and is not timed.
"$bin" init --db "$T/base.db" >/dev/null
"$bin" import --db "$T/base.db" "$T/head.jsonl" >/dev/null
timed "$T/base.time" sqlite3 "$T/base.db" <"$T/baseline.sql" >/dev/null
read -r base_real base_user base_sys <"$T/base.time"

# The engine's floor: SQLite alone writing the same rows into the same
# schema, with the same settings, in one transaction: INSERT ... SELECT from
# the shell's database (attached), in id order, the activity tables'
# secondary indexes dropped first and built again at the end (as the import
# does into an empty journal). No parsing, no validation, no aggregates: no
# importer of these rows into this schema can be faster on this machine.
"$bin" init --db "$T/floor.db" >/dev/null
"$bin" import --db "$T/floor.db" "$T/head.jsonl" >/dev/null
lists="activity_component activity_strategy activity_need activity_outcome activity_family activity_partner activity_pap"
idx_where="type = 'index' AND sql IS NOT NULL AND tbl_name IN ('activity', $(printf "'%s'," $lists | sed 's/,$//'))"
{
	printf 'PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nPRAGMA foreign_keys=ON;\n'
	printf 'PRAGMA cache_size=-262144;\nATTACH %s AS s;\nBEGIN;\n' "'$T/base.db'"
	sqlite3 "$T/floor.db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE $idx_where"
	for t in activity $lists; do
		printf 'INSERT INTO main.%s SELECT * FROM s.%s ORDER BY 1, 2;\n' "$t" "$t"
	done
	sqlite3 "$T/floor.db" "SELECT sql || ';' FROM sqlite_master WHERE $idx_where"
	printf 'COMMIT;\n'
} >"$T/floor.sql"
timed "$T/floor.time" sqlite3 "$T/floor.db" <"$T/floor.sql" >/dev/null
read -r floor_real floor_user floor_sys <"$T/floor.time"

cpu() { awk -v u="$1" -v s="$2" 'BEGIN { printf "%.2f", u + s }'; }
imp_cpu=$(cpu "$imp_user" "$imp_sys")
base_cpu=$(cpu "$base_user" "$base_sys")
imp_rate=$(rate "$records" "$imp_real")
base_rate=$(rate "$N" "$base_real")
floor_cpu=$(cpu "$floor_user" "$floor_sys")
floor_rate=$(rate "$N" "$floor_real")
check() { sqlite3 "$1" "SELECT count(*) FROM activity; SELECT count(*) FROM activity_need;" | tr '\n' ' '; }
echo
printf '%-52s %8s %8s %11s %12s  %s\n' "what" "real s" "CPU s" "records/s" "per CPU-s" "rows (activities, needs)"
printf '%-52s %8.2f %8.2f %11s %12s  %s\n' "proxima import ($records records)" "$imp_real" "$imp_cpu" \
	"$imp_rate" "$(rate "$records" "$imp_cpu")" "$(check "$T/import.db")"
printf '%-52s %8.2f %8.2f %11s %12s  %s\n' "sqlite3 shell, plain INSERTs ($N activities)" "$base_real" \
	"$base_cpu" "$base_rate" "$(rate "$N" "$base_cpu")" "$(check "$T/base.db")"
printf '%-52s %8.2f %8.2f %11s %12s  %s\n' "SQLite floor, INSERT ... SELECT ($N activities)" "$floor_real" \
	"$floor_cpu" "$floor_rate" "$(rate "$N" "$floor_cpu")" "$(check "$T/floor.db")"
echo
awk -v r="$imp_rate" -v b="$base_rate" -v f="$floor_rate" 'BEGIN {
	printf "proxima/baseline: %.2f (target >= 5: %s); target >= 100000 records/s: %s\n", r / b,
	    (r >= 5 * b ? "met" : "NOT met"), (r >= 100000 ? "met" : "NOT met")
	printf "proxima/floor: %.2f; the floor itself: %.2f x the shell, %s 100000 records/s\n", r / f, f / b,
	    (f >= 100000 ? "above" : "below")
}'
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
