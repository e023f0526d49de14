#!/usr/bin/env bash
# The `borderflow` command as an operator runs it: help listing every
# command, gates in text and JSON, --open-at, usage errors, a bad data file
# that stops start-up without touching the database, and `serve` started for
# real and stopped by signal.
set -uo pipefail

NAME=cli
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# help and usage errors
"$BIN" help >"$T/help" 2>&1
check "help exits 0 and lists gates" contains "$T/help" "gates"
# help is made from the command table: a command left out of it is one
# operators never learn of. Its names start the lines indented by two.
names=$(sed -n 's/^  \([a-z]\+\) .*/\1/p' "$T/help")
for c in serve gates plan tokens import sim keys verify backup restore help; do
	check "help lists $c" grep -qx -- "$c" <<<"$names"
done
"$BIN" nosuch >"$T/out" 2>&1
rc=$?
check "borderflow nosuch exits 2" test "$rc" -eq 2
check "borderflow nosuch gives the hint" contains "$T/out" "run 'borderflow help' for usage"
# Every command help lists exists, and rejects an option it does not know
# with its own error, before it opens any database.
for c in $names; do
	[ "$c" = help ] && continue
	case $c in
	tokens | keys) verb=list ;;
	import) verb=registry ;;
	*) verb="" ;;
	esac
	"$BIN" "$c" ${verb:+"$verb"} --no-such-option --db "$T/never.db" >"$T/out" 2>&1
	rc=$?
	check "$c: a bad option exits 2" test "$rc" -eq 2
	check "$c: its own error names it" contains "$T/out" "$c: unknown option"
done
check "no database opened for a bad option" test ! -e "$T/never.db"
"$BIN" frobnicate >"$T/out" 2>&1
rc=$?
check "an unknown command exits 2" test "$rc" -eq 2
check "an unknown command is named" contains "$T/out" 'unknown command "frobnicate"'
"$BIN" gates --db "$T/a.db" --open-at 2026-12-01T10:30:00 >"$T/out" 2>&1
rc=$?
check "--open-at without a zone exits 2" test "$rc" -eq 2
check "--open-at error names the option" contains "$T/out" "--open-at"
"$BIN" serve --db "$T/a.db" --port 70000 >"$T/out" 2>&1
rc=$?
check "--port 70000 exits 2" test "$rc" -eq 2

# gates, text
timeout 60 "$BIN" gates --db "$T/a.db" --date 2026-12-01 >"$T/gates" 2>&1
rc=$?
check "gates exits 0" test "$rc" -eq 0
check "gates lists Huu Nghi" contains "$T/gates" "huu-nghi"
check "both local times and UTC" contains "$T/gates" "VN +07:00 07:00-19:00       CN +08:00 08:00-20:00       UTC 00:00-12:00"
check "a pair closed that day says so" contains "$T/gates" "closed all day"
count=$(grep -c '^[a-z0-9-]\+ ' "$T/gates")
check "every bundled pair is listed (17 or more)" test "$count" -ge 17

# gates --open-at: Chi Ma closes at 17:00 Hanoi time (10:00 UTC)
timeout 60 "$BIN" gates --db "$T/a.db" --open-at 2026-12-01T11:30:00Z >"$T/open" 2>&1
check "--open-at keeps Huu Nghi" contains "$T/open" "huu-nghi"
check "--open-at drops Chi Ma" lacks "$T/open" "chi-ma"
check "--open-at counts the open pairs" contains "$T/open" "gate pairs open at 2026-12-01T11:30:00Z"
timeout 60 "$BIN" gates --db "$T/a.db" --open-at 2026-12-01T16:00:00Z >"$T/night" 2>&1
check "nothing is open at 23:00 in Hanoi" contains "$T/night" "0 of "

# gates --json
timeout 60 "$BIN" gates --db "$T/a.db" --json --date 2026-12-01 >"$T/json" 2>&1
check "--json starts an object" test "$(head -c 1 "$T/json")" = "{"
check "--json holds UTC windows" contains "$T/json" '"from": "2026-12-01T00:00:00Z"'
check "--json holds Chinese names" contains "$T/json" "友谊关"

# plan: the slots of one gate on one day, both directions, with their fill
timeout 60 "$BIN" plan --db "$T/a.db" --gate huu-nghi --day 2026-12-01 >"$T/plan" 2>&1
rc=$?
check "plan exits 0" test "$rc" -eq 0
check "plan counts both directions' slots" contains "$T/plan" "on 2026-12-01, side A's day: 48 slots"
check "plan shows a slot in UTC and both local times" contains "$T/plan" "2026-12-01T00:00    07:00         08:00             17      0"
check "plan totals the places (24 slots of 17)" contains "$T/plan" "total: 408 places, 0 booked (0%)"
timeout 60 "$BIN" plan --db "$T/a.db" --gate nowhere >"$T/out" 2>&1
rc=$?
check "plan of an unknown gate exits 1" test "$rc" -eq 1
timeout 60 "$BIN" plan --db "$T/a.db" >"$T/out" 2>&1
rc=$?
check "plan without --gate exits 2" test "$rc" -eq 2

# A bad data file stops start-up and leaves the database untouched.
mkdir -p "$T/data"
cp "$SRC"/data/gates.json "$SRC"/data/commodities.json "$SRC"/data/registry.json "$T/data/"
sed -i '0,/"close": "19:00"/s//"close": "25:00"/' "$T/data/gates.json"
timeout 60 "$BIN" gates --db "$T/new.db" --data "$T/data" >"$T/out" 2>&1
rc=$?
check "a bad data file exits non-zero" test "$rc" -ne 0
check "the message names the file" contains "$T/out" "gates.json"
check "the message names the record" contains "$T/out" "gate 1 (mong-cai)"
check "the message names the field" contains "$T/out" "sides.a.hours[0].close"
check "no database is created" test ! -e "$T/new.db"
before=$(sha256sum "$T/a.db" | cut -d' ' -f1)
timeout 60 "$BIN" serve --db "$T/a.db" --port 0 --data "$T/data" >"$T/out" 2>&1
rc=$?
after=$(sha256sum "$T/a.db" | cut -d' ' -f1)
check "serve refuses the bad data" test "$rc" -ne 0
check "an existing database is left byte for byte" test "$before" = "$after"

# serve, for real, on a loopback port the kernel picks
bf_serve_port0 "$T/serve" --db "$T/s.db"
port=$SERVED_PORT
check "serve prints its address" test -n "$port"
if [ -n "$port" ]; then
	code=$(curl -s -o "$T/health" -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/healthz")
	check "healthz answers 200" test "$code" = 200
	check "healthz says ok" contains "$T/health" '"status":"ok"'
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/v1/gates/huu-nghi")
	check "a gate answers 200" test "$code" = 200
	# A second server on the same port fails cleanly.
	timeout 60 "$BIN" serve --db "$T/s2.db" --port "$port" >"$T/out2" 2>&1
	rc=$?
	check "a port in use exits 1" test "$rc" -eq 1
	check "a port in use is explained" contains "$T/out2" "cannot listen"
	# The HTTP library's own message goes through the JSON log as JSON.
	check "the library's message is a JSON line" grep -qE \
		'^\{"time":"[0-9T:.Z-]+","level":"error","source":"libmicrohttpd","message":"Failed to bind[^"]*"\}$' "$T/out2"
	check "no other line but the command's own" test -z "$(grep -vE '^(borderflow: |\{")' "$T/out2")"
fi
bf_stop_server
rc=$?
check "SIGTERM stops serve with exit 0" test "$rc" -eq 0
check "serve says it stops" contains "$T/serve" "SIGTERM received, stopping"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
