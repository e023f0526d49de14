/* Benchmark of the ledger on one core: events hashed and signed per
 * second, and hashed and verified per second, in memory (libsodium's own
 * cost, the reference; in CPU time, which a busy shared machine does not
 * blur); then events appended through bf_ledger_append to a SQLite file (a
 * consignment lifecycle of five events each, committed in batches) and the
 * wall and CPU time of bf_ledger_verify over all of them, which re-checks
 * every hash, link, signature and transition: on one thread, then with the
 * hashes and signatures on every core, and the ratio of the two.
 *
 *   ledger_bench [EVENTS [FILE]]   default 1000000 events in
 *                                  $BF_TMP or /tmp/ledger-bench.db */
#include "ledger/ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IN_MEMORY 20000
#define BATCH     10000

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds of this process: on a shared machine, the cost on one core
 * whatever the others do. */
static double cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *const payload =
    "{\"consignment\":\"c-4fxb966rmhn3qsmp\",\"deadline\":\"2026-12-22T07:01:57Z\",\"direction\":\"a_to_b\","
    "\"gate\":\"huu-nghi\",\"slot_start\":\"2026-11-24T09:30:00Z\"}";

/* Event I of a run of lifecycles: five events per consignment. */
static void lifecycle_event(long i, struct bf_event *e)
{
	static const struct {
		const char *party, *kind, *payload;
		enum bf_role role;
	} steps[5] = {
	    {"fruitco", "consignment.declared", NULL, BF_ROLE_CARRIER},
	    {"node-operator", "consignment.validated", "{\"from\":\"declared\",\"to\":\"validated\"}", BF_ROLE_SYSTEM},
	    {"fruitco", "consignment.booked", NULL, BF_ROLE_CARRIER},
	    {"fruitco", "consignment.checked_in", NULL, BF_ROLE_CARRIER},
	    {"hn-gate", "consignment.called", NULL, BF_ROLE_GATE_OPERATOR},
	};
	int k = (int)(i % 5);
	memset(e, 0, sizeof(*e));
	e->at = 1764547200 + i;
	e->role = steps[k].role;
	snprintf(e->party_id, sizeof(e->party_id), "%s", steps[k].party);
	snprintf(e->kind, sizeof(e->kind), "%s", steps[k].kind);
	snprintf(e->subject, sizeof(e->subject), "consignment/c-%09ld", i / 5);
	e->payload = (char *)(steps[k].payload ? steps[k].payload : payload);
}

static void in_memory(void)
{
	unsigned char pk[32], sk[64];
	struct bf_event *v = calloc(IN_MEMORY, sizeof(*v));
	crypto_sign_keypair(pk, sk);
	for (long i = 0; i < IN_MEMORY; i++) {
		lifecycle_event(i, &v[i]);
		snprintf(v[i].origin, sizeof(v[i].origin), "vn");
		v[i].origin_seq = i + 1;
	}
	double t0 = cpu();
	for (long i = 0; i < IN_MEMORY; i++) {
		if (i)
			memcpy(v[i].prev_hash, v[i - 1].hash, 32);
		bf_ledger_hash(&v[i], v[i].hash);
		crypto_sign_detached(v[i].signature, NULL, v[i].hash, 32, sk);
	}
	double sign = cpu() - t0;
	long bad = 0;
	t0 = cpu();
	for (long i = 0; i < IN_MEMORY; i++) {
		unsigned char h[32];
		bf_ledger_hash(&v[i], h);
		bad += memcmp(h, v[i].hash, 32) != 0 ||
		       crypto_sign_verify_detached(v[i].signature, v[i].hash, 32, pk) != 0;
	}
	double check = cpu() - t0;
	printf("in memory (libsodium's cost, the reference), %d events of ~%zu bytes, CPU time:\n", IN_MEMORY,
	       strlen(payload));
	printf("  hashed and signed:   %8.0f events/s (%.1f us each)\n", IN_MEMORY / sign, 1e6 * sign / IN_MEMORY);
	printf("  hashed and verified: %8.0f events/s (%.1f us each)%s\n", IN_MEMORY / check, 1e6 * check / IN_MEMORY,
	       bad ? "  SOME FAILED" : "");
	free(v);
}

int main(int argc, char **argv)
{
	long events = argc > 1 ? atol(argv[1]) : 1000000;
	char path[1024];
	const char *tmp = getenv("BF_TMP");
	struct bf_store *s;
	struct bf_error err = {0};
	struct bf_ledger_summary sum;

	if (sodium_init() < 0 || events < 5)
		return 2;
	if (argc > 2)
		snprintf(path, sizeof(path), "%s", argv[2]);
	else
		snprintf(path, sizeof(path), "%s/ledger-bench.db", tmp ? tmp : "/tmp");
	in_memory();

	static const char *const leftovers[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[1100];
		snprintf(p, sizeof(p), "%s%s", path, leftovers[i]);
		remove(p);
	}
	if (bf_store_open(path, &s, &err) || bf_store_node_set(s, "vn", BF_SCOPE_BORDER, &err)) {
		fprintf(stderr, "ledger_bench: %s: %s\n", path, err.message);
		return 1;
	}
	double t0 = now(), c0 = cpu();
	for (long i = 0; i < events; i += BATCH) {
		if (bf_store_begin(s, &err))
			goto fail;
		for (long j = i; j < i + BATCH && j < events; j++) {
			struct bf_event e;
			lifecycle_event(j, &e);
			if (bf_ledger_append(s, &e, &err))
				goto fail;
		}
		if (bf_store_commit(s, &err))
			goto fail;
	}
	double append = now() - t0, append_cpu = cpu() - c0;
	printf("bf_ledger_append to SQLite (%s), %ld events in batches of %d:\n", path, events, BATCH);
	printf("  appended: %8.0f events/s (%.1f us each, %.1f s in all; %.1f s of CPU)\n", events / append,
	       1e6 * append / events, append, append_cpu);

	/* verify on one thread, then with the hashes and signatures on every
	 * core, side by side on the same file: the ratio is the figure. */
	int cores = bf_ledger_threads(0);
	double wall[2] = {0, 0};
	for (int run = 0; run < 2; run++) {
		int threads = run == 0 ? 1 : cores;
		t0 = now();
		c0 = cpu();
		int rc = bf_ledger_verify_on(s, threads, &sum, &err);
		double check = now() - t0, check_cpu = cpu() - c0;
		if (rc) {
			fprintf(stderr, "ledger_bench: verify: %s\n", err.message);
			bf_store_close(s);
			return 1;
		}
		wall[run] = check;
		printf("bf_ledger_verify (borderflow verify) over the file, signatures on %d thread%s:\n", threads,
		       threads == 1 ? "" : "s");
		printf("  %ld events in %d chain: %.1f s wall, %.0f events/s; one million events: %.1f s\n", sum.events,
		       sum.chains, check, sum.events / check, check * 1e6 / (double)sum.events);
		printf("  CPU: %.1f s\n", check_cpu);
	}
	printf("verify on %d threads is %.2f times as fast as on one\n", cores, wall[0] / wall[1]);
	bf_store_close(s);
	return 0;
fail:
	fprintf(stderr, "ledger_bench: %s\n", err.message);
	bf_store_close(s);
	return 1;
}
