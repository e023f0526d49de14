#!/usr/bin/env bash
# The gate view in a real browser: a vehicle checked in through the API
# appears in the yard on the open page without a reload; the operator posts
# a closure from the page and sees the bookings it moved; the carrier follows
# its consignment's timeline, rebooking included.
set -uo pipefail
NAME=web-gate
# shellcheck source=tests/web/lib.sh
. "$(dirname "$0")/lib.sh"

start_server
CARRIER=$(token fruitco carrier VN)
OPERATOR=$(token hn-operator gate_operator VN)

# declare PLATE: a dragon-fruit load for Huu Nghi (the README's example); prints its id.
declare_load() {
	local code
	code=$(api "$CARRIER" POST /v1/consignments "{\"exporter\":\"VN-EXP-0101\",\"commodity\":\"08109092\",
		\"net_weight_kg\":18000,\"packages\":1200,\"planting_areas\":[\"VN-BTOR-0001\"],
		\"packing_house\":\"VN-BTPH-001\",\"phyto_certificate\":\"VN-PC-2026-000123\",
		\"vehicle\":{\"kind\":\"truck\",\"number\":\"$1\",\"country\":\"VN\"},
		\"destination\":\"CN\",\"preferred_gate\":\"huu-nghi\"}")
	[ "$code" = 201 ] && sed -n 's/.*"id":"\(c-[a-z0-9]*\)".*/\1/p' "$T/body"
}
ID1=$(declare_load 12C-123.45)
ID2=$(declare_load 29C-456.78)
check "two loads are declared and validated" test -n "$ID1" -a -n "$ID2"
code=$(api "$CARRIER" POST "/v1/consignments/$ID1/booking" '{"gate":"huu-nghi"}')
check "the first is booked at Huu Nghi (201)" test "$code" = 201
SLOT=$(sed -n 's/.*"slot_start":"\([^"]*\)".*/\1/p' "$T/body")
code=$(api "$CARRIER" POST "/v1/consignments/$ID2/booking" '{"gate":"huu-nghi"}')
check "the second too (201)" test "$code" = 201
SLOT2=$(sed -n 's/.*"slot_start":"\([^"]*\)".*/\1/p' "$T/body")
check "both in the same slot ($SLOT)" test "$SLOT" = "$SLOT2"

export CARRIER OPERATOR ID1 ID2 SLOT
browse gate
finish
