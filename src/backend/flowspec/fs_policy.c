/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The safety limits of a BGP mitigator, apart from how rules are encoded:
 * how many rules it announces in all and per client, which destination
 * prefixes are never filtered (the operator's own infrastructure), how
 * short a destination prefix may be per family, and, if the operator lists
 * them, which prefixes may be targets at all.  The server has already
 * checked that a target lies in the client's domain; these limits protect
 * the network from a domain that is configured too wide, and the routers
 * from more rules than their filters hold.  Used by the flowspec and rtbh
 * mitigators alike.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs_rule.h"

static void
pol_why(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pol_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

int
fs_policy_dst(const struct fs_policy *p, const struct dots_prefix *dst,
    char *why, size_t whylen)
{
	char a[64], b[64];
	uint8_t min;
	size_t i;

	if (dots_prefix_format(dst, a, sizeof(a)) != 0)
		snprintf(a, sizeof(a), "?");
	min = dst->family == DOTS_AF_INET6 ? p->min_len6 : p->min_len4;
	if (dst->length < min) {
		pol_why(why, whylen, "target %s is wider than this mitigator "
		    "filters (at most /%u)", a, min);
		return -EPERM;
	}
	for (i = 0; i < p->n_protect; i++)
		if (dots_prefix_overlaps(dst, &p->protect[i])) {
			if (dots_prefix_format(&p->protect[i], b,
			    sizeof(b)) != 0)
				snprintf(b, sizeof(b), "?");
			pol_why(why, whylen, "target %s overlaps the "
			    "protected prefix %s", a, b);
			return -EPERM;
		}
	if (p->n_allow == 0)
		return 0;
	for (i = 0; i < p->n_allow; i++)
		if (dots_prefix_contains(&p->allow[i], dst))
			return 0;
	pol_why(why, whylen, "target %s is outside the prefixes this "
	    "mitigator may filter", a);
	return -EPERM;
}

int
fs_policy_count(const struct fs_policy *p, size_t n_new, size_t client_now,
    size_t total_now, char *why, size_t whylen)
{
	if (p->max_rules_client != 0 &&
	    client_now + n_new > p->max_rules_client) {
		pol_why(why, whylen, "%zu more rules would pass this client's "
		    "limit of %u (it holds %zu)", n_new, p->max_rules_client,
		    client_now);
		return -ENOSPC;
	}
	if (p->max_rules != 0 && total_now + n_new > p->max_rules) {
		pol_why(why, whylen, "%zu more rules would pass the "
		    "mitigator's limit of %u", n_new, p->max_rules);
		return -ENOSPC;
	}
	return 0;
}

int
fs_policy_rules(const struct fs_policy *p, const struct fs_rules *rs,
    size_t client_now, size_t total_now, char *why, size_t whylen)
{
	size_t i;
	int ret;

	for (i = 0; i < rs->n; i++) {
		ret = fs_policy_dst(p, &rs->v[i].dst, why, whylen);
		if (ret != 0)
			return ret;
	}
	return fs_policy_count(p, rs->n, client_now, total_now, why, whylen);
}

static int
pol_uint(const char *key, const char *value, unsigned max, unsigned *out,
    char *err, size_t errlen)
{
	unsigned long v;
	char *end;

	if (value[0] < '0' || value[0] > '9')
		goto bad;
	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		goto bad;
	*out = (unsigned)v;
	return 0;
bad:
	pol_why(err, errlen, "setting \"%s\" must be a whole number from 0 "
	    "to %u, not \"%s\"", key, max, value);
	return -EINVAL;
}

static int
pol_prefix_add(struct dots_prefix **v, size_t *n, const char *key,
    const char *value, char *err, size_t errlen)
{
	struct dots_prefix px, *nv;
	bool host;

	if (dots_prefix_parse(value, &px, &host) != 0 || host) {
		pol_why(err, errlen, "setting \"%s\": \"%s\" is not a prefix "
		    "(address/length, no host bits)", key, value);
		return -EINVAL;
	}
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (nv == NULL)
		return -ENOMEM;
	nv[*n] = px;
	*v = nv;
	(*n)++;
	return 0;
}

int
fs_policy_setting(struct fs_policy *p, const char *key, const char *value,
    char *err, size_t errlen)
{
	unsigned v;
	int ret;

	if (strcmp(key, "max-rules") == 0)
		return pol_uint(key, value, 1000000, &p->max_rules, err,
		    errlen);
	if (strcmp(key, "max-rules-per-client") == 0)
		return pol_uint(key, value, 1000000, &p->max_rules_client,
		    err, errlen);
	if (strcmp(key, "min-prefix-length-v4") == 0) {
		ret = pol_uint(key, value, 32, &v, err, errlen);
		if (ret == 0)
			p->min_len4 = (uint8_t)v;
		return ret;
	}
	if (strcmp(key, "min-prefix-length-v6") == 0) {
		ret = pol_uint(key, value, 128, &v, err, errlen);
		if (ret == 0)
			p->min_len6 = (uint8_t)v;
		return ret;
	}
	if (strcmp(key, "protect-prefix") == 0)
		return pol_prefix_add(&p->protect, &p->n_protect, key, value,
		    err, errlen);
	if (strcmp(key, "allow-prefix") == 0)
		return pol_prefix_add(&p->allow, &p->n_allow, key, value,
		    err, errlen);
	return 1;
}

void
fs_policy_clear(struct fs_policy *p)
{
	free(p->protect);
	free(p->allow);
	memset(p, 0, sizeof(*p));
}
