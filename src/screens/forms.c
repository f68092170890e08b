/* forms.c: what the console's forms (User Details, the organisation and
 * cluster forms) do alike with a request their form widget left alone, and
 * the key handling of a form whose Submit is one step. */
#include "accessdesk/screens.h"
#include "accessdesk/ui_form.h"

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

enum ui_result screen_form_key(struct ui_screen *s, struct ui_form *ui, int k,
                               enum ui_request r, void (*submit)(void *ctx),
                               void *ctx, const bool *done)
{
	enum ui_result res = UI_HANDLED;
	if (r == REQ_SUBMIT)
		submit(ctx);
	else
		res = ui_form_key(ui, k, r);
	/* saved: back to what opened it, which shows it */
	if (*done)
		return UI_CLOSE;
	if (res != UI_IGNORED)
		return res;
	return screen_form_rest(r, s->unsaved && s->unsaved(s));
}
