/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The policy mitigator's rules and how a mitigation is split by them,
 * without I/O: which mitigators, in which order of fallback, get which
 * targets of a scope.
 *
 *   use "fs transit-a"                 the default chain
 *   route "192.0.2.0/25 transit-a"     targets there go to this chain
 *   reflection "fs"                    reflection attacks: in place of use
 *   escalate "transit-a"               also there when the client says
 *                                      it is still under attack
 *   approval manual                    held until an administrator says
 *
 * A target prefix inside a route's prefix goes to that route (the longest
 * one); a target wider than some routes is cut: each route gets the part
 * of the target it holds and the default chain the rest.  That is the
 * multihoming rule of RFC 8903 section 3.1: each upstream is asked only
 * for the prefixes it carries.  Names, URIs and the other attributes of
 * the scope go to every part unchanged; a scope with names or URIs and no
 * prefix goes whole to the default chain.
 */
#ifndef DOTS_POL_PLAN_H
#define DOTS_POL_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <dots/model.h>

#define POL_CHAIN_MAX	8	/* mitigators in one chain */
#define POL_PARTS_MAX	8	/* chains one mitigation may be split over */
#define POL_ROUTES_MAX	256

struct pol_chain {
	char	*name[POL_CHAIN_MAX];	/* mitigator names, in order */
	void	*bound[POL_CHAIN_MAX];	/* what the names stand for */
	size_t	 n;
};

struct pol_route {
	struct dots_prefix	prefix;
	struct pol_chain	chain;
};

struct pol_conf {
	bool			 manual;	/* approval manual */
	struct pol_chain	 use;
	struct pol_chain	 reflection;	/* n == 0: none */
	struct pol_chain	 escalate;	/* n == 0: none */
	struct pol_route	*route;
	size_t			 nroute;
};

/** One `key value` setting.  @return 0, or -EINVAL / -ENOMEM with @p err */
int	pol_conf_setting(struct pol_conf *c, const char *key,
	    const char *value, char *err, size_t errlen);
/** After the settings: what has to hold (a `use` chain). */
int	pol_conf_check(const struct pol_conf *c, char *err, size_t errlen);
void	pol_conf_free(struct pol_conf *c);

/* One part of a plan: a chain and the target prefixes it gets. */
struct pol_part {
	const struct pol_chain	*chain;
	struct dots_prefix	*prefix;	/* **new** */
	size_t			 nprefix;
	bool			 names;		/* also fqdn and uri targets */
};

struct pol_plan {
	struct pol_part	part[POL_PARTS_MAX];
	size_t		n;
	bool		reflection;	/* the scope looked like one */
};

/** Reflection: the scope names sources (RFC 9066 source attributes). */
bool	pol_is_reflection(const struct dots_scope *s);
/**
 * Split @p s by @p c.  @return 0, -E2BIG (more than POL_PARTS_MAX parts)
 * or -ENOMEM; pol_plan_clear() in every case.
 */
int	pol_plan_scope(const struct pol_conf *c, const struct dots_scope *s,
	    struct pol_plan *p);
void	pol_plan_clear(struct pol_plan *p);

#endif /* DOTS_POL_PLAN_H */
