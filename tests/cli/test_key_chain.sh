#!/usr/bin/env bash
# shellcheck disable=SC2034 # the pids in PAIR_PROCS are killed at exit by name (pair.sh)
# Keys on the chain, between two real nodes: each node pins the other's
# node key once, out of band (`keys node` on one side, `serve --peer-key`
# on the other), and no key file ever crosses. In the middle of a burst of
# declarations on vn, vn rotates its carrier's key, makes a new carrier
# that declares at once, and cn rotates its node key itself: replication
# never stops, each node learns every new key from the other's chain, and
# both end with the same chains, the same key tables, and logs that verify
# against the pinned keys alone. A node with no pin, or with a wrong one,
# takes none of the peer's chain, and says why.
set -uo pipefail

NAME=key-chain
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/pair.sh
. "$(dirname "$0")/pair.sh"
PAIR_PROCS="$PAIR_PROCS X_PID BURST"
X_PID=""
BURST=""
VN_DB="$T/vn.db"
CN_DB="$T/cn.db"
pair_ports

CARRIER=$(bf tokens new --db "$VN_DB" --node vn --party fruitco --role carrier --country VN 2>/dev/null)
VN_AUDIT=$(bf tokens new --db "$VN_DB" --party cn-node --role auditor --country CN 2>/dev/null)
VN_GATE=$(bf tokens new --db "$VN_DB" --party vn-gate --role gate_operator --country VN 2>/dev/null)
CN_GATE=$(bf tokens new --db "$CN_DB" --node cn --party cn-gate --role gate_operator --country CN 2>/dev/null)
CN_AUDIT=$(bf tokens new --db "$CN_DB" --party vn-node --role auditor --country VN 2>/dev/null)
check "tokens on both nodes" test -n "$CARRIER" -a -n "$VN_AUDIT" -a -n "$VN_GATE" -a -n "$CN_GATE" -a -n "$CN_AUDIT"
VN_KEY=$(bf keys node --db "$VN_DB" 2>/dev/null)
CN_KEY=$(bf keys node --db "$CN_DB" 2>/dev/null)
check "each node prints its node key" test "${#VN_KEY}" -eq 64 -a "${#CN_KEY}" -eq 64
check "no key of the other node is registered on either" \
	test "$(sql "$VN_DB" "SELECT count(*) FROM signing_key WHERE node = 'cn'")" -eq 0 \
	-a "$(sql "$CN_DB" "SELECT count(*) FROM signing_key WHERE node = 'vn'")" -eq 0

# ---- a node with a wrong pin, or none, takes nothing ----

X_DB="$T/x.db"
X_PORT=$(free_port)
bf tokens new --db "$X_DB" --node cn --party x-gate --role gate_operator --country CN >/dev/null 2>&1
bf serve --db "$X_DB" --node cn --port "$X_PORT" --peer "$VN" --peer-node vn --peer-token "$VN_AUDIT" \
	--peer-key xyz >"$T/x.out" 2>&1
check "serve --peer-key that is no key exits 1" test $? -eq 1
check "... naming the option" contains "$T/x.out" "--peer-key: \"xyz\" is not a node key"
bf serve --db "$X_DB" --node cn --port "$X_PORT" --peer-key "$CN_KEY" >"$T/x.out" 2>&1
check "serve --peer-key without --peer exits 2" test $? -eq 2

VN_PID=$(start_node vn "$VN_DB" "$VN_PORT" "$CN" "$CN_AUDIT" --peer-key "$CN_KEY")
CN_PID=$(start_node cn "$CN_DB" "$CN_PORT" "$VN" "$VN_AUDIT" --peer-key "$VN_KEY")
check "the vn node starts" wait_up "$VN" "$T/vn.log"
check "the cn node starts" wait_up "$CN" "$T/cn.log"
check "vn opens its writes" writes_open "$VN" "$VN_GATE"
check "cn opens its writes" writes_open "$CN" "$CN_GATE"

x_refuses() { # x_refuses TEXT: node x, pulling vn, refuses vn's first event saying TEXT, at most 20 s
	for _ in $(seq 1 200); do
		grep -qF -- "$1" "$T/x.log" && return 0
		sleep 0.1
	done
	return 1
}
X_PID=$(bash -c 'exec "$0" serve --db "$1" --node cn --port "$2" --peer "$3" --peer-node vn --peer-token "$4" >>"$5" 2>&1' \
	"$BIN" "$X_DB" "$X_PORT" "$VN" "$VN_AUDIT" "$T/x.log" & echo $!)
check "a node with no pin of vn's key refuses vn's chain" x_refuses "node key"
check "... saying it is not pinned" contains "$T/x.log" "is not pinned here"
check "... and holds none of it" test "$(sql "$X_DB" "SELECT count(*) FROM event WHERE origin = 'vn'")" -eq 0
kill -TERM "$X_PID"
gone "$X_PID"
X_PID=""
: >"$T/x.log"
X_PID=$(bash -c 'exec "$0" serve --db "$1" --node cn --port "$2" --peer "$3" --peer-node vn --peer-token "$4" --peer-key "$6" >>"$5" 2>&1' \
	"$BIN" "$X_DB" "$X_PORT" "$VN" "$VN_AUDIT" "$T/x.log" "$CN_KEY" & echo $!)
check "a node with a wrong pin refuses vn's chain" x_refuses "is not the one pinned here"
check "... and holds none of it" test "$(sql "$X_DB" "SELECT count(*) FROM event WHERE origin = 'vn'")" -eq 0
kill -TERM "$X_PID"
gone "$X_PID"
X_PID=""

# ---- keys made and rotated in the middle of a burst ----

declare_one() { # declare_one TOKEN N: 201 or not
	[ "$(post "$VN" "$1" /v1/consignments '{"exporter":"VN-EXP-0101","commodity":"08109092",
	  "net_weight_kg":18000,"packages":1200,"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001",
	  "phyto_certificate":"VN-PC-2026-000123","vehicle":{"kind":"truck","number":"12C-123.'"$2"'","country":"VN"},
	  "destination":"CN","preferred_gate":"huu-nghi"}')" = 201 ]
}
: >"$T/declared"
( for i in $(seq 10 39); do declare_one "$CARRIER" "$i" && echo "$i" >>"$T/declared"; done ) &
BURST=$!
for _ in $(seq 1 300); do
	[ "$(wc -l <"$T/declared")" -ge 5 ] && break
	sleep 0.05
done
bf keys new --db "$VN_DB" --party fruitco >"$T/out" 2>&1
check "vn rotates its carrier's key while the carrier declares" test $? -eq 0
NEWCO=$(bf tokens new --db "$VN_DB" --party newco --role carrier --country VN 2>/dev/null)
check "vn makes a new carrier" test -n "$NEWCO"
declare_one "$NEWCO" 99
check "... which declares at once" test $? -eq 0
bf keys new --db "$CN_DB" --party node-operator >"$T/out" 2>&1
check "cn rotates its own node key" test $? -eq 0
check "cn posts a notice signed after the rotation (201)" \
	test "$(post "$CN" "$CN_GATE" /v1/notices '{"kind":"gate_disruption","text":"lane 2 closed","gate":"huu-nghi"}')" = 201
wait "$BURST"
BURST=""
check "the whole burst was acknowledged" test "$(wc -l <"$T/declared")" -eq 30

same_heads() { # until each node holds the other's chain as its origin does, at most 30 s
	for _ in $(seq 1 300); do
		[ "$(head_of "$CN_DB" vn)" = "$(head_of "$VN_DB" vn)" ] &&
			[ "$(head_of "$VN_DB" cn)" = "$(head_of "$CN_DB" cn)" ] && return 0
		sleep 0.1
	done
	return 1
}
check "each node holds the other's whole chain" same_heads
chain() { sql "$1" "SELECT origin, origin_seq, hex(hash) FROM event ORDER BY origin, origin_seq"; }
check "the chains are identical, hash for hash" test "$(chain "$VN_DB")" = "$(chain "$CN_DB")"
keys() { sql "$1" "SELECT id, party_id, role, node, number, from_seq, hex(public_key) FROM signing_key ORDER BY id"; }
check "the key tables are identical" test "$(keys "$VN_DB")" = "$(keys "$CN_DB")"
check "cn learned vn's rotated carrier key and newco's from the chain" \
	test "$(sql "$CN_DB" "SELECT count(*) FROM signing_key WHERE node = 'vn' AND party_id IN ('fruitco', 'newco')")" -eq 3
check "vn learned cn's new node key from the chain" \
	test "$(sql "$VN_DB" "SELECT max(number) FROM signing_key WHERE node = 'cn' AND party_id = 'node-operator'")" -eq 2
get "$CN" "$CN_GATE" /v1/sync >"$T/cn.sync"
get "$VN" "$VN_GATE" /v1/sync >"$T/vn.sync"
check "cn's pull never refused an event" test "$(jq '.refusals | length' "$T/cn.sync")" -eq 0
check "vn's pull never refused an event" test "$(jq '.refusals | length' "$T/vn.sync")" -eq 0
check "nor disputed one" test "$(jq '.disputes' "$T/cn.sync")" -eq 0 -a "$(jq '.disputes' "$T/vn.sync")" -eq 0
check "nor logged a refusal" lacks "$T/cn.log" "refused: "
check "... on either side" lacks "$T/vn.log" "refused: "
check "no secret of a peer's key is held" \
	test "$(sql "$CN_DB" "SELECT count(*) FROM signing_key WHERE node = 'vn' AND secret_key IS NOT NULL")" -eq 0
check "the retired keys' secrets are erased" \
	test "$(sql "$VN_DB" "SELECT count(*) FROM signing_key WHERE party_id = 'fruitco' AND secret_key IS NOT NULL")" -eq 1 \
	-a "$(sql "$CN_DB" "SELECT count(*) FROM signing_key WHERE node = 'cn' AND party_id = 'node-operator' AND secret_key IS NOT NULL")" -eq 1

for side in vn cn; do
	db="$T/$side.db"
	bf verify --db "$db" --pin "vn=$VN_KEY" --pin "cn=$CN_KEY" >"$T/out" 2>&1
	check "$side's log verifies against the two pinned node keys" test $? -eq 0
	check "... both chains rooted in a pinned key" test "$(grep -c "the one pinned (--pin)" "$T/out")" -eq 2
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
