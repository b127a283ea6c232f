/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A filtering ACL of the DOTS data channel (RFC 8783 section 7.3, the
 * ietf-access-control-list subset it allows) as plain C, for mitigators
 * that enforce ACLs (be_mitigation.acl).  be_acl_parse() reads the JSON
 * object of one ACL entry as the data channel stores it (RFC 7951) and
 * keeps every match and action; whatever this structure cannot hold is
 * refused with a sentence that names the ACE and the field, because
 * leaving a match out would filter more than the client asked for.
 */
#ifndef DOTS_BE_ACL_H
#define DOTS_BE_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dots/model.h>

#define BE_ACL_NAME_MAX	64	/* RFC 8783: name length 1..64 */
/* dotsd names its per-prefix copies of an ACE without destination
 * "ACE/1", "ACE/2"... (docs/data-channel.md): room for the suffix */
#define BE_ACE_NAME_MAX	(BE_ACL_NAME_MAX + 32)

/* What a matching packet gets (RFC 8783 section 7.4). */
enum be_acl_fwd {
	BE_ACL_DROP = 1,
	BE_ACL_ACCEPT,		/* accept-list: never mitigated */
	BE_ACL_RATE		/* accept, at most rate_centi / 100 B/s */
};

/* The transport container of a match, if any. */
enum be_acl_l4 {
	BE_ACL_L4_NONE = 0,
	BE_ACL_L4_TCP,
	BE_ACL_L4_UDP,
	BE_ACL_L4_ICMP		/* ICMP or ICMPv6, by the ACE's family */
};

/* A port match (RFC 8519 port-range-or-operator). */
enum be_acl_port_op {
	BE_ACL_PORT_NONE = 0,
	BE_ACL_PORT_RANGE,	/* lower .. upper */
	BE_ACL_PORT_EQ,		/* == lower */
	BE_ACL_PORT_LTE,	/* <= lower */
	BE_ACL_PORT_GTE,	/* >= lower */
	BE_ACL_PORT_NEQ		/* != lower */
};

struct be_acl_port {
	enum be_acl_port_op	op;
	uint16_t		lower;
	uint16_t		upper;	/* BE_ACL_PORT_RANGE only */
};

/*
 * The operator bits of fragment and flags-bitmask (ietf-dots-data-channel
 * "operator"): MATCH is (data & value) == value, ANY (data & value) != 0,
 * NOT negates.  Exactly one of MATCH and ANY is set.
 */
#define BE_ACL_OP_NOT	0x01
#define BE_ACL_OP_MATCH	0x02
#define BE_ACL_OP_ANY	0x04

/* Fragment types, with the bit values of the flow-spec component 12. */
#define BE_ACL_FRAG_DF	0x01	/* IPv4 only */
#define BE_ACL_FRAG_ISF	0x02
#define BE_ACL_FRAG_FF	0x04
#define BE_ACL_FRAG_LF	0x08

struct be_acl_bits {
	uint8_t		op;	/* BE_ACL_OP_*, 0: absent */
	uint16_t	value;	/* not 0 when present */
};

struct be_acl_ace {
	char			name[BE_ACE_NAME_MAX + 1];
	uint8_t			family;	/* of its ipv4/ipv6 match, or 0 */
	bool			has_dst;
	struct dots_prefix	dst;
	bool			has_src;
	struct dots_prefix	src;
	bool			has_proto;
	uint8_t			proto;
	bool			has_dscp;
	uint8_t			dscp;
	bool			has_length;	/* as the ACL says it: */
	uint16_t		length;	/* IPv4 total, IPv6 payload length */
	bool			has_flow_label;	/* IPv6 */
	uint32_t		flow_label;
	struct be_acl_bits	fragment;	/* BE_ACL_FRAG_* */
	enum be_acl_l4		l4;
	struct be_acl_bits	tcp_flags;	/* flags-bitmask, 12 bits */
	struct be_acl_port	sport;
	struct be_acl_port	dport;
	bool			has_icmp_type;
	uint8_t			icmp_type;
	bool			has_icmp_code;
	uint8_t			icmp_code;
	enum be_acl_fwd		fwd;
	uint64_t		rate_centi;	/* BE_ACL_RATE: B/s x 100 */
};

struct be_acl {
	char			 name[BE_ACL_NAME_MAX + 1];
	uint8_t			 family;	/* by its type; 0 if none */
	struct be_acl_ace	*ace;		/* in the ACL's order */
	size_t			 n_ace;
};

/* be_acl.c */

/**
 * Parse one ACL entry (be_mitigation.acl).  Module prefixes on member
 * names and identities are optional, as are the draft-era spellings the
 * data channel accepts ("source-port" for source-port-range-or-operator).
 * @return 0 (free @p acl with be_acl_free()), -EINVAL with a sentence in
 *	@p err, or -ENOMEM
 */
int	be_acl_parse(const char *json, struct be_acl *acl, char *err,
	    size_t errlen);
void	be_acl_free(struct be_acl *acl);

#endif /* DOTS_BE_ACL_H */
