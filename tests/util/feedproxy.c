/* The test harness's proxy between two real nodes: it forwards every GET
 * to the upstream node and, on the pages of ORIGIN's feed that hold
 * events, does what its mode file says, a given number of times, then
 * passes pages on untouched again:
 *
 *   alter N       the first event's payload changed (its hash no longer holds)
 *   drop N        the first event left out (a gap)
 *   reorder N     the first two events swapped
 *   replay N      the previous page's events sent again before this page's
 *   truncate N    the body cut off halfway
 *   withhold N    the second half of the events left out, and "more": false
 *   node N        the page said to be another node's
 *   equivocate N  the last event, when it is the chain's head, dated a
 *                 second later, hashed and signed again with its author's
 *                 key, read from the upstream's database (a node that
 *                 shows its peer another history)
 *   pass          nothing changed
 *
 * The mode file holds "MODE N"; each page changed counts N down, and the
 * file says "pass" once N reaches 0. Each change is logged on stderr.
 *
 *   feedproxy PORT UPSTREAM_URL ORIGIN MODE_FILE [UPSTREAM_DB]
 *
 * It listens on 127.0.0.1 only and stops on SIGTERM. */
#include "ledger/ledger.h"
#include "store/store.h"

#include <curl/curl.h>
#include <jansson.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *upstream, *origin, *mode_file, *upstream_db;
static char *previous; /* the last page of ORIGIN's feed passed on, as JSON text */
static volatile sig_atomic_t stopping;

struct text {
	char *data;
	size_t len;
};

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
	struct text *t = arg;
	t->data = realloc(t->data, t->len + size * n + 1);
	if (t->data == NULL)
		abort();
	memcpy(t->data + t->len, ptr, size * n);
	t->len += size * n;
	t->data[t->len] = '\0';
	return size * n;
}

struct query {
	CURL *curl;
	char text[2048];
	char origin[64];
};

static enum MHD_Result add_arg(void *arg, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query *q = arg;
	(void)kind;
	char *k = curl_easy_escape(q->curl, key, 0), *v = curl_easy_escape(q->curl, value ? value : "", 0);
	size_t used = strlen(q->text);
	snprintf(q->text + used, sizeof(q->text) - used, "%s%s=%s", used ? "&" : "?", k, v);
	curl_free(k);
	curl_free(v);
	if (strcmp(key, "origin") == 0 && value != NULL)
		snprintf(q->origin, sizeof(q->origin), "%s", value);
	return MHD_YES;
}

/* The mode, and one use of it taken when TAKE. */
static void read_mode(char *mode, size_t cap, int *left)
{
	FILE *f = fopen(mode_file, "r");
	*left = 0;
	snprintf(mode, cap, "pass");
	if (f == NULL)
		return;
	char line[128] = "";
	if (fgets(line, sizeof(line), f) != NULL && sscanf(line, "%31s %d", mode, left) < 1)
		snprintf(mode, cap, "pass");
	fclose(f);
}

static void count_down(const char *mode, int left)
{
	FILE *f = fopen(mode_file, "w");
	if (f == NULL)
		return;
	if (left > 1)
		fprintf(f, "%s %d\n", mode, left - 1);
	else
		fprintf(f, "pass\n");
	fclose(f);
}

/* Dates EVENT a second later and signs it again with its author's key. */
static bool equivocate(json_t *event)
{
	struct bf_event e;
	struct bf_error err = {0};
	struct bf_store *s;
	struct bf_signing_key key;
	if (upstream_db == NULL || bf_ledger_event_parse(event, &e, &err) != 0)
		return false;
	if (bf_store_open(upstream_db, &s, &err) != 0) {
		free(e.payload);
		return false;
	}
	bool ok = bf_store_key_get(s, e.key_id, &key, &err) == 0;
	bf_store_close(s);
	if (ok) {
		e.at += 1;
		bf_ledger_hash(&e, e.hash);
		crypto_sign_detached(e.signature, NULL, e.hash, sizeof(e.hash), key.secret_key);
		sodium_memzero(&key, sizeof(key));
		json_t *forged = bf_ledger_event_json(&e);
		json_object_update(event, forged);
		json_decref(forged);
	}
	free(e.payload);
	return ok;
}

/* BODY, a page of ORIGIN's feed, changed as MODE says: a new text, or
 * NULL if the page does not lend itself to it (too few events). */
static char *change(const char *mode, const struct text *body)
{
	json_t *page = json_loads(body->data, 0, NULL), *events = json_object_get(page, "events");
	size_t n = json_array_size(events);
	char *out = NULL;
	bool done = false;
	if (strcmp(mode, "truncate") == 0 && n >= 1) {
		out = strndup(body->data, body->len / 2);
		json_decref(page);
		return out;
	}
	if (strcmp(mode, "alter") == 0 && n >= 1) {
		json_t *ev = json_array_get(events, 0);
		char *p = strdup(json_string_value(json_object_get(ev, "payload")));
		size_t len = strlen(p);
		if (len > 2) {
			p[len - 2] = p[len - 2] == '0' ? '1' : '0';
			json_object_set_new(ev, "payload", json_string(p));
			done = true;
		}
		free(p);
	} else if (strcmp(mode, "drop") == 0 && n >= 2) {
		done = json_array_remove(events, 0) == 0;
	} else if (strcmp(mode, "reorder") == 0 && n >= 2) {
		json_t *first = json_incref(json_array_get(events, 0));
		done = json_array_remove(events, 0) == 0 && json_array_insert(events, 1, first) == 0;
		json_decref(first);
	} else if (strcmp(mode, "replay") == 0 && n >= 1 && previous != NULL) {
		json_t *old = json_loads(previous, 0, NULL);
		json_t *again = json_object_get(old, "events");
		for (size_t i = json_array_size(again); i-- > 0;)
			json_array_insert(events, 0, json_array_get(again, i));
		done = json_array_size(again) > 0;
		json_decref(old);
	} else if (strcmp(mode, "withhold") == 0 && n >= 2) {
		while (json_array_size(events) > n / 2)
			json_array_remove(events, json_array_size(events) - 1);
		json_object_set_new(page, "more", json_false());
		done = true;
	} else if (strcmp(mode, "node") == 0) {
		json_object_set_new(page, "node", json_string("zz"));
		done = true;
	} else if (strcmp(mode, "equivocate") == 0 && n >= 1 &&
	           json_integer_value(json_object_get(json_array_get(events, n - 1), "origin_seq")) ==
	               json_integer_value(json_object_get(json_object_get(page, "head"), "origin_seq"))) {
		/* The chain's last event, so that the next head names the true one. */
		done = equivocate(json_array_get(events, n - 1));
	}
	if (done)
		out = json_dumps(page, JSON_COMPACT);
	json_decref(page);
	return out;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)cls, (void)version, (void)upload, (void)upload_size;
	if (*state == NULL) {
		static int first;
		*state = &first; /* the headers: answer once the request is whole */
		return MHD_YES;
	}
	struct query q = {.curl = curl_easy_init()};
	struct text body = {0};
	long status = 502;
	char target[4096];
	struct curl_slist *headers = NULL;
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &q);
	snprintf(target, sizeof(target), "%s%s%s", upstream, url, q.text);
	if (auth != NULL) {
		char h[1024];
		snprintf(h, sizeof(h), "Authorization: %s", auth);
		headers = curl_slist_append(headers, h);
	}
	curl_easy_setopt(q.curl, CURLOPT_URL, target);
	curl_easy_setopt(q.curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(q.curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(q.curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(q.curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(q.curl, CURLOPT_TIMEOUT, 10L);
	if (curl_easy_perform(q.curl) == CURLE_OK)
		curl_easy_getinfo(q.curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(q.curl);
	if (body.data == NULL)
		body.data = strdup("");

	char *sent = NULL;
	if (status == 200 && strcmp(url, "/v1/events") == 0 && strcmp(q.origin, origin) == 0) {
		char mode[32];
		int left;
		read_mode(mode, sizeof(mode), &left);
		if (strcmp(mode, "pass") != 0 && left > 0 && (sent = change(mode, &body)) != NULL) {
			count_down(mode, left);
			fprintf(stderr, "feedproxy: %s on %s%s\n", mode, url, q.text);
		}
		json_t *page = json_loads(body.data, 0, NULL);
		if (sent == NULL && json_array_size(json_object_get(page, "events")) > 0) {
			free(previous);
			previous = strdup(body.data);
		}
		json_decref(page);
	}
	if (sent == NULL)
		sent = body.data;
	else
		free(body.data);
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(sent), sent, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return rc;
}

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: feedproxy PORT UPSTREAM_URL ORIGIN MODE_FILE [UPSTREAM_DB]\n");
		return 2;
	}
	upstream = argv[2];
	origin = argv[3];
	mode_file = argv[4];
	upstream_db = argc == 6 ? argv[5] : NULL;
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
	at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, answer, NULL,
	                                        MHD_OPTION_SOCK_ADDR, &at, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "feedproxy: cannot listen on 127.0.0.1:%s\n", argv[1]);
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	/* Bounded: a proxy left behind by a test that died stops by itself. */
	for (int i = 0; i < 6000 && !stopping; i++)
		usleep(100000);
	MHD_stop_daemon(d);
	free(previous);
	curl_global_cleanup();
	return 0;
}
