/* A fixed set of store connections shared by the server's threads: a
 * thread takes one for a request and gives it back.
 *
 * Group commit (bf_store_pool_open_grouped: one SQLite connection, this
 * process's writers). A durable commit waits for the disk, about a
 * millisecond on a common server disk: one for each booking would hold
 * bookings near a thousand a second whatever the processors can do. So
 * writers that queue for the connection share one transaction, the group:
 * - bf_store_begin() opens the group's transaction if none is open, and a
 *   savepoint of the writer's own in it; bf_store_rollback() undoes that
 *   savepoint only;
 * - bf_store_commit() releases the savepoint and, while another writer
 *   waits for the connection (and the group is under BF_GROUP_MAX),
 *   passes the connection on and waits; the writer that finds no one
 *   waiting commits the group, and every member's bf_store_commit()
 *   returns that COMMIT's result. No member is told of success before
 *   the group's COMMIT has returned, durably. A member takes the
 *   connection back only if it runs a statement on it again before it
 *   releases it.
 * Waiters for the connection are served in the order they came.
 *
 * Pipelined syncs (a database file in WAL mode): the group's COMMIT only
 * writes the log (synchronous = NORMAL on this connection); the writer
 * that committed passes the connection on at once and syncs the log
 * itself (fdatasync), and the members are told of success only after
 * that sync has returned. The next group runs while the disk works; a
 * sync covers every group committed before it began, so groups committed
 * while one runs share the next. Other connections can read a group's
 * rows during that sync, before its members are answered: such a read is
 * not an acknowledgement, and any write that depends on those rows is
 * answered only after a later sync, which covers them too. A sync that
 * fails stops the process (abort): rows that others may have read might
 * not be on disk, and a restart recovers what is. Checkpoints run on a
 * thread and a connection of the pool's own, not inside a commit.
 * Writers still run one at a time, each seeing every write before it, so
 * every check made in a transaction holds as it did; a group is committed
 * or lost as one. A thread that ran a statement on the connection while a
 * group was open (it may have read what the group wrote) waits at
 * bf_store_pool_release() until that group has ended, so that its answer
 * is not sent before the writes it saw are durable; if that COMMIT fails
 * (a full disk, an I/O error), an answer such a thread gave without
 * writing (a refusal) still stands.
 *
 * Limits: a constraint checked at COMMIT only (DEFERRABLE, none in the
 * schema) would fail every member of its group; after a member's commit
 * has passed the connection on, only bf_db_exec() and bf_db_prepare() take
 * it back, so no statement may be stepped or read across a commit. */
#ifndef BF_STORE_POOL_H
#define BF_STORE_POOL_H

#include "store/store.h"

#include <stdint.h>

/* Commits a group may hold before it is committed though writers wait. */
#define BF_GROUP_MAX 64

struct bf_store_pool;

/* Opens SIZE connections to URL up front (the first applies migrations),
 * so a bad URL fails at start-up and not on the first request. */
int bf_store_pool_open(const char *url, unsigned size, struct bf_store_pool **out, struct bf_error *err);
/* One SQLite connection that commits in groups (above). */
int bf_store_pool_open_grouped(const char *url, struct bf_store_pool **out, struct bf_error *err);
/* Closes every connection; none may be taken out. */
void bf_store_pool_close(struct bf_store_pool *p);
/* Waits for a free connection and hands it out; it stays the caller's
 * until bf_store_pool_release(). */
struct bf_store *bf_store_pool_acquire(struct bf_store_pool *p);
void bf_store_pool_release(struct bf_store_pool *p, struct bf_store *s);

/* One transaction for a whole request (service/idempotency.c). S is a
 * connection the calling thread holds, with a transaction it has begun.
 * Until bf_store_pool_unpin(S), every connection the thread takes, from
 * any pool, is S, and bf_store_pool_release() of it gives nothing back;
 * a transaction begun on S is a savepoint inside the open one: its commit
 * releases the savepoint and waits for nothing, its rollback undoes only
 * it. The thread then commits or rolls back the whole as it would any
 * transaction: what the use cases it ran wrote is written together, or
 * not at all, and others see none of it before. Reads see the request's
 * own writes. One pin a thread at a time. */
void bf_store_pool_pin(struct bf_store *s);
void bf_store_pool_unpin(struct bf_store *s);

/* What a pool has done: threads waiting for a connection now; on a
 * grouped pool, groups committed and the commits they held. */
struct bf_pool_stats {
	unsigned waiting;
	uint64_t groups, commits;
};
void bf_store_pool_stats(struct bf_store_pool *p, struct bf_pool_stats *out);

/* A grouped pool's connections commit through the operations it sets on
 * them (struct bf_store_group_ops, db.h), never by name. */

#endif
