#!/usr/bin/env bash
# The dashboard at a phone's width (375 px) without horizontal scroll, and
# used with the keyboard alone: focus order, visible focus, the token panel,
# a gate opened and the forms reached by Tab.
set -uo pipefail
NAME=web-layout
# shellcheck source=tests/web/lib.sh
. "$(dirname "$0")/lib.sh"

start_server
OPERATOR=$(token hn-operator gate_operator VN)
PLANNER=$(token plan-office planner VN)
export OPERATOR PLANNER
browse layout
finish
