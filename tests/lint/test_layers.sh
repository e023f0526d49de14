#!/usr/bin/env bash
# scripts/check-layers.sh on trees made here: a tiny one with one violation
# of each kind planted in it, a copy of the real src/ with an upward include
# planted in a model file, and a tiny clean one. Nothing here needs the real
# tree to be clean, nor to build: the libraries are compiled from the tiny
# trees with cc and ar (the real ones are used for the copy of src/ only
# when the build holds them).
set -uo pipefail

SRC=${BF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CHECK="$SRC/scripts/check-layers.sh"
CC=${CC:-cc}
T="${BF_TMP:-/tmp}/lint-layers-$$"
rm -rf "$T" && mkdir -p "$T"
trap 'rm -rf "$T"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "not ok - $1"; }
check() { # check NAME COMMAND...: passes when COMMAND succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
has() { grep -qxF -- "$2" "$1"; } # has FILE LINE: FILE holds LINE, whole
violations() { grep -c '^layers: [a-z ]*: ' "$1"; }

# put ROOT PATH: the text on stdin becomes ROOT/src/PATH
put() {
	mkdir -p "$(dirname "$1/src/$2")"
	cat >"$1/src/$2"
}

# lib ROOT ROOM FILE.c...: compiles the files of ROOT/src/ROOM into
# ROOT/build/libbf_ROOM.a, the first one as CMake names it (FILE.c.o), the
# others as cc does (FILE.o), so that both namings are read.
lib() {
	local root=$1 room=$2 f obj objs=()
	shift 2
	mkdir -p "$root/build/obj/$room"
	for f in "$@"; do
		if [ ${#objs[@]} -eq 0 ]; then obj="$root/build/obj/$room/$f.o"; else obj="$root/build/obj/$room/${f%.c}.o"; fi
		"$CC" -c -I"$root/src" -o "$obj" "$root/src/$room/$f" || return 1
		objs+=("$obj")
	done
	ar rcs "$root/build/libbf_$room.a" "${objs[@]}"
}

# --- (a) one violation of each symbol kind, in a tiny tree --------------------
A="$T/a"
put "$A" model/x.h <<'EOF'
int bf_x_get(int v);
EOF
# model calls up into store; no include says so, the object does.
put "$A" model/x.c <<'EOF'
#include "model/x.h"
int bf_store_put(int v);
int bf_x_get(int v)
{
	return bf_store_put(v) + 1;
}
EOF
put "$A" store/y.c <<'EOF'
#include <string.h>
#include "model/x.h"
int bf_store_put(int v)
{
	return v + (int)strlen("y");
}
int bf_y_get(int v)
{
	return bf_x_get(v);
}
EOF
# z.c and w.c use each other; z.c also exports a name of neither file nor room,
# and calls store, which service may.
put "$A" service/z.c <<'EOF'
int bf_w_pong(int v);
int bf_store_put(int v);
static int helper(int v)
{
	return v - 1;
}
int bf_z_ping(int v)
{
	return v > 0 ? bf_w_pong(helper(v)) : bf_store_put(v);
}
int bf_misnamed_thing(void)
{
	return 1;
}
EOF
put "$A" service/w.c <<'EOF'
int bf_z_ping(int v);
int bf_w_pong(int v)
{
	return bf_z_ping(v);
}
int bf_svc_internal(void)
{
	return 2;
}
EOF
built=1
lib "$A" model x.c || built=0
lib "$A" store y.c || built=0
lib "$A" service z.c w.c || built=0
# A deeper copy of model without the upward call (as a fuzz build inside a
# test build): the shallowest library is the one read.
mkdir -p "$A/build/deeper" && cp "$A/build/libbf_store.a" "$A/build/deeper/libbf_model.a"
# A library of no room of src/ (libbf_testutil.a) is left out.
cp "$A/build/libbf_model.a" "$A/build/libbf_testutil.a"
if [ "$built" -eq 1 ]; then
	bash "$CHECK" "$A/src" "$A/build" >"$T/a.out" 2>&1
	rc=$?
	cat "$T/a.out"
	check "(a) planted violations: exit 1" test "$rc" -eq 1
	check "(a) the call up a layer is named" has "$T/a.out" \
		"layers: call: model/x.c: bf_store_put, defined in store/y.c: call up a layer (model may not use store)"
	check "(a) the cycle is named" has "$T/a.out" "layers: cycle: service: w.c <-> z.c"
	check "(a) the misnamed export is named" has "$T/a.out" \
		"layers: prefix: service/z.c: bf_misnamed_thing: want bf_z_ or bf_service_ or bf_svc_"
	check "(a) nothing else, and the count" test "$(violations "$T/a.out")" -eq 3
	check "(a) summary line" has "$T/a.out" "layers: 3 violations"
else
	bad "(a) the tiny tree did not compile with $CC"
fi

# --- (b) the real src/, with an upward include planted in a model file --------
B="$T/b"
mkdir -p "$B"
cp -R "$SRC/src" "$B/src"
model_c=
for f in "$B"/src/model/*.c; do
	model_c=${f##*/}
	break
done
sed -i '1i #include "api/server.h"' "$B/src/model/$model_c"
# The real libraries when the build holds them, else the tiny tree's.
build="${BF_BINARY:+$(dirname "$BF_BINARY")}"
if [ -z "$build" ] || ! ls "$build"/libbf_model.a >/dev/null 2>&1; then
	build="$A/build"
fi
bash "$CHECK" "$B/src" "$build" >"$T/b.out" 2>&1
rc=$?
check "(b) planted include: exit 1" test "$rc" -eq 1
check "(b) the include of api/server.h in model/$model_c is named" has "$T/b.out" \
	"layers: include: model/$model_c:1: \"api/server.h\": model may not use api"
if ! has "$T/b.out" "layers: include: model/$model_c:1: \"api/server.h\": model may not use api"; then
	cat "$T/b.out"
fi

# --- (c) a tiny clean tree ------------------------------------------------------
C="$T/c"
put "$C" model/x.h <<'EOF'
int bf_x_get(int v);
EOF
put "$C" model/x.c <<'EOF'
#include "model/x.h"
int bf_x_get(int v)
{
	return v + 1;
}
EOF
put "$C" store/store.h <<'EOF'
int bf_store_put(int v);
EOF
put "$C" store/y.c <<'EOF'
#include "model/x.h"
#include "store/store.h"
int bf_store_put(int v)
{
	return bf_x_get(v);
}
EOF
put "$C" cli/main.c <<'EOF'
#include "api/anything.h"
#include "store/store.h"
EOF
if lib "$C" model x.c && lib "$C" store y.c; then
	bash "$CHECK" "$C/src" "$C/build" >"$T/c.out" 2>&1
	rc=$?
	cat "$T/c.out"
	check "(c) clean tree: exit 0" test "$rc" -eq 0
	check "(c) clean tree: only 'layers: clean'" test "$(cat "$T/c.out")" = "layers: clean"
else
	bad "(c) the clean tree did not compile with $CC"
fi

# --- (d) a room of no table, and api past the use cases -------------------------
D="$T/d"
mkdir -p "$D" && cp -R "$C/src" "$D/src"
mkdir -p "$D/src/newroom"
put "$D" api/h.c <<'EOF'
#include "store/store.h"
#include "ledger/ledger.h"
#include "service/service.h"
EOF
bash "$CHECK" "$D/src" "$C/build" >"$T/d.out" 2>&1
rc=$?
check "(d) exit 1" test "$rc" -eq 1
check "(d) the new room is named" has "$T/d.out" \
	"layers: room: src/newroom: not in the table of rooms of scripts/check-layers.sh"
check "(d) api including store/ is named" has "$T/d.out" \
	'layers: include: api/h.c:1: "store/store.h": api skips the use cases'
check "(d) api including ledger/ is named" has "$T/d.out" \
	'layers: include: api/h.c:2: "ledger/ledger.h": api skips the use cases'
check "(d) nothing else" test "$(violations "$T/d.out")" -eq 3

# --- usage ------------------------------------------------------------------------
bash "$CHECK" "$C/src" >/dev/null 2>&1
rc=$?
check "a missing argument exits 2" test "$rc" -eq 2
mkdir -p "$T/empty"
bash "$CHECK" "$C/src" "$T/empty" >/dev/null 2>&1
rc=$?
check "a build with no library exits 2" test "$rc" -eq 2
# A library nm cannot read is an error, never an empty, "clean" one.
mkdir -p "$T/broken"
echo "not an archive" >"$T/broken/libbf_model.a"
bash "$CHECK" "$C/src" "$T/broken" >"$T/broken.out" 2>&1
rc=$?
check "a library nm cannot read exits 2" test "$rc" -eq 2
check "... and says so, not clean" grep -q "nm cannot read" "$T/broken.out"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
