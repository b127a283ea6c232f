/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The traffic-threshold trigger: the `threshold` block of dotscd's
 * configuration, and the thin part that feeds rate.c once a second with
 * the kernel's counters (/sys/class/net/IFACE/statistics/rx_bytes and
 * rx_packets) and turns its decisions into `trigger` requests of the
 * control protocol, origin "threshold:NAME".
 *
 * The interface is looked up by name on every sample, so one that goes
 * away and comes back (a re-plugged USB NIC, a re-created VLAN) is picked
 * up again; its ifindex tells a re-created interface from the same one,
 * since fresh counters that happen to be higher than the old ones would
 * otherwise read as a burst of traffic.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dots/error.h>

#include "dotscd.h"
#include "log.h"
#include "trigger_threshold.h"

#define IFNAME_MAX	15		/* IFNAMSIZ - 1 */
#define CONF_MSG_MAX	200
#define LIFETIME_MAX	INT32_MAX

struct trig_thr {
	char			*name;
	char			*origin;	/* "threshold:NAME" */
	char			*ifname;
	char			*sysdir;
	char			 prefix[64];
	bool			 link_speed;	/* from the link */
	uint32_t		 lifetime;
	struct dots_port_range	 port[TRIG_PORTS_MAX];
	size_t			 n_port;
	uint8_t			 protocol[TRIG_PROTOS_MAX];
	size_t			 n_protocol;
	struct thr_machine	 m;
	uint64_t		 ifindex;	/* 0: not seen yet */
	enum thr_gap		 logged_gap;	/* last gap reported */
	struct log_rl		 rl;
};

/* Keywords of the block, in print order; the index is the seen bit. */
enum {
	K_INTERFACE, K_CAPACITY, K_START, K_STOP, K_RISE, K_HOLD, K_PREFIX,
	K_PORT, K_PROTOCOL, K_LIFETIME, K_COUNT
};

static const char *const keywords[K_COUNT] = {
	"interface", "capacity", "start-percent", "stop-percent", "rise",
	"hold", "prefix", "port", "protocol", "lifetime"
};

/* Configuration */

void
trig_thr_conf_clear(struct trig_thr_conf *c)
{
	if (c == NULL)
		return;
	free(c->interface);
	*c = (struct trig_thr_conf){ .name = c->name, .line = c->line };
}

static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v,
    char *msg, size_t msglen)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 ||
	    n < min || n > max) {
		snprintf(msg, msglen, "'%s' is not a number from %" PRIu32
		    " to %" PRIu32, s, min, max);
		return DOTS_EVALUE;
	}
	*v = (uint32_t)n;
	return DOTS_OK;
}

int
trig_capacity_parse(const char *s, uint64_t *bps)
{
	static const char units[] = "kMGT";
	unsigned long long n, mul = 1;
	const char *u;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || errno != 0 || n == 0)
		return DOTS_EVALUE;
	if (*end != '\0') {
		if (end[1] != '\0' || (u = strchr(units, *end)) == NULL)
			return DOTS_EVALUE;
		for (; u >= units; u--)
			mul *= 1000;
	}
	/* rate.c's bound: 2^56 bits/s */
	if (n > (UINT64_C(1) << 56) / mul)
		return DOTS_EVALUE;
	*bps = n * mul;
	return DOTS_OK;
}

static int
parse_interface(struct trig_thr_conf *c, const char *s, char *msg,
    size_t msglen)
{
	const char *p;

	/* the name becomes a path under /sys/class/net */
	for (p = s; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~' || *p == '/' || *p == ':')
			break;
	if (*p != '\0' || p == s || p - s > IFNAME_MAX ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
		snprintf(msg, msglen, "'%s' is not an interface name", s);
		return DOTS_EVALUE;
	}
	free(c->interface);
	if ((c->interface = strdup(s)) == NULL)
		return DOTS_ENOMEM;
	return DOTS_OK;
}

static int
parse_port(struct trig_thr_conf *c, const char *s, char *msg,
    size_t msglen)
{
	struct dots_port_range *r;
	uint32_t lo, hi;
	char buf[16];
	char *dash;

	if (c->n_port == TRIG_PORTS_MAX) {
		snprintf(msg, msglen, "at most %d ports", TRIG_PORTS_MAX);
		return DOTS_EVALUE;
	}
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	if ((dash = strchr(buf, '-')) != NULL)
		*dash = '\0';
	if (parse_u32(buf, 0, 65535, &lo, msg, msglen) != DOTS_OK)
		goto bad;
	hi = lo;
	if (dash != NULL &&
	    (parse_u32(dash + 1, lo, 65535, &hi, msg, msglen) != DOTS_OK))
		goto bad;
	r = &c->port[c->n_port++];
	*r = (struct dots_port_range){ .lower_port = (uint16_t)lo,
	    .upper_port = (uint16_t)hi, .present = dash ? DOTS_PORT_UPPER : 0 };
	return DOTS_OK;
bad:
	snprintf(msg, msglen, "'%s' is not a port (0-65535) or a range "
	    "LOW-HIGH", s);
	return DOTS_EVALUE;
}

static int
conf_value(struct trig_thr_conf *c, int k, const char *s, char *msg,
    size_t msglen)
{
	uint32_t v;
	int ret;

	switch (k) {
	case K_INTERFACE:
		return parse_interface(c, s, msg, msglen);
	case K_CAPACITY:
		if (trig_capacity_parse(s, &c->capacity_bps) != DOTS_OK) {
			snprintf(msg, msglen, "'%s' is not a rate in bits/s "
			    "(a number, optionally with k, M, G or T)", s);
			return DOTS_EVALUE;
		}
		return DOTS_OK;
	case K_START:
		return parse_u32(s, 1, 100, &c->start_pct, msg, msglen);
	case K_STOP:
		return parse_u32(s, 0, 99, &c->stop_pct, msg, msglen);
	case K_RISE:
		return parse_u32(s, 1, 3600, &c->rise, msg, msglen);
	case K_HOLD:
		return parse_u32(s, 0, 86400, &c->hold, msg, msglen);
	case K_LIFETIME:
		return parse_u32(s, 1, LIFETIME_MAX, &c->lifetime, msg,
		    msglen);
	case K_PREFIX:
		if (dots_prefix_parse(s, &c->prefix, &(bool){ false }) !=
		    DOTS_OK) {
			snprintf(msg, msglen, "'%s' is not an IP prefix", s);
			return DOTS_EVALUE;
		}
		return DOTS_OK;
	case K_PORT:
		return parse_port(c, s, msg, msglen);
	case K_PROTOCOL:
		if (c->n_protocol == TRIG_PROTOS_MAX) {
			snprintf(msg, msglen, "at most %d protocols",
			    TRIG_PROTOS_MAX);
			return DOTS_EVALUE;
		}
		ret = parse_u32(s, 0, 255, &v, msg, msglen);
		if (ret == DOTS_OK)
			c->protocol[c->n_protocol++] = (uint8_t)v;
		return ret;
	}
	return DOTS_EINVAL;
}

int
trig_thr_conf_stmt(struct trig_thr_conf *c, const char *keyword,
    char **w, unsigned n, char *msg, size_t msglen)
{
	char why[CONF_MSG_MAX];
	int k, ret;

	for (k = 0; k < K_COUNT; k++)
		if (strcmp(keyword, keywords[k]) == 0)
			break;
	if (k == K_COUNT)
		return 1;
	if (n != 1) {
		snprintf(msg, msglen, "%s: takes one value", keyword);
		return DOTS_EVALUE;
	}
	if ((c->seen & (1u << k)) && k != K_PORT && k != K_PROTOCOL) {
		snprintf(msg, msglen, "%s: given twice in the block", keyword);
		return DOTS_EVALUE;
	}
	why[0] = '\0';
	if ((ret = conf_value(c, k, w[0], why, sizeof(why))) == DOTS_OK)
		c->seen |= 1u << k;
	else
		snprintf(msg, msglen, "%s: %s", keyword, why[0] != '\0' ?
		    why : "out of memory");
	return ret;
}

int
trig_thr_conf_finish(struct trig_thr_conf *c, char *msg, size_t msglen)
{
	struct thr_params p;
	const char *why;

	if (!(c->seen & (1u << K_START)))
		c->start_pct = 50;
	if (!(c->seen & (1u << K_STOP)))
		c->stop_pct = 20;
	if (!(c->seen & (1u << K_RISE)))
		c->rise = 3;
	if (!(c->seen & (1u << K_HOLD)))
		c->hold = 60;
	if (!(c->seen & (1u << K_LIFETIME)))
		c->lifetime = 3600;
	p = (struct thr_params){ .capacity_bps = c->capacity_bps,
	    .start_pct = c->start_pct, .stop_pct = c->stop_pct,
	    .rise = c->rise, .hold = c->hold };
	if (c->interface == NULL)
		why = "an interface is required";
	else if (!(c->seen & (1u << K_PREFIX)))
		why = "a prefix is required";
	else
		why = thr_params_check(&p);
	if (why == NULL)
		return DOTS_OK;
	snprintf(msg, msglen, "threshold \"%s\": %s", c->name ? c->name : "",
	    why);
	return DOTS_EVALUE;
}

void
trig_thr_conf_print(FILE *f, const char *ind, const struct trig_thr_conf *c)
{
	char pfx[64];
	size_t i;

	fprintf(f, "%sinterface \"%s\"\n", ind, c->interface ?
	    c->interface : "");
	if (c->capacity_bps != 0)
		fprintf(f, "%scapacity %" PRIu64 "\n", ind, c->capacity_bps);
	else
		fprintf(f, "%s# capacity: the link's speed\n", ind);
	fprintf(f, "%sstart-percent %" PRIu32 "\n%sstop-percent %" PRIu32
	    "\n%srise %" PRIu32 "\n%shold %" PRIu32 "\n", ind, c->start_pct,
	    ind, c->stop_pct, ind, c->rise, ind, c->hold);
	if (dots_prefix_format(&c->prefix, pfx, sizeof(pfx)) == DOTS_OK)
		fprintf(f, "%sprefix %s\n", ind, pfx);
	for (i = 0; i < c->n_port; i++) {
		fprintf(f, "%sport %u", ind, c->port[i].lower_port);
		if (c->port[i].present & DOTS_PORT_UPPER)
			fprintf(f, "-%u", c->port[i].upper_port);
		fputc('\n', f);
	}
	for (i = 0; i < c->n_protocol; i++)
		fprintf(f, "%sprotocol %u\n", ind, c->protocol[i]);
	fprintf(f, "%slifetime %" PRIu32 "\n", ind, c->lifetime);
}

/* Reading the kernel's counters */

/* One number from a sysfs file; -errno if unreadable or not a number. */
static int
read_number(const char *sysdir, const char *ifname, const char *file,
    long long *v)
{
	char path[PATH_MAX], buf[32];
	ssize_t n;
	char *end;
	int fd, saved;

	if (snprintf(path, sizeof(path), "%s/%s/%s", sysdir, ifname, file) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	saved = errno;
	close(fd);
	if (n < 0)
		return -saved;
	buf[n] = '\0';
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (end == buf || (*end != '\n' && *end != '\0') || errno != 0)
		return -EINVAL;
	return 0;
}

int
trig_read_counters(const char *sysdir, const char *ifname, uint64_t *bytes,
    uint64_t *packets, uint64_t *ifindex)
{
	long long b, p, i;
	int ret;

	if ((ret = read_number(sysdir, ifname, "ifindex", &i)) != 0 ||
	    (ret = read_number(sysdir, ifname, "statistics/rx_bytes",
	    &b)) != 0 ||
	    (ret = read_number(sysdir, ifname, "statistics/rx_packets",
	    &p)) != 0)
		return ret;
	/* strtoll saturates: counters past 2^63 read as a reset, once */
	if (b < 0 || p < 0 || i <= 0)
		return -EINVAL;
	*bytes = (uint64_t)b;
	*packets = (uint64_t)p;
	*ifindex = (uint64_t)i;
	return 0;
}

uint64_t
trig_read_speed(const char *sysdir, const char *ifname)
{
	long long mbps;

	/* Mbit/s; -1 or EINVAL when unknown (virtual links, link down) */
	if (read_number(sysdir, ifname, "speed", &mbps) != 0 || mbps <= 0 ||
	    mbps > INT32_MAX)
		return 0;
	return (uint64_t)mbps * 1000000;
}

/* The running trigger */

struct trig_thr *
trig_thr_new(const struct trig_thr_conf *c, const char *sysdir)
{
	struct thr_params p = { .capacity_bps = c->capacity_bps,
	    .start_pct = c->start_pct, .stop_pct = c->stop_pct,
	    .rise = c->rise, .hold = c->hold,
	    /* well before the lifetime ends, as RFC 9132 refreshes go */
	    .refresh = c->lifetime / 2 };
	struct trig_thr *t;
	size_t len;

	assert(c->interface != NULL && c->name != NULL);
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	len = strlen("threshold:") + strlen(c->name) + 1;
	t->name = strdup(c->name);
	t->ifname = strdup(c->interface);
	t->sysdir = strdup(sysdir != NULL ? sysdir : TRIG_SYSFS_NET);
	t->origin = malloc(len);
	if (t->name == NULL || t->ifname == NULL || t->sysdir == NULL ||
	    t->origin == NULL) {
		trig_thr_free(t);
		return NULL;
	}
	snprintf(t->origin, len, "threshold:%s", c->name);
	if (dots_prefix_format(&c->prefix, t->prefix, sizeof(t->prefix)) !=
	    DOTS_OK)
		t->prefix[0] = '\0';
	t->link_speed = c->capacity_bps == 0;
	t->lifetime = c->lifetime;
	memcpy(t->port, c->port, sizeof(t->port));
	t->n_port = c->n_port;
	memcpy(t->protocol, c->protocol, sizeof(t->protocol));
	t->n_protocol = c->n_protocol;
	thr_init(&t->m, &p);
	t->logged_gap = THR_GAP_NONE;
	log_rl_init(&t->rl, t->origin, 5, 60000);
	return t;
}

void
trig_thr_free(struct trig_thr *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->origin);
	free(t->ifname);
	free(t->sysdir);
	free(t);
}

const struct thr_machine *
trig_thr_machine(const struct trig_thr *t)
{
	return &t->m;
}

static json_int_t
jint(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (json_int_t)v;
}

/* The scope members beyond the target: lifetime, ports, protocols. */
static json_t *
request_scope(const struct trig_thr *t)
{
	json_t *scope, *a, *r;
	size_t i;

	if ((scope = json_pack("{s:I}", "lifetime", jint(t->lifetime))) ==
	    NULL)
		return NULL;
	if (t->n_port > 0) {
		/* json_object_set_new steals the reference to a */
		if ((a = json_array()) == NULL ||
		    json_object_set_new(scope, "target-port-range", a) != 0)
			goto fail;
		for (i = 0; i < t->n_port; i++) {
			r = json_pack("{s:i}", "lower-port",
			    t->port[i].lower_port);
			if (r == NULL || ((t->port[i].present &
			    DOTS_PORT_UPPER) && json_object_set_new(r,
			    "upper-port", json_integer(t->port[i].upper_port))
			    != 0) || json_array_append_new(a, r) != 0)
				goto fail;
		}
	}
	if (t->n_protocol > 0) {
		if ((a = json_array()) == NULL ||
		    json_object_set_new(scope, "target-protocol", a) != 0)
			goto fail;
		for (i = 0; i < t->n_protocol; i++)
			if (json_array_append_new(a,
			    json_integer(t->protocol[i])) != 0)
				goto fail;
	}
	return scope;
fail:
	json_decref(scope);
	return NULL;
}

json_t *
trig_thr_request(const struct trig_thr *t, enum thr_action a)
{
	const struct thr_machine *m = &t->m;
	json_t *req, *details, *scope;

	req = json_pack("{s:s, s:s, s:s, s:s}", "cmd", "trigger", "action",
	    a == THR_STOP ? "stop" : "start", "origin", t->origin, "target",
	    t->prefix);
	details = json_pack("{s:s, s:I, s:I, s:I, s:i, s:s}", "interface",
	    t->ifname, "rate-bps", jint(m->bps), "rate-pps", jint(m->pps),
	    "capacity-bps", jint(m->p.capacity_bps), "percent",
	    (int)(thr_percent(m) > 100000 ? 100000 : thr_percent(m)),
	    "decision", thr_action_name(a));
	scope = a == THR_STOP ? NULL : request_scope(t);
	/* json_object_set_new steals details and scope, even on failure */
	if (req == NULL || json_object_set_new(req, "details", details) != 0 ||
	    (a != THR_STOP && json_object_set_new(req, "scope", scope) != 0)) {
		json_decref(req);
		return NULL;
	}
	return req;
}

/* Report a change in what the samples say, once per change. */
static void
log_gap(struct trig_thr *t)
{
	enum thr_gap g = t->m.gap;

	if (g == THR_GAP_WRAP) {
		log_debug("%s: %s: a 32-bit counter wrapped", t->origin,
		    t->ifname);
		return;
	}
	if (g == t->logged_gap || g == THR_GAP_FIRST)
		return;
	switch (g) {
	case THR_GAP_NONE:
		log_rl_info(&t->rl, "%s: %s: measuring again", t->origin,
		    t->ifname);
		break;
	case THR_GAP_MISSING:
		log_rl_warnx(&t->rl, "%s: %s: cannot read the counters "
		    "(interface gone?); no decision until it is back",
		    t->origin, t->ifname);
		break;
	case THR_GAP_RESET:
		log_rl_warnx(&t->rl, "%s: %s: counters went backwards "
		    "(reset); this sample is skipped", t->origin, t->ifname);
		break;
	case THR_GAP_CAPACITY:
		log_rl_warnx(&t->rl, "%s: %s: link speed unknown; set "
		    "capacity in the threshold block", t->origin, t->ifname);
		break;
	case THR_GAP_CLOCK:
		log_rl_warnx(&t->rl, "%s: samples less than 1 ms apart",
		    t->origin);
		break;
	default:
		break;
	}
	t->logged_gap = g;
}

static void
log_action(const struct trig_thr *t, enum thr_action a, int submitted)
{
	const struct thr_machine *m = &t->m;
	const char *what = a == THR_STOP ? "withdraw" : a == THR_START ?
	    "request" : "refresh";

	log_info("%s: %s at %" PRIu64 " bit/s, %u%% of %" PRIu64 ": %s "
	    "mitigation of %s%s", t->origin, t->ifname, m->bps,
	    thr_percent(m), m->p.capacity_bps, what, t->prefix,
	    submitted == 0 ? "" : " (the daemon refused it)");
}

enum thr_action
trig_thr_tick(struct trig_thr *t, uint64_t now_ms, trig_submit_fn submit,
    void *arg)
{
	struct thr_sample s = { .t_ms = now_ms };
	enum thr_action a;
	uint64_t ifindex;
	json_t *req;
	int ret;

	s.ok = trig_read_counters(t->sysdir, t->ifname, &s.bytes, &s.packets,
	    &ifindex) == 0;
	if (s.ok && t->ifindex != 0 && ifindex != t->ifindex) {
		struct thr_sample gone = { .t_ms = now_ms, .ok = false };

		/* a new interface of the same name: its counters are not
		 * the old ones' continuation */
		log_rl_warnx(&t->rl, "%s: %s was re-created", t->origin,
		    t->ifname);
		thr_feed(&t->m, &gone);
		t->logged_gap = THR_GAP_MISSING;
	}
	if (s.ok)
		t->ifindex = ifindex;
	if (s.ok && t->link_speed)
		thr_set_capacity(&t->m, trig_read_speed(t->sysdir, t->ifname));
	a = thr_feed(&t->m, &s);
	log_gap(t);
	if (a == THR_NONE)
		return a;
	if ((req = trig_thr_request(t, a)) == NULL) {
		log_warnx("%s: out of memory", __func__);
		return a;
	}
	ret = submit(arg, req);
	json_decref(req);
	log_action(t, a, ret);
	return a;
}

/* In dotscd */

struct trig_set {
	struct dotscd	 *d;
	struct trig_thr	**thr;
	size_t		  n;
};

/* The daemon's answer; @p arg is the origin, ours to free. */
static void
set_reply(void *arg, json_t *reply)
{
	json_t *err = json_object_get(reply, "error");
	json_t *res = json_object_get(reply, "result");
	char *origin = arg;

	if (json_is_true(json_object_get(reply, "ok")))
		log_debug("%s: dotscd: mid %" JSON_INTEGER_FORMAT ", %s",
		    origin, json_integer_value(json_object_get(res, "mid")),
		    json_string_value(json_object_get(res, "state")) ?
		    json_string_value(json_object_get(res, "state")) : "");
	else
		log_warnx("%s: dotscd refused: %s: %s", origin,
		    json_string_value(json_object_get(err, "code")) ?
		    json_string_value(json_object_get(err, "code")) : "?",
		    json_string_value(json_object_get(err, "message")) ?
		    json_string_value(json_object_get(err, "message")) : "");
	free(origin);
}

static int
set_submit(void *arg, json_t *req)
{
	struct trig_set *s = arg;
	const char *origin = json_string_value(json_object_get(req,
	    "origin"));
	char *copy = strdup(origin != NULL ? origin : "threshold");

	if (copy == NULL)
		return -1;
	ctl_submit(s->d, req, set_reply, copy);
	return 0;
}

static uint64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The daemon's time may jump; rates want a monotonic clock. */
static void
set_tick(struct dotscd *d, time_t now, void *arg)
{
	struct trig_set *s = arg;
	uint64_t ms = monotonic_ms();
	size_t i;

	(void)d;
	(void)now;
	for (i = 0; i < s->n; i++)
		trig_thr_tick(s->thr[i], ms, set_submit, s);
}

/* The same trigger in the old set: same name, interface and prefix. */
static const struct trig_thr *
set_find(const struct trig_set *old, const struct trig_thr *t)
{
	size_t i;

	for (i = 0; old != NULL && i < old->n; i++)
		if (strcmp(old->thr[i]->name, t->name) == 0 &&
		    strcmp(old->thr[i]->ifname, t->ifname) == 0 &&
		    strcmp(old->thr[i]->prefix, t->prefix) == 0)
			return old->thr[i];
	return NULL;
}

struct trig_set *
trig_set_new(struct dotscd *d, const struct trig_thr_conf *c, size_t n,
    const char *sysdir, const struct trig_set *old)
{
	const struct trig_thr *prev;
	struct trig_set *s;
	struct thr_params p;
	size_t i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->d = d;
	if (n > 0 && (s->thr = calloc(n, sizeof(*s->thr))) == NULL)
		goto fail;
	for (i = 0; i < n; i++, s->n++) {
		if ((s->thr[i] = trig_thr_new(&c[i], sysdir)) == NULL)
			goto fail;
		if ((prev = set_find(old, s->thr[i])) == NULL)
			continue;
		/* the state goes on under the new parameters */
		p = s->thr[i]->m.p;
		if (s->thr[i]->link_speed)
			p.capacity_bps = prev->m.p.capacity_bps;
		s->thr[i]->m = prev->m;
		s->thr[i]->m.p = p;
		s->thr[i]->ifindex = prev->ifindex;
	}
	if (n > 0 && dotscd_tick_add(d, set_tick, s) != 0)
		goto fail;
	return s;
fail:
	s->d = NULL;
	trig_set_free(s);
	return NULL;
}

void
trig_set_free(struct trig_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	if (s->d != NULL && s->n > 0)
		dotscd_tick_remove(s->d, set_tick, s);
	for (i = 0; i < s->n; i++)
		trig_thr_free(s->thr[i]);
	free(s->thr);
	free(s);
}
