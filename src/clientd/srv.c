/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The sessions to the DOTS servers.  Connecting to a server is a round
 * of attempts, each its own dotsclient, raced as RFC 9132 section 4.3
 * asks (happy eyeballs): with `transport auto`, DTLS then TLS, each over
 * the name's IPv6 then IPv4 address, one attempt started every 250 ms
 * (RFC 8305's Connection Attempt Delay; 100 ms while a mitigation is
 * live, as RFC 9132 asks under attack), the next at once when one fails.
 * The first session up wins and the others are closed; its transport
 * and family are tried first in the next rounds for SRV_HE_CACHE
 * seconds, unless a round fails.  Clients closed from within a callback
 * are freed by srv_reap(), after the loop's I/O.  When a round fails or
 * the session goes down (closed, or heartbeats unanswered) the daemon
 * tries again after a delay that starts at reconnect-min (1 s) and
 * doubles after each failure up to reconnect-max (60 s): RFC 9132
 * section 4.7 wants a client that keeps failing to back off, and 60 s is
 * the pace it gives for that.  A session that came up resets the delay.
 * Since each session has its own client, observations are registered
 * anew on the next one (mit_srv_down, mit_srv_up).
 *
 * Once up, the server's /config is read; if the configuration asks for a
 * heartbeat interval or missing-hb-allowed, they are fitted into the
 * server's min..max and PUT with a new sid (sids are kept in the store
 * like mids, so they increase across restarts).  The heartbeat values
 * the library uses are those of the set that applies: mitigating-config
 * while a mitigation of this server is active, idle-config otherwise.
 */
#include <sys/socket.h>
#include <netdb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>
#include <dots/json.h>
#include <dots/validate.h>

#include "clientd.h"
#include "log.h"

static void	srv_event_cb(void *arg, const struct dots_client_event *ev);
static void	srv_timers_one(struct srv *s, uint64_t now);

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

const char *
srv_transport_name(enum dots_transport tr)
{
	return tr == DOTS_TRANSPORT_TLS ? "tls" : "dtls";
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The library's parameters for @p cf, towards @p host over @p tr. */
static void
srv_params(const struct cconf_server *cf, const char *host,
    enum dots_transport tr, struct dots_client_params *p)
{
	memset(p, 0, sizeof(*p));
	p->host = host;
	p->port = (uint16_t)cf->port;
	p->transport = tr;
	p->ca_file = cf->ca_file;
	p->cert_file = cf->cert_file;
	p->key_file = cf->key_file;
	p->psk_identity = cf->psk_identity;
	p->psk_key = cf->psk_key.data;
	p->psk_key_len = cf->psk_key.len;
	/* the address may be a name resolved here: the certificate must
	 * still carry the configured name */
	p->server_name = cf->server_name != NULL ? cf->server_name :
	    cf->address;
	p->timeout_ms = cf->timeout * 1000;
	p->event_cb = srv_event_cb;
}

/*
 * A new server, not connected.  Its files are read once here so that a
 * certificate or key that cannot be used is refused at start or reload.
 */
struct srv *
srv_new(struct dotscd *d, const struct cconf_server *cf, char *err,
    size_t errlen)
{
	struct dots_client_params p;
	struct dots_client *c;
	struct srv *s;
	char why[256];

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->d = d;
	s->cf = cf;
	s->backoff = d->conf->reconnect_min;
	s->since = time(NULL);
	srv_params(cf, cf->address, cf->transport == CCONF_TRANSPORT_TLS ?
	    DOTS_TRANSPORT_TLS : DOTS_TRANSPORT_DTLS, &p);
	c = dots_client_new(&p, why, sizeof(why));
	if (c == NULL) {
		snprintf(err, errlen, "server \"%s\": %s", cf->name, why);
		free(s);
		return NULL;
	}
	log_info("server %s: cuid %s", cf->name, dots_client_cuid(c));
	dots_client_free(c);
	return s;
}

/* Close every attempt of @p s now: outside any of their callbacks. */
static void
srv_close_all(struct srv *s)
{
	size_t i;

	for (i = 0; i < s->natt; i++) {
		dots_client_free(s->att[i].c);
		s->att[i].c = NULL;
	}
	s->natt = 0;
	s->c = NULL;
}

void
srv_free(struct srv *s)
{
	if (s == NULL)
		return;
	pcall_free_all(s);
	srv_close_all(s);
	dots_signal_free(s->config);
	free(s);
}

int
srv_init(struct dotscd *d, char *err, size_t errlen)
{
	size_t i;

	d->srv = calloc(d->conf->n_server, sizeof(*d->srv));
	if (d->srv == NULL && d->conf->n_server > 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < d->conf->n_server; i++) {
		d->srv[i] = srv_new(d, &d->conf->server[i], err, errlen);
		if (d->srv[i] == NULL)
			return -1;
		d->nsrv++;
	}
	return 0;
}

void
srv_free_all(struct dotscd *d)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++)
		srv_free(d->srv[i]);
	free(d->srv);
	d->srv = NULL;
	d->nsrv = 0;
}

struct srv *
srv_find(struct dotscd *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++)
		if (strcmp(d->srv[i]->cf->name, name) == 0)
			return d->srv[i];
	return NULL;
}

/* The first server that is up, in configuration order, else the first. */
struct srv *
srv_preferred(struct dotscd *d)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++)
		if (d->srv[i]->state == SRV_UP)
			return d->srv[i];
	return d->nsrv > 0 ? d->srv[0] : NULL;
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

	if (s->config == NULL || s->c == NULL)
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

	if (s->c == NULL)
		return;		/* the session went down meanwhile */
	s->cfg_ready = true;
	if (r->error != 0 || r->code != 205 || r->body == NULL ||
	    r->body->kind != DOTS_SIG_CONFIG) {
		log_warnx("server %s: no configuration read (%s%s)",
		    s->cf->name, r->error != 0 ?
		    dots_client_strerror(r->error) : "code ", r->diag);
		pcall_send_all(s);
		return;
	}
	dots_signal_free(s->config);
	s->config = dots_client_take_body(s->c);
	if (s->cf->heartbeat_interval != 0 || s->cf->missing_hb_allowed != 0)
		config_put(s);
	s->hb_interval = 0;	/* apply anew */
	srv_apply_config(s);
	/* queued session settings after the configured ones: theirs win */
	pcall_send_all(s);
}

static void
config_reread_cb(void *arg, const struct dots_reply *r)
{
	struct srv *s = arg;

	if (s->c == NULL || r->error != 0 || r->code != 205 ||
	    r->body == NULL || r->body->kind != DOTS_SIG_CONFIG)
		return;
	dots_signal_free(s->config);
	s->config = dots_client_take_body(s->c);
	s->hb_interval = 0;	/* apply anew */
	srv_apply_config(s);
}

/*
 * Read the configuration of @p sid, once the server accepted it: /config
 * without a sid answers the server's defaults (RFC 9132 section 4.5.1),
 * not what this client negotiated.
 */
void
srv_config_reread(struct srv *s, uint32_t sid)
{
	struct dots_request r;

	if (s->state != SRV_UP || s->c == NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.op = DOTS_REQ_CONFIG_GET;
	r.has_id = true;
	r.id = sid;
	dots_client_send(s->c, &r, config_reread_cb, s, NULL);
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
	s->cfg_ready = false;
	log_info("server %s: session up over %s to %s", s->cf->name,
	    srv_transport_name(s->tr), s->addr);
	srv_session_event(s, NULL);
	memset(&r, 0, sizeof(r));
	r.op = DOTS_REQ_CONFIG_GET;
	if (dots_client_send(s->c, &r, config_get_cb, s, NULL) != 0)
		log_warnx("server %s: cannot read its configuration",
		    s->cf->name);
	mit_srv_up(s);
	pcall_send_all(s);
	if (was_lost)
		sigloss_check(s->d);
}

static void
srv_down(struct srv *s, const char *reason)
{
	bool was_up = s->state == SRV_UP;
	time_t now = time(NULL);
	char why[sizeof(s->last_error)];

	/* @p reason may be s->last_error itself */
	snprintf(why, sizeof(why), "%s", reason != NULL ? reason :
	    "session closed");
	memcpy(s->last_error, why, sizeof(why));
	s->state = SRV_DOWN;
	s->since = now;
	s->next_connect = now + s->backoff;
	s->c = NULL;
	s->cfg_ready = false;
	mit_srv_down(s);
	pcall_srv_down(s);
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

/* Happy eyeballs */

static const char *
family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* The first IPv6 and the first IPv4 address of the server's name. */
static int
srv_resolve(struct srv *s, char addr[2][SRV_ADDR_MAX], int fam[2],
    size_t *n)
{
	struct addrinfo hints, *res, *ai;
	bool have6 = false, have4 = false;
	char port[8];
	int ret;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	snprintf(port, sizeof(port), "%u", s->cf->port);
	if ((ret = getaddrinfo(s->cf->address, port, &hints, &res)) != 0) {
		snprintf(s->last_error, sizeof(s->last_error), "%s: %s",
		    s->cf->address, gai_strerror(ret));
		return -1;
	}
	*n = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		bool *have = ai->ai_family == AF_INET6 ? &have6 : &have4;

		if ((ai->ai_family != AF_INET6 && ai->ai_family != AF_INET) ||
		    *have)
			continue;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr[*n],
		    SRV_ADDR_MAX, NULL, 0, NI_NUMERICHOST) != 0)
			continue;
		fam[*n] = ai->ai_family;
		*have = true;
		(*n)++;
	}
	freeaddrinfo(res);
	/* IPv6 first (RFC 8305 section 4) */
	if (*n == 2 && fam[0] == AF_INET) {
		char t[SRV_ADDR_MAX];

		memcpy(t, addr[0], sizeof(t));
		memcpy(addr[0], addr[1], sizeof(t));
		memcpy(addr[1], t, sizeof(t));
		fam[0] = AF_INET6;
		fam[1] = AF_INET;
	}
	if (*n == 0) {
		snprintf(s->last_error, sizeof(s->last_error), "%s: no IPv6 "
		    "or IPv4 address", s->cf->address);
		return -1;
	}
	return 0;
}

/* Start attempt @p a; false if it could not even begin. */
static bool
srv_att_start(struct srv_att *a)
{
	struct srv *s = a->s;
	struct dots_client_params p;
	char err[DOTS_CLIENT_DIAG_MAX];

	srv_params(s->cf, a->addr, a->tr, &p);
	p.event_arg = a;
	a->c = dots_client_new(&p, err, sizeof(err));
	if (a->c != NULL && dots_client_connect_start(a->c, err,
	    sizeof(err)) == 0) {
		log_debug("server %s: trying %s over %s, %s port %u",
		    s->cf->name, srv_transport_name(a->tr),
		    family_name(a->family), a->addr, s->cf->port);
		return true;
	}
	a->dead = true;
	snprintf(s->last_error, sizeof(s->last_error), "%s to %s: %.180s",
	    srv_transport_name(a->tr), a->addr, err);
	log_debug("server %s: %s", s->cf->name, s->last_error);
	return false;
}

/* The Connection Attempt Delay: shorter under attack (RFC 9132 4.3). */
static unsigned
srv_he_delay(struct srv *s)
{
	return mit_any_live(s->d) ? SRV_HE_DELAY_ATTACK_MS : SRV_HE_DELAY_MS;
}

/*
 * The candidates in order: DTLS before TLS, IPv6 before IPv4 (RFC 9132
 * section 4.3), the transport and family of the last session first if
 * it came up less than SRV_HE_CACHE seconds ago and no round failed
 * since.
 */
static void
srv_candidates(struct srv *s, char addr[2][SRV_ADDR_MAX], int fam[2],
    size_t naddr)
{
	static const enum dots_transport order[] = { DOTS_TRANSPORT_DTLS,
	    DOTS_TRANSPORT_TLS };
	bool cached = s->has_winner && time(NULL) < s->win_until;
	size_t i, j, k;

	s->natt = 0;
	for (i = 0; i < 2; i++) {
		if ((s->cf->transport == CCONF_TRANSPORT_DTLS &&
		    order[i] != DOTS_TRANSPORT_DTLS) ||
		    (s->cf->transport == CCONF_TRANSPORT_TLS &&
		    order[i] != DOTS_TRANSPORT_TLS))
			continue;
		for (j = 0; j < naddr; j++) {
			struct srv_att *a = &s->att[s->natt++];

			memset(a, 0, sizeof(*a));
			a->s = s;
			a->tr = order[i];
			a->family = fam[j];
			snprintf(a->addr, sizeof(a->addr), "%s", addr[j]);
		}
	}
	for (k = 1; cached && k < s->natt; k++) {
		struct srv_att t;

		if (s->att[k].tr != s->win_tr ||
		    s->att[k].family != s->win_family)
			continue;
		t = s->att[k];
		memmove(&s->att[1], &s->att[0], k * sizeof(t));
		s->att[0] = t;
		break;
	}
}

static void
srv_connect(struct srv *s)
{
	char addr[2][SRV_ADDR_MAX];
	int fam[2];
	size_t naddr, i;
	uint64_t now = now_ms();
	unsigned delay = srv_he_delay(s);

	srv_close_all(s);
	s->state = SRV_CONNECTING;
	if (srv_resolve(s, addr, fam, &naddr) != 0) {
		s->has_winner = false;
		srv_down(s, s->last_error);
		return;
	}
	srv_candidates(s, addr, fam, naddr);
	for (i = 0; i < s->natt; i++)
		s->att[i].start_ms = now + i * delay;
	s->round_end_ms = now + (uint64_t)s->cf->timeout * 1000 +
	    (uint64_t)s->natt * delay;
	log_debug("server %s: connecting to %s port %u (%zu attempts, %u ms "
	    "apart)", s->cf->name, s->cf->address, s->cf->port, s->natt,
	    delay);
	srv_timers_one(s, now);
}

/* A round in which no attempt came up. */
static void
srv_round_failed(struct srv *s, const char *why)
{
	size_t i;

	for (i = 0; i < s->natt; i++)
		s->att[i].dead = true;
	/* try the preferred order again next time */
	s->has_winner = false;
	srv_down(s, why);
}

/* Start the attempts that are due; end a round that ran out of time. */
static void
srv_timers_one(struct srv *s, uint64_t now)
{
	size_t i, live = 0;
	bool next_now = false;

	if (s->state != SRV_CONNECTING)
		return;
	for (i = 0; i < s->natt; i++) {
		struct srv_att *a = &s->att[i];

		if (a->c == NULL && !a->dead &&
		    (now >= a->start_ms || next_now)) {
			/* one that fails at once lets the next go */
			next_now = !srv_att_start(a);
		}
		if (!a->dead)
			live++;
	}
	if (live == 0)
		srv_round_failed(s, s->last_error);
	else if (now >= s->round_end_ms) {
		char why[DOTS_CLIENT_DIAG_MAX + 64];

		snprintf(why, sizeof(why), "no session within %u s%s%s",
		    s->cf->timeout, s->last_error[0] != '\0' ? "; last: " :
		    "", s->last_error);
		srv_round_failed(s, why);
	}
}

void
srv_timers(struct dotscd *d)
{
	uint64_t now = now_ms();
	size_t i;

	for (i = 0; i < d->nsrv; i++)
		srv_timers_one(d->srv[i], now);
}

/* Milliseconds until the next attempt is due, or -1. */
int
srv_timeout(struct dotscd *d)
{
	uint64_t now = now_ms(), next = 0;
	size_t i, j;

	for (i = 0; i < d->nsrv; i++) {
		struct srv *s = d->srv[i];

		if (s->state != SRV_CONNECTING)
			continue;
		for (j = 0; j < s->natt; j++)
			if (s->att[j].c == NULL && !s->att[j].dead &&
			    (next == 0 || s->att[j].start_ms < next))
				next = s->att[j].start_ms;
		if (next == 0 || s->round_end_ms < next)
			next = s->round_end_ms;
	}
	if (next == 0)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

/* The attempt that came up first wins; the others are closed. */
static void
srv_att_up(struct srv_att *a)
{
	struct srv *s = a->s;
	size_t i;

	if (s->state == SRV_UP) {
		a->dead = true;		/* a tie: the first one stays */
		return;
	}
	for (i = 0; i < s->natt; i++)
		if (&s->att[i] != a && !s->att[i].dead) {
			if (s->att[i].c != NULL)
				log_debug("server %s: %s to %s closed: %s "
				    "came first", s->cf->name,
				    srv_transport_name(s->att[i].tr),
				    s->att[i].addr,
				    srv_transport_name(a->tr));
			s->att[i].dead = true;
		}
	s->c = a->c;
	s->tr = a->tr;
	snprintf(s->addr, sizeof(s->addr), "%s", a->addr);
	s->has_winner = true;
	s->win_tr = a->tr;
	s->win_family = a->family;
	s->win_until = time(NULL) + SRV_HE_CACHE;
	srv_up(s);
}

static void
srv_att_down(struct srv_att *a, const char *reason)
{
	struct srv *s = a->s;
	size_t i;

	a->dead = true;
	if (s->state == SRV_UP && a->c == s->c) {
		srv_down(s, reason);
		return;
	}
	if (s->state != SRV_CONNECTING)
		return;
	snprintf(s->last_error, sizeof(s->last_error), "%s to %s: %.180s",
	    srv_transport_name(a->tr), a->addr, reason != NULL ? reason :
	    "refused");
	log_debug("server %s: %s", s->cf->name, s->last_error);
	/* a failure lets the next attempt start at once (RFC 8305 5) */
	for (i = 0; i < s->natt; i++)
		if (s->att[i].c == NULL && !s->att[i].dead) {
			s->att[i].start_ms = now_ms();
			break;
		}
	srv_timers_one(s, now_ms());
}

static void
srv_event_cb(void *arg, const struct dots_client_event *ev)
{
	struct srv_att *a = arg;
	struct srv *s = a->s;

	if (a->dead)
		return;
	switch (ev->type) {
	case DOTS_CLIENT_UP:
		srv_att_up(a);
		break;
	case DOTS_CLIENT_DOWN:
		srv_att_down(a, ev->reason);
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

void
srv_tick(struct dotscd *d, time_t now)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++) {
		struct srv *s = d->srv[i];

		if (s->state == SRV_DOWN && now >= s->next_connect)
			srv_connect(s);
		else if (s->state == SRV_UP) {
			srv_apply_config(s);
			pcall_send_all(s);
		}
	}
}

int
srv_pollfds(struct dotscd *d, struct pollfd *pfd, int max, int *timeout)
{
	int n = 0, t;
	size_t i, j;

	for (i = 0; i < d->nsrv; i++)
		for (j = 0; j < d->srv[i]->natt; j++) {
			struct dots_client *c = d->srv[i]->att[j].c;

			if (c == NULL || d->srv[i]->att[j].dead || n == max)
				continue;
			pfd[n].fd = dots_client_fd(c);
			pfd[n++].events = POLLIN;
			t = dots_client_timeout(c);
			if (t >= 0 && t < *timeout)
				*timeout = t;
		}
	t = srv_timeout(d);
	if (t >= 0 && t < *timeout)
		*timeout = t;
	return n;
}

/* I/O and timers of every live attempt; callbacks run from here. */
void
srv_process(struct dotscd *d)
{
	size_t i, j;

	for (i = 0; i < d->nsrv; i++)
		for (j = 0; j < d->srv[i]->natt; j++) {
			struct srv_att *a = &d->srv[i]->att[j];

			if (a->c != NULL && !a->dead &&
			    dots_client_process(a->c, 0) != 0)
				log_debug("server %s: I/O error",
				    d->srv[i]->cf->name);
		}
	srv_timers(d);
}

/* Free the clients closed by callbacks, outside them. */
void
srv_reap(struct dotscd *d)
{
	size_t i, j;

	for (i = 0; i < d->nsrv; i++)
		for (j = 0; j < d->srv[i]->natt; j++) {
			struct srv_att *a = &d->srv[i]->att[j];

			if (a->dead && a->c != NULL) {
				if (d->srv[i]->c == a->c)
					d->srv[i]->c = NULL;
				dots_client_free(a->c);
				a->c = NULL;
			}
		}
}

json_t *
srv_json(const struct srv *s)
{
	static const char *const conf_tr[] = {
		[CCONF_TRANSPORT_AUTO] = "auto",
		[CCONF_TRANSPORT_DTLS] = "dtls",
		[CCONF_TRANSPORT_TLS] = "tls",
	};
	json_t *o;

	o = json_pack("{ss ss si ss ss ss sI si si si}", "name", s->cf->name,
	    "address", s->cf->address, "port", (int)s->cf->port,
	    "transport", s->state == SRV_UP ? srv_transport_name(s->tr) :
	    conf_tr[s->cf->transport], "transport-config",
	    conf_tr[s->cf->transport], "state", srv_state_name(s->state),
	    "since", (json_int_t)s->since, "missed-heartbeats",
	    (int)s->missed, "heartbeat-interval", (int)s->hb_interval,
	    "missing-hb-allowed", (int)s->hb_missing);
	if (o != NULL && s->state == SRV_UP)
		json_object_set_new(o, "remote-address", json_string(s->addr));
	if (o != NULL && s->last_error[0] != '\0')
		json_object_set_new(o, "last-error",
		    json_string(s->last_error));
	if (o != NULL && s->ncalls > 0)
		json_object_set_new(o, "queued-calls",
		    json_integer((json_int_t)s->ncalls));
	return o;
}

