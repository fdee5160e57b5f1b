"""Deterministic fault injection.

Spec (JSON, or a YAML/JSON file)::

    {"seed": 7, "rules": [
        {"kind": "status", "statuses": [429, 503], "rate": 0.3, "retry_after": 1,
         "methods": ["GET", "POST"], "path": "regex", "count": null},
        {"kind": "latency", "seconds": 2.5, "rate": 1.0},
        {"kind": "drop_before", "path": "/exim/packages$", "count": 1},
        {"kind": "drop_after", "methods": ["POST"], "path": "/exim/packages$", "count": 1}]}
"""
import json
import os
import random
import re
import threading

import yaml

KINDS = ("status", "latency", "drop_before", "drop_after")

GATEWAY_FAULT_BODIES = {
    429: ("429001", "Too many requests. Please retry after some time."),
    500: ("500000", "Internal Server Error"),
    502: ("502000", "Bad Gateway"),
    503: ("503000", "Service Unavailable. Please retry after some time."),
    504: ("504000", "Gateway Timeout"),
}


class FaultSpecError(ValueError):
    pass


def parse_spec(spec):
    """Accept a dict, a JSON string, or a path to a JSON/YAML file; return a normalised dict."""
    if spec is None or spec == "":
        return {"seed": 0, "rules": []}
    if isinstance(spec, str):
        s = spec.strip()
        if s.startswith("{") or s.startswith("["):
            try:
                spec = json.loads(s)
            except ValueError as exc:
                raise FaultSpecError("invalid fault JSON: %s" % exc)
        elif os.path.exists(s):
            with open(s) as fh:
                spec = yaml.safe_load(fh) or {}
        else:
            raise FaultSpecError("fault spec is neither JSON nor an existing file: %r" % spec)
    if isinstance(spec, list):
        spec = {"rules": spec}
    if not isinstance(spec, dict):
        raise FaultSpecError("fault spec must be an object")
    rules = []
    for i, r in enumerate(spec.get("rules") or []):
        if not isinstance(r, dict):
            raise FaultSpecError("rule %d must be an object" % i)
        kind = r.get("kind")
        if kind not in KINDS:
            raise FaultSpecError("rule %d: kind must be one of %s" % (i, ", ".join(KINDS)))
        rule = {
            "kind": kind,
            "rate": float(r.get("rate", 1.0)),
            "count": None if r.get("count") is None else int(r["count"]),
            "methods": [m.upper() for m in r["methods"]] if r.get("methods") else None,
            "path": r.get("path"),
        }
        if rule["path"]:
            try:
                re.compile(rule["path"])
            except re.error as exc:
                raise FaultSpecError("rule %d: bad path regex: %s" % (i, exc))
        if kind == "status":
            statuses = r.get("statuses") or ([r["status"]] if r.get("status") else [503])
            statuses = [int(s) for s in statuses]
            for s in statuses:
                if s < 400 or s > 599:
                    raise FaultSpecError("rule %d: status %s is not an error status" % (i, s))
            rule["statuses"] = statuses
            rule["retry_after"] = r.get("retry_after", 1)
        if kind == "latency":
            rule["seconds"] = float(r.get("seconds", 1.0))
        rules.append(rule)
    return {"seed": spec.get("seed", 0), "rules": rules}


class Faults:
    def __init__(self, spec=None):
        self.lock = threading.Lock()
        self.set(spec)

    def set(self, spec):
        parsed = parse_spec(spec)
        with self.lock:
            self.spec = parsed
            self.rng = random.Random(parsed["seed"])
            self.fired = [0] * len(parsed["rules"])

    def current(self):
        with self.lock:
            rules = []
            for r, n in zip(self.spec["rules"], self.fired):
                rules.append(dict(r, fired=n))
            return {"seed": self.spec["seed"], "rules": rules}

    def decide(self, method, path):
        """Return the list of faults that fire for this request, in rule order.

        Each item is the rule dict plus, for ``status``, the chosen ``status``.
        One random draw per matching rule keeps runs reproducible under a seed.
        """
        out = []
        with self.lock:
            for i, r in enumerate(self.spec["rules"]):
                if r["methods"] and method.upper() not in r["methods"]:
                    continue
                if r["path"] and not re.search(r["path"], path):
                    continue
                if r["count"] is not None and self.fired[i] >= r["count"]:
                    continue
                if r["rate"] < 1.0 and self.rng.random() >= r["rate"]:
                    continue
                self.fired[i] += 1
                hit = dict(r)
                if r["kind"] == "status":
                    hit["status"] = self.rng.choice(r["statuses"])
                out.append(hit)
        return out
