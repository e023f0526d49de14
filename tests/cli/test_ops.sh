#!/usr/bin/env bash
# Operations on a real `borderflow serve`: one log line a request on
# stderr (JSON, or logfmt) with the route's pattern and the party, never
# the token or the body; GET /metrics without a token; `backup` while a
# burst of declarations writes, giving a copy that `verify` passes and
# that holds every declaration acknowledged before it began; `restore`
# refusing a database in use or an existing one without --force, and a
# server on the restored database serving those declarations.
set -uo pipefail

NAME=ops
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
SERVER2_PID=""
cleanup_ops() {
	[ -n "$SERVER2_PID" ] && kill -9 "$SERVER2_PID" 2>/dev/null
	cleanup
}
trap cleanup_ops EXIT
DB="$T/live.db"

wait_up() { # wait_up URL: until it answers, at most 10 s
	for _ in $(seq 1 100); do
		curl -s -o /dev/null --max-time 1 "$1/healthz" && return 0
		sleep 0.1
	done
	return 1
}
DECLARATION='{"exporter":"VN-EXP-0101","commodity":"08109092","net_weight_kg":18000,"packages":1200,
  "planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001","phyto_certificate":"VN-PC-2026-000123",
  "vehicle":{"kind":"truck","number":"12C-123.45","country":"VN"},"destination":"CN","preferred_gate":"huu-nghi"}'
declare_one() { # declare_one URL TOKEN OUT: the id, once acknowledged with 201
	local code
	code=$(curl -s -o "$3" -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $2" \
		-H 'Content-Type: application/json' -d "$DECLARATION" "$1/v1/consignments") || return 1
	[ "$code" = 201 ] || return 1
	sed -n 's/^{"id":"\(c-[a-z0-9]*\)".*/\1/p' "$3"
}

CARRIER=$(bf tokens new --db "$DB" --party fruitco --role carrier --country VN 2>/dev/null)
check "a carrier's token" test -n "$CARRIER"

# ---- the log ----

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
"$BIN" serve --db "$DB" --port "$PORT" >"$T/out.log" 2>"$T/err.log" &
SERVER_PID=$!
check "the server starts" wait_up "$URL"
before=$(wc -l <"$T/err.log")
curl -s -o /dev/null "$URL/v1/gates/huu-nghi?days=1"
curl -s -o /dev/null -H "Authorization: Bearer $CARRIER" "$URL/v1/whoami"
ID=$(declare_one "$URL" "$CARRIER" "$T/answer")
check "a declaration is acknowledged" test -n "$ID"
curl -s -o /dev/null "$URL/v1/consignments/$ID"
curl -s -o /dev/null "$URL/no/such/path"
curl -s -o "$T/metrics" -w '%{content_type}' "$URL/metrics" >"$T/metrics-type"
# A health check of wait_up that timed out may still be answered late:
# those lines are left out of the count.
# The log's own thread writes the lines a moment later (api/reqlog.h).
for _ in $(seq 1 50); do
	tail -n +$((before + 1)) "$T/err.log" | grep -vF '"path":"/healthz"' >"$T/lines"
	[ "$(wc -l <"$T/lines")" -ge 6 ] && break
	sleep 0.1
done
sleep 0.2
tail -n +$((before + 1)) "$T/err.log" | grep -vF '"path":"/healthz"' >"$T/lines"
check "one log line a request" test "$(wc -l <"$T/lines")" -eq 6
pattern='^\{"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z","method":"[A-Z]+","path":"[^"]+","status":[0-9]{3},"duration_ms":[0-9]+\.[0-9]{3},"party":("[^"]+"|null),"bytes":[0-9]+\}$'
check "every line is one JSON object with the fields" test "$(grep -cvE "$pattern" "$T/lines")" -eq 0
check "the route's pattern, not the path" contains "$T/lines" '"method":"GET","path":"/v1/gates/{id}","status":200'
check "the declaration: method, pattern, status and party" \
	contains "$T/lines" '"method":"POST","path":"/v1/consignments","status":201'
check "the authenticated party is named" \
	bash -c "grep -F '\"path\":\"/v1/consignments\",\"status\":201' '$T/lines' | grep -qF '\"party\":\"fruitco\"'"
check "an unauthenticated call has no party" contains "$T/lines" '"path":"/v1/gates/{id}","status":200,"duration_ms"'
check "a call without its token: 401, no party" \
	bash -c "grep -F '\"path\":\"/v1/consignments/{id}\",\"status\":401' '$T/lines' | grep -qF '\"party\":null'"
check "an unknown path is logged as unmatched" contains "$T/lines" '"path":"unmatched","status":404'
check "the log never holds the token" lacks "$T/err.log" "$CARRIER"
check "nor the body" lacks "$T/err.log" "VN-PC-2026-000123"
check "nor the consignment's id from the path" lacks "$T/err.log" "$ID"
check "nor an Authorization header" lacks "$T/err.log" "Bearer"
check "the answer's bytes are counted" bash -c "grep -F '/v1/gates/{id}' '$T/lines' | grep -qE '\"bytes\":[1-9][0-9]+'"

# ---- the metrics page, without a token ----

check "GET /metrics is public text" grep -q '^text/plain; version=0.0.4' "$T/metrics-type"
check "it counts the declaration" \
	contains "$T/metrics" 'borderflow_http_requests_total{route="/v1/consignments",method="POST",status="201"} 1'
check "and the 401" \
	contains "$T/metrics" 'borderflow_http_requests_total{route="/v1/consignments/{id}",method="GET",status="401"} 1'
check "events by kind" contains "$T/metrics" 'borderflow_events_total{kind="consignment.declared"} 1'
check "yards by gate" contains "$T/metrics" 'borderflow_queue_vehicles{gate="huu-nghi"} 0'
check "the metrics hold no token" lacks "$T/metrics" "$CARRIER"

# ---- logfmt, and a bad --log ----

PORT2=$(free_port)
"$BIN" serve --db "$T/logfmt.db" --port "$PORT2" --log logfmt >/dev/null 2>"$T/logfmt.log" &
SERVER2_PID=$!
check "a server with --log logfmt starts" wait_up "http://127.0.0.1:$PORT2"
curl -s -o /dev/null "http://127.0.0.1:$PORT2/v1/commodities"
kill "$SERVER2_PID" && gone "$SERVER2_PID"
SERVER2_PID=""
check "a logfmt line with every field" grep -qE \
	'^time=[0-9T:.Z-]+ method=GET path=/v1/commodities status=200 duration_ms=[0-9.]+ party=- bytes=[0-9]+$' \
	"$T/logfmt.log"
bf serve --db "$T/logfmt.db" --log yaml >/dev/null 2>"$T/err"
check "--log yaml: wrong usage" test $? -eq 2
check "and says what it takes" contains "$T/err" "json, logfmt or off"

# ---- backup while the server writes ----

: >"$T/acked"
burst() {
	for i in $(seq 1 150); do
		id=$(declare_one "$URL" "$CARRIER" "$T/burst-$i") && [ -n "$id" ] && echo "$id" >>"$T/acked"
	done
}
burst &
BURST=$!
for _ in $(seq 1 600); do
	[ "$(wc -l <"$T/acked")" -ge 20 ] && break
	sleep 0.05
done
cp "$T/acked" "$T/acked-before"
bf backup --db "$DB" "$T/backup.db" >"$T/out" 2>"$T/err"
check "backup while declarations are written" test $? -eq 0
wait "$BURST"
check "the burst went on during the backup" test "$(wc -l <"$T/acked")" -gt "$(wc -l <"$T/acked-before")"
check "the backup saw the burst under way" test "$(wc -l <"$T/acked-before")" -ge 20
bf verify --db "$T/backup.db" >"$T/out" 2>&1
check "verify passes on the backup" test $? -eq 0
bf backup --db "$DB" "$T/backup.db" >/dev/null 2>"$T/err"
check "backup refuses to overwrite a file" test $? -eq 1
check "and says so" contains "$T/err" "exists already"
bf backup --db "$T/none.db" "$T/other.db" >/dev/null 2>"$T/err"
check "backup of a missing database fails" test $? -eq 1
check "and creates nothing" test ! -e "$T/other.db" -a ! -e "$T/none.db"
bf backup --db "$DB" >/dev/null 2>&1
check "backup without OUT: wrong usage" test $? -eq 2
echo "not a database" >"$T/junk"
bf restore "$T/junk" --db "$T/from-junk.db" >/dev/null 2>"$T/err"
check "restore refuses a file that is not a database" test $? -eq 1
check "and creates nothing" test ! -e "$T/from-junk.db"

# ---- restore ----

bf restore "$T/backup.db" --db "$DB" --force >/dev/null 2>"$T/err"
check "restore refuses a database a server has open, even with --force" test $? -eq 1
check "and says to stop it" contains "$T/err" "in use"
curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $CARRIER" "$URL/v1/consignments/$ID" >"$T/code"
check "the live database still serves" grep -qx 200 "$T/code"
kill "$SERVER_PID" && gone "$SERVER_PID"
SERVER_PID=""
bf restore "$T/backup.db" --db "$DB" >/dev/null 2>"$T/err"
check "restore over an existing database needs --force" test $? -eq 1
check "and says so" contains "$T/err" "--force"
bf restore "$T/backup.db" --db "$DB" --force >/dev/null 2>"$T/err"
check "restore --force once the server is stopped" test $? -eq 0
bf verify --db "$DB" >/dev/null 2>&1
check "verify passes on the restored database" test $? -eq 0

"$BIN" serve --db "$DB" --port "$PORT" >/dev/null 2>&1 &
SERVER_PID=$!
check "a server starts on the restored database" wait_up "$URL"
missing=0
while read -r id; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $CARRIER" "$URL/v1/consignments/$id")
	[ "$code" = 200 ] || missing=$((missing + 1))
done <"$T/acked-before"
check "it serves every declaration acknowledged before the backup" test "$missing" -eq 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
