#!/usr/bin/env bash
# `borderflow verify` and `borderflow keys` on the real binary: a history
# made through a real `serve` (a consignment declared, booked, checked in
# and called), verified clean; then copies of the database file edited
# with the sqlite3 command (a payload, a deleted row, two rows swapped, a
# signature copied, a key id replaced), each named at its exact event, and
# consignment records edited, added and removed, each named; key
# export and import between two nodes; and bad input refused with a reason.
set -uo pipefail

NAME=verify-cli
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
DB="$T/vn.db"
if ! command -v sqlite3 >/dev/null; then
	echo "not ok - the sqlite3 command is missing (scripts/install-deps.sh installs it)"
	exit 1
fi

# ---- a history, made by the real server ----

CARRIER=$(bf tokens new --db "$DB" --node vn --party fruitco --role carrier --country VN 2>/dev/null)
GATE=$(bf tokens new --db "$DB" --party hn-gate --role gate_operator --country VN 2>/dev/null)
check "tokens for a carrier and a gate operator" test -n "$CARRIER" -a -n "$GATE"

bf_serve_port0 "$T/serve" --db "$DB" --node vn
check "serve --node vn starts" test -n "$SERVED_PORT"
URL="http://127.0.0.1:$SERVED_PORT"
post() { # post TOKEN PATH BODY: the status; the body in $T/answer
	curl -s -o "$T/answer" -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $1" \
		-H 'Content-Type: application/json' -d "$3" "$URL$2"
}
code=$(post "$CARRIER" /v1/consignments '{"exporter":"VN-EXP-0101","commodity":"08109092","net_weight_kg":18000,
  "packages":1200,"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001",
  "phyto_certificate":"VN-PC-2026-000123","vehicle":{"kind":"truck","number":"12C-123.45","country":"VN"},
  "destination":"CN","preferred_gate":"huu-nghi"}')
check "a consignment is declared (201)" test "$code" = 201
ID=$(sed -n 's/^{"id":"\(c-[a-z0-9]*\)".*/\1/p' "$T/answer")
check "its id is read" test -n "$ID"
check "it is booked (201)" test "$(post "$CARRIER" "/v1/consignments/$ID/booking" '')" = 201
check "it checks in (200)" test "$(post "$CARRIER" "/v1/consignments/$ID/check-in" '')" = 200
check "the gate calls it (200)" test "$(post "$GATE" /v1/gates/huu-nghi/call \
	'{"count":1,"override":{"reason":"a test that runs at any hour"}}')" = 200
check "the gate posts a notice (201)" test "$(post "$GATE" /v1/notices \
	'{"kind":"gate_disruption","text":"lane 4 closed","gate":"huu-nghi"}')" = 201
NOTICE=$(sed -n 's/.*"id":"\(N-vn-[0-9]*\)".*/\1/p' "$T/answer")
check "its id is read" test -n "$NOTICE"
bf_stop_server

# ---- a clean log ----

bf verify --db "$DB" >"$T/out" 2>&1
rc=$?
check "verify of the history exits 0" test "$rc" -eq 0
N=$(sqlite3 "$DB" "SELECT count(*) FROM event")
check "verify counts every event ($N) in 1 chain" contains "$T/out" "verified $N events in 1 chain"
check "three of them make the keys of the node, the carrier and the gate" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE kind = 'key.made'")" -eq 3
event_seq() { sqlite3 "$DB" "SELECT seq FROM event WHERE kind = '$1'"; }
BOOKED=$(event_seq consignment.booked)
CHECKED_IN=$(event_seq consignment.checked_in)
CALLED=$(event_seq consignment.called)
DECLARED=$(event_seq consignment.declared)
VALIDATED=$(event_seq consignment.validated)
check "the history holds the lifecycle in order" test "$DECLARED" -lt "$VALIDATED" -a "$VALIDATED" -lt "$BOOKED" \
	-a "$BOOKED" -lt "$CHECKED_IN" -a "$CHECKED_IN" -lt "$CALLED"
check "every event is of chain vn, numbered like the log" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE origin = 'vn' AND origin_seq = seq")" -eq "$N"

# ---- tampering, each on its own copy ----

tampered() { # tampered NAME SQL: a copy of the log edited with SQL
	cp "$DB" "$T/$1.db"
	sqlite3 "$T/$1.db" "$2"
	echo "$T/$1.db"
}
expect_fails() { # expect_fails NAME DB SEQ KIND REASON
	bf verify --db "$2" >"$T/out" 2>&1
	local rc=$?
	check "$1: verify exits 1" test "$rc" -eq 1
	check "$1: names event $3" contains "$T/out" "event $3 fails: origin vn, origin_seq $3, kind $4"
	check "$1: says why ($5)" contains "$T/out" "reason: $5"
}

copy=$(tampered payload "UPDATE event SET payload = replace(payload, 'huu-nghi', 'tan-thanh') WHERE seq = $BOOKED")
expect_fails "an edited payload" "$copy" "$BOOKED" consignment.booked "hash: "

copy=$(tampered deleted "DELETE FROM event WHERE seq = $BOOKED")
expect_fails "a deleted event" "$copy" "$CHECKED_IN" consignment.checked_in "sequence: vn #$BOOKED is missing"

# serve checks the ends of the chains as it starts, and serves no broken
# one unless told.
refuses_to_serve() { # refuses_to_serve NAME DB REASON
	bf serve --db "$2" --port 0 >"$T/out" 2>&1
	check "$1: serve exits 1" test $? -eq 1
	check "$1: serve says the log does not verify" contains "$T/out" "the log does not verify at the end of its chains"
	check "$1: and why ($3)" contains "$T/out" "$3"
}
refuses_to_serve "an edited payload" "$T/payload.db" "vn #$BOOKED (consignment.booked): its fields do not give its hash"
refuses_to_serve "a deleted event" "$T/deleted.db" "vn's chain goes to #$N but holds $((N - 1)) events: 1 are missing"
copy=$(tampered renumbered "UPDATE event SET origin_seq = 0 WHERE seq = $BOOKED")
refuses_to_serve "a renumbered event" "$copy" "vn's chain goes to #$N but holds $((N - 1)) events"
bf_serve_port0 "$T/broken.log" --db "$T/deleted.db" --allow-broken-chain
check "serve --allow-broken-chain serves it all the same" test -n "$SERVED_PORT"
check "with an alert in its log" contains "$T/broken.log" "ALERT: serving a broken chain"
bf_stop_server
cp "$DB" "$T/intact.db"
bf_serve_port0 "$T/intact.log" --db "$T/intact.db"
check "serve starts on the log as it was" test -n "$SERVED_PORT"
bf_stop_server

copy=$(tampered swapped "UPDATE event SET seq = 1000 WHERE seq = $BOOKED;
	UPDATE event SET seq = $BOOKED WHERE seq = $CHECKED_IN; UPDATE event SET seq = $CHECKED_IN WHERE seq = 1000;")
bf verify --db "$copy" >"$T/out" 2>&1
check "swapped events: verify exits 1" test "$?" -eq 1
check "swapped events: names the first out of place" \
	contains "$T/out" "event $BOOKED fails: origin vn, origin_seq $CHECKED_IN, kind consignment.checked_in"
check "swapped events: says why" contains "$T/out" "reason: sequence: vn #$BOOKED is missing"

copy=$(tampered signature \
	"UPDATE event SET signature = (SELECT signature FROM event WHERE seq = $BOOKED) WHERE seq = $CHECKED_IN")
expect_fails "a signature copied from another event" "$copy" "$CHECKED_IN" consignment.checked_in "signature: "

copy=$(tampered key "UPDATE event SET key_id = '0123456789abcdef' WHERE seq = $CALLED")
expect_fails "an unknown key" "$copy" "$CALLED" consignment.called "unknown key: "

copy=$(tampered otherkey \
	"UPDATE event SET key_id = (SELECT key_id FROM event WHERE seq = $CALLED) WHERE seq = $CHECKED_IN")
expect_fails "another party's key" "$copy" "$CHECKED_IN" consignment.checked_in "key of another: "

# The consignment records against the log: each edited around the ledger
# is named, with what the record says and what the events leave.
expect_record() { # expect_record NAME DB RECORD REASON
	bf verify --db "$2" >"$T/out" 2>&1
	local rc=$?
	check "$1: verify exits 1" test "$rc" -eq 1
	check "$1: names the record" contains "$T/out" "record $3 differs from the log"
	check "$1: says why ($4)" contains "$T/out" "reason: record: $4"
	check "$1: after every event verified" contains "$T/out" "$N events verify"
}
copy=$(tampered state "UPDATE consignment SET state = 'crossed' WHERE id = '$ID'")
expect_record "a state edited" "$copy" "consignment/$ID" "its record says crossed, but its events leave it called"
copy=$(tampered added "CREATE TEMP TABLE copied AS SELECT * FROM consignment WHERE id = '$ID';
	UPDATE copied SET id = 'c-forged000000000', seq = NULL; INSERT INTO consignment SELECT * FROM copied")
expect_record "a record added" "$copy" "consignment/c-forged000000000" "its record says called, but no event declares it"
copy=$(tampered removed "PRAGMA foreign_keys = OFF; DELETE FROM consignment WHERE id = '$ID'")
expect_record "a record removed" "$copy" "consignment/$ID" "the log declares it (called now), but it has no record"

# The registry records against the log: a code suspended by an event and
# set active again around the ledger is named, as is one removed.
cp "$DB" "$T/reg.db"
printf 'code,hs_code,country,province,status\nVN-BTOR-0001,08109092,VN,Binh Thuan,suspended\n' >"$T/suspend.csv"
bf import registry --db "$T/reg.db" "$T/suspend.csv" >"$T/out" 2>&1
check "a planting area is suspended by an import" test "$?" -eq 0
SUSPENDED=$(sqlite3 "$T/reg.db" "SELECT origin_seq FROM event WHERE kind = 'registry.planting_area.suspended'")
check "... one event" test -n "$SUSPENDED"
bf verify --db "$T/reg.db" >"$T/out" 2>&1
check "the log and the registry verify after it" test "$?" -eq 0
DB_SAVED=$DB
DB="$T/reg.db" # tampered copies of it
copy=$(tampered reactivated "UPDATE planting_area SET status = 'active' WHERE code = 'VN-BTOR-0001'")
bf verify --db "$copy" >"$T/out" 2>&1
check "a registry row reactivated: verify exits 1" test "$?" -eq 1
check "... naming the record" contains "$T/out" "record planting_area/VN-BTOR-0001 differs from the log"
check "... and why" contains "$T/out" \
	"its record says active, but vn #$SUSPENDED, the last event that changed it, left it suspended"
copy=$(tampered regremoved "PRAGMA foreign_keys = OFF; DELETE FROM planting_area WHERE code = 'VN-BTOR-0001'")
bf verify --db "$copy" >"$T/out" 2>&1
check "a registry row removed: verify exits 1" test "$?" -eq 1
check "... saying the log registers it" contains "$T/out" "vn #$SUSPENDED registers it, but it has no record"
copy=$(tampered regother "UPDATE planting_area SET province = 'Lam Dong' WHERE code = 'VN-BTOR-0002'")
bf verify --db "$copy" >"$T/out" 2>&1
check "a row no event ever changed is the reference data's: not compared" test "$?" -eq 0
DB=$DB_SAVED

# The notices against the log: the text edited, one removed, one added.
POSTED=$(sqlite3 "$DB" "SELECT origin_seq FROM event WHERE kind = 'notice.posted'")
copy=$(tampered noticetext "UPDATE notice SET text = 'all lanes open' WHERE id = '$NOTICE'")
bf verify --db "$copy" >"$T/out" 2>&1
check "a notice edited: verify exits 1" test "$?" -eq 1
check "... naming it" contains "$T/out" "record notice/$NOTICE differs from the log"
check "... and why" contains "$T/out" "its record is not what vn #$POSTED posted: edited around the ledger"
copy=$(tampered noticegone "PRAGMA foreign_keys = OFF; DELETE FROM notice WHERE id = '$NOTICE'")
bf verify --db "$copy" >"$T/out" 2>&1
check "a notice removed: verify exits 1" test "$?" -eq 1
check "... saying the log posts it" contains "$T/out" "vn #$POSTED posts it, but it has no record"
copy=$(tampered noticeadded "CREATE TEMP TABLE n AS SELECT * FROM notice WHERE id = '$NOTICE';
	UPDATE n SET id = 'N-vn-99', number = 99; INSERT INTO notice SELECT * FROM n")
bf verify --db "$copy" >"$T/out" 2>&1
check "a notice added: verify exits 1" test "$?" -eq 1
check "... naming it" contains "$T/out" "record notice/N-vn-99 differs from the log"
check "... with no event posting it" contains "$T/out" "no event of the log posts it"

# ---- keys ----

bf keys list --db "$DB" >"$T/keys" 2>&1
check "keys list exits 0" test "$?" -eq 0
MADE=$(sqlite3 "$DB" "SELECT origin_seq FROM event WHERE kind = 'key.made' AND payload LIKE '%\"party\":\"fruitco\"%'")
check "the carrier's key is made by the event before its first" test "$MADE" -eq "$((DECLARED - 1))"
check "keys list shows the carrier's key 1, secret held, signing after its event" \
	grep -qE "^fruitco +carrier +vn +1 [0-9a-f]{16} [0-9a-f]{64} held +$((MADE + 1)) " "$T/keys"
check "keys list shows the node operator's" grep -qE '^node-operator +system +vn ' "$T/keys"
bf keys new --db "$DB" --party fruitco >"$T/out" 2>&1
check "keys new rotates the carrier's key" grep -qE '^key [0-9a-f]{16} for fruitco \(carrier\) on node vn: [0-9a-f]{64}$' "$T/out"
check "the new key is number 2 and signs after the event that makes it" \
	contains "$T/out" "the party's key 2 there, and signs from vn #$((N + 2)) on"
bf keys list --db "$DB" >"$T/keys" 2>&1
check "the carrier's key 1 is retired: its secret erased" \
	grep -qE '^fruitco +carrier +vn +1 [0-9a-f]{16} [0-9a-f]{64} none ' "$T/keys"
bf keys new --db "$DB" --party nobody >"$T/out" 2>&1
check "keys new for an unknown party exits 1" test "$?" -eq 1
check "... and names it" contains "$T/out" "no party nobody on this node"
bf verify --db "$DB" >"$T/out" 2>&1
check "after a rotation the log still verifies" test "$?" -eq 0

# The node key, the trust root: printed for the peer to pin, and given to
# verify, which then trusts no key row the chain does not make.
NODE_KEY=$(bf keys node --db "$DB" 2>"$T/err")
check "keys node prints the node key" test "${#NODE_KEY}" -eq 64
check "... and says what it is for" contains "$T/err" "give it to the peer's serve --peer-key"
check "it is the key of the chain's first event" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE seq = 1 AND kind = 'key.made'
		AND payload LIKE '%\"public_key\":\"$NODE_KEY\"%'")" -eq 1
bf verify --db "$DB" --pin "vn=$NODE_KEY" >"$T/out" 2>&1
check "verify --pin with the node key exits 0" test "$?" -eq 0
check "... and says the keys come from the pinned key" contains "$T/out" "the one pinned (--pin)"
bf verify --db "$DB" >"$T/out" 2>&1
check "verify without a pin says the root is the file's own" contains "$T/out" "give --pin to check it"
OTHER=$(printf '%064d' 7)
bf verify --db "$DB" --pin "vn=$OTHER" >"$T/out" 2>&1
check "verify --pin with another key exits 1" test "$?" -eq 1
check "... naming the node key's event" contains "$T/out" "event 1 fails: origin vn, origin_seq 1, kind key.made"
check "... and why" contains "$T/out" "is not the key pinned for vn"
bf verify --db "$DB" --pin "vn=$NODE_KEY" --pin "cm=$NODE_KEY" >"$T/out" 2>&1
check "verify --pin of a node with no chain here exits 1" test "$?" -eq 1
check "... naming the pin that checked nothing" contains "$T/out" "--pin cm: this file holds no chain of cm"
bf keys node --db "$T/fresh.db" >"$T/out" 2>&1
check "keys node on a database with no node id exits 2" test "$?" -eq 2
check "... asking which node it is" contains "$T/out" "say which node it is (--node vn)"
bf verify --db "$DB" --pin "vn=xyz" >"$T/out" 2>&1
check "a malformed --pin exits 2" test "$?" -eq 2
check "... naming it" contains "$T/out" "--pin vn: the key must be 64 hex digits"
expect_key() { # expect_key NAME DB KEY REASON
	bf verify --db "$2" --pin "vn=$NODE_KEY" >"$T/out" 2>&1
	local rc=$?
	check "$1: verify exits 1" test "$rc" -eq 1
	check "$1: names the key" contains "$T/out" "record key/$3 differs from the log"
	check "$1: says why ($4)" contains "$T/out" "$4"
}
copy=$(tampered keyrow "INSERT INTO signing_key (id, party_id, role, node, number, from_seq, public_key, secret_key,
	created_at) VALUES ('feedfacefeedface', 'fruitco', 'carrier', 'vn', 9, 0, randomblob(32), NULL, 0)")
expect_key "a key row inserted" "$copy" feedfacefeedface "no event of vn's chain makes it: added around the ledger"
GATE_KEY=$(sqlite3 "$DB" "SELECT id FROM signing_key WHERE party_id = 'hn-gate'")
copy=$(tampered keyedit "UPDATE signing_key SET from_seq = from_seq + 1000 WHERE id = '$GATE_KEY'")
bf verify --db "$copy" >"$T/out" 2>&1
check "a key row edited: verify exits 1" test "$?" -eq 1
check "... the key no longer covers its events" contains "$T/out" "key not in force: "
copy=$(tampered keygone "PRAGMA foreign_keys = OFF; DELETE FROM signing_key WHERE id = '$GATE_KEY'")
bf verify --db "$copy" >"$T/out" 2>&1
check "a key row removed: verify exits 1, naming the unknown key" contains "$T/out" "unknown key: "

bf keys export --db "$DB" "$T/vn-keys.json" >"$T/out" 2>&1
check "keys export exits 0" test "$?" -eq 0
check "the export holds the carrier's two keys" test "$(grep -c '"party": "fruitco"' "$T/vn-keys.json")" -eq 2
check "the export holds no secret" lacks "$T/vn-keys.json" "secret"
bf tokens new --db "$T/cn.db" --node cn --party cn-customs --role import_authority --country CN >/dev/null 2>&1
bf keys import --db "$T/cn.db" "$T/vn-keys.json" >"$T/out" 2>&1
check "keys import on node cn exits 0" test "$?" -eq 0
check "keys import counts the keys" contains "$T/out" "imported 4 keys from"
bf keys list --db "$T/cn.db" >"$T/keys" 2>&1
check "cn lists vn's carrier keys, no secret" \
	grep -qE "^fruitco +carrier +vn +2 [0-9a-f]{16} [0-9a-f]{64} none +$((N + 2)) " "$T/keys"
bf keys import --db "$DB" "$T/vn-keys.json" >"$T/out" 2>&1
check "vn refuses its own keys back" test "$?" -eq 1
check "... naming the field" contains "$T/out" "keys[0].node: vn is this node"
sed 's/"public_key": "\(..\)/"public_key": "zz/' "$T/vn-keys.json" >"$T/bad-keys.json"
bf keys import --db "$T/cn.db" "$T/bad-keys.json" >"$T/out" 2>&1
check "a damaged key file exits 1" test "$?" -eq 1
check "... naming the field" contains "$T/out" "keys[0].public_key: must be 64 hex digits"
printf '{"format": "borderflow-keys/1", "keys": [' >"$T/cut.json"
bf keys import --db "$T/cn.db" "$T/cut.json" >"$T/out" 2>&1
check "a cut-off key file exits 1 naming the place" grep -q "cut.json: line 1, column" "$T/out"

# ---- nodes and bad input ----

bf serve --db "$DB" --node cn --port 0 >"$T/out" 2>&1
check "a vn database refuses to serve as cn" test "$?" -eq 1
check "... and says whose it is" contains "$T/out" "this database is node vn's; it cannot run as node cn"
bf tokens list --db "$DB" --node Vn >"$T/out" 2>&1
check "a malformed --node exits 2" test "$?" -eq 2
check "... naming the option" contains "$T/out" "--node: a node id starts with a letter"
bf verify --db "$T/missing.db" >"$T/out" 2>&1
check "verify of a missing file exits 1" test "$?" -eq 1
check "... and creates nothing" test ! -e "$T/missing.db"
bf verify --db "$DB" extra >"$T/out" 2>&1
check "verify with an extra argument exits 2" test "$?" -eq 2
printf 'not a database, not at all; just text long enough to be read as a header....' >"$T/junk.db"
bf verify --db "$T/junk.db" >"$T/out" 2>&1
check "verify of a file that is no database exits 1" test "$?" -eq 1
check "... with a message" test -s "$T/out"
bf tokens new --db "$DB" --party node-operator --role carrier --country VN >"$T/out" 2>&1
check "no token is issued as the node operator" test "$?" -eq 1
check "... which is the node's own party" contains "$T/out" "node-operator is the node's own party"
bf keys new --db "$DB" >"$T/out" 2>&1
check "keys new without --party exits 2" test "$?" -eq 2
bf keys frob --db "$DB" >"$T/out" 2>&1
check "an unknown keys verb exits 2" test "$?" -eq 2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
