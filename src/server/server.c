/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsd's event loop.  One thread: libcoap's I/O (DTLS and TLS
 * endpoints), the mitigators' poll, the once-a-second timers (lifetimes,
 * grace periods, loss of a client's signal channel), and the store.  Each
 * turn is one store transaction, so everything the turn changed reaches
 * the disk with a single commit.
 */
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/cbor.h>

#include "acl_force.h"
#include "adm.h"
#include "dotsd.h"
#include "log.h"
#include "server.h"

#define TURN_MS		200	/* longest wait, so timers stay on time */
#define BATCH_MAX	256	/* most input events in one transaction */
#define BATCH_NS	2000000	/* and the longest time spent reading them */

static volatile sig_atomic_t stop_requested, reload_requested;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else
		stop_requested = 1;
}

static int
on_event(coap_session_t *s, const coap_event_t ev)
{
	struct dotsd *d = sig_dotsd(s);

	if (d != NULL)
		sig_session_event(d, s, ev);
	return 0;
}

static void
coap_to_log(coap_log_t level, const char *msg)
{
	size_t n = strlen(msg);

	while (n > 0 && msg[n - 1] == '\n')
		n--;
	if (level <= LOG_ERR)
		log_errx("coap: %.*s", (int)n, msg);
	else if (level <= LOG_WARNING)
		log_warnx("coap: %.*s", (int)n, msg);
	else
		log_debug("coap: %.*s", (int)n, msg);
}

/*
 * Every configured endpoint must open: a server that silently listens on
 * fewer addresses or transports than its configuration names would leave
 * clients failing over to nothing.
 */
static int
add_endpoints(struct dotsd *d, const struct dotsd_settings *set, char *err,
    size_t errlen)
{
	static const struct {
		coap_proto_t	 proto;
		const char	*name;
	} protos[] = { { COAP_PROTO_DTLS, "DTLS/UDP" },
	    { COAP_PROTO_TLS, "TLS/TCP" } };
	coap_address_t addr;
	char shown[INET6_ADDRSTRLEN + 8];
	size_t i, k;

	for (i = 0; i < set->nlisten; i++) {
		coap_address_init(&addr);
		memcpy(&addr.addr, &set->listen[i].ss, set->listen[i].len);
		addr.size = set->listen[i].len;
		for (k = 0; k < 2; k++) {
			if ((k == 0 && !set->dtls) || (k == 1 && !set->tls))
				continue;
			if (coap_new_endpoint(d->ctx, &addr,
			    protos[k].proto) != NULL)
				continue;
			if (coap_print_addr(&addr, (unsigned char *)shown,
			    sizeof(shown)) == 0)
				strcpy(shown, "?");
			snprintf(err, errlen, "cannot listen on %s (%s): "
			    "address in use or not configured on this host",
			    shown, protos[k].name);
			return -1;
		}
	}
	return 0;
}

static struct mit_client *
find_client(void *arg, const char *name)
{
	struct dotsd *d = arg;
	size_t i;

	for (i = 0; i < d->nclients; i++)
		if (strcmp(d->clients[i].mc.name, name) == 0)
			return &d->clients[i].mc;
	return NULL;
}

/* The data channel's clients are the signal channel's (sig_tls.c). */
static int
dc_identify(void *arg, const char *cn, const char *cuid, const char *full,
    struct dc_peer *out)
{
	struct dotsd_client *cl = sig_match_client(arg, cn, cuid, full);

	if (cl == NULL)
		return -1;
	snprintf(out->name, sizeof(out->name), "%s", cl->mc.name);
	out->prefixes = cl->mc.prefixes;
	out->nprefixes = cl->mc.nprefixes;
	out->fqdns = cl->mc.fqdns;
	out->nfqdns = cl->mc.nfqdns;
	return 0;
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * The mitigators' descriptors into @p pfd (room for @p max); a mitigator
 * that wants more than fit is looked at again after at most
 * BE_CROWDED_MS instead.  @return how many were put, with *@p wait_ms
 * bounded.
 */
#define BE_POLLFDS	64
#define BE_CROWDED_MS	20

static size_t
backend_pollfds(const struct dotsd *d, struct pollfd *pfd, size_t max,
    uint32_t *wait_ms)
{
	const struct backend *be;
	size_t i, n = 0, want;

	for (i = 0; d->set != NULL && i < d->set->nbackends; i++) {
		be = d->set->backends[i];
		if (be->ops->pollfds == NULL)
			continue;
		want = be->ops->pollfds(d->set->backends[i], pfd + n, max - n);
		if (want > max - n) {
			want = max - n;
			if (*wait_ms > BE_CROWDED_MS)
				*wait_ms = BE_CROWDED_MS;
		}
		n += want;
	}
	return n;
}

/*
 * The wait is on libcoap's descriptor and those of the data channel, the
 * control socket and the mitigators, bounded by the next libcoap timer
 * (and not at all while control requests wait in a buffer); then the
 * data channel and the control socket serve what they have, and libcoap
 * is called without waiting (the mitigators' poll() follows in the same
 * turn).  All write into the turn's transaction.
 */
static uint32_t
wait_input(struct dotsd *d, uint32_t wait_ms)
{
	struct pollfd pfd[2 + ADM_POLLFDS + BE_POLLFDS] = {
		{ .fd = coap_context_get_coap_fd(d->ctx), .events = POLLIN },
	};
	int i, n = 1, adm_at, timeout = 0;
	coap_tick_t now;
	unsigned next;

	if (d->dc != NULL) {
		pfd[n].fd = dc_fd(d->dc);
		pfd[n++].events = POLLIN;
	}
	adm_at = n;
	n += adm_pollfds(d->adm, pfd + n, ADM_POLLFDS);
	if (wait_ms != COAP_IO_NO_WAIT)
		n += (int)backend_pollfds(d, pfd + n, BE_POLLFDS, &wait_ms);
	if (wait_ms != COAP_IO_NO_WAIT && pfd[0].fd >= 0 &&
	    !adm_pending(d->adm)) {
		coap_ticks(&now);
		next = coap_io_prepare_epoll(d->ctx, now);
		if (next > 0 && next < wait_ms)
			wait_ms = next;
		if (d->dc != NULL)
			wait_ms = dc_timeout(d->dc, wait_ms);
		timeout = (int)wait_ms;
	}
	if (poll(pfd, (nfds_t)n, timeout) == -1)
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;	/* none to trust */
	if (d->dc != NULL)
		dc_run(d->dc);
	adm_dispatch(d->adm, pfd + adm_at, n - adm_at);
	return pfd[0].fd >= 0 || adm_pending(d->adm) ? COAP_IO_NO_WAIT :
	    wait_ms;
}

/*
 * Input for one transaction.  libcoap handles one datagram per call, so
 * keep calling while its epoll descriptor says more is waiting: every
 * request read here is committed by one fsync, which is what lets durable
 * requests outrun the disk.  The limits keep the answers of the first
 * requests from waiting long for the last.
 */
static void
read_batch(struct dotsd *d, uint32_t first_wait_ms)
{
	struct pollfd pfd = { .fd = coap_context_get_coap_fd(d->ctx),
	    .events = POLLIN };
	int64_t deadline;
	int n;

	if (d->dc != NULL || d->adm != NULL || d->set != NULL)
		first_wait_ms = wait_input(d, first_wait_ms);
	coap_io_process(d->ctx, first_wait_ms);
	if (pfd.fd < 0)
		return;		/* libcoap without epoll: one at a time */
	deadline = mono_ns() + BATCH_NS;
	for (n = 1; n < BATCH_MAX; n++) {
		if (poll(&pfd, 1, 0) <= 0 || mono_ns() > deadline)
			break;
		coap_io_process(d->ctx, COAP_IO_NO_WAIT);
	}
}

/* No traffic for missing-hb-allowed heartbeat intervals: signal lost. */
static void
check_signal_loss(struct dotsd *d, time_t now)
{
	size_t i;

	for (i = 0; i < d->nclients; i++) {
		struct dotsd_client *cl = &d->clients[i];
		int64_t hb, miss;

		sig_hb_params(d, cl, &hb, &miss);
		if (hb == 0 || cl->mc.last_heard == 0 || cl->mc.signal_lost)
			continue;
		if (now - cl->mc.last_heard > hb * miss) {
			log_warnx("client %s: no traffic for %llds, signal "
			    "channel lost", cl->mc.name,
			    (long long)(now - cl->mc.last_heard));
			cl->mc.signal_lost = true;
			mit_signal_lost(d->engine, &cl->mc, now);
		}
	}
}

int
dotsd_run(struct dotsd *d, const struct dotsd_settings *set)
{
	struct sigaction sa;
	time_t last_tick = 0, now;
	size_t i, doomed_before;
	bool committed, released = false;

	d->set = set;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!stop_requested) {
		if (reload_requested) {
			reload_requested = 0;
			if (set->reload != NULL)
				set->reload(d, set->reload_arg);
		}
		doomed_before = d->ndoomed;
		store_begin(d->store);
		/*
		 * Answers released at the end of the last turn go out in this
		 * one: don't wait for new traffic before sending them.
		 */
		read_batch(d, released ? COAP_IO_NO_WAIT : TURN_MS);
		for (i = 0; i < set->nbackends; i++)
			if (set->backends[i]->ops->poll != NULL)
				set->backends[i]->ops->poll(set->backends[i]);
		now = time(NULL);
		if (now != last_tick) {
			mit_tick(d->engine, now);
			check_signal_loss(d, now);
			sig_hb_tick(d, now);
			dc_tick(d->dc, now);
			last_tick = now;
		}
		if (d->acls != NULL)
			af_turn(d->acls, now);
		committed = store_commit(d->store) == 0;
		if (!committed)
			log_warnx("store: commit failed: %s",
			    store_errmsg(d->store));
		released = d->npending > 0;
		sig_release_deferred(d, committed);
		/* the data channel's answers go out now, not after a wait */
		if (dc_release(d->dc, committed))
			dc_run(d->dc);
		adm_flush(d->adm);
		sig_flush_doomed(d, doomed_before);
	}
	log_info("shutting down");
	d->set = NULL;
	return 0;
}

void
dotsd_backend_report(void *arg, const struct be_report *r)
{
	struct dotsd *d = arg;

	if (r->id >= AF_ID_BASE) {
		if (d->acls != NULL)
			af_report(d->acls, r);
	} else
		mit_backend_report(d->engine, r);
}

static void
acls_changed(void *arg, const char *cuid, const char *name)
{
	struct dotsd *d = arg;

	if (d->acls != NULL)
		af_mark(d->acls, cuid, name);
}

/* RFC 9133 acl-list: the ACL exists, and the mitigator would take it. */
static int
acl_check(void *arg, const char *cuid, const char *name, uint8_t type,
    char *why, size_t whylen)
{
	struct dotsd *d = arg;
	const char *act = dc_activation_name(type);
	int ret = dc_acl_exists(d->dc, cuid, name, why, whylen);

	if (ret != 0 || act == NULL)
		return ret;
	ret = af_check(d->acls, cuid, name, act, why, whylen);
	return ret > 0 ? 2 : ret;
}

static void
acl_set(void *arg, const char *cuid, const char *name, uint8_t type,
    time_t now)
{
	struct dotsd *d = arg;

	if (dc_acl_set_activation(d->dc, cuid, name, type, now) != 0)
		log_warnx("ACL '%s' of cuid %s: its activation-type could "
		    "not be changed", name, cuid);
}

/* The engine's alias-name lookups go to the data channel. */
static int
alias_targets(void *arg, const char *cuid, const char *name, time_t now,
    struct dots_signal *m, struct dots_target *out)
{
	return dc_alias_targets(arg, cuid, name, now, m, out);
}

int
dotsd_init(struct dotsd *d, const struct dotsd_settings *set, char *err,
    size_t errlen)
{
	struct mit_params mp = {
		.abt_seconds = set->abt_seconds,
		.max_lifetime = set->max_lifetime,
	};

	if (set->gateway_id != NULL)
		snprintf(mp.gateway_id, sizeof(mp.gateway_id), "%s",
		    set->gateway_id);

	coap_startup();
	coap_set_log_handler(coap_to_log);
	coap_set_log_level(LOG_WARNING);
	if (!coap_dtls_is_supported()) {
		snprintf(err, errlen, "libcoap was built without DTLS");
		return -1;
	}
	d->ctx = coap_new_context(NULL);
	if (d->ctx == NULL) {
		snprintf(err, errlen, "cannot create the CoAP context");
		return -1;
	}
	coap_set_app_data(d->ctx, d);
	coap_context_set_block_mode(d->ctx, COAP_BLOCK_USE_LIBCOAP |
	    COAP_BLOCK_SINGLE_BODY);
	if (set->max_sessions)
		coap_context_set_max_idle_sessions(d->ctx, set->max_sessions);
	if (set->max_handshakes)
		coap_context_set_max_handshake_sessions(d->ctx,
		    set->max_handshakes);
	coap_register_event_handler(d->ctx, on_event);
	if (sig_tls_setup(d, set->ca_file, set->cert_file, set->key_file,
	    err, errlen) != 0)
		return -1;
	if (add_endpoints(d, set, err, errlen) != 0)
		return -1;
	if (sig_mitigate_init(d) != 0 || sig_config_init(d) != 0 ||
	    sig_hb_init(d) != 0) {
		snprintf(err, errlen, "cannot create the CoAP resources");
		return -1;
	}
	d->engine = mit_engine_new(d->store, &mp, sig_mitigation_changed, d);
	if (d->engine == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (set->dc.nlisten > 0) {
		struct dc_settings dcs = set->dc;

		dcs.store = d->store;
		dcs.identify = dc_identify;
		dcs.identify_arg = d;
		dcs.acl_changed = acls_changed;
		dcs.acl_changed_arg = d;
		if ((d->dc = dc_new(&dcs, err, errlen)) == NULL)
			return -1;
		if ((d->acls = af_new(d)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		mit_engine_set_aliases(d->engine, alias_targets, d->dc);
		mit_engine_set_acls(d->engine, acl_check, acl_set, d);
	}
	if (set->control_socket != NULL && (d->adm = adm_open(d,
	    set->control_socket, set->backends, set->nbackends, err,
	    errlen)) == NULL)
		return -1;
	return 0;
}

/*
 * Stored session configurations are keyed by cuid, which is known only
 * once the client's certificate is seen; keep them until then
 * (sig_tls.c hands each to its client at the handshake).
 */
static int
keep_config(void *arg, const struct store_config *c)
{
	struct dotsd *d = arg;
	struct sig_saved_config *bigger, *sc;
	struct dots_signal *m;

	if (dots_cbor_decode_signal(c->body, c->body_len, &m, NULL) !=
	    DOTS_OK || m->kind != DOTS_SIG_CONFIG) {
		dots_signal_free(m);
		return 0;
	}
	bigger = realloc(d->saved, (d->nsaved + 1) * sizeof(*bigger));
	if (bigger == NULL) {
		dots_signal_free(m);
		return -1;
	}
	d->saved = bigger;
	sc = &d->saved[d->nsaved++];
	snprintf(sc->cuid, sizeof(sc->cuid), "%s", c->cuid);
	sc->sid = c->sid;
	sc->config = m->config;
	dots_signal_free(m);
	return 0;
}

/* After the mitigators exist: bring back the stored mitigations. */
int
dotsd_restore(struct dotsd *d)
{
	int ret;

	store_begin(d->store);
	ret = mit_engine_restore(d->engine, find_client, d, time(NULL));
	if (store_config_foreach(d->store, keep_config, d) != 0)
		ret = -1;
	store_commit(d->store);
	return ret;
}

void
dotsd_cleanup(struct dotsd *d)
{
	adm_close(d->adm);
	af_free(d->acls);
	dc_free(d->dc);
	mit_engine_free(d->engine);
	sig_defer_free(d);
	if (d->ctx != NULL)
		coap_free_context(d->ctx);
	free(d->doomed);
	free(d->saved);
	coap_cleanup();
}
