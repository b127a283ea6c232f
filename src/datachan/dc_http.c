/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The data channel's HTTPS side: libmicrohttpd (GnuTLS) in external
 * epoll mode, driven by dotsd's loop on its own thread, no threads of
 * its own.  dc_fd() is an epoll descriptor holding each listener's
 * descriptor, so that the loop polls one more fd; dc_run() lets every
 * listener do its work without blocking.
 *
 * Authentication is mutual X.509 against the signal channel's CA and
 * client blocks (RFC 8783 section 8, RFC 9132 section 8): the server
 * asks for a certificate, GnuTLS checks it against the CA, and the
 * client is the configured one its CN or public key names (the same
 * identify callback as the signal channel's), its cuid that of the
 * certificate (src/common/cuid.c).  A peer without a certificate, with
 * one that does not verify, or with one that maps to no client gets no
 * answer: its connection is closed before anything of the request is
 * read.  The identity is looked up again when the request is complete,
 * so a reload in between is seen.
 *
 * Writes answer after the commit: a request that changed the store is
 * suspended (MHD_suspend_connection) with its answer, and dc_release()
 * resumes it once the loop's turn is committed; if the commit failed,
 * the answer becomes a 500.  Reads answer at once.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#include "cuid.h"
#include "dc_int.h"
#include "log.h"

#define DC_LISTEN_MAX	16
#define DC_TIMEOUT_S	60	/* idle connection */
#define DC_QUERY_MAX	1024

struct dc_req {
	struct dc		*dc;
	struct MHD_Connection	*conn;
	char			*buf;
	size_t			 len, cap;
	bool			 too_big;
	bool			 ready;		/* rs waits for the commit */
	struct dc_response	 rs;
	struct dc_req		*next;		/* pending */
	char			 who[DC_NAME_MAX + 1];
};

struct dc {
	struct dc_core		 core;
	struct MHD_Daemon	*mhd[DC_LISTEN_MAX];
	size_t			 nmhd;
	int			 epfd;
	char			*pem[3];	/* ca, cert, key */
	size_t			 max_body;
	dc_identify_fn		 identify;
	void			*identify_arg;
	struct dc_req		*pending;
};

/* Messages a peer can trigger are rate-limited. */
static struct log_rl dc_rl = LOG_RL_INIT(10, 1000);

static char *
read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %m", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    n < 1024 * 1024 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n)
		buf[n] = '\0';
	else {
		free(buf);
		buf = NULL;
		snprintf(err, errlen, "%s: empty or unreadable", path);
	}
	fclose(f);
	return buf;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_rl_msg(&dc_rl, LOG_LVL_DEBUG, "data channel: %s", msg);
}

/* Keys and names are decoded by dc_uri.c: the path stays as sent. */
static size_t
unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/*
 * The configured client of the connection's certificate, or -1.  Its
 * @p peer->cuid is the certificate's.
 */
static int
authenticate(struct dc *dc, struct MHD_Connection *conn,
    struct dc_peer *peer)
{
	const union MHD_ConnectionInfo *ci;
	const gnutls_datum_t *certs;
	gnutls_session_t s;
	gnutls_x509_crt_t crt;
	char cn[256], cuid[CUID_LEN + 1], full[CUID_FULL_LEN + 1];
	size_t cnlen = sizeof(cn);
	unsigned status = 0, n = 0;
	bool have_cn = false;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (ci == NULL || ci->tls_session == NULL)
		return -1;
	s = (gnutls_session_t)ci->tls_session;
	certs = gnutls_certificate_get_peers(s, &n);
	if (certs == NULL || n == 0) {
		log_rl_warnx(&dc_rl, "data channel: refused a connection "
		    "without a client certificate");
		return -1;
	}
	if (gnutls_certificate_verify_peers2(s, &status) != GNUTLS_E_SUCCESS ||
	    status != 0) {
		log_rl_warnx(&dc_rl, "data channel: refused a client "
		    "certificate that does not verify (status 0x%x)", status);
		return -1;
	}
	if (gnutls_x509_crt_init(&crt) == GNUTLS_E_SUCCESS) {
		if (gnutls_x509_crt_import(crt, &certs[0],
		    GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS &&
		    gnutls_x509_crt_get_dn_by_oid(crt,
		    GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &cnlen) ==
		    GNUTLS_E_SUCCESS && strlen(cn) == cnlen)
			have_cn = true;
		gnutls_x509_crt_deinit(crt);
	}
	if (cuid_from_der(certs[0].data, certs[0].size, cuid, sizeof(cuid),
	    full) != 0)
		return -1;
	memset(peer, 0, sizeof(*peer));
	if (dc->identify(dc->identify_arg, have_cn ? cn : NULL, cuid, full,
	    peer) != 0) {
		log_rl_warnx(&dc_rl, "data channel: refused certificate "
		    "CN=%s cuid=%s: no such client configured",
		    have_cn ? cn : "-", cuid);
		return -1;
	}
	snprintf(peer->cuid, sizeof(peer->cuid), "%s", cuid);
	return 0;
}

static enum MHD_Result
queue(struct dc_req *r)
{
	struct dc_response *rs = &r->rs;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = rs->body != NULL ? strlen(rs->body) : 0;

	resp = MHD_create_response_from_buffer(len, rs->body,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	if (rs->ctype != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    rs->ctype);
	if (rs->location != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
		    rs->location);
	if (rs->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    rs->allow);
	ret = MHD_queue_response(r->conn, (unsigned)rs->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
queue_error(struct dc_req *r, int status, const char *tag, const char *msg)
{
	struct dc_error e;

	dc_error_set(&e, status, tag, "%s", msg);
	dc_response_clear(&r->rs);
	r->rs.status = status;
	r->rs.body = dc_error_body(&e);
	r->rs.ctype = "application/yang-data+json";
	return queue(r);
}

struct qbuf {
	char	s[DC_QUERY_MAX];
	size_t	len;
	bool	over;
};

static enum MHD_Result
query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct qbuf *q = cls;
	int n;

	(void)kind;
	n = snprintf(q->s + q->len, sizeof(q->s) - q->len, "%s%s%s%s",
	    q->len > 0 ? "&" : "", key, value != NULL ? "=" : "",
	    value != NULL ? value : "");
	if (n < 0 || (size_t)n >= sizeof(q->s) - q->len)
		q->over = true;
	else
		q->len += (size_t)n;
	return q->over ? MHD_NO : MHD_YES;
}

static void
serve(struct dc *dc, struct dc_req *r, const char *url, const char *method)
{
	struct MHD_Connection *c = r->conn;
	struct dc_request rq;
	struct dc_peer peer;
	struct qbuf q = { .len = 0 };

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_arg, &q);
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url;
	rq.query = q.over ? "too-long" : q.s;
	rq.ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	rq.accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT);
	rq.body = r->buf != NULL ? r->buf : "";
	rq.len = r->len;
	rq.peer = &peer;
	rq.now = time(NULL);
	if (authenticate(dc, c, &peer) != 0) {
		r->rs.status = 0;	/* removed meanwhile: close */
		return;
	}
	snprintf(r->who, sizeof(r->who), "%s", peer.name);
	dc_handle(&dc->core, &rq, &r->rs);
	log_debug("data channel: client %s: %s %s%s%s -> %d", peer.name,
	    method, url, q.len > 0 ? "?" : "", q.s, r->rs.status);
	if (r->rs.note[0] != '\0')
		log_rl_warnx(&dc_rl, "data channel: client %s: %s %s: %s",
		    peer.name, method, url, r->rs.note);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct dc *dc = cls;
	struct dc_req *r = *con_cls;
	struct dc_peer peer;
	const char *clen;

	(void)version;
	if (r == NULL) {
		/* nothing of the request is read from an unknown peer */
		if (authenticate(dc, conn, &peer) != 0)
			return MHD_NO;
		if ((r = calloc(1, sizeof(*r))) == NULL)
			return MHD_NO;
		r->dc = dc;
		r->conn = conn;
		*con_cls = r;
		clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (clen != NULL && strtoull(clen, NULL, 10) > dc->max_body)
			return queue_error(r, 413, "too-big", "request body "
			    "larger than the server accepts");
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (r->len + *upload_size > dc->max_body)
			r->too_big = true;
		if (!r->too_big && r->len + *upload_size + 1 > r->cap) {
			size_t cap = r->len + *upload_size + 1;
			char *nb = realloc(r->buf, cap);

			if (nb == NULL)
				return MHD_NO;
			r->buf = nb;
			r->cap = cap;
		}
		if (!r->too_big) {
			memcpy(r->buf + r->len, upload, *upload_size);
			r->len += *upload_size;
			r->buf[r->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->ready)		/* resumed after the commit */
		return queue(r);
	if (r->too_big)
		return queue_error(r, 413, "too-big", "request body larger "
		    "than the server accepts");
	serve(dc, r, url, method);
	if (r->rs.status == 0)
		return MHD_NO;
	if (!r->rs.wrote)
		return queue(r);
	r->ready = true;
	r->next = dc->pending;
	dc->pending = r;
	MHD_suspend_connection(conn);
	return MHD_YES;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct dc *dc = cls;
	struct dc_req *r = *con_cls, **pp;

	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	for (pp = &dc->pending; *pp != NULL; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	dc_response_clear(&r->rs);
	free(r->buf);
	free(r);
	*con_cls = NULL;
}

bool
dc_release(struct dc *dc, bool committed)
{
	struct dc_req *r;
	bool any = false;

	if (dc == NULL)
		return false;
	while ((r = dc->pending) != NULL) {
		dc->pending = r->next;
		r->next = NULL;
		if (!committed) {
			struct dc_error e;

			dc_error_set(&e, 500, "operation-failed", "the change "
			    "could not be stored");
			dc_response_clear(&r->rs);
			r->rs.status = 500;
			r->rs.body = dc_error_body(&e);
			r->rs.ctype = "application/yang-data+json";
		}
		MHD_resume_connection(r->conn);
		any = true;
	}
	return any;
}

static int
add_listener(struct dc *dc, const struct dc_listen *l, unsigned maxconn,
    char *err, size_t errlen)
{
	const union MHD_DaemonInfo *di;
	struct epoll_event ev;
	unsigned flags = MHD_USE_TLS | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	uint16_t port;
	struct MHD_Daemon *d;

	if (l->ss.ss_family == AF_INET6) {
		flags |= MHD_USE_IPv6;
		port = ntohs(((const struct sockaddr_in6 *)&l->ss)->sin6_port);
	} else
		port = ntohs(((const struct sockaddr_in *)&l->ss)->sin_port);
	d = MHD_start_daemon(flags, port, NULL, NULL, on_request, dc,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&l->ss,
	    MHD_OPTION_HTTPS_MEM_TRUST, dc->pem[0],
	    MHD_OPTION_HTTPS_MEM_CERT, dc->pem[1],
	    MHD_OPTION_HTTPS_MEM_KEY, dc->pem[2],
	    /* BCP 195: TLS 1.2 at least */
	    MHD_OPTION_HTTPS_PRIORITIES,
	    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, dc,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, maxconn,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)DC_TIMEOUT_S,
	    MHD_OPTION_END);
	if (d == NULL) {
		snprintf(err, errlen, "data channel: cannot listen on port %u "
		    "(address in use, not on this host, or a bad "
		    "certificate or key)", port);
		return -1;
	}
	dc->mhd[dc->nmhd++] = d;
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_EPOLL_FD);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if (di == NULL || epoll_ctl(dc->epfd, EPOLL_CTL_ADD, di->epoll_fd,
	    &ev) != 0) {
		snprintf(err, errlen, "data channel: epoll: %m");
		return -1;
	}
	return 0;
}

struct dc *
dc_new(const struct dc_settings *set, char *err, size_t errlen)
{
	struct dc *dc = calloc(1, sizeof(*dc));
	size_t i;

	if (dc == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dc->epfd = -1;
	if (set->nlisten == 0 || set->nlisten > DC_LISTEN_MAX) {
		snprintf(err, errlen, "data channel: 1 to %d listeners",
		    DC_LISTEN_MAX);
		goto fail;
	}
	dc->max_body = set->max_body;
	dc->identify = set->identify;
	dc->identify_arg = set->identify_arg;
	dc->core.lifetime = set->lifetime;
	dc->core.acl_changed = set->acl_changed;
	dc->core.acl_changed_arg = set->acl_changed_arg;
	if ((dc->pem[0] = read_file(set->ca_file, err, errlen)) == NULL ||
	    (dc->pem[1] = read_file(set->cert_file, err, errlen)) == NULL ||
	    (dc->pem[2] = read_file(set->key_file, err, errlen)) == NULL)
		goto fail;
	dc->core.yang = dc_yang_new(set->yang_dir, err, errlen);
	if (dc->core.yang == NULL)
		goto fail;
	dc->core.store = dc_store_open(set->store, err, errlen);
	if (dc->core.store == NULL)
		goto fail;
	if ((dc->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		snprintf(err, errlen, "data channel: epoll: %m");
		goto fail;
	}
	for (i = 0; i < set->nlisten; i++)
		if (add_listener(dc, &set->listen[i], set->max_connections,
		    err, errlen) != 0)
			goto fail;
	return dc;
fail:
	dc_free(dc);
	return NULL;
}

void
dc_free(struct dc *dc)
{
	size_t i;

	if (dc == NULL)
		return;
	for (i = 0; i < dc->nmhd; i++)
		MHD_stop_daemon(dc->mhd[i]);
	if (dc->epfd >= 0)
		close(dc->epfd);
	dc_store_close(dc->core.store);
	dc_yang_free(dc->core.yang);
	for (i = 0; i < 3; i++) {
		if (dc->pem[i] != NULL)
			memset(dc->pem[i], 0, strlen(dc->pem[i]));
		free(dc->pem[i]);
	}
	free(dc);
}

int
dc_fd(const struct dc *dc)
{
	return dc->epfd;
}

unsigned
dc_timeout(struct dc *dc, unsigned max_ms)
{
	MHD_UNSIGNED_LONG_LONG t;
	size_t i;

	for (i = 0; i < dc->nmhd; i++)
		if (MHD_get_timeout(dc->mhd[i], &t) == MHD_YES && t < max_ms)
			max_ms = (unsigned)t;
	return max_ms;
}

void
dc_run(struct dc *dc)
{
	size_t i;

	for (i = 0; i < dc->nmhd; i++)
		MHD_run(dc->mhd[i]);
}

struct dc_core *
dc_core_of(struct dc *dc)
{
	return &dc->core;
}

static void
expired(void *arg, enum dc_kind kind, const char *cuid, const char *name)
{
	struct dc *dc = arg;

	log_info("data channel: %s '%s' of cuid %s expired",
	    kind == DC_ALIAS ? "alias" : "ACL", name, cuid);
	if (kind == DC_ACL)
		dc_core_acl_changed(&dc->core, cuid, name);
}

void
dc_tick(struct dc *dc, time_t now)
{
	if (dc != NULL && dc_store_expire(dc->core.store, (int64_t)now,
	    expired, dc) < 0)
		log_warnx("data channel: expiry: %s",
		    dc_store_errmsg(dc->core.store));
}

int
dc_alias_targets(struct dc *dc, const char *cuid, const char *name,
    time_t now, struct dots_signal *m, struct dots_target *out)
{
	int ret = dc_core_alias_targets(&dc->core, cuid, name, now, m, out);

	if (ret < 0)
		log_warnx("data channel: alias '%s' of cuid %s cannot be "
		    "read (store: %s)", name, cuid,
		    dc_store_errmsg(dc->core.store));
	return ret;
}
