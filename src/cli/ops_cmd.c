/* `borderflow backup` and `borderflow restore`: the database copied with
 * SQLite's online backup API (store/store.h), safe while a server runs. */
#include "cli/cli.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>

int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_error err = {0};
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (!common_option(ch, &co))
			return usage_error("%s", "backup: unknown option");
	}
	if (optind >= argc)
		return usage_error("%s", "backup needs OUT: the file to write the copy to");
	if (optind + 1 < argc)
		return usage_error("backup: unexpected argument \"%s\"", argv[optind + 1]);
	if (bf_store_backup(co.db, argv[optind], &err)) {
		fprintf(stderr, "borderflow: backup: %s\n", err.message);
		return 1;
	}
	printf("borderflow: %s backed up to %s\n", co.db, argv[optind]);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'}, {"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_error err = {0};
	bool force = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f')
			force = true;
		else if (!common_option(ch, &co))
			return usage_error("%s", "restore: unknown option");
	}
	if (optind >= argc)
		return usage_error("%s", "restore needs BACKUP: the file `borderflow backup` wrote");
	if (optind + 1 < argc)
		return usage_error("restore: unexpected argument \"%s\"", argv[optind + 1]);
	if (bf_store_restore(argv[optind], co.db, force, &err)) {
		fprintf(stderr, "borderflow: restore: %s\n", err.message);
		return 1;
	}
	printf("borderflow: %s restored from %s\n", co.db, argv[optind]);
	return 0;
}
