/* The API test fixture. */
#include "util/apifix.h"

#include "simrun/runner.h"
#include "service/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bf_time apifix_clock_at(void *ctx)
{
	return *(const bf_time *)ctx;
}

/* The service on F's database. */
static int open_service(struct apifix *f, struct bf_error *err)
{
	struct bf_service_config cfg = {.connections = f->connections ? f->connections : 8,
	                                .db_url = f->db,
	                                .clock = f->clock,
	                                .clock_ctx = f->clock_ctx};
	return bf_service_open(&cfg, &f->svc, err);
}

/* The simulation runner, then the server, on F's open service; F->base
 * its address. */
static int serve(struct apifix *f, struct bf_error *err)
{
	struct bf_server_config scfg = {.bind = "127.0.0.1",
	                                .port = 0,
	                                .threads = f->threads ? f->threads : 8,
	                                .log_format = BF_LOG_OFF}; /* tests/cli test the log */
	if (bf_simrun_start(f->svc, 1, &f->simrun, err) != 0)
		return -1;
	scfg.simrun = f->simrun;
	if (bf_server_start(&scfg, f->svc, &f->srv, err) != 0)
		return -1;
	snprintf(f->base, sizeof(f->base), "http://127.0.0.1:%u", (unsigned)bf_server_port(f->srv));
	return 0;
}

/* The service and the server on F's database as it is; WHAT names the
 * step in a failure's message. */
static int open_and_serve(struct apifix *f, const char *what)
{
	struct bf_error err = {0};
	if (open_service(f, &err) != 0 || serve(f, &err) != 0) {
		fprintf(stderr, "%s: %s\n", what, err.message);
		return -1;
	}
	return 0;
}

int apifix_start(struct apifix *f, const char *name, struct apifix_party *parties, int n)
{
	struct bf_error err = {0};
	char id[BF_TOKEN_ID_MAX + 1];
	bf_time (*clock)(void *) = f->clock;
	void *clock_ctx = f->clock_ctx;
	memset(f, 0, sizeof(*f));
	f->clock = clock;
	f->clock_ctx = clock_ctx;
	snprintf(f->db, sizeof(f->db), "%s", tu_db(name));
	f->parties = parties;
	f->n_parties = n;
	if (open_service(f, &err) != 0) {
		fprintf(stderr, "open: %s\n", err.message);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct bf_party p = {.role = parties[i].role};
		bf_strlcpy(p.id, parties[i].id, sizeof(p.id));
		bf_strlcpy(p.name, parties[i].id, sizeof(p.name));
		bf_strlcpy(p.country, parties[i].country, sizeof(p.country));
		if (bf_service_token_new(f->svc, &p, parties[i].token, id, &err) != 0) {
			fprintf(stderr, "token: %s\n", err.message);
			return -1;
		}
	}
	if (serve(f, &err) != 0) {
		fprintf(stderr, "start: %s\n", err.message);
		return -1;
	}
	return 0;
}

int apifix_open(struct apifix *f)
{
	return open_and_serve(f, "start");
}

int apifix_restart(struct apifix *f)
{
	apifix_stop(f);
	f->svc = NULL;
	f->simrun = NULL;
	f->srv = NULL;
	return open_and_serve(f, "restart");
}

int apifix_second(const struct apifix *f, struct apifix *out)
{
	*out = *f;
	out->svc = NULL;
	out->simrun = NULL;
	out->srv = NULL;
	return apifix_restart(out);
}

void apifix_stop(struct apifix *f)
{
	bf_server_stop(f->srv);
	bf_simrun_stop(f->simrun);
	bf_service_close(f->svc);
}

int apifix_teardown(void **state)
{
	apifix_stop(*state);
	return 0;
}

json_t *apifix_call(struct apifix *f, int as, const char *method, const char *path, const char *body,
                    const char *header, long *status)
{
	return apifix_call_token(f, as >= 0 ? f->parties[as].token : NULL, method, path, body, header, status);
}

json_t *apifix_call_token(struct apifix *f, const char *token, const char *method, const char *path, const char *body,
                          const char *header, long *status)
{
	char url[2048], auth[128];
	const char *headers[3] = {NULL, NULL, NULL};
	int h = 0;
	struct tu_http r;
	snprintf(url, sizeof(url), "%s%s", f->base, path);
	if (token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		headers[h++] = auth;
	}
	if (header)
		headers[h++] = header;
	assert_int_equal(tu_http(method, url, body, headers, &r), 0);
	*status = r.status;
	json_t *j = r.len ? tu_http_json(&r) : json_null();
	tu_http_free(&r);
	return j;
}

const char *apifix_declare(struct apifix *f, int as, const char *exporter, const char *hs_code, const char *puc,
                           const char *phc, const char *gate)
{
	static char id[64];
	static unsigned plates; /* one vehicle a load: a plate waits in one yard */
	char body[1024], plate[16];
	long st;
	snprintf(plate, sizeof(plate), "12C-%03u.%02u", plates / 100 % 1000, plates % 100);
	plates++;
	snprintf(body, sizeof(body),
	         "{\"exporter\":\"%s\",\"commodity\":\"%s\",\"net_weight_kg\":15000,\"packages\":900,"
	         "\"planting_areas\":[\"%s\"],\"packing_house\":\"%s\",\"phyto_certificate\":\"P-1\","
	         "\"vehicle\":{\"kind\":\"truck\",\"number\":\"%s\",\"country\":\"VN\"},\"destination\":\"CN\","
	         "\"preferred_gate\":\"%s\"}",
	         exporter, hs_code, puc, phc, plate, gate);
	json_t *j = apifix_call(f, as, "POST", "/v1/consignments", body, NULL, &st);
	if (st != 201)
		fail_msg("declare: %ld", st);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	return id;
}

const char *apifix_state(struct apifix *f, int as, const char *id)
{
	static char state[32];
	char path[128];
	long st;
	snprintf(path, sizeof(path), "/v1/consignments/%s", id);
	json_t *j = apifix_call(f, as, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	snprintf(state, sizeof(state), "%s", tu_str(j, "state"));
	json_decref(j);
	return state;
}

long apifix_rows(struct apifix *f, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return tu_db_scalar(f->db, sql);
}

char *apifix_dump_rows(struct apifix *f)
{
	return tu_db_dump(f->db);
}
