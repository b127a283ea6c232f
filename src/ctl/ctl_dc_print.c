/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The tables of `dotsctl dc`: aliases and ACLs one a row, one alias or
 * ACL as KEY VALUE lines (an ACL's entries as a table below), the
 * capabilities as the dotted paths of their leaves.  Whatever the server
 * sent is printed through ctl_printable(): an answer is not trusted to
 * be free of control characters.  Identities lose their module
 * ("ietf-access-control-list:drop" prints "drop"); --json shows them
 * whole.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_dc.h"

#define CELL_MAX	512
#define COLS_MAX	6
#define ROWS_MAX	4096

struct dc_table {
	size_t		 ncols, nrows;
	const char	*head[COLS_MAX];
	char		*cells[ROWS_MAX][COLS_MAX];
	size_t		 width[COLS_MAX];
};

static void
table_row(struct dc_table *t, const char *const cells[])
{
	size_t i, n;

	if (t->nrows == ROWS_MAX)
		return;
	for (i = 0; i < t->ncols; i++) {
		t->cells[t->nrows][i] = strdup(cells[i] != NULL ? cells[i] :
		    "-");
		n = t->cells[t->nrows][i] != NULL ?
		    strlen(t->cells[t->nrows][i]) : 1;
		if (n > t->width[i])
			t->width[i] = n;
	}
	t->nrows++;
}

/* Columns are padded but the last, which ends the line. */
static void
cell(FILE *f, const struct dc_table *t, size_t i, const char *s)
{
	if (i + 1 < t->ncols)
		fprintf(f, "%-*s  ", (int)t->width[i], s);
	else
		fprintf(f, "%s\n", s);
}

static void
table_print(FILE *f, struct dc_table *t)
{
	size_t r, i;

	for (i = 0; i < t->ncols; i++)
		if (strlen(t->head[i]) > t->width[i])
			t->width[i] = strlen(t->head[i]);
	for (i = 0; i < t->ncols; i++)
		cell(f, t, i, t->head[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			cell(f, t, i, t->cells[r][i] != NULL ?
			    t->cells[r][i] : "-");
			free(t->cells[r][i]);
		}
}

static struct dc_table *
table_new(size_t ncols, const char *const head[])
{
	struct dc_table *t;
	size_t i;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->ncols = ncols;
	for (i = 0; i < ncols; i++)
		t->head[i] = head[i];
	return t;
}

/* An identity without its module. */
static const char *
unprefixed(const char *s)
{
	const char *colon = strchr(s, ':');

	return colon != NULL ? colon + 1 : s;
}

static void
cat(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (n < len)
		snprintf(buf + n, len - n, "%s", s);
}

/* A scalar as text, made printable. */
static void
scalar_text(json_t *v, char *buf, size_t len)
{
	char tmp[CELL_MAX];

	if (json_is_string(v))
		ctl_printable(unprefixed(json_string_value(v)), buf, len);
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else {
		/* Objects, arrays, null: compact JSON. */
		char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		ctl_printable(d != NULL ? d : "?", tmp, sizeof(tmp));
		snprintf(buf, len, "%s", tmp);
		free(d);
	}
}

/* An array of scalars (or one scalar) joined by commas; NULL: "-". */
static const char *
list_text(json_t *v, char *buf, size_t len)
{
	char one[CELL_MAX];
	json_t *e;
	size_t i;

	buf[0] = '\0';
	if (v == NULL)
		return NULL;
	if (!json_is_array(v)) {
		scalar_text(v, buf, len);
		return buf;
	}
	json_array_foreach(v, i, e) {
		scalar_text(e, one, sizeof(one));
		if (i > 0)
			cat(buf, len, ",");
		cat(buf, len, one);
	}
	return json_array_size(v) > 0 ? buf : NULL;
}

/* target-port-range: 80,1000-2000. */
static const char *
ports_text(json_t *v, char *buf, size_t len)
{
	json_int_t lo, hi;
	char one[48];
	json_t *e;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(v, i, e) {
		lo = json_integer_value(json_object_get(e, "lower-port"));
		hi = json_is_integer(json_object_get(e, "upper-port")) ?
		    json_integer_value(json_object_get(e, "upper-port")) : lo;
		if (hi == lo)
			snprintf(one, sizeof(one), "%lld", (long long)lo);
		else
			snprintf(one, sizeof(one), "%lld-%lld", (long long)lo,
			    (long long)hi);
		if (i > 0)
			cat(buf, len, ",");
		cat(buf, len, one);
	}
	return buf[0] != '\0' ? buf : NULL;
}

/*
 * The leaves of @p v as "PATH=VALUE" separated by spaces (@p eq) or as
 * lines "PATH  VALUE" (@p f).
 */
static void
flatten(json_t *v, const char *path, char *buf, size_t len, FILE *f)
{
	char sub[CELL_MAX], val[CELL_MAX];
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			snprintf(sub, sizeof(sub), "%s%s%s", path,
			    path[0] != '\0' ? "." : "", unprefixed(k));
			flatten(e, sub, buf, len, f);
		}
		return;
	}
	if (json_is_array(v) && json_array_size(v) > 0 &&
	    json_is_object(json_array_get(v, 0))) {
		json_array_foreach(v, i, e) {
			snprintf(sub, sizeof(sub), "%s.%zu", path, i);
			flatten(e, sub, buf, len, f);
		}
		return;
	}
	if (list_text(v, val, sizeof(val)) == NULL)
		snprintf(val, sizeof(val), "-");
	ctl_printable(path, sub, sizeof(sub));
	if (f != NULL) {
		fprintf(f, "%-40s  %s\n", sub, val);
		return;
	}
	if (buf[0] != '\0')
		cat(buf, len, " ");
	cat(buf, len, sub);
	cat(buf, len, "=");
	cat(buf, len, val);
}

void
ctl_dc_print_capabilities(FILE *f, json_t *answer)
{
	json_t *caps = json_object_get(answer, CTL_DC_MODULE
	    ":capabilities");

	flatten(caps != NULL ? caps : answer, "", NULL, 0, f);
}

static char *
int_text(json_t *v, char *buf, size_t len)
{
	if (!json_is_integer(v))
		return NULL;
	snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	return buf;
}

void
ctl_dc_print_aliases(FILE *f, json_t *aliases)
{
	static const char *const head[] = { "NAME", "PREFIX", "PORTS",
	    "PROTO", "FQDN", "LIFETIME" };
	char c[6][CELL_MAX];
	const char *row[6] = { NULL };
	struct dc_table *t;
	json_t *a;
	size_t i;

	if ((t = table_new(6, head)) == NULL)
		return;
	json_array_foreach(aliases, i, a) {
		ctl_printable(json_string_value(json_object_get(a, "name")) ?
		    json_string_value(json_object_get(a, "name")) : "-", c[0],
		    sizeof(c[0]));
		row[0] = c[0];
		row[1] = list_text(json_object_get(a,
		    "target-prefix"), c[1], sizeof(c[1]));
		row[2] = ports_text(json_object_get(a,
		    "target-port-range"), c[2], sizeof(c[2]));
		row[3] = list_text(json_object_get(a,
		    "target-protocol"), c[3], sizeof(c[3]));
		row[4] = list_text(json_object_get(a, "target-fqdn"),
		    c[4], sizeof(c[4]));
		row[5] = int_text(json_object_get(a, "pending-lifetime"),
		    c[5], sizeof(c[5]));
		table_row(t, row);
	}
	table_print(f, t);
	free(t);
}

static void
kv(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%-18s %s\n", key, value != NULL ? value : "-");
}

void
ctl_dc_print_alias(FILE *f, json_t *a)
{
	char buf[CELL_MAX];

	ctl_printable(json_string_value(json_object_get(a, "name")) ?
	    json_string_value(json_object_get(a, "name")) : "-", buf,
	    sizeof(buf));
	kv(f, "name", buf);
	kv(f, "target-prefix", list_text(json_object_get(a, "target-prefix"),
	    buf, sizeof(buf)));
	kv(f, "target-port-range", ports_text(json_object_get(a,
	    "target-port-range"), buf, sizeof(buf)));
	kv(f, "target-protocol", list_text(json_object_get(a,
	    "target-protocol"), buf, sizeof(buf)));
	kv(f, "target-fqdn", list_text(json_object_get(a, "target-fqdn"),
	    buf, sizeof(buf)));
	kv(f, "target-uri", list_text(json_object_get(a, "target-uri"),
	    buf, sizeof(buf)));
	kv(f, "pending-lifetime", int_text(json_object_get(a,
	    "pending-lifetime"), buf, sizeof(buf)));
}

static json_t *
aces_of(json_t *acl)
{
	json_t *aces = json_object_get(json_object_get(acl, "aces"), "ace");

	return json_is_array(aces) ? aces : NULL;
}

void
ctl_dc_print_acls(FILE *f, json_t *acls)
{
	static const char *const head[] = { "NAME", "TYPE", "ACTIVATION",
	    "ACES", "LIFETIME" };
	char c[5][CELL_MAX];
	const char *row[5] = { NULL };
	struct dc_table *t;
	json_t *a;
	size_t i;

	if ((t = table_new(5, head)) == NULL)
		return;
	json_array_foreach(acls, i, a) {
		row[0] = list_text(json_object_get(a, "name"), c[0],
		    sizeof(c[0]));
		row[1] = list_text(json_object_get(a, "type"), c[1],
		    sizeof(c[1]));
		row[2] = list_text(json_object_get(a,
		    "activation-type"), c[2], sizeof(c[2]));
		/* RFC 8783's default when the server leaves it out */
		if (row[2] == NULL)
			row[2] = "activate-when-mitigating";
		snprintf(c[3], sizeof(c[3]), "%zu",
		    json_array_size(aces_of(a)));
		row[3] = c[3];
		row[4] = int_text(json_object_get(a, "pending-lifetime"),
		    c[4], sizeof(c[4]));
		table_row(t, row);
	}
	table_print(f, t);
	free(t);
}

void
ctl_dc_print_acl(FILE *f, json_t *acl)
{
	static const char *const head[] = { "ACE", "MATCHES", "ACTION" };
	char c[3][CELL_MAX * 2], buf[CELL_MAX];
	const char *row[3] = { NULL };
	struct dc_table *t;
	json_t *ace;
	size_t i;

	kv(f, "name", list_text(json_object_get(acl, "name"), buf,
	    sizeof(buf)));
	kv(f, "type", list_text(json_object_get(acl, "type"), buf,
	    sizeof(buf)));
	kv(f, "activation-type", list_text(json_object_get(acl,
	    "activation-type"), buf, sizeof(buf)) != NULL ? buf :
	    "activate-when-mitigating");
	kv(f, "pending-lifetime", int_text(json_object_get(acl,
	    "pending-lifetime"), buf, sizeof(buf)));
	fprintf(f, "\n");
	if ((t = table_new(3, head)) == NULL)
		return;
	json_array_foreach(aces_of(acl), i, ace) {
		row[0] = list_text(json_object_get(ace, "name"), c[0],
		    sizeof(c[0]));
		c[1][0] = '\0';
		flatten(json_object_get(ace, "matches"), "", c[1],
		    sizeof(c[1]), NULL);
		row[1] = c[1][0] != '\0' ? c[1] : NULL;
		c[2][0] = '\0';
		flatten(json_object_get(ace, "actions"), "", c[2],
		    sizeof(c[2]), NULL);
		row[2] = c[2][0] != '\0' ? c[2] : NULL;
		table_row(t, row);
	}
	table_print(f, t);
	free(t);
}
