/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_dotsd: a client-side load generator for a running dotsd, over
 * DTLS with libcoap's client API (one coap_context, many sessions).
 * bench/run_dotsd_bench.sh starts dotsd and runs it:
 *
 *	bench_dotsd HOST PORT CERTDIR CLIENT CUID DOTSD_PID [MEASUREMENTS]
 *
 * MEASUREMENTS: the digits of those to run (default all, 12345): 1 PUT
 * round trips on one session, 2 durable PUT throughput with 8 and 32
 * sessions, 3 GET throughput, 4 new sessions per second, 5 RSS per idle
 * session (1000 sessions held at the end).
 *
 * CERTDIR holds ca.pem, CLIENT.pem and CLIENT-key.pem (scripts/dots-certs.sh).
 * Each measurement is repeated RUNS times; it prints the median over the
 * runs of the rate and the p50/p99 of the per-request round trips (send to
 * response, matched by token), then a markdown summary.  Requests are NON,
 * Content-Format 271 (application/dots+cbor).
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <coap3/coap.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <dots/cbor.h>
#include <dots/model.h>

#include "bench_util.h"

#define RUNS		5
#define CF_DOTS_CBOR	271
#define MID_SPACE	60000u	/* below the server's max-mitigations */
#define PENDING_SLOTS	4096
#define REQ_TIMEOUT	2.0	/* s: a request without a response is lost */

struct sess {
	coap_session_t	*s;
	int		 outstanding;
	bool		 up;
	bool		 failed;
	bool		 done;		/* sessions/s: its GET was answered */
};

struct pending {
	uint64_t	 tok;
	double		 t0;
	struct sess	*ss;
	bool		 used;
};

static coap_context_t	*ctx;
static coap_address_t	 dst;
static coap_dtls_pki_t	 pki;
static uint8_t		*ca_pem, *cert_pem, *key_pem;
static size_t		 ca_len, cert_len, key_len;
static const char	*cuid;
static long		 dotsd_pid;

static struct pending	 pend[PENDING_SLOTS];
static uint64_t		 next_tok = 1;
static uint32_t		 next_mid;
static unsigned long	 n_ok, n_err, n_lost;
static double		*lat;		/* round trips of this measurement, ms */
static size_t		 n_lat, cap_lat;

/* The whole of @p path, NUL-terminated as libcoap wants PEM buffers. */
static uint8_t *
slurp(const char *dir, const char *name, size_t *len)
{
	char path[1024];
	uint8_t *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		die("%s: %s", path, strerror(errno));
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: cannot read", path);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n + 1;
	return buf;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
lat_add(double ms)
{
	if (n_lat == cap_lat) {
		cap_lat = cap_lat ? cap_lat * 2 : 4096;
		lat = realloc(lat, cap_lat * sizeof(*lat));
		if (lat == NULL) {
			perror("realloc");
			exit(1);
		}
	}
	lat[n_lat++] = ms;
}

/* Percentile p (0..100) of v[0..n), sorting v. */
static double
pctl(double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static coap_response_t
on_response(coap_session_t *s, const coap_pdu_t *sent,
    const coap_pdu_t *rcvd, const coap_mid_t id)
{
	coap_bin_const_t t = coap_pdu_get_token(rcvd);
	uint64_t tok = 0;
	struct pending *p;
	size_t i;

	(void)s;
	(void)sent;
	(void)id;
	for (i = 0; i < t.length && i < 8; i++)
		tok = tok << 8 | t.s[i];
	p = &pend[tok % PENDING_SLOTS];
	if (!p->used || p->tok != tok)
		return COAP_RESPONSE_OK;	/* late, or not ours */
	p->used = false;
	p->ss->outstanding--;
	p->ss->done = true;
	if (COAP_RESPONSE_CLASS(coap_pdu_get_code(rcvd)) == 2) {
		n_ok++;
		lat_add((now() - p->t0) * 1e3);
	} else {
		n_err++;
	}
	return COAP_RESPONSE_OK;
}

static int
on_event(coap_session_t *s, const coap_event_t ev)
{
	struct sess *ss = coap_session_get_app_data(s);

	if (ss == NULL)
		return 0;
	switch (ev) {
	case COAP_EVENT_DTLS_CONNECTED:
		ss->up = true;
		break;
	case COAP_EVENT_DTLS_CLOSED:
	case COAP_EVENT_DTLS_ERROR:
	case COAP_EVENT_SESSION_FAILED:
		ss->failed = true;
		break;
	default:
		break;
	}
	return 0;
}

/* Give up on requests older than REQ_TIMEOUT, freeing their window slot. */
static void
expire(void)
{
	double t = now();
	size_t i;

	for (i = 0; i < PENDING_SLOTS; i++)
		if (pend[i].used && t - pend[i].t0 > REQ_TIMEOUT) {
			pend[i].used = false;
			pend[i].ss->outstanding--;
			n_lost++;
		}
}

static void
sess_open(struct sess *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->s = coap_new_client_session_pki(ctx, NULL, &dst, COAP_PROTO_DTLS,
	    &pki);
	if (ss->s == NULL) {
		ss->failed = true;
		return;
	}
	coap_session_set_app_data(ss->s, ss);
}

static void
sess_close(struct sess *ss)
{
	if (ss->s != NULL) {
		coap_session_set_app_data(ss->s, NULL);
		coap_session_release(ss->s);
		ss->s = NULL;
	}
}

/* Wait until every session of v[0..n) is up or failed; the number up. */
static size_t
wait_up(struct sess *v, size_t n, double limit)
{
	double end = now() + limit;
	size_t i, up;

	for (;;) {
		up = 0;
		for (i = 0; i < n; i++) {
			if (v[i].s != NULL && coap_session_get_state(v[i].s) ==
			    COAP_SESSION_STATE_ESTABLISHED)
				v[i].up = true;
			if (v[i].up || v[i].failed)
				up++;
		}
		if (up == n || now() > end)
			break;
		coap_io_process(ctx, 10);
	}
	for (up = 0, i = 0; i < n; i++)
		up += v[i].up && !v[i].failed;
	return up;
}

static void
add_path(coap_pdu_t *pdu, uint32_t mid, int what)
{
	char seg[64];

	coap_add_option(pdu, COAP_OPTION_URI_PATH, 11,
	    (const uint8_t *)".well-known");
	coap_add_option(pdu, COAP_OPTION_URI_PATH, 4, (const uint8_t *)"dots");
	if (what == 'c') {
		coap_add_option(pdu, COAP_OPTION_URI_PATH, 6,
		    (const uint8_t *)"config");
		return;
	}
	coap_add_option(pdu, COAP_OPTION_URI_PATH, 8,
	    (const uint8_t *)"mitigate");
	snprintf(seg, sizeof(seg), "cuid=%s", cuid);
	coap_add_option(pdu, COAP_OPTION_URI_PATH, strlen(seg),
	    (const uint8_t *)seg);
	snprintf(seg, sizeof(seg), "mid=%u", mid);
	coap_add_option(pdu, COAP_OPTION_URI_PATH, strlen(seg),
	    (const uint8_t *)seg);
}

/* The CBOR body of a PUT of mid: target 10.x.y.z/32 derived from mid. */
static size_t
put_body(uint32_t mid, uint8_t *buf, size_t cap)
{
	struct dots_signal *m = dots_signal_new(DOTS_SIG_MITIGATION);
	struct dots_scope *sc;
	struct dots_prefix *pfx;
	size_t len = 0;

	if (m == NULL || (sc = dots_signal_add_scopes(m, 1)) == NULL ||
	    (pfx = dots_signal_alloc(m, sizeof(*pfx))) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	pfx->family = DOTS_AF_INET4;
	pfx->length = 32;
	pfx->addr[0] = 10;
	pfx->addr[1] = (uint8_t)(mid >> 16);
	pfx->addr[2] = (uint8_t)(mid >> 8);
	pfx->addr[3] = (uint8_t)mid;
	sc->target.prefix = pfx;
	sc->target.n_prefix = 1;
	sc->lifetime = 3600;
	sc->present |= DOTS_SCOPE_LIFETIME;
	if (dots_cbor_encode_signal(m, buf, cap, &len) != DOTS_OK) {
		fprintf(stderr, "dots_cbor_encode_signal failed\n");
		exit(1);
	}
	dots_signal_free(m);
	return len;
}

/* Send one request on ss: 'p' PUT of a new mid, 'g' GET of mid 1,
 * 'c' GET /config. */
static bool
send_req(struct sess *ss, int what)
{
	uint8_t tb[8], body[256];
	uint64_t tok = next_tok++;
	struct pending *p = &pend[tok % PENDING_SLOTS];
	coap_pdu_t *pdu;
	uint32_t mid;
	uint8_t cf[2];
	size_t i, blen;

	if (p->used)
		return false;
	pdu = coap_pdu_init(COAP_MESSAGE_NON,
	    what == 'p' ? COAP_REQUEST_CODE_PUT : COAP_REQUEST_CODE_GET,
	    coap_new_message_id(ss->s), coap_session_max_pdu_size(ss->s));
	if (pdu == NULL)
		return false;
	for (i = 0; i < 8; i++)
		tb[i] = (uint8_t)(tok >> (56 - 8 * i));
	coap_add_token(pdu, 8, tb);
	if (what == 'p') {
		mid = 1 + next_mid++ % MID_SPACE;
		add_path(pdu, mid, 'm');
		cf[0] = CF_DOTS_CBOR >> 8;
		cf[1] = CF_DOTS_CBOR & 0xff;
		coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT, 2, cf);
		blen = put_body(mid, body, sizeof(body));
		coap_add_data(pdu, blen, body);
	} else {
		add_path(pdu, 1, what == 'g' ? 'm' : 'c');
	}
	p->tok = tok;
	p->ss = ss;
	p->used = true;
	p->t0 = now();
	if (coap_send(ss->s, pdu) == COAP_INVALID_MID) {
		p->used = false;
		return false;
	}
	ss->outstanding++;
	return true;
}

static void
reset_counts(void)
{
	memset(pend, 0, sizeof(pend));
	n_ok = n_err = n_lost = 0;
	n_lat = 0;
}

static double
median(double *v, size_t n)
{
	return pctl(v, n, 50);
}

/* --- the measurements ---------------------------------------------------- */

struct result {
	char	name[80];
	double	rate;		/* median over the runs, per second */
	double	rate_p99;	/* p99 (worst-ish) over the runs */
	double	p50, p99;	/* round trips, ms; < 0: not measured */
	char	unit[24];
	unsigned long errors;
};

static struct result results[16];
static size_t n_results;

static void
report(struct result *r)
{
	printf("%-44s median %10.1f %s  slowest run %10.1f", r->name, r->rate,
	    r->unit, r->rate_p99);
	if (r->p50 >= 0)
		printf("  rtt p50 %.3f ms p99 %.3f ms", r->p50, r->p99);
	printf("  errors %lu\n", r->errors);
	fflush(stdout);
	results[n_results++] = *r;
}

/* 1: sequential PUTs on one established session. */
static void
bench_put_latency(size_t n_req)
{
	struct result r = { .p50 = -1 };
	double rates[RUNS], t0, end;
	double *all = NULL;
	size_t n_all = 0, i;
	int run;

	for (run = 0; run < RUNS; run++) {
		struct sess ss;

		reset_counts();
		sess_open(&ss);
		if (wait_up(&ss, 1, 10) != 1) {
			fprintf(stderr, "put-latency: no session\n");
			exit(1);
		}
		t0 = now();
		for (i = 0; i < n_req; i++) {
			if (!send_req(&ss, 'p'))
				break;
			end = now() + REQ_TIMEOUT;
			while (ss.outstanding > 0 && now() < end)
				coap_io_process(ctx, 1);
			expire();
		}
		rates[run] = (double)n_ok / (now() - t0);
		r.errors += n_err + n_lost;
		all = realloc(all, (n_all + n_lat) * sizeof(*all));
		memcpy(all + n_all, lat, n_lat * sizeof(*all));
		n_all += n_lat;
		sess_close(&ss);
		coap_io_process(ctx, 10);
	}
	snprintf(r.name, sizeof(r.name), "PUT latency, 1 session, sequential");
	snprintf(r.unit, sizeof(r.unit), "req/s");
	r.rate = median(rates, RUNS);
	r.rate_p99 = pctl(rates, RUNS, 1);
	r.p50 = pctl(all, n_all, 50);
	r.p99 = pctl(all, n_all, 99);
	free(all);
	report(&r);
}

/* 2 and 3: nsess sessions, each with up to `window` outstanding requests,
 * for `secs` seconds. */
static void
bench_window(int what, size_t nsess, int window, double secs)
{
	struct result r = { .p50 = -1 };
	struct sess *v = calloc(nsess, sizeof(*v));
	double rates[RUNS], t0, end, *all = NULL;
	size_t n_all = 0, i;
	int run;

	for (run = 0; run < RUNS; run++) {
		reset_counts();
		for (i = 0; i < nsess; i++)
			sess_open(&v[i]);
		if (wait_up(v, nsess, 20) != nsess) {
			fprintf(stderr, "window: not all sessions up\n");
			exit(1);
		}
		t0 = now();
		end = t0 + secs;
		while (now() < end) {
			for (i = 0; i < nsess; i++)
				while (v[i].outstanding < window &&
				    send_req(&v[i], what))
					;
			coap_io_process(ctx, 1);
			expire();
		}
		rates[run] = (double)n_ok / (now() - t0);
		/* drain what is still in flight before closing */
		end = now() + 1;
		while (now() < end)
			coap_io_process(ctx, 5);
		r.errors += n_err + n_lost;
		all = realloc(all, (n_all + n_lat) * sizeof(*all));
		memcpy(all + n_all, lat, n_lat * sizeof(*all));
		n_all += n_lat;
		for (i = 0; i < nsess; i++)
			sess_close(&v[i]);
		coap_io_process(ctx, 10);
	}
	snprintf(r.name, sizeof(r.name), "%s, %zu sessions, window %d",
	    what == 'p' ? "durable PUT throughput" : "GET throughput", nsess,
	    window);
	snprintf(r.unit, sizeof(r.unit), "req/s");
	r.rate = median(rates, RUNS);
	r.rate_p99 = pctl(rates, RUNS, 1);
	r.p50 = pctl(all, n_all, 50);
	r.p99 = pctl(all, n_all, 99);
	free(all);
	free(v);
	report(&r);
}

/* 4: sessions opened `par` at a time, each a single GET /config, closed. */
static void
bench_sessions(size_t total, size_t par)
{
	struct result r = { .p50 = -1 };
	struct sess *v = calloc(par, sizeof(*v));
	double rates[RUNS], t0, *all = NULL;
	size_t n_all = 0, opened, finished, i;
	bool *sent = calloc(par, sizeof(*sent));
	int run;

	for (run = 0; run < RUNS; run++) {
		reset_counts();
		t0 = now();
		opened = finished = 0;
		for (i = 0; i < par && opened < total; i++, opened++) {
			sess_open(&v[i]);
			sent[i] = false;
		}
		while (finished < total) {
			coap_io_process(ctx, 1);
			expire();
			for (i = 0; i < par; i++) {
				if (v[i].s == NULL && !v[i].failed)
					continue;
				if (v[i].s != NULL &&
				    coap_session_get_state(v[i].s) ==
				    COAP_SESSION_STATE_ESTABLISHED)
					v[i].up = true;
				if (v[i].up && !sent[i] && !v[i].failed) {
					sent[i] = send_req(&v[i], 'c');
					continue;
				}
				if (!v[i].done && !v[i].failed &&
				    !(sent[i] && v[i].outstanding == 0))
					continue;
				/* answered, lost or failed: next one */
				if (v[i].failed)
					n_err++;
				sess_close(&v[i]);
				finished++;
				memset(&v[i], 0, sizeof(v[i]));
				if (opened < total) {
					sess_open(&v[i]);
					sent[i] = false;
					opened++;
				}
			}
		}
		rates[run] = (double)n_ok / (now() - t0);
		r.errors += n_err + n_lost;
		all = realloc(all, (n_all + n_lat) * sizeof(*all));
		memcpy(all + n_all, lat, n_lat * sizeof(*all));
		n_all += n_lat;
		coap_io_process(ctx, 50);
	}
	snprintf(r.name, sizeof(r.name),
	    "new sessions + GET /config, %zu in parallel", par);
	snprintf(r.unit, sizeof(r.unit), "sess/s");
	r.rate = median(rates, RUNS);
	r.rate_p99 = pctl(rates, RUNS, 1);
	r.p50 = pctl(all, n_all, 50);
	r.p99 = pctl(all, n_all, 99);
	free(all);
	free(sent);
	free(v);
	report(&r);
}

static long
dotsd_rss_kib(void)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", dotsd_pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/*
 * 5: RSS per idle session.  Each run opens `step` more sessions (`par` at
 * a time: handshake, one GET /config) and keeps them, so run k measures
 * the growth of dotsd's RSS from k-1 to k steps held: memory freed by
 * earlier sessions cannot hide the cost of new ones.  All are closed at
 * the end.
 */
static void
bench_idle(size_t step, size_t par)
{
	struct result r = { .p50 = -1 };
	struct sess *v = calloc(step * RUNS, sizeof(*v));
	double per[RUNS], end;
	long before, after;
	size_t i, j, up, total = 0;
	int run;

	if (v == NULL) {
		perror("calloc");
		exit(1);
	}
	for (run = 0; run < RUNS; run++) {
		struct sess *w = v + total;

		reset_counts();
		before = dotsd_rss_kib();
		for (i = 0; i < step; i += par) {
			size_t m = step - i < par ? step - i : par;

			for (j = 0; j < m; j++)
				sess_open(&w[i + j]);
			wait_up(&w[i], m, 20);
			for (j = 0; j < m; j++)
				if (w[i + j].up && !w[i + j].failed)
					send_req(&w[i + j], 'c');
			end = now() + REQ_TIMEOUT;
			for (;;) {
				size_t busy = 0;

				for (j = 0; j < m; j++)
					busy += w[i + j].outstanding > 0;
				if (busy == 0 || now() > end)
					break;
				coap_io_process(ctx, 1);
			}
			expire();
		}
		total += step;
		for (up = 0, i = 0; i < step; i++)
			up += w[i].up && !w[i].failed;
		end = now() + 1;
		while (now() < end)
			coap_io_process(ctx, 10);
		after = dotsd_rss_kib();
		per[run] = up ? (double)(after - before) / (double)up : 0;
		printf("  run %d: %zu more sessions up (%zu held), dotsd VmRSS "
		    "%ld -> %ld KiB\n", run + 1, up, total, before, after);
		if (up < step)
			r.errors += step - up;
	}
	for (i = 0; i < total; i++)
		sess_close(&v[i]);
	end = now() + 2;
	while (now() < end)
		coap_io_process(ctx, 10);
	snprintf(r.name, sizeof(r.name), "RSS per idle session, %zu more "
	    "sessions per run", step);
	snprintf(r.unit, sizeof(r.unit), "KiB");
	r.rate = median(per, RUNS);
	r.rate_p99 = pctl(per, RUNS, 99);
	free(v);
	report(&r);
}

int
main(int argc, char **argv)
{
	struct rlimit rl;
	const char *only;
	size_t i;

	bench_name = "bench_dotsd";
	if (argc != 7 && argc != 8) {
		fprintf(stderr, "usage: %s HOST PORT CERTDIR CLIENT CUID "
		    "DOTSD_PID [MEASUREMENTS]\n", argv[0]);
		return 2;
	}
	only = argc == 8 ? argv[7] : "12345";
	cuid = argv[5];
	dotsd_pid = strtol(argv[6], NULL, 10);
	{
		char name[256];

		ca_pem = slurp(argv[3], "ca.pem", &ca_len);
		snprintf(name, sizeof(name), "%s.pem", argv[4]);
		cert_pem = slurp(argv[3], name, &cert_len);
		snprintf(name, sizeof(name), "%s-key.pem", argv[4]);
		key_pem = slurp(argv[3], name, &key_len);
	}

	/* one UDP socket per client session */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	coap_startup();
	coap_set_log_level(getenv("BENCH_DEBUG") ? LOG_DEBUG : LOG_EMERG);
	coap_dtls_set_log_level(getenv("BENCH_DEBUG") ? LOG_DEBUG : LOG_EMERG);
	coap_address_init(&dst);
	dst.addr.sin.sin_family = AF_INET;
	dst.addr.sin.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &dst.addr.sin.sin_addr) != 1) {
		fprintf(stderr, "%s: not an IPv4 address\n", argv[1]);
		return 1;
	}
	dst.size = sizeof(dst.addr.sin);

	memset(&pki, 0, sizeof(pki));
	pki.version = COAP_DTLS_PKI_SETUP_VERSION;
	pki.verify_peer_cert = 1;
	pki.check_common_ca = 1;
	pki.allow_self_signed = 0;
	pki.allow_expired_certs = 0;
	pki.cert_chain_validation = 1;
	pki.cert_chain_verify_depth = 2;
	pki.check_cert_revocation = 0;
	pki.client_sni = (char *)"localhost";
	/* in memory: given file names, libcoap reads them per handshake */
	pki.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
	pki.pki_key.key.pem_buf.ca_cert = ca_pem;
	pki.pki_key.key.pem_buf.ca_cert_len = ca_len;
	pki.pki_key.key.pem_buf.public_cert = cert_pem;
	pki.pki_key.key.pem_buf.public_cert_len = cert_len;
	pki.pki_key.key.pem_buf.private_key = key_pem;
	pki.pki_key.key.pem_buf.private_key_len = key_len;

	if ((ctx = coap_new_context(NULL)) == NULL) {
		fprintf(stderr, "coap_new_context failed\n");
		return 1;
	}
	coap_context_set_block_mode(ctx, 0);
	coap_register_response_handler(ctx, on_response);
	coap_register_event_handler(ctx, on_event);

	printf("# bench_dotsd: %d runs each; rate median and p99 over runs, "
	    "round trips over all requests\n", RUNS);
	if (strchr(only, '1'))
		bench_put_latency(1000);
	if (strchr(only, '2')) {
		bench_window('p', 8, 4, 5);
		bench_window('p', 32, 4, 5);
	}
	if (strchr(only, '3'))
		bench_window('g', 8, 4, 5);
	if (strchr(only, '4'))
		bench_sessions(200, 8);
	if (strchr(only, '5'))
		bench_idle(200, 50);

	printf("\n| measurement | median | slowest run | unit | rtt p50 ms "
	    "| rtt p99 ms | errors |\n|---|---:|---:|---|---:|---:|---:|\n");
	for (i = 0; i < n_results; i++) {
		struct result *r = &results[i];

		printf("| %s | %.1f | %.1f | %s |", r->name, r->rate,
		    r->rate_p99, r->unit);
		if (r->p50 >= 0)
			printf(" %.3f | %.3f |", r->p50, r->p99);
		else
			printf(" - | - |");
		printf(" %lu |\n", r->errors);
	}
	coap_free_context(ctx);
	coap_cleanup();
	free(lat);
	free(ca_pem);
	free(cert_pem);
	free(key_pem);
	return 0;
}
