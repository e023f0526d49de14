/* Result codes and the error record every layer fills in for its caller.
 * A function returns 0 or a negative BF_E* code; where it takes a
 * struct bf_error *, it also names the field at fault and the reason. */
#ifndef BF_MODEL_ERROR_H
#define BF_MODEL_ERROR_H

#include <stddef.h>

enum {
	BF_OK = 0,
	BF_EINVAL = -1,     /* input is malformed or out of range */
	BF_ENOTFOUND = -2,  /* the named thing does not exist */
	BF_ECONFLICT = -3,  /* the request clashes with the current state */
	BF_EFORBIDDEN = -4, /* the role may not do this */
	BF_EIO = -5,        /* a file or socket failed */
	BF_ESTORE = -6,     /* the database failed */
	BF_ETOOBIG = -7,    /* input is over a documented limit */
	BF_EREJECTED = -8,  /* well-formed, but breaks rules; the rules broken are listed */
	BF_EAUTH = -9,      /* no credentials, or unknown ones */
};

struct bf_error {
	int code;
	char field[128];   /* dotted path of the offending field, "" if none */
	char message[384]; /* a sentence a person can act on */
};

/* Fills ERR (if not NULL) and returns CODE, so callers can write
 * `return bf_error_set(err, BF_EINVAL, "hours", "...")`. */
int bf_error_set(struct bf_error *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prefixes ERR's message with PREFIX (e.g. a file name and record). */
void bf_error_prefix(struct bf_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Short machine-readable name of CODE, used in API error bodies. */
const char *bf_error_code_name(int code);

/* Internal allocations: they abort the process on exhaustion instead of
 * returning NULL; input sizes are capped before any allocation. */
void *bf_xmalloc(size_t n);
void *bf_xcalloc(size_t count, size_t size);
void *bf_xrealloc(void *p, size_t n);
char *bf_xstrdup(const char *s);

/* Copies SRC into DST of size CAP; returns 0, or BF_ETOOBIG (DST then
 * holds a truncated copy) when SRC does not fit. */
int bf_strlcpy(char *dst, const char *src, size_t cap);

#endif
