/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The value types of the dotsd configuration: for each, how its words are
 * checked and parsed into the field the schema entry points at, how it is
 * printed in normalized form (one canonical spelling, so that `dotsd -nv`
 * output can be compared and parsed back), and how it is freed.
 *
 * A parse function changes its field only when it succeeds, so a refused
 * value (from the file or from conf_set) leaves the tree as it was.
 * Bounds come from the schema entry (min, max), never from here.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>
#include <dots/model.h>

#include "conf_int.h"

#define CN_MAX		64	/* X.509 ub-common-name */
#define FQDN_MAX	253

/* Helpers */

#define FIELD(obj, k, type)	((type *)(void *)((char *)(obj) + (k)->off))
#define CFIELD(obj, k, type)	\
	((type const *)(const void *)((const char *)(obj) + (k)->off))
#define COUNT(obj, k)		\
	((size_t *)(void *)((char *)(obj) + (k)->off_n))
#define CCOUNT(obj, k)		\
	(*(const size_t *)(const void *)((const char *)(obj) + (k)->off_n))

/* @p s with '"' and '\\' escaped, without the quotes. */
static void
print_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

void
conf_print_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	print_escaped(f, s);
	fputc('"', f);
}

int
conf_check_text(const char *s, size_t max, char *msg, size_t msglen)
{
	size_t len = strlen(s);
	const char *p;

	if (len == 0) {
		snprintf(msg, msglen, "empty value");
		return DOTS_EVALUE;
	}
	if (len > max) {
		snprintf(msg, msglen, "longer than %zu bytes", max);
		return DOTS_EVALUE;
	}
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(msg, msglen, "control character in value");
			return DOTS_EVALUE;
		}
	}
	return DOTS_OK;
}

int
conf_check_name(const char *s, char *msg, size_t msglen)
{
	size_t len = strlen(s);
	const char *p;

	if (len == 0 || len > CONF_NAME_MAX) {
		snprintf(msg, msglen, "a name has 1 to %d characters",
		    CONF_NAME_MAX);
		return DOTS_EVALUE;
	}
	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' &&
		    *p != '.') {
			snprintf(msg, msglen, "'%s' is not a name (letters, "
			    "digits, '_', '-', '.')", s);
			return DOTS_EVALUE;
		}
	}
	return DOTS_OK;
}

/* Decimal digits only, at most UINT32_MAX. */
static int
parse_u32(const char *s, uint32_t *v)
{
	uint64_t n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > UINT32_MAX)
			return -1;
	}
	*v = (uint32_t)n;
	return 0;
}

/* "2", "2.5" or "2.05" into hundredths. */
static int
parse_dec2(const char *s, uint32_t *v)
{
	char ipart[16];
	const char *dot = strchr(s, '.');
	uint32_t i, frac = 0;
	size_t ilen = dot != NULL ? (size_t)(dot - s) : strlen(s);

	if (ilen == 0 || ilen >= sizeof(ipart))
		return -1;
	memcpy(ipart, s, ilen);
	ipart[ilen] = '\0';
	if (parse_u32(ipart, &i) != 0 || i > UINT32_MAX / 100 - 1)
		return -1;
	if (dot != NULL) {
		const char *d = dot + 1;
		size_t flen = strlen(d);

		if (flen == 0 || flen > 2 || parse_u32(d, &frac) != 0)
			return -1;
		if (flen == 1)
			frac *= 10;
	}
	*v = i * 100 + frac;
	return 0;
}

/* A number of @p k as text: "%u", or "%u.%02u" for hundredths. */
static const char *
fmt_num(const struct conf_key *k, uint32_t v, char *buf, size_t len)
{
	if (k->flags & CONF_F_DEC2)
		snprintf(buf, len, "%u.%02u", v / 100, v % 100);
	else
		snprintf(buf, len, "%u", v);
	return buf;
}

/* Parse one number of @p k and check it against the key's bounds. */
static int
parse_bounded(const struct conf_key *k, const char *s, uint32_t *v,
    char *msg, size_t msglen)
{
	int bad = k->flags & CONF_F_DEC2 ? parse_dec2(s, v) : parse_u32(s, v);
	char lo[16], hi[16];

	if (bad != 0) {
		snprintf(msg, msglen, "'%s' is not %s", s,
		    k->flags & CONF_F_DEC2 ? "a decimal number with at most "
		    "2 fraction digits" : "a whole number");
		return DOTS_EVALUE;
	}
	if (*v < k->min || *v > k->max) {
		snprintf(msg, msglen, "%s is out of range %s..%s", s,
		    fmt_num(k, k->min, lo, sizeof(lo)),
		    fmt_num(k, k->max, hi, sizeof(hi)));
		return DOTS_EVALUE;
	}
	return DOTS_OK;
}

/* Grow a list by one zeroed element of @p size; @return the element,
 * or NULL (out of memory: the list is unchanged). */
void *
conf_list_add(void **v, size_t *n, size_t size)
{
	char *nv;

	nv = realloc(*v, (*n + 1) * size);
	if (nv == NULL)
		return NULL;
	*v = nv;
	memset(nv + *n * size, 0, size);
	return nv + (*n)++ * size;
}

static int
nomem(char *msg, size_t msglen)
{
	snprintf(msg, msglen, "out of memory");
	return DOTS_ENOMEM;
}

/* Replace the string in *@p field by a copy of @p s. */
static int
set_string(char **field, const char *s, char *msg, size_t msglen)
{
	char *copy = strdup(s);

	if (copy == NULL)
		return nomem(msg, msglen);
	free(*field);
	*field = copy;
	return DOTS_OK;
}

static void
clear_string(const struct conf_key *k, void *obj)
{
	char **field = FIELD(obj, k, char *);

	free(*field);
	*field = NULL;
}

static void
clear_nothing(const struct conf_key *k, void *obj)
{
	(void)k;
	(void)obj;
}

/* bool */

static int
bool_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	(void)n;
	if (strcmp(w[0], "yes") == 0)
		*FIELD(obj, k, bool) = true;
	else if (strcmp(w[0], "no") == 0)
		*FIELD(obj, k, bool) = false;
	else {
		snprintf(msg, msglen, "'%s' is not yes or no", w[0]);
		return DOTS_EVALUE;
	}
	return DOTS_OK;
}

static void
bool_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	(void)flags;
	fprintf(f, "%s%s %s\n", ind, k->name,
	    *CFIELD(obj, k, bool) ? "yes" : "no");
}

/* uint */

static int
uint_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	uint32_t v;
	int ret;

	(void)n;
	ret = parse_bounded(k, w[0], &v, msg, msglen);
	if (ret != DOTS_OK)
		return ret;
	*FIELD(obj, k, uint32_t) = v;
	return DOTS_OK;
}

static void
uint_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	(void)flags;
	fprintf(f, "%s%s %u\n", ind, k->name, *CFIELD(obj, k, uint32_t));
}

/* enum */

static int
enum_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	size_t i, len;

	(void)n;
	for (i = 0; k->labels[i] != NULL; i++) {
		if (strcmp(w[0], k->labels[i]) == 0) {
			*FIELD(obj, k, int) = (int)i;
			return DOTS_OK;
		}
	}
	len = (size_t)snprintf(msg, msglen, "'%s' is not one of", w[0]);
	for (i = 0; k->labels[i] != NULL && len < msglen; i++)
		len += (size_t)snprintf(msg + len, msglen - len, "%s %s",
		    i == 0 ? "" : ",", k->labels[i]);
	return DOTS_EVALUE;
}

static void
enum_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	(void)flags;
	fprintf(f, "%s%s %s\n", ind, k->name,
	    k->labels[*CFIELD(obj, k, int)]);
}

/* path, name, psk-identity: strings */

static int
path_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	int ret;

	(void)n;
	ret = conf_check_text(w[0], PATH_MAX - 1, msg, msglen);
	if (ret != DOTS_OK)
		return ret;
	return set_string(FIELD(obj, k, char *), w[0], msg, msglen);
}

static int
name_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	int ret;

	(void)n;
	ret = conf_check_name(w[0], msg, msglen);
	if (ret != DOTS_OK)
		return ret;
	return set_string(FIELD(obj, k, char *), w[0], msg, msglen);
}

static int
pskid_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	int ret;

	(void)n;
	ret = conf_check_text(w[0], k->max, msg, msglen);
	if (ret != DOTS_OK)
		return ret;
	return set_string(FIELD(obj, k, char *), w[0], msg, msglen);
}

static void
string_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	const char *s = *CFIELD(obj, k, char *);

	(void)flags;
	if (s == NULL)
		return;
	fprintf(f, "%s%s ", ind, k->name);
	conf_print_quoted(f, s);
	fputc('\n', f);
}

/* A client's mitigator (the one NAME key): print the one in use, the
 * named one or the default. */
static void
climit_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	const struct conf_client *cl = obj;

	/* a NAME elsewhere (gateway-id) prints as it was given */
	if (k->scope != CONF_SC_CLIENT) {
		string_print(f, ind, k, obj, flags);
		return;
	}
	if (cl->mitigator == NULL)
		return;
	fprintf(f, "%s%s ", ind, k->name);
	conf_print_quoted(f, cl->mitigator->name);
	fputc('\n', f);
}

/* Implied by identity "psk:ID": not printed then. */
static void
pskid_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	const struct conf_client *cl = obj;

	if (cl->identity.kind != CONF_ID_PSK)
		string_print(f, ind, k, obj, flags);
}

/* listen ADDR [PORT] */

static int
listen_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	struct conf_listen l, *lv = *FIELD(obj, k, struct conf_listen *), *nl;
	size_t i, nlisten = *COUNT(obj, k);
	uint8_t bin[16];
	/* min is the default port of a listen keyword, if not 0 */
	uint32_t port = k->min != 0 ? k->min : CONF_DEFAULT_PORT;
	int family = strchr(w[0], ':') != NULL ? AF_INET6 : AF_INET;

	memset(&l, 0, sizeof(l));
	if (inet_pton(family, w[0], bin) != 1) {
		snprintf(msg, msglen, "'%s' is not an IPv4 or IPv6 address",
		    w[0]);
		return DOTS_EVALUE;
	}
	if (n == 2 && (parse_u32(w[1], &port) != 0 || port == 0 ||
	    port > 65535)) {
		snprintf(msg, msglen, "'%s' is not a port (1..65535)", w[1]);
		return DOTS_EVALUE;
	}
	inet_ntop(family, bin, l.addr, sizeof(l.addr));
	l.port = (uint16_t)port;
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&l.sa;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(l.port);
		memcpy(&sin6->sin6_addr, bin, 16);
		l.salen = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&l.sa;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(l.port);
		memcpy(&sin->sin_addr, bin, 4);
		l.salen = sizeof(*sin);
	}
	for (i = 0; i < nlisten; i++) {
		if (lv[i].port == l.port && strcmp(lv[i].addr, l.addr) == 0) {
			snprintf(msg, msglen, "%s %u given twice", l.addr,
			    l.port);
			return DOTS_EVALUE;
		}
	}
	nl = conf_list_add((void **)FIELD(obj, k, struct conf_listen *),
	    COUNT(obj, k), sizeof(l));
	if (nl == NULL)
		return nomem(msg, msglen);
	*nl = l;
	return DOTS_OK;
}

static void
listen_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	const struct conf_listen *lv = *CFIELD(obj, k, struct conf_listen *);
	size_t i;

	(void)flags;
	for (i = 0; i < CCOUNT(obj, k); i++)
		fprintf(f, "%s%s %s %u\n", ind, k->name, lv[i].addr,
		    lv[i].port);
}

static void
list_clear(const struct conf_key *k, void *obj)
{
	void **v = FIELD(obj, k, void *);

	free(*v);
	*v = NULL;
	*COUNT(obj, k) = 0;
}

/* CUR [MIN MAX] */

static int
range_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	struct conf_range r = *FIELD(obj, k, struct conf_range);
	int ret;

	if (n == 2) {
		snprintf(msg, msglen, "expected CUR or CUR MIN MAX");
		return DOTS_EVALUE;
	}
	ret = parse_bounded(k, w[0], &r.cur, msg, msglen);
	if (ret == DOTS_OK && n == 3)
		ret = parse_bounded(k, w[1], &r.min, msg, msglen);
	if (ret == DOTS_OK && n == 3)
		ret = parse_bounded(k, w[2], &r.max, msg, msglen);
	if (ret != DOTS_OK)
		return ret;
	if (r.min > r.max) {
		snprintf(msg, msglen, "minimum %s is above maximum %s",
		    w[1], w[2]);
		return DOTS_EVALUE;
	}
	if ((r.cur < r.min || r.cur > r.max) &&
	    !(r.cur == 0 && (k->flags & CONF_F_ZERO_OFF))) {
		char lo[16], hi[16];

		snprintf(msg, msglen, "current value %s is outside %s..%s",
		    w[0], fmt_num(k, r.min, lo, sizeof(lo)),
		    fmt_num(k, r.max, hi, sizeof(hi)));
		return DOTS_EVALUE;
	}
	*FIELD(obj, k, struct conf_range) = r;
	return DOTS_OK;
}

static void
range_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	const struct conf_range *r = CFIELD(obj, k, struct conf_range);
	char cur[16], lo[16], hi[16];

	(void)flags;
	fprintf(f, "%s%s %s %s %s\n", ind, k->name,
	    fmt_num(k, r->cur, cur, sizeof(cur)),
	    fmt_num(k, r->min, lo, sizeof(lo)),
	    fmt_num(k, r->max, hi, sizeof(hi)));
}

/* identity "cn:..." | "spki:..." | "psk:..." */

static int
b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/*
 * Unpadded base64url of 16 or 32 bytes (22 or 43 characters), in its
 * one canonical form: the unused low bits of the last character are 0.
 */
static int
b64url_decode(const char *s, uint8_t *out, size_t *outlen)
{
	size_t len = strlen(s), i, bytes, o = 0;
	uint32_t acc = 0;
	unsigned bits = 0;

	if (len == 22)
		bytes = 16;
	else if (len == 43)
		bytes = 32;
	else
		return -1;
	for (i = 0; i < len; i++) {
		int v = b64url_value(s[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o < bytes)
				out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (o != bytes || acc != 0)
		return -1;
	*outlen = bytes;
	return 0;
}

static const char *const id_prefix[] = {
	[CONF_ID_CN] = "cn:",
	[CONF_ID_SPKI] = "spki:",
	[CONF_ID_PSK] = "psk:",
};

static int
identity_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	struct conf_identity *id = FIELD(obj, k, struct conf_identity);
	struct conf_identity nid;
	const char *v = NULL;
	size_t i;
	int ret;

	(void)n;
	memset(&nid, 0, sizeof(nid));
	for (i = 0; i < sizeof(id_prefix) / sizeof(id_prefix[0]); i++) {
		size_t plen = strlen(id_prefix[i]);

		if (strncmp(w[0], id_prefix[i], plen) == 0) {
			nid.kind = (enum conf_id_kind)i;
			v = w[0] + plen;
		}
	}
	if (v == NULL) {
		snprintf(msg, msglen, "'%s' does not start with cn:, spki: "
		    "or psk:", w[0]);
		return DOTS_EVALUE;
	}
	switch (nid.kind) {
	case CONF_ID_CN:
		ret = conf_check_text(v, CN_MAX, msg, msglen);
		break;
	case CONF_ID_SPKI:
		ret = DOTS_OK;
		if (b64url_decode(v, nid.spki, &nid.spki_len) != 0) {
			snprintf(msg, msglen, "spki: wants the unpadded "
			    "base64url of a SHA-256 (43 characters) or of its "
			    "first 16 bytes (22)");
			ret = DOTS_EVALUE;
		}
		break;
	case CONF_ID_PSK:
	default:
		ret = conf_check_text(v, CONF_PSK_ID_MAX, msg, msglen);
		break;
	}
	if (ret != DOTS_OK)
		return ret;
	nid.value = strdup(v);
	if (nid.value == NULL)
		return nomem(msg, msglen);
	free(id->value);
	*id = nid;
	return DOTS_OK;
}

static void
identity_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	const struct conf_identity *id = CFIELD(obj, k, struct conf_identity);

	(void)flags;
	if (id->value == NULL)
		return;
	fprintf(f, "%s%s \"%s", ind, k->name, id_prefix[id->kind]);
	print_escaped(f, id->value);
	fputs("\"\n", f);
}

static void
identity_clear(const struct conf_key *k, void *obj)
{
	struct conf_identity *id = FIELD(obj, k, struct conf_identity);

	free(id->value);
	memset(id, 0, sizeof(*id));
}

/* psk-key "text" | hex:HEX */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
pskkey_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	struct conf_bytes *key = FIELD(obj, k, struct conf_bytes);
	const char *s = w[0];
	uint8_t *data;
	size_t len, i;

	(void)n;
	if (strncmp(s, "hex:", 4) == 0) {
		s += 4;
		len = strlen(s);
		if (len % 2 != 0) {
			snprintf(msg, msglen, "odd number of hex digits");
			return DOTS_EVALUE;
		}
		len /= 2;
	} else
		len = strlen(s);
	if (len < k->min || len > k->max) {
		snprintf(msg, msglen, "%zu bytes, want %u to %u", len, k->min,
		    k->max);
		return DOTS_EVALUE;
	}
	data = malloc(len);
	if (data == NULL)
		return nomem(msg, msglen);
	if (s != w[0]) {
		for (i = 0; i < len; i++) {
			int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				free(data);
				snprintf(msg, msglen, "not a hex digit");
				return DOTS_EVALUE;
			}
			data[i] = (uint8_t)(hi << 4 | lo);
		}
	} else
		memcpy(data, s, len);
	if (key->data != NULL)
		memset(key->data, 0, key->len);
	free(key->data);
	key->data = data;
	key->len = len;
	return DOTS_OK;
}

static void
pskkey_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	const struct conf_bytes *key = CFIELD(obj, k, struct conf_bytes);
	size_t i;

	if (key->data == NULL)
		return;
	if (!(flags & CONF_PRINT_SECRETS)) {
		fprintf(f, "%s# %s hidden (%zu bytes)\n", ind, k->name,
		    key->len);
		return;
	}
	fprintf(f, "%s%s hex:", ind, k->name);
	for (i = 0; i < key->len; i++)
		fprintf(f, "%02x", key->data[i]);
	fputc('\n', f);
}

static void
pskkey_clear(const struct conf_key *k, void *obj)
{
	struct conf_bytes *key = FIELD(obj, k, struct conf_bytes);

	if (key->data != NULL)
		memset(key->data, 0, key->len);
	free(key->data);
	key->data = NULL;
	key->len = 0;
}

/* prefix P */

static int
prefix_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	struct dots_prefix p, *pv = *FIELD(obj, k, struct dots_prefix *), *np;
	size_t i, count = *COUNT(obj, k);
	char canon[64];
	bool host;

	(void)n;
	if (dots_prefix_parse(w[0], &p, &host) != DOTS_OK) {
		snprintf(msg, msglen, "'%s' is not an IP prefix "
		    "(address/length)", w[0]);
		return DOTS_EVALUE;
	}
	dots_prefix_format(&p, canon, sizeof(canon));
	if (host) {
		snprintf(msg, msglen, "%s has host bits set (%s?)", w[0],
		    canon);
		return DOTS_EVALUE;
	}
	for (i = 0; i < count; i++) {
		if (memcmp(&pv[i], &p, sizeof(p)) == 0) {
			snprintf(msg, msglen, "%s given twice", canon);
			return DOTS_EVALUE;
		}
	}
	if (count >= k->max) {
		snprintf(msg, msglen, "more than %u prefixes", k->max);
		return DOTS_EVALUE;
	}
	np = conf_list_add((void **)FIELD(obj, k, struct dots_prefix *),
	    COUNT(obj, k), sizeof(p));
	if (np == NULL)
		return nomem(msg, msglen);
	*np = p;
	return DOTS_OK;
}

static void
prefix_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	const struct dots_prefix *pv = *CFIELD(obj, k, struct dots_prefix *);
	char buf[64];
	size_t i;

	(void)flags;
	for (i = 0; i < CCOUNT(obj, k); i++) {
		dots_prefix_format(&pv[i], buf, sizeof(buf));
		fprintf(f, "%s%s %s\n", ind, k->name, buf);
	}
}

/* fqdn NAME */

static bool
fqdn_valid(const char *s)
{
	size_t len = strlen(s), label = 0;
	const char *p;

	if (len == 0 || len > FQDN_MAX || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
		if (label == 0 && *p == '-')
			return false;
		if (++label > 63)
			return false;
	}
	return p[-1] != '-';
}

static int
fqdn_parse(const struct conf_key *k, void *obj, char **w, unsigned n,
    char *msg, size_t msglen)
{
	char **fv = *FIELD(obj, k, char **), **nf, *name;
	size_t i, count = *COUNT(obj, k);

	(void)n;
	if (!fqdn_valid(w[0])) {
		snprintf(msg, msglen, "'%s' is not a domain name", w[0]);
		return DOTS_EVALUE;
	}
	name = strdup(w[0]);
	if (name == NULL)
		return nomem(msg, msglen);
	for (i = 0; name[i] != '\0'; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	for (i = 0; i < count; i++) {
		if (strcmp(fv[i], name) == 0) {
			snprintf(msg, msglen, "%s given twice", name);
			free(name);
			return DOTS_EVALUE;
		}
	}
	if (count >= k->max) {
		snprintf(msg, msglen, "more than %u names", k->max);
		free(name);
		return DOTS_EVALUE;
	}
	nf = conf_list_add((void **)FIELD(obj, k, char **), COUNT(obj, k),
	    sizeof(char *));
	if (nf == NULL) {
		free(name);
		return nomem(msg, msglen);
	}
	*nf = name;
	return DOTS_OK;
}

static void
fqdn_print(FILE *f, const char *ind, const struct conf_key *k,
    const void *obj, unsigned flags)
{
	char *const *fv = *CFIELD(obj, k, char **);
	size_t i;

	(void)flags;
	for (i = 0; i < CCOUNT(obj, k); i++)
		fprintf(f, "%s%s %s\n", ind, k->name, fv[i]);
}

static void
fqdn_clear(const struct conf_key *k, void *obj)
{
	char **fv = *FIELD(obj, k, char **);
	size_t i;

	for (i = 0; i < *COUNT(obj, k); i++)
		free(fv[i]);
	list_clear(k, obj);
}

const struct conf_type_ops conf_type_ops[CONF_T_COUNT] = {
	[CONF_T_BOOL] = { "yes|no", 1, 1, bool_parse, bool_print,
	    clear_nothing },
	[CONF_T_UINT] = { "NUMBER", 1, 1, uint_parse, uint_print,
	    clear_nothing },
	[CONF_T_ENUM] = { "WORD", 1, 1, enum_parse, enum_print,
	    clear_nothing },
	[CONF_T_PATH] = { "PATH", 1, 1, path_parse, string_print,
	    clear_string },
	[CONF_T_NAME] = { "NAME", 1, 1, name_parse, climit_print,
	    clear_string },
	[CONF_T_LISTEN] = { "ADDRESS [PORT]", 1, 2, listen_parse,
	    listen_print, list_clear },
	[CONF_T_RANGE] = { "CUR [MIN MAX]", 1, 3, range_parse, range_print,
	    clear_nothing },
	[CONF_T_IDENTITY] = { "KIND:VALUE", 1, 1, identity_parse,
	    identity_print, identity_clear },
	[CONF_T_PSK_ID] = { "STRING", 1, 1, pskid_parse, pskid_print,
	    clear_string },
	[CONF_T_PSK_KEY] = { "STRING|hex:HEX", 1, 1, pskkey_parse,
	    pskkey_print, pskkey_clear },
	[CONF_T_PREFIX] = { "PREFIX", 1, 1, prefix_parse, prefix_print,
	    list_clear },
	[CONF_T_FQDN] = { "NAME", 1, 1, fqdn_parse, fqdn_print,
	    fqdn_clear },
	[CONF_T_BLOCK] = { "\"NAME\" {", 1, 1, NULL, NULL, NULL },
};
