#!/usr/bin/env bash
# tsan-check.sh: the threaded tests under ThreadSanitizer.
#
# Configures a build of its own ($BUILD_TSAN, build-tsan at the root of
# the tree by default) with -DCMAKE_BUILD_TYPE=Debug -DBF_TSAN=ON,
# builds only the test programs it runs (and `borderflow`, which the shell
# tests and the API fixture drive), and runs them with ctest inside
# scripts/with-postgres.sh, as `make check` does, so that each test's
# @postgresql variant runs too. The tests, by the threads they exercise:
#   the store's writer pool and group commit   store/test_group, store/test_store
#   the server's writer threads, request log,
#   kept answers and metrics                   api/* (every API test)
#   the peer puller                            service/test_sync, cli/test_two_nodes
#   the simulation runner and the season's
#   replication threads                        api/test_simulations, sim/test_season
#   the worker life cycle they all run on      model/test_worker
#   verify's signature checks on every core    ledger/test_ledger
#
# Every process writes its ThreadSanitizer reports to a file of
# $BUILD_TSAN/tsan-logs (TSAN_OPTIONS log_path), servers started by the
# shell tests included, whose own output the tests throw away. Any such
# file fails the run, as does any failing test. scripts/tsan.supp holds the
# suppressions, for races inside third-party libraries only.
#
# JOBS (default 2) sets both the build's and ctest's parallelism.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_TSAN:-$root/build-tsan}
jobs=${JOBS:-2}

# ctest names (without the @postgresql suffix, which is added below).
tests=(
	'store/test_group'
	'store/test_store'
	'api/test_[a-z_]+'
	'service/test_sync'
	'cli/test_two_nodes'
	'sim/test_season'
	'model/test_worker'
	'ledger/test_ledger'
)
regex="^($(
	IFS='|'
	echo "${tests[*]}"
))(@postgresql)?\$"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DBF_TSAN=ON -DBF_SANITIZE=OFF >/dev/null

# The ctest names that match, and from them the test programs to build:
# LAYER/test_NAME is the program LAYER_test_NAME when tests/LAYER/test_NAME.c
# exists; a shell test needs only `borderflow`.
mapfile -t names < <(cd "$build" && ctest -N -R "$regex" | sed -n 's/^ *Test *#[0-9]*: //p')
if [ "${#names[@]}" -eq 0 ]; then
	echo "tsan-check: no test matches $regex" >&2
	exit 1
fi
targets=(borderflow)
for n in "${names[@]}"; do
	base=${n%@postgresql}
	if [ -f "$root/tests/$base.c" ]; then
		t=${base/\//_}
		case " ${targets[*]} " in *" $t "*) ;; *) targets+=("$t") ;; esac
	fi
done
echo "tsan-check: building ${targets[*]}"
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

logs=$build/tsan-logs
rm -rf "$logs"
mkdir -p "$logs"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/scripts/tsan.supp:log_path=$logs/tsan${TSAN_OPTIONS:+:$TSAN_OPTIONS}"

out=$build/tsan-ctest.log
status=0
(cd "$build" && "$root/scripts/with-postgres.sh" ctest --output-on-failure --no-tests=error \
	-j "$jobs" -R "$regex") 2>&1 | tee "$out" || status=$?

# Every report, whichever process wrote it.
reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
	echo
	echo "tsan-check: ThreadSanitizer reports:"
	while IFS= read -r f; do
		echo "==== $f"
		cat "$f"
	done <<<"$reports"
	status=1
fi

# ctest's counts again, as the last line.
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -1 || true)
if [ -n "$summary" ]; then
	failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
	total=$(echo "$summary" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
	echo "tsan: $((total - failed)) passed, $failed failed"
else
	echo "tsan-check: ctest printed no summary" >&2
	status=1
fi
if [ -n "$reports" ]; then
	echo "tsan-check: $(echo "$reports" | wc -l) ThreadSanitizer report file(s) in $logs" >&2
fi
exit "$status"
