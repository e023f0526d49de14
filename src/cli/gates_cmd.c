/* `borderflow gates`: each gate pair's crossing windows on a day, in both
 * local times and UTC, as text or JSON, or only the pairs open at an instant. */
#include "cli/cli.h"
#include "codec/gate.h"

#include <getopt.h>
#include <stdio.h>
#include <time.h>

/* "07:00-19:00", with "(+1)" where the end falls on the next local day. */
static void local_span(bf_time from, bf_time to, int offset_min, int64_t day, char *buf, size_t cap)
{
	bf_time a = from + (bf_time)offset_min * 60, b = to + (bf_time)offset_min * 60;
	int64_t da = bf_time_floor_div(a, BF_DAY_SECONDS), db = bf_time_floor_div(b - 1, BF_DAY_SECONDS);
	int ma = (int)((a - da * BF_DAY_SECONDS) / 60), mb = (int)((b - db * BF_DAY_SECONDS) / 60);
	char ta[8], tb[8];
	if (b - db * BF_DAY_SECONDS == BF_DAY_SECONDS)
		mb = 24 * 60;
	bf_time_hhmm_format(ma, ta);
	bf_time_hhmm_format(mb == 0 && b > a ? 24 * 60 : mb, tb);
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
	bf_time_utc_offset_format(g->side[0].utc_offset_min, offa);
	bf_time_utc_offset_format(g->side[1].utc_offset_min, offb);
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

int cmd_gates(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},   {"json", no_argument, NULL, 'j'},
	    {"date", required_argument, NULL, 't'}, {"open-at", required_argument, NULL, 'o'},
	    {"data", required_argument, NULL, 'D'}, {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	bool json = false, have_date = false, have_open = false;
	int64_t day = 0;
	bf_time open_at = 0, now = bf_time_now();
	int ch;
	const char *why;
	char msg[256];

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 't':
			if (bf_date_read(optarg, &day, &why)) {
				snprintf(msg, sizeof(msg), "--date: \"%.64s\" %s (a date like 2026-12-01)", optarg,
				         why);
				return usage_error("%s", msg);
			}
			have_date = true;
			break;
		case 'o':
			if (bf_time_read(optarg, &open_at, &why)) {
				snprintf(msg, sizeof(msg),
				         "--open-at: \"%.64s\" %s (an instant like 2026-12-01T10:30:00Z)", optarg, why);
				return usage_error("%s", msg);
			}
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
			json_t *o = bf_gate_json(g, false);
			bf_date_format(d, dtext);
			json_object_set_new(o, "day", json_string(dtext));
			json_object_set_new(o, "windows", bf_gate_windows_json(g, span.start, span.end));
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
