# Secret containers only: values are added with `gcloud secrets versions add`
# and the Cloud Run specs pin numeric versions, so no secret value is ever
# written in this repository or in Terraform state.

resource "google_secret_manager_secret" "runtime" {
  for_each = local.runtime_secrets

  project   = var.project_id
  secret_id = "kennel-${each.key}"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

# SMTP credentials of account email (SMTP_URL), read only by the outbox job
# (`kennel outbox drain`), never by the API's revisions, so it is not one of
# the runtime secrets. Its value is smtps://USER:PASSWORD@HOST:465 or
# smtp://USER:PASSWORD@HOST:587?tls=required from the mail provider
# (docs/operations.md, "Account email").
resource "google_secret_manager_secret" "smtp_url" {
  project   = var.project_id
  secret_id = "kennel-smtp-url"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

# The Expo project's access token (EXPO_ACCESS_TOKEN) for push notifications
# of new matches, read only by the outbox job, which sends them
# (docs/operations.md, "New-match alerts").
resource "google_secret_manager_secret" "expo_access_token" {
  project   = var.project_id
  secret_id = "kennel-expo-access-token"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

# Slack bot token for the Cloud Monitoring notification channel. Read once by
# the operator who creates the channel with gcloud; Terraform never reads its
# value, so the token stays out of the state.
resource "google_secret_manager_secret" "slack_alert_token" {
  project   = var.project_id
  secret_id = "kennel-slack-alert-token"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

# Scrape configuration (RunMonitoring) of the Managed Service for Prometheus
# sidecar in the Cloud Run specs, which mount it at /etc/rungmp/config.yaml.
# It holds nothing secret: Secret Manager is how the sidecar is documented to
# receive its configuration. The value is deploy/cloudrun/run-monitoring.yaml;
# the specs pin the version number, so when that file changes, apply adds a
# version and abandons rather than deletes the old one, which keeps revisions
# pinned to it startable until the specs move to the new number.
resource "google_secret_manager_secret_version" "rungmp_config" {
  secret          = google_secret_manager_secret.runtime["rungmp-config"].id
  secret_data     = file("${path.module}/../../../cloudrun/run-monitoring.yaml")
  deletion_policy = "ABANDON"
}
