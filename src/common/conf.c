/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The dotsd configuration file: lexer, statement parser, checks across
 * keywords, command-line overrides, the reload check and the normalized
 * printer.  What each keyword means, its bounds and its default live in
 * the schema (conf_schema.c); how each kind of value is read and written
 * lives in conf_types.c.  This file only walks the table.
 *
 * A statement is a keyword and its values up to the end of the line, a
 * `;`, a `{` (which opens a block: `client "NAME" {`) or a `}`.  Values
 * are bare words or double-quoted strings; the two are the same to the
 * schema.  Blocks do not nest.
 *
 * The file is read whole (at most 1 MiB) and parsed into a new tree;
 * nothing is shared with a running configuration, so a reload that fails
 * leaves the server as it was.  Errors stop the parse at the first one and
 * say "file:line: keyword: what is wrong".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dots/error.h>

#include "conf_int.h"

#define CONF_FILE_MAX	(1024 * 1024)
#define TOKEN_MAX	4096		/* bytes of one word or string */
#define WORDS_MAX	8		/* values of one statement */
#define KEYWORD_MAX	64
#define SETTING_MAX	4096		/* bytes of a setting value */

enum tok {
	TOK_ERR = -1,
	TOK_EOF,
	TOK_EOS,		/* end of statement: newline or ';' */
	TOK_WORD,
	TOK_STRING,
	TOK_LBRACE,
	TOK_RBRACE
};

struct parser {
	const char	*name;		/* file name, for messages */
	const char	*p, *end;	/* rest of the input */
	unsigned	 line;
	enum tok	 pushed;	/* a token given back, or TOK_ERR */
	char		 text[TOKEN_MAX + 1]; /* last word or string */
	struct conf	*conf;
	char		*err;
	size_t		 errlen;
	int		 ret;		/* the first error */
};

struct stmt {
	char		 keyword[KEYWORD_MAX];
	unsigned	 line;
	char		*w[WORDS_MAX];
	unsigned	 n;
	enum tok	 end;		/* what ended it */
};

/* Record the first error, "file:line: message" (no line if 0). */
static int
perr(struct parser *ps, unsigned line, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
perr(struct parser *ps, unsigned line, int code, const char *fmt, ...)
{
	char msg[CONF_ERR_MAX];
	va_list ap;

	if (ps->ret != DOTS_OK)
		return ps->ret;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(ps->err, ps->errlen, "%s:%u: %s", ps->name, line, msg);
	else
		snprintf(ps->err, ps->errlen, "%s: %s", ps->name, msg);
	ps->ret = code;
	return code;
}

/* Lexer */

static bool
is_word_char(char c)
{
	return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '#' &&
	    c != '"' && c != '{' && c != '}' && c != ';' && c != '\0';
}

static enum tok
lex_string(struct parser *ps)
{
	size_t len = 0;
	char c;

	ps->p++;	/* opening quote */
	for (;;) {
		if (ps->p >= ps->end || *ps->p == '\n') {
			perr(ps, ps->line, DOTS_EVALUE, "unterminated string");
			return TOK_ERR;
		}
		c = *ps->p++;
		if (c == '"')
			break;
		if (c == '\\') {
			if (ps->p >= ps->end)
				continue;	/* reported as unterminated */
			c = *ps->p++;
			switch (c) {
			case '"':
			case '\\':
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			default:
				perr(ps, ps->line, DOTS_EVALUE,
				    "unknown escape \\%c in string",
				    c >= 0x20 && c < 0x7f ? c : '?');
				return TOK_ERR;
			}
		} else if (c == '\0') {
			perr(ps, ps->line, DOTS_EVALUE, "NUL byte in string");
			return TOK_ERR;
		}
		if (len == TOKEN_MAX) {
			perr(ps, ps->line, DOTS_EVALUE, "string longer than "
			    "%d bytes", TOKEN_MAX);
			return TOK_ERR;
		}
		ps->text[len++] = c;
	}
	ps->text[len] = '\0';
	return TOK_STRING;
}

static enum tok
lex_word(struct parser *ps)
{
	size_t len = 0;

	while (ps->p < ps->end && is_word_char(*ps->p)) {
		if ((unsigned char)*ps->p < 0x20 || *ps->p == 0x7f) {
			perr(ps, ps->line, DOTS_EVALUE, "control character "
			    "0x%02x", (unsigned char)*ps->p);
			return TOK_ERR;
		}
		if (len == TOKEN_MAX) {
			perr(ps, ps->line, DOTS_EVALUE, "word longer than %d "
			    "bytes", TOKEN_MAX);
			return TOK_ERR;
		}
		ps->text[len++] = *ps->p++;
	}
	ps->text[len] = '\0';
	return TOK_WORD;
}

static enum tok
lex_next(struct parser *ps)
{
	enum tok t = ps->pushed;

	if (t != TOK_ERR) {
		ps->pushed = TOK_ERR;
		return t;
	}
	for (;;) {
		if (ps->p >= ps->end)
			return TOK_EOF;
		switch (*ps->p) {
		case ' ':
		case '\t':
		case '\r':
			ps->p++;
			continue;
		case '#':
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
			continue;
		case '\n':
			ps->p++;
			ps->line++;
			return TOK_EOS;
		case ';':
			ps->p++;
			return TOK_EOS;
		case '{':
			ps->p++;
			return TOK_LBRACE;
		case '}':
			ps->p++;
			return TOK_RBRACE;
		case '"':
			return lex_string(ps);
		case '\0':
			perr(ps, ps->line, DOTS_EVALUE, "NUL byte");
			return TOK_ERR;
		default:
			return lex_word(ps);
		}
	}
}

/* Give back @p t; only TOK_RBRACE and TOK_EOF are ever given back, and
 * neither has text, so the text buffer may be reused meanwhile. */
static void
lex_unget(struct parser *ps, enum tok t)
{
	ps->pushed = t;
}

static void
stmt_free(struct stmt *st)
{
	unsigned i;

	for (i = 0; i < st->n; i++)
		free(st->w[i]);
	st->n = 0;
}

/*
 * Read the values after a keyword, up to the end of the statement.  A
 * `}` or the end of the file is given back to the caller; a newline, `;`
 * or `{` is consumed and left in st->end.
 */
static int
stmt_read(struct parser *ps, struct stmt *st)
{
	enum tok t;

	for (;;) {
		t = lex_next(ps);
		switch (t) {
		case TOK_ERR:
			return ps->ret;
		case TOK_WORD:
		case TOK_STRING:
			if (st->n == WORDS_MAX)
				return perr(ps, st->line, DOTS_EVALUE,
				    "%s: too many values", st->keyword);
			st->w[st->n] = strdup(ps->text);
			if (st->w[st->n] == NULL)
				return perr(ps, st->line, DOTS_ENOMEM,
				    "out of memory");
			st->n++;
			continue;
		case TOK_RBRACE:
		case TOK_EOF:
			lex_unget(ps, t);
			/* FALLTHROUGH */
		case TOK_EOS:
		case TOK_LBRACE:
		default:
			st->end = t;
			return DOTS_OK;
		}
	}
}

/* Values */

/* Parse the words of one keyword into @p obj through its type. */
static int
apply_words(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	const struct conf_type_ops *ops = &conf_type_ops[k->type];

	if (n < ops->minw || n > ops->maxw) {
		snprintf(msg, msglen, "expected %s", ops->syntax);
		return DOTS_EVALUE;
	}
	return ops->parse(k, obj, w, n, msg, msglen);
}

/* Split @p s at spaces and tabs into at most WORDS_MAX words, in place. */
static unsigned
split_words(char *s, char **w)
{
	unsigned n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(s, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (n == WORDS_MAX)
			return WORDS_MAX + 1;
		w[n++] = tok;
	}
	return n;
}

/*
 * Set the default of @p k in @p obj: its def text, whose entries for a
 * list are separated by ';'.  A default that does not parse is a bug in
 * the schema, reported like an error in the file.
 */
static int
apply_default(struct parser *ps, const struct conf_key *k, void *obj)
{
	char buf[256], msg[CONF_ERR_MAX], *entry, *save = NULL;
	char *w[WORDS_MAX + 1];
	unsigned n;
	int ret;

	snprintf(buf, sizeof(buf), "%s", k->def);
	for (entry = strtok_r(buf, ";", &save); entry != NULL;
	    entry = strtok_r(NULL, ";", &save)) {
		n = split_words(entry, w);
		ret = apply_words(k, obj, w, n, msg, sizeof(msg));
		if (ret != DOTS_OK)
			return perr(ps, 0, ret == DOTS_ENOMEM ? ret :
			    DOTS_EINVAL, "default of %s: %s", k->name, msg);
	}
	return DOTS_OK;
}

/* The defaults of the single-valued keywords of @p scope. */
static int
apply_defaults(struct parser *ps, enum conf_scope scope, void *obj)
{
	size_t i;
	int ret;

	for (i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (k->scope != scope || k->def == NULL ||
		    (k->flags & CONF_F_REPEAT))
			continue;
		ret = apply_default(ps, k, obj);
		if (ret != DOTS_OK)
			return ret;
	}
	return DOTS_OK;
}

/* Free every value of @p scope in @p obj (blocks excepted). */
static void
clear_scope(enum conf_scope scope, void *obj)
{
	size_t i;

	for (i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (k->scope == scope && k->type != CONF_T_BLOCK)
			conf_type_ops[k->type].clear(k, obj);
	}
}

/* Blocks */

static void
mitigator_clear(struct conf_mitigator *m)
{
	size_t i;

	clear_scope(CONF_SC_MITIGATOR, m);
	for (i = 0; i < m->n_setting; i++) {
		free(m->setting[i].key);
		free(m->setting[i].value);
	}
	free(m->setting);
	free(m->name);
}

static void
client_clear(struct conf_client *cl)
{
	clear_scope(CONF_SC_CLIENT, cl);
	free(cl->name);
}

/* A keyword of a mitigator block that the schema does not know: a
 * setting for the backend, `key value`, kept in order. */
static int
mitigator_setting(struct parser *ps, struct conf_mitigator *m,
    const struct stmt *st)
{
	struct conf_setting *s;
	char msg[CONF_ERR_MAX];
	const char *p;

	for (p = st->keyword; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (p > st->keyword && (*p == '-' || *p == '_'))))
			return perr(ps, st->line, DOTS_EVALUE, "'%s' is not "
			    "a setting name (a-z, 0-9, '-', '_')",
			    st->keyword);
	if (st->n != 1)
		return perr(ps, st->line, DOTS_EVALUE, "%s: a setting takes "
		    "one value (quote it if it has spaces)", st->keyword);
	if (conf_check_text(st->w[0], SETTING_MAX, msg, sizeof(msg)) !=
	    DOTS_OK)
		return perr(ps, st->line, DOTS_EVALUE, "%s: %s", st->keyword,
		    msg);
	s = conf_list_add((void **)&m->setting, &m->n_setting, sizeof(*s));
	if (s == NULL)
		return perr(ps, st->line, DOTS_ENOMEM, "out of memory");
	s->key = strdup(st->keyword);
	s->value = strdup(st->w[0]);
	if (s->key == NULL || s->value == NULL)
		return perr(ps, st->line, DOTS_ENOMEM, "out of memory");
	return DOTS_OK;
}

/* Another client with the same identity or PSK identity, or NULL. */
static const struct conf_client *
client_clash(const struct conf *c, const struct conf_client *cl,
    const char **what)
{
	const struct conf_identity *a = &cl->identity, *b;
	size_t i, len;

	for (i = 0; i < c->n_client && &c->client[i] != cl; i++) {
		b = &c->client[i].identity;
		*what = "identity";
		if (a->kind == b->kind && a->kind == CONF_ID_CN &&
		    strcmp(a->value, b->value) == 0)
			return &c->client[i];
		/* a cuid matches the digest it is the start of */
		len = a->spki_len < b->spki_len ? a->spki_len : b->spki_len;
		if (a->kind == b->kind && a->kind == CONF_ID_SPKI &&
		    memcmp(a->spki, b->spki, len) == 0)
			return &c->client[i];
		*what = "PSK identity";
		if (cl->psk_identity != NULL &&
		    c->client[i].psk_identity != NULL &&
		    strcmp(cl->psk_identity, c->client[i].psk_identity) == 0)
			return &c->client[i];
	}
	return NULL;
}

/* The rules of a client block that span keywords; @p seen has the line
 * of each keyword given. */
static int
client_check(struct parser *ps, struct conf_client *cl, const unsigned *seen)
{
	const struct conf_key *kid = conf_key_find(CONF_SC_CLIENT,
	    "psk-identity");
	const struct conf_key *kkey = conf_key_find(CONF_SC_CLIENT, "psk-key");
	unsigned lid = seen[kid - conf_keys], lkey = seen[kkey - conf_keys];
	const struct conf_client *other;
	const char *what;

	if (cl->identity.kind == CONF_ID_PSK) {
		if (lid != 0)
			return perr(ps, lid, DOTS_EVALUE, "psk-identity: "
			    "already given by identity \"psk:%s\"",
			    cl->identity.value);
		if (lkey == 0)
			return perr(ps, cl->line, DOTS_EVALUE, "client "
			    "\"%s\": identity psk: needs psk-key", cl->name);
		cl->psk_identity = strdup(cl->identity.value);
		if (cl->psk_identity == NULL)
			return perr(ps, cl->line, DOTS_ENOMEM, "out of memory");
	} else if ((lid == 0) != (lkey == 0))
		return perr(ps, lid != 0 ? lid : lkey, DOTS_EVALUE,
		    "psk-identity and psk-key go together");
	other = client_clash(ps->conf, cl, &what);
	if (other != NULL)
		return perr(ps, cl->line, DOTS_EVALUE, "client \"%s\": %s "
		    "already used by client \"%s\" (line %u)", cl->name, what,
		    other->name, other->line);
	return DOTS_OK;
}

static int	parse_body(struct parser *ps, enum conf_scope scope,
		    void *obj, unsigned line);

/* `mitigator "NAME" {` or `client "NAME" {`: read the block. */
static int
parse_block(struct parser *ps, const struct conf_key *k,
    const struct stmt *st)
{
	struct conf *c = ps->conf;
	enum conf_scope scope = strcmp(k->name, "client") == 0 ?
	    CONF_SC_CLIENT : CONF_SC_MITIGATOR;
	char msg[CONF_ERR_MAX], **name;
	unsigned *line;
	void *obj;
	size_t i;

	if (st->n != 1)
		return perr(ps, st->line, DOTS_EVALUE, "%s: expected %s "
		    "\"NAME\" {", k->name, k->name);
	if (st->end != TOK_LBRACE)
		return perr(ps, st->line, DOTS_EVALUE, "%s: '{' must follow "
		    "the name on the same line", k->name);
	if (conf_check_name(st->w[0], msg, sizeof(msg)) != DOTS_OK)
		return perr(ps, st->line, DOTS_EVALUE, "%s: %s", k->name, msg);
	if (scope == CONF_SC_CLIENT) {
		for (i = 0; i < c->n_client; i++)
			if (strcmp(c->client[i].name, st->w[0]) == 0)
				return perr(ps, st->line, DOTS_EVALUE,
				    "client \"%s\" already defined at line %u",
				    st->w[0], c->client[i].line);
		obj = conf_list_add((void **)&c->client, &c->n_client,
		    sizeof(*c->client));
		name = obj == NULL ? NULL : &c->client[c->n_client - 1].name;
		line = obj == NULL ? NULL : &c->client[c->n_client - 1].line;
	} else {
		for (i = 0; i < c->n_mitigator; i++)
			if (strcmp(c->mitigator[i].name, st->w[0]) == 0)
				return perr(ps, st->line, DOTS_EVALUE,
				    "mitigator \"%s\" already defined at line "
				    "%u", st->w[0], c->mitigator[i].line);
		obj = conf_list_add((void **)&c->mitigator, &c->n_mitigator,
		    sizeof(*c->mitigator));
		name = obj == NULL ? NULL :
		    &c->mitigator[c->n_mitigator - 1].name;
		line = obj == NULL ? NULL :
		    &c->mitigator[c->n_mitigator - 1].line;
	}
	if (obj == NULL || (*name = strdup(st->w[0])) == NULL)
		return perr(ps, st->line, DOTS_ENOMEM, "out of memory");
	*line = st->line;
	if (apply_defaults(ps, scope, obj) != DOTS_OK)
		return ps->ret;
	return parse_body(ps, scope, obj, st->line);
}

/* One statement of @p scope into @p obj. */
static int
parse_stmt(struct parser *ps, enum conf_scope scope, void *obj,
    struct stmt *st, unsigned *seen)
{
	const struct conf_key *k = conf_key_find(scope, st->keyword);
	char msg[CONF_ERR_MAX];
	size_t idx;
	int ret;

	if (k == NULL && scope == CONF_SC_MITIGATOR && st->end != TOK_LBRACE)
		return mitigator_setting(ps, obj, st);
	if (k == NULL)
		return perr(ps, st->line, DOTS_EVALUE, "unknown keyword "
		    "'%s'%s", st->keyword, scope == CONF_SC_TOP ? "" :
		    scope == CONF_SC_CLIENT ? " in client block" :
		    " in mitigator block");
	idx = (size_t)(k - conf_keys);
	if (k->type != CONF_T_BLOCK && st->end == TOK_LBRACE)
		return perr(ps, st->line, DOTS_EVALUE, "%s does not open a "
		    "block%s", k->name, scope == CONF_SC_TOP ? "" :
		    " (blocks do not nest)");
	if (seen[idx] != 0 && !(k->flags & CONF_F_REPEAT))
		return perr(ps, st->line, DOTS_EVALUE, "%s already given at "
		    "line %u", k->name, seen[idx]);
	if (seen[idx] == 0)
		seen[idx] = st->line;
	if (k->type == CONF_T_BLOCK)
		return parse_block(ps, k, st);
	ret = apply_words(k, obj, st->w, st->n, msg, sizeof(msg));
	if (ret != DOTS_OK)
		return perr(ps, st->line, ret, "%s: %s", k->name, msg);
	return DOTS_OK;
}

/* What has to hold once a block (or the file, for CONF_SC_TOP) is read:
 * required keywords given, lists that were not given defaulted. */
static int
finish_scope(struct parser *ps, enum conf_scope scope, void *obj,
    unsigned line, const unsigned *seen)
{
	const char *name = scope == CONF_SC_CLIENT ?
	    ((struct conf_client *)obj)->name : scope == CONF_SC_MITIGATOR ?
	    ((struct conf_mitigator *)obj)->name : NULL;
	size_t i;

	for (i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (k->scope != scope || seen[i] != 0)
			continue;
		if ((k->flags & CONF_F_REQUIRED) && name != NULL)
			return perr(ps, line, DOTS_EVALUE, "%s \"%s\": %s is "
			    "required", scope == CONF_SC_CLIENT ? "client" :
			    "mitigator", name, k->name);
		if (k->flags & CONF_F_REQUIRED)
			return perr(ps, 0, DOTS_EVALUE, "%s%s is required",
			    k->type == CONF_T_BLOCK ? "a " : "", k->name);
		if ((k->flags & CONF_F_REPEAT) && k->def != NULL &&
		    apply_default(ps, k, obj) != DOTS_OK)
			return ps->ret;
	}
	if (scope == CONF_SC_CLIENT)
		return client_check(ps, obj, seen);
	return DOTS_OK;
}

/* The statements of the file (CONF_SC_TOP) or of one block, up to its
 * end; @p line is that of the block's first line. */
static int
parse_body(struct parser *ps, enum conf_scope scope, void *obj,
    unsigned line)
{
	unsigned seen[CONF_KEYS_MAX] = { 0 };
	struct stmt st;
	enum tok t;
	int ret;

	for (;;) {
		t = lex_next(ps);
		switch (t) {
		case TOK_ERR:
			return ps->ret;
		case TOK_EOS:
			continue;
		case TOK_EOF:
			if (scope != CONF_SC_TOP)
				return perr(ps, line, DOTS_EVALUE, "block not "
				    "closed: '}' missing");
			return finish_scope(ps, scope, obj, 0, seen);
		case TOK_RBRACE:
			if (scope == CONF_SC_TOP)
				return perr(ps, ps->line, DOTS_EVALUE,
				    "'}' without a block");
			return finish_scope(ps, scope, obj, line, seen);
		case TOK_LBRACE:
			return perr(ps, ps->line, DOTS_EVALUE, "'{' without "
			    "a keyword and a name");
		case TOK_STRING:
			return perr(ps, ps->line, DOTS_EVALUE, "expected a "
			    "keyword, not a string");
		case TOK_WORD:
		default:
			break;
		}
		memset(&st, 0, sizeof(st));
		st.line = ps->line;
		if (strlen(ps->text) >= sizeof(st.keyword))
			return perr(ps, st.line, DOTS_EVALUE, "unknown "
			    "keyword '%.20s...'", ps->text);
		memcpy(st.keyword, ps->text, strlen(ps->text) + 1);
		ret = stmt_read(ps, &st);
		if (ret == DOTS_OK)
			ret = parse_stmt(ps, scope, obj, &st, seen);
		stmt_free(&st);
		if (ret != DOTS_OK)
			return ret;
	}
}

/* Point each client at its mitigator block, once all blocks are read. */
static int
resolve_mitigators(struct parser *ps)
{
	struct conf *c = ps->conf;
	size_t i;

	for (i = 0; i < c->n_client; i++) {
		struct conf_client *cl = &c->client[i];

		if (cl->mitigator_name == NULL) {
			cl->mitigator = &c->mitigator[0];
			continue;
		}
		cl->mitigator = conf_mitigator_by_name(c, cl->mitigator_name);
		if (cl->mitigator == NULL)
			return perr(ps, cl->line, DOTS_EVALUE, "client \"%s\": "
			    "no mitigator \"%s\"", cl->name,
			    cl->mitigator_name);
	}
	return DOTS_OK;
}

int
conf_parse_buf(const char *buf, size_t len, const char *name,
    struct conf **out, char *err, size_t errlen)
{
	struct parser ps;
	struct conf *c;

	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.p = buf;
	ps.end = buf + len;
	ps.line = 1;
	ps.pushed = TOK_ERR;
	ps.err = err;
	ps.errlen = errlen;
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->path = strdup(name)) == NULL) {
		free(c);
		return perr(&ps, 0, DOTS_ENOMEM, "out of memory");
	}
	ps.conf = c;
	if (apply_defaults(&ps, CONF_SC_TOP, c) == DOTS_OK &&
	    parse_body(&ps, CONF_SC_TOP, c, 0) == DOTS_OK)
		resolve_mitigators(&ps);
	if (ps.ret != DOTS_OK) {
		conf_free(c);
		return ps.ret;
	}
	*out = c;
	return DOTS_OK;
}

int
conf_parse_file(const char *path, struct conf **out, char *err,
    size_t errlen)
{
	struct stat sb;
	char *buf = NULL;
	ssize_t n;
	size_t len = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &sb) == -1)
		goto fail_errno;
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		ret = DOTS_EVALUE;
		goto fail;
	}
	buf = malloc(CONF_FILE_MAX + 1);
	if (buf == NULL)
		goto fail_errno;
	/* One byte more than allowed, to see that there is more. */
	while (len <= CONF_FILE_MAX) {
		n = read(fd, buf + len, CONF_FILE_MAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail_errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > CONF_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    CONF_FILE_MAX);
		ret = DOTS_EVALUE;
		goto fail;
	}
	close(fd);
	ret = conf_parse_buf(buf, len, path, out, err, errlen);
	free(buf);
	return ret;

fail_errno:
	ret = -errno;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
fail:
	if (fd != -1)
		close(fd);
	free(buf);
	return ret;
}

void
conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_mitigator; i++)
		mitigator_clear(&c->mitigator[i]);
	free(c->mitigator);
	for (i = 0; i < c->n_client; i++)
		client_clear(&c->client[i]);
	free(c->client);
	clear_scope(CONF_SC_TOP, c);
	free(c->path);
	free(c);
}

/* Command-line overrides */

int
conf_set(struct conf *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	const struct conf_key *k = conf_key_find(CONF_SC_TOP, key);
	char *copy = NULL, *w[WORDS_MAX + 1], msg[CONF_ERR_MAX];
	struct conf tmp;
	uint64_t bit;
	unsigned n;
	int ret;

	if (k == NULL || k->type == CONF_T_BLOCK) {
		snprintf(err, errlen, "%s: not a keyword that can be set "
		    "here", key);
		return DOTS_EVALUE;
	}
	bit = UINT64_C(1) << (k - conf_keys);
	copy = strdup(value);
	if (copy == NULL) {
		snprintf(err, errlen, "%s: out of memory", key);
		return DOTS_ENOMEM;
	}
	if (conf_type_ops[k->type].maxw == 1) {
		w[0] = copy;
		n = 1;
	} else
		n = split_words(copy, w);
	if (!(k->flags & CONF_F_REPEAT) || (c->cli_set & bit)) {
		ret = apply_words(k, c, w, n, msg, sizeof(msg));
		goto done;
	}
	/* First override of a list: it replaces the file's entries, but
	 * only once the new entry is known to be good. */
	memset(&tmp, 0, sizeof(tmp));
	ret = apply_words(k, &tmp, w, n, msg, sizeof(msg));
	if (ret == DOTS_OK) {
		conf_type_ops[k->type].clear(k, c);
		memcpy((char *)c + k->off, (char *)&tmp + k->off,
		    sizeof(void *));
		memcpy((char *)c + k->off_n, (char *)&tmp + k->off_n,
		    sizeof(size_t));
	}
done:
	free(copy);
	if (ret != DOTS_OK) {
		snprintf(err, errlen, "%s: %s", key, msg);
		return ret;
	}
	c->cli_set |= bit;
	return DOTS_OK;
}

/* Printing */

static void
print_block(FILE *f, enum conf_scope scope, const void *obj,
    const char *kind, const char *name, unsigned flags)
{
	const struct conf_mitigator *m = obj;
	size_t i;

	fprintf(f, "\n%s ", kind);
	conf_print_quoted(f, name);
	fputs(" {\n", f);
	for (i = 0; i < conf_nkeys; i++)
		if (conf_keys[i].scope == scope)
			conf_type_ops[conf_keys[i].type].print(f, "\t",
			    &conf_keys[i], obj, flags);
	for (i = 0; scope == CONF_SC_MITIGATOR && i < m->n_setting; i++) {
		fprintf(f, "\t%s ", m->setting[i].key);
		conf_print_quoted(f, m->setting[i].value);
		fputc('\n', f);
	}
	fputs("}\n", f);
}

/* The lines of one top-level keyword, blocks included. */
static void
print_key(FILE *f, const struct conf_key *k, const struct conf *c,
    unsigned flags)
{
	size_t i;

	if (k->type != CONF_T_BLOCK) {
		conf_type_ops[k->type].print(f, "", k, c, flags);
		return;
	}
	if (strcmp(k->name, "mitigator") == 0)
		for (i = 0; i < c->n_mitigator; i++)
			print_block(f, CONF_SC_MITIGATOR, &c->mitigator[i],
			    k->name, c->mitigator[i].name, flags);
	else
		for (i = 0; i < c->n_client; i++)
			print_block(f, CONF_SC_CLIENT, &c->client[i], k->name,
			    c->client[i].name, flags);
}

void
conf_print_flags(FILE *f, const struct conf *c, unsigned flags)
{
	size_t i;

	for (i = 0; i < conf_nkeys; i++)
		if (conf_keys[i].scope == CONF_SC_TOP)
			print_key(f, &conf_keys[i], c, flags);
}

void
conf_print(FILE *f, const struct conf *c)
{
	conf_print_flags(f, c, 0);
}

/* The printed form of one keyword, **new**, or NULL. */
static char *
key_text(const struct conf_key *k, const struct conf *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	if (f == NULL)
		return NULL;
	print_key(f, k, c, CONF_PRINT_SECRETS);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int
conf_reload_check(const struct conf *old, const struct conf *new,
    char *err, size_t errlen)
{
	char *a, *b;
	size_t i;
	bool same;

	for (i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (k->scope != CONF_SC_TOP || (k->flags & CONF_F_RELOAD))
			continue;
		a = key_text(k, old);
		b = key_text(k, new);
		same = a != NULL && b != NULL && strcmp(a, b) == 0;
		free(a);
		free(b);
		if (a == NULL || b == NULL) {
			snprintf(err, errlen, "out of memory");
			return DOTS_ENOMEM;
		}
		if (!same) {
			snprintf(err, errlen, "%s changed: restart dotsd to "
			    "apply it", k->name);
			return DOTS_EVALUE;
		}
	}
	return DOTS_OK;
}

void
conf_describe(FILE *f)
{
	static const char *const scope_title[] = {
		[CONF_SC_TOP] = "top level",
		[CONF_SC_MITIGATOR] = ("in mitigator \"NAME\" { ... } "
		    "(other keywords: settings for the backend)"),
		[CONF_SC_CLIENT] = "in client \"NAME\" { ... }",
	};
	size_t i;
	int scope = -1;

	for (i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];

		if ((int)k->scope != scope) {
			scope = (int)k->scope;
			fprintf(f, "%s# %s\n", i == 0 ? "" : "\n",
			    scope_title[scope]);
		}
		fprintf(f, "%s %s\n\t%s\n", k->name,
		    conf_type_ops[k->type].syntax, k->help);
		if (k->type == CONF_T_ENUM) {
			size_t j;

			fputs("\tvalues:", f);
			for (j = 0; k->labels[j] != NULL; j++)
				fprintf(f, " %s", k->labels[j]);
			fputc('\n', f);
		}
		fprintf(f, "\t%s%s%s; reload: %s\n",
		    k->flags & CONF_F_REQUIRED ? "required" : "default: ",
		    k->flags & CONF_F_REQUIRED ? "" : k->def != NULL ? k->def :
		    "none", k->flags & CONF_F_REPEAT ? "; repeatable" : "",
		    k->flags & CONF_F_RELOAD ? "yes" : "no (restart)");
	}
}

/* Look-ups */

const struct conf_client *
conf_client_by_name(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_client; i++)
		if (strcmp(c->client[i].name, name) == 0)
			return &c->client[i];
	return NULL;
}

const struct conf_client *
conf_client_by_cn(const struct conf *c, const char *cn)
{
	size_t i;

	for (i = 0; i < c->n_client; i++)
		if (c->client[i].identity.kind == CONF_ID_CN &&
		    strcmp(c->client[i].identity.value, cn) == 0)
			return &c->client[i];
	return NULL;
}

const struct conf_client *
conf_client_by_spki(const struct conf *c, const uint8_t digest[32])
{
	size_t i;

	for (i = 0; i < c->n_client; i++) {
		const struct conf_identity *id = &c->client[i].identity;

		if (id->kind == CONF_ID_SPKI &&
		    memcmp(id->spki, digest, id->spki_len) == 0)
			return &c->client[i];
	}
	return NULL;
}

const struct conf_client *
conf_client_by_psk(const struct conf *c, const void *identity, size_t len)
{
	size_t i;

	for (i = 0; i < c->n_client; i++) {
		const char *id = c->client[i].psk_identity;

		if (id != NULL && strlen(id) == len &&
		    memcmp(id, identity, len) == 0)
			return &c->client[i];
	}
	return NULL;
}

const struct conf_mitigator *
conf_mitigator_by_name(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_mitigator; i++)
		if (strcmp(c->mitigator[i].name, name) == 0)
			return &c->mitigator[i];
	return NULL;
}
