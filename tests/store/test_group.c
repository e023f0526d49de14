/* Group commit on a grouped SQLite pool (store/pool.h), with real threads
 * on a real file: writers queued behind a transaction commit in one group
 * and every one of them is stored; a writer that rolls back loses only its
 * own rows; a group whose COMMIT fails fails every member, and none of its
 * rows is stored; a thread that read while a group was open returns only
 * once it has ended; the revision counts every member; under a crowd of
 * threads no commit is lost and groups form; under writes that never
 * pause, the log still starts again from its beginning (its file stays
 * short) and every row is kept. */
#include "util/testutil.h"

#include "store/db.h"
#include "store/pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static struct bf_store_pool *pool;
static char url[1024];

static int setup(void **state)
{
	(void)state;
	struct bf_error err = {0};
	snprintf(url, sizeof(url), "%s", tu_path(tu_tmpdir("group"), "group.db"));
	if (bf_store_pool_open_grouped(url, &pool, &err) != 0) {
		fprintf(stderr, "open: %s\n", err.message);
		return -1;
	}
	struct bf_store *s = bf_store_pool_acquire(pool);
	/* A parent whose children are checked at COMMIT only: a child of no
	 * parent passes its own statement and fails its group's COMMIT. */
	int rc = bf_db_exec(s,
	                    "CREATE TABLE row (k INTEGER PRIMARY KEY, writer INTEGER NOT NULL);"
	                    "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
	                    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL "
	                    "  REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);",
	                    &err);
	bf_store_pool_release(pool, s);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	bf_store_pool_close(pool);
	return 0;
}

static long rows(const char *sql)
{
	return tu_db_scalar(url, sql);
}

static long revision(void)
{
	return rows("SELECT n FROM revision");
}

/* Inserts row K for WRITER on S, in the caller's transaction. */
static int insert(struct bf_store *s, const char *sql, long k, long writer)
{
	struct bf_error err = {0};
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, sql, &st, &err);
	if (rc)
		return rc;
	bf_db_bind_int64(st, 1, k);
	bf_db_bind_int64(st, 2, writer);
	return bf_store_step_done(s, st, &err);
}

/* Waits, at most 10 s, until N threads wait for the pool's connection. */
static void until_waiting(unsigned n)
{
	struct bf_pool_stats ps;
	for (int i = 0; i < 10000; i++) {
		bf_store_pool_stats(pool, &ps);
		if (ps.waiting >= n)
			return;
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	fail_msg("%u threads never came to wait for the connection", n);
}

enum job_kind { COMMIT, ROLL_BACK, ORPHAN, READ };

struct job {
	enum job_kind kind;
	long k;
	pthread_t thread;
	int rc;
	int64_t seen;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	struct bf_error err = {0};
	struct bf_store *s = bf_store_pool_acquire(pool);
	if (j->kind == READ) {
		/* A read while the group is open sees its rows before they are
		 * durable: the release waits for the group's end. */
		j->rc = bf_db_scalar(s, "SELECT count(*) FROM row", &j->seen, "count", &err);
		bf_store_pool_release(pool, s);
		return NULL;
	}
	if ((j->rc = bf_store_begin(s, &err)) == 0) {
		j->rc = j->kind == ORPHAN ? insert(s, "INSERT INTO child (id, parent) VALUES (?, ?)", j->k, 999999)
		                          : insert(s, "INSERT INTO row (k, writer) VALUES (?, ?)", j->k, j->k);
		if (j->rc == 0 && j->kind != ROLL_BACK)
			j->rc = bf_store_commit(s, &err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(pool, s);
	return NULL;
}

/* Holds the connection in an open transaction of its own (row K0) until
 * the N jobs wait for it, then commits: the jobs then run one after the
 * other in the group it opened, or in the next. */
static int hold_then_run(long k0, struct job *jobs, int n)
{
	struct bf_error err = {0};
	struct bf_store *s = bf_store_pool_acquire(pool);
	assert_int_equal(bf_store_begin(s, &err), 0);
	assert_int_equal(insert(s, "INSERT INTO row (k, writer) VALUES (?, ?)", k0, k0), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_create(&jobs[i].thread, NULL, run_job, &jobs[i]), 0);
	until_waiting((unsigned)n);
	int rc = bf_store_commit(s, &err);
	bf_store_pool_release(pool, s);
	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_join(jobs[i].thread, NULL), 0);
	return rc;
}

static void test_queued_writers_commit_in_one_group(void **state)
{
	(void)state;
	struct bf_pool_stats before, after;
	struct job jobs[6];
	long rev = revision();
	bf_store_pool_stats(pool, &before);
	for (int i = 0; i < 6; i++)
		jobs[i] = (struct job){.kind = i == 2 ? ROLL_BACK : COMMIT, .k = 100 + i};
	assert_int_equal(hold_then_run(99, jobs, 6), 0);
	bf_store_pool_stats(pool, &after);

	for (int i = 0; i < 6; i++)
		assert_int_equal(jobs[i].rc, 0);
	/* Stored: the holder's and the five committed; not the rolled back. */
	assert_int_equal(rows("SELECT count(*) FROM row WHERE k BETWEEN 99 AND 105"), 6);
	assert_int_equal(rows("SELECT count(*) FROM row WHERE k = 102"), 0);
	assert_int_equal(revision(), rev + 6);
	assert_int_equal(after.commits - before.commits, 6);
	/* Six commits, fewer COMMITs: the holder's commit passed the
	 * connection on, and the last writer committed the rest with it. */
	assert_true(after.groups - before.groups < 6);
	assert_true(after.groups - before.groups >= 1);
	assert_int_equal(after.waiting, 0);
}

static void test_a_failed_commit_fails_every_member(void **state)
{
	(void)state;
	struct job jobs[4];
	long rev = revision();
	jobs[0] = (struct job){.kind = COMMIT, .k = 200};
	jobs[1] = (struct job){.kind = ORPHAN, .k = 201};
	jobs[2] = (struct job){.kind = COMMIT, .k = 202};
	jobs[3] = (struct job){.kind = READ};
	int holder = hold_then_run(199, jobs, 4);
	/* The orphan's savepoint is released; the group's COMMIT finds it.
	 * Every member of that group is told, the holder's first; a group
	 * after it, if the crowd split, commits on its own. */
	int failed = holder != 0;
	for (int i = 0; i < 3; i++)
		failed += jobs[i].rc != 0;
	assert_int_not_equal(jobs[1].rc, 0);
	assert_true(failed >= 1);
	long stored = rows("SELECT count(*) FROM row WHERE k BETWEEN 199 AND 202");
	long child = rows("SELECT count(*) FROM child");
	assert_int_equal(child, 0);
	/* Exactly the writers told of success are stored. */
	long told = (holder == 0) + (jobs[0].rc == 0) + (jobs[2].rc == 0);
	assert_int_equal(stored, told);
	assert_int_equal(revision(), rev + told);
	assert_int_equal(jobs[3].rc, 0);
	/* The connection is whole again: a plain write commits. */
	struct job after = {.kind = COMMIT, .k = 203};
	run_job(&after);
	assert_int_equal(after.rc, 0);
	assert_int_equal(rows("SELECT count(*) FROM row WHERE k = 203"), 1);
}

static void *crowd_writer(void *arg)
{
	long base = (long)(intptr_t)arg;
	for (long i = 0; i < 50; i++) {
		struct job j = {.kind = COMMIT, .k = base + i};
		run_job(&j);
		if (j.rc != 0)
			return (void *)1;
	}
	return NULL;
}

static void test_a_crowd_loses_nothing(void **state)
{
	(void)state;
	enum { THREADS = 8 };
	pthread_t t[THREADS];
	struct bf_pool_stats before, after;
	long rev = revision();
	bf_store_pool_stats(pool, &before);
	for (long i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, crowd_writer, (void *)(intptr_t)(10000 + i * 1000)), 0);
	for (int i = 0; i < THREADS; i++) {
		void *failed;
		assert_int_equal(pthread_join(t[i], &failed), 0);
		assert_null(failed);
	}
	bf_store_pool_stats(pool, &after);
	assert_int_equal(rows("SELECT count(*) FROM row WHERE k >= 10000"), THREADS * 50);
	assert_int_equal(revision(), rev + THREADS * 50);
	assert_int_equal(after.commits - before.commits, THREADS * 50);
	assert_true(after.groups - before.groups <= after.commits - before.commits);
	printf("# %d commits in %llu groups\n", THREADS * 50, (unsigned long long)(after.groups - before.groups));
}

/* A writer that never pauses: each commit adds a row the size of most of a
 * page, so that the log grows by a page or more a commit. */
enum { STEADY_THREADS = 4, STEADY_COMMITS = 2500 };

static void *steady_writer(void *arg)
{
	long base = (long)(intptr_t)arg;
	struct bf_error err = {0};
	for (long i = 0; i < STEADY_COMMITS; i++) {
		struct bf_store *s = bf_store_pool_acquire(pool);
		int rc = bf_store_begin(s, &err);
		if (rc == 0)
			rc = insert(s, "INSERT INTO wide (k, data) VALUES (?, randomblob(3500 + ?))", base + i, 0);
		if (rc == 0)
			rc = bf_store_commit(s, &err);
		else
			bf_store_rollback(s);
		bf_store_pool_release(pool, s);
		if (rc)
			return (void *)1;
	}
	return NULL;
}

static void test_the_log_starts_again_under_steady_writes(void **state)
{
	(void)state;
	struct bf_error err = {0};
	struct bf_store *s = bf_store_pool_acquire(pool);
	assert_int_equal(bf_db_exec(s, "CREATE TABLE wide (k INTEGER PRIMARY KEY, data BLOB NOT NULL)", &err), 0);
	bf_store_pool_release(pool, s);

	pthread_t t[STEADY_THREADS];
	for (long i = 0; i < STEADY_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, steady_writer, (void *)(intptr_t)(i * 100000)), 0);
	for (int i = 0; i < STEADY_THREADS; i++) {
		void *failed;
		assert_int_equal(pthread_join(t[i], &failed), 0);
		assert_null(failed);
	}
	assert_int_equal(rows("SELECT count(*) FROM wide"), STEADY_THREADS * STEADY_COMMITS);
	/* 10,000 commits wrote at least as many pages, 40 MB of log: a log
	 * that never started again would be as long. The file keeps the
	 * longest length the log has had. */
	char wal[1100];
	struct stat st;
	snprintf(wal, sizeof(wal), "%s-wal", url);
	assert_int_equal(stat(wal, &st), 0);
	printf("# the log's file: %.1f MB after %d commits\n", (double)st.st_size / 1e6,
	       STEADY_THREADS * STEADY_COMMITS);
	assert_true(st.st_size < 16 * 1024 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_queued_writers_commit_in_one_group),
	    cmocka_unit_test(test_a_failed_commit_fails_every_member),
	    cmocka_unit_test(test_a_crowd_loses_nothing),
	    cmocka_unit_test(test_the_log_starts_again_under_steady_writes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
