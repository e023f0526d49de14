/* The whole of GET /metrics read by a strict reader of the Prometheus text
 * format (version 0.0.4), after requests that exercise every kind of
 * series: each family has one TYPE, given before its samples, which stay
 * together; each sample's name belongs to its family; names and labels
 * are well formed and label values escaped; no series appears twice;
 * every value is a number; a histogram's buckets rise to +Inf, which
 * equals its count. */
#include "util/apifix.h"
#include "util/testutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FAMILIES 128
#define MAX_SAMPLES  8192

struct family {
	char name[128], type[16];
	bool typed, sampled, closed;
};

struct sample {
	char key[512]; /* name{labels sorted}, the series' identity */
};

struct reader {
	struct family fam[MAX_FAMILIES];
	int n_fam;
	struct sample *seen;
	int n_seen;
	int current; /* the family whose samples came last; -1 before any */
	int line;
	/* The histogram being read: its series without le, last bucket, count. */
	char hist_series[512];
	double hist_last, hist_inf;
	bool hist_open;
	char error[300]; /* the first thing found wrong; "" while none */
};

/* Notes what is wrong (the first only) and leaves the function. */
#define BAD(...)                                                                                                       \
	do {                                                                                                           \
		if (r->error[0] == '\0')                                                                               \
			snprintf(r->error, sizeof(r->error), __VA_ARGS__);                                             \
		return;                                                                                                \
	} while (0)

static struct apifix_party parties[] = {{"fruitco", BF_ROLE_CARRIER, "VN", ""}};
static struct apifix fx;

static int setup(void **state)
{
	*state = &fx;
	return apifix_start(&fx, "exposition", parties, 1);
}

static bool metric_name(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_' || s[0] == ':'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == ':'))
			return false;
	return true;
}

static bool label_name(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

static int family_of(struct reader *r, const char *name)
{
	for (int i = 0; i < r->n_fam; i++)
		if (strcmp(r->fam[i].name, name) == 0)
			return i;
	return -1;
}

static int add_family(struct reader *r, const char *name)
{
	int i = family_of(r, name);
	if (i >= 0)
		return i;
	if (r->n_fam == MAX_FAMILIES)
		return -1;
	i = r->n_fam++;
	memset(&r->fam[i], 0, sizeof(r->fam[i]));
	snprintf(r->fam[i].name, sizeof(r->fam[i].name), "%s", name);
	return i;
}

/* "# HELP name text" or "# TYPE name type"; other comments are allowed. */
static void read_comment(struct reader *r, const char *line)
{
	char word[8], name[128], rest[256] = "";
	if (sscanf(line, "# %7s %127s %255[^\n]", word, name, rest) < 2 ||
	    (strcmp(word, "HELP") != 0 && strcmp(word, "TYPE") != 0))
		return;
	if (!metric_name(name, strlen(name)))
		BAD("line %d: bad metric name \"%s\"", r->line, name);
	int f = add_family(r, name);
	if (f < 0)
		BAD("line %d: more than %d families", r->line, MAX_FAMILIES);
	if (strcmp(word, "TYPE") == 0) {
		static const char *const types[] = {"counter", "gauge", "histogram", "summary", "untyped"};
		bool known = false;
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			known |= strcmp(rest, types[i]) == 0;
		if (!known)
			BAD("line %d: unknown type \"%s\"", r->line, rest);
		if (r->fam[f].typed)
			BAD("line %d: a second TYPE for %s", r->line, name);
		if (r->fam[f].sampled)
			BAD("line %d: the TYPE of %s after its samples", r->line, name);
		r->fam[f].typed = true;
		snprintf(r->fam[f].type, sizeof(r->fam[f].type), "%s", rest);
	}
}

/* The family a sample NAME belongs to: itself, or a histogram's with its
 * _bucket, _sum or _count suffix cut. */
static int owner(struct reader *r, const char *name)
{
	int f = family_of(r, name);
	if (f >= 0)
		return f;
	static const char *const suffixes[] = {"_bucket", "_sum", "_count"};
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(name), k = strlen(suffixes[i]);
		if (n > k && strcmp(name + n - k, suffixes[i]) == 0) {
			char base[128];
			snprintf(base, sizeof(base), "%.*s", (int)(n - k), name);
			f = family_of(r, base);
			if (f >= 0 && strcmp(r->fam[f].type, "histogram") == 0)
				return f;
		}
	}
	return -1;
}

static int cmp_label(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void read_sample(struct reader *r, const char *line)
{
	const char *p = line;
	while (*p && *p != '{' && *p != ' ')
		p++;
	char name[128];
	if (!metric_name(line, (size_t)(p - line)) || (size_t)(p - line) >= sizeof(name))
		BAD("line %d: bad sample name in \"%s\"", r->line, line);
	snprintf(name, sizeof(name), "%.*s", (int)(p - line), line);
	int f = owner(r, name);
	if (f < 0 || !r->fam[f].typed)
		BAD("line %d: %s has no TYPE before it", r->line, name);
	if (r->fam[f].closed)
		BAD("line %d: %s's samples are not together", r->line, name);
	if (r->current >= 0 && r->current != f)
		r->fam[r->current].closed = true;
	r->current = f;
	r->fam[f].sampled = true;

	/* Labels: name="value" pairs, values escaped (\\, \", \n only). */
	char labels[16][256], le[64] = "";
	const char *sorted[16];
	int n_labels = 0;
	if (*p == '{') {
		p++;
		while (*p != '}') {
			const char *ln = p;
			while (*p && *p != '=')
				p++;
			if (*p != '=' || !label_name(ln, (size_t)(p - ln)) || p[1] != '"')
				BAD("line %d: bad label in \"%s\"", r->line, line);
			if (n_labels == 16)
				BAD("line %d: too many labels", r->line);
			char *out = labels[n_labels];
			size_t o = (size_t)snprintf(out, 256, "%.*s=\"", (int)(p - ln), ln);
			p += 2;
			while (*p != '"') {
				if (*p == '\0' || *p == '\n')
					BAD("line %d: a label value is not closed", r->line);
				if (*p == '\\' && p[1] != '\\' && p[1] != '"' && p[1] != 'n')
					BAD("line %d: a bad escape in a label value", r->line);
				if (*p == '\\')
					out[o++] = *p++;
				out[o++] = *p++;
				if (o > 250)
					BAD("line %d: a label value too long for this reader", r->line);
			}
			out[o++] = '"';
			out[o] = '\0';
			p++;
			if (strncmp(labels[n_labels], "le=\"", 4) == 0)
				snprintf(le, sizeof(le), "%.*s", (int)(strlen(labels[n_labels]) - 5),
				         labels[n_labels] + 4);
			for (int i = 0; i < n_labels; i++) {
				size_t k = strcspn(labels[i], "=");
				if (strncmp(labels[i], labels[n_labels], k + 1) == 0)
					BAD("line %d: a label given twice", r->line);
			}
			sorted[n_labels] = labels[n_labels];
			n_labels++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				BAD("line %d: labels not separated by commas", r->line);
		}
		p++;
	}
	if (*p != ' ')
		BAD("line %d: no space before the value", r->line);
	p++;
	char *end;
	double v = strtod(p, &end);
	if (end == p || (*end != '\0' && *end != ' '))
		BAD("line %d: \"%s\" is not a number", r->line, p);
	if (*end == ' ') {
		/* A timestamp: an integer of milliseconds. */
		char *e2;
		strtoll(end + 1, &e2, 10);
		if (e2 == end + 1 || *e2 != '\0')
			BAD("line %d: a bad timestamp", r->line);
	}

	/* The series' identity: name and labels in order; it appears once. */
	qsort(sorted, (size_t)n_labels, sizeof(sorted[0]), cmp_label);
	char key[512];
	size_t k = (size_t)snprintf(key, sizeof(key), "%s{", name);
	for (int i = 0; i < n_labels && k < sizeof(key); i++)
		k += (size_t)snprintf(key + k, sizeof(key) - k, "%s%s", i ? "," : "", sorted[i]);
	if (k < sizeof(key))
		snprintf(key + k, sizeof(key) - k, "}");
	for (int i = 0; i < r->n_seen; i++)
		if (strcmp(r->seen[i].key, key) == 0)
			BAD("line %d: the series %s appears twice", r->line, key);
	if (r->n_seen == MAX_SAMPLES)
		BAD("more than %d samples", MAX_SAMPLES);
	snprintf(r->seen[r->n_seen++].key, sizeof(key), "%s", key);

	/* A histogram's buckets, in order, cumulative, up to +Inf = _count. */
	if (strcmp(r->fam[f].type, "histogram") == 0) {
		size_t base = strlen(r->fam[f].name);
		const char *suffix = name + base;
		char series[512];
		k = 0;
		for (int i = 0; i < n_labels; i++)
			if (strncmp(sorted[i], "le=", 3) != 0)
				k += (size_t)snprintf(series + k, sizeof(series) - k, "%s,", sorted[i]);
		series[k] = '\0';
		if (strcmp(suffix, "_bucket") == 0) {
			if (le[0] == '\0')
				BAD("line %d: a bucket without le", r->line);
			if (!r->hist_open || strcmp(series, r->hist_series) != 0) {
				snprintf(r->hist_series, sizeof(r->hist_series), "%s", series);
				r->hist_open = true;
				r->hist_last = -1;
				r->hist_inf = -1;
			}
			if (v < r->hist_last)
				BAD("line %d: buckets of %s{%s} do not rise", r->line, name, series);
			r->hist_last = v;
			if (strcmp(le, "+Inf") == 0)
				r->hist_inf = v;
		} else if (strcmp(suffix, "_count") == 0) {
			if (!r->hist_open || strcmp(series, r->hist_series) != 0 || r->hist_inf < 0)
				BAD("line %d: %s{%s} has no +Inf bucket before its count", r->line, name, series);
			if (v != r->hist_inf)
				BAD("line %d: %s{%s} is %g, its +Inf bucket %g", r->line, name, series, v, r->hist_inf);
			r->hist_open = false;
		}
	}
}

/* Reads TEXT whole: NULL when it is a valid exposition, else what is
 * wrong (a static buffer). */
static const char *read_exposition(const char *text, int *samples, int *families)
{
	static char error[300];
	struct reader r = {.current = -1};
	r.seen = calloc(MAX_SAMPLES, sizeof(*r.seen));
	assert_non_null(r.seen);
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		if (nl == NULL) {
			snprintf(r.error, sizeof(r.error), "the exposition does not end with a line feed");
			break;
		}
		char line[1024];
		if ((size_t)(nl - p) >= sizeof(line)) {
			snprintf(r.error, sizeof(r.error), "line %d is too long for this reader", r.line + 1);
			break;
		}
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		r.line++;
		if (line[0] == '#')
			read_comment(&r, line);
		else if (line[0] != '\0')
			read_sample(&r, line);
		if (r.error[0])
			break;
		p = nl + 1;
	}
	*samples = r.n_seen;
	*families = r.n_fam;
	free(r.seen);
	if (r.error[0] == '\0')
		return NULL;
	snprintf(error, sizeof(error), "%s", r.error);
	return error;
}

static void test_whole_exposition(void **state)
{
	(void)state;
	long status;
	/* Requests that make series of every kind: one pattern with two
	 * methods, a HEAD, a refusal, a path no route has. */
	json_decref(apifix_call(&fx, 0, "GET", "/v1/consignments", NULL, NULL, &status));
	json_decref(apifix_call(&fx, 0, "POST", "/v1/consignments", "{}", NULL, &status));
	json_decref(apifix_call(&fx, -1, "GET", "/v1/gates/huu-nghi", NULL, NULL, &status));
	json_decref(apifix_call(&fx, -1, "HEAD", "/v1/gates/huu-nghi", NULL, NULL, &status));
	json_decref(apifix_call(&fx, -1, "GET", "/no/such/path", NULL, NULL, &status));
	json_decref(apifix_call(&fx, -1, "GET", "/v1/gates", NULL, NULL, &status));
	json_decref(apifix_call(&fx, -1, "GET", "/v1/gates", NULL, NULL, &status));

	struct tu_http res;
	char url[128];
	snprintf(url, sizeof(url), "%s/metrics", fx.base);
	assert_int_equal(tu_http("GET", url, NULL, NULL, &res), 0);
	assert_int_equal(res.status, 200);
	const char *text = res.body;
	int samples = 0, families = 0;
	const char *why = read_exposition(text, &samples, &families);
	if (why)
		fail_msg("/metrics: %s", why);
	assert_true(families >= 10);
	assert_true(samples >= 30);
	/* Both methods of /v1/consignments have a latency series of their own. */
	assert_non_null(strstr(text, "borderflow_http_request_duration_seconds_count{route=\"/v1/consignments\","
	                             "method=\"GET\"}"));
	assert_non_null(strstr(text, "borderflow_http_request_duration_seconds_count{route=\"/v1/consignments\","
	                             "method=\"POST\"}"));
	tu_http_free(&res);
}

/* The reader itself refuses what the format forbids, so that a clean
 * read of /metrics means something. */
static void test_reader_refuses(void **state)
{
	(void)state;
	static const struct {
		const char *text, *why;
	} bad[] = {
	    {"# TYPE a counter\na 1\na 2\n", "appears twice"},
	    {"# TYPE a counter\na{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n", "appears twice"},
	    {"a 1\n", "has no TYPE before it"},
	    {"# TYPE a counter\na 1\n# TYPE a counter\n", "a second TYPE"},
	    {"# TYPE a counter\n# TYPE b counter\na 1\nb 1\na{x=\"1\"} 1\n", "are not together"},
	    {"# TYPE a counter\na one\n", "is not a number"},
	    {"# TYPE a counter\na{x=\"1\\q\"} 1\n", "bad escape"},
	    {"# TYPE a counter\na{1x=\"1\"} 1\n", "bad label"},
	    {"# TYPE a counter\na{x=\"1\",x=\"2\"} 1\n", "given twice"},
	    {"# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n", "do not rise"},
	    {"# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", "its +Inf bucket"},
	    {"# TYPE h histogram\nh_sum 1\nh_count 3\n", "no +Inf bucket"},
	    {"# TYPE a counter\na 1", "line feed"},
	    {"# TYPE a countr\n", "unknown type"},
	};
	int s, f;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = read_exposition(bad[i].text, &s, &f);
		if (why == NULL || strstr(why, bad[i].why) == NULL)
			fail_msg("case %zu: said \"%s\", wanted \"%s\"", i, why ? why : "(nothing)", bad[i].why);
	}
	const char *why = read_exposition("# HELP a A.\n# TYPE a counter\na{x=\"q\\\"\\\\n\"} 1 1700000000000\n"
	                                  "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum "
	                                  "3\nh_count 2\n",
	                                  &s, &f);
	if (why)
		fail_msg("a valid exposition: %s", why);
	assert_int_equal(s, 5);
	assert_int_equal(f, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reader_refuses),
	    cmocka_unit_test(test_whole_exposition),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
