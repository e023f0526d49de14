#!/usr/bin/env bash
# The libFuzzer harnesses (tests/fuzz/fuzz_NAME.c), each run for a bounded
# time on a copy of its seed corpus (tests/fuzz/corpus/NAME/). They are
# built with clang in a tree of their own, $BF_TMP/fuzz-build, configured
# here with BF_FUZZ=ON and kept between runs. Any crash, leak, sanitizer
# report or timeout fails the test; the input that caused it is kept in
# $BF_TMP/fuzz-artifacts. Without clang the test fails: install-deps.sh
# installs it. FUZZ_SECONDS sets each harness's run (15 by default).
set -uo pipefail

SRC=${BF_SOURCE_DIR:?BF_SOURCE_DIR names the source tree}
TMP=${BF_TMP:-/tmp}
BUILD="$TMP/fuzz-build"
WORK="$TMP/fuzz-run-$$"
ARTIFACTS="$TMP/fuzz-artifacts"
SECONDS_EACH=${FUZZ_SECONDS:-15}
HARNESSES="request scenario csv event"

CC_FUZZ=$(command -v clang || command -v clang-14) || {
	echo "not ok - clang is missing: run scripts/install-deps.sh (clang, libclang-rt-dev)"
	exit 1
}

cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
rm -rf "$WORK" && mkdir -p "$WORK" "$ARTIFACTS"

# The harnesses' own build: its configure is quiet unless it fails.
if ! CC="$CC_FUZZ" cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DBF_FUZZ=ON -DBUILD_TESTING=OFF \
	>"$WORK/configure.log" 2>&1; then
	cat "$WORK/configure.log"
	echo "not ok - the fuzz build configures with $CC_FUZZ"
	exit 1
fi
targets=()
for h in $HARNESSES; do targets+=(--target "fuzz_$h"); done
if ! cmake --build "$BUILD" -j 2 "${targets[@]}" >"$WORK/build.log" 2>&1; then
	tail -n 60 "$WORK/build.log"
	echo "not ok - the harnesses build with -fsanitize=fuzzer,address,undefined"
	exit 1
fi
echo "ok - the harnesses build with $CC_FUZZ"

failed=0
for h in $HARNESSES; do
	# A copy of the seeds: libFuzzer adds what it finds to its corpus
	# directory, and the source tree stays as committed.
	cp -r "$SRC/tests/fuzz/corpus/$h" "$WORK/corpus-$h"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		BF_FUZZ_PEER_KEYS="$SRC/tests/fuzz/vn-keys.json" TMPDIR="$WORK" \
		timeout $((SECONDS_EACH + 120)) "$BUILD/tests/fuzz/fuzz_$h" -max_total_time="$SECONDS_EACH" \
		-timeout=25 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$ARTIFACTS/$h-" \
		"$WORK/corpus-$h" >"$WORK/$h.log" 2>&1
	rc=$?
	runs=$(grep -oE 'Done [0-9]+ runs' "$WORK/$h.log" | grep -oE '[0-9]+')
	if [ $rc -eq 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$WORK/$h.log"; then
		echo "ok - fuzz_$h: ${runs:-?} inputs in ${SECONDS_EACH}s, no crash, leak or sanitizer report"
	else
		grep -vE '^#[0-9]+' "$WORK/$h.log" | tail -n 80
		echo "not ok - fuzz_$h (exit $rc); the input is in $ARTIFACTS/"
		failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ]
