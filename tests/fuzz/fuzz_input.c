/* fuzz_input.c: see fuzz_input.h. */
#include "fuzz_input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[PATH_MAX];
static char file[PATH_MAX + 32];

/* The private directory goes when the process ends normally. */
static void remove_dir(void)
{
	unlink(file);
	rmdir(dir);
}

const char *fuzz_input_file(const uint8_t *data, size_t size)
{
	size_t done = 0;
	int fd;

	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/accessdesk-fuzz.XXXXXX",
		         t && *t ? t : "/tmp");
		if (!mkdtemp(dir)) {
			fprintf(stderr, "fuzz: %s: %s\n", dir, strerror(errno));
			dir[0] = '\0';
			return NULL;
		}
		snprintf(file, sizeof(file), "%s/input.conf", dir);
		atexit(remove_dir);
	}
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "fuzz: %s: %s\n", file, strerror(errno));
		return NULL;
	}
	while (done < size) {
		ssize_t got = write(fd, data + done, size - done);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			fprintf(stderr, "fuzz: %s: %s\n", file,
			        strerror(errno));
			close(fd);
			return NULL;
		}
		done += (size_t)got;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "fuzz: %s: %s\n", file, strerror(errno));
		return NULL;
	}
	return file;
}
