/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The rules of RFC 9132, 9066, 9133 and 9362 that a decoded message must
 * follow and that need no server state: which fields a request may carry
 * and which it must, mid/cuid presence, lifetime range, special addresses.
 * Decoding (cbor.h, json.h) checks syntax and types; this checks meaning.
 */
#ifndef DOTS_VALIDATE_H
#define DOTS_VALIDATE_H

#include <stdint.h>

#include <dots/error.h>
#include <dots/model.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where a message body appears, which decides the rules it must follow. */
enum dots_msg_role {
	DOTS_ROLE_MITIGATION_REQUEST = 1, /* PUT /mitigate (client) */
	DOTS_ROLE_EFFICACY_UPDATE,	/* PUT /mitigate with If-Match */
	DOTS_ROLE_CALL_HOME_REQUEST,	/* PUT /mitigate on a Call Home session */
	DOTS_ROLE_MITIGATION_CREATED,	/* 2.01/2.04 answer to a PUT */
	DOTS_ROLE_MITIGATION_STATUS,	/* GET answer or notification */
	DOTS_ROLE_MITIGATION_CONFLICT,	/* 4.09 body */
	DOTS_ROLE_FILTER_FAILURE,	/* 5.03 body of RFC 9133 */
	DOTS_ROLE_CONFIG_REQUEST,	/* PUT /config (client) */
	DOTS_ROLE_CONFIG_RESPONSE,	/* GET /config answer */
	DOTS_ROLE_HEARTBEAT,		/* PUT /hb, either direction */
	DOTS_ROLE_REDIRECT,		/* 5.03 redirected-signal body */
	DOTS_ROLE_CALL_HOME_REDIRECT	/* PUT /redirect (RFC 9066) */
};

/* Request identifiers carried in the Uri-Path (RFC 9132 section 4.4.1). */
#define DOTS_URI_MAX_ID		64

#define DOTS_URI_CUID		(1u << 0)
#define DOTS_URI_CDID		(1u << 1)
#define DOTS_URI_MID		(1u << 2)
#define DOTS_URI_SID		(1u << 3)

enum dots_resource {
	DOTS_RES_NONE = 0,
	DOTS_RES_MITIGATE,
	DOTS_RES_CONFIG,
	DOTS_RES_HB,
	DOTS_RES_REDIRECT
};

struct dots_uri {
	enum dots_resource	resource;
	uint32_t		present;	/* DOTS_URI_* */
	char			cuid[DOTS_URI_MAX_ID + 1];
	char			cdid[DOTS_URI_MAX_ID + 1];
	uint32_t		mid;
	uint32_t		sid;
};

/* validate.c */

/**
 * Check a decoded message against the rules for @p role.
 * @return DOTS_OK or a negative dots_err; @p diag names the field
 */
int	dots_validate_signal(const struct dots_signal *m,
	    enum dots_msg_role role, struct dots_diag *diag);

/* uri.c */

/**
 * Parse the Uri-Path segments of a request, e.g. {".well-known", "dots",
 * "mitigate", "cuid=abc", "mid=7"}, enforcing the order and non-empty
 * rules of RFC 9132.
 * @return DOTS_OK or DOTS_EURI with @p diag set
 */
int	dots_uri_parse(const char *const *segs, const size_t *lens,
	    size_t nsegs, struct dots_uri *uri, struct dots_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* DOTS_VALIDATE_H */
