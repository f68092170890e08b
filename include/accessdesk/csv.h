/* csv.h: RFC 4180 rows, the one CSV writer (the Organisation / User
 * report of `accessdesk report` and of the console's r). */
#ifndef ACCESSDESK_CSV_H
#define ACCESSDESK_CSV_H

#include <stdbool.h>
#include <stdio.h>

/* The line end of every row (RFC 4180), for csv_row and for a row the
 * database wrote as CSV (store_copy_csv, which ends its rows in \n). */
#define CSV_EOL "\r\n"

/* Writes one row of n fields to out: CRLF line end; a field is quoted
 * when it holds a comma, a quote, CR or LF, with quotes doubled. Values
 * are written exactly as given. False on a write error. */
bool csv_row(FILE *out, const char *const *fields, int n);

#endif
