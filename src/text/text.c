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
