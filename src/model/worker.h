/* A background thread's life cycle, one for the whole tree
 * (model/worker.c): started with the function it runs, asleep until its
 * owner signals a change or a timeout passes, and stopped by setting a
 * flag, waking it and joining it. The puller of the peer's chain, the
 * simulation runner, the store's checkpointer and the request log's
 * writer each run on one.
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
	pthread_t thread;
	bool stopping; /* under LOCK */
	void (*run)(struct bf_worker *w);
	void *arg; /* the owner's, for RUN */
};

/* Initializes W and starts RUN(W) on a thread of its own; RUN returns once
 * bf_worker_sleep() says the worker stops (or earlier, its own choice).
 * BF_EIO, with W left as it was never started, when no thread can be
 * made. */
int bf_worker_start(struct bf_worker *w, void (*run)(struct bf_worker *w), void *arg);
/* Under LOCK: wakes the thread, after a change of the shared state. */
void bf_worker_signal(struct bf_worker *w);
/* Under LOCK, on the worker's thread: with MS < 0 sleeps until signalled
 * (or woken spuriously: the caller checks its own condition again); with
 * MS >= 0 sleeps MS milliseconds, cut short only by the stop. False once
 * the worker is stopping. */
bool bf_worker_sleep(struct bf_worker *w, int ms);
/* Tells the thread to stop, wakes it, waits for RUN to return and
 * releases W's lock and condition. */
void bf_worker_stop(struct bf_worker *w);

#endif
