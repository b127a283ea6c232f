/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * One HTTPS request of `dotsctl dc`, with libcurl: mutual X.509 (the
 * client's certificate and key, the server's certificate checked against
 * --ca and the host of --url), HTTPS only, no redirects, bounded in time
 * and in the size of the answer.  Bodies go out and come back as
 * application/yang-data+json (RFC 8040).  The caller makes the path; this
 * file only puts it under the RESTCONF root.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "ctl_dc.h"

#define DC_CT		"application/yang-data+json"
#define DC_CONNECT_S	10L
#define DC_TIMEOUT_S	30L

struct dc_buf {
	char		*p;
	size_t		 len;
	bool		 too_big;
};

static size_t
dc_write(char *data, size_t size, size_t n, void *arg)
{
	struct dc_buf *b = arg;
	size_t len = size * n;
	char *p;

	if (len > CTL_DC_BODY_MAX - b->len) {
		b->too_big = true;
		return 0;	/* makes libcurl stop with CURLE_WRITE_ERROR */
	}
	if ((p = realloc(b->p, b->len + len + 1)) == NULL)
		return 0;
	memcpy(p + b->len, data, len);
	b->p = p;
	b->len += len;
	b->p[b->len] = '\0';
	return len;
}

char *
ctl_dc_escape(const char *s)
{
	char *e, *copy;

	/* libcurl escapes all but RFC 3986's unreserved characters. */
	if ((e = curl_easy_escape(NULL, s, 0)) == NULL)
		return NULL;
	copy = strdup(e);
	curl_free(e);
	return copy;
}

/* --url with the RESTCONF root (/restconf unless it names one). */
static char *
dc_url(const char *url, const char *path)
{
	const char *host = url + strlen("https://");
	size_t n = strlen(url), len;
	bool root;
	char *s;

	while (url + n > host && url[n - 1] == '/')
		n--;
	root = memchr(host, '/', (size_t)(url + n - host)) != NULL;
	len = n + strlen(CTL_DC_ROOT_DEFAULT) + strlen(path) + 2;
	if ((s = malloc(len)) == NULL)
		return NULL;
	snprintf(s, len, "%.*s%s/%s", (int)n, url, root ? "" :
	    CTL_DC_ROOT_DEFAULT, path);
	return s;
}

int
ctl_dc_http(const struct ctl_dc_req *req, const char *method,
    const char *path, const char *body, struct ctl_dc_answer *a)
{
	struct curl_slist *hdrs = NULL, *h;
	struct dc_buf b = { NULL, 0, false };
	char *url = NULL, cerr[CURL_ERROR_SIZE] = "";
	CURL *c = NULL;
	CURLcode rc;
	int ret = -1;

	memset(a, 0, sizeof(*a));
	if ((url = dc_url(req->url, path)) == NULL ||
	    (c = curl_easy_init()) == NULL ||
	    (hdrs = curl_slist_append(NULL, "Accept: " DC_CT)) == NULL) {
		snprintf(a->err, sizeof(a->err), "out of memory");
		goto out;
	}
	if (body != NULL) {
		if ((h = curl_slist_append(hdrs, "Content-Type: " DC_CT)) ==
		    NULL) {
			snprintf(a->err, sizeof(a->err), "out of memory");
			goto out;
		}
		hdrs = h;
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "GET") == 0)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_CAINFO, req->ca);
	curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(c, CURLOPT_SSLCERT, req->cert);
	curl_easy_setopt(c, CURLOPT_SSLKEY, req->key);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, DC_CONNECT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, DC_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, dc_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	if ((rc = curl_easy_perform(c)) != CURLE_OK) {
		if (b.too_big)
			snprintf(a->err, sizeof(a->err), "%s %s: the answer "
			    "is larger than %d bytes", method, url,
			    CTL_DC_BODY_MAX);
		else
			snprintf(a->err, sizeof(a->err), "%s: %s", url,
			    cerr[0] != '\0' ? cerr : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	a->body = b.p;
	a->len = b.len;
	b.p = NULL;
	ret = 0;
out:
	free(b.p);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(url);
	return ret;
}

void
ctl_dc_answer_clear(struct ctl_dc_answer *a)
{
	free(a->body);
	memset(a, 0, sizeof(*a));
}
