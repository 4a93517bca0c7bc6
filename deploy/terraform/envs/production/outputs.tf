output "service_url" {
  value = module.kennel.service_url
}

output "image_repository" {
  value = module.kennel.image_repository
}

output "deployer_service_account" {
  value = module.kennel.deployer_service_account
}

output "workload_identity_provider" {
  value = module.kennel.workload_identity_provider
}

output "database_instance" {
  value = module.kennel.database_instance
}

output "database_private_ip" {
  value = module.kennel.database_private_ip
}

output "redis_host" {
  value = module.kennel.redis_host
}

output "photo_bucket" {
  value = module.kennel.photo_bucket
}
