/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The sessions to the DOTS servers.  Each configured server has one
 * dotsclient; the daemon connects it without blocking, and when the
 * library reports the session down (refused, closed, or heartbeats
 * unanswered) it tries again after a delay that starts at reconnect-min
 * (1 s) and doubles after each failure up to reconnect-max (60 s): RFC
 * 9132 section 4.7 wants a client that keeps failing to back off, and 60
 * s is the pace it gives for that.  A session that came up resets the
 * delay.
 *
 * Once up, the server's /config is read; if the configuration asks for a
 * heartbeat interval or missing-hb-allowed, they are fitted into the
 * server's min..max and PUT with a new sid (sids are kept in the store
 * like mids, so they increase across restarts).  The heartbeat values
 * the library uses are those of the set that applies: mitigating-config
 * while a mitigation of this server is active, idle-config otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>
#include <dots/json.h>
#include <dots/validate.h>

#include "clientd.h"
#include "log.h"

static void	srv_event_cb(void *arg, const struct dots_client_event *ev);

const char *
srv_state_name(enum srv_state st)
{
	switch (st) {
	case SRV_UP:
		return "up";
	case SRV_CONNECTING:
		return "connecting";
	case SRV_DOWN:
	default:
		return "down";
	}
}

static void
srv_session_event(struct srv *s, const char *reason)
{
	json_t *ev = json_pack("{ss ss ss}", "event", "session", "server",
	    s->cf->name, "state", srv_state_name(s->state));

	if (ev != NULL && reason != NULL)
		json_object_set_new(ev, "reason", json_string(reason));
	dotscd_event(s->d, ev);
}

int
srv_init(struct dotscd *d, char *err, size_t errlen)
{
	struct dots_client_params p;
	size_t i;

	d->srv = calloc(d->conf->n_server, sizeof(*d->srv));
	if (d->srv == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->nsrv = d->conf->n_server;
	for (i = 0; i < d->nsrv; i++) {
		const struct cconf_server *cf = &d->conf->server[i];
		struct srv *s = &d->srv[i];
		char why[256];

		s->d = d;
		s->cf = cf;
		s->backoff = d->conf->reconnect_min;
		s->since = time(NULL);
		memset(&p, 0, sizeof(p));
		p.host = cf->address;
		p.port = (uint16_t)cf->port;
		p.transport = cf->transport == CCONF_TRANSPORT_TLS ?
		    DOTS_TRANSPORT_TLS : DOTS_TRANSPORT_DTLS;
		p.ca_file = cf->ca_file;
		p.cert_file = cf->cert_file;
		p.key_file = cf->key_file;
		p.psk_identity = cf->psk_identity;
		p.psk_key = cf->psk_key.data;
		p.psk_key_len = cf->psk_key.len;
		p.server_name = cf->server_name;
		p.timeout_ms = cf->timeout * 1000;
		p.event_cb = srv_event_cb;
		p.event_arg = s;
		s->c = dots_client_new(&p, why, sizeof(why));
		if (s->c == NULL) {
			snprintf(err, errlen, "server \"%s\": %s", cf->name,
			    why);
			return -1;
		}
		log_info("server %s: cuid %s", cf->name,
		    dots_client_cuid(s->c));
	}
	return 0;
}

void
srv_free_all(struct dotscd *d)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++) {
		dots_client_free(d->srv[i].c);
		dots_signal_free(d->srv[i].config);
	}
	free(d->srv);
	d->srv = NULL;
	d->nsrv = 0;
}

struct srv *
srv_find(struct dotscd *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++)
		if (strcmp(d->srv[i].cf->name, name) == 0)
			return &d->srv[i];
	return NULL;
}

/* The first server that is up, in configuration order, else the first. */
struct srv *
srv_preferred(struct dotscd *d)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++)
		if (d->srv[i].state == SRV_UP)
			return &d->srv[i];
	return d->nsrv > 0 ? &d->srv[0] : NULL;
}

static unsigned
cfg_cur(const struct dots_cfg_value *v, unsigned def)
{
	return (v->present & DOTS_CFG_CURRENT) ? (unsigned)v->current_value :
	    def;
}

/* Heartbeats and CoAP parameters of the set that applies now. */
void
srv_apply_config(struct srv *s)
{
	const struct dots_config_set *set;
	bool mitigating = mit_any_active(s->d, s);
	unsigned iv, miss;

	if (s->config == NULL)
		return;
	set = mitigating ? &s->config->config.mitigating_config :
	    &s->config->config.idle_config;
	iv = cfg_cur(&set->heartbeat_interval, 30);
	miss = cfg_cur(&set->missing_hb_allowed, 15);
	if (iv == s->hb_interval && miss == s->hb_missing &&
	    mitigating == s->hb_mitigating)
		return;
	s->hb_interval = iv;
	s->hb_missing = miss;
	s->hb_mitigating = mitigating;
	dots_client_set_heartbeat(s->c, iv, miss);
	dots_client_set_coap_params(s->c, cfg_cur(&set->max_retransmit, 3),
	    cfg_cur(&set->ack_timeout, 200),
	    cfg_cur(&set->ack_random_factor, 150));
	log_info("server %s: heartbeat every %u s, down after %u missed "
	    "(%s)", s->cf->name, iv, miss, mitigating ? "mitigating-config" :
	    "idle-config");
}

/* @p want fitted into the server's min..max of @p v. */
static void
cfg_fit(struct dots_cfg_value *v, uint32_t want)
{
	int64_t x = want;

	if (want == 0)
		return;
	if ((v->present & DOTS_CFG_MIN) && x < v->min_value)
		x = v->min_value;
	if ((v->present & DOTS_CFG_MAX) && x > v->max_value)
		x = v->max_value;
	v->current_value = x;
	v->present |= DOTS_CFG_CURRENT;
}

static void
config_put_cb(void *arg, const struct dots_reply *r)
{
	struct srv *s = arg;

	if (r->error != 0 || r->code / 100 != 2) {
		log_warnx("server %s: configuration refused (%d.%02d %s); "
		    "using the server's", s->cf->name, r->code / 100,
		    r->code % 100, r->diag);
		return;
	}
	log_info("server %s: heartbeat configuration accepted (%d.%02d)",
	    s->cf->name, r->code / 100, r->code % 100);
}

/* The configured heartbeat values, as a PUT /config; @p s->config is
 * updated to what was asked. */
static void
config_put(struct srv *s)
{
	struct dots_config_set *sets[2] = {
		&s->config->config.mitigating_config,
		&s->config->config.idle_config
	};
	struct dots_signal *m;
	struct dots_request r;
	struct dots_diag diag;
	uint32_t sid;
	char key[CONF_NAME_MAX + 8];
	size_t i;

	m = dots_signal_new(DOTS_SIG_CONFIG);
	if (m == NULL)
		return;
	for (i = 0; i < 2; i++) {
		cfg_fit(&sets[i]->heartbeat_interval,
		    s->cf->heartbeat_interval);
		cfg_fit(&sets[i]->missing_hb_allowed,
		    s->cf->missing_hb_allowed);
	}
	m->config.mitigating_config.heartbeat_interval.current_value =
	    sets[0]->heartbeat_interval.current_value;
	m->config.mitigating_config.missing_hb_allowed.current_value =
	    sets[0]->missing_hb_allowed.current_value;
	m->config.idle_config.heartbeat_interval.current_value =
	    sets[1]->heartbeat_interval.current_value;
	m->config.idle_config.missing_hb_allowed.current_value =
	    sets[1]->missing_hb_allowed.current_value;
	m->config.mitigating_config.heartbeat_interval.present =
	    m->config.mitigating_config.missing_hb_allowed.present =
	    m->config.idle_config.heartbeat_interval.present =
	    m->config.idle_config.missing_hb_allowed.present =
	    DOTS_CFG_CURRENT;
	snprintf(key, sizeof(key), "sid:%s", s->cf->name);
	memset(&diag, 0, sizeof(diag));
	if (dots_validate_signal(m, DOTS_ROLE_CONFIG_REQUEST, &diag) !=
	    DOTS_OK || store_mid_next(s->d->store, key, false, &sid) != 0) {
		log_warnx("server %s: cannot ask for the configured "
		    "heartbeats: %s", s->cf->name, diag.error.msg);
		dots_signal_free(m);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.op = DOTS_REQ_CONFIG_PUT;
	r.has_id = true;
	r.id = sid;
	r.body = m;
	if (dots_client_send(s->c, &r, config_put_cb, s, NULL) != 0)
		log_warnx("server %s: cannot send its configuration",
		    s->cf->name);
	dots_signal_free(m);
}

static void
config_get_cb(void *arg, const struct dots_reply *r)
{
	struct srv *s = arg;

	if (r->error != 0 || r->code != 205 || r->body == NULL ||
	    r->body->kind != DOTS_SIG_CONFIG) {
		log_warnx("server %s: no configuration read (%s%s)",
		    s->cf->name, r->error != 0 ?
		    dots_client_strerror(r->error) : "code ", r->diag);
		return;
	}
	dots_signal_free(s->config);
	s->config = dots_client_take_body(s->c);
	if (s->cf->heartbeat_interval != 0 || s->cf->missing_hb_allowed != 0)
		config_put(s);
	s->hb_interval = 0;	/* apply anew */
	srv_apply_config(s);
}

static void
srv_up(struct srv *s)
{
	struct dots_request r;
	bool was_lost = s->d->lost;

	s->state = SRV_UP;
	s->since = time(NULL);
	s->missed = 0;
	s->backoff = s->d->conf->reconnect_min;
	s->last_error[0] = '\0';
	log_info("server %s: session up", s->cf->name);
	srv_session_event(s, NULL);
	memset(&r, 0, sizeof(r));
	r.op = DOTS_REQ_CONFIG_GET;
	if (dots_client_send(s->c, &r, config_get_cb, s, NULL) != 0)
		log_warnx("server %s: cannot read its configuration",
		    s->cf->name);
	mit_srv_up(s);
	if (was_lost)
		sigloss_check(s->d);
}

static void
srv_down(struct srv *s, const char *reason)
{
	bool was_up = s->state == SRV_UP;
	time_t now = time(NULL);

	snprintf(s->last_error, sizeof(s->last_error), "%s",
	    reason != NULL ? reason : "session closed");
	s->state = SRV_DOWN;
	s->since = now;
	s->next_connect = now + s->backoff;
	if (was_up)
		log_warnx("server %s: session down: %s; again in %u s",
		    s->cf->name, s->last_error, s->backoff);
	else
		log_info("server %s: cannot connect: %s; again in %u s",
		    s->cf->name, s->last_error, s->backoff);
	if (!was_up) {
		s->backoff *= 2;
		if (s->backoff > s->d->conf->reconnect_max)
			s->backoff = s->d->conf->reconnect_max;
	}
	s->hb_interval = 0;
	srv_session_event(s, s->last_error);
	sigloss_check(s->d);
}

static void
srv_event_cb(void *arg, const struct dots_client_event *ev)
{
	struct srv *s = arg;

	switch (ev->type) {
	case DOTS_CLIENT_UP:
		srv_up(s);
		break;
	case DOTS_CLIENT_DOWN:
		srv_down(s, ev->reason);
		break;
	case DOTS_CLIENT_HB_MISSED:
		s->missed = ev->missed;
		log_debug("server %s: %u heartbeats unanswered", s->cf->name,
		    ev->missed);
		break;
	case DOTS_CLIENT_HEARTBEAT:
	default:
		break;
	}
}

static void
srv_connect(struct srv *s)
{
	char err[256];

	s->state = SRV_CONNECTING;
	log_debug("server %s: connecting to %s port %u", s->cf->name,
	    s->cf->address, s->cf->port);
	if (dots_client_connect_start(s->c, err, sizeof(err)) != 0)
		srv_down(s, err);
}

void
srv_tick(struct dotscd *d, time_t now)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++) {
		struct srv *s = &d->srv[i];

		if (s->state == SRV_DOWN && now >= s->next_connect)
			srv_connect(s);
		else if (s->state == SRV_UP)
			srv_apply_config(s);
	}
}

json_t *
srv_json(const struct srv *s)
{
	json_t *o;

	o = json_pack("{ss ss si ss ss sI si si si}", "name", s->cf->name,
	    "address", s->cf->address, "port", (int)s->cf->port,
	    "transport", s->cf->transport == CCONF_TRANSPORT_TLS ? "tls" :
	    "dtls", "state", srv_state_name(s->state), "since",
	    (json_int_t)s->since, "missed-heartbeats", (int)s->missed,
	    "heartbeat-interval", (int)s->hb_interval,
	    "missing-hb-allowed", (int)s->hb_missing);
	if (o != NULL && s->last_error[0] != '\0')
		json_object_set_new(o, "last-error",
		    json_string(s->last_error));
	return o;
}
