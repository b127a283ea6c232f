/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The reader of DMS reports (offload_report.c): both forms of the
 * utilization, every member of a flow, and each refusal naming the
 * member at fault.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "offload_report.h"

static struct offload_report *
parse(const char *text, char *err, size_t errlen)
{
	err[0] = '\0';
	return offload_report_parse(text, strlen(text), err, errlen);
}

static void
test_good(void **state)
{
	struct offload_report *r;
	char err[256], buf[64];

	(void)state;
	r = parse("{\"utilization\":{\"percent\":93.5},\"flows\":["
	    "{\"src\":\"203.0.113.2\",\"dst\":\"192.0.2.2\",\"src-port\":53,"
	    "\"dst-port\":40000,\"protocol\":\"udp\",\"bps\":1e8,"
	    "\"pps\":15000},"
	    "{\"dst\":\"2001:db8::/64\",\"protocol\":58}]}", err,
	    sizeof(err));
	assert_non_null(r);
	assert_int_equal(r->util, 9350);
	offload_util_format(r->util, buf, sizeof(buf));
	assert_string_equal(buf, "93.50");
	assert_int_equal(r->n_flows, 2);
	assert_int_equal(r->flows[0].src.length, 32);
	assert_int_equal(r->flows[0].proto, 17);
	assert_true(r->flows[0].has_sport);
	assert_int_equal(r->flows[0].sport, 53);
	assert_int_equal(r->flows[0].dport, 40000);
	assert_int_equal(r->flows[0].bps, 100000000);
	assert_int_equal(r->flows[0].pps, 15000);
	assert_int_equal(r->flows[1].src.family, DOTS_AF_NONE);
	assert_int_equal(r->flows[1].dst.length, 64);
	assert_false(r->flows[1].has_dport);
	offload_report_free(r);

	r = parse("{\"utilization\":{\"used\":3,\"capacity\":4}}", err,
	    sizeof(err));
	assert_non_null(r);
	assert_int_equal(r->util, 7500);
	assert_int_equal(r->n_flows, 0);
	offload_report_free(r);
}

static void
refused(const char *text, const char *want)
{
	struct offload_report *r;
	char err[256];

	r = parse(text, err, sizeof(err));
	assert_null(r);
	if (strstr(err, want) == NULL)
		fail_msg("'%s': '%s' wanted in '%s'", text, want, err);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("[", "not JSON");
	refused("[1]", "a report is a JSON object");
	refused("{}", "utilization is required");
	refused("{\"utilization\":{\"percent\":101}}", "utilization.percent");
	refused("{\"utilization\":{\"percent\":50,\"used\":1}}",
	    "not both");
	refused("{\"utilization\":{\"used\":1,\"capacity\":0}}",
	    "utilization.capacity");
	refused("{\"utilization\":{\"percent\":1},\"colour\":1}",
	    "unknown member \"colour\"");
	refused("{\"utilization\":{\"percent\":1},\"flows\":{}}",
	    "flows: an array");
	refused("{\"utilization\":{\"percent\":1},\"flows\":[{\"dst\":"
	    "\"192.0.2.1\",\"protocol\":6},{\"protocol\":6}]}",
	    "flows[1]: dst is required");
	refused("{\"utilization\":{\"percent\":1},\"flows\":[{\"dst\":"
	    "\"192.0.2.300\",\"protocol\":6}]}", "flows[0]: dst must be");
	refused("{\"utilization\":{\"percent\":1},\"flows\":[{\"dst\":"
	    "\"192.0.2.1\",\"src\":\"2001:db8::1\",\"protocol\":6}]}",
	    "different address families");
	refused("{\"utilization\":{\"percent\":1},\"flows\":[{\"dst\":"
	    "\"192.0.2.1\",\"protocol\":1,\"dst-port\":80}]}",
	    "which has no ports");
	refused("{\"utilization\":{\"percent\":1},\"flows\":[{\"dst\":"
	    "\"192.0.2.1\",\"protocol\":6,\"src-port\":65536}]}",
	    "src-port must be");
	refused("{\"utilization\":{\"percent\":1},\"flows\":[{\"dst\":"
	    "\"192.0.2.1\",\"protocol\":\"sctp\"}]}", "protocol must be");
	refused("{\"utilization\":{\"percent\":1},\"flows\":[{\"dst\":"
	    "\"192.0.2.1\",\"protocol\":6,\"bps\":-1}]}", "bps must be");
	refused("{\"utilization\":{\"percent\":1},\"flows\":[{\"dst\":"
	    "\"192.0.2.1\",\"protocol\":6,\"port\":1}]}",
	    "flows[0]: unknown member \"port\"");
	refused("{\"utilization\":{\"percent\":1},\"utilization\":{}}",
	    "not JSON");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
