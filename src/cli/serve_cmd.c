/* `borderflow serve`: the HTTP/JSON API with its simulation runner and, given
 * a peer, the puller of the other side's signed history, until a signal. */
#include "api/server.h"
#include "cli/cli.h"
#include "peer/sync.h"
#include "service/ledger.h"
#include "simrun/runner.h"

#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The last events of each chain a node verifies as it starts. */
#define BF_START_CHECK_EVENTS 1000

/* Frees a private key's text, wiped first. */
static void free_secret(char *pem)
{
	if (pem != NULL)
		sodium_memzero(pem, strlen(pem));
	free(pem);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},           {"port", required_argument, NULL, 'p'},
	    {"bind", required_argument, NULL, 'b'},         {"threads", required_argument, NULL, 't'},
	    {"data", required_argument, NULL, 'D'},         {"grace", required_argument, NULL, 'G'},
	    {"sim-threads", required_argument, NULL, 'S'},  {"node", required_argument, NULL, 'N'},
	    {"peer", required_argument, NULL, 'P'},         {"peer-token", required_argument, NULL, 'T'},
	    {"peer-node", required_argument, NULL, 'n'},    {"peer-stale-after", required_argument, NULL, 's'},
	    {"peer-ca", required_argument, NULL, 'A'},      {"peer-key", required_argument, NULL, 'K'},
	    {"tls-cert", required_argument, NULL, 'c'},     {"tls-key", required_argument, NULL, 'k'},
	    {"log", required_argument, NULL, 'L'},          {"call-lead", required_argument, NULL, 'C'},
	    {"allow-broken-chain", no_argument, NULL, 'B'}, {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_server_config cfg = {.bind = "127.0.0.1", .port = 8080, .threads = 4};
	int sim_threads = 1;
	/* The token may come from the environment, out of sight of ps. */
	struct bf_sync_config sync = {.token = getenv("BF_PEER_TOKEN")};
	unsigned long v;
	int ch;
	const char *tls_cert = NULL, *tls_key = NULL, *peer_key = NULL;
	bool allow_broken = false;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		switch (ch) {
		case 'b':
			cfg.bind = optarg;
			break;
		case 'p':
			if (parse_uint(optarg, 65535, &v))
				return usage_error("--port: \"%s\" is not a port number from 0 to 65535", optarg);
			cfg.port = (uint16_t)v;
			break;
		case 't':
			if (parse_uint(optarg, 256, &v) || v == 0)
				return usage_error("--threads: \"%s\" is not a whole number from 1 to 256", optarg);
			cfg.threads = (unsigned)v;
			break;
		case 'G':
			if (parse_uint(optarg, 24 * 60, &v) || v == 0)
				return usage_error("--grace: \"%s\" is not a number of minutes from 1 to 1440", optarg);
			co.grace_minutes = (int)v;
			break;
		case 'C':
			if (parse_uint(optarg, 24 * 60, &v) || v == 0)
				return usage_error("--call-lead: \"%s\" is not a number of minutes from 1 to 1440",
				                   optarg);
			co.call_lead_minutes = (int)v;
			break;
		case 'S':
			if (parse_uint(optarg, 64, &v) || v == 0)
				return usage_error("--sim-threads: \"%s\" is not a whole number from 1 to 64", optarg);
			sim_threads = (int)v;
			break;
		case 'P':
			sync.peer_url = optarg;
			break;
		case 'T':
			sync.token = optarg;
			break;
		case 'n':
			sync.peer_node = optarg;
			break;
		case 'A':
			sync.ca_file = optarg;
			break;
		case 'K':
			peer_key = optarg;
			break;
		case 'c':
			tls_cert = optarg;
			break;
		case 'k':
			tls_key = optarg;
			break;
		case 'B':
			allow_broken = true;
			break;
		case 's':
			if (parse_uint(optarg, 7 * 24 * 3600, &v) || v == 0)
				return usage_error(
				    "--peer-stale-after: \"%s\" is not a number of seconds from 1 to 604800", optarg);
			sync.stale_after_s = (int)v;
			break;
		case 'L':
			if (strcmp(optarg, "json") == 0)
				cfg.log_format = BF_LOG_JSON;
			else if (strcmp(optarg, "logfmt") == 0)
				cfg.log_format = BF_LOG_LOGFMT;
			else if (strcmp(optarg, "off") == 0)
				cfg.log_format = BF_LOG_OFF;
			else
				return usage_error("--log: \"%s\" is not json, logfmt or off", optarg);
			break;
		default:
			return usage_error("%s", "serve: unknown option");
		}
	}
	if (optind < argc)
		return usage_error("serve: unexpected argument \"%s\"", argv[optind]);
	if (sync.peer_url && co.node == NULL)
		return usage_error("%s", "serve --peer needs --node: the id of this side's node (vn, cn)");
	if (sync.peer_url && sync.peer_node == NULL)
		return usage_error("%s", "serve --peer needs --peer-node: the id of the other side's node (cn, vn), "
		                         "pinned so that no other node is taken for it");
	if (!sync.peer_url && (sync.peer_node || sync.stale_after_s || sync.ca_file || peer_key))
		return usage_error("%s",
		                   "serve --peer-node, --peer-key, --peer-stale-after and --peer-ca go with --peer");
	if (sync.peer_url && (sync.token == NULL || sync.token[0] == '\0'))
		return usage_error(
		    "%s", "serve --peer needs --peer-token (or BF_PEER_TOKEN): an auditor's token on the peer");
	if ((tls_cert == NULL) != (tls_key == NULL))
		return usage_error("%s", "serve --tls-cert and --tls-key go together: the certificate and its key");
	/* The certificate and key are read before anything starts, so that a
	 * wrong path stops the node at once, naming the option. */
	char *cert_pem = NULL, *key_pem = NULL;
	size_t len;
	if (tls_cert && read_whole_file(tls_cert, &cert_pem, &len) != 0)
		return usage_error("--tls-cert: cannot read \"%s\"", tls_cert);
	if (tls_key && read_whole_file(tls_key, &key_pem, &len) != 0) {
		free(cert_pem);
		return usage_error("--tls-key: cannot read \"%s\"", tls_key);
	}
	cfg.tls_cert_pem = cert_pem;
	cfg.tls_key_pem = key_pem;

	/* Block the stop signals before any thread starts, so that only the
	 * sigwait below receives them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct bf_service *svc;
	struct bf_server *srv;
	struct bf_error err = {0};
	int rc = open_service(&co, cfg.threads * (1 + BF_SERVER_WRITERS_PER_THREAD) + 1, &svc);
	if (rc) {
		free_secret(key_pem);
		free(cert_pem);
		return rc;
	}
	/* A node does not serve a chain whose end does not verify: a removed,
	 * edited or forged event there would be handed to the peer and built
	 * on. The whole log is `borderflow verify`'s to check. */
	struct bf_ledger_summary sum;
	rc = bf_service_check_ends(svc, BF_START_CHECK_EVENTS, &sum, &err);
	if (rc == BF_EREJECTED && allow_broken) {
		fprintf(stderr, "borderflow: ALERT: serving a broken chain, as --allow-broken-chain says: %s\n",
		        err.message);
	} else if (rc != 0) {
		if (rc == BF_EREJECTED)
			fprintf(
			    stderr,
			    "borderflow: the log does not verify at the end of its chains: %s\n"
			    "borderflow: run `borderflow verify`; start with --allow-broken-chain to serve it anyway\n",
			    err.message);
		else
			fprintf(stderr, "borderflow: cannot check the log: %s\n", err.message);
		bf_service_close(svc);
		free_secret(key_pem);
		free(cert_pem);
		return 1;
	}
	/* The peer's node key, pinned: its chain, and every key on it, is
	 * taken only from that key on (ledger.h, keys on the chain). */
	if (peer_key && bf_service_pin(svc, sync.peer_node, peer_key, &err) != 0) {
		fprintf(stderr, "borderflow: --peer-key: %s\n", err.message);
		bf_service_close(svc);
		free_secret(key_pem);
		free(cert_pem);
		return 1;
	}
	/* The puller starts before the server: a node that has a peer never
	 * answers a request as a lone node would (ownership, peer/sync.h). */
	struct bf_sync *puller = NULL;
	struct bf_simrun *runner = NULL;
	if (sync.peer_url && bf_sync_start(svc, &sync, &puller, &err)) {
		fprintf(stderr, "borderflow: --%s: %s\n", err.field, err.message);
		bf_service_close(svc);
		free_secret(key_pem);
		free(cert_pem);
		return 1;
	}
	/* The simulation runner serves POST /v1/simulations, and runs again
	 * what a previous process acknowledged but did not finish. */
	if (bf_simrun_start(svc, sim_threads, &runner, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		bf_sync_stop(puller);
		bf_service_close(svc);
		free_secret(key_pem);
		free(cert_pem);
		return 1;
	}
	cfg.simrun = runner;
	cfg.sync = puller;
	rc = bf_server_start(&cfg, svc, &srv, &err);
	/* The library keeps its own copy of the key. */
	free_secret(key_pem);
	free(cert_pem);
	if (rc) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		bf_simrun_stop(runner);
		bf_sync_stop(puller);
		bf_service_close(svc);
		return 1;
	}
	const char *bind = cfg.bind ? cfg.bind : "127.0.0.1", *scheme = tls_cert ? "https" : "http";
	if (strchr(bind, ':'))
		printf("borderflow: listening on %s://[%s]:%u (database %s)\n", scheme, bind,
		       (unsigned)bf_server_port(srv), co.db);
	else
		printf("borderflow: listening on %s://%s:%u (database %s)\n", scheme, bind,
		       (unsigned)bf_server_port(srv), co.db);
	fflush(stdout);

	int sig = 0;
	sigwait(&stop, &sig);
	printf("borderflow: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	bf_server_stop(srv);
	bf_simrun_stop(runner);
	bf_sync_stop(puller);
	bf_service_close(svc);
	return 0;
}
