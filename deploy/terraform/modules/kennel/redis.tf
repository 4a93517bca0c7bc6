# Optional Memorystore Redis: shared rate-limit buckets across Cloud Run
# instances. Without it (enable_redis = false) the API limits per instance,
# and REDIS_URL must be removed from deploy/cloudrun/service.<env>.yaml.

resource "google_redis_instance" "cache" {
  count = var.enable_redis ? 1 : 0

  project        = var.project_id
  name           = "kennel-${var.environment}"
  region         = var.region
  tier           = var.redis_tier
  memory_size_gb = 1
  redis_version  = "REDIS_7_0"
  labels         = local.labels

  authorized_network = google_compute_network.main.id
  connect_mode       = "PRIVATE_SERVICE_ACCESS"

  # AUTH string and TLS: the REDIS_URL secret holds
  # rediss://:AUTH_STRING@HOST:6378 and the client trusts server_ca_certs.
  auth_enabled            = true
  transit_encryption_mode = "SERVER_AUTHENTICATION"

  depends_on = [google_service_networking_connection.private_services]
}
