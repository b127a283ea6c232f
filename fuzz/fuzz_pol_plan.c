/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: the policy mitigator's settings (pol_conf_setting(), from
 * the operator's configuration) and its split of a scope by them
 * (pol_plan_scope()).  The input is lines: "target PREFIX" adds a target
 * prefix to the scope, "source" makes it a reflection, any other line is
 * a setting, "KEY VALUE".
 *
 * Invariants checked (the target aborts otherwise): a setting is taken
 * (0) or refused with a sentence (-EINVAL) or -ENOMEM; a plan has at
 * most POL_PARTS_MAX parts, each with a chain of the configuration, and
 * every prefix of a part lies inside one of the targets.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>

#include "pol_plan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TARGETS_MAX	16

static bool
inside_a_target(const struct dots_scope *s, const struct dots_prefix *p)
{
	size_t i;

	for (i = 0; i < s->target.n_prefix; i++)
		if (dots_prefix_contains(&s->target.prefix[i], p))
			return true;
	return false;
}

static bool
chain_of(const struct pol_conf *c, const struct pol_chain *ch)
{
	size_t i;

	if (ch == &c->use || ch == &c->reflection)
		return true;
	for (i = 0; i < c->nroute; i++)
		if (ch == &c->route[i].chain)
			return true;
	return false;
}

static void
line(struct pol_conf *c, struct dots_scope *s, struct dots_prefix *px,
    struct dots_port_range *src, char *l)
{
	char err[256] = "", *sp;
	int ret;

	if (strncmp(l, "target ", 7) == 0) {
		if (s->target.n_prefix < TARGETS_MAX &&
		    dots_prefix_parse(l + 7, &px[s->target.n_prefix], NULL) ==
		    DOTS_OK)
			s->target.n_prefix++;
		return;
	}
	if (strcmp(l, "source") == 0) {
		s->source_port_range = src;
		s->n_source_port_range = 1;
		return;
	}
	if ((sp = strchr(l, ' ')) == NULL)
		return;
	*sp = '\0';
	ret = pol_conf_setting(c, l, sp + 1, err, sizeof(err));
	if (ret != 0 && ret != -EINVAL && ret != -ENOMEM)
		abort();
	if (ret == -EINVAL && err[0] == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pol_conf c = { 0 };
	struct dots_prefix px[TARGETS_MAX];
	struct dots_port_range src = { .lower_port = 53, .upper_port = 53 };
	struct dots_scope s;
	struct pol_plan plan;
	char *text, *l, *next, err[256];
	size_t i, k;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&s, 0, sizeof(s));
	memset(&plan, 0, sizeof(plan));
	s.target.prefix = px;
	for (l = text; l != NULL; l = next) {
		if ((next = strchr(l, '\n')) != NULL)
			*next++ = '\0';
		line(&c, &s, px, &src, l);
	}
	if (pol_conf_check(&c, err, sizeof(err)) == 0 &&
	    pol_plan_scope(&c, &s, &plan) == 0) {
		if (plan.n > POL_PARTS_MAX || plan.n == 0)
			abort();
		for (i = 0; i < plan.n; i++) {
			if (!chain_of(&c, plan.part[i].chain))
				abort();
			for (k = 0; k < plan.part[i].nprefix; k++)
				if (!inside_a_target(&s,
				    &plan.part[i].prefix[k]))
					abort();
		}
	}
	pol_plan_clear(&plan);
	pol_conf_free(&c);
	free(text);
	return 0;
}
