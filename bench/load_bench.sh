#!/bin/bash
# Load benchmark (issue 8): wrk against a real `borderflow serve` on
# loopback. Measures requests per second and p99 latency of the read
# endpoints (the gate pairs' list, a gate's queue) and of booking POSTs,
# beside the same wrk run against a static file of the same server (the
# dashboard's index.html at /, the ceiling of the HTTP library on this
# machine), and prints the targets beside the figures.
#
#   bench/load_bench.sh [--db FILE | --db postgres://...] [--binary PATH]
#                       [--duration SECONDS] [--connections N] [--threads N]
#                       [--booking-connections N] [--bookings N]
#                       [--server-threads N] [--log json|logfmt|off] [--keep]
#
# --db          the database the server runs on, passed as it is to
#               `borderflow serve --db` and `borderflow tokens --db`;
#               default a fresh SQLite file in a scratch directory. The run
#               writes to it: a carrier (bench-carrier), its token, its
#               declarations and bookings, 20 vehicles in huu-nghi's yard.
# --connections wrk's connections for the reads and the static file
#               (default 64); --threads its threads (default 2).
# --booking-connections  for the booking run (default 16). wrk keeps each
#               connection busy, so the mean latency is connections divided
#               by throughput (Little's law): at 2,000 bookings/s, 64
#               connections would mean 32 ms on average whatever the
#               server, and the target of a p99 under 20 ms could not be
#               met; 16 leave 8 ms.
# --bookings    consignments declared before the booking run (default 5,000
#               a second of --duration); each booking request books a
#               different one.
# --server-threads, --log   passed to `borderflow serve` (its defaults
#               otherwise; the log goes to a file in the scratch directory).
#
# The exit status is 1 when any request failed (a non-2xx answer, a socket
# error or timeout), when the bookings ran out of prepared consignments or
# booked fewer than answered, or when the server died; a missed target is
# printed as MISS but is not a failure (a shared machine is noisy).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BIN="$here/../build-bench/borderflow"
DB=""
DURATION=10
CONNECTIONS=64
THREADS=2
BOOKING_CONNECTIONS=16
BOOKINGS=""
SERVER_THREADS=""
LOG=json
KEEP=0
QUEUE_GATE=huu-nghi
QUEUE_VEHICLES=20

usage() {
	sed -n '9,12p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--db) DB=${2:?--db needs a value}; shift 2 ;;
	--binary) BIN=${2:?}; shift 2 ;;
	--duration) DURATION=${2:?}; shift 2 ;;
	--connections) CONNECTIONS=${2:?}; shift 2 ;;
	--threads) THREADS=${2:?}; shift 2 ;;
	--booking-connections) BOOKING_CONNECTIONS=${2:?}; shift 2 ;;
	--bookings) BOOKINGS=${2:?}; shift 2 ;;
	--server-threads) SERVER_THREADS=${2:?}; shift 2 ;;
	--log) LOG=${2:?}; shift 2 ;;
	--keep) KEEP=1; shift ;;
	*) usage ;;
	esac
done
for tool in wrk curl python3; do
	command -v $tool >/dev/null || { echo "load_bench: $tool is missing (make bench installs it)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "load_bench: no borderflow binary at $BIN (make bench builds it)" >&2; exit 2; }
[ -n "$BOOKINGS" ] || BOOKINGS=$((5000 * DURATION))

T=$(mktemp -d "${TMPDIR:-/tmp}/load-bench.XXXXXX")
[ -n "$DB" ] || DB="$T/bench.db"
SERVER_PID=""
cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$SERVER_PID" 2>/dev/null || true
	fi
	if [ "$KEEP" = 1 ]; then echo "load_bench: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "load_bench: $*" >&2
	exit 1
}
alive() { kill -0 "$SERVER_PID" 2>/dev/null; }
server_died() {
	echo "load_bench: the server died; the end of its log:" >&2
	tail -n 20 "$T/serve.log" >&2
	exit 1
}

# The carrier that declares and books, and reads the queue.
TOKEN=$("$BIN" tokens new --db "$DB" --party bench-carrier --role carrier --country VN 2>>"$T/setup.log") ||
	fail "tokens new failed: $(cat "$T/setup.log")"

serve_args=(serve --db "$DB" --port 0 --log "$LOG")
[ -n "$SERVER_THREADS" ] && serve_args+=(--threads "$SERVER_THREADS")
"$BIN" "${serve_args[@]}" >"$T/serve.out" 2>"$T/serve.log" &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
	PORT=$(sed -n 's/^borderflow: listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$T/serve.out")
	[ -n "$PORT" ] && break
	alive || server_died
	sleep 0.1
done
[ -n "$PORT" ] || fail "the server did not say where it listens"
BASE="http://127.0.0.1:$PORT"
AUTH="Authorization: Bearer $TOKEN"

# A load of dragon fruit for China, which every fruit road gate takes.
DECLARATION='{"exporter":"VN-EXP-0101","commodity":"08109092","net_weight_kg":15000,"packages":900,'\
'"planting_areas":["VN-BTOR-0001"],"packing_house":"VN-BTPH-001","phyto_certificate":"P-1",'\
'"vehicle":{"kind":"truck","number":"12C-123.45","country":"VN"},"destination":"CN"}'
printf '%s' "$DECLARATION" >"$T/declaration.json"

# call METHOD PATH [BODY]: the answer's body; fails on a non-2xx status.
call() {
	local out
	out=$(curl -sS -X "$1" -H "$AUTH" -H 'Content-Type: application/json' ${3:+--data "$3"} \
		-w '\n%{http_code}' "$BASE$2") || fail "$1 $2: curl failed"
	case ${out##*$'\n'} in
	2??) printf '%s\n' "${out%$'\n'*}" ;;
	*) fail "$1 $2: ${out##*$'\n'}: ${out%$'\n'*}" ;;
	esac
}
id_of() { sed -n 's/^{"id":"\(c-[a-z0-9]*\)".*/\1/p'; }

# The queue read: vehicles waiting in one gate's yard.
# Each its own truck: a vehicle waits in one yard at a time.
for i in $(seq 1 $QUEUE_VEHICLES); do
	id=$(call POST /v1/consignments "${DECLARATION/12C-123.45/12C-900.$((10 + i))}" | id_of)
	call POST "/v1/consignments/$id/booking" "{\"gate\":\"$QUEUE_GATE\"}" >/dev/null
	call POST "/v1/consignments/$id/check-in" >/dev/null
done

# The bookings: one free place of a fruit road gate into China for each,
# from tomorrow on, spread over the gates and their slots, so that a
# booking finds its place at the first slot it looks at.
python3 - "$BASE" "$BOOKINGS" >"$T/places.txt" <<'EOF' || fail "not enough free places for $BOOKINGS bookings"
import json, sys, time, urllib.request
base, want = sys.argv[1], int(sys.argv[2])
def get(path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)
gates = [g["id"] for g in get("/v1/gates?designated=fruit&mode=road")["gates"]
         if g["sides"]["b"]["country"] == "CN"]
day = (int(time.time()) // 86400 + 1) * 86400
places = []
for week in range(4):   # 56 days: bookings may start at most 60 days ahead
    start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(day + week * 14 * 86400))
    slots = []
    for g in gates:
        for s in get(f"/v1/gates/{g}/slots?from={start}&days=14")["slots"]:
            if s["direction"] == "a_to_b":
                slots.append((s["start"], g, s["capacity"] - s["booked"]))
    slots.sort()
    for at, g, free in slots:
        places += [f"{g} {at}"] * free
    if len(places) >= want:
        break
if len(places) < want:
    sys.exit(f"only {len(places)} free places")
print("\n".join(places[:want]))
EOF

# The consignments to book, declared (and validated) through the API:
# curl in parallel over kept-alive connections.
{
	for i in $(seq 1 "$BOOKINGS"); do
		[ "$i" -gt 1 ] && echo next
		printf 'url = "%s/v1/consignments"\ndata = "@%s"\nheader = "%s"\n' "$BASE" "$T/declaration.json" "$AUTH"
		printf 'header = "Content-Type: application/json"\nwrite-out = "\\n"\n'
	done
} >"$T/declare.curl"
t0=$(date +%s.%N)
curl -sS -Z --parallel-max 16 -K "$T/declare.curl" >"$T/declared.out" 2>>"$T/setup.log" || true
t1=$(date +%s.%N)
grep -o '"id":"c-[a-z0-9]*"' "$T/declared.out" | cut -d'"' -f4 >"$T/ids.txt" || true
declared=$(wc -l <"$T/ids.txt")
alive || server_died
[ "$declared" -eq "$BOOKINGS" ] ||
	fail "$declared of $BOOKINGS declarations succeeded; an answer: $(grep -v '"id":"c-' "$T/declared.out" | head -n 1)"
paste -d' ' "$T/ids.txt" "$T/places.txt" >"$T/bookings.txt"
declare_rate=$(awk -v n="$BOOKINGS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')

# Non-2xx answers the server has given, from its own counters.
non_2xx() {
	curl -sS "$BASE/metrics" | awk '/^borderflow_http_requests_total\{/ && !/status="2/ { n += $NF } END { print n + 0 }'
}
bookings_total() {
	curl -sS "$BASE/metrics" | awk '/^borderflow_bookings_total / { print $2 }'
}
# "groups commits": the store's commit groups so far (SQLite's writer).
commit_groups() {
	curl -sS "$BASE/metrics" | awk '/^borderflow_store_commit_groups_total / { g = $2 }
		/^borderflow_store_grouped_commits_total / { c = $2 } END { print g + 0, c + 0 }'
}

# run NAME CONNECTIONS SCRIPT PATH [ARGS...]: one timed wrk run; sets
# RPS[NAME], P99[NAME] (ms), FAILED[NAME] (non-2xx answers, socket
# errors, timeouts), REQUESTS[NAME] and WRAPPED[NAME] (book.lua).
declare -A RPS P99 FAILED REQUESTS WRAPPED
ERRORS=0
run() {
	local name=$1 connections=$2 script=$3 path=$4
	shift 4
	local before after pair
	local -A w
	# Each run starts with the disk idle: what earlier runs left for the
	# kernel to write (the request log of a read run, tens of megabytes)
	# would otherwise be written during this one, and make its syncs wait.
	sync
	before=$(non_2xx)
	wrk -t "$THREADS" -c "$connections" -d "${DURATION}s" --latency -s "$here/load/$script" "$BASE$path" -- "$@" \
		>"$T/$name.wrk" 2>&1 || fail "wrk failed in the $name run: $(tail -n 3 "$T/$name.wrk")"
	alive || server_died
	after=$(non_2xx)
	grep -q '^figures ' "$T/$name.wrk" || fail "wrk printed no figures in the $name run"
	# shellcheck disable=SC2013 # the line is words: key=value pairs
	for pair in $(sed -n 's/^figures //p' "$T/$name.wrk"); do
		w[${pair%%=*}]=${pair#*=}
	done
	# wrk counts answers of 400 and over; the server's counters count
	# every non-2xx answer, and may include some that wrk left in flight.
	local bad=$((after - before)) socket=$((w[connect] + w[read] + w[write] + w[timeout]))
	[ "${w[status]}" -gt "$bad" ] && bad=${w[status]}
	RPS[$name]=$(awk -v n="${w[requests]}" -v us="${w[duration_us]}" 'BEGIN { printf "%.0f", n * 1e6 / us }')
	P99[$name]=$(awk -v us="${w[p99_us]}" 'BEGIN { printf "%.2f", us / 1000 }')
	FAILED[$name]=$((bad + socket))
	REQUESTS[$name]=${w[requests]}
	WRAPPED[$name]=${w[wrapped]}
	if [ $((bad + socket)) -gt 0 ]; then
		echo "load_bench: the $name run: $bad non-2xx answers, $socket socket errors or timeouts" \
			"(connect ${w[connect]}, read ${w[read]}, write ${w[write]}, timeout ${w[timeout]})" >&2
		ERRORS=$((ERRORS + bad + socket))
	fi
}

run static "$CONNECTIONS" read.lua /
run gates "$CONNECTIONS" read.lua /v1/gates
run queue "$CONNECTIONS" read.lua "/v1/gates/$QUEUE_GATE/queue" "$TOKEN"
booked_before=$(bookings_total)
read -r groups_before commits_before <<<"$(commit_groups)"
# The path is the script's (book.lua); wrk wants a URL all the same.
run booking "$BOOKING_CONNECTIONS" book.lua / "$TOKEN" "$T/bookings.txt" "$THREADS"
booked=$(($(bookings_total) - booked_before))
read -r groups_after commits_after <<<"$(commit_groups)"
if [ "${WRAPPED[booking]}" -gt 0 ]; then
	echo "load_bench: the booking run used all $BOOKINGS prepared consignments and booked some again;" \
		"give --bookings more" >&2
	ERRORS=$((ERRORS + 1))
fi
# wrk stops with requests in flight: the server may have booked up to one
# a connection more than wrk counted, never fewer.
if [ "$booked" -lt "${REQUESTS[booking]}" ]; then
	echo "load_bench: ${REQUESTS[booking]} booking requests answered but $booked consignments booked" >&2
	ERRORS=$((ERRORS + 1))
fi
curl -sfS -o /dev/null "$BASE/healthz" || server_died

verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi; }
ratio() { awk -v a="${RPS[$1]}" -v b="${RPS[static]}" 'BEGIN { printf "%.3f", a / b }'; }
case $DB in
postgres://* | postgresql://*) store=postgresql ;;
*) store=sqlite ;;
esac
row() { printf '%-36s %11s %8s %7s  %s\n' "$@"; }

echo "borderflow load benchmark: wrk $(wrk -v 2>&1 | sed -n 's/^wrk \([^ ]*\).*/\1/p'), $THREADS threads," \
	"$CONNECTIONS connections ($BOOKING_CONNECTIONS for the bookings), ${DURATION} s a run," \
	"against borderflow serve on 127.0.0.1 ($store, log $LOG, $(nproc) cores)"
echo "prepared: $BOOKINGS consignments declared in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s" \
	"($declare_rate/s, 16 at a time), $QUEUE_VEHICLES vehicles in $QUEUE_GATE's yard"
row "run" "requests/s" "p99 ms" "failed" "target"
row "GET / (static file: the ceiling)" "${RPS[static]}" "${P99[static]}" "${FAILED[static]}" "-"
row "GET /v1/gates" "${RPS[gates]}" "${P99[gates]}" "${FAILED[gates]}" \
	"half the ceiling: $(ratio gates) of it, $(verdict "$(ratio gates) >= 0.5")"
row "GET /v1/gates/$QUEUE_GATE/queue" "${RPS[queue]}" "${P99[queue]}" "${FAILED[queue]}" \
	"half the ceiling: $(ratio queue) of it, $(verdict "$(ratio queue) >= 0.5")"
row "POST /v1/consignments/{id}/booking" "${RPS[booking]}" "${P99[booking]}" "${FAILED[booking]}" \
	"2,000/s, $(verdict "${RPS[booking]} >= 2000"); p99 under 20 ms, $(verdict "${P99[booking]} < 20")"
echo "consignments booked during the booking run: $booked$(
	awk -v g=$((groups_after - groups_before)) -v c=$((commits_after - commits_before)) \
		'BEGIN { if (g > 0) printf ", in %d commit groups (%.1f commits a group)", g, c / g }')"
if [ "$ERRORS" -gt 0 ]; then
	echo "load_bench: FAILED: $ERRORS failed requests or checks (see above)" >&2
	exit 1
fi
