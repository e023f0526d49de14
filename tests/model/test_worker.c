/* Tests model/worker: a sleeping worker wakes when signalled and sees the
 * state changed under its lock, a timed sleep lasts its time unless the
 * worker is stopped, a stop ends a worker asleep without limit at once,
 * after it has drained what it was given, and a crew of threads shares
 * one queue. */
#include "util/testutil.h"

#include "model/error.h"
#include "model/time.h"
#include "model/worker.h"

#include <stdbool.h>

struct counter {
	int queued, done; /* under the worker's lock */
};

/* Takes what is queued until told to stop with nothing left. */
static void drain(struct bf_worker *w)
{
	struct counter *c = w->arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (c->queued == 0 && bf_worker_sleep(w, -1))
			;
		if (c->queued == 0)
			break;
		c->queued--;
		c->done++;
	}
	pthread_mutex_unlock(&w->lock);
}

static void test_signal_and_drain(void **state)
{
	(void)state;
	struct counter c = {0};
	struct bf_worker w;
	assert_int_equal(bf_worker_start(&w, drain, &c), BF_OK);
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&w.lock);
		c.queued++;
		bf_worker_signal(&w);
		pthread_mutex_unlock(&w.lock);
	}
	/* Wait, for at most 10 s, until the worker has caught up. */
	int64_t until = bf_time_monotonic_ms() + 10000;
	bool caught_up = false;
	while (!caught_up && bf_time_monotonic_ms() < until) {
		pthread_mutex_lock(&w.lock);
		caught_up = c.done == 1000;
		pthread_mutex_unlock(&w.lock);
	}
	assert_true(caught_up);
	/* Queued just before the stop: drained before the thread ends. */
	pthread_mutex_lock(&w.lock);
	c.queued += 5;
	pthread_mutex_unlock(&w.lock);
	bf_worker_stop(&w);
	assert_int_equal(c.done, 1005);
	assert_int_equal(c.queued, 0);
}

/* A crew of four takes the same queue: every job done once, and what is
 * queued before the stop is drained. */
static void test_crew(void **state)
{
	(void)state;
	struct counter c = {0};
	struct bf_worker w;
	assert_int_equal(bf_worker_start_crew(&w, 4, drain, &c), BF_OK);
	assert_int_equal(w.n_threads, 4);
	for (int i = 0; i < 2000; i++) {
		pthread_mutex_lock(&w.lock);
		c.queued++;
		bf_worker_signal(&w);
		pthread_mutex_unlock(&w.lock);
	}
	pthread_mutex_lock(&w.lock);
	c.queued += 7;
	pthread_mutex_unlock(&w.lock);
	bf_worker_stop(&w);
	assert_int_equal(c.done, 2007);
	assert_int_equal(c.queued, 0);
}

struct timed {
	int ms;
	int64_t slept_ms; /* under the worker's lock, as LAST */
	bool last;
};

static void sleep_once(struct bf_worker *w)
{
	struct timed *t = w->arg;
	int64_t start = bf_time_monotonic_ms();
	pthread_mutex_lock(&w->lock);
	t->last = bf_worker_sleep(w, t->ms);
	t->slept_ms = bf_time_monotonic_ms() - start;
	pthread_mutex_unlock(&w->lock);
}

static void test_timed_sleep(void **state)
{
	(void)state;
	struct timed t = {.ms = 200};
	struct bf_worker w;
	assert_int_equal(bf_worker_start(&w, sleep_once, &t), BF_OK);
	/* A signal does not cut a timed sleep short. */
	pthread_mutex_lock(&w.lock);
	bf_worker_signal(&w);
	pthread_mutex_unlock(&w.lock);
	int64_t until = bf_time_monotonic_ms() + 10000;
	bool slept = false;
	while (!slept && bf_time_monotonic_ms() < until) {
		pthread_mutex_lock(&w.lock);
		slept = t.slept_ms > 0;
		pthread_mutex_unlock(&w.lock);
	}
	bf_worker_stop(&w);
	assert_true(t.last);
	assert_true(t.slept_ms >= 190);
}

static void test_stop_cuts_sleep(void **state)
{
	(void)state;
	struct timed t = {.ms = 60000};
	struct bf_worker w;
	int64_t start = bf_time_monotonic_ms();
	assert_int_equal(bf_worker_start(&w, sleep_once, &t), BF_OK);
	bf_worker_stop(&w);
	/* The stop ended a sleep of a minute: it returned false, long before. */
	assert_false(t.last);
	assert_true(bf_time_monotonic_ms() - start < 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signal_and_drain),
	    cmocka_unit_test(test_crew),
	    cmocka_unit_test(test_timed_sleep),
	    cmocka_unit_test(test_stop_cuts_sleep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
