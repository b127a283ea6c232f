# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dots_add_unit_test(<name> SOURCES <file>... [LIBS <lib>...]
#                    [LABELS <label>...])
#
# Builds the cmocka test executable <name> from SOURCES, links it with
# libdots, cmocka and LIBS, and registers it with CTest under the same name.
# The test is labelled `unit` unless LABELS says otherwise (`ctest -L unit`).
#
# The test runs in its build directory, with DOTS_TEST_DATA pointing at
# tests/ in the source tree, so it finds vectors as
# "$DOTS_TEST_DATA/vectors/rfc/<file>" from any build directory.  Tests may
# include libdots' private headers relative to src/lib ("util/cursor.h").
#
# Model: libssh cmake/Modules/AddCMockaTest.cmake.

find_package(PkgConfig REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET GLOBAL cmocka)

function(dots_add_unit_test name)
	cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBS;LABELS")
	if(arg_UNPARSED_ARGUMENTS)
		message(FATAL_ERROR "dots_add_unit_test(${name}): unknown "
		    "arguments: ${arg_UNPARSED_ARGUMENTS}")
	endif()
	if(NOT arg_SOURCES)
		message(FATAL_ERROR "dots_add_unit_test(${name}): no SOURCES")
	endif()
	if(NOT arg_LABELS)
		set(arg_LABELS unit)
	endif()
	if(NOT TARGET dots)
		message(WARNING "dots_add_unit_test(${name}): no target "
		    "`dots` (src/lib missing?); test not built")
		return()
	endif()

	add_executable(${name} ${arg_SOURCES})
	target_include_directories(${name} PRIVATE
	    "${PROJECT_SOURCE_DIR}/src/lib")
	target_link_libraries(${name} PRIVATE dots PkgConfig::CMOCKA
	    ${arg_LIBS})

	set(env "DOTS_TEST_DATA=${PROJECT_SOURCE_DIR}/tests"
	    ${DOTS_SANITIZER_TEST_ENV})
	add_test(NAME ${name} COMMAND ${name}
	    WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
	set_tests_properties(${name} PROPERTIES
	    LABELS "${arg_LABELS}"
	    ENVIRONMENT "${env}")
endfunction()
