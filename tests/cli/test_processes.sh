#!/usr/bin/env bash
# Two `borderflow serve` processes on one database (on SQLite and, as
# processes@postgresql, on PostgreSQL): loads declared through either are
# seen by both; 64 clients spread over the two race for the last 10
# places of one slot, and exactly 10 win, the slot holds exactly its
# capacity in the API of both processes and in the rows, each booking has
# its one event, and `borderflow verify` passes on the shared history.
set -uo pipefail

NAME=processes
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
PIDS=()
cleanup_all() {
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	cleanup
}
trap cleanup_all EXIT

DB=$(bf_test_db processes)
check "a fresh database" test -n "$DB"
CARRIER=$(bf tokens new --db "$DB" --party fruitco --role carrier --country VN 2>"$T/err")
check "a carrier's token" test -n "$CARRIER"

# start_server: starts one more process on a free port (bf_serve) and
# appends its URL to URLS.
URLS=()
start_server() {
	bf_serve "$DB" "$T/serve-$((${#PIDS[@]} + 1)).log" "" || return 1
	PIDS+=("$SERVED_PID")
	URLS+=("$SERVED_URL")
}
check "process 1 answers" start_server
check "process 2 answers" start_server

# declare N: declares a dragon-fruit load through process N%2, prints its id
declare_load() {
	curl -s --max-time 20 -H "Authorization: Bearer $CARRIER" -H 'Content-Type: application/json' \
		-d '{"exporter":"VN-EXP-0101","commodity":"08109092","net_weight_kg":15000,"packages":900,
		"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001","phyto_certificate":"P-1",
		"vehicle":{"kind":"truck","number":"51C-123.45","country":"VN"},"destination":"CN",
		"preferred_gate":"huu-nghi"}' "${URLS[$(($1 % 2))]}/v1/consignments" | jq -r '.id // empty'
}
# book N ID: books ID into $SLOT through process N%2, prints the status
book() {
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 -H "Authorization: Bearer $CARRIER" \
		-H 'Content-Type: application/json' \
		-d "{\"gate\":\"huu-nghi\",\"earliest\":\"$SLOT\",\"latest\":\"$SLOT\"}" \
		"${URLS[$(($1 % 2))]}/v1/consignments/$2/booking"
}

# The first a_to_b slot of huu-nghi three days ahead, and its capacity.
FROM=$(date -u -d '+3 days' +%Y-%m-%dT00:00:00Z)
curl -s --max-time 20 "${URLS[0]}/v1/gates/huu-nghi/slots?from=$FROM&days=2" >"$T/slots"
SLOT=$(jq -r '[.slots[] | select(.direction == "a_to_b")][0].start' "$T/slots")
CAP=$(jq -r '[.slots[] | select(.direction == "a_to_b")][0].capacity' "$T/slots")
check "a slot with more than 10 places ($SLOT, $CAP)" test "${CAP:-0}" -gt 10

# All but 10 places go first, through both processes in turn.
filled=0
for i in $(seq 1 $((CAP - 10))); do
	id=$(declare_load "$i")
	[ -n "$id" ] && [ "$(book "$i" "$id")" = 201 ] && filled=$((filled + 1))
done
check "$((CAP - 10)) places booked through both processes" test "$filled" -eq $((CAP - 10))

# A load declared through one process is read through the other.
id=$(declare_load 0)
state=$(curl -s --max-time 20 -H "Authorization: Bearer $CARRIER" "${URLS[1]}/v1/consignments/$id" | jq -r .state)
check "a load declared through process 1 is seen by process 2" test "$state" = validated

# 64 racers, 32 on each process, for the last 10 places.
RACERS=()
for i in $(seq 1 64); do RACERS+=("$(declare_load "$i")"); done
check "64 racers declared" test "$(printf '%s\n' "${RACERS[@]}" | grep -c .)" -eq 64
RACE_PIDS=()
for i in $(seq 0 63); do
	book "$i" "${RACERS[$i]}" >"$T/race-$i" &
	RACE_PIDS+=($!)
done
wait "${RACE_PIDS[@]}"
won=$(cat "$T"/race-* | grep -c '^201$')
lost=$(cat "$T"/race-* | grep -c '^409$')
check "exactly 10 of 64 racers win ($won won, $lost refused)" test "$won" -eq 10 -a "$lost" -eq 54

for u in "${URLS[@]}"; do
	booked=$(curl -s --max-time 20 "$u/v1/gates/huu-nghi/slots?from=$SLOT&days=1" |
		jq -r "[.slots[] | select(.start == \"$SLOT\" and .direction == \"a_to_b\")][0].booked")
	check "the slot holds exactly its $CAP places, as $u says ($booked)" test "$booked" = "$CAP"
done
S=$(date -u -d "$SLOT" +%s)
rows=$(bf_sql "$DB" "SELECT count(*) FROM booking WHERE gate_id = 'huu-nghi' AND direction = 'a_to_b' AND slot_start = $S")
check "the rows hold exactly $CAP bookings of the slot ($rows)" test "$rows" = "$CAP"
events=$(bf_sql "$DB" "SELECT count(*) FROM event WHERE kind = 'consignment.booked'")
check "one booking event each ($events)" test "$events" = "$CAP"

for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
sleep 0.5
bf verify --db "$DB" >"$T/verify" 2>&1
check "verify passes on the shared history" test $? -eq 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
