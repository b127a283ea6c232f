/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The tables of `dotsctl server`: dotsd's mitigations, the ones held for
 * a decision, its clients; a line for a decision taken.  What dotsd sent
 * is looked up with its type checked (absent or mistyped shows as "-")
 * and printed through ctl_printable(), so that no control character
 * reaches the terminal.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl_srv.h"

#define CELL_MAX	512
#define COLS_MAX	11

struct srv_table {
	size_t		  ncols, nrows, cap;
	const char	* const *head;
	char		**cell;		/* nrows * ncols */
};

static void
table_row(struct srv_table *t, const char *const *cells)
{
	char **bigger;
	size_t i, at;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		if ((bigger = realloc(t->cell, t->cap * t->ncols *
		    sizeof(char *))) == NULL) {
			t->cap = t->nrows;
			return;		/* shown without the row */
		}
		t->cell = bigger;
	}
	at = t->nrows++ * t->ncols;
	for (i = 0; i < t->ncols; i++)
		t->cell[at + i] = strdup(cells[i] != NULL ? cells[i] : "-");
}

/* Print and free.  Columns are padded but the last. */
static void
table_print(FILE *f, struct srv_table *t)
{
	size_t w[COLS_MAX] = { 0 }, r, c, n;
	const char *s;

	for (r = 0; r <= t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			s = r == 0 ? t->head[c] : t->cell[(r - 1) * t->ncols +
			    c];
			if (s != NULL && (n = strlen(s)) > w[c])
				w[c] = n;
		}
	for (r = 0; r <= t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			s = r == 0 ? t->head[c] : t->cell[(r - 1) * t->ncols +
			    c];
			if (s == NULL)
				s = "?";
			if (c + 1 == t->ncols)
				fprintf(f, "%s\n", s);
			else
				fprintf(f, "%-*s  ", (int)w[c], s);
		}
	for (r = 0; r < t->nrows * t->ncols; r++)
		free(t->cell[r]);
	free(t->cell);
}

static const char *
text(json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		return ctl_printable(json_string_value(v), buf, len);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	return "-";
}

static const char *
member(json_t *o, const char *k, char *buf, size_t len)
{
	return text(json_object_get(o, k), buf, len);
}

/* The strings (or numbers) of list @p k of @p o, after those in @p buf. */
static void
join(json_t *o, const char *k, char *buf, size_t len)
{
	char one[CELL_MAX];
	size_t i, used;
	json_t *v;

	json_array_foreach(json_object_get(o, k), i, v) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? "," : "",
		    text(v, one, sizeof(one)));
	}
}

static const char *
ports(json_t *scope, char *buf, size_t len)
{
	json_t *lo, *hi, *v;
	size_t i, used;

	buf[0] = '\0';
	json_array_foreach(json_object_get(scope, "target-port-range"), i,
	    v) {
		used = strlen(buf);
		lo = json_object_get(v, "lower-port");
		hi = json_object_get(v, "upper-port");
		if (!json_is_integer(lo))
			continue;
		if (json_is_integer(hi) &&
		    json_integer_value(hi) != json_integer_value(lo))
			snprintf(buf + used, len - used, "%s%lld-%lld",
			    used ? "," : "", (long long)json_integer_value(lo),
			    (long long)json_integer_value(hi));
		else
			snprintf(buf + used, len - used, "%s%lld",
			    used ? "," : "", (long long)json_integer_value(lo));
	}
	return buf[0] != '\0' ? buf : "-";
}

static const char *
protos(json_t *scope, char *buf, size_t len)
{
	static const char *const names[256] = { [1] = "icmp", [6] = "tcp",
	    [17] = "udp", [47] = "gre", [50] = "esp", [51] = "ah",
	    [58] = "icmp6", [132] = "sctp" };
	json_int_t p;
	size_t i, used;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(json_object_get(scope, "target-protocol"), i, v) {
		if (!json_is_integer(v))
			continue;
		used = strlen(buf);
		p = json_integer_value(v);
		if (p >= 0 && p < 256 && names[p] != NULL)
			snprintf(buf + used, len - used, "%s%s",
			    used ? "," : "", names[p]);
		else
			snprintf(buf + used, len - used, "%s%lld",
			    used ? "," : "", (long long)p);
	}
	return buf[0] != '\0' ? buf : "-";
}

/* Prefixes, FQDNs, URIs and aliases: what a person calls the target. */
static const char *
targets(json_t *scope, char *buf, size_t len)
{
	buf[0] = '\0';
	join(scope, "target-prefix", buf, len);
	join(scope, "target-fqdn", buf, len);
	join(scope, "target-uri", buf, len);
	join(scope, "alias-name", buf, len);
	return buf[0] != '\0' ? buf : "-";
}

static const char *
left(json_t *m, char *buf, size_t len)
{
	json_t *v = json_object_get(m, "lifetime-left");

	if (json_is_integer(v) && json_integer_value(v) == -1)
		return "indefinite";
	return text(v, buf, len);
}

static void
print_mitigations(FILE *f, json_t *list)
{
	static const char *const head[] = { "ID", "CLIENT", "MID", "STATUS",
	    "TARGET", "PORTS", "PROTO", "LEFT", "MITIGATOR", "APPLIED",
	    "FAILURE" };
	struct srv_table t = { .ncols = 11, .head = head };
	char b[11][CELL_MAX];
	const char *row[11];
	json_t *m, *scope;
	size_t i;

	json_array_foreach(list, i, m) {
		scope = json_object_get(m, "scope");
		row[0] = member(m, "id", b[0], CELL_MAX);
		row[1] = member(m, "client", b[1], CELL_MAX);
		row[2] = member(m, "mid", b[2], CELL_MAX);
		row[3] = member(m, "status", b[3], CELL_MAX);
		row[4] = targets(scope, b[4], CELL_MAX);
		row[5] = ports(scope, b[5], CELL_MAX);
		row[6] = protos(scope, b[6], CELL_MAX);
		row[7] = left(m, b[7], CELL_MAX);
		row[8] = member(m, "mitigator", b[8], CELL_MAX);
		row[9] = member(m, "applied", b[9], CELL_MAX);
		row[10] = member(m, "failure", b[10], CELL_MAX);
		table_row(&t, row);
	}
	table_print(f, &t);
}

static const char *
since(json_t *v, char *buf, size_t len)
{
	struct tm tm;
	time_t when;

	if (!json_is_integer(v))
		return "-";
	when = (time_t)json_integer_value(v);
	if (localtime_r(&when, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return text(v, buf, len);
	return buf;
}

static void
print_approvals(FILE *f, json_t *list)
{
	static const char *const head[] = { "ID", "MITIGATOR", "CLIENT",
	    "MID", "SINCE", "WHAT" };
	struct srv_table t = { .ncols = 6, .head = head };
	char b[6][CELL_MAX];
	const char *row[6];
	json_t *h;
	size_t i;

	json_array_foreach(list, i, h) {
		row[0] = member(h, "mitigation", b[0], CELL_MAX);
		row[1] = member(h, "mitigator", b[1], CELL_MAX);
		row[2] = member(h, "client", b[2], CELL_MAX);
		row[3] = member(h, "mid", b[3], CELL_MAX);
		row[4] = since(json_object_get(h, "since"), b[4], CELL_MAX);
		row[5] = member(h, "what", b[5], CELL_MAX);
		table_row(&t, row);
	}
	table_print(f, &t);
}

static void
print_clients(FILE *f, json_t *list)
{
	static const char *const head[] = { "NAME", "IDENTITY", "SESSION",
	    "MITIGATIONS", "MITIGATOR", "PREFIXES", "FQDNS" };
	struct srv_table t = { .ncols = 7, .head = head };
	char b[7][CELL_MAX];
	const char *row[7];
	json_t *c;
	size_t i;

	json_array_foreach(list, i, c) {
		row[0] = member(c, "name", b[0], CELL_MAX);
		row[1] = member(c, "identity", b[1], CELL_MAX);
		row[2] = json_is_true(json_object_get(c, "session")) ? "up" :
		    "down";
		row[3] = member(c, "mitigations", b[3], CELL_MAX);
		row[4] = member(c, "mitigator", b[4], CELL_MAX);
		b[5][0] = b[6][0] = '\0';
		join(c, "prefixes", b[5], CELL_MAX);
		join(c, "fqdns", b[6], CELL_MAX);
		row[5] = b[5][0] != '\0' ? b[5] : "-";
		row[6] = b[6][0] != '\0' ? b[6] : "-";
		table_row(&t, row);
	}
	table_print(f, &t);
}

void
ctl_srv_print(FILE *f, enum ctl_srv_cmd cmd, json_t *result)
{
	char a[CELL_MAX], b[CELL_MAX], c[CELL_MAX];

	switch (cmd) {
	case CTL_SRV_MITIGATIONS:
		print_mitigations(f, json_object_get(result, "mitigations"));
		break;
	case CTL_SRV_APPROVALS:
		print_approvals(f, json_object_get(result, "approvals"));
		if (json_is_true(json_object_get(result, "more")))
			fprintf(f, "(more are held than listed)\n");
		break;
	case CTL_SRV_APPROVE:
	case CTL_SRV_REJECT:
		fprintf(f, "mitigation %s: %s (mitigator %s)\n",
		    member(result, "mitigation", a, sizeof(a)),
		    member(result, "decision", b, sizeof(b)),
		    member(result, "mitigator", c, sizeof(c)));
		break;
	case CTL_SRV_CLIENTS:
		print_clients(f, json_object_get(result, "clients"));
		break;
	case CTL_SRV_NONE:
		break;
	}
}
