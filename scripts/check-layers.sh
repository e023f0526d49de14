#!/usr/bin/env bash
# The layering of src/, checked from the sources and from the built libraries.
#
#   scripts/check-layers.sh SRC_DIR BUILD_DIR
#
# SRC_DIR is the tree's src/ (one folder, a "room", per static library bf_ROOM);
# BUILD_DIR holds the built libbf_*.a (searched at any depth; where one library
# is found twice, as with a fuzz build inside a test build, the shallowest
# wins). Four checks:
#   include  every #include "X/..." in src/R/*.c|*.h names a room R may use,
#            or R itself; a folder of src/ missing from the table is a
#            violation of its own (room).
#   call     every undefined bf_* symbol of an object of libbf_R.a that
#            another library defines lies in a room R may use.
#   cycle    no two files of one library use each other's symbols, directly
#            or round a loop.
#   prefix   every global symbol defined by src/R/F.c is named bf_F_... (or
#            exactly bf_F), F being the file's stem with '_api'/'_cmd' dropped
#            and a trailing 's' optional (notices.c: bf_notice_ too; notice.c:
#            bf_notices_ too); or bf_T_... for a type bf_T (struct, enum or
#            typedef) that the file's own header src/R/F.h declares, as
#            bf_role_name() in lifecycle.c beside enum bf_role; or bf_R_...,
#            or a room's internal prefix of ROOM_PREFIXES; or is in
#            PREFIX_ALLOW below.
# Prints one line per violation, `layers: <kind>: <where>: <what>`, then
# `layers: N violations` and exits 1; or `layers: clean` and exits 0.
# Exits 2 on a usage error or when BUILD_DIR holds no libbf_*.a.
# Needs bash, coreutils, grep, sed, awk and binutils' nm.

# --- The rooms and what each may use (besides itself). -----------------------
# cli is the `borderflow` command: it may use every room.
LAYERS='
model:
store:   model
ledger:  store model
plan:    model
sim:     plan model
codec:   sim plan model
service: codec plan sim ledger store model
simrun:  service codec sim plan ledger store model
peer:    service codec ledger store model
api:     peer simrun service codec sim plan model
cli:     *
'

# --- api files allowed to include "store/store.h" for its types only. --------
# api must reach the database through the use cases (service): it may not
# include store/ or ledger/ headers. The one exception a file may be granted
# is "store/store.h", when it needs the types declared there (never its
# functions: the call check still reports those). One line per file,
# "api/FILE.c store/store.h   # why". Initially empty.
API_INCLUDE_EXCEPTIONS='
'

# --- Prefixes a room's files share, besides bf_ROOM_. --------------------------
# The internals that cross files of one room, marked as such (as libuv's
# uv__): "ROOM PREFIX   # why", one per line.
ROOM_PREFIXES='
service bf_svc_    # the use cases internals (service/service_int.h)
api     bf_h_      # the route handlers, named in api/handlers.h
'

# --- Exported names allowed whatever their file's stem. -----------------------
# Kept short: "ROOM/FILE.c NAME   # why", one per line; the name is allowed
# in that file only.
PREFIX_ALLOW='
# The allocation and string helpers every layer calls, named after the
# customary xmalloc() family rather than after error.c, whose failure path
# (abort on exhausted memory) they share.
model/error.c bf_xmalloc
model/error.c bf_xcalloc
model/error.c bf_xrealloc
model/error.c bf_xstrdup
model/error.c bf_strlcpy
'

# ------------------------------------------------------------------------------
set -u
LC_ALL=C
export LC_ALL

usage() {
	echo "usage: $0 SRC_DIR BUILD_DIR" >&2
	exit 2
}
[ $# -eq 2 ] || usage
SRC=${1%/}
BUILD=${2%/}
[ -d "$SRC" ] || { echo "layers: error: no such source folder: $SRC" >&2; exit 2; }
command -v nm >/dev/null 2>&1 || { echo "layers: error: nm (binutils) is needed" >&2; exit 2; }
[ -d "$BUILD" ] || { echo "layers: error: no such build folder: $BUILD" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-layers.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

# The table as "room<TAB>used room" lines ("room<TAB>" for none).
printf '%s\n' "$LAYERS" | sed 's/#.*//' | awk -F: 'NF >= 2 && $1 ~ /[a-z]/ {
	gsub(/[ \t]/, "", $1); n = split($2, u, /[ \t]+/); k = 0
	for (i = 1; i <= n; i++) if (u[i] != "") { print $1 "\t" u[i]; k++ }
	if (!k) print $1 "\t"
}' >"$TMP/table"
printf '%s\n' "$API_INCLUDE_EXCEPTIONS" | sed 's/#.*//' | awk 'NF >= 2 { print $1 "\t" $2 }' >"$TMP/exceptions"
printf '%s\n' "$PREFIX_ALLOW" | sed 's/#.*//' | awk 'NF >= 2 { print $1 "\t" $2 }' >"$TMP/allow"

: >"$TMP/violations"
: >"$TMP/srcdirs"

# --- 1. Rooms and includes. ----------------------------------------------------
# "room<TAB>file<TAB>line<TAB>included path" for every #include "a/b...".
for dir in "$SRC"/*/; do
	[ -d "$dir" ] || continue
	room=${dir%/}
	room=${room##*/}
	echo "$room" >>"$TMP/srcdirs"
	if ! grep -q "^$room	" "$TMP/table"; then
		echo "layers: room: src/$room: not in the table of rooms of scripts/check-layers.sh" >>"$TMP/violations"
	fi
done
# One awk over every file: "room<TAB>file<TAB>line<TAB>path".
set -- "$SRC"/*/*.c "$SRC"/*/*.h
files=()
for f in "$@"; do [ -f "$f" ] && files+=("$f"); done
if [ ${#files[@]} -gt 0 ]; then
	awk '/^[ \t]*#[ \t]*include[ \t]*"[^"]*\/[^"]*"/ {
		p = $0; sub(/^[^"]*"/, "", p); sub(/".*$/, "", p)
		n = split(FILENAME, part, "/")
		print part[n - 1] "\t" part[n] "\t" FNR "\t" p
	}' "${files[@]}"
fi >"$TMP/includes"

awk -F'\t' '
FILENAME == ARGV[1] { if ($2 != "") allow[$1, $2] = 1; known[$1] = 1; next }
FILENAME == ARGV[2] { exc[$1, $2] = 1; next }
FILENAME == ARGV[3] { isdir[$1] = 1; next }
{
	room = $1; file = $2; line = $3; path = $4
	p = path
	while (p ~ /^\.\.?\//) sub(/^\.\.?\//, "", p)
	to = p; sub(/\/.*/, "", to)
	if (to == room || !(room in known)) next
	if (!(to in known)) {
		if (to in isdir)
			printf "layers: include: %s/%s:%s: \"%s\": %s is not in the table of rooms\n", room, file, line, path, to
		next
	}
	if (allow[room, "*"] || allow[room, to]) next
	if (room == "api" && (to == "store" || to == "ledger")) {
		if (p == "store/store.h" && exc["api/" file, p]) next
		printf "layers: include: %s/%s:%s: \"%s\": api skips the use cases\n", room, file, line, path
		next
	}
	printf "layers: include: %s/%s:%s: \"%s\": %s may not use %s\n", room, file, line, path, room, to
}' "$TMP/table" "$TMP/exceptions" "$TMP/srcdirs" "$TMP/includes" >>"$TMP/violations"

# --- 2-4. Calls, cycles and prefixes, from the libraries. ----------------------
# The shallowest libbf_ROOM.a of each room that has a folder in SRC_DIR
# (libbf_testutil.a and the like have none and are left out).
find "$BUILD" -name node_modules -prune -o -type f -name 'libbf_*.a' -print 2>/dev/null |
	awk '{ n = gsub(/\//, "/"); print n "\t" $0 }' | sort -t'	' -k1,1n -k2,2 | cut -f2- >"$TMP/libs"
nlibs=0
: >"$TMP/symbols"
: >"$TMP/seen"
while IFS= read -r lib; do
	room=$(basename "$lib" .a)
	room=${room#libbf_}
	[ -d "$SRC/$room" ] || continue
	if grep -qxF "$room" "$TMP/seen"; then
		continue
	fi
	echo "$room" >>"$TMP/seen"
	nlibs=$((nlibs + 1))
	# nm -P: "lib.a[member.o]:" then "name type [value size]" per symbol.
	# "room<TAB>file.c<TAB>type<TAB>name"; two members of one name (the
	# generated embedded.c beside src/codec/embedded.c) are one file here.
	# nm's failure (missing, or an archive it cannot read) is an error, never
	# an empty list of symbols that would pass every check.
	if ! nm -P "$lib" >"$TMP/nm.out" 2>"$TMP/nm.err"; then
		echo "layers: error: nm cannot read $lib: $(head -1 "$TMP/nm.err")" >&2
		exit 2
	fi
	awk -v room="$room" '
		/\[[^]]*\]:$/ {
			m = $0; sub(/^.*\[/, "", m); sub(/\]:$/, "", m)
			sub(/\.o(bj)?$/, "", m); sub(/\.c$/, "", m)
			file = m ".c"; next
		}
		NF >= 2 && file != "" { print room "\t" file "\t" $2 "\t" $1 }' "$TMP/nm.out" >>"$TMP/symbols"
done <"$TMP/libs"
if [ "$nlibs" -eq 0 ]; then
	echo "layers: error: no libbf_*.a of a room of $SRC under $BUILD (build the libraries first)" >&2
	exit 2
fi

# "room<TAB>prefix" for ROOM_PREFIXES; "room/file.c<TAB>type" for every
# type a file's own header declares.
printf '%s\n' "$ROOM_PREFIXES" | sed 's/#.*//' | awk 'NF >= 2 { print $1 "\t" $2 }' >"$TMP/roomprefix"
: >"$TMP/types"
for h in "$SRC"/*/*.h; do
	[ -e "$h" ] || continue
	r=$(basename "$(dirname "$h")")
	f=$(basename "$h" .h).c
	sed -n -E -e 's/^(typedef )?(struct|enum) bf_([a-z0-9_]+)( \{.*|;)?$/\3/p' \
		-e 's/^typedef .*[ *]bf_([a-z0-9_]+);$/\1/p' "$h" |
		awk -v of="$r/$f" '{ print of "\t" $1 }'
done | sort -u >"$TMP/types"

awk -F'\t' '
function isdef(t) { return t ~ /^[TDBRCGSVWu]$/ }
FILENAME == ARGV[1] { if ($2 != "") allow[$1, $2] = 1; known[$1] = 1; next }
FILENAME == ARGV[2] { allowed_name[$1, $2] = 1; next }
FILENAME == ARGV[3] { nrp[$1]++; roomprefix[$1, nrp[$1]] = $2; next }
FILENAME == ARGV[4] { ntypes[$1]++; filetype[$1, ntypes[$1]] = $2; next }
{
	room = $1; file = $2; type = $3; sym = $4
	obj = room "/" file
	objs[obj] = 1; objroom[obj] = room; objfile[obj] = file
	if (isdef(type)) {
		if (!((sym, obj) in defpair)) {
			defpair[sym, obj] = 1
			if (sym in definer) { if (obj < definer[sym]) definer[sym] = obj } else definer[sym] = obj
			if (!((sym, room) in defroom)) { defroom[sym, room] = obj }
			ndefs[obj]++; defs[obj, ndefs[obj]] = sym
		}
	} else if (type == "U" && sym ~ /^bf_/) {
		if (!((sym, obj) in usepair)) {
			usepair[sym, obj] = 1
			nuses[obj]++; uses[obj, nuses[obj]] = sym
		}
	}
}
function reach(a, b,    k, r) { # b reachable from a through the table
	if (a == b) return 1
	if ((a, b) in reached) return reached[a, b]
	reached[a, b] = 0
	r = 0
	for (k in known) if (allow[a, k] && reach(k, b)) { r = 1; break }
	reached[a, b] = r
	return r
}
# Tarjan, over the objects of one room.
function strong(v,    i, w, comp, n, names, j, t, line) {
	index_[v] = idx; low[v] = idx; idx++
	stack[++sp] = v; onstack[v] = 1
	for (i = 1; i <= nedge[v]; i++) {
		w = edge[v, i]
		if (!(w in index_)) {
			strong(w)
			if (low[w] < low[v]) low[v] = low[w]
		} else if (onstack[w] && index_[w] < low[v]) low[v] = index_[w]
	}
	if (low[v] == index_[v]) {
		n = 0
		do { w = stack[sp--]; onstack[w] = 0; names[++n] = objfile[w] } while (w != v)
		if (n > 1) {
			for (i = 2; i <= n; i++) { t = names[i]; for (j = i - 1; j >= 1 && names[j] > t; j--) names[j + 1] = names[j]; names[j + 1] = t }
			line = names[1]
			for (i = 2; i <= n; i++) line = line " <-> " names[i]
			printf "layers: cycle: %s: %s\n", objroom[v], line
		}
	}
}
function prefixok(sym, room, file,    stem, c, n, i, v) {
	if ((room "/" file, sym) in allowed_name) return 1
	if (index(sym, "bf_" room "_") == 1 || sym == "bf_" room) return 1
	for (i = 1; i <= nrp[room]; i++) if (index(sym, roomprefix[room, i]) == 1) return 1
	stem = file; sub(/\.c$/, "", stem)
	n = 0; c[++n] = stem
	for (i = 1; i <= ntypes[room "/" file]; i++) c[++n] = filetype[room "/" file, i]
	if (stem ~ /._(api|cmd)$/) { v = stem; sub(/_(api|cmd)$/, "", v); c[++n] = v }
	for (i = n; i >= 1; i--) if (c[i] ~ /.s$/) { v = c[i]; sub(/s$/, "", v); c[++n] = v } else c[++n] = c[i] "s"
	for (i = 1; i <= n; i++) if (sym == "bf_" c[i] || index(sym, "bf_" c[i] "_") == 1) return 1
	return 0
}
function want(room, file,    stem, v, s, i) {
	stem = file; sub(/\.c$/, "", stem)
	v = stem; sub(/_(api|cmd)$/, "", v)
	s = "bf_" v "_"
	if (v ~ /.s$/) { sub(/s$/, "", v); s = s " (or bf_" v "_)" }
	if (v != room && stem != room) s = s " or bf_" room "_"
	for (i = 1; i <= nrp[room]; i++) s = s " or " roomprefix[room, i]
	if (ntypes[room "/" file] > 0) s = s " or a type of its header"
	return s
}
END {
	# 2. Calls between rooms; the edges between files of one room.
	for (o in objs) {
		r = objroom[o]
		for (i = 1; i <= nuses[o]; i++) {
			sym = uses[o, i]
			if (!(sym in definer)) continue
			if ((sym, r) in defroom) {
				d = defroom[sym, r]
				if (d != o && !((o, d) in hasedge)) { hasedge[o, d] = 1; edge[o, ++nedge[o]] = d }
				continue
			}
			d = definer[sym]; to = objroom[d]
			if (!(r in known)) continue  # reported as a room already
			if (allow[r, "*"] || allow[r, to]) continue
			if (r == "api" && (to == "store" || to == "ledger"))
				why = "api skips the use cases"
			else if (to in known && reach(to, r))
				why = "call up a layer (" r " may not use " to ")"
			else
				why = "call across layers (" r " may not use " to ")"
			printf "layers: call: %s: %s, defined in %s: %s\n", o, sym, d, why
		}
	}
	# 3. Cycles.
	idx = 0; sp = 0
	for (o in objs) if (!(o in index_)) strong(o)
	# 4. Prefixes.
	for (o in objs) {
		r = objroom[o]
		for (i = 1; i <= ndefs[o]; i++) {
			sym = defs[o, i]
			if (sym ~ /^[_.$]/) continue  # names of the compiler and the sanitizers
			if (!prefixok(sym, r, objfile[o]))
				printf "layers: prefix: %s: %s: want %s\n", o, sym, want(r, objfile[o])
		}
	}
}' "$TMP/table" "$TMP/allow" "$TMP/roomprefix" "$TMP/types" "$TMP/symbols" >>"$TMP/violations"

# --- Report. -------------------------------------------------------------------
# In the order of the checks, each sorted.
for kind in room include call cycle prefix; do
	grep "^layers: $kind: " "$TMP/violations" | sort -u
done >"$TMP/report"
cat "$TMP/report"
n=$(wc -l <"$TMP/report")
if [ "$n" -eq 0 ]; then
	echo "layers: clean"
	exit 0
fi
echo "layers: $n violations"
exit 1
