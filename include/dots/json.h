/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * JSON codec of signal-channel bodies per RFC 7951: module-qualified member
 * names, uint64 and decimal64 as strings, enumerations as labels.
 */
#ifndef DOTS_JSON_H
#define DOTS_JSON_H

#include <stddef.h>

#include <dots/error.h>
#include <dots/model.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Accept the forms that DOTS drafts used and that peers written from them
 * still send, each with a warning in the diag: "acl-list" without its
 * "ietf-dots-signal-control:" prefix in a scope.  Without this flag they
 * are errors.
 */
#define DOTS_JSON_LENIENT	0x1u

/* Output flags. */
#define DOTS_JSON_PRETTY	0x1u

/**
 * Decode one signal-channel body.
 * @param out receives a **new** message on success, NULL on error
 * @return DOTS_OK or a negative dots_err; @p diag names the field
 */
int	 dots_json_decode_signal(const char *text, size_t len, unsigned flags,
	    struct dots_signal **out, struct dots_diag *diag);

/**
 * Encode a message as RFC 7951 JSON.
 * @return a **new** NUL-terminated string (free()), or NULL with *@p err set
 */
char	*dots_json_encode_signal(const struct dots_signal *m, unsigned flags,
	    int *err);

#ifdef __cplusplus
}
#endif

#endif /* DOTS_JSON_H */
