# Shared by the CLI tests (sourced, not run): a scratch directory removed
# at exit with any server left running, the checks that count passes and
# failures, and the ways to run the binary and its server. Set NAME
# before sourcing.
BIN=${BF_BINARY:?BF_BINARY names the borderflow binary}
# curl records each answer for the contract test (tests/util/bin/curl).
PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/../util/bin" && pwd):$PATH"
export BF_CONTRACT_FROM="$NAME"
SRC=${BF_SOURCE_DIR:?}
T="${BF_TMP:-/tmp}/$NAME-$$"
rm -rf "$T" && mkdir -p "$T"
passed=0
failed=0
SERVER_PID=""

cleanup() {
	[ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "not ok - $1"; }
check() { # check NAME COMMAND...: passes when COMMAND succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
bf() { timeout 60 "$BIN" "$@"; } # bf ARGS...: borderflow ARGS, every run bounded
gone() { # gone PID: until the process has ended, at most 10 s (wait
	# cannot be used on one that is not this shell's child)
	for _ in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}
# A free loopback port: nothing answers there. It is drawn below the
# kernel's range for outgoing connections, so that no client socket of a
# test running beside this one (thousands, in the fuzz test) holds it by
# the time the server binds it.
free_port() {
	local p low
	low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ "${low:-0}" -gt 12000 ] 2>/dev/null || low=32768
	for _ in $(seq 1 50); do
		p=$((10000 + RANDOM % (low - 10000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}
# bf_test_db NAME: prints a fresh, empty database for --db on the back end
# the test runs against: a SQLite file in $T, or with
# BF_TEST_BACKEND=postgresql a new database on the server of
# $BF_TEST_PG_URL (scripts/with-postgres.sh starts one around ctest).
bf_test_db() {
	if [ "${BF_TEST_BACKEND:-}" != postgresql ]; then
		echo "$T/$1.db"
		return
	fi
	local base=${BF_TEST_PG_URL:?BF_TEST_BACKEND=postgresql needs BF_TEST_PG_URL}
	local db="t_$$_${1//[^a-z0-9]/_}"
	PGOPTIONS=--client-min-messages=warning psql -q -v ON_ERROR_STOP=1 "$base" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null || return 1
	echo "${base%/*}/$db"
}
# bf_sql DB SQL: the rows of SQL on DB (either back end), one a line,
# columns joined by |.
bf_sql() {
	case "$1" in
	postgres://* | postgresql://*) psql -qAtX "$1" -c "$2" ;;
	*) sqlite3 "$1" "$2" ;;
	esac
}
# bf_serve_port0 LOG SERVE OPTIONS...: starts `borderflow serve OPTIONS...
# --port 0` in the background as SERVER_PID (killed at exit), its output
# in LOG, and waits at most 30 s for the "listening on" line it prints;
# sets SERVED_PORT to the port the kernel gave it, empty if no line came.
# Call it in this shell, not in $(…).
bf_serve_port0() {
	local log=$1
	shift
	"$BIN" serve "$@" --port 0 >"$log" 2>&1 &
	SERVER_PID=$!
	SERVED_PORT=$(bf_listening_port "$log")
}
# bf_listening_port LOG: the port of the "listening on http(s)://127.0.0.1:PORT"
# line a server writes to LOG, waited for at most 30 s (a sanitized build
# under load starts slowly); empty if none came.
bf_listening_port() {
	local port=""
	for _ in $(seq 1 300); do
		port=$(sed -n 's|.*listening on https\{0,1\}://127.0.0.1:\([0-9]*\).*|\1|p' "$1")
		[ -n "$port" ] && break
		sleep 0.1
	done
	echo "$port"
}
# bf_stop_server: SIGTERM to SERVER_PID, then at most 10 s for it to end;
# returns its exit status, 124 if it has not ended by then. Clears
# SERVER_PID.
bf_stop_server() {
	local rc=124
	kill -TERM "$SERVER_PID"
	for _ in $(seq 1 100); do
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			wait "$SERVER_PID"
			rc=$?
			break
		fi
		sleep 0.1
	done
	SERVER_PID=""
	return "$rc"
}
# bf_serve DB LOG PORT [SERVE OPTIONS...]: starts `borderflow serve` on DB
# on 127.0.0.1:PORT (a free port when PORT is empty), its output in LOG,
# and waits until it answers, at most 20 s. Its own "listening on" line is
# waited for first, so that no other server on the port is taken for it; a
# port taken in between is given up for a free one, three tries in all.
# Sets SERVED_PID, SERVED_URL and SERVED_PORT; call it in this shell, not
# in $(…).
bf_serve() {
	local db=$1 log=$2 port=${3:-$(free_port)}
	shift 3
	SERVED_PID="" SERVED_URL="" SERVED_PORT=""
	for _ in 1 2 3; do
		"$BIN" serve --db "$db" --port "$port" "$@" >"$log" 2>&1 &
		SERVED_PID=$!
		SERVED_URL="http://127.0.0.1:$port"
		SERVED_PORT=$port
		for _ in $(seq 1 200); do
			if grep -q "listening on $SERVED_URL " "$log"; then
				curl -s -o /dev/null --max-time 5 "$SERVED_URL/healthz" && return 0
				break
			fi
			kill -0 "$SERVED_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$SERVED_PID" 2>/dev/null
		wait "$SERVED_PID" 2>/dev/null
		SERVED_PID=""
		cat "$log"
		grep -q "cannot listen" "$log" || return 1
		port=$(free_port)
	done
	return 1
}
