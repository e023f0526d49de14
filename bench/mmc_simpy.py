#!/usr/bin/env python3
"""The M/M/c gate of bench/sim_bench.c in SimPy 3, as the reference the
benchmark measures borderflow's simulator against: prints vehicles
simulated, seconds, and the mean wait in hours, as one line of JSON.

usage: mmc_simpy.py ARRIVALS_PER_HOUR SERVICES_PER_HOUR LANES OPEN_HOURS VEHICLES SEED
"""
import json
import random
import sys
import time

import simpy


def main():
    lam, mu, lanes, open_hours, vehicles, seed = (float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]),
                                                  float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    rng_a, rng_s = random.Random(seed), random.Random(seed + 1)
    env = simpy.Environment()
    lane = simpy.Resource(env, capacity=lanes)
    gate = {"open": True, "opened": env.event()}
    waits = []

    def hours():
        # Open from 00:00 for OPEN_HOURS a day; vehicles wait for the opening.
        while True:
            yield env.timeout(open_hours)
            gate["open"] = False
            yield env.timeout(24 - open_hours)
            gate["open"] = True
            gate["opened"].succeed()
            gate["opened"] = env.event()

    def vehicle(arrived):
        with lane.request() as req:
            yield req
            while not gate["open"]:
                yield gate["opened"]
            waits.append(env.now - arrived)
            yield env.timeout(rng_s.expovariate(mu))

    def arrivals():
        for _ in range(vehicles):
            yield env.timeout(rng_a.expovariate(lam))
            env.process(vehicle(env.now))

    if open_hours < 24:
        env.process(hours())
    env.process(arrivals())
    start = time.perf_counter()
    env.run() if open_hours >= 24 else env.run(until=vehicles / lam * 3 + 48)
    seconds = time.perf_counter() - start
    print(json.dumps({"vehicles": vehicles, "seconds": seconds, "mean_wait_hours": sum(waits) / len(waits)}))


if __name__ == "__main__":
    main()
