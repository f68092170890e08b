/* test_orgs.c: being written (issue 9). */
#include <stdio.h>
int main(void)
{
	puts("1..0 # SKIP being written");
	return 0;
}
