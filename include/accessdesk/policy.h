/* policy.h: policy files (policy-file.md), read with libconfig.
 *
 * A policy file describes a whole world: organisations, roles, clusters,
 * studies, settings, users with their access, study access entries and
 * assertions. policy_load() validates everything and builds an engine world;
 * a bad file is rejected whole with "FILE:LINE: message".
 */
#ifndef ACCESSDESK_POLICY_H
#define ACCESSDESK_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

#include "accessdesk/engine.h"

struct policy_assertion {
	int line; /* line of the assertion's { } in the file */
	int user; /* engine ids */
	int action;
	int org;     /* -1 when the assertion names a study */
	int study;   /* -1 when it names an organisation */
	int payment; /* -1 when none */
	bool expect_allow;
};

/* Do not copy or move a loaded struct policy: the settings in cfg point
 * back at it. */
struct policy {
	char *file;                 /* as given */
	config_t cfg;               /* the parsed file, kept for db load */
	struct engine_world *world; /* owned unless the caller supplied it */
	bool owns_world;
	struct policy_assertion *assertions;
	int n_assertions;
};

#define POLICY_ERR_MAX 1024

/* Reads FILE into a new world (the built-in roles included). On success
 * returns true and fills *p (free with policy_free()). On failure returns
 * false, writes "FILE:LINE: message" (no newline) into err, and leaves
 * nothing to free (*p is zeroed; policy_free() on it does nothing). A file
 * that cannot be opened gives "FILE: reason", with no line. Errors in an
 * @include'd file (read relative to FILE's directory) name that file. */
bool policy_load(const char *file, struct policy *p, char *err, size_t errlen);

/* The same onto an existing, indexed world, for db load: everything the file
 * defines must be new (an existing key is an error at its line); references
 * may point to what the world already holds. On failure the world may hold
 * part of the file: the caller discards it. */
bool policy_load_into(const char *file, struct engine_world *w,
                      struct policy *p, char *err, size_t errlen);

void policy_free(struct policy *p);

#endif
