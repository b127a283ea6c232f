/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The schema tables and the value types they refer to, for conf.c and the
 * schemas that use it: dotsd's (conf_schema.c) and dotscd's
 * (src/clientd/conf_clientd.c).  A keyword's entry says where its value
 * lives (an offset into the object of its scope: the top-level struct or
 * one block's element) and which value type parses, prints and frees it.
 * A struct conf_schema ties a table to the struct it fills and to the few
 * rules that span keywords, so that one parser serves both daemons.
 */
#ifndef DOTS_CONF_INT_H
#define DOTS_CONF_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"

enum conf_scope {
	CONF_SC_TOP,
	CONF_SC_MITIGATOR,
	CONF_SC_CLIENT,
	CONF_SC_SERVER,		/* dotscd: server "NAME" { ... } */
	CONF_SC_THRESHOLD,	/* dotscd: threshold "NAME" { ... } */
	CONF_SC_OFFLOAD,	/* dotscd: offload "NAME" { ... } */
	CONF_SC_COUNT
};

enum conf_type {
	CONF_T_BOOL,		/* bool: yes | no */
	CONF_T_UINT,		/* uint32_t within min..max */
	CONF_T_ENUM,		/* enum: one of labels[], stored as index */
	CONF_T_PATH,		/* char *: not empty, no control chars */
	CONF_T_NAME,		/* char *: a block name, [A-Za-z0-9_.-] */
	CONF_T_LISTEN,		/* struct conf_listen[] + count */
	CONF_T_RANGE,		/* struct conf_range: CUR [MIN MAX] */
	CONF_T_IDENTITY,	/* struct conf_identity */
	CONF_T_PSK_ID,		/* char *: printable, 1..128 bytes */
	CONF_T_PSK_KEY,		/* struct conf_bytes: a secret */
	CONF_T_PREFIX,		/* struct dots_prefix[] + count */
	CONF_T_FQDN,		/* char *[] + count */
	CONF_T_BLOCK,		/* mitigator or client block */
	CONF_T_COUNT
};

#define CONF_F_RELOAD	0x01u	/* a reload may change it */
#define CONF_F_REPEAT	0x02u	/* may be given again: a list */
#define CONF_F_REQUIRED	0x04u	/* no default, must be given */
#define CONF_F_DEC2	0x08u	/* 2 fraction digits, in hundredths */
#define CONF_F_ZERO_OFF	0x10u	/* range: current 0 means "off" */

struct conf_key {
	const char		*name;
	enum conf_scope		 scope;
	enum conf_type		 type;
	unsigned		 flags;
	size_t			 off;	/* of the value */
	size_t			 off_n;	/* lists: of the count */
	uint32_t		 min;	/* bounds of numbers (hundredths */
	uint32_t		 max;	/* for CONF_F_DEC2), lengths */
	const char		*def;	/* default, as config text; the
					 * entries of a list split at ';' */
	const char *const	*labels;	/* CONF_T_ENUM */
	const char		*help;
	/* CONF_T_BLOCK: the scope of its keywords, the size of one
	 * element, and where the element keeps its name and line */
	enum conf_scope		 block;
	size_t			 elem_size;
	size_t			 off_name;
	size_t			 off_line;
};

/* How one value type is read, printed and freed. */
struct conf_type_ops {
	const char	*syntax;	/* of the values, for messages */
	unsigned	 minw, maxw;	/* number of words after the key */
	/* Parse @p w into the field of @p obj; for a list, append.
	 * @return DOTS_OK, or DOTS_EVALUE or DOTS_ENOMEM with a sentence
	 * (without the key) in @p msg and the field unchanged. */
	int		(*parse)(const struct conf_key *k, void *obj,
			    char **w, unsigned n, char *msg, size_t msglen);
	/* Print full lines, "key values", each prefixed by @p ind. */
	void		(*print)(FILE *f, const char *ind,
			    const struct conf_key *k, const void *obj,
			    unsigned flags);
	/* Free the value and reset the field (and count) to zero. */
	void		(*clear)(const struct conf_key *k, void *obj);
};

#define CONF_KEYS_MAX	64
#define CONF_PSK_ID_MAX	128	/* bytes of a PSK identity */

/*
 * A configuration language: its keywords and the struct they fill.  The
 * top-level struct has a char * for the file name (off_path) and a
 * uint64_t for conf.c's record of command-line overrides (off_cli_set).
 * The hooks are optional.
 */
struct conf_schema {
	const char		*prog;		/* "restart PROG to apply" */
	const struct conf_key	*keys;
	size_t			 nkeys;		/* at most CONF_KEYS_MAX */
	size_t			 size;		/* of the top-level struct */
	size_t			 off_path;
	size_t			 off_cli_set;
	const char *const	*scope_names;	/* "client", by scope */
	const char *const	*scope_titles;	/* for conf_schema_describe */
	/* A keyword of @p scope the table does not know (a backend
	 * setting); NULL: unknown keywords are errors. */
	int	(*unknown)(enum conf_scope scope, void *obj,
		    const char *keyword, char **w, unsigned n, char *msg,
		    size_t msglen);
	/* Rules of one block that span keywords; @p seen has the line of
	 * each keyword given (by index in keys).  On error, the line to
	 * report goes to @p line. */
	int	(*block_check)(void *top, enum conf_scope scope, void *obj,
		    const unsigned *seen, unsigned *line, char *msg,
		    size_t msglen);
	/* Rules of the whole file, once read. */
	int	(*file_check)(void *top, unsigned *line, char *msg,
		    size_t msglen);
	/* Free what a block element holds beyond its keywords. */
	void	(*block_clear)(enum conf_scope scope, void *obj);
	/* Print what a block element holds beyond its keywords. */
	void	(*block_print)(FILE *f, enum conf_scope scope,
		    const void *obj);
};

/* conf.c: any schema */
int	conf_schema_parse_buf(const struct conf_schema *sc, const char *buf,
	    size_t len, const char *name, void **out, char *err,
	    size_t errlen);
int	conf_schema_parse_file(const struct conf_schema *sc,
	    const char *path, void **out, char *err, size_t errlen);
void	conf_schema_free(const struct conf_schema *sc, void *top);
int	conf_schema_set(const struct conf_schema *sc, void *top,
	    const char *key, const char *value, char *err, size_t errlen);
void	conf_schema_print(const struct conf_schema *sc, FILE *f,
	    const void *top, unsigned flags);
int	conf_schema_reload_check(const struct conf_schema *sc,
	    const void *old, const void *new, char *err, size_t errlen);
void	conf_schema_describe(const struct conf_schema *sc, FILE *f);
const struct conf_key	*conf_schema_key(const struct conf_schema *sc,
			    enum conf_scope scope, const char *name);

/* conf_schema.c */
extern const struct conf_schema		conf_schema_dotsd;
extern const struct conf_key		conf_keys[];
extern const size_t			conf_nkeys;
const struct conf_key	*conf_key_find(enum conf_scope scope,
			    const char *name);

/* conf_types.c */
extern const struct conf_type_ops	conf_type_ops[CONF_T_COUNT];
void			*conf_list_add(void **v, size_t *n, size_t size);
void			 conf_print_quoted(FILE *f, const char *s);
int			 conf_check_name(const char *s, char *msg,
			    size_t msglen);
int			 conf_check_text(const char *s, size_t max,
			    char *msg, size_t msglen);

#endif /* DOTS_CONF_INT_H */
