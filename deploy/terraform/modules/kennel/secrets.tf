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
