# Cloud Monitoring: uptime check, error-log metric, the alert policies that
# have no Prometheus rule, and the channels every policy notifies.
#
# Each symptom has one alert. The Prometheus alerting rules (5xx ratio, p95
# latency, readiness, the assistant, rate limits, load shedding, the browse
# SLO burn rates) are google_monitoring_alert_policy.prometheus below, one
# policy per rule from data generated out of ops/prometheus/rules into
# alert_policies.generated.tf, evaluated on the series the metrics sidecar
# writes; the hand-written 5xx-ratio and p95-latency policies they replace
# are gone. The other policies watch what the API's own metrics cannot
# show: whether the service answers from outside at all, the error log, and
# whether the outbox job (account email) runs and succeeds: the outbox
# gauges are only written while an API instance is up to be scraped.

locals {
  run_filter = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${local.service_name}\""

  outbox_job_executions = "resource.type = \"cloud_run_job\" AND resource.labels.job_name = \"${local.outbox_job_name}\" AND metric.type = \"run.googleapis.com/job/completed_execution_count\""

  # The Slack channel is created outside Terraform (docs/operations.md,
  # "Bootstrapping an environment"), so its bot token never enters the state.
  slack_channels = var.slack_notification_channel == "" ? [] : [var.slack_notification_channel]

  critical_channels = concat([google_monitoring_notification_channel.email.id], local.slack_channels)
  warning_channels  = length(local.slack_channels) > 0 ? local.slack_channels : [google_monitoring_notification_channel.email.id]

  # By the Prometheus rules' severity label, as Alertmanager routes them.
  severity_channels = {
    critical = local.critical_channels
    warning  = local.warning_channels
  }
}

resource "google_monitoring_notification_channel" "email" {
  project      = var.project_id
  display_name = "Kennel on-call email (${var.environment})"
  type         = "email"

  labels = {
    email_address = var.alert_email
  }
}

resource "google_monitoring_uptime_check_config" "healthz" {
  project      = var.project_id
  display_name = "kennel-api ${var.environment} /healthz"
  timeout      = "10s"
  period       = var.uptime_check_period

  http_check {
    path           = "/healthz"
    port           = 443
    use_ssl        = true
    validate_ssl   = true
    request_method = "GET"

    accepted_response_status_codes {
      status_class = "STATUS_CLASS_2XX"
    }
  }

  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = var.api_host
    }
  }
}

resource "google_logging_metric" "errors" {
  project = var.project_id
  name    = "kennel/error_log_entries"
  filter  = "${local.run_filter} AND severity >= ERROR"

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "Kennel API log entries with severity ERROR or worse"
  }
}

# One policy per Prometheus alerting rule; the rules' data, recording rules
# written into the queries, is generated into alert_policies.generated.tf.
resource "google_monitoring_alert_policy" "prometheus" {
  for_each = local.prometheus_alerts

  project      = var.project_id
  display_name = "Kennel ${var.environment}: ${each.key}"
  combiner     = "OR"
  severity     = upper(each.value.labels.severity)

  conditions {
    display_name = each.value.summary

    # Metric validation is off: the policies exist before the first deploy,
    # and some series (designed degradation, say) only once it has happened.
    condition_prometheus_query_language {
      query                     = each.value.query
      duration                  = each.value.duration
      evaluation_interval       = each.value.evaluation_interval
      labels                    = each.value.labels
      rule_group                = each.value.rule_group
      alert_rule                = each.key
      disable_metric_validation = true
    }
  }

  documentation {
    content   = "**${each.value.summary}**\n\nPrometheus rule ${each.key} (group ${each.value.rule_group}, ${each.value.rules_file}), evaluated by Cloud Monitoring on the series the Managed Service for Prometheus sidecar writes.\n\nRunbook: ${each.value.runbook}"
    mime_type = "text/markdown"
  }

  notification_channels = local.severity_channels[each.value.labels.severity]
  user_labels           = local.labels

  alert_strategy {
    auto_close = "1800s"
  }
}

# Black-box: fires when nothing answers, also when no instance can start and
# so no metrics are written, and for faults in front of Cloud Run (domain,
# certificate), none of which a Prometheus rule on the API's metrics can see.
resource "google_monitoring_alert_policy" "uptime_failing" {
  project      = var.project_id
  display_name = "Kennel ${var.environment}: /healthz uptime check failing"
  combiner     = "OR"
  severity     = "CRITICAL"

  conditions {
    display_name = "/healthz failing from more than one checker region"

    condition_threshold {
      filter          = "metric.type = \"monitoring.googleapis.com/uptime_check/check_passed\" AND resource.type = \"uptime_url\" AND metric.labels.check_id = \"${google_monitoring_uptime_check_config.healthz.uptime_check_id}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = "300s"

      aggregations {
        alignment_period     = "1200s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.*"]
      }
    }
  }

  documentation {
    content   = "https://${var.api_host}/healthz is failing from several regions. Runbook: ${var.runbook_base_url}#uptime-check-failing"
    mime_type = "text/markdown"
  }

  notification_channels = local.critical_channels
  user_labels           = local.labels

  alert_strategy {
    auto_close = "1800s"
  }
}

# Log-based: errors logged by background tasks and outbound calls that never
# show in a response status; the Prometheus rules have no log input.
resource "google_monitoring_alert_policy" "error_logs" {
  project      = var.project_id
  display_name = "Kennel ${var.environment}: error log entries above 10/min for 10 min"
  combiner     = "OR"
  severity     = "WARNING"

  conditions {
    display_name = "ERROR-or-worse log entries > 10 per minute"

    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.errors.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 10 / 60
      duration        = "600s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    content   = "${local.service_name} (${var.environment}) logs more than 10 errors a minute. Runbook: ${var.runbook_base_url}#error-log-rate"
    mime_type = "text/markdown"
  }

  notification_channels = local.warning_channels
  user_labels           = local.labels

  alert_strategy {
    auto_close = "1800s"
  }
}

# Cloud Run's own job metrics: they exist whether or not an API instance is
# up, unlike outbox_oldest_pending_seconds behind KennelOutboxBacklog, which
# a scaled-to-zero service does not report. Failing runs (database, SMTP_URL
# missing or refused by the config check) or no runs at all (the scheduler
# paused, or refused by IAM) both mean no account email goes out.
resource "google_monitoring_alert_policy" "outbox_drain_job" {
  project      = var.project_id
  display_name = "Kennel ${var.environment}: outbox drain job failing or not running"
  combiner     = "OR"
  severity     = "CRITICAL"

  conditions {
    display_name = "more than 5 failed ${local.outbox_job_name} executions in 10 minutes"

    condition_threshold {
      filter          = "${local.outbox_job_executions} AND metric.labels.result = \"failed\""
      comparison      = "COMPARISON_GT"
      threshold_value = 5
      duration        = "0s"

      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  conditions {
    display_name = "no ${local.outbox_job_name} execution completed for 15 minutes"

    condition_absent {
      filter   = local.outbox_job_executions
      duration = "900s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    content   = "${local.outbox_job_name} (${var.environment}), which delivers account email every minute, is failing or not running. Runbook: ${var.runbook_base_url}#outbox-drain-job-failing"
    mime_type = "text/markdown"
  }

  notification_channels = local.critical_channels
  user_labels           = local.labels

  alert_strategy {
    auto_close = "1800s"
  }
}
