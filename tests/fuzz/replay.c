/* replay.c: a fuzz target's main() for the normal suite (gcc, and the
 * sanitizer build): runs LLVMFuzzerTestOneInput once on every file of the
 * directories given, in name order, one TAP line each. An input that
 * crashes the target, or trips the sanitizers, ends the run with a signal
 * or a non-zero exit, so meson counts the test failed; an input that
 * returns is ok. The fuzzers' findings are kept in the corpus, so each is
 * replayed here on every run.
 *
 * Usage: replay DIR... */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whole of path, or NULL with the reason on stderr. */
static uint8_t *read_input(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - n < 4096) {
			uint8_t *b = realloc(buf, cap ? cap * 2 : 65536);

			if (!b) {
				fprintf(stderr, "replay: %s: out of memory\n",
				        path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

/* Runs every file of dir; returns the number of tests written, or -1
 * when dir cannot be listed. *bad counts the inputs that could not be
 * read. */
static int replay_dir(const char *dir, int first, int *bad)
{
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 64) *
			                               sizeof(*names));

			if (!nn)
				abort();
			names = nn;
		}
		if (!(names[n++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		char path[4096];
		size_t size = 0;
		uint8_t *data;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		data = read_input(path, &size);
		if (data) {
			LLVMFuzzerTestOneInput(data, size);
			printf("ok %d - %s (%zu bytes)\n", first + (int)i, path,
			       size);
		} else {
			printf("not ok %d - %s: cannot be read\n",
			       first + (int)i, path);
			++*bad;
		}
		fflush(stdout);
		free(data);
		free(names[i]);
	}
	free(names);
	return (int)n;
}

int main(int argc, char **argv)
{
	int total = 0, bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int got = replay_dir(argv[i], total + 1, &bad);

		if (got < 0)
			return 1;
		total += got;
	}
	if (total == 0) {
		printf("1..0 # SKIP no inputs\n");
		fprintf(stderr, "replay: no inputs in the directories given\n");
		return 1;
	}
	printf("1..%d\n", total);
	return bad ? 1 : 0;
}
