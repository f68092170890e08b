/* output.c: what every command prints the same way: explanations and
 * error messages. */
#include <stdarg.h>
#include <stdio.h>

#include "accessdesk/cli.h"

void cli_print_reasons(FILE *out, const struct engine_world *w,
                       const struct engine_explain *ex)
{
	char line[512];
	for (int i = 0; i < ex->n; i++) {
		engine_reason_format(w, &ex->r[i], line, sizeof line);
		fprintf(out, "%*s%s\n", 2 + 2 * ex->r[i].depth, "", line);
	}
	if (ex->nomem)
		fprintf(out, "  (some reasons were lost: out of memory)\n");
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("accessdesk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
