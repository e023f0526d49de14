/* What the command files share (cli/cli.h): usage errors, the options every
 * command takes, whole numbers, opening the node, reading a file. */
#include "cli/cli.h"

#include "ledger/ledger.h"
#include "model/buf.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int usage_error(const char *fmt, const char *arg)
{
	fputs("borderflow: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nrun 'borderflow help' for usage\n", stderr);
	return 2;
}

bool common_option(int ch, struct common *co)
{
	if (ch == 'd')
		co->db = optarg;
	else if (ch == 'D')
		co->data = optarg;
	else if (ch == 'N')
		co->node = optarg;
	else
		return false;
	return true;
}

int open_service(const struct common *co, unsigned connections, struct bf_service **svc)
{
	struct bf_service_config cfg = {.db_url = co->db,
	                                .data_dir = co->data,
	                                .connections = connections,
	                                .grace_minutes = co->grace_minutes,
	                                .call_lead_minutes = co->call_lead_minutes,
	                                .node = co->node};
	struct bf_error err = {0};
	if (co->node && bf_ledger_node_check(co->node, &err))
		return usage_error("--node: %s", err.message);
	if (bf_service_open(&cfg, svc, &err)) {
		fprintf(stderr, "borderflow: %s\n", err.message);
		return 1;
	}
	return 0;
}

int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;
	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

int read_whole_file(const char *path, char **text, size_t *len)
{
	struct bf_buf buf;
	struct stat st;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return -1;
	}
	bf_buf_init(&buf, 64u << 20);
	errno = 0;
	int rc = bf_buf_add_file(&buf, f), e = errno;
	fclose(f);
	if (rc != BF_OK) {
		bf_buf_clear(&buf);
		errno = rc == BF_ETOOBIG ? EFBIG : e ? e : EIO;
		return -1;
	}
	*len = buf.len;
	*text = bf_buf_take(&buf);
	return 0;
}
