/* Versioned schema migrations. Migration N takes a database from
 * version N-1 to N; the version lives in the database itself, so applying
 * them twice changes nothing. */
#ifndef BF_STORE_MIGRATIONS_H
#define BF_STORE_MIGRATIONS_H

#include <stddef.h>

struct bf_migration {
	int version;
	const char *summary;
	const char *sql;    /* in SQLite's words; db.c translates it for PostgreSQL */
	const char *pg;     /* run after it on PostgreSQL only, or NULL */
	const char *sqlite; /* run after it on SQLite only, or NULL */
};

extern const struct bf_migration bf_migrations[];
extern const size_t bf_migrations_len;

#endif
