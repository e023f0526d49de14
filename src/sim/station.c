/* The single-station simulation: the future-event list of sim/fel.h, a
 * FIFO line, and a histogram of waits for the quantiles. */
#include "sim/station.h"

#include "model/error.h"
#include "sim/fel.h"
#include "sim/rng.h"

#include <math.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { EV_ARRIVAL, EV_DEPARTURE, EV_OPEN, EV_CLOSE };

/* Waits are binned by the minute up to a week, for the quantiles. */
#define HIST_BINS (7 * 24 * 60)

static double quantile(const long *hist, long total, double q)
{
	long want = (long)ceil(q * (double)total), seen = 0;
	for (int b = 0; b < HIST_BINS; b++) {
		seen += hist[b];
		if (seen >= want && want > 0)
			return (b + 0.5) / 60.0;
	}
	return HIST_BINS / 60.0;
}

int bf_station_run(const struct bf_station_config *cfg, uint64_t seed, uint64_t replication,
                   struct bf_station_result *out)
{
	struct bf_rng arrivals, services;
	struct bf_fel f = {0};
	double *line, now = 0, last_change = 0, wait_sum = 0, sojourn_sum = 0;
	long *hist;
	size_t head = 0, tail = 0, cap = 1024;
	int busy = 0, longest = 0;
	bool open = true, always = cfg->open_hours >= 24;
	double *started; /* arrival time of each lane's vehicle */

	memset(out, 0, sizeof(*out));
	if (cfg->lanes < 1 || !(cfg->arrivals_per_hour > 0) || !(cfg->services_per_hour > 0) || cfg->customers < 1 ||
	    (!always && !(cfg->open_hours > 0)))
		return BF_EINVAL;
	bf_rng_seed(&arrivals, seed, replication, 1);
	bf_rng_seed(&services, seed, replication, 2);
	line = bf_xmalloc(cap * sizeof(double));
	hist = bf_xcalloc(HIST_BINS, sizeof(long));
	started = bf_xcalloc((size_t)cfg->lanes, sizeof(double));
	/* Lanes are exchangeable: a departure frees one. Which vehicle leaves is
	 * not tracked, only the arrival times of those in service: a run ends
	 * with everyone gone, so the sum of times in the system is exact even
	 * though one departure may be matched with another's arrival. */
	int n_started = 0;
	double area = 0; /* integral of vehicles present over time */

	bf_fel_push(&f, bf_rng_exponential(&arrivals, 1.0 / cfg->arrivals_per_hour), EV_ARRIVAL, 0);
	if (!always)
		bf_fel_push(&f, cfg->open_hours, EV_CLOSE, 0);
	while (f.n > 0) {
		struct bf_fel_event e = bf_fel_pop(&f);
		size_t present = (tail - head) + (size_t)busy;
		area += (double)present * (e.t - last_change);
		last_change = now = e.t;
		out->events++;
		switch (e.kind) {
		case EV_ARRIVAL:
			out->arrivals++;
			if (out->arrivals < cfg->customers)
				bf_fel_push(&f, now + bf_rng_exponential(&arrivals, 1.0 / cfg->arrivals_per_hour),
				            EV_ARRIVAL, 0);
			if (tail - head == cap) {
				/* Compact, then grow the line's buffer. */
				memmove(line, line + head, (tail - head) * sizeof(double));
				tail -= head;
				head = 0;
				cap *= 2;
				line = bf_xrealloc(line, cap * sizeof(double));
			} else if (tail == cap) {
				memmove(line, line + head, (tail - head) * sizeof(double));
				tail -= head;
				head = 0;
			}
			line[tail++] = now;
			break;
		case EV_DEPARTURE: {
			busy--;
			out->served++;
			double arrived = started[--n_started];
			sojourn_sum += now - arrived;
			break;
		}
		case EV_OPEN:
			open = true;
			bf_fel_push(&f, now + cfg->open_hours, EV_CLOSE, 0);
			break;
		case EV_CLOSE:
			open = false;
			bf_fel_push(&f, now + (24 - cfg->open_hours), EV_OPEN, 0);
			break;
		}
		/* Start service while lanes are free and the gate is open. */
		while (open && busy < cfg->lanes && head < tail) {
			double arrived = line[head++];
			long n = out->served + busy; /* the vehicle's order of service */
			busy++;
			started[n_started++] = arrived;
			if (n >= cfg->warmup) {
				double w = now - arrived;
				int bin = (int)(w * 60);
				wait_sum += w;
				hist[bin < HIST_BINS ? bin : HIST_BINS - 1]++;
				out->measured++;
			}
			bf_fel_push(&f, now + bf_rng_exponential(&services, 1.0 / cfg->services_per_hour), EV_DEPARTURE,
			            0);
		}
		if ((int)(tail - head) > longest)
			longest = (int)(tail - head);
		/* Stop when every vehicle has arrived and none is left to serve,
		 * or when only the opening and closing events remain. */
		if (out->arrivals >= cfg->customers && head == tail && busy == 0)
			break;
	}
	out->left_waiting = (long)(tail - head);
	out->left_in_service = busy;
	out->longest_line = longest;
	out->hours = now;
	out->mean_wait_hours = out->measured ? wait_sum / (double)out->measured : 0;
	out->p50_wait_hours = quantile(hist, out->measured, 0.50);
	out->p90_wait_hours = quantile(hist, out->measured, 0.90);
	out->p99_wait_hours = quantile(hist, out->measured, 0.99);
	out->mean_in_system = now > 0 ? area / now : 0;
	out->arrival_rate_seen = now > 0 ? (double)out->arrivals / now : 0;
	out->mean_time_in_system = out->served ? sojourn_sum / (double)out->served : 0;
	bf_fel_free(&f);
	free(line);
	free(hist);
	free(started);
	return BF_OK;
}

struct job {
	const struct bf_station_config *cfg;
	uint64_t seed;
	int first, step, count;
	struct bf_station_result *out;
	int rc;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	for (int r = j->first; r < j->count && j->rc == 0; r += j->step)
		j->rc = bf_station_run(j->cfg, j->seed, (uint64_t)r, &j->out[r]);
	return NULL;
}

int bf_station_replicate(const struct bf_station_config *cfg, uint64_t seed, int replications, int threads,
                         struct bf_station_result *out)
{
	if (threads < 1)
		threads = 1;
	if (threads > replications)
		threads = replications > 0 ? replications : 1;
	pthread_t *t = bf_xcalloc((size_t)threads, sizeof(*t));
	struct job *jobs = bf_xcalloc((size_t)threads, sizeof(*jobs));
	int rc = BF_OK;
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct job){cfg, seed, i, threads, replications, out, 0};
		if (i > 0 && pthread_create(&t[i], NULL, worker, &jobs[i]) != 0)
			jobs[i].rc = BF_EIO;
	}
	worker(&jobs[0]);
	for (int i = 1; i < threads; i++) {
		if (jobs[i].rc != BF_EIO)
			pthread_join(t[i], NULL);
	}
	for (int i = 0; i < threads; i++)
		if (jobs[i].rc && rc == BF_OK)
			rc = jobs[i].rc;
	free(t);
	free(jobs);
	return rc;
}

double bf_station_erlang_c_wait(double arrivals_per_hour, double services_per_hour, int lanes)
{
	double a = arrivals_per_hour / services_per_hour, rho = a / lanes;
	if (lanes < 1 || rho >= 1)
		return -1;
	/* Sum of a^k/k! for k < c, and the c-th term over (1 - rho). */
	double term = 1, sum = 0;
	for (int k = 0; k < lanes; k++) {
		sum += term;
		term *= a / (k + 1);
	}
	double last = term / (1 - rho);
	double p_wait = last / (sum + last);
	return p_wait / (lanes * services_per_hour - arrivals_per_hour);
}
