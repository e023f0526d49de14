/* The `borderflow` command: one binary for the server and the operators'
 * tools. Every command takes --db FILE (default borderflow.db). */
#include "api/encode.h"
#include "api/server.h"
#include "service/service.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_DB "borderflow.db"

static const char usage_text[] = "usage: borderflow COMMAND [OPTIONS]\n"
                                 "\n"
                                 "commands:\n"
                                 "  serve   [--db FILE] [--bind ADDR] [--port N] [--threads N] [--data DIR]\n"
                                 "          run the HTTP/JSON API (default 127.0.0.1:8080)\n"
                                 "  gates   [--db FILE] [--json] [--date YYYY-MM-DD] [--open-at INSTANT] [--data DIR]\n"
                                 "          list the gate pairs with the day's crossing windows in both local\n"
                                 "          times and UTC, or only the pairs open at INSTANT\n"
                                 "  help    show this text\n"
                                 "\n"
                                 "--data DIR reads gates.json, commodities.json and registry.json from DIR\n"
                                 "instead of the bundled copies; they are checked at every start and loaded\n"
                                 "into the database on its first start.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("borderflow: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nrun 'borderflow help' for usage\n", stderr);
	return 2;
}

struct common {
	const char *db;
	const char *data;
};

static int open_service(const struct common *co, unsigned connections, struct bf_service **svc)
{
	struct bf_service_config cfg = {.db_url = co->db, .data_dir = co->data, .connections = connections};
	struct bf_error err = {0};
	if (bf_service_open(&cfg, svc, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		return 1;
	}
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
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
	    {"db", required_argument, NULL, 'd'},   {"port", required_argument, NULL, 'p'},
	    {"bind", required_argument, NULL, 'b'}, {"threads", required_argument, NULL, 't'},
	    {"data", required_argument, NULL, 'D'}, {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_server_config cfg = {.bind = "127.0.0.1", .port = 8080, .threads = 4};
	unsigned long v;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			co.db = optarg;
			break;
		case 'D':
			co.data = optarg;
			break;
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
		default:
			return usage_error("%s", "serve: unknown option");
		}
	}
	if (optind < argc)
		return usage_error("serve: unexpected argument \"%s\"", argv[optind]);

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
	int rc = open_service(&co, cfg.threads + 1, &svc);
	if (rc)
		return rc;
	if (bf_server_start(&cfg, svc, &srv, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		bf_service_close(svc);
		return 1;
	}
	if (strchr(cfg.bind, ':'))
		printf("borderflow: listening on http://[%s]:%u (database %s)\n", cfg.bind,
		       (unsigned)bf_server_port(srv), co.db);
	else
		printf("borderflow: listening on http://%s:%u (database %s)\n", cfg.bind, (unsigned)bf_server_port(srv),
		       co.db);
	fflush(stdout);

	int sig = 0;
	sigwait(&stop, &sig);
	printf("borderflow: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	bf_server_stop(srv);
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
		switch (ch) {
		case 'd':
			co.db = optarg;
			break;
		case 'D':
			co.data = optarg;
			break;
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
	return usage_error("unknown command \"%s\"", cmd);
}
