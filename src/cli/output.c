/* output.c: what every command prints the same way: explanations and
 * error messages, both through the terminal sanitiser (names and server
 * messages may hold anything). */
#include <stdarg.h>
#include <stdio.h>

#include "accessdesk/cli.h"
#include "accessdesk/text.h"

void cli_print_reasons(FILE *out, const struct engine_world *w,
                       const struct engine_explain *ex)
{
	char line[512], clean[512];
	for (int i = 0; i < ex->n; i++) {
		engine_reason_format(w, &ex->r[i], line, sizeof line);
		text_sanitize(clean, sizeof clean, line, true);
		fprintf(out, "%*s%s\n", 2 + 2 * ex->r[i].depth, "", clean);
	}
	if (ex->nomem)
		fprintf(out, "  (some reasons were lost: out of memory)\n");
}

void cli_error(const char *fmt, ...)
{
	char msg[2048], clean[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	text_sanitize(clean, sizeof clean, msg, true);
	fprintf(stderr, "accessdesk: %s\n", clean);
}
