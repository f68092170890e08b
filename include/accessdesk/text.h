/* text.h: the one sanitiser for text that reaches a terminal (screens.md,
 * "Terminal behaviour"): names, emails, codes and server notices from the
 * database never send a control character and never move the cursor. */
#ifndef ACCESSDESK_TEXT_H
#define ACCESSDESK_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Copies src into dst (cap bytes, always terminated), replacing with '?'
 * each C0 control (TAB, CR, LF and BS included), DEL, C1 control, byte of
 * invalid UTF-8, and zero-width, bidi-control or line/paragraph separator
 * character. With utf8 false (a C locale) every non-ASCII character
 * becomes one '?', so columns stay where they were. A character that does
 * not fit whole is dropped. Returns the length written. */
size_t text_sanitize(char *dst, size_t cap, const char *src, bool utf8);

/* Decodes one UTF-8 character at s (n bytes available): its code point,
 * or -1 for an invalid or truncated sequence; *len gets the bytes used
 * (1 for an invalid byte). */
long text_utf8_decode(const unsigned char *s, size_t n, size_t *len);

/* Is the code point one that must never reach the terminal? */
bool text_is_hostile(long cp);

/* For "did you mean": the name of names nearest to name within two edits
 * (the first of the nearest), or NULL. */
const char *text_nearest(const char *name, const char *const *names, size_t n);

/* qsort and bsearch's comparison of two char * (the elements of an array
 * of strings), in byte order. */
int text_order(const void *a, const void *b);

#endif
