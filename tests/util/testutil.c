/* Shared test helpers. */
#include "util/testutil.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
	return size * n;
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
