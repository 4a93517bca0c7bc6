# Private networking: Cloud SQL and Memorystore get private IPs only, reached
# from Cloud Run through Direct VPC egress into the kennel-run subnet.

resource "google_compute_network" "main" {
  project                 = var.project_id
  name                    = "kennel"
  auto_create_subnetworks = false

  depends_on = [google_project_service.apis]
}

resource "google_compute_subnetwork" "run" {
  project       = var.project_id
  name          = "kennel-run"
  region        = var.region
  network       = google_compute_network.main.id
  ip_cidr_range = var.subnet_cidr

  # Lets instances without external IPs reach Google APIs (Secret Manager,
  # Cloud Storage) over Google's network.
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_10_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# Nothing in this network accepts connections from outside it: Cloud Run
# only sends traffic out through the subnet, and the managed databases sit
# behind the peering. The explicit rule makes that visible and logged rather
# than relying on the implied deny.
resource "google_compute_firewall" "deny_all_ingress" {
  project   = var.project_id
  name      = "kennel-deny-all-ingress"
  network   = google_compute_network.main.id
  direction = "INGRESS"
  priority  = 65534

  deny {
    protocol = "all"
  }

  source_ranges = ["0.0.0.0/0"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# Private services access: the peering range from which Cloud SQL and
# Memorystore take their private addresses.
resource "google_compute_global_address" "private_services" {
  project       = var.project_id
  name          = "kennel-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 16
  network       = google_compute_network.main.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.main.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
}
