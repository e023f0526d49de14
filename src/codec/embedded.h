/* Files compiled into the binary by cmake/embed.cmake: the bundled data
 * and the OpenAPI document. The bytes are static and NUL-terminated. */
#ifndef BF_CODEC_EMBEDDED_H
#define BF_CODEC_EMBEDDED_H

#include <stddef.h>

struct bf_embedded_file {
	const char *name;
	const char *data;
	size_t len;
};

extern const struct bf_embedded_file bf_embedded_files[];

/* The embedded file named NAME (a base name such as "gates.json"), or NULL. */
const struct bf_embedded_file *bf_embedded_find(const char *name);

#endif
