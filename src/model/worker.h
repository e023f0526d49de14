/* A background thread's life cycle, one for the whole tree
 * (model/worker.c): started with the function it runs, asleep until its
 * owner signals a change or a timeout passes, and stopped by setting a
 * flag, waking it and joining it. The puller of the peer's chain, the
 * simulation runner, the store's checkpointer and the request log's
 * writer each run on one; the server's writer threads are one crew of
 * several threads sharing a lock, a queue and its condition.
 *
 * LOCK guards STOPPING and whatever state the owner shares with the
 * thread: the owner changes that state under LOCK, then signals. */
#ifndef BF_MODEL_WORKER_H
#define BF_MODEL_WORKER_H

#include <pthread.h>
#include <stdbool.h>

struct bf_worker {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t *threads; /* N_THREADS of them */
	unsigned n_threads;
	bool stopping; /* under LOCK */
	void (*run)(struct bf_worker *w);
	void *arg; /* the owner's, for RUN */
};

/* Initializes W and starts RUN(W) on a thread of its own; RUN returns once
 * bf_worker_sleep() says the worker stops (or earlier, its own choice).
 * BF_EIO, with W left as it was never started, when no thread can be
 * made. */
int bf_worker_start(struct bf_worker *w, void (*run)(struct bf_worker *w), void *arg);
/* The same with N threads each running RUN(W), all or none started. */
int bf_worker_start_crew(struct bf_worker *w, unsigned n, void (*run)(struct bf_worker *w), void *arg);
/* Under LOCK: wakes one of the threads, after a change of the shared
 * state (one thread of a crew for one job queued). */
void bf_worker_signal(struct bf_worker *w);
/* Under LOCK, on the worker's thread: with MS < 0 sleeps until signalled
 * (or woken spuriously: the caller checks its own condition again); with
 * MS >= 0 sleeps MS milliseconds, cut short only by the stop. False once
 * the worker is stopping. */
bool bf_worker_sleep(struct bf_worker *w, int ms);
/* Tells the threads to stop, wakes them all, waits for each RUN to
 * return and releases W's threads, lock and condition. */
void bf_worker_stop(struct bf_worker *w);
/* The same in two steps, for an owner whose other threads may still take
 * W's lock (and find it stopping) after its threads have ended: _join
 * stops and joins them, _clear then releases the lock and condition. */
void bf_worker_join(struct bf_worker *w);
void bf_worker_clear(struct bf_worker *w);

#endif
