/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The libFuzzer entry points.  A fuzz/fuzz_<entry>.c includes this so that
 * its definition of LLVMFuzzerTestOneInput() has a prototype
 * (-Wmissing-prototypes); replay.c calls it through the same declaration.
 */
#ifndef DOTS_FUZZ_H
#define DOTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Called once per input; must not keep @p data past the return. */
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* DOTS_FUZZ_H */
