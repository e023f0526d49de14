/* `borderflow keys`, `borderflow verify` and `borderflow forks`: the
 * ledger's signing keys, their exchange with the peer node, the check of
 * the whole log, and the forks found on the link. */
#include "cli/cli.h"
#include "store/store.h"
#include "service/dispute.h"
#include "service/ledger.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The number of the first event key K may sign. */
static long long first_event(const struct bf_signing_key *k)
{
	return k->from_seq < INT64_MAX ? (long long)k->from_seq + 1 : (long long)k->from_seq;
}

static int keys_new(struct bf_service *svc, const char *party)
{
	struct bf_signing_key k;
	struct bf_error err = {0};
	char hex[2 * BF_PUBLIC_KEY_BYTES + 1];
	if (bf_service_key_new(svc, party, &k, &err) != BF_OK) {
		fprintf(stderr, "borderflow: --party %s: %s\n", party, err.message);
		return 1;
	}
	sodium_bin2hex(hex, sizeof(hex), k.public_key, sizeof(k.public_key));
	printf("key %s for %s (%s) on node %s: %s\n", k.id, k.party_id, bf_role_name(k.role), k.node, hex);
	printf("it is the party's key %lld there, and signs from %s #%lld on\n", (long long)k.number, k.node,
	       first_event(&k));
	return 0;
}

static int keys_list(struct bf_service *svc)
{
	struct bf_signing_key *v;
	struct bf_error err = {0};
	size_t n;
	if (bf_service_keys(svc, &v, &n, &err) != BF_OK) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		return 1;
	}
	printf("%-24s %-18s %-6s %3s %-16s %-64s %-6s %-8s %s\n", "party", "role", "node", "no.", "key", "public key",
	       "secret", "from #", "created");
	for (size_t i = 0; i < n; i++) {
		char hex[2 * BF_PUBLIC_KEY_BYTES + 1], made[BF_TIME_TEXT];
		sodium_bin2hex(hex, sizeof(hex), v[i].public_key, sizeof(v[i].public_key));
		bf_time_format_utc(v[i].created_at, made);
		printf("%-24s %-18s %-6s %3lld %-16s %s %-6s %-8lld %s\n", v[i].party_id, bf_role_name(v[i].role),
		       v[i].node, (long long)v[i].number, v[i].id, hex, v[i].has_secret ? "held" : "none",
		       first_event(&v[i]), made);
	}
	bf_service_keys_free(v, n);
	return 0;
}

static int keys_export(struct bf_service *svc, const char *path)
{
	struct bf_error err = {0};
	char *text;
	if (bf_service_keys_export(svc, &text, &err) != BF_OK) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		return 1;
	}
	bool written;
	if (path == NULL) {
		written = printf("%s\n", text) >= 0 && fflush(stdout) == 0;
	} else {
		FILE *f = fopen(path, "w");
		written = f != NULL && fprintf(f, "%s\n", text) >= 0;
		if (f != NULL && fclose(f) != 0)
			written = false;
	}
	free(text);
	if (!written) {
		fprintf(stderr, "borderflow: %s: %s\n", path ? path : "standard output", strerror(errno));
		return 1;
	}
	return 0;
}

static int keys_import(struct bf_service *svc, const char *path)
{
	struct bf_error err = {0};
	char *text;
	size_t len;
	int added, known;
	if (read_whole_file(path, &text, &len)) {
		fprintf(stderr, "borderflow: %s: %s\n", path, strerror(errno));
		return 1;
	}
	int rc = bf_service_keys_import(svc, text, len, &added, &known, &err);
	free(text);
	if (rc != BF_OK) {
		fprintf(stderr, "borderflow: %s: %s\n", path, err.message);
		return 1;
	}
	printf("imported %d key%s from %s (%d registered already)\n", added, added == 1 ? "" : "s", path, known);
	return 0;
}

/* This node's node key, for the peer to pin (`serve --peer-key`). */
static int keys_node(struct bf_service *svc)
{
	struct bf_signing_key k;
	struct bf_error err = {0};
	char hex[2 * BF_PUBLIC_KEY_BYTES + 1];
	if (bf_service_node_key(svc, &k, &err) != BF_OK) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		return 1;
	}
	sodium_bin2hex(hex, sizeof(hex), k.public_key, sizeof(k.public_key));
	printf("%s\n", hex);
	fprintf(stderr,
	        "the node key of %s (key %s): give it to the peer's serve --peer-key, and to verify --pin %s=...\n",
	        k.node, k.id, k.node);
	return 0;
}

int cmd_keys(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"party", required_argument, NULL, 'p'},
	                                     {"data", required_argument, NULL, 'D'},
	                                     {"node", required_argument, NULL, 'N'},
	                                     {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	const char *verb = argc > 1 ? argv[1] : "", *party = NULL;
	struct bf_service *svc;
	int ch, rc, nargs;

	if (strcmp(verb, "new") != 0 && strcmp(verb, "list") != 0 && strcmp(verb, "export") != 0 &&
	    strcmp(verb, "import") != 0 && strcmp(verb, "node") != 0)
		return usage_error("keys: say new, list, node, export or import, not \"%s\"", verb);
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		if (ch != 'p')
			return usage_error("%s", "keys: unknown option");
		if (strlen(optarg) == 0 || strlen(optarg) > BF_PARTY_ID_MAX)
			return usage_error("--party: \"%s\" is not a party id of 1 to 40 characters", optarg);
		party = optarg;
	}
	nargs = argc - optind;
	if (strcmp(verb, "new") == 0 && (party == NULL || nargs != 0))
		return usage_error("%s", "keys new needs --party ID and nothing else");
	if (strcmp(verb, "new") != 0 && party != NULL)
		return usage_error("keys %s takes no --party", verb);
	if ((strcmp(verb, "list") == 0 || strcmp(verb, "node") == 0) && nargs != 0)
		return usage_error("keys list and keys node take no argument, not \"%s\"", argv[optind]);
	if (strcmp(verb, "export") == 0 && nargs > 1)
		return usage_error("%s", "keys export takes at most one FILE");
	if (strcmp(verb, "import") == 0 && nargs != 1)
		return usage_error("%s", "keys import needs one FILE");

	if ((rc = open_service(&co, 1, &svc)) != 0)
		return rc;
	if (strcmp(verb, "new") == 0)
		rc = keys_new(svc, party);
	else if (strcmp(verb, "list") == 0)
		rc = keys_list(svc);
	else if (strcmp(verb, "node") == 0 && co.node == NULL && bf_service_node(svc)[0] == '\0')
		rc = usage_error("%s", "keys node: this database has no node id yet; say which node it is (--node vn)");
	else if (strcmp(verb, "node") == 0)
		rc = keys_node(svc);
	else if (strcmp(verb, "export") == 0)
		rc = keys_export(svc, nargs ? argv[optind] : NULL);
	else
		rc = keys_import(svc, argv[optind]);
	bf_service_close(svc);
	return rc;
}

/* Reads "NODE=HEX" of --pin into *OUT. */
static int read_pin(const char *arg, struct bf_ledger_pin *out)
{
	const char *eq = strchr(arg, '=');
	size_t len = 0;
	memset(out, 0, sizeof(*out));
	if (eq == NULL || (size_t)(eq - arg) > BF_NODE_ID_MAX)
		return usage_error("--pin: \"%s\" is not NODE=KEY (cn=<64 hex digits>)", arg);
	memcpy(out->node, arg, (size_t)(eq - arg));
	if (bf_ledger_node_check(out->node, NULL) != 0)
		return usage_error("--pin: \"%s\" is not a node id", out->node);
	if (strlen(eq + 1) != 2 * BF_PUBLIC_KEY_BYTES ||
	    sodium_hex2bin(out->public_key, sizeof(out->public_key), eq + 1, strlen(eq + 1), NULL, &len, NULL) != 0 ||
	    len != BF_PUBLIC_KEY_BYTES)
		return usage_error("--pin %s: the key must be 64 hex digits, as `keys node` prints it", out->node);
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"data", required_argument, NULL, 'D'},
	                                     {"pin", required_argument, NULL, 'P'},
	                                     {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_ledger_summary sum;
	struct bf_ledger_pin pins[BF_LEDGER_ROOTS];
	size_t n_pins = 0;
	struct bf_service *svc;
	struct bf_error err = {0};
	struct stat st;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'P') {
			if (n_pins == BF_LEDGER_ROOTS)
				return usage_error("%s", "verify: at most 8 --pin");
			if ((rc = read_pin(optarg, &pins[n_pins])) != 0)
				return rc;
			n_pins++;
		} else if (!common_option(ch, &co)) {
			return usage_error("%s", "verify: unknown option");
		}
	}
	if (optind < argc)
		return usage_error("verify: unexpected argument \"%s\"", argv[optind]);
	/* Verifying must not create the SQLite file it was asked about (a
	 * PostgreSQL database must exist to be connected to). */
	if (!bf_store_is_postgres(co.db)) {
		if (stat(co.db, &st) != 0) {
			fprintf(stderr, "borderflow: %s: %s\n", co.db, strerror(errno));
			return 1;
		}
		if (!S_ISREG(st.st_mode)) {
			fprintf(stderr, "borderflow: %s: not a database file\n", co.db);
			return 1;
		}
	}
	if ((rc = open_service(&co, 1, &svc)) != 0)
		return rc;
	rc = bf_service_verify(svc, pins, n_pins, &sum, &err);
	bf_service_close(svc);
	if (rc == BF_EREJECTED && sum.bad.kind == BF_LF_RECORD) {
		printf("record %s differs from the log\n", sum.bad.record);
		printf("reason: %s: %s\n", bf_ledger_fault_name(sum.bad.kind), sum.bad.reason);
		printf("%ld event%s verify\n", sum.events, sum.events == 1 ? "" : "s");
		return 1;
	}
	if (rc == BF_EREJECTED) {
		printf("event %lld fails: origin %s, origin_seq %lld, kind %s\n", (long long)sum.bad.seq,
		       sum.bad.origin[0] ? sum.bad.origin : "(none)", (long long)sum.bad.origin_seq,
		       sum.bad.event_kind);
		printf("reason: %s: %s\n", bf_ledger_fault_name(sum.bad.kind), sum.bad.reason);
		printf("%ld event%s before it verify\n", sum.events, sum.events == 1 ? "" : "s");
		return 1;
	}
	if (rc != BF_OK) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		return 1;
	}
	printf("verified %ld event%s in %d chain%s: every hash, link, signature and transition holds\n", sum.events,
	       sum.events == 1 ? "" : "s", sum.chains, sum.chains == 1 ? "" : "s");
	for (int i = 0; i < sum.roots && i < BF_LEDGER_ROOTS; i++)
		printf("%s's keys come from its node key %s, %s\n", sum.root[i].origin, sum.root[i].key_id,
		       sum.root[i].pinned ? "the one pinned (--pin)"
		                          : "read from this file: give --pin to check it against the one you hold");
	if (sum.legacy_keys > 0)
		printf("%ld key%s registered before keys were events of the chain: taken as this file holds them\n",
		       sum.legacy_keys, sum.legacy_keys == 1 ? " was" : "s were");
	/* A pin that met no chain checked nothing: a node id mistyped. */
	int unmet = 0;
	for (size_t i = 0; i < n_pins; i++) {
		bool met = false;
		for (int r = 0; r < sum.roots && r < BF_LEDGER_ROOTS; r++)
			met = met || strcmp(sum.root[r].origin, pins[i].node) == 0;
		if (!met) {
			printf("--pin %s: this file holds no chain of %s rooted in a node key\n", pins[i].node,
			       pins[i].node);
			unmet++;
		}
	}
	if (unmet)
		return 1;
	if (sum.disputed > 0)
		printf("%ld of them disputed by this node: held as the peer signed them, without effect here (GET "
		       "/v1/disputes)\n",
		       sum.disputed);
	return 0;
}

int cmd_forks(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'}, {"data", required_argument, NULL, 'D'}, {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_service *svc;
	struct bf_error err = {0};
	int ch, rc;
	long long number = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (!common_option(ch, &co))
			return usage_error("%s", "forks: unknown option");
	}
	int nargs = argc - optind;
	bool resolve = nargs > 0 && strcmp(argv[optind], "resolve") == 0;
	if (nargs > 0 && !resolve)
		return usage_error("forks: say resolve ORIGIN NUMBER, or nothing to list them, not \"%s\"",
		                   argv[optind]);
	if (resolve) {
		char *end;
		if (nargs != 3)
			return usage_error("%s",
			                   "forks resolve needs ORIGIN and NUMBER: the chain and the event's number");
		errno = 0;
		number = strtoll(argv[optind + 2], &end, 10);
		if (*argv[optind + 2] == '\0' || *end != '\0' || number < 1 || errno == ERANGE)
			return usage_error("forks resolve: NUMBER \"%s\" is not a number from 1", argv[optind + 2]);
	}
	if ((rc = open_service(&co, 1, &svc)) != 0)
		return rc;
	if (resolve) {
		rc = bf_service_fork_resolve(svc, argv[optind + 1], (int64_t)number, &err);
		if (rc == BF_OK)
			printf("borderflow: the fork of %s's chain at #%lld is resolved: its events are taken again\n",
			       argv[optind + 1], number);
	} else {
		struct bf_fork *v;
		size_t n;
		rc = bf_service_forks(svc, &v, &n, &err);
		for (size_t i = 0; rc == BF_OK && i < n; i++) {
			char at[BF_TIME_TEXT];
			bf_time_format_utc(v[i].detected_at, at);
			printf("%s #%lld  found %s  %s\n  held:    %s\n  offered: %s\n", v[i].origin,
			       (long long)v[i].origin_seq, at, v[i].resolved_at ? "resolved" : "OPEN", v[i].held,
			       v[i].offered);
		}
		if (rc == BF_OK && n == 0)
			printf("no fork found\n");
		if (rc == BF_OK)
			bf_service_forks_free(v, n);
	}
	bf_service_close(svc);
	if (rc != BF_OK) {
		fprintf(stderr, "borderflow: forks: %s\n", err.message);
		return 1;
	}
	return 0;
}
