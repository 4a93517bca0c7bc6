# Kennel environment: everything one environment (staging or production) needs
# in its own Google Cloud project. See deploy/terraform/README.md.

locals {
  labels = {
    app = "kennel"
    env = var.environment
  }

  service_name    = "kennel-api"
  job_name        = "kennel-migrate"
  outbox_job_name = "kennel-outbox-drain"

  # Secrets the API's revisions read at runtime. Values are added out of band
  # with `gcloud secrets versions add`; Terraform only creates the containers,
  # except for rungmp-config, the metrics sidecar's scrape configuration,
  # whose value is in the repository (secrets.tf).
  runtime_secrets = toset(["database-url", "llm-api-key", "sentry-dsn", "redis-url", "rungmp-config"])

  # Placeholder image for the first revision only: the deploy pipeline
  # replaces the revision template, and Terraform ignores it afterwards.
  bootstrap_image = "us-docker.pkg.dev/cloudrun/container/hello"
  # The same for the scheduled outbox job, which runs every minute from the
  # start: Google's sample job exits at once, where the web server above
  # would run until the job's timeout.
  bootstrap_job_image = "us-docker.pkg.dev/cloudrun/container/job"
}

resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "cloudscheduler.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "redis.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "sts.googleapis.com",
  ])

  project = var.project_id
  service = each.value

  # Turning an API off on destroy would break resources outside this module.
  disable_on_destroy = false
}
