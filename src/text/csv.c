/* csv.c: RFC 4180 rows (csv.h). */
#include <string.h>

#include "accessdesk/csv.h"

/* A NULL field (SQL NULL) is written empty. */
static void put_field(FILE *out, const char *s)
{
	if (!s)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

bool csv_row(FILE *out, const char *const *fields, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		put_field(out, fields[i]);
	}
	fputs(CSV_EOL, out);
	return !ferror(out);
}
