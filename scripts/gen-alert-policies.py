#!/usr/bin/env python3
"""Generate Kennel's Cloud Monitoring alert policies from its Prometheus rules.

Usage:
  scripts/gen-alert-policies.py                write the policies' data (OUTPUT)
  scripts/gen-alert-policies.py --check        fail, showing the difference, when
                                               the committed file is not what this
                                               script writes now
  scripts/gen-alert-policies.py --inlined-tests DIR
                                               write DIR/rules/*.yml, the deployed
                                               alert queries as Prometheus rules,
                                               and DIR/tests/*.yml, the unit tests
                                               of ops/prometheus/tests pointed at
                                               them, for `promtool test rules`

Every alerting rule in ops/prometheus/rules/*.yml becomes one policy of
google_monitoring_alert_policy.prometheus in deploy/terraform/modules/kennel
(monitoring.tf), a PromQL condition made from what OUTPUT holds for it: the
rule's expression as query, `for` as duration, its group's interval (or 60 s,
the unit tests' evaluation interval) as evaluation_interval, its labels, group
and name, its summary and runbook link; monitoring.tf sends it to the
channels of its severity label (critical: e-mail and Slack; warning: Slack),
as ops/alertmanager routes them.

Cloud Monitoring evaluates alerting conditions but no recording rules, so each
recording rule an alert uses is written into the alert's query in parentheses,
recursively. A recording series that an alert selects with label matchers, a
range or subquery, `offset` or `@`, by a __name__ matcher or names in a string
has no faithful inline form; the script refuses it with an error naming the
alert, as it refuses recording rules with labels and alert fields Cloud
Monitoring has no place for.

The inlined unit tests (--inlined-tests) leave out, and list on stderr:
  1. a promql_expr_test that queries a recording series: the inlined copy has
     no recording rules, which is what it proves; the alerts built on those
     series are still tested;
  2. an alert_rule_test of an alert that is not deployed (NOT_DEPLOYED);
  3. a test case left with nothing to check.
Everything else, rule_files aside, is the committed test files unchanged.
"""
import argparse
import difflib
import pathlib
import re
import sys

import yaml

REPO = pathlib.Path(__file__).resolve().parents[1]
RULES = "ops/prometheus/rules"
TESTS = "ops/prometheus/tests"
OUTPUT = "deploy/terraform/modules/kennel/alert_policies.generated.tf"
REGENERATE = "python3 scripts/gen-alert-policies.py"

# Prometheus's default evaluation interval and the unit tests'; used for
# groups that set none.
DEFAULT_EVALUATION_SECONDS = 60

# The severity labels that local.severity_channels (monitoring.tf) routes.
SEVERITIES = {"critical", "warning"}

# Alerts that stay with Prometheus and Alertmanager only, and why.
NOT_DEPLOYED = {
    "KennelBackupStale": (
        "its metric is written by the self-hosted backup script (ops/pgbackrest) for "
        "node_exporter; on Cloud Run, Cloud SQL takes the backups and nothing reports "
        "the metric, so the rule's absent() branch would page for ever."
    ),
}

ALERT_FIELDS = {"alert", "expr", "for", "labels", "annotations"}
RECORD_FIELDS = {"record", "expr"}
# Keywords after which a parenthesised list holds label names, not series.
GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}

TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
    | (?P<number>(?:0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)(?:[a-zA-Z]+[0-9]*)*)
    | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
    | (?P<op>.)
    """,
    re.X | re.S,
)


class RuleError(Exception):
    pass


def tokenize(expr):
    return [(m.lastgroup, m.group()) for m in TOKEN.finditer(expr)]


def string_value(token):
    """The text of a PromQL string literal (escapes kept: good enough to compare names)."""
    return token[1:-1]


def significant_after(tokens, index):
    for kind, text in tokens[index + 1:]:
        if kind not in ("ws", "comment"):
            return text
    return ""


def collapse(expr):
    """One line: comments dropped, runs of space made one, none inside brackets."""
    out = []
    for kind, text in tokenize(expr):
        if kind == "comment":
            continue
        if kind == "ws":
            if out and out[-1] not in ("(", "[", "{"):
                out.append(" ")
            continue
        if text in (")", "]", "}", ","):
            while out and out[-1] == " ":
                out.pop()
        out.append(text)
    return "".join(out).strip()


def uses_recorded(expr, recorded):
    return any(
        (kind == "ident" and text in recorded) or (kind == "string" and string_value(text) in recorded)
        for kind, text in tokenize(expr)
    )


class Inliner:
    def __init__(self, recorded):
        self.recorded = recorded  # record name -> expression
        self.expanded = {}

    def expand(self, name, stack):
        if name in stack:
            raise RuleError("recording rules refer to each other in a cycle: " + " -> ".join(stack + (name,)))
        if name not in self.expanded:
            self.expanded[name] = collapse(self.inline(self.recorded[name], f"recording rule {name}", stack + (name,)))
        return self.expanded[name]

    def inline(self, expr, where, stack=()):
        tokens = tokenize(expr)
        out, braces, label_list, previous = [], 0, False, ""
        for index, (kind, text) in enumerate(tokens):
            if kind == "string" and string_value(text) in self.recorded:
                raise RuleError(f"{where} names recording rule {string_value(text)} in a string; "
                                "only a plain selector of a recorded series can be inlined")
            if kind == "op":
                if text == "{":
                    braces += 1
                elif text == "}":
                    braces -= 1
                elif text == "(" and previous in GROUPING:
                    label_list = True
                elif text == ")" and label_list:
                    label_list = False
            if kind == "ident" and braces and text == "__name__":
                raise RuleError(f"{where} selects series by __name__, which may mean a recording rule; "
                                "select the metric by its name instead")
            if kind == "ident" and not braces and not label_list and text in self.recorded:
                following = significant_after(tokens, index)
                if following in ("{", "[", "offset", "@"):
                    what = {"{": "with label matchers", "[": "over a range",
                            "offset": "with offset", "@": "with @"}[following]
                    raise RuleError(
                        f"{where} selects recording rule {text} {what}; Cloud Monitoring evaluates no "
                        "recording rules and that selection has no faithful inline form: move the "
                        "matcher or range into the recording rule, or write the expression out in the alert")
                text = "(" + self.expand(text, stack) + ")"
            if kind not in ("ws", "comment"):
                previous = text
            out.append(text)
        return "".join(out)


def seconds(duration, where):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
    parts = re.findall(r"([0-9]+)(ms|s|m|h|d|w|y)", str(duration))
    if not parts or "".join(n + u for n, u in parts) != str(duration):
        raise RuleError(f"{where}: {duration!r} is not a Prometheus duration")
    total = sum(int(n) * units[u] for n, u in parts)
    if total != int(total):
        raise RuleError(f"{where}: {duration!r} is not a whole number of seconds")
    return int(total)


def load_rules(rules_dir):
    """Recording expressions by name, and the alerting rules in file order."""
    recorded, alerts = {}, []
    files = sorted(rules_dir.glob("*.yml"))
    if not files:
        raise RuleError(f"no rule files in {rules_dir}")
    for path in files:
        doc = yaml.safe_load(path.read_text()) or {}
        for group in doc.get("groups", []):
            interval = seconds(group["interval"], group["name"]) if "interval" in group else DEFAULT_EVALUATION_SECONDS
            for rule in group.get("rules", []):
                if "record" in rule:
                    if rule["record"] in recorded:
                        raise RuleError(f"recording rule {rule['record']} is defined twice")
                    if set(rule) - RECORD_FIELDS:
                        raise RuleError(f"recording rule {rule['record']}: {sorted(set(rule) - RECORD_FIELDS)} "
                                        "cannot be inlined; only record and expr are supported")
                    recorded[rule["record"]] = rule["expr"]
                    continue
                if set(rule) - ALERT_FIELDS:
                    raise RuleError(f"alert {rule['alert']}: Cloud Monitoring has no place for "
                                    f"{sorted(set(rule) - ALERT_FIELDS)}")
                alerts.append({**rule, "file": path.name, "group": group["name"], "interval": interval})
    names = [a["alert"] for a in alerts]
    if len(names) != len(set(names)):
        raise RuleError("alert names must be unique across the rule files")
    if set(NOT_DEPLOYED) - set(names):
        raise RuleError(f"NOT_DEPLOYED names {sorted(set(NOT_DEPLOYED) - set(names))}, which no rule defines")
    return recorded, alerts


def rendered(text, where):
    """An annotation with its label references shown as {label}; other templates refused."""
    text = re.sub(r"\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}", r"{\1}", text)
    if "{{" in text:
        raise RuleError(f"{where}: only {{{{ $labels.NAME }}}} templates can be shown in Cloud Monitoring")
    return text


def policies(rules_dir):
    recorded, alerts = load_rules(rules_dir)
    inliner = Inliner(recorded)
    out = []
    for rule in alerts:
        name = rule["alert"]
        if name in NOT_DEPLOYED:
            continue
        labels = rule.get("labels", {})
        annotations = rule.get("annotations", {})
        if labels.get("severity") not in SEVERITIES:
            raise RuleError(f"alert {name}: severity must be one of {sorted(SEVERITIES)}")
        anchor = annotations.get("runbook_url", "").partition("#")[2]
        if not re.fullmatch(r"[A-Za-z0-9_-]+", anchor) or "summary" not in annotations:
            raise RuleError(f"alert {name}: needs a summary and a runbook_url with an anchor")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) or \
                not all(re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", key) for key in labels):
            raise RuleError(f"alert {name}: its name and label names must be Terraform identifiers")
        if rule["interval"] <= 0 or rule["interval"] % 30:
            raise RuleError(f"alert {name}: Cloud Monitoring evaluates every multiple of 30 s, "
                            f"not every {rule['interval']} s")
        query = inliner.inline(rule["expr"], f"alert {name}")
        out.append({
            **rule,
            "query": "\n".join(line.rstrip() for line in query.strip().splitlines()),
            "duration": seconds(rule.get("for", "0s"), name),
            "summary": rendered(annotations["summary"], f"alert {name} summary"),
            "anchor": anchor,
        })
    return out, recorded


# --- Terraform ---------------------------------------------------------------

def hcl_string(text):
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("${", "$${").replace("%{", "%%{"))
    return f'"{escaped}"'


def heredoc(text, indent):
    if re.search(r"^\s*EOT\s*$", text, re.M):
        raise RuleError("a query contains a line EOT, which ends the heredoc")
    body = text.replace("${", "$${").replace("%{", "%%{")
    lines = "".join(f"{indent}  {line}\n" if line else "\n" for line in body.splitlines())
    return f"<<-EOT\n{lines}{indent}EOT"


def aligned(pairs, indent):
    width = max(len(key) for key, _ in pairs)
    return [f"{indent}{key.ljust(width)} = {value}" for key, value in pairs]


def alert_entry(p):
    labels = ", ".join(f"{k} = {hcl_string(str(v))}" for k, v in sorted(p["labels"].items()))
    lines = [f"    {p['alert']} = {{"]
    lines += aligned([
        ("summary", hcl_string(p["summary"])),
        ("query", heredoc(p["query"], "      ")),
        ("duration", f'"{p["duration"]}s"'),
        ("evaluation_interval", f'"{p["interval"]}s"'),
        ("rule_group", hcl_string(p["group"])),
        ("rules_file", hcl_string(f"{RULES}/{p['file']}")),
        ("runbook", f'"${{var.runbook_base_url}}#{p["anchor"]}"'),
        ("labels", f"{{ {labels} }}"),
    ], "      ")
    return "\n".join(lines + ["    }"])


def terraform(rules_dir):
    found, _ = policies(rules_dir)
    header = [
        f"# Generated by scripts/gen-alert-policies.py from {RULES}/*.yml:",
        "# do not edit; change the rules, then regenerate with",
        f"#   {REGENERATE}",
        "# scripts/ops-checks.sh fails while this file differs from the script's output.",
        "#",
        "# The Prometheus alerting rules by name, for the policies of",
        "# google_monitoring_alert_policy.prometheus (monitoring.tf), which Cloud",
        "# Monitoring evaluates on the series the Managed Service for Prometheus",
        "# sidecar writes from the API's metrics port. Cloud Monitoring evaluates no",
        "# recording rules, so each query has the recording rules it uses written",
        f"# into it; the unit tests in {TESTS} also run against these",
        "# queries (ops-checks.sh).",
        "#",
        "# Not deployed here:",
    ]
    for name, why in sorted(NOT_DEPLOYED.items()):
        words, line = f"{name}: {why}".split(), "#   "
        for word in words:
            if len(line) + len(word) > 79:
                header.append(line.rstrip())
                line = "#     "
            line += word + " "
        header.append(line.rstrip())
    return "\n".join(header + [
        "",
        "locals {",
        "  prometheus_alerts = {",
        "\n\n".join(alert_entry(p) for p in found),
        "  }",
        "}",
        "",
    ])


# --- Inlined unit tests ------------------------------------------------------

class InlineDumper(yaml.SafeDumper):
    pass


InlineDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def inlined_tests(rules_dir, tests_dir, out):
    found, recorded = policies(rules_dir)
    (out / "rules").mkdir(parents=True, exist_ok=True)
    (out / "tests").mkdir(parents=True, exist_ok=True)
    by_file = {}
    for p in found:
        groups = by_file.setdefault(p["file"], {})
        groups.setdefault(p["group"], {"name": p["group"], "interval": f"{p['interval']}s", "rules": []})
        rule = {"alert": p["alert"], "expr": p["query"], "for": f"{p['duration']}s"}
        rule.update({k: p[k] for k in ("labels", "annotations") if k in p})
        groups[p["group"]]["rules"].append(rule)
    for path in sorted(rules_dir.glob("*.yml")):
        doc = {"groups": list(by_file.get(path.name, {}).values())}
        (out / "rules" / path.name).write_text(yaml.dump(doc, Dumper=InlineDumper, sort_keys=False, width=10**6))
    skipped = []
    for path in sorted(tests_dir.glob("*.yml")):
        doc = yaml.safe_load(path.read_text())
        files = []
        for ref in doc.get("rule_files", []):
            target = out / "rules" / pathlib.Path(ref).name
            if not target.exists():
                raise RuleError(f"{path.name}: rule file {ref} is not one of {rules_dir}")
            files.append(str(target.resolve()))
        doc["rule_files"] = files
        kept = []
        for test in doc.get("tests", []):
            where = f"{path.name}, test {test.get('name', '?')!r}"
            exprs = []
            for t in test.get("promql_expr_test", []):
                if uses_recorded(t["expr"], recorded):
                    skipped.append(f"{where}: promql_expr_test {t['expr']} (rule 1: queries a recording series)")
                else:
                    exprs.append(t)
            alerts = []
            for t in test.get("alert_rule_test", []):
                if t["alertname"] in NOT_DEPLOYED:
                    skipped.append(f"{where}: {t['alertname']} at {t['eval_time']} (rule 2: not deployed)")
                else:
                    alerts.append(t)
            for key, entries in (("promql_expr_test", exprs), ("alert_rule_test", alerts)):
                if entries:
                    test[key] = entries
                else:
                    test.pop(key, None)
            if exprs or alerts:
                kept.append(test)
            else:
                skipped.append(f"{where} (rule 3: nothing left to check)")
        doc["tests"] = kept
        (out / "tests" / path.name).write_text(yaml.dump(doc, Dumper=InlineDumper, sort_keys=False, width=10**6))
    for line in skipped:
        print(f"left out: {line}", file=sys.stderr)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare with the committed file")
    mode.add_argument("--inlined-tests", metavar="DIR", type=pathlib.Path,
                      help="write the deployed queries and the unit tests pointed at them")
    args = parser.parse_args(argv)
    try:
        if args.inlined_tests:
            inlined_tests(REPO / RULES, REPO / TESTS, args.inlined_tests)
            return 0
        text = terraform(REPO / RULES)
    except (RuleError, KeyError, yaml.YAMLError, OSError) as exc:
        print(f"gen-alert-policies: {exc}", file=sys.stderr)
        return 1
    output = REPO / OUTPUT
    if not args.check:
        output.write_text(text)
        return 0
    current = output.read_text() if output.exists() else ""
    if current == text:
        print(f"{OUTPUT} is up to date")
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        current.splitlines(keepends=True), text.splitlines(keepends=True),
        f"{OUTPUT} (committed)", f"{OUTPUT} (generated)"))
    print(f"{OUTPUT} differs from the rules; run `{REGENERATE}` and commit the result")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
