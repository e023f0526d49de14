#!/usr/bin/env bash
# The README's five-minute tour, run as a newcomer would run it: its shell
# blocks are taken from README.md as they stand and run against a real
# server on a free port, and what they print is checked. Also: the docs
# and the bundled data cite no file outside the project.
NAME=readme
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# The tour's blocks, in order, as README.md has them.
awk '/^## A five-minute tour/{f=1} /^## /&&!/five-minute/{f=0} f' "$SRC/README.md" |
	awk '/^```sh/{c=1;next} /^```/{c=0;next} c' >"$T/blocks.sh"
check "the README has a tour" test -s "$T/blocks.sh"
check "the tour starts the server with make run" grep -q '^make run' "$T/blocks.sh"

# The tour as this test runs it: the server is started here (make run is
# the same `serve` on borderflow.db), on a free port instead of 8080, with
# the binary under test first on the PATH, and the simulation with two
# replications to keep the test short.
cd "$T" || exit 1
bf_serve "$T/borderflow.db" "$T/serve.log" "" --log off
if [ -z "$SERVED_PID" ]; then
	bad "the server starts"
else
	ok "the server starts"
	SERVER_PID=$SERVED_PID
fi
{
	echo 'set -euo pipefail'
	grep -v '^make run' "$T/blocks.sh" |
		sed -e "s|export PATH=\"\$PWD/build:\$PATH\"|export PATH=\"$(dirname "$BIN"):\$PATH\"|" \
			-e "s|127.0.0.1:8080|127.0.0.1:$SERVED_PORT|g" \
			-e 's|^borderflow sim lang-son-2021 |borderflow sim lang-son-2021 --replications 2 |'
	echo 'echo "TOKEN=$TOKEN"'
	echo 'echo "ID=$ID"'
} >"$T/tour.sh"
timeout 600 bash "$T/tour.sh" >"$T/tour.out" 2>"$T/tour.err"
rc=$?
check "every command of the tour succeeds" test "$rc" -eq 0
[ "$rc" -eq 0 ] || { cat "$T/tour.err"; tail -20 "$T/tour.out"; }
check "gates lists Huu Nghi" grep -q '^huu-nghi ' "$T/tour.out"
check "the gate answers its windows" grep -q '"windows":\[' "$T/tour.out"
check "a token is made" grep -qE '^TOKEN=bf_[A-Za-z0-9]+_' "$T/tour.out"
check "whoami names the carrier" grep -q '"party":"fruitco","name":"fruitco","role":"carrier"' "$T/tour.out"
check "the declaration gives an id" grep -qE '^ID=c-[a-z0-9]+$' "$T/tour.out"
check "the load is validated" grep -q '"state":"validated"' "$T/tour.out"
check "the load is booked at Huu Nghi" grep -q '"state":"booked","gate":"huu-nghi"' "$T/tour.out"
check "the truck waits in the yard" grep -q '"state":"waiting"' "$T/tour.out"
check "the queue holds it at place 1" grep -q '"place":1' "$T/tour.out"
check "its events start with the declaration" grep -q '"kind":"consignment.declared"' "$T/tour.out"
check "sim --list names the bundled scenario" grep -qE '(^|[]}])lang-son-2021$' "$T/tour.out"
check "the simulation compares its policies" grep -q 'baseline' "$T/tour.out"
bf_stop_server

# What the project says of its sources, it says itself.
check "docs and data cite no file outside the project" \
	test -z "$(grep -rlE '(^|[^a-z])(shared/facts|facts/[a-z-]+\.md|/work/)' "$SRC/README.md" "$SRC/docs" "$SRC/data")"

echo "readme: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
