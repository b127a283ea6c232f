/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Example: build a mitigation request with libdots, check it as a client
 * would before sending it, and print its CBOR (hex) and JSON.
 *
 *   cc mitigation_request.c $(pkg-config --cflags --libs dots)
 */
#include <stdio.h>
#include <stdlib.h>

#include <dots/cbor.h>
#include <dots/json.h>
#include <dots/validate.h>

int
main(void)
{
	struct dots_signal *m = dots_signal_new(DOTS_SIG_MITIGATION);
	struct dots_scope *s;
	struct dots_diag diag;
	uint8_t buf[1280];
	size_t len, i;
	char *json;

	if (m == NULL || (s = dots_signal_add_scopes(m, 1)) == NULL)
		return 1;

	/* DNS reflection towards 192.0.2.2: UDP from source port 53 */
	s->target.prefix = dots_signal_alloc(m, sizeof(*s->target.prefix));
	s->target.n_prefix = 1;
	dots_prefix_parse("192.0.2.2/32", &s->target.prefix[0], NULL);
	s->target.protocol = dots_signal_alloc(m, 1);
	s->target.protocol[0] = 17;
	s->target.n_protocol = 1;
	s->source_port_range = dots_signal_alloc(m,
	    sizeof(*s->source_port_range));
	s->source_port_range[0].lower_port = 53;
	s->source_port_range[0].upper_port = 53;
	s->n_source_port_range = 1;
	s->lifetime = 3600;
	s->present |= DOTS_SCOPE_LIFETIME;

	if (dots_validate_signal(m, DOTS_ROLE_MITIGATION_REQUEST, &diag) !=
	    DOTS_OK) {
		fprintf(stderr, "%s: %s\n", diag.error.path, diag.error.msg);
		return 1;
	}
	if (dots_cbor_encode_signal(m, buf, sizeof(buf), &len) != DOTS_OK)
		return 1;
	for (i = 0; i < len; i++)
		printf("%02x", buf[i]);
	printf("\n");

	json = dots_json_encode_signal(m, 0, NULL);
	if (json == NULL)
		return 1;
	printf("%s\n", json);
	free(json);
	dots_signal_free(m);
	return 0;
}
