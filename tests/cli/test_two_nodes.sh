#!/usr/bin/env bash
# Two real nodes on loopback, one for each side, each with its own
# database and keys, each pulling the other's chain. Loads are declared,
# booked, called and cleared for export on the vn node, inspected, cleared
# for import and crossed on the cn node. The vn node is killed with
# SIGKILL in the middle of a burst and started again; the cn node starts
# while vn is already pulling from it (an unreachable peer). At the end
# both nodes hold the same events with the same hashes for both chains,
# the same consignment states, and `verify` passes on both: nothing
# acknowledged was lost, nothing was applied twice. Last, each node acts
# for its own country only, and a database that holds the whole border
# never pairs.
set -uo pipefail

NAME=two-nodes
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/pair.sh
. "$(dirname "$0")/pair.sh"
VN_DB="$T/vn.db"
CN_DB="$T/cn.db"

pair_ports

# ---- parties, tokens and keys on each side ----

CARRIER=$(bf tokens new --db "$VN_DB" --node vn --party fruitco --role carrier --country VN 2>/dev/null)
VN_CUSTOMS=$(bf tokens new --db "$VN_DB" --party vn-customs --role export_authority --country VN 2>/dev/null)
VN_GATE=$(bf tokens new --db "$VN_DB" --party vn-gate --role gate_operator --country VN 2>/dev/null)
VN_AUDIT=$(bf tokens new --db "$VN_DB" --party cn-node --role auditor --country CN 2>/dev/null)
CN_CUSTOMS=$(bf tokens new --db "$CN_DB" --node cn --party cn-customs --role import_authority --country CN 2>/dev/null)
CN_GATE=$(bf tokens new --db "$CN_DB" --party cn-gate --role gate_operator --country CN 2>/dev/null)
CN_AUDIT=$(bf tokens new --db "$CN_DB" --party vn-node --role auditor --country VN 2>/dev/null)
VN_REGISTRY=$(bf tokens new --db "$VN_DB" --party vn-ppd --role registry_authority --country VN 2>/dev/null)
check "tokens on both nodes" test -n "$CARRIER" -a -n "$VN_CUSTOMS" -a -n "$VN_GATE" -a -n "$VN_AUDIT" \
	-a -n "$CN_CUSTOMS" -a -n "$CN_GATE" -a -n "$CN_AUDIT"
for p in fruitco vn-customs vn-gate vn-ppd node-operator; do bf keys new --db "$VN_DB" --party "$p" >/dev/null 2>&1; done
for p in cn-customs cn-gate node-operator; do bf keys new --db "$CN_DB" --party "$p" >/dev/null 2>&1; done
bf keys export --db "$VN_DB" "$T/vn-keys.json" >/dev/null 2>&1
bf keys export --db "$CN_DB" "$T/cn-keys.json" >/dev/null 2>&1
bf keys import --db "$CN_DB" "$T/vn-keys.json" >/dev/null 2>&1
check "cn registers vn's public keys" test $? -eq 0
bf keys import --db "$VN_DB" "$T/cn-keys.json" >/dev/null 2>&1
check "vn registers cn's public keys" test $? -eq 0

# ---- the nodes ----

# cn calls its peer stale after 3 s without a pull, so that vn's kill
# below shows it.
start_vn() { start_node vn "$VN_DB" "$VN_PORT" "$CN" "$CN_AUDIT"; }
start_cn() { start_node cn "$CN_DB" "$CN_PORT" "$VN" "$VN_AUDIT" --peer-stale-after 3; }
# vn first: its peer is not there yet, and it keeps trying.
VN_PID=$(start_vn)
check "the vn node starts" wait_up "$VN" "$T/vn.log"
sleep 1
CN_PID=$(start_cn)
check "the cn node starts" wait_up "$CN" "$T/cn.log"
check "vn writes once cn answers" writes_open "$VN" "$VN_CUSTOMS"
check "cn writes" writes_open "$CN" "$CN_CUSTOMS"

# The gates keep their hours: a call, a decision and the crossing outside
# them need a stated reason. The test runs at any hour of the day, so it
# states one; outside the hours it is signed into the step's event.
ANY_HOUR='"override":{"reason":"a test that runs at any hour"}'

state_on() { # state_on URL TOKEN ID
	get "$1" "$2" "/v1/consignments/$3" | sed -n 's/.*"state":"\([a-z_]*\)".*/\1/p'
}
wait_state() { # wait_state URL TOKEN ID STATE: at most 20 s
	for _ in $(seq 1 200); do
		[ "$(state_on "$1" "$2" "$3")" = "$4" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---- a burst on the vn side, cut by SIGKILL ----

# Each load: declared, booked, checked in, called and cleared for export.
# A load counts only when every answer was a success.
# Each its own truck: a vehicle waits in one yard at a time.
export_one() {
	local code id
	code=$(post "$VN" "$CARRIER" /v1/consignments '{"exporter":"VN-EXP-0101","commodity":"08109092",
	  "net_weight_kg":18000,"packages":1200,"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001",
	  "phyto_certificate":"VN-PC-2026-000123","vehicle":{"kind":"truck","number":"12C-123.'"$1"'","country":"VN"},
	  "destination":"CN","preferred_gate":"huu-nghi"}') || return 1
	[ "$code" = 201 ] || return 1
	id=$(sed -n 's/^{"id":"\(c-[a-z0-9]*\)".*/\1/p' "$T/answer")
	[ -n "$id" ] || return 1
	echo "$id" >>"$T/declared"
	[ "$(post "$VN" "$CARRIER" "/v1/consignments/$id/booking" '')" = 201 ] || return 1
	[ "$(post "$VN" "$CARRIER" "/v1/consignments/$id/check-in" '')" = 200 ] || return 1
	[ "$(post "$VN" "$VN_GATE" /v1/gates/huu-nghi/call '{"count":1,'"$ANY_HOUR"'}')" = 200 ] || return 1
	[ "$(state_on "$VN" "$CARRIER" "$id")" = called ] || return 1
	[ "$(post "$VN" "$VN_CUSTOMS" "/v1/consignments/$id/decisions" '{"decision":"export_cleared",'"$ANY_HOUR"'}')" = 200 ] || return 1
	echo "$id" >>"$T/cleared"
}
: >"$T/declared"
: >"$T/cleared"
( for i in $(seq 10 33); do export_one "$i" || true; done ) &
BURST=$!
for _ in $(seq 1 300); do
	[ "$(wc -l <"$T/cleared")" -ge 6 ] && break
	sleep 0.05
done
ALERTS=$(grep -c 'ALERT: no pull from' "$T/cn.log")
kill -9 "$VN_PID"
gone "$VN_PID"
VN_PID=""
wait "$BURST"
# With vn gone, cn's pulls fail: past 3 s its peer is stale, in the log
# (once), in GET /v1/sync and in /metrics.
cn_sync_says() { # cn_sync_says TEXT SECONDS: 0 once cn's GET /v1/sync holds TEXT, at most SECONDS
	for _ in $(seq 1 $(($2 * 10))); do
		curl -s --max-time 2 -H "Authorization: Bearer $CN_AUDIT" "$CN/v1/sync" | grep -qF "$1" && return 0
		sleep 0.1
	done
	return 1
}
check "cn says its peer is stale once no pull has succeeded for 3 s" cn_sync_says '"stale":true' 15
check "and says it in /metrics" bash -c "curl -s '$CN/metrics' | grep -qx 'borderflow_sync_stale 1'"
alerted() { # alerted: 0 once cn's log has the alert, at most 35 s (the puller backs off up to 30 s)
	for _ in $(seq 1 350); do
		[ "$(grep -c 'ALERT: no pull from' "$T/cn.log")" -gt "$ALERTS" ] && return 0
		sleep 0.1
	done
	return 1
}
check "and raises the alert in its log" alerted
check "once" test "$(grep -c 'ALERT: no pull from' "$T/cn.log")" -eq $((ALERTS + 1))
CLEARED=$(wc -l <"$T/cleared")
check "part of the burst was acknowledged before the kill" test "$CLEARED" -ge 6
check "and part of it was not" test "$CLEARED" -lt 24
VN_PID=$(start_vn)
check "the vn node starts again on its database" wait_up "$VN" "$T/vn.log"
check "... and writes once it has compared its chain with cn's copy" writes_open "$VN" "$VN_CUSTOMS"
check "cn's peer is no longer stale once a pull succeeds" cn_sync_says '"stale":false' 45
check "and cn's log says the pulls succeed again" grep -q "pulls from .* succeed again" "$T/cn.log"
for i in 40 41 42; do export_one "$i" || true; done
CLEARED=$(wc -l <"$T/cleared")

# ---- the cn side takes over what was cleared for export ----

ok_all=true
while read -r id; do
	wait_state "$CN" "$CN_CUSTOMS" "$id" export_cleared || { ok_all=false; continue; }
	# The export side may no longer decide on it; the import side may.
	[ "$(post "$VN" "$VN_CUSTOMS" "/v1/consignments/$id/decisions" '{"decision":"held","reasons":["late"]}')" = 409 ] ||
		ok_all=false
	[ "$(post "$CN" "$CN_CUSTOMS" "/v1/consignments/$id/decisions" '{"decision":"inspection",'"$ANY_HOUR"'}')" = 200 ] || ok_all=false
	[ "$(post "$CN" "$CN_CUSTOMS" "/v1/consignments/$id/decisions" '{"decision":"import_cleared",'"$ANY_HOUR"'}')" = 200 ] ||
		ok_all=false
	[ "$(post "$CN" "$CN_GATE" "/v1/consignments/$id/decisions" '{"decision":"crossed",'"$ANY_HOUR"'}')" = 200 ] || ok_all=false
done <"$T/cleared"
check "every load cleared for export reaches cn, and is inspected, cleared and crossed there" $ok_all
ok_all=true
while read -r id; do
	wait_state "$VN" "$CARRIER" "$id" crossed || ok_all=false
done <"$T/cleared"
check "the vn node sees every crossing" $ok_all

# ---- an emerging issue, across the two nodes ----

# China finds fruit fly larvae at inspection and names the planting area.
FIRST=$(head -n 1 "$T/cleared")
code=$(post "$CN" "$CN_CUSTOMS" /v1/notices "{\"kind\":\"non_compliance\",\"text\":\"fruit fly larvae found at inspection\",
  \"names\":{\"planting_area\":\"VN-BTOR-0001\"},\"consignment\":\"$FIRST\"}")
check "cn posts a non-compliance notice (201)" test "$code" = 201
NOTICE=$(sed -n 's/.*"id":"\(N-cn-[0-9]*\)".*/\1/p' "$T/answer")
check "its id is cn's" test -n "$NOTICE"
seen=false
for _ in $(seq 1 200); do
	get "$VN" "$VN_CUSTOMS" "/v1/notices?unacknowledged=true" | grep -q "\"$NOTICE\"" && { seen=true; break; }
	sleep 0.1
done
check "vn lists it, unacknowledged" $seen
check "vn's registry authority suspends the planting area in one step" \
	test "$(post "$VN" "$VN_REGISTRY" "/v1/notices/$NOTICE/suspend" '')" = 200
code=$(post "$VN" "$CARRIER" /v1/consignments '{"exporter":"VN-EXP-0101","commodity":"08109092",
  "net_weight_kg":18000,"packages":1200,"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001",
  "phyto_certificate":"VN-PC-2026-000124","vehicle":{"kind":"truck","number":"12C-123.45","country":"VN"},
  "destination":"CN","preferred_gate":"huu-nghi"}')
check "the next declaration naming it is rejected (422)" test "$code" = 422
check "... with the notice as the reason" contains "$T/answer" "$NOTICE"
acked=false
for _ in $(seq 1 200); do
	get "$CN" "$CN_CUSTOMS" "/v1/notices/$NOTICE" | grep -q '"acknowledged":true' && { acked=true; break; }
	sleep 0.1
done
check "cn sees vn's acknowledgement" $acked

# The feed is readable by an auditor only, and says who serves it.
check "the feed names its node" bash -c "curl -s -H 'Authorization: Bearer $VN_AUDIT' '$VN/v1/events?limit=0' | grep -q '\"node\":\"vn\"'"
check "a carrier may not read the feed" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $CARRIER" "$VN/v1/events")" = 403
check "vn's own chain comes with its signed head" bash -c "curl -s -H 'Authorization: Bearer $VN_AUDIT' '$VN/v1/events?origin=vn&limit=1' | grep -q '\"head\":{\"origin\":\"vn\"'"
check "cn keeps vn's latest signed head" bash -c "curl -s -H 'Authorization: Bearer $CN_CUSTOMS' '$CN/v1/sync' | grep -q '\"peer_head\":{\"head\":{\"at\"'"
check "the sync status shows no refusal" bash -c "curl -s -H 'Authorization: Bearer $CARRIER' '$VN/v1/sync' | grep -q '\"refusals\":\[\]'"
curl -s --max-time 10 "$CN/metrics" >"$T/cn.metrics"
check "cn's metrics count the events applied from vn" grep -qE '^borderflow_sync_applied_total [1-9][0-9]*$' "$T/cn.metrics"
check "and no refusal" grep -qx 'borderflow_sync_refusals 0' "$T/cn.metrics"

# Both chains caught up on both nodes: the heads agree.
caught_up=false
for _ in $(seq 1 200); do
	if [ "$(head_of "$VN_DB" cn)" = "$(head_of "$CN_DB" cn)" ] && [ "$(head_of "$VN_DB" vn)" = "$(head_of "$CN_DB" vn)" ]; then
		caught_up=true
		break
	fi
	sleep 0.1
done
check "both nodes reach the same heads of both chains" $caught_up

kill -TERM "$VN_PID" "$CN_PID"
gone "$VN_PID"
gone "$CN_PID"
VN_PID=""
CN_PID=""

# ---- the same history on both sides ----

dump_events() { sql "$1" "SELECT origin, origin_seq, kind, hex(hash) FROM event ORDER BY origin, origin_seq"; }
dump_events "$VN_DB" >"$T/vn.events"
dump_events "$CN_DB" >"$T/cn.events"
check "the same events with the same hashes on both nodes" cmp -s "$T/vn.events" "$T/cn.events"
check "both chains are there" test "$(cut -d'|' -f1 "$T/vn.events" | sort -u | tr '\n' ' ')" = "cn vn "
check "no event is there twice" test "$(cut -d'|' -f1,2 "$T/vn.events" | sort | uniq -d | wc -l)" -eq 0
check "each chain is numbered without a gap" \
	test "$(sql "$CN_DB" "SELECT count(*) = max(origin_seq) FROM event WHERE origin = 'vn'")" = 1
sql "$VN_DB" "SELECT id, state FROM consignment ORDER BY id" >"$T/vn.states"
sql "$CN_DB" "SELECT id, state FROM consignment ORDER BY id" >"$T/cn.states"
check "the same consignments in the same states" cmp -s "$T/vn.states" "$T/cn.states"
check "every load declared before an answer is there" \
	test "$(sort -u "$T/declared" | comm -23 - <(cut -d'|' -f1 "$T/vn.states") | wc -l)" -eq 0
check "every load acknowledged as cleared has crossed" \
	test "$(grep -c '|crossed$' "$T/vn.states")" -eq "$CLEARED"
bf verify --db "$VN_DB" >"$T/out" 2>&1
check "verify passes on the vn node" test $? -eq 0
bf verify --db "$CN_DB" >"$T/out" 2>&1
check "verify passes on the cn node" test $? -eq 0
check "... over both chains" contains "$T/out" "in 2 chains"

# ---- each node acts for its own country only ----

# vn's operator cannot give a party of China a token on vn, but an
# auditor's: China's steps are signed on cn (a party that claims China all
# the same cannot make vn sign them: tests/service/test_notice_feed.c).
bf tokens new --db "$VN_DB" --party cn-quarantine-on-vn --role import_authority --country CN >"$T/out" 2>&1
check "vn refuses a token to a party of CN that is not an auditor" test $? -ne 0
check "... saying why" contains "$T/out" \
	"node vn acts for VN only: a party of CN may only read here, as an auditor; CN's import_authority acts on CN's node"
AUDIT2=$(bf tokens new --db "$VN_DB" --party cn-audit-2 --role auditor --country CN 2>/dev/null)
check "... and gives CN an auditor's token" test -n "$AUDIT2"
VN_PID=$(start_vn)
check "vn starts again" wait_up "$VN" "$T/vn.log"
get "$VN" "$AUDIT2" /v1/sync >"$T/vn.sync"
check "its sync status says it acts for its country" contains "$T/vn.sync" '"scope":"country"'
check "... and holds no disputed event" contains "$T/vn.sync" '"disputes":0'
check "it lists none" test "$(get "$VN" "$AUDIT2" /v1/disputes)" = '{"disputes":[]}'
check "... and counts none in its metrics" bash -c "curl -s --max-time 10 '$VN/metrics' | grep -qx 'borderflow_disputes 0'"
check "it has found no fork" contains "$T/vn.sync" '"forks":[]'
check "... and counts none in its metrics" bash -c "curl -s --max-time 10 '$VN/metrics' | grep -qx 'borderflow_forks 0'"
kill -TERM "$VN_PID"
gone "$VN_PID"
VN_PID=""

# A database first started without --node holds the whole border: it signs
# both sides' steps, so it never pairs.
bf tokens new --db "$T/whole.db" --party whole-gate --role gate_operator --country CN >/dev/null 2>&1
timeout 20 "$BIN" serve --db "$T/whole.db" --node vn --port "$(free_port)" --peer "$CN" --peer-node cn \
	--peer-token "$VN_AUDIT" >"$T/out" 2>&1
check "a whole-border database does not start with a peer" test $? -eq 1
check "... saying why" contains "$T/out" 'this database holds the whole border as node vn (scope "border")'

echo "two-nodes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
