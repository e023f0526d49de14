/* The HTTP layer's own refusals, over raw sockets on loopback: a path or
 * header fields over their limits, a length given twice or beside
 * chunked encoding, a transfer coding it cannot read, a body over the
 * limit (announced, or sent in chunks) and a body that is not JSON. Each
 * is answered with its status and the JSON error naming what is wrong,
 * writes nothing, and the server goes on answering. */
#define _GNU_SOURCE /* strcasestr */
#include "util/apifix.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

enum { CARRIER, N_PARTIES };
static struct apifix_party parties[N_PARTIES] = {{"carrier-http", BF_ROLE_CARRIER, "VN", ""}};
static struct apifix fx;

static int setup(void **state)
{
	*state = &fx;
	return apifix_start(&fx, "http", parties, N_PARTIES);
}

struct answer {
	long status;
	char content_type[128];
	char *body; /* NUL-terminated */
	json_t *json;
};

static void answer_clear(struct answer *a)
{
	free(a->body);
	json_decref(a->json);
	memset(a, 0, sizeof(*a));
}

/* Sends HEAD (the request's head, then BODY of BODY_LEN bytes, which may
 * be large) on a new connection and reads one answer: status line,
 * headers, and the body its Content-Length announces. Fails the test if
 * no whole answer comes within 10 s. METHOD and PATH name the request
 * for the contract test's record. */
static void exchange(const char *method, const char *path, const char *head, const char *body, size_t body_len,
                     struct answer *a)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(bf_server_port(fx.srv))};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	/* The server may answer and close before it has read all of a body
	 * it refuses: a failed send is not a failure of the test. */
	(void)!send(fd, head, strlen(head), MSG_NOSIGNAL);
	for (size_t off = 0; body && off < body_len;) {
		ssize_t n = send(fd, body + off, body_len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	char *end = NULL;
	long want = -1;
	memset(a, 0, sizeof(*a));
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 10000) != 1)
			fail_msg("no whole answer to %s %.80s within 10 s (%zu bytes: %.200s)", method, path, len, buf);
		ssize_t n = recv(fd, buf + len, cap - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (end == NULL && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			const char *cl = strcasestr(buf, "\r\nContent-Length:");
			want = cl && cl < end ? strtol(cl + 17, NULL, 10) : -1;
		}
		if (end && want >= 0 && (long)(len - (size_t)(end + 4 - buf)) >= want)
			break;
	}
	close(fd);
	buf[len] = '\0';
	if (end == NULL)
		fail_msg("%s %.80s: the connection closed without a whole answer (%zu bytes: %.200s)", method, path,
		         len, buf);
	a->status = strtol(buf + 9, NULL, 10);
	const char *ct = strcasestr(buf, "\r\nContent-Type:");
	if (ct && ct < end) {
		ct += 15;
		while (*ct == ' ')
			ct++;
		size_t k = strcspn(ct, "\r");
		snprintf(a->content_type, sizeof(a->content_type), "%.*s", (int)k, ct);
	}
	a->body = strdup(end + 4);
	tu_record_answer(method, path, a->status, a->content_type, a->body, strlen(a->body));
	json_error_t jerr;
	a->json = json_loads(a->body, 0, &jerr);
	free(buf);
}

/* The answer is STATUS with a JSON error of CODE naming FIELD. */
static void assert_refusal(const struct answer *a, long status, const char *code, const char *field)
{
	if (a->status != status)
		fail_msg("answered %ld, not %ld: %.300s", a->status, status, a->body);
	if (strncmp(a->content_type, "application/json", 16) != 0)
		fail_msg("answered %ld as \"%s\", not JSON: %.300s", a->status, a->content_type, a->body);
	assert_non_null(a->json);
	json_t *e = json_object_get(a->json, "error");
	assert_string_equal(tu_str(e, "code"), code);
	assert_string_equal(tu_str(e, "field"), field);
	assert_true(strlen(tu_str(e, "message")) > 0);
}

/* The server still answers, on a new connection. */
static void assert_alive(void)
{
	struct answer a;
	exchange("GET", "/healthz", "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", NULL, 0, &a);
	assert_int_equal(a.status, 200);
	answer_clear(&a);
}

static const char declaration[] =
    "{\"exporter\":\"VN-EXP-0101\",\"commodity\":\"08109092\",\"net_weight_kg\":15000,\"packages\":900,"
    "\"planting_areas\":[\"VN-BTOR-0001\"],\"packing_house\":\"VN-BTPH-001\",\"phyto_certificate\":\"P-1\","
    "\"vehicle\":{\"kind\":\"truck\",\"number\":\"12C-901.23\",\"country\":\"VN\"},\"destination\":\"CN\"}";

/* POST /v1/consignments as the carrier with EXTRA header lines (each
 * ending in CRLF) and the declaration as its body. */
static void declare_with(const char *extra, struct answer *a)
{
	char head[1024];
	snprintf(head, sizeof(head),
	         "POST /v1/consignments HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n%s"
	         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	         fx.parties[CARRIER].token, extra, strlen(declaration));
	exchange("POST", "/v1/consignments", head, declaration, strlen(declaration), a);
}

static void test_limits_of_the_head(void **state)
{
	(void)state;
	struct answer a;
	size_t n = BF_MAX_TARGET + 100;
	char *path = malloc(n + 16), *head = malloc(n + 64);
	snprintf(path, n + 16, "/v1/gates/%0*d", (int)n, 0);
	snprintf(head, n + 64, "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", path);
	exchange("GET", path, head, NULL, 0, &a);
	assert_refusal(&a, 414, "uri_too_long", "path");
	answer_clear(&a);
	/* The query counts too. */
	snprintf(path, n + 16, "/v1/gates?date=%0*d", (int)n, 0);
	snprintf(head, n + 64, "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", path);
	exchange("GET", path, head, NULL, 0, &a);
	assert_refusal(&a, 414, "uri_too_long", "path");
	answer_clear(&a);
	free(path);
	free(head);

	n = BF_MAX_HEADERS + 100;
	head = malloc(n + 128);
	int k = snprintf(head, n + 128, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Filler: ");
	memset(head + k, 'x', n);
	strcpy(head + k + n, "\r\n\r\n");
	exchange("GET", "/healthz", head, NULL, 0, &a);
	assert_refusal(&a, 431, "headers_too_large", "headers");
	answer_clear(&a);
	free(head);
	assert_alive();
}

static void test_framing_read_two_ways_is_refused(void **state)
{
	(void)state;
	struct answer a;
	char *before = apifix_dump_rows(&fx);

	declare_with("Content-Length: 512\r\n", &a); /* a second length */
	assert_refusal(&a, 400, "invalid", "Content-Length");
	answer_clear(&a);

	char head[512];
	snprintf(head, sizeof(head),
	         "POST /v1/consignments HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
	         "Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
	         "2\r\n{}\r\n0\r\n\r\n",
	         fx.parties[CARRIER].token);
	exchange("POST", "/v1/consignments", head, NULL, 0, &a);
	assert_refusal(&a, 400, "invalid", "Content-Length");
	answer_clear(&a);

	snprintf(head, sizeof(head),
	         "POST /v1/consignments HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
	         "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}",
	         fx.parties[CARRIER].token);
	exchange("POST", "/v1/consignments", head, NULL, 0, &a);
	assert_refusal(&a, 501, "not_implemented", "Transfer-Encoding");
	answer_clear(&a);

	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_alive();
}

static void test_bodies_over_the_limit(void **state)
{
	(void)state;
	struct answer a;
	char head[512];
	/* Announced: refused before it is read. */
	snprintf(head, sizeof(head),
	         "POST /v1/consignments HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
	         "Content-Type: application/json\r\nContent-Length: %u\r\n\r\n",
	         fx.parties[CARRIER].token, BF_MAX_BODY + 1);
	exchange("POST", "/v1/consignments", head, NULL, 0, &a);
	assert_refusal(&a, 413, "too_big", "body");
	answer_clear(&a);

	/* In chunks, past the limit: read to its end and answered, not
	 * dropped. */
	size_t chunk = 16 * 1024, chunks = BF_MAX_BODY / chunk + 2;
	size_t len = chunks * (chunk + 16) + 8;
	char *body = malloc(len), *p = body;
	for (size_t i = 0; i < chunks; i++) {
		p += sprintf(p, "%zx\r\n", chunk);
		memset(p, ' ', chunk);
		p += chunk;
		p += sprintf(p, "\r\n");
	}
	p += sprintf(p, "0\r\n\r\n");
	snprintf(head, sizeof(head),
	         "POST /v1/consignments HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
	         "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
	         fx.parties[CARRIER].token);
	exchange("POST", "/v1/consignments", head, body, (size_t)(p - body), &a);
	assert_refusal(&a, 413, "too_big", "body");
	answer_clear(&a);
	free(body);
	assert_alive();
}

static void test_a_body_must_be_json(void **state)
{
	(void)state;
	struct answer a;
	char *before = apifix_dump_rows(&fx);
	static const char *const refused[] = {
	    "",                                                    /* none said */
	    "Content-Type: text/plain\r\n",                        /* another type */
	    "Content-Type: application/x-www-form-urlencoded\r\n", /* what curl -d sends */
	    "Content-Type: application/json; charset=latin1\r\n",  /* JSON is UTF-8 */
	    "Content-Type: application/jsonx\r\n",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		declare_with(refused[i], &a);
		assert_refusal(&a, 415, "unsupported_media_type", "Content-Type");
		answer_clear(&a);
	}
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* JSON, with or without its charset, in any case. */
	declare_with("Content-Type: Application/JSON; charset=UTF-8\r\n", &a);
	assert_int_equal(a.status, 201);
	answer_clear(&a);
	declare_with("Content-Type: application/json\r\n", &a);
	assert_int_equal(a.status, 201);
	answer_clear(&a);

	/* A request that sends no body needs no type. */
	char head[512];
	snprintf(head, sizeof(head),
	         "POST /v1/consignments/c-none/check-in HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
	         "Content-Length: 0\r\nConnection: close\r\n\r\n",
	         fx.parties[CARRIER].token);
	exchange("POST", "/v1/consignments/c-none/check-in", head, NULL, 0, &a);
	assert_refusal(&a, 404, "not_found", "id");
	answer_clear(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_limits_of_the_head),
	    cmocka_unit_test(test_framing_read_two_ways_is_refused),
	    cmocka_unit_test(test_bodies_over_the_limit),
	    cmocka_unit_test(test_a_body_must_be_json),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
