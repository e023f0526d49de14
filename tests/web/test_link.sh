#!/usr/bin/env bash
# The shared-history page in a real browser: what the node acts for, no
# fork and no dispute on a fresh node; then a fork and a dispute recorded in
# its database (as the puller records them, tests/service/test_sync.c) show
# on the open page without a reload, in English and in Chinese.
set -uo pipefail
NAME=web-link
# shellcheck source=tests/web/lib.sh
. "$(dirname "$0")/lib.sh"

start_server
AUDITOR=$(token cn-audit auditor CN)
check "an auditor's token is issued" test -n "$AUDITOR"
check "the node lists no dispute" test "$(api "$AUDITOR" GET /v1/disputes)" = 200
# The evidence, written as the puller writes it, once the page is open.
cat >"$T/evidence.sql" <<'SQL'
INSERT INTO fork (origin, origin_seq, held, offered, detected_at) VALUES ('cn', 7,
  '{"seq":7,"origin":"cn","origin_seq":7,"at":"2026-12-04T16:00:00Z","party":"cn-gate","role":"gate_operator","kind":"notice.posted","subject":"notice/N-cn-000007","payload":"{}","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","key_id":"0123456789abcdef","signature":"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"}',
  '{"seq":7,"origin":"cn","origin_seq":7,"at":"2026-12-04T16:00:00Z","party":"cn-gate","role":"gate_operator","kind":"notice.posted","subject":"notice/N-cn-000007","payload":"{}","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","key_id":"0123456789abcdef","signature":"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"}', 1796400000);
INSERT INTO dispute (origin, origin_seq, kind, subject, hash, raised_by, reason, raised_at) VALUES
  ('cn', 9, 'gate.changed', 'gate/huu-nghi', 'cccc', 'vn',
   'authority: side a of huu-nghi is VN''s hours, and node cn acts for CN', 1796400100);
SQL
export AUDITOR DB EVIDENCE="$T/evidence.sql"
browse link
finish
