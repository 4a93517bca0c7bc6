//! Backups of the embedded SQLite database: online, consistent, compressed,
//! checksummed, named by UTC time, pruned after a retention period; and restores
//! that verify before they replace anything.
//!
//! Postgres is backed up by the platform (Cloud SQL automated backups with
//! point-in-time recovery) or by pgBackRest when self-hosted; see
//! docs/operations.md.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::{DateTime, NaiveDateTime, Utc};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};

use crate::config::DatabaseUrl;
use crate::store::{PoolSettings, SchemaStatus, Store};

const PREFIX: &str = "kennel-";
const SUFFIX: &str = ".db.gz";
const TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// A finished backup.
#[derive(Debug)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    pub pruned: Vec<PathBuf>,
}

fn backup_time(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(stamp, TIME_FORMAT)
        .ok()
        .map(|t| t.and_utc())
}

fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file = BufReader::new(File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buffer = [0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn checksum_path(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// Takes a consistent copy of the live database (`VACUUM INTO` reads one snapshot,
/// so writers carry on), compresses it, writes its SHA-256 beside it in
/// `sha256sum` format, then deletes backups older than `keep_days` (never the one
/// just taken).
pub async fn backup(
    database_url: &DatabaseUrl,
    dir: &Path,
    keep_days: u32,
) -> anyhow::Result<BackupReport> {
    let source = database_url.sqlite_file()?;
    if !source.exists() {
        bail!("no database at {}", source.display());
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create backup folder {}", dir.display()))?;
    let now = Utc::now();
    let name = format!("{PREFIX}{}{SUFFIX}", now.format(TIME_FORMAT));
    let target = dir.join(&name);
    if target.exists() {
        bail!(
            "{} already exists; wait a second and retry",
            target.display()
        );
    }
    let snapshot = dir.join(format!(".{name}.snapshot"));
    let partial = dir.join(format!(".{name}.partial"));
    let result = async {
        let store = Store::connect(database_url, &PoolSettings::default()).await?;
        let Store::Sqlite(pool) = &store else {
            bail!("backup works on SQLite only");
        };
        sqlx::query("VACUUM INTO $1")
            .bind(snapshot.to_string_lossy().to_string())
            .execute(pool)
            .await
            .context("taking the snapshot")?;
        store.close().await;
        let (snapshot_c, partial_c) = (snapshot.clone(), partial.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut input = BufReader::new(File::open(&snapshot_c)?);
            let mut encoder = GzEncoder::new(
                BufWriter::new(File::create(&partial_c)?),
                Compression::default(),
            );
            std::io::copy(&mut input, &mut encoder)?;
            let mut out = encoder.finish()?;
            out.flush()?;
            out.get_ref().sync_all()?;
            Ok(())
        })
        .await??;
        Ok(())
    }
    .await;
    let _ = std::fs::remove_file(&snapshot);
    if let Err(error) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    let sha256 = sha256_file(&partial)?;
    std::fs::rename(&partial, &target)?;
    std::fs::write(checksum_path(&target), format!("{sha256}  {name}\n"))?;
    let bytes = std::fs::metadata(&target)?.len();

    let cutoff = now - chrono::Duration::days(i64::from(keep_days));
    let mut pruned = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path == target {
            continue;
        }
        if let Some(time) = backup_time(&path) {
            if time < cutoff {
                std::fs::remove_file(&path)?;
                let _ = std::fs::remove_file(checksum_path(&path));
                pruned.push(path);
            }
        }
    }
    pruned.sort();
    Ok(BackupReport {
        file: target,
        bytes,
        sha256,
        pruned,
    })
}

/// What a restore did.
#[derive(Debug)]
pub struct RestoreReport {
    pub database: PathBuf,
    pub schema: String,
    pub previous: Option<PathBuf>,
}

/// Restores `backup` into the database of `database_url`: verifies the checksum,
/// decompresses beside the target, checks integrity and that the schema is one
/// this release can run, and only then swaps it in. An existing database is
/// replaced only with `force`, and is kept as `<name>.before-restore-<time>`.
pub async fn restore(
    database_url: &DatabaseUrl,
    backup: &Path,
    force: bool,
) -> anyhow::Result<RestoreReport> {
    let target = database_url.sqlite_file()?;
    let sums = checksum_path(backup);
    let expected = std::fs::read_to_string(&sums)
        .with_context(|| format!("cannot read the checksum file {}", sums.display()))?;
    let expected = expected
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    let actual =
        sha256_file(backup).with_context(|| format!("cannot read {}", backup.display()))?;
    if expected != actual {
        bail!(
            "checksum mismatch for {}: the backup is damaged; nothing was changed",
            backup.display()
        );
    }
    if target.exists() && !force {
        bail!(
            "{} exists; a restore replaces it (the old file is kept aside): stop the server and pass --force",
            target.display()
        );
    }
    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let staged = folder.join(format!(
        ".{}.restoring",
        target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("kennel.db")
    ));
    let (backup_c, staged_c) = (backup.to_path_buf(), staged.clone());
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut decoder = GzDecoder::new(BufReader::new(File::open(&backup_c)?));
        let mut out = BufWriter::new(File::create(&staged_c)?);
        std::io::copy(&mut decoder, &mut out).context("the backup does not decompress")?;
        out.flush()?;
        out.get_ref().sync_all()?;
        Ok(())
    })
    .await??;

    let verified = async {
        let url = DatabaseUrl::Sqlite(format!("sqlite://{}", staged.display()));
        let store = Store::connect(&url, &PoolSettings::default()).await?;
        let Store::Sqlite(pool) = &store else {
            bail!("restore works on SQLite only");
        };
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(pool)
            .await
            .context("the restored file is not a SQLite database")?;
        let status = store.schema_status().await?;
        // Make the staged copy self-contained before it is moved into place.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await?;
        store.close().await;
        if integrity != "ok" {
            bail!("integrity check failed: {integrity}");
        }
        match status {
            SchemaStatus::Ahead { .. } => bail!(
                "the backup comes from a newer release ({}); restore it with that release",
                status.describe()
            ),
            SchemaStatus::Dirty { .. } => bail!(
                "the backup holds a half-applied migration ({})",
                status.describe()
            ),
            _ => Ok(status.describe()),
        }
    }
    .await;
    let schema = match verified {
        Ok(schema) => schema,
        Err(error) => {
            remove_with_sidecars(&staged);
            return Err(error);
        }
    };

    let previous = if target.exists() {
        let aside = PathBuf::from(format!(
            "{}.before-restore-{}",
            target.display(),
            Utc::now().format(TIME_FORMAT)
        ));
        std::fs::rename(&target, &aside)?;
        // A WAL left by an unclean stop belongs to the old file: keep them together.
        for suffix in ["-wal", "-shm"] {
            let (mut from, mut to) = (target.as_os_str().to_owned(), aside.as_os_str().to_owned());
            from.push(suffix);
            to.push(suffix);
            if Path::new(&from).exists() {
                std::fs::rename(&from, &to)?;
            }
        }
        Some(aside)
    } else {
        None
    };
    remove_with_sidecars(&target);
    std::fs::rename(&staged, &target)?;
    remove_with_sidecars(&staged);
    Ok(RestoreReport {
        database: target,
        schema,
        previous,
    })
}

/// Removes a database's `-wal` and `-shm` companions (and the file itself if it
/// is still there), ignoring what does not exist.
fn remove_with_sidecars(db: &Path) {
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    let _ = std::fs::remove_file(db);
}
