variable "project_id" {
  description = "Google Cloud project that holds this environment (one project per environment)."
  type        = string
}

variable "environment" {
  description = "Environment name; becomes APP_ENV and a label on every resource."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "region" {
  description = "Region for Cloud Run, Cloud SQL, Memorystore, the registry and the photo bucket."
  type        = string
  default     = "europe-west1"
}

variable "api_host" {
  description = "Public host name of the API (e.g. api.example.com), used by the uptime check."
  type        = string
}

variable "github_owner" {
  description = "GitHub organisation or user that owns the repository allowed to deploy."
  type        = string
}

variable "github_repository_name" {
  description = "Name (without owner) of the GitHub repository whose workflows may deploy through Workload Identity Federation."
  type        = string
}

variable "github_environment" {
  description = "GitHub environment whose jobs may impersonate this project's deployer service account."
  type        = string
}

variable "registry_reader_members" {
  description = "Extra principals allowed to pull images from this environment's registry (production's deployer copies promoted images from staging)."
  type        = list(string)
  default     = []
}

variable "run_max_instances" {
  description = "Upper bound for Cloud Run autoscaling; protects the database connection limit and the bill."
  type        = number
  default     = 10
}

variable "run_deletion_protection" {
  description = "Refuse to destroy the Cloud Run service and job from Terraform."
  type        = bool
  default     = true
}

variable "db_tier" {
  description = "Cloud SQL machine tier."
  type        = string
  default     = "db-custom-1-3840"
}

variable "db_high_availability" {
  description = "REGIONAL (standby in a second zone) instead of ZONAL availability."
  type        = bool
  default     = false
}

variable "db_disk_size_gb" {
  description = "Initial Cloud SQL disk size; autoresize grows it."
  type        = number
  default     = 10
}

variable "enable_redis" {
  description = "Create a Memorystore Redis instance for rate limits shared across instances. Without it the API keeps limits in process."
  type        = bool
  default     = true
}

variable "redis_tier" {
  description = "Memorystore tier: BASIC (single node) or STANDARD_HA (replica with failover)."
  type        = string
  default     = "BASIC"
}

variable "subnet_cidr" {
  description = "Range of the subnet Cloud Run's Direct VPC egress draws addresses from (at least /26)."
  type        = string
  default     = "10.8.0.0/24"
}

variable "alert_email" {
  description = "Address that receives critical alerts."
  type        = string
}

variable "slack_notification_channel" {
  description = "Resource name (projects/P/notificationChannels/N) of the Slack notification channel, created with gcloud from the kennel-slack-alert-token secret so that the token never enters the Terraform state (docs/operations.md); empty: alerts go by e-mail only."
  type        = string
  default     = ""

  validation {
    condition     = var.slack_notification_channel == "" || can(regex("^projects/[^/]+/notificationChannels/[0-9]+$", var.slack_notification_channel))
    error_message = "slack_notification_channel must be empty or projects/PROJECT/notificationChannels/ID."
  }
}

variable "uptime_check_period" {
  description = "How often the /healthz uptime check runs (60s, 300s, 600s or 900s). Each check wakes a scaled-to-zero service."
  type        = string
  default     = "60s"
}

variable "runbook_base_url" {
  description = "URL of docs/operations.md as rendered by the code host, used in alert documentation."
  type        = string
}
