#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The whole test suite, as CI runs it (.ci/run).  From any directory:
#
#   ./scripts/test.sh
#
# 1. build-asan/: clang, ASan + UBSan, libFuzzer targets, -Werror.  Runs the
#    unit tests under the sanitizers, the fuzz corpus replays and a short
#    fuzzing run per target (FUZZ_SECONDS each, default 20).
# 2. build/: the default compiler (gcc), RelWithDebInfo, -Werror.  Runs
#    everything again (unit tests + replays) in a plain optimized build.
#
# ctest in build/ is the last command, so the output ends with its summary.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
generator=()
if command -v ninja >/dev/null 2>&1; then
	generator=(-G Ninja)
fi

# A build directory configured with another generator cannot be reused.
configure() {
	local dir=$1
	shift
	if [ -f "$dir/CMakeCache.txt" ] && [ ${#generator[@]} -gt 0 ] &&
	    ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
		rm -rf "$dir"
	fi
	cmake -S . -B "$dir" "${generator[@]}" "$@"
}

echo "=== build-asan: clang, ASan+UBSan, fuzzing ==="
configure build-asan \
	-DCMAKE_C_COMPILER=clang \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DDOTS_SANITIZE=address,undefined \
	-DDOTS_ENABLE_FUZZ=ON \
	-DDOTS_FUZZ_SECONDS="${FUZZ_SECONDS:-20}" \
	-DDOTS_WERROR=ON
cmake --build build-asan --parallel "$jobs"
ctest --test-dir build-asan --output-on-failure --parallel "$jobs"

echo "=== build: gcc, RelWithDebInfo ==="
configure build \
	-DCMAKE_C_COMPILER=gcc \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DDOTS_WERROR=ON
cmake --build build --parallel "$jobs"
ctest --test-dir build --output-on-failure --parallel "$jobs"
