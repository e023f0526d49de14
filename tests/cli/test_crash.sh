#!/usr/bin/env bash
# Crash safety of one node: a real `borderflow serve` on loopback takes a
# burst of declarations (each with an Idempotency-Key) and bookings from
# several concurrent clients, each client logging every answer it got, and
# is killed with SIGKILL while requests are on their way; three times, each
# time started again on the same database. Then the node must hold every
# request it answered with success, in the state the answer gave; no load
# twice, and a retry with the same key is answered with the first answer
# and creates nothing; of the requests left unanswered, each is there
# whole or not at all (a consignment with both its events, a booking with
# its event, its state and its place in the slot); and `borderflow verify`
# passes after each kill and at the end.
#
# The scenario runs on a fresh database from bf_test_db (lib.sh): a SQLite
# file, and as crash@postgresql a new PostgreSQL database. Every read goes
# through the API or the CLI, never the database's own tools, so that both
# back ends are checked alike.
set -uo pipefail

NAME=crash
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
CLIENT_PIDS=()
cleanup_crash() {
	local p
	for p in "${CLIENT_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	cleanup
}
trap cleanup_crash EXIT

CLIENTS=8       # concurrent clients, each a carrier of its own: enough that requests overlap
PER_CLIENT=150  # loads a client declares and books at most in one burst
KILL_AFTER=100  # successes in a burst, all clients together, before its kill
ROUNDS=3        # bursts, each cut by a kill and followed by a restart
RUN="$$$RANDOM" # names this run's parties (a PostgreSQL database is reused)

# Set by scenario for the back end under test.
LABEL=""
DB=""
W=""
URL=""
PORT=""
FROM=""
AUDITOR=""
c() { check "[$LABEL] $1" "${@:2}"; }

# ---- the server ----

STARTS=0
start_server() { # start_server: serve $DB on $PORT (another free one if that is taken); 0 once it answers
	STARTS=$((STARTS + 1))
	bf_serve "$DB" "$W/server-$STARTS.log" "$PORT" --log off || return 1
	SERVER_PID=$SERVED_PID
	URL=$SERVED_URL
	PORT=$SERVED_PORT
}
stop_server() { # stop_server: SIGTERM, at most 10 s; returns the server's exit status
	local rc
	kill -TERM "$SERVER_PID" 2>/dev/null
	for _ in $(seq 1 100); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$SERVER_PID" 2>/dev/null && kill -9 "$SERVER_PID"
	wait "$SERVER_PID"
	rc=$?
	SERVER_PID=""
	return $rc
}

# ---- the clients ----

declaration() { # declaration KEY: a load that passes every rule; KEY is also its certificate number
	printf '%s' '{"exporter":"VN-EXP-0101","commodity":"08109092","net_weight_kg":18000,"packages":1200,' \
		'"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001","phyto_certificate":"'"$1"'",' \
		'"vehicle":{"kind":"truck","number":"12C-123.45","country":"VN"},"destination":"CN",' \
		'"preferred_gate":"huu-nghi"}'
}
declare_once() { # declare_once TOKEN KEY ANSWER: the status (000: none); body in ANSWER, headers in ANSWER.head
	curl -s -o "$3" -D "$3.head" -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $1" \
		-H "Idempotency-Key: $2" -H 'Content-Type: application/json' -d "$(declaration "$2")" "$URL/v1/consignments"
}
id_of() { sed -n 's/^{"id":"\(c-[a-z0-9]*\)".*/\1/p' "$1"; }

# One client: declares a load and books it, again and again, and logs
# each request as it leaves ("sent") and as it is answered: "ok STATUS"
# with what the answer said (the id and state, a booking's slot),
# "answered STATUS" for any other status, "unanswered
# CURL_EXIT" when no answer came (7: the server was gone, nothing sent;
# 52, 56: sent, and the connection cut). It stops at the first request
# left unanswered: the server is gone.
client() { # client K ROUND TOKEN
	local k=$1 r=$2 tok=$3 log="$W/client-$2-$1.log" answer="$W/answer-$2-$1"
	local i key code rc id state slot
	for i in $(seq 1 "$PER_CLIENT"); do
		key="VN-PC-$r-$k-$i"
		echo "declare $key sent" >>"$log"
		code=$(declare_once "$tok" "$key" "$answer")
		rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "declare $key unanswered $rc" >>"$log"
			return
		fi
		if [ "$code" != 201 ]; then
			echo "declare $key answered $code" >>"$log"
			continue
		fi
		id=$(id_of "$answer")
		state=$(sed -n 's/^{"id":"c-[a-z0-9]*","state":"\([a-z_]*\)".*/\1/p' "$answer")
		echo "declare $key ok $code ${id:-?} ${state:-?}" >>"$log"
		[ -n "$id" ] || continue
		echo "book $id sent" >>"$log"
		code=$(curl -s -o "$answer" -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $tok" \
			"$URL/v1/consignments/$id/booking")
		rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "book $id unanswered $rc" >>"$log"
			return
		fi
		if [ "$code" != 201 ]; then
			echo "book $id answered $code" >>"$log"
			continue
		fi
		state=$(sed -n 's/.*"state":"\([a-z_]*\)".*/\1/p' "$answer")
		slot=$(sed -n 's/.*"slot_start":"\([^"]*\)".*/\1/p' "$answer")
		echo "book $id ok $code ${state:-?} ${slot:-?}" >>"$log"
	done
}
successes() { cat "$W"/client-*.log 2>/dev/null | grep -c ' ok '; }

connected() { # connected: connections established to the server's port (the kernel's own table)
	awk -v port="$(printf ':%04X' "$PORT")" '$4 == "01" && substr($2, length($2) - 4) == port { n++ }
		END { print n + 0 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# ---- reading the node back, through the API only ----

list_own() { # list_own TOKEN: "ID STATE CERTIFICATE" of each consignment the carrier declared
	local cursor="" page
	for _ in $(seq 1 100); do
		page=$(curl -sf --max-time 10 -H "Authorization: Bearer $1" \
			"$URL/v1/consignments?limit=500${cursor:+&cursor=$cursor}") || return 1
		sed 's/},{"id":/}\n{"id":/g' <<<"$page" |
			sed -n 's/.*"id":"\(c-[a-z0-9]*\)","state":"\([a-z_]*\)",.*"phyto_certificate":"\([^"]*\)".*/\1 \2 \3/p'
		cursor=$(sed -n 's/.*"next_cursor":"\([0-9]*\)".*/\1/p' <<<"$page")
		[ -z "$cursor" ] && return 0
	done
	return 1
}
feed() { # feed: "ORIGIN ORIGIN_SEQ KIND SUBJECT SLOT" of every event (SLOT: a booking's, else -)
	local after=0 page
	for _ in $(seq 1 200); do
		page=$(curl -sf --max-time 10 -H "Authorization: Bearer $AUDITOR" "$URL/v1/events?after=$after&limit=500") ||
			return 1
		sed 's/},{"seq":/}\n{"seq":/g' <<<"$page" | sed -n \
			-e 's/.*"origin":"\([a-z]*\)","origin_seq":\([0-9]*\),.*"kind":"\([a-z_.]*\)","subject":"\([^"]*\)",.*\\"slot_start\\":\\"\([^\\]*\)\\".*/\1 \2 \3 \4 \5/p' \
			-e 't' \
			-e 's/.*"origin":"\([a-z]*\)","origin_seq":\([0-9]*\),.*"kind":"\([a-z_.]*\)","subject":"\([^"]*\)".*/\1 \2 \3 \4 -/p'
		grep -q '"more":true' <<<"$page" || return 0
		after=$(sed -n 's/.*"next_after":\([0-9]*\).*/\1/p' <<<"$page")
		[ -n "$after" ] || return 1
	done
	return 1
}
slots() { # slots: "CAPACITY BOOKED" of each slot of huu-nghi over 9 days from $FROM
	curl -sf --max-time 10 "$URL/v1/gates/huu-nghi/slots?from=$FROM&days=9" |
		grep -o '"capacity":[0-9]*,"booked":[0-9]*' | sed 's/"capacity":\([0-9]*\),"booked":\([0-9]*\)/\1 \2/'
}
booked_places() { slots | awk '{ n += $2 } END { print n + 0 }'; }
count_in() { # count_in FILE: how many lines of the input are lines of FILE
	awk 'FILENAME == ARGV[1] { set[$0] = 1; next } ($0 in set) { n++ } END { print n + 0 }' "$1" -
}

# ---- the scenario, once for each back end ----

scenario() { # scenario LABEL DB
	LABEL=$1
	DB=$2
	W="$T/$LABEL"
	mkdir -p "$W"
	PORT=$(free_port)
	FROM=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
	local k t tokens=() all_tokens=true

	# A carrier for each client, and an auditor to read the event feed.
	for k in $(seq 1 "$CLIENTS"); do
		t=$(bf tokens new --db "$DB" --party "crash-$RUN-$k" --role carrier --country VN 2>>"$W/cli.log")
		tokens+=("$t")
	done
	AUDITOR=$(bf tokens new --db "$DB" --party "crash-$RUN-audit" --role auditor --country VN 2>>"$W/cli.log")
	for t in "${tokens[@]}" "$AUDITOR"; do [ -n "$t" ] || all_tokens=false; done
	c "a token for each client and for the auditor" $all_tokens
	if ! $all_tokens; then
		cat "$W/cli.log"
		return
	fi
	if ! start_server; then
		bad "[$LABEL] the server starts"
		return
	fi
	local before
	before=$(booked_places)

	# ---- bursts, each cut by SIGKILL ----
	local round base cut=0 cut_round unanswered=0 killed=true
	for round in $(seq 1 "$ROUNDS"); do
		if [ "$round" -gt 1 ] && ! start_server; then
			bad "[$LABEL] the server starts again for round $round"
			return
		fi
		base=$(successes)
		CLIENT_PIDS=()
		for k in $(seq 1 "$CLIENTS"); do
			client "$k" "$round" "${tokens[$((k - 1))]}" &
			CLIENT_PIDS+=($!)
		done
		# After some successes, at a moment a client waits for an answer
		# on a connection the server has accepted, and a millisecond more or
		# less into its handling. The connection is looked for in the
		# kernel's table, one process a look: under load a client spends
		# most of its time starting curl, and a request is handled in a few
		# milliseconds.
		for _ in $(seq 1 600); do
			[ "$(($(successes) - base))" -ge "$KILL_AFTER" ] && break
			sleep 0.05
		done
		for _ in $(seq 1 2000); do
			[ "$(connected)" -gt 0 ] && break
		done
		[ $((RANDOM % 2)) -eq 0 ] && sleep 0.001
		kill -9 "$SERVER_PID" || killed=false # it would have died by itself
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=""
		for k in "${CLIENT_PIDS[@]}"; do wait "$k"; done
		CLIENT_PIDS=()
		# Requests that reached the server and were cut: curl's 52 (empty
		# reply) and 56 (connection reset).
		cut_round=$(cat "$W"/client-"$round"-*.log | grep -cE ' unanswered (52|56)$')
		cut=$((cut + cut_round))
		unanswered=$((unanswered + $(cat "$W"/client-"$round"-*.log | grep -c ' unanswered ')))
		echo "# [$LABEL] round $round: $(($(successes) - base)) successes, then $cut_round requests cut in flight"
		bf verify --db "$DB" >"$W/verify.out" 2>&1
		c "verify passes on the database as the kill left it (round $round)" test $? -eq 0
	done
	c "the server ran until each kill" $killed
	c "each kill came in the middle of a burst: it cut every client off" test "$unanswered" -eq $((CLIENTS * ROUNDS))
	c "requests had reached the server and were left unanswered" test "$cut" -gt 0
	cat "$W"/client-*.log >"$W/requests"
	c "every request answered before a kill was answered with success" \
		test "$(grep -c ' answered ' "$W/requests")" -eq 0
	c "each declaration answered said validated, each booking booked" \
		test "$(grep ' ok ' "$W/requests" | grep -vcE '^(declare VN-PC-[0-9-]* ok 201 c-[a-z0-9]* validated|book c-[a-z0-9]* ok 201 booked [0-9T:Z-]*)$')" -eq 0

	if ! start_server; then
		bad "[$LABEL] the server starts again on the same database"
		return
	fi

	# ---- what the node holds after the crashes, before any retry ----
	local listed=true
	: >"$W/stored" # "ID STATE CERTIFICATE"
	for t in "${tokens[@]}"; do list_own "$t" >>"$W/stored" || listed=false; done
	c "every client's consignments are listed" $listed
	feed >"$W/events"
	c "the event feed is read" test $? -eq 0 -a -s "$W/events"
	# The events about our consignments: "ID KIND SLOT".
	awk 'FILENAME == ARGV[1] { mine["consignment/" $1] = 1; next }
	     ($4 in mine) { sub("consignment/", "", $4); print $4, $3, $5 }' "$W/stored" "$W/events" >"$W/mine"
	cut -d' ' -f3 "$W/stored" >"$W/certs"
	awk '$2 == "booked" { print $1 }' "$W/stored" >"$W/booked"
	awk '$1 == "declare" && $3 == "sent" { print $2 }' "$W/requests" | sort >"$W/keys"

	c "no event is there twice" test "$(cut -d' ' -f1,2 "$W/events" | sort | uniq -d | wc -l)" -eq 0
	c "each chain is numbered without a gap" \
		test "$(awk '{ n[$1]++; if ($2 > m[$1]) m[$1] = $2 } END { for (o in n) if (n[o] != m[o]) print o }' \
			"$W/events" | wc -l)" -eq 0
	c "no load is stored twice" test "$(sort "$W/certs" | uniq -d | wc -l)" -eq 0
	c "every load stored was sent" test "$(sort -u "$W/certs" | comm -23 - "$W/keys" | wc -l)" -eq 0

	# Each consignment whole: declared and validated once, booked at most
	# once, and booked exactly when its state says so.
	awk 'FILENAME == ARGV[1] { state[$1] = $2; next }
	     { n[$1 " " $2]++ }
	     END {
		for (id in state) {
			d = n[id " consignment.declared"]; v = n[id " consignment.validated"]; b = n[id " consignment.booked"]
			if (d != 1 || v != 1 || b > 1 || (b == 1) != (state[id] == "booked") ||
			    (state[id] != "validated" && state[id] != "booked"))
				print id, state[id], "declared " d + 0, "validated " v + 0, "booked " b + 0
		}
	     }' "$W/stored" "$W/mine" >"$W/broken"
	c "every consignment is whole: its events match its state" test ! -s "$W/broken"
	c "no other event names them" \
		test "$(awk '$2 !~ /^consignment\.(declared|validated|booked)$/' "$W/mine" | wc -l)" -eq 0
	c "each booked load holds one place in a slot, and no other place is held" \
		test "$(($(booked_places) - before))" -eq "$(wc -l <"$W/booked")"
	c "no slot is booked past its capacity" test "$(slots | awk '$2 > $1' | wc -l)" -eq 0

	# Every success answered is stored as its answer said.
	awk 'FILENAME == ARGV[1] { stored[$1] = $2; cert[$1] = $3; next }
	     FILENAME == ARGV[2] { if ($2 == "consignment.booked") slot[$1] = $3; next }
	     $1 == "declare" && $3 == "ok" && !($5 in stored) { print "lost declaration", $2, $5 }
	     $1 == "declare" && $3 == "ok" && ($5 in stored) && cert[$5] != $2 { print "another load", $2, $5 }
	     $1 == "book" && $3 == "ok" && stored[$2] != "booked" { print "lost booking", $2, stored[$2] }
	     $1 == "book" && $3 == "ok" && slot[$2] != $6 { print "another slot", $2, $6, slot[$2] }
	     $1 == "book" { asked[$2] = 1 }
	     END { for (id in stored) if (stored[id] == "booked" && !(id in asked)) print "booked unasked", id }' \
		"$W/stored" "$W/mine" "$W/requests" >"$W/lost"
	c "every request answered with success is stored, in the state its answer gave" test ! -s "$W/lost"
	c "no declaration that never reached the server is stored" \
		test "$(awk '$1 == "declare" && $3 == "unanswered" && $4 == 7 { print $2 }' "$W/requests" |
			count_in "$W/certs")" -eq 0
	echo "# [$LABEL] $(wc -l <"$W/stored") consignments stored, $(wc -l <"$W/booked") booked;" \
		"of the requests cut in flight, $(awk '$1 == "declare" && $3 == "unanswered" && $4 != 7 { print $2 }' \
			"$W/requests" | count_in "$W/certs") declarations and" \
		"$(awk '$1 == "book" && $3 == "unanswered" && $4 != 7 { print $2 }' "$W/requests" |
			count_in "$W/booked") bookings were stored"

	# ---- the retries the product promises: same key, the first answer ----
	local -A stored_id=() first_id=()
	local key id code got retried=true replayed=0 fresh=0
	while read -r id _ key; do stored_id[$key]=$id; done <"$W/stored"
	while read -r _ key _ _ id _; do first_id[$key]=$id; done < <(awk '$1 == "declare" && $3 == "ok"' "$W/requests")
	while read -r key; do
		k=$(cut -d- -f4 <<<"$key")
		code=$(declare_once "${tokens[$((k - 1))]}" "$key" "$W/retry")
		got=$(id_of "$W/retry")
		if [ "$code" != 201 ] || [ -z "$got" ]; then
			retried=false
			echo "# retry of $key: $code"
		elif [ -n "${stored_id[$key]:-}" ]; then
			if grep -qi '^Idempotent-Replayed: true' "$W/retry.head" && [ "$got" = "${stored_id[$key]}" ]; then
				replayed=$((replayed + 1))
			else
				retried=false
				echo "# retry of $key, stored as ${stored_id[$key]}: $got, not replayed"
			fi
		elif grep -qi '^Idempotent-Replayed' "$W/retry.head"; then
			retried=false
			echo "# retry of $key replays $got, which is not stored"
		else
			fresh=$((fresh + 1))
		fi
		if [ -n "${first_id[$key]:-}" ] && [ "$got" != "${first_id[$key]}" ]; then
			retried=false
			echo "# retry of $key answered $got, first ${first_id[$key]}"
		fi
	done <"$W/keys"
	c "each retry with its key is answered 201: the first answer if stored, a new load if not" $retried
	echo "# [$LABEL] $(wc -l <"$W/keys") retries: $replayed replayed, $fresh declared anew"
	: >"$W/stored"
	for t in "${tokens[@]}"; do list_own "$t" >>"$W/stored"; done
	c "after the retries, every load sent is stored exactly once" \
		test "$(cut -d' ' -f3 "$W/stored" | sort | uniq -c | awk '$1 == 1 { print $2 }')" = "$(cat "$W/keys")"

	local events
	events=$(feed | wc -l)
	if stop_server; then
		ok "[$LABEL] the server stops cleanly at the end"
	else
		bad "[$LABEL] the server stops cleanly at the end"
		cat "$W/server-$STARTS.log"
	fi
	bf verify --db "$DB" >"$W/verify.out" 2>&1
	c "verify passes at the end" test $? -eq 0
	c "... over every event of the history" contains "$W/verify.out" "verified $events events in 1 chain"
}

DB_URL=$(bf_test_db crash)
[ -n "$DB_URL" ] || { echo "no database for the test"; exit 1; }
scenario "${BF_TEST_BACKEND:-sqlite}" "$DB_URL"

echo "crash: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
