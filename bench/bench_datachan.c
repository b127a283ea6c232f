/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_datachan: a load generator for dotsd's data channel (RFC 8783,
 * RESTCONF over HTTPS with mutual TLS), with libcurl.
 * bench/bench_datachan.sh starts dotsd and runs it:
 *
 *	bench_datachan URL CERTDIR CLIENT CUID DOTSD_PID [RUNS [N [FILL]]]
 *
 * URL is https://HOST:PORT; CERTDIR holds ca.pem, CLIENT.pem and
 * CLIENT-key.pem (scripts/dots-certs.sh).  Each run, for 1, 4 and 16
 * connections: each connection is a thread with its own easy handle, kept
 * alive across its requests, and creates its share of N ACLs (POST to
 * dots-client=CUID, one ACL of 2 to 4 ACEs each), then deletes them
 * (DELETE .../acls/acl=NAME).  With 1 connection, N/20 ACLs only: a lone
 * client's writes are slow enough (a loop turn each) to dominate the run.  Then FILL ACLs are created over 4
 * connections, dotsd's VmRSS is read from /proc, and they are deleted.
 *
 * Each phase prints its rate (2xx answers per second of the phase), the
 * p50/p99 of its requests' times (curl_easy_perform, 2xx only), every
 * non-2xx answer by status, transport failures, and the connections
 * opened (one a thread if keep-alive holds); the filling phases also the
 * p50 of their first and last tenths.  At the end, the median over
 * the runs of each figure, the slowest run's rate and the worst p99.
 * Nothing is asserted; the exit status is 0 even with errors, which are
 * printed.
 */
#define _POSIX_C_SOURCE 200809L

#include <curl/curl.h>
#include <pthread.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#define DC_PATH		"/restconf/data/ietf-dots-data-channel:dots-data"
#define MAX_CONNS	16
#define MAX_RUNS	100
#define N_CONFIGS	3
#define N_STATUS	600	/* HTTP status codes counted */
#define FILL_CONNS	4
#define BODY_MAX	4096
#define REQ_TIMEOUT_S	30L

static const int conns_of[N_CONFIGS] = { 1, 4, 16 };

enum phase { PH_CREATE, PH_DELETE, N_PHASES };

static const char *const phase_name[N_PHASES] = { "create", "delete" };

/* The figures of one phase of one run. */
struct result {
	double		 rate;		/* 2xx answers per second */
	double		 p50, p99;	/* ms */
	double		 p50_first, p50_last;	/* first, last tenth */
	unsigned long	 ok, non2xx, failed, conns;
};

/* A thread: one connection, its share of the ACLs of a phase. */
struct worker {
	pthread_t	 tid;
	CURL		*h;
	struct curl_slist *hdrs;
	int		 run, config, idx;
	size_t		 n;		/* ACLs of this worker */
	bool		*created;	/* [n]: the POST was answered 2xx */
	double		*lat[N_PHASES];	/* [n], ms, 2xx only */
	size_t		 n_lat[N_PHASES];
	double		 t0[N_PHASES], t1[N_PHASES];	/* ns */
	unsigned long	 status[N_PHASES][N_STATUS];
	unsigned long	 failed[N_PHASES];
	unsigned long	 conns[N_PHASES];
	char		 err[N_PHASES][256];	/* first failure, for the log */
	char		*resp;		/* body of the last answer */
	size_t		 resp_len;
};

static const char	*base_url, *certdir, *client, *cuid;
static long		 dotsd_pid;
/* start: connected; mid: all created; del: go on deleting. */
static pthread_barrier_t start_bar, mid_bar, del_bar;

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL)
		die("out of memory");
	return p;
}

/* Keep the answer's body: the first error is printed with it. */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct worker *w = arg;
	size_t n = size * nmemb;
	char *p;

	if ((p = realloc(w->resp, w->resp_len + n + 1)) == NULL)
		return 0;	/* curl fails the transfer: counted */
	memcpy(p + w->resp_len, data, n);
	w->resp = p;
	w->resp_len += n;
	p[w->resp_len] = '\0';
	return n;
}

static void
setopt_or_die(CURLcode rc, const char *what)
{
	if (rc != CURLE_OK)
		die("curl_easy_setopt(%s): %s", what, curl_easy_strerror(rc));
}

#define SETOPT(h, opt, val) \
	setopt_or_die(curl_easy_setopt((h), (opt), (val)), #opt)

/*
 * One easy handle for the whole life of the worker: libcurl keeps its
 * connection open between transfers (HTTP/1.1 keep-alive) and caches the
 * TLS session, so only the warm-up request makes a handshake.
 */
static void
worker_open(struct worker *w)
{
	char path[1024];

	if ((w->h = curl_easy_init()) == NULL)
		die("curl_easy_init failed");
	/* No "Expect: 100-continue" (curl's default above 1 KiB): it would
	 * add a round trip per POST that measures curl, not dotsd. */
	if ((w->hdrs = curl_slist_append(NULL,
	    "Content-Type: application/yang-data+json")) == NULL ||
	    (w->hdrs = curl_slist_append(w->hdrs,
	    "Accept: application/yang-data+json")) == NULL ||
	    (w->hdrs = curl_slist_append(w->hdrs, "Expect:")) == NULL)
		die("curl_slist_append failed");
	SETOPT(w->h, CURLOPT_HTTPHEADER, w->hdrs);
	snprintf(path, sizeof(path), "%s/ca.pem", certdir);
	SETOPT(w->h, CURLOPT_CAINFO, path);
	/* Our CA only, not also Debian's built-in /etc/ssl/certs. */
	SETOPT(w->h, CURLOPT_CAPATH, (char *)NULL);
	snprintf(path, sizeof(path), "%s/%s.pem", certdir, client);
	SETOPT(w->h, CURLOPT_SSLCERT, path);
	snprintf(path, sizeof(path), "%s/%s-key.pem", certdir, client);
	SETOPT(w->h, CURLOPT_SSLKEY, path);
	SETOPT(w->h, CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(w->h, CURLOPT_WRITEDATA, w);
	SETOPT(w->h, CURLOPT_NOSIGNAL, 1L);
	SETOPT(w->h, CURLOPT_TIMEOUT, REQ_TIMEOUT_S);
	SETOPT(w->h, CURLOPT_TCP_NODELAY, 1L);
}

static void
worker_close(struct worker *w)
{
	int p;

	curl_easy_cleanup(w->h);
	curl_slist_free_all(w->hdrs);
	free(w->created);
	for (p = 0; p < N_PHASES; p++)
		free(w->lat[p]);
	free(w->resp);
}

/* Runs of white space in @p s made one space: a body fits a log line. */
static void
squash(char *s)
{
	char *d = s;
	bool sp = false;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') {
			sp = true;
			continue;
		}
		if (sp)
			*d++ = ' ';
		sp = false;
		*d++ = *s;
	}
	*d = '\0';
}

/*
 * One request.  Returns the HTTP status, 0 if no answer came.  A 2xx
 * answer adds its time to the phase's samples; anything else is counted
 * and the first one of the phase is kept for the log.
 */
static long
request(struct worker *w, int ph, const char *method, const char *path,
    const char *body)
{
	char url[1024];
	long code = 0, nconn = 0;
	CURLcode rc;
	double t0, t1;

	snprintf(url, sizeof(url), "%s%s", base_url, path);
	SETOPT(w->h, CURLOPT_URL, url);
	if (body != NULL) {
		SETOPT(w->h, CURLOPT_POSTFIELDS, body);
		SETOPT(w->h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else {
		SETOPT(w->h, CURLOPT_HTTPGET, 1L);	/* no body */
	}
	SETOPT(w->h, CURLOPT_CUSTOMREQUEST, method);
	w->resp_len = 0;
	if (w->resp != NULL)
		w->resp[0] = '\0';
	t0 = now_ns();
	rc = curl_easy_perform(w->h);
	t1 = now_ns();
	if (rc == CURLE_OK &&
	    (curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE, &code) !=
	    CURLE_OK || curl_easy_getinfo(w->h, CURLINFO_NUM_CONNECTS,
	    &nconn) != CURLE_OK))
		die("curl_easy_getinfo failed");
	if (ph < 0)
		return rc == CURLE_OK ? code : 0;
	w->conns[ph] += (unsigned long)nconn;
	if (rc != CURLE_OK) {
		if (w->failed[ph]++ == 0)
			snprintf(w->err[ph], sizeof(w->err[ph]), "%s %s: %s",
			    method, path, curl_easy_strerror(rc));
		return 0;
	}
	w->status[ph][code > 0 && code < N_STATUS ? code : 0]++;
	if (code >= 200 && code < 300)
		w->lat[ph][w->n_lat[ph]++] = (t1 - t0) / 1e6;
	else if (w->err[ph][0] == '\0') {
		snprintf(w->err[ph], sizeof(w->err[ph]), "%s %s: %ld %.160s",
		    method, path, code, w->resp != NULL ? w->resp : "");
		squash(w->err[ph]);
	}
	return code;
}

static void
acl_name(const struct worker *w, size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "bench-r%d-c%d-w%d-%zu", w->run, w->config,
	    w->idx, i);
}

/*
 * An ACL of 2 to 4 ACEs, as the offload draft's source-port example (UDP
 * reflection from well-known ports towards one host of the client's
 * 192.0.2.0/24), in the standard spellings of RFC 8519/8783.
 */
static void
acl_body(const char *name, size_t i, char *buf, size_t len)
{
	static const struct { const char *what; int port; } refl[] = {
		{ "dns", 53 }, { "ntp", 123 }, { "ssdp", 1900 },
		{ "cldap", 389 },
	};
	size_t k, n_ace = 2 + i % 3, off;
	int host = (int)(i % 254) + 1;

	off = (size_t)snprintf(buf, len,
	    "{\"ietf-dots-data-channel:acls\":{\"acl\":[{\"name\":\"%s\","
	    "\"type\":\"ietf-access-control-list:ipv4-acl-type\","
	    "\"activation-type\":\"activate-when-mitigating\","
	    "\"aces\":{\"ace\":[", name);
	for (k = 0; k < n_ace && off < len; k++)
		off += (size_t)snprintf(buf + off, len - off,
		    "%s{\"name\":\"%s-%s-amp\",\"matches\":{\"ipv4\":{"
		    "\"destination-ipv4-network\":\"192.0.2.%d/32\","
		    "\"protocol\":17},\"udp\":{"
		    "\"source-port-range-or-operator\":{\"operator\":\"eq\","
		    "\"port\":%d}}},\"actions\":{\"forwarding\":"
		    "\"ietf-access-control-list:drop\"}}",
		    k ? "," : "", name, refl[k].what, host, refl[k].port);
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, "]}}]}}");
	if (off >= len)
		die("ACL body longer than %d bytes", BODY_MAX);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	char name[128], path[512], body[BODY_MAX];
	size_t i;

	/* The handshake, before the clock starts. */
	snprintf(path, sizeof(path), "%s/capabilities", DC_PATH);
	if (request(w, -1, "GET", path, NULL) != 200)
		die("warm-up GET %s failed", path);
	pthread_barrier_wait(&start_bar);
	w->t0[PH_CREATE] = now_ns();
	for (i = 0; i < w->n; i++) {
		acl_name(w, i, name, sizeof(name));
		acl_body(name, i, body, sizeof(body));
		snprintf(path, sizeof(path), "%s/dots-client=%s", DC_PATH,
		    cuid);
		w->created[i] = request(w, PH_CREATE, "POST", path, body) /
		    100 == 2;
	}
	w->t1[PH_CREATE] = now_ns();
	pthread_barrier_wait(&mid_bar);
	pthread_barrier_wait(&del_bar);
	w->t0[PH_DELETE] = now_ns();
	for (i = 0; i < w->n; i++) {
		if (!w->created[i])
			continue;
		acl_name(w, i, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/dots-client=%s/acls/acl=%s",
		    DC_PATH, cuid, name);
		request(w, PH_DELETE, "DELETE", path, NULL);
	}
	w->t1[PH_DELETE] = now_ns();
	return NULL;
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

/* dotsd's resident set, KiB, from /proc/PID/status. */
static long
rss_kib(void)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", dotsd_pid);
	if ((f = fopen(path, "r")) == NULL)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	if (kib < 0)
		die("%s: no VmRSS", path);
	return kib;
}

static void
print_errors(struct worker *ws, int nw, int ph, const struct result *r)
{
	int i, k;

	if (r->non2xx == 0 && r->failed == 0)
		return;
	printf("    errors:");
	for (k = 0; k < N_STATUS; k++) {
		unsigned long n = 0;

		if (k >= 200 && k < 300)
			continue;
		for (i = 0; i < nw; i++)
			n += ws[i].status[ph][k];
		if (n > 0)
			printf(" %lu x %d", n, k);
	}
	if (r->failed > 0)
		printf(" %lu without answer", r->failed);
	printf("\n");
	for (i = 0; i < nw; i++)
		if (ws[i].err[ph][0] != '\0') {
			printf("    first: %s\n", ws[i].err[ph]);
			break;
		}
}

/* The figures of phase ph, from its workers' samples. */
static struct result
collect(struct worker *ws, int nw, int ph)
{
	struct result r = { 0 };
	double t0 = ws[0].t0[ph], t1 = ws[0].t1[ph], *all;
	size_t n = 0;
	int i, k;

	for (i = 0; i < nw; i++) {
		n += ws[i].n_lat[ph];
		if (ws[i].t0[ph] < t0)
			t0 = ws[i].t0[ph];
		if (ws[i].t1[ph] > t1)
			t1 = ws[i].t1[ph];
		for (k = 0; k < N_STATUS; k++)
			if (k >= 200 && k < 300)
				r.ok += ws[i].status[ph][k];
			else
				r.non2xx += ws[i].status[ph][k];
		r.failed += ws[i].failed[ph];
		r.conns += ws[i].conns[ph];
	}
	all = xcalloc(n ? n : 1, sizeof(*all));
	for (n = 0, i = 0; i < nw; i++) {
		memcpy(all + n, ws[i].lat[ph], ws[i].n_lat[ph] * sizeof(*all));
		n += ws[i].n_lat[ph];
	}
	r.rate = t1 > t0 ? (double)r.ok / ((t1 - t0) / 1e9) : 0;
	r.p50 = pctl(all, n, 50);
	r.p99 = pctl(all, n, 99);
	free(all);
	return r;
}

/*
 * p50 of the first (or last) tenth of each worker's requests of phase
 * ph: how the time of a request changes as the store fills.
 */
static double
tenth_p50(struct worker *ws, int nw, int ph, bool last)
{
	size_t n = 0, k, m;
	double p, *v;
	int i;

	for (i = 0; i < nw; i++)
		n += ws[i].n_lat[ph];
	v = xcalloc(n + 1, sizeof(*v));
	for (n = 0, i = 0; i < nw; i++) {
		m = ws[i].n_lat[ph] / 10;
		for (k = 0; k < m; k++)
			v[n++] = ws[i].lat[ph][last ? ws[i].n_lat[ph] - m + k :
			    k];
	}
	p = pctl(v, n, 50);
	free(v);
	return p;
}

static void
print_result(const char *label, const struct result *r)
{
	printf("  %-28s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  "
	    "%lu ok, %lu non-2xx, %lu failed, %lu new connections\n",
	    label, r->rate, r->p50, r->p99, r->ok, r->non2xx, r->failed,
	    r->conns);
}

/*
 * nw connections create and delete n ACLs in all; res[PH_CREATE] and
 * res[PH_DELETE] get the figures.  With rss, dotsd's VmRSS (KiB) is read
 * while they are all stored.
 */
static void
phase_pair(int run, int config, int nw, size_t n, struct result *res,
    long *rss)
{
	struct worker ws[MAX_CONNS];
	char label[64];
	int i, ph, rc;

	memset(ws, 0, sizeof(ws));
	if (pthread_barrier_init(&start_bar, NULL, (unsigned)nw + 1) != 0 ||
	    pthread_barrier_init(&mid_bar, NULL, (unsigned)nw + 1) != 0 ||
	    pthread_barrier_init(&del_bar, NULL, (unsigned)nw + 1) != 0)
		die("pthread_barrier_init failed");
	for (i = 0; i < nw; i++) {
		struct worker *w = &ws[i];

		w->run = run;
		w->config = config;
		w->idx = i;
		w->n = n / (size_t)nw + ((size_t)i < n % (size_t)nw);
		w->created = xcalloc(w->n ? w->n : 1, sizeof(bool));
		for (ph = 0; ph < N_PHASES; ph++)
			w->lat[ph] = xcalloc(w->n ? w->n : 1, sizeof(double));
		worker_open(w);
		if ((rc = pthread_create(&w->tid, NULL, worker_main, w)) != 0)
			die("pthread_create: %s", strerror(rc));
	}
	pthread_barrier_wait(&start_bar);
	/* Past mid_bar every worker is done creating, and none deletes
	 * before del_bar: all the ACLs are stored in between. */
	pthread_barrier_wait(&mid_bar);
	if (rss != NULL)
		*rss = rss_kib();
	pthread_barrier_wait(&del_bar);
	for (i = 0; i < nw; i++)
		if ((rc = pthread_join(ws[i].tid, NULL)) != 0)
			die("pthread_join: %s", strerror(rc));
	for (ph = 0; ph < N_PHASES; ph++) {
		res[ph] = collect(ws, nw, ph);
		snprintf(label, sizeof(label), "%s, %d connection%s",
		    phase_name[ph], nw, nw > 1 ? "s" : "");
		print_result(label, &res[ph]);
		print_errors(ws, nw, ph, &res[ph]);
		res[ph].p50_first = tenth_p50(ws, nw, ph, false);
		res[ph].p50_last = tenth_p50(ws, nw, ph, true);
		if (rss != NULL)
			printf("    p50 %.2f ms over the first tenth, %.2f ms "
			    "over the last\n", res[ph].p50_first,
			    res[ph].p50_last);
	}
	for (i = 0; i < nw; i++)
		worker_close(&ws[i]);
	pthread_barrier_destroy(&start_bar);
	pthread_barrier_destroy(&mid_bar);
	pthread_barrier_destroy(&del_bar);
}

/* POST dots-client: 201, or 409 if an earlier invocation did it. */
static void
register_client(void)
{
	struct worker w;
	char body[256];
	long code;

	memset(&w, 0, sizeof(w));
	worker_open(&w);
	snprintf(body, sizeof(body),
	    "{\"ietf-dots-data-channel:dots-client\":[{\"cuid\":\"%s\"}]}",
	    cuid);
	code = request(&w, -1, "POST", DC_PATH, body);
	if (code != 201 && code != 409)
		die("registration: %ld %s", code, w.resp ? w.resp : "");
	worker_close(&w);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median over the runs of each figure, slowest rate, worst p99. */
static void
summarize(const char *label, struct result *r, int runs)
{
	double rate[MAX_RUNS], p50[MAX_RUNS], p99[MAX_RUNS], slow, worst;
	unsigned long non2xx = 0, failed = 0;
	int i;

	slow = r[0].rate;
	worst = r[0].p99;
	for (i = 0; i < runs; i++) {
		rate[i] = r[i].rate;
		p50[i] = r[i].p50;
		p99[i] = r[i].p99;
		if (r[i].rate < slow)
			slow = r[i].rate;
		if (r[i].p99 > worst)
			worst = r[i].p99;
		non2xx += r[i].non2xx;
		failed += r[i].failed;
	}
	printf("| %s | %.0f req/s | %.0f req/s | %.2f / %.2f ms | %.2f ms "
	    "| %lu / %lu |\n", label, median(rate, runs), slow,
	    median(p50, runs), median(p99, runs), worst, non2xx, failed);
}

/* Median over the runs of the p50 of the first and last tenths. */
static void
summarize_tenths(const char *label, struct result *r, int runs)
{
	double first[MAX_RUNS], last[MAX_RUNS];
	int i;

	for (i = 0; i < runs; i++) {
		first[i] = r[i].p50_first;
		last[i] = r[i].p50_last;
	}
	printf("%s: p50 %.2f ms over the first tenth, %.2f ms over the "
	    "last (medians)\n", label, median(first, runs),
	    median(last, runs));
}

int
main(int argc, char **argv)
{
	static struct result res[N_CONFIGS + 1][N_PHASES][MAX_RUNS];
	double rss[MAX_RUNS], grow[MAX_RUNS];
	char label[64];
	long rss0, rss_full;
	char body[BODY_MAX];
	size_t n = 2000, n1, fill = 10000, i, bmin = BODY_MAX, bmax = 0;
	int runs = 5, run, c, ph;
	CURLcode rc;

	bench_name = "bench_datachan";
	setvbuf(stdout, NULL, _IOLBF, 0);	/* progress, also into a file */
	if (argc < 6 || argc > 9)
		die("usage: bench_datachan URL CERTDIR CLIENT CUID DOTSD_PID "
		    "[RUNS [N [FILL]]]");
	base_url = argv[1];
	certdir = argv[2];
	client = argv[3];
	cuid = argv[4];
	dotsd_pid = strtol(argv[5], NULL, 10);
	if (argc > 6)
		runs = atoi(argv[6]);
	if (argc > 7)
		n = strtoul(argv[7], NULL, 10);
	if (argc > 8)
		fill = strtoul(argv[8], NULL, 10);
	if (runs < 1 || runs > MAX_RUNS || n < 1 || fill < 1)
		die("RUNS 1..%d, N and FILL at least 1", MAX_RUNS);
	n1 = n / 20 ? n / 20 : 1;
	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK)
		die("curl_global_init: %s", curl_easy_strerror(rc));

	for (i = 0; i < 3; i++) {
		acl_body("bench-r0-c0-w0-0", i, body, sizeof(body));
		if (strlen(body) < bmin)
			bmin = strlen(body);
		if (strlen(body) > bmax)
			bmax = strlen(body);
	}
	printf("ACL bodies: 2 to 4 ACEs, %zu to %zu bytes\n", bmin, bmax);
	register_client();
	rss0 = rss_kib();
	printf("dotsd VmRSS, client registered, no ACL: %ld KiB\n", rss0);
	for (run = 0; run < runs; run++) {
		printf("run %d of %d (%zu ACLs a phase, %zu with 1 "
		    "connection; %zu to fill)\n", run + 1, runs, n, n1, fill);
		for (c = 0; c < N_CONFIGS; c++) {
			struct result pair[N_PHASES];

			phase_pair(run, c, conns_of[c], conns_of[c] == 1 ?
			    n1 : n, pair, NULL);
			for (ph = 0; ph < N_PHASES; ph++)
				res[c][ph][run] = pair[ph];
		}
		{
			struct result pair[N_PHASES];

			phase_pair(run, N_CONFIGS, FILL_CONNS, fill, pair,
			    &rss_full);
			for (ph = 0; ph < N_PHASES; ph++)
				res[N_CONFIGS][ph][run] = pair[ph];
		}
		rss[run] = (double)rss_full;
		grow[run] = (double)(rss_full - rss0) * 1024 / (double)fill;
		printf("  dotsd VmRSS with %zu ACLs stored: %ld KiB "
		    "(%.0f bytes an ACL over the first reading)\n", fill,
		    rss_full, grow[run]);
	}

	printf("\nmedian of %d runs | median | slowest run | p50 / p99 "
	    "(medians) | worst p99 | non-2xx / no answer (all runs)\n",
	    runs);
	printf("| --- | --- | --- | --- | --- | --- |\n");
	for (c = 0; c <= N_CONFIGS; c++)
		for (ph = 0; ph < N_PHASES; ph++) {
			if (c < N_CONFIGS)
				snprintf(label, sizeof(label),
				    "%s, %d connection%s", phase_name[ph],
				    conns_of[c], conns_of[c] > 1 ? "s" : "");
			else
				snprintf(label, sizeof(label),
				    "%s %zu, %d connections", phase_name[ph],
				    fill, FILL_CONNS);
			summarize(label, res[c][ph], runs);
		}
	for (ph = 0; ph < N_PHASES; ph++) {
		snprintf(label, sizeof(label), "%s %zu, %d connections",
		    phase_name[ph], fill, FILL_CONNS);
		summarize_tenths(label, res[N_CONFIGS][ph], runs);
	}
	printf("dotsd VmRSS with %zu ACLs stored: median %.0f KiB "
	    "(%ld KiB before the first run; median %.0f bytes an ACL)\n",
	    fill, median(rss, runs), rss0, median(grow, runs));
	curl_global_cleanup();
	return 0;
}
