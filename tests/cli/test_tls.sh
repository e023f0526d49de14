#!/usr/bin/env bash
# The border link over TLS. A certificate authority and the nodes'
# certificates are made here with openssl, for 127.0.0.1. A node serves
# HTTPS with --tls-cert and --tls-key: a client that trusts the CA gets
# its answers, one that does not is refused by its own TLS check, and
# plain HTTP on that port gets no HTTP answer. A second node pulls the
# first's chain from https:// with --peer-ca and applies it; pulling with
# another CA's file, it applies nothing and says why in GET /v1/sync.
# Wrong TLS options stop `serve` at once, naming the option.
set -uo pipefail

NAME=tls
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
PULLER_PID=""
cleanup_tls() {
	[ -n "$PULLER_PID" ] && kill -9 "$PULLER_PID" 2>/dev/null
	cleanup
}
trap cleanup_tls EXIT

# ---- a CA, a certificate for 127.0.0.1 signed by it, and another CA ----

make_ca() { # make_ca NAME: NAME.key and NAME.pem, a CA of its own
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1 test CA" \
		-keyout "$T/$1.key" -out "$T/$1.pem" >/dev/null 2>&1
}
make_ca border
make_ca rogue
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=vn node" \
	-keyout "$T/vn.key" -out "$T/vn.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$T/vn.ext"
openssl x509 -req -in "$T/vn.csr" -CA "$T/border.pem" -CAkey "$T/border.key" -CAcreateserial -days 2 \
	-extfile "$T/vn.ext" -out "$T/vn.pem" >/dev/null 2>&1
check "openssl makes the CAs and the node's certificate" test -s "$T/vn.pem" -a -s "$T/rogue.pem"

# ---- one node over HTTPS ----

VN_DB="$T/vn.db"
CN_DB="$T/cn.db"
CARRIER=$(bf tokens new --db "$VN_DB" --node vn --party fruitco --role carrier --country VN 2>/dev/null)
AUDIT=$(bf tokens new --db "$VN_DB" --party cn-node --role auditor --country CN 2>/dev/null)
bf keys new --db "$VN_DB" --party node-operator >/dev/null 2>&1
bf keys export --db "$VN_DB" "$T/vn-keys.json" >/dev/null 2>&1
CN_AUDIT=$(bf tokens new --db "$CN_DB" --node cn --party vn-node --role auditor --country VN 2>/dev/null)
bf keys import --db "$CN_DB" "$T/vn-keys.json" >/dev/null 2>&1
check "tokens and keys on both nodes" test -n "$CARRIER" -a -n "$AUDIT" -a -n "$CN_AUDIT"

bf_serve_port0 "$T/vn.log" --db "$VN_DB" --node vn --tls-cert "$T/vn.pem" --tls-key "$T/vn.key"
VN_PORT=$SERVED_PORT
check "serve says it listens on https://" contains "$T/vn.log" "listening on https://127.0.0.1:$VN_PORT"
VN="https://127.0.0.1:$VN_PORT"

code=$(curl -s -o "$T/health" -w '%{http_code}' --max-time 10 --cacert "$T/border.pem" "$VN/healthz")
check "a client that trusts the CA gets 200 over HTTPS" test "$code" = 200
check "and the answer is the API's" contains "$T/health" '"status":"ok"'
curl -s -o /dev/null --max-time 10 --cacert "$T/rogue.pem" "$VN/healthz"
check "a client that trusts another CA refuses the certificate (curl 60)" test $? -eq 60
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$VN_PORT/healthz")
check "plain HTTP on the HTTPS port gets no HTTP answer" test "$code" = 000
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$T/border.pem" \
	-H "Authorization: Bearer $AUDIT" "$VN/v1/events?origin=vn&after=0&limit=10")
check "the feed is read over HTTPS with the auditor's token" test "$code" = 200

# ---- the other node pulls over HTTPS ----

pull_from_vn() { # pull_from_vn CA LOG: starts cn pulling vn with CA as PULLER_PID; its port in CN_PORT
	"$BIN" serve --db "$CN_DB" --node cn --port 0 --peer "$VN" --peer-node vn --peer-ca "$1" \
		--peer-token "$AUDIT" >"$2" 2>&1 &
	PULLER_PID=$!
	CN_PORT=$(bf_listening_port "$2")
}
sync_says() { # sync_says PATTERN: 0 once cn's GET /v1/sync matches PATTERN, at most 20 s
	for _ in $(seq 1 200); do
		curl -s --max-time 2 -H "Authorization: Bearer $CN_AUDIT" "http://127.0.0.1:$CN_PORT/v1/sync" >"$T/sync"
		grep -qE "$1" "$T/sync" && return 0
		sleep 0.1
	done
	return 1
}

pull_from_vn "$T/rogue.pem" "$T/cn-rogue.log"
check "cn starts with a CA that did not sign vn's certificate" test -n "$CN_PORT"
check "its pulls fail on vn's certificate, said in GET /v1/sync" sync_says '"last_error":"[^"]*(certificate|SSL)'
check "and nothing of vn's chain is applied" grep -q '"applied":0' "$T/sync"
kill -TERM "$PULLER_PID"
gone "$PULLER_PID"
PULLER_PID=""

pull_from_vn "$T/border.pem" "$T/cn.log"
check "cn starts with the CA that signed vn's certificate" test -n "$CN_PORT"
check "it pulls vn's chain over HTTPS and applies it" sync_says '"applied":[1-9]'
check "with no failure" grep -q '"failures":0' "$T/sync"
check "and it does not warn of a plain link" lacks "$T/cn.log" "plain HTTP"
kill -TERM "$PULLER_PID"
gone "$PULLER_PID"
PULLER_PID=""
bf verify --db "$CN_DB" >"$T/verify" 2>&1
check "verify passes on cn after the pull" test $? -eq 0

# ---- options that cannot work stop serve, naming the option ----

bf serve --db "$T/x.db" --port 0 --tls-cert "$T/vn.pem" >"$T/out" 2>&1
check "a certificate without its key exits 2" test $? -eq 2
check "naming both options" contains "$T/out" "--tls-cert and --tls-key go together"
bf serve --db "$T/x.db" --port 0 --tls-cert "$T/none.pem" --tls-key "$T/vn.key" >"$T/out" 2>&1
check "a certificate that cannot be read exits 2" test $? -eq 2
check "naming --tls-cert" contains "$T/out" "--tls-cert: cannot read"
bf serve --db "$T/x.db" --port 0 --tls-cert "$T/vn.pem" --tls-key "$T/rogue.key" >"$T/out" 2>&1
check "a key that is not the certificate's exits 1" test $? -eq 1
check "saying the pair does not belong together" contains "$T/out" "belongs together"
bf serve --db "$T/x.db" --node vn --port 0 --peer "http://127.0.0.1:9" --peer-node cn --peer-token x \
	--peer-ca "$T/border.pem" >"$T/out" 2>&1
check "a CA file for a plain http:// peer exits 1" test $? -eq 1
check "naming --peer-ca" contains "$T/out" "--peer-ca: a CA file is for an https:// peer"

echo "tls: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
