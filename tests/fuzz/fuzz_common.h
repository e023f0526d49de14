/* What the fuzz harnesses share: a real service on a SQLite file in a
 * scratch directory of their own (never the source tree), opened once per
 * process and removed at exit. */
#ifndef BF_FUZZ_COMMON_H
#define BF_FUZZ_COMMON_H

#include "service/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[512];
static char fuzz_db[600];
static struct bf_service *fuzz_svc;

static void fuzz_cleanup(void)
{
	char path[700];
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	if (fuzz_svc != NULL)
		bf_service_close(fuzz_svc);
	fuzz_svc = NULL;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", fuzz_db, suffixes[i]);
		unlink(path);
	}
	if (fuzz_dir[0])
		rmdir(fuzz_dir);
}

/* Opens the service as node NODE (one country's side of a pair), or as
 * the whole border's node (NODE NULL), on a new database, or aborts: a
 * harness that cannot start has nothing to fuzz. */
static struct bf_service *fuzz_open_service(const char *node)
{
	struct bf_service_config cfg = {0};
	struct bf_error err = {0};
	const char *tmp = getenv("TMPDIR");
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/bf-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(fuzz_dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	snprintf(fuzz_db, sizeof(fuzz_db), "%s/fuzz.db", fuzz_dir);
	cfg.db_url = fuzz_db;
	cfg.connections = 1;
	cfg.node = node;
	if (bf_service_open(&cfg, &fuzz_svc, &err) != 0) {
		fprintf(stderr, "fuzz: cannot open the service: %s\n", err.message);
		abort();
	}
	atexit(fuzz_cleanup);
	return fuzz_svc;
}

#endif
