output "service_url" {
  description = "Default run.app URL of the API service."
  value       = google_cloud_run_v2_service.api.uri
}

output "image_repository" {
  description = "Artifact Registry path images are pushed to (append /kennel:GIT_SHA)."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "deployer_service_account" {
  description = "Service account GitHub Actions impersonates (GitHub variable GCP_SERVICE_ACCOUNT)."
  value       = google_service_account.deployer.email
}

output "workload_identity_provider" {
  description = "Full provider name for google-github-actions/auth (GitHub variable GCP_WORKLOAD_IDENTITY_PROVIDER)."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "database_instance" {
  description = "Cloud SQL instance name (for PITR clones, see docs/operations.md)."
  value       = google_sql_database_instance.main.name
}

output "database_private_ip" {
  description = "Private IP of the database, for the DATABASE_URL secret."
  value       = google_sql_database_instance.main.private_ip_address
}

output "redis_host" {
  description = "Memorystore host for the REDIS_URL secret (null when Redis is disabled)."
  value       = one(google_redis_instance.cache[*].host)
}

output "photo_bucket" {
  description = "Bucket behind STORAGE_URL."
  value       = google_storage_bucket.photos.url
}
