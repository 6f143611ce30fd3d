#!/usr/bin/env bash
# Proxima benchmark (make bench). Usage: bench/run.sh [PATH-TO-PROXIMA]
#
# Measures GET /healthz and GET / served by `proxima serve` (access log to a
# file) with wrk at 10 and 100 keep-alive connections, next to nginx serving
# static files with the same bytes as each response body (the baseline).
# Prints requests/s, p50/p99 latency, server CPU, errors, TCP connects, the
# peak RSS of proxima, the ratio proxima/nginx and whether the target is met:
#   GET / at 100 connections >= 50 % of nginx's figure, with p99 < 5 ms.
# See docs/performance.md.
#
# Everything lives in a temporary directory removed at exit; both servers
# bind to 127.0.0.1 only and are stopped by the exit trap.
#
# Environment (optional): BENCH_DURATION (s, default 10), BENCH_WARMUP (s,
# default 2), BENCH_WRK_THREADS (default 2), BENCH_CONNECTIONS (default
# "10 100"), BENCH_PATHS (default "/healthz /"), BENCH_PACE_MS (think time of
# the paced case, default 10; 0 skips it).
#
# Exit status: 0 when the measurement is valid (whether or not the target is
# met), 1 when it is not (setup failure, non-2xx responses, socket errors, or
# keep-alive not held), 2 on usage errors.
set -euo pipefail

bin=${1:-build/proxima}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-"10 100"}
PATHS=${BENCH_PATHS:-"/healthz /"}
TARGET_PATH=/
TARGET_CONNS=100
TARGET_RATIO=0.50
TARGET_P99_MS=5

here=$(cd "$(dirname "$0")" && pwd)
say() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

[ -x "$bin" ] || { printf 'bench: no executable at %s (build it: make)\n' "$bin" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
NGINX=$(command -v nginx || true)
if [ -z "$NGINX" ] && [ -x /usr/sbin/nginx ]; then NGINX=/usr/sbin/nginx; fi
[ -n "$NGINX" ] || die "nginx not found (scripts/deps.sh bench installs nginx-light)"
command -v wrk >/dev/null || die "wrk not found (scripts/deps.sh bench installs it)"
command -v curl >/dev/null || die "curl not found"
NCPU=$(nproc)
CLK_TCK=$(getconf CLK_TCK)

T=$(mktemp -d "${TMPDIR:-/tmp}/proxima-bench.XXXXXX")
proxima_pid=""
nginx_pid=""
nginx_workers=""
wrk_pid=""

stop_pids() { # stop_pids PID...: TERM, wait up to 5 s, then KILL
	local pid alive
	for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
	for _ in $(seq 50); do
		alive=0
		for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ "$alive" = 0 ] && return 0
		sleep 0.1
	done
	for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
}

# shellcheck disable=SC2317 # called by the trap
cleanup() {
	set +e
	[ -n "$wrk_pid" ] && kill -TERM "$wrk_pid" 2>/dev/null
	[ -n "$proxima_pid" ] && stop_pids "$proxima_pid"
	[ -n "$nginx_pid" ] && stop_pids "$nginx_pid"
	# Workers exit with their master; make sure of it.
	# shellcheck disable=SC2086
	[ -n "$nginx_workers" ] && stop_pids $nginx_workers
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ---------------------------------------------------------------

port_in_use() { # port_in_use PORT: listed in /proc/net/tcp{,6}?
	local hex
	hex=$(printf '%04X' "$1")
	grep -q ":$hex " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		port_in_use "$p" || { echo "$p"; return; }
	done
}

cpu_ticks() { # cpu_ticks PID...: utime+stime of the processes (all threads)
	local pid sum=0 t
	for pid in "$@"; do
		t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
		sum=$((sum + t))
	done
	echo "$sum"
}

machine_busy() { # CPU ticks spent by the whole machine (all cores), not idle
	awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
}

children_ticks() { # CPU of this shell's reaped children (wrk, via timeout)
	awk '{print $16 + $17}' "/proc/$$/stat"
}

# run_wrk LIMIT OUTPUT CMD...: runs wrk in the background and waits for it, so
# that a signal interrupts the wait (a foreground child would delay the trap).
run_wrk() {
	local limit=$1 output=$2 rc=0
	shift 2
	timeout -k 5 "$limit" "$@" >"$output" 2>&1 &
	wrk_pid=$!
	wait "$wrk_pid" || rc=$?
	wrk_pid=""
	return "$rc"
}

tcp_active_opens() { # connect()s so far in this network namespace
	awk '$1 == "Tcp:" { if (!h) { for (i = 1; i <= NF; i++) if ($i == "ActiveOpens") c = i; h = 1 }
	     else print $c }' /proc/net/snmp
}

status_kb() { # status_kb PID FIELD: e.g. VmHWM, in kB
	awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"
}

to_ms() { # wrk latency (e.g. 520.00us, 3.38ms, 1.02s) to milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000;
		else if (v ~ /s$/) n *= 1000
		printf "%.2f", n }'
}

wait_http() { # wait_http URL: up to 5 s for a 200
	for _ in $(seq 50); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}

# check_keepalive NAME URL: two requests on one connection, both 200, the
# second reusing the connection, no "Connection: close".
check_keepalive() {
	local out
	out=$(curl -sv -o /dev/null -o /dev/null -w '%{http_code}/%{num_connects} ' "$2" "$2" \
		2>"$T/curl.err") || { cat "$T/curl.err" >&2; die "$1: curl $2 failed"; }
	if [ "$out" != "200/1 200/0 " ]; then
		cat "$T/curl.err" >&2
		die "$1: $2 did not answer 200 twice on one keep-alive connection ($out)"
	fi
	if grep -qi '^< connection: *close' "$T/curl.err"; then
		die "$1: $2 answers with Connection: close"
	fi
	say "  keep-alive ok: $1 $2 (2 requests, 1 connection, no Connection: close)"
}

# --- machine ---------------------------------------------------------------

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "Proxima benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine : $NCPU cores, ${cpu_model:-unknown CPU}, Linux $(uname -r)"
say "software: $("$bin" version), $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
say "load    : $load_before (1/5/15 min) before the run"
b0=$(machine_busy)
sleep 1
b1=$(machine_busy)
busy_before=$(( 100 * (b1 - b0) / CLK_TCK ))
say "busy    : $busy_before % of one core in use during 1 s before the run"
if [ "$busy_before" -gt 10 ]; then
	say "WARNING : the machine is busy; figures will be disturbed (see column other)."
fi
say ""

# --- proxima ---------------------------------------------------------------

mkdir -p "$T/proxima" "$T/www" "$T/nginx/tmp"
"$bin" init --db "$T/proxima/proxima.db" >"$T/proxima/init.out" 2>&1 ||
	{ cat "$T/proxima/init.out" >&2; die "proxima init failed"; }
# wrk opens every connection from 127.0.0.1: the per-address cap (64 by
# default, a guard against one client holding the pool) would refuse most of
# the 100-connection cases, which stand for 100 clients; nginx has no cap.
proxima_cmd=("$bin" serve --db "$T/proxima/proxima.db" --listen 127.0.0.1:0
	--access-log "$T/proxima/access.log" --connections-per-address 1000)
"${proxima_cmd[@]}" >"$T/proxima/stdout" 2>"$T/proxima/stderr" &
proxima_pid=$!
pport=""
for _ in $(seq 50); do
	pport=$(sed -n 's|^proxima: listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$T/proxima/stdout")
	[ -n "$pport" ] && break
	kill -0 "$proxima_pid" 2>/dev/null || break
	sleep 0.1
done
[ -n "$pport" ] || { cat "$T/proxima/stderr" >&2; die "proxima did not start"; }
wait_http "http://127.0.0.1:$pport/healthz" || die "proxima does not answer /healthz"

# The baseline files: the very bytes proxima sends for each path.
declare -A file_of
for path in $PATHS; do
	case "$path" in
	/) f=home.html ;;
	/healthz | /api/*) f=$(printf '%s' "${path#/}" | tr -c 'A-Za-z0-9._-' '_').json ;;
	*) f=$(printf '%s' "${path#/}" | tr -c 'A-Za-z0-9._-' '_').html ;;
	esac
	file_of[$path]=$f
	code=$(curl -s -o "$T/www/$f" -w '%{http_code}' "http://127.0.0.1:$pport$path") || code=000
	[ "$code" = 200 ] || die "proxima: GET $path answered $code, not 200"
done

# --- nginx -----------------------------------------------------------------

user_line=""
if [ "$(id -u)" = 0 ]; then
	# As root, nginx's workers drop to nobody: they must be able to read the files.
	user_line="user nobody nogroup;"
	chmod 755 "$T" "$T/www"
	chmod 644 "$T"/www/*
fi
nport=""
for _ in 1 2 3 4 5; do
	nport=$(free_port)
	sed -e "s|@PREFIX@|$T/nginx|g" -e "s|@ROOT@|$T/www|g" -e "s|@PORT@|$nport|g" \
	    -e "s|@WORKERS@|$NCPU|g" -e "s|@USER@|$user_line|g" \
	    "$here/nginx.conf.in" >"$T/nginx/nginx.conf"
	nginx_cmd=("$NGINX" -p "$T/nginx/" -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log")
	"${nginx_cmd[@]}" >"$T/nginx/stdout" 2>&1 &
	nginx_pid=$!
	if wait_http "http://127.0.0.1:$nport/${file_of[${PATHS%% *}]}"; then
		break
	fi
	stop_pids "$nginx_pid"
	nginx_pid=""
done
[ -n "$nginx_pid" ] || { cat "$T/nginx/error.log" "$T/nginx/stdout" >&2 2>/dev/null; die "nginx did not start"; }
sleep 0.2
nginx_workers=$(pgrep -P "$nginx_pid" | tr '\n' ' ' || true)

for path in $PATHS; do
	cmp -s <(curl -sf "http://127.0.0.1:$nport/${file_of[$path]}") "$T/www/${file_of[$path]}" ||
		die "nginx does not serve the copy of $path"
	check_keepalive proxima "http://127.0.0.1:$pport$path"
	check_keepalive nginx "http://127.0.0.1:$nport/${file_of[$path]}"
done
say ""

# --- runs ------------------------------------------------------------------

declare -A RPS P50 P99 CPU ERR CONN OTHER WRKCPU
invalid=0
disturbed=0
OTHER_MAX=15 # % of one core used by other processes above which a case is "disturbed"
nruns=$(( $(wc -w <<<"$PATHS") * $(wc -w <<<"$CONNS") * 2 ))
# Besides the closed loop (every connection always busy), GET / at 100
# connections paced by bench/paced.lua: latency below saturation.
PACE_MS=${BENCH_PACE_MS:-10}
export BENCH_PACE_MS=$PACE_MS
do_paced=0
if [ "$PACE_MS" != 0 ] && [[ " $PATHS " == *" $TARGET_PATH "* ]]; then
	do_paced=1
	nruns=$((nruns + 2))
fi
PACE=""
run=0
wrk_cmds=()

measure() { # measure SERVER PATH CONNS URL PIDS...
	local server=$1 path=$2 c=$3 url=$4
	shift 4
	local key="$server|$path|$c${PACE:+|paced}"
	local out="$T/wrk.$server.$c${PACE:+.paced}.${file_of[$path]}.txt"
	local cmd=(wrk -t"$WRK_THREADS" -c"$c" -d"${DURATION}s" --latency)
	[ -n "$PACE" ] && cmd+=(-s "$here/paced.lua")
	cmd+=("$url")
	run=$((run + 1))
	wrk_cmds+=("${PACE:+BENCH_PACE_MS=$PACE }${cmd[*]}")
	run_wrk "$((WARMUP + 20))" /dev/null wrk -t"$WRK_THREADS" -c"$c" -d"${WARMUP}s" "$url" ||
		die "wrk warm-up failed: $url"
	local t0 o0 m0 w0 t1 o1 m1 w1
	t0=$(cpu_ticks "$@")
	o0=$(tcp_active_opens)
	m0=$(machine_busy)
	w0=$(children_ticks)
	run_wrk "$((DURATION + 20))" "$out" "${cmd[@]}" || { cat "$out" >&2; die "wrk failed: ${cmd[*]}"; }
	w1=$(children_ticks)
	m1=$(machine_busy)
	o1=$(tcp_active_opens)
	t1=$(cpu_ticks "$@")
	local rps p50 p99 reqs non2xx sockerr secs
	rps=$(awk '/^Requests\/sec:/ {printf "%d", $2}' "$out")
	reqs=$(awk '/ requests in / {print $1}' "$out")
	secs=$(awk '/ requests in / {sub(/s,$/, "", $4); print $4}' "$out")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
	sockerr=$(grep 'Socket errors:' "$out" || true)
	RPS[$key]=$rps
	P50[$key]=$p50
	P99[$key]=$p99
	CPU[$key]=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v s="${secs:-$DURATION}" \
		'BEGIN {printf "%d", 100 * t / hz / s}')
	CONN[$key]=$((o1 - o0))
	# Everything else the machine did meanwhile (other helpers, builds): should be ~0.
	OTHER[$key]=$(awk -v m=$((m1 - m0 - (t1 - t0) - (w1 - w0))) -v hz="$CLK_TCK" -v s="${secs:-$DURATION}" \
		'BEGIN {o = 100 * m / hz / s; printf "%d", (o < 0) ? 0 : o}')
	WRKCPU[$key]=$(awk -v w=$((w1 - w0)) -v hz="$CLK_TCK" -v s="${secs:-$DURATION}" \
		'BEGIN {printf "%d", 100 * w / hz / s}')
	local errs=0 note=""
	if [ -n "$non2xx" ]; then errs=$((errs + non2xx)); note="$note non-2xx=$non2xx"; fi
	if [ -n "$sockerr" ]; then
		errs=$((errs + $(tr -cd '0-9 ' <<<"$sockerr" | awk '{for (i = 1; i <= NF; i++) s += $i} END {print s + 0}')))
		note="$note ${sockerr#*Socket errors: }"
	fi
	ERR[$key]=$errs
	printf '[%d/%d] %-7s %-8s c=%-9s %8s req/s  p99 %6s ms  connects %-4s other CPU %s %%%s\n' \
		"$run" "$nruns" "$server" "$path" "$c${PACE:+ paced}" "$rps" "$p99" "${CONN[$key]}" "${OTHER[$key]}" \
		"${note:+  ERRORS:$note}"
	if [ "${OTHER[$key]}" -gt "$OTHER_MAX" ]; then disturbed=1; fi
	if [ "$errs" -gt 0 ]; then
		invalid=1
		say "        wrk output:"
		sed 's/^/        | /' "$out"
	fi
	# With keep-alive wrk connects c times; without, once per request.
	local limit=$((4 * c > 1000 ? 4 * c : 1000))
	if [ "${CONN[$key]}" -gt "$limit" ]; then
		invalid=1
		say "        keep-alive NOT held: ${CONN[$key]} TCP connects for $reqs requests"
	fi
}

say "Running: $nruns cases x (${WARMUP} s warm-up + ${DURATION} s measured), wrk -t$WRK_THREADS"
for path in $PATHS; do
	for c in $CONNS; do
		measure proxima "$path" "$c" "http://127.0.0.1:$pport$path" "$proxima_pid"
		# shellcheck disable=SC2086
		measure nginx "$path" "$c" "http://127.0.0.1:$nport/${file_of[$path]}" \
			"$nginx_pid" $nginx_workers
	done
done
if [ "$do_paced" = 1 ]; then
	PACE=$PACE_MS
	measure proxima "$TARGET_PATH" "$TARGET_CONNS" "http://127.0.0.1:$pport$TARGET_PATH" "$proxima_pid"
	# shellcheck disable=SC2086
	measure nginx "$TARGET_PATH" "$TARGET_CONNS" "http://127.0.0.1:$nport/${file_of[$TARGET_PATH]}" \
		"$nginx_pid" $nginx_workers
	PACE=""
fi

hwm=$(status_kb "$proxima_pid" VmHWM)
rss=$(status_kb "$proxima_pid" VmRSS)
nginx_hwm=0
for pid in $nginx_pid $nginx_workers; do
	nginx_hwm=$((nginx_hwm + $(status_kb "$pid" VmHWM || echo 0)))
done
plog=$(wc -l <"$T/proxima/access.log")
nlog=$(wc -l <"$T/nginx/access.log")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ----------------------------------------------------------------

say ""
say "Results ($DURATION s per case after $WARMUP s warm-up; latency in ms)"
say "CPU columns: CPU time / wall time, 100 = one core of $NCPU; srv = the server"
say "(proxima, or nginx master + workers), wrk = the load generator, other = the rest"
say "of the machine: other processes and hypervisor steal (should be ~0)."
say "connects = TCP connections opened on the machine during the measured run: the"
say "connection count (+1, wrk's probe) when keep-alive holds, plus any other process's."
say ""
fmt='%-8s %-13s %6s %5s %9s %7s %7s %5s %5s %5s %8s %6s\n'
# shellcheck disable=SC2059
printf "$fmt" server path bytes conns 'req/s' p50 p99 srv wrk other connects errors
printf '%s\n' "-----------------------------------------------------------------------------------------"
for path in $PATHS; do
	bytes=$(wc -c <"$T/www/${file_of[$path]}")
	for c in $CONNS; do
		for server in proxima nginx; do
			k="$server|$path|$c"
			shown=$path
			[ "$server" = nginx ] && shown="/${file_of[$path]}"
			# shellcheck disable=SC2059
			printf "$fmt" "$server" "$shown" "$bytes" "$c" "${RPS[$k]}" "${P50[$k]}" "${P99[$k]}" \
				"${CPU[$k]}" "${WRKCPU[$k]}" "${OTHER[$k]}" "${CONN[$k]}" "${ERR[$k]}"
		done
	done
done

say ""
say "proxima / nginx"
say ""
printf '%-9s %6s %12s %10s %7s %12s %10s\n' path conns 'proxima r/s' 'nginx r/s' ratio 'proxima p99' 'nginx p99'
printf '%s\n' "---------------------------------------------------------------------"
target_line="target not evaluated (BENCH_PATHS/BENCH_CONNECTIONS exclude GET / at 100)"
target_met=""
for path in $PATHS; do
	for c in $CONNS; do
		pr=${RPS[proxima|$path|$c]}
		nr=${RPS[nginx|$path|$c]}
		ratio=$(awk -v a="$pr" -v b="$nr" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
		printf '%-9s %6s %12s %10s %7s %12s %10s\n' "$path" "$c" "$pr" "$nr" "$ratio" \
			"${P99[proxima|$path|$c]}" "${P99[nginx|$path|$c]}"
		if [ "$path" = "$TARGET_PATH" ] && [ "$c" = "$TARGET_CONNS" ]; then
			p99=${P99[proxima|$path|$c]}
			ok_ratio=$(awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN {print ((r >= t) ? "yes" : "no")}')
			ok_p99=$(awk -v p="$p99" -v t="$TARGET_P99_MS" 'BEGIN {print ((p < t) ? "yes" : "no")}')
			if [ "$ok_ratio" = yes ] && [ "$ok_p99" = yes ]; then target_met=MET; else target_met="NOT MET"; fi
			target_line="TARGET $target_met: GET / at $c connections: ratio $ratio (need >= $TARGET_RATIO: $ok_ratio), p99 $p99 ms (need < $TARGET_P99_MS ms: $ok_p99)"
			target_line="$target_line
(With $c connections always busy, the mean latency is $c / req/s by Little's law:
 $(awk -v c="$c" -v r="$pr" 'BEGIN {printf "%.2f", (r > 0) ? 1000 * c / r : 0}') ms for proxima, $(awk -v c="$c" -v r="$nr" 'BEGIN {printf "%.2f", (r > 0) ? 1000 * c / r : 0}') ms for nginx, whatever the server does; see the paced figures.)"
		fi
	done
done
if [ "$do_paced" = 1 ]; then
	say ""
	say "Paced: GET $TARGET_PATH, $TARGET_CONNS connections, each waiting $PACE_MS ms between a response"
	say "and its next request (bench/paced.lua), i.e. below saturation: service latency."
	say ""
	# shellcheck disable=SC2059
	printf "$fmt" server path bytes conns 'req/s' p50 p99 srv wrk other connects errors
	printf '%s\n' "-----------------------------------------------------------------------------------------"
	bytes=$(wc -c <"$T/www/${file_of[$TARGET_PATH]}")
	for server in proxima nginx; do
		k="$server|$TARGET_PATH|$TARGET_CONNS|paced"
		shown=$TARGET_PATH
		[ "$server" = nginx ] && shown="/${file_of[$TARGET_PATH]}"
		# shellcheck disable=SC2059
		printf "$fmt" "$server" "$shown" "$bytes" "$TARGET_CONNS" "${RPS[$k]}" "${P50[$k]}" \
			"${P99[$k]}" "${CPU[$k]}" "${WRKCPU[$k]}" "${OTHER[$k]}" "${CONN[$k]}" "${ERR[$k]}"
	done
fi
say ""
say "$target_line"
say ""
say "proxima peak RSS (VmHWM): $((hwm / 1024)) MB ($hwm kB; VmRSS at the end $rss kB)"
say "nginx peak RSS (sum of VmHWM, master + $(wc -w <<<"$nginx_workers") workers): $nginx_hwm kB"
say "access logs written: proxima $plog lines, nginx $nlog lines (both to files)"
say "load    : $load_after (1/5/15 min) after the run"

say ""
say "Commands (temporary directory $T, removed at exit):"
say "  ${proxima_cmd[*]}"
say "    (port 0: proxima chose port $pport)"
say "  ${nginx_cmd[*]}"
say "    (bench/nginx.conf.in with port $nport, $NCPU workers, keepalive_requests 100000)"
say "  warm-up before each case: wrk -t$WRK_THREADS -cN -d${WARMUP}s URL"
for cmd in "${wrk_cmds[@]}"; do say "  $cmd"; done

if [ "$disturbed" != 0 ]; then
	say ""
	say "DISTURBED: other processes used more than $OTHER_MAX % of a core during some cases"
	say "(column other); run again on a quiet machine before trusting the figures."
fi
if [ "$invalid" != 0 ]; then
	say ""
	say "INVALID MEASUREMENT: errors or closed connections above; do not use these figures."
	exit 1
fi
exit 0
