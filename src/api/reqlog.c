/* The request log's writer thread (reqlog.h): two buffers, one filled by
 * request threads while the other is written. */
#include "api/reqlog.h"

#include "model/error.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bf_reqlog {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	char *fill, *spare; /* under LOCK: FILL holds USED bytes */
	size_t used;
	bool stop;
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

static void *writer(void *arg)
{
	struct bf_reqlog *l = arg;
	pthread_mutex_lock(&l->lock);
	for (;;) {
		while (l->used == 0 && !l->stop)
			pthread_cond_wait(&l->ready, &l->lock);
		if (l->used == 0)
			break; /* stopped, and all written */
		char *full = l->fill;
		size_t n = l->used;
		l->fill = l->spare;
		l->spare = full;
		l->used = 0;
		pthread_mutex_unlock(&l->lock);
		write_all(l->fd, full, n);
		pthread_mutex_lock(&l->lock);
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

struct bf_reqlog *bf_reqlog_start(int fd)
{
	struct bf_reqlog *l = bf_xcalloc(1, sizeof(*l));
	l->fd = fd;
	l->fill = bf_xmalloc(BF_REQLOG_BUFFER);
	l->spare = bf_xmalloc(BF_REQLOG_BUFFER);
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->ready, NULL);
	if (pthread_create(&l->thread, NULL, writer, l) != 0) {
		pthread_cond_destroy(&l->ready);
		pthread_mutex_destroy(&l->lock);
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
	pthread_mutex_lock(&l->lock);
	bool kept = len <= BF_REQLOG_BUFFER - l->used;
	if (kept) {
		memcpy(l->fill + l->used, line, len);
		/* The writer waits only while the buffer is empty. */
		if (l->used == 0)
			pthread_cond_signal(&l->ready);
		l->used += len;
	}
	pthread_mutex_unlock(&l->lock);
	return kept;
}

void bf_reqlog_stop(struct bf_reqlog *l)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->lock);
	l->stop = true;
	pthread_cond_signal(&l->ready);
	pthread_mutex_unlock(&l->lock);
	pthread_join(l->thread, NULL);
	pthread_cond_destroy(&l->ready);
	pthread_mutex_destroy(&l->lock);
	free(l->fill);
	free(l->spare);
	free(l);
}
