/* The `borderflow` command: one binary for the server and the operators'
 * tools. Every command takes --db FILE|URL (default borderflow.db). */
#include "api/server.h"
#include "cli/cli.h"
#include "service/service.h"
#include "peer/sync.h"
#include "simrun/runner.h"
#include "codec/gate.h"
#include "service/auth.h"
#include "service/booking.h"
#include "service/registry.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char usage_text[] =
    "usage: borderflow COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  serve   [--db FILE] [--bind ADDR] [--port N] [--threads N] [--sim-threads N]\n"
    "          [--grace MINUTES] [--data DIR] [--node ID] [--peer URL --peer-token TOKEN]\n"
    "          [--log json|logfmt|off]\n"
    "          run the HTTP/JSON API (default 127.0.0.1:8080), with GET /metrics and\n"
    "          one log line a request on stderr (JSON unless --log says otherwise)\n"
    "  gates   [--db FILE] [--json] [--date YYYY-MM-DD] [--open-at INSTANT] [--data DIR]\n"
    "          list the gate pairs with the day's crossing windows in both local\n"
    "          times and UTC, or only the pairs open at INSTANT\n"
    "  sim     SCENARIO [--replications R] [--threads T] [--seed S] [--json|--csv]\n"
    "          compare a scenario's policies over replications; --list names\n"
    "          the bundled scenarios\n"
    "  keys    new --party ID | list | export [FILE] | import FILE  [--db FILE]\n"
    "          the ledger's signing keys: make or rotate a party's key, list\n"
    "          them, write this node's public keys for the peer, register the\n"
    "          peer's\n"
    "  verify  [--db FILE]\n"
    "          check every event's hash, chain link, signature and transition;\n"
    "          exit 1 naming the first that fails\n"
    "  backup  [--db FILE] OUT\n"
    "          copy the database to the new file OUT, safely while a server runs\n"
    "  restore BACKUP [--db FILE] [--force]\n"
    "          copy BACKUP over the database; refused while a server has it open,\n"
    "          and over an existing database without --force\n"
    "  help    show this text\n"
    "\n"
    "--db FILE names a SQLite file (default borderflow.db); --db postgres://USER@HOST/DB\n"
    "names a PostgreSQL database that exists, which several servers may share\n"
    "(backup and restore copy SQLite files only: use pg_dump and pg_restore).\n"
    "--data DIR reads gates.json, commodities.json and registry.json from DIR\n"
    "instead of the bundled copies; they are checked at every start and loaded\n"
    "into the database on its first start.\n"
    "--node ID (serve, tokens, import, keys) names this node (\"vn\", \"cn\") in a\n"
    "new database; a database keeps its id and refuses another. Without it, a\n"
    "database's first event makes it node \"vn\".\n";

int usage_error(const char *fmt, const char *arg)
{
	fputs("borderflow: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nrun 'borderflow help' for usage\n", stderr);
	return 2;
}

bool common_option(int ch, struct common *co)
{
	if (ch == 'd')
		co->db = optarg;
	else if (ch == 'D')
		co->data = optarg;
	else if (ch == 'N')
		co->node = optarg;
	else
		return false;
	return true;
}

int open_service(const struct common *co, unsigned connections, struct bf_service **svc)
{
	struct bf_service_config cfg = {.db_url = co->db,
	                                .data_dir = co->data,
	                                .connections = connections,
	                                .grace_minutes = co->grace_minutes,
	                                .node = co->node};
	struct bf_error err = {0};
	if (co->node && bf_ledger_node_check(co->node, &err))
		return usage_error("--node: %s", err.message);
	if (bf_service_open(&cfg, svc, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		return 1;
	}
	return 0;
}

int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;
	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},          {"port", required_argument, NULL, 'p'},
	    {"bind", required_argument, NULL, 'b'},        {"threads", required_argument, NULL, 't'},
	    {"data", required_argument, NULL, 'D'},        {"grace", required_argument, NULL, 'G'},
	    {"sim-threads", required_argument, NULL, 'S'}, {"node", required_argument, NULL, 'N'},
	    {"peer", required_argument, NULL, 'P'},        {"peer-token", required_argument, NULL, 'T'},
	    {"log", required_argument, NULL, 'L'},         {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_server_config cfg = {.bind = "127.0.0.1", .port = 8080, .threads = 4};
	int sim_threads = 1;
	/* The token may come from the environment, out of sight of ps. */
	struct bf_sync_config sync = {.token = getenv("BF_PEER_TOKEN")};
	unsigned long v;
	int ch;

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
	if (sync.peer_url && (sync.token == NULL || sync.token[0] == '\0'))
		return usage_error(
		    "%s", "serve --peer needs --peer-token (or BF_PEER_TOKEN): an auditor's token on the peer");

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
	if (rc)
		return rc;
	/* The puller starts before the server: a node that has a peer never
	 * answers a request as a lone node would (ownership, peer/sync.h). */
	struct bf_sync *puller = NULL;
	struct bf_simrun *runner = NULL;
	if (sync.peer_url && bf_sync_start(svc, &sync, &puller, &err)) {
		fprintf(stderr, "borderflow: --%s: %s\n", err.field, err.message);
		bf_service_close(svc);
		return 1;
	}
	/* The simulation runner serves POST /v1/simulations, and runs again
	 * what a previous process acknowledged but did not finish. */
	if (bf_simrun_start(svc, sim_threads, &runner, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		bf_sync_stop(puller);
		bf_service_close(svc);
		return 1;
	}
	cfg.simrun = runner;
	cfg.sync = puller;
	if (bf_server_start(&cfg, svc, &srv, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		bf_simrun_stop(runner);
		bf_sync_stop(puller);
		bf_service_close(svc);
		return 1;
	}
	const char *bind = cfg.bind ? cfg.bind : "127.0.0.1";
	if (strchr(bind, ':'))
		printf("borderflow: listening on http://[%s]:%u (database %s)\n", bind, (unsigned)bf_server_port(srv),
		       co.db);
	else
		printf("borderflow: listening on http://%s:%u (database %s)\n", bind, (unsigned)bf_server_port(srv),
		       co.db);
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

/* "07:00-19:00", with "(+1)" where the end falls on the next local day. */
static void local_span(bf_time from, bf_time to, int offset_min, int64_t day, char *buf, size_t cap)
{
	bf_time a = from + (bf_time)offset_min * 60, b = to + (bf_time)offset_min * 60;
	int64_t da = bf_floor_div(a, BF_DAY_SECONDS), db = bf_floor_div(b - 1, BF_DAY_SECONDS);
	int ma = (int)((a - da * BF_DAY_SECONDS) / 60), mb = (int)((b - db * BF_DAY_SECONDS) / 60);
	char ta[8], tb[8];
	if (b - db * BF_DAY_SECONDS == BF_DAY_SECONDS)
		mb = 24 * 60;
	bf_hhmm_format(ma, ta);
	bf_hhmm_format(mb == 0 && b > a ? 24 * 60 : mb, tb);
	snprintf(buf, cap, "%s%s-%s%s",
	         da < day   ? "(-1)"
	         : da > day ? "(+1)"
	                    : "",
	         ta, tb,
	         db > day   ? "(+1)"
	         : db < day ? "(-1)"
	                    : "");
}

static void print_gate_text(const struct bf_gate_pair *g, int64_t day, const struct bf_intervals *w)
{
	char dtext[BF_TIME_TEXT], offa[8], offb[8];
	bf_date_format(day, dtext);
	bf_utc_offset_format(g->side[0].utc_offset_min, offa);
	bf_utc_offset_format(g->side[1].utc_offset_min, offb);
	printf("%-24s %-4s %-13s %s\n", g->id, bf_mode_name(g->mode), bf_gate_class_name(g->klass), g->name_en);
	if (w->n == 0)
		printf("    %s  closed all day\n", dtext);
	for (size_t i = 0; i < w->n; i++) {
		char sa[40], sb[40], su[40];
		/* Each zone's times are shown against the pair's day, with (-1)/(+1)
		 * where they fall on the day before or after it. */
		local_span(w->v[i].start, w->v[i].end, g->side[0].utc_offset_min, day, sa, sizeof(sa));
		local_span(w->v[i].start, w->v[i].end, g->side[1].utc_offset_min, day, sb, sizeof(sb));
		local_span(w->v[i].start, w->v[i].end, 0, day, su, sizeof(su));
		printf("    %s  %s %s %-17s %s %s %-17s UTC %s\n", dtext, g->side[0].country, offa, sa,
		       g->side[1].country, offb, sb, su);
	}
}

static int cmd_gates(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},   {"json", no_argument, NULL, 'j'},
	    {"date", required_argument, NULL, 't'}, {"open-at", required_argument, NULL, 'o'},
	    {"data", required_argument, NULL, 'D'}, {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	bool json = false, have_date = false, have_open = false;
	int64_t day = 0;
	bf_time open_at = 0, now = (bf_time)time(NULL);
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 't':
			if (bf_date_parse(optarg, &day))
				return usage_error("--date: \"%s\" is not a date like 2026-12-01", optarg);
			have_date = true;
			break;
		case 'o':
			if (bf_time_parse(optarg, &open_at))
				return usage_error(
				    "--open-at: \"%s\" is not an instant with its zone, like 2026-12-01T10:30:00Z",
				    optarg);
			have_open = true;
			break;
		default:
			return usage_error("%s", "gates: unknown option");
		}
	}
	if (optind < argc)
		return usage_error("gates: unexpected argument \"%s\"", argv[optind]);

	struct bf_service *svc;
	struct bf_gate_pair *gates;
	struct bf_error err = {0};
	size_t n;
	int rc = open_service(&co, 1, &svc);
	if (rc)
		return rc;
	if (bf_service_gates(svc, &gates, &n, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		bf_service_close(svc);
		return 1;
	}
	json_t *list = json ? json_array() : NULL;
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct bf_gate_pair *g = &gates[i];
		if (have_open && !bf_gate_open_at(g, open_at))
			continue;
		/* With --open-at, the day shown is the one holding that instant. */
		int64_t d = have_date ? day : bf_gate_day_of(g, have_open ? open_at : now);
		struct bf_interval span = bf_gate_local_day(g, d);
		shown++;
		if (json) {
			char dtext[BF_TIME_TEXT];
			json_t *o = bf_json_gate(g, false);
			bf_date_format(d, dtext);
			json_object_set_new(o, "day", json_string(dtext));
			json_object_set_new(o, "windows", bf_json_windows(g, span.start, span.end));
			json_array_append_new(list, o);
		} else {
			struct bf_intervals w = {0};
			bf_gate_windows(g, span.start, span.end, &w);
			print_gate_text(g, d, &w);
			bf_intervals_free(&w);
		}
	}
	if (json) {
		json_t *doc = json_pack("{s:o}", "gates", list);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
		putchar('\n');
		json_decref(doc);
	} else if (have_open) {
		char t[BF_TIME_TEXT];
		bf_time_format_utc(open_at, t);
		printf("%zu of %zu gate pairs open at %s\n", shown, n, t);
	}
	bf_service_gates_free(gates, n);
	bf_service_close(svc);
	return 0;
}

static int cmd_tokens(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},   {"party", required_argument, NULL, 'p'},
	    {"role", required_argument, NULL, 'r'}, {"country", required_argument, NULL, 'c'},
	    {"name", required_argument, NULL, 'n'}, {"data", required_argument, NULL, 'D'},
	    {"node", required_argument, NULL, 'N'}, {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_party p = {.role = BF_ROLE_COUNT};
	const char *verb = argc > 1 ? argv[1] : "";
	struct bf_service *svc;
	struct bf_error err = {0};
	int ch, rc;

	if (strcmp(verb, "new") != 0 && strcmp(verb, "revoke") != 0 && strcmp(verb, "list") != 0)
		return usage_error("tokens: say new, revoke or list, not \"%s\"", verb);
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		switch (ch) {
		case 'p':
			if (bf_strlcpy(p.id, optarg, sizeof(p.id)))
				return usage_error("--party: \"%s\" is longer than 40 characters", optarg);
			break;
		case 'r':
			if (bf_role_parse(optarg, &p.role) || p.role == BF_ROLE_SYSTEM)
				return usage_error("--role: \"%s\" is not a role a party can hold", optarg);
			break;
		case 'c':
			bf_strlcpy(p.country, optarg, sizeof(p.country));
			if (strlen(optarg) != 2)
				return usage_error("--country: \"%s\" is not a two-letter country code", optarg);
			break;
		case 'n':
			bf_strlcpy(p.name, optarg, sizeof(p.name));
			break;
		default:
			return usage_error("%s", "tokens: unknown option");
		}
	}
	if (strcmp(verb, "new") == 0) {
		if (!p.id[0] || p.role == BF_ROLE_COUNT)
			return usage_error("%s", "tokens new needs --party ID and --role ROLE");
		if (optind < argc)
			return usage_error("tokens new: unexpected argument \"%s\"", argv[optind]);
	} else if (strcmp(verb, "revoke") == 0 && optind + 1 != argc) {
		return usage_error("%s", "tokens revoke needs one TOKEN_ID");
	}
	if ((rc = open_service(&co, 1, &svc)) != 0)
		return rc;
	if (strcmp(verb, "new") == 0) {
		char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
		struct bf_party known;
		/* A known party keeps its name and country; a new one needs them. */
		if (bf_service_party(svc, p.id, &known, &err) == BF_OK) {
			if (!p.country[0])
				memcpy(p.country, known.country, sizeof(p.country));
			if (!p.name[0])
				memcpy(p.name, known.name, sizeof(p.name));
		} else if (!p.country[0]) {
			bf_service_close(svc);
			return usage_error("party \"%s\" is new: give its --country", p.id);
		}
		if (!p.name[0])
			bf_strlcpy(p.name, p.id, sizeof(p.name));
		rc = bf_service_token_new(svc, &p, token, id, &err);
		if (rc == BF_OK) {
			printf("%s\n", token);
			fprintf(stderr, "borderflow: token %s issued to %s (%s); it is shown this once\n", id, p.id,
			        bf_role_name(p.role));
		}
	} else if (strcmp(verb, "revoke") == 0) {
		rc = bf_service_token_revoke(svc, argv[optind], &err);
		if (rc == BF_OK)
			printf("token %s revoked\n", argv[optind]);
	} else {
		struct bf_token_info *t;
		size_t n;
		rc = bf_service_tokens(svc, &t, &n, &err);
		for (size_t i = 0; rc == BF_OK && i < n; i++) {
			char made[BF_TIME_TEXT], gone[BF_TIME_TEXT] = "in force";
			bf_time_format_utc(t[i].created_at, made);
			if (t[i].revoked_at)
				bf_time_format_utc(t[i].revoked_at, gone);
			printf("%-14s %-24s %-18s %s  %s\n", t[i].id, t[i].party_id, bf_role_name(t[i].role), made,
			       gone);
		}
		if (rc == BF_OK)
			free(t);
	}
	if (rc)
		fprintf(stderr, "borderflow: %s\n", err.message);
	bf_service_close(svc);
	return rc ? 1 : 0;
}

int read_whole_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	struct stat st;
	char *buf;
	if (f == NULL)
		return -1;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return -1;
	}
	buf = bf_xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n > (64u << 20)) {
			fclose(f);
			free(buf);
			errno = EFBIG;
			return -1;
		}
		if (n == cap)
			buf = bf_xrealloc(buf, cap *= 2);
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		errno = e ? e : EIO;
		return -1;
	}
	fclose(f);
	*text = buf;
	*len = n;
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"party", required_argument, NULL, 'p'},
	                                     {"data", required_argument, NULL, 'D'},
	                                     {"node", required_argument, NULL, 'N'},
	                                     {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	const char *party = NULL;
	struct bf_party actor = bf_node_operator;
	struct bf_import_report *rep;
	struct bf_service *svc;
	struct bf_error err = {0};
	char *text;
	size_t len;
	int ch, rc;

	if (argc < 2 || strcmp(argv[1], "registry") != 0)
		return usage_error("%s", "import: say what to import: import registry FILE.csv");
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		switch (ch) {
		case 'p':
			party = optarg;
			break;
		default:
			return usage_error("%s", "import: unknown option");
		}
	}
	if (optind + 1 != argc)
		return usage_error("%s", "import registry needs one FILE.csv");
	if (read_whole_file(argv[optind], &text, &len)) {
		fprintf(stderr, "borderflow: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if ((rc = open_service(&co, 1, &svc)) != 0) {
		free(text);
		return rc;
	}
	/* Importing as a party holds the rows to that party's country. */
	if (party && bf_service_party(svc, party, &actor, &err)) {
		fprintf(stderr, "borderflow: --party %s: %s\n", party, err.message);
		bf_service_close(svc);
		free(text);
		return 1;
	}
	rep = bf_xcalloc(1, sizeof(*rep));
	rc = bf_service_import_registry(svc, &actor, text, len, rep, &err);
	free(text);
	if (rc == BF_OK) {
		static const char *const kinds[] = {"exporters", "planting areas", "packing houses"};
		printf("imported %d %s from %s: %d created, %d updated, %d unchanged\n", rep->rows, kinds[rep->kind],
		       argv[optind], rep->created, rep->updated, rep->unchanged);
	} else {
		for (int i = 0; i < rep->n_problems; i++) {
			const struct bf_import_problem *p = &rep->problems[i];
			if (p->line > 0)
				fprintf(stderr, "%s:%d: %s: %s\n", argv[optind], p->line, p->field, p->message);
			else
				fprintf(stderr, "%s: %s: %s\n", argv[optind], p->field, p->message);
		}
		fprintf(stderr, "borderflow: %s\n", err.message);
	}
	free(rep);
	bf_service_close(svc);
	return rc ? 1 : 0;
}

static int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"gate", required_argument, NULL, 'g'},
	                                     {"day", required_argument, NULL, 't'},
	                                     {"data", required_argument, NULL, 'D'},
	                                     {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	const char *gate = NULL;
	bool have_day = false;
	int64_t day = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		switch (ch) {
		case 'g':
			gate = optarg;
			break;
		case 't':
			if (bf_date_parse(optarg, &day))
				return usage_error("--day: \"%s\" is not a date like 2026-12-01", optarg);
			have_day = true;
			break;
		default:
			return usage_error("%s", "plan: unknown option");
		}
	}
	if (gate == NULL)
		return usage_error("%s", "plan needs --gate ID");
	if (optind < argc)
		return usage_error("plan: unexpected argument \"%s\"", argv[optind]);

	struct bf_service *svc;
	struct bf_gate_pair g;
	struct bf_error err = {0};
	struct bf_slot_fill *v;
	size_t n;
	if ((rc = open_service(&co, 1, &svc)) != 0)
		return rc;
	if (bf_service_gate(svc, gate, &g, &err)) {
		fprintf(stderr, "borderflow: --gate %s: %s\n", gate, err.message);
		bf_service_close(svc);
		return 1;
	}
	if (!have_day)
		day = bf_gate_day_of(&g, (bf_time)time(NULL));
	struct bf_interval span = bf_gate_local_day(&g, day);
	if (bf_service_slots(svc, gate, span.start, span.end, &v, &n, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		bf_gate_pair_clear(&g);
		bf_service_close(svc);
		return 1;
	}
	char dtext[BF_TIME_TEXT];
	bf_date_format(day, dtext);
	printf("%s (%s) on %s, side A's day: %zu slots\n", g.id, g.name_en, dtext, n);
	for (int d = 0; d < 2; d++) {
		long places = 0, booked = 0;
		printf("\n%s  %s -> %s\n", bf_direction_name((enum bf_direction)d),
		       d ? g.side[1].country : g.side[0].country, d ? g.side[0].country : g.side[1].country);
		printf("  %-20s %-13s %-13s %6s %6s  %s\n", "slot (UTC)", "side A", "side B", "places", "booked",
		       "fill");
		for (size_t i = 0; i < n; i++) {
			if ((int)v[i].direction != d)
				continue;
			char u[BF_TIME_TEXT], a[BF_TIME_TEXT], b[BF_TIME_TEXT], bar[21];
			bf_time_format_utc(v[i].start, u);
			bf_time_format_local(v[i].start, g.side[0].utc_offset_min, a);
			bf_time_format_local(v[i].start, g.side[1].utc_offset_min, b);
			int fill = v[i].capacity ? (int)(100L * v[i].booked / v[i].capacity) : 0;
			int width = fill / 5;
			for (int k = 0; k < 20; k++)
				bar[k] = k < width ? '#' : '.';
			bar[20] = '\0';
			/* Local times as HH:MM: the date is the day shown. */
			printf("  %.16s    %.5s         %.5s         %6d %6d  %s %3d%%%s%s\n", u, a + 11, b + 11,
			       v[i].capacity, v[i].booked, bar, fill, v[i].train >= 0 ? "  train " : "",
			       v[i].train_number);
			places += v[i].capacity;
			booked += v[i].booked;
		}
		printf("  total: %ld places, %ld booked (%ld%%)\n", places, booked, places ? 100 * booked / places : 0);
	}
	free(v);
	bf_gate_pair_clear(&g);
	bf_service_close(svc);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	argc--;
	argv++;
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc, argv);
	if (strcmp(cmd, "gates") == 0)
		return cmd_gates(argc, argv);
	if (strcmp(cmd, "plan") == 0)
		return cmd_plan(argc, argv);
	if (strcmp(cmd, "tokens") == 0)
		return cmd_tokens(argc, argv);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc, argv);
	if (strcmp(cmd, "sim") == 0)
		return cmd_sim(argc, argv);
	if (strcmp(cmd, "keys") == 0)
		return cmd_keys(argc, argv);
	if (strcmp(cmd, "verify") == 0)
		return cmd_verify(argc, argv);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc, argv);
	if (strcmp(cmd, "restore") == 0)
		return cmd_restore(argc, argv);
	return usage_error("unknown command \"%s\"", cmd);
}
