/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IP prefixes and addresses in the text forms of ietf-inet-types:
 * parsing into the canonical binary form, formatting (RFC 5952 for IPv6),
 * containment and overlap.
 */
#include <arpa/inet.h>
#include <string.h>

#include <dots/error.h>
#include <dots/model.h>

#define ADDR_TEXT_MAX	46	/* INET6_ADDRSTRLEN */

static int
parse_addr(const char *s, size_t len, uint8_t *family, uint8_t addr[16])
{
	char tmp[ADDR_TEXT_MAX + 1];

	if (len == 0 || len > ADDR_TEXT_MAX)
		return DOTS_EVALUE;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	memset(addr, 0, 16);
	if (memchr(tmp, ':', len) != NULL) {
		if (inet_pton(AF_INET6, tmp, addr) != 1)
			return DOTS_EVALUE;
		*family = DOTS_AF_INET6;
	} else {
		if (inet_pton(AF_INET, tmp, addr) != 1)
			return DOTS_EVALUE;
		*family = DOTS_AF_INET4;
	}
	return DOTS_OK;
}

static unsigned
family_bits(uint8_t family)
{
	return family == DOTS_AF_INET4 ? 32 : 128;
}

int
dots_prefix_parse(const char *s, struct dots_prefix *p, bool *had_host_bits)
{
	const char *slash = strchr(s, '/');
	unsigned len = 0, i, bits;
	const char *d;
	bool host = false;

	if (slash == NULL || slash[1] == '\0')
		return DOTS_EVALUE;
	/* prefix length: decimal without leading zeros */
	for (d = slash + 1; *d != '\0'; d++) {
		if (*d < '0' || *d > '9' || (d == slash + 2 && slash[1] == '0'))
			return DOTS_EVALUE;
		len = len * 10 + (unsigned)(*d - '0');
		if (len > 128)
			return DOTS_EVALUE;
	}
	memset(p, 0, sizeof(*p));
	if (parse_addr(s, (size_t)(slash - s), &p->family, p->addr) != DOTS_OK)
		return DOTS_EVALUE;
	bits = family_bits(p->family);
	if (len > bits)
		return DOTS_EVALUE;
	p->length = (uint8_t)len;
	for (i = 0; i < 16; i++) {
		unsigned keep = len >= 8 * (i + 1) ? 8 :
		    (len > 8 * i ? len - 8 * i : 0);
		uint8_t mask = (uint8_t)(keep == 0 ? 0 : 0xff << (8 - keep));

		if (p->addr[i] & ~mask)
			host = true;
		p->addr[i] &= mask;
	}
	if (had_host_bits != NULL)
		*had_host_bits = host;
	return DOTS_OK;
}

int
dots_ipaddr_parse(const char *s, struct dots_ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	return parse_addr(s, strlen(s), &a->family, a->addr);
}

/* Decimal digits of @p v at @p out; returns the end. */
static char *
put_dec(char *out, unsigned v)
{
	char tmp[3];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*out++ = tmp[--n];
	return out;
}

/*
 * IPv4 by hand: inet_ntop goes through sprintf, which made formatting the
 * larger part of encoding a typical request.
 */
static int
format_addr(uint8_t family, const uint8_t *addr, char *buf, size_t len)
{
	char *o = buf;
	int i;

	if (family == DOTS_AF_INET4) {
		if (len < 16)
			return DOTS_ENOSPC;
		for (i = 0; i < 4; i++) {
			o = put_dec(o, addr[i]);
			*o++ = i < 3 ? '.' : '\0';
		}
		return DOTS_OK;
	}
	if (family != DOTS_AF_INET6)
		return DOTS_EINVAL;
	if (inet_ntop(AF_INET6, addr, buf, (socklen_t)len) == NULL)
		return DOTS_ENOSPC;
	return DOTS_OK;
}

int
dots_ipaddr_format(const struct dots_ipaddr *a, char *buf, size_t len)
{
	return format_addr(a->family, a->addr, buf, len);
}

int
dots_prefix_format(const struct dots_prefix *p, char *buf, size_t len)
{
	size_t n;
	char *o;
	int ret;

	if ((p->family != DOTS_AF_INET4 && p->family != DOTS_AF_INET6) ||
	    p->length > family_bits(p->family))
		return DOTS_EINVAL;
	ret = format_addr(p->family, p->addr, buf, len);
	if (ret != DOTS_OK)
		return ret;
	n = strlen(buf);
	/* '/', up to 3 digits, NUL */
	if (len - n < 2u + (p->length >= 100) + (p->length >= 10) + 1u)
		return DOTS_ENOSPC;
	o = buf + n;
	*o++ = '/';
	o = put_dec(o, p->length);
	*o = '\0';
	return DOTS_OK;
}

static bool
same_bits(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

bool
dots_prefix_contains(const struct dots_prefix *outer,
    const struct dots_prefix *inner)
{
	return outer->family == inner->family &&
	    outer->length <= inner->length &&
	    same_bits(outer->addr, inner->addr, outer->length);
}

bool
dots_prefix_overlaps(const struct dots_prefix *a, const struct dots_prefix *b)
{
	return dots_prefix_contains(a, b) || dots_prefix_contains(b, a);
}
