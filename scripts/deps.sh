#!/bin/sh
# Installs the Debian packages Proxima needs for a purpose, only those
# missing. Usage: scripts/deps.sh build|test|bench|browser|lint
#   scripts/deps.sh check   checks that every pkg-config package the Makefile
#                           links (PKGS) comes from a Debian package of the
#                           build list, so that `make run` builds on a fresh
#                           machine (run by tests/run.sh; needs them installed)
set -eu
purpose=${1:-build}
build="build-essential pkg-config gettext tzdata libmicrohttpd-dev libsqlite3-dev libpq-dev libsodium-dev libjansson-dev libcairo2-dev libpango1.0-dev libxlsxwriter-dev liboath-dev libcurl4-openssl-dev fonts-dejavu-core"
if [ "$purpose" = check ]; then
	cd "$(dirname "$0")/.."
	pkgs=$(sed -n 's/^PKGS :=//p' Makefile)
	[ -n "$pkgs" ] || { echo "deps check: no PKGS line in the Makefile" >&2; exit 1; }
	bad=0
	for pc in $pkgs; do
		dir=$(pkg-config --variable=pcfiledir "$pc" 2>/dev/null) || dir=""
		owner=""
		[ -n "$dir" ] && owner=$(dpkg-query -S "$dir/$pc.pc" 2>/dev/null | cut -d: -f1)
		if [ -z "$owner" ]; then
			echo "deps check: $pc: no installed Debian package provides $pc.pc" >&2
			bad=1
		elif ! echo " $build " | grep -q " $owner "; then
			echo "deps check: $pc: its package $owner is not in the build list of scripts/deps.sh" >&2
			bad=1
		fi
	done
	[ "$bad" = 0 ] && echo "deps check: the $(echo $pkgs | wc -w) pkg-config packages of the Makefile come from the build list"
	exit "$bad"
fi
case "$purpose" in
build) pkgs="$build" ;;
test) pkgs="$build postgresql-15 libcmocka-dev libcurl4-openssl-dev curl sqlite3 poppler-utils libreoffice-calc-nogui" ;;
bench) pkgs="$build postgresql-15 wrk nginx-light sqlite3 procps" ;;
lint) pkgs="$build clang-format cppcheck" ;;
*) echo "deps.sh: unknown purpose '$purpose'" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps: need root to install:$missing" >&2; exit 1
	fi
else
	SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
