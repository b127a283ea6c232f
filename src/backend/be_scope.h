/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A mitigation scope as JSON, for the mitigators that hand scopes on as
 * text (exec, log, dots).
 */
#ifndef DOTS_BE_SCOPE_H
#define DOTS_BE_SCOPE_H

#include <jansson.h>

#include <dots/model.h>

/**
 * @p scope as libdots writes one element of mitigation-scope/scope
 * (RFC 9132 JSON).  @return a **new** reference, or NULL with errno set
 * (ENOMEM, EINVAL)
 */
json_t	*be_scope_json(const struct dots_scope *scope);

#endif /* DOTS_BE_SCOPE_H */
