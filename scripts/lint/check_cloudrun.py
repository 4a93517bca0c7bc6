#!/usr/bin/env python3
"""Parse the Cloud Run specs and check the settings the runbook relies on.

Usage: check_cloudrun.py DIR [DIR ...]

Each DIR holds service.<env>.yaml, migrate-job.<env>.yaml and
outbox-job.<env>.yaml files (the templates in deploy/cloudrun, or the output
of deploy.sh --render-only). A YAML parse alone would accept a spec that
silently dropped a probe or unpinned a secret, so the invariants are checked
explicitly, including the metrics sidecar: present, started after the API,
scraping the API's METRICS_PORT and path as deploy/cloudrun/run-monitoring.yaml
configures it, from the secret Terraform creates. The jobs run as their own
service accounts, without retries, with pinned secrets; the outbox job reads
SMTP_URL from the secret Terraform creates for it (never a literal, which
could be plain smtp://), which the service must not read.
"""
import json
import pathlib
import re
import sys

import yaml

PUBLIC_URL = {
    "staging": "https://staging-api.example.com",
    "production": "https://api.example.com",
}
SERVICE_SECRETS = {"DATABASE_URL", "LLM_API_KEY", "SENTRY_DSN", "REDIS_URL"}
# The web app, where links in account email lead.
APP_URL = {
    "staging": "https://staging.example.com",
    "production": "https://example.com",
}
# Per job: name, `kennel` arguments, service account, secrets (env name ->
# Secret Manager secret) and the longest timeout it may have.
JOBS = {
    "migrate-job": {
        "name": "kennel-migrate",
        "args": ["migrate"],
        "account": "kennel-migrate",
        "secrets": {"DATABASE_URL": "kennel-database-url"},
        "max_timeout": 3600,
    },
    # Run every minute by Cloud Scheduler: a run must end well before the
    # runs it overlaps pile up, and the next run is its retry.
    "outbox-job": {
        "name": "kennel-outbox-drain",
        "args": ["outbox", "drain"],
        "account": "kennel-outbox",
        "secrets": {
            "DATABASE_URL": "kennel-database-url",
            "SMTP_URL": "kennel-smtp-url",
            "EXPO_ACCESS_TOKEN": "kennel-expo-access-token",
        },
        "max_timeout": 600,
    },
}
# Only the outbox job sends email and push notifications; the service has no
# use for those credentials.
MAIL_ONLY_SECRETS = {
    "SMTP_URL": "kennel-smtp-url",
    "EXPO_ACCESS_TOKEN": "kennel-expo-access-token",
}

REPO = pathlib.Path(__file__).resolve().parents[2]
RUN_MONITORING = REPO / "deploy/cloudrun/run-monitoring.yaml"
TERRAFORM_MODULE = REPO / "deploy/terraform/modules/kennel"
# Google's Managed Service for Prometheus sidecar for Cloud Run; it reads its
# RunMonitoring configuration from this directory.
SIDECAR_IMAGE = "us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/cloud-run-gmp-sidecar"
SIDECAR_CONFIG_DIR = "/etc/rungmp"
SIDECAR_SECRET = "kennel-rungmp-config"
# crates/kennel/src/metrics.rs serves the Prometheus text here.
METRICS_PATH = "/metrics"


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


def check_secret_names(errors, where, env, secrets):
    for name, secret in sorted(secrets.items()):
        ref = (env.get(name) or {}).get("valueFrom", {}).get("secretKeyRef") or {}
        if ref and ref.get("name") != secret:
            errors.append(f"{where}: {name} must come from secret {secret}, got {ref.get('name')!r}")


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
    ingress = [c for c in spec["containers"] if c.get("ports")]
    if len(ingress) != 1 or ingress[0].get("name") != "kennel":
        errors.append(f"{where}: the kennel container must be the only one with a port (the ingress container)")
        return
    (container,) = ingress
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
    for name, secret in sorted(MAIL_ONLY_SECRETS.items()):
        if name in env or any(secret in json.dumps(c) for c in spec["containers"]):
            errors.append(f"{where}: the service must not read {name} ({secret}): only the outbox job sends email")
    check_metrics_sidecar(errors, where, ann, spec, env)
    tags = {t.get("tag") for t in doc["spec"].get("traffic", [])}
    if "candidate" not in tags:
        errors.append(f"{where}: new revision must be tagged candidate")
    if sum(t.get("percent", 0) for t in doc["spec"].get("traffic", [])) != 100:
        errors.append(f"{where}: traffic percentages must add up to 100")


def cpu_millis(value):
    text = str(value)
    return int(text[:-1]) if text.endswith("m") else int(float(text) * 1000)


def memory_mib(value):
    match = re.fullmatch(r"([0-9]+)(Mi|Gi)", str(value))
    if not match:
        raise ValueError(f"memory {value!r} is not in Mi or Gi")
    return int(match.group(1)) * (1024 if match.group(2) == "Gi" else 1)


def scrape_endpoints():
    """The RunMonitoring endpoints, or an error message."""
    try:
        config = yaml.safe_load(RUN_MONITORING.read_text())
    except (OSError, yaml.YAMLError) as exc:
        return None, f"{RUN_MONITORING.relative_to(REPO)}: {exc}"
    if not isinstance(config, dict) or config.get("kind") != "RunMonitoring" or \
            config.get("apiVersion") != "monitoring.googleapis.com/v1beta":
        return None, f"{RUN_MONITORING.relative_to(REPO)}: expected a monitoring.googleapis.com/v1beta RunMonitoring"
    return (config.get("spec") or {}).get("endpoints") or [], None


def terraform_creates_secret(name):
    """A literal secret_id, or an entry of the module's runtime_secrets set."""
    literal = re.compile(r'secret_id\s*=\s*"' + re.escape(name) + '"')
    listed = re.compile(r'runtime_secrets\s*=\s*toset\(\[[^]]*"' + re.escape(name.removeprefix("kennel-")) + '"')
    text = "\n".join(f.read_text() for f in TERRAFORM_MODULE.glob("*.tf"))
    return bool(literal.search(text) or listed.search(text) and 'secret_id = "kennel-${each.key}"' in text)


def check_metrics_sidecar(errors, where, annotations, spec, env):
    """The collector sidecar exists, starts after the API and scrapes METRICS_PORT."""
    sidecars = [c for c in spec["containers"] if c.get("name") == "collector"]
    if len(sidecars) != 1 or len(spec["containers"]) != 2:
        errors.append(f"{where}: expected exactly the kennel container and one collector sidecar")
        return
    (sidecar,) = sidecars
    image = str(sidecar.get("image", ""))
    tag = image.rpartition(":")[2] if image.startswith(SIDECAR_IMAGE + ":") else ""
    if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", tag):
        errors.append(f"{where}: collector must run {SIDECAR_IMAGE} pinned to a release, got {image!r}")
    if sidecar.get("ports"):
        errors.append(f"{where}: collector must declare no port (the API is the ingress container)")
    limits = sidecar.get("resources", {}).get("limits", {})
    try:
        if not 0 < cpu_millis(limits["cpu"]) <= 1000 or not 0 < memory_mib(limits["memory"]) <= 512:
            errors.append(f"{where}: collector limits must be small (at most 1 CPU and 512Mi)")
    except (KeyError, ValueError) as exc:
        errors.append(f"{where}: collector needs cpu and memory limits ({exc})")
    try:
        order = json.loads(annotations.get("run.googleapis.com/container-dependencies", "{}"))
    except json.JSONDecodeError as exc:
        order = {}
        errors.append(f"{where}: run.googleapis.com/container-dependencies is not JSON ({exc})")
    if "kennel" not in order.get("collector", []):
        errors.append(f"{where}: container-dependencies must start the collector after kennel")
    volumes = {v.get("name"): v for v in spec.get("volumes", [])}
    mounts = [m for m in sidecar.get("volumeMounts", [])
              if str(m.get("mountPath", "")).rstrip("/") == SIDECAR_CONFIG_DIR]
    secret = (volumes.get(mounts[0].get("name")) or {}).get("secret", {}) if mounts else {}
    items = {str(i.get("path")): str(i.get("key")) for i in secret.get("items", [])}
    if secret.get("secretName") != SIDECAR_SECRET or "config.yaml" not in items:
        errors.append(f"{where}: collector must mount secret {SIDECAR_SECRET} as {SIDECAR_CONFIG_DIR}/config.yaml")
    elif not re.fullmatch(r"[1-9][0-9]*", items["config.yaml"]):
        errors.append(f"{where}: {SIDECAR_SECRET} must be pinned to a numeric version, got {items['config.yaml']!r}")
    if not terraform_creates_secret(SIDECAR_SECRET):
        errors.append(f"{where}: no resource in {TERRAFORM_MODULE.relative_to(REPO)} creates secret {SIDECAR_SECRET}")
    endpoints, problem = scrape_endpoints()
    if problem:
        errors.append(f"{where}: {problem}")
        return
    metrics_port = str(env.get("METRICS_PORT", {}).get("value", ""))
    if not metrics_port.isdigit() or metrics_port == "8080":
        errors.append(f"{where}: METRICS_PORT must be set to a port other than the API's 8080")
    scraped = [e for e in endpoints
               if str(e.get("port")) == metrics_port and e.get("path", METRICS_PATH) == METRICS_PATH]
    if len(endpoints) != 1 or not scraped:
        errors.append(f"{where}: {RUN_MONITORING.name} must scrape exactly port {metrics_port} (METRICS_PORT) "
                      f"at {METRICS_PATH}, found {endpoints!r}")
    elif not re.fullmatch(r"(1[0-9]|[2-5][0-9]|60)s|1m", str(scraped[0].get("interval", "30s"))):
        errors.append(f"{where}: scrape interval must be between 10s and 60s, got {scraped[0].get('interval')!r}")


def check_job(errors, path, doc, envname, kind):
    where = str(path)
    want = JOBS[kind]
    if doc.get("apiVersion") != "run.googleapis.com/v1" or doc.get("kind") != "Job":
        errors.append(f"{where}: expected run.googleapis.com/v1 Job")
        return
    if doc.get("metadata", {}).get("name") != want["name"]:
        errors.append(f"{where}: the job must be named {want['name']} (deploy/scripts/lib.sh, Terraform)")
    check_private_egress(errors, where, doc["spec"]["template"]["metadata"].get("annotations", {}))
    task = doc["spec"]["template"]["spec"]["template"]["spec"]
    if not str(task.get("serviceAccountName", "")).startswith(want["account"] + "@"):
        errors.append(f"{where}: must run as its own {want['account']} service account")
    if task.get("maxRetries") != 0:
        errors.append(f"{where}: maxRetries must be 0")
    timeout = task.get("timeoutSeconds")
    if not isinstance(timeout, int) or not 0 < timeout <= want["max_timeout"]:
        errors.append(f"{where}: timeoutSeconds must be set, at most {want['max_timeout']}")
    (container,) = task["containers"]
    if container.get("args") != want["args"]:
        errors.append(f"{where}: the job must run `kennel {' '.join(want['args'])}`")
    env = env_map(container)
    if env.get("APP_ENV", {}).get("value") != envname:
        errors.append(f"{where}: APP_ENV must be {envname!r}")
    check_deployed_config(errors, where, env)
    check_pinned_secrets(errors, where, env, set(want["secrets"]))
    check_secret_names(errors, where, env, want["secrets"])
    for secret in sorted(set(want["secrets"].values())):
        if not terraform_creates_secret(secret):
            errors.append(f"{where}: no resource in {TERRAFORM_MODULE.relative_to(REPO)} creates secret {secret}")
    if kind == "outbox-job":
        check_mail_config(errors, where, env, envname)


def check_mail_config(errors, where, env, envname):
    """What account email needs beyond the config check: a real sender and
    links to the web app over https."""
    sender = str(env.get("MAIL_FROM", {}).get("value", ""))
    if not re.fullmatch(r"[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+", sender) or \
            sender.rstrip(">").endswith("@localhost"):
        errors.append(f"{where}: MAIL_FROM must be set to a real sender (Name <address>), got {sender!r}")
    if env.get("APP_BASE_URL", {}).get("value") != APP_URL[envname]:
        errors.append(f"{where}: APP_BASE_URL must be {APP_URL[envname]!r} (the web app)")
    if "SMTP_URL_FILE" in env:
        errors.append(f"{where}: SMTP_URL_FILE must not be set: SMTP_URL comes from its pinned secret")


def main(dirs):
    if not dirs:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    errors, checked = [], 0
    for d in dirs:
        for envname in PUBLIC_URL:
            for kind in ("service", *JOBS):
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
                    if kind == "service":
                        check_service(errors, path, docs[0], envname)
                    else:
                        check_job(errors, path, docs[0], envname, kind)
                except (KeyError, TypeError, ValueError) as exc:
                    errors.append(f"{path}: malformed spec ({exc!r})")
                checked += 1
    for e in errors:
        print(e)
    print(f"{checked} Cloud Run specs checked, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
