/* migrations.h: the migrations embedded by embed.c, in version order. */
#ifndef ACCESSDESK_MIGRATIONS_H
#define ACCESSDESK_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int n_migrations;

#endif
