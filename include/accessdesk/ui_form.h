/* ui_form.h: the form widget (src/ui/form.c). */
#ifndef ACCESSDESK_UI_FORM_H
#define ACCESSDESK_UI_FORM_H

#include "accessdesk/ui.h"

#endif
