variable "project_id" {
  description = "Google Cloud project of the staging environment."
  type        = string
}

variable "region" {
  description = "Region for all regional resources."
  type        = string
  default     = "europe-west1"
}

variable "github_owner" {
  description = "GitHub organisation or user that owns the Kennel repository."
  type        = string
}

variable "github_repository_name" {
  description = "Name of the Kennel repository on GitHub."
  type        = string
  default     = "kennel"
}

variable "alert_email" {
  description = "Address for critical alerts."
  type        = string
}

variable "slack_notification_channel" {
  description = "Slack notification channel created with gcloud (projects/P/notificationChannels/N); empty: e-mail only."
  type        = string
  default     = ""
}

variable "production_deployer" {
  description = "Email of production's kennel-deployer service account, granted read access to this registry."
  type        = string
  default     = ""
}
