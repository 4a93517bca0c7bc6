//! Photo objects: where the bytes of each size variant live, and the URLs clients
//! use to fetch them.
//!
//! One code path for every backend through `object_store`: a local folder
//! (`file://…`, the default), Google Cloud Storage (`gs://bucket/prefix`) or S3
//! (`s3://bucket/prefix`, credentials and endpoint from the usual `AWS_*`
//! variables). Variants are immutable: a photo's bytes never change under its id.

pub mod process;
pub mod upload;

use std::sync::Arc;

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};
use url::Url;
use uuid::Uuid;

/// Every stored photo is JPEG; this is the variant file extension and type.
pub const VARIANT_CONTENT_TYPE: &str = "image/jpeg";

#[derive(Clone)]
pub struct PhotoStore {
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    description: String,
}

impl std::fmt::Debug for PhotoStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PhotoStore({})", self.description)
    }
}

impl PhotoStore {
    /// Opens the store named by `STORAGE_URL`; a local folder is created if missing.
    pub fn open(storage_url: &str) -> anyhow::Result<PhotoStore> {
        if let Some(path) = storage_url.strip_prefix("file://") {
            std::fs::create_dir_all(path)
                .map_err(|e| anyhow::anyhow!("cannot create photo folder {path}: {e}"))?;
            let fs = LocalFileSystem::new_with_prefix(path)?;
            return Ok(PhotoStore {
                store: Arc::new(fs),
                prefix: ObjectPath::default(),
                description: storage_url.to_string(),
            });
        }
        let url = Url::parse(storage_url)?;
        let bucket = url
            .host_str()
            .ok_or_else(|| anyhow::anyhow!("STORAGE_URL needs a bucket name"))?;
        let store: Arc<dyn ObjectStore> = match url.scheme() {
            "gs" => Arc::new(
                GoogleCloudStorageBuilder::from_env()
                    .with_bucket_name(bucket)
                    .build()?,
            ),
            "s3" => Arc::new(
                AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()?,
            ),
            other => anyhow::bail!("unsupported storage scheme '{other}'"),
        };
        Ok(PhotoStore {
            store,
            prefix: ObjectPath::from(url.path().trim_matches('/')),
            description: format!("{}://{bucket}{}", url.scheme(), url.path()),
        })
    }

    fn path(&self, key: &str) -> ObjectPath {
        let mut path = self.prefix.clone();
        for part in key.split('/').filter(|p| !p.is_empty()) {
            path = path.child(part);
        }
        path
    }

    /// The object key of one variant of a photo.
    pub fn variant_key(storage_key: &str, width: u32) -> String {
        format!("{storage_key}/{width}.jpg")
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> object_store::Result<()> {
        self.store
            .put(&self.path(key), PutPayload::from_bytes(bytes))
            .await
            .map(|_| ())
    }

    /// The object's bytes, or `None` when it does not exist.
    pub async fn get(&self, key: &str) -> object_store::Result<Option<Bytes>> {
        match self.store.get(&self.path(key)).await {
            Ok(result) => Ok(Some(result.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Removes an object; one that is already gone is not an error.
    pub async fn delete(&self, key: &str) -> object_store::Result<()> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Writes every variant of one photo. When a write fails, the variants
    /// already written are removed again, so a failed upload leaves nothing.
    pub async fn put_variants(
        &self,
        storage_key: &str,
        variants: Vec<(u32, Bytes)>,
    ) -> object_store::Result<()> {
        let mut written = Vec::with_capacity(variants.len());
        for (width, bytes) in variants {
            if let Err(error) = self
                .put(&Self::variant_key(storage_key, width), bytes)
                .await
            {
                self.delete_variants(storage_key, &written).await;
                return Err(error);
            }
            written.push(width);
        }
        Ok(())
    }

    /// Removes the variants of one photo, logging (not returning) failures: by
    /// then the rows are gone, and a leftover object is only wasted space.
    pub async fn delete_variants(&self, storage_key: &str, widths: &[u32]) {
        for width in widths {
            let key = Self::variant_key(storage_key, *width);
            if let Err(error) = self.delete(&key).await {
                tracing::error!(key, error = %error, "could not remove a photo object; it is orphaned");
            }
        }
    }

    pub async fn exists(&self, key: &str) -> object_store::Result<bool> {
        match self.store.head(&self.path(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// Builds the absolute URLs of photo variants.
#[derive(Debug, Clone)]
pub enum PhotoUrls {
    /// The API serves variants itself at `/v1/photos/{id}/{width}.jpg`.
    Api { base: Url },
    /// A CDN or public bucket serves objects by key.
    Cdn { base: Url },
}

impl PhotoUrls {
    pub fn new(public_base_url: &Url, photo_base_url: Option<&Url>) -> PhotoUrls {
        match photo_base_url {
            Some(base) => PhotoUrls::Cdn { base: base.clone() },
            None => PhotoUrls::Api {
                base: public_base_url.clone(),
            },
        }
    }

    pub fn variant(&self, photo_id: Uuid, storage_key: &str, width: u32) -> String {
        match self {
            PhotoUrls::Api { base } => format!(
                "{}/v1/photos/{photo_id}/{width}.jpg",
                base.as_str().trim_end_matches('/')
            ),
            PhotoUrls::Cdn { base } => format!(
                "{}/{}",
                base.as_str().trim_end_matches('/'),
                PhotoStore::variant_key(storage_key, width)
            ),
        }
    }
}
