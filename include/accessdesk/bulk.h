/* bulk.h: bulk loading: the NHS organisation hierarchy (bulk_import_ods) and
 * generated demo and benchmark data (bulk_seed).
 *
 * Both take a connected store with no transaction open and run everything in
 * one transaction of their own (store_begin_utf8 ... store_commit, rolled
 * back on any error), so nothing is ever half-written. Each writes one audit
 * row in that transaction. Rows travel by COPY (store_copy_*) into TEMP
 * staging tables and reach the real tables through set-based SQL (never a
 * query per row, never SQL built from input). On failure they return false
 * with "what and where" in err->message, for example
 *   data.csv:123: PRACTICE_CODE "" is not a valid organisation code
 *   import-ods: PRACTICE_CODE organisations: <the server's message>
 * and the server's SQLSTATE in err->sqlstate ("" for the loaders' own).
 */
#ifndef ACCESSDESK_BULK_H
#define ACCESSDESK_BULK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accessdesk/store.h"

/* ---- import of the NHS hierarchy ---------------------------------------- */

/* A PCN whose practices lie in more than one CCG: it gets one parent, the CCG
 * of most of its practices (ties: the lowest CCG code). */
struct ods_split_pcn {
	char *code;      /* the PCN's code */
	char *name;      /* its name */
	char *ccg;       /* the CCG chosen as its parent */
	long practices;  /* its practices in the file */
	char *ccg_split; /* each CCG with its practices, most first: "03W 4, 71E
	                    1" */
};

struct ods_counts {
	long rows; /* data rows read */
	/* distinct organisations in the file, by level */
	long regions, stps, ccgs, pcns, practices;
	long no_pcn; /* practices with PCN code U, placed under their CCG */
	long organisations; /* those of the file plus the root */
	/* what the import did to those organisations, found by lower(code); an
	 * existing organisation may be renamed and moved at once */
	long inserted;
	long renamed;
	long moved;
	long made_sites; /* existing organisations that became sites */
	long unchanged;
	size_t split_pcns;           /* PCNs in more than one CCG */
	struct ods_split_pcn *split; /* split_pcns of them, by code; owned */
};

/* Frees what the counts own (the split PCN list) and zeroes them. */
void bulk_ods_counts_free(struct ods_counts *counts);

/* Imports the NHS GP practice hierarchy CSV (see shared/data/README.md):
 * root "nhs" (created if absent) > regions > STPs > CCGs > PCNs > practices
 * (sites). PCN code U means no PCN: the practice goes under its CCG.
 * Idempotent: an organisation already present (same code, compared
 * case-insensitively) is renamed and moved in place, never duplicated.
 * Organisations absent from the file are left alone. On success fills *out
 * (free with bulk_ods_counts_free); on failure *out is left zeroed. */
bool bulk_import_ods(struct store *s, const char *csv_path,
                     struct ods_counts *out, struct store_error *err);

/* ---- generated demo and benchmark data ---------------------------------- */

struct seed_options {
	long n_users;           /* generated users, besides the demo login */
	uint64_t seed;          /* the same seed gives the same data */
	const char *demo_login; /* NULL or "": "admin" */
};

/* Rows written, per table. users includes the demo login. */
struct seed_counts {
	long users;
	long disabled;
	long grants;
	long grant_roles;
	long grant_payment_types;
	long grant_clusters;
	long clusters;
	long cluster_members;
	long studies;
	long profile_roles;
	long site_restrictions;
	long restricted_studies;
	long study_access;
};

/* Generates users, grants, clusters, studies and study profiles over the
 * organisations below the root "nhs" (run bulk_import_ods first), plus the
 * demo System Administrator (demo_login) at nhs with every payment type, no
 * cluster, and the profile role Study Administrator. Needs the built-in roles
 * (sql/002) and a database with no users, clusters or studies yet. */
bool bulk_seed(struct store *s, const struct seed_options *o,
               struct seed_counts *out, struct store_error *err);

#endif
