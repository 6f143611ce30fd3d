#!/bin/sh
# Installs the Debian packages Proxima needs for a purpose, only those
# missing. Usage: scripts/deps.sh build|test|bench|browser|lint
set -eu
purpose=${1:-build}
build="build-essential pkg-config gettext tzdata libmicrohttpd-dev libsqlite3-dev libpq-dev libsodium-dev libjansson-dev libcairo2-dev libpango1.0-dev libxlsxwriter-dev liboath-dev fonts-dejavu-core"
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
