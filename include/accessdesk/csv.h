/* csv.h: RFC 4180 rows, the one CSV writer of every CSV the program
 * writes (the Organisation / User report, the audit trail, Who has
 * access?; from the command line and from the console's r). */
#ifndef ACCESSDESK_CSV_H
#define ACCESSDESK_CSV_H

#include <stdbool.h>
#include <stdio.h>

/* The line end of every row (RFC 4180), for csv_row and for a row the
 * database wrote as CSV (store_copy_csv, which ends its rows in \n). */
#define CSV_EOL "\r\n"

/* How a cell's value is written. CSV_SAFE (the default) writes a value
 * that begins with =, +, -, @, TAB or CR with a single quote before it,
 * so that a spreadsheet opening the file shows it as text instead of
 * running it as a formula (OWASP's advice on CSV injection); a phone
 * number "+44 ..." or "-1" gets the quote too. CSV_EXACT writes every
 * value as stored (--exact-csv). The database's twin of the rule, for the
 * report it writes itself, is ad_csv_cell (sql/020_csv_cells.sql). */
enum csv_cells { CSV_SAFE, CSV_EXACT };

/* True when CSV_SAFE puts a quote before the value s. */
bool csv_cell_neutralised(const char *s);

/* Writes one row of n fields to out: CRLF line end; a field is quoted
 * when it holds a comma, a quote, CR or LF, with quotes doubled; a NULL
 * field is written empty. False on a write error. */
bool csv_row(FILE *out, const char *const *fields, int n, enum csv_cells cells);

#endif
