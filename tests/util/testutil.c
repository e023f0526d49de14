/* Shared test helpers. */
#include "util/testutil.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static void pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

const char *tu_source_dir(void)
{
	const char *s = getenv("BF_SOURCE_DIR");
	return s ? s : ".";
}

const char *tu_tmpdir(const char *name)
{
	static char dir[1024];
	char cmd[1200];
	const char *base = getenv("BF_TMP");
	if (base == NULL)
		base = "/tmp";
	mkdir(base, 0755);
	snprintf(dir, sizeof(dir), "%s/%s-%ld", base, name, (long)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0 || mkdir(dir, 0755) != 0) {
		fprintf(stderr, "cannot make %s: %s\n", dir, strerror(errno));
		abort();
	}
	return dir;
}

const char *tu_path(const char *dir, const char *file)
{
	static char path[2048];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return path;
}

void tu_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static size_t on_body(char *data, size_t size, size_t n, void *cls)
{
	struct tu_http *r = cls;
	size_t add = size * n;
	char *grown = realloc(r->body, r->len + add + 1);
	if (grown == NULL)
		return 0;
	r->body = grown;
	memcpy(r->body + r->len, data, add);
	r->len += add;
	r->body[r->len] = '\0';
	return add;
}

static void copy_header(char *dst, size_t cap, const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);
	if (len > nl + 1 && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
		size_t start = nl + 1, end = len;
		while (start < end && line[start] == ' ')
			start++;
		while (end > start && (line[end - 1] == '\r' || line[end - 1] == '\n'))
			end--;
		if (end - start >= cap)
			end = start + cap - 1;
		memcpy(dst, line + start, end - start);
		dst[end - start] = '\0';
	}
}

static size_t on_header(char *line, size_t size, size_t n, void *cls)
{
	struct tu_http *r = cls;
	copy_header(r->allow, sizeof(r->allow), line, size * n, "Allow");
	copy_header(r->content_type, sizeof(r->content_type), line, size * n, "Content-Type");
	copy_header(r->location, sizeof(r->location), line, size * n, "Location");
	copy_header(r->replayed, sizeof(r->replayed), line, size * n, "Idempotent-Replayed");
	return size * n;
}

void tu_record_answer(const char *method, const char *path, long status, const char *content_type, const char *body,
                      size_t len)
{
	const char *dir = getenv("BF_CONTRACT_DIR");
	char file[1024], program[64] = "";
	if (dir == NULL || *dir == '\0')
		return;
	FILE *comm = fopen("/proc/self/comm", "r");
	if (comm != NULL) {
		if (fgets(program, sizeof(program), comm) != NULL)
			program[strcspn(program, "\n")] = '\0';
		fclose(comm);
	}
	json_t *b = json_stringn(body ? body : "", len);
	json_t *rec = json_pack("{s:s, s:s, s:I, s:s, s:o, s:s, s:s}", "method", method, "path", path, "status",
	                        (json_int_t)status, "content_type", content_type, "body", b ? b : json_null(), "from",
	                        program, "backend", tu_pg() ? "postgresql" : "sqlite");
	char *line = rec ? json_dumps(rec, JSON_COMPACT) : NULL;
	json_decref(rec);
	if (line == NULL) {
		fprintf(stderr, "the answer to %s %s cannot be recorded\n", method, path);
		abort();
	}
	/* One file a process, each line written whole by one write(). */
	mkdir(dir, 0755);
	snprintf(file, sizeof(file), "%s/c-%ld.jsonl", dir, (long)getpid());
	size_t n = strlen(line);
	line[n] = '\n';
	int fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0 || write(fd, line, n + 1) != (ssize_t)(n + 1)) {
		fprintf(stderr, "cannot record an answer in %s: %s\n", file, strerror(errno));
		abort();
	}
	close(fd);
	free(line);
}

int tu_http(const char *method, const char *url, const char *body, const char *const *headers, struct tu_http *out)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hl = NULL;
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	if (c == NULL)
		return -1;
	if (strncmp(url, "http://127.0.0.1:", 17) != 0 && strncmp(url, "http://[::1]:", 13) != 0) {
		fprintf(stderr, "tests talk to loopback only, not %s\n", url);
		abort();
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		hl = curl_slist_append(hl, "Content-Type: application/json");
	}
	for (const char *const *h = headers; h && *h; h++)
		hl = curl_slist_append(hl, *h);
	if (hl)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	if (out->body == NULL)
		out->body = calloc(1, 1);
	if (rc == CURLE_OK) {
		const char *path = strchr(url + 7, '/');
		tu_record_answer(method, path ? path : "/", out->status, out->content_type, out->body, out->len);
	}
	return rc == CURLE_OK ? 0 : -1;
}

void tu_http_free(struct tu_http *r)
{
	free(r->body);
	r->body = NULL;
}

json_t *tu_http_json(const struct tu_http *r)
{
	json_error_t jerr;
	json_t *j = json_loadb(r->body, r->len, 0, &jerr);
	if (j == NULL)
		fprintf(stderr, "not JSON (%s): %.300s\n", jerr.text, r->body);
	assert_non_null(j);
	return j;
}

int tu_pg(void)
{
	const char *b = getenv("BF_TEST_BACKEND");
	return b != NULL && strcmp(b, "postgresql") == 0;
}

/* The server's URL with its database name replaced by DB. */
static void pg_url(const char *db, char *out, size_t cap)
{
	const char *base = getenv("BF_TEST_PG_URL");
	if (base == NULL || strncmp(base, "postgres", 8) != 0) {
		fprintf(stderr, "BF_TEST_BACKEND=postgresql needs BF_TEST_PG_URL (scripts/with-postgres.sh sets it)\n");
		abort();
	}
	const char *slash = strrchr(base, '/');
	snprintf(out, cap, "%.*s/%s", (int)(slash - base), base, db);
}

static PGconn *pg_connect(const char *url)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", url, PQerrorMessage(c));
		abort();
	}
	PQsetNoticeProcessor(c, pg_quiet, NULL);
	return c;
}

static void pg_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "%s: %s\n", sql, PQerrorMessage(c));
		abort();
	}
	PQclear(r);
}

const char *tu_db(const char *name)
{
	static char url[2048];
	if (!tu_pg()) {
		snprintf(url, sizeof(url), "%s/%s.db", tu_tmpdir(name), name);
		return url;
	}
	char db[128], sql[400];
	size_t n = 0;
	tu_tmpdir(name); /* the test's files beside the database, as on SQLite */
	/* a name PostgreSQL takes unquoted, unique to this process */
	n += (size_t)snprintf(db, sizeof(db), "t_%ld_", (long)getpid());
	for (const char *p = name; *p && n + 1 < 60; p++)
		db[n++] = (char)(isalnum((unsigned char)*p) ? tolower((unsigned char)*p) : '_');
	db[n] = '\0';
	pg_url("postgres", url, sizeof(url));
	PGconn *c = pg_connect(url);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
	pg_exec(c, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	pg_exec(c, sql);
	PQfinish(c);
	pg_url(db, url, sizeof(url));
	return url;
}

long tu_db_scalar(const char *url, const char *sql)
{
	long n = -1;
	if (strncmp(url, "postgres", 8) == 0) {
		PGconn *c = pg_connect(url);
		PGresult *r = PQexec(c, sql);
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
			n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		PQfinish(c);
		return n;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(url, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

struct dump {
	char *s;
	size_t len, cap;
};

static void dump_add(struct dump *d, const char *p, size_t n)
{
	while (d->len + n + 2 >= d->cap)
		d->s = realloc(d->s, d->cap = d->cap ? d->cap * 2 : 1 << 16);
	memcpy(d->s + d->len, p, n);
	d->len += n;
	d->s[d->len] = '\0';
}

static void dump_pg(const char *url, struct dump *d)
{
	PGconn *c = pg_connect(url);
	PGresult *tables = PQexec(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
	                             "ORDER BY table_name COLLATE \"C\"");
	assert_int_equal(PQresultStatus(tables), PGRES_TUPLES_OK);
	for (int i = 0; i < PQntuples(tables); i++) {
		char sql[256];
		const char *t = PQgetvalue(tables, i, 0);
		snprintf(sql, sizeof(sql), "SELECT r::text FROM \"%s\" r ORDER BY r::text COLLATE \"C\"", t);
		PGresult *rows = PQexec(c, sql);
		assert_int_equal(PQresultStatus(rows), PGRES_TUPLES_OK);
		dump_add(d, t, strlen(t));
		dump_add(d, "\n", 1);
		for (int r = 0; r < PQntuples(rows); r++) {
			dump_add(d, PQgetvalue(rows, r, 0), strlen(PQgetvalue(rows, r, 0)));
			dump_add(d, "\n", 1);
		}
		PQclear(rows);
	}
	PQclear(tables);
	PQfinish(c);
}

static void dump_sqlite(const char *url, struct dump *d)
{
	sqlite3 *db;
	sqlite3_stmt *tables, *st;
	assert_int_equal(sqlite3_open_v2(url, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
	                                    "'sqlite_%' ORDER BY name",
	                                    -1, &tables, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char sql[256], hex[3];
		/* Ordered by the first two columns, or the one a table may have. */
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" ORDER BY 1, 2", sqlite3_column_text(tables, 0));
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" ORDER BY 1", sqlite3_column_text(tables, 0));
			assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *b = sqlite3_column_blob(st, c);
				int n = sqlite3_column_bytes(st, c);
				for (int k = 0; k < n; k++) {
					snprintf(hex, sizeof(hex), "%02x", b[k]);
					dump_add(d, hex, 2);
				}
				dump_add(d, "|", 1);
			}
			dump_add(d, "\n", 1);
		}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
}

char *tu_db_dump(const char *url)
{
	struct dump d = {0};
	dump_add(&d, "", 0);
	if (strncmp(url, "postgres", 8) == 0)
		dump_pg(url, &d);
	else
		dump_sqlite(url, &d);
	return d.s;
}

void tu_db_exec(const char *url, const char *sql)
{
	if (strncmp(url, "postgres", 8) == 0) {
		PGconn *c = pg_connect(url);
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			fail_msg("%s: %s", sql, PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		return;
	}
	sqlite3 *h;
	assert_int_equal(sqlite3_open(url, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* Each row's first column, one a line. */
static void dump_lines(const char *url, const char *sql, struct dump *d)
{
	if (strncmp(url, "postgres", 8) == 0) {
		PGconn *c = pg_connect(url);
		PGresult *r = PQexec(c, sql);
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		for (int i = 0; i < PQntuples(r); i++) {
			dump_add(d, PQgetvalue(r, i, 0), strlen(PQgetvalue(r, i, 0)));
			dump_add(d, "\n", 1);
		}
		PQclear(r);
		PQfinish(c);
		return;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(url, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		dump_add(d, t, strlen(t));
		dump_add(d, "\n", 1);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

char *tu_db_schema(const char *url)
{
	struct dump d = {0};
	dump_add(&d, "", 0);
	if (strncmp(url, "postgres", 8) == 0) {
		dump_lines(
		    url,
		    "SELECT x FROM (SELECT 'table ' || table_name || ': ' || column_name || ' ' || data_type || ' ' || "
		    "is_nullable || ' ' || coalesce(column_default, '') FROM information_schema.columns "
		    "WHERE table_schema = 'public' "
		    "UNION ALL SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes "
		    "WHERE schemaname = 'public' "
		    "UNION ALL SELECT 'version ' || version FROM schema_version) q(x) ORDER BY x COLLATE \"C\"",
		    &d);
	} else {
		dump_lines(url,
		           "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master "
		           "UNION ALL SELECT 'version ' || user_version FROM pragma_user_version ORDER BY 1",
		           &d);
	}
	return d.s;
}

const char *tu_str(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

double tu_metric(const char *text, const char *series)
{
	size_t n = strlen(series);
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, series, n) == 0 && line[n] == ' ')
			return strtod(line + n + 1, NULL);
	}
	return -1;
}
