/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The checks of control-request arguments (ctl_args.c): pure functions
 * over jansson values, with no daemon state, so that they are unit-tested
 * and fuzzed on their own.  Each failure names the argument at fault as
 * a dotted path ("scope.target-prefix") and says what to fix.
 */
#ifndef DOTSCD_CTL_ARGS_H
#define DOTSCD_CTL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include <dots/model.h>

#define CTL_FIELD_MAX	128
#define CTL_MSG_MAX	320
#define CTL_TEXT_MAX	256	/* origin, target, server names */

struct ctl_err {
	const char	*code;		/* "invalid", ... */
	char		 field[CTL_FIELD_MAX];
	char		 msg[CTL_MSG_MAX];
};

/** Fill @p e; returns -1 for `return ctl_fail(...)`. */
int	ctl_fail(struct ctl_err *e, const char *code, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/** Members of @p req other than "id", "cmd" and @p allowed (NULL-ended)
 * are refused. */
int	ctl_check_members(json_t *req, const char *const *allowed,
	    struct ctl_err *e);
/** The id: absent, a number or a string. */
int	ctl_arg_id(const json_t *req, struct ctl_err *e);

/** A string argument: printable, 1..@p max bytes; absent: *@p out NULL
 * (an error if @p required). */
int	ctl_arg_str(const json_t *req, const char *name, bool required,
	    size_t max, const char **out, struct ctl_err *e);
/** An integer in @p min..@p max; absent: @p def (-1: required). */
int	ctl_arg_uint(const json_t *req, const char *name, int64_t def,
	    uint64_t min, uint64_t max, uint64_t *out, struct ctl_err *e);
int	ctl_arg_bool(const json_t *req, const char *name, bool def,
	    bool *out, struct ctl_err *e);

/**
 * Check a scope argument and make its request body: @p scope (the
 * members of one RFC 9132 scope, without mid) with @p mid, as a
 * mitigation request validated by libdots.  A scope without lifetime
 * gets 3600 (in @p scope itself).
 * @param out **new** message, or NULL when only checking
 * @return 0, or -1 with @p e naming the field ("scope.lifetime")
 */
int	ctl_scope_build(json_t *scope, uint32_t mid, struct dots_signal **out,
	    struct ctl_err *e);

/** The same for an efficacy update: @p scope with attack-status. */
int	ctl_efficacy_build(const json_t *scope, uint32_t mid,
	    const char *attack_status, struct dots_signal **out,
	    struct ctl_err *e);

/** A signal-config body (the "set" of `session`), validated. */
int	ctl_config_build(json_t *set, struct dots_signal **out,
	    struct ctl_err *e);

/** A target of `trigger`: one prefix, as in target-prefix. */
int	ctl_target_check(const char *target, struct ctl_err *e);

#endif /* DOTSCD_CTL_ARGS_H */
