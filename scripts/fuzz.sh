#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Longer fuzzing runs than the ones CTest does.  Builds build-fuzz/ (clang,
# libFuzzer, ASan + UBSan) and runs every fuzz/fuzz_<entry>.c target, one
# after the other, for SECONDS each (default 60) on a scratch copy of its
# seed corpus in build-fuzz/fuzz-work/<entry>/.
#
#   ./scripts/fuzz.sh [--merge] [SECONDS] [ENTRY...]
#
#   --merge   afterwards, add the inputs that reach new coverage to the
#             committed corpus fuzz/corpus/<entry>/ (libFuzzer -merge=1);
#             review and commit them
#   ENTRY     only these targets (e.g. cbor_signal); default: all
#
# Prints one line per target with the number of executions and the result;
# a crash leaves its reproducer in build-fuzz/fuzz-work/<entry>/artifacts/
# (add it to fuzz/corpus/<entry>/ once fixed, so the replay test keeps it).
# Exits 1 if any target failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

merge=0
seconds=60
entries=()
for arg in "$@"; do
	case $arg in
	--merge) merge=1 ;;
	-h|--help)
		awk 'NR >= 5 && !/^#/ { exit }
		    NR >= 5 { sub(/^# ?/, ""); print }' "$0"
		exit 0 ;;
	-*) echo "fuzz: unknown option $arg" >&2; exit 2 ;;
	*[!0-9]*) entries+=("$arg") ;;
	*) seconds=$arg ;;
	esac
done

generator=()
if command -v ninja >/dev/null 2>&1; then
	generator=(-G Ninja)
fi
cmake -S . -B build-fuzz "${generator[@]}" \
	-DCMAKE_C_COMPILER=clang \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DDOTS_SANITIZE=address,undefined \
	-DDOTS_ENABLE_FUZZ=ON \
	-DDOTS_ENABLE_TESTS=OFF >/dev/null
cmake --build build-fuzz --parallel "$(nproc 2>/dev/null || echo 2)"

if [ ${#entries[@]} -eq 0 ]; then
	for src in fuzz/fuzz_*.c; do
		[ -e "$src" ] || continue
		entry=${src#fuzz/fuzz_}
		entries+=("${entry%.c}")
	done
fi
if [ ${#entries[@]} -eq 0 ]; then
	echo "fuzz: no fuzz/fuzz_*.c targets" >&2
	exit 1
fi

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=strict_string_checks=1:detect_stack_use_after_return=1

failed=0
results=()
for entry in "${entries[@]}"; do
	bin=build-fuzz/fuzz/fuzz_$entry
	seed=fuzz/corpus/$entry
	work=build-fuzz/fuzz-work/$entry
	if [ ! -x "$bin" ]; then
		results+=("$(printf '%-20s %12s  FAIL (no binary %s)' \
		    "$entry" - "$bin")")
		failed=1
		continue
	fi
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	if [ -d "$seed" ]; then
		cp -R "$seed/." "$work/corpus/"
	fi

	echo "=== fuzz_$entry: ${seconds}s ==="
	rc=0
	dict=()
	if [ -f "fuzz/dict/$entry.dict" ]; then
		dict=(-dict="$PWD/fuzz/dict/$entry.dict")
	fi
	"$bin" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	    "$work/corpus" 2>&1 | tee "$work/log" || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" |
	    tail -n 1)
	if [ "$rc" -eq 0 ]; then
		result=OK
	else
		result="FAIL (exit $rc; reproducers in $work/artifacts/)"
		failed=1
	fi

	if [ "$merge" -eq 1 ] && [ "$rc" -eq 0 ]; then
		mkdir -p "$seed"
		before=$(find "$seed" -type f | wc -l)
		"$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 \
		    "$seed" "$work/corpus" >"$work/merge.log" 2>&1
		after=$(find "$seed" -type f | wc -l)
		result="$result, merged $((after - before)) new inputs into $seed/"
	fi
	results+=("$(printf '%-20s %12s  %s' "$entry" "${execs:-?}" "$result")")
done

echo
printf '%-20s %12s  %s\n' target execs result
for line in "${results[@]}"; do
	echo "$line"
done
exit "$failed"
