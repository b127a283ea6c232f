/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /.well-known/dots/config: session configuration (RFC 9132 section 4.5).
 * GET without sid returns what this server accepts (current, min and max
 * of both parameter sets); PUT with sid sets the client's values, each
 * checked against min..max (4.22 otherwise); GET with sid returns them;
 * DELETE goes back to the defaults.  Values are kept per client and in
 * the store, so they survive reconnects and restarts.
 */
#include <stdio.h>
#include <string.h>

#include <dots/cbor.h>

#include "dotsd.h"

#define CFG_ALL	(DOTS_CFG_MIN | DOTS_CFG_MAX | DOTS_CFG_CURRENT)

/*
 * Max-Age of a configuration (RFC 9132 section 4.5.2): without it clients
 * refresh every 60 s; a configuration changes only when its client PUTs
 * one or the operator reloads, so an hourly refresh is plenty.
 */
#define CONFIG_MAX_AGE	3600

static void
set3(struct dots_cfg_value *v, int64_t cur, int64_t min, int64_t max)
{
	v->present = CFG_ALL;
	v->current_value = cur;
	v->min_value = min;
	v->max_value = max;
}

static void
defaults(struct dots_config_set *s)
{
	memset(s, 0, sizeof(*s));
	set3(&s->heartbeat_interval, 30, 15, 240);
	set3(&s->missing_hb_allowed, 15, 3, 20);
	set3(&s->max_retransmit, 3, 2, 15);
	set3(&s->ack_timeout, 200, 100, 3000);
	set3(&s->ack_random_factor, 150, 110, 400);
	set3(&s->probing_rate, 5, 5, 20);
}

void
sig_limits_default(struct sig_limits *l)
{
	defaults(&l->mitigating);
	defaults(&l->idle);
}

/* The parameters in one table, for checks and for copying. */
#define CFG_FIELD(f, n)	{ offsetof(struct dots_config_set, f), n }
static const struct {
	size_t		 off;
	const char	*name;
} cfg_fields[] = {
	CFG_FIELD(heartbeat_interval, "heartbeat-interval"),
	CFG_FIELD(missing_hb_allowed, "missing-hb-allowed"),
	CFG_FIELD(max_retransmit, "max-retransmit"),
	CFG_FIELD(ack_timeout, "ack-timeout"),
	CFG_FIELD(ack_random_factor, "ack-random-factor"),
	CFG_FIELD(probing_rate, "probing-rate"),
};

static struct dots_cfg_value *
field(struct dots_config_set *s, size_t i)
{
	return (struct dots_cfg_value *)((char *)s + cfg_fields[i].off);
}

static const struct dots_cfg_value *
cfield(const struct dots_config_set *s, size_t i)
{
	return (const struct dots_cfg_value *)((const char *)s +
	    cfg_fields[i].off);
}

/* A value as the client wrote it: the decimal64 ones in seconds, 2.50. */
static void
fmt_value(char buf[24], size_t field_index, int64_t v)
{
	if (cfg_fields[field_index].off ==
	    offsetof(struct dots_config_set, ack_timeout) ||
	    cfg_fields[field_index].off ==
	    offsetof(struct dots_config_set, ack_random_factor))
		snprintf(buf, 24, "%s%lld.%02lld", v < 0 ? "-" : "",
		    (long long)(v < 0 ? -v : v) / 100,
		    (long long)(v < 0 ? -v : v) % 100);
	else
		snprintf(buf, 24, "%lld", (long long)v);
}

/* 4.22 unless every value given lies within what we accept. */
static int
check_set(const struct dots_config_set *want, const struct dots_config_set *lim,
    const char *setname, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(cfg_fields) / sizeof(cfg_fields[0]); i++) {
		const struct dots_cfg_value *w = cfield(want, i);
		const struct dots_cfg_value *l = cfield(lim, i);

		if (!(w->present & DOTS_CFG_CURRENT))
			continue;
		/* heartbeat-interval 0 disables heartbeats: always allowed */
		if (i == 0 && w->current_value == 0)
			continue;
		if (w->current_value < l->min_value ||
		    w->current_value > l->max_value) {
			char v[3][24];

			fmt_value(v[0], i, w->current_value);
			fmt_value(v[1], i, l->min_value);
			fmt_value(v[2], i, l->max_value);
			snprintf(err, errlen, "%s/%s: %s is outside the "
			    "accepted range %s..%s", setname,
			    cfg_fields[i].name, v[0], v[1], v[2]);
			return -1;
		}
	}
	/* RFC 9362 parameters are not negotiated by this server yet */
	if (want->max_payloads.present || want->non_max_retransmit.present ||
	    want->non_timeout.present || want->non_receive_timeout.present ||
	    want->non_probing_wait.present || want->non_partial_timeout.present)
	{
		snprintf(err, errlen, "%s: the robust block parameters of "
		    "RFC 9362 are not supported by this server", setname);
		return -1;
	}
	return 0;
}

static void	ensure_sid_resource(struct dotsd *d, uint32_t sid);

/* The client's values: defaults overlaid with what it asked for. */
static void
effective(const struct dots_config_set *lim, const struct dots_config_set *asked,
    struct dots_config_set *out)
{
	size_t i;

	*out = *lim;
	for (i = 0; i < sizeof(cfg_fields) / sizeof(cfg_fields[0]); i++) {
		struct dots_cfg_value *o = field(out, i);
		const struct dots_cfg_value *a = cfield(asked, i);

		o->present = DOTS_CFG_CURRENT;
		if (a->present & DOTS_CFG_CURRENT)
			o->current_value = a->current_value;
	}
}

static void
persist(struct dotsd *d, struct sig_session *ss)
{
	struct dots_signal *m = dots_signal_new(DOTS_SIG_CONFIG);
	struct store_config sc;
	uint8_t buf[1024];
	size_t len;

	if (m == NULL || d->store == NULL)
		goto out;
	m->config = ss->client->config;
	if (dots_cbor_encode_signal(m, buf, sizeof(buf), &len) != DOTS_OK)
		goto out;
	memset(&sc, 0, sizeof(sc));
	snprintf(sc.cuid, sizeof(sc.cuid), "%s", ss->cuid);
	sc.sid = ss->client->sid;
	sc.body = buf;
	sc.body_len = len;
	store_config_put(d->store, &sc);
out:
	dots_signal_free(m);
}

void
sig_config_handle(coap_resource_t *rsrc, coap_session_t *s, const coap_pdu_t *req,
    const coap_string_t *query, coap_pdu_t *resp)
{
	struct dotsd *d = sig_dotsd(s);
	struct sig_session *ss = sig_session_of(s);
	struct dotsd_client *cl;
	struct dots_signal *msg, *out;
	struct dots_diag diag;
	struct dots_uri uri;
	char err[DOTS_DIAG_PATH_MAX + DOTS_DIAG_MSG_MAX];
	bool created;

	if (sig_deferred(s, req, resp))
		return;
	if (ss == NULL) {
		sig_reply_error(resp, 401, "no authenticated client");
		return;
	}
	cl = ss->client;
	cl->mc.last_heard = time(NULL);
	if (sig_uri_of(req, &uri, err, sizeof(err)) != 0) {
		sig_reply_error(resp, 400, err);
		return;
	}
	switch (coap_pdu_get_code(req)) {
	case COAP_REQUEST_CODE_GET:
		out = dots_signal_new(DOTS_SIG_CONFIG);
		if (out == NULL) {
			sig_reply_error(resp, 500, "out of memory");
			return;
		}
		if (!(uri.present & DOTS_URI_SID)) {
			out->config.mitigating_config = d->limits.mitigating;
			out->config.idle_config = d->limits.idle;
		} else if (cl->has_config && cl->sid == uri.sid) {
			effective(&d->limits.mitigating,
			    &cl->config.mitigating_config,
			    &out->config.mitigating_config);
			effective(&d->limits.idle, &cl->config.idle_config,
			    &out->config.idle_config);
		} else {
			dots_signal_free(out);
			sig_reply_error(resp, 404, "no configuration with this "
			    "sid");
			return;
		}
		sig_reply_body(rsrc, s, req, resp, query, 205, out,
		    CONFIG_MAX_AGE);
		dots_signal_free(out);
		return;
	case COAP_REQUEST_CODE_PUT:
		if (!(uri.present & DOTS_URI_SID)) {
			sig_reply_error(resp, 400, "sid is mandatory in a PUT "
			    "(RFC 9132 section 4.5.2)");
			return;
		}
		if (sig_request_body(req, resp, &msg) != 0)
			return;
		if (dots_validate_signal(msg, DOTS_ROLE_CONFIG_REQUEST, &diag)
		    != DOTS_OK) {
			sig_reply_error(resp, dots_err_coap_code(diag.err),
			    dots_diag_format(&diag, err, sizeof(err)));
			dots_signal_free(msg);
			return;
		}
		if (check_set(&msg->config.mitigating_config,
		    &d->limits.mitigating, "mitigating-config", err,
		    sizeof(err)) != 0 || check_set(&msg->config.idle_config,
		    &d->limits.idle, "idle-config", err, sizeof(err)) != 0) {
			sig_reply_error(resp, 422, err);
			dots_signal_free(msg);
			return;
		}
		created = !cl->has_config || cl->sid != uri.sid;
		cl->has_config = true;
		cl->sid = uri.sid;
		cl->config = msg->config;
		dots_signal_free(msg);
		persist(d, ss);
		ensure_sid_resource(d, uri.sid);
		sig_defer(d, s, req, resp, sig_reply_new(created ? 201 : 204,
		    NULL, NULL, 0));
		return;
	case COAP_REQUEST_CODE_DELETE:
		cl->has_config = false;
		memset(&cl->config, 0, sizeof(cl->config));
		if (d->store != NULL)
			store_config_delete(d->store, ss->cuid);
		sig_defer(d, s, req, resp, sig_reply_new(202, NULL, NULL, 0));
		return;
	default:
		sig_reply_error(resp, 405, NULL);
	}
}

static coap_resource_t *
config_resource(struct dotsd *d, const char *path)
{
	coap_resource_t *r;

	r = coap_get_resource_from_uri_path(d->ctx, coap_make_str_const(path));
	if (r != NULL)
		return r;
	r = coap_resource_init(coap_new_str_const((const uint8_t *)path,
	    strlen(path)), COAP_RESOURCE_FLAGS_RELEASE_URI);
	if (r == NULL)
		return NULL;
	coap_register_handler(r, COAP_REQUEST_GET, sig_config_handle);
	coap_register_handler(r, COAP_REQUEST_PUT, sig_config_handle);
	coap_register_handler(r, COAP_REQUEST_DELETE, sig_config_handle);
	coap_add_resource(d->ctx, r);
	return r;
}

/* So that DELETE and GET of /config/sid=N reach us (libcoap routes by path). */
static void
ensure_sid_resource(struct dotsd *d, uint32_t sid)
{
	char path[64];

	snprintf(path, sizeof(path), ".well-known/dots/config/sid=%u", sid);
	config_resource(d, path);
}

int
sig_config_init(struct dotsd *d)
{
	return config_resource(d, ".well-known/dots/config") ? 0 : -1;
}
