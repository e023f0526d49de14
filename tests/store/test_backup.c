/* Online backup and restore of the SQLite store on real files: the copy
 * is the committed state when it began (a write in progress is not in
 * it), an existing file is never overwritten by a backup, a restore is
 * refused while the database is open and over an existing one without
 * FORCE, and a failed restore leaves nothing behind. */
#include "util/testutil.h"

#include "store/store.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *dir;

static void put_party(struct bf_store *s, const char *id)
{
	struct bf_error err = {0};
	struct bf_party p = {.role = BF_ROLE_CARRIER};
	bf_strlcpy(p.id, id, sizeof(p.id));
	bf_strlcpy(p.name, id, sizeof(p.name));
	bf_strlcpy(p.country, "VN", sizeof(p.country));
	assert_int_equal(bf_store_party_put(s, &p, 1700000000, &err), 0);
}

static bool has_party(const char *db, const char *id)
{
	struct bf_error err = {0};
	struct bf_store *s;
	struct bf_party p;
	assert_int_equal(bf_store_open(db, &s, &err), 0);
	int rc = bf_store_party_get(s, id, &p, &err);
	bf_store_close(s);
	assert_true(rc == BF_OK || rc == BF_ENOTFOUND);
	return rc == BF_OK;
}

static bool exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static void test_backup_and_restore(void **state)
{
	(void)state;
	char *live = strdup(tu_path(dir, "live.db")), *copy = strdup(tu_path(dir, "copy.db"));
	char *fresh = strdup(tu_path(dir, "fresh.db")), *junk = strdup(tu_path(dir, "junk"));
	char *none = strdup(tu_path(dir, "none.db"));
	struct bf_error err = {0};
	struct bf_store *s;

	assert_int_equal(bf_store_open(live, &s, &err), 0);
	put_party(s, "committed");
	/* A write under way while the backup runs: not in the copy. */
	assert_int_equal(bf_store_begin(s, &err), 0);
	put_party(s, "in-progress");
	assert_int_equal(bf_store_backup(live, copy, &err), 0);
	assert_int_equal(bf_store_commit(s, &err), 0);

	assert_true(has_party(copy, "committed"));
	assert_false(has_party(copy, "in-progress"));
	assert_int_equal(bf_store_backup(live, copy, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "out");
	assert_int_equal(bf_store_backup(none, fresh, &err), BF_ENOTFOUND);
	assert_false(exists(fresh));
	assert_false(exists(none));

	/* The live database is open here: refused, even with FORCE. */
	assert_int_equal(bf_store_restore(copy, live, true, &err), BF_ECONFLICT);
	assert_non_null(strstr(err.message, "in use"));
	bf_store_close(s);
	assert_true(has_party(live, "in-progress"));
	assert_int_equal(bf_store_restore(copy, live, false, &err), BF_ECONFLICT);
	assert_non_null(strstr(err.message, "--force"));
	assert_int_equal(bf_store_restore(copy, live, true, &err), 0);
	assert_true(has_party(live, "committed"));
	assert_false(has_party(live, "in-progress"));

	/* To a new file no FORCE is needed; a file that is not a database
	 * restores nothing and creates nothing. */
	assert_int_equal(bf_store_restore(copy, fresh, false, &err), 0);
	assert_true(has_party(fresh, "committed"));
	tu_write_file(junk, "not a database, only text that is long enough to look like a header\n");
	assert_int_not_equal(bf_store_restore(junk, none, false, &err), 0);
	assert_false(exists(none));
	assert_int_equal(bf_store_restore(none, fresh, true, &err), BF_ENOTFOUND);
	assert_true(has_party(fresh, "committed"));

	free(live);
	free(copy);
	free(fresh);
	free(junk);
	free(none);
}

int main(void)
{
	dir = strdup(tu_tmpdir("store-backup"));
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backup_and_restore),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free((void *)dir);
	return rc;
}
