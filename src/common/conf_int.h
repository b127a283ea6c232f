/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Private to conf.c and conf_schema.c: the schema table and the value
 * types it refers to.  A keyword's entry says where its value lives (an
 * offset into struct conf, struct conf_client or struct conf_mitigator,
 * by scope) and which value type parses, prints and frees it.
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
	CONF_SC_CLIENT
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

/* conf_schema.c */
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
