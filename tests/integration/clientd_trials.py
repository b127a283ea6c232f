# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# N requests through dotscd's control socket, one after the other, each
# timed until the daemon reports the server's 2.01 (state active, with
# `wait`), then withdrawn without waiting.  Prints one line per failure
# and a summary: "ok K/N p50 X ms p99 Y ms max Z ms".
#
# With ARRIVALS, a file to which the server's mitigator appends
# "MID EPOCH-SECONDS" when a request reaches it, a second summary follows:
# "reached K/N within WAIT s p50 X ms p99 Y ms", the time from the request
# on the control socket to its arrival at the server.  Used by
# clientd_loss.sh and bench/bench_trigger.sh.
#
#   python3 clientd_trials.py SOCKET N WAIT {mitigate|trigger} [ARRIVALS]
import json, os, socket, sys, time

sock, n, wait, kind = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4]
arrivals = sys.argv[5] if len(sys.argv) > 5 else None
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sock)
f = s.makefile("rwb")

def call(req):
    f.write(json.dumps(req).encode() + b"\n")
    f.flush()
    return json.loads(f.readline())

def pct(v, p):
    return v[min(len(v) - 1, int(len(v) * p))] if v else 0

ok, times, sent = 0, [], {}
for i in range(n):
    target = "192.0.2.%d/32" % (i % 250 + 1)
    if kind == "trigger":
        req = {"cmd": "trigger", "action": "start", "origin": "bench",
               "target": target, "wait": wait}
    else:
        req = {"cmd": "mitigate", "origin": "trials", "wait": wait,
               "scope": {"target-prefix": [target], "lifetime": 600}}
    w0, t0 = time.time(), time.monotonic()
    a = call(req)
    dt = (time.monotonic() - t0) * 1000
    r = a.get("result", {})
    if a.get("ok") and r.get("state") == "active":
        ok += 1
        times.append(dt)
    else:
        print("trial %d: %s" % (i, json.dumps(a)))
    if "mid" in r:
        sent[r["mid"]] = w0
        call({"cmd": "withdraw", "mid": r["mid"], "wait": 0})
times.sort()
print("ok %d/%d p50 %.1f ms p99 %.1f ms max %.1f ms" %
      (ok, n, pct(times, 0.5), pct(times, 0.99), times[-1] if times else 0))
if arrivals is None:
    sys.exit(0)

time.sleep(1)	# the mitigator runs after the answer; let the last one write
seen = {}
if os.path.exists(arrivals):
    with open(arrivals) as a:
        for line in a:
            mid, at = line.split()
            seen.setdefault(int(mid), []).append(float(at))
# the first arrival after the request: a mid may have been used before
reach = []
for mid, w0 in sent.items():
    dt = min((at - w0 for at in seen.get(mid, []) if at >= w0), default=None)
    if dt is not None and dt <= wait:
        reach.append(dt * 1000)
reach.sort()
print("reached %d/%d within %d s p50 %.1f ms p99 %.1f ms" %
      (len(reach), n, wait, pct(reach, 0.5), pct(reach, 0.99)))
