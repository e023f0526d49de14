#!/usr/bin/env bash
# The simulation view in a real browser: a planner runs two policies of the
# Lang Son scenario from the page, follows its progress, and compares them
# on charts; another role may not run one.
set -uo pipefail
NAME=web-simulation
# shellcheck source=tests/web/lib.sh
. "$(dirname "$0")/lib.sh"

start_server
PLANNER=$(token plan-office planner VN)
CARRIER=$(token fruitco carrier VN)
export PLANNER CARRIER
browse simulation
finish
