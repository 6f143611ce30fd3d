#!/bin/sh
# Regenerates the seed corpora of the fuzzers (tests/fuzz/corpus/*) from
# the raw requests of tests/http/raw/, the credentials fixed in
# fuzz_request.c and the interchange examples below. Files the fuzzers
# found later (minimised, named by their SHA-1) are kept; only the seeds
# written here (named seed-*) are replaced.
#   tests/fuzz/make_seeds.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
req="$here/corpus/request"
form="$here/corpus/form"
imp="$here/corpus/import"
mkdir -p "$req" "$form" "$imp"
rm -f "$req"/seed-* "$form"/seed-* "$imp"/seed-*

CSRF=csrf___0123456789abcdefghijklmnopqrstuvwxyz
PX=sessPX_0123456789abcdefghijklmnopqrstuvwxyz
GX=sessGX_0123456789abcdefghijklmnopqrstuvwxyz
PY=sessPY_0123456789abcdefghijklmnopqrstuvwxyz
AD=sessAD_0123456789abcdefghijklmnopqrstuvwxyz
BEARER=bearGX_0123456789abcdefghijklmnopqrstuvwxyz
# Signed in, the CSRF token is the one bound to the session (src/auth/csrf.c:
# base64url of BLAKE2b-256 keyed with "proxima csrf token, v1", zero-padded
# to 32 bytes, over the session token). Signed out, it is the cookie's, CSRF.
PX_CSRF=_M6cqE362Gl7i8J2QOGhOrEh-iol2g4qT_FmVmSg0JI
GX_CSRF=Vm7cqtuxZGHde2BxV9v1hFuzxsaZcPtixc-3fH4g4lg
PY_CSRF=CxhexEmZiSGMkNX-7bZ7pzu05nigHBNI2cdF7RdCL-E
AD_CSRF=8Gs6yF2DNke1xPKuPnBprF0gskunYXuR7P02lAmczfY

for f in "$root"/tests/http/raw/*.req; do
	cp "$f" "$req/seed-raw-$(basename "$f" .req)"
done

# seed NAME METHOD TARGET AUTH [CONTENT-TYPE BODY-FILE|-]
#   AUTH: px, gx, py, ad (session cookie + CSRF), bearer, none
seed() {
	name=$1 method=$2 target=$3 auth=$4
	out="$req/seed-$name"
	{
		printf '%s %s HTTP/1.1\r\nHost: localhost\r\n' "$method" "$target"
		case $auth in
		px) s=$PX t=$PX_CSRF ;; gx) s=$GX t=$GX_CSRF ;; py) s=$PY t=$PY_CSRF ;;
		ad) s=$AD t=$AD_CSRF ;; *) s= t= ;;
		esac
		if [ -n "$s" ]; then
			printf 'Cookie: proxima_session=%s; proxima_csrf=%s; lang=fr\r\n' "$s" "$CSRF"
			printf 'X-CSRF-Token: %s\r\n' "$CSRF"
		elif [ "$auth" = bearer ]; then
			printf 'Authorization: Bearer %s\r\n' "$BEARER"
		fi
		if [ $# -ge 6 ]; then
			printf 'Content-Type: %s\r\n' "$5"
			printf 'Content-Length: %s\r\n\r\n' "$(wc -c <"$6" | tr -d ' ')"
			cat "$6"
		else
			printf '\r\n'
		fi
	} >"$out"
	# The session's own token in place of the signed-out one (same length).
	if [ -n "$t" ]; then
		sed "s/$CSRF/$t/g" "$out" >"$out.tmp" && mv "$out.tmp" "$out"
	fi
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# Pages.
seed page-home-px GET / px
{
	printf 'POST /connexion HTTP/1.1\r\nHost: localhost\r\n'
	printf 'X-Forwarded-For: 203.0.113.7, 198.51.100.1\r\nX-Forwarded-Proto: https\r\n'
	printf 'Cookie: proxima_csrf=%s; proxima_device=%s\r\n' "$CSRF" "$BEARER"
	printf 'Content-Type: application/x-www-form-urlencoded\r\n'
	body="courriel=px%40x.test&mot_de_passe=faux&csrf_token=$CSRF"
	printf 'Content-Length: %s\r\n\r\n%s' "${#body}" "$body"
} >"$req/seed-form-login-forwarded"
seed page-journal GET '/journal?semaine=2025-W11' px
seed page-journal-new GET '/journal/nouvelle?famille=1' px
seed page-journal-indirect GET /journal/indirect px
seed page-journal-team GET /journal/equipe gx
seed page-journal-edit GET /journal/1/modifier px
seed page-journal-delete GET /journal/1/supprimer px
seed page-families GET /familles px
seed page-family GET '/familles/1?ok=1' gx
seed page-family-new GET /familles/nouvelle px
seed page-login GET '/connexion?suivant=%2Fjournal' none
seed page-journal-anon GET /journal none
printf 'courriel=px%%40x.test&mot_de_passe=motdepasse-fuzz-1&suivant=%%2Fjournal&csrf_token=%s' "$CSRF" >"$tmp"
{
	printf 'POST /connexion HTTP/1.1\r\nHost: localhost\r\n'
	printf 'Cookie: proxima_csrf=%s\r\n' "$CSRF"
	printf 'Content-Type: application/x-www-form-urlencoded\r\n'
	printf 'Content-Length: %s\r\n\r\n' "$(wc -c <"$tmp" | tr -d ' ')"
	cat "$tmp"
} >"$req/seed-form-login"
printf 'csrf_token=%s' "$CSRF" >"$tmp"
seed form-logout POST /deconnexion px application/x-www-form-urlencoded "$tmp"
printf 'csrf_token=%s&lang=en&retour=%%2Fjournal' "$CSRF" >"$tmp"
seed form-langue POST /langue px application/x-www-form-urlencoded "$tmp"
printf 'csrf_token=%s&date=2025-03-11&start_time=09%%3A15&duration_min=45&type=accompagnement&place=domicile&unplanned=on&initiated_by=pap&counts.adults=2&counts.children_0_5=1&counts.children_6_17=0&counts.families=1&counts.new_contacts=0&counts.hors_reseau=0&components=accompagnement&strategies=proactif&needs=logement&needs=francisation&outcomes=lien_confiance&families=1&partners=2&territory=1&indirect.deplacement=10&note=Une+note+%%C3%%A9crite' "$CSRF" >"$tmp"
seed form-journal-new POST /journal/nouvelle px application/x-www-form-urlencoded "$tmp"
printf 'csrf_token=%s&date=2025-03-11&type=liaison&indirect.redaction=20&indirect.preparation=5&note=' "$CSRF" >"$tmp"
seed form-journal-indirect POST /journal/indirect px application/x-www-form-urlencoded "$tmp"
printf 'csrf_token=%s&date=2025-03-10&duration_min=60&type=accompagnement&place=parc&territory=1' "$CSRF" >"$tmp"
seed form-journal-edit POST /journal/1/modifier px application/x-www-form-urlencoded "$tmp"
printf 'csrf_token=%s' "$CSRF" >"$tmp"
seed form-journal-delete POST /journal/1/supprimer px application/x-www-form-urlencoded "$tmp"
printf 'csrf_token=%s&purpose=suivi&nominative.name=L%%C3%%A9a&nominative.phone=514-555-0000&nominative.address=1+rue' "$CSRF" >"$tmp"
seed form-family-contact POST /familles/1/coordonnees px application/x-www-form-urlencoded "$tmp"

# A multipart form (the family form), with a file part.
B=----fuzzBoundary7MA4YWxk
{
	printf -- '--%s\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n%s\r\n' "$B" "$CSRF"
	printf -- '--%s\r\nContent-Disposition: form-data; name="code"\r\n\r\nX-0042\r\n' "$B"
	printf -- '--%s\r\nContent-Disposition: form-data; name="opened"\r\n\r\n2025-03-01\r\n' "$B"
	printf -- '--%s\r\nContent-Disposition: form-data; name="consent.date"\r\n\r\n2025-03-01\r\n' "$B"
	printf -- '--%s\r\nContent-Disposition: form-data; name="consent.language"\r\n\r\nfr\r\n' "$B"
	printf -- '--%s\r\nContent-Disposition: form-data; name="consent.suivi"\r\n\r\non\r\n' "$B"
	printf -- '--%s\r\nContent-Disposition: form-data; name="nominative.name"\r\n\r\nJos\303\251e\r\n' "$B"
	printf -- '--%s\r\nContent-Disposition: form-data; name="piece"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\nbonjour\r\n' "$B"
	printf -- '--%s--\r\n' "$B"
} >"$tmp"
seed multipart-family-new POST /familles/nouvelle px "multipart/form-data; boundary=$B" "$tmp"
cp "$tmp" "$form/seed-multipart-body"
{
	printf 'multipart/form-data; boundary="%s"\n' "$B"
	cat "$tmp"
} >"$form/seed-multipart"

# The API.
seed api-me GET /api/v1/me bearer
seed api-me-session GET /api/v1/me px
seed api-reference GET /api/v1/reference/need bearer
seed api-activities GET '/api/v1/activities?from=2025-01-01&to=2025-12-31&limit=10&offset=0&type=accompagnement&author=px' gx
seed api-activity GET /api/v1/activities/a1 px
seed api-families GET '/api/v1/families?purpose=suivi' gx
seed api-family GET '/api/v1/families/f1?purpose=suivi' px
seed api-healthz GET /api/v1/healthz none
cat >"$tmp" <<'EOF'
{"id":"fz1","kind":"activity","date":"2025-03-11","start_time":"14:00","duration_min":60,"indirect":{"deplacement":15,"interprete":0,"redaction":10,"preparation":5},"type":"accompagnement","components":["accompagnement"],"strategies":["proactif"],"place":"domicile","unplanned":false,"initiated_by":"pap","counts":{"adults":2,"children_0_5":1,"children_6_17":0,"families":1,"new_contacts":1,"hors_reseau":0},"families":["f1"],"partners":["Y"],"with_pap":["gx"],"needs":["logement"],"outcomes":["lien_confiance"],"note":"Rencontre \u00e0 domicile \ud83d\ude00","territory":"A","author":"px"}
EOF
seed api-activity-create POST /api/v1/activities px application/json "$tmp"
# Idempotency keys: "fuzz-key-1" has a stored answer (fuzz_request.c's
# warm-up request): replayed on the same path, refused on another.
idem() {
	{
		printf '%s HTTP/1.1\r\nHost: localhost\r\n' "$2"
		printf 'Authorization: Bearer %s\r\nIdempotency-Key: %s\r\n' "$BEARER" "$3"
		printf 'Content-Type: application/json; charset=utf-8\r\n'
		printf 'Content-Length: %s\r\n\r\n' "$(wc -c <"$tmp" | tr -d ' ')"
		cat "$tmp"
	} >"$req/seed-$1"
}
idem api-activity-create-bearer-idem 'POST /api/v1/activities' fuzz-key-2
idem api-activity-idem-replay 'POST /api/v1/activities' fuzz-key-1
idem api-activity-idem-conflict 'PUT /api/v1/activities/a1' fuzz-key-1
sed 's/"id":"fz1",//' "$tmp" >"$tmp.put"
seed api-activity-put PUT /api/v1/activities/a1 px application/json "$tmp.put"
rm -f "$tmp.put"
printf '{"note":null,"counts":{"adults":3},"needs":["logement","francisation"],"indirect":{"redaction":null}}' >"$tmp"
seed api-activity-patch PATCH /api/v1/activities/a1 px application/json "$tmp"
seed api-activity-delete DELETE /api/v1/activities/a1 px
cat >"$tmp" <<'EOF'
{"id":"fz-f2","kind":"family","organisation":"X","code":"X-0099","follower":"px","opened":"2025-03-01","consent":{"date":"2025-03-01","language":"fr","scopes":["suivi","reference"]},"nominative":{"name":"Jos\u00e9e","phone":"819-555-0100","address":"2 rue"}}
EOF
seed api-family-create POST '/api/v1/families?purpose=suivi' px application/json "$tmp"

# The form fuzzer: first line = a header value (Content-Type, Cookie,
# Accept-Language, timestamp), the rest = a body.
printf 'application/x-www-form-urlencoded\na=1&b=x%%20y&c=%%C3%%A9t%%C3%%A9&d&=e&f=g+h' >"$form/seed-urlencoded"
printf 'proxima_session=abc; proxima_csrf="quoted"; lang=en; bare; x=\n' >"$form/seed-cookie"
printf 'en-CA,en;q=0.9,fr;q=0.5, *;q=0.1\n' >"$form/seed-accept-language"
printf '2025-03-09T02:30\n' >"$form/seed-timestamp-gap"
printf '2024-11-03T01:30:00\n' >"$form/seed-timestamp-overlap"
printf '2024-02-29T23:59:59+05:30\n' >"$form/seed-timestamp-offset"
printf '2025-01-01 00:00Z\n' >"$form/seed-timestamp-z"
printf 'text/plain\n\303\251\342\202\254\360\237\230\200\355\237\277\364\217\277\277' >"$form/seed-utf8"
printf '198.51.100.7, 10.0.0.1,203.0.113.9\n' >"$form/seed-xff-chain"
printf 'unknown, [2001:DB8::1]\t\n' >"$form/seed-xff-v6"
printf '::ffff:192.0.2.1\n' >"$form/seed-xff-mapped"
printf '203.0.113.9:443, 1.2.3.4,\n' >"$form/seed-xff-bad"

# The import fuzzer: JSON Lines.
cat >"$imp/seed-every-kind" <<'EOF'
{"kind":"sector","id":"REG","name":"Régional — ajouté"}
{"kind":"territory","id":"R","name":"Région","type":"mixte"}
{"kind":"territory","id":"A","name":"Territoire A — Montréal-Nord","type":"urbain","parent":"R"}
{"kind":"territory","id":"Q","name":"Québec"}
{"kind":"territory","id":"R","name":"Région","type":"mixte","parent":"Q"}
{"kind":"portrait","id":"A-imm","territory":"A","indicator":"immigrants","label":"Population immigrante","value":31.45,"unit":"%","period_start":"2021-01-01","period_end":"2021-12-31","source":"Recensement"}
{"kind":"organisation","id":"X","name":"CLSC X","sector":"MSSS","territories":["A"]}
{"kind":"organisation","id":"Y","name":"Maison de la famille « Y »","sector":"REG","territories":["A","R"]}
{"kind":"ref_item","id":"need:aide_devoirs:Y","list":"need","code":"aide_devoirs","label_fr":"Aide aux devoirs","label_en":"Homework help","organisation":"Y","sort":20}
{"kind":"person","id":"p1","name":"Émilie Tremblay","email":"emilie@x.example","role":"pap","organisation":"X","territory":"A"}
{"kind":"person","id":"p2","name":"Karim Benali","role":"pap","organisation":"Y","territory":"A"}
{"kind":"person","id":"g1","name":"Gestionnaire X","email":"g1@x.example","role":"gestionnaire","organisation":"X","active":false}
{"kind":"position","id":"pos1","organisation":"X","territory":"A","start":"2023-01-01","contact":"514 555-0000","holders":[{"person":"p1","from":"2023-01-01","to":"2023-12-31"},{"person":"g1","from":"2024-01-01"}],"mandate":{"components":["demarchage","accompagnement","collaboration"],"items":[{"population":"familles_0_5","activity":"contact_informel"},{"population":"familles_immigrantes","activity":"accompagnement"}]}}
{"kind":"family","id":"f1","organisation":"X","code":"X-001","opened":"2024-01-10","follower":"p1","consent":{"date":"2024-01-10","language":"es","scopes":["suivi","reference","citation"]},"nominative":{"name":"María José Ñúñez","phone":"514-555-0101","address":"1 rue des Érables"}}
{"kind":"family","id":"f2","organisation":"Y","code":"Y-7","opened":"2022-05-01","closed":"2023-05-01","anonymised_at":"2024-06-01T10:00"}
{"kind":"activity","id":"a1","author":"p1","territory":"A","date":"2024-03-05","start_time":"10:30","duration_min":90,"indirect":{"deplacement":60,"interprete":45,"redaction":30,"preparation":15},"type":"accompagnement","strategies":["proximite_relationnelle","proactif"],"place":"domicile","unplanned":true,"initiated_by":"pap","counts":{"adults":2,"children_0_5":1,"children_6_17":0,"families":1,"new_contacts":1,"hors_reseau":1},"families":["f1"],"partners":["Y"],"with_pap":["p2"],"needs":["logement","francisation"],"outcomes":["lien_confiance"],"note":"Visite « à domicile » avec interprète <espagnol>\n\tdeuxième ligne \"citée\" \ud83d\ude00"}
{"kind":"activity","id":"a2","author":"p2","territory":"A","date":"2024-03-06","duration_min":0,"indirect":{"redaction":20},"type":"liaison","needs":["aide_devoirs"]}
{"kind":"activity","id":"a3","author":"p1","territory":"A","date":"2024-02-01","duration_min":15,"type":"contact_informel","deleted_at":"2024-02-02T08:00:00-05:00"}
{"kind":"corridor","id":"c1","territory":"A","name":"Logement d'urgence","need":"logement","population":"familles_0_5","entry_organisation":"Y","target_days":2.5,"consent_languages":["fr","es"],"template_fields":["besoin","urgence"],"portrait_indicators":["immigrants"],"active_from":"2024-01-01","active_to":"2025-12-31"}
{"kind":"referral","id":"r1","family":"f1","from_organisation":"X","to_organisation":"Y","corridor":"c1","need":"logement","first_contact_at":"2024-03-05T10:30","sent_at":"2024-03-05T14:00","received_at":"2024-03-06T09:00-05:00","closed_at":"2024-03-08T12:00","outcome":"reorientee","sender":"p1","reason":"Liste d'attente","fields":{"besoin":"logement","urgence":3,"détails":[true,null,1.5]}}
{"kind":"referral","id":"r2","family":"f1","from_organisation":"Y","to_organisation":"X","sent_at":"2024-03-08T12:00Z","outcome":"reorientee","closed_at":"2024-03-09T12:00","previous":"r1","loop_detected":true}
{"kind":"referral","id":"r3","family":"f1","from_organisation":"X","to_organisation":"Y","sent_at":"2024-03-10T09:00","taken_at":"2024-03-11T09:00","outcome":"prise_en_charge","previous":"r2"}
{"kind":"referral","id":"r0","family":"f1","from_organisation":"Y","to_organisation":"X","sent_at":"2024-03-01T09:00","outcome":"reorientee"}
{"kind":"referral","id":"r1","family":"f1","from_organisation":"X","to_organisation":"Y","corridor":"c1","need":"logement","first_contact_at":"2024-03-05T10:30","sent_at":"2024-03-05T14:00","received_at":"2024-03-06T09:00-05:00","closed_at":"2024-03-08T12:00","outcome":"reorientee","sender":"p1","previous":"r0","fields":{"besoin":"logement","urgence":3}}
{"kind":"supervision","id":"s1","person":"p1","supervisor":"g1","date":"2024-03-01","hours":1.5,"type":"individuelle","note":"Bilan du mois"}
{"kind":"support_request","id":"sr1","person":"p1","date":"2024-03-02","addressed_to":"gestionnaire","type":"charge","urgency":"haute","text":"Besoin d'un débriefing","acknowledged_at":"2024-03-02T15:00","closed_at":"2024-03-04T10:00","resolution":"Rencontre faite"}
{"kind":"project","id":"pr1","territory":"A","name":"Projet d'arrimage A","start":"2024-01-01","end":"2024-12-31","organisations":["X","Y"],"goals":"Réduire les délais","families_count":12,"survey_token":"tok-abc"}
{"kind":"survey","id":"sv1","type":"pap","person":"p1","territory":"A","date":"2024-03-15","score":4,"comment":"Ça va mieux"}
{"kind":"survey","id":"sv2","type":"famille","project":"pr1","territory":"A","date":"2024-03-16","score":5}
{"kind":"service_gap","id":"gap1","territory":"A","date":"2024-03-05","need":"logement","author":"p1","description":"Aucun logement d'urgence","population":"familles_0_5","frequency":"mensuel","corridor":"c1","project":"pr1"}
{"kind":"story","id":"st1","author":"p1","date":"2024-03-20","text":"Une mère a repris confiance — « merci ».","activity":"a1","family":"f1","project":"pr1","territory":"A","strategies":["proximite_relationnelle"],"outcomes":["lien_confiance","acces_service"],"needs":["logement"],"components":["accompagnement"],"consent_quote":true,"selected":true,"selection_reason":"Exemple fort","selected_by":"g1","selected_at":"2024-04-01T09:00"}
{"kind":"story","id":"st2","author":"p1","date":"2024-02-03","text":"Récit lié à une activité supprimée.","activity":"a3"}
EOF
# One file per line as well, short inputs mutate faster: persons renamed to
# those of the fuzzer's base database (fuzz_common.h), so that each line's
# references resolve on their own.
n=0
sed -e 's/"p1"/"px"/g' -e 's/"p2"/"py"/g' -e 's/"g1"/"gx"/g' "$imp/seed-every-kind" |
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" >"$imp/seed-line-$(printf '%02d' $n)"
	done
# Updates of the records the fuzzer's base already holds, and a BOM + CRLF.
printf '\357\273\277{"kind":"activity","id":"a1","author":"px","territory":"A","date":"2025-03-10","duration_min":45,"type":"accompagnement","families":["f1"]}\r\n\r\n  \t\r\n{"kind":"family","id":"f1","organisation":"X","code":"X-001","opened":"2025-01-10","nominative":{"name":"Autre nom"}}\r\n' >"$imp/seed-update-bom-crlf"
printf '{"kind":"person","id":"px","name":"Pap X","role":"pap","organisation":"X","territory":"A","unknown_field":{"nested":[1,2.5e3,-0,true,null]}}\n' >"$imp/seed-update-person"
# Only the bold fields of each kind of interchange.md (tests/unit/test_contract.c),
# on the fuzzer's base; a presentation of mandate without partners, 0 minutes.
cat >"$imp/seed-contract-bold-only" <<'EOF'
{"kind":"sector","id":"S-min","name":"Secteur minimal"}
{"kind":"territory","id":"T-min","name":"Territoire minimal"}
{"kind":"portrait","id":"P-min","territory":"T-min","indicator":"ind","value":6.01}
{"kind":"organisation","id":"O-min","name":"Organisme minimal","sector":"S-min"}
{"kind":"person","id":"pers-min","name":"Personne minimale","role":"pap"}
{"kind":"position","id":"pos-min","organisation":"O-min","territory":"T-min","start":"2024-01-01"}
{"kind":"family","id":"fam-min","organisation":"O-min","code":"M-1","opened":"2024-01-10"}
{"kind":"activity","id":"act-min","author":"px","territory":"T-min","date":"2024-03-05","duration_min":45,"type":"presentation_mandat"}
{"kind":"activity","id":"act-min0","author":"px","territory":"A","date":"2024-03-05","duration_min":0,"type":"contact_informel"}
{"kind":"corridor","id":"cor-min","territory":"T-min","name":"Corridor minimal","entry_organisation":"O-min"}
{"kind":"referral","id":"ref-min","family":"fam-min","from_organisation":"O-min","to_organisation":"X","sent_at":"2024-03-05T14:00"}
{"kind":"supervision","id":"sup-min","person":"pers-min","date":"2024-03-01","hours":1.25}
{"kind":"support_request","id":"sr-min","person":"pers-min","date":"2024-03-02"}
{"kind":"survey","id":"sv-min","type":"famille","territory":"T-min","date":"2024-03-16","score":3}
{"kind":"project","id":"pr-min","territory":"T-min","name":"Projet minimal","start":"2024-01-01"}
{"kind":"service_gap","id":"gap-min","territory":"T-min","date":"2024-03-05","need":"logement"}
{"kind":"story","id":"st-min","author":"pers-min","date":"2024-03-20","text":"Un récit, rien de plus."}
EOF
printf '{"kind":"activity","id":"a-1900","author":"px","territory":"A","date":"1900-01-01","duration_min":30,"type":"contact_informel","counts":{"adults":-1,"new_contacts":2}}\n' >"$imp/seed-activity-old-date"
# The API: a presentation of mandate with only the bold fields, a delete
# with a body (every field unknown).
printf '{"id":"fz-min","author":"px","territory":"A","date":"2025-03-11","duration_min":0,"type":"presentation_mandat"}' >"$tmp"
seed api-activity-create-bold POST /api/v1/activities px application/json "$tmp"
printf '{"why":"doublon"}' >"$tmp"
seed api-activity-delete-body DELETE /api/v1/activities/a2 gx application/json "$tmp"
echo "seeds: $(ls "$req" | wc -l) request, $(ls "$form" | wc -l) form, $(ls "$imp" | wc -l) import"
