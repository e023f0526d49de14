#!/usr/bin/env bash
# The dashboard's files as the server sends them: / and /assets/ from the
# binary alone (no web/ folder beside it), each with its media type; unknown
# files get the API's 404 JSON; and nothing in the bundle loads from another
# host (no CDN, no tile server).
set -uo pipefail
NAME=web-assets
# shellcheck source=tests/web/lib.sh
. "$(dirname "$0")/lib.sh"

# Served from another working directory, far from the source tree.
cd "$T" || exit 1
start_server

# fetch PATH [METHOD]: body in $T/body, headers in $T/head; prints the status.
fetch() {
	curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' --max-time 10 -X "${2:-GET}" "$BASE$1"
}
code=$(fetch /)
check "GET / answers 200" test "$code" = 200
check "as HTML" grep -qi '^content-type: text/html; charset=utf-8' "$T/head"
check "the page loads its script and style from /assets/" \
	grep -q 'src="/assets/app.js".*\|href="/assets/app.css"' "$T/body"
# (the SVG namespace of the inline icon is a name, not a request)
check "the page names no other host" \
	test "$(grep -o 'https\?://[^"'"'"' )]*' "$T/body" | grep -vc '^http://www.w3.org/2000/svg$')" -eq 0
code=$(fetch /assets/app.js)
check "GET /assets/app.js answers 200" test "$code" = 200
check "as JavaScript" grep -qi '^content-type: text/javascript; charset=utf-8' "$T/head"
check "the bundle holds the map of the border" grep -q 'Natural Earth' "$T/body"
check "the bundle names no host but the SVG namespace" \
	test "$(grep -o 'https\?://[^"'"'"' )]*' "$T/body" | grep -vc '^http://www.w3.org/2000/svg$')" -eq 0
code=$(fetch /assets/app.css)
check "GET /assets/app.css answers 200" test "$code" = 200
check "as CSS" grep -qi '^content-type: text/css; charset=utf-8' "$T/head"
check "the style imports nothing from elsewhere" lacks "$T/body" "@import"
code=$(fetch / HEAD)
check "HEAD / answers 200" test "$code" = 200
code=$(fetch /assets/nothing.js)
check "an unknown asset is 404" test "$code" = 404
check "with the API's JSON error" contains "$T/body" '"code":"not_found"'
check "as JSON" grep -qi '^content-type: application/json' "$T/head"
code=$(fetch /assets/index.html)
check "the page is not served twice (/assets/index.html is 404)" test "$code" = 404
code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 10 --path-as-is "$BASE/assets/../../etc/passwd")
check "no way out of /assets/ (404)" test "$code" = 404
check "(not a file's bytes)" contains "$T/body" '"code":"not_found"'
code=$(fetch / POST)
check "POST / is 405" test "$code" = 405
code=$(fetch /v1/gates)
check "the API still answers beside it" test "$code" = 200
finish
