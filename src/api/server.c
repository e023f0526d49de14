/* Request plumbing: body collection with a cap, routing by method and path
 * pattern, strict query parameters, and JSON answers. The handlers of the
 * routes live in routes.c. */
#include "api/server.h"

#include "model/buf.h"
#include "model/worker.h"

#include "api/cache.h"
#include "api/idempotency.h"
#include "api/metrics.h"
#include "api/reqlog.h"
#include "api/routes.h"
#include "model/time.h"
#include "codec/json.h"
#include "peer/sync.h"
#include "service/auth.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

struct bf_server {
	struct MHD_Daemon *daemon;
	struct bf_service *svc;
	struct bf_simrun *simrun;
	struct bf_sync *sync;
	uint16_t port;
	struct bf_metrics *metrics;
	struct bf_cache *cache; /* answers of KEPT routes (api/cache.h) */
	enum bf_log_format log_format;
	struct bf_reqlog *log; /* the log lines' writer (api/reqlog.h) */
	/* Requests that write are answered by WRITERS (below), a crew of
	 * threads: the queue of those waiting, under its lock. */
	struct bf_worker writers;
	struct request *first_job, *last_job;
};

/* Per-connection state of one request, from its first callback to its end. */
struct request {
	struct bf_buf body; /* at most BF_MAX_BODY bytes */
	bool too_big;
	bool answered;         /* a response is queued already */
	struct timespec start; /* when its headers came */
	/* Answered by a writer thread: what it needs, then its answer. */
	struct MHD_Connection *conn;
	const char *url, *method;
	struct request *next;
	bool done;
	struct bf_reply reply;
	const struct bf_route *route;
	char party[BF_PARTY_ID_MAX + 1];
};

static void free_request(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct request *rq = *con_cls;
	if (rq != NULL) {
		bf_buf_clear(&rq->body);
		free(rq);
		*con_cls = NULL;
	}
}

/* Queues R's answer; *BYTES gets the length of its body. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, struct bf_reply *r, size_t *bytes)
{
	char *text = r->body && !r->text && !r->raw ? json_dumps(r->body, BF_JSON_DUMP_FLAGS) : NULL;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->text != NULL) {
		text = r->text;
		r->text = NULL;
		*bytes = r->text_len;
		resp = MHD_create_response_from_buffer(r->text_len, text, MHD_RESPMEM_MUST_FREE);
	} else if (r->raw != NULL) {
		*bytes = r->raw_len;
		resp = MHD_create_response_from_buffer(r->raw_len, (void *)r->raw, MHD_RESPMEM_PERSISTENT);
	} else {
		*bytes = text ? strlen(text) : 0;
		resp = MHD_create_response_from_buffer(*bytes, text ? text : (void *)"",
		                                       text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	}
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        r->content_type ? r->content_type : "application/json; charset=utf-8");
	/* The dashboard's files may be kept, but asked again after each build. */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->content_type ? "no-cache" : "no-store");
	if (r->allow[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->www_authenticate[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, r->www_authenticate);
	if (r->idempotent_replay[0])
		MHD_add_response_header(resp, "Idempotent-Replayed", r->idempotent_replay);
	if (r->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* The library's unescaping of the path and the query, in place, but a
 * %00 becomes the control character 0x01 rather than ending the text
 * there, so that the path check refuses it instead of reading a cut id. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	char *w = s;
	for (const char *p = s; *p; p++) {
		int hi, lo;
		if (*p == '%' && (hi = hex_value(p[1])) >= 0 && (lo = hex_value(p[2])) >= 0) {
			char c = (char)(hi * 16 + lo);
			*w++ = c == '\0' ? '\x01' : c;
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* "2026-12-01T10:30:00.123Z": now, for a log line. */
static void log_time(char when[40])
{
	struct timespec wall;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &wall);
	gmtime_r(&wall.tv_sec, &tm);
	snprintf(when, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec, wall.tv_nsec / 1000000);
}

/* The HTTP library's own messages (a port it cannot bind, a connection it
 * drops), written as lines of the request log in its format, so that a
 * JSON log holds JSON lines only; with no log, to stderr as they are. */
static void library_log(void *cls, const char *fmt, va_list ap)
{
	struct bf_server *srv = cls;
	char msg[400], when[40], line[640];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	size_t len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	if (srv->log_format == BF_LOG_OFF) {
		fprintf(stderr, "%s\n", msg);
		return;
	}
	/* Quoted in either format: what needs escaping becomes '?'. */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)msg[i] < 0x20 || (unsigned char)msg[i] >= 0x7f || msg[i] == '"' || msg[i] == '\\')
			msg[i] = '?';
	log_time(when);
	if (srv->log_format == BF_LOG_LOGFMT)
		n = snprintf(line, sizeof(line), "time=%s level=error source=libmicrohttpd msg=\"%s\"\n", when, msg);
	else
		n = snprintf(line, sizeof(line),
		             "{\"time\":\"%s\",\"level\":\"error\",\"source\":\"libmicrohttpd\",\"message\":\"%s\"}\n",
		             when, msg);
	if (n > 0 && (size_t)n < sizeof(line) && !bf_reqlog_write(srv->log, line, (size_t)n))
		bf_metrics_log_dropped(srv->metrics);
}

/* Counts an answered request and writes its log line, whole, so that
 * lines of concurrent requests never mix (api/reqlog.h). The line
 * names the route's pattern, not the path (which may carry ids), and
 * never a header or the body. */
static void account(struct bf_server *srv, struct request *rq, const struct bf_route *route, const char *method,
                    int status, const char *party, size_t bytes)
{
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double seconds = (double)(end.tv_sec - rq->start.tv_sec) + (double)(end.tv_nsec - rq->start.tv_nsec) / 1e9;
	bf_metrics_observe(srv->metrics, route, method, status, seconds);
	if (srv->log_format == BF_LOG_OFF)
		return;

	char when[40], line[512], who[BF_PARTY_ID_MAX + 1];
	int n;
	/* Party ids come from the operator, not checked for a form: anything
	 * that would need quoting is shown as '_'. */
	size_t k = 0;
	for (; k < BF_PARTY_ID_MAX && party[k]; k++)
		who[k] = isalnum((unsigned char)party[k]) || strchr("-._:@/", party[k]) ? party[k] : '_';
	who[k] = '\0';
	party = who;
	log_time(when);
	/* Patterns, methods (bf_metrics_method) and party ids hold no
	 * character that needs quoting in either format. */
	const char *pattern = route ? route->pattern : "unmatched";
	if (srv->log_format == BF_LOG_LOGFMT)
		n = snprintf(
		    line, sizeof(line), "time=%s method=%s path=%s status=%d duration_ms=%.3f party=%s bytes=%zu\n",
		    when, bf_metrics_method(method), pattern, status, seconds * 1000.0, party[0] ? party : "-", bytes);
	else
		n = snprintf(line, sizeof(line),
		             "{\"time\":\"%s\",\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,"
		             "\"duration_ms\":%.3f,\"party\":%s%s%s,\"bytes\":%zu}\n",
		             when, bf_metrics_method(method), pattern, status, seconds * 1000.0, party[0] ? "\"" : "",
		             party[0] ? party : "null", party[0] ? "\"" : "", bytes);
	if (n > 0 && (size_t)n < sizeof(line) && !bf_reqlog_write(srv->log, line, (size_t)n))
		bf_metrics_log_dropped(srv->metrics);
}

/* Answers RQ at once, before its body is read and before any route is
 * looked for: what the request's framing already settles. The library
 * closes the connection after it when a body was announced. */
static enum MHD_Result refuse_early(struct bf_server *srv, struct MHD_Connection *conn, const char *method,
                                    struct request *rq, int status, const char *code, const char *field,
                                    const char *message)
{
	struct bf_reply r = {.status = status};
	size_t bytes = 0;
	bf_reply_error(&r, status, code, field, "%s", message);
	rq->answered = true;
	enum MHD_Result ret = send_reply(conn, &r, &bytes);
	account(srv, rq, NULL, method, status, "", bytes);
	json_decref(r.body);
	return ret;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	struct {
		const char *name;
		int n;
	} *c = cls;
	if (strcasecmp(key, c->name) == 0)
		c->n++;
	return MHD_YES;
}

struct sizes {
	size_t bytes;
};

static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct sizes *z = cls;
	z->bytes += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF, or "&" and "=" */
	return MHD_YES;
}

/* The bytes of the values of KIND the request carries, about as sent
 * (the library has decoded them). */
static size_t values_size(struct MHD_Connection *conn, enum MHD_ValueKind kind)
{
	struct sizes z = {0};
	MHD_get_connection_values(conn, kind, add_size, &z);
	return z.bytes;
}

/* How many times the request carries the header NAME. */
static int header_count(struct MHD_Connection *conn, const char *name)
{
	struct {
		const char *name;
		int n;
	} c = {name, 0};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &c);
	return c.n;
}

/* The checks of a request's framing that the library leaves to its
 * user, made on its first call, before the body is read: a length given
 * twice or beside a chunked encoding could be read two ways (by a proxy
 * in front and by this server), and a transfer coding other than chunked
 * cannot be read at all. Answers and returns true when one fails. */
static bool refuse_framing(struct bf_server *srv, struct MHD_Connection *conn, const char *url, const char *method,
                           struct request *rq, enum MHD_Result *ret)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	char msg[96];
	if (strlen(url) + values_size(conn, MHD_GET_ARGUMENT_KIND) > BF_MAX_TARGET) {
		snprintf(msg, sizeof(msg), "the path and query are over the limit of %u bytes", BF_MAX_TARGET);
		*ret = refuse_early(srv, conn, method, rq, 414, "uri_too_long", "path", msg);
		return true;
	}
	if (values_size(conn, MHD_HEADER_KIND) > BF_MAX_HEADERS) {
		snprintf(msg, sizeof(msg), "the header fields are over the limit of %u bytes in all", BF_MAX_HEADERS);
		*ret = refuse_early(srv, conn, method, rq, 431, "headers_too_large", "headers", msg);
		return true;
	}
	if (header_count(conn, MHD_HTTP_HEADER_CONTENT_LENGTH) > 1) {
		*ret = refuse_early(srv, conn, method, rq, 400, "invalid", "Content-Length", "given more than once");
		return true;
	}
	if (te != NULL && header_count(conn, MHD_HTTP_HEADER_TRANSFER_ENCODING) > 1) {
		*ret = refuse_early(srv, conn, method, rq, 400, "invalid", "Transfer-Encoding", "given more than once");
		return true;
	}
	if (te != NULL && strcasecmp(te, "chunked") != 0) {
		*ret = refuse_early(srv, conn, method, rq, 501, "not_implemented", "Transfer-Encoding",
		                    "only the chunked transfer coding is understood");
		return true;
	}
	if (te != NULL && cl != NULL) {
		*ret = refuse_early(srv, conn, method, rq, 400, "invalid", "Content-Length",
		                    "a body is framed by Content-Length or by chunked encoding, not both");
		return true;
	}
	if (cl != NULL && strtoull(cl, NULL, 10) > BF_MAX_BODY) {
		/* Announced as too big: refused at once rather than read. */
		rq->too_big = true;
		snprintf(msg, sizeof(msg), "the request body is over the limit of %u bytes", BF_MAX_BODY);
		*ret = refuse_early(srv, conn, method, rq, 413, "too_big", "body", msg);
		return true;
	}
	return false;
}

/* Whether a body declared CONTENT_TYPE is JSON: application/json, with
 * no parameter but charset=utf-8 (RFC 8259: JSON is UTF-8). */
static bool is_json_type(const char *content_type)
{
	const char *p = content_type;
	if (p == NULL)
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, "application/json", 16) != 0)
		return false;
	p += 16;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return true;
		if (*p++ != ';')
			return false;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset=", 8) != 0)
			return false;
		p += 8;
		if (strncasecmp(p, "utf-8", 5) == 0)
			p += 5;
		else if (strncasecmp(p, "\"utf-8\"", 7) == 0)
			p += 7;
		else
			return false;
	}
}

/* The methods whose body a route reads. */
static bool takes_body(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0;
}

struct query_check {
	const char *const *allowed;
	char bad[64];
	bool repeated;
	const char *seen[16];
	int n_seen;
};

static enum MHD_Result check_query_key(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query_check *qc = cls;
	(void)kind;
	(void)value;
	for (const char *const *a = qc->allowed; a && *a; a++) {
		if (strcmp(*a, key) != 0)
			continue;
		/* A parameter given twice is refused, not resolved by a guess. */
		for (int i = 0; i < qc->n_seen; i++) {
			if (qc->seen[i] == *a) {
				qc->repeated = true;
				bf_strlcpy(qc->bad, key, sizeof(qc->bad));
				return MHD_NO;
			}
		}
		if (qc->n_seen < 16)
			qc->seen[qc->n_seen++] = *a;
		return MHD_YES;
	}
	bf_strlcpy(qc->bad, key, sizeof(qc->bad));
	return MHD_NO;
}

static const char *query_value(void *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

static const char *header_value(void *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Finds who holds the bearer token, and whether that role may call the
 * route. Replies 401 or 403 and returns false when not. REVISION: the
 * store's, read just before for a kept answer, or NULL. */
static bool authorize(struct bf_call *call, const struct bf_route *route, const int64_t *revision, struct bf_reply *r)
{
	const char *auth;
	struct bf_error err = {0};
	int rc;
	if (route->roles == 0)
		return true;
	auth = bf_call_header(call, MHD_HTTP_HEADER_AUTHORIZATION);
	/* The scheme is case-insensitive (RFC 7235); spaces may follow it. */
	if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0) {
		auth += 7;
		while (*auth == ' ')
			auth++;
	} else {
		auth = NULL;
	}
	if (auth == NULL || *auth == '\0') {
		bf_reply_error(r, 401, "unauthorized", "Authorization", "this call needs a bearer token");
		bf_strlcpy(r->www_authenticate, "Bearer realm=\"borderflow\"", sizeof(r->www_authenticate));
		return false;
	}
	rc = revision ? bf_service_authenticate_at(call->svc, auth, *revision, &call->actor, &err)
	              : bf_service_authenticate(call->svc, auth, &call->actor, &err);
	if (rc == BF_EAUTH) {
		bf_reply_error(r, 401, "unauthorized", "Authorization", "%s", err.message);
		bf_strlcpy(r->www_authenticate, "Bearer realm=\"borderflow\", error=\"invalid_token\"",
		           sizeof(r->www_authenticate));
		return false;
	}
	if (rc) {
		bf_reply_failure(r, &err);
		return false;
	}
	if (!(route->roles & BF_ROLE_BIT(call->actor.role))) {
		bf_reply_error(r, 403, "forbidden", "role", "a %s may not %s %s", bf_role_name(call->actor.role),
		               route->method, route->pattern);
		return false;
	}
	return true;
}

struct cache_key {
	char *p, *end; /* where the next byte goes; the end of the buffer */
	bool full;
};

/* Appends "&NAME=LENGTH:VALUE": a value holding '&' or '=' cannot pass
 * for two parameters. */
static enum MHD_Result add_key_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct cache_key *k = cls;
	(void)kind;
	int n = value ? snprintf(k->p, (size_t)(k->end - k->p), "&%s=%zu:%s", key, strlen(value), value)
	              : snprintf(k->p, (size_t)(k->end - k->p), "&%s", key);
	if (n < 0 || n >= k->end - k->p) {
		k->full = true;
		return MHD_NO;
	}
	k->p += n;
	return MHD_YES;
}

/* Answers a KEPT route again from the cache when it can (api/cache.h);
 * otherwise runs its handler and keeps a 200 answer, read at the revision
 * taken before it ran: a write committed meanwhile makes it older than it
 * is, never newer. */
static void answer_kept(struct bf_server *srv, struct bf_call *call, const struct bf_route *route, const char *url,
                        int64_t revision, struct bf_reply *r)
{
	char buf[1024];
	struct cache_key k = {.p = buf, .end = buf + sizeof(buf)};
	/* The path's length first: a decoded path may hold '&' and '='. */
	int n = snprintf(buf, sizeof(buf), "%zu:%s", strlen(url), url);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		route->handler(call, r);
		return;
	}
	k.p += n;
	MHD_get_connection_values(call->conn, MHD_GET_ARGUMENT_KIND, add_key_part, &k);
	if (k.full) {
		route->handler(call, r);
		return;
	}
	int64_t now = bf_time_monotonic_ms();
	r->text = bf_cache_get(srv->cache, buf, revision, now, &r->text_len);
	bf_metrics_kept(srv->metrics, r->text != NULL);
	if (r->text != NULL) {
		r->status = 200;
		return;
	}
	route->handler(call, r);
	if (r->status != 200 || r->body == NULL || r->text != NULL || r->raw != NULL)
		return;
	r->text = json_dumps(r->body, BF_JSON_DUMP_FLAGS);
	if (r->text == NULL)
		return;
	r->text_len = strlen(r->text);
	json_decref(r->body);
	r->body = NULL;
	bf_cache_put(srv->cache, buf, revision, now, r->text, r->text_len);
}

static bool is_write(const char *method);

/* Answers the request into R; *ROUTE gets the route it matched (or NULL)
 * and PARTY the id of the token's holder once authenticated (or ""). */
static void dispatch(struct bf_server *srv, struct MHD_Connection *conn, const char *url, const char *method,
                     struct request *rq, struct bf_reply *r, const struct bf_route **route,
                     char party[BF_PARTY_ID_MAX + 1])
{
	struct bf_call call = {
	    .svc = srv->svc,
	    .conn = conn,
	    .query = query_value,
	    .header = header_value,
	    .body = rq->body.data,
	    .body_len = rq->body.len,
	    .metrics = srv->metrics,
	    .simrun = srv->simrun,
	    .sync = srv->sync,
	};
	const struct bf_route *match;
	bool path_known;

	/* An id with a control character in it (or a NUL, which unescape()
	 * turns into one) names nothing and would reach the store and the
	 * log: refused before any route is looked for. */
	for (const char *c = url; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			bf_reply_error(r, 400, "invalid", "path",
			               "the path holds a control character or a NUL (%%00 to %%1F, or %%7F)");
			*route = NULL;
			return;
		}
	}
	match = bf_route_find(method, url, &call, &path_known, r->allow, sizeof(r->allow));
	*route = match;
	if (match == NULL) {
		if (path_known)
			bf_reply_error(r, 405, "method_not_allowed", "", "this path does not answer %s; it answers %s",
			               method, r->allow);
		else
			bf_reply_error(r, 404, "not_found", "", "no such path: %s", url);
		return;
	}
	if (rq->too_big) {
		bf_reply_error(r, 413, "too_big", "body", "the request body is over the limit of %u bytes",
		               BF_MAX_BODY);
		return;
	}
	if (rq->body.len > 0 && takes_body(method) && !is_json_type(header_value(conn, "Content-Type"))) {
		bf_reply_error(r, 415, "unsupported_media_type", "Content-Type",
		               "the body must be sent as application/json (charset utf-8, if named)");
		return;
	}
	/* A kept answer is as of the store's revision, read first, and so is
	 * the token's holder then (bf_service_authenticate_at). Without it,
	 * the answer is made afresh. */
	struct bf_error err;
	int64_t revision;
	bool kept = (match->flags & BF_ROUTE_KEPT) && bf_service_revision(srv->svc, &revision, &err) == 0;
	bool allowed = authorize(&call, match, kept ? &revision : NULL, r);
	bf_strlcpy(party, call.actor.id, BF_PARTY_ID_MAX + 1);
	if (!allowed)
		return;
	struct query_check qc = {.allowed = match->query};
	if (MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, check_query_key, &qc) >= 0 && qc.bad[0]) {
		bf_reply_error(r, 400, "invalid", qc.bad,
		               qc.repeated ? "given more than once" : "unknown query parameter");
		return;
	}
	/* A node of a pair writes only once its own chain is whole against
	 * the peer's copy (peer/sync.h): never a number given twice. */
	char held[600];
	if (is_write(method) && !bf_sync_writable(srv->sync, held, sizeof(held))) {
		bf_reply_error(r, 503, "unavailable", "", "%s", held);
		return;
	}
	if (kept)
		answer_kept(srv, &call, match, url, revision, r);
	else if (bf_idempotency_guards(match))
		bf_idempotency_answer(&call, match, url, r);
	else
		match->handler(&call, r);
}

/* Writes wait for the store's writer and for the disk. Answered on the
 * library's threads, each would hold up the other connections that thread
 * serves (the library binds a connection to one thread), and a commit
 * group could hold no more writers than there are such threads. So a
 * request that writes is suspended and queued for a writer thread
 * (BF_SERVER_WRITERS_PER_THREAD for each of the library's), which answers
 * it and resumes it; the library's thread sends the answer. Reads are
 * answered where they come. */
static bool is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "OPTIONS") != 0;
}

/* Suspends RQ's connection and queues it; false when the server stops
 * (the caller answers it then). */
static bool queue_job(struct bf_server *srv, struct MHD_Connection *conn, const char *url, const char *method,
                      struct request *rq)
{
	pthread_mutex_lock(&srv->writers.lock);
	if (srv->writers.stopping) {
		pthread_mutex_unlock(&srv->writers.lock);
		return false;
	}
	MHD_suspend_connection(conn);
	rq->conn = conn;
	rq->url = url;
	rq->method = method;
	rq->next = NULL;
	if (srv->last_job)
		srv->last_job->next = rq;
	else
		srv->first_job = rq;
	srv->last_job = rq;
	bf_worker_signal(&srv->writers);
	pthread_mutex_unlock(&srv->writers.lock);
	return true;
}

/* A writer thread: answers queued requests until the server stops and
 * none is left. */
static void writer(struct bf_worker *w)
{
	struct bf_server *srv = w->arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (srv->first_job == NULL && bf_worker_sleep(w, -1))
			;
		struct request *rq = srv->first_job;
		if (rq == NULL)
			break;
		if ((srv->first_job = rq->next) == NULL)
			srv->last_job = NULL;
		pthread_mutex_unlock(&w->lock);
		rq->reply = (struct bf_reply){.status = 500};
		rq->party[0] = '\0';
		dispatch(srv, rq->conn, rq->url, rq->method, rq, &rq->reply, &rq->route, rq->party);
		rq->done = true;
		MHD_resume_connection(rq->conn);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct bf_server *srv = cls;
	struct request *rq = *con_cls;
	(void)version;

	if (rq == NULL) {
		/* First call: headers only. Answer on a later call, once the body
		 * is read, so that the connection can be kept alive. */
		rq = bf_xcalloc(1, sizeof(*rq));
		bf_buf_init(&rq->body, BF_MAX_BODY);
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		*con_cls = rq;
		enum MHD_Result ret;
		if (refuse_framing(srv, conn, url, method, rq, &ret))
			return ret;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		/* A chunked body that grows past the limit is read to its end and
		 * dropped, and answered 413 then: the library (0.9.75) cannot
		 * queue an answer while a body is coming in, and closing the
		 * connection would leave the client with no answer at all. */
		if (!rq->answered && !rq->too_big && bf_buf_add(&rq->body, upload_data, n) != BF_OK) {
			rq->too_big = true;
			bf_buf_clear(&rq->body);
		}
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	size_t bytes = 0;
	if (rq->done) {
		/* Answered by a writer thread, and resumed. */
		rq->done = false;
		enum MHD_Result ret = send_reply(conn, &rq->reply, &bytes);
		account(srv, rq, rq->route, method, rq->reply.status, rq->party, bytes);
		free(rq->reply.text);
		json_decref(rq->reply.body);
		return ret;
	}
	if (is_write(method) && queue_job(srv, conn, url, method, rq))
		return MHD_YES;

	struct bf_reply r = {.status = 500};
	const struct bf_route *route = NULL;
	char party[BF_PARTY_ID_MAX + 1] = "";
	dispatch(srv, conn, url, method, rq, &r, &route, party);
	enum MHD_Result ret = send_reply(conn, &r, &bytes);
	account(srv, rq, route, method, r.status, party, bytes);
	free(r.text);
	json_decref(r.body);
	return ret;
}

/* Undoes what bf_server_start() had started of SRV, frees it and sets
 * ERR. */
static int fail_start(struct bf_server *srv, struct bf_error *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail_start(struct bf_server *srv, struct bf_error *err, int code, const char *field, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bf_worker_stop(&srv->writers);
	bf_reqlog_stop(srv->log);
	bf_metrics_free(srv->metrics);
	bf_cache_free(srv->cache);
	free(srv);
	return bf_error_set(err, code, field, "%s", msg);
}

int bf_server_start(const struct bf_server_config *cfg, struct bf_service *svc, struct bf_server **out,
                    struct bf_error *err)
{
	struct sockaddr_storage ss;
	const char *bind_to = cfg->bind ? cfg->bind : "127.0.0.1";
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	struct bf_server *srv;

	*out = NULL;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, bind_to, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(cfg->port);
	} else if (inet_pton(AF_INET6, bind_to, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		return bf_error_set(err, BF_EINVAL, "bind", "\"%s\" is not a numeric IPv4 or IPv6 address", bind_to);
	}

	srv = bf_xcalloc(1, sizeof(*srv));
	srv->svc = svc;
	srv->simrun = cfg->simrun;
	srv->sync = cfg->sync;
	size_t n_routes;
	const struct bf_route *routes = bf_routes(&n_routes);
	srv->metrics = bf_metrics_new(routes, n_routes);
	srv->cache = bf_cache_new();
	srv->log_format = cfg->log_format;
	if (srv->log_format != BF_LOG_OFF)
		srv->log = bf_reqlog_start(STDERR_FILENO);
	unsigned want = BF_SERVER_WRITERS_PER_THREAD * (cfg->threads ? cfg->threads : 4);
	if (bf_worker_start_crew(&srv->writers, want, writer, srv) != BF_OK) {
		bf_reqlog_stop(srv->log);
		bf_metrics_free(srv->metrics);
		bf_cache_free(srv->cache);
		free(srv);
		return bf_error_set(err, BF_EIO, "threads", "cannot start %u writer threads", want);
	}
	/* HTTPS when a certificate is given, through the library's TLS. */
	struct MHD_OptionItem tls[] = {{MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)cfg->tls_key_pem},
	                               {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cfg->tls_cert_pem},
	                               {MHD_OPTION_END, 0, NULL}};
	if ((cfg->tls_cert_pem == NULL) != (cfg->tls_key_pem == NULL))
		return fail_start(srv, err, BF_EINVAL, cfg->tls_cert_pem ? "tls-key" : "tls-cert",
		                  "HTTPS needs both a certificate and its private key");
	if (cfg->tls_cert_pem != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			return fail_start(srv, err, BF_EINVAL, "tls-cert",
			                  "this build of libmicrohttpd has no TLS: HTTPS cannot be served");
		flags |= MHD_USE_TLS;
	} else {
		tls[0].option = MHD_OPTION_END;
	}
	/* The logger first: options before it would log through the library's
	 * own logger. */
	srv->daemon = MHD_start_daemon(
	    flags, cfg->port, NULL, NULL, handle, srv, MHD_OPTION_EXTERNAL_LOGGER, library_log, srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_SOCK_ADDR, &ss, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)(cfg->threads ? cfg->threads : 4), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)BF_CONNECTION_MEMORY, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)1000, MHD_OPTION_NOTIFY_COMPLETED, free_request, NULL, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		if (cfg->tls_cert_pem != NULL)
			return fail_start(
			    srv, err, BF_EIO, "tls-cert",
			    "cannot serve HTTPS on %s port %u: the port is in use or not permitted, or the "
			    "certificate and key are not a PEM pair that belongs together",
			    bind_to, (unsigned)cfg->port);
		return fail_start(srv, err, BF_EIO, "port", "cannot listen on %s port %u (in use, or not permitted)",
		                  bind_to, (unsigned)cfg->port);
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : cfg->port;
	*out = srv;
	return BF_OK;
}

uint16_t bf_server_port(const struct bf_server *srv)
{
	return srv->port;
}

void bf_server_stop(struct bf_server *srv)
{
	if (srv == NULL)
		return;
	/* Queued writes are answered first: the library may not stop while a
	 * connection is suspended. Writes that come meanwhile find the writers
	 * stopping (their lock lives until the library has stopped) and are
	 * answered on the library's threads. */
	bf_worker_join(&srv->writers);
	MHD_stop_daemon(srv->daemon);
	bf_worker_clear(&srv->writers);
	bf_reqlog_stop(srv->log);
	bf_metrics_free(srv->metrics);
	bf_cache_free(srv->cache);
	free(srv);
}
