#!/bin/sh
# Checks a raw HTTP response against an .expect file. Each line of the
# .expect file is one assertion:
#   status 200                   the status code
#   header Name: text            header Name exists and its value contains text
#   no-header Name               header Name is absent
#   body text                    the body contains text
#   no-body text                 the body does not contain text
# Blank lines and lines starting with '#' are ignored. Prints the first
# failed assertion and exits 1.
set -u
resp=$1
expect=$2
[ -f "$expect" ] || { echo "missing $expect"; exit 1; }
head=$(mktemp)
body=$(mktemp)
trap 'rm -f "$head" "$body"' EXIT
# Split at the first empty line (CRLF).
awk 'BEGIN{h=1} { if (h) { sub(/\r$/, ""); if ($0 == "") { h=0; next } print > "'"$head"'" } else print > "'"$body"'" }' "$resp"
touch "$body"
status=$(head -1 "$head" | cut -d' ' -f2)
while IFS= read -r line || [ -n "$line" ]; do
	case "$line" in
	"" | "#"*) continue ;;
	"status "*)
		want=${line#status }
		[ "$status" = "$want" ] || { echo "status $status, expected $want"; exit 1; } ;;
	"header "*)
		spec=${line#header }
		name=${spec%%:*}
		text=${spec#*: }
		value=$(grep -i "^$name:" "$head" | head -1 | cut -d: -f2- | sed 's/^ //')
		[ -n "$value" ] || { echo "header $name missing"; exit 1; }
		case "$value" in *"$text"*) ;; *) echo "header $name is '$value', expected to contain '$text'"; exit 1 ;; esac ;;
	"no-header "*)
		name=${line#no-header }
		if grep -qi "^$name:" "$head"; then echo "header $name present"; exit 1; fi ;;
	"body "*)
		text=${line#body }
		grep -qF -- "$text" "$body" || { echo "body lacks '$text'"; exit 1; } ;;
	"no-body "*)
		text=${line#no-body }
		if grep -qF -- "$text" "$body"; then echo "body contains '$text'"; exit 1; fi ;;
	*) echo "bad assertion: $line"; exit 1 ;;
	esac
done <"$expect"
exit 0
