/* count.c: thousands separators (count.h). */
#include <stdio.h>
#include <string.h>

#include "accessdesk/count.h"

char *count_text(char *buf, size_t len, long long n)
{
	char digits[32], out[48];
	/* the magnitude as unsigned: -LLONG_MIN does not fit a long long */
	unsigned long long m =
	    n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	int nd = snprintf(digits, sizeof digits, "%llu", m), at = 0;
	if (n < 0)
		out[at++] = '-';
	for (int i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[at++] = ',';
		out[at++] = digits[i];
	}
	out[at] = '\0';
	if (len > 0)
		snprintf(buf, len, "%s", out);
	return buf;
}
