/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A mitigation scope as JSON (be_scope.h): through libdots' encoder of a
 * whole mitigation-scope body, whose one element is taken out.
 */
#include <errno.h>
#include <stdlib.h>

#include <dots/json.h>

#include "be_scope.h"

json_t *
be_scope_json(const struct dots_scope *scope)
{
	struct dots_signal *sig;
	struct dots_scope copy;
	json_t *doc, *inner;
	char *text;
	int ret;

	if ((sig = dots_signal_new(DOTS_SIG_MITIGATION)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	/* a shallow copy: the encoder only reads what the arrays point to */
	copy = *scope;
	sig->mitigation.scope = &copy;
	sig->mitigation.n_scope = 1;
	text = dots_json_encode_signal(sig, 0, &ret);
	sig->mitigation.scope = NULL;
	sig->mitigation.n_scope = 0;
	dots_signal_free(sig);
	if (text == NULL) {
		errno = ret == DOTS_ENOMEM ? ENOMEM : EINVAL;
		return NULL;
	}
	doc = json_loads(text, 0, NULL);
	free(text);
	inner = json_object_get(doc, "ietf-dots-signal-channel:"
	    "mitigation-scope");
	inner = json_array_get(json_object_get(inner, "scope"), 0);
	if (!json_is_object(inner)) {
		json_decref(doc);
		errno = doc ? EINVAL : ENOMEM;
		return NULL;
	}
	/* json_object_get borrows: take our own reference before decref */
	json_incref(inner);
	json_decref(doc);
	return inner;
}
