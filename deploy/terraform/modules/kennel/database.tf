# Cloud SQL for PostgreSQL 15, private IP only, with daily backups kept for
# 30 days and point-in-time recovery from 7 days of transaction logs.
# The application user and its password are created out of band
# (docs/operations.md) so that no password ever passes through Terraform state.

resource "google_sql_database_instance" "main" {
  #checkov:skip=CKV_GCP_6:ssl_mode ENCRYPTED_ONLY rejects every unencrypted connection; client certificates would add a second credential to rotate for an instance that has only a private IP and two client service accounts.
  #checkov:skip=CKV2_GCP_13:log_duration writes one log line per statement, multiplying log volume and cost; Query Insights (enabled below) records statement latency instead.
  #checkov:skip=CKV_GCP_79:Pinned to PostgreSQL 15, the version the API's migrations, CI service containers and the pgBackRest drill are tested against; major upgrades are a deliberate, tested change.
  project          = var.project_id
  name             = "kennel-${var.environment}"
  region           = var.region
  database_version = "POSTGRES_15"

  deletion_protection = true

  settings {
    tier              = var.db_tier
    edition           = "ENTERPRISE"
    availability_type = var.db_high_availability ? "REGIONAL" : "ZONAL"
    disk_type         = "PD_SSD"
    disk_size         = var.db_disk_size_gb
    disk_autoresize   = true
    user_labels       = local.labels

    # Also blocks deletion through the console and gcloud, not only Terraform.
    deletion_protection_enabled = true

    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.main.id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = 30
        retention_unit   = "COUNT"
      }
    }

    maintenance_window {
      day          = 7
      hour         = 3
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled  = true
      record_application_tags = false
      # Client addresses of end users are personal data; the API is the only client anyway.
      record_client_address = false
    }

    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_messages"
      value = "error"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
    # Statement texts can carry personal data, so durations are not logged with them.
    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "kennel" {
  project  = var.project_id
  instance = google_sql_database_instance.main.name
  name     = "kennel"
}
