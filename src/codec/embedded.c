/* Look-up of the files cmake/embed.cmake compiled in. */
#include "codec/embedded.h"

#include <string.h>

const struct bf_embedded_file *bf_embedded_find(const char *name)
{
	for (const struct bf_embedded_file *f = bf_embedded_files; f->name != NULL; f++) {
		if (strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}
