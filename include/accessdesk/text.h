/* text.h: the one sanitiser for text that reaches a terminal (screens.md,
 * "Terminal behaviour"): names, emails, codes and server notices from the
 * database never send a control character and never move the cursor. Also
 * the one opening of a file a user names (text_file_open). */
#ifndef ACCESSDESK_TEXT_H
#define ACCESSDESK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

/* Opens a file a user named (--config, a policy file and its @include,
 * db import-ods) for reading, without blocking, and only if it is a regular
 * file: a FIFO, a device, a directory or a socket is refused. NULL on
 * failure, with *why the reason for a message "PATH: reason" (a string
 * that is not to be freed) and errno that of open(2), or 0 when the path
 * was opened but is no regular file. */
FILE *text_file_open(const char *path, const char **why);

/* The whole of such a file, NUL-terminated (NULs inside kept), *len (when
 * not NULL) its length; free() it. NULL on failure, with *why and errno
 * as text_file_open's (or a read error's, or "out of memory"). */
char *text_file_read(const char *path, size_t *len, const char **why);

/* The NAME of an `@include "NAME"` directive at t[i] (n bytes in all; the
 * directive starts a line), as libconfig 1.5's scanner reads it, so that
 * the file it will open can be checked first: up to the next '"' that is
 * not escaped, across lines, with \\ and \" unescaped; a name that holds
 * a NUL byte is given as "" (the including file's directory, refused).
 * Into buf (cut to len - 1 bytes), *end (when not NULL) just past the
 * closing quote; false when there is no such directive or its name never
 * ends. */
bool text_include_name(const char *t, size_t n, size_t i, char *buf, size_t len,
                       size_t *end);

/* qsort and bsearch's comparison of two char * (the elements of an array
 * of strings), in byte order. */
int text_order(const void *a, const void *b);

#endif
