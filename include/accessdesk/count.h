/* count.h: counts as people read them, "2,314": every count the console
 * and the commands show goes through it. */
#ifndef ACCESSDESK_COUNT_H
#define ACCESSDESK_COUNT_H

#include <stddef.h>

/* n with a comma between each group of three digits ("-1,000,001"), into
 * buf (len bytes, always terminated); returns buf, for printf's %s. */
char *count_text(char *buf, size_t len, long long n);

#endif
