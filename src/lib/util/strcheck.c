/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * String syntax checks.  inet:domain-name follows the pattern of RFC 9911
 * (labels of letters, digits, '-' and '_', a leading '*' label allowed,
 * 1-63 characters each, optional final dot); inet:uri is checked for an
 * RFC 3986 scheme and for characters a URI may not contain.
 */
#include <stdbool.h>
#include <stdint.h>

#include "strcheck.h"

const char *
check_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		uint32_t cp;

		if (c == 0)
			return "contains a NUL character";
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else
			return "is not valid UTF-8";
		if (len - i <= n)
			return "is not valid UTF-8";
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return "is not valid UTF-8";
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return "is not valid UTF-8";
		i += n + 1;
	}
	return NULL;
}

static bool
label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

const char *
check_domain_name(const char *s, size_t len)
{
	size_t i, label = 0;

	if (len == 1 && s[0] == '.')
		return NULL;		/* the root */
	if (len == 0 || len > 253)
		return "must have 1 to 253 characters";
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return "has an empty label";
			label = 0;
			continue;
		}
		if (s[i] == '*' && i == 0 && (len == 1 || s[1] == '.')) {
			label++;
			continue;
		}
		if (!label_char(s[i]))
			return "is not a domain name (letters, digits, '-', "
			    "'_' and dots only)";
		if (++label > 63)
			return "has a label longer than 63 characters";
	}
	return NULL;
}

static bool
scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

const char *
check_uri(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return "is empty";
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return "is not a URI: it must start with a scheme such as "
		    "'https:'";
	for (i = 1; i < len && s[i] != ':'; i++)
		if (!scheme_char(s[i]))
			return "is not a URI: bad character in the scheme";
	if (i == len)
		return "is not a URI: no ':' after the scheme";
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' ||
		    c == '>' || c == '\\' || c == '^' || c == '`' ||
		    c == '{' || c == '|' || c == '}')
			return "is not a URI: characters outside RFC 3986 "
			    "must be percent-encoded";
	}
	return NULL;
}
