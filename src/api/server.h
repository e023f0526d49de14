/* The HTTP/JSON server: libmicrohttpd with an epoll thread pool in front
 * of the service layer. */
#ifndef BF_API_SERVER_H
#define BF_API_SERVER_H

#include "model/error.h"
#include "service/service.h"

struct bf_simrun;
struct bf_sync;

#include <stdint.h>

struct bf_server_config {
	const char *bind;         /* numeric address: "127.0.0.1" (default) or "::1" */
	uint16_t port;            /* 0 picks a free port; see bf_server_port() */
	unsigned threads;         /* worker threads; 0 means 4 */
	struct bf_simrun *simrun; /* answers /v1/simulations (simrun/runner.h); NULL: 503 there */
	struct bf_sync *sync;     /* the puller of the peer's chain (peer/sync.h); NULL on a lone node */
	enum bf_log_format {
		BF_LOG_JSON, /* one JSON object a line on stderr (the default) */
		BF_LOG_LOGFMT,
		BF_LOG_OFF,
	} log_format; /* the line written for each request */
	/* HTTPS: the server's certificate (chain) and private key, as PEM
	 * text; both NULL: plain HTTP. */
	const char *tls_cert_pem, *tls_key_pem;
};

/* Threads that answer requests that write, for each of THREADS (server.c);
 * with them, the store connections a server wants: THREADS × (1 + this)
 * + 1. */
#define BF_SERVER_WRITERS_PER_THREAD 4

/* Largest request body accepted; larger ones get 413. */
#define BF_MAX_BODY          (64u * 1024u)
/* Longest path and query accepted (414 past it), and most bytes of header
 * fields in all (431 past it). Each connection reads a request's head
 * into BF_CONNECTION_MEMORY bytes: past that, the HTTP library refuses it
 * itself (docs/api.md says how). */
#define BF_MAX_TARGET        (8u * 1024u)
#define BF_MAX_HEADERS       (16u * 1024u)
#define BF_CONNECTION_MEMORY (64u * 1024u)

struct bf_server;

/* Starts serving SVC, which must outlive the server. */
int bf_server_start(const struct bf_server_config *cfg, struct bf_service *svc, struct bf_server **out,
                    struct bf_error *err);
uint16_t bf_server_port(const struct bf_server *srv);
/* Stops accepting, finishes requests in flight, frees the server. */
void bf_server_stop(struct bf_server *srv);

#endif
