"""The rehearsal's only change to the project's alerting files: time scaling.

The rehearsal loads ops/prometheus/rules/*.yml and
ops/alertmanager/alertmanager.yml as they are, except that it divides, by
KENNEL_REHEARSAL_TIME_SCALE (default 20):

  rules          each group's `interval` (and the global evaluation interval,
                 1m by default) and each alert's `for`;
  Alertmanager   the route timers `group_wait`, `group_interval`,
                 `repeat_interval` and `resolve_timeout`.

Expressions, range windows ([5m]), thresholds, labels, annotations, routes,
receivers and inhibitions are untouched; the secret file paths point at the
rehearsal's own files (the Slack URL at the local sink). The copy is written
to the run's temporary folder and checked to differ from its source only in
those keys, so no second, hand-edited copy exists.

Run as a script it prints the scaled rules for a file:
    python3 ops/rehearsal/scale.py ops/prometheus/rules/kennel.rules.yml
"""

import copy
import glob
import os
import re
import sys

import yaml

FACTOR = float(os.environ.get("KENNEL_REHEARSAL_TIME_SCALE", "20"))
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


def seconds(duration):
    total = 0.0
    parts = re.findall(r"(\d+)(ms|s|m|h|d|w|y)", duration)
    if not parts or "".join(n + u for n, u in parts) != duration:
        raise ValueError(f"not a Prometheus duration: {duration!r}")
    for number, unit in parts:
        total += int(number) * UNITS[unit]
    return total


def scale_duration(duration):
    """'10m' -> '30s' at factor 20; never below 1s, in milliseconds when needed."""
    ms = max(1000, round(seconds(duration) * 1000 / FACTOR))
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"


def rule_files(repo):
    return sorted(glob.glob(os.path.join(repo, "ops", "prometheus", "rules", "*.yml")))


def scaled_rules(doc):
    out = copy.deepcopy(doc)
    for group in out["groups"]:
        if "interval" in group:
            group["interval"] = scale_duration(group["interval"])
        for rule in group["rules"]:
            if "for" in rule:
                rule["for"] = scale_duration(rule["for"])
    return out


def _strip(doc):
    """The document without the keys the transformation may change."""
    doc = copy.deepcopy(doc)
    for group in doc["groups"]:
        group.pop("interval", None)
        for rule in group["rules"]:
            rule.pop("for", None)
    return doc


def write_scaled_rules(src, dst):
    with open(src) as f:
        doc = yaml.safe_load(f)
    out = scaled_rules(doc)
    if _strip(out) != _strip(doc):
        raise AssertionError(f"time scaling changed more than intervals and for: in {src}")
    with open(dst, "w") as f:
        f.write(f"# Generated from {os.path.basename(src)} by ops/rehearsal/scale.py (time / {FACTOR:g})\n")
        yaml.safe_dump(out, f, sort_keys=False)


TIMERS = ("group_wait", "group_interval", "repeat_interval")


def _scale_route(route):
    for key in TIMERS:
        if key in route:
            route[key] = scale_duration(route[key])
    for child in route.get("routes", []):
        _scale_route(child)


def write_alertmanager_config(src, dst, secrets_dir, smarthost):
    with open(src) as f:
        doc = yaml.safe_load(f)
    out = copy.deepcopy(doc)
    g = out.setdefault("global", {})
    if "resolve_timeout" in g:
        g["resolve_timeout"] = scale_duration(g["resolve_timeout"])
    # Secrets: the rehearsal's files (the Slack URL is the local sink's).
    g["slack_api_url_file"] = os.path.join(secrets_dir, "slack_webhook_url")
    g["smtp_auth_password_file"] = os.path.join(secrets_dir, "smtp_password")
    # No mail leaves the machine: the relay is a closed loopback port.
    g["smtp_smarthost"] = smarthost
    g["smtp_require_tls"] = False
    for receiver in out.get("receivers", []):
        for email in receiver.get("email_configs", []):
            if "auth_password_file" in email:
                email["auth_password_file"] = g["smtp_auth_password_file"]
    _scale_route(out["route"])
    # Routing, receivers' channels and texts, and inhibitions are the project's.
    for key in ("route", "receivers", "inhibit_rules", "templates"):
        a, b = copy.deepcopy(doc.get(key)), copy.deepcopy(out.get(key))
        if key == "route":
            _strip_route(a)
            _strip_route(b)
        if key == "receivers":
            for r in a + b:
                for e in r.get("email_configs", []):
                    e.pop("auth_password_file", None)
        if a != b:
            raise AssertionError(f"Alertmanager transformation changed {key}")
    with open(dst, "w") as f:
        f.write(f"# Generated from {os.path.basename(src)} by ops/rehearsal/scale.py (time / {FACTOR:g})\n")
        yaml.safe_dump(out, f, sort_keys=False)


def _strip_route(route):
    for key in TIMERS:
        route.pop(key, None)
    for child in route.get("routes", []):
        _strip_route(child)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path) as f:
            yaml.safe_dump(scaled_rules(yaml.safe_load(f)), sys.stdout, sort_keys=False)
