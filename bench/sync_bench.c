/* Benchmark of a fresh peer catching up: node cn, new, pulls node vn's
 * chain of EVENTS events, page by page (200 events each, as the puller
 * asks, by default), through bf_sync_apply_page_on: every event's hash, link, key,
 * signature, role, time, authority and move checked, then applied with
 * its effect, each in its own transaction. Two fresh peers take the same
 * pages side by side, one checking signatures on one thread, the other on
 * one thread per core, their order swapped every page so that a busy
 * shared machine slows both alike; it prints events applied per second
 * for each and the ratio.
 *
 * vn's chain is real: a load declared, validated, booked, checked in,
 * routed, called and cleared for export through vn's API, then that
 * lifecycle repeated for other loads (their ids in subject and payload
 * changed, each event numbered, linked and signed again with its
 * author's key) until the chain holds EVENTS events.
 *
 *   sync_bench [EVENTS [PAGE]]   default 1000000 events in pages of 200
 *                                (the puller's); files under $BF_TMP or /tmp */
#include "util/apifix.h"

#include "ledger/ledger.h"
#include "peer/feed.h"
#include "peer/sync.h"
#include "service/ledger.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define TEMPLATE 16

enum { CARRIER, CUSTOMS, GATE, N_PARTIES };
static struct apifix_party parties[N_PARTIES] = {
    {"sb-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"sb-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"sb-gate", BF_ROLE_GATE_OPERATOR, "VN", ""},
};

static double wall(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const struct bf_error *err)
{
	fprintf(stderr, "sync_bench: %s: %s\n", what, err ? err->message : "failed");
	exit(1);
}

/* TEXT with every ID replaced by WITH (of the same length), in place. */
static void replace_id(char *text, const char *id, const char *with)
{
	size_t n = strlen(id);
	for (char *p = strstr(text, id); p != NULL; p = strstr(p + n, id))
		memcpy(p, with, n);
}

/* The J-th load's id, as long as ORIGINAL ("c-" and 16 characters). */
static void load_id(long j, const char *original, char *out, size_t cap)
{
	static const char digits[] = "abcdefghijkmnpqrstuvwxyz23456789";
	snprintf(out, cap, "%s", original);
	size_t n = strlen(out);
	for (size_t k = 0; k < 10 && n - 1 - k > 2; k++, j /= 32)
		out[n - 1 - k] = digits[j % 32];
}

struct source {
	struct bf_event prefix[TEMPLATE * 2], lifecycle[TEMPLATE];
	size_t n_prefix, n_lifecycle;
	char id[64];
	struct bf_store *keys; /* vn's database: its authors' secret keys */
	int64_t seq;           /* the last number given */
	unsigned char head[BF_EVENT_HASH_BYTES];
};

/* vn's chain so far: the parties' records (PREFIX), then the lifecycle
 * of the load ID, the template of the others. */
static void read_source(struct apifix *vn, struct source *src)
{
	json_t *doc;
	struct bf_error err = {0};
	if (bf_feed_page(vn->svc, "vn", 0, 1000, &doc, &err) != 0)
		die("feed", &err);
	json_t *events = json_object_get(doc, "events"), *x;
	size_t i;
	char subject[80];
	snprintf(subject, sizeof(subject), "consignment/%s", src->id);
	json_array_foreach (events, i, x) {
		struct bf_event e;
		if (bf_ledger_event_parse(x, &e, &err) != 0)
			die("parse", &err);
		bool about = strcmp(e.subject, subject) == 0;
		if (about ? src->n_lifecycle == TEMPLATE : src->n_lifecycle > 0 || src->n_prefix == TEMPLATE * 2) {
			fprintf(stderr, "sync_bench: vn's chain is not records then one lifecycle (%s)\n", e.kind);
			exit(1);
		}
		if (about)
			src->lifecycle[src->n_lifecycle++] = e;
		else
			src->prefix[src->n_prefix++] = e;
		src->seq = e.origin_seq;
		memcpy(src->head, e.hash, sizeof(src->head));
	}
	json_decref(doc);
}

/* The next event of vn's chain after SRC's head: TEMPLATE for load J. */
static void next_event(struct source *src, const struct bf_event *template, long j, struct bf_event *e)
{
	char id[64];
	struct bf_signing_key key;
	struct bf_error err = {0};
	*e = *template;
	e->payload = bf_xstrdup(template->payload);
	load_id(j, src->id, id, sizeof(id));
	replace_id(e->subject, src->id, id);
	replace_id(e->payload, src->id, id);
	e->origin_seq = ++src->seq;
	memcpy(e->prev_hash, src->head, sizeof(e->prev_hash));
	bf_ledger_hash(e, e->hash);
	if (bf_store_key_get(src->keys, e->key_id, &key, &err) != 0)
		die("key", &err);
	crypto_sign_detached(e->signature, NULL, e->hash, sizeof(e->hash), key.secret_key);
	sodium_memzero(&key, sizeof(key));
	memcpy(src->head, e->hash, sizeof(src->head));
}

/* A fresh node cn under DIR, with vn's public keys. */
static struct bf_service *fresh_peer(struct apifix *vn, const char *dir, bf_time *now)
{
	struct bf_error err = {0};
	struct bf_service *peer;
	char db[2048], *keys;
	int added, known;
	snprintf(db, sizeof(db), "%s/cn.db", dir);
	remove(db);
	struct bf_service_config cfg = {.db_url = db, .node = "cn", .clock = apifix_clock_at, .clock_ctx = now};
	if (bf_service_open(&cfg, &peer, &err) != 0)
		die(db, &err);
	if (bf_service_keys_export(vn->svc, &keys, &err) != 0 ||
	    bf_service_keys_import(peer, keys, strlen(keys), &added, &known, &err) != 0)
		die("keys", &err);
	free(keys);
	return peer;
}

struct taker {
	struct bf_service *svc;
	int threads;
	double seconds;
	long applied;
};

static void take(struct taker *t, const char *text, size_t len, size_t expected)
{
	struct bf_sync_result res;
	struct bf_error err = {0};
	double t0 = wall();
	if (bf_sync_apply_page_on(t->svc, "vn", text, len, t->threads, &res, &err) != 0)
		die("apply", &err);
	t->seconds += wall() - t0;
	if (res.refused || res.malformed || (size_t)res.applied != expected) {
		fprintf(stderr, "sync_bench: on %d thread(s) the page applied %d of %zu: %s\n", t->threads, res.applied,
		        expected, res.reason);
		exit(1);
	}
	t->applied += res.applied;
}

int main(int argc, char **argv)
{
	long total = argc > 1 ? atol(argv[1]) : 1000000;
	long page_size = argc > 2 ? atol(argv[2]) : 200;
	bf_time now;
	struct bf_error err = {0};
	struct apifix vn = {.clock = apifix_clock_at, .clock_ctx = &now};
	struct source src = {0};
	long st;
	char path[160];

	if (total < 100 || page_size < 1 || page_size > 1000 || sodium_init() < 0) {
		fprintf(stderr, "usage: sync_bench [EVENTS, 100 or more [PAGE, 1 to 1000]]\n");
		return 2;
	}
	/* A Tuesday morning: Tan Thanh open on both sides. */
	if (bf_time_parse("2026-12-01T03:00:00Z", &now) != 0 || apifix_start(&vn, "sync-bench-vn", parties, N_PARTIES))
		die("vn", NULL);
	snprintf(src.id, sizeof(src.id), "%s",
	         apifix_declare(&vn, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "tan-thanh"));
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", src.id);
	json_decref(apifix_call(&vn, CARRIER, "POST", path, "{\"gate\":\"tan-thanh\"}", NULL, &st));
	snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", src.id);
	json_decref(apifix_call(&vn, CARRIER, "POST", path, NULL, NULL, &st));
	json_decref(apifix_call(&vn, GATE, "POST", "/v1/gates/tan-thanh/call", "{\"count\":1}", NULL, &st));
	snprintf(path, sizeof(path), "/v1/consignments/%s/decisions", src.id);
	json_decref(apifix_call(&vn, CUSTOMS, "POST", path, "{\"decision\":\"export_cleared\"}", NULL, &st));
	if (st != 200)
		die("export clearance on vn", NULL);
	read_source(&vn, &src);
	if (bf_store_open(vn.db, &src.keys, &err) != 0)
		die(vn.db, &err);

	const char *base = getenv("BF_TMP") ? getenv("BF_TMP") : "/tmp";
	char dir1[1024], dir2[1024];
	snprintf(dir1, sizeof(dir1), "%s/sync-bench-one", base);
	snprintf(dir2, sizeof(dir2), "%s/sync-bench-all", base);
	if ((mkdir(dir1, 0755) != 0 && errno != EEXIST) || (mkdir(dir2, 0755) != 0 && errno != EEXIST)) {
		perror("sync_bench: mkdir");
		return 1;
	}
	struct taker takers[2] = {{fresh_peer(&vn, dir1, &now), 1, 0, 0},
	                          {fresh_peer(&vn, dir2, &now), bf_ledger_threads(0), 0, 0}};
	printf("a fresh peer catching up from %ld events of vn's chain, in pages of %ld\n", total, page_size);
	printf("  each load: %zu events (%s ... %s), signed again for each copy\n", src.n_lifecycle,
	       src.lifecycle[0].kind, src.lifecycle[src.n_lifecycle - 1].kind);

	/* The pages, made one at a time, outside the timing. */
	long made = 0, load = 1;
	size_t next_in_lifecycle = 0, next_in_prefix = 0;
	double generating = 0;
	for (long page_no = 0; made < total; page_no++) {
		double g0 = wall();
		json_t *events = json_array();
		size_t n = 0;
		for (; n < (size_t)page_size && made < total; n++, made++) {
			struct bf_event e;
			if (next_in_prefix < src.n_prefix) {
				e = src.prefix[next_in_prefix++];
				json_array_append_new(events, bf_ledger_event_json(&e));
				continue;
			}
			if (next_in_lifecycle < src.n_lifecycle && load == 1) {
				e = src.lifecycle[next_in_lifecycle++];
				json_array_append_new(events, bf_ledger_event_json(&e));
				if (next_in_lifecycle == src.n_lifecycle) {
					next_in_lifecycle = 0;
					load++;
				}
				continue;
			}
			next_event(&src, &src.lifecycle[next_in_lifecycle], load, &e);
			json_array_append_new(events, bf_ledger_event_json(&e));
			free(e.payload);
			if (++next_in_lifecycle == src.n_lifecycle) {
				next_in_lifecycle = 0;
				load++;
			}
		}
		json_t *page = json_pack("{s:s, s:o, s:I, s:b}", "node", "vn", "events", events, "next_after",
		                         (json_int_t)made, "more", made < total);
		char *text = json_dumps(page, JSON_COMPACT);
		json_decref(page);
		generating += wall() - g0;
		size_t len = strlen(text);
		int first = (int)(page_no % 2);
		take(&takers[first], text, len, n);
		take(&takers[1 - first], text, len, n);
		free(text);
		if (page_no % 500 == 499)
			fprintf(stderr, "  %ld events applied on each peer\n", made);
	}
	for (size_t i = 0; i < src.n_prefix; i++)
		free(src.prefix[i].payload);
	for (size_t i = 0; i < src.n_lifecycle; i++)
		free(src.lifecycle[i].payload);

	printf("  making the pages (signing, JSON; not counted): %.1f s\n", generating);
	for (int t = 0; t < 2; t++)
		printf("  applied on %d thread(s): %ld events in %.1f s wall: %.0f events/s\n", takers[t].threads,
		       takers[t].applied, takers[t].seconds, (double)takers[t].applied / takers[t].seconds);
	printf("  one thread per core is %.2f times as fast as one thread\n", takers[0].seconds / takers[1].seconds);

	/* Both peers hold vn's chain to its last event, the same hash. */
	for (int t = 0; t < 2; t++) {
		json_t *doc;
		if (bf_feed_page(takers[t].svc, "vn", src.seq - 1, 1, &doc, &err) != 0)
			die("feed", &err);
		json_t *last = json_array_get(json_object_get(doc, "events"), 0);
		char hex[2 * BF_EVENT_HASH_BYTES + 1];
		sodium_bin2hex(hex, sizeof(hex), src.head, sizeof(src.head));
		if (last == NULL || strcmp(json_string_value(json_object_get(last, "hash")), hex) != 0) {
			fprintf(stderr, "sync_bench: the peer on %d thread(s) does not end at vn's head\n",
			        takers[t].threads);
			return 1;
		}
		json_decref(doc);
		bf_service_close(takers[t].svc);
	}
	bf_store_close(src.keys);
	apifix_stop(&vn);
	return 0;
}
