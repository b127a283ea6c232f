/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internal: a pull reader over a CBOR byte string, one data item head at a
 * time, on top of libcbor's streaming decoder.  Nothing is allocated:
 * strings point into the input.  Every read is bounds-checked by libcbor;
 * the reader adds a nesting limit for skipped values.
 */
#ifndef DOTS_CBOR_READER_H
#define DOTS_CBOR_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cr_type {
	CR_UINT,
	CR_NEGINT,		/* value is -1 - val */
	CR_BYTES,
	CR_BYTES_INDEF,
	CR_TEXT,
	CR_TEXT_INDEF,
	CR_ARRAY,
	CR_ARRAY_INDEF,
	CR_MAP,
	CR_MAP_INDEF,
	CR_TAG,
	CR_FLOAT,
	CR_BOOL,
	CR_NULL,
	CR_UNDEF,
	CR_BREAK
};

struct cr_item {
	enum cr_type	 type;
	uint64_t	 val;	/* integer, tag number, or collection size */
	bool		 b;
	const uint8_t	*ptr;	/* definite strings */
	size_t		 len;
};

struct cbor_reader {
	const uint8_t	*buf;
	size_t		 len;
	size_t		 pos;
};

/* @return 0, or -1 on malformed or truncated input */
int		 cr_next(struct cbor_reader *r, struct cr_item *it);
/* Skip the rest of the value whose head is @p it. */
int		 cr_skip(struct cbor_reader *r, const struct cr_item *it);
/*
 * Collect a text string (definite, or indefinite from its chunks) into
 * @p dst of @p cap bytes.  @return 0, -1 malformed, -2 longer than cap.
 */
int		 cr_text(struct cbor_reader *r, const struct cr_item *it,
		    char *dst, size_t cap, size_t *len);
const char	*cr_type_name(enum cr_type t);

#endif /* DOTS_CBOR_READER_H */
