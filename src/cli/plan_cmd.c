/* `borderflow plan`: one gate pair's crossing slots on a day, both
 * directions, with their places, bookings and fill. */
#include "cli/cli.h"
#include "service/booking.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int cmd_plan(int argc, char **argv)
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
		day = bf_gate_day_of(&g, bf_time_now());
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
