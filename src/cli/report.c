/* report.c: `accessdesk report`: the Organisation / User report as RFC
 * 4180 CSV on standard output (the one CSV writer, csv.h, as the console's
 * r writes it). Values are written as stored, but with a quote before a
 * value a spreadsheet would take for a formula (csv.h, unless
 * --exact-csv), and when standard output is a terminal, where a stored
 * control sequence would act, they pass the sanitiser first. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accessdesk/cli.h"
#include "accessdesk/store.h"

/* The same row, each field through the terminal sanitiser. */
static bool csv_row_for_terminal(void *ctx, const char *const *fields)
{
	return cli_csv_row(ctx, fields, STORE_REPORT_COLUMNS, true);
}

int cli_report(int argc, char **argv)
{
	if (argc != 0) {
		cli_error("usage: accessdesk report > FILE.csv");
		return EXIT_USAGE;
	}
	char op[128];
	struct store *s = cli_connect_as(op, sizeof op);
	if (!s)
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	struct store_error err = {0};
	/* To a file or a pipe the database writes the CSV (the same bytes,
	 * store_report_copy); a terminal needs each field for the sanitiser. */
	bool terminal = isatty(STDOUT_FILENO);
	long rows;
	if (terminal) {
		csv_row_for_terminal(stdout, store_report_columns);
		rows = store_report(s, op, NULL, csv_row_for_terminal, stdout,
		                    &err);
	} else {
		store_report_csv_row(stdout, store_report_columns);
		rows = store_report_copy(s, op, NULL, cli_csv_cells(), stdout,
		                         &err);
	}
	if (rows >= 0 && fflush(stdout) == 0)
		status = 0;
	else if (err.message[0])
		cli_error("report: %s", err.message);
	else
		cli_error("report: could not write the rows: %s",
		          strerror(errno));
	store_disconnect(s);
	return status;
}
