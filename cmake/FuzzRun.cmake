# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs one libFuzzer binary for a fixed time on a scratch copy of its seed
# corpus; used by the CTest tests fuzz_<entry>_run (fuzz/CMakeLists.txt).
#
#   cmake -DFUZZER=<binary> -DSEED=<fuzz/corpus/entry> -DWORK=<dir>
#         -DSECONDS=<n> -P FuzzRun.cmake
#
# WORK is emptied first and then holds corpus/ (the seeds plus whatever the
# run found) and artifacts/ (crash-*, leak-*, timeout-*, oom-* reproducers).
# The committed corpus is never written to.  The test fails if libFuzzer
# exits non-zero, i.e. on any crash, sanitizer report, leak, timeout or OOM.

foreach(_var FUZZER SEED WORK SECONDS)
	if(NOT DEFINED ${_var})
		message(FATAL_ERROR "FuzzRun.cmake: -D${_var}= missing")
	endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
if(IS_DIRECTORY "${SEED}")
	file(COPY "${SEED}/" DESTINATION "${WORK}/corpus")
endif()

# A dictionary of member names and keys, if the target has one.
set(_dict_arg)
if(DEFINED DICT AND EXISTS "${DICT}")
	set(_dict_arg "-dict=${DICT}")
endif()

execute_process(
	COMMAND "${FUZZER}"
	    ${_dict_arg}
	    -max_total_time=${SECONDS}
	    -timeout=10
	    -rss_limit_mb=2048
	    -print_final_stats=1
	    -artifact_prefix=${WORK}/artifacts/
	    "${WORK}/corpus"
	WORKING_DIRECTORY "${WORK}"
	RESULT_VARIABLE _rc)

if(NOT _rc EQUAL 0)
	file(GLOB _artifacts "${WORK}/artifacts/*")
	message(FATAL_ERROR "${FUZZER} failed (exit ${_rc}); "
	    "reproducers: ${_artifacts}")
endif()
