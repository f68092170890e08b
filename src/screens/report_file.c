/* report_file.c: the console's one way of writing a CSV file (r on the
 * Users list, r on Who has access?): ask where, ask before replacing a
 * file that is there, write beside it and put it in its place whole, so a
 * report that fails or is cancelled (^C) leaves the older file as it was,
 * and say on the message line what happened. */
#include <stdio.h>
#include <unistd.h>

#include "accessdesk/count.h"
#include "accessdesk/screens.h"

void screen_write_csv(const char *prompt, const char *default_path,
                      long (*write)(FILE *f, void *ctx,
                                    struct store_error *err),
                      void *ctx)
{
	char path[512], question[600];
	snprintf(path, sizeof path, "%s", default_path);
	if (!ui_prompt(prompt, path, sizeof path) || !path[0])
		return;
	snprintf(question, sizeof question, "%s exists: replace it?", path);
	if (access(path, F_OK) == 0 && !ui_confirm(question)) {
		ui_message("%s: kept, the report was not written.", path);
		return;
	}
	char part[600];
	snprintf(part, sizeof part, "%s.part", path);
	FILE *f = fopen(part, "w");
	if (!f) {
		ui_error("%s: cannot write the report there", path);
		return;
	}
	struct store_error err = {0};
	long n = write(f, ctx, &err);
	char rows[32];
	if (fclose(f) != 0 || n < 0 || rename(part, path) != 0) {
		unlink(part);
		ui_error("%s: %s; nothing written", path,
		         err.message[0] ? err.message : "write error");
	} else {
		ui_message("Wrote %s row%s to %s.",
		           count_text(rows, sizeof rows, n), n == 1 ? "" : "s",
		           path);
	}
}
