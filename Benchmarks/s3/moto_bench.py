#!/usr/bin/env python3
"""Times moto's IAMPolicy (parse + is_action_permitted) on the same scenarios as main.swift."""
import json
import sys
import time

from moto.iam.access_control import IAMPolicy

scenarios = json.load(open(sys.argv[1]))
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
prepared = [(json.dumps(s["policy"]), s["action"], s["resource"],
             None if s["kind"] == "identity" or s["principal"] == "*" else s["principal"], s["context"] or None)
            for s in scenarios]
start = time.perf_counter()
for _ in range(rounds):
    for text, action, resource, principal, context in prepared:
        try:
            IAMPolicy(text).is_action_permitted(action, resource, principal, context)
        except Exception:
            pass  # moto raises on 2 scenarios (see Tests/Fixtures/s3/moto/scenarios.json)
seconds = time.perf_counter() - start
evals = rounds * len(prepared)
print("moto: %d evaluations in %.3f s = %.1f µs each" % (evals, seconds, seconds / evals * 1e6))
print("RESULT moto_us %.3f" % (seconds / evals * 1e6))
