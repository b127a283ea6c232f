/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: fs_rib_flowspec() and fs_rib_blackhole(), the reading of
 * GoBGP's JSON RIB listing by the flowspec and rtbh mitigators
 * (src/backend/flowspec/fs_rib.c).  The listing comes from another
 * program and decides which routes dotsd withdraws, so it must never
 * crash the server whatever the bytes.
 *
 * Invariants checked (the target aborts otherwise): the result is 0 or
 * -EINVAL; every route handed over has a family, non-empty NUL-terminated
 * words, and for flowspec starts with "destination ".
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs_rule.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check_route(void *arg, const char *family, const char *nlri,
    const char *attrs)
{
	const int *flowspec = arg;

	if (family == NULL || nlri == NULL || attrs == NULL ||
	    nlri[0] == '\0' || attrs[0] == '\0')
		abort();
	if (*flowspec && strncmp(nlri, "destination ", 12) != 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	int yes = 1, no = 0, ret;

	ret = fs_rib_flowspec(text, size, DOTS_AF_INET4, check_route, &yes);
	if (ret != 0 && ret != -EINVAL)
		abort();
	ret = fs_rib_flowspec(text, size, DOTS_AF_INET6, check_route, &yes);
	if (ret != 0 && ret != -EINVAL)
		abort();
	ret = fs_rib_blackhole(text, size, DOTS_AF_INET4, check_route, &no);
	if (ret != 0 && ret != -EINVAL)
		abort();
	return 0;
}
