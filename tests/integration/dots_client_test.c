/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dots_client_test: drives a running dotsd through the client library
 * (include/dots/client.h) and checks every answer.  client_lib.sh starts
 * dotsd and runs one scenario at a time:
 *
 *	dots_client_test SCENARIO HOST PORT CERTDIR CLIENT CUID [ARG]
 *
 *	main	 config, mitigation life cycle, Observe, efficacy update,
 *		 heartbeat, unauthorized prefix, expiry (ARG: "tls" to use
 *		 TLS over TCP instead of DTLS)
 *	refused	 the connection must fail (ARG: a server name to expect
 *		 instead of HOST, e.g. one the certificate does not carry)
 *	hb	 no dotsd: a heartbeat server of its own listens on PORT
 *		 and sends heartbeats, good and bad (dots_client_hbsrv.c)
 *	restart	 create a mitigation, touch ARG (a file) and wait for the
 *		 session to go down (client_lib.sh stops dotsd with SIGSTOP,
 *		 so that only unanswered heartbeats can tell), touch
 *		 ARG.down, reconnect (client_lib.sh kills dotsd and starts
 *		 it again) and find the mitigation intact
 *
 * CERTDIR holds ca.pem, CLIENT.pem and CLIENT-key.pem from
 * scripts/dots-certs.sh, and CUID is the cuid it printed for CLIENT.  Each
 * check prints "ok" or "FAIL"; the exit status is 1 if any failed.
 */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dots/client.h>
#include <dots/error.h>
#include <dots/model.h>

#include "dots_client_hbsrv.h"

#define MAX_SEEN	64
#define NBLOCKS		40	/* ~45 bytes each: well over one block */

static int	checks, fails;
static struct dots_client *cl;

/* run with the client's loop, if set: the heartbeat server's */
static void	(*also)(void);

/* What the event callback and the observation saw. */
static int	n_up, n_down, n_hb, n_hb_true;
static char	down_reason[DOTS_CLIENT_DIAG_MAX];

struct seen {
	int	error;
	int	code;
	bool	has_observe;
	int	status;		/* of scope 0, or -1 */
	int	n_scope;
};
static struct seen	obs[MAX_SEEN];
static int		n_obs;

static void
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (!ok)
		fails++;
	printf("%s ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_event(void *arg, const struct dots_client_event *ev)
{
	(void)arg;
	switch (ev->type) {
	case DOTS_CLIENT_UP:
		n_up++;
		printf("  event: up\n");
		break;
	case DOTS_CLIENT_DOWN:
		n_down++;
		snprintf(down_reason, sizeof(down_reason), "%s",
		    ev->reason ? ev->reason : "");
		printf("  event: down (%s)\n", down_reason);
		break;
	case DOTS_CLIENT_HB_MISSED:
		printf("  event: heartbeat missed (%u in a row)\n",
		    ev->missed);
		break;
	case DOTS_CLIENT_HEARTBEAT:
		n_hb++;
		n_hb_true += ev->peer_hb_status;
		printf("  event: heartbeat from the server (peer-hb-status "
		    "%s)\n", ev->peer_hb_status ? "true" : "false");
		break;
	}
}

static int
scope_status(const struct dots_signal *m)
{
	if (m == NULL || m->kind != DOTS_SIG_MITIGATION ||
	    m->mitigation.n_scope == 0 ||
	    !(m->mitigation.scope[0].present & DOTS_SCOPE_STATUS))
		return -1;
	return m->mitigation.scope[0].status;
}

static void
on_notify(void *arg, const struct dots_reply *r)
{
	struct seen *s;

	(void)arg;
	printf("  observe: code %d%s status %d%s%s\n", r->code,
	    r->has_observe ? " (Observe)" : "", scope_status(r->body),
	    r->error ? " error: " : "", r->error ? r->diag : "");
	if (n_obs == MAX_SEEN)
		return;
	s = &obs[n_obs++];
	s->error = r->error;
	s->code = r->code;
	s->has_observe = r->has_observe;
	s->status = scope_status(r->body);
	s->n_scope = r->body != NULL ? (int)r->body->mitigation.n_scope : 0;
}

/* Run the loop until @p done says so or @p secs pass. */
static bool
run_until(bool (*done)(void *), void *arg, double secs)
{
	double end = now_s() + secs;

	while (!done(arg)) {
		if (now_s() > end)
			return false;
		if (also != NULL)
			also();
		dots_client_process(cl, also != NULL ? 5 : 100);
	}
	return true;
}

static bool
obs_status_seen(void *arg)
{
	int i, want = *(int *)arg;

	for (i = 0; i < n_obs; i++)
		if (obs[i].code == 205 && obs[i].status == want)
			return true;
	return false;
}

static bool
obs_code_seen(void *arg)
{
	int i, want = *(int *)arg;

	for (i = 0; i < n_obs; i++)
		if (obs[i].code == want)
			return true;
	return false;
}

static bool
went_down(void *arg)
{
	(void)arg;
	return n_down > 0;
}

static struct dots_signal *
mit_body(const char *prefix, int64_t lifetime, uint8_t attack_status)
{
	struct dots_signal *m = dots_signal_new(DOTS_SIG_MITIGATION);
	struct dots_scope *sc;
	struct dots_prefix *p;
	bool host_bits;

	if (m == NULL || (sc = dots_signal_add_scopes(m, 1)) == NULL ||
	    (p = dots_signal_alloc(m, sizeof(*p))) == NULL ||
	    dots_prefix_parse(prefix, p, &host_bits) != DOTS_OK) {
		fprintf(stderr, "cannot build a request for %s\n", prefix);
		exit(2);
	}
	sc->target.prefix = p;
	sc->target.n_prefix = 1;
	sc->lifetime = lifetime;
	sc->present |= DOTS_SCOPE_LIFETIME;
	if (attack_status != 0) {
		sc->attack_status = attack_status;
		sc->present |= DOTS_SCOPE_ATTACK_STATUS;
	}
	return m;
}

/* One request, synchronously; prints it and returns the reply. */
static void
call(const char *what, const struct dots_request *r, struct dots_reply *out)
{
	dots_client_call(cl, r, out);
	printf("  %s -> %d%s%s%s\n", what, out->code,
	    out->error ? " error " : "", out->error ?
	    dots_client_strerror(out->error) : "",
	    out->diag[0] ? " diag: " : "");
	if (out->diag[0])
		printf("    %s\n", out->diag);
}

static void
put_mit(uint32_t mid, const char *prefix, int64_t lifetime,
    uint8_t attack_status, struct dots_reply *out)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_PUT, .has_id = true,
	    .id = mid };
	struct dots_signal *m = mit_body(prefix, lifetime, attack_status);
	char what[64];

	r.body = m;
	if (attack_status != 0)
		r.flags |= DOTS_REQ_IF_MATCH;
	snprintf(what, sizeof(what), "PUT mid %u %s", mid, prefix);
	call(what, &r, out);
	dots_signal_free(m);
}

static void
get_mit(uint32_t mid, bool one, char filter, struct dots_reply *out)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_GET, .has_id = one,
	    .id = mid, .filter = filter };

	call(one ? "GET one" : "GET all", &r, out);
}

static const struct dots_scope *
scope0(const struct dots_reply *r)
{
	if (r->body == NULL || r->body->kind != DOTS_SIG_MITIGATION ||
	    r->body->mitigation.n_scope == 0)
		return NULL;
	return &r->body->mitigation.scope[0];
}

static struct dots_client *
make_client(const char *host, int port, const char *dir, const char *client,
    const char *server_name, bool tls)
{
	struct dots_client_params p;
	struct dots_client *c;
	static char ca[1024], cert[1024], key[1024];
	char err[256];

	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	snprintf(cert, sizeof(cert), "%s/%s.pem", dir, client);
	snprintf(key, sizeof(key), "%s/%s-key.pem", dir, client);
	memset(&p, 0, sizeof(p));
	p.host = host;
	p.port = (uint16_t)port;
	p.transport = tls ? DOTS_TRANSPORT_TLS : DOTS_TRANSPORT_DTLS;
	p.ca_file = ca;
	p.cert_file = cert;
	p.key_file = key;
	p.server_name = server_name;
	p.timeout_ms = 5000;
	p.connect_timeout_ms = 5000;
	p.event_cb = on_event;
	if ((c = dots_client_new(&p, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dots_client_new: %s\n", err);
		exit(2);
	}
	return c;
}

/* --- main: the life cycle --------------------------------------------- */

static void
scenario_config(void)
{
	struct dots_request r = { .op = DOTS_REQ_CONFIG_GET };
	struct dots_reply rep;
	struct dots_signal *m;
	const struct dots_cfg_value *hb;
	int64_t want;

	call("GET /config", &r, &rep);
	check(rep.code == 205, "GET /config is 2.05 (%d)", rep.code);
	hb = rep.body ? &rep.body->config.mitigating_config.heartbeat_interval :
	    NULL;
	check(hb != NULL && (hb->present & DOTS_CFG_MIN) &&
	    (hb->present & DOTS_CFG_MAX) && hb->min_value == 20 &&
	    hb->max_value == 120, "heartbeat-interval range 20..120 "
	    "(dotsd.conf)");
	want = hb != NULL ? (hb->min_value + hb->max_value) / 2 : 60;
	dots_reply_clear(&rep);

	m = dots_signal_new(DOTS_SIG_CONFIG);
	m->config.mitigating_config.heartbeat_interval.present =
	    DOTS_CFG_CURRENT;
	m->config.mitigating_config.heartbeat_interval.current_value = want;
	m->config.mitigating_config.missing_hb_allowed.present =
	    DOTS_CFG_CURRENT;
	m->config.mitigating_config.missing_hb_allowed.current_value = 4;
	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_PUT, .has_id = true,
	    .id = 1, .body = m };
	call("PUT /config/sid=1", &r, &rep);
	check(rep.code == 201, "PUT /config/sid=1 within the range is 2.01 "
	    "(%d)", rep.code);
	dots_reply_clear(&rep);

	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_GET, .has_id = true,
	    .id = 1 };
	call("GET /config/sid=1", &r, &rep);
	check(rep.code == 205 && rep.body != NULL && rep.body->config.
	    mitigating_config.heartbeat_interval.current_value == want &&
	    rep.body->config.mitigating_config.missing_hb_allowed.
	    current_value == 4, "GET /config/sid=1: heartbeat-interval %lld, "
	    "missing-hb-allowed 4", (long long)want);
	dots_reply_clear(&rep);

	m->config.mitigating_config.heartbeat_interval.current_value = 1;
	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_PUT, .has_id = true,
	    .id = 2, .body = m };
	call("PUT /config/sid=2 out of range", &r, &rep);
	check(rep.code == 422 && strstr(rep.diag, "heartbeat-interval") !=
	    NULL, "heartbeat-interval 1 is 4.22 with a diagnostic");
	check(rep.body == NULL && rep.error == 0, "a 4.22 has no body");
	dots_reply_clear(&rep);
	dots_signal_free(m);
}

static void
scenario_lifecycle(void)
{
	struct dots_request r;
	struct dots_reply rep;
	const struct dots_scope *sc;
	char pfx[64];
	uint64_t obs_id;
	int want;

	put_mit(1, "192.0.2.0/26", 3600, 0, &rep);
	sc = scope0(&rep);
	check(rep.code == 201, "PUT mid 1 is 2.01 (%d)", rep.code);
	check(sc != NULL && sc->mid == 1 && sc->lifetime == 3600,
	    "2.01 body: mid 1, lifetime 3600");
	dots_reply_clear(&rep);

	get_mit(1, true, 0, &rep);
	sc = scope0(&rep);
	check(rep.code == 205, "GET mid 1 is 2.05 (%d)", rep.code);
	pfx[0] = '\0';
	if (sc != NULL && sc->target.n_prefix == 1)
		dots_prefix_format(&sc->target.prefix[0], pfx, sizeof(pfx));
	check(sc != NULL && sc->mid == 1 && strcmp(pfx, "192.0.2.0/26") == 0,
	    "GET mid 1: mid 1, target-prefix %s", pfx);
	check(sc != NULL && (sc->status == DOTS_STATUS_IN_PROGRESS ||
	    sc->status == DOTS_STATUS_MITIGATED) && sc->lifetime > 3590 &&
	    (sc->present & DOTS_SCOPE_MITIGATION_START),
	    "GET mid 1: status %d, lifetime %lld, mitigation-start",
	    sc ? sc->status : -1, sc ? (long long)sc->lifetime : -1LL);
	dots_reply_clear(&rep);

	get_mit(0, false, 'c', &rep);
	sc = scope0(&rep);
	check(rep.code == 205 && rep.body->mitigation.n_scope == 1 &&
	    sc->mid == 1, "GET all (c=c) is 2.05 with mid 1");
	check(sc != NULL && !(sc->present & DOTS_SCOPE_STATUS) &&
	    sc->target.n_prefix == 1, "c=c: the target without the status");
	dots_reply_clear(&rep);

	/* Observe mid 1 */
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_GET,
	    .has_id = true, .id = 1, .flags = DOTS_REQ_OBSERVE };
	check(dots_client_send(cl, &r, on_notify, NULL, &obs_id) == 0,
	    "GET mid 1 with Observe sent");
	check(poll(&(struct pollfd){ .fd = dots_client_fd(cl),
	    .events = POLLIN }, 1, 2000) == 1, "dots_client_fd() is "
	    "readable when the answer is in");
	want = 205;
	check(run_until(obs_code_seen, &want, 5) && obs[0].has_observe,
	    "the observation's first answer is 2.05 with Observe");
	want = DOTS_STATUS_MITIGATED;
	check(run_until(obs_status_seen, &want, 10),
	    "status attack-successfully-mitigated seen by the observer");

	/* efficacy update */
	put_mit(1, "192.0.2.0/26", 3600, DOTS_ATTACK_UNDER_ATTACK, &rep);
	check(rep.code == 204, "efficacy update (If-Match) is 2.04 (%d)",
	    rep.code);
	dots_reply_clear(&rep);

	/* withdraw: the observer hears status 5, then 4.04 */
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_DELETE,
	    .has_id = true, .id = 1 };
	call("DELETE mid 1", &r, &rep);
	check(rep.code == 202 && rep.body == NULL, "DELETE mid 1 is 2.02 "
	    "(%d)", rep.code);
	dots_reply_clear(&rep);
	want = DOTS_STATUS_CLIENT_WITHDRAWN;
	check(run_until(obs_status_seen, &want, 10), "the observer is "
	    "notified of dots-client-withdrawn-mitigation");
	want = 404;
	check(run_until(obs_code_seen, &want, 10), "the observation ends "
	    "with 4.04 once mid 1 is gone");
	check(!obs[n_obs - 1].has_observe, "the 4.04 carries no Observe");
	check(dots_client_observe_cancel(cl, obs_id) != 0,
	    "the ended observation is no longer pending");

	/* an observation cancelled by the client hears nothing more */
	put_mit(2, "192.0.2.64/26", 3600, 0, &rep);
	check(rep.code == 201, "PUT mid 2 is 2.01 (%d)", rep.code);
	dots_reply_clear(&rep);
	n_obs = 0;
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_GET,
	    .flags = DOTS_REQ_OBSERVE };
	check(dots_client_send(cl, &r, on_notify, NULL, &obs_id) == 0,
	    "GET all with Observe sent");
	want = 205;
	check(run_until(obs_code_seen, &want, 5) && obs[0].n_scope == 1,
	    "observation of all: 2.05 with one scope");
	check(dots_client_observe_cancel(cl, obs_id) == 0,
	    "observation of all cancelled");
	n_obs = 0;
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_DELETE,
	    .has_id = true, .id = 2 };
	call("DELETE mid 2", &r, &rep);
	check(rep.code == 202, "DELETE mid 2 is 2.02 (%d)", rep.code);
	dots_reply_clear(&rep);
	want = DOTS_STATUS_CLIENT_WITHDRAWN;
	check(!run_until(obs_status_seen, &want, 2) && n_obs == 0,
	    "no notification after the cancel");
}

static void
scenario_misc(void)
{
	struct dots_request r = { .op = DOTS_REQ_HEARTBEAT,
	    .flags = DOTS_REQ_NON };
	struct dots_reply rep;
	const struct dots_scope *sc;

	call("PUT /hb", &r, &rep);
	check(rep.code == 204 && rep.body == NULL, "heartbeat is 2.04 (%d)",
	    rep.code);
	dots_reply_clear(&rep);

	put_mit(3, "198.51.100.0/24", 3600, 0, &rep);
	check(rep.code == 401, "a prefix outside the client's is 4.01 (%d)",
	    rep.code);
	check(rep.diag[0] != '\0' && rep.body == NULL, "4.01 diagnostic: %s",
	    rep.diag);
	dots_reply_clear(&rep);

	put_mit(4, "192.0.2.128/26", 2, 0, &rep);
	sc = scope0(&rep);
	check(rep.code == 201 && sc != NULL && sc->lifetime == 2,
	    "PUT mid 4 with lifetime 2 is 2.01, lifetime 2");
	dots_reply_clear(&rep);
	get_mit(4, true, 'n', &rep);
	check(rep.code == 205, "GET mid 4 right away is 2.05 (%d)", rep.code);
	dots_reply_clear(&rep);
	sleep(4);
	get_mit(4, true, 0, &rep);
	check(rep.code == 404, "GET mid 4 after its lifetime is 4.04 (%d)",
	    rep.code);
	dots_reply_clear(&rep);

	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_DELETE,
	    .has_id = true, .id = 1 };
	call("DELETE /config/sid=1", &r, &rep);
	check(rep.code == 202, "DELETE /config/sid=1 is 2.02 (%d)", rep.code);
	dots_reply_clear(&rep);
}

/* A GET answer larger than a datagram comes in Block2 blocks. */
static void
scenario_blocks(void)
{
	struct dots_request r;
	struct dots_reply rep;
	char pfx[32];
	int i, created = 0, deleted = 0;

	for (i = 0; i < NBLOCKS; i++) {
		snprintf(pfx, sizeof(pfx), "192.0.2.%d/32", 160 + i);
		put_mit(100 + (uint32_t)i, pfx, 3600, 0, &rep);
		created += rep.code == 201;
		dots_reply_clear(&rep);
	}
	check(created == NBLOCKS, "%d mitigations created", created);
	get_mit(0, false, 0, &rep);
	check(rep.code == 205 && rep.error == 0 && rep.body != NULL &&
	    rep.body->mitigation.n_scope == NBLOCKS, "GET all: 2.05 with %d "
	    "scopes, reassembled", rep.body ? (int)rep.body->mitigation.n_scope :
	    0);
	dots_reply_clear(&rep);
	for (i = 0; i < NBLOCKS; i++) {
		r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_DELETE,
		    .has_id = true, .id = 100 + (uint32_t)i };
		dots_client_call(cl, &r, &rep);
		deleted += rep.code == 202;
		dots_reply_clear(&rep);
	}
	check(deleted == NBLOCKS, "%d mitigations withdrawn", deleted);
}

static int
main_scenario(const char *host, int port, const char *dir,
    const char *client, const char *cuid, bool tls)
{
	char err[256];

	cl = make_client(host, port, dir, client, NULL, tls);
	check(strcmp(dots_client_cuid(cl), cuid) == 0, "cuid %s derived from "
	    "the certificate is dots-certs.sh's %s", dots_client_cuid(cl),
	    cuid);
	check(dots_client_connect(cl, err, sizeof(err)) == 0,
	    "connected over %s%s%s", tls ? "TLS" : "DTLS", err[0] ? ": " : "",
	    err[0] ? err : "");
	check(n_up == 1 && dots_client_is_up(cl), "one UP event");
	if (!dots_client_is_up(cl))
		return 1;
	scenario_config();
	scenario_lifecycle();
	scenario_misc();
	scenario_blocks();
	dots_client_free(cl);
	return 0;
}

/* --- refused: a certificate the server or we refuse -------------------- */

static int
refused_scenario(const char *host, int port, const char *dir,
    const char *client, const char *server_name)
{
	char err[256] = "";

	cl = make_client(host, port, dir, client, server_name, false);
	check(dots_client_connect(cl, err, sizeof(err)) != 0,
	    "the connection is refused");
	check(err[0] != '\0', "with a reason: %s", err);
	if (server_name != NULL)
		check(strstr(err, server_name) != NULL, "the reason names %s",
		    server_name);
	check(!dots_client_is_up(cl) && n_up == 0, "never up");
	dots_client_free(cl);
	return 0;
}

/* --- restart: kill -9 of dotsd during an active mitigation ------------- */

static bool
answered(void *arg)
{
	(void)arg;
	return n_obs > 0;
}

static int
restart_scenario(const char *host, int port, const char *dir,
    const char *client, const char *flag)
{
	struct dots_request r;
	struct dots_reply rep;
	const struct dots_scope *sc;
	uint64_t start = 0, obs_id;
	char err[256], path[1024];
	double end;
	FILE *f;
	int tries = 0;

	cl = make_client(host, port, dir, client, NULL, false);
	if (dots_client_connect(cl, err, sizeof(err)) != 0) {
		check(false, "connect: %s", err);
		return 1;
	}
	/* lose the session after 3 unanswered heartbeats, 1 s apart */
	dots_client_set_heartbeat(cl, 1, 3);
	put_mit(10, "192.0.2.0/25", 3600, 0, &rep);
	check(rep.code == 201, "PUT mid 10 is 2.01 (%d)", rep.code);
	dots_reply_clear(&rep);
	get_mit(10, true, 0, &rep);
	if ((sc = scope0(&rep)) != NULL)
		start = sc->mitigation_start;
	check(rep.code == 205 && start != 0, "mid 10 started at %llu",
	    (unsigned long long)start);
	dots_reply_clear(&rep);
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_GET,
	    .has_id = true, .id = 10, .flags = DOTS_REQ_OBSERVE };
	check(dots_client_send(cl, &r, on_notify, NULL, &obs_id) == 0,
	    "observing mid 10");
	check(run_until(answered, NULL, 5) && obs[0].code == 205,
	    "observation registered");

	if ((f = fopen(flag, "w")) != NULL)
		fclose(f);
	printf("  waiting for the session to go down\n");
	fflush(stdout);
	check(run_until(went_down, NULL, 30), "the session went down: %s",
	    down_reason);
	check(strstr(down_reason, "heartbeat") != NULL,
	    "because heartbeats went unanswered");
	snprintf(path, sizeof(path), "%s.down", flag);
	if ((f = fopen(path, "w")) != NULL)
		fclose(f);
	check(n_obs >= 2 && obs[n_obs - 1].error == DOTS_CLIENT_ESESSION,
	    "the observer heard of the lost session");

	n_obs = 0;
	end = now_s() + 30;
	while (now_s() < end) {
		tries++;
		if (dots_client_connect(cl, err, sizeof(err)) == 0)
			break;
		nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
	}
	check(dots_client_is_up(cl), "connected again after %d tries", tries);
	if (!dots_client_is_up(cl))
		return 1;
	check(run_until(answered, NULL, 5) && obs[0].code == 205 &&
	    obs[0].has_observe && obs[0].status == DOTS_STATUS_MITIGATED,
	    "the observation is registered again by itself");

	get_mit(10, true, 0, &rep);
	sc = scope0(&rep);
	check(rep.code == 205 && sc != NULL && sc->mid == 10 &&
	    sc->status == DOTS_STATUS_MITIGATED && sc->mitigation_start ==
	    start, "mid 10 intact after the restart: mitigated, same start");
	dots_reply_clear(&rep);

	dots_client_observe_cancel(cl, obs_id);
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_DELETE,
	    .has_id = true, .id = 10 };
	call("DELETE mid 10", &r, &rep);
	check(rep.code == 202, "DELETE mid 10 is 2.02 (%d)", rep.code);
	dots_reply_clear(&rep);
	dots_client_free(cl);
	return 0;
}

/* --- hb: heartbeats from a server (dots_client_hbsrv.c) ------------- */

static bool
heartbeats_done(void *arg)
{
	(void)arg;
	return n_hb_true >= 1 && hbsrv.answered_204 >= 1 &&
	    hbsrv.answered_400 >= 1 && hbsrv.got_peer_true >= 1;
}

static bool
up(void *arg)
{
	(void)arg;
	return n_up > 0 || n_down > 0;
}

static int
hb_scenario(const char *host, int port, const char *dir, const char *client)
{
	char err[256];

	if (hbsrv_start(dir, (uint16_t)port) != 0) {
		check(false, "heartbeat server on port %d", port);
		return 1;
	}
	also = hbsrv_process;
	cl = make_client(host, port, dir, client, NULL, false);
	check(dots_client_connect_start(cl, err, sizeof(err)) == 0 &&
	    run_until(up, NULL, 10) && n_up == 1, "connected to the "
	    "heartbeat server");
	dots_client_set_heartbeat(cl, 1, 3);
	check(run_until(heartbeats_done, NULL, 10), "heartbeats exchanged");
	check(n_hb == 1 && n_hb_true == 1, "one HEARTBEAT event, "
	    "peer-hb-status true (%d)", n_hb);
	check(hbsrv.answered_204 == hbsrv.sent, "the server's heartbeat is "
	    "answered 2.04");
	check(hbsrv.answered_400 == hbsrv.bad_sent, "one without a body is "
	    "answered 4.00");
	check(hbsrv.got_peer_true >= 1, "our heartbeats then say "
	    "peer-hb-status true (%d of %d)", hbsrv.got_peer_true, hbsrv.got);
	check(n_down == 0, "the session stayed up");
	dots_client_free(cl);
	hbsrv_stop();
	return 0;
}

int
main(int argc, char **argv)
{
	const char *arg;
	int port;

	if (argc != 7 && argc != 8) {
		fprintf(stderr, "usage: %s main|refused|restart|hb HOST PORT "
		    "CERTDIR CLIENT CUID [ARG]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	port = atoi(argv[3]);
	arg = argc == 8 ? argv[7] : NULL;
	if (strcmp(argv[1], "main") == 0)
		main_scenario(argv[2], port, argv[4], argv[5], argv[6],
		    arg != NULL && strcmp(arg, "tls") == 0);
	else if (strcmp(argv[1], "refused") == 0)
		refused_scenario(argv[2], port, argv[4], argv[5], arg);
	else if (strcmp(argv[1], "hb") == 0)
		hb_scenario(argv[2], port, argv[4], argv[5]);
	else if (strcmp(argv[1], "restart") == 0 && arg != NULL)
		restart_scenario(argv[2], port, argv[4], argv[5], arg);
	else {
		fprintf(stderr, "unknown scenario %s\n", argv[1]);
		return 2;
	}
	printf("%d checks, %d failed\n", checks, fails);
	return fails == 0 ? 0 : 1;
}
