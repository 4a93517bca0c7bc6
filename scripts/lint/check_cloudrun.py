#!/usr/bin/env python3
"""Parse the Cloud Run specs and check the settings the runbook relies on.

Usage: check_cloudrun.py DIR [DIR ...]

Each DIR holds service.<env>.yaml and migrate-job.<env>.yaml files (the
templates in deploy/cloudrun, or the output of deploy.sh --render-only).
A YAML parse alone would accept a spec that silently dropped a probe or
unpinned a secret, so the invariants are checked explicitly.
"""
import pathlib
import re
import sys

import yaml

PUBLIC_URL = {
    "staging": "https://staging-api.example.com",
    "production": "https://api.example.com",
}
SERVICE_SECRETS = {"DATABASE_URL", "LLM_API_KEY", "SENTRY_DSN", "REDIS_URL"}


def env_map(container):
    return {e["name"]: e for e in container.get("env", [])}


def check_pinned_secrets(errors, where, env, names):
    for name in sorted(names):
        entry = env.get(name)
        ref = (entry or {}).get("valueFrom", {}).get("secretKeyRef")
        if not ref:
            errors.append(f"{where}: {name} must come from valueFrom.secretKeyRef")
        elif not re.fullmatch(r"[1-9][0-9]*", str(ref.get("key", ""))):
            errors.append(f"{where}: {name} secret must be pinned to a numeric version, got {ref.get('key')!r}")


def check_deployed_config(errors, where, env):
    """The values `kennel` refuses to start without when APP_ENV is deployed."""
    if not str(env.get("STORAGE_URL", {}).get("value", "")).startswith("gs://"):
        errors.append(f"{where}: STORAGE_URL must be a gs:// URL")
    if not str(env.get("PUBLIC_BASE_URL", {}).get("value", "")).startswith("https://"):
        errors.append(f"{where}: PUBLIC_BASE_URL must be https://")
    origins = str(env.get("CORS_ORIGINS", {}).get("value", ""))
    if not origins or any(not o.strip().startswith("https://") for o in origins.split(",")):
        errors.append(f"{where}: CORS_ORIGINS must be an explicit list of https:// origins")


def check_private_egress(errors, where, annotations):
    if "run.googleapis.com/network-interfaces" not in annotations and \
            "run.googleapis.com/vpc-access-connector" not in annotations:
        errors.append(f"{where}: no Direct VPC egress or VPC connector annotation")
    if annotations.get("run.googleapis.com/vpc-access-egress") not in ("private-ranges-only", "all-traffic"):
        errors.append(f"{where}: run.googleapis.com/vpc-access-egress not set")


def check_service(errors, path, doc, envname):
    where = str(path)
    if doc.get("apiVersion") != "serving.knative.dev/v1" or doc.get("kind") != "Service":
        errors.append(f"{where}: expected serving.knative.dev/v1 Service")
        return
    tmpl = doc["spec"]["template"]
    ann = tmpl["metadata"].get("annotations", {})
    if ann.get("autoscaling.knative.dev/minScale") != "0":
        errors.append(f"{where}: minScale must be the string \"0\" (scale to zero)")
    if not str(ann.get("autoscaling.knative.dev/maxScale", "")).isdigit():
        errors.append(f"{where}: maxScale must be set")
    check_private_egress(errors, where, ann)
    spec = tmpl["spec"]
    if spec.get("containerConcurrency") != 80:
        errors.append(f"{where}: containerConcurrency must be 80")
    if not isinstance(spec.get("timeoutSeconds"), int):
        errors.append(f"{where}: timeoutSeconds must be set")
    if not str(spec.get("serviceAccountName", "")).startswith("kennel-run@"):
        errors.append(f"{where}: must run as the dedicated kennel-run service account")
    (container,) = spec["containers"]
    limits = container.get("resources", {}).get("limits", {})
    if limits.get("cpu") != "1" or limits.get("memory") != "512Mi":
        errors.append(f"{where}: limits must be cpu \"1\", memory 512Mi")
    for probe, route in (("startupProbe", "/readyz"), ("livenessProbe", "/healthz")):
        get = container.get(probe, {}).get("httpGet", {})
        if get.get("path") != route or get.get("port") != 8080:
            errors.append(f"{where}: {probe} must GET {route} on port 8080")
    env = env_map(container)
    expect = {"APP_ENV": envname, "LOG_FORMAT": "json", "PUBLIC_BASE_URL": PUBLIC_URL[envname]}
    for name, value in expect.items():
        if env.get(name, {}).get("value") != value:
            errors.append(f"{where}: {name} must be {value!r}")
    check_deployed_config(errors, where, env)
    check_pinned_secrets(errors, where, env, SERVICE_SECRETS)
    tags = {t.get("tag") for t in doc["spec"].get("traffic", [])}
    if "candidate" not in tags:
        errors.append(f"{where}: new revision must be tagged candidate")
    if sum(t.get("percent", 0) for t in doc["spec"].get("traffic", [])) != 100:
        errors.append(f"{where}: traffic percentages must add up to 100")


def check_job(errors, path, doc, envname):
    where = str(path)
    if doc.get("apiVersion") != "run.googleapis.com/v1" or doc.get("kind") != "Job":
        errors.append(f"{where}: expected run.googleapis.com/v1 Job")
        return
    check_private_egress(errors, where, doc["spec"]["template"]["metadata"].get("annotations", {}))
    task = doc["spec"]["template"]["spec"]["template"]["spec"]
    (container,) = task["containers"]
    if container.get("args") != ["migrate"]:
        errors.append(f"{where}: the job must run `kennel migrate`")
    env = env_map(container)
    if env.get("APP_ENV", {}).get("value") != envname:
        errors.append(f"{where}: APP_ENV must be {envname!r}")
    check_deployed_config(errors, where, env)
    check_pinned_secrets(errors, where, env, {"DATABASE_URL"})


def main(dirs):
    if not dirs:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    errors, checked = [], 0
    for d in dirs:
        for envname in PUBLIC_URL:
            for kind, fn in (("service", check_service), ("migrate-job", check_job)):
                path = pathlib.Path(d) / f"{kind}.{envname}.yaml"
                try:
                    docs = list(yaml.safe_load_all(path.read_text()))
                except (OSError, yaml.YAMLError) as exc:
                    errors.append(f"{path}: {exc}")
                    continue
                if len(docs) != 1:
                    errors.append(f"{path}: expected exactly one YAML document")
                    continue
                try:
                    fn(errors, path, docs[0], envname)
                except (KeyError, TypeError, ValueError) as exc:
                    errors.append(f"{path}: malformed spec ({exc!r})")
                checked += 1
    for e in errors:
        print(e)
    print(f"{checked} Cloud Run specs checked, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
