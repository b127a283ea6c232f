/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fitting the source prefixes of a mitigation into the flowspec
 * mitigator's rule budget (fs_aggregate.c): merging them into fewer
 * covering prefixes, or matching source ports instead.  No I/O.
 */
#ifndef DOTS_FS_AGGREGATE_H
#define DOTS_FS_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dots/model.h>

#include "fs_rule.h"

/* What one merging did. */
struct fs_agg_stats {
	size_t	in;		/* prefixes given */
	size_t	exact;		/* after the exact steps */
	size_t	out;		/* after the covering steps */
	double	extra;		/* addresses covered that none given was */
};

/* The mitigator's settings for it. */
struct fs_agg_conf {
	bool		enabled;	/* aggregate yes|no */
	unsigned	budget;		/* rules per mitigation, 0: no limit */
	uint8_t		min_len4;	/* shortest source prefix made */
	uint8_t		min_len6;
	bool		sport_fallback;	/* source ports when over budget */
};

enum fs_agg_choice {
	FS_AGG_ASIS,		/* within the budget: the sources as given */
	FS_AGG_MERGED,		/* merged into covering prefixes */
	FS_AGG_SPORT		/* no sources: the source ports alone */
};

/* What a mitigation's scope becomes. */
struct fs_agg_plan {
	enum fs_agg_choice	 choice;
	struct dots_scope	 scope;	/* to translate: the given one, but
					 * with the sources below */
	struct dots_prefix	*src;	/* owned; scope.source_prefix */
	size_t			 n_in;	/* source prefixes given */
	size_t			 n_out;	/* and in scope */
	size_t			 rules;	/* rules scope makes */
	double			 extra;	/* addresses added by merging */
};

/* fs_aggregate.c */

/**
 * Merge @p n prefixes of one family into at most @p budget (0: no limit,
 * exact steps only) covering prefixes, in address order, none made
 * shorter than @p min_len (given prefixes are kept as they are).
 * @param out **new** array (free()), also on -ENOSPC: NULL
 * @return 0; -ENOSPC if the budget cannot be met; -EINVAL for mixed
 *	families; -ENOMEM
 */
int	fs_aggregate(const struct dots_prefix *in, size_t n, size_t budget,
	    uint8_t min_len, struct dots_prefix **out, size_t *nout,
	    struct fs_agg_stats *st);
/**
 * Decide how scope @p s fits @p c's budget: as given, merged, or by source
 * port.  @p p borrows from @p s (clear it with fs_agg_plan_clear() before
 * @p s goes).
 * @return 0; -ENOSPC with a sentence for the client in @p why when
 *	nothing fits; -EINVAL (from translation, sentence in @p why); -ENOMEM
 */
int	fs_agg_plan(const struct dots_scope *s, const struct fs_agg_conf *c,
	    struct fs_agg_plan *p, char *why, size_t whylen);
void	fs_agg_plan_clear(struct fs_agg_plan *p);
/** "as asked", "aggregated", "source ports instead of sources". */
const char	*fs_agg_choice_name(enum fs_agg_choice c);

#endif /* DOTS_FS_AGGREGATE_H */
