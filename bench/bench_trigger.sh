#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Time from a `trigger start` on dotscd's control socket to the server's
# 2.01 (the daemon answers `active` once it came), p50/p99 over N runs,
# without loss and with 30% loss both ways.  It runs
# tests/integration/clientd_loss.sh (network namespace, nftables numgen;
# root only) with its trials replaced by these.  Figures are reported,
# not asserted.
#
#   bench/bench_trigger.sh BUILD_DIR [N]
set -uo pipefail
B=${1:?usage: $0 BUILD_DIR [N]}
D=$(cd "$(dirname "$0")/.." && pwd)
CLIENTD_BENCH=1 CLIENTD_TRIALS=${2:-200} CLIENTD_TRIAL_KIND=trigger \
    bash "$D/tests/integration/clientd_loss.sh" "$B/src/server/dotsd" \
    "$B/src/cli/dots-codec" "$B/src/clientd/dotscd" | grep -E "loss: "
