/* form.c: the form widget. */
#include "accessdesk/ui_form.h"
#include "ui_internal.h"
