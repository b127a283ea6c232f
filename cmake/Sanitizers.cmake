# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# DOTS_SANITIZE: a comma-separated list for -fsanitize= ("address,undefined",
# "undefined", "memory", ...), applied to every target compiled and linked
# after this file is included.  Any sanitizer report is fatal
# (-fno-sanitize-recover=all), so a UBSan finding fails the test that
# triggered it instead of scrolling past.  Empty: no sanitizer.
#
# The CTest environment for sanitized runs is in DOTS_SANITIZER_TEST_ENV;
# DotsTesting.cmake and fuzz/CMakeLists.txt put it on their tests.

include(CheckCSourceCompiles)

set(DOTS_SANITIZER_TEST_ENV "")

if(DOTS_SANITIZE)
	string(REPLACE " " "" _dots_san "${DOTS_SANITIZE}")
	set(_dots_san_flags
	    -fsanitize=${_dots_san}
	    -fno-omit-frame-pointer
	    -fno-sanitize-recover=all)

	# Fail at configure time, not in the middle of the build, if the
	# compiler or its runtime (libclang-rt-*-dev for clang) lacks it.
	set(CMAKE_REQUIRED_FLAGS "${_dots_san_flags}")
	string(REPLACE ";" " " CMAKE_REQUIRED_FLAGS "${CMAKE_REQUIRED_FLAGS}")
	set(CMAKE_REQUIRED_LINK_OPTIONS ${_dots_san_flags})
	string(MAKE_C_IDENTIFIER "DOTS_SANITIZE_WORKS_${_dots_san}" _dots_var)
	check_c_source_compiles("int main(void) { return 0; }" ${_dots_var})
	unset(CMAKE_REQUIRED_FLAGS)
	unset(CMAKE_REQUIRED_LINK_OPTIONS)
	if(NOT ${_dots_var})
		message(FATAL_ERROR "DOTS_SANITIZE=${DOTS_SANITIZE}: "
		    "${CMAKE_C_COMPILER_ID} cannot build with "
		    "-fsanitize=${_dots_san} (sanitizer runtime missing?)")
	endif()

	add_compile_options(${_dots_san_flags})
	add_link_options(${_dots_san_flags})
	message(STATUS "Sanitizers: ${_dots_san}")

	# Stack traces on UBSan reports; ASan checks more than by default.
	list(APPEND DOTS_SANITIZER_TEST_ENV
	    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
	    "ASAN_OPTIONS=strict_string_checks=1:detect_stack_use_after_return=1")
endif()
