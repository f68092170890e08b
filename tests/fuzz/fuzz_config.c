/* fuzz_config.c: the configuration reader on any bytes, through
 * config_load() with an explicit path, as `--config FILE` reads it. A
 * crash, a leak, a failed assertion or undefined behaviour is a finding;
 * a refusal must name the file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/config.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A few of the UI's request names, so that config_keys_check runs over
 * whatever ui.keys the input binds. */
static const char *const requests[] = {"quit", "help", "save", "search"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_file(data, size);
	char err[CONFIG_ERR_MAX];
	struct config c;

	if (!path)
		abort();
	if (!config_load(&c, path, err, sizeof(err))) {
		/* Every refusal names a file: this one or one it included. */
		if (!err[0] || !strstr(err, ": ")) {
			fprintf(stderr,
			        "fuzz_config: a refusal without the "
			        "file: \"%s\"\n",
			        err);
			abort();
		}
		config_free(&c);
		return 0;
	}
	(void)config_keys_check(&c, requests,
	                        sizeof(requests) / sizeof(requests[0]), err,
	                        sizeof(err));
	(void)config_key_for(&c, "quit");
	config_free(&c);
	return 0;
}
