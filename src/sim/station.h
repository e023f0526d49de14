/* A discrete-event simulation of one crossing point as a queue: vehicles
 * arrive at random, wait in one line, and are served by C lanes, only
 * while the gate is open. It is the simulator's validated core: with
 * Poisson arrivals and exponential service it is the M/M/c queue of
 * queueing theory, whose mean wait Erlang's C formula gives. */
#ifndef BF_SIM_STATION_H
#define BF_SIM_STATION_H

#include <stdint.h>

struct bf_station_config {
	double arrivals_per_hour;
	double services_per_hour; /* per lane */
	int lanes;
	double open_hours; /* open from 00:00 for this many hours a day; 24 or more: always */
	long customers;    /* arrivals to simulate */
	long warmup;       /* first arrivals left out of the wait statistics */
};

struct bf_station_result {
	long arrivals, served, left_waiting, left_in_service; /* every arrival is one of the last three */
	long measured;                                        /* waits counted (after the warm-up) */
	double mean_wait_hours;                               /* in the line, before service */
	double p50_wait_hours, p90_wait_hours, p99_wait_hours;
	double mean_in_system;      /* time-average number of vehicles present */
	double arrival_rate_seen;   /* arrivals per hour over the run */
	double mean_time_in_system; /* hours, over vehicles that left */
	int longest_line;
	double hours; /* simulated time */
	long events;  /* events processed */
};

/* Runs replication REPLICATION of CFG from SEED; 0, or BF_EINVAL for a
 * configuration it cannot run (no lanes, rates not positive). */
int bf_station_run(const struct bf_station_config *cfg, uint64_t seed, uint64_t replication,
                   struct bf_station_result *out);

/* Runs REPLICATIONS replications on THREADS threads; OUT[i] holds
 * replication i, the same whatever THREADS is. */
int bf_station_replicate(const struct bf_station_config *cfg, uint64_t seed, int replications, int threads,
                         struct bf_station_result *out);

/* Erlang C: the mean wait in line (hours) of an M/M/c queue, or a
 * negative value when it is unstable (arrivals >= lanes * service). */
double bf_station_erlang_c_wait(double arrivals_per_hour, double services_per_hour, int lanes);

#endif
