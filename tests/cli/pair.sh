# shellcheck shell=bash
# shellcheck disable=SC2034 # VN_PID, CN_PID, VN and CN are the tests' to use
# Shared by the CLI tests that run two real nodes, vn and cn (sourced
# after lib.sh, not run): starting a node with its peer, waiting for it,
# talking to it, and reading its database.

# Every process whose pid is in a variable named in PAIR_PROCS (a test
# adds its own: "VN_PID CN_PID PROXY_PID") is killed at exit, then the
# scratch directory removed (lib.sh).
PAIR_PROCS="VN_PID CN_PID"
VN_PID=""
CN_PID=""
cleanup_nodes() {
	local v
	for v in $PAIR_PROCS; do
		[ -n "${!v:-}" ] && kill -9 "${!v}" 2>/dev/null
	done
	cleanup
}
trap cleanup_nodes EXIT
pair_ports() { # sets VN_PORT and CN_PORT (two free loopback ports), VN and CN (their URLs)
	VN_PORT=$(free_port)
	CN_PORT=$(free_port)
	while [ "$CN_PORT" = "$VN_PORT" ]; do CN_PORT=$(free_port); done
	VN="http://127.0.0.1:$VN_PORT"
	CN="http://127.0.0.1:$CN_PORT"
}

start_node() { # start_node NODE DB PORT PEER TOKEN [SERVE ARGS...]: prints the pid
	local node=$1 db=$2 port=$3 peer=$4 token=$5 other=vn
	shift 5
	[ "$node" = vn ] && other=cn
	"$BIN" serve --db "$db" --node "$node" --port "$port" --peer "$peer" --peer-node "$other" \
		--peer-token "$token" "$@" >>"$T/$node.log" 2>&1 &
	echo $!
}
wait_up() { # wait_up URL LOG: until it answers, at most 30 s; else LOG
	for _ in $(seq 1 300); do
		curl -s -o /dev/null --max-time 1 "$1/healthz" && return 0
		sleep 0.1
	done
	cat "$2"
	return 1
}
# A node of a pair writes once it has compared its own chain with the
# other's copy of it (docs/operations.md, "A node of a pair").
writes_open() { # writes_open URL TOKEN: until its sync status says so, at most 30 s
	for _ in $(seq 1 300); do
		curl -s --max-time 2 -H "Authorization: Bearer $2" "$1/v1/sync" | grep -q '"writes":"open"' && return 0
		sleep 0.1
	done
	return 1
}
post() { # post URL TOKEN PATH BODY: the status; the body in $T/answer
	curl -s -o "$T/answer" -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $2" \
		-H 'Content-Type: application/json' -d "$4" "$1$3"
}
get() { # get URL TOKEN PATH: the body
	curl -s --max-time 10 -H "Authorization: Bearer $2" "$1$3"
}
sql() { sqlite3 -cmd ".timeout 5000" "$@"; }
head_of() { sql "$1" "SELECT coalesce(max(origin_seq), 0) FROM event WHERE origin = '$2'"; } # head_of DB ORIGIN
