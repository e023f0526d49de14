/* `borderflow sim`: runs a scenario's policies side by side and prints
 * the comparison. It reads the reference data (bundled, or --data DIR)
 * and no database: a simulation changes nothing. */
#include "cli/cli.h"
#include "codec/dataset.h"
#include "codec/scenario.h"
#include "codec/summary.h"

#include <limits.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int sim_usage(const char *fmt, const char *arg)
{
	fputs("borderflow: sim: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nusage: borderflow sim SCENARIO [--replications R] [--threads T] [--seed S] [--json|--csv] "
	      "[--data DIR]\n       borderflow sim --list\n",
	      stderr);
	return 2;
}

struct progress {
	time_t started, last;
};

static bool show_progress(void *ctx, long done, long total)
{
	struct progress *p = ctx;
	time_t now = time(NULL);
	if (now == p->last && done < total)
		return true;
	p->last = now;
	fprintf(stderr, "\rsim: %ld of %ld runs (%ld%%), %lds", done, total, 100 * done / total,
	        (long)(now - p->started));
	if (done == total)
		fputc('\n', stderr);
	return true;
}

int cmd_sim(int argc, char **argv)
{
	static const struct option opts[] = {{"replications", required_argument, NULL, 'r'},
	                                     {"threads", required_argument, NULL, 't'},
	                                     {"seed", required_argument, NULL, 's'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {"csv", no_argument, NULL, 'c'},
	                                     {"list", no_argument, NULL, 'l'},
	                                     {"data", required_argument, NULL, 'D'},
	                                     {NULL, 0, NULL, 0}};
	unsigned long reps = 20, threads = 1, seed = 1;
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	const char *data_dir = NULL;
	bool json = false, csv = false, list = false;
	int ch;
	if (online > 1)
		threads = (unsigned long)online;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (parse_uint(optarg, 10000, &reps) || reps == 0)
				return sim_usage("--replications: \"%s\" is not a whole number from 1 to 10000",
				                 optarg);
			break;
		case 't':
			if (parse_uint(optarg, 256, &threads) || threads == 0)
				return sim_usage("--threads: \"%s\" is not a whole number from 1 to 256", optarg);
			break;
		case 's':
			if (parse_uint(optarg, LONG_MAX, &seed))
				return sim_usage("--seed: \"%s\" is not a whole number, 0 or more", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'c':
			csv = true;
			break;
		case 'l':
			list = true;
			break;
		case 'D':
			data_dir = optarg;
			break;
		default:
			return sim_usage("%s", "unknown option");
		}
	}
	if (json && csv)
		return sim_usage("%s", "--json and --csv: choose one");
	if (list) {
		for (const char *const *n = bf_scenario_bundled_names(); *n; n++)
			printf("%s\n", *n);
		return 0;
	}
	if (optind != argc - 1)
		return sim_usage("%s",
		                 optind < argc ? "one SCENARIO only" : "which SCENARIO? a file or a bundled name");

	struct bf_dataset data;
	struct bf_scenario sc;
	struct bf_error err = {0};
	if (bf_dataset_load(data_dir, &data, &err) != 0) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		return 1;
	}
	if (bf_scenario_load(argv[optind], &data, &sc, &err) != 0) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		bf_dataset_free(&data);
		return 1;
	}
	bf_dataset_free(&data);

	struct bf_sim_run *runs = bf_xcalloc((size_t)sc.n_policies * (size_t)reps, sizeof(*runs));
	struct progress pg = {time(NULL), 0};
	bool tty = isatty(STDERR_FILENO);
	int rc = bf_sim_replicate(&sc, (uint64_t)seed, (int)reps, (int)threads, tty ? show_progress : NULL, &pg, runs);
	if (rc == 0) {
		struct bf_sim_summary sum;
		bf_sim_summarise(&sc, runs, (int)reps, (uint64_t)seed, &sum);
		if (json) {
			json_t *doc = bf_summary_json(&sc, &sum);
			json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
			fputc('\n', stdout);
			json_decref(doc);
		} else if (csv) {
			bf_summary_csv(&sc, &sum, stdout);
		} else {
			bf_summary_text(&sc, &sum, stdout);
		}
		bf_sim_summary_free(&sum);
	} else {
		fprintf(stderr, "borderflow: the scenario cannot be run (%s)\n", bf_error_code_name(rc));
	}
	for (long i = 0; i < sc.n_policies * (long)reps; i++)
		bf_sim_run_free(&runs[i]);
	free(runs);
	bf_scenario_clear(&sc);
	return rc == 0 ? 0 : 1;
}
