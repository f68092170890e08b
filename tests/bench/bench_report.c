/* bench_report.c: the Organisation / User report against a database (not
 * run by the tests), written to /dev/null both ways `accessdesk report`
 * writes it: as the database's CSV (store_report_copy, a file or a pipe)
 * and row by row through csv_row (store_report, as for a terminal, without
 * the sanitiser). Connects through libpq's environment (or -d), acts as
 * OPERATOR (default "admin"), and prints rows per second, best of -n runs
 * (default 3). Each run includes what the report does before its
 * statement: the operator's world and reach.
 *
 *   PGDATABASE=... bench_report [-d CONNINFO] [-n RUNS] [OPERATOR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/store.h"
#define BENCH "bench_report"
#include "bench.h"

int main(int argc, char **argv)
{
	const char *conninfo = NULL, *op = "admin";
	int reps = 3;
	/* the operator is the one argument that is not an option */
	if (argc > 1 && argv[argc - 1][0] != '-' &&
	    (argc < 3 || argv[argc - 2][0] != '-')) {
		op = argv[argc - 1];
		argc--;
	}
	bench_options(argc, argv,
	              "bench_report [-d CONNINFO] [-n RUNS] [OPERATOR]",
	              &conninfo, &reps);
	struct store_error err = {0};
	struct store *s = bench_connect(conninfo);
	FILE *null = fopen("/dev/null", "w");
	if (!null) {
		perror("bench_report: /dev/null");
		return 1;
	}
	static const char *const ways[] = {"COPY (file or pipe)",
	                                   "row by row (csv_row)"};
	for (int way = 0; way < 2; way++) {
		double best = 1e18;
		long rows = 0;
		for (int i = 0; i < reps; i++) {
			double t0 = now_ms();
			rows = way == 0 ? store_report_copy(
			                      s, op, NULL, CSV_SAFE, null, &err)
			                : store_report(s, op, NULL,
			                               store_report_csv_row,
			                               null, &err);
			if (rows < 0 || fflush(null) != 0)
				die("report", &err);
			double t = now_ms() - t0;
			if (t < best)
				best = t;
		}
		printf("report as %s, %s: %ld rows in %.2f s, %.0f rows/s\n",
		       op, ways[way], rows, best / 1e3,
		       rows / (best > 0 ? best / 1e3 : 1));
	}
	fclose(null);
	store_disconnect(s);
	return 0;
}
