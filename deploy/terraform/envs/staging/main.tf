# Kennel staging. State lives in a GCS bucket of the staging project; the
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
    prefix = "kennel/staging"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app     = "kennel"
    env     = "staging"
    managed = "terraform"
  }
}

module "kennel" {
  source = "../../modules/kennel"

  project_id             = var.project_id
  environment            = "staging"
  region                 = var.region
  api_host               = "staging-api.example.com"
  github_owner           = var.github_owner
  github_repository_name = var.github_repository_name
  github_environment     = "staging"
  runbook_base_url       = "https://github.com/${var.github_owner}/${var.github_repository_name}/blob/main/docs/operations.md"

  run_max_instances    = 5
  db_tier              = "db-custom-1-3840"
  db_high_availability = false
  enable_redis         = true
  redis_tier           = "BASIC"
  uptime_check_period  = "300s"

  alert_email                = var.alert_email
  slack_notification_channel = var.slack_notification_channel

  # Production's deployer copies the image it promotes from this registry, so
  # production runs the exact bytes that passed staging.
  registry_reader_members = var.production_deployer == "" ? [] : ["serviceAccount:${var.production_deployer}"]
}
