/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internal: syntax checks of string values (ietf-inet-types and UTF-8).
 * Each returns NULL when the value is fine, or a reason to show the user.
 */
#ifndef DOTS_STRCHECK_H
#define DOTS_STRCHECK_H

#include <stddef.h>

const char	*check_utf8(const char *s, size_t len);
const char	*check_domain_name(const char *s, size_t len);
const char	*check_uri(const char *s, size_t len);

#endif /* DOTS_STRCHECK_H */
