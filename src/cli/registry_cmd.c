/* `borderflow tokens` and `borderflow import registry`: the parties' bearer
 * tokens and the registry's exporters, planting areas, packing houses and
 * facilities. */
#include "cli/cli.h"
#include "service/auth.h"
#include "service/registry.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_tokens(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"party", required_argument, NULL, 'p'},
	                                     {"role", required_argument, NULL, 'r'},
	                                     {"country", required_argument, NULL, 'c'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"data", required_argument, NULL, 'D'},
	                                     {"node", required_argument, NULL, 'N'},
	                                     {"gate", required_argument, NULL, 'g'},
	                                     {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	struct bf_party p = {.role = BF_ROLE_COUNT};
	const char *verb = argc > 1 ? argv[1] : "";
	struct bf_service *svc;
	struct bf_error err = {0};
	int ch, rc;

	if (strcmp(verb, "new") != 0 && strcmp(verb, "revoke") != 0 && strcmp(verb, "list") != 0)
		return usage_error("tokens: say new, revoke or list, not \"%s\"", verb);
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		switch (ch) {
		case 'p':
			if (bf_strlcpy(p.id, optarg, sizeof(p.id)))
				return usage_error("--party: \"%s\" is longer than 40 characters", optarg);
			break;
		case 'r':
			if (bf_role_parse(optarg, &p.role) || p.role == BF_ROLE_SYSTEM)
				return usage_error("--role: \"%s\" is not a role a party can hold", optarg);
			break;
		case 'c':
			bf_strlcpy(p.country, optarg, sizeof(p.country));
			if (!bf_country_code_valid(optarg))
				return usage_error("--country: \"%s\" is not an ISO 3166-1 alpha-2 code such as VN",
				                   optarg);
			break;
		case 'n':
			bf_strlcpy(p.name, optarg, sizeof(p.name));
			break;
		case 'g':
			if (p.n_gates == BF_PARTY_GATES_MAX)
				return usage_error("--gate: %s", "at most 8 gates a party");
			if (bf_strlcpy(p.gates[p.n_gates++], optarg, sizeof(p.gates[0])))
				return usage_error("--gate: \"%s\" is longer than 40 characters", optarg);
			break;
		default:
			return usage_error("%s", "tokens: unknown option");
		}
	}
	if (strcmp(verb, "new") == 0) {
		if (!p.id[0] || p.role == BF_ROLE_COUNT)
			return usage_error("%s", "tokens new needs --party ID and --role ROLE");
		if (optind < argc)
			return usage_error("tokens new: unexpected argument \"%s\"", argv[optind]);
	} else if (strcmp(verb, "revoke") == 0 && optind + 1 != argc) {
		return usage_error("%s", "tokens revoke needs one TOKEN_ID");
	}
	if ((rc = open_service(&co, 1, &svc)) != 0)
		return rc;
	if (strcmp(verb, "new") == 0) {
		char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
		struct bf_party known;
		/* A known party keeps its name, country and gates; a new one
		 * needs a country. */
		if (bf_service_party(svc, p.id, &known, &err) == BF_OK) {
			if (!p.country[0])
				memcpy(p.country, known.country, sizeof(p.country));
			if (!p.name[0])
				memcpy(p.name, known.name, sizeof(p.name));
			if (p.n_gates == 0) {
				p.n_gates = known.n_gates;
				memcpy(p.gates, known.gates, sizeof(p.gates));
			}
		} else if (!p.country[0]) {
			bf_service_close(svc);
			return usage_error("party \"%s\" is new: give its --country", p.id);
		}
		if (!p.name[0])
			bf_strlcpy(p.name, p.id, sizeof(p.name));
		rc = bf_service_token_new(svc, &p, token, id, &err);
		if (rc == BF_OK) {
			printf("%s\n", token);
			fprintf(stderr, "borderflow: token %s issued to %s (%s); it is shown this once\n", id, p.id,
			        bf_role_name(p.role));
			for (int i = 0; i < p.n_gates; i++)
				fprintf(stderr, "borderflow: %s acts at %s\n", p.id, p.gates[i]);
		}
	} else if (strcmp(verb, "revoke") == 0) {
		rc = bf_service_token_revoke(svc, argv[optind], &err);
		if (rc == BF_OK)
			printf("token %s revoked\n", argv[optind]);
	} else {
		struct bf_token_info *t;
		size_t n;
		rc = bf_service_tokens(svc, &t, &n, &err);
		for (size_t i = 0; rc == BF_OK && i < n; i++) {
			char made[BF_TIME_TEXT], gone[BF_TIME_TEXT] = "in force";
			bf_time_format_utc(t[i].created_at, made);
			if (t[i].revoked_at)
				bf_time_format_utc(t[i].revoked_at, gone);
			printf("%-14s %-24s %-18s %s  %s\n", t[i].id, t[i].party_id, bf_role_name(t[i].role), made,
			       gone);
		}
		if (rc == BF_OK)
			free(t);
	}
	if (rc)
		fprintf(stderr, "borderflow: %s\n", err.message);
	bf_service_close(svc);
	return rc ? 1 : 0;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"party", required_argument, NULL, 'p'},
	                                     {"data", required_argument, NULL, 'D'},
	                                     {"node", required_argument, NULL, 'N'},
	                                     {NULL, 0, NULL, 0}};
	struct common co = {.db = DEFAULT_DB};
	const char *party = NULL;
	struct bf_party actor = bf_service_node_operator;
	struct bf_import_report *rep;
	struct bf_service *svc;
	struct bf_error err = {0};
	char *text;
	size_t len;
	int ch, rc;

	if (argc < 2 || strcmp(argv[1], "registry") != 0)
		return usage_error("%s", "import: say what to import: import registry FILE.csv");
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(ch, &co))
			continue;
		switch (ch) {
		case 'p':
			party = optarg;
			break;
		default:
			return usage_error("%s", "import: unknown option");
		}
	}
	if (optind + 1 != argc)
		return usage_error("%s", "import registry needs one FILE.csv");
	if (read_whole_file(argv[optind], &text, &len)) {
		fprintf(stderr, "borderflow: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if ((rc = open_service(&co, 1, &svc)) != 0) {
		free(text);
		return rc;
	}
	/* Importing as a party holds the rows to that party's country. */
	if (party && bf_service_party(svc, party, &actor, &err)) {
		fprintf(stderr, "borderflow: --party %s: %s\n", party, err.message);
		bf_service_close(svc);
		free(text);
		return 1;
	}
	rep = bf_xcalloc(1, sizeof(*rep));
	rc = bf_service_import_registry(svc, &actor, text, len, rep, &err);
	free(text);
	if (rc == BF_OK) {
		static const char *const kinds[BF_REG_KINDS] = {"exporters", "planting areas", "packing houses",
		                                                "facilities"};
		printf("imported %d %s from %s: %d created, %d updated, %d unchanged\n", rep->rows, kinds[rep->kind],
		       argv[optind], rep->created, rep->updated, rep->unchanged);
	} else {
		for (int i = 0; i < rep->n_problems; i++) {
			const struct bf_import_problem *p = &rep->problems[i];
			if (p->line > 0)
				fprintf(stderr, "%s:%d: %s: %s\n", argv[optind], p->line, p->field, p->message);
			else
				fprintf(stderr, "%s: %s: %s\n", argv[optind], p->field, p->message);
		}
		fprintf(stderr, "borderflow: %s\n", err.message);
	}
	free(rep);
	bf_service_close(svc);
	return rc ? 1 : 0;
}
