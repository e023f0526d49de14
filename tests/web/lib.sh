# Shared by the dashboard's browser tests (sourced, not run): the CLI tests'
# scratch directory and checks, a real `borderflow serve` on a free loopback
# port, tokens, and `browse SCRIPT` running one of this folder's playwright
# scripts against it in Debian's chromium. Screenshots are kept in
# $SHOTS ($BF_TMP/screenshots/NAME), outside the scratch directory.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
WEB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SHOTS="${BF_TMP:-/tmp}/screenshots/$NAME"
mkdir -p "$SHOTS"
# playwright-core comes from the build tree, where `npm ci` put it.
export NODE_PATH
NODE_PATH="$(dirname "$BIN")/web/node_modules"
DB="$T/web.db"
PORT=""

# start_server: serve $DB on a free port; sets PORT and BASE.
start_server() {
	"$BIN" serve --db "$DB" --port 0 >"$T/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 150); do
		PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/serve.log" 2>/dev/null)
		[ -n "$PORT" ] && break
		sleep 0.1
	done
	if [ -z "$PORT" ]; then
		bad "serve starts"
		cat "$T/serve.log"
		exit 1
	fi
	BASE="http://127.0.0.1:$PORT"
	export BASE
}

# token PARTY ROLE COUNTRY: prints a new bearer token.
token() {
	"$BIN" tokens new --db "$DB" --party "$1" --role "$2" --country "$3" 2>>"$T/tokens.log"
}

# api TOKEN METHOD PATH [BODY]: the answer's body in $T/body; prints the status.
api() {
	local tok=$1 method=$2 path=$3 body=${4:-}
	local args=(-s -o "$T/body" -w '%{http_code}' --max-time 20 -X "$method" -H "Authorization: Bearer $tok")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
	curl "${args[@]}" "$BASE$path"
}

# browse SCRIPT: runs tests/web/SCRIPT.cjs (bounded), counting its ok / not ok lines.
browse() {
	local script=$1 out="$T/$1.out" line
	SHOTS="$SHOTS" timeout 240 node "$WEB_DIR/$script.cjs" >"$out" 2>&1
	local rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) bad "${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done <"$out"
	[ "$rc" -eq 0 ] || bad "$script.cjs ran to its end (exit $rc)"
}

finish() {
	echo "# $passed passed, $failed failed"
	ls "$SHOTS"/*.png >/dev/null 2>&1 && echo "# screenshots in $SHOTS"
	[ "$failed" -eq 0 ]
}
