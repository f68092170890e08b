/* text.c: sanitising text for the terminal. Pure C, no locale calls: the
 * caller says whether the terminal speaks UTF-8. And the one way a file
 * the user names is opened for reading (text_file_open). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessdesk/fields.h"
#include "accessdesk/text.h"

long text_utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
	return field_utf8_decode(s, n, len);
}

bool text_is_hostile(long cp)
{
	return field_is_control(cp) ||           /* C0, DEL, C1 */
	       cp == 0x061C ||                   /* Arabic letter mark */
	       cp == 0x180E ||                   /* Mongolian vowel sep. */
	       (cp >= 0x200B && cp <= 0x200F) || /* zero-width, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202E) || /* separators, embeddings */
	       (cp >= 0x2060 && cp <= 0x206F) || /* joiners, isolates */
	       cp == 0xFEFF ||                   /* zero-width no-break */
	       (cp >= 0xFFF9 && cp <= 0xFFFB);   /* interlinear annotation */
}

size_t text_sanitize(char *dst, size_t cap, const char *src, bool utf8)
{
	if (cap == 0)
		return 0;
	const unsigned char *s = (const unsigned char *)(src ? src : "");
	size_t n = strlen((const char *)s), at = 0;
	while (n > 0) {
		size_t len;
		long cp = text_utf8_decode(s, n, &len);
		bool keep =
		    cp >= 0 && !text_is_hostile(cp) && (utf8 || cp < 0x80);
		size_t out = keep ? len : 1;
		if (at + out >= cap)
			break;
		if (keep)
			memcpy(dst + at, s, len);
		else
			dst[at] = '?';
		at += out;
		s += len;
		n -= len;
	}
	dst[at] = '\0';
	return at;
}

/* Edit distance: names are short, so the plain two-row algorithm is
 * cheap; longer strings are not compared. */
static int edit_distance(const char *a, const char *b)
{
	int row[2][33];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > 32 || lb > 32)
		return 99;
	for (j = 0; j <= lb; j++)
		row[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		int *cur = row[i & 1], *prev = row[(i - 1) & 1];

		cur[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
	}
	return row[la & 1][lb];
}

const char *text_nearest(const char *name, const char *const *names, size_t n)
{
	const char *best = NULL;
	int best_d = 3; /* suggest only within two edits */

	for (size_t i = 0; i < n; i++) {
		int d = edit_distance(name, names[i]);

		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	return best;
}

int text_order(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What a path that is not a regular file is instead. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "is a directory";
	if (S_ISFIFO(mode))
		return "is a FIFO (named pipe), not a regular file";
	if (S_ISCHR(mode))
		return "is a character device, not a regular file";
	if (S_ISBLK(mode))
		return "is a block device, not a regular file";
	if (S_ISSOCK(mode))
		return "is a socket, not a regular file";
	return "is not a regular file";
}

FILE *text_file_open(const char *path, const char **why)
{
	struct stat st;
	FILE *f;
	int fd, flags;

	/* O_NONBLOCK: opening a FIFO with no writer must not wait. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = file_kind(st.st_mode);
		close(fd);
		errno = 0;
		return NULL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 ||
	    !(f = fdopen(fd, "rb"))) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	return f;
}

char *text_file_read(const char *path, size_t *len, const char **why)
{
	FILE *f = text_file_open(path, why);
	char *buf = NULL, *b;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			if (!(b = realloc(buf, cap ? cap * 2 : 65536))) {
				*why = "out of memory";
				errno = ENOMEM;
				goto fail;
			}
			buf = b;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		*why = strerror(errno);
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

bool text_include_name(const char *t, size_t n, size_t i, char *buf, size_t len,
                       size_t *end)
{
	size_t at = 0;
	bool cut_off = false; /* a NUL met: the name, a C string, ends there */

	if (len == 0 || i > n || n - i < 9 ||
	    memcmp(t + i, "@include", 8) != 0 ||
	    (t[i + 8] != ' ' && t[i + 8] != '\t'))
		return false;
	for (i += 8; i < n && (t[i] == ' ' || t[i] == '\t'); i++)
		;
	if (i >= n || t[i++] != '"')
		return false;
	while (i < n && t[i] != '"') {
		if (t[i] == '\\' && i + 1 < n &&
		    (t[i + 1] == '\\' || t[i + 1] == '"')) {
			if (!cut_off && at + 1 < len)
				buf[at++] = t[i + 1];
			i += 2;
			continue;
		}
		size_t run = i, cut;

		while (i < n && t[i] != '"' && t[i] != '\\')
			i++;
		if (i < n && t[i] == '\\' && i == run)
			i++; /* a lone backslash: libconfig's to judge */
		cut = cut_off ? 0 : strnlen(t + run, i - run);
		if (cut < i - run)
			cut_off = true;
		if (cut >= len - at)
			cut = len - at - 1;
		memcpy(buf + at, t + run, cut);
		at += cut;
	}
	/* a name holding a NUL is none: libconfig and this reading could
	 * disagree on what follows it, so nothing of it is checked as a
	 * file's name; "" names the including file's directory, which the
	 * callers refuse */
	buf[cut_off ? 0 : at] = '\0';
	if (end)
		*end = i + 1;
	return i < n;
}
