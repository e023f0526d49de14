/* The request log's writer thread (reqlog.h): two buffers, one filled by
 * request threads while the other is written. */
#include "api/reqlog.h"

#include "model/error.h"
#include "model/worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bf_reqlog {
	int fd;
	struct bf_worker worker; /* the writer's thread */
	char *fill, *spare;      /* under the worker's lock: FILL holds USED bytes */
	size_t used;
};

/* Writes all of BUF to FD, unless the file refuses it: a log that cannot be
 * written does not stop the server. */
static void write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
	}
}

/* Writes what the request threads filled, until stopped with nothing left
 * to write: what was logged before the stop is written. */
static void writer(struct bf_worker *w)
{
	struct bf_reqlog *l = w->arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (l->used == 0 && bf_worker_sleep(w, -1))
			;
		if (l->used == 0)
			break; /* stopped, and all written */
		char *full = l->fill;
		size_t n = l->used;
		l->fill = l->spare;
		l->spare = full;
		l->used = 0;
		pthread_mutex_unlock(&w->lock);
		write_all(l->fd, full, n);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
}

struct bf_reqlog *bf_reqlog_start(int fd)
{
	struct bf_reqlog *l = bf_xcalloc(1, sizeof(*l));
	l->fd = fd;
	l->fill = bf_xmalloc(BF_REQLOG_BUFFER);
	l->spare = bf_xmalloc(BF_REQLOG_BUFFER);
	if (bf_worker_start(&l->worker, writer, l) != BF_OK) {
		free(l->fill);
		free(l->spare);
		free(l);
		return NULL;
	}
	return l;
}

bool bf_reqlog_write(struct bf_reqlog *l, const char *line, size_t len)
{
	if (l == NULL) {
		write_all(STDERR_FILENO, line, len);
		return true;
	}
	pthread_mutex_lock(&l->worker.lock);
	bool kept = len <= BF_REQLOG_BUFFER - l->used;
	if (kept) {
		memcpy(l->fill + l->used, line, len);
		/* The writer waits only while the buffer is empty. */
		if (l->used == 0)
			bf_worker_signal(&l->worker);
		l->used += len;
	}
	pthread_mutex_unlock(&l->worker.lock);
	return kept;
}

void bf_reqlog_stop(struct bf_reqlog *l)
{
	if (l == NULL)
		return;
	bf_worker_stop(&l->worker);
	free(l->fill);
	free(l->spare);
	free(l);
}
