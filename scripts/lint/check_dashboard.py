#!/usr/bin/env python3
"""Check ops/grafana/kennel.json against the Prometheus rules.

Usage: check_dashboard.py DASHBOARD_JSON RULES_YAML

The dashboard must be valid JSON with unique panel ids, and every recording
rule it queries (names containing ':') must be defined in the rules file, so
a renamed rule cannot leave a silently empty panel behind.
"""
import json
import re
import sys

import yaml


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[0]) as fh:
        dash = json.load(fh)
    with open(argv[1]) as fh:
        rules = yaml.safe_load(fh)
    recorded = {r["record"] for g in rules["groups"] for r in g["rules"] if "record" in r}
    errors = []
    ids = [p.get("id") for p in dash.get("panels", [])]
    if len(ids) != len(set(ids)):
        errors.append("duplicate panel ids")
    exprs = [t["expr"] for p in dash.get("panels", []) for t in p.get("targets", [])]
    for expr in exprs:
        for name in re.findall(r"[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+", expr):
            if name not in recorded:
                errors.append(f"panel query uses undefined recording rule {name}")
    for e in errors:
        print(e)
    print(f"{len(dash.get('panels', []))} panels, {len(exprs)} queries, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
