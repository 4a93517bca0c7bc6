# The Cloud Run service and the migrate and outbox jobs. Terraform creates
# them, their identity, ingress and IAM; each deploy then replaces the
# revision template and traffic from deploy/cloudrun/*.<env>.yaml
# (deploy/scripts/deploy.sh).
# The template below mirrors those specs so the bootstrap revision already
# has the right shape, and lifecycle.ignore_changes keeps `terraform apply`
# from reverting a deploy. Secrets, and the metrics sidecar that reads its
# configuration from one, are attached by the specs, not here, because a
# revision cannot start before the secret versions exist.

resource "google_cloud_run_v2_service" "api" {
  project             = var.project_id
  name                = local.service_name
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.run_deletion_protection
  labels              = local.labels

  template {
    service_account                  = google_service_account.run.email
    max_instance_request_concurrency = 80
    timeout                          = "30s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    labels                           = local.labels

    scaling {
      min_instance_count = 0
      max_instance_count = var.run_max_instances
    }

    vpc_access {
      network_interfaces {
        network    = google_compute_network.main.id
        subnetwork = google_compute_subnetwork.run.id
      }
      egress = "PRIVATE_RANGES_ONLY"
    }

    containers {
      image = local.bootstrap_image

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      env {
        name  = "APP_ENV"
        value = var.environment
      }
      env {
        name  = "LOG_FORMAT"
        value = "json"
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }

  lifecycle {
    ignore_changes = [
      template,
      traffic,
      client,
      client_version,
    ]
  }

  depends_on = [google_project_service.apis]
}

# Browsing is public and anonymous by design (the mobile app calls the API
# directly); protected routes authenticate in the API with bearer sessions,
# not at the Cloud Run edge.
resource "google_cloud_run_v2_service_iam_member" "public" {
  project  = var.project_id
  location = google_cloud_run_v2_service.api.location
  name     = google_cloud_run_v2_service.api.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_job" "migrate" {
  project             = var.project_id
  name                = local.job_name
  location            = var.region
  deletion_protection = var.run_deletion_protection
  labels              = local.labels

  template {
    task_count  = 1
    parallelism = 1

    template {
      service_account       = google_service_account.migrate.email
      max_retries           = 0
      timeout               = "600s"
      execution_environment = "EXECUTION_ENVIRONMENT_GEN2"

      vpc_access {
        network_interfaces {
          network    = google_compute_network.main.id
          subnetwork = google_compute_subnetwork.run.id
        }
        egress = "PRIVATE_RANGES_ONLY"
      }

      containers {
        image = local.bootstrap_image
        args  = ["migrate"]

        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [
      template,
      client,
      client_version,
    ]
  }

  depends_on = [google_project_service.apis]
}

# Delivers account email: `kennel outbox drain`, started every minute by
# Cloud Scheduler (scheduler.tf). Like the migrate job, its template comes
# from deploy/cloudrun/outbox-job.<env>.yaml with each deploy; until the
# first one, the bootstrap image runs and exits.
resource "google_cloud_run_v2_job" "outbox" {
  project             = var.project_id
  name                = local.outbox_job_name
  location            = var.region
  deletion_protection = var.run_deletion_protection
  labels              = local.labels

  template {
    task_count  = 1
    parallelism = 1

    template {
      service_account       = google_service_account.outbox.email
      max_retries           = 0
      timeout               = "300s"
      execution_environment = "EXECUTION_ENVIRONMENT_GEN2"

      vpc_access {
        network_interfaces {
          network    = google_compute_network.main.id
          subnetwork = google_compute_subnetwork.run.id
        }
        egress = "PRIVATE_RANGES_ONLY"
      }

      # No args here: the bootstrap image is not kennel. The spec runs
      # `kennel outbox drain`.
      containers {
        image = local.bootstrap_job_image

        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [
      template,
      client,
      client_version,
    ]
  }

  depends_on = [google_project_service.apis]
}
