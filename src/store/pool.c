/* A mutex-guarded stack of open connections, and group commit on a pool
 * of one (pool.h). */
#include "store/pool.h"

#include "store/db.h"

#include <pthread.h>
#include <stdlib.h>

/* A thread waiting for the open group to end: a member for its result,
 * or a thread that read while it was open. */
struct member {
	bool ended;
	int rc;
	char message[sizeof(((struct bf_error *)0)->message)];
	struct member *next;
};

struct bf_store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned size, n_free;
	struct bf_store **all;
	struct bf_store **free_list;
	unsigned waiting;               /* threads blocked in acquire */
	unsigned long tickets, serving; /* waiters are served in the order they came */
	/* Group commit (grouped pools only). OPEN and the fields below change
	 * under LOCK, by the thread holding the connection. */
	bool grouped;
	bool open;               /* the group's transaction is open */
	unsigned members;        /* commits joined to it */
	struct member *awaiting; /* threads waiting for it to end */
	pthread_cond_t ended;
	uint64_t groups, commits; /* committed so far */
};

static int pool_open(const char *url, unsigned size, bool grouped, struct bf_store_pool **out, struct bf_error *err)
{
	struct bf_store_pool *p = bf_xcalloc(1, sizeof(*p));
	*out = NULL;
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
		p->free_list[i] = p->all[i];
	}
	p->size = p->n_free = size;
	p->grouped = grouped;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
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
	for (unsigned i = 0; i < p->size; i++)
		bf_store_close(p->all[i]);
	pthread_cond_destroy(&p->ended);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p->all);
	free(p->free_list);
	free(p);
}

/* The grouped connection a member of a group passed on and has not taken
 * back (bf_store_group_commit): the thread takes it again only if it uses
 * it before it releases it (bf_store_group_hold). */
static __thread struct bf_store *lent;

/* Under LOCK: first come, first served, so that no thread waits behind
 * ones that came after it. */
static struct bf_store *take(struct bf_store_pool *p)
{
	unsigned long ticket = p->tickets++;
	while (p->n_free == 0 || p->serving != ticket) {
		p->waiting++;
		pthread_cond_wait(&p->freed, &p->lock);
		p->waiting--;
	}
	p->serving++;
	struct bf_store *s = p->free_list[--p->n_free];
	s->used = false;
	/* The next in line may be served at once if another is free. */
	if (p->n_free > 0 && p->waiting > 0)
		pthread_cond_broadcast(&p->freed);
	return s;
}

/* Under LOCK. */
static void give(struct bf_store_pool *p, struct bf_store *s)
{
	p->free_list[p->n_free++] = s;
	if (p->waiting > 0)
		pthread_cond_broadcast(&p->freed);
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

/* Under LOCK: the open group has ended with RC (and MESSAGE). */
static void end_group(struct bf_store_pool *p, int rc, const char *message)
{
	if (rc == BF_OK && p->members > 0) {
		p->groups++;
		p->commits += p->members;
	}
	for (struct member *m = p->awaiting; m != NULL; m = m->next) {
		m->rc = rc;
		bf_strlcpy(m->message, message, sizeof(m->message));
		m->ended = true;
	}
	p->awaiting = NULL;
	p->open = false;
	p->members = 0;
	pthread_cond_broadcast(&p->ended);
}

/* Commits the open group on S, which the caller holds. */
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
	end_group(p, rc, rc ? err->message : "");
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
	pthread_mutex_lock(&p->lock);
	struct bf_store *s = take(p);
	pthread_mutex_unlock(&p->lock);
	return s;
}

void bf_store_pool_release(struct bf_store_pool *p, struct bf_store *s)
{
	if (lent == s) {
		lent = NULL; /* passed on in bf_store_group_commit() already */
		return;
	}
	/* A writer's savepoint left open is undone, never committed with
	 * the group. */
	if (s->group && s->in_tx)
		bf_store_group_rollback(s);
	pthread_mutex_lock(&p->lock);
	if (p->grouped && p->open) {
		if (p->waiting == 0 || p->members >= BF_GROUP_MAX) {
			/* No one else to pass it to: the group ends here. */
			struct bf_error ignored;
			pthread_mutex_unlock(&p->lock);
			commit_group(p, s, &ignored);
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

void bf_store_group_hold(struct bf_store *s)
{
	if (lent != s)
		return;
	struct bf_store_pool *p = s->group;
	pthread_mutex_lock(&p->lock);
	take(p); /* the pool's one connection: S */
	pthread_mutex_unlock(&p->lock);
	lent = NULL;
}

int bf_store_group_begin(struct bf_store *s, struct bf_error *err)
{
	struct bf_store_pool *p = s->group;
	int rc;
	bf_store_group_hold(s);
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

void bf_store_group_rollback(struct bf_store *s)
{
	bf_store_group_hold(s);
	if (!s->in_tx)
		return;
	/* Fails, harmlessly, when the engine has rolled back the whole
	 * transaction: the group's commit finds that out. */
	struct bf_error ignored;
	bf_db_exec(s, "ROLLBACK TO bf_write; RELEASE bf_write", &ignored);
	s->in_tx = false;
}

int bf_store_group_commit(struct bf_store *s, struct bf_error *err)
{
	struct bf_store_pool *p = s->group;
	int rc = bf_db_exec(s, bf_db_wrote(s) ? BF_DB_REVISION_BUMP "RELEASE bf_write" : "RELEASE bf_write", err);
	if (rc) {
		bf_error_prefix(err, "commit");
		bf_store_group_rollback(s);
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
