#!/usr/bin/env bash
# `borderflow tokens` and `borderflow import registry` as an operator runs
# them on a scratch database: tokens issued, listed and revoked; registry
# CSV files imported whole or not at all, with every problem on its line;
# and the result read back through the HTTP API of a real `serve`.
set -uo pipefail

NAME=registry-cli
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
DB="$T/r.db"

# ---- tokens ----

bf tokens new --db "$DB" --party carrier-one --role carrier --country VN --name "Carrier One" >"$T/out" 2>"$T/err"
rc=$?
check "tokens new for a carrier exits 0" test "$rc" -eq 0
check "tokens new prints one line" test "$(wc -l <"$T/out")" -eq 1
check "the line is a token starting bf_" grep -qE '^bf_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$' "$T/out"
check "stderr says whom it was issued to" contains "$T/err" "issued to carrier-one (carrier)"
CARRIER_TOKEN=$(head -n 1 "$T/out")
CARRIER_ID=$(printf '%s' "$CARRIER_TOKEN" | cut -d_ -f2)
check "stderr names the token id" contains "$T/err" "token $CARRIER_ID issued"

bf tokens new --db "$DB" --party newcomer --role carrier >"$T/out" 2>"$T/err"
rc=$?
check "a new party without --country exits 2" test "$rc" -eq 2
check "the message asks for --country" contains "$T/err" 'party "newcomer" is new: give its --country'
check "no token is printed for it" test ! -s "$T/out"

bf tokens new --db "$DB" --party carrier-one --role auditor >"$T/out" 2>"$T/err"
rc=$?
check "the same party with another role exits 1" test "$rc" -eq 1
check "the message names both roles" contains "$T/err" "party carrier-one acts as carrier, not auditor"
check "no token is printed for another role" test ! -s "$T/out"

bf tokens new --db "$DB" --party vn-ppd --role registry_authority --country VN >"$T/vn" 2>"$T/err"
check "a VN registry authority gets a token" test "$?" -eq 0
VN_TOKEN=$(head -n 1 "$T/vn")
bf tokens new --db "$DB" --party cn-gacc --role registry_authority --country CN >"$T/cn" 2>"$T/err"
check "a CN registry authority gets a token" test "$?" -eq 0

bf tokens list --db "$DB" >"$T/list" 2>&1
rc=$?
check "tokens list exits 0" test "$rc" -eq 0
check "tokens list has three tokens" test "$(wc -l <"$T/list")" -eq 3
check "tokens list lacks the refused parties" lacks "$T/list" "newcomer"
grep -F -- "$CARRIER_ID " "$T/list" >"$T/line"
check "the carrier's token is listed with party and role" \
	grep -qE "^$CARRIER_ID +carrier-one +carrier +20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z +in force$" "$T/line"
check "the registry authority is listed with its role" grep -qE '^[a-z0-9]{12} +vn-ppd +registry_authority ' "$T/list"

bf tokens revoke --db "$DB" "$CARRIER_ID" >"$T/out" 2>&1
rc=$?
check "tokens revoke exits 0" test "$rc" -eq 0
check "tokens revoke says so" contains "$T/out" "token $CARRIER_ID revoked"
bf tokens list --db "$DB" >"$T/list" 2>&1
grep -F -- "$CARRIER_ID " "$T/list" >"$T/line"
check "a revoked token is no longer in force" lacks "$T/line" "in force"
check "a revoked token shows when it was revoked" \
	grep -qE "^$CARRIER_ID +carrier-one +carrier +20[0-9-]{8}T[0-9:]{8}Z +20[0-9-]{8}T[0-9:]{8}Z$" "$T/line"
check "the other tokens stay in force" test "$(grep -c 'in force$' "$T/list")" -eq 2
bf tokens revoke --db "$DB" "$CARRIER_ID" >"$T/out" 2>"$T/err"
rc=$?
check "revoking twice exits 1" test "$rc" -eq 1
check "revoking twice is explained" contains "$T/err" "revoked already"
bf tokens revoke --db "$DB" nosuchtoken0 >"$T/out" 2>"$T/err"
rc=$?
check "revoking an unknown id exits 1" test "$rc" -eq 1

# A gate operator assigned to gates (--gate, repeatable), kept with the
# party and written into its party.created event.
bf tokens new --db "$DB" --party hn-board --role gate_operator --country VN --gate huu-nghi --gate tan-thanh \
	>"$T/gate" 2>"$T/err"
check "tokens new --gate --gate exits 0" test "$?" -eq 0
check "stderr names each gate it acts at" contains "$T/err" "hn-board acts at tan-thanh"
GATE_TOKEN=$(head -n 1 "$T/gate")
bf_sql "$DB" "SELECT payload FROM event WHERE kind = 'party.created' AND subject = 'party/hn-board'" >"$T/created"
check "party.created records its gates" contains "$T/created" '"gates":["huu-nghi","tan-thanh"]'
bf tokens new --db "$DB" --party hn-board --role gate_operator >"$T/out" 2>"$T/err"
check "a second token without --gate keeps the party's gates" contains "$T/err" "hn-board acts at huu-nghi"
bf tokens new --db "$DB" --party hn-board --role gate_operator --gate chi-ma >"$T/out" 2>"$T/err"
check "other gates for a known operator exit 1" test "$?" -eq 1
check "the message names the gates it has" contains "$T/err" "is assigned to huu-nghi, tan-thanh, not the gates given"
bf tokens new --db "$DB" --party vn-board --role gate_operator --country VN >"$T/out" 2>"$T/err"
check "an operator without --gate acts for its country (exit 0)" test "$?" -eq 0
bf tokens new --db "$DB" --party lost-board --role gate_operator --country VN --gate no-such-gate \
	>"$T/out" 2>"$T/err"
check "an unknown --gate exits 1" test "$?" -eq 1
check "the message names the unknown gate" contains "$T/err" "no gate pair has the id no-such-gate"
bf tokens new --db "$DB" --party cn-board --role gate_operator --country CN --gate huu-nghi >"$T/out" 2>"$T/err"
check "a CN operator may be assigned a VN-CN gate" test "$?" -eq 0
bf tokens new --db "$DB" --party truck-co --role carrier --country VN --gate huu-nghi >"$T/out" 2>"$T/err"
check "--gate for a carrier exits 1" test "$?" -eq 1
check "the message says only an operator has gates" contains "$T/err" "only a gate operator is assigned gates"
check "no token is printed for it either" test ! -s "$T/out"

# ---- import registry ----

# A good planting-areas file: two new areas (durian, dragon fruit; the
# second with a quoted comma and no status) and VN-BTOR-0001 suspended.
cat >"$T/good.csv" <<'EOF'
code,hs_code,country,province,status
VN-TEST-0001,08106000,VN,Dak Lak,active
VN-TEST-0002,08109092,VN,"Binh Thuan, Ham Thuan Nam",
VN-BTOR-0001,08109092,VN,Binh Thuan,suspended
EOF
bf import registry --db "$DB" "$T/good.csv" >"$T/out" 2>"$T/err"
rc=$?
check "a good planting-areas file imports (exit 0)" test "$rc" -eq 0
check "it counts 2 created, 1 updated" \
	contains "$T/out" "imported 3 planting areas from $T/good.csv: 2 created, 1 updated"
check "a good import prints nothing on stderr" test ! -s "$T/err"

# Three bad rows among good ones: unknown status (line 4), empty code
# (line 5), a hs_code with a letter (line 8). Line 2's quoted province
# runs onto line 3 and line 6 is blank, so only a reader that counts
# lines right gets 4, 5 and 8.
printf '%s\n' 'code,hs_code,country,province,status' \
	'VN-TEST-0003,08106000,VN,"Dak Lak' 'Buon Ma Thuot",active' \
	'VN-TEST-0004,08106000,VN,Dak Lak,retired' \
	',08106000,VN,Dak Lak,active' \
	'' \
	'VN-TEST-0001,08106000,VN,Dak Lak,suspended' \
	'VN-TEST-0005,0810A000,VN,Dak Lak,active' >"$T/bad.csv"
bf import registry --db "$DB" "$T/bad.csv" >"$T/out" 2>"$T/err"
rc=$?
check "a file with bad rows exits 1" test "$rc" -eq 1
check "unknown status on line 4" contains "$T/err" "$T/bad.csv:4: status: must be active or suspended, not \"retired\""
check "empty code on line 5" contains "$T/err" "$T/bad.csv:5: code: must be 1 to 40 of letters"
check "non-digit hs_code on line 8" contains "$T/err" "$T/bad.csv:8: hs_code: must be 6 to 10 digits"
check "exactly three problems are listed" test "$(grep -c "^$T/bad.csv:" "$T/err")" -eq 3
check "the good rows are not blamed" lacks "$T/err" "$T/bad.csv:2:"
check "the summary says nothing was imported" contains "$T/err" "3 problems found; nothing was imported"
check "a failed import prints no count" lacks "$T/out" "created"

# An unknown header: "colour" is no column of any kind.
printf 'code,hs_code,country,province,colour\nVN-TEST-0006,08106000,VN,Dak Lak,red\n' >"$T/header.csv"
bf import registry --db "$DB" "$T/header.csv" >"$T/out" 2>"$T/err"
rc=$?
check "an unknown header exits 1" test "$rc" -eq 1
check "the problem is the header, on line 1" contains "$T/err" "$T/header.csv:1: header: the header must name the columns"
check "the kinds' columns are spelled out" contains "$T/err" "planting areas (code,hs_code,country,province,status)"

# Exporters with approvals; the columns may come in any order.
cat >"$T/exporters.csv" <<'EOF'
id,name,country,status,approvals
VN-EXP-0201,"Test Export Co., Ltd",VN,active,08106000:CN;08109092:CN
VN-EXP-0202,Second Test Exporter,VN,,08109092:CN
EOF
bf import registry --db "$DB" "$T/exporters.csv" >"$T/out" 2>"$T/err"
rc=$?
check "an exporters file with approvals imports" test "$rc" -eq 0
check "it counts 2 exporters created" \
	contains "$T/out" "imported 2 exporters from $T/exporters.csv: 2 created, 0 updated"
printf 'name,code,province,country\nTest packing house,VN-TSPH-001,Dak Lak,VN\n' >"$T/houses.csv"
bf import registry --db "$DB" "$T/houses.csv" >"$T/out" 2>"$T/err"
rc=$?
check "a packing-houses file in another column order imports" test "$rc" -eq 0
check "it counts 1 packing house created" \
	contains "$T/out" "imported 1 packing houses from $T/houses.csv: 1 created, 0 updated"

# Facilities: the plant's registration with the importing country, the HS
# headings it ships; one registered with its own country is refused.
printf 'code,name,country,province,registered_with,products\nCNREG-VN-TS-001,Test dairy plant,VN,Son La,CN,0401;0402\n' \
	>"$T/plants.csv"
bf import registry --db "$DB" "$T/plants.csv" >"$T/out" 2>"$T/err"
rc=$?
check "a facilities file imports" test "$rc" -eq 0
check "it counts 1 facility created" \
	contains "$T/out" "imported 1 facilities from $T/plants.csv: 1 created, 0 updated"
printf 'code,name,country,province,registered_with,products\nCNREG-VN-TS-002,Own,VN,Son La,VN,0401\n' >"$T/own.csv"
bf import registry --db "$DB" "$T/own.csv" >"$T/out" 2>"$T/err"
rc=$?
check "a facility registered with its own country exits 1" test "$rc" -eq 1
check "the problem names the line and the field" contains "$T/err" "$T/own.csv:2: registered_with:"

# --party: a CN registry authority may not touch VN records; a carrier
# may not import at all; the VN registry authority may.
printf 'code,hs_code,country,province\nVN-TEST-0007,08106000,VN,Dak Lak\n' >"$T/vn.csv"
bf import registry --db "$DB" --party cn-gacc "$T/vn.csv" >"$T/out" 2>"$T/err"
rc=$?
check "--party of CN importing VN rows exits 1" test "$rc" -eq 1
check "the message is about the country" \
	contains "$T/err" "only the registry authority of VN may register or change this planting_area; you act for CN"
bf import registry --db "$DB" --party carrier-one "$T/vn.csv" >"$T/out" 2>"$T/err"
rc=$?
check "--party of a carrier exits 1" test "$rc" -eq 1
check "a carrier is told only the registry authority may" contains "$T/err" "only the registry authority of VN"
bf import registry --db "$DB" --party nobody "$T/vn.csv" >"$T/out" 2>"$T/err"
rc=$?
check "--party of an unknown party exits 1" test "$rc" -eq 1
check "the unknown party is named" contains "$T/err" "--party nobody:"
printf 'code,hs_code,country,province\nVN-TEST-0008,08109092,VN,Binh Thuan\n' >"$T/vn8.csv"
bf import registry --db "$DB" --party vn-ppd "$T/vn8.csv" >"$T/out" 2>"$T/err"
rc=$?
check "--party of the VN registry authority imports VN rows" test "$rc" -eq 0
check "it counts 1 created" contains "$T/out" "1 created, 0 updated"

# A commodity borderflow does not know is caught against the database,
# and the good row before it is rolled back with it.
printf 'code,hs_code,country,province\nVN-TEST-0009,08106000,VN,Dak Lak\nVN-TEST-0010,08000000,VN,Dak Lak\n' \
	>"$T/commodity.csv"
bf import registry --db "$DB" "$T/commodity.csv" >"$T/out" 2>"$T/err"
rc=$?
check "an unknown commodity exits 1" test "$rc" -eq 1
check "the unknown commodity is named" contains "$T/err" "08000000 is not a commodity borderflow knows"

# Two rows with one code: refused rather than the last silently winning.
printf 'code,hs_code,country,province\nVN-TEST-0011,08106000,VN,A\nVN-TEST-0011,08106000,VN,B\n' >"$T/dup.csv"
bf import registry --db "$DB" "$T/dup.csv" >"$T/out" 2>"$T/err"
rc=$?
check "a code on two rows exits 1" test "$rc" -eq 1
check "the repeated code is named with its first line" contains "$T/err" "VN-TEST-0011 is on line 2 already"

# A row with fewer fields than the header.
printf 'code,hs_code,country,province\nVN-TEST-0015,08106000,VN\n' >"$T/short.csv"
bf import registry --db "$DB" "$T/short.csv" >"$T/out" 2>"$T/err"
rc=$?
check "a short row exits 1" test "$rc" -eq 1
check "a short row is reported on its line" contains "$T/err" "$T/short.csv:2: row: has 3 fields where the header has 4"

# Every problem is printed as FILE:LINE: field: reason, those found
# against the database (an unknown commodity, a row of another country
# under --party) and repeated keys included, and all of them at once.
printf 'code,hs_code,country,province\nVN-TEST-0012,08000000,VN,Dak Lak\nVN-TEST-0013,08106000,VN,Dak Lak\nVN-TEST-0014,08000001,VN,Dak Lak\n' \
	>"$T/unknown.csv"
bf import registry --db "$DB" "$T/unknown.csv" >"$T/out" 2>"$T/err"
rc=$?
check "two unknown commodities exit 1" test "$rc" -eq 1
check "an unknown commodity is reported with its line (2)" contains "$T/err" "$T/unknown.csv:2: hs_code:"
check "every unknown commodity is reported (line 4 too)" contains "$T/err" "08000001 is not a commodity"
bf import registry --db "$DB" --party cn-gacc "$T/vn.csv" >"$T/out" 2>"$T/err"
check "a row of another country is reported with its line (2)" contains "$T/err" "$T/vn.csv:2: country:"
bf import registry --db "$DB" "$T/dup.csv" >"$T/out" 2>"$T/err"
check "a repeated code is reported with a line (2 or 3)" grep -qE "^$T/dup.csv:[23]: code:" "$T/err"

bf import registry --db "$DB" "$T/missing.csv" >"$T/out" 2>"$T/err"
rc=$?
check "a file that does not exist exits 1" test "$rc" -eq 1
check "the missing file is named" contains "$T/err" "$T/missing.csv: No such file or directory"
: >"$T/empty.csv"
bf import registry --db "$DB" "$T/empty.csv" >"$T/out" 2>"$T/err"
rc=$?
check "an empty file exits 1" test "$rc" -eq 1
check "an empty file is called empty" contains "$T/err" "the file is empty"

# ---- the result, read back through the API ----

bf_serve_port0 "$T/serve" --db "$DB"
port=$SERVED_PORT
check "serve prints its address" test -n "$port"

# get KIND KEY: GET /v1/KIND/KEY into $T/body; prints the status code.
get() {
	curl -s -o "$T/body" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $VN_TOKEN" \
		"http://127.0.0.1:$port/v1/$1/$2"
}
# expect KIND KEY CODE NAME [TEXT...]: the answer has CODE and holds every TEXT
expect() {
	local kind=$1 key=$2 want=$3 name=$4 code t
	shift 4
	code=$(get "$kind" "$key")
	if [ "$code" != "$want" ]; then
		bad "$name (HTTP $code, not $want)"
		return
	fi
	for t in "$@"; do
		if ! grep -qF -- "$t" "$T/body"; then
			bad "$name (no $t in $(cat "$T/body"))"
			return
		fi
	done
	ok "$name"
}

if [ -n "$port" ]; then
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $CARRIER_TOKEN" \
		"http://127.0.0.1:$port/v1/planting-areas/VN-TEST-0001")
	check "the revoked carrier token is refused (401)" test "$code" = 401
	curl -s -o "$T/body" --max-time 10 -H "Authorization: Bearer $GATE_TOKEN" "http://127.0.0.1:$port/v1/whoami"
	check "whoami shows an operator's gates" contains "$T/body" '"gates":["huu-nghi","tan-thanh"]'
	expect planting-areas VN-TEST-0001 200 "VN-TEST-0001 was created, durian, active" \
		'"hs_code":"08106000"' '"province":"Dak Lak"' '"status":"active"'
	expect planting-areas VN-TEST-0002 200 "VN-TEST-0002 was created, active by default" \
		'"hs_code":"08109092"' '"province":"Binh Thuan, Ham Thuan Nam"' '"status":"active"'
	expect planting-areas VN-BTOR-0001 200 "VN-BTOR-0001 was replaced: suspended" \
		'"status":"suspended"' '"province":"Binh Thuan"'
	expect planting-areas VN-BTOR-0002 200 "a row not in the file is left alone" '"status":"active"'
	expect planting-areas VN-TEST-0003 404 "the good row of the bad file was not imported"
	expect planting-areas VN-TEST-0004 404 "the bad-status row was not imported"
	expect planting-areas VN-TEST-0005 404 "the bad-hs_code row was not imported"
	expect planting-areas VN-TEST-0006 404 "the unknown-header file imported nothing"
	expect planting-areas VN-TEST-0007 404 "the refused --party imports imported nothing"
	expect planting-areas VN-TEST-0008 200 "the VN authority's --party import is there" '"hs_code":"08109092"'
	expect planting-areas VN-TEST-0009 404 "a row before an unknown commodity was rolled back"
	expect planting-areas VN-TEST-0011 404 "the duplicated code was not imported"
	expect planting-areas VN-TEST-0013 404 "a good row among unknown commodities was not imported"
	expect planting-areas VN-TEST-0015 404 "the short row was not imported"
	expect exporters VN-EXP-0201 200 "the exporter is there with both approvals" \
		'"name":"Test Export Co., Ltd"' '"status":"active"' \
		'{"hs_code":"08106000","destination":"CN"}' '{"hs_code":"08109092","destination":"CN"}'
	expect exporters VN-EXP-0202 200 "the second exporter is active by default, one approval" \
		'"status":"active"' '"approvals":[{"hs_code":"08109092","destination":"CN"}]'
	expect packing-houses VN-TSPH-001 200 "the packing house is there" \
		'"name":"Test packing house"' '"province":"Dak Lak"' '"country":"VN"'
fi
bf_stop_server
check "SIGTERM stops serve with exit 0" test "$?" -eq 0

# A directory is not a file to import.
bf import registry --db "$DB" "$T" >"$T/out" 2>"$T/err"
rc=$?
check "importing a directory exits 1" test "$rc" -eq 1
check "importing a directory is explained" contains "$T/err" "Is a directory"

# Importing the same file again changes nothing, and says so.
printf 'code,hs_code,country,province,status\nVN-TEST-0100,08106000,VN,Dak Lak,active\n' >"$T/same.csv"
bf import registry --db "$DB" "$T/same.csv" >"$T/out" 2>"$T/err"
bf import registry --db "$DB" "$T/same.csv" >"$T/out" 2>"$T/err"
check "a repeated import reports its rows unchanged" contains "$T/out" "0 created, 0 updated, 1 unchanged"

echo "registry-cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
