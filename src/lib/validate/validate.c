/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Stateless RFC rules for decoded signal-channel messages.  The codecs
 * accept anything the YANG structure allows; here we check what a given
 * message may and must carry where it appears: a request has one scope, a
 * lifetime other than 0, no server-only status fields; a Call Home request
 * names its sources; a session configuration request carries no min/max.
 * Rules that need server state (client domain, mid ordering, ranges the
 * server accepts) belong to the server.
 */
#include <stdio.h>
#include <string.h>

#include <dots/validate.h>

#include "../model/schema.h"

struct vctx {
	struct schema_dec	d;
	enum dots_msg_role	role;
};

static bool
is_request(enum dots_msg_role r)
{
	return r == DOTS_ROLE_MITIGATION_REQUEST ||
	    r == DOTS_ROLE_EFFICACY_UPDATE || r == DOTS_ROLE_CALL_HOME_REQUEST;
}

static int
field_error(struct vctx *v, int err, const char *field, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

/* Report an error about @p field (NULL: the current node itself). */
static int
field_error(struct vctx *v, int err, const char *field, const char *fmt, ...)
{
	char msg[DOTS_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (field != NULL)
		path_push(&v->d.path, field);
	dec_error(&v->d, err, "%s", msg);
	if (field != NULL)
		path_pop(&v->d.path);
	return err;
}

/* Special-purpose ranges a target or source must not touch (RFC 9132). */
static const struct {
	const char	*text;
	const char	*what;
} special_prefixes[] = {
	{ "127.0.0.0/8", "loopback" },
	{ "224.0.0.0/4", "multicast" },
	{ "255.255.255.255/32", "broadcast" },
	{ "::1/128", "loopback" },
	{ "ff00::/8", "multicast" },
	{ "::ffff:127.0.0.0/104", "loopback" },
	{ "::ffff:224.0.0.0/100", "multicast" },
	{ "::ffff:255.255.255.255/128", "broadcast" },
};

static int
check_prefixes(struct vctx *v, const char *field, const struct dots_prefix *p,
    size_t n)
{
	struct dots_prefix sp;
	char text[64];
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof(special_prefixes) /
		    sizeof(special_prefixes[0]); k++) {
			dots_prefix_parse(special_prefixes[k].text, &sp, NULL);
			if (!dots_prefix_overlaps(&p[i], &sp))
				continue;
			dots_prefix_format(&p[i], text, sizeof(text));
			path_push(&v->d.path, field);
			path_index(&v->d.path, (long)i);
			dec_error(&v->d, DOTS_EVALUE, "%s covers %s addresses "
			    "(%s), which RFC 9132 forbids", text,
			    special_prefixes[k].what,
			    special_prefixes[k].text);
			path_pop(&v->d.path);
			return DOTS_EVALUE;
		}
	}
	return DOTS_OK;
}

static bool
conflict_scope_present(const struct dots_conflict_scope *cs)
{
	const struct dots_target *t = &cs->target;

	return cs->present != 0 || t->n_prefix != 0 || t->n_port_range != 0 ||
	    t->n_protocol != 0 || t->n_fqdn != 0 || t->n_uri != 0 ||
	    cs->n_alias_name != 0 || cs->n_acl_list != 0;
}

/* Server-to-client leaves of a scope, refused in requests. */
static const struct {
	uint32_t	 bit;
	const char	*name;
} server_only[] = {
	{ DOTS_SCOPE_MID, "mid" },
	{ DOTS_SCOPE_MITIGATION_START, "mitigation-start" },
	{ DOTS_SCOPE_STATUS, "status" },
	{ DOTS_SCOPE_BYTES_DROPPED, "bytes-dropped" },
	{ DOTS_SCOPE_BPS_DROPPED, "bps-dropped" },
	{ DOTS_SCOPE_PKTS_DROPPED, "pkts-dropped" },
	{ DOTS_SCOPE_PPS_DROPPED, "pps-dropped" },
};

static int
check_request_scope(struct vctx *v, const struct dots_scope *s)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(server_only) / sizeof(server_only[0]); i++)
		if (s->present & server_only[i].bit)
			return field_error(v, DOTS_EFORBIDDEN,
			    server_only[i].name, "only the server sends this "
			    "attribute%s", server_only[i].bit == DOTS_SCOPE_MID ?
			    "; a request carries mid in the Uri-Path" : "");
	if (s->conflict.present != 0 ||
	    conflict_scope_present(&s->conflict.conflict_scope))
		return field_error(v, DOTS_EFORBIDDEN, "conflict-information",
		    "only the server sends this attribute");
	if (s->target.n_prefix == 0 && s->target.n_fqdn == 0 &&
	    s->target.n_uri == 0 && s->n_alias_name == 0)
		return field_error(v, DOTS_EMISSING, NULL, "a mitigation "
		    "request needs at least one of target-prefix, "
		    "target-fqdn, target-uri or alias-name");
	if (!(s->present & DOTS_SCOPE_LIFETIME) &&
	    v->role != DOTS_ROLE_EFFICACY_UPDATE)
		return field_error(v, DOTS_EMISSING, "lifetime", "lifetime is "
		    "mandatory in a mitigation request (RFC 9132 section "
		    "4.4.1.1)");
	if ((s->present & DOTS_SCOPE_LIFETIME) && s->lifetime == 0)
		return field_error(v, DOTS_ERANGE, "lifetime", "a lifetime of "
		    "0 is invalid; use a number of seconds or -1 for "
		    "indefinite");
	if (v->role == DOTS_ROLE_EFFICACY_UPDATE) {
		if (!(s->present & DOTS_SCOPE_ATTACK_STATUS))
			return field_error(v, DOTS_EMISSING, "attack-status",
			    "an efficacy update must carry attack-status "
			    "(RFC 9132 section 4.4.3)");
		if (s->n_acl_list != 0)
			return field_error(v, DOTS_EFORBIDDEN, "acl-list",
			    "filter control must not be used in an efficacy "
			    "update (RFC 9133 section 3.2.1)");
	} else if (s->present & DOTS_SCOPE_ATTACK_STATUS)
		return field_error(v, DOTS_EFORBIDDEN, "attack-status",
		    "attack-status belongs only in an efficacy update (a PUT "
		    "with If-Match)");
	if (v->role == DOTS_ROLE_CALL_HOME_REQUEST) {
		if (s->n_source_prefix == 0)
			return field_error(v, DOTS_EMISSING, "source-prefix",
			    "a Call Home request must name the attack sources "
			    "(RFC 9066 section 5.2.1)");
		if (s->target.n_prefix == 0)
			return field_error(v, DOTS_EMISSING, "target-prefix",
			    "a Call Home request must carry target-prefix "
			    "(RFC 9066 section 5.2.1)");
		if ((s->present & DOTS_SCOPE_TRIGGER) &&
		    !s->trigger_mitigation)
			return field_error(v, DOTS_EFORBIDDEN,
			    "trigger-mitigation", "Call Home allows only "
			    "immediate requests (RFC 9066 section 5.2.1)");
	}
	ret = check_prefixes(v, "target-prefix", s->target.prefix,
	    s->target.n_prefix);
	if (ret == DOTS_OK)
		ret = check_prefixes(v, "source-prefix", s->source_prefix,
		    s->n_source_prefix);
	return ret;
}

static int
check_answer_scope(struct vctx *v, const struct dots_scope *s)
{
	const struct dots_conflict_info *ci = &s->conflict;

	if (s->present & DOTS_SCOPE_ATTACK_STATUS)
		return field_error(v, DOTS_EFORBIDDEN, "attack-status",
		    "only the client sends this attribute");
	if (v->role == DOTS_ROLE_MITIGATION_CONFLICT) {
		if (!(ci->present & DOTS_CONFLICT_CAUSE))
			return field_error(v, DOTS_EMISSING,
			    "conflict-information", "a 4.09 answer must carry "
			    "conflict-information with conflict-cause");
		if (ci->conflict_cause == DOTS_CONFLICT_CUID_COLLISION &&
		    ((ci->present & (DOTS_CONFLICT_STATUS |
		    DOTS_CONFLICT_RETRY)) ||
		    conflict_scope_present(&ci->conflict_scope)))
			return field_error(v, DOTS_EFORBIDDEN,
			    "conflict-information", "a cuid-collision carries "
			    "only conflict-cause (RFC 9132 section 4.4.1.3)");
		return DOTS_OK;
	}
	if (!(s->present & DOTS_SCOPE_MID))
		return field_error(v, DOTS_EMISSING, "mid", "the server must "
		    "return mid");
	if (v->role == DOTS_ROLE_FILTER_FAILURE) {
		if (s->n_acl_list == 0)
			return field_error(v, DOTS_EMISSING, "acl-list", "a "
			    "failed filter update names the ACLs that failed "
			    "(RFC 9133 section 3.2.1)");
		return DOTS_OK;
	}
	if (!(s->present & DOTS_SCOPE_LIFETIME))
		return field_error(v, DOTS_EMISSING, "lifetime", "the server "
		    "must return the (remaining) lifetime");
	if (v->role != DOTS_ROLE_MITIGATION_STATUS)
		return DOTS_OK;
	if (!(s->present & DOTS_SCOPE_STATUS))
		return field_error(v, DOTS_EMISSING, "status", "a status "
		    "message must carry status");
	if (s->status == DOTS_STATUS_SIGNAL_LOSS &&
	    (s->present & DOTS_SCOPE_MITIGATION_START))
		return field_error(v, DOTS_EFORBIDDEN, "mitigation-start",
		    "must not be sent with status attack-mitigation-signal-loss");
	return DOTS_OK;
}

static int
check_mitigation(struct vctx *v, const struct dots_signal *m)
{
	const struct dots_mitigation_scope *ms = &m->mitigation;
	size_t i;
	int ret;

	path_push(&v->d.path, "mitigation-scope");
	path_push(&v->d.path, "scope");
	if (is_request(v->role) && ms->n_scope != 1)
		return dec_error(&v->d, DOTS_EMULTI_SCOPE, "a request carries "
		    "exactly one scope (RFC 9132 section 4.4.1.1); this one "
		    "has %zu", ms->n_scope);
	for (i = 0; i < ms->n_scope; i++) {
		path_index(&v->d.path, (long)i);
		ret = is_request(v->role) ?
		    check_request_scope(v, &ms->scope[i]) :
		    check_answer_scope(v, &ms->scope[i]);
		if (ret != DOTS_OK)
			return ret;
	}
	return DOTS_OK;
}

/* Parameters in schema order, with their names, for config checks. */
#define CFG_PARAMS(X)							\
	X(heartbeat_interval, "heartbeat-interval")			\
	X(missing_hb_allowed, "missing-hb-allowed")			\
	X(max_retransmit, "max-retransmit")				\
	X(ack_timeout, "ack-timeout")					\
	X(ack_random_factor, "ack-random-factor")			\
	X(probing_rate, "probing-rate")					\
	X(max_payloads, "max-payloads")					\
	X(non_max_retransmit, "non-max-retransmit")			\
	X(non_timeout, "non-timeout")					\
	X(non_receive_timeout, "non-receive-timeout")			\
	X(non_probing_wait, "non-probing-wait")				\
	X(non_partial_timeout, "non-partial-timeout")

static int
check_cfg_value(struct vctx *v, const char *name,
    const struct dots_cfg_value *c, unsigned *ncurrent)
{
	if (c->present & DOTS_CFG_CURRENT)
		(*ncurrent)++;
	if (v->role == DOTS_ROLE_CONFIG_REQUEST) {
		if (c->present & (DOTS_CFG_MIN | DOTS_CFG_MAX))
			return field_error(v, DOTS_EFORBIDDEN, name, "min and "
			    "max values come only from the server");
		return DOTS_OK;
	}
	if ((c->present & DOTS_CFG_MIN) && (c->present & DOTS_CFG_MAX) &&
	    c->min_value > c->max_value)
		return field_error(v, DOTS_EVALUE, name, "min-value is above "
		    "max-value");
	if ((c->present & DOTS_CFG_CURRENT) &&
	    (((c->present & DOTS_CFG_MIN) && c->current_value < c->min_value)
	    || ((c->present & DOTS_CFG_MAX) &&
	    c->current_value > c->max_value)))
		return field_error(v, DOTS_EVALUE, name, "current value is "
		    "outside min..max");
	return DOTS_OK;
}

static int
check_config_set(struct vctx *v, const char *name,
    const struct dots_config_set *s, unsigned *ncurrent)
{
	int ret = DOTS_OK;

	path_push(&v->d.path, name);
#define CHECK(f, nm)							\
	if (ret == DOTS_OK)						\
		ret = check_cfg_value(v, nm, &s->f, ncurrent);
	CFG_PARAMS(CHECK)
#undef CHECK
	path_pop(&v->d.path);
	return ret;
}

static int
check_config(struct vctx *v, const struct dots_signal *m)
{
	const struct dots_signal_config *c = &m->config;
	const struct dots_cfg_value *mp = &c->mitigating_config.max_payloads,
	    *ip = &c->idle_config.max_payloads;
	unsigned ncurrent = 0;
	int ret;

	path_push(&v->d.path, "signal-config");
	ret = check_config_set(v, "mitigating-config", &c->mitigating_config,
	    &ncurrent);
	if (ret == DOTS_OK)
		ret = check_config_set(v, "idle-config", &c->idle_config,
		    &ncurrent);
	if (ret != DOTS_OK)
		return ret;
	if (v->role == DOTS_ROLE_CONFIG_REQUEST && ncurrent == 0)
		return field_error(v, DOTS_EMISSING, NULL, "a configuration "
		    "request must set at least one current value");
	if ((mp->present & ip->present & DOTS_CFG_CURRENT) &&
	    mp->current_value != ip->current_value)
		return field_error(v, DOTS_EVALUE, "max-payloads", "must be "
		    "the same in mitigating-config and idle-config (RFC 9362 "
		    "section 4)");
	return DOTS_OK;
}

static int
check_redirect(struct vctx *v, const struct dots_signal *m)
{
	const struct dots_redirect *r = &m->redirect;
	bool call_home = v->role == DOTS_ROLE_CALL_HOME_REDIRECT;

	path_push(&v->d.path, "redirected-signal");
	if (call_home) {
		if (r->alt_ch_client == NULL)
			return field_error(v, DOTS_EMISSING, "alt-ch-client",
			    "a Call Home redirect must name alt-ch-client");
		if (r->alt_server != NULL || r->n_alt_server_record != 0)
			return field_error(v, DOTS_EFORBIDDEN, "alt-server",
			    "a Call Home redirect uses alt-ch-client, not "
			    "alt-server (RFC 9066 section 5.1)");
		return DOTS_OK;
	}
	if (r->alt_server == NULL)
		return field_error(v, DOTS_EMISSING, "alt-server", "a redirect "
		    "must name alt-server");
	if (r->alt_ch_client != NULL || r->n_alt_ch_client_record != 0 ||
	    (r->present & DOTS_REDIRECT_TTL))
		return field_error(v, DOTS_EFORBIDDEN, "alt-ch-client",
		    "Call Home attributes must not be used on the base "
		    "channel (RFC 9066 section 5.1)");
	return DOTS_OK;
}

static enum dots_signal_kind
role_kind(enum dots_msg_role role)
{
	switch (role) {
	case DOTS_ROLE_CONFIG_REQUEST:
	case DOTS_ROLE_CONFIG_RESPONSE:
		return DOTS_SIG_CONFIG;
	case DOTS_ROLE_HEARTBEAT:
		return DOTS_SIG_HEARTBEAT;
	case DOTS_ROLE_REDIRECT:
	case DOTS_ROLE_CALL_HOME_REDIRECT:
		return DOTS_SIG_REDIRECT;
	default:
		return DOTS_SIG_MITIGATION;
	}
}

int
dots_validate_signal(const struct dots_signal *m, enum dots_msg_role role,
    struct dots_diag *diag)
{
	struct dots_diag local;
	struct vctx v;

	if (diag == NULL)
		diag = &local;
	dots_diag_clear(diag);
	memset(&v, 0, sizeof(v));
	v.d.diag = diag;
	v.role = role;
	if (m == NULL)
		return DOTS_EINVAL;
	if (m->kind != role_kind(role))
		return dec_error(&v.d, DOTS_EKIND, "expected a %s body, got %s",
		    dots_signal_kind_name(role_kind(role)),
		    dots_signal_kind_name(m->kind));
	switch (m->kind) {
	case DOTS_SIG_MITIGATION:
		return check_mitigation(&v, m);
	case DOTS_SIG_CONFIG:
		return check_config(&v, m);
	case DOTS_SIG_REDIRECT:
		return check_redirect(&v, m);
	case DOTS_SIG_HEARTBEAT:
		if (!(m->heartbeat.present & DOTS_HB_PEER_STATUS))
			return field_error(&v, DOTS_EMISSING, "heartbeat",
			    "peer-hb-status is mandatory");
		return DOTS_OK;
	default:
		return DOTS_EINVAL;
	}
}
