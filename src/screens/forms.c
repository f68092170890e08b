/* forms.c: what the console's forms (User Details, the organisation form)
 * do alike with a request their form widget left alone. */
#include "accessdesk/screens.h"

enum ui_result screen_form_rest(enum ui_request r, bool unsaved)
{
	switch (r) {
	case REQ_BACK:
	case REQ_QUIT:
		if (unsaved && !ui_confirm("Discard your unsaved changes?"))
			return UI_HANDLED;
		return UI_CLOSE;
	case REQ_HELP:
	case REQ_REDRAW:
	case REQ_CANCEL:
		return UI_IGNORED; /* the frame's */
	default:
		/* q, digits and Tab belong to the form while it is open */
		return UI_HANDLED;
	}
}
