#!/usr/bin/env bash
# shellcheck disable=SC2034 # the pids in PAIR_PROCS are killed at exit by name (pair.sh)
# Faults on the border link, injected between two real nodes: cn pulls
# vn's chain through the test harness's proxy (tests/util/feedproxy.c),
# which alters, drops, reorders, replays, truncates and withholds events,
# names another node, and at last equivocates (shows cn an event vn never
# signed as its own, validly signed with vn's key). For each fault, cn
# refuses what it must, says why in GET /v1/sync, applies nothing that vn
# does not hold, and once the link is honest again both nodes hold vn's
# chain event for event with the same hashes, and the same consignment
# states; a replayed page is applied once. The equivocation is a fork:
# both signed statements are kept, listed in GET /v1/sync, /metrics and
# `borderflow forks`, across a restart (SIGKILL) of cn, and cn takes no
# more of vn's events until an operator resolves it.
set -uo pipefail

NAME=feed-faults
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/pair.sh
. "$(dirname "$0")/pair.sh"
PROXY=${BF_FEEDPROXY:?BF_FEEDPROXY names the feed proxy}
PAIR_PROCS="$PAIR_PROCS PROXY_PID"
PROXY_PID=""
VN_DB="$T/vn.db"
CN_DB="$T/cn.db"
MODE="$T/proxy.mode"
echo pass >"$MODE"

pair_ports
PROXY_PORT=$(free_port)
while [ "$PROXY_PORT" = "$VN_PORT" ] || [ "$PROXY_PORT" = "$CN_PORT" ]; do PROXY_PORT=$(free_port); done
VIA="http://127.0.0.1:$PROXY_PORT"

# ---- parties, tokens and keys on each side ----

CARRIER=$(bf tokens new --db "$VN_DB" --node vn --party fruitco --role carrier --country VN 2>/dev/null)
VN_AUDIT=$(bf tokens new --db "$VN_DB" --party cn-node --role auditor --country CN 2>/dev/null)
CN_CUSTOMS=$(bf tokens new --db "$CN_DB" --node cn --party cn-customs --role import_authority --country CN 2>/dev/null)
CN_AUDIT=$(bf tokens new --db "$CN_DB" --party vn-node --role auditor --country VN 2>/dev/null)
check "tokens on both nodes" test -n "$CARRIER" -a -n "$VN_AUDIT" -a -n "$CN_CUSTOMS" -a -n "$CN_AUDIT"
for p in fruitco node-operator; do bf keys new --db "$VN_DB" --party "$p" >/dev/null 2>&1; done
for p in cn-customs node-operator; do bf keys new --db "$CN_DB" --party "$p" >/dev/null 2>&1; done
bf keys export --db "$VN_DB" "$T/vn-keys.json" >/dev/null 2>&1
bf keys export --db "$CN_DB" "$T/cn-keys.json" >/dev/null 2>&1
bf keys import --db "$CN_DB" "$T/vn-keys.json" >/dev/null 2>&1
check "cn registers vn's public keys" test $? -eq 0
bf keys import --db "$VN_DB" "$T/cn-keys.json" >/dev/null 2>&1
check "vn registers cn's public keys" test $? -eq 0

# ---- the nodes, cn pulling vn through the proxy ----

"$PROXY" "$PROXY_PORT" "$VN" vn "$MODE" "$VN_DB" 2>>"$T/proxy.log" &
PROXY_PID=$!
start_cn() { start_node cn "$CN_DB" "$CN_PORT" "$VIA" "$VN_AUDIT"; }
VN_PID=$(start_node vn "$VN_DB" "$VN_PORT" "$CN" "$CN_AUDIT")
CN_PID=$(start_cn)
check "the vn node starts" wait_up "$VN" "$T/vn.log"
check "the cn node starts" wait_up "$CN" "$T/cn.log"
check "vn writes once cn answers" writes_open "$VN" "$CARRIER"
check "cn writes, its own chain checked through the proxy" writes_open "$CN" "$CN_CUSTOMS"

declare_one() { # declare_one N: a load declared on vn (two events: declared, validated)
	local code
	code=$(post "$VN" "$CARRIER" /v1/consignments '{"exporter":"VN-EXP-0101","commodity":"08109092",
	  "net_weight_kg":18000,"packages":1200,"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001",
	  "phyto_certificate":"VN-PC-2026-000123","vehicle":{"kind":"truck","number":"12C-456.'"$1"'","country":"VN"},
	  "destination":"CN","preferred_gate":"huu-nghi"}')
	[ "$code" = 201 ]
}
chain() { sql "$1" "SELECT origin_seq || ' ' || hex(hash) FROM event WHERE origin = 'vn' ORDER BY origin_seq"; }
states() { sql "$1" "SELECT id || ' ' || state FROM consignment ORDER BY id"; }
same_chain() { # same_chain: 0 once cn holds vn's chain as vn does, at most 40 s
	# (the puller backs off after refusals, up to 30 s)
	for _ in $(seq 1 400); do
		[ "$(chain "$CN_DB")" = "$(chain "$VN_DB")" ] && return 0
		sleep 0.1
	done
	return 1
}
held_by_vn() { # held_by_vn: every vn event cn holds is vn's own, with vn's hash
	local c v
	c=$(chain "$CN_DB")
	v=$(chain "$VN_DB")
	[ -z "$c" ] || [ "${v#"$c"}" != "$v" ]
}
sync_says() { # sync_says TEXT: 0 once cn's GET /v1/sync holds TEXT, at most 40 s
	for _ in $(seq 1 400); do
		get "$CN" "$CN_AUDIT" /v1/sync | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
proxy_done() { # proxy_done: 0 once the proxy has made its faults, at most 40 s
	for _ in $(seq 1 400); do
		[ "$(cat "$MODE")" = pass ] && return 0
		sleep 0.1
	done
	return 1
}

declare_one 0
check "cn first takes vn's chain through an honest proxy" same_chain

# ---- each fault, then an honest link ----

n=1
fault() { # fault MODE TIMES WHAT: loads declared on vn while the proxy does MODE; cn says WHAT
	local mode=$1 times=$2 what=$3
	echo "$mode $times" >"$MODE"
	declare_one "$n"
	n=$((n + 1))
	declare_one "$n"
	n=$((n + 1))
	check "$mode: the proxy has done it" proxy_done
	if [ -n "$what" ]; then
		check "$mode: cn says why it refused (\"$what\")" sync_says "$what"
	fi
	check "$mode: cn holds nothing vn did not sign" held_by_vn
	check "$mode: then both hold vn's chain, event for event" same_chain
	check "$mode: and the same consignment states" test "$(states "$CN_DB")" = "$(states "$VN_DB")"
}
fault alter 1 "its fields do not give its hash"
fault drop 1 "missing before it"
fault reorder 1 "sequence"
fault truncate 1 "not a feed page"
fault node 1 "the page is node zz's, not the peer vn's"
fault withhold 1 "withheld"
fault replay 1 ""
check "replay: each load once on cn" test "$(sql "$CN_DB" "SELECT count(*) FROM consignment")" = "$n"
check "replay: cn's log verifies" bf verify --db "$CN_DB"

# ---- equivocation: another event under a number vn holds ----

echo "equivocate 1" >"$MODE"
declare_one "$n"
n=$((n + 1))
check "equivocate: the proxy has done it" proxy_done
fork_at=$(head_of "$VN_DB" vn)
# cn took the forged event: it verifies on its own, signed with vn's key.
forged_taken() {
	for _ in $(seq 1 200); do
		[ "$(head_of "$CN_DB" vn)" = "$fork_at" ] && return 0
		sleep 0.1
	done
	return 1
}
check "equivocate: cn takes the forged event, validly signed" forged_taken
check "equivocate: which is not vn's" test "$(sql "$CN_DB" "SELECT hex(hash) FROM event WHERE origin = 'vn' AND origin_seq = $fork_at")" \
	!= "$(sql "$VN_DB" "SELECT hex(hash) FROM event WHERE origin = 'vn' AND origin_seq = $fork_at")"
fork_listed() { # fork_listed: 0 once cn's GET /v1/sync lists the fork at vn #fork_at, open, with
	# both signed statements, at most 40 s
	for _ in $(seq 1 400); do
		get "$CN" "$CN_AUDIT" /v1/sync | jq -e --argjson n "$fork_at" '.forks | map(select(.origin == "vn"
		  and .origin_seq == $n and .resolved_at == null and (.held.hash != .offered.hash))) | length == 1' \
			>/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
# vn's signed head, on the next honest page, names vn's own event there.
check "equivocate: cn finds the fork" fork_listed
check "... counted in /metrics" bash -c "curl -s '$CN/metrics' | grep -qx 'borderflow_forks 1'"
declare_one "$n"
n=$((n + 1))
sleep 2
check "equivocate: cn takes nothing more of vn's chain" test "$(head_of "$CN_DB" vn)" = "$fork_at"
kill -9 "$CN_PID"
gone "$CN_PID"
CN_PID=$(start_cn)
check "cn starts again after SIGKILL" wait_up "$CN" "$T/cn.log"
check "the fork is still listed after the restart" fork_listed
bf forks --db "$CN_DB" >"$T/forks" 2>&1
check "borderflow forks lists it, both statements" contains "$T/forks" "vn #$fork_at"
check "... held and offered" bash -c "grep -q 'held:' '$T/forks' && grep -q 'offered:' '$T/forks'"
sleep 2
check "and cn still takes nothing more of vn's chain" test "$(head_of "$CN_DB" vn)" = "$fork_at"

kill "$PROXY_PID" 2>/dev/null
echo "feed-faults: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
