/* The capped growable buffer (model/buf.h). */
#include "model/buf.h"

#include "model/error.h"

#include <stdlib.h>
#include <string.h>

void bf_buf_init(struct bf_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->max = max;
}

int bf_buf_add(struct bf_buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len)
		return BF_ETOOBIG;
	if (b->data == NULL || b->len + n + 1 > b->alloc) {
		size_t want = b->alloc ? 2 * b->alloc : 256;
		if (want < b->len + n + 1)
			want = b->len + n + 1;
		if (want > b->max + 1)
			want = b->max + 1;
		b->data = bf_xrealloc(b->data, want);
		b->alloc = want;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return BF_OK;
}

int bf_buf_add_file(struct bf_buf *b, FILE *f)
{
	char chunk[16384];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (bf_buf_add(b, chunk, got) != BF_OK)
			return BF_ETOOBIG;
	}
	if (ferror(f))
		return BF_EIO;
	return bf_buf_add(b, "", 0); /* an empty file is "" */
}

char *bf_buf_take(struct bf_buf *b)
{
	if (b->data == NULL)
		bf_buf_add(b, "", 0);
	char *d = b->data;
	b->data = NULL;
	b->len = b->alloc = 0;
	return d;
}

void bf_buf_clear(struct bf_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}
