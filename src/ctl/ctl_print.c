/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Results for people: aligned tables (servers, mitigations, the session
 * configuration), "key  value" blocks for one object, one line per
 * event.  Everything shown comes from the daemon or a server, so each
 * member is looked up with its type checked, absent ones show as "-",
 * and control characters are replaced before they reach a terminal.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

#define SC_NAME		"ietf-dots-signal-channel:signal-config"
#define CELL_MAX	256
#define COLS_MAX	10

struct table {
	size_t		  ncols;
	size_t		  nrows;
	size_t		  cap;
	const char	* const *head;
	char		**cell;		/* nrows * ncols, each malloc'd */
};

const char *
ctl_printable(const char *s, char *buf, size_t len)
{
	size_t i;

	if (len == 0)
		return "";
	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' :
		    s[i];
	buf[i] = '\0';
	return buf;
}

/* The text of any JSON value, printable; "-" for none. */
static const char *
text(json_t *v, char *buf, size_t len)
{
	char *dump;

	if (v == NULL || json_is_null(v))
		return "-";
	if (json_is_string(v))
		return ctl_printable(json_string_value(v), buf, len);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, len, "%g", json_real_value(v));
		return buf;
	}
	if ((dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
		return "?";
	ctl_printable(dump, buf, len);
	free(dump);
	return buf;
}

static const char *
member(json_t *o, const char *k, char *buf, size_t len)
{
	return text(json_object_get(o, k), buf, len);
}

static void
table_row(struct table *t, const char *const *cells)
{
	char **bigger;
	size_t i, at;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		bigger = realloc(t->cell, t->cap * t->ncols * sizeof(char *));
		if (bigger == NULL) {
			t->cap = t->nrows;
			return;		/* shown without the row */
		}
		t->cell = bigger;
	}
	at = t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++)
		t->cell[at + i] = strdup(cells[i] != NULL ? cells[i] : "-");
	t->nrows++;
}

static void
table_print(FILE *f, struct table *t)
{
	size_t w[COLS_MAX] = { 0 }, r, c, n;
	const char *s;

	for (c = 0; c < t->ncols; c++)
		w[c] = strlen(t->head[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if ((s = t->cell[r * t->ncols + c]) != NULL &&
			    (n = strlen(s)) > w[c])
				w[c] = n;
	for (r = 0; r <= t->nrows; r++) {
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
	}
	for (r = 0; r < t->nrows * t->ncols; r++)
		free(t->cell[r]);
	free(t->cell);
}

/* Comma-separated strings of a list member, appended to @p buf. */
static void
join(json_t *list, const char *sep, char *buf, size_t len)
{
	char one[CELL_MAX];
	size_t i, used;
	json_t *v;

	if (!json_is_array(list))
		return;
	json_array_foreach(list, i, v) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? sep : "",
		    text(v, one, sizeof(one)));
	}
}

static void
ports(json_t *list, char *buf, size_t len)
{
	json_t *lo, *hi, *v;
	size_t i, used;

	buf[0] = '\0';
	if (!json_is_array(list))
		return;
	json_array_foreach(list, i, v) {
		used = strlen(buf);
		lo = json_object_get(v, "lower-port");
		hi = json_object_get(v, "upper-port");
		if (!json_is_integer(lo))
			continue;
		if (json_is_integer(hi) && json_integer_value(hi) !=
		    json_integer_value(lo))
			snprintf(buf + used, len - used, "%s%lld-%lld",
			    used ? "," : "", (long long)json_integer_value(lo),
			    (long long)json_integer_value(hi));
		else
			snprintf(buf + used, len - used, "%s%lld",
			    used ? "," : "", (long long)json_integer_value(lo));
	}
}

static void
protos(json_t *list, char *buf, size_t len)
{
	static const char *const names[256] = { [1] = "icmp", [6] = "tcp",
	    [17] = "udp", [47] = "gre", [50] = "esp", [51] = "ah",
	    [58] = "icmp6", [132] = "sctp" };
	json_int_t p;
	size_t i, used;
	json_t *v;

	buf[0] = '\0';
	if (!json_is_array(list))
		return;
	json_array_foreach(list, i, v) {
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
}

static const char *
lifetime(json_t *v, char *buf, size_t len)
{
	if (json_is_integer(v) && json_integer_value(v) == -1)
		return "indefinite";
	return text(v, buf, len);
}

/* status, or the error of a failed one: "4.01 diagnostic". */
static const char *
status(json_t *m, char *buf, size_t len)
{
	json_t *e = json_object_get(m, "error");
	char c[CELL_MAX], d[CELL_MAX];

	if (json_object_get(m, "status") != NULL || e == NULL)
		return member(m, "status", buf, len);
	if (!json_is_object(e))
		return text(e, buf, len);
	snprintf(buf, len, "%s %s", member(e, "code", c, sizeof(c)),
	    member(e, json_object_get(e, "diagnostic") ? "diagnostic" :
	    "message", d, sizeof(d)));
	return buf;
}

static void
print_mitigations(FILE *f, json_t *result)
{
	static const char *const head[] = { "SERVER", "MID", "STATE",
	    "STATUS", "TARGET", "PORTS", "PROTO", "LIFETIME", "ORIGIN" };
	char b[9][CELL_MAX];
	const char *cells[9];
	struct table t = { .ncols = 9, .head = head };
	json_t *list = json_object_get(result, "mitigations"), *m, *sc;
	size_t i;

	json_array_foreach(list, i, m) {
		if (!json_is_object(m))
			continue;
		sc = json_object_get(m, "scope");
		cells[0] = member(m, "server", b[0], CELL_MAX);
		cells[1] = member(m, "mid", b[1], CELL_MAX);
		cells[2] = member(m, "state", b[2], CELL_MAX);
		cells[3] = status(m, b[3], CELL_MAX);
		b[4][0] = '\0';
		join(json_object_get(sc, "target-prefix"), ",", b[4],
		    CELL_MAX);
		join(json_object_get(sc, "target-fqdn"), ",", b[4], CELL_MAX);
		join(json_object_get(sc, "target-uri"), ",", b[4], CELL_MAX);
		join(json_object_get(sc, "alias-name"), ",", b[4], CELL_MAX);
		cells[4] = b[4][0] ? b[4] : "-";
		ports(json_object_get(sc, "target-port-range"), b[5],
		    CELL_MAX);
		cells[5] = b[5][0] ? b[5] : "-";
		protos(json_object_get(sc, "target-protocol"), b[6], CELL_MAX);
		cells[6] = b[6][0] ? b[6] : "-";
		cells[7] = lifetime(json_object_get(m, "lifetime") ?
		    json_object_get(m, "lifetime") :
		    json_object_get(sc, "lifetime"), b[7], CELL_MAX);
		cells[8] = member(m, "origin", b[8], CELL_MAX);
		table_row(&t, cells);
	}
	if (t.nrows == 0) {
		fprintf(f, "no mitigations\n");
		return;
	}
	table_print(f, &t);
}

static const char *
since(json_t *v, char *buf, size_t len)
{
	struct tm tm;
	time_t t;

	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return text(v, buf, len);
	t = (time_t)json_integer_value(v);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return text(v, buf, len);
	return buf;
}

static void
print_servers(FILE *f, json_t *result)
{
	static const char *const head[] = { "NAME", "ADDRESS", "PORT",
	    "TRANSPORT", "STATE", "SINCE", "HEARTBEAT", "MISSED",
	    "LAST-ERROR" };
	char b[9][CELL_MAX], hb[CELL_MAX], miss[CELL_MAX];
	const char *cells[9];
	struct table t = { .ncols = 9, .head = head };
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(result, "servers"), i, s) {
		if (!json_is_object(s))
			continue;
		cells[0] = member(s, "name", b[0], CELL_MAX);
		cells[1] = member(s, "address", b[1], CELL_MAX);
		cells[2] = member(s, "port", b[2], CELL_MAX);
		cells[3] = member(s, "transport", b[3], CELL_MAX);
		cells[4] = member(s, "state", b[4], CELL_MAX);
		cells[5] = since(json_object_get(s, "since"), b[5], CELL_MAX);
		snprintf(b[6], CELL_MAX, "%ss/%s",
		    member(s, "heartbeat-interval", hb, sizeof(hb)),
		    member(s, "missing-hb-allowed", miss, sizeof(miss)));
		cells[6] = b[6];
		cells[7] = member(s, "missed-heartbeats", b[7], CELL_MAX);
		cells[8] = member(s, "last-error", b[8], CELL_MAX);
		table_row(&t, cells);
	}
	if (t.nrows == 0) {
		fprintf(f, "no servers configured\n");
		return;
	}
	table_print(f, &t);
}

/* current value [min-max] of one parameter of a config set. */
static const char *
cfg_value(json_t *p, char *buf, size_t len)
{
	static const char *const cur[] = { "current-value",
	    "current-value-decimal" }, *const lo[] = { "min-value",
	    "min-value-decimal" }, *const hi[] = { "max-value",
	    "max-value-decimal" };
	char c[64], a[64], z[64];
	const char *cv;
	size_t d;

	if (!json_is_object(p))
		return "-";
	d = json_object_get(p, "current-value-decimal") != NULL ||
	    json_object_get(p, "min-value-decimal") != NULL;
	/* "-" for an absent member: c itself is then left unwritten */
	cv = member(p, cur[d], c, sizeof(c));
	if (json_object_get(p, lo[d]) != NULL ||
	    json_object_get(p, hi[d]) != NULL)
		snprintf(buf, len, "%s [%s-%s]", cv, member(p, lo[d], a,
		    sizeof(a)), member(p, hi[d], z, sizeof(z)));
	else
		snprintf(buf, len, "%s", cv);
	return buf;
}

static void
print_session(FILE *f, json_t *result)
{
	static const char *const head[] = { "PARAMETER", "MITIGATING",
	    "IDLE" };
	json_t *sc = json_object_get(result, SC_NAME), *mc, *ic, *v;
	char name[CELL_MAX], b1[CELL_MAX], b2[CELL_MAX];
	const char *cells[3], *k;
	struct table t = { .ncols = 3, .head = head };

	if (sc == NULL)
		sc = result;
	mc = json_object_get(sc, "mitigating-config");
	ic = json_object_get(sc, "idle-config");
	json_object_foreach(sc, k, v)
		if (!json_is_object(v))
			fprintf(f, "%s: %s\n", ctl_printable(k, name,
			    sizeof(name)), text(v, b1, sizeof(b1)));
	/* the parameters of either set, in the server's order */
	json_object_foreach(json_is_object(mc) ? mc : ic, k, v) {
		cells[0] = ctl_printable(k, name, sizeof(name));
		cells[1] = cfg_value(json_object_get(mc, k), b1, sizeof(b1));
		cells[2] = cfg_value(json_object_get(ic, k), b2, sizeof(b2));
		table_row(&t, cells);
	}
	if (json_is_object(mc) && json_is_object(ic))
		json_object_foreach(ic, k, v) {
			if (json_object_get(mc, k) != NULL)
				continue;
			cells[0] = ctl_printable(k, name, sizeof(name));
			cells[1] = "-";
			cells[2] = cfg_value(v, b2, sizeof(b2));
			table_row(&t, cells);
		}
	if (t.nrows == 0) {
		fprintf(f, "no session configuration known\n");
		return;
	}
	table_print(f, &t);
}

/* One object as "key  value" lines, keys aligned. */
static void
print_kv(FILE *f, json_t *o)
{
	char k[CELL_MAX], b[CELL_MAX];
	size_t w = 0;
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v)
		if (strlen(key) > w)
			w = strlen(key);
	json_object_foreach(o, key, v)
		fprintf(f, "%-*s  %s\n", (int)w, ctl_printable(key, k,
		    sizeof(k)), strcmp(key, "lifetime") == 0 ?
		    lifetime(v, b, sizeof(b)) : text(v, b, sizeof(b)));
}

void
ctl_print_result(FILE *f, enum ctl_cmd cmd, json_t *result)
{
	if (!json_is_object(result))
		return;
	switch (cmd) {
	case CTL_CMD_STATUS:
		print_mitigations(f, result);
		break;
	case CTL_CMD_SERVERS:
		print_servers(f, result);
		break;
	case CTL_CMD_SESSION:
		print_session(f, result);
		break;
	default:
		print_kv(f, result);
		break;
	}
}

void
ctl_print_error(FILE *f, const struct ctl_reply *r)
{
	char a[CELL_MAX], b[CELL_MAX];

	fprintf(f, "dotsctl: %s: %s\n", ctl_printable(r->code ? r->code :
	    "error", a, sizeof(a)), ctl_printable(r->message ? r->message :
	    "(no message)", b, sizeof(b)));
	if (r->field != NULL)
		fprintf(f, "  argument: %s\n", ctl_printable(r->field, a,
		    sizeof(a)));
	if (r->server_code != NULL || r->server_diag != NULL)
		fprintf(f, "  server answered %s%s%s\n",
		    ctl_printable(r->server_code ? r->server_code : "?", a,
		    sizeof(a)), r->server_diag ? ": " : "",
		    r->server_diag ? ctl_printable(r->server_diag, b,
		    sizeof(b)) : "");
}

void
ctl_print_event(FILE *f, json_t *ev)
{
	char k[CELL_MAX], b[CELL_MAX], when[32];
	const char *key;
	struct tm tm;
	time_t now = time(NULL);
	json_t *v;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%H:%M:%S", &tm) == 0)
		when[0] = '\0';
	fprintf(f, "%s %s", when, member(ev, "event", b, sizeof(b)));
	json_object_foreach(ev, key, v)
		if (strcmp(key, "event") != 0)
			fprintf(f, " %s=%s", ctl_printable(key, k, sizeof(k)),
			    text(v, b, sizeof(b)));
	fprintf(f, "\n");
	fflush(f);
}

int
ctl_show(const struct ctl_req *req, struct ctl_reply *r)
{
	char *text;

	if (!r->ok) {
		ctl_print_error(stderr, r);
		if (req->json && (text = json_dumps(r->root, JSON_COMPACT |
		    JSON_PRESERVE_ORDER)) != NULL) {
			printf("%s\n", text);
			free(text);
		}
		return CTL_EXIT_FAILED;
	}
	if (req->json) {
		text = r->result == NULL ? NULL : json_dumps(r->result,
		    JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", text != NULL ? text : "{}");
		free(text);
	} else
		ctl_print_result(stdout, req->cmd, r->result);
	return ctl_reply_exit(r, req->cmd);
}
