/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The configuration files of dotsd and dotscd: lexer, statement parser,
 * command-line overrides, the reload check and the normalized printer.
 * What each keyword means, its bounds and its default live in a schema
 * (conf_schema.c for dotsd, src/clientd/conf_clientd.c for dotscd), with
 * hooks for the rules that span keywords; how each kind of value is read
 * and written lives in conf_types.c.  This file only walks the table.
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
	const struct conf_schema *sc;
	void		*top;		/* the struct being filled */
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

	for (i = 0; i < ps->sc->nkeys; i++) {
		const struct conf_key *k = &ps->sc->keys[i];

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
clear_scope(const struct conf_schema *sc, enum conf_scope scope, void *obj)
{
	size_t i;

	for (i = 0; i < sc->nkeys; i++) {
		const struct conf_key *k = &sc->keys[i];

		if (k->scope == scope && k->type != CONF_T_BLOCK)
			conf_type_ops[k->type].clear(k, obj);
	}
}

/* Blocks */

/* The elements of block keyword @p k in @p top, and their count. */
static char *
block_elems(const struct conf_key *k, const void *top, size_t *n)
{
	*n = *(const size_t *)(const void *)((const char *)top + k->off_n);
	return *(char *const *)(const void *)((const char *)top + k->off);
}

static const char *
elem_name(const struct conf_key *k, const char *elem)
{
	return *(char *const *)(const void *)(elem + k->off_name);
}

static int	parse_body(struct parser *ps, enum conf_scope scope,
		    void *obj, unsigned line, const char *name);

/* `KIND "NAME" {`, e.g. `client "NAME" {`: read the block. */
static int
parse_block(struct parser *ps, const struct conf_key *k,
    const struct stmt *st)
{
	char msg[CONF_ERR_MAX], *elems, **name;
	size_t i, n;
	void *obj;

	if (st->n != 1)
		return perr(ps, st->line, DOTS_EVALUE, "%s: expected %s "
		    "\"NAME\" {", k->name, k->name);
	if (st->end != TOK_LBRACE)
		return perr(ps, st->line, DOTS_EVALUE, "%s: '{' must follow "
		    "the name on the same line", k->name);
	if (conf_check_name(st->w[0], msg, sizeof(msg)) != DOTS_OK)
		return perr(ps, st->line, DOTS_EVALUE, "%s: %s", k->name, msg);
	elems = block_elems(k, ps->top, &n);
	for (i = 0; i < n; i++) {
		const char *e = elems + i * k->elem_size;

		if (strcmp(elem_name(k, e), st->w[0]) == 0)
			return perr(ps, st->line, DOTS_EVALUE, "%s \"%s\" "
			    "already defined at line %u", k->name, st->w[0],
			    *(const unsigned *)(const void *)(e +
			    k->off_line));
	}
	obj = conf_list_add((void **)((char *)ps->top + k->off),
	    (size_t *)(void *)((char *)ps->top + k->off_n), k->elem_size);
	if (obj == NULL)
		return perr(ps, st->line, DOTS_ENOMEM, "out of memory");
	name = (char **)(void *)((char *)obj + k->off_name);
	if ((*name = strdup(st->w[0])) == NULL)
		return perr(ps, st->line, DOTS_ENOMEM, "out of memory");
	*(unsigned *)(void *)((char *)obj + k->off_line) = st->line;
	if (apply_defaults(ps, k->block, obj) != DOTS_OK)
		return ps->ret;
	return parse_body(ps, k->block, obj, st->line, *name);
}

/* One statement of @p scope into @p obj. */
static int
parse_stmt(struct parser *ps, enum conf_scope scope, void *obj,
    struct stmt *st, unsigned *seen)
{
	const struct conf_schema *sc = ps->sc;
	const struct conf_key *k = conf_schema_key(sc, scope, st->keyword);
	char msg[CONF_ERR_MAX];
	size_t idx;
	int ret;

	if (k == NULL && sc->unknown != NULL && scope != CONF_SC_TOP &&
	    st->end != TOK_LBRACE) {
		ret = sc->unknown(scope, obj, st->keyword, st->w, st->n, msg,
		    sizeof(msg));
		if (ret <= 0)
			return ret == DOTS_OK ? DOTS_OK :
			    perr(ps, st->line, ret, "%s", msg);
		/* > 0: not a setting either */
	}
	if (k == NULL) {
		if (scope == CONF_SC_TOP)
			return perr(ps, st->line, DOTS_EVALUE, "unknown "
			    "keyword '%s'", st->keyword);
		return perr(ps, st->line, DOTS_EVALUE, "unknown keyword "
		    "'%s' in %s block", st->keyword, sc->scope_names[scope]);
	}
	idx = (size_t)(k - sc->keys);
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
    unsigned line, const char *name, const unsigned *seen)
{
	const struct conf_schema *sc = ps->sc;
	char msg[CONF_ERR_MAX];
	unsigned eline = line;
	size_t i;
	int ret;

	for (i = 0; i < sc->nkeys; i++) {
		const struct conf_key *k = &sc->keys[i];

		if (k->scope != scope || seen[i] != 0)
			continue;
		if ((k->flags & CONF_F_REQUIRED) && name != NULL)
			return perr(ps, line, DOTS_EVALUE, "%s \"%s\": %s is "
			    "required", sc->scope_names[scope], name,
			    k->name);
		if (k->flags & CONF_F_REQUIRED)
			return perr(ps, 0, DOTS_EVALUE, "%s%s is required",
			    k->type == CONF_T_BLOCK ? "a " : "", k->name);
		if ((k->flags & CONF_F_REPEAT) && k->def != NULL &&
		    apply_default(ps, k, obj) != DOTS_OK)
			return ps->ret;
	}
	if (scope == CONF_SC_TOP || sc->block_check == NULL)
		return DOTS_OK;
	ret = sc->block_check(ps->top, scope, obj, seen, &eline, msg,
	    sizeof(msg));
	if (ret != DOTS_OK)
		return perr(ps, eline, ret, "%s", msg);
	return DOTS_OK;
}

/* The statements of the file (CONF_SC_TOP) or of one block, up to its
 * end; @p line is that of the block's first line, @p name its name. */
static int
parse_body(struct parser *ps, enum conf_scope scope, void *obj,
    unsigned line, const char *name)
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
			return finish_scope(ps, scope, obj, 0, NULL, seen);
		case TOK_RBRACE:
			if (scope == CONF_SC_TOP)
				return perr(ps, ps->line, DOTS_EVALUE,
				    "'}' without a block");
			return finish_scope(ps, scope, obj, line, name, seen);
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

const struct conf_key *
conf_schema_key(const struct conf_schema *sc, enum conf_scope scope,
    const char *name)
{
	size_t i;

	for (i = 0; i < sc->nkeys; i++)
		if (sc->keys[i].scope == scope &&
		    strcmp(sc->keys[i].name, name) == 0)
			return &sc->keys[i];
	return NULL;
}

int
conf_schema_parse_buf(const struct conf_schema *sc, const char *buf,
    size_t len, const char *name, void **out, char *err, size_t errlen)
{
	struct parser ps;
	char msg[CONF_ERR_MAX], **path;
	unsigned line = 0;
	void *c;
	int ret;

	memset(&ps, 0, sizeof(ps));
	ps.sc = sc;
	ps.name = name;
	ps.p = buf;
	ps.end = buf + len;
	ps.line = 1;
	ps.pushed = TOK_ERR;
	ps.err = err;
	ps.errlen = errlen;
	c = calloc(1, sc->size);
	if (c == NULL)
		return perr(&ps, 0, DOTS_ENOMEM, "out of memory");
	path = (char **)(void *)((char *)c + sc->off_path);
	if ((*path = strdup(name)) == NULL) {
		free(c);
		return perr(&ps, 0, DOTS_ENOMEM, "out of memory");
	}
	ps.top = c;
	if (apply_defaults(&ps, CONF_SC_TOP, c) == DOTS_OK &&
	    parse_body(&ps, CONF_SC_TOP, c, 0, NULL) == DOTS_OK &&
	    sc->file_check != NULL) {
		ret = sc->file_check(c, &line, msg, sizeof(msg));
		if (ret != DOTS_OK)
			perr(&ps, line, ret, "%s", msg);
	}
	if (ps.ret != DOTS_OK) {
		conf_schema_free(sc, c);
		return ps.ret;
	}
	*out = c;
	return DOTS_OK;
}

int
conf_schema_parse_file(const struct conf_schema *sc, const char *path,
    void **out, char *err, size_t errlen)
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
	ret = conf_schema_parse_buf(sc, buf, len, path, out, err, errlen);
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
conf_schema_free(const struct conf_schema *sc, void *top)
{
	char *elems;
	size_t i, j, n;

	if (top == NULL)
		return;
	for (i = 0; i < sc->nkeys; i++) {
		const struct conf_key *k = &sc->keys[i];

		if (k->scope != CONF_SC_TOP || k->type != CONF_T_BLOCK)
			continue;
		elems = block_elems(k, top, &n);
		for (j = 0; j < n; j++) {
			char *e = elems + j * k->elem_size;

			clear_scope(sc, k->block, e);
			if (sc->block_clear != NULL)
				sc->block_clear(k->block, e);
			free(*(char **)(void *)(e + k->off_name));
		}
		free(elems);
	}
	clear_scope(sc, CONF_SC_TOP, top);
	free(*(char **)(void *)((char *)top + sc->off_path));
	free(top);
}

/* Command-line overrides */

int
conf_schema_set(const struct conf_schema *sc, void *top, const char *key,
    const char *value, char *err, size_t errlen)
{
	const struct conf_key *k = conf_schema_key(sc, CONF_SC_TOP, key);
	char *copy = NULL, *w[WORDS_MAX + 1], msg[CONF_ERR_MAX];
	uint64_t bit, *cli_set;
	void *tmp;
	unsigned n;
	int ret;

	if (k == NULL || k->type == CONF_T_BLOCK) {
		snprintf(err, errlen, "%s: not a keyword that can be set "
		    "here", key);
		return DOTS_EVALUE;
	}
	cli_set = (uint64_t *)(void *)((char *)top + sc->off_cli_set);
	bit = UINT64_C(1) << (k - sc->keys);
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
	if (!(k->flags & CONF_F_REPEAT) || (*cli_set & bit)) {
		ret = apply_words(k, top, w, n, msg, sizeof(msg));
		goto done;
	}
	/* First override of a list: it replaces the file's entries, but
	 * only once the new entry is known to be good. */
	tmp = calloc(1, sc->size);
	if (tmp == NULL) {
		snprintf(msg, sizeof(msg), "out of memory");
		ret = DOTS_ENOMEM;
		goto done;
	}
	ret = apply_words(k, tmp, w, n, msg, sizeof(msg));
	if (ret == DOTS_OK) {
		conf_type_ops[k->type].clear(k, top);
		memcpy((char *)top + k->off, (char *)tmp + k->off,
		    sizeof(void *));
		memcpy((char *)top + k->off_n, (char *)tmp + k->off_n,
		    sizeof(size_t));
	}
	free(tmp);
done:
	free(copy);
	if (ret != DOTS_OK) {
		snprintf(err, errlen, "%s: %s", key, msg);
		return ret;
	}
	*cli_set |= bit;
	return DOTS_OK;
}

/* Printing */

static void
print_block(const struct conf_schema *sc, FILE *f, const struct conf_key *k,
    const char *obj, unsigned flags)
{
	size_t i;

	fprintf(f, "\n%s ", k->name);
	conf_print_quoted(f, elem_name(k, obj));
	fputs(" {\n", f);
	for (i = 0; i < sc->nkeys; i++)
		if (sc->keys[i].scope == k->block)
			conf_type_ops[sc->keys[i].type].print(f, "\t",
			    &sc->keys[i], obj, flags);
	if (sc->block_print != NULL)
		sc->block_print(f, k->block, obj);
	fputs("}\n", f);
}

/* The lines of one top-level keyword, blocks included. */
static void
print_key(const struct conf_schema *sc, FILE *f, const struct conf_key *k,
    const void *top, unsigned flags)
{
	const char *elems;
	size_t i, n;

	if (k->type != CONF_T_BLOCK) {
		conf_type_ops[k->type].print(f, "", k, top, flags);
		return;
	}
	elems = block_elems(k, top, &n);
	for (i = 0; i < n; i++)
		print_block(sc, f, k, elems + i * k->elem_size, flags);
}

void
conf_schema_print(const struct conf_schema *sc, FILE *f, const void *top,
    unsigned flags)
{
	size_t i;

	for (i = 0; i < sc->nkeys; i++)
		if (sc->keys[i].scope == CONF_SC_TOP)
			print_key(sc, f, &sc->keys[i], top, flags);
}

/* The printed form of one keyword, **new**, or NULL. */
static char *
key_text(const struct conf_schema *sc, const struct conf_key *k,
    const void *top)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	if (f == NULL)
		return NULL;
	print_key(sc, f, k, top, CONF_PRINT_SECRETS);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int
conf_schema_reload_check(const struct conf_schema *sc, const void *old,
    const void *new, char *err, size_t errlen)
{
	char *a, *b;
	size_t i;
	bool same;

	for (i = 0; i < sc->nkeys; i++) {
		const struct conf_key *k = &sc->keys[i];

		if (k->scope != CONF_SC_TOP || (k->flags & CONF_F_RELOAD))
			continue;
		a = key_text(sc, k, old);
		b = key_text(sc, k, new);
		same = a != NULL && b != NULL && strcmp(a, b) == 0;
		free(a);
		free(b);
		if (a == NULL || b == NULL) {
			snprintf(err, errlen, "out of memory");
			return DOTS_ENOMEM;
		}
		if (!same) {
			snprintf(err, errlen, "%s changed: restart %s to "
			    "apply it", k->name, sc->prog);
			return DOTS_EVALUE;
		}
	}
	return DOTS_OK;
}

void
conf_schema_describe(const struct conf_schema *sc, FILE *f)
{
	size_t i;
	int scope = -1;

	for (i = 0; i < sc->nkeys; i++) {
		const struct conf_key *k = &sc->keys[i];

		if ((int)k->scope != scope) {
			scope = (int)k->scope;
			fprintf(f, "%s# %s\n", i == 0 ? "" : "\n",
			    sc->scope_titles[scope]);
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

/* dotsd's configuration: the schema of conf_schema.c */

int
conf_parse_buf(const char *buf, size_t len, const char *name,
    struct conf **out, char *err, size_t errlen)
{
	void *c;
	int ret;

	ret = conf_schema_parse_buf(&conf_schema_dotsd, buf, len, name, &c,
	    err, errlen);
	if (ret == DOTS_OK)
		*out = c;
	return ret;
}

int
conf_parse_file(const char *path, struct conf **out, char *err,
    size_t errlen)
{
	void *c;
	int ret;

	ret = conf_schema_parse_file(&conf_schema_dotsd, path, &c, err,
	    errlen);
	if (ret == DOTS_OK)
		*out = c;
	return ret;
}

void
conf_free(struct conf *c)
{
	conf_schema_free(&conf_schema_dotsd, c);
}

int
conf_set(struct conf *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	return conf_schema_set(&conf_schema_dotsd, c, key, value, err,
	    errlen);
}

void
conf_print_flags(FILE *f, const struct conf *c, unsigned flags)
{
	conf_schema_print(&conf_schema_dotsd, f, c, flags);
}

void
conf_print(FILE *f, const struct conf *c)
{
	conf_print_flags(f, c, 0);
}

int
conf_reload_check(const struct conf *old, const struct conf *new,
    char *err, size_t errlen)
{
	return conf_schema_reload_check(&conf_schema_dotsd, old, new, err,
	    errlen);
}

void
conf_describe(FILE *f)
{
	conf_schema_describe(&conf_schema_dotsd, f);
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
