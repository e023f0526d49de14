/* The request log's writer: request threads hand their lines to a thread
 * of its own, which writes them in batches. A line written by the request
 * thread itself (one write(2) each) held that thread, and every connection
 * it serves, whenever the log's disk was slow; at tens of thousands of
 * requests a second the writes alone cost a third of the server's
 * throughput. A line that finds the buffer full (the disk has fallen
 * behind by BF_REQLOG_BUFFER bytes) is dropped and counted, never waited
 * for. Lines are written in the order they were handed over, within a
 * few milliseconds; those not yet written when the process is killed are
 * lost (the data they describe is not: it is in the store). */
#ifndef BF_API_REQLOG_H
#define BF_API_REQLOG_H

#include <stdbool.h>
#include <stddef.h>

#define BF_REQLOG_BUFFER (1u << 20)

struct bf_reqlog;

/* Starts the writer of file descriptor FD (not closed at the end); NULL
 * if its thread cannot start (lines are then written at once). */
struct bf_reqlog *bf_reqlog_start(int fd);
/* Hands over LEN bytes, whole lines; false when they were dropped. */
bool bf_reqlog_write(struct bf_reqlog *l, const char *line, size_t len);
/* Writes what is left, stops the thread, frees L. */
void bf_reqlog_stop(struct bf_reqlog *l);

#endif
