# Optional Memorystore Redis: shared rate-limit buckets across Cloud Run
# instances. Without it (enable_redis = false) the API limits per instance,
# and REDIS_URL must be removed from deploy/cloudrun/service.<env>.yaml.

resource "google_redis_instance" "cache" {
  #checkov:skip=CKV_GCP_97:Private-IP-only instance holding rate-limit counters under hashed keys (no personal data); AUTH is on. See the comment at transit_encryption_mode.
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

  # AUTH string on a private IP: the REDIS_URL secret holds
  # redis://:AUTH_STRING@HOST:6379. The instance holds only rate-limit counters
  # under hashed keys (no IPs, ids or other personal data), so in-transit TLS is
  # off; turning it on needs a TLS-capable client build and Memorystore's CA.
  auth_enabled            = true
  transit_encryption_mode = "DISABLED"

  depends_on = [google_service_networking_connection.private_services]
}
