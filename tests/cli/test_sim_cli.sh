#!/usr/bin/env bash
# `borderflow sim` as a planner runs it: the bundled scenarios listed; the
# Lang Son scenario run as a table, JSON and CSV; the same seed giving the
# same figures on one thread and on three; a scenario file of one's own;
# and bad options or files refused with the field at fault and exit 2 or 1.
set -uo pipefail

NAME=sim-cli
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
bf() { timeout 120 "$BIN" "$@"; } # every run bounded

bf sim --list >"$T/out" 2>"$T/err"
check "sim --list exits 0" test $? -eq 0
check "it lists lang-son-2021" contains "$T/out" "lang-son-2021"

bf sim lang-son-2021 --replications 2 --threads 1 --seed 5 --json >"$T/one.json" 2>"$T/err"
check "sim --json exits 0" test $? -eq 0
check "no progress line when stderr is not a terminal" test ! -s "$T/err"
bf sim lang-son-2021 --replications 2 --threads 3 --seed 5 --json >"$T/three.json" 2>/dev/null
check "one thread and three give the same JSON for one seed" cmp -s "$T/one.json" "$T/three.json"
bf sim lang-son-2021 --replications 2 --threads 2 --seed 6 --json >"$T/other.json" 2>/dev/null
check "another seed gives other figures" bash -c "! cmp -s '$T/one.json' '$T/other.json'"
check "the JSON names the seven policies" test "$(grep -c '"booking":' "$T/one.json")" -eq 7
check "the JSON has the whole border" contains "$T/one.json" '"gate": "all"'
check "and the paired differences" contains "$T/one.json" '"difference_from_baseline"'

bf sim lang-son-2021 --replications 2 --csv >"$T/out.csv" 2>/dev/null
check "sim --csv exits 0" test $? -eq 0
check "the CSV starts with its header" test "$(head -n 1 "$T/out.csv")" = \
	"policy,gate,figure,mean,ci95_low,ci95_high,difference,difference_ci95_low,difference_ci95_high"
# 7 policies x 5 gates (4 and the whole border) x 9 figures, and the header.
check "one row a policy, gate and figure" test "$(wc -l <"$T/out.csv")" -eq $((7 * 5 * 9 + 1))
check "every row has nine columns" test "$(awk -F, 'NF != 9' "$T/out.csv" | wc -l)" -eq 0

bf sim lang-son-2021 --replications 2 >"$T/out.txt" 2>/dev/null
check "the table names the baseline" contains "$T/out.txt" "baseline [baseline]"
check "the table compares each variant" contains "$T/out.txt" "against the baseline, whole border"

# A scenario of one's own: one gate, one flow, two policies.
cat >"$T/mine.json" <<'JSON'
{
  "name": "mine", "season": {"start": "2026-12-01", "days": 10},
  "gates": [{"id": "kim-thanh"}],
  "flows": [{"name": "lychee", "commodity": "08109020", "tonnes": 15, "loads_per_day": 300,
             "gates": [{"id": "kim-thanh", "travel_hours": 6}]}],
  "policies": [{"name": "baseline"},
               {"name": "late", "changes": [{"kind": "hours", "gates": ["kim-thanh"], "open": "06:00", "close": "23:00"}]}]
}
JSON
bf sim "$T/mine.json" --replications 3 --json >"$T/mine.out" 2>"$T/err"
check "a scenario file runs" test $? -eq 0
check "its result names its policies" contains "$T/mine.out" '"name": "late"'

# Bad input: a usage error exits 2, a bad scenario exits 1, each naming
# what is wrong.
bf sim lang-son-2021 --replications 0 >/dev/null 2>"$T/err"
check "--replications 0 exits 2" test $? -eq 2
check "and says why" contains "$T/err" '--replications: "0" is not a whole number from 1 to 10000'
bf sim lang-son-2021 --json --csv >/dev/null 2>"$T/err"
check "--json with --csv exits 2" test $? -eq 2
bf sim >/dev/null 2>"$T/err"
check "no scenario exits 2" test $? -eq 2
bf sim no-such-scenario >/dev/null 2>"$T/err"
check "an unknown scenario exits 1" test $? -eq 1
check "and says it is neither a file nor bundled" contains "$T/err" "neither a file nor a bundled scenario"
bf sim "$T" >/dev/null 2>"$T/err"
check "a directory exits 1" test $? -eq 1
printf '{"name": "x", "season": {"start": "2026-12-01", "days": 10}, ' >"$T/bad.json"
bf sim "$T/bad.json" >/dev/null 2>"$T/err"
check "a cut-off file exits 1" test $? -eq 1
check "and names the file and line" contains "$T/err" "bad.json:1:"
sed 's/"08109020"/"99999999"/' "$T/mine.json" >"$T/bad.json"
bf sim "$T/bad.json" >/dev/null 2>"$T/err"
check "an unknown commodity exits 1" test $? -eq 1
check "and names the field" contains "$T/err" "field flows[0].commodity"
sed 's/"close": "23:00"/"close": "23:00", "from": "2026-12-02T00:00+07:00"/' "$T/mine.json" >"$T/bad.json"
bf sim "$T/bad.json" >/dev/null 2>"$T/err"
check "a field another kind of change takes is refused" test $? -eq 1
check "and named" contains "$T/err" "policies[1].changes[0].from"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
