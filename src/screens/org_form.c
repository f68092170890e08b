/* org_form.c: being written (issue 9). */
#include "accessdesk/store.h"
