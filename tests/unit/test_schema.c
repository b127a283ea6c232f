/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The schema tables are data the codecs trust: check their invariants.
 * Children sorted by strictly ascending CBOR key (deterministic encoding
 * relies on it), names unique within a table, list keys and limits set,
 * enumerations with labels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dots/keys.h>

#include "model/schema.h"

static unsigned nodes_seen;

static void
check_node(const struct schema_node *n)
{
	uint8_t i, j;

	nodes_seen++;
	assert_non_null(n->name);
	assert_true(n->key > 0 && n->key <= 65535);
	assert_true(n->module < MOD_COUNT || n->module == MOD_INHERIT);
	if (n->flags & SF_FORBIDDEN)
		return;
	switch (n->kind) {
	case SN_CONTAINER:
		assert_true(n->nchildren > 0);
		break;
	case SN_LIST:
		assert_true(n->nchildren > 0);
		assert_true(n->max_items > 0);
		assert_true(n->elem_size > 0);
		assert_true(n->list_key < (int)n->nchildren);
		break;
	case SN_LEAFLIST:
		assert_true(n->max_items > 0);
		assert_true(n->elem_size > 0);
		assert_int_not_equal(n->vtype, VT_NONE);
		break;
	case SN_LEAF:
		assert_int_not_equal(n->vtype, VT_NONE);
		if (n->vtype == VT_ENUM)
			assert_true(n->nlabels > 1 && n->labels != NULL);
		if (n->vtype == VT_UINT)
			assert_true(n->size == 1 || n->size == 2 ||
			    n->size == 4 || n->size == 8);
		break;
	}
	for (i = 0; i < n->nchildren; i++) {
		if (i > 0)
			assert_true(n->children[i - 1].key <
			    n->children[i].key);
		for (j = 0; j < i; j++)
			assert_string_not_equal(n->children[i].name,
			    n->children[j].name);
		check_node(&n->children[i]);
	}
	/* the decoders track members in a 64-bit mask */
	assert_true(n->nchildren <= 64);
}

static void
test_schema_tables_sorted_and_complete(void **state)
{
	size_t i;

	(void)state;
	nodes_seen = 0;
	for (i = 0; i < schema_signal_nroots; i++) {
		check_node(&schema_signal_roots[i]);
		assert_ptr_equal(schema_root_for_kind(
		    schema_kind_for_root(&schema_signal_roots[i])),
		    &schema_signal_roots[i]);
	}
	assert_true(nodes_seen > 80);
}

static void
test_schema_root_keys(void **state)
{
	(void)state;
	assert_int_equal(schema_root_for_kind(DOTS_SIG_MITIGATION)->key,
	    DOTS_KEY_MITIGATION_SCOPE);
	assert_int_equal(schema_root_for_kind(DOTS_SIG_CONFIG)->key,
	    DOTS_KEY_SIGNAL_CONFIG);
	assert_int_equal(schema_root_for_kind(DOTS_SIG_REDIRECT)->key,
	    DOTS_KEY_REDIRECTED_SIGNAL);
	assert_int_equal(schema_root_for_kind(DOTS_SIG_HEARTBEAT)->key,
	    DOTS_KEY_HEARTBEAT);
	assert_null(schema_root_for_kind(DOTS_SIG_NONE));
}

static void
test_schema_comprehension_ranges(void **state)
{
	(void)state;
	assert_true(dots_cbor_key_required(1));
	assert_true(dots_cbor_key_required(127));
	assert_false(dots_cbor_key_required(128));
	assert_false(dots_cbor_key_required(255));
	assert_true(dots_cbor_key_required(256));
	assert_true(dots_cbor_key_required(16383));
	assert_false(dots_cbor_key_required(16384));
	assert_false(dots_cbor_key_required(DOTS_KEY_SOURCE_PREFIX));
	assert_false(dots_cbor_key_required(65535));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_tables_sorted_and_complete),
		cmocka_unit_test(test_schema_root_keys),
		cmocka_unit_test(test_schema_comprehension_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
