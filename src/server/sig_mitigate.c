/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /.well-known/dots/mitigate: PUT, GET (with Observe and 'c') and DELETE
 * (RFC 9132 section 4.4), as thin handlers over the mitigation engine.
 *
 * libcoap dispatches on the full Uri-Path, so each mitigation gets its own
 * observable resource ".../cuid=X/mid=N" and each client a collection
 * ".../cuid=X" for GET-all; both are created when the first PUT is
 * accepted.  Requests to paths that do not exist yet (a new mid) reach the
 * same handler through libcoap's unknown-resource hook.  Resources of
 * removed mitigations are deleted after the loop turn, never from inside
 * their own handler.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dotsd.h"

#define PATH_MAX_LEN	256

static void	hnd_mitigate(coap_resource_t *r, coap_session_t *s,
		    const coap_pdu_t *req, const coap_string_t *query,
		    coap_pdu_t *resp);

/*
 * The resource of a mitigation (@p one) or of its client's collection,
 * as the client names it: with the cdid a gateway put in the path (RFC
 * 9132 section 4.3), so that its GET, Observe and DELETE find it.
 */
static void
path_for(char *buf, size_t len, const char *cdid, const char *cuid, bool one,
    uint32_t mid)
{
	char pre[MIT_ID_MAX + 8] = "";

	if (cdid != NULL && cdid[0] != '\0')
		snprintf(pre, sizeof(pre), "cdid=%s/", cdid);
	if (one)
		snprintf(buf, len, ".well-known/dots/mitigate/%scuid=%s/mid=%u",
		    pre, cuid, mid);
	else
		snprintf(buf, len, ".well-known/dots/mitigate/%scuid=%s", pre,
		    cuid);
}

static coap_resource_t *
find_resource(struct dotsd *d, const char *path)
{
	return coap_get_resource_from_uri_path(d->ctx,
	    coap_make_str_const(path));
}

static void
undoom(struct dotsd *d, coap_resource_t *r)
{
	size_t i;

	for (i = 0; i < d->ndoomed; i++)
		if (d->doomed[i] == r) {
			memmove(d->doomed + i, d->doomed + i + 1,
			    (d->ndoomed - i - 1) * sizeof(*d->doomed));
			d->ndoomed--;
			return;
		}
}

static void
ensure_resource(struct dotsd *d, const char *path)
{
	coap_resource_t *r;

	if ((r = find_resource(d, path)) != NULL) {
		undoom(d, r);	/* removed and created again in one turn */
		return;
	}
	/* NON notifications always (RFC 9132 section 4.4.2.1) */
	r = coap_resource_init(coap_new_str_const((const uint8_t *)path,
	    strlen(path)), COAP_RESOURCE_FLAGS_RELEASE_URI |
	    COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS);
	if (r == NULL)
		return;
	coap_register_handler(r, COAP_REQUEST_PUT, hnd_mitigate);
	coap_register_handler(r, COAP_REQUEST_GET, hnd_mitigate);
	coap_register_handler(r, COAP_REQUEST_DELETE, hnd_mitigate);
	coap_resource_set_get_observable(r, 1);
	coap_add_resource(d->ctx, r);
}

static void
notify(struct dotsd *d, const char *path)
{
	coap_resource_t *r = find_resource(d, path);

	if (r != NULL)
		coap_resource_notify_observers(r, NULL);
}

static void
doom(struct dotsd *d, coap_resource_t *r)
{
	coap_resource_t **bigger;
	size_t i;

	for (i = 0; i < d->ndoomed; i++)
		if (d->doomed[i] == r)
			return;
	if (d->ndoomed == d->capdoomed) {
		d->capdoomed = d->capdoomed ? d->capdoomed * 2 : 16;
		bigger = realloc(d->doomed, d->capdoomed * sizeof(*bigger));
		if (bigger == NULL)
			return;
		d->doomed = bigger;
	}
	d->doomed[d->ndoomed++] = r;
}

/*
 * Delete the first @p count doomed resources.  The loop passes the count
 * taken before the turn's I/O: a resource doomed in a turn lives until the
 * next one has run, so the held answer to the DELETE that removed it is
 * still dispatched to it.
 */
void
sig_flush_doomed(struct dotsd *d, size_t count)
{
	size_t i;

	if (count > d->ndoomed)
		count = d->ndoomed;
	if (count == 0)
		return;		/* d->doomed may still be NULL */
	for (i = 0; i < count; i++)
		coap_delete_resource(d->ctx, d->doomed[i]);
	memmove(d->doomed, d->doomed + count,
	    (d->ndoomed - count) * sizeof(*d->doomed));
	d->ndoomed -= count;
}

/*
 * Engine callback: tell observers of the mitigation and of its client.  A
 * mitigation that stays gets its resources if it has none yet: one
 * restored from the store at start-up was never PUT to this process, and
 * without its resource a DELETE would get libcoap's own 2.02 for unknown
 * resources instead of reaching the engine.
 */
void
sig_mitigation_changed(void *arg, const struct mitigation *m, bool removed)
{
	struct dotsd *d = arg;
	char path[PATH_MAX_LEN];
	coap_resource_t *r;

	path_for(path, sizeof(path), m->cdid, m->cuid, true, m->mid);
	if (removed) {
		if ((r = find_resource(d, path)) != NULL)
			doom(d, r);
	} else {
		ensure_resource(d, path);
		notify(d, path);
	}
	path_for(path, sizeof(path), m->cdid, m->cuid, false, 0);
	if (!removed)
		ensure_resource(d, path);
	notify(d, path);
}

/* The 'c' Uri-Query of RFC 9132 section 4.4.2: c, n or a. */
static char
query_filter(const coap_string_t *query)
{
	if (query == NULL)
		return 'a';
	if (query->length == 3 && memcmp(query->s, "c=", 2) == 0 &&
	    strchr("cna", query->s[2]) != NULL)
		return (char)query->s[2];
	return 'a';
}

static bool
has_empty_if_match(const coap_pdu_t *req)
{
	coap_opt_iterator_t it;
	coap_opt_t *opt = coap_check_option(req, COAP_OPTION_IF_MATCH, &it);

	return opt != NULL && coap_opt_length(opt) == 0;
}

/*
 * RFC 8768 section 3: the Hop-Limit option, one byte of 1..255; 0 (an
 * empty option or a zero byte) or above 255 (a longer option) is refused
 * with 4.00.  Only the first counts: the option is not repeatable, and
 * RFC 7252 section 5.4.5 has the others ignored.
 *
 * libcoap (4.3.1) acts on the option before any handler: it answers 1
 * with 5.08 itself (its diagnostic the server's address, as section 4
 * allows), 0 with 4.00, drops a longer option as malformed, and hands the
 * request on with the value less one, as a proxy forwards it.  So the
 * value received is the one seen plus one.  (A request answered later
 * goes through libcoap a second time: sig_defer() disarms the option.)
 * @return 0 with *@p out the value received (0: no option), or -1 with
 *         the 4.00 set
 */
static int
hop_limit_of(const coap_pdu_t *req, coap_pdu_t *resp, uint8_t *out)
{
	coap_opt_iterator_t it;
	coap_opt_t *opt = coap_check_option(req, COAP_OPTION_HOP_LIMIT, &it);

	*out = 0;
	if (opt == NULL)
		return 0;
	if (coap_opt_length(opt) != 1 || coap_opt_value(opt)[0] == 0 ||
	    coap_opt_value(opt)[0] == 255) {
		sig_reply_error(resp, 400, "Hop-Limit must be 1 to 255, in "
		    "one byte (RFC 8768 section 3)");
		return -1;
	}
	*out = coap_opt_value(opt)[0] + 1;
	return 0;
}

static void
do_put(struct dotsd *d, coap_session_t *s, struct sig_session *ss,
    const struct dots_uri *uri, const coap_pdu_t *req, coap_pdu_t *resp)
{
	struct dots_signal *msg;
	struct dots_diag diag;
	struct mit_request r;
	struct mit_result res;
	char path[PATH_MAX_LEN], text[DOTS_DIAG_PATH_MAX + DOTS_DIAG_MSG_MAX];
	bool efficacy = has_empty_if_match(req);
	uint8_t hop_limit;

	if (!(uri->present & DOTS_URI_MID)) {
		sig_reply_error(resp, 400, "mid is mandatory in a PUT "
		    "(RFC 9132 section 4.4.1)");
		return;
	}
	if (hop_limit_of(req, resp, &hop_limit) != 0)
		return;
	if (sig_request_body(req, resp, &msg) != 0)
		return;
	if (dots_validate_signal(msg, efficacy ? DOTS_ROLE_EFFICACY_UPDATE :
	    DOTS_ROLE_MITIGATION_REQUEST, &diag) != DOTS_OK) {
		sig_reply_error(resp, dots_err_coap_code(diag.err),
		    dots_diag_format(&diag, text, sizeof(text)));
		dots_signal_free(msg);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.client = &ss->client->mc;
	r.cuid = uri->cuid;
	r.cdid = (uri->present & DOTS_URI_CDID) ? uri->cdid : NULL;
	r.hop_limit = hop_limit;
	r.mid = uri->mid;
	r.efficacy = efficacy;
	r.msg = msg;
	r.now = time(NULL);
	mit_put(d->engine, &r, &res);
	dots_signal_free(msg);
	if (res.no_response) {
		coap_pdu_set_code(resp, COAP_EMPTY_CODE);
		return;
	}
	if (res.code == 201) {
		path_for(path, sizeof(path), r.cdid, uri->cuid, true,
		    uri->mid);
		ensure_resource(d, path);
		path_for(path, sizeof(path), r.cdid, uri->cuid, false, 0);
		ensure_resource(d, path);
	}
	/* answered once the turn's commit is on disk */
	sig_defer(d, s, req, resp, sig_reply_new(res.code, res.body, res.diag,
	    res.max_age));
	dots_signal_free(res.body);
}

static void
hnd_mitigate(coap_resource_t *rsrc, coap_session_t *s, const coap_pdu_t *req,
    const coap_string_t *query, coap_pdu_t *resp)
{
	struct dotsd *d = sig_dotsd(s);
	struct sig_session *ss = sig_session_of(s);
	struct mit_result res;
	struct dots_uri uri;
	char err[256];

	if (sig_deferred(s, req, resp))
		return;
	if (ss == NULL) {
		sig_reply_error(resp, 401, "no authenticated client");
		return;
	}
	ss->client->mc.last_heard = time(NULL);
	if (sig_uri_of(req, &uri, err, sizeof(err)) != 0) {
		sig_reply_error(resp, 400, err);
		return;
	}
	if (uri.resource == DOTS_RES_CONFIG) {
		sig_config_handle(rsrc, s, req, query, resp);
		return;
	}
	if (uri.resource != DOTS_RES_MITIGATE) {
		sig_reply_error(resp, 404, "no such resource");
		return;
	}
	if (strcmp(uri.cuid, ss->cuid) != 0) {
		snprintf(err, sizeof(err), "cuid %s does not belong to this "
		    "client; its credentials give cuid %s", uri.cuid,
		    ss->cuid);
		sig_reply_error(resp, 401, err);
		return;
	}
	switch (coap_pdu_get_code(req)) {
	case COAP_REQUEST_CODE_PUT:
		do_put(d, s, ss, &uri, req, resp);
		return;
	case COAP_REQUEST_CODE_GET:
		mit_get(d->engine, &ss->client->mc, uri.cuid,
		    (uri.present & DOTS_URI_MID) != 0, uri.mid,
		    query_filter(query), time(NULL), &res);
		break;
	case COAP_REQUEST_CODE_DELETE:
		if (!(uri.present & DOTS_URI_MID)) {
			sig_reply_error(resp, 400, "mid is mandatory in a "
			    "DELETE (RFC 9132 section 4.4.4)");
			return;
		}
		mit_delete(d->engine, &ss->client->mc, uri.cuid, uri.mid,
		    time(NULL), &res);
		sig_defer(d, s, req, resp, sig_reply_new(res.code, res.body,
		    res.diag, res.max_age));
		dots_signal_free(res.body);
		return;
	default:
		sig_reply_error(resp, 405, NULL);
		return;
	}
	if (res.body != NULL)
		sig_reply_body(rsrc, s, req, resp, query, res.code, res.body,
		    -1);
	else
		sig_reply_error(resp, res.code, res.diag);
	dots_signal_free(res.body);
}

int
sig_mitigate_init(struct dotsd *d)
{
	coap_resource_t *r = coap_resource_unknown_init(hnd_mitigate);

	if (r == NULL)
		return -1;
	coap_register_handler(r, COAP_REQUEST_GET, hnd_mitigate);
	coap_add_resource(d->ctx, r);
	return 0;
}
