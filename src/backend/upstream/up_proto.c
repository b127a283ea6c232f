/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the "dots" mitigator says to dotscd and how it reads what dotscd
 * says back, over the control protocol of docs/control-protocol.md: one
 * JSON object a line.  Requests carry a number as "id" (our sequence),
 * which the answer echoes; events carry "event".  Everything dotscd
 * writes is read defensively: a member of the wrong type is as absent,
 * strings are cut to fit, and a line that is no JSON object is refused,
 * so that a confused or hostile peer on the socket costs a reconnection
 * and nothing else (fuzz/fuzz_up_proto.c).
 *
 * up_report_of() holds the one mapping from the upstream's view to the
 * server's: delivered and mitigating is BE_ACTIVE, accepted but not yet
 * mitigating or not yet delivered is BE_PENDING with the reason, refused
 * or ended by the upstream is BE_FAILED with its code and diagnostic,
 * ended after our withdrawal is BE_WITHDRAWN.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <dots/json.h>

#include "be_scope.h"
#include "up_proto.h"

static const char *const up_state_names[] = {
	[UP_ST_PENDING] = "pending",
	[UP_ST_ACTIVE] = "active",
	[UP_ST_WITHDRAWING] = "withdrawing",
	[UP_ST_ENDED] = "ended",
	[UP_ST_FAILED] = "failed",
};

static enum up_state
up_state_parse(const char *s)
{
	size_t i;

	for (i = UP_ST_PENDING; s != NULL && i <= UP_ST_FAILED; i++)
		if (strcmp(s, up_state_names[i]) == 0)
			return (enum up_state)i;
	return UP_ST_NONE;
}

static uint8_t
up_status_parse(const char *s)
{
	unsigned v;

	for (v = DOTS_STATUS_IN_PROGRESS; s != NULL &&
	    v <= DOTS_STATUS_SIGNAL_LOSS; v++)
		if (strcmp(s, dots_status_name(v)) == 0)
			return (uint8_t)v;
	return DOTS_STATUS_NONE;
}

/* The string member @p key of @p o, or NULL (absent or not a string). */
static const char *
str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void
copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

/* A non-negative integer member that fits in @p max. */
static bool
uint_of(const json_t *o, const char *key, uint64_t max, uint64_t *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

int
up_origin_id(const char *origin, uint64_t *id)
{
	const char *p;
	uint64_t v = 0;

	if (origin == NULL || strncmp(origin, UP_ORIGIN_PREFIX,
	    strlen(UP_ORIGIN_PREFIX)) != 0)
		return -1;
	p = origin + strlen(UP_ORIGIN_PREFIX);
	if (*p < '0' || *p > '9' || strlen(p) > 19)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (*p != '\0' || v > INT64_MAX)
		return -1;
	*id = v;
	return 0;
}

/* A mitigation of a `list` answer, a `mitigate` answer or an event. */
static void
mit_info_parse(const json_t *o, struct up_mit_info *mi)
{
	const json_t *err = json_object_get(o, "error");
	json_t *scope = json_object_get(o, "scope");
	uint64_t v;

	memset(mi, 0, sizeof(*mi));
	if (uint_of(o, "mid", UINT32_MAX, &v)) {
		mi->has_mid = true;
		mi->mid = (uint32_t)v;
	}
	mi->state = up_state_parse(str_of(o, "state"));
	mi->status = up_status_parse(str_of(o, "status"));
	mi->has_id = up_origin_id(str_of(o, "origin"), &mi->id) == 0;
	if (json_is_integer(json_object_get(o, "lifetime"))) {
		mi->has_lifetime = true;
		mi->lifetime = json_integer_value(json_object_get(o,
		    "lifetime"));
	}
	mi->has_stats = uint_of(o, "bytes-dropped", UINT64_MAX,
	    &mi->bytes_dropped);
	uint_of(o, "pkts-dropped", UINT64_MAX, &mi->pkts_dropped);
	uint_of(o, "bps-dropped", UINT64_MAX, &mi->bps_dropped);
	uint_of(o, "pps-dropped", UINT64_MAX, &mi->pps_dropped);
	copy_str(mi->server, sizeof(mi->server), str_of(o, "server"));
	if (json_is_object(err)) {
		copy_str(mi->err_code, sizeof(mi->err_code), str_of(err,
		    "code"));
		copy_str(mi->err_diag, sizeof(mi->err_diag), str_of(err,
		    "diagnostic"));
	}
	if (json_is_object(scope))
		mi->scope = json_dumps(scope, JSON_COMPACT | JSON_SORT_KEYS);
}

static void
answer_parse(const json_t *o, struct up_msg *msg)
{
	const json_t *res = json_object_get(o, "result");
	const json_t *err = json_object_get(o, "error"), *list, *srv;
	uint64_t seq;
	size_t i;

	msg->kind = UP_MSG_ANSWER;
	msg->has_seq = uint_of(o, "id", UINT64_MAX, &seq);
	msg->seq = msg->has_seq ? seq : 0;
	msg->ok = json_is_true(json_object_get(o, "ok"));
	if (!msg->ok) {
		copy_str(msg->code, sizeof(msg->code), str_of(err, "code"));
		copy_str(msg->field, sizeof(msg->field), str_of(err, "field"));
		copy_str(msg->message, sizeof(msg->message), str_of(err,
		    "message"));
		/* refused by the DOTS server: its code and diagnostic */
		srv = json_object_get(err, "server");
		if (json_is_object(srv)) {
			msg->has_mit = true;
			msg->mit.state = UP_ST_FAILED;
			copy_str(msg->mit.err_code, sizeof(msg->mit.err_code),
			    str_of(srv, "code"));
			copy_str(msg->mit.err_diag, sizeof(msg->mit.err_diag),
			    str_of(srv, "diagnostic"));
		}
		return;
	}
	list = json_object_get(res, "mitigations");
	if (json_is_array(list)) {
		msg->is_list = true;
		msg->list = calloc(json_array_size(list) ? json_array_size(list)
		    : 1, sizeof(*msg->list));
		for (i = 0; msg->list != NULL && i < json_array_size(list);
		    i++)
			if (json_is_object(json_array_get(list, i)))
				mit_info_parse(json_array_get(list, i),
				    &msg->list[msg->nlist++]);
		return;
	}
	if (json_is_object(res) && json_object_get(res, "mid") != NULL) {
		msg->has_mit = true;
		mit_info_parse(res, &msg->mit);
	}
}

static void
event_parse(const json_t *o, const char *ev, struct up_msg *msg)
{
	if (strcmp(ev, "status") == 0) {
		msg->kind = UP_MSG_STATUS;
		msg->has_mit = true;
		mit_info_parse(o, &msg->mit);
	} else if (strcmp(ev, "session") == 0) {
		msg->kind = UP_MSG_SESSION;
		copy_str(msg->server, sizeof(msg->server), str_of(o,
		    "server"));
		msg->up = str_of(o, "state") != NULL &&
		    strcmp(str_of(o, "state"), "up") == 0;
		copy_str(msg->reason, sizeof(msg->reason), str_of(o,
		    "reason"));
	} else
		msg->kind = UP_MSG_OTHER;
}

int
up_msg_parse(const char *line, size_t len, struct up_msg *msg)
{
	json_t *o;
	const char *ev;
	int ret = 0;

	memset(msg, 0, sizeof(*msg));
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	if ((ev = str_of(o, "event")) != NULL)
		event_parse(o, ev, msg);
	else if (json_is_boolean(json_object_get(o, "ok")))
		answer_parse(o, msg);
	else
		ret = -1;
	json_decref(o);
	return ret;
}

void
up_msg_clear(struct up_msg *msg)
{
	size_t i;

	for (i = 0; i < msg->nlist; i++)
		free(msg->list[i].scope);
	free(msg->list);
	free(msg->mit.scope);
	memset(msg, 0, sizeof(*msg));
}

char *
up_scope_json(const struct dots_scope *s, int64_t lifetime)
{
	struct dots_scope copy;
	json_t *inner;
	char *out;

	/* only what the upstream may see: targets, sources, lifetime */
	memset(&copy, 0, sizeof(copy));
	copy.target = s->target;
	copy.source_prefix = s->source_prefix;
	copy.n_source_prefix = s->n_source_prefix;
	copy.source_port_range = s->source_port_range;
	copy.n_source_port_range = s->n_source_port_range;
	copy.source_icmp_type_range = s->source_icmp_type_range;
	copy.n_source_icmp_type_range = s->n_source_icmp_type_range;
	copy.present = DOTS_SCOPE_LIFETIME;
	copy.lifetime = lifetime;
	if ((inner = be_scope_json(&copy)) == NULL)
		return NULL;
	out = json_dumps(inner, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(inner);
	if (out == NULL)
		errno = ENOMEM;
	return out;
}

/* @p o (taken) as one line with its newline.  **new** */
static char *
line_of(json_t *o)
{
	char *text, *line = NULL;
	size_t len;

	if (o == NULL)
		return NULL;
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (text == NULL)
		return NULL;
	len = strlen(text);
	if ((line = malloc(len + 2)) != NULL) {
		memcpy(line, text, len);
		line[len] = '\n';
		line[len + 1] = '\0';
	}
	free(text);
	return line;
}

char *
up_req_watch(uint64_t seq)
{
	return line_of(json_pack("{sI ss}", "id", (json_int_t)seq, "cmd",
	    "watch"));
}

char *
up_req_list(uint64_t seq, const char *server)
{
	return line_of(json_pack("{sI ss ss sb}", "id", (json_int_t)seq,
	    "cmd", "list", "server", server, "all", 1));
}

char *
up_req_mitigate(uint64_t seq, const char *server, uint64_t id,
    const char *scope_json, bool has_mid, uint32_t mid, const char *cdid,
    uint8_t hop_limit)
{
	char origin[48];
	json_t *o, *scope;

	scope = json_loads(scope_json, 0, NULL);
	if (scope == NULL)
		return NULL;
	snprintf(origin, sizeof(origin), UP_ORIGIN_PREFIX "%" PRIu64, id);
	/* "o" steals the scope reference, even on failure */
	o = json_pack("{sI ss ss ss so sI}", "id", (json_int_t)seq, "cmd",
	    "mitigate", "server", server, "origin", origin, "scope", scope,
	    "wait", (json_int_t)0);
	if (o != NULL && has_mid &&
	    json_object_set_new(o, "mid", json_integer(mid)) != 0)
		goto fail;
	if (o != NULL && cdid != NULL &&
	    json_object_set_new(o, "cdid", json_string(cdid)) != 0)
		goto fail;
	if (o != NULL && hop_limit != 0 &&
	    json_object_set_new(o, "hop-limit", json_integer(hop_limit)) != 0)
		goto fail;
	return line_of(o);
fail:
	json_decref(o);
	return NULL;
}

char *
up_req_withdraw(uint64_t seq, const char *server, uint32_t mid)
{
	return line_of(json_pack("{sI ss ss sI sI}", "id", (json_int_t)seq,
	    "cmd", "withdraw", "server", server, "mid", (json_int_t)mid,
	    "wait", (json_int_t)0));
}

char *
up_req_efficacy(uint64_t seq, const char *server, uint32_t mid,
    uint8_t attack_status)
{
	if (attack_status != DOTS_ATTACK_UNDER_ATTACK &&
	    attack_status != DOTS_ATTACK_MITIGATED)
		return NULL;
	return line_of(json_pack("{sI ss ss sI ss sI}", "id", (json_int_t)seq,
	    "cmd", "efficacy", "server", server, "mid", (json_int_t)mid,
	    "attack-status", dots_attack_status_name(attack_status), "wait",
	    (json_int_t)0));
}

static void
reason(struct be_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reason(struct be_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* Refused (or ended) by the upstream: its code and diagnostic. */
static void
refused(const struct up_mit_info *mi, const char *server,
    struct be_report *r)
{
	r->state = BE_FAILED;
	if (strcmp(mi->err_code, "5.08") == 0)
		reason(r, "upstream %.40s: 5.08 Hop Limit Reached, a loop "
		    "of gateways? (%.80s)", server, mi->err_diag);
	else if (mi->err_code[0] != '\0')
		reason(r, "upstream %.40s refused it: %.16s %.90s", server,
		    mi->err_code, mi->err_diag);
	else
		reason(r, "upstream %.40s refused it", server);
}

bool
up_report_of(const struct up_mit_info *mi, const char *server,
    bool withdrawing, struct be_report *r)
{
	uint64_t id = r->id;

	memset(r, 0, sizeof(*r));
	r->id = id;
	switch (mi->state) {
	case UP_ST_PENDING:
		if (withdrawing)
			return false;
		/* no session with the upstream, or no answer yet */
		r->state = BE_PENDING;
		reason(r, "not delivered to upstream %.40s yet (unreachable or "
		    "not answering): pending, relayed when it answers",
		    server);
		return true;
	case UP_ST_WITHDRAWING:
		return false;
	case UP_ST_FAILED:
		if (withdrawing) {
			r->state = BE_WITHDRAWN;
			return true;
		}
		refused(mi, server, r);
		return true;
	case UP_ST_ENDED:
		if (withdrawing) {
			r->state = BE_WITHDRAWN;
			return true;
		}
		r->state = BE_FAILED;
		reason(r, "upstream %.40s ended it (%.40s)", server,
		    mi->status ? dots_status_name(mi->status) : "gone");
		return true;
	case UP_ST_ACTIVE:
		break;
	case UP_ST_NONE:
	default:
		return false;
	}
	if (withdrawing)
		return false;
	switch (mi->status) {
	case DOTS_STATUS_MITIGATED:
	case DOTS_STATUS_STOPPED:
	case DOTS_STATUS_EXCEEDED:
		r->state = BE_ACTIVE;
		if (mi->has_stats) {
			r->flags |= BE_STATS_VALID;
			r->bytes_dropped = mi->bytes_dropped;
			r->pkts_dropped = mi->pkts_dropped;
			r->bps_dropped = mi->bps_dropped;
			r->pps_dropped = mi->pps_dropped;
		}
		return true;
	case DOTS_STATUS_TERMINATED:
	case DOTS_STATUS_WITHDRAWN:
	case DOTS_STATUS_CLIENT_WITHDRAWN:
		r->state = BE_FAILED;
		reason(r, "upstream %.40s ended it (%s)", server,
		    dots_status_name(mi->status));
		return true;
	default:
		/* accepted, not mitigating yet (in progress, or waiting) */
		r->state = BE_PENDING;
		reason(r, "upstream %.40s accepted it (mid %" PRIu32 "), not "
		    "mitigating yet", server, mi->mid);
		return true;
	}
}
