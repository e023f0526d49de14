/* A growable byte buffer with a hard cap (model/buf.c), for every buffer
 * fed from outside: a request body, a page of the peer's feed, a data
 * file. Bytes past the cap are refused whole, so that a peer or a client
 * cannot make the process grow without bound. The bytes are always
 * followed by a NUL, so that text can be parsed in place. */
#ifndef BF_MODEL_BUF_H
#define BF_MODEL_BUF_H

#include <stddef.h>
#include <stdio.h>

struct bf_buf {
	char *data; /* NULL while empty; the caller's after bf_buf_take() */
	size_t len;
	size_t alloc;
	size_t max; /* bytes it may hold at most */
};

/* An empty buffer that holds at most MAX bytes. Init cannot fail. */
void bf_buf_init(struct bf_buf *b, size_t max);
/* Appends N bytes of P: BF_OK, or BF_ETOOBIG (and nothing appended) when
 * they would take it past its cap. */
int bf_buf_add(struct bf_buf *b, const void *p, size_t n);
/* Appends what is left of F: BF_OK, BF_ETOOBIG past the cap (F read no
 * further), or BF_EIO when reading fails. */
int bf_buf_add_file(struct bf_buf *b, FILE *f);
/* Hands the bytes (NUL-terminated; never NULL) to the caller, who frees
 * them with free(); B is empty again. */
char *bf_buf_take(struct bf_buf *b);
/* Frees the bytes; B is empty again, with the same cap. */
void bf_buf_clear(struct bf_buf *b);

#endif
