/* fuzz_policy.c: the policy loader on any bytes, through policy_load(),
 * the entry point of `check --policy` and `policy test`. A crash, a leak,
 * a failed assertion or undefined behaviour is a finding; a refusal is
 * the right answer to most inputs, and it must say where. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/policy.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_file(data, size);
	char err[POLICY_ERR_MAX];
	struct policy p;

	if (!path)
		abort();
	if (policy_load(path, &p, err, sizeof(err))) {
		policy_free(&p);
		return 0;
	}
	/* Every refusal names a file: this one or one it included. */
	if (!err[0] || !strstr(err, ": ")) {
		fprintf(stderr,
		        "fuzz_policy: a refusal without a place: "
		        "\"%s\"\n",
		        err);
		abort();
	}
	policy_free(&p); /* a refused load leaves nothing; this is a no-op */
	return 0;
}
