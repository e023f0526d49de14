#!/usr/bin/env bash
# A synced node restored from a backup taken during traffic never rolls
# back. Two real nodes on loopback; notices and declarations posted on vn
# in a burst, with `backup` taken in the middle of it; cn pulls them all.
# vn is killed and its database restored from the backup, which lacks the
# events signed after it, while cn is down: vn serves reads, but answers
# every write 503 until it has compared its own chain with cn's copy. Once
# cn is back, vn takes back from cn's copy every event of its own chain it
# lacked (they are its own signed events), its writes open, and its next
# event takes the next number: nothing acknowledged is lost, no number is
# given twice, both pulls go on, and both nodes end with the same chains.
# Last, the same copy restored again and written to alone before it caught
# up signs under numbers cn holds: vn finds the fork, keeps both events as
# evidence and its writes held, until an operator resolves it.
set -uo pipefail

NAME=restore
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/pair.sh
. "$(dirname "$0")/pair.sh"
PAIR_PROCS="$PAIR_PROCS BURST"
BURST=""
VN_DB="$T/vn.db"
CN_DB="$T/cn.db"
pair_ports

CARRIER=$(bf tokens new --db "$VN_DB" --node vn --party fruitco --role carrier --country VN 2>/dev/null)
VN_GATE=$(bf tokens new --db "$VN_DB" --party vn-gate --role gate_operator --country VN 2>/dev/null)
VN_AUDIT=$(bf tokens new --db "$VN_DB" --party cn-node --role auditor --country CN 2>/dev/null)
CN_GATE=$(bf tokens new --db "$CN_DB" --node cn --party cn-gate --role gate_operator --country CN 2>/dev/null)
CN_AUDIT=$(bf tokens new --db "$CN_DB" --party vn-node --role auditor --country VN 2>/dev/null)
check "tokens on both nodes" test -n "$CARRIER" -a -n "$VN_GATE" -a -n "$VN_AUDIT" -a -n "$CN_GATE" -a -n "$CN_AUDIT"
for p in fruitco vn-gate node-operator; do bf keys new --db "$VN_DB" --party "$p" >/dev/null 2>&1; done
for p in cn-gate node-operator; do bf keys new --db "$CN_DB" --party "$p" >/dev/null 2>&1; done
bf keys export --db "$VN_DB" "$T/vn-keys.json" >/dev/null 2>&1 &&
	bf keys export --db "$CN_DB" "$T/cn-keys.json" >/dev/null 2>&1 &&
	bf keys import --db "$CN_DB" "$T/vn-keys.json" >/dev/null 2>&1 &&
	bf keys import --db "$VN_DB" "$T/cn-keys.json" >/dev/null 2>&1
check "each node registers the other's public keys" test $? -eq 0

wait_heads() { # until cn holds vn's chain as vn does, at most 20 s
	for _ in $(seq 1 200); do
		[ "$(head_of "$CN_DB" vn)" = "$(head_of "$VN_DB" vn)" ] && [ "$(head_of "$VN_DB" cn)" = "$(head_of "$CN_DB" cn)" ] && return 0
		sleep 0.1
	done
	return 1
}

VN_PID=$(start_node vn "$VN_DB" "$VN_PORT" "$CN" "$CN_AUDIT")
CN_PID=$(start_node cn "$CN_DB" "$CN_PORT" "$VN" "$VN_AUDIT")
check "the vn node starts" wait_up "$VN" "$T/vn.log"
check "the cn node starts" wait_up "$CN" "$T/cn.log"
check "vn compares its chain with cn's copy and opens its writes" writes_open "$VN" "$VN_GATE"
check "... and says so in its log" grep -q "vn's own chain is whole against the peer's copy; writes open" "$T/vn.log"

# ---- a burst on vn, with a backup taken in the middle of it ----

# Each a notice and a declaration; only what was answered 201 counts.
one() {
	local id
	[ "$(post "$VN" "$VN_GATE" /v1/notices '{"kind":"gate_disruption","text":"lane '"$1"' closed","gate":"huu-nghi"}')" = 201 ] || return 1
	id=$(sed -n 's/.*"id":"\(N-vn-[0-9]*\)".*/\1/p' "$T/answer")
	[ -n "$id" ] || return 1
	echo "$id" >>"$T/notices"
	[ "$(post "$VN" "$CARRIER" /v1/consignments '{"exporter":"VN-EXP-0101","commodity":"08109092",
	  "net_weight_kg":18000,"packages":1200,"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001",
	  "phyto_certificate":"VN-PC-2026-000123","vehicle":{"kind":"truck","number":"12C-123.'"$1"'","country":"VN"},
	  "destination":"CN","preferred_gate":"huu-nghi"}')" = 201 ] || return 1
	id=$(sed -n 's/^{"id":"\(c-[a-z0-9]*\)".*/\1/p' "$T/answer")
	[ -n "$id" ] || return 1
	echo "$id" >>"$T/declared"
}
: >"$T/notices"
: >"$T/declared"
( for i in $(seq 10 29); do one "$i" || true; done ) &
BURST=$!
for _ in $(seq 1 300); do
	[ "$(wc -l <"$T/notices")" -ge 6 ] && break
	sleep 0.05
done
bf backup --db "$VN_DB" "$T/vn.backup" >"$T/out" 2>&1
check "a backup is taken while vn writes" test $? -eq 0
wait "$BURST"
BURST=""
check "the whole burst was acknowledged" test "$(wc -l <"$T/notices")" -eq 20 -a "$(wc -l <"$T/declared")" -eq 20
check "cn holds vn's chain as vn does" wait_heads
HEAD=$(head_of "$VN_DB" vn)
LAST=$(tail -n 1 "$T/notices")

# ---- vn restored from the backup, while cn is down ----

kill -9 "$VN_PID"
gone "$VN_PID"
VN_PID=""
kill -TERM "$CN_PID"
gone "$CN_PID"
CN_PID=""
bf restore "$T/vn.backup" --db "$VN_DB" --force >"$T/out" 2>&1
check "vn's database is restored from the backup" test $? -eq 0
RESTORED=$(head_of "$VN_DB" vn)
check "... which lacks events vn signed and acknowledged after it" test "$RESTORED" -lt "$HEAD"
VN_PID=$(start_node vn "$VN_DB" "$VN_PORT" "$CN" "$CN_AUDIT")
check "the restored vn starts, its peer down" wait_up "$VN" "$T/vn.log"
code=$(post "$VN" "$VN_GATE" /v1/notices '{"kind":"gate_disruption","text":"too early","gate":"huu-nghi"}')
check "it holds writes until it has compared its chain with cn's copy (503)" test "$code" = 503
check "... saying why" contains "$T/answer" "has not yet compared its own chain with its peer's copy"
get "$VN" "$VN_GATE" /v1/sync >"$T/vn.sync"
check "... in its sync status too" contains "$T/vn.sync" '"writes":"held"'
check "it still answers reads" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $VN_GATE" "$VN/v1/notices")" = 200
check "nothing was written" test "$(head_of "$VN_DB" vn)" -eq "$RESTORED"

# ---- cn comes back: vn takes back its own chain, then writes ----

CN_PID=$(start_node cn "$CN_DB" "$CN_PORT" "$VN" "$VN_AUDIT")
check "cn starts again" wait_up "$CN" "$T/cn.log"
check "vn's writes open once it has caught up" writes_open "$VN" "$VN_GATE"
check "vn holds its whole chain again" test "$(head_of "$VN_DB" vn)" -eq "$HEAD"
check "... and says what it re-applied, loudly" \
	grep -q "ALERT: this database lacked $((HEAD - RESTORED)) events of vn's own chain that the peer holds" "$T/vn.log"
missing=0
while read -r n; do
	[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $VN_GATE" "$VN/v1/notices/$n")" = 200 ] || missing=$((missing + 1))
done <"$T/notices"
check "every notice acknowledged before the restore is there" test "$missing" -eq 0
missing=0
while read -r c; do
	[ "$(sql "$VN_DB" "SELECT count(*) FROM consignment WHERE id = '$c'")" = 1 ] || missing=$((missing + 1))
done <"$T/declared"
check "every load declared before the restore is there" test "$missing" -eq 0
code=$(post "$VN" "$VN_GATE" /v1/notices '{"kind":"gate_disruption","text":"after the restore","gate":"huu-nghi"}')
check "vn writes again (201)" test "$code" = 201
NEXT=$(sed -n 's/.*"id":"\(N-vn-[0-9]*\)".*/\1/p' "$T/answer")
check "... under a new notice number, not one given before" test "$NEXT" '>' "$LAST"
check "... and its event takes the next number of its chain" test "$(head_of "$VN_DB" vn)" -eq $((HEAD + 1))
check "cn takes it: both pulls go on" wait_heads
sql "$VN_DB" "SELECT origin, origin_seq, hex(hash) FROM event ORDER BY origin, origin_seq" >"$T/vn.events"
sql "$CN_DB" "SELECT origin, origin_seq, hex(hash) FROM event ORDER BY origin, origin_seq" >"$T/cn.events"
check "both nodes hold the same events with the same hashes" cmp -s "$T/vn.events" "$T/cn.events"
check "no number is given twice" test "$(cut -d'|' -f1,2 "$T/vn.events" | sort | uniq -d | wc -l)" -eq 0
kill -TERM "$VN_PID" "$CN_PID"
gone "$VN_PID"
gone "$CN_PID"
VN_PID=""
CN_PID=""
bf verify --db "$VN_DB" >"$T/out" 2>&1
check "verify passes on vn" test $? -eq 0
bf verify --db "$CN_DB" >"$T/out" 2>&1
check "verify passes on cn" test $? -eq 0

# ---- a restored copy written to alone before it caught up: a fork ----

bf restore "$T/vn.backup" --db "$VN_DB" --force >"$T/out" 2>&1
"$BIN" serve --db "$VN_DB" --node vn --port "$VN_PORT" >>"$T/vn.log" 2>&1 &
VN_PID=$!
check "the restored copy starts alone, without its peer" wait_up "$VN" "$T/vn.log"
check "... and signs under a number cn already holds (201)" \
	test "$(post "$VN" "$VN_GATE" /v1/notices '{"kind":"gate_disruption","text":"alone","gate":"huu-nghi"}')" = 201
kill -TERM "$VN_PID"
gone "$VN_PID"
CN_PID=$(start_node cn "$CN_DB" "$CN_PORT" "$VN" "$VN_AUDIT")
VN_PID=$(start_node vn "$VN_DB" "$VN_PORT" "$CN" "$CN_AUDIT")
check "both start" wait_up "$VN" "$T/vn.log"
forked=false
for _ in $(seq 1 200); do
	get "$VN" "$VN_GATE" /v1/sync >"$T/vn.sync"
	grep -q 'is not the event the peer holds' "$T/vn.sync" && { forked=true; break; }
	sleep 0.1
done
check "vn finds its own chain forked against cn's copy, and keeps its writes held" $forked
check "... both events kept as evidence" contains "$T/vn.sync" '"forks":[{"origin":"vn"'
check "... said loudly" grep -q "ALERT: fork: vn #$((RESTORED + 1)) is one event here" "$T/vn.log"
check "... and counted" bash -c "curl -s --max-time 10 '$VN/metrics' | grep -qx 'borderflow_forks 1'"
check "writes answer 503" \
	test "$(post "$VN" "$VN_GATE" /v1/notices '{"kind":"gate_disruption","text":"again","gate":"huu-nghi"}')" = 503
kill -TERM "$VN_PID" "$CN_PID"
gone "$VN_PID"
gone "$CN_PID"
VN_PID=""
CN_PID=""
bf forks --db "$VN_DB" >"$T/out" 2>&1
check "borderflow forks lists it, open" grep -q "^vn #$((RESTORED + 1)) .*OPEN" "$T/out"
bf forks resolve vn "$((RESTORED + 1))" --db "$VN_DB" >"$T/out" 2>&1
check "an operator marks it resolved" contains "$T/out" "is resolved"

echo "restore: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
