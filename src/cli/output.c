/* output.c: what every command prints the same way: explanations, error
 * messages and every other line that echoes a name, all through the
 * terminal sanitiser (names, file names and server messages may hold
 * anything). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/cli.h"
#include "accessdesk/csv.h"
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

/* Every message goes out here: file names, arguments and server text
 * echoed in it may hold anything, so the whole line is sanitised. */
static void print_line(FILE *out, const char *prefix, const char *fmt,
                       va_list ap)
{
	char msg[2048], clean[2048];
	vsnprintf(msg, sizeof msg, fmt, ap);
	text_sanitize(clean, sizeof clean, msg, true);
	fprintf(out, "%s%s\n", prefix, clean);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	print_line(stderr, "accessdesk: ", fmt, ap);
	va_end(ap);
}

void cli_line(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	print_line(out, "", fmt, ap);
	va_end(ap);
}

enum csv_cells cli_csv_cells(void)
{
	return cli_opts.exact_csv ? CSV_EXACT : CSV_SAFE;
}

bool cli_csv_row(FILE *out, const char *const *fields, int n, bool terminal)
{
	enum csv_cells cells = cli_csv_cells();
	if (!terminal)
		return csv_row(out, fields, n, cells);
	/* sanitised text is never longer than the text: a field's own length
	 * is room enough, so nothing is cut */
	char *clean[CLI_CSV_FIELDS] = {NULL};
	const char *safe[CLI_CSV_FIELDS] = {NULL};
	if (n > CLI_CSV_FIELDS)
		n = CLI_CSV_FIELDS;
	bool ok = true;
	for (int i = 0; i < n; i++) {
		size_t len = fields[i] ? strlen(fields[i]) + 1 : 1;
		if (!(clean[i] = malloc(len))) {
			ok = false;
			break;
		}
		text_sanitize(clean[i], len, fields[i] ? fields[i] : "", true);
		safe[i] = clean[i];
	}
	ok = ok && csv_row(out, safe, n, cells);
	for (int i = 0; i < n; i++)
		free(clean[i]);
	return ok;
}

bool cli_wants_help(int argc, char **argv, const char *usage)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return true;
		}
	return false;
}

int cli_usage_error(const char *cmd, const char *usage, const char *what,
                    const char *arg)
{
	if (arg)
		cli_error("%s: %s \"%s\"", cmd, what, arg);
	else
		cli_error("%s: %s", cmd, what);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int cli_take_option(int argc, char **argv, int *i, const char *const *names,
                    const char **const *slots, int n, const char *cmd,
                    const char *usage)
{
	const char *a = argv[*i];
	for (int k = 0; k < n; k++) {
		size_t len = strlen(names[k]);
		if (strncmp(a, names[k], len) != 0 ||
		    (a[len] != '\0' && a[len] != '='))
			continue;
		if (*slots[k]) {
			cli_usage_error(cmd, usage, "given twice:", names[k]);
			return -2;
		}
		if (a[len] == '=') {
			*slots[k] = a + len + 1;
		} else if (*i + 1 < argc) {
			*slots[k] = argv[++*i];
		} else {
			cli_usage_error(cmd, usage, "a value is needed after",
			                names[k]);
			return -2;
		}
		return k;
	}
	return -1;
}
