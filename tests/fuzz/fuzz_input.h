/* fuzz_input.h: the one way the fuzz targets hand an input to a loader
 * that takes a path (policy_load and config_load read files, and reading
 * from memory would skip the very code under test: the checks on the
 * file, libconfig's reading, @include relative to the file's directory).
 * The input goes into one file in a private directory, rewritten for each
 * input. */
#ifndef ACCESSDESK_FUZZ_INPUT_H
#define ACCESSDESK_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* The path of a regular file holding exactly data; NULL (with the reason
 * on stderr) when it cannot be written, which the target treats as fatal:
 * a fuzzer that tests nothing must not seem to pass. */
const char *fuzz_input_file(const uint8_t *data, size_t size);

#endif
