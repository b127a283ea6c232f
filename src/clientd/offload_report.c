/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The reader of DMS reports (offload_report.h).  Pure: JSON in, structs
 * out, no I/O and no logging, so that the fuzz target and the unit tests
 * reach every path.  A report is refused whole at its first bad member,
 * with the member's path in the message: a DMS that sends something we
 * do not understand must hear so rather than have part of its report
 * dropped.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>

#include "offload_report.h"

/* A member path and a sentence into err; always -1. */
static int __attribute__((format(printf, 4, 5)))
bad(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", path, msg);
	return -1;
}

static bool
member_known(const char *key, const char *const *allowed)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(key, *allowed) == 0)
			return true;
	return false;
}

static int
check_members(const json_t *o, const char *const *allowed, const char *path,
    char *err, size_t errlen)
{
	void *it;

	/* jansson's iterators take no const object; nothing is changed */
	for (it = json_object_iter((json_t *)(uintptr_t)o); it != NULL;
	    it = json_object_iter_next((json_t *)(uintptr_t)o, it))
		if (!member_known(json_object_iter_key(it), allowed))
			return bad(err, errlen, path, "unknown member "
			    "\"%.64s\"", json_object_iter_key(it));
	return 0;
}

/* A JSON number >= 0, at most @p max. */
static int
get_number(const json_t *v, double max, double *out)
{
	double d;

	if (!json_is_number(v))
		return -1;
	d = json_number_value(v);
	if (!isfinite(d) || d < 0 || d > max)
		return -1;
	*out = d;
	return 0;
}

/* An address ("192.0.2.2", a host) or a prefix ("192.0.2.0/24"). */
static int
get_prefix(const json_t *v, struct dots_prefix *p)
{
	const char *s = json_string_value(v);
	struct dots_ipaddr a;

	if (s == NULL || strlen(s) > 64)
		return -1;
	if (strchr(s, '/') != NULL)
		return dots_prefix_parse(s, p, NULL) == DOTS_OK ? 0 : -1;
	if (dots_ipaddr_parse(s, &a) != DOTS_OK)
		return -1;
	memset(p, 0, sizeof(*p));
	p->family = a.family;
	p->length = a.family == DOTS_AF_INET4 ? 32 : 128;
	memcpy(p->addr, a.addr, sizeof(p->addr));
	return 0;
}

static const struct {
	const char	*name;
	uint8_t		 num;
} proto_names[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "icmpv6", 58 },
};

static int
get_proto(const json_t *v, uint8_t *out)
{
	const char *s = json_string_value(v);
	size_t i;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0 || json_integer_value(v) > 255)
			return -1;
		*out = (uint8_t)json_integer_value(v);
		return 0;
	}
	for (i = 0; s != NULL && i < sizeof(proto_names) /
	    sizeof(proto_names[0]); i++)
		if (strcmp(s, proto_names[i].name) == 0) {
			*out = proto_names[i].num;
			return 0;
		}
	return -1;
}

static int
get_port(const json_t *flow, const char *name, const char *path,
    uint8_t proto, bool *has, uint16_t *port, char *err, size_t errlen)
{
	const json_t *v = json_object_get(flow, name);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 65535)
		return bad(err, errlen, path, "%s must be an integer from 0 "
		    "to 65535", name);
	if (proto != 6 && proto != 17)
		return bad(err, errlen, path, "%s given for protocol %u, "
		    "which has no ports (only 6, tcp, and 17, udp)", name,
		    proto);
	*has = true;
	*port = (uint16_t)json_integer_value(v);
	return 0;
}

static const char *const flow_members[] = { "src", "dst", "src-port",
	"dst-port", "protocol", "bps", "pps", NULL };

static int
read_flow(const json_t *v, size_t i, struct offload_flow *f, char *err,
    size_t errlen)
{
	char path[48];
	double d;

	snprintf(path, sizeof(path), "flows[%zu]", i);
	if (!json_is_object(v))
		return bad(err, errlen, path, "a flow is an object");
	if (check_members(v, flow_members, path, err, errlen) != 0)
		return -1;
	if (json_object_get(v, "dst") == NULL)
		return bad(err, errlen, path, "dst is required");
	if (get_prefix(json_object_get(v, "dst"), &f->dst) != 0)
		return bad(err, errlen, path, "dst must be an address or a "
		    "prefix");
	if (json_object_get(v, "src") != NULL &&
	    get_prefix(json_object_get(v, "src"), &f->src) != 0)
		return bad(err, errlen, path, "src must be an address or a "
		    "prefix");
	if (f->src.family != DOTS_AF_NONE && f->src.family != f->dst.family)
		return bad(err, errlen, path, "src and dst are of different "
		    "address families");
	if (json_object_get(v, "protocol") == NULL)
		return bad(err, errlen, path, "protocol is required");
	if (get_proto(json_object_get(v, "protocol"), &f->proto) != 0)
		return bad(err, errlen, path, "protocol must be 0 to 255, "
		    "tcp, udp, icmp or icmpv6");
	if (get_port(v, "src-port", path, f->proto, &f->has_sport, &f->sport,
	    err, errlen) != 0 ||
	    get_port(v, "dst-port", path, f->proto, &f->has_dport, &f->dport,
	    err, errlen) != 0)
		return -1;
	if (json_object_get(v, "bps") != NULL) {
		if (get_number(json_object_get(v, "bps"), 1e18, &d) != 0)
			return bad(err, errlen, path, "bps must be a number "
			    "from 0 to 10^18");
		f->bps = (uint64_t)d;
	}
	if (json_object_get(v, "pps") != NULL) {
		if (get_number(json_object_get(v, "pps"), 1e18, &d) != 0)
			return bad(err, errlen, path, "pps must be a number "
			    "from 0 to 10^18");
		f->pps = (uint64_t)d;
	}
	return 0;
}

static const char *const util_members[] = { "percent", "used", "capacity",
	NULL };

static int
read_util(const json_t *u, struct offload_report *r, char *err,
    size_t errlen)
{
	const json_t *pct = json_object_get(u, "percent");
	double d;

	if (!json_is_object(u))
		return bad(err, errlen, "utilization", "an object: "
		    "{\"percent\": N} or {\"used\": N, \"capacity\": N}");
	if (check_members(u, util_members, "utilization", err, errlen) != 0)
		return -1;
	if (pct != NULL) {
		if (json_object_size(u) != 1)
			return bad(err, errlen, "utilization", "percent, or "
			    "used and capacity, not both");
		if (get_number(pct, 100, &d) != 0)
			return bad(err, errlen, "utilization.percent", "a "
			    "number from 0 to 100");
		r->util = (uint32_t)(d * 100 + 0.5);
		return 0;
	}
	if (json_object_get(u, "used") == NULL ||
	    json_object_get(u, "capacity") == NULL)
		return bad(err, errlen, "utilization", "percent, or used and "
		    "capacity");
	if (get_number(json_object_get(u, "used"), 1e18, &r->used) != 0)
		return bad(err, errlen, "utilization.used", "a number from 0 "
		    "to 10^18");
	if (get_number(json_object_get(u, "capacity"), 1e18,
	    &r->capacity) != 0 || r->capacity <= 0)
		return bad(err, errlen, "utilization.capacity", "a number "
		    "above 0, at most 10^18");
	r->has_capacity = true;
	d = r->used / r->capacity * 10000;
	r->util = d >= OFFLOAD_UTIL_MAX ? OFFLOAD_UTIL_MAX :
	    (uint32_t)(d + 0.5);
	return 0;
}

static const char *const report_members[] = { "utilization", "flows",
	NULL };

struct offload_report *
offload_report_from_json(const json_t *v, char *err, size_t errlen)
{
	const json_t *flows = json_object_get(v, "flows");
	struct offload_report *r;
	size_t i, n;

	if (!json_is_object(v)) {
		snprintf(err, errlen, "a report is a JSON object");
		return NULL;
	}
	if (check_members(v, report_members, "report", err, errlen) != 0)
		return NULL;
	if (json_object_get(v, "utilization") == NULL) {
		snprintf(err, errlen, "utilization is required");
		return NULL;
	}
	if (flows != NULL && !json_is_array(flows)) {
		snprintf(err, errlen, "flows: an array of flows");
		return NULL;
	}
	n = json_array_size(flows);
	if (n > OFFLOAD_FLOWS_MAX) {
		snprintf(err, errlen, "flows: %zu flows, more than %d", n,
		    OFFLOAD_FLOWS_MAX);
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (n > 0 && (r->flows = calloc(n, sizeof(*r->flows))) == NULL)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (read_util(json_object_get(v, "utilization"), r, err, errlen) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (read_flow(json_array_get(flows, i), i, &r->flows[i], err,
		    errlen) != 0)
			goto fail;
	r->n_flows = n;
	return r;
fail:
	offload_report_free(r);
	return NULL;
}

struct offload_report *
offload_report_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct offload_report *r;
	json_error_t je;
	json_t *v;

	v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		snprintf(err, errlen, "not JSON: %s (line %d)", je.text,
		    je.line);
		return NULL;
	}
	r = offload_report_from_json(v, err, errlen);
	json_decref(v);
	return r;
}

void
offload_report_free(struct offload_report *r)
{
	if (r == NULL)
		return;
	free(r->flows);
	free(r);
}

void
offload_util_format(uint32_t util, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%02u", util / 100, util % 100);
}
