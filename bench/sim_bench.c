/* Benchmark of the simulator's engine beside SimPy 3 on the same model, in
 * one run: an M/M/4 gate at 80% load. Prints model events (arrivals and
 * departures) per second for each and their ratio, the cost of opening
 * hours (open 12 hours a day) over always open for each, and the mean wait
 * each finds against Erlang C. SimPy runs as Debian's python3-simpy3.
 * Then the wall time of one replication of the bundled Lang Son scenario,
 * policy by policy, on one core (target: under a second). */
#include "codec/dataset.h"
#include "codec/scenario.h"
#include "sim/station.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Best of RUNS: seconds for VEHICLES vehicles. */
static double ours(const struct bf_station_config *cfg, int runs, double *wait)
{
	double best = 1e9;
	for (int r = 0; r < runs; r++) {
		struct bf_station_result res;
		double t0 = now();
		bf_station_run(cfg, 11, (uint64_t)r, &res);
		double t = now() - t0;
		if (t < best)
			best = t;
		*wait = res.mean_wait_hours;
	}
	return best;
}

static double simpy(const char *script, const struct bf_station_config *cfg, long vehicles, double *wait)
{
	char cmd[1024], line[512];
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %g %g %d %g %ld 11", script, cfg->arrivals_per_hour,
	         cfg->services_per_hour, cfg->lanes, cfg->open_hours, vehicles);
	FILE *p = popen(cmd, "r");
	double seconds = -1;
	if (p == NULL)
		return -1;
	if (fgets(line, sizeof(line), p)) {
		const char *s = strstr(line, "\"seconds\": "), *w = strstr(line, "\"mean_wait_hours\": ");
		if (s && w) {
			seconds = atof(s + 11);
			*wait = atof(w + 19);
		}
	}
	if (pclose(p) != 0)
		return -1;
	return seconds;
}

/* One replication of every policy of the Lang Son scenario, best of 3. */
static void lang_son(void)
{
	struct bf_dataset data;
	struct bf_scenario sc;
	struct bf_error err = {0};
	if (bf_dataset_load(NULL, &data, &err) != 0 || bf_scenario_load("lang-son-2021", &data, &sc, &err) != 0) {
		printf("lang-son-2021: cannot load (%s)\n", err.message);
		return;
	}
	bf_dataset_free(&data);
	double total = 0;
	long events = 0;
	for (int p = 0; p < sc.n_policies; p++) {
		double best = 1e9;
		struct bf_sim_run run;
		for (int k = 0; k < 3; k++) {
			double t0 = now();
			bf_sim_run(&sc, p, 1, 0, &run);
			double t = now() - t0;
			if (t < best)
				best = t;
			if (k == 0)
				events += run.events;
			bf_sim_run_free(&run);
		}
		printf("lang-son-2021 %-20s one replication: %6.1f ms\n", sc.policies[p].name, 1e3 * best);
		total += best;
	}
	printf("lang-son-2021: one replication of all %d policies (%d days, %ld events): %.3f s, %.1f million "
	       "events/s (target: a replication under 1 s)\n",
	       sc.n_policies, sc.days, events, total, (double)events / total / 1e6);
	bf_scenario_clear(&sc);
}

int main(int argc, char **argv)
{
	const char *script = argc > 1 ? argv[1] : "bench/mmc_simpy.py";
	long big = 5000000, small = 200000;
	struct bf_station_config cfg = {.arrivals_per_hour = 0.8 * 4 * 12,
	                                .services_per_hour = 12,
	                                .lanes = 4,
	                                .open_hours = 24,
	                                .customers = big,
	                                .warmup = 0};
	double w_ours, w_simpy, w_ours_h, w_simpy_h;
	double theory = bf_station_erlang_c_wait(cfg.arrivals_per_hour, 12, 4);

	double t_ours = ours(&cfg, 3, &w_ours);
	double ev_ours = 2.0 * (double)big / t_ours;
	printf("borderflow: M/M/4 at 0.8, %ld vehicles: %.3f s, %.1f million events/s (%.1f ns/event), "
	       "wait %.5f h (Erlang C %.5f h)\n",
	       big, t_ours, ev_ours / 1e6, 1e9 / ev_ours, w_ours, theory);
	double t_simpy = simpy(script, &cfg, small, &w_simpy);
	if (t_simpy <= 0) {
		printf("SimPy 3: not run (install python3-simpy3)\n");
		lang_son();
		return 0;
	}
	double ev_simpy = 2.0 * (double)small / t_simpy;
	printf("SimPy 3:    M/M/4 at 0.8, %ld vehicles: %.3f s, %.2f million events/s (%.0f ns/event), wait %.5f h\n",
	       small, t_simpy, ev_simpy / 1e6, 1e9 / ev_simpy, w_simpy);
	printf("ratio: borderflow runs %.0fx SimPy's events per second (target: at least 50x)\n", ev_ours / ev_simpy);

	/* Opening hours: the same gate open 12 hours a day, at a load it can
	 * still clear (0.4 of its round-the-clock capacity). */
	struct bf_station_config day = cfg, all = cfg;
	day.arrivals_per_hour = all.arrivals_per_hour = 0.4 * 4 * 12;
	day.open_hours = 12;
	double t_all = ours(&all, 3, &w_ours), t_day = ours(&day, 3, &w_ours_h);
	struct bf_station_result r_all, r_day;
	bf_station_run(&all, 11, 0, &r_all);
	bf_station_run(&day, 11, 0, &r_day);
	/* Per vehicle, as hours add open and close events of their own. */
	printf("borderflow: opening hours cost %+.1f%% per vehicle over always open (target: at most 5%%); "
	       "waits %.3f h vs %.3f h\n",
	       100 * (t_day / t_all - 1), w_ours_h, w_ours);
	all.customers = day.customers = small;
	double s_all = simpy(script, &all, small, &w_simpy), s_day = simpy(script, &day, small, &w_simpy_h);
	if (s_all > 0 && s_day > 0)
		printf("SimPy 3:    opening hours cost %+.1f%% per vehicle over always open\n",
		       100 * (s_day / s_all - 1));
	(void)r_all;
	(void)r_day;
	lang_son();
	return 0;
}
