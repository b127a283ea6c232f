/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Error codes and diagnostics of libdots.
 *
 * Every libdots function returns an int: DOTS_OK (0) or a negative code.
 * System errors are negated errno values; protocol errors start at -1000.
 * Functions that parse peer input also fill a struct dots_diag with the
 * path of the offending field and a sentence saying what is wrong, ready
 * to be sent back as a CoAP diagnostic payload or RESTCONF error message.
 */
#ifndef DOTS_ERROR_H
#define DOTS_ERROR_H

#include <errno.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dots_err {
	DOTS_OK = 0,
	DOTS_ENOMEM = -ENOMEM,
	DOTS_EINVAL = -EINVAL,		/* bad argument from the caller */
	DOTS_ENOSPC = -ENOSPC,		/* output buffer too small */

	DOTS_EMALFORMED = -1000,	/* not well-formed CBOR or JSON */
	DOTS_EUNKNOWN_KEY,		/* unknown comprehension-required key */
	DOTS_ETYPE,			/* wrong data type for a field */
	DOTS_ERANGE,			/* value out of the allowed range */
	DOTS_EVALUE,			/* value has the wrong format */
	DOTS_EDUPLICATE,		/* duplicate key or list entry */
	DOTS_EEMPTY,			/* empty value, where RFC 9132 forbids */
	DOTS_ETOOBIG,			/* too many entries or too long */
	DOTS_EMISSING,			/* mandatory field absent */
	DOTS_EFORBIDDEN,		/* field not allowed in this message */
	DOTS_EMULTI_SCOPE,		/* more than one scope in a request */
	DOTS_EKIND,			/* wrong message type for the resource */
	DOTS_EURI,			/* bad Uri-Path */
	DOTS_EERRMAX			/* end marker, not an error */
};

#define DOTS_DIAG_PATH_MAX	128
#define DOTS_DIAG_MSG_MAX	200
#define DOTS_DIAG_WARN_MAX	8

struct dots_diag_entry {
	char	path[DOTS_DIAG_PATH_MAX];	/* e.g. mitigation-scope/scope/0/lifetime */
	char	msg[DOTS_DIAG_MSG_MAX];
};

/*
 * What went wrong with one message, and what was accepted with a warning.
 * Fixed size: filling it never allocates.  Reset with dots_diag_clear().
 */
struct dots_diag {
	int			err;		/* DOTS_OK or the first error */
	struct dots_diag_entry	error;
	unsigned		nwarn;		/* warnings kept (at most WARN_MAX) */
	unsigned		nwarn_total;	/* warnings seen */
	struct dots_diag_entry	warn[DOTS_DIAG_WARN_MAX];
};

/* error.c */

/** Short English description of an error code; never NULL. */
const char	*dots_strerror(int err);

/** The symbolic name of an error code, e.g. "DOTS_ERANGE". */
const char	*dots_err_name(int err);

/**
 * The CoAP response code (as 3 digits, e.g. 400 for 4.00) that a server
 * answers when a request fails with @p err.
 */
int		 dots_err_coap_code(int err);

void		 dots_diag_clear(struct dots_diag *d);

/**
 * Format "path: message" (or just "message" without a path) into @p buf.
 * @return @p buf.
 */
char		*dots_diag_format(const struct dots_diag *d, char *buf,
		    size_t len);

#ifdef __cplusplus
}
#endif

#endif /* DOTS_ERROR_H */
