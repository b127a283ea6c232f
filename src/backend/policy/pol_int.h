/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The policy mitigator's state, shared by its files: be_policy.c (the
 * mitigator's operations), pol_parts.c (the parts of a mitigation along
 * their chains, and their reports), pol_admin.c (approval and
 * escalation).  Internal to src/backend/policy.
 */
#ifndef DOTS_POL_INT_H
#define DOTS_POL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../backend.h"
#include "../be_util.h"
#include "pol_plan.h"

#define POL_ID_BASE	(UINT64_C(1) << 61)
#define POL_PARENT_MAX	(UINT64_C(1) << 54)	/* ids it can take */

/* In front of one mitigator's report callback. */
struct pol_hook {
	struct be_policy	*pol;
	be_report_fn		 orig;
	void			*orig_arg;
};

/* Where the mitigator of a part is with it. */
enum pol_phase {
	PH_LIVE,	/* applied */
	PH_LEAVING,	/* withdraw asked, its report awaited */
	PH_DEAD		/* withdrawn, failed, or refused by all */
};

/* One part of a mitigation, and where along its chain it is. */
struct pol_slot {
	bool			 used;
	const struct pol_chain	*chain;
	size_t			 at;		/* the mitigator used now */
	struct be_report	 last;		/* its last report, state 0: none */
	enum pol_phase		 phase;
	struct dots_prefix	*prefix;	/* its targets */
	size_t			 nprefix;
	bool			 names;
	bool			 extra;		/* an escalation: may fail alone */
};

struct pol_mit {
	uint64_t		 id;
	char			*cuid, *client, *cdid;
	uint32_t		 mid;
	int64_t			 lifetime;
	uint8_t			 hop_limit;
	struct dots_signal	*sig;		/* our copy of the scope */
	struct pol_slot		 slot[POL_PARTS_MAX];
	bool			 held;		/* awaiting approval */
	int64_t			 since;		/* held since (epoch s) */
	bool			 withdrawing;
	enum be_state		 reported;	/* last state told, 0: none */
	char			 why[480];	/* refusals and failures */
	struct pol_mit		*next;
};

struct be_policy {
	struct backend	*be;
	struct pol_conf	 conf;
	struct pol_hook	*hook;
	size_t		 nhook, nhook_max;
	struct pol_mit	*mits;
	struct be_rq	 rq;
};

/* pol_parts.c */
struct backend	*pol_chain_be(const struct pol_chain *ch, size_t i);
void		 pol_mit_free(struct pol_mit *pm);
struct pol_mit	*pol_find_mit(struct be_policy *p, uint64_t id);
void		 pol_unlink_mit(struct be_policy *p, struct pol_mit *pm);
int		 pol_slot_start(struct be_policy *p, struct pol_mit *pm,
		    size_t k);
void		 pol_slot_withdraw(struct pol_mit *pm, size_t k);
bool		 pol_all_dead(const struct pol_mit *pm);
void		 pol_hook_report(void *arg, const struct be_report *r);
void		 pol_take_plan(struct pol_mit *pm, struct pol_plan *plan,
		    bool *fresh);
int		 pol_set_fields(struct pol_mit *pm,
		    const struct be_mitigation *m);
int		 pol_start_parts(struct be_policy *p, struct pol_mit *pm,
		    const bool *fresh);

/* pol_admin.c */
int		 pol_hold(struct be_policy *p, struct pol_mit *pm, bool isnew);
void		 pol_efficacy(struct backend *be, uint64_t id,
		    uint8_t attack_status);
size_t		 pol_held(struct backend *be, struct be_held *out, size_t max);
int		 pol_decide(struct backend *be, uint64_t id, bool approve,
		    const char *why);

#endif /* DOTS_POL_INT_H */
