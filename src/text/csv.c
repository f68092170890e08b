/* csv.c: RFC 4180 rows (csv.h). */
#include <string.h>

#include "accessdesk/csv.h"

bool csv_cell_neutralised(const char *s)
{
	/* OWASP's list: the characters a spreadsheet takes as the start of
	 * a formula, and TAB and CR, which some strip before looking */
	return s && *s && strchr("=+-@\t\r", *s) != NULL;
}

/* A NULL field (SQL NULL) is written empty. */
static void put_field(FILE *out, const char *s, enum csv_cells cells)
{
	if (!s)
		return;
	const char *prefix =
	    cells == CSV_SAFE && csv_cell_neutralised(s) ? "'" : "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(prefix, out);
		fputs(s, out);
		return;
	}
	fputc('"', out);
	fputs(prefix, out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

bool csv_row(FILE *out, const char *const *fields, int n, enum csv_cells cells)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		put_field(out, fields[i], cells);
	}
	fputs(CSV_EOL, out);
	return !ferror(out);
}
