#!/bin/sh
# Sample reports for review: builds the demo database with a fixed clock,
# writes the comite report of territory A for the last year as PDF (French
# and English) and XLSX, and renders every PDF page as a PNG at 60 dpi into
# docs/reports/ (the PNGs are committed; the PDF and XLSX are not).
#   scripts/report-samples.sh [BIN]      (default build/proxima)
# Needs poppler-utils (pdftoppm), installed by scripts/deps.sh test.
set -eu
bin=${1:-build/proxima}
out=docs/reports
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# A fixed "now", so the demo data and the pages do not change between runs.
export PROXIMA_NOW=2026-06-30T12:00:00-04:00
"$bin" init --db "$tmp/demo.db" >/dev/null
"$bin" demo --db "$tmp/demo.db" >/dev/null

for lang in fr en; do
	"$bin" report --db "$tmp/demo.db" --territory A --from 2025-07-01 --to 2026-06-29 \
		--view comite --lang "$lang" --format pdf -o "$tmp/comite-A-$lang.pdf"
done
"$bin" report --db "$tmp/demo.db" --territory A --from 2025-07-01 --to 2026-06-29 \
	--view comite --format xlsx -o "$tmp/comite-A-fr.xlsx"

mkdir -p "$out"
rm -f "$out"/comite-A-*.png
for lang in fr en; do
	pdftoppm -png -r 60 "$tmp/comite-A-$lang.pdf" "$out/comite-A-$lang"
done
if [ "${KEEP:-0}" = 1 ]; then
	cp "$tmp"/comite-A-*.pdf "$tmp"/comite-A-fr.xlsx "$out"/
fi
ls "$out"
