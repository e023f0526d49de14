/* libFuzzer harness: request bodies through the API's own route table and
 * handlers, without sockets, on a real service. An input is a first line
 * "METHOD PATH [COUNTRY]" and the body after it. The caller is a party of
 * COUNTRY (VN by default) in the first role the route allows. "@C" in the
 * path stands for a consignment declared at start-up; a query after "?"
 * ("a=1&b=2", not decoded) is given to the handler as the server would,
 * unknown names refused. Simulations are left out: they run in threads of
 * their own. */
#include "api/routes.h"
#include "fuzz_common.h"
#include "model/lifecycle.h"
#include "service/auth.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bf_party parties[2][BF_ROLE_COUNT];
static char consignment_id[64];
static const char *const countries[2] = {"VN", "CN"};
static const char *const country_ids[2] = {"vn", "cn"};

#define MAX_QUERY 8
struct query {
	int n;
	char *name[MAX_QUERY], *value[MAX_QUERY];
};

/* The query of the request being run. It carries no headers. */
static struct query query;

static const char *no_header(void *conn, const char *name)
{
	(void)conn;
	(void)name;
	return NULL;
}

static const char *query_value(void *conn, const char *name)
{
	const struct query *q = &query;
	(void)conn;
	for (int i = 0; i < q->n; i++)
		if (strcmp(q->name[i], name) == 0)
			return q->value[i];
	return NULL;
}

/* Splits PATH at "?" into Q (pointing into PATH); false when a name is
 * repeated or not one ALLOWED lists, which the server refuses with 400. */
static bool split_query(char *path, struct query *q, const char *const *allowed)
{
	char *p = strchr(path, '?');
	q->n = 0;
	if (p == NULL)
		return true;
	*p++ = '\0';
	while (*p && q->n < MAX_QUERY) {
		char *amp = strchr(p, '&'), *eq;
		if (amp)
			*amp = '\0';
		eq = strchr(p, '=');
		q->name[q->n] = p;
		q->value[q->n] = eq ? eq + 1 : p + strlen(p);
		if (eq)
			*eq = '\0';
		q->n++;
		p = amp ? amp + 1 : p + strlen(p);
	}
	for (int i = 0; i < q->n; i++) {
		bool ok = false;
		for (int j = 0; allowed != NULL && allowed[j] != NULL; j++)
			ok = ok || strcmp(q->name[i], allowed[j]) == 0;
		for (int j = 0; j < i; j++)
			ok = ok && strcmp(q->name[i], q->name[j]) != 0;
		if (!ok)
			return false;
	}
	return true;
}

/* Runs METHOD PATH with BODY as the party of COUNTRY; the reply's status. */
static int run(const char *method, const char *path, int country, const char *body, size_t len, json_t **out)
{
	struct bf_call call = {
	    .svc = fuzz_svc, .query = query_value, .header = no_header, .body = body, .body_len = len};
	struct bf_reply r = {0};
	bool known;
	char allow[64], url[512];
	snprintf(url, sizeof(url), "%s", path);
	char *mark = strchr(url, '?');
	if (mark)
		*mark = '\0';
	const struct bf_route *route = bf_route_find(method, url, &call, &known, allow, sizeof(allow));
	if (route == NULL || strcmp(route->pattern, "/v1/simulations") == 0)
		return 404;
	if (mark)
		*mark = '?';
	if (!split_query(url, &query, route->query))
		return 400;
	if (route->roles != 0) {
		int role = 1;
		while (role < BF_ROLE_COUNT && !(route->roles & BF_ROLE_BIT(role)))
			role++;
		if (role == BF_ROLE_COUNT)
			return 403;
		call.actor = parties[country][role];
	}
	route->handler(&call, &r);
	if (out != NULL)
		*out = r.body;
	else
		json_decref(r.body);
	return r.status;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char declaration[] =
	    "{\"exporter\":\"VN-EXP-0101\",\"commodity\":\"08109092\",\"net_weight_kg\":15000,\"packages\":900,"
	    "\"planting_areas\":[\"VN-BTOR-0001\"],\"packing_house\":\"VN-BTPH-001\",\"phyto_certificate\":\"P-1\","
	    "\"vehicle\":{\"kind\":\"truck\",\"number\":\"12C-123.45\",\"country\":\"VN\"},\"destination\":\"CN\","
	    "\"preferred_gate\":\"huu-nghi\"}";
	struct bf_error err = {0};
	json_t *j = NULL;
	(void)argc;
	(void)argv;
	/* One node for the whole border (no id given): both countries'
	 * parties act on it, so every role's routes are reached. */
	fuzz_open_service(NULL);
	for (int c = 0; c < 2; c++) {
		for (int role = 1; role < BF_ROLE_COUNT; role++) {
			struct bf_party *p = &parties[c][role];
			char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
			snprintf(p->id, sizeof(p->id), "fuzz-%s-%d", country_ids[c], role);
			snprintf(p->name, sizeof(p->name), "fuzz %s", bf_role_name((enum bf_role)role));
			p->role = (enum bf_role)role;
			memcpy(p->country, countries[c], 3);
			if (bf_service_token_new(fuzz_svc, p, token, id, &err) != 0) {
				fprintf(stderr, "fuzz: party %s: %s\n", p->id, err.message);
				abort();
			}
		}
	}
	if (run("POST", "/v1/consignments", 0, declaration, sizeof(declaration) - 1, &j) != 201) {
		fprintf(stderr, "fuzz: the start-up declaration was refused\n");
		abort();
	}
	snprintf(consignment_id, sizeof(consignment_id), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[256], method[16], path[512], country[8] = "VN";
	const char *nl, *at;
	char *body;
	size_t len;
	if (size > 64 * 1024)
		return -1;
	nl = memchr(data, '\n', size);
	len = nl ? (size_t)(nl - (const char *)data) : size;
	if (len >= sizeof(line))
		return 0;
	memcpy(line, data, len);
	line[len] = '\0';
	if (strlen(line) != len || sscanf(line, "%15s %255s %7s", method, path, country) < 2)
		return 0;
	if ((at = strstr(path, "@C")) != NULL) {
		char tail[256];
		snprintf(tail, sizeof(tail), "%s", at + 2);
		snprintf(path + (at - path), sizeof(path) - (size_t)(at - path), "%s%s", consignment_id, tail);
	}
	/* The body, NUL-terminated as the server hands it over. */
	size_t body_len = nl ? size - len - 1 : 0;
	body = malloc(body_len + 1);
	memcpy(body, nl ? nl + 1 : "", body_len);
	body[body_len] = '\0';
	run(method, path, strcmp(country, "CN") == 0, body_len ? body : NULL, body_len, NULL);
	free(body);
	return 0;
}
