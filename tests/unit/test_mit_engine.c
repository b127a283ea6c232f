/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The mitigation engine of dotsd (src/server/mit_engine.c) without CoAP:
 * requests are built from JSON, decoded and validated as the glue does,
 * and handed to mit_put()/mit_get()/mit_delete().  The mitigator is a fake
 * whose apply() and withdraw() only record their calls; its outcomes are
 * delivered by the tests themselves through mit_backend_report(), as a
 * real backend would from its poll().  The store is the real SQLite store
 * on a file in a temporary directory, so that a test can restart the
 * engine over it, and every engine call is wrapped in a store batch as the
 * event loop does.  Answers with a body are checked by libdots' validator
 * in the role the glue sends them in, and compared as JSON.  Aliases
 * (alias-name) come from a fake data channel: a table in the fixture.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <dots/cbor.h>
#include <dots/error.h>
#include <dots/json.h>
#include <dots/model.h>
#include <dots/validate.h>

#include "backend.h"
#include "mit.h"
#include "store.h"

#define MAX_CALLS	32
#define MAX_CHANGES	64
#define MAX_ROWS	32
#define ABT		120	/* active-but-terminating, seconds */

/* Two clients with 22-character cuids (RFC 9132 section 4.4.1.1). */
#define CUID_A		"mNwR6lW0QJ2c9q3x8Gk1bA"
#define CUID_B		"Zk4pT7vY2sQ9wE1rU5iO3g"

/* Members of the one scope of a request body. */
#define TP(p)		"\"target-prefix\":[\"" p "\"]"
#define LT(n)		"\"lifetime\":" #n
#define AS_UNDER	"\"attack-status\":\"under-attack\""
#define AN(a)		"\"alias-name\":[\"" a "\"]"

#define ENVELOPE	"{\"ietf-dots-signal-channel:mitigation-scope\":" \
			"{\"scope\":[%s]}}"

/* What the fake mitigator was asked to do. */
struct apply_call {
	uint64_t	id;
	char		cuid[MIT_ID_MAX + 1];
	char		client[MIT_NAME_MAX];
	uint32_t	mid;
	int64_t		lifetime;
	char		target[64];	/* first target-prefix or fqdn */
	size_t		nprefix;	/* target-prefixes handed over */
	char		cdid[MIT_ID_MAX + 1];	/* "" if NULL */
	uint8_t		hop_limit;
};

struct fake {
	int			apply_ret;	/* what apply() returns */
	struct apply_call	apply[MAX_CALLS];
	size_t			napply;
	uint64_t		withdraw[MAX_CALLS];
	size_t			nwithdraw;
	bool			bulk;		/* only count the calls */
	size_t			nbulk_apply;
	size_t			nbulk_withdraw;
};

/* One call of the engine's change callback. */
struct change {
	uint32_t	mid;
	uint8_t		status;
	bool		removed;
};

/* A stored row, with its body decoded to its first target. */
struct row {
	struct store_mitigation	m;
	char			target[64];
};

struct rows {
	struct row	r[MAX_ROWS];
	size_t		n;
};

/* An alias of the fake data channel. */
struct fake_alias {
	const char	*cuid;
	const char	*name;
	const char	*prefix[2];	/* NULL-terminated if fewer */
	time_t		 expires;
};

#define MAX_ALIASES	8

struct fx {
	char			 dir[128];
	char			 path[160];
	struct store		*st;
	struct mit_engine	*e;
	struct mit_params	 params;
	struct fake		 fake;
	struct backend		 be;
	struct mit_client	 alpha, beta;
	struct dots_prefix	 alpha_pfx[2], beta_pfx[2];
	char			*alpha_fqdns[1];
	bool			 beta_known;	/* for restore's lookup */
	struct change		 changes[MAX_CHANGES];
	size_t			 nchanges;
	bool			 bulk;		/* only count the changes */
	size_t			 nbulk_changes;
	struct fake_alias	 aliases[MAX_ALIASES];
	size_t			 naliases;
	struct mit_result	 res;		/* the last answer */
	char			 json[2048];	/* its body as JSON */
	time_t			 t0;
	/* what the glue passes with the next requests (gateways) */
	const char		*cdid;
	uint8_t			 hop_limit;
};

/* The fake mitigator ------------------------------------------------ */

static void
format_target(const struct dots_scope *s, char *buf, size_t len)
{
	if (s->target.n_prefix > 0)
		dots_prefix_format(&s->target.prefix[0], buf, len);
	else if (s->target.n_fqdn > 0)
		snprintf(buf, len, "%s", s->target.fqdn[0]);
	else
		snprintf(buf, len, "-");
}

static int
fake_apply(struct backend *be, const struct be_mitigation *m)
{
	struct fake *fk = be->priv;
	struct apply_call *c;

	if (fk->bulk) {
		fk->nbulk_apply++;
		return fk->apply_ret;
	}
	assert_true(fk->napply < MAX_CALLS);
	c = &fk->apply[fk->napply++];
	c->id = m->id;
	snprintf(c->cuid, sizeof(c->cuid), "%s", m->cuid);
	snprintf(c->client, sizeof(c->client), "%s", m->client);
	c->mid = m->mid;
	c->lifetime = m->lifetime;
	format_target(m->scope, c->target, sizeof(c->target));
	c->nprefix = m->scope->target.n_prefix;
	snprintf(c->cdid, sizeof(c->cdid), "%s", m->cdid ? m->cdid : "");
	c->hop_limit = m->hop_limit;
	return fk->apply_ret;
}

static int
fake_withdraw(struct backend *be, uint64_t id)
{
	struct fake *fk = be->priv;

	if (fk->bulk) {
		fk->nbulk_withdraw++;
		return 0;
	}
	assert_true(fk->nwithdraw < MAX_CALLS);
	fk->withdraw[fk->nwithdraw++] = id;
	return 0;
}

static const struct be_ops fake_ops = {
	.name = "fake",
	.apply = fake_apply,
	.withdraw = fake_withdraw,
};

/* The same, relaying to another DOTS server (a gateway's). */
static const struct be_ops fake_relay_ops = {
	.name = "fake-relay",
	.relays = true,
	.apply = fake_apply,
	.withdraw = fake_withdraw,
};

/* The same, enforcing ACLs. */
static const struct be_ops fake_acl_ops = {
	.name = "fake-acl",
	.acls = true,
	.apply = fake_apply,
	.withdraw = fake_withdraw,
};

/* A report of the backend, delivered as its poll() would. */
static void
deliver(struct fx *f, const struct be_report *r)
{
	assert_non_null(f->be.report);
	assert_int_equal(store_begin(f->st), 0);
	f->be.report(f->be.report_arg, r);
	assert_int_equal(store_commit(f->st), 0);
}

static void
report(struct fx *f, uint64_t id, enum be_state state)
{
	struct be_report r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.state = state;
	deliver(f, &r);
}

/* Fixture ----------------------------------------------------------- */

static void
on_change(void *arg, const struct mitigation *m, bool removed)
{
	struct fx *f = arg;
	struct change *c;

	if (f->bulk) {
		f->nbulk_changes++;
		return;
	}
	assert_true(f->nchanges < MAX_CHANGES);
	c = &f->changes[f->nchanges++];
	c->mid = m->mid;
	c->status = m->status;
	c->removed = removed;
}

static struct mit_client *
find_client(void *arg, const char *name)
{
	struct fx *f = arg;

	if (strcmp(name, f->alpha.name) == 0)
		return &f->alpha;
	if (f->beta_known && strcmp(name, f->beta.name) == 0)
		return &f->beta;
	return NULL;
}

static void
prefix(struct dots_prefix *p, const char *text)
{
	assert_int_equal(dots_prefix_parse(text, p, NULL), DOTS_OK);
}

static void
prefix(struct dots_prefix *p, const char *text);

/* The data channel's lookup, over the fixture's table. */
static int
fake_alias_targets(void *arg, const char *cuid, const char *name,
    time_t now, struct dots_signal *m, struct dots_target *out)
{
	struct fx *f = arg;
	const struct fake_alias *a;
	struct dots_prefix *v;
	size_t i, k, n;

	for (i = 0; i < f->naliases; i++) {
		a = &f->aliases[i];
		if (strcmp(a->cuid, cuid) != 0 || strcmp(a->name, name) != 0 ||
		    a->expires <= now)
			continue;
		for (n = 0; n < 2 && a->prefix[n] != NULL; n++)
			;
		v = dots_signal_alloc(m, (out->n_prefix + n) * sizeof(*v));
		if (v == NULL)
			return -1;
		if (out->n_prefix != 0)
			memcpy(v, out->prefix, out->n_prefix * sizeof(*v));
		for (k = 0; k < n; k++)
			prefix(&v[out->n_prefix + k], a->prefix[k]);
		out->prefix = v;
		out->n_prefix += n;
		return 0;
	}
	return 1;
}

static void
add_alias(struct fx *f, const char *cuid, const char *name, const char *p0,
    const char *p1, time_t expires)
{
	struct fake_alias *a;

	assert_true(f->naliases < MAX_ALIASES);
	a = &f->aliases[f->naliases++];
	a->cuid = cuid;
	a->name = name;
	a->prefix[0] = p0;
	a->prefix[1] = p1;
	a->expires = expires;
}

static void
start_engine(struct fx *f)
{
	f->e = mit_engine_new(f->st, &f->params, on_change, f);
	assert_non_null(f->e);
	mit_engine_set_aliases(f->e, fake_alias_targets, f);
	f->be.report_arg = f->e;	/* as main.c does */
}

static void
stop_engine(struct fx *f)
{
	mit_engine_free(f->e);
	f->e = NULL;
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct fx *f;
	char err[256];

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_mit_engine.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/dotsd.db", f->dir);
	if (store_open(f->path, false, &f->st, err, sizeof(err)) != 0)
		fail_msg("store_open: %s", err);

	f->be.ops = &fake_ops;
	snprintf(f->be.name, sizeof(f->be.name), "fake0");
	f->be.priv = &f->fake;
	f->be.report = mit_backend_report;

	prefix(&f->alpha_pfx[0], "203.0.113.0/24");
	prefix(&f->alpha_pfx[1], "2001:db8:6401::/48");
	f->alpha_fqdns[0] = "www.example.com";
	snprintf(f->alpha.name, sizeof(f->alpha.name), "alpha");
	f->alpha.prefixes = f->alpha_pfx;
	f->alpha.nprefixes = 2;
	f->alpha.fqdns = f->alpha_fqdns;
	f->alpha.nfqdns = 1;
	f->alpha.max_rate = 1000;
	f->alpha.backend = &f->be;

	/* beta shares the upper half of alpha's IPv4 prefix */
	prefix(&f->beta_pfx[0], "203.0.113.128/25");
	prefix(&f->beta_pfx[1], "198.51.100.0/24");
	snprintf(f->beta.name, sizeof(f->beta.name), "beta");
	f->beta.prefixes = f->beta_pfx;
	f->beta.nprefixes = 2;
	f->beta.max_rate = 1000;
	f->beta.backend = &f->be;
	f->beta_known = true;

	f->params.abt_seconds = ABT;
	f->params.max_lifetime = 0;
	snprintf(f->params.gateway_id, sizeof(f->params.gateway_id),
	    "gw.example");
	f->t0 = time(NULL);
	start_engine(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	static const char *const suffix[] = { "", "-wal", "-shm",
	    "-journal" };
	struct fx *f = *state;
	char name[192];
	size_t i;

	dots_signal_free(f->res.body);
	mit_engine_free(f->e);
	store_close(f->st);
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", f->path, suffix[i]);
		unlink(name);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Driving the engine ------------------------------------------------ */

static void
begin(struct fx *f)
{
	dots_signal_free(f->res.body);
	memset(&f->res, 0, sizeof(f->res));
	f->json[0] = '\0';
	if (store_begin(f->st) != 0)
		fail_msg("store_begin: %s", store_errmsg(f->st));
}

static void
commit(struct fx *f)
{
	if (store_commit(f->st) != 0)
		fail_msg("store_commit: %s", store_errmsg(f->st));
}

/* Validate the answer's body in the role the glue sends it in, and keep
 * its JSON in f->json. */
static void
check_body(struct fx *f, enum dots_msg_role role)
{
	struct dots_diag diag;
	char *json;
	int err;

	if (f->res.body == NULL)
		return;
	if (dots_validate_signal(f->res.body, role, &diag) != DOTS_OK)
		fail_msg("answer %d does not validate: %s: %s", f->res.code,
		    diag.error.path, diag.error.msg);
	json = dots_json_encode_signal(f->res.body, 0, &err);
	if (json == NULL)
		fail_msg("answer %d: encode: %s", f->res.code,
		    dots_err_name(err));
	snprintf(f->json, sizeof(f->json), "%s", json);
	free(json);
}

static struct mit_result *
put_as(struct fx *f, struct mit_client *cl, const char *cuid, uint32_t mid,
    bool efficacy, time_t now, const char *members)
{
	struct dots_signal *msg = NULL;
	struct dots_diag diag;
	struct mit_request r;
	char scope[900], text[1024];

	snprintf(scope, sizeof(scope), "{%s}", members);
	snprintf(text, sizeof(text), ENVELOPE, scope);
	if (dots_json_decode_signal(text, strlen(text), 0, &msg, &diag) !=
	    DOTS_OK)
		fail_msg("decode %s: %s: %s", text, diag.error.path,
		    diag.error.msg);
	if (dots_validate_signal(msg, efficacy ? DOTS_ROLE_EFFICACY_UPDATE :
	    DOTS_ROLE_MITIGATION_REQUEST, &diag) != DOTS_OK)
		fail_msg("validate %s: %s: %s", text, diag.error.path,
		    diag.error.msg);
	memset(&r, 0, sizeof(r));
	r.client = cl;
	r.cuid = cuid;
	r.mid = mid;
	r.efficacy = efficacy;
	r.msg = msg;
	r.now = now;
	r.cdid = f->cdid;
	r.hop_limit = f->hop_limit;
	begin(f);
	mit_put(f->e, &r, &f->res);
	commit(f);
	/* the answer must not borrow from the request */
	dots_signal_free(msg);
	switch (f->res.code) {
	case 201:
	case 204:
		check_body(f, DOTS_ROLE_MITIGATION_CREATED);
		break;
	case 409:
		check_body(f, DOTS_ROLE_MITIGATION_CONFLICT);
		break;
	case 503:
		if (f->res.body != NULL)
			check_body(f, DOTS_ROLE_FILTER_FAILURE);
		break;
	default:
		assert_null(f->res.body);
	}
	return &f->res;
}

/* PUT by alpha at t0 + @p dt. */
static struct mit_result *
put(struct fx *f, uint32_t mid, time_t dt, const char *members)
{
	return put_as(f, &f->alpha, CUID_A, mid, false, f->t0 + dt, members);
}

static struct mit_result *
efficacy(struct fx *f, uint32_t mid, time_t dt, const char *members)
{
	return put_as(f, &f->alpha, CUID_A, mid, true, f->t0 + dt, members);
}

static struct mit_result *
get_as(struct fx *f, struct mit_client *cl, const char *cuid, bool one,
    uint32_t mid, char filter, time_t dt)
{
	begin(f);
	mit_get(f->e, cl, cuid, one, mid, filter, f->t0 + dt, &f->res);
	commit(f);
	if (f->res.code == 205)
		/* 'c' leaves status out, which a status message needs */
		check_body(f, filter == 'c' ? DOTS_ROLE_MITIGATION_CREATED :
		    DOTS_ROLE_MITIGATION_STATUS);
	else
		assert_null(f->res.body);
	return &f->res;
}

static struct mit_result *
get(struct fx *f, bool one, uint32_t mid, char filter, time_t dt)
{
	return get_as(f, &f->alpha, CUID_A, one, mid, filter, dt);
}

static struct mit_result *
del_as(struct fx *f, struct mit_client *cl, const char *cuid, uint32_t mid,
    time_t dt)
{
	begin(f);
	mit_delete(f->e, cl, cuid, mid, f->t0 + dt, &f->res);
	commit(f);
	return &f->res;
}

static struct mit_result *
del(struct fx *f, uint32_t mid, time_t dt)
{
	return del_as(f, &f->alpha, CUID_A, mid, dt);
}

static void
tick(struct fx *f, time_t dt)
{
	begin(f);
	mit_tick(f->e, f->t0 + dt);
	commit(f);
}

static void
signal_lost(struct fx *f, struct mit_client *cl, time_t dt)
{
	begin(f);
	mit_signal_lost(f->e, cl, f->t0 + dt);
	commit(f);
}

static int
restore(struct fx *f, time_t dt)
{
	int ret;

	begin(f);
	ret = mit_engine_restore(f->e, find_client, f, f->t0 + dt);
	commit(f);
	return ret;
}

/* Assertions -------------------------------------------------------- */

static void
expect_code(const struct mit_result *res, int code, const char *word)
{
	if (res->code != code)
		fail_msg("code %d, want %d (diag: %s)", res->code, code,
		    res->diag);
	if (word != NULL && strstr(res->diag, word) == NULL)
		fail_msg("diag '%s' lacks '%s'", res->diag, word);
	assert_false(res->no_response);
}

static void
expect_json(const struct fx *f, const char *scope)
{
	char want[2048];

	snprintf(want, sizeof(want), ENVELOPE, scope);
	assert_string_equal(f->json, want);
}

static const struct mitigation *
find_ok(struct fx *f, const char *cuid, uint32_t mid)
{
	const struct mitigation *m = mit_find(f->e, cuid, mid);

	if (m == NULL)
		fail_msg("no mitigation cuid=%s mid=%u", cuid, mid);
	return m;
}

static uint64_t
id_of(struct fx *f, uint32_t mid)
{
	return find_ok(f, CUID_A, mid)->id;
}

static int
collect_cb(void *arg, const struct store_mitigation *sm)
{
	struct rows *rows = arg;
	struct dots_signal *sig = NULL;
	struct row *r;

	assert_true(rows->n < MAX_ROWS);
	r = &rows->r[rows->n++];
	r->m = *sm;
	r->m.body = NULL;
	assert_int_equal(dots_cbor_decode_signal(sm->body, sm->body_len, &sig,
	    NULL), DOTS_OK);
	assert_int_equal(sig->mitigation.n_scope, 1);
	format_target(&sig->mitigation.scope[0], r->target,
	    sizeof(r->target));
	dots_signal_free(sig);
	return 0;
}

/* The stored mitigations, ordered by id. */
static size_t
stored(struct fx *f, struct row *out)
{
	struct rows rows;

	memset(&rows, 0, sizeof(rows));
	if (store_mitigation_foreach(f->st, collect_cb, &rows) != 0)
		fail_msg("foreach: %s", store_errmsg(f->st));
	if (out != NULL)
		memcpy(out, rows.r, rows.n * sizeof(rows.r[0]));
	return rows.n;
}

/* The stored row of (@p cuid, @p mid), which must exist. */
static struct row
stored_row(struct fx *f, const char *cuid, uint32_t mid)
{
	struct row rows[MAX_ROWS];
	size_t i, n = stored(f, rows);

	for (i = 0; i < n; i++)
		if (rows[i].m.mid == mid && strcmp(rows[i].m.cuid, cuid) == 0)
			return rows[i];
	fail_msg("no stored row cuid=%s mid=%u", cuid, mid);
	memset(&rows[0], 0, sizeof(rows[0]));
	return rows[0];	/* not reached */
}

static const struct change *
last_change(const struct fx *f)
{
	assert_true(f->nchanges > 0);
	return &f->changes[f->nchanges - 1];
}

static void
reset_calls(struct fx *f)
{
	memset(&f->fake, 0, sizeof(f->fake));
	f->nchanges = 0;
}

/* Create, get and the backend's report ----------------------------- */

static void
test_create(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	struct row r;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") ","
	    "\"target-protocol\":[17]," LT(3600)), 201, NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":3600}");
	assert_string_equal(f->res.diag, "");
	assert_int_equal(f->res.max_age, 0);

	m = find_ok(f, CUID_A, 1);
	assert_int_equal(m->status, DOTS_STATUS_IN_PROGRESS);
	assert_true(m->trigger);
	assert_true(m->applied);
	assert_int_equal(m->lifetime, 3600);
	assert_int_equal(m->expires, f->t0 + 3600);
	assert_int_equal(m->started, 0);
	assert_ptr_equal(m->client, &f->alpha);
	assert_int_equal(mit_count(f->e, &f->alpha), 1);
	assert_int_equal(mit_count(f->e, &f->beta), 0);

	/* handed to the mitigator once, with what it needs */
	assert_int_equal(f->fake.napply, 1);
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(f->fake.apply[0].id, m->id);
	assert_string_equal(f->fake.apply[0].cuid, CUID_A);
	assert_string_equal(f->fake.apply[0].client, "alpha");
	assert_int_equal(f->fake.apply[0].mid, 1);
	assert_int_equal(f->fake.apply[0].lifetime, 3600);
	assert_string_equal(f->fake.apply[0].target, "203.0.113.0/26");

	/* announced once */
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].mid, 1);
	assert_int_equal(f->changes[0].status, DOTS_STATUS_IN_PROGRESS);
	assert_false(f->changes[0].removed);

	/* stored with the request */
	assert_int_equal(stored(f, NULL), 1);
	r = stored_row(f, CUID_A, 1);
	assert_int_equal(r.m.id, m->id);
	assert_string_equal(r.m.client, "alpha");
	assert_string_equal(r.m.cdid, "");
	assert_int_equal(r.m.status, DOTS_STATUS_IN_PROGRESS);
	assert_true(r.m.trigger);
	assert_int_equal(r.m.lifetime, 3600);
	assert_int_equal(r.m.created, f->t0);
	assert_int_equal(r.m.expires, f->t0 + 3600);
	assert_int_equal(r.m.started, 0);
	assert_int_equal(r.m.terminating_until, 0);
	assert_string_equal(r.target, "203.0.113.0/26");
}

static void
test_create_indefinite_and_max_lifetime(void **state)
{
	struct fx *f = *state;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(-1)), 201, NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":-1}");
	assert_int_equal(find_ok(f, CUID_A, 1)->expires, 0);
	/* never expires */
	tick(f, 10 * 365 * 86400);
	find_ok(f, CUID_A, 1);
	expect_code(get(f, true, 1, 'a', 50), 205, NULL);
	assert_non_null(strstr(f->json, "\"lifetime\":-1"));

	/* a server limit caps both indefinite and long lifetimes */
	stop_engine(f);
	f->params.max_lifetime = 600;
	start_engine(f);
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(-1)), 201,
	    NULL);
	expect_json(f, "{\"mid\":2,\"lifetime\":600}");
	assert_int_equal(find_ok(f, CUID_A, 2)->expires, f->t0 + 600);
	expect_code(put(f, 3, 0, TP("203.0.113.128/26") "," LT(7200)), 201,
	    NULL);
	expect_json(f, "{\"mid\":3,\"lifetime\":600}");
	expect_code(put(f, 4, 0, TP("203.0.113.192/26") "," LT(60)), 201,
	    NULL);
	expect_json(f, "{\"mid\":4,\"lifetime\":60}");
	/* and a refresh too */
	expect_code(put(f, 3, 10, TP("203.0.113.128/26") "," LT(-1)), 204,
	    NULL);
	expect_json(f, "{\"mid\":3,\"lifetime\":600}");
}

static void
test_backend_active(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	struct be_report r;
	time_t before;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	f->nchanges = 0;

	before = time(NULL);
	report(f, m->id, BE_ACTIVE);
	assert_int_equal(m->status, DOTS_STATUS_MITIGATED);
	assert_true(m->started >= before && m->started <= time(NULL));
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].mid, 1);
	assert_int_equal(f->changes[0].status, DOTS_STATUS_MITIGATED);
	assert_false(f->changes[0].removed);
	assert_int_equal(stored_row(f, CUID_A, 1).m.status,
	    DOTS_STATUS_MITIGATED);
	assert_int_equal(stored_row(f, CUID_A, 1).m.started, m->started);

	/* a later report with counters: same status, observers told */
	memset(&r, 0, sizeof(r));
	r.id = m->id;
	r.state = BE_ACTIVE;
	r.flags = BE_STATS_VALID;
	r.bytes_dropped = 123456789;
	r.pkts_dropped = 98765;
	r.bps_dropped = 4000;
	r.pps_dropped = 300;
	deliver(f, &r);
	assert_int_equal(m->status, DOTS_STATUS_MITIGATED);
	assert_int_equal(f->nchanges, 2);
	assert_int_equal(f->changes[1].status, DOTS_STATUS_MITIGATED);

	expect_code(get(f, true, 1, 'a', 100), 205, NULL);
	{
		char want[512];

		snprintf(want, sizeof(want), "{\"mid\":1,"
		    "\"target-prefix\":[\"203.0.113.0/26\"],"
		    "\"lifetime\":3500,"
		    "\"mitigation-start\":\"%lld\","
		    "\"status\":\"attack-successfully-mitigated\","
		    "\"bytes-dropped\":\"123456789\","
		    "\"bps-dropped\":\"4000\","
		    "\"pkts-dropped\":\"98765\","
		    "\"pps-dropped\":\"300\"}", (long long)m->started);
		expect_json(f, want);
	}

	/* a report for an id the engine does not know is ignored */
	f->nchanges = 0;
	report(f, m->id + 100, BE_ACTIVE);
	report(f, m->id + 100, BE_FAILED);
	assert_int_equal(f->nchanges, 0);
	assert_int_equal(m->status, DOTS_STATUS_MITIGATED);
}

static void
test_backend_failed(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	f->nchanges = 0;
	report(f, m->id, BE_FAILED);
	assert_int_equal(m->status, DOTS_STATUS_TERMINATED);
	assert_false(m->applied);
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].status, DOTS_STATUS_TERMINATED);
	assert_int_equal(stored_row(f, CUID_A, 1).m.status,
	    DOTS_STATUS_TERMINATED);
	expect_code(get(f, true, 1, 'n', 10), 205, NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":3590,"
	    "\"status\":\"attack-mitigation-terminated\"}");

	/* nothing enforced: a DELETE removes it without a withdraw */
	expect_code(del(f, 1, 20), 202, NULL);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(stored(f, NULL), 0);
}

/* Run a report with stderr (the log, before log_init) in @p out. */
static void
report_logged(struct fx *f, const struct be_report *r, char *out, size_t len)
{
	char path[192];
	ssize_t n;
	int fd, saved;

	snprintf(path, sizeof(path), "%s/stderr", f->dir);
	fflush(stderr);
	assert_true((saved = dup(2)) >= 0);
	assert_true((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0);
	assert_true(dup2(fd, 2) == 2);
	deliver(f, r);
	fflush(stderr);
	assert_true(dup2(saved, 2) == 2);
	close(saved);
	assert_true(lseek(fd, 0, SEEK_SET) == 0);
	n = read(fd, out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

/* The mitigator's reason for a failure is kept and logged, once. */
static void
test_backend_failed_reason(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	struct be_report r;
	char log[1024], want[64];

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	assert_string_equal(m->failure, "");
	memset(&r, 0, sizeof(r));
	r.id = m->id;
	r.state = BE_FAILED;
	snprintf(r.reason, sizeof(r.reason), "flowspec peer refused the rule");
	report_logged(f, &r, log, sizeof(log));
	assert_int_equal(m->status, DOTS_STATUS_TERMINATED);
	assert_string_equal(m->failure, "flowspec peer refused the rule");
	snprintf(want, sizeof(want), "mitigation %llu ",
	    (unsigned long long)m->id);
	if (strstr(log, want) == NULL ||
	    strstr(log, "flowspec peer refused the rule") == NULL)
		fail_msg("log lacks the id or the reason: %s", log);

	/* the same failure again is not logged again */
	report_logged(f, &r, log, sizeof(log));
	assert_string_equal(log, "");
	assert_string_equal(m->failure, "flowspec peer refused the rule");
}

/*
 * mitigation-start is kept in the store whenever it is set, not only
 * along with a status change: here the mitigator reports the mitigation
 * active only after the client withdrew it, so the status stays.
 */
static void
test_started_persisted(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	expect_code(del(f, 1, 10), 202, NULL);
	assert_int_equal(m->status, DOTS_STATUS_CLIENT_WITHDRAWN);
	assert_int_equal(stored_row(f, CUID_A, 1).m.started, 0);

	report(f, m->id, BE_ACTIVE);
	assert_int_equal(m->status, DOTS_STATUS_CLIENT_WITHDRAWN);
	assert_true(m->started != 0);
	assert_int_equal(stored_row(f, CUID_A, 1).m.started, m->started);

	/* and a restart brings it back */
	stop_engine(f);
	start_engine(f);
	assert_int_equal(restore(f, 20), 0);
	m = find_ok(f, CUID_A, 1);
	assert_true(m->started != 0);
	expect_code(get(f, true, 1, 'n', 20), 205, NULL);
	assert_non_null(strstr(f->json, "\"mitigation-start\":"));
}

/* GET ---------------------------------------------------------------- */

static void
test_get(void **state)
{
	struct fx *f = *state;

	expect_code(get(f, false, 0, 'a', 0), 404, "no mitigation");
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") ","
	    "\"target-protocol\":[6]," LT(3600)), 201, NULL);
	expect_code(put(f, 2, 0, TP("2001:db8:6401::/64") ","
	    "\"target-port-range\":[{\"lower-port\":53}]," LT(1800)), 201,
	    NULL);

	/* one */
	expect_code(get(f, true, 2, 'a', 100), 205, NULL);
	assert_int_equal(f->res.body->mitigation.n_scope, 1);
	expect_json(f, "{\"mid\":2,"
	    "\"target-prefix\":[\"2001:db8:6401::/64\"],"
	    "\"target-port-range\":[{\"lower-port\":53}],"
	    "\"lifetime\":1700,"
	    "\"status\":\"attack-mitigation-in-progress\"}");

	/* all, one scope each */
	expect_code(get(f, false, 0, 'a', 100), 205, NULL);
	assert_int_equal(f->res.body->mitigation.n_scope, 2);
	assert_non_null(strstr(f->json, "\"mid\":1,"
	    "\"target-prefix\":[\"203.0.113.0/26\"],"
	    "\"target-protocol\":[6],\"lifetime\":3500,"
	    "\"status\":\"attack-mitigation-in-progress\"}"));
	assert_non_null(strstr(f->json, "\"mid\":2,"));

	/* c=n: status without the request */
	expect_code(get(f, true, 1, 'n', 100), 205, NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":3500,"
	    "\"status\":\"attack-mitigation-in-progress\"}");
	expect_code(get(f, false, 0, 'n', 100), 205, NULL);
	assert_null(strstr(f->json, "target"));
	assert_int_equal(f->res.body->mitigation.n_scope, 2);

	/* c=c: the request without the status */
	expect_code(get(f, true, 1, 'c', 100), 205, NULL);
	expect_json(f, "{\"mid\":1,"
	    "\"target-prefix\":[\"203.0.113.0/26\"],"
	    "\"target-protocol\":[6],\"lifetime\":3500}");
	expect_code(get(f, false, 0, 'c', 100), 205, NULL);
	assert_null(strstr(f->json, "status"));
	assert_int_equal(f->res.body->mitigation.n_scope, 2);

	/* unknown mid, and another client's view */
	expect_code(get(f, true, 3, 'a', 100), 404, "mid");
	expect_code(get_as(f, &f->beta, CUID_B, false, 0, 'a', 100), 404,
	    NULL);
	expect_code(get_as(f, &f->beta, CUID_B, true, 1, 'a', 100), 404,
	    NULL);
	/* alpha's cuid with beta's identity finds nothing either */
	expect_code(get_as(f, &f->beta, CUID_A, true, 1, 'a', 100), 404,
	    NULL);
}

/* Refresh and efficacy update -------------------------------------- */

static void
test_refresh(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	f->nchanges = 0;

	expect_code(put(f, 1, 1000, TP("203.0.113.0/26") "," LT(7200)), 204,
	    NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":7200}");
	assert_ptr_equal(find_ok(f, CUID_A, 1), m);
	assert_int_equal(m->lifetime, 7200);
	assert_int_equal(m->expires, f->t0 + 1000 + 7200);
	assert_int_equal(m->created, f->t0);
	assert_int_equal(m->status, DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(stored_row(f, CUID_A, 1).m.expires,
	    f->t0 + 1000 + 7200);
	assert_int_equal(stored_row(f, CUID_A, 1).m.lifetime, 7200);
	assert_int_equal(stored(f, NULL), 1);
	/* not applied a second time */
	assert_int_equal(f->fake.napply, 1);
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(mit_count(f->e, &f->alpha), 1);

	/* the refresh keeps it past its first expiry */
	tick(f, 3600);
	assert_ptr_equal(mit_find(f->e, CUID_A, 1), m);
	tick(f, 1000 + 7200);
	assert_null(mit_find(f->e, CUID_A, 1));
}

static void
test_refresh_changed_target(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	struct row before, after;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	before = stored_row(f, CUID_A, 1);

	expect_code(put(f, 1, 10, TP("203.0.113.64/26") "," LT(7200)), 400,
	    "lifetime");
	assert_non_null(strstr(f->res.diag, "new mid"));
	/* unchanged */
	assert_ptr_equal(find_ok(f, CUID_A, 1), m);
	assert_int_equal(m->lifetime, 3600);
	assert_int_equal(m->expires, f->t0 + 3600);
	{
		char text[64];

		format_target(&m->req->mitigation.scope[0], text,
		    sizeof(text));
		assert_string_equal(text, "203.0.113.0/26");
	}
	after = stored_row(f, CUID_A, 1);
	assert_string_equal(after.target, "203.0.113.0/26");
	assert_int_equal(after.m.expires, before.m.expires);
	assert_int_equal(after.m.lifetime, before.m.lifetime);
	assert_int_equal(f->fake.napply, 1);
	assert_int_equal(f->fake.nwithdraw, 0);

	/* an added protocol is a change too */
	expect_code(put(f, 1, 10, TP("203.0.113.0/26") ","
	    "\"target-protocol\":[17]," LT(3600)), 400, "mid");
	/* and so is trigger-mitigation */
	expect_code(put(f, 1, 10, TP("203.0.113.0/26") ","
	    "\"trigger-mitigation\":false," LT(3600)), 400, "mid");
	assert_true(m->trigger);
	assert_int_equal(f->fake.napply, 1);
}

static void
test_efficacy(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	assert_int_equal(m->attack_status, 0);

	/* without lifetime, as in the RFC's example: lifetime kept */
	expect_code(efficacy(f, 1, 100, TP("203.0.113.0/26") "," AS_UNDER),
	    204, NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":3500}");
	assert_int_equal(m->attack_status, DOTS_ATTACK_UNDER_ATTACK);
	assert_int_equal(m->lifetime, 3600);
	assert_int_equal(m->expires, f->t0 + 3600);

	/* with a lifetime it refreshes too */
	expect_code(efficacy(f, 1, 200, TP("203.0.113.0/26") "," LT(7200) ","
	    "\"attack-status\":\"attack-successfully-mitigated\""), 204,
	    NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":7200}");
	assert_int_equal(m->attack_status, DOTS_ATTACK_MITIGATED);
	assert_int_equal(m->expires, f->t0 + 200 + 7200);
	assert_int_equal(stored_row(f, CUID_A, 1).m.expires,
	    f->t0 + 200 + 7200);
	assert_int_equal(f->fake.napply, 1);

	/* other parameters may not change */
	expect_code(efficacy(f, 1, 300, TP("203.0.113.0/25") "," AS_UNDER),
	    400, "mid");
	assert_int_equal(m->attack_status, DOTS_ATTACK_MITIGATED);

	/* unknown mid: silently ignored, nothing created */
	f->nchanges = 0;
	efficacy(f, 7, 300, TP("203.0.113.64/26") "," AS_UNDER);
	assert_true(f->res.no_response);
	assert_int_equal(f->res.code, 0);
	assert_null(f->res.body);
	assert_null(mit_find(f->e, CUID_A, 7));
	assert_int_equal(stored(f, NULL), 1);
	assert_int_equal(f->fake.napply, 1);
	assert_int_equal(f->nchanges, 0);
}

/*
 * RFC 9132 section 4.4.3: If-Match makes an efficacy update conditional
 * on the mitigation request still existing, so that one reordered behind
 * the DELETE of its mid is silently ignored.  The active-but-terminating
 * period after that DELETE is not the request existing.
 */
static void
test_efficacy_after_delete(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	report(f, m->id, BE_ACTIVE);
	expect_code(del(f, 1, 10), 202, NULL);
	assert_int_equal(m->status, DOTS_STATUS_CLIENT_WITHDRAWN);

	efficacy(f, 1, 11, TP("203.0.113.0/26") "," LT(3600) "," AS_UNDER);
	assert_true(f->res.no_response);
	assert_null(f->res.body);
	assert_int_equal(m->status, DOTS_STATUS_CLIENT_WITHDRAWN);
	assert_int_equal(m->attack_status, 0);
	assert_int_equal(m->expires, f->t0 + 3600);
	assert_int_equal(m->terminating_until, f->t0 + 10 + ABT);
	tick(f, 10 + ABT);
	assert_null(mit_find(f->e, CUID_A, 1));
}

/* Authorization and what this server does not offer ----------------- */

static void
expect_nothing(struct fx *f)
{
	assert_int_equal(mit_count(f->e, &f->alpha), 0);
	assert_int_equal(stored(f, NULL), 0);
	assert_int_equal(f->fake.napply, 0);
	assert_int_equal(f->nchanges, 0);
}

static void
test_unauthorized_prefix(void **state)
{
	struct fx *f = *state;

	expect_code(put(f, 1, 0, TP("192.0.2.0/24") "," LT(3600)), 401,
	    "outside");
	assert_non_null(strstr(f->res.diag, "192.0.2.0/24"));
	assert_non_null(strstr(f->res.diag, "'alpha'"));
	assert_null(mit_find(f->e, CUID_A, 1));
	expect_nothing(f);

	/* one prefix out of two is enough */
	expect_code(put(f, 2, 0, "\"target-prefix\":[\"203.0.113.0/26\","
	    "\"198.51.100.0/24\"]," LT(3600)), 401, "198.51.100.0/24");
	/* larger than the domain */
	expect_code(put(f, 3, 0, TP("203.0.112.0/23") "," LT(3600)), 401,
	    "outside");
	/* beta's domain is not alpha's */
	expect_code(put(f, 4, 0, TP("198.51.100.7/32") "," LT(3600)), 401,
	    "outside");
	expect_nothing(f);

	/* inside, IPv6 */
	expect_code(put(f, 5, 0, TP("2001:db8:6401:1::/64") "," LT(3600)),
	    201, NULL);
}

static void
test_fqdn(void **state)
{
	struct fx *f = *state;

	expect_code(put(f, 1, 0, "\"target-fqdn\":[\"mail.example.com\"],"
	    LT(3600)), 401, "not authorized");
	assert_non_null(strstr(f->res.diag, "mail.example.com"));
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    "\"target-fqdn\":[\"www.example.com\"]," LT(3600)), 401,
	    "'beta'");
	expect_nothing(f);

	expect_code(put(f, 2, 0, "\"target-fqdn\":[\"www.example.com\"],"
	    LT(3600)), 201, NULL);
	assert_int_equal(f->fake.napply, 1);
	assert_string_equal(f->fake.apply[0].target, "www.example.com");
	assert_string_equal(stored_row(f, CUID_A, 2).target,
	    "www.example.com");

	/* names compare without case: same name, so it overlaps mid 2 */
	expect_code(put(f, 3, 0, "\"target-fqdn\":[\"WWW.Example.COM\"],"
	    LT(3600)), 201, NULL);
	assert_null(mit_find(f->e, CUID_A, 2));
	assert_int_equal(f->fake.nwithdraw, 1);
}

/*
 * target-uri is valid RFC 9132 input that this server cannot act on (it
 * would resolve the URI): that is 5.01, not an authorization failure.
 */
static void
test_target_uri(void **state)
{
	struct fx *f = *state;

	expect_code(put(f, 1, 0,
	    "\"target-uri\":[\"https://www.example.com/\"]," LT(3600)), 501,
	    "target-uri");
	expect_code(put(f, 2, 0, TP("203.0.113.0/26") ","
	    "\"target-uri\":[\"https://www.example.com/\"]," LT(3600)), 501,
	    "not supported");
	/* a target outside the domain is still the first thing said */
	expect_code(put(f, 3, 0, TP("192.0.2.0/24") ","
	    "\"target-uri\":[\"https://www.example.com/\"]," LT(3600)), 401,
	    "outside");
	expect_nothing(f);
}

static void
test_alias_and_acl(void **state)
{
	struct fx *f = *state;

	/* a server without a data channel has no aliases */
	mit_engine_set_aliases(f->e, NULL, NULL);
	expect_code(put(f, 1, 0, AN("https1") "," LT(3600)), 400,
	    "alias-name 'https1'");
	expect_code(put(f, 2, 0, TP("203.0.113.0/26") "," AN("https1") ","
	    LT(3600)), 400, "data channel");
	expect_code(put(f, 3, 0, TP("203.0.113.0/26") ","
	    "\"ietf-dots-signal-control:acl-list\":[{\"acl-name\":\"dns\","
	    "\"activation-type\":\"immediate\"}]," LT(3600)), 404,
	    "acl-list");
	expect_nothing(f);
}

/*
 * The data channel's acl-list lookup: "dns" and "web" exist and would be
 * taken, "guard" exists but the mitigator would refuse it, anything else
 * is unknown.  Activation types set are counted.
 */
static int	acl_sets;
static uint8_t	acl_set_type;

static int
fake_acl_check(void *arg, const char *cuid, const char *name, uint8_t type,
    char *why, size_t whylen)
{
	(void)arg;
	(void)cuid;
	(void)type;
	if (strcmp(name, "dns") == 0 || strcmp(name, "web") == 0)
		return 0;
	snprintf(why, whylen, strcmp(name, "guard") == 0 ?
	    "ACL 'guard': overlaps a protected prefix" : "no ACL '%s'", name);
	return strcmp(name, "guard") == 0 ? 2 : 1;
}

static void
fake_acl_set(void *arg, const char *cuid, const char *name, uint8_t type,
    time_t now)
{
	(void)arg;
	(void)cuid;
	(void)name;
	(void)now;
	acl_sets++;
	acl_set_type = type;
}

#define ACL(n, t)	"{\"acl-name\":\"" n "\",\"activation-type\":\"" t "\"}"
#define ACLS(list)	"\"ietf-dots-signal-control:acl-list\":[" list "]"

/*
 * RFC 9133 section 3.2.1: an unknown ACL is 4.04; one the mitigator would
 * refuse fails the whole request with 5.03, whose body repeats the mid
 * and names only the ACLs that failed; nothing is made or changed then.
 */
static void
test_acl_list(void **state)
{
	struct fx *f = *state;

	f->be.ops = &fake_acl_ops;
	mit_engine_set_acls(f->e, fake_acl_check, fake_acl_set, f);
	acl_sets = 0;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," ACLS(ACL("dns",
	    "immediate") "," ACL("nope", "immediate")) "," LT(3600)), 404,
	    "no ACL 'nope'");
	expect_code(put(f, 2, 0, TP("203.0.113.0/26") "," ACLS(ACL("dns",
	    "immediate") "," ACL("guard", "immediate") "," ACL("web",
	    "deactivate")) "," LT(3600)), 503, NULL);
	assert_int_equal(f->res.max_age, 60);
	expect_json(f, "{\"mid\":2,\"ietf-dots-signal-control:acl-list\":"
	    "[{\"acl-name\":\"guard\",\"activation-type\":\"immediate\"}]}");
	expect_nothing(f);
	assert_int_equal(acl_sets, 0);

	expect_code(put(f, 3, 0, TP("203.0.113.0/26") "," ACLS(ACL("dns",
	    "immediate")) "," LT(3600)), 201, NULL);
	assert_int_equal(acl_sets, 1);
	assert_int_equal(acl_set_type, DOTS_ACTIVATION_IMMEDIATE);
	find_ok(f, CUID_A, 3);
}

/*
 * RFC 9132 section 4.4.1: alias-name names aliases of the same client;
 * their targets are merged with the explicit ones for the mitigator,
 * while the request is kept and shown as the client sent it.
 */
static void
test_alias_expanded(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;

	add_alias(f, CUID_A, "web", "203.0.113.0/26", "2001:db8:6401::1/128",
	    f->t0 + 3600);
	add_alias(f, CUID_B, "bweb", "198.51.100.0/24", NULL, f->t0 + 3600);
	add_alias(f, CUID_A, "old", "203.0.113.200/32", NULL, f->t0 + 10);
	add_alias(f, CUID_A, "wide", "192.0.2.0/24", NULL, f->t0 + 3600);

	/* unknown, another client's, expired: 4.00 naming it, no change */
	expect_code(put(f, 1, 0, AN("nope") "," LT(3600)), 400, "'nope'");
	expect_code(put(f, 2, 0, AN("bweb") "," LT(3600)), 400, "'bweb'");
	expect_code(put(f, 3, 20, TP("203.0.113.64/26") ","
	    "\"alias-name\":[\"web\",\"old\"]," LT(3600)), 400, "'old'");
	/* what an alias stands for is authorized like explicit targets */
	expect_code(put(f, 4, 20, AN("wide") "," LT(3600)), 401,
	    "192.0.2.0/24");
	expect_nothing(f);

	/* merged with the explicit targets */
	expect_code(put(f, 5, 20, TP("203.0.113.64/26") "," AN("web") ","
	    LT(3600)), 201, NULL);
	expect_json(f, "{\"mid\":5,\"lifetime\":3600}");
	assert_int_equal(f->fake.napply, 1);
	assert_string_equal(f->fake.apply[0].target, "203.0.113.64/26");
	assert_int_equal(f->fake.apply[0].nprefix, 3);
	m = find_ok(f, CUID_A, 5);
	assert_int_equal(m->req->mitigation.scope[0].n_alias_name, 1);
	assert_int_equal(m->req->mitigation.scope[0].target.n_prefix, 1);
	assert_int_equal(stored(f, NULL), 1);

	/* the status shows what the client sent */
	expect_code(get(f, true, 5, 'a', 21), 205, NULL);
	assert_non_null(strstr(f->json, "\"target-prefix\":"
	    "[\"203.0.113.64/26\"]"));
	assert_non_null(strstr(f->json, "\"alias-name\":[\"web\"]"));
	assert_null(strstr(f->json, "2001:db8"));

	/* a refresh compares what was sent, not what it expands to */
	expect_code(put(f, 5, 22, TP("203.0.113.64/26") "," AN("web") ","
	    LT(600)), 204, NULL);
	assert_int_equal(f->fake.napply, 1);
}

/* Overlaps and conflicts are found on what aliases stand for. */
static void
test_alias_overlap(void **state)
{
	struct fx *f = *state;
	const struct dots_conflict_info *ci;
	uint64_t id5;

	add_alias(f, CUID_A, "web", "203.0.113.0/26", NULL, f->t0 + 3600);
	add_alias(f, CUID_A, "upper", "203.0.113.192/26", NULL,
	    f->t0 + 3600);
	expect_code(put(f, 5, 0, TP("203.0.113.0/24") "," LT(3600)), 201,
	    NULL);
	id5 = id_of(f, 5);

	/* a lower mid whose alias overlaps loses */
	expect_code(put(f, 3, 0, AN("web") "," LT(3600)), 409, NULL);
	expect_json(f, "{\"conflict-information\":{"
	    "\"conflict-cause\":\"overlapping-targets\","
	    "\"conflict-scope\":{\"mid\":5,"
	    "\"target-prefix\":[\"203.0.113.0/24\"]}}}");
	/* a higher one replaces the overlapped request */
	expect_code(put(f, 6, 0, AN("web") "," LT(3600)), 201, NULL);
	assert_null(mit_find(f->e, CUID_A, 5));
	assert_int_equal(f->fake.nwithdraw, 1);
	assert_int_equal(f->fake.withdraw[0], id5);
	/* and, under its own mid, the lower one loses to it */
	expect_code(put(f, 4, 0, TP("203.0.113.0/28") "," LT(3600)), 409,
	    NULL);
	assert_non_null(strstr(f->json, "\"target-prefix\":"
	    "[\"203.0.113.0/26\"]"));

	/* another client over an alias's targets: a conflict */
	expect_code(put(f, 7, 0, AN("upper") "," LT(3600)), 201, NULL);
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("203.0.113.128/25") "," LT(1800)), 201, NULL);
	ci = &f->res.body->mitigation.scope[0].conflict;
	assert_int_equal(ci->conflict_cause,
	    DOTS_CONFLICT_OVERLAPPING_TARGETS);
	expect_code(get(f, true, 7, 'a', 1), 205, NULL);
	assert_non_null(strstr(f->json, "\"conflict-scope\":{"
	    "\"target-prefix\":[\"203.0.113.192/26\"]"));
	/* the one over "web" is not in conflict */
	expect_code(get(f, true, 6, 'a', 1), 205, NULL);
	assert_null(strstr(f->json, "conflict"));
}

/* Overlaps ----------------------------------------------------------- */

static void
test_overlap_lower_mid(void **state)
{
	struct fx *f = *state;
	const struct dots_conflict_info *ci;

	expect_code(put(f, 10, 0, TP("203.0.113.0/24") "," LT(3600)), 201,
	    NULL);
	f->nchanges = 0;

	/* a new request below an overlapping higher mid loses */
	expect_code(put(f, 5, 0, TP("203.0.113.0/26") "," LT(3600)), 409,
	    NULL);
	assert_int_equal(f->res.body->mitigation.n_scope, 1);
	ci = &f->res.body->mitigation.scope[0].conflict;
	assert_int_equal(ci->present, DOTS_CONFLICT_CAUSE);
	assert_int_equal(ci->conflict_cause,
	    DOTS_CONFLICT_OVERLAPPING_TARGETS);
	assert_true(ci->conflict_scope.present & DOTS_CSCOPE_MID);
	assert_int_equal(ci->conflict_scope.mid, 10);
	expect_json(f, "{\"conflict-information\":{"
	    "\"conflict-cause\":\"overlapping-targets\","
	    "\"conflict-scope\":{\"mid\":10,"
	    "\"target-prefix\":[\"203.0.113.0/24\"]}}}");

	assert_null(mit_find(f->e, CUID_A, 5));
	find_ok(f, CUID_A, 10);
	assert_int_equal(stored(f, NULL), 1);
	assert_int_equal(f->fake.napply, 1);
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(f->nchanges, 0);

	/* a lower mid that does not overlap is fine */
	expect_code(put(f, 3, 0, TP("2001:db8:6401::/64") "," LT(3600)), 201,
	    NULL);
}

static void
test_overlap_higher_mid(void **state)
{
	struct fx *f = *state;
	struct row rows[MAX_ROWS];
	uint64_t id5;
	size_t i;
	bool removed = false;

	expect_code(put(f, 5, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	id5 = id_of(f, 5);
	report(f, id5, BE_ACTIVE);
	expect_code(put(f, 6, 0, TP("2001:db8:6401::/64") "," LT(3600)), 201,
	    NULL);
	f->nchanges = 0;

	/* the higher mid overrides the overlapped lower one */
	expect_code(put(f, 10, 0, TP("203.0.113.0/24") "," LT(3600)), 201,
	    NULL);
	expect_json(f, "{\"mid\":10,\"lifetime\":3600}");
	assert_null(mit_find(f->e, CUID_A, 5));
	find_ok(f, CUID_A, 6);
	find_ok(f, CUID_A, 10);
	assert_int_equal(mit_count(f->e, &f->alpha), 2);
	assert_int_equal(f->fake.napply, 3);
	assert_string_equal(f->fake.apply[2].target, "203.0.113.0/24");
	assert_int_equal(f->fake.nwithdraw, 1);
	assert_int_equal(f->fake.withdraw[0], id5);
	assert_int_equal(stored(f, rows), 2);
	assert_int_equal(rows[0].m.mid, 6);
	assert_int_equal(rows[1].m.mid, 10);
	for (i = 0; i < f->nchanges; i++)
		if (f->changes[i].mid == 5 && f->changes[i].removed)
			removed = true;
	assert_true(removed);
	assert_int_equal(last_change(f)->mid, 10);
	assert_false(last_change(f)->removed);
}

static void
test_overlap_other_client(void **state)
{
	struct fx *f = *state;
	const struct dots_conflict_info *ci;

	expect_code(put(f, 1, 0, TP("203.0.113.0/24") "," LT(3600)), 201,
	    NULL);

	/* accepted, with conflict-information saying so */
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("203.0.113.128/25") "," LT(1800)), 201, NULL);
	ci = &f->res.body->mitigation.scope[0].conflict;
	assert_true(ci->present & DOTS_CONFLICT_STATUS);
	assert_true(ci->present & DOTS_CONFLICT_CAUSE);
	assert_int_equal(ci->conflict_status, DOTS_CONFLICT_REQUEST_ACTIVE);
	assert_int_equal(ci->conflict_cause,
	    DOTS_CONFLICT_OVERLAPPING_TARGETS);
	assert_non_null(strstr(f->json, "\"mid\":1,"));
	assert_non_null(strstr(f->json, "\"lifetime\":1800"));
	assert_non_null(strstr(f->json, "\"conflict-status\":"
	    "\"request-active\""));
	assert_non_null(strstr(f->json, "\"conflict-cause\":"
	    "\"overlapping-targets\""));
	assert_non_null(strstr(f->json, "\"conflict-scope\":{"
	    "\"target-prefix\":[\"203.0.113.128/25\"]"));

	/* both stand */
	find_ok(f, CUID_A, 1);
	assert_int_equal(find_ok(f, CUID_B, 1)->status,
	    DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(f->fake.napply, 2);
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(stored(f, NULL), 2);

	/* no overlap, no conflict-information */
	expect_code(put_as(f, &f->beta, CUID_B, 2, false, f->t0,
	    TP("198.51.100.0/24") "," LT(1800)), 201, NULL);
	expect_json(f, "{\"mid\":2,\"lifetime\":1800}");
}

/*
 * RFC 9132 section 4.4.1.1: a client whose mid reached 3221225471 (3/4 of
 * 2^32 - 1) restarts from 0 and re-creates its preconfigured requests
 * from mid 0.  The low mids are then the newer ones.
 */
static void
test_mid_reset(void **state)
{
	struct fx *f = *state;
	const struct dots_conflict_info *ci;

	expect_code(put(f, 3221225471u, 0, TP("203.0.113.0/24") ","
	    "\"trigger-mitigation\":false," LT(-1)), 201, NULL);
	expect_code(put(f, 3221225480u, 0, TP("2001:db8:6401::/48") ","
	    LT(3600)), 201, NULL);
	/* a late request from before the reset is still older */
	expect_code(put(f, 3221225470u, 0, TP("2001:db8:6401:1::/64") ","
	    LT(3600)), 409, NULL);
	ci = &f->res.body->mitigation.scope[0].conflict;
	assert_int_equal(ci->conflict_scope.mid, 3221225480u);

	/* the re-created preconfigured request replaces the old one */
	expect_code(put(f, 0, 10, TP("203.0.113.0/24") ","
	    "\"trigger-mitigation\":false," LT(-1)), 201, NULL);
	assert_null(mit_find(f->e, CUID_A, 3221225471u));
	assert_false(find_ok(f, CUID_A, 0)->trigger);
	/* and a new immediate one the old immediate one */
	expect_code(put(f, 1, 10, TP("2001:db8:6401::/56") "," LT(3600)), 201,
	    NULL);
	assert_null(mit_find(f->e, CUID_A, 3221225480u));
	assert_int_equal(mit_count(f->e, &f->alpha), 2);

	/* ordinary order otherwise */
	expect_code(put(f, 5, 20, TP("2001:db8:6401::/64") "," LT(3600)), 201,
	    NULL);
	assert_null(mit_find(f->e, CUID_A, 1));
	expect_code(put(f, 4, 20, TP("2001:db8:6401::/64") "," LT(3600)), 409,
	    NULL);
	/* far from the reset, a low mid is not newer than a high one */
	expect_code(put(f, 3221225500u, 30, TP("198.51.100.0/24") "," LT(3600)),
	    401, NULL);
	expect_code(put(f, 3221225500u, 30, TP("2001:db8:6401:8000::/49") ","
	    LT(3600)), 201, NULL);
	expect_code(put(f, 1073741824u, 30, TP("2001:db8:6401:8000::/64") ","
	    LT(3600)), 409, NULL);
}

static size_t
changes_of(const struct fx *f, uint32_t mid)
{
	size_t i, n = 0;

	for (i = 0; i < f->nchanges; i++)
		if (f->changes[i].mid == mid)
			n++;
	return n;
}

#define CONFLICT_24	"\"conflict-information\":{" \
			"\"conflict-status\":\"request-active\"," \
			"\"conflict-cause\":\"overlapping-targets\"," \
			"\"conflict-scope\":{" \
			"\"target-prefix\":[\"203.0.113.0/24\"]}}"

/*
 * A request accepted over another client's enforced one puts both in
 * conflict: each one's status carries conflict-information (RFC 9132
 * section 4.4.2.1: request-active, overlapping-targets, its own targets
 * in conflict), the older one's observers are told, and it all goes
 * away with the conflict.
 */
static void
test_conflict_notified(void **state)
{
	struct fx *f = *state;

	expect_code(put(f, 10, 0, TP("203.0.113.0/24") ","
	    "\"target-fqdn\":[\"www.example.com\"]," LT(3600)), 201, NULL);
	expect_code(put(f, 20, 0, TP("2001:db8:6401::/48") "," LT(3600)), 201,
	    NULL);
	expect_code(get(f, true, 10, 'n', 1), 205, NULL);
	assert_null(strstr(f->json, "conflict"));
	f->nchanges = 0;

	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("203.0.113.128/25") "," LT(3600)), 201, NULL);
	assert_non_null(strstr(f->json, "\"conflict-scope\":{"
	    "\"target-prefix\":[\"203.0.113.128/25\"]}"));
	find_ok(f, CUID_B, 1);
	/* alpha's mid 10 is told, mid 20 is not concerned */
	assert_int_equal(changes_of(f, 10), 1);
	assert_int_equal(changes_of(f, 20), 0);
	expect_code(get(f, true, 10, 'n', 2), 205, NULL);
	expect_json(f, "{\"mid\":10,\"lifetime\":3598,"
	    "\"status\":\"attack-mitigation-in-progress\"," CONFLICT_24 "}");
	expect_code(get(f, true, 10, 'c', 2), 205, NULL);
	assert_null(strstr(f->json, "conflict"));
	expect_code(get(f, true, 20, 'a', 2), 205, NULL);
	assert_null(strstr(f->json, "conflict"));
	expect_code(get_as(f, &f->beta, CUID_B, true, 1, 'n', 2), 205, NULL);
	assert_non_null(strstr(f->json, "\"conflict-status\":"
	    "\"request-active\""));

	/* a refresh of either changes nothing */
	f->nchanges = 0;
	expect_code(put(f, 10, 3, TP("203.0.113.0/24") ","
	    "\"target-fqdn\":[\"www.example.com\"]," LT(3600)), 204, NULL);
	assert_int_equal(f->nchanges, 0);

	/* withdrawn by its client, beta's is still enforced for a while */
	expect_code(del_as(f, &f->beta, CUID_B, 1, 10), 202, NULL);
	expect_code(get(f, true, 10, 'n', 11), 205, NULL);
	assert_non_null(strstr(f->json, CONFLICT_24));
	f->nchanges = 0;
	tick(f, 10 + ABT);
	assert_null(mit_find(f->e, CUID_B, 1));
	assert_int_equal(changes_of(f, 10), 1);
	expect_code(get(f, true, 10, 'n', 10 + ABT), 205, NULL);
	assert_null(strstr(f->json, "conflict"));

	/* a mitigator's failure ends a conflict too */
	expect_code(put_as(f, &f->beta, CUID_B, 2, false, f->t0 + 200,
	    TP("203.0.113.192/26") "," LT(3600)), 201, NULL);
	expect_code(get(f, true, 10, 'n', 200), 205, NULL);
	assert_non_null(strstr(f->json, CONFLICT_24));
	f->nchanges = 0;
	report(f, find_ok(f, CUID_B, 2)->id, BE_FAILED);
	assert_int_equal(changes_of(f, 10), 1);
	expect_code(get(f, true, 10, 'n', 200), 205, NULL);
	assert_null(strstr(f->json, "conflict"));

	/* a preconfigured request conflicts only once triggered */
	f->nchanges = 0;
	expect_code(put_as(f, &f->beta, CUID_B, 3, false, f->t0 + 300,
	    TP("203.0.113.128/25") ",\"trigger-mitigation\":false,"
	    LT(3600)), 201, NULL);
	assert_null(strstr(f->json, "conflict"));
	assert_int_equal(changes_of(f, 10), 0);
	signal_lost(f, &f->beta, 310);
	assert_int_equal(changes_of(f, 10), 1);
	expect_code(get(f, true, 10, 'n', 310), 205, NULL);
	assert_non_null(strstr(f->json, CONFLICT_24));

	/* the conflict is found again after a restart */
	stop_engine(f);
	start_engine(f);
	assert_int_equal(restore(f, 320), 0);
	expect_code(get(f, true, 10, 'n', 320), 205, NULL);
	assert_non_null(strstr(f->json, CONFLICT_24));
	expect_code(get_as(f, &f->beta, CUID_B, true, 3, 'a', 320), 205, NULL);
	assert_non_null(strstr(f->json, "\"conflict-scope\":{"
	    "\"target-prefix\":[\"203.0.113.128/25\"]}"));

	/* names conflict as addresses do, without case */
	f->beta.fqdns = f->alpha_fqdns;
	f->beta.nfqdns = 1;
	expect_code(put_as(f, &f->beta, CUID_B, 4, false, f->t0 + 330,
	    "\"target-fqdn\":[\"WWW.Example.com\"]," LT(3600)), 201, NULL);
	assert_non_null(strstr(f->json, "\"conflict-scope\":{"
	    "\"target-fqdn\":[\"WWW.Example.com\"]}"));
	expect_code(get(f, true, 10, 'n', 330), 205, NULL);
	assert_non_null(strstr(f->json, "\"conflict-scope\":{"
	    "\"target-prefix\":[\"203.0.113.0/24\"],"
	    "\"target-fqdn\":[\"www.example.com\"]}"));
}

/* trigger-mitigation and session loss ------------------------------- */

static void
test_trigger_false(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") ","
	    "\"trigger-mitigation\":false," LT(3600)), 201, NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":3600}");
	m = find_ok(f, CUID_A, 1);
	assert_false(m->trigger);
	assert_false(m->applied);
	assert_int_equal(m->status, DOTS_STATUS_SIGNAL_LOSS);
	assert_int_equal(f->fake.napply, 0);
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].status, DOTS_STATUS_SIGNAL_LOSS);
	assert_false(stored_row(f, CUID_A, 1).m.trigger);
	assert_int_equal(stored_row(f, CUID_A, 1).m.status,
	    DOTS_STATUS_SIGNAL_LOSS);
	expect_code(get(f, true, 1, 'a', 10), 205, NULL);
	expect_json(f, "{\"mid\":1,"
	    "\"target-prefix\":[\"203.0.113.0/26\"],"
	    "\"lifetime\":3590,"
	    "\"status\":\"attack-mitigation-signal-loss\","
	    "\"trigger-mitigation\":false}");

	/* another client's loss does not trigger it */
	signal_lost(f, &f->beta, 20);
	assert_int_equal(f->fake.napply, 0);
	assert_int_equal(m->status, DOTS_STATUS_SIGNAL_LOSS);

	/* its own does */
	f->nchanges = 0;
	signal_lost(f, &f->alpha, 30);
	assert_int_equal(f->fake.napply, 1);
	assert_int_equal(f->fake.apply[0].id, m->id);
	assert_int_equal(f->fake.apply[0].mid, 1);
	assert_true(m->applied);
	assert_int_equal(m->status, DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].status, DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(stored_row(f, CUID_A, 1).m.status,
	    DOTS_STATUS_IN_PROGRESS);

	report(f, m->id, BE_ACTIVE);
	assert_int_equal(m->status, DOTS_STATUS_MITIGATED);
	expect_code(get(f, true, 1, 'n', 40), 205, NULL);
	assert_non_null(strstr(f->json, "\"mitigation-start\":"));

	/* once only */
	signal_lost(f, &f->alpha, 50);
	assert_int_equal(f->fake.napply, 1);
	assert_int_equal(m->status, DOTS_STATUS_MITIGATED);
}

static bool
applied_once(const struct fx *f, uint64_t id)
{
	size_t i, n = 0;

	for (i = 0; i < f->fake.napply; i++)
		if (f->fake.apply[i].id == id)
			n++;
	return n == 1;
}

static bool
withdrawn_id(const struct fx *f, uint64_t id)
{
	size_t i;

	for (i = 0; i < f->fake.nwithdraw; i++)
		if (f->fake.withdraw[i] == id)
			return true;
	return false;
}

/*
 * RFC 9132 section 4.4.1.1: on signal loss the preconfigured requests
 * take over; the client's active requests that overlap them are withdrawn
 * by the server (status 7, no active-but-terminating period).  What the
 * loss triggered is not stopped when the client comes back.
 */
static void
test_signal_loss_overlaps(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m1, *m2, *m3, *b1;
	uint64_t id1, id3;
	size_t napply;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 2, 0, TP("2001:db8:6401::/64") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 3, 0, TP("203.0.113.0/24") ","
	    "\"trigger-mitigation\":false," LT(7200)), 201, NULL);
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("203.0.113.128/25") "," LT(3600)), 201, NULL);
	m1 = find_ok(f, CUID_A, 1);
	m2 = find_ok(f, CUID_A, 2);
	m3 = find_ok(f, CUID_A, 3);
	b1 = find_ok(f, CUID_B, 1);
	id1 = m1->id;
	id3 = m3->id;
	report(f, id1, BE_ACTIVE);
	f->nchanges = 0;
	f->fake.nwithdraw = 0;

	signal_lost(f, &f->alpha, 30);
	assert_true(m3->applied);
	assert_int_equal(m3->status, DOTS_STATUS_IN_PROGRESS);
	/* mid 1 overlaps it: withdrawn at once */
	assert_false(m1->applied);
	assert_int_equal(m1->status, DOTS_STATUS_WITHDRAWN);
	assert_int_equal(m1->terminating_until, 0);
	assert_true(withdrawn_id(f, id1));
	assert_int_equal(stored_row(f, CUID_A, 1).m.status,
	    DOTS_STATUS_WITHDRAWN);
	expect_code(get(f, true, 1, 'n', 31), 205, NULL);
	assert_non_null(strstr(f->json,
	    "\"status\":\"attack-mitigation-withdrawn\""));
	/* mid 2 does not overlap, beta is another client */
	assert_true(m2->applied);
	assert_int_equal(m2->status, DOTS_STATUS_IN_PROGRESS);
	assert_true(b1->applied);
	assert_int_equal(f->fake.nwithdraw, 1);

	/* the client is back: what the loss started goes on */
	report(f, id3, BE_ACTIVE);
	expect_code(put(f, 3, 40, TP("203.0.113.0/24") ","
	    "\"trigger-mitigation\":false," LT(7200)), 204, NULL);
	assert_true(m3->applied);
	assert_int_equal(m3->status, DOTS_STATUS_MITIGATED);
	/* a second loss changes nothing */
	napply = f->fake.napply;
	signal_lost(f, &f->alpha, 50);
	assert_int_equal(f->fake.napply, napply);
	assert_int_equal(f->fake.nwithdraw, 1);
	assert_int_equal(m1->status, DOTS_STATUS_WITHDRAWN);

	/* re-created with a new mid, it stays enforced */
	expect_code(put(f, 4, 60, TP("203.0.113.0/24") ","
	    "\"trigger-mitigation\":false," LT(7200)), 201, NULL);
	assert_null(mit_find(f->e, CUID_A, 3));
	assert_true(find_ok(f, CUID_A, 4)->applied);
	assert_int_equal(find_ok(f, CUID_A, 4)->status,
	    DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(f->fake.apply[f->fake.napply - 1].mid, 4);
	assert_true(withdrawn_id(f, id3));

	/* a withdrawn request is not enforced again after a restart */
	stop_engine(f);
	reset_calls(f);
	start_engine(f);
	assert_int_equal(restore(f, 70), 0);
	m1 = find_ok(f, CUID_A, 1);
	assert_int_equal(m1->status, DOTS_STATUS_WITHDRAWN);
	assert_false(m1->applied);
	assert_false(applied_once(f, id1));
	assert_true(find_ok(f, CUID_A, 4)->applied);
	/* and it goes when its lifetime is over, with nothing to withdraw */
	tick(f, 3600);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_false(withdrawn_id(f, id1));
}

/*
 * RFC 9132 section 4.4.1.2: an immediate request of the client that
 * overlaps a preconfigured one enforced since a signal loss deactivates
 * it: withdrawn (7), then waiting for the next loss (8).  One not
 * enforced, or of another client, is left alone.
 */
static void
test_immediate_deactivates_preconfigured(void **state)
{
	struct fx *f = *state;
	const struct mitigation *pre, *v6, *other;
	uint64_t id;

	expect_code(put(f, 1, 0, TP("203.0.113.0/24") ","
	    "\"trigger-mitigation\":false," LT(7200)), 201, NULL);
	expect_code(put(f, 2, 0, TP("2001:db8:6401::/64") ","
	    "\"trigger-mitigation\":false," LT(7200)), 201, NULL);
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("203.0.113.128/25") ",\"trigger-mitigation\":false,"
	    LT(7200)), 201, NULL);
	pre = find_ok(f, CUID_A, 1);
	id = pre->id;
	signal_lost(f, &f->alpha, 10);
	signal_lost(f, &f->beta, 10);
	assert_true(pre->applied);
	other = find_ok(f, CUID_B, 1);
	assert_true(other->applied);
	f->nchanges = 0;
	f->fake.nwithdraw = 0;

	expect_code(put(f, 3, 20, TP("203.0.113.128/26") "," LT(3600)), 201,
	    NULL);
	assert_true(find_ok(f, CUID_A, 3)->applied);
	assert_false(pre->applied);
	assert_true(withdrawn_id(f, id));
	assert_int_equal(pre->status, DOTS_STATUS_WITHDRAWN);
	assert_int_equal(f->changes[0].mid, 1);
	assert_int_equal(f->changes[0].status, DOTS_STATUS_WITHDRAWN);
	/* 8 not in the same second: observers must see the 7 first */
	tick(f, 21);
	assert_int_equal(pre->status, DOTS_STATUS_WITHDRAWN);
	f->nchanges = 0;
	tick(f, 22);
	assert_int_equal(pre->status, DOTS_STATUS_SIGNAL_LOSS);
	assert_int_equal(stored_row(f, CUID_A, 1).m.status,
	    DOTS_STATUS_SIGNAL_LOSS);
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].mid, 1);
	assert_int_equal(f->changes[0].status, DOTS_STATUS_SIGNAL_LOSS);

	/* another client's, and one that does not overlap, stay */
	assert_true(other->applied);
	assert_int_equal(f->fake.nwithdraw, 1);
	/* the next loss enforces mid 1 again, and withdraws mid 3 */
	v6 = find_ok(f, CUID_A, 2);
	signal_lost(f, &f->alpha, 40);
	assert_true(pre->applied);
	assert_int_equal(pre->status, DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(find_ok(f, CUID_A, 3)->status,
	    DOTS_STATUS_WITHDRAWN);
	assert_true(v6->applied);
}

/* Withdrawal and expiry ---------------------------------------------- */

static void
test_delete(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	struct row r;
	uint64_t id;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	id = m->id;
	report(f, id, BE_ACTIVE);
	f->nchanges = 0;

	expect_code(del(f, 1, 10), 202, NULL);
	assert_null(f->res.body);
	assert_string_equal(f->res.diag, "");
	/* still enforced for the active-but-terminating period */
	assert_int_equal(m->status, DOTS_STATUS_CLIENT_WITHDRAWN);
	assert_int_equal(m->terminating_until, f->t0 + 10 + ABT);
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].status,
	    DOTS_STATUS_CLIENT_WITHDRAWN);
	assert_false(f->changes[0].removed);
	r = stored_row(f, CUID_A, 1);
	assert_int_equal(r.m.status, DOTS_STATUS_CLIENT_WITHDRAWN);
	assert_int_equal(r.m.terminating_until, f->t0 + 10 + ABT);
	expect_code(get(f, true, 1, 'n', 20), 205, NULL);
	assert_non_null(strstr(f->json,
	    "\"status\":\"dots-client-withdrawn-mitigation\""));

	/* a second DELETE changes nothing */
	expect_code(del(f, 1, 30), 202, NULL);
	assert_int_equal(m->terminating_until, f->t0 + 10 + ABT);
	assert_int_equal(f->nchanges, 1);

	tick(f, 10 + ABT - 1);
	assert_ptr_equal(mit_find(f->e, CUID_A, 1), m);
	assert_int_equal(f->fake.nwithdraw, 0);

	tick(f, 10 + ABT);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_int_equal(f->fake.nwithdraw, 1);
	assert_int_equal(f->fake.withdraw[0], id);
	assert_int_equal(stored(f, NULL), 0);
	assert_int_equal(last_change(f)->mid, 1);
	assert_true(last_change(f)->removed);
	expect_code(get(f, true, 1, 'a', 10 + ABT), 404, NULL);
}

/*
 * RFC 9132 section 4.4.4: a request for the mid again during its
 * active-but-terminating period brings the mitigation back, and the
 * period of its next withdrawal doubles, up to 300 seconds.
 */
static void
test_delete_then_again(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	struct row r;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 1);
	report(f, m->id, BE_ACTIVE);
	expect_code(del(f, 1, 10), 202, NULL);
	assert_int_equal(m->terminating_until, f->t0 + 10 + ABT);
	f->nchanges = 0;

	expect_code(put(f, 1, 20, TP("203.0.113.0/26") "," LT(3600)), 204,
	    NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":3600}");
	assert_int_equal(m->status, DOTS_STATUS_MITIGATED);
	assert_int_equal(m->terminating_until, 0);
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].status, DOTS_STATUS_MITIGATED);
	r = stored_row(f, CUID_A, 1);
	assert_int_equal(r.m.status, DOTS_STATUS_MITIGATED);
	assert_int_equal(r.m.terminating_until, 0);
	assert_int_equal(r.m.expires, f->t0 + 20 + 3600);
	/* the old period's end passes: nothing happens */
	tick(f, 10 + ABT);
	assert_ptr_equal(mit_find(f->e, CUID_A, 1), m);
	assert_int_equal(f->fake.nwithdraw, 0);
	expect_code(get(f, true, 1, 'n', 10 + ABT), 205, NULL);
	assert_non_null(strstr(f->json,
	    "\"status\":\"attack-successfully-mitigated\""));

	/* withdrawn again: twice as long, then capped at 300 s */
	expect_code(del(f, 1, 200), 202, NULL);
	assert_int_equal(m->terminating_until, f->t0 + 200 + 2 * ABT);
	expect_code(put(f, 1, 210, TP("203.0.113.0/26") "," LT(3600)), 204,
	    NULL);
	expect_code(del(f, 1, 300), 202, NULL);
	assert_int_equal(m->terminating_until, f->t0 + 300 + 300);
	tick(f, 300 + 299);
	assert_ptr_equal(mit_find(f->e, CUID_A, 1), m);
	tick(f, 300 + 300);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_int_equal(f->fake.nwithdraw, 1);

	/* not yet reported active: back to in progress */
	expect_code(put(f, 2, 1000, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	m = find_ok(f, CUID_A, 2);
	expect_code(del(f, 2, 1010), 202, NULL);
	expect_code(put(f, 2, 1020, TP("203.0.113.64/26") "," LT(3600)), 204,
	    NULL);
	assert_int_equal(m->status, DOTS_STATUS_IN_PROGRESS);
	/* with changed parameters it is refused and stays withdrawn */
	expect_code(del(f, 2, 1030), 202, NULL);
	expect_code(put(f, 2, 1040, TP("203.0.113.64/27") "," LT(3600)), 400,
	    NULL);
	assert_int_equal(m->status, DOTS_STATUS_CLIENT_WITHDRAWN);
	assert_int_equal(m->terminating_until, f->t0 + 1030 + 2 * ABT);

	/* a new mid over a withdrawn one takes over its longer period */
	expect_code(put(f, 3, 1050, TP("203.0.113.0/25") "," LT(3600)), 201,
	    NULL);
	assert_null(mit_find(f->e, CUID_A, 2));
	expect_code(del(f, 3, 1060), 202, NULL);
	assert_int_equal(find_ok(f, CUID_A, 3)->terminating_until,
	    f->t0 + 1060 + 300);
}

static void
test_delete_unknown(void **state)
{
	struct fx *f = *state;

	expect_code(del(f, 99, 0), 202, NULL);
	assert_null(f->res.body);

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	f->nchanges = 0;
	expect_code(del(f, 2, 0), 202, NULL);
	/* another client cannot delete alpha's, even with its cuid */
	expect_code(del_as(f, &f->beta, CUID_B, 1, 0), 202, NULL);
	expect_code(del_as(f, &f->beta, CUID_A, 1, 0), 202, NULL);
	assert_int_equal(find_ok(f, CUID_A, 1)->status,
	    DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(f->nchanges, 0);
	assert_int_equal(stored(f, NULL), 1);
}

static void
test_delete_immediate(void **state)
{
	struct fx *f = *state;
	uint64_t id;

	/* never enforced: gone at once, no withdraw */
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") ","
	    "\"trigger-mitigation\":false," LT(3600)), 201, NULL);
	expect_code(del(f, 1, 10), 202, NULL);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(stored(f, NULL), 0);
	assert_true(last_change(f)->removed);

	/* without an active-but-terminating period: withdrawn at once */
	stop_engine(f);
	f->params.abt_seconds = 0;
	start_engine(f);
	expect_code(put(f, 2, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	id = id_of(f, 2);
	expect_code(del(f, 2, 10), 202, NULL);
	assert_null(mit_find(f->e, CUID_A, 2));
	assert_int_equal(f->fake.nwithdraw, 1);
	assert_int_equal(f->fake.withdraw[0], id);
	assert_int_equal(stored(f, NULL), 0);
}

static void
test_lifetime_expiry(void **state)
{
	struct fx *f = *state;
	struct row rows[MAX_ROWS];
	uint64_t id1;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(60)), 201, NULL);
	id1 = id_of(f, 1);
	report(f, id1, BE_ACTIVE);
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 3, 0, TP("203.0.113.128/26") ","
	    "\"trigger-mitigation\":false," LT(100)), 201, NULL);

	expect_code(get(f, true, 1, 'n', 30), 205, NULL);
	assert_non_null(strstr(f->json, "\"lifetime\":30,"));

	tick(f, 59);
	assert_int_equal(mit_count(f->e, &f->alpha), 3);
	assert_int_equal(f->fake.nwithdraw, 0);

	f->nchanges = 0;
	tick(f, 60);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_int_equal(f->fake.nwithdraw, 1);
	assert_int_equal(f->fake.withdraw[0], id1);
	assert_int_equal(f->nchanges, 1);
	assert_int_equal(f->changes[0].mid, 1);
	assert_true(f->changes[0].removed);
	assert_int_equal(stored(f, rows), 2);
	assert_int_equal(rows[0].m.mid, 2);
	assert_int_equal(rows[1].m.mid, 3);

	/* a preconfigured request expires too; nothing to withdraw */
	tick(f, 100);
	assert_null(mit_find(f->e, CUID_A, 3));
	assert_int_equal(f->fake.nwithdraw, 1);
	find_ok(f, CUID_A, 2);
	assert_int_equal(stored(f, NULL), 1);
}

/* Limits and refusals ----------------------------------------------- */

static void
test_max_mitigations(void **state)
{
	struct fx *f = *state;

	f->alpha.max_mitigations = 2;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	f->nchanges = 0;
	expect_code(put(f, 3, 0, TP("203.0.113.128/26") "," LT(3600)), 503,
	    "limit");
	assert_int_equal(f->res.max_age, 60);
	assert_null(mit_find(f->e, CUID_A, 3));
	assert_int_equal(stored(f, NULL), 2);
	assert_int_equal(f->fake.napply, 2);
	assert_int_equal(f->nchanges, 0);

	/* replacing one is not one more */
	expect_code(put(f, 4, 0, TP("203.0.113.64/27") "," LT(3600)), 201,
	    NULL);
	assert_null(mit_find(f->e, CUID_A, 2));
	assert_int_equal(mit_count(f->e, &f->alpha), 2);

	/* other clients have their own count */
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("198.51.100.0/24") "," LT(3600)), 201, NULL);

	/* a withdrawn one counts until its grace period is over */
	report(f, id_of(f, 1), BE_ACTIVE);
	expect_code(del(f, 1, 10), 202, NULL);
	expect_code(put(f, 5, 20, TP("203.0.113.128/26") "," LT(3600)), 503,
	    "limit");
	tick(f, 10 + ABT);
	expect_code(put(f, 5, 10 + ABT, TP("203.0.113.128/26") "," LT(3600)),
	    201, NULL);
}

static void
test_rate_limit(void **state)
{
	struct fx *f = *state;

	f->alpha.max_rate = 2;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 3, 0, TP("203.0.113.128/26") "," LT(3600)), 503,
	    "rate");
	assert_int_equal(f->res.max_age, 1);
	assert_null(mit_find(f->e, CUID_A, 3));
	assert_int_equal(f->fake.napply, 2);
	/* refreshes count too */
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(7200)), 503,
	    "rate");
	assert_int_equal(find_ok(f, CUID_A, 1)->lifetime, 3600);
	/* another client has its own bucket */
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("198.51.100.0/24") "," LT(3600)), 201, NULL);

	/* a second later the bucket has refilled */
	expect_code(put(f, 3, 1, TP("203.0.113.128/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 4, 1, TP("203.0.113.192/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 5, 1, TP("2001:db8:6401::/64") "," LT(3600)), 503,
	    "rate");
}

static void
test_backend_refuses(void **state)
{
	struct fx *f = *state;

	f->fake.apply_ret = -ENOSPC;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 503,
	    "capacity");
	assert_int_equal(f->res.max_age, 60);
	assert_int_equal(f->fake.napply, 1);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_int_equal(mit_count(f->e, &f->alpha), 0);
	assert_int_equal(stored(f, NULL), 0);
	assert_int_equal(f->nchanges, 0);

	f->fake.apply_ret = -EIO;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 503,
	    "refused");
	assert_int_equal(f->res.max_age, 60);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_int_equal(stored(f, NULL), 0);

	/* a refused replacement leaves the old request in place */
	f->fake.apply_ret = 0;
	expect_code(put(f, 5, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	f->fake.apply_ret = -ENOSPC;
	expect_code(put(f, 10, 0, TP("203.0.113.0/24") "," LT(3600)), 503,
	    "capacity");
	find_ok(f, CUID_A, 5);
	assert_null(mit_find(f->e, CUID_A, 10));
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(stored(f, NULL), 1);

	/* a full mitigator is not even asked */
	f->fake.apply_ret = 0;
	f->be.capacity = 1;
	f->be.active = 1;
	reset_calls(f);
	expect_code(put(f, 11, 0, TP("2001:db8:6401::/64") "," LT(3600)), 503,
	    "capacity");
	assert_int_equal(f->fake.napply, 0);
	assert_null(mit_find(f->e, CUID_A, 11));

	/* nor is a missing one */
	f->be.capacity = 0;
	f->alpha.backend = NULL;
	expect_code(put(f, 12, 0, TP("2001:db8:6401::/64") "," LT(3600)), 503,
	    NULL);
	assert_null(mit_find(f->e, CUID_A, 12));
	assert_int_equal(stored(f, NULL), 1);
}

/* Many mitigations ---------------------------------------------------- */

#define MANY		50000

/* The IPv6 /64 of bulk request @p i: 2001:db8:6401:i::/64. */
static void
many_prefix(size_t i, struct dots_prefix *p)
{
	prefix(p, "2001:db8:6401::/64");
	p->addr[6] = (uint8_t)(i >> 8);
	p->addr[7] = (uint8_t)i;
}

static uint32_t
many_mid(size_t i)
{
	return (uint32_t)(2 * i + 10);	/* even: odd mids are free */
}

/* Alpha's bulk requests, one store batch, as fast as the engine goes. */
static void
put_many(struct fx *f, size_t n)
{
	const char *text = "{\"ietf-dots-signal-channel:mitigation-scope\":"
	    "{\"scope\":[{" TP("2001:db8:6401::/64") "," LT(3600) "}]}}";
	struct dots_signal *msg = NULL;
	struct mit_request r;
	struct mit_result res;
	size_t i;

	assert_int_equal(dots_json_decode_signal(text, strlen(text), 0, &msg,
	    NULL), DOTS_OK);
	memset(&r, 0, sizeof(r));
	r.client = &f->alpha;
	r.cuid = CUID_A;
	r.msg = msg;
	r.now = f->t0;
	begin(f);
	for (i = 0; i < n; i++) {
		many_prefix(i, &msg->mitigation.scope[0].target.prefix[0]);
		r.mid = many_mid(i);
		mit_put(f->e, &r, &res);
		if (res.code != 201)
			fail_msg("bulk PUT %zu: %d %s", i, res.code, res.diag);
		dots_signal_free(res.body);
	}
	commit(f);
	dots_signal_free(msg);
}

static void
expect_many_prefix(struct fx *f, size_t i)
{
	const struct mitigation *m = find_ok(f, CUID_A, many_mid(i));
	struct dots_prefix want;

	many_prefix(i, &want);
	assert_int_equal(m->req->mitigation.scope[0].target.n_prefix, 1);
	assert_memory_equal(&m->req->mitigation.scope[0].target.prefix[0],
	    &want, sizeof(want));
	assert_null(mit_find(f->e, CUID_A, many_mid(i) + 1));
}

/*
 * Fifty thousand mitigations of one client and a few of another: every
 * lookup, overlap and conflict still finds exactly what it should.
 */
static void
test_many(void **state)
{
	struct fx *f = *state;
	const struct dots_conflict_info *ci;
	const struct mitigation *m;
	char text[64];
	size_t i, n;

	f->alpha.max_mitigations = 2 * MANY;
	f->alpha.max_rate = 1000000000;
	f->fake.bulk = true;
	f->bulk = true;
	put_many(f, MANY);
	assert_int_equal(mit_count(f->e, &f->alpha), MANY);
	assert_int_equal(f->fake.nbulk_apply, MANY);
	assert_int_equal(f->nbulk_changes, MANY);

	/* and 256 host routes of IPv4 */
	for (i = 0; i < 256; i++) {
		snprintf(text, sizeof(text), TP("203.0.113.%zu/32") ","
		    LT(3600), i);
		expect_code(put(f, (uint32_t)(200000 + i), 0, text), 201,
		    NULL);
	}
	n = MANY + 256;
	assert_int_equal(mit_count(f->e, &f->alpha), n);
	assert_int_equal(mit_count(f->e, &f->beta), 0);

	/* lookups */
	expect_many_prefix(f, 0);
	expect_many_prefix(f, 1);
	expect_many_prefix(f, 12345);
	expect_many_prefix(f, MANY - 1);
	expect_code(get(f, true, many_mid(12345), 'c', 10), 205, NULL);
	assert_non_null(strstr(f->json, "\"mid\":24700,"
	    "\"target-prefix\":[\"2001:db8:6401:3039::/64\"]"));
	expect_code(get(f, true, many_mid(12345) + 1, 'c', 10), 404, NULL);
	expect_code(get_as(f, &f->beta, CUID_B, false, 0, 'a', 10), 404,
	    NULL);

	/* the mitigator's report reaches the one it is about */
	m = find_ok(f, CUID_A, many_mid(777));
	report(f, m->id, BE_ACTIVE);
	assert_int_equal(m->status, DOTS_STATUS_MITIGATED);
	assert_int_equal(find_ok(f, CUID_A, many_mid(776))->status,
	    DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(find_ok(f, CUID_A, many_mid(778))->status,
	    DOTS_STATUS_IN_PROGRESS);

	/* another client: no overlap, then an overlap with alpha's /32s */
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("198.51.100.0/24") "," LT(3600)), 201, NULL);
	expect_json(f, "{\"mid\":1,\"lifetime\":3600}");
	expect_code(put_as(f, &f->beta, CUID_B, 2, false, f->t0,
	    TP("203.0.113.128/25") "," LT(3600)), 201, NULL);
	ci = &f->res.body->mitigation.scope[0].conflict;
	assert_int_equal(ci->conflict_status, DOTS_CONFLICT_REQUEST_ACTIVE);
	assert_int_equal(mit_count(f->e, &f->beta), 2);
	assert_int_equal(mit_count(f->e, &f->alpha), n);
	expect_code(get_as(f, &f->beta, CUID_B, false, 0, 'n', 10), 205,
	    NULL);
	assert_int_equal(f->res.body->mitigation.n_scope, 2);

	/*
	 * A lower mid over 2001:db8:6401:100::/56 (bulk requests 256 to
	 * 511) is refused, against the highest of the overlapping mids.
	 */
	expect_code(put(f, 609, 0, TP("2001:db8:6401:100::/56") "," LT(3600)),
	    409, NULL);
	ci = &f->res.body->mitigation.scope[0].conflict;
	assert_int_equal(ci->conflict_scope.mid, many_mid(511));
	assert_int_equal(mit_count(f->e, &f->alpha), n);

	/* a higher mid over a /50 replaces the 16384 /64s under it */
	f->fake.nbulk_withdraw = 0;
	expect_code(put(f, many_mid(MANY) + 100, 0,
	    TP("2001:db8:6401::/50") "," LT(3600)), 201, NULL);
	expect_json(f, "{\"mid\":100110,\"lifetime\":3600}");
	n = n - 16384 + 1;
	assert_int_equal(mit_count(f->e, &f->alpha), n);
	assert_int_equal(f->fake.nbulk_withdraw, 16384);
	assert_null(mit_find(f->e, CUID_A, many_mid(0)));
	assert_null(mit_find(f->e, CUID_A, many_mid(777)));
	assert_null(mit_find(f->e, CUID_A, many_mid(16383)));
	expect_many_prefix(f, 16384);
	expect_many_prefix(f, MANY - 1);
	/* a lower mid under it now meets the /50 */
	expect_code(put(f, 11, 0, TP("2001:db8:6401:3000::/64") "," LT(3600)),
	    409, NULL);
	assert_int_equal(f->res.body->mitigation.scope[0].conflict.
	    conflict_scope.mid, many_mid(MANY) + 100);
	/* and beside it, a free /64 is accepted */
	expect_code(put(f, 11, 0, TP("2001:db8:6401:ffff::/64") "," LT(3600)),
	    201, NULL);
	n++;
	assert_int_equal(mit_count(f->e, &f->alpha), n);

	/* withdrawal and expiry of everything */
	expect_code(del(f, many_mid(20000), 10), 202, NULL);
	assert_int_equal(find_ok(f, CUID_A, many_mid(20000))->status,
	    DOTS_STATUS_CLIENT_WITHDRAWN);
	tick(f, 10 + ABT);
	assert_null(mit_find(f->e, CUID_A, many_mid(20000)));
	assert_int_equal(mit_count(f->e, &f->alpha), n - 1);
	tick(f, 3599);
	assert_int_equal(mit_count(f->e, &f->alpha), n - 1);
	tick(f, 3600);
	assert_int_equal(mit_count(f->e, &f->alpha), 0);
	assert_int_equal(mit_count(f->e, &f->beta), 0);
	expect_code(get(f, false, 0, 'a', 3600), 404, NULL);
}

/* Restart ------------------------------------------------------------ */

static void
test_restore(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	uint64_t id1, id2, id3;
	time_t started;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 2, 0, TP("2001:db8:6401::/64") "," LT(-1)), 201,
	    NULL);
	expect_code(put(f, 3, 0, TP("203.0.113.64/26") ","
	    "\"trigger-mitigation\":false," LT(3600)), 201, NULL);
	id1 = id_of(f, 1);
	id2 = id_of(f, 2);
	id3 = id_of(f, 3);
	report(f, id1, BE_ACTIVE);
	started = find_ok(f, CUID_A, 1)->started;

	stop_engine(f);
	reset_calls(f);
	start_engine(f);
	assert_int_equal(restore(f, 100), 0);

	m = find_ok(f, CUID_A, 1);
	assert_int_equal(m->id, id1);
	assert_int_equal(m->status, DOTS_STATUS_MITIGATED);
	assert_int_equal(m->started, started);
	assert_true(m->trigger);
	assert_true(m->applied);
	assert_int_equal(m->lifetime, 3600);
	assert_int_equal(m->created, f->t0);
	assert_int_equal(m->expires, f->t0 + 3600);
	assert_ptr_equal(m->client, &f->alpha);
	m = find_ok(f, CUID_A, 2);
	assert_int_equal(m->id, id2);
	assert_int_equal(m->status, DOTS_STATUS_IN_PROGRESS);
	assert_int_equal(m->lifetime, -1);
	assert_true(m->applied);
	m = find_ok(f, CUID_A, 3);
	assert_int_equal(m->id, id3);
	assert_int_equal(m->status, DOTS_STATUS_SIGNAL_LOSS);
	assert_false(m->trigger);
	assert_false(m->applied);
	assert_int_equal(mit_count(f->e, &f->alpha), 3);

	/* enforced again, once each; the preconfigured one not */
	assert_int_equal(f->fake.napply, 2);
	assert_true(applied_once(f, id1));
	assert_true(applied_once(f, id2));
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_string_equal(f->fake.apply[0].cuid, CUID_A);
	assert_string_equal(f->fake.apply[0].client, "alpha");

	/* the request came back whole */
	expect_code(get(f, true, 1, 'a', 100), 205, NULL);
	{
		char want[512];

		snprintf(want, sizeof(want), "{\"mid\":1,"
		    "\"target-prefix\":[\"203.0.113.0/26\"],"
		    "\"lifetime\":3500,"
		    "\"mitigation-start\":\"%lld\","
		    "\"status\":\"attack-successfully-mitigated\"}",
		    (long long)started);
		expect_json(f, want);
	}
	expect_code(get(f, false, 0, 'a', 100), 205, NULL);
	assert_int_equal(f->res.body->mitigation.n_scope, 3);

	/* and the restored engine drives them as before */
	report(f, id2, BE_ACTIVE);
	assert_int_equal(find_ok(f, CUID_A, 2)->status,
	    DOTS_STATUS_MITIGATED);
	signal_lost(f, &f->alpha, 110);
	assert_true(applied_once(f, id3));
	assert_int_equal(find_ok(f, CUID_A, 3)->status,
	    DOTS_STATUS_IN_PROGRESS);
	expect_code(put(f, 1, 120, TP("203.0.113.0/26") "," LT(3600)), 204,
	    NULL);
	expect_code(put(f, 1, 120, TP("203.0.113.0/25") "," LT(3600)), 400,
	    NULL);
	expect_code(put(f, 0, 120, TP("203.0.113.0/24") "," LT(3600)), 409,
	    NULL);
}

/* A restart reads the aliases again; one gone meanwhile drops its request. */
static void
test_alias_restore(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;

	add_alias(f, CUID_A, "web", "203.0.113.0/26", NULL, f->t0 + 3600);
	add_alias(f, CUID_A, "gone", "2001:db8:6401::/64", NULL, f->t0 + 50);
	expect_code(put(f, 1, 0, AN("web") "," LT(3600)), 201, NULL);
	expect_code(put(f, 2, 0, AN("gone") "," LT(3600)), 201, NULL);

	stop_engine(f);
	reset_calls(f);
	start_engine(f);
	assert_int_equal(restore(f, 100), 0);

	m = find_ok(f, CUID_A, 1);
	assert_true(m->applied);
	assert_int_equal(f->fake.napply, 1);
	assert_string_equal(f->fake.apply[0].target, "203.0.113.0/26");
	assert_null(mit_find(f->e, CUID_A, 2));
	assert_int_equal(stored(f, NULL), 1);
	expect_code(get(f, true, 1, 'a', 100), 205, NULL);
	assert_non_null(strstr(f->json, "\"alias-name\":[\"web\"]"));
	assert_null(strstr(f->json, "target-prefix"));
	/* and overlaps still see its targets */
	expect_code(put(f, 0, 100, TP("203.0.113.0/28") "," LT(3600)), 409,
	    NULL);
}

static void
test_restore_ids_not_reused(void **state)
{
	struct fx *f = *state;
	uint64_t id1, id3;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 3, 0, TP("203.0.113.128/26") "," LT(3600)), 201,
	    NULL);
	id1 = id_of(f, 1);
	id3 = id_of(f, 3);
	assert_true(id3 > id1);

	/* the highest goes, through its grace period */
	expect_code(del(f, 3, 10), 202, NULL);
	tick(f, 10 + ABT);
	assert_null(mit_find(f->e, CUID_A, 3));
	assert_int_equal(stored(f, NULL), 2);

	stop_engine(f);
	reset_calls(f);
	start_engine(f);
	assert_int_equal(restore(f, 200), 0);
	assert_int_equal(mit_count(f->e, &f->alpha), 2);

	expect_code(put(f, 4, 200, TP("203.0.113.192/26") "," LT(3600)), 201,
	    NULL);
	assert_true(id_of(f, 4) > id3);
	assert_int_equal(f->fake.apply[f->fake.napply - 1].id, id_of(f, 4));

	/* also when everything was deleted */
	expect_code(del(f, 1, 300), 202, NULL);
	expect_code(del(f, 2, 300), 202, NULL);
	expect_code(del(f, 4, 300), 202, NULL);
	tick(f, 300 + ABT);
	assert_int_equal(stored(f, NULL), 0);
	id3 = f->fake.apply[f->fake.napply - 1].id;
	stop_engine(f);
	start_engine(f);
	assert_int_equal(restore(f, 1000), 0);
	expect_code(put(f, 5, 1000, TP("203.0.113.0/24") "," LT(3600)), 201,
	    NULL);
	assert_true(id_of(f, 5) > id3);
}

static void
test_restore_unknown_client(void **state)
{
	struct fx *f = *state;
	struct row rows[MAX_ROWS];
	uint64_t id1;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	id1 = id_of(f, 1);
	expect_code(put_as(f, &f->beta, CUID_B, 1, false, f->t0,
	    TP("198.51.100.0/24") "," LT(3600)), 201, NULL);
	expect_code(put_as(f, &f->beta, CUID_B, 2, false, f->t0,
	    TP("198.51.100.0/25") "," LT(3600)), 201, NULL);
	assert_int_equal(stored(f, NULL), 2);

	/* beta is no longer configured */
	stop_engine(f);
	reset_calls(f);
	f->beta_known = false;
	start_engine(f);
	assert_int_equal(restore(f, 10), 0);
	assert_null(mit_find(f->e, CUID_B, 2));
	assert_int_equal(mit_count(f->e, &f->beta), 0);
	assert_int_equal(find_ok(f, CUID_A, 1)->id, id1);
	assert_int_equal(f->fake.napply, 1);
	assert_int_equal(f->fake.apply[0].id, id1);
	assert_int_equal(stored(f, rows), 1);
	assert_string_equal(rows[0].m.client, "alpha");

	/* and its rows are gone for good */
	stop_engine(f);
	f->beta_known = true;
	start_engine(f);
	assert_int_equal(restore(f, 20), 0);
	assert_null(mit_find(f->e, CUID_B, 2));
	assert_int_equal(stored(f, NULL), 1);
}

/*
 * A mitigation the mitigator failed was not enforced before the restart
 * and is not after it: re-applying it would leave it enforced while its
 * status still says attack-mitigation-terminated.
 */
static void
test_restore_failed(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	uint64_t id1, id2;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") ","
	    "\"trigger-mitigation\":false," LT(3600)), 201, NULL);
	id1 = id_of(f, 1);
	id2 = id_of(f, 2);
	report(f, id1, BE_FAILED);
	signal_lost(f, &f->alpha, 10);
	report(f, id2, BE_FAILED);
	assert_int_equal(find_ok(f, CUID_A, 2)->status,
	    DOTS_STATUS_TERMINATED);

	stop_engine(f);
	reset_calls(f);
	start_engine(f);
	assert_int_equal(restore(f, 100), 0);
	m = find_ok(f, CUID_A, 1);
	assert_int_equal(m->status, DOTS_STATUS_TERMINATED);
	assert_false(m->applied);
	m = find_ok(f, CUID_A, 2);
	assert_int_equal(m->status, DOTS_STATUS_TERMINATED);
	assert_false(m->applied);
	assert_int_equal(f->fake.napply, 0);

	/* and a DELETE removes them without a withdraw */
	expect_code(del(f, 1, 110), 202, NULL);
	expect_code(del(f, 2, 110), 202, NULL);
	assert_int_equal(f->fake.nwithdraw, 0);
	assert_int_equal(stored(f, NULL), 0);
}

/* What expired while the server was down is not left enforced. */
static void
test_restore_expired(void **state)
{
	struct fx *f = *state;
	const struct mitigation *m;
	uint64_t id1, id2, id3;
	size_t i, j;

	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(60)), 201, NULL);
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	expect_code(put(f, 3, 0, TP("203.0.113.128/26") "," LT(3600)), 201,
	    NULL);
	id1 = id_of(f, 1);
	id2 = id_of(f, 2);
	id3 = id_of(f, 3);
	expect_code(del(f, 2, 10), 202, NULL);		/* until 10 + ABT */
	expect_code(del(f, 3, 100), 202, NULL);		/* until 100 + ABT */

	stop_engine(f);
	reset_calls(f);
	start_engine(f);
	assert_int_equal(restore(f, 10 + ABT), 0);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_null(mit_find(f->e, CUID_A, 2));
	assert_int_equal(stored(f, NULL), 1);
	/* every apply of what is gone was followed by its withdraw */
	for (i = 0; i < f->fake.napply; i++) {
		if (f->fake.apply[i].id != id1 && f->fake.apply[i].id != id2)
			continue;
		for (j = 0; j < f->fake.nwithdraw; j++)
			if (f->fake.withdraw[j] == f->fake.apply[i].id)
				break;
		assert_true(j < f->fake.nwithdraw);
	}

	/* still in its grace period: enforced, then withdrawn on time */
	m = find_ok(f, CUID_A, 3);
	assert_int_equal(m->status, DOTS_STATUS_CLIENT_WITHDRAWN);
	assert_int_equal(m->terminating_until, f->t0 + 100 + ABT);
	assert_true(applied_once(f, id3));
	tick(f, 100 + ABT);
	assert_null(mit_find(f->e, CUID_A, 3));
	assert_int_equal(f->fake.withdraw[f->fake.nwithdraw - 1], id3);
	assert_int_equal(stored(f, NULL), 0);
}

/* Gateways: cdid and Hop-Limit (RFC 9132 4.3, RFC 8768) ------------- */

/* A cdid from a client that is not a trusted gateway is ignored: the
 * mitigator relays the client's own cuid as its domain. */
static void
test_cdid_from_client_ignored(void **state)
{
	struct fx *f = *state;

	f->cdid = "someone-else";
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	assert_int_equal(f->fake.napply, 1);
	assert_string_equal(f->fake.apply[0].cdid, CUID_A);
	f->cdid = NULL;
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	assert_string_equal(f->fake.apply[1].cdid, CUID_A);
}

/* A trusted gateway's cdid is kept; without one, its own cuid. */
static void
test_cdid_from_gateway_kept(void **state)
{
	struct fx *f = *state;

	f->alpha.gateway = true;
	f->cdid = "domain-1";
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	assert_string_equal(f->fake.apply[0].cdid, "domain-1");
	assert_string_equal(find_ok(f, CUID_A, 1)->cdid, "domain-1");
	f->cdid = NULL;
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	assert_string_equal(f->fake.apply[1].cdid, CUID_A);
}

/* One domain's request does not replace another's it overlaps; the same
 * domain's newer one does, as for any client. */
static void
test_gateway_domains_apart(void **state)
{
	struct fx *f = *state;

	f->alpha.gateway = true;
	f->cdid = "domain-1";
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	f->cdid = "domain-2";
	expect_code(put(f, 2, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	assert_int_equal(mit_count(f->e, &f->alpha), 2);
	assert_int_equal(f->fake.nwithdraw, 0);
	f->cdid = "domain-1";
	expect_code(put(f, 3, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	assert_int_equal(mit_count(f->e, &f->alpha), 2);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_non_null(mit_find(f->e, CUID_A, 2));
}

/* The mitigator gets one less than received, or 0 (insert its own). */
static void
test_hop_limit_handed_on(void **state)
{
	struct fx *f = *state;

	f->be.ops = &fake_relay_ops;
	f->hop_limit = 5;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	assert_int_equal(f->fake.apply[0].hop_limit, 4);
	f->hop_limit = 0;
	expect_code(put(f, 2, 0, TP("203.0.113.64/26") "," LT(3600)), 201,
	    NULL);
	assert_int_equal(f->fake.apply[1].hop_limit, 0);
	f->hop_limit = 2;
	expect_code(put(f, 3, 0, TP("203.0.113.128/26") "," LT(3600)), 201,
	    NULL);
	assert_int_equal(f->fake.apply[2].hop_limit, 1);
}

/* Hop-Limit 1 is not relayed: 5.08 with this server's name, nothing
 * kept, also by a mitigator that hands over to a relaying one; a
 * mitigator that does not relay takes it. */
static void
test_hop_limit_reached(void **state)
{
	struct fx *f = *state;

	f->be.ops = &fake_relay_ops;
	f->hop_limit = 1;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 508,
	    "gw.example");
	assert_int_equal(f->fake.napply, 0);
	assert_int_equal(mit_count(f->e, &f->alpha), 0);
	assert_null(mit_find(f->e, CUID_A, 1));
	assert_int_equal(f->nchanges, 0);
	/* one that hands over to a relaying one (policy) counts as relaying */
	f->be.ops = &fake_ops;
	f->be.relays = true;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 508,
	    "gw.example");
	assert_int_equal(f->fake.napply, 0);
	f->be.relays = false;
	expect_code(put(f, 1, 0, TP("203.0.113.0/26") "," LT(3600)), 201,
	    NULL);
	assert_int_equal(f->fake.napply, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_alias_expanded),
		T(test_cdid_from_client_ignored),
		T(test_cdid_from_gateway_kept),
		T(test_gateway_domains_apart),
		T(test_hop_limit_handed_on),
		T(test_hop_limit_reached),
		T(test_alias_overlap),
		T(test_alias_restore),
		T(test_create),
		T(test_create_indefinite_and_max_lifetime),
		T(test_backend_active),
		T(test_backend_failed),
		T(test_started_persisted),
		T(test_backend_failed_reason),
		T(test_get),
		T(test_refresh),
		T(test_refresh_changed_target),
		T(test_efficacy),
		T(test_efficacy_after_delete),
		T(test_unauthorized_prefix),
		T(test_fqdn),
		T(test_alias_and_acl),
		T(test_acl_list),
		T(test_target_uri),
		T(test_overlap_lower_mid),
		T(test_overlap_higher_mid),
		T(test_overlap_other_client),
		T(test_mid_reset),
		T(test_conflict_notified),
		T(test_trigger_false),
		T(test_immediate_deactivates_preconfigured),
		T(test_signal_loss_overlaps),
		T(test_delete),
		T(test_delete_then_again),
		T(test_delete_unknown),
		T(test_delete_immediate),
		T(test_lifetime_expiry),
		T(test_max_mitigations),
		T(test_rate_limit),
		T(test_backend_refuses),
		T(test_many),
		T(test_restore),
		T(test_restore_ids_not_reused),
		T(test_restore_unknown_client),
		T(test_restore_failed),
		T(test_restore_expired),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
