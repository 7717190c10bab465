#!/usr/bin/env python3
"""Evaluates Tests/Fixtures/s3/moto/scenarios.json with moto's IAM policy evaluation
(moto.iam.access_control.IAMPolicy, the class moto's S3 backend uses for bucket policies) and prints
{"moto_version": ..., "results": {id: "allow"|"deny"|"neutral"|"error: ..."}} as JSON on stdout."""
import json
import sys

import moto
from moto.iam.access_control import IAMPolicy, PermissionResult

NAMES = {PermissionResult.PERMITTED: "allow", PermissionResult.DENIED: "deny", PermissionResult.NEUTRAL: "neutral"}


def main(path):
    scenarios = json.load(open(path))
    results = {}
    for s in scenarios:
        try:
            policy = IAMPolicy(json.dumps(s["policy"]))
            # moto's S3 backend passes no principal for anonymous requests; identity policies have none.
            principal = None if s["kind"] == "identity" or s["principal"] == "*" else s["principal"]
            r = policy.is_action_permitted(s["action"], s["resource"], principal, s["context"] or None)
            results[s["id"]] = NAMES[r]
        except Exception as e:  # moto raising is itself a difference from the documentation
            results[s["id"]] = "error: %s: %s" % (type(e).__name__, e)
    json.dump({"moto_version": moto.__version__, "results": results}, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
