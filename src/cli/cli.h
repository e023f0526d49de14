/* What the `borderflow` command's files share: the helpers of common.c and
 * the commands that main.c's table dispatches to. */
#ifndef BF_CLI_CLI_H
#define BF_CLI_CLI_H

#include "service/service.h"

#include <stdbool.h>
#include <stddef.h>

#define DEFAULT_DB "borderflow.db"

struct common {
	const char *db;
	const char *data;
	const char *node; /* --node; NULL: the database's own */
	int grace_minutes;
	int call_lead_minutes; /* serve --call-lead; 0: BF_CALL_LEAD_MINUTES */
};

/* common.c: all that a command's file may call in another file of src/cli,
 * so that the commands never depend on one another. */

/* Reads S as a whole number from 0 to MAX (no sign): 0, or -1. */
int parse_uint(const char *s, unsigned long max, unsigned long *out);
/* Prints "borderflow: " FMT (with ARG) and the hint to stderr; returns 2. */
int usage_error(const char *fmt, const char *arg);
/* Handles the options every command takes; true when CH was one. */
bool common_option(int ch, struct common *co);
/* Opens the node with CO; 0, or the exit status after saying why. */
int open_service(const struct common *co, unsigned connections, struct bf_service **svc);
/* Reads the regular file PATH whole (at most 64 MiB) into *TEXT (free());
 * -1 with errno set when it cannot. */
int read_whole_file(const char *path, char **text, size_t *len);

/* The commands, one file by purpose, called by main.c's table only. ARGV[0]
 * is the command's name; each returns the exit status (0 done, 1 failed, 2
 * wrong usage). */

/* The HTTP/JSON API until SIGINT or SIGTERM (serve_cmd.c). */
int cmd_serve(int argc, char **argv);
/* The gate pairs' crossing windows (gates_cmd.c). */
int cmd_gates(int argc, char **argv);
/* A gate pair's slots on a day (plan_cmd.c). */
int cmd_plan(int argc, char **argv);
/* The parties' tokens and the registry's CSV import (registry_cmd.c). */
int cmd_tokens(int argc, char **argv);
int cmd_import(int argc, char **argv);
/* The policies of a scenario compared (sim_cmd.c). */
int cmd_sim(int argc, char **argv);
/* The ledger's signing keys and the check of its log (ledger_cmd.c). */
int cmd_keys(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_forks(int argc, char **argv);
/* Backup and restore of the database (ops_cmd.c). */
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);

#endif
