#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the tests (and for trying things):
# initdb in a directory of its own, Unix socket only, C collation (text
# sorts as SQLite's bytes do), durability off (fsync=off: a test cluster
# dies with its directory; the application still asks synchronous_commit).
# PG_DURABLE=1 keeps fsync and full-page writes on (benchmarks).
#   tests/pg_cluster.sh start DIR    initdb DIR if needed, start it, print
#                                    the libpq connection string of its
#                                    "postgres" database on standard output
#   tests/pg_cluster.sh stop DIR     stop it (the caller removes DIR)
# PostgreSQL refuses to run as root: under root the server runs as the
# "postgres" user that Debian's package creates. Clients connect as the
# superuser "proxima" (trust authentication on the socket, which only this
# machine's users reach, and only through DIR).
set -eu
cmd=${1:?usage: tests/pg_cluster.sh start|stop DIR}
dir=${2:?usage: tests/pg_cluster.sh start|stop DIR}
bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ -x "$bindir/initdb" ] || { echo "pg_cluster: no PostgreSQL 15 at $bindir (scripts/deps.sh test installs it)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_owner "$bindir/initdb" -D "$dir/data" -U proxima --auth=trust --no-locale -E UTF8 \
			>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	fi
	fast="-c fsync=off -c full_page_writes=off"
	[ "${PG_DURABLE:-0}" = 1 ] && fast=""
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' $fast \
-c max_connections=300 -c shared_buffers=64MB -c max_locks_per_transaction=128" start >/dev/null ||
		{ tail -20 "$dir/server.log" >&2; exit 1; }
	echo "host=$dir user=proxima dbname=postgres"
	;;
stop)
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
	;;
*) echo "usage: tests/pg_cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
