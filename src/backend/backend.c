/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The generic part of the mitigator interface: the table of backend types,
 * creating and freeing instances, delivering reports to the server, and
 * the JSON form of a mitigation that external tools see (format in
 * docs/mitigators.md).
 *
 * be_emit() keeps be->active right whatever a backend reports: it counts
 * a mitigation once when it first becomes BE_ACTIVE (later BE_ACTIVE
 * reports only refresh statistics) and uncounts it when it ends as
 * BE_WITHDRAWN or BE_FAILED.  For that it remembers the active ids in a
 * sorted array that sits next to struct backend in the allocation made by
 * be_new(), so struct backend stays what backend.h shows.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <dots/json.h>

#include "backend.h"
#include "be_scope.h"
#include "policy/be_policy.h"
#include "be_util.h"

/* Backend types, as named by the "type" of a mitigator block. */
static const struct be_ops *const be_types[] = {
	&be_log_ops,
	&be_exec_ops,
	&be_flowspec_ops,
	&be_rtbh_ops,
	&be_policy_ops,
	&be_dots_ops,
};

#define N_BE_TYPES	(sizeof(be_types) / sizeof(be_types[0]))

/* What be_new() allocates; be_emit() finds it from the struct backend. */
struct be_instance {
	struct backend	 be;		/* first: the pointer handed out */
	uint64_t	*active_ids;	/* sorted */
	size_t		 n_active;
	size_t		 cap_active;
};

static struct be_instance *
be_instance(struct backend *be)
{
	return (struct be_instance *)be;
}

const struct be_ops *
be_lookup(const char *type)
{
	size_t i;

	if (type == NULL)
		return NULL;
	for (i = 0; i < N_BE_TYPES; i++)
		if (strcmp(be_types[i]->name, type) == 0)
			return be_types[i];
	return NULL;
}

/* "log, exec": the known types, for error sentences. */
static void
be_type_list(char *buf, size_t len)
{
	size_t i, off = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < N_BE_TYPES && off < len; i++) {
		n = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
		    be_types[i]->name);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

struct backend *
be_new(const char *type, const char *name, const struct be_setting *settings,
    size_t nsettings, be_report_fn report, void *arg, char *err,
    size_t errlen)
{
	const struct be_ops *ops = be_lookup(type);
	struct be_instance *bi = NULL;
	char known[128], why[256];
	int ret;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (name == NULL)
		name = "";
	if (ops == NULL) {
		be_type_list(known, sizeof(known));
		be_errf(err, errlen, "mitigator \"%s\": unknown type \"%s\" "
		    "(known types: %s)", name, type ? type : "", known);
		return NULL;
	}
	if (strlen(name) >= sizeof(bi->be.name)) {
		be_errf(err, errlen, "mitigator name \"%.20s...\" is too long "
		    "(at most %zu characters)", name, sizeof(bi->be.name) - 1);
		return NULL;
	}
	bi = calloc(1, sizeof(*bi));
	if (bi == NULL) {
		be_errf(err, errlen, "mitigator \"%s\": %s", name,
		    strerror(ENOMEM));
		return NULL;
	}
	bi->be.ops = ops;
	memcpy(bi->be.name, name, strlen(name) + 1);
	bi->be.report = report;
	bi->be.report_arg = arg;

	why[0] = '\0';
	ret = ops->init(&bi->be, settings, nsettings, why, sizeof(why));
	if (ret != 0) {
		/* init() releases what it allocated before failing */
		be_errf(err, errlen, "mitigator \"%s\": %s", name,
		    why[0] ? why : strerror(ret < 0 ? -ret : EINVAL));
		free(bi);
		return NULL;
	}
	return &bi->be;
}

void
be_free(struct backend *be)
{
	struct be_instance *bi;

	if (be == NULL)
		return;
	bi = be_instance(be);
	be->ops->free(be);
	free(bi->active_ids);
	free(bi);
}

/* Index of @p id in the active ids, or where it would go; sets *found. */
static size_t
be_active_find(const struct be_instance *bi, uint64_t id, int *found)
{
	size_t lo = 0, hi = bi->n_active, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (bi->active_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < bi->n_active && bi->active_ids[lo] == id;
	return lo;
}

static int
be_active_insert(struct be_instance *bi, size_t at, uint64_t id)
{
	uint64_t *v;
	size_t cap;

	if (bi->n_active == bi->cap_active) {
		cap = bi->cap_active ? bi->cap_active * 2 : 16;
		v = realloc(bi->active_ids, cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		bi->active_ids = v;
		bi->cap_active = cap;
	}
	memmove(&bi->active_ids[at + 1], &bi->active_ids[at],
	    (bi->n_active - at) * sizeof(*bi->active_ids));
	bi->active_ids[at] = id;
	bi->n_active++;
	return 0;
}

void
be_emit(struct backend *be, const struct be_report *r)
{
	struct be_instance *bi = be_instance(be);
	size_t at;
	int found;

	at = be_active_find(bi, r->id, &found);
	switch (r->state) {
	case BE_ACTIVE:
		/*
		 * Without memory to remember the id it is not counted, and
		 * so not uncounted later either: active stays consistent.
		 */
		if (!found && be_active_insert(bi, at, r->id) == 0)
			be->active++;
		break;
	case BE_WITHDRAWN:
	case BE_FAILED:
		if (found) {
			memmove(&bi->active_ids[at], &bi->active_ids[at + 1],
			    (bi->n_active - at - 1) * sizeof(*bi->active_ids));
			bi->n_active--;
			be->active--;
		}
		break;
	case BE_PENDING:
		break;
	}
	if (be->report != NULL)
		be->report(be->report_arg, r);
}

/* json_string(), or null for a NULL string.  **new** reference */
static json_t *
be_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

char *
be_mitigation_json(const struct be_mitigation *m)
{
	json_t *o = NULL, *scope = NULL;
	char *text = NULL;
	int bad = 0;

	if (m == NULL || (m->scope == NULL) == (m->acl == NULL) ||
	    m->id > INT64_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if (m->scope != NULL)
		scope = be_scope_json(m->scope);
	else
		scope = json_loads(m->acl, JSON_REJECT_DUPLICATES, NULL);
	if (scope == NULL) {
		errno = m->scope != NULL ? errno : EINVAL;
		return NULL;
	}
	o = json_object();
	if (o == NULL)
		goto fail;
	/* each json_object_set_new steals the new value, even on failure */
	bad |= json_object_set_new(o, "id", json_integer((json_int_t)m->id));
	bad |= json_object_set_new(o, "cuid", be_json_str(m->cuid));
	bad |= json_object_set_new(o, "client", be_json_str(m->client));
	if (m->scope != NULL) {
		bad |= json_object_set_new(o, "mid", json_integer(m->mid));
		bad |= json_object_set_new(o, "lifetime",
		    json_integer(m->lifetime));
		bad |= json_object_set_new(o, "scope", scope);
	} else
		bad |= json_object_set_new(o, "acl", scope);
	scope = NULL;
	if (bad)
		goto fail;
	text = json_dumps(o, JSON_COMPACT);
	if (text == NULL)
		goto fail;
	json_decref(o);
	return text;
fail:
	json_decref(scope);
	json_decref(o);
	errno = ENOMEM;
	return NULL;
}

void
be_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
be_setting_uint(const char *key, const char *value, unsigned long long max,
    unsigned long long *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	/* strtoull would accept "-1", " 5" and "0x10": allow digits only */
	if (value == NULL || value[0] < '0' || value[0] > '9')
		goto fail;
	errno = 0;
	v = strtoull(value, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		goto fail;
	*out = v;
	return 0;
fail:
	be_errf(err, errlen, "setting \"%s\" must be a whole number from 0 "
	    "to %llu, not \"%s\"", key, max, value ? value : "");
	return -EINVAL;
}

void
be_report_init(struct be_report *r, uint64_t id, enum be_state state)
{
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->state = state;
}

int
be_rq_push(struct be_rq *q, const struct be_report *r)
{
	struct be_report *v;
	size_t cap;

	if (q->n == q->cap) {
		cap = q->cap ? q->cap * 2 : 8;
		v = realloc(q->v, cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		q->v = v;
		q->cap = cap;
	}
	q->v[q->n++] = *r;
	return 0;
}

void
be_rq_flush(struct backend *be, struct be_rq *q)
{
	struct be_rq now = *q;
	size_t i;

	/*
	 * Detach first: the server's callback may call apply() or
	 * withdraw(), which queue into a fresh *q for the next poll().
	 */
	memset(q, 0, sizeof(*q));
	for (i = 0; i < now.n; i++)
		be_emit(be, &now.v[i]);
	be_rq_clear(&now);
}

void
be_rq_clear(struct be_rq *q)
{
	free(q->v);
	memset(q, 0, sizeof(*q));
}

int
be_check_settings(const char *type, const struct be_setting *settings,
    size_t n, int (*kind_of)(const void *arg, const char *name),
    const void *arg, char *err, size_t errlen)
{
	if (type != NULL && strcmp(type, be_policy_ops.name) == 0)
		return be_policy_check(settings, n, kind_of, arg, err,
		    errlen);
	return 0;
}
