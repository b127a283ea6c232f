# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# N requests through dotscd's control socket, one after the other, each
# timed until the daemon reports the server's 2.01 (state active, with
# `wait`), then withdrawn without waiting.  Prints one line per failure
# and a summary: "ok K/N p50 X ms p99 Y ms".  Used by clientd_loss.sh and
# bench/bench_trigger.sh.
#
#   python3 clientd_trials.py SOCKET N WAIT {mitigate|trigger} [PREFIX]
import json, socket, sys, time

sock, n, wait, kind = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4]
base = sys.argv[5] if len(sys.argv) > 5 else "192.0.2"
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sock)
f = s.makefile("rwb")

def call(req):
    f.write(json.dumps(req).encode() + b"\n")
    f.flush()
    return json.loads(f.readline())

ok, times = 0, []
for i in range(n):
    target = "%s.%d/32" % (base, i % 250 + 1)
    if kind == "trigger":
        req = {"cmd": "trigger", "action": "start", "origin": "bench",
               "target": target, "wait": wait}
    else:
        req = {"cmd": "mitigate", "origin": "trials", "wait": wait,
               "scope": {"target-prefix": [target], "lifetime": 600}}
    t0 = time.monotonic()
    a = call(req)
    dt = (time.monotonic() - t0) * 1000
    r = a.get("result", {})
    if a.get("ok") and r.get("state") == "active":
        ok += 1
        times.append(dt)
    else:
        print("trial %d: %s" % (i, json.dumps(a)))
    if "mid" in r:
        call({"cmd": "withdraw", "mid": r["mid"], "wait": 0})
times.sort()
pct = lambda p: times[min(len(times) - 1, int(len(times) * p))] \
    if times else 0
print("ok %d/%d p50 %.1f ms p99 %.1f ms max %.1f ms" %
      (ok, n, pct(0.5), pct(0.99), times[-1] if times else 0))
