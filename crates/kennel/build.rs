//! Bakes the release id (the git commit) into the binary for error tracking and
//! `kennel --version`-style reporting. `KENNEL_GIT_SHA` wins (container builds
//! without a .git folder set it); otherwise `git` is asked; otherwise "unknown".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=KENNEL_GIT_SHA");
    let sha = std::env::var("KENNEL_GIT_SHA")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            let out = Command::new("git")
                .args(["rev-parse", "--short=12", "HEAD"])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    // Rebuild when HEAD moves.
    if let Ok(out) = Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .output()
    {
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !dir.is_empty() {
            println!("cargo:rerun-if-changed={dir}/HEAD");
            println!("cargo:rerun-if-changed={dir}/refs/heads");
        }
    }
    println!("cargo:rustc-env=KENNEL_RELEASE={sha}");

    // Pack the binary's relative relocations (DT_RELR): the position-independent
    // binary otherwise carries about 0.7 MB of them, one 24-byte entry per pointer
    // in its tables. Needs GNU ld 2.38 and glibc 2.36 or newer where it is built
    // and run; the image copies its glibc from the build host (build-rootfs.sh).
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if target_os == "linux" && target_env == "gnu" {
        println!("cargo:rustc-link-arg-bin=kennel=-Wl,-z,pack-relative-relocs");
    }
}
