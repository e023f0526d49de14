/* A mutex-guarded stack of open connections, and group commit on a pool
 * of one (pool.h). */
#include "store/pool.h"

#include "model/worker.h"

#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A thread waiting for the open group to end: a member for its result,
 * or a thread that read while it was open. */
struct member {
	bool ended;
	int rc;
	char message[sizeof(((struct bf_error *)0)->message)];
	struct member *next;
};

/* A thread waiting for a connection: give() hands it one directly and
 * wakes it alone. */
struct waiter {
	pthread_cond_t given;
	struct bf_store *s;
	struct waiter *next;
};

struct bf_store_pool {
	pthread_mutex_t lock;
	unsigned size, n_free;
	struct bf_store **all;
	struct bf_store **free_list;
	unsigned waiting;            /* threads blocked in acquire */
	struct waiter *first, *last; /* they are served in the order they came */
	/* Group commit (grouped pools only). OPEN and the fields below change
	 * under LOCK, by the thread holding the connection. */
	bool grouped;
	bool open;               /* the group's transaction is open */
	unsigned members;        /* commits joined to it */
	struct member *awaiting; /* threads waiting for it to end */
	pthread_cond_t ended;
	uint64_t groups, commits; /* committed so far */
	/* Pipelined syncs (pool.h): set when the connection's database is a
	 * file in WAL mode. WRITTEN counts groups committed to the log, SYNCED
	 * those known to be on disk; one thread at a time (SYNCING) syncs. */
	bool piped, syncing;
	uint64_t written, synced;
	char *wal_path;
	int wal_fd; /* -1 until the first sync */
	/* The checkpointer (checkpoints): its connection and its thread, whose
	 * lock guards the orders and the passes' outcome below. */
	struct bf_store *ckpt;
	struct bf_worker ckpt_worker; /* the checkpointer; its lock guards the ckpt_ fields */
	bool ckpt_due;
	bool ckpt_running;  /* a pass is under way */
	bool ckpt_passed;   /* a pass has ended since the writer last looked */
	bool ckpt_progress; /* it copied frames the pass before it had not */
	int ckpt_chain;     /* passes ordered one after the other since the last order by length */
	int ckpt_copied;    /* the log's frames copied into the database so far */
	int ckpt_mark;      /* the log's length in pages at the last order (the writer's) */
};

/* Whether S's database is a file in WAL mode. */
static bool in_wal(struct bf_store *s)
{
	sqlite3_stmt *st;
	bool wal = false;
	const char *file = sqlite3_db_filename(s->db, "main");
	if (file == NULL || file[0] == '\0' ||
	    sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *mode = (const char *)sqlite3_column_text(st, 0);
		wal = mode && strcmp(mode, "wal") == 0;
	}
	sqlite3_finalize(st);
	return wal;
}

/* Checkpoints (copying the log's pages into the database file and
 * syncing it, about 10 ms for a thousand pages) run on a connection and a
 * thread of their own, beside the writer: run by the writer, as SQLite
 * does by default at the commit that finds the log past a thousand pages,
 * each held every writer queued behind it. The writer's commit only says
 * when one is due (on_log_grown). A pass is PASSIVE, as SQLite's own: it
 * copies what no reader still needs and never waits for anyone.
 *
 * The log starts again from its beginning only at a write that finds all
 * of it copied, and a pass beside the writer never can leave it so: the
 * writer commits while it runs. Under steady writes the log would grow
 * without end (hundreds of megabytes in a minute of bookings), and every
 * sync of a growing file also waits for the file system's journal. So
 * passes follow each other while each shortens what is left, and once
 * what is left is short (CATCHUP_PAGES) the writer copies it itself, in
 * its own turn, with nothing written meanwhile: a wait of a few hundred
 * pages' copy and two syncs (the log's, then the database's) for the
 * writers queued, 5 to 20 ms under load, once for every CHECKPOINT_PAGES
 * or so, after which the log starts again and keeps its size. */
#define CHECKPOINT_PAGES 1000
#define CATCHUP_PAGES    200
/* After this many passes in a row the writer copies what is left whatever
 * its length: on a disk too slow for the passes to gain on the writes,
 * they would follow each other for ever and the log never start again. */
#define CHAIN_MAX        4
/* The log file's length kept when it starts again (SQLite truncates a
 * longer one then): a reader that held the log from starting again for a
 * while may have let it grow. */
#define LOG_KEPT_BYTES   (64 * 1024 * 1024)

static void checkpointer(struct bf_worker *w)
{
	struct bf_store_pool *p = w->arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		bool go_on = true;
		while (go_on && !p->ckpt_due)
			go_on = bf_worker_sleep(w, -1);
		if (!go_on || w->stopping)
			break;
		p->ckpt_due = false;
		p->ckpt_running = true;
		pthread_mutex_unlock(&p->ckpt_worker.lock);
		/* A failure (the disk, a checkpoint of another process under
		 * way) leaves the log as it is: the next commit asks again. */
		int copied = -1;
		int rc = sqlite3_wal_checkpoint_v2(p->ckpt->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, &copied);
		pthread_mutex_lock(&p->ckpt_worker.lock);
		p->ckpt_running = false;
		if (rc == SQLITE_OK && copied >= 0) {
			p->ckpt_progress = copied > p->ckpt_copied;
			p->ckpt_copied = copied;
			p->ckpt_passed = true;
		}
	}
	pthread_mutex_unlock(&w->lock);
}

/* Under CKPT_LOCK. */
static void order_pass(struct bf_store_pool *p)
{
	p->ckpt_due = true;
	bf_worker_signal(&p->ckpt_worker);
}

/* SQLite's hook after each commit on the writer, with the log's length in
 * pages; it replaces the writer's automatic checkpoints. A pass is ordered
 * for each thousand pages the log has grown by since the last order, and
 * again at once after a pass that copied something while too much is left
 * for the writer to copy (above); a log that readers keep from being
 * copied is not checkpointed again at each commit for a few pages more. */
static int on_log_grown(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct bf_store_pool *p = arg;
	bool catch_up = false;
	pthread_mutex_lock(&p->ckpt_worker.lock);
	if (pages < p->ckpt_mark || pages < p->ckpt_copied) {
		p->ckpt_mark = 0; /* the log has started again */
		p->ckpt_copied = 0;
	}
	bool idle = !p->ckpt_due && !p->ckpt_running;
	if (idle && p->ckpt_passed) {
		p->ckpt_passed = false;
		if (pages - p->ckpt_copied <= CATCHUP_PAGES || p->ckpt_chain >= CHAIN_MAX) {
			catch_up = true;
		} else if (p->ckpt_progress) {
			p->ckpt_chain++;
			order_pass(p);
		}
	} else if (idle && pages >= p->ckpt_mark + CHECKPOINT_PAGES) {
		p->ckpt_mark = pages;
		p->ckpt_chain = 0;
		order_pass(p);
	}
	pthread_mutex_unlock(&p->ckpt_worker.lock);
	/* No pass is under way or ordered, and none is ordered but here (the
	 * writer's), so the checkpointer stays idle meanwhile. SQLite's own
	 * automatic checkpoints run here too, in this hook. */
	if (catch_up)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

/* A grouped connection S on a file in WAL mode commits without waiting
 * for the disk (synchronous = NORMAL: the log is still synced before each
 * checkpoint), the pool syncs the log itself (await_durable), and
 * checkpoints run beside it. */
static int pipe_syncs(struct bf_store_pool *p, const char *url, struct bf_store *s, struct bf_error *err)
{
	if (!in_wal(s))
		return BF_OK;
	char pragmas[96];
	snprintf(pragmas, sizeof(pragmas), "PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = %d",
	         LOG_KEPT_BYTES);
	int rc = bf_db_exec(s, pragmas, err);
	if (rc == BF_OK)
		rc = bf_store_open(url, &p->ckpt, err);
	if (rc)
		return rc;
	if (bf_worker_start(&p->ckpt_worker, checkpointer, p) != BF_OK) {
		bf_store_close(p->ckpt);
		return bf_error_set(err, BF_ESTORE, "", "cannot start the checkpointer thread");
	}
	p->wal_path = bf_xstrdup(sqlite3_filename_wal(sqlite3_db_filename(s->db, "main")));
	p->piped = true;
	sqlite3_wal_hook(s->db, on_log_grown, p);
	return BF_OK;
}

static void stop_checkpointer(struct bf_store_pool *p)
{
	if (!p->piped)
		return;
	bf_worker_stop(&p->ckpt_worker);
	bf_store_close(p->ckpt);
	if (p->wal_fd >= 0)
		close(p->wal_fd);
	free(p->wal_path);
}

/* A grouped connection's transactions (below), which the pool sets as its
 * connections' group_ops (db.h): bf_store_begin, bf_store_commit and
 * bf_store_rollback (transaction.c) and the statement layer reach them
 * through it. */
static int group_begin(struct bf_store *s, struct bf_error *err);
static int group_commit(struct bf_store *s, struct bf_error *err);
static void group_rollback(struct bf_store *s);
/* A member whose commit passed the connection on takes it back before it
 * runs anything on it again. */
static void group_hold(struct bf_store *s);

static const struct bf_store_group_ops group_ops = {
    .begin = group_begin,
    .commit = group_commit,
    .rollback = group_rollback,
    .hold = group_hold,
};

static int pool_open(const char *url, unsigned size, bool grouped, struct bf_store_pool **out, struct bf_error *err)
{
	struct bf_store_pool *p = bf_xcalloc(1, sizeof(*p));
	*out = NULL;
	p->wal_fd = -1;
	if (size == 0)
		size = 1;
	p->all = bf_xcalloc(size, sizeof(struct bf_store *));
	p->free_list = bf_xcalloc(size, sizeof(struct bf_store *));
	for (unsigned i = 0; i < size; i++) {
		int rc = bf_store_open(url, &p->all[i], err);
		/* Savepoints keep the pages they change in a sub-journal: on the
		 * grouped connection, in memory, not in a temporary file made and
		 * removed for each writer. */
		if (rc == BF_OK && grouped) {
			rc = p->all[i]->db == NULL ? bf_error_set(err, BF_EINVAL, "db", "group commit is for SQLite")
			                           : bf_db_exec(p->all[i], "PRAGMA temp_store = MEMORY", err);
			if (rc == BF_OK)
				rc = pipe_syncs(p, url, p->all[i], err);
			if (rc)
				bf_store_close(p->all[i]);
		}
		if (rc) {
			for (unsigned j = 0; j < i; j++)
				bf_store_close(p->all[j]);
			free(p->all);
			free(p->free_list);
			free(p);
			return rc;
		}
		p->all[i]->group = grouped ? p : NULL;
		p->all[i]->group_ops = grouped ? &group_ops : NULL;
		p->free_list[i] = p->all[i];
	}
	p->size = p->n_free = size;
	p->grouped = grouped;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ended, NULL);
	*out = p;
	return BF_OK;
}

int bf_store_pool_open(const char *url, unsigned size, struct bf_store_pool **out, struct bf_error *err)
{
	return pool_open(url, size, false, out, err);
}

int bf_store_pool_open_grouped(const char *url, struct bf_store_pool **out, struct bf_error *err)
{
	return pool_open(url, 1, true, out, err);
}

void bf_store_pool_close(struct bf_store_pool *p)
{
	if (p == NULL)
		return;
	stop_checkpointer(p);
	for (unsigned i = 0; i < p->size; i++)
		bf_store_close(p->all[i]);
	pthread_cond_destroy(&p->ended);
	pthread_mutex_destroy(&p->lock);
	free(p->all);
	free(p->free_list);
	free(p);
}

/* The grouped connection a member of a group passed on and has not taken
 * back (group_commit): the thread takes it again only if it uses
 * it before it releases it (group_hold). */
static __thread struct bf_store *lent;

/* The connection this thread has pinned (bf_store_pool_pin), and how many
 * times it was taken again since. */
static __thread struct bf_store *pinned;
static __thread unsigned pinned_takes;

void bf_store_pool_pin(struct bf_store *s)
{
	pinned = s;
	pinned_takes = 0;
	s->pinned = true;
	s->nested = 0;
}

void bf_store_pool_unpin(struct bf_store *s)
{
	/* A savepoint a use case left open is undone, never committed. */
	while (s->nested > 0)
		bf_store_rollback(s);
	s->pinned = false;
	pinned = NULL;
}

/* Under LOCK: first come, first served, so that no thread waits behind
 * ones that came after it; a connection given back goes to the first in
 * line, and only that thread is woken. */
static struct bf_store *take(struct bf_store_pool *p)
{
	struct bf_store *s;
	if (p->n_free > 0 && p->first == NULL) {
		s = p->free_list[--p->n_free];
	} else {
		struct waiter w = {.s = NULL};
		pthread_cond_init(&w.given, NULL);
		/* W leaves the line (give) before this function returns. */
		if (p->last)
			p->last->next = &w;
		else
			p->first = &w; // cppcheck-suppress autoVariables
		p->last = &w;          // cppcheck-suppress autoVariables
		p->waiting++;
		while (w.s == NULL)
			pthread_cond_wait(&w.given, &p->lock);
		pthread_cond_destroy(&w.given);
		s = w.s;
	}
	s->used = false;
	return s;
}

/* Under LOCK. */
static void give(struct bf_store_pool *p, struct bf_store *s)
{
	struct waiter *w = p->first;
	if (w == NULL) {
		p->free_list[p->n_free++] = s;
		return;
	}
	if ((p->first = w->next) == NULL)
		p->last = NULL;
	p->waiting--;
	w->s = s;
	pthread_cond_signal(&w->given);
}

/* Under LOCK: waits until the open group has ended; M's rc and message
 * then hold its result. */
static void await_end(struct bf_store_pool *p, struct member *m)
{
	m->next = p->awaiting;
	p->awaiting = m;
	while (!m->ended)
		pthread_cond_wait(&p->ended, &p->lock);
}

/* Under LOCK: a group of N commits has ended with RC (and MESSAGE); its
 * waiting threads, MEMBERS, are told. */
static void end_group(struct bf_store_pool *p, struct member *members, unsigned n, int rc, const char *message)
{
	if (rc == BF_OK && n > 0) {
		p->groups++;
		p->commits += n;
	}
	for (struct member *m = members; m != NULL; m = m->next) {
		m->rc = rc;
		bf_strlcpy(m->message, message, sizeof(m->message));
		m->ended = true;
	}
	pthread_cond_broadcast(&p->ended);
}

/* Syncs the log to disk. Our own descriptor of the -wal file: fdatasync
 * acts on the file, whichever descriptor names it. The log is never
 * removed while this process has the database open (SQLite removes it at
 * the last connection's close), but a descriptor of a removed file would
 * sync nothing, so it is opened again if it names one. */
static int sync_log(struct bf_store_pool *p)
{
	struct stat st;
	if (p->wal_fd >= 0 && (fstat(p->wal_fd, &st) != 0 || st.st_nlink == 0)) {
		close(p->wal_fd);
		p->wal_fd = -1;
	}
	if (p->wal_fd < 0 && (p->wal_fd = open(p->wal_path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	return fdatasync(p->wal_fd);
}

/* Under LOCK: returns once the log is on disk up to the group numbered
 * SEQ. One thread syncs at a time, for every group written before it
 * began; the groups committed meanwhile wait for it and share the next
 * sync. */
static void await_durable(struct bf_store_pool *p, uint64_t seq)
{
	while (p->synced < seq) {
		if (p->syncing) {
			pthread_cond_wait(&p->ended, &p->lock);
			continue;
		}
		uint64_t upto = p->written;
		p->syncing = true;
		pthread_mutex_unlock(&p->lock);
		if (sync_log(p) != 0) {
			/* Rows other connections may already read are not on disk,
			 * and the kernel may have dropped them: no answer of this
			 * process can be trusted as stored any more. A restart
			 * recovers what the disk holds. */
			fprintf(stderr, "borderflow: syncing the store's log %s failed: %s; stopping\n", p->wal_path,
			        strerror(errno));
			abort();
		}
		pthread_mutex_lock(&p->lock);
		p->syncing = false;
		p->synced = upto;
		pthread_cond_broadcast(&p->ended);
	}
}

/* Commits the open group on S, which the caller holds. Pipelined, the
 * connection is passed on as soon as the COMMIT has returned, and the
 * caller waits for the disk without it (it takes it back with
 * group_hold(); bf_store_pool_release() does nothing then). */
static int commit_group(struct bf_store_pool *p, struct bf_store *s, struct bf_error *err)
{
	int rc;
	if (sqlite3_get_autocommit(s->db)) {
		/* The engine rolled the transaction back (an I/O error, a full
		 * disk): what the group wrote is lost, and its members are told. */
		rc = bf_error_set(err, BF_ESTORE, "", "commit: the transaction was rolled back: %s", s->errmsg);
	} else if ((rc = bf_db_exec(s, "COMMIT", err)) != 0) {
		struct bf_error ignored;
		bf_error_prefix(err, "commit");
		if (!sqlite3_get_autocommit(s->db))
			bf_db_exec(s, "ROLLBACK", &ignored);
	}
	pthread_mutex_lock(&p->lock);
	struct member *members = p->awaiting;
	unsigned n = p->members;
	p->awaiting = NULL;
	p->open = false;
	p->members = 0;
	if (rc == BF_OK && p->piped) {
		uint64_t seq = ++p->written;
		give(p, s);
		lent = s;
		await_durable(p, seq);
	}
	end_group(p, members, n, rc, rc ? err->message : "");
	pthread_mutex_unlock(&p->lock);
	return rc;
}

void bf_store_pool_stats(struct bf_store_pool *p, struct bf_pool_stats *out)
{
	pthread_mutex_lock(&p->lock);
	*out = (struct bf_pool_stats){.waiting = p->waiting, .groups = p->groups, .commits = p->commits};
	pthread_mutex_unlock(&p->lock);
}

struct bf_store *bf_store_pool_acquire(struct bf_store_pool *p)
{
	if (pinned != NULL) {
		pinned_takes++;
		return pinned;
	}
	pthread_mutex_lock(&p->lock);
	struct bf_store *s = take(p);
	pthread_mutex_unlock(&p->lock);
	return s;
}

void bf_store_pool_release(struct bf_store_pool *p, struct bf_store *s)
{
	if (s == pinned && pinned_takes > 0) {
		pinned_takes--;
		return;
	}
	if (lent == s) {
		lent = NULL; /* passed on in group_commit() already */
		return;
	}
	/* A writer's savepoint left open is undone, never committed with
	 * the group. */
	if (s->group && s->in_tx)
		group_rollback(s);
	pthread_mutex_lock(&p->lock);
	if (p->grouped && p->open) {
		if (p->waiting == 0 || p->members >= BF_GROUP_MAX) {
			/* No one else to pass it to: the group ends here. */
			struct bf_error ignored;
			pthread_mutex_unlock(&p->lock);
			commit_group(p, s, &ignored);
			if (lent == s) {
				lent = NULL; /* passed on while the log was synced */
				return;
			}
			pthread_mutex_lock(&p->lock);
		} else if (s->used) {
			struct member m = {0};
			give(p, s);
			await_end(p, &m);
			pthread_mutex_unlock(&p->lock);
			return;
		}
	}
	give(p, s);
	pthread_mutex_unlock(&p->lock);
}

static void group_hold(struct bf_store *s)
{
	if (lent != s)
		return;
	struct bf_store_pool *p = s->group;
	pthread_mutex_lock(&p->lock);
	take(p); /* the pool's one connection: S */
	pthread_mutex_unlock(&p->lock);
	lent = NULL;
}

static int group_begin(struct bf_store *s, struct bf_error *err)
{
	struct bf_store_pool *p = s->group;
	int rc;
	group_hold(s);
	if (p->open && sqlite3_get_autocommit(s->db)) {
		/* Lost under the group (commit_group): end it before a new one. */
		struct bf_error lost;
		commit_group(p, s, &lost);
	}
	if (!p->open) {
		if ((rc = bf_db_exec(s, "BEGIN IMMEDIATE", err)) != 0)
			return rc;
		pthread_mutex_lock(&p->lock);
		p->open = true;
		pthread_mutex_unlock(&p->lock);
	}
	s->used = true;
	if ((rc = bf_db_exec(s, "SAVEPOINT bf_write", err)) != 0)
		return rc;
	bf_db_mark(s);
	s->in_tx = true;
	return BF_OK;
}

static void group_rollback(struct bf_store *s)
{
	group_hold(s);
	if (!s->in_tx)
		return;
	/* Fails, harmlessly, when the engine has rolled back the whole
	 * transaction: the group's commit finds that out. */
	struct bf_error ignored;
	bf_db_exec(s, "ROLLBACK TO bf_write; RELEASE bf_write", &ignored);
	s->in_tx = false;
}

static int group_commit(struct bf_store *s, struct bf_error *err)
{
	struct bf_store_pool *p = s->group;
	int rc = bf_db_exec(s, bf_db_wrote(s) ? BF_DB_REVISION_BUMP "RELEASE bf_write" : "RELEASE bf_write", err);
	if (rc) {
		bf_error_prefix(err, "commit");
		group_rollback(s);
		return rc;
	}
	s->in_tx = false;
	pthread_mutex_lock(&p->lock);
	p->members++;
	if (p->waiting == 0 || p->members >= BF_GROUP_MAX) {
		pthread_mutex_unlock(&p->lock);
		return commit_group(p, s, err);
	}
	/* Pass the connection on; the group ends later, by another writer's
	 * hand. The caller takes it back only if it uses it again. */
	struct member m = {0};
	give(p, s);
	await_end(p, &m);
	pthread_mutex_unlock(&p->lock);
	lent = s;
	if (m.rc)
		return bf_error_set(err, m.rc, "", "%s", m.message);
	return BF_OK;
}
