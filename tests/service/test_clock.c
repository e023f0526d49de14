/* The service's injectable clock: a test that gives one drives every
 * instant the use cases write (events, tokens) without waiting, and a node
 * opened without one keeps the real clock. */
#include "util/testutil.h"

#include "service/auth.h"
#include "service/booking.h"
#include "service/service.h"

#include <string.h>
#include <time.h>

static bf_time fake_now(void *ctx)
{
	return *(const bf_time *)ctx;
}

static void issue(struct bf_service *svc, const char *party, char id[BF_TOKEN_ID_MAX + 1])
{
	struct bf_party p = {.role = BF_ROLE_CARRIER};
	struct bf_error err = {0};
	char token[BF_TOKEN_TEXT];
	bf_strlcpy(p.id, party, sizeof(p.id));
	bf_strlcpy(p.name, party, sizeof(p.name));
	bf_strlcpy(p.country, "VN", sizeof(p.country));
	if (bf_service_token_new(svc, &p, token, id, &err) != 0)
		fail_msg("token: %s", err.message);
}

static void test_events_at_the_given_instant(void **state)
{
	(void)state;
	struct bf_error err = {0};
	bf_time now;
	assert_int_equal(bf_time_parse("2026-12-01T22:30:00+07:00", &now), 0);
	struct bf_service_config cfg = {.db_url = tu_db("clock"), .clock = fake_now, .clock_ctx = &now};
	struct bf_service *svc;
	char id[BF_TOKEN_ID_MAX + 1];
	assert_int_equal(bf_service_open(&cfg, &svc, &err), 0);

	issue(svc, "fruitco", id);
	now += 6 * 3600; /* the next morning, without waiting for it */
	assert_int_equal(bf_service_token_revoke(svc, id, &err), 0);

	struct bf_event *v;
	size_t n;
	assert_int_equal(bf_service_events(svc, 0, 100, &v, &n, &err), 0);
	int issued = 0, revoked = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].kind, "token.issued") == 0) {
			assert_int_equal(v[i].at, now - 6 * 3600);
			issued++;
		} else if (strcmp(v[i].kind, "token.revoked") == 0) {
			assert_int_equal(v[i].at, now);
			revoked++;
		}
	}
	bf_service_events_free(v, n);
	assert_int_equal(issued, 1);
	assert_int_equal(revoked, 1);

	struct bf_token_info *t;
	assert_int_equal(bf_service_tokens(svc, &t, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(t[0].created_at, now - 6 * 3600);
	assert_int_equal(t[0].revoked_at, now);
	free(t);
	bf_service_close(svc);
}

static void test_real_clock_by_default(void **state)
{
	(void)state;
	struct bf_error err = {0};
	struct bf_service_config cfg = {.db_url = tu_db("clock-real")};
	struct bf_service *svc;
	char id[BF_TOKEN_ID_MAX + 1];
	assert_int_equal(bf_service_open(&cfg, &svc, &err), 0);
	bf_time before = (bf_time)time(NULL);
	issue(svc, "fruitco", id);
	bf_time after = (bf_time)time(NULL);
	struct bf_token_info *t;
	size_t n;
	assert_int_equal(bf_service_tokens(svc, &t, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_true(t[0].created_at >= before && t[0].created_at <= after);
	free(t);
	bf_service_close(svc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_events_at_the_given_instant),
	    cmocka_unit_test(test_real_clock_by_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
