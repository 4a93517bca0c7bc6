# Identities and least-privilege grants.
#   kennel-run        the API at runtime
#   kennel-migrate    the migrate job: database URL only
#   kennel-outbox     the outbox job: database URL and SMTP URL only
#   kennel-scheduler  Cloud Scheduler: may start the outbox job, nothing else
#   kennel-deployer   GitHub Actions, through Workload Identity Federation

resource "google_service_account" "run" {
  project      = var.project_id
  account_id   = "kennel-run"
  display_name = "Kennel API runtime (${var.environment})"
}

resource "google_service_account" "migrate" {
  project      = var.project_id
  account_id   = "kennel-migrate"
  display_name = "Kennel database migrations (${var.environment})"
}

resource "google_service_account" "outbox" {
  project      = var.project_id
  account_id   = "kennel-outbox"
  display_name = "Kennel account email delivery (${var.environment})"
}

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "kennel-scheduler"
  display_name = "Kennel scheduled jobs trigger (${var.environment})"
}

resource "google_service_account" "deployer" {
  project      = var.project_id
  account_id   = "kennel-deployer"
  display_name = "Kennel deploy pipeline (${var.environment})"
}

# --- runtime ------------------------------------------------------------

# Cloud SQL has no per-instance IAM; the project holds only Kennel's instance.
resource "google_project_iam_member" "run_sql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = google_service_account.run.member
}

resource "google_secret_manager_secret_iam_member" "run_secrets" {
  for_each = local.runtime_secrets

  project   = var.project_id
  secret_id = google_secret_manager_secret.runtime[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.run.member
}

# The metrics sidecar writes the API's Prometheus series to Cloud Monitoring as
# the runtime identity; writing metrics can only be granted on the project.
resource "google_project_iam_member" "run_metric_writer" {
  project = var.project_id
  role    = "roles/monitoring.metricWriter"
  member  = google_service_account.run.member
}

resource "google_storage_bucket_iam_member" "run_photos" {
  bucket = google_storage_bucket.photos.name
  role   = "roles/storage.objectAdmin"
  member = google_service_account.run.member
}

# --- migrations ---------------------------------------------------------

resource "google_project_iam_member" "migrate_sql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = google_service_account.migrate.member
}

resource "google_secret_manager_secret_iam_member" "migrate_database_url" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.runtime["database-url"].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.migrate.member
}

# --- account email (outbox job) ----------------------------------------

resource "google_project_iam_member" "outbox_sql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = google_service_account.outbox.member
}

resource "google_secret_manager_secret_iam_member" "outbox_database_url" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.runtime["database-url"].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.outbox.member
}

resource "google_secret_manager_secret_iam_member" "outbox_smtp_url" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.smtp_url.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.outbox.member
}

resource "google_secret_manager_secret_iam_member" "outbox_expo_access_token" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.expo_access_token.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.outbox.member
}

# Cloud Scheduler calls the Cloud Run Admin API's jobs.run with an OAuth token
# of kennel-scheduler; the invoker role on this one job is all it holds (it
# cannot override the job's arguments or change it).
resource "google_cloud_run_v2_job_iam_member" "scheduler_outbox" {
  project  = var.project_id
  location = google_cloud_run_v2_job.outbox.location
  name     = google_cloud_run_v2_job.outbox.name
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler.member
}

# --- deploy pipeline ----------------------------------------------------

resource "google_artifact_registry_repository_iam_member" "deployer_push" {
  project    = var.project_id
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.deployer.member
}

resource "google_cloud_run_v2_service_iam_member" "deployer_service" {
  project  = var.project_id
  location = google_cloud_run_v2_service.api.location
  name     = google_cloud_run_v2_service.api.name
  role     = "roles/run.developer"
  member   = google_service_account.deployer.member
}

resource "google_cloud_run_v2_job_iam_member" "deployer_job" {
  project  = var.project_id
  location = google_cloud_run_v2_job.migrate.location
  name     = google_cloud_run_v2_job.migrate.name
  role     = "roles/run.developer"
  member   = google_service_account.deployer.member
}

# deploy.sh replaces the outbox job's template with each new image.
resource "google_cloud_run_v2_job_iam_member" "deployer_outbox_job" {
  project  = var.project_id
  location = google_cloud_run_v2_job.outbox.location
  name     = google_cloud_run_v2_job.outbox.name
  role     = "roles/run.developer"
  member   = google_service_account.deployer.member
}

# Read-only, for listing revisions and job executions while deploying and
# rolling back.
resource "google_project_iam_member" "deployer_run_viewer" {
  project = var.project_id
  role    = "roles/run.viewer"
  member  = google_service_account.deployer.member
}

# Read-only, for the staged rollout's checks: deploy/scripts/canary.sh reads the
# candidate revision's request metrics through Cloud Monitoring's PromQL API.
resource "google_project_iam_member" "deployer_monitoring_viewer" {
  project = var.project_id
  role    = "roles/monitoring.viewer"
  member  = google_service_account.deployer.member
}

# Deploying a revision or job that runs as an account requires actAs on it.
resource "google_service_account_iam_member" "deployer_act_as" {
  for_each = {
    run     = google_service_account.run.name
    migrate = google_service_account.migrate.name
    outbox  = google_service_account.outbox.name
  }

  service_account_id = each.value
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.deployer.member
}

# --- Workload Identity Federation for GitHub Actions --------------------

resource "google_iam_workload_identity_pool" "github" {
  project                   = var.project_id
  workload_identity_pool_id = "github"
  display_name              = "GitHub Actions"

  depends_on = [google_project_service.apis]
}

resource "google_iam_workload_identity_pool_provider" "github" {
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github"
  display_name                       = "GitHub Actions OIDC"

  attribute_mapping = {
    "google.subject"         = "assertion.sub"
    "attribute.repository"   = "assertion.repository"
    "attribute.ref"          = "assertion.ref"
    "attribute.environment"  = "assertion.environment"
    "attribute.workflow_ref" = "assertion.job_workflow_ref"
  }

  # Only tokens of jobs that run in this environment's GitHub environment of
  # this repository are accepted, before any IAM check happens.
  attribute_condition = "assertion.sub == 'repo:${var.github_owner}/${var.github_repository_name}:environment:${var.github_environment}'"

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

# Only jobs that run in this GitHub environment may act as the deployer; for
# production that environment requires a reviewer's approval.
resource "google_service_account_iam_member" "deployer_wif" {
  service_account_id = google_service_account.deployer.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.environment/${var.github_environment}"
}
