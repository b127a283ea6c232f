/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The flow specification rules of RFC 8955 (IPv4) and RFC 8956 (IPv6) as
 * the flowspec mitigator builds them, and the pure functions around them:
 * translation of a DOTS scope (fs_rule.c), the speaker's text form
 * (fs_text.c), the mitigator's safety limits (fs_policy.c) and the reading
 * of the speaker's RIB listing (fs_rib.c).  Nothing here does I/O.
 *
 * A numeric component is kept as the RFC writes it on the wire: a list of
 * {operator, value} pairs, where a pair with FS_OP_AND binds to the one
 * before it and the others are ORed.  The bitmask components (TCP flags,
 * fragment) use the same pairs with the FS_BM_* operator bits.  The end-of-list bit and the value
 * length are left to whoever encodes the list.
 */
#ifndef DOTS_FS_RULE_H
#define DOTS_FS_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dots/model.h>

/* Component types (RFC 8955 section 4.2.2, RFC 8956 section 3). */
enum fs_comp {
	FS_C_DST = 1,
	FS_C_SRC = 2,
	FS_C_PROTO = 3,
	FS_C_PORT = 4,
	FS_C_DPORT = 5,
	FS_C_SPORT = 6,
	FS_C_ICMP_TYPE = 7,
	FS_C_ICMP_CODE = 8,
	FS_C_TCP_FLAGS = 9,	/* bitmask */
	FS_C_PKT_LEN = 10,
	FS_C_DSCP = 11,
	FS_C_FRAG = 12,		/* bitmask */
	FS_C_LABEL = 13		/* IPv6 only */
};

/* numeric_op bits that a pair keeps (RFC 8955 section 4.2.1.1). */
#define FS_OP_AND	0x40
#define FS_OP_LT	0x04
#define FS_OP_GT	0x02
#define FS_OP_EQ	0x01
/* bitmask_op bits (section 4.2.1.2), for types 9 and 12; AND as above. */
#define FS_BM_NOT	0x02
#define FS_BM_MATCH	0x01

/* Pairs in one component: 16 ranges.  More is refused, with a reason. */
#define FS_OPS_MAX	32
/* Rules one scope may become before any policy is asked. */
#define FS_RULES_MAX	4096

struct fs_numop {
	uint8_t		op;		/* FS_OP_* or FS_BM_* */
	uint32_t	value;		/* 20 bits for the flow label */
};

struct fs_numeric {
	size_t		n;		/* 0: component absent */
	struct fs_numop	v[FS_OPS_MAX];
};

struct fs_rule {
	uint8_t			family;		/* DOTS_AF_INET4 or _INET6 */
	struct dots_prefix	dst;		/* always present */
	bool			has_src;
	struct dots_prefix	src;
	struct fs_numeric	proto;		/* type 3 */
	struct fs_numeric	port;		/* type 4 (never translated) */
	struct fs_numeric	dport;		/* type 5 */
	struct fs_numeric	sport;		/* type 6 */
	struct fs_numeric	icmp_type;	/* type 7 */
	struct fs_numeric	icmp_code;	/* type 8 */
	struct fs_numeric	tcp_flags;	/* type 9, bitmask */
	struct fs_numeric	pkt_len;	/* type 10 */
	struct fs_numeric	dscp;		/* type 11 */
	struct fs_numeric	frag;		/* type 12, bitmask */
	struct fs_numeric	label;		/* type 13 */
};

struct fs_rules {
	struct fs_rule	*v;
	size_t		 n;
	size_t		 cap;
};

/* What matching traffic gets (RFC 8955 section 7). */
enum fs_action_kind {
	FS_ACT_DISCARD,		/* traffic-rate-bytes 0 */
	FS_ACT_RATE,		/* traffic-rate-bytes N */
	FS_ACT_ACCEPT		/* no action: forwarded */
};

struct fs_action {
	enum fs_action_kind	kind;
	uint32_t		rate;	/* bytes/s, for FS_ACT_RATE */
};

/* The mitigator's own limits, whatever the client is allowed. */
struct fs_policy {
	unsigned		 max_rules;	/* in all, 0: no limit */
	unsigned		 max_rules_client; /* per client, 0: none */
	uint8_t			 min_len4;	/* destination prefixes */
	uint8_t			 min_len6;
	struct dots_prefix	*protect;	/* never filtered */
	size_t			 n_protect;
	struct dots_prefix	*allow;		/* if any: the only targets */
	size_t			 n_allow;
};

/* fs_rule.c */

/**
 * Translate a scope into rules: one per target prefix (times each source
 * prefix of the same family), two when both source ports and ICMP types
 * are asked for.  Appends to @p out (free with fs_rules_clear()).
 * @return 0; -EINVAL with a sentence for the client in @p why when the
 *	scope cannot be expressed; -ENOMEM
 */
int	fs_translate(const struct dots_scope *s, struct fs_rules *out,
	    char *why, size_t whylen);
void	fs_rules_clear(struct fs_rules *r);
/** Append a copy of @p r.  @return 0 or -ENOMEM */
int	fs_rules_push(struct fs_rules *rs, const struct fs_rule *r);

/* fs_acl.c */

struct be_acl;

/**
 * Translate a filtering ACL of the data channel (be_acl.h) into rules: one
 * per ACE, in the ACL's order, its action in the same place of @p acts
 * (room for acl->n_ace).  An accept entry is left out when no later drop
 * or rate-limit entry overlaps it (forwarding is what happens anyway);
 * same rules with the same action are made once.  Refused, with the ACE
 * in the sentence: an ACE without a destination network, what a flow
 * rule or GoBGP's command line cannot carry, and ACEs whose order the
 * flow-spec precedence (RFC 8955 section 5.1) would change.  Appends to
 * @p out.
 * @return 0; -EINVAL with a sentence in @p why; -ENOMEM
 */
int	fs_acl_translate(const struct be_acl *acl, struct fs_rules *out,
	    struct fs_action *acts, char *why, size_t whylen);
/**
 * The order of RFC 8955 section 5.1 (RFC 8956 section 4 for IPv6), on
 * the encoding GoBGP sends.  @return < 0 when @p a comes first, > 0 when
 * @p b does, 0 for the same rule
 */
int	fs_rule_cmp(const struct fs_rule *a, const struct fs_rule *b);
/** No packet can match both rules (false when it cannot be ruled out). */
bool	fs_rules_disjoint(const struct fs_rule *a, const struct fs_rule *b);

/* fs_text.c */

/** "ipv4-flowspec" or "ipv6-flowspec": the speaker's family name. */
const char	*fs_family_name(uint8_t family);
/**
 * The rule as the words after "match" of GoBGP's CLI, in component type
 * order, e.g. "destination 192.0.2.2/32 protocol ==17 source-port ==53".
 * This text is also the rule's identity when comparing with the RIB.
 * @return 0, -ENOSPC if @p len is too small, -EINVAL for what the CLI
 *	cannot say (TCP flags above 0xff, unknown fragment bits, no bits)
 */
int	fs_rule_text(const struct fs_rule *r, char *buf, size_t len);
/** "then discard", "then rate-limit 125000", "then accept". */
int	fs_action_text(const struct fs_action *a, char *buf, size_t len);
/** One numeric component as words ("==53 >=80&<=90").  As above. */
int	fs_numeric_text(const struct fs_numeric *c, char *buf, size_t len);

/* fs_policy.c */

/**
 * May traffic to @p dst be filtered?  Checks the minimum length of its
 * family, the protected prefixes and the allowed ones.
 * @return 0, or -EPERM with a sentence for the client in @p why
 */
int	fs_policy_dst(const struct fs_policy *p, const struct dots_prefix *dst,
	    char *why, size_t whylen);
/**
 * May a client that holds @p client_now rules, in a mitigator that holds
 * @p total_now, get @p n_new more (counted without the ones it replaces)?
 * @return 0, or -ENOSPC with a sentence in @p why
 */
int	fs_policy_count(const struct fs_policy *p, size_t n_new,
	    size_t client_now, size_t total_now, char *why, size_t whylen);
/** Both checks on every rule.  @return 0, -EPERM or -ENOSPC */
int	fs_policy_rules(const struct fs_policy *p, const struct fs_rules *rs,
	    size_t client_now, size_t total_now, char *why, size_t whylen);
/**
 * Read one policy setting into @p p.  @return 1 if @p key is not a policy
 * setting, 0 when read, -EINVAL (sentence in @p err) or -ENOMEM
 */
int	fs_policy_setting(struct fs_policy *p, const char *key,
	    const char *value, char *err, size_t errlen);
void	fs_policy_clear(struct fs_policy *p);

/* fs_rib.c */

/*
 * One route of the speaker's RIB, as the words that follow "add"/"del"
 * (@p nlri: the rule text, without "match", for flowspec; the prefix for
 * unicast) and
 * the words after them (@p attrs).  Non-zero stops the walk.
 */
typedef int (*fs_rib_fn)(void *arg, const char *family, const char *nlri,
    const char *attrs);

/**
 * Walk GoBGP's JSON listing of a flowspec family ("gobgp -j global rib -a
 * ipv4-flowspec"): each locally injected rule that this mitigator could
 * have made, with its action.  Rules it could not have made (other
 * components, offsets) and routes learnt from peers are skipped.
 * @return 0, -EINVAL if @p json is not such a listing, or fn's value
 */
int	fs_rib_flowspec(const char *json, size_t len, uint8_t family,
	    fs_rib_fn fn, void *arg);
/**
 * The same for a unicast family ("-a ipv4"): each locally injected route
 * that carries the BLACKHOLE community (RFC 7999), with attrs "nexthop X
 * community A:B,C:D" (communities as numbers, in the route's order).
 */
int	fs_rib_blackhole(const char *json, size_t len, uint8_t family,
	    fs_rib_fn fn, void *arg);

#endif /* DOTS_FS_RULE_H */
