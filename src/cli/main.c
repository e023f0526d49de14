/* The `borderflow` command: one binary for the server and the operators'
 * tools, dispatched through the table below, which `help` also prints. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help; /* one line */
	/* The options, a line each as `help` prints them; the unused end NULL. */
	const char *usage[4];
};

static int cmd_help(int argc, char **argv);

/* Every command, in the order `help` lists them. */
static const struct command commands[] = {
    {"serve",
     cmd_serve,
     "serve the HTTP/JSON API and GET /metrics (default 127.0.0.1:8080)",
     {"[--db FILE] [--bind ADDR] [--port N] [--threads N] [--sim-threads N]",
      "[--grace MINUTES] [--call-lead MINUTES] [--data DIR] [--node ID]",
      "[--tls-cert PEM --tls-key PEM] [--peer URL --peer-node ID --peer-token TOKEN [--peer-ca PEM]",
      " [--peer-stale-after SECONDS]] [--allow-broken-chain] [--log json|logfmt|off]"}},
    {"gates",
     cmd_gates,
     "list the gate pairs' crossing windows in both local times and UTC",
     {"[--db FILE] [--json] [--date YYYY-MM-DD] [--open-at INSTANT] [--data DIR]"}},
    {"plan",
     cmd_plan,
     "a gate pair's slots on a day, both ways: places, bookings and fill",
     {"--gate ID [--day YYYY-MM-DD] [--db FILE] [--data DIR]"}},
    {"tokens",
     cmd_tokens,
     "issue (shown once), list or revoke the parties' bearer tokens",
     {"new --party ID --role ROLE [--country CC] [--name NAME]", "| list | revoke TOKEN_ID  [--db FILE] [--node ID]"}},
    {"import",
     cmd_import,
     "load exporters, planting areas, packing houses or facilities: all or none",
     {"registry FILE.csv [--party ID] [--db FILE] [--node ID]"}},
    {"sim",
     cmd_sim,
     "compare a scenario's policies over replications (or list the bundled)",
     {"SCENARIO [--replications R] [--threads T] [--seed S] [--json|--csv] [--data DIR]", "--list"}},
    {"keys",
     cmd_keys,
     "make, rotate or list signing keys; export ours, import the peer's",
     {"new --party ID | list | export [FILE] | import FILE  [--db FILE] [--data DIR] [--node ID]"}},
    {"verify",
     cmd_verify,
     "check every event's hash, chain link, signature and transition, then the consignment records",
     {"[--db FILE]: exits 1 naming the first event or record that fails"}},
    {"forks",
     cmd_forks,
     "list the forks found on the link (two signed events under one number), or mark one resolved",
     {"[resolve ORIGIN NUMBER] [--db FILE]"}},
    {"backup", cmd_backup, "copy the database to the new file OUT, safely while a server runs", {"[--db FILE] OUT"}},
    {"restore",
     cmd_restore,
     "copy BACKUP over an unserved database; an existing one needs --force",
     {"BACKUP [--db FILE] [--force]"}},
    {"help", cmd_help, "show this text", {NULL}},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char usage_head[] = "usage: borderflow COMMAND [OPTIONS]\n\ncommands:\n";

static const char usage_tail[] = "\n"
                                 "--db FILE names a SQLite file (default borderflow.db); --db postgres://USER@HOST/DB\n"
                                 "names a PostgreSQL database that exists, which several servers may share\n"
                                 "(backup and restore copy SQLite files only: use pg_dump and pg_restore).\n"
                                 "--data DIR reads gates.json, commodities.json and registry.json from DIR\n"
                                 "instead of the bundled copies; they are checked at every start and loaded\n"
                                 "into the database on its first start.\n"
                                 "--node ID (serve, tokens, import, keys) names this node (\"vn\", \"cn\") in a\n"
                                 "new database; a database keeps its id and refuses another. Without it, a\n"
                                 "database's first event makes it node \"vn\".\n";

static int cmd_help(int argc, char **argv)
{
	int width = 0;
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < N_COMMANDS; i++)
		if ((int)strlen(commands[i].name) > width)
			width = (int)strlen(commands[i].name);
	fputs(usage_head, stdout);
	/* The name, then its option lines and its help, under one another. */
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const struct command *c = &commands[i];
		const char *name = c->name;
		for (size_t k = 0; k < sizeof(c->usage) / sizeof(c->usage[0]) && c->usage[k]; k++, name = "")
			printf("  %-*s %s\n", width, name, c->usage[k]);
		printf("  %-*s %s\n", width, name, c->help);
	}
	fputs(usage_tail, stdout);
	return 0;
}

/* A command missing or unknown: the error, the hint, and the names. */
static int command_error(const char *fmt, const char *arg)
{
	usage_error(fmt, arg);
	fputs("commands:", stderr);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(stderr, " %s", commands[i].name);
	fputc('\n', stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return command_error("%s", "no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		cmd = "help";
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return command_error("unknown command \"%s\"", cmd);
}
