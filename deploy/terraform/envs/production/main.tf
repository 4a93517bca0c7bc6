# Kennel production. State lives in a GCS bucket of the production project; the
# bucket name is passed at init time:
#   terraform init -backend-config="bucket=PROJECT_ID-kennel-tfstate"
# Plan and apply run in the GitHub workflow with provider downloads; locally
# only `terraform fmt` runs (see docs/operations.md).

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }

  backend "gcs" {
    prefix = "kennel/production"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app     = "kennel"
    env     = "production"
    managed = "terraform"
  }
}

module "kennel" {
  source = "../../modules/kennel"

  project_id             = var.project_id
  environment            = "production"
  region                 = var.region
  api_host               = "api.example.com"
  github_owner           = var.github_owner
  github_repository_name = var.github_repository_name
  github_environment     = "production"
  runbook_base_url       = "https://github.com/${var.github_owner}/${var.github_repository_name}/blob/main/docs/operations.md"

  run_max_instances    = 20
  db_tier              = "db-custom-2-7680"
  db_high_availability = true
  enable_redis         = true
  redis_tier           = "STANDARD_HA"
  uptime_check_period  = "60s"

  alert_email                = var.alert_email
  slack_notification_channel = var.slack_notification_channel
}
