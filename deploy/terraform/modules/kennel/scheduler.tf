# Account email is delivered by the outbox job (`kennel outbox drain`, run.tf),
# not by the API's instances: with request-based billing they have no CPU
# between requests. Cloud Scheduler starts one execution a minute through the
# Cloud Run Admin API, as kennel-scheduler (roles/run.invoker on that job
# only, iam.tf). The job drains every due message and exits; a failed or slow
# run is not retried here, the next minute's run is the retry, and runs that
# overlap never send a message twice (each claims its messages with a lease).
resource "google_cloud_scheduler_job" "outbox_drain" {
  project     = var.project_id
  region      = var.region
  name        = local.outbox_job_name
  description = "Starts ${local.outbox_job_name} (kennel outbox drain) every minute: account email delivery."
  schedule    = "* * * * *"
  time_zone   = "Etc/UTC"
  # The call only starts an execution; it does not wait for it.
  attempt_deadline = "30s"

  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = "https://run.googleapis.com/v2/projects/${var.project_id}/locations/${google_cloud_run_v2_job.outbox.location}/jobs/${google_cloud_run_v2_job.outbox.name}:run"

    oauth_token {
      service_account_email = google_service_account.scheduler.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [
    google_project_service.apis,
    google_cloud_run_v2_job_iam_member.scheduler_outbox,
  ]
}
