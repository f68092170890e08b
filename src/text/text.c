/* text.c: sanitising text for the terminal. Pure C, no locale calls: the
 * caller says whether the terminal speaks UTF-8. */
#include <string.h>

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
