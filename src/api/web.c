/* The dashboard's static files: the bundle of web/ that the build compiles
 * into the binary (cmake/embed.cmake names them "web/..."), served at / and
 * under /assets/ with their media types. */
#include "api/handlers.h"
#include "codec/embedded.h"

#include <stdio.h>
#include <string.h>

/* The media type of a file by its extension; NULL for one not served. */
static const char *media_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"},        {".js", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},          {".svg", "image/svg+xml"},
	    {".json", "application/json; charset=utf-8"},
	};
	const char *dot = strrchr(name, '.');
	if (dot == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	}
	return NULL;
}

static void serve_file(struct bf_reply *r, const char *name)
{
	char key[160];
	const struct bf_embedded_file *f;
	const char *type = media_type(name);
	snprintf(key, sizeof(key), "web/%s", name);
	f = type ? bf_embedded_find(key) : NULL;
	if (f == NULL) {
		bf_reply_error(r, 404, "not_found", "", "no such file: /assets/%s", name);
		return;
	}
	r->status = 200;
	r->raw = f->data;
	r->raw_len = f->len;
	r->content_type = type;
}

void bf_h_web_index(struct bf_call *c, struct bf_reply *r)
{
	(void)c;
	serve_file(r, "index.html");
	if (r->status == 404)
		bf_reply_error(r, 500, "internal", "", "the dashboard is not built in");
}

void bf_h_web_asset(struct bf_call *c, struct bf_reply *r)
{
	/* Only files of the bundle's top level: index.html is served at /. */
	if (strcmp(c->params[0], "index.html") == 0) {
		bf_reply_error(r, 404, "not_found", "", "no such file: /assets/%s", c->params[0]);
		return;
	}
	serve_file(r, c->params[0]);
}
