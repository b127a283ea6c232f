/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: be_acl_parse() (src/backend/be_acl.c), the reading of a
 * data-channel ACL by the mitigators, then fs_acl_translate(), the
 * flowspec mitigator's rules for it, and their GoBGP words.  The ACL
 * comes from a DOTS client through the data channel; whatever got past
 * the YANG validation must never crash the server nor leak.
 *
 * Invariants checked (the target aborts otherwise): each step returns 0,
 * -EINVAL with a sentence, or -ENOMEM; an ACL gives at most one rule per
 * ACE, each with a destination of its family; every rule has GoBGP words
 * or is refused by fs_rule_text() with -EINVAL; the flow-spec order is
 * antisymmetric and a rule equals itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "be_acl.h"
#include "fs_rule.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

static void
check_rules(const struct be_acl *acl, const struct fs_rules *rs)
{
	char text[2048];
	size_t i, k;
	int ret;

	if (rs->n > acl->n_ace)
		abort();
	for (i = 0; i < rs->n; i++) {
		if (rs->v[i].dst.family != rs->v[i].family)
			abort();
		ret = fs_rule_text(&rs->v[i], text, sizeof(text));
		if (ret != 0 && ret != -EINVAL)
			abort();
		if (ret == 0 && strncmp(text, "destination ", 12) != 0)
			abort();
		if (fs_rule_cmp(&rs->v[i], &rs->v[i]) != 0)
			abort();
		for (k = i + 1; k < rs->n && k < i + 8; k++)
			if (sign(fs_rule_cmp(&rs->v[i], &rs->v[k])) !=
			    -sign(fs_rule_cmp(&rs->v[k], &rs->v[i])))
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_rules rs = { 0 };
	struct fs_action *acts;
	struct be_acl acl;
	char *text, why[256];
	int ret;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ret = be_acl_parse(text, &acl, why, sizeof(why));
	free(text);
	if (ret == -EINVAL && why[0] == '\0')
		abort();
	if (ret != 0 && ret != -EINVAL && ret != -ENOMEM)
		abort();
	if (ret != 0)
		return 0;
	acts = calloc(acl.n_ace ? acl.n_ace : 1, sizeof(*acts));
	if (acts != NULL) {
		ret = fs_acl_translate(&acl, &rs, acts, why, sizeof(why));
		if (ret == -EINVAL && why[0] == '\0')
			abort();
		if (ret != 0 && ret != -EINVAL && ret != -ENOMEM)
			abort();
		if (ret == 0)
			check_rules(&acl, &rs);
	}
	free(acts);
	fs_rules_clear(&rs);
	be_acl_free(&acl);
	return 0;
}
