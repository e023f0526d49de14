/* Notices across two nodes without the network: the events one node
 * wrote, read back with bf_store_events_list, are applied to a second,
 * fresh database through the ledger (bf_ledger_apply_foreign) and
 * materialized with bf_service_notice_apply, in one transaction each; the
 * second node then lists the same notices and acknowledgements, applying
 * them twice changes nothing, its log verifies, and events that disagree
 * with themselves or with what is there are refused. */
#include "util/testutil.h"

#include "ledger/ledger.h"
#include "codec/notice.h"
#include "service/notice.h"
#include "store/store.h"
#include "service/auth.h"
#include "service/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char db_cn[2048], db_vn[2048];
static struct bf_service *cn, *vn;

static struct bf_party quarantine = {
    .id = "cn-quarantine", .name = "CN quarantine", .role = BF_ROLE_IMPORT_AUTHORITY, .country = "CN"};
static struct bf_party cn_gate = {
    .id = "cn-youyiguan", .name = "Youyiguan gate board", .role = BF_ROLE_GATE_OPERATOR, .country = "CN"};
static struct bf_party vn_ppd = {
    .id = "vn-ppd", .name = "VN plant protection", .role = BF_ROLE_REGISTRY_AUTHORITY, .country = "VN"};
static struct bf_party vn_gate = {
    .id = "vn-huu-nghi", .name = "Huu Nghi gate board", .role = BF_ROLE_GATE_OPERATOR, .country = "VN"};

static struct bf_service *open_node(char *db, const char *dir, const char *node)
{
	struct bf_service_config cfg = {.connections = 2, .node = node};
	struct bf_service *svc = NULL;
	struct bf_error err = {0};
	char name[128];
	snprintf(name, sizeof(name), "%s-%s", dir, node);
	snprintf(db, 2048, "%s", tu_db(name));
	cfg.db_url = db;
	if (bf_service_open(&cfg, &svc, &err) != 0)
		fail_msg("open %s: %s", node, err.message);
	return svc;
}

static void party(struct bf_service *svc, const struct bf_party *p)
{
	char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
	struct bf_error err = {0};
	if (bf_service_token_new(svc, p, token, id, &err) != 0)
		fail_msg("party %s: %s", p->id, err.message);
}

static int setup(void **state)
{
	(void)state;
	cn = open_node(db_cn, "notice-feed-cn", "cn");
	vn = open_node(db_vn, "notice-feed-vn", "vn");
	party(cn, &quarantine);
	party(cn, &cn_gate);
	party(vn, &vn_ppd);
	party(vn, &vn_gate);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bf_service_close(cn);
	bf_service_close(vn);
	return 0;
}

static void post(struct bf_service *svc, const struct bf_party *by, const char *body, char id[BF_NOTICE_ID_MAX + 1])
{
	struct bf_error err = {0};
	struct bf_notice in, out;
	json_t *j = json_loads(body, 0, NULL);
	assert_non_null(j);
	if (bf_notice_request_read(j, &in, &err) != 0 || bf_service_notice_post(svc, by, &in, &out, &err) != 0)
		fail_msg("post %s: %s (%s)", body, err.message, err.field);
	json_decref(j);
	memcpy(id, out.id, BF_NOTICE_ID_MAX + 1);
}

/* Every notice SVC lists, newest first, as JSON text (malloc'd). */
static char *listing(struct bf_service *svc, int acknowledged)
{
	struct bf_notice_filter f = {.kind = -1, .acknowledged = acknowledged, .limit = 500};
	struct bf_notice *v;
	struct bf_error err = {0};
	int64_t next;
	size_t n;
	assert_int_equal(bf_service_notices(svc, &vn_gate, &f, &v, &n, &next, &err), 0);
	assert_int_equal(next, 0);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, bf_notice_json(&v[i]));
	free(v);
	char *text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

/* Carries the events after AFTER of the node in FROM_DB to the node in
 * TO_DB, as the feed does: each checked and appended by the ledger and,
 * for a notice's, materialized, in one transaction. Returns how many were
 * new; *NOTICE_EVENTS gets how many notice events there were, new or not. */
static int carry_from(const char *from_db, const char *to_db, int64_t after, int *notice_events)
{
	char origin[BF_NODE_ID_MAX + 1];
	struct bf_store *from, *to;
	struct bf_error err = {0};
	struct bf_event *v;
	size_t n;
	int applied = 0;
	assert_int_equal(bf_store_open(from_db, &from, &err), 0);
	assert_int_equal(bf_store_open(to_db, &to, &err), 0);
	assert_int_equal(bf_store_events_list(from, after, 1000, &v, &n, &err), 0);
	assert_int_equal(bf_store_node_get(from, origin, &err), 0);
	*notice_events = 0;
	for (size_t i = 0; i < n; i++) {
		struct bf_ledger_fault fault = {0};
		/* The feed serves its own chain: what it holds of the receiver's
		 * is the receiver's already. */
		if (strcmp(v[i].origin, origin) != 0)
			continue;
		bool notice = strncmp(v[i].kind, "notice.", 7) == 0;
		assert_int_equal(bf_store_begin(to, &err), 0);
		int rc = bf_ledger_apply_foreign(to, &v[i], NULL, &fault, &err);
		if (rc == BF_ECONFLICT && fault.kind == BF_LF_DUPLICATE) {
			/* Here already: applying the notice again, and committing,
			 * must change nothing. */
			if (notice && bf_service_notice_apply(to, &v[i], &err) != 0)
				fail_msg("re-apply %s: %s", v[i].kind, err.message);
			assert_int_equal(bf_store_commit(to, &err), 0);
			*notice_events += notice;
			continue;
		}
		if (rc != 0)
			fail_msg("apply %s (%lld): %s", v[i].kind, (long long)v[i].origin_seq, err.message);
		if (notice && bf_service_notice_apply(to, &v[i], &err) != 0)
			fail_msg("materialize %s: %s", v[i].kind, err.message);
		assert_int_equal(bf_store_commit(to, &err), 0);
		*notice_events += notice;
		applied++;
	}
	bf_store_events_free(v, n);
	bf_store_close(from);
	bf_store_close(to);
	return applied;
}

static int carry(int64_t after, int *notice_events)
{
	return carry_from(db_cn, db_vn, after, notice_events);
}

static void import_keys(struct bf_service *from, struct bf_service *to)
{
	struct bf_error err = {0};
	char *keys;
	int added, known;
	assert_int_equal(bf_service_keys_export(from, &keys, &err), 0);
	assert_int_equal(bf_service_keys_import(to, keys, strlen(keys), &added, &known, &err), 0);
	free(keys);
}

static void test_peer_rebuilds_notices(void **state)
{
	(void)state;
	char nc[BF_NOTICE_ID_MAX + 1], gate[BF_NOTICE_ID_MAX + 1], rule[BF_NOTICE_ID_MAX + 1];
	struct bf_error err = {0};
	struct bf_notice n;
	post(cn, &quarantine,
	     "{\"kind\":\"non_compliance\",\"text\":\"fruit fly larvae in 3 of 40 cartons\","
	     "\"names\":{\"planting_area\":\"VN-BTOR-0002\",\"packing_house\":\"VN-DLPH-001\"}}",
	     nc);
	post(cn, &cn_gate, "{\"kind\":\"gate_disruption\",\"text\":\"scanner down until 14:00\",\"gate\":\"huu-nghi\"}",
	     gate);
	post(cn, &quarantine, "{\"kind\":\"rule_change\",\"text\":\"durian: cold chain log from 1 January\"}", rule);
	assert_string_equal(nc, "N-cn-000001");
	assert_string_equal(rule, "N-cn-000003");
	/* The poster's own side does not acknowledge; the other side does,
	 * on its own node, once the notice has reached it. */
	assert_int_equal(bf_service_notice_acknowledge(cn, &cn_gate, nc, "", &n, &err), BF_EFORBIDDEN);
	import_keys(cn, vn);
	int notice_events;
	int applied = carry(0, &notice_events);
	assert_true(applied > 3);
	assert_int_equal(notice_events, 3); /* three posted */
	assert_int_equal(bf_service_notice_acknowledge(vn, &vn_ppd, nc, "seen; suspending", &n, &err), 0);
	assert_int_equal(n.n_acks, 1);
	/* And back: the acknowledgement reaches cn. */
	import_keys(vn, cn);
	assert_true(carry_from(db_vn, db_cn, 0, &notice_events) > 0);
	assert_int_equal(notice_events, 1);

	char *mine = listing(cn, -1), *theirs = listing(vn, -1);
	assert_string_equal(mine, theirs);
	assert_non_null(strstr(theirs, "\"N-cn-000002\""));
	free(mine);
	free(theirs);
	/* The unacknowledged are the same two on both sides. */
	mine = listing(cn, 0);
	theirs = listing(vn, 0);
	assert_string_equal(mine, theirs);
	assert_null(strstr(theirs, nc));
	assert_non_null(strstr(theirs, gate));
	free(mine);
	free(theirs);
	assert_int_equal(bf_service_notice_get(vn, &vn_gate, nc, &n, &err), 0);
	assert_string_equal(n.planting_area, "VN-BTOR-0002");
	assert_string_equal(n.acks[0].by, "vn-ppd");

	/* The whole feed again: nothing new, nothing changed. */
	mine = listing(vn, -1);
	assert_int_equal(carry(0, &notice_events), 0);
	assert_int_equal(notice_events, 3);
	theirs = listing(vn, -1);
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);

	/* The vn node numbers its own notices, and the two never clash. */
	char own[BF_NOTICE_ID_MAX + 1];
	post(vn, &vn_gate, "{\"kind\":\"gate_disruption\",\"text\":\"lane 2 closed\",\"gate\":\"huu-nghi\"}", own);
	assert_string_equal(own, "N-vn-000001");

	struct bf_ledger_summary sum;
	if (bf_service_verify(vn, NULL, 0, &sum, &err) != 0)
		fail_msg("verify: %s", err.message);
	assert_int_equal(sum.chains, 2);
}

/* The first notice.posted and notice.acknowledged events of the cn node,
 * copied (payloads malloc'd). */
static void notice_events(struct bf_event *posted, struct bf_event *acked)
{
	struct bf_store *s;
	struct bf_error err = {0};
	struct bf_event *v;
	size_t n;
	posted->kind[0] = acked->kind[0] = '\0';
	assert_int_equal(bf_store_open(db_cn, &s, &err), 0);
	assert_int_equal(bf_store_events_list(s, 0, 1000, &v, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		struct bf_event *dst = strcmp(v[i].kind, "notice.posted") == 0         ? posted
		                       : strcmp(v[i].kind, "notice.acknowledged") == 0 ? acked
		                                                                       : NULL;
		if (dst == NULL || dst->kind[0])
			continue;
		*dst = v[i];
		dst->payload = strdup(v[i].payload);
	}
	bf_store_events_free(v, n);
	bf_store_close(s);
	assert_string_equal(posted->kind, "notice.posted");
	assert_string_equal(acked->kind, "notice.acknowledged");
}

/* Applies E to the vn node in a transaction rolled back after: the code. */
static int try_apply(const struct bf_event *e, struct bf_error *err)
{
	struct bf_store *s;
	assert_int_equal(bf_store_open(db_vn, &s, err), 0);
	assert_int_equal(bf_store_begin(s, err), 0);
	int rc = bf_service_notice_apply(s, e, err);
	bf_store_rollback(s);
	bf_store_close(s);
	return rc;
}

static void test_refuses_what_does_not_agree(void **state)
{
	(void)state;
	struct bf_event posted, acked, e;
	struct bf_error err = {0};
	notice_events(&posted, &acked);
	char *before = listing(vn, -1);

	/* Identical: a no-op. */
	assert_int_equal(try_apply(&posted, &err), 0);
	assert_int_equal(try_apply(&acked, &err), 0);

	/* Not a notice's event. */
	e = posted;
	snprintf(e.kind, sizeof(e.kind), "consignment.booked");
	assert_int_equal(try_apply(&e, &err), BF_EINVAL);

	/* A payload whose poster is not the event's author. */
	e = posted;
	e.payload = strdup(posted.payload);
	char *p = strstr(e.payload, "cn-quarantine");
	assert_non_null(p);
	memcpy(p, "cn-quarantinf", 13);
	assert_int_equal(try_apply(&e, &err), BF_EINVAL);
	assert_string_equal(err.field, "posted_by");
	free(e.payload);

	/* Another text under an id that is here: a clash, not an overwrite. */
	e = posted;
	e.payload = strdup(posted.payload);
	p = strstr(e.payload, "fruit fly");
	assert_non_null(p);
	memcpy(p, "fruit bat", 9);
	assert_int_equal(try_apply(&e, &err), BF_ECONFLICT);
	free(e.payload);

	/* A notice numbered by another node than the event's origin. */
	e = posted;
	snprintf(e.origin, sizeof(e.origin), "la");
	assert_int_equal(try_apply(&e, &err), BF_EINVAL);
	assert_string_equal(err.field, "id");

	/* An acknowledgement of a notice not here. */
	e = acked;
	e.payload = strdup(acked.payload);
	p = strstr(e.payload, "N-cn-000001");
	assert_non_null(p);
	memcpy(p, "N-cn-000009", 11);
	snprintf(e.subject, sizeof(e.subject), "notice/N-cn-000009");
	assert_int_equal(try_apply(&e, &err), BF_ENOTFOUND);
	free(e.payload);

	/* A payload that is not JSON, or misses a field. */
	e = posted;
	e.payload = "{\"kind\":";
	assert_int_equal(try_apply(&e, &err), BF_EINVAL);
	e.payload = "{\"kind\":\"rule_change\",\"text\":\"x\"}";
	assert_int_equal(try_apply(&e, &err), BF_EINVAL);
	assert_string_equal(err.field, "id");

	char *after = listing(vn, -1);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(posted.payload);
	free(acked.payload);
}

/* How many events the node in DB holds. */
static size_t events_in(const char *db)
{
	struct bf_store *s;
	struct bf_error err = {0};
	struct bf_event *v;
	size_t n;
	assert_int_equal(bf_store_open(db, &s, &err), 0);
	assert_int_equal(bf_store_events_list(s, 0, 100000, &v, &n, &err), 0);
	bf_store_events_free(v, n);
	bf_store_close(s);
	return n;
}

/* Each node acts for its country only: a party of the other country gets
 * no token there but an auditor's, and a party that claims the other
 * country all the same (a row put in by hand) cannot make the node sign
 * that country's step: nothing is written. */
static void test_a_node_signs_for_its_country_only(void **state)
{
	(void)state;
	char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1], nc[BF_NOTICE_ID_MAX + 1];
	struct bf_error err = {0};
	struct bf_notice n;
	struct bf_party vn_on_cn = vn_ppd, auditor = {.id = "vn-audit-on-cn",
	                                              .name = "VN's node, reading",
	                                              .role = BF_ROLE_AUDITOR,
	                                              .country = "VN"};
	snprintf(vn_on_cn.id, sizeof(vn_on_cn.id), "vn-ppd-on-cn");

	assert_int_equal(bf_service_token_new(cn, &vn_on_cn, token, id, &err), BF_EFORBIDDEN);
	assert_string_equal(err.field, "country");
	assert_string_equal(err.message, "node cn acts for CN only: a party of VN may only read here, as an auditor; "
	                                 "VN's registry_authority acts on VN's node");
	assert_int_equal(bf_service_token_new(cn, &auditor, token, id, &err), 0);

	post(cn, &quarantine, "{\"kind\":\"rule_change\",\"text\":\"mangosteen: new label\"}", nc);
	size_t before = events_in(db_cn);
	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_service_notice_acknowledge(cn, &vn_on_cn, nc, "seen", &n, &err), BF_EFORBIDDEN);
	assert_string_equal(err.field, "authority");
	assert_string_equal(err.message, "the acknowledgement is made for VN, and node cn acts for CN");
	assert_int_equal(events_in(db_cn), before);
	assert_int_equal(bf_service_notice_get(cn, &quarantine, nc, &n, &err), 0);
	assert_int_equal(n.n_acks, 0);
	/* A notice posted for the other country: the same. */
	struct bf_notice in, out;
	json_t *j = json_loads("{\"kind\":\"rule_change\",\"text\":\"for VN, from cn\"}", 0, NULL);
	struct bf_party vn_gate_on_cn = vn_gate;
	assert_int_equal(bf_notice_request_read(j, &in, &err), 0);
	json_decref(j);
	assert_int_equal(bf_service_notice_post(cn, &vn_gate_on_cn, &in, &out, &err), BF_EFORBIDDEN);
	assert_string_equal(err.field, "authority");
	assert_int_equal(events_in(db_cn), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_peer_rebuilds_notices),
	    cmocka_unit_test(test_refuses_what_does_not_agree),
	    cmocka_unit_test(test_a_node_signs_for_its_country_only),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
