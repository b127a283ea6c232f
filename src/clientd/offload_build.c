/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The encodings of an offload (offload_plan.h): the signal-channel
 * scope as a libdots message, its size on the wire, its JSON for the
 * control protocol, and the data-channel ACLs.  No policy here: what
 * goes in is offload_plan.c's choice.
 *
 * The size on the wire is that of one IP packet carrying the PUT over
 * DTLS, counted for the worst case dotscd can send:
 *
 *	IPv6 header			40	(IPv4: 20)
 *	UDP header			 8
 *	DTLS 1.2 record, AEAD		37	13 header, 8 explicit nonce,
 *						16 tag (AES-GCM; AES-CCM_8 and
 *						DTLS 1.3 take less)
 *	CoAP header + token		12	4 + 8 (dotsclient's tokens)
 *	Uri-Path .well-known/dots/	26	option headers included
 *	    mitigate
 *	Uri-Path cuid=<22 chars>	29	RFC 9132 4.4.1.1 cuid
 *	Uri-Path mid=4294967295		16	the longest mid
 *	Content-Format 271		 3
 *	Hop-Limit			 2	sent by gateways only
 *	payload marker			 1
 *	CBOR body			 n	(the mid is in the Uri-Path)
 *
 * so 174 + n bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/error.h>
#include <dots/json.h>

#include "offload_plan.h"

#define WIRE_IP		40
#define WIRE_UDP	8
#define WIRE_DTLS	37
#define WIRE_COAP	(12 + 26 + 29 + 16 + 3 + 2 + 1)

size_t
offload_wire_overhead(void)
{
	return WIRE_IP + WIRE_UDP + WIRE_DTLS + WIRE_COAP;
}

/* A copy of @p n items of @p size in @p m's arena; NULL on ENOMEM. */
static void *
arena_copy(struct dots_signal *m, const void *v, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	if ((p = dots_signal_alloc(m, n * size)) != NULL)
		memcpy(p, v, n * size);
	return p;
}

struct dots_signal *
offload_scope_model(const struct offload_scope *os)
{
	struct dots_signal *m;
	struct dots_scope *s;

	if ((m = dots_signal_new(DOTS_SIG_MITIGATION)) == NULL ||
	    (s = dots_signal_add_scopes(m, 1)) == NULL)
		goto fail;
	s->present = DOTS_SCOPE_LIFETIME;
	s->lifetime = os->lifetime;
	if ((s->target.n_prefix = os->n_dst) != 0 &&
	    (s->target.prefix = arena_copy(m, os->dst, os->n_dst,
	    sizeof(*os->dst))) == NULL)
		goto fail;
	if ((s->target.n_port_range = os->n_dport) != 0 &&
	    (s->target.port_range = arena_copy(m, os->dport, os->n_dport,
	    sizeof(*os->dport))) == NULL)
		goto fail;
	if ((s->target.n_protocol = os->n_proto) != 0 &&
	    (s->target.protocol = arena_copy(m, os->proto, os->n_proto,
	    sizeof(*os->proto))) == NULL)
		goto fail;
	if ((s->n_source_prefix = os->n_src) != 0 &&
	    (s->source_prefix = arena_copy(m, os->src, os->n_src,
	    sizeof(*os->src))) == NULL)
		goto fail;
	if ((s->n_source_port_range = os->n_sport) != 0 &&
	    (s->source_port_range = arena_copy(m, os->sport, os->n_sport,
	    sizeof(*os->sport))) == NULL)
		goto fail;
	if (os->acl != NULL) {
		if ((s->acl_list = dots_signal_alloc(m,
		    sizeof(*s->acl_list))) == NULL ||
		    (s->acl_list->acl_name = dots_signal_strdup(m,
		    os->acl)) == NULL)
			goto fail;
		s->acl_list->present = DOTS_ACL_ACTIVATION_TYPE;
		s->acl_list->activation_type = DOTS_ACTIVATION_IMMEDIATE;
		s->n_acl_list = 1;
	}
	return m;
fail:
	dots_signal_free(m);
	return NULL;
}

int
offload_wire_size(const struct dots_signal *m, size_t *body, size_t *wire)
{
	uint8_t *buf;
	size_t len = 0;
	int ret;

	if ((buf = malloc(DOTS_CBOR_MAX_BODY)) == NULL)
		return DOTS_ENOMEM;
	ret = dots_cbor_encode_signal(m, buf, DOTS_CBOR_MAX_BODY, &len);
	free(buf);
	if (ret != DOTS_OK)
		return ret;
	*body = len;
	*wire = len + offload_wire_overhead();
	return DOTS_OK;
}

json_t *
offload_scope_json(const struct dots_signal *m)
{
	json_t *doc, *scope;
	char *text;
	int err;

	if ((text = dots_json_encode_signal(m, 0, &err)) == NULL)
		return NULL;
	doc = json_loads(text, 0, NULL);
	free(text);
	scope = json_array_get(json_object_get(json_object_get(doc,
	    "ietf-dots-signal-channel:mitigation-scope"), "scope"), 0);
	if (!json_is_object(scope)) {
		json_decref(doc);
		return NULL;
	}
	/* borrowed from doc: our own reference before doc goes */
	json_incref(scope);
	json_decref(doc);
	json_object_del(scope, "mid");
	return scope;
}

/* Data channel */

static json_t *
port_match(uint16_t port)
{
	return json_pack("{ss si}", "operator", "eq", "port", (int)port);
}

/* The matches of one ACE: IP addresses and protocol, then ports. */
static json_t *
ace_matches(const struct offload_flow *f)
{
	bool v4 = f->dst.family == DOTS_AF_INET4;
	char dst[64], src[64];
	json_t *ip, *l4, *m;

	dots_prefix_format(&f->dst, dst, sizeof(dst));
	ip = json_pack("{ss si}", v4 ? "destination-ipv4-network" :
	    "destination-ipv6-network", dst, "protocol", (int)f->proto);
	if (ip != NULL && f->src.family != DOTS_AF_NONE) {
		dots_prefix_format(&f->src, src, sizeof(src));
		json_object_set_new(ip, v4 ? "source-ipv4-network" :
		    "source-ipv6-network", json_string(src));
	}
	m = json_pack("{so*}", v4 ? "ipv4" : "ipv6", ip);
	if (m == NULL || (!f->has_sport && !f->has_dport))
		return m;
	l4 = json_object();
	if (f->has_sport)
		json_object_set_new(l4, "source-port-range-or-operator",
		    port_match(f->sport));
	if (f->has_dport)
		json_object_set_new(l4, "destination-port-range-or-operator",
		    port_match(f->dport));
	json_object_set_new(m, f->proto == 6 ? "tcp" : "udp", l4);
	return m;
}

static json_t *
acl_new(const char *base, const char *family)
{
	char name[160];

	snprintf(name, sizeof(name), "%s-%s", base, family);
	return json_pack("{ss ss ss s{s[]}}", "name", name, "type",
	    strcmp(family, "ipv4") == 0 ?
	    "ietf-access-control-list:ipv4-acl-type" :
	    "ietf-access-control-list:ipv6-acl-type",
	    "activation-type", "immediate", "aces", "ace");
}

json_t *
offload_acls_json(const struct offload_flow *flows, size_t n,
    const char *base)
{
	json_t *acl[2] = { NULL, NULL }, *list, *ace;
	size_t i, k;
	char name[32];

	if ((list = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		k = flows[i].dst.family == DOTS_AF_INET4 ? 0 : 1;
		if (acl[k] == NULL) {
			if ((acl[k] = acl_new(base, k == 0 ? "ipv4" :
			    "ipv6")) == NULL)
				goto fail;
			json_array_append_new(list, acl[k]);
		}
		snprintf(name, sizeof(name), "flow-%zu", i);
		ace = json_pack("{ss so* s{ss}}", "name", name, "matches",
		    ace_matches(&flows[i]), "actions", "forwarding",
		    "ietf-access-control-list:drop");
		if (ace == NULL || json_array_append_new(json_object_get(
		    json_object_get(acl[k], "aces"), "ace"), ace) != 0)
			goto fail;
	}
	return json_pack("{s{so}}", "ietf-dots-data-channel:acls", "acl",
	    list);
fail:
	json_decref(list);
	return NULL;
}
