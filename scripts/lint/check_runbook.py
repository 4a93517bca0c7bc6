#!/usr/bin/env python3
"""Check that every runbook link used by an alert resolves to a heading.

Usage: check_runbook.py RUNBOOK_MD FILE [FILE ...]

Collects the anchors GitHub generates for the headings of RUNBOOK_MD and the
`operations.md#anchor` references in each FILE (Prometheus rules, Terraform
alert policies), and fails on any reference without a matching heading, so a
renamed section cannot leave an on-call engineer at a dead link.
"""
import re
import sys


def github_anchor(heading):
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[0]) as fh:
        anchors = {github_anchor(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", fh.read(), re.M)}
    errors, refs = [], 0
    for path in argv[1:]:
        with open(path) as fh:
            for lineno, line in enumerate(fh, 1):
                for anchor in re.findall(r"(?:operations\.md|runbook_base_url\})#([A-Za-z0-9_-]+)", line):
                    refs += 1
                    if anchor not in anchors:
                        errors.append(f"{path}:{lineno}: no heading for #{anchor} in {argv[0]}")
    for e in errors:
        print(e)
    print(f"{refs} runbook links checked, {len(errors)} broken")
    return 1 if errors or refs == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
