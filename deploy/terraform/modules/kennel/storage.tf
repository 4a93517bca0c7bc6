# Puppy photos. Never public: the API hands out short-lived signed URLs.
# Versioning keeps overwritten or deleted photos recoverable for 30 days.

resource "google_storage_bucket" "photos" {
  #checkov:skip=CKV_GCP_62:Object access is recorded by Cloud Audit Logs data-access logs (google_project_iam_audit_config.storage below), which supersede the legacy usage-log bucket.
  project  = var.project_id
  name     = "${var.project_id}-kennel-photos"
  location = upper(var.region)
  labels   = local.labels

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_project_iam_audit_config" "storage" {
  project = var.project_id
  service = "storage.googleapis.com"

  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
