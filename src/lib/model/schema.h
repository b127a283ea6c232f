/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internal: the schema of the signal-channel structure as a const table.
 *
 * Each node gives the YANG name, the module that defines it (for RFC 7951
 * member names), the RFC 9132 CBOR key, the value type and range, and where
 * the value lives in the C model (offsetof).  The CBOR and the JSON codec
 * both walk these tables, so a name, a key and a type are written once and
 * the two encodings cannot disagree.  Children are sorted by CBOR key, which
 * gives the deterministic map order of RFC 8949 section 4.2.1 for free.
 */
#ifndef DOTS_SCHEMA_H
#define DOTS_SCHEMA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dots/error.h>
#include <dots/model.h>

/* Modules whose names qualify JSON members. */
enum schema_module {
	MOD_SIGNAL = 0,		/* ietf-dots-signal-channel */
	MOD_CALL_HOME,		/* ietf-dots-call-home */
	MOD_SIGNAL_CONTROL,	/* ietf-dots-signal-control */
	MOD_ROBUST,		/* ietf-dots-robust-trans */
	MOD_COUNT,
	MOD_INHERIT = 0xff	/* same module as the parent node */
};

enum schema_kind {
	SN_CONTAINER,		/* struct embedded at offset */
	SN_LIST,		/* array of structs: pointer at offset */
	SN_LEAF,		/* scalar at offset */
	SN_LEAFLIST		/* array of scalars: pointer at offset */
};

enum schema_vtype {
	VT_NONE = 0,
	VT_UINT,		/* unsigned, stored in 'size' bytes */
	VT_UINT64_STR,		/* uint64/counter64/gauge64: JSON string */
	VT_LIFETIME,		/* union uint32 | int32 -1, int64_t */
	VT_BOOL,
	VT_ENUM,		/* uint8_t value, label table */
	VT_DEC2,		/* decimal64 fraction-digits 2, int64_t 1/100 */
	VT_PREFIX,		/* inet:ip-prefix, struct dots_prefix */
	VT_IPADDR,		/* inet:ip-address, struct dots_ipaddr */
	VT_STRING,		/* char * */
	VT_DOMAIN,		/* inet:domain-name, char * */
	VT_URI			/* inet:uri, char * */
};

#define SF_LENIENT_BARE		0x01	/* draft-era unqualified name accepted */
#define SF_FORBIDDEN		0x02	/* in the key table, never in a body */
#define SF_RANGE_PAIR		0x04	/* children: lower, upper (upper >= lower) */
#define SF_DEFAULT_TRUE		0x08	/* boolean leaf with YANG default true */
#define SF_JSON_STRING_OK	0x10	/* uint also read from a JSON string */

struct schema_node {
	const char			*name;
	uint32_t			 key;
	uint8_t				 module;
	uint8_t				 kind;
	uint8_t				 vtype;
	uint8_t				 size;		/* bytes of a VT_UINT */
	uint8_t				 flags;
	int8_t				 list_key;	/* child index of the key, -1 */
	uint16_t			 offset;
	uint16_t			 count_off;	/* lists and leaf-lists */
	uint16_t			 elem_size;
	uint16_t			 max_items;	/* lists and leaf-lists */
	uint16_t			 max_len;	/* strings */
	uint32_t			 bit;		/* presence bit, scalar leaves */
	uint64_t			 min, max;	/* VT_UINT, VT_DEC2 */
	const struct schema_node	*children;
	uint8_t				 nchildren;
	const char *const		*labels;	/* VT_ENUM, index = value */
	uint8_t				 nlabels;
};

/* schema_signal.c */
extern const struct schema_node	 schema_signal_roots[];
extern const size_t		 schema_signal_nroots;
extern const char *const	 schema_module_names[MOD_COUNT];

const struct schema_node *schema_root_for_kind(enum dots_signal_kind kind);
enum dots_signal_kind	 schema_kind_for_root(const struct schema_node *n);

/* schema.c: helpers shared by the codecs */

#define SCHEMA_DEPTH_MAX	16

/* Where a decoder is, for error messages: names and list indexes. */
struct schema_path {
	int		 depth;
	const char	*name[SCHEMA_DEPTH_MAX];
	long		 index[SCHEMA_DEPTH_MAX];	/* -1: not in a list */
};

struct schema_dec {
	struct dots_signal	*msg;
	struct dots_diag	*diag;
	struct schema_path	 path;
};

void	 path_push(struct schema_path *p, const char *name);
void	 path_index(struct schema_path *p, long index);
void	 path_pop(struct schema_path *p);
int	 dec_error(struct schema_dec *d, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
const char *dec_quote(char *buf, size_t len, const char *s, size_t slen);
void	 dec_warn(struct schema_dec *d, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

const struct schema_node *schema_child_by_key(const struct schema_node *parent,
	    uint64_t key);
const struct schema_node *schema_child_by_name(const struct schema_node *parent,
	    const char *name, size_t len);

/* Store one decoded scalar into the slot @p slot of a leaf or leaf-list. */
int	 store_uint(struct schema_dec *d, const struct schema_node *n,
	    void *slot, uint64_t v);
int	 store_lifetime(struct schema_dec *d, const struct schema_node *n,
	    void *slot, int64_t v);
int	 store_bool(struct schema_dec *d, const struct schema_node *n,
	    void *slot, bool v);
int	 store_dec2(struct schema_dec *d, const struct schema_node *n,
	    void *slot, int64_t hundredths);
int	 store_string(struct schema_dec *d, const struct schema_node *n,
	    void *slot, const char *s, size_t len);
int	 enum_value(const struct schema_node *n, const char *label, size_t len);
uint64_t read_uint(const struct schema_node *n, const void *slot);

/* Slot of a leaf in @p base; array helpers for lists and leaf-lists. */
static inline void *
node_slot(const struct schema_node *n, void *base)
{
	return (char *)base + n->offset;
}

static inline const void *
node_cslot(const struct schema_node *n, const void *base)
{
	return (const char *)base + n->offset;
}

static inline size_t
node_count(const struct schema_node *n, const void *base)
{
	return *(const size_t *)((const char *)base + n->count_off);
}

static inline void *
node_array(const struct schema_node *n, const void *base)
{
	return *(void *const *)((const char *)base + n->offset);
}

void	 leaf_set_present(const struct schema_node *n, void *base);

/* Allocate the array of a list/leaf-list for @p count entries. */
int	 array_alloc(struct schema_dec *d, const struct schema_node *n,
	    void *base, size_t count);
/* Append one zeroed entry (indefinite-length input); returns its slot. */
void	*array_grow(struct schema_dec *d, const struct schema_node *n,
	    void *base, size_t *cap);
/* Reject duplicate leaf-list values and duplicate list keys. */
int	 array_check_unique(struct schema_dec *d, const struct schema_node *n,
	    const void *base);
/* Checks after a list entry or container has been read. */
int	 entry_check(struct schema_dec *d, const struct schema_node *n,
	    void *base, uint64_t seen);

/* Encoder helpers. */
bool	 node_present(const struct schema_node *n, const void *base);
bool	 value_equal(const struct schema_node *n, const void *a, const void *b);
int	 value_format(const struct schema_node *n, const void *slot, char *buf,
	    size_t len);

/* Equality of two structs described by @p n's children. */
bool	 schema_struct_equal(const struct schema_node *n, const void *a,
	    const void *b);

#endif /* DOTS_SCHEMA_H */
