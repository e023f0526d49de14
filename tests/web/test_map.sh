#!/usr/bin/env bash
# The border map in a real browser: every bundled gate pair on it, neutral
# without a token and coloured by its queue with one, and the language
# switch changing the gates' names.
set -uo pipefail
NAME=web-map
# shellcheck source=tests/web/lib.sh
. "$(dirname "$0")/lib.sh"

start_server
GATES=$(curl -s --max-time 10 "$BASE/v1/gates" | grep -o '"mode":' | wc -l)
check "the API lists 17 gate pairs" test "$GATES" -eq 17
PLANNER=$(token plan-office planner VN)
check "a planner token is issued" test -n "$PLANNER"
export PLANNER GATES
browse map
finish
