/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The policy mitigator's settings, checked without making it (for
 * be_check_settings(), dotsd -n).
 */
#ifndef DOTS_BE_POLICY_H
#define DOTS_BE_POLICY_H

#include "../backend.h"

int	be_policy_check(const struct be_setting *settings, size_t n,
	    int (*kind_of)(const void *arg, const char *name),
	    const void *arg, char *err, size_t errlen);

#endif /* DOTS_BE_POLICY_H */
