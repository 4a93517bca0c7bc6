# Container images, tagged with the git commit sha by the deploy workflow.

resource "google_artifact_registry_repository" "images" {
  #checkov:skip=CKV_GCP_84:Images contain no customer data; Google-managed encryption keys are sufficient and avoid running a KMS key ring per environment.
  project       = var.project_id
  location      = var.region
  repository_id = "kennel"
  format        = "DOCKER"
  description   = "Kennel API container images"
  labels        = local.labels

  docker_config {
    # A tag (git sha) always means the same image, so a rollback redeploys
    # exactly what was tested.
    immutable_tags = true
  }

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 30
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "7776000s"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_artifact_registry_repository_iam_member" "extra_readers" {
  for_each = toset(var.registry_reader_members)

  project    = var.project_id
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.reader"
  member     = each.value
}
