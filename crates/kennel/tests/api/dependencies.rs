//! The source's dependencies point one way:
//!
//! ```text
//! main, cli, startup, server → app (router) → http (handlers, state)
//!   → services (store, photos, flags, …) → domain → nothing of ours
//!   → foundation (config, telemetry, error, error tracking, metrics)
//! ```
//!
//! These tests read `src/` and fail when a module names one above its layer, when
//! `domain` names anything outside itself, or when a handler module names another
//! handler module (what handlers share lives in the non-handler `http` modules).
//! A new top-level module must be given a layer here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lowest first. A module may name modules of its own layer or below.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &["config", "telemetry", "error", "error_tracking", "metrics"],
    ),
    ("domain", &["domain"]),
    (
        "services",
        &[
            "store",
            "photos",
            "ratelimit",
            "flags",
            "browse_cache",
            "assistant",
            "auth",
            "backup",
            "seed",
            "mail",
            "alerts",
        ],
    ),
    ("http", &["http", "state"]),
    ("app", &["app"]),
    ("entry", &["server", "startup", "cli", "main"]),
];

/// The `http` module allowed to name every handler module: the API document
/// lists their routes.
const DOCUMENT_MODULE: &str = "http::openapi";

struct Module {
    /// `http::session`, `store`, …
    path: String,
    file: PathBuf,
    /// The modules of this crate it names, as paths from the crate root.
    names: BTreeSet<String>,
    /// Whether it defines route handlers (`#[utoipa::path]`).
    handler: bool,
}

fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("src is readable").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `http/session.rs` → `http::session`; `http/mod.rs` → `http`; `lib.rs` → ``.
fn module_path(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// The text without comments (so a doc comment naming a module is no import).
fn without_comments(source: &str) -> String {
    let mut code = String::with_capacity(source.len());
    for line in source.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            code.push('\n');
            continue;
        }
        // A trailing comment: ` // ` after code. URLs in strings ("http://") have
        // no space before their slashes.
        let line = match line.find(" // ") {
            Some(at) => &line[..at],
            None => line,
        };
        code.push_str(line);
        code.push('\n');
    }
    code
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a use tree at the start of `text` names, and how many bytes it
/// took: `a::b` gives `a::b`; `a::{b, c::{d, e}}` gives `a::b`, `a::c::d` and
/// `a::c::e`; `{a, b}` gives `a` and `b`.
fn use_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut prefix: Vec<String> = Vec::new();
    loop {
        let end = text[at..]
            .find(|c: char| !is_ident(c))
            .map_or(text.len(), |e| at + e);
        if end > at {
            prefix.push(text[at..end].to_string());
            at = end;
        }
        if text[at..].starts_with("::") {
            at += 2;
            continue;
        }
        if bytes.get(at) != Some(&b'{') {
            return (vec![prefix], at);
        }
        at += 1;
        let mut paths = Vec::new();
        loop {
            while bytes
                .get(at)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b',')
            {
                at += 1;
            }
            match bytes.get(at) {
                None => break,
                Some(b'}') => {
                    at += 1;
                    break;
                }
                Some(_) => {
                    let (inner, read) = use_tree(&text[at..]);
                    // Skip what the tree does not cover (` as name`, `*`).
                    let next = text[at + read..]
                        .find([',', '}'])
                        .map_or(text.len(), |e| at + read + e);
                    at = next.max(at + 1);
                    for path in inner {
                        let mut full = prefix.clone();
                        full.extend(path);
                        paths.push(full);
                    }
                }
            }
        }
        return (paths, at);
    }
}

/// Every module of this crate that `code` names through `crate::`, `super::`
/// or (in `main.rs`) `kennel::`, resolved from the crate root.
fn named_modules(code: &str, module: &str) -> BTreeSet<String> {
    // `super` of `http::session` is `http`; of `http/mod.rs` (`http`) it is the root.
    let mut parent: Vec<String> = module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    parent.pop();
    let mut names = BTreeSet::new();
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("kennel::", Vec::new()),
        ("super::", parent),
    ] {
        let mut from = 0;
        while let Some(found) = code[from..].find(prefix) {
            let at = from + found;
            from = at + prefix.len();
            // Part of a longer identifier (`my_crate::`)?
            if code[..at].ends_with(|c: char| is_ident(c)) {
                continue;
            }
            let (paths, _) = use_tree(&code[from..]);
            for path in paths {
                if path.is_empty() || path[0] == "self" {
                    continue;
                }
                let mut full = base.clone();
                full.extend(path);
                names.insert(full.join("::"));
            }
        }
    }
    names
}

fn modules() -> Vec<Module> {
    let src = source_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(&src).expect("under src").to_path_buf();
            let path = module_path(&relative);
            let source = std::fs::read_to_string(&file).expect("source is readable");
            let code = without_comments(&source);
            Module {
                names: named_modules(&code, &path),
                handler: code.contains("#[utoipa::path("),
                path,
                file: relative,
            }
        })
        .collect()
}

fn top(path: &str) -> &str {
    path.split("::").next().unwrap_or(path)
}

/// The layer of a top-level module, if it is one of ours.
fn layer(top_level: &str) -> Option<(usize, &'static str)> {
    LAYERS
        .iter()
        .enumerate()
        .find(|(_, (_, members))| members.contains(&top_level))
        .map(|(rank, (name, _))| (rank, *name))
}

/// Is `name` (a path from the crate root) this module or inside it?
fn within(name: &str, module: &str) -> bool {
    name == module || name.starts_with(&format!("{module}::"))
}

#[test]
fn every_top_level_module_has_a_layer() {
    let unplaced: BTreeSet<String> = modules()
        .iter()
        .map(|m| top(&m.path).to_string())
        .filter(|t| !t.is_empty() && layer(t).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "give these modules a layer in tests/api/dependencies.rs: {unplaced:?}"
    );
}

#[test]
fn modules_name_only_their_own_layer_or_lower() {
    let mut upward = Vec::new();
    for module in modules() {
        let Some((rank, name)) = layer(top(&module.path)) else {
            continue;
        };
        for named in &module.names {
            let Some((named_rank, named_layer)) = layer(top(named)) else {
                continue;
            };
            if named_rank > rank {
                upward.push(format!(
                    "{} ({name}) names {named} ({named_layer})",
                    module.file.display()
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "dependencies must point down the layers:\n  {}",
        upward.join("\n  ")
    );
}

#[test]
fn the_domain_names_nothing_outside_itself() {
    let mut outside = Vec::new();
    for module in modules().iter().filter(|m| top(&m.path) == "domain") {
        for named in module.names.iter().filter(|n| top(n) != "domain") {
            outside.push(format!("{} names {named}", module.file.display()));
        }
    }
    assert!(
        outside.is_empty(),
        "the domain stands alone (no config, store, errors or HTTP):\n  {}",
        outside.join("\n  ")
    );
}

#[test]
fn no_http_module_but_the_api_document_names_a_handler_module() {
    let all = modules();
    let handlers: Vec<&str> = all
        .iter()
        .filter(|m| m.handler && top(&m.path) == "http")
        .map(|m| m.path.as_str())
        .collect();
    assert!(
        handlers.len() >= 10,
        "expected the route handlers under http/, found {handlers:?}"
    );
    let mut crossings = Vec::new();
    for module in all
        .iter()
        .filter(|m| (top(&m.path) == "http" || m.path == "state") && m.path != DOCUMENT_MODULE)
    {
        for handler in &handlers {
            if within(&module.path, handler) {
                continue;
            }
            if let Some(named) = module.names.iter().find(|n| within(n, handler)) {
                crossings.push(format!("{} names {named}", module.file.display()));
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "handlers share code through http's other modules (views, session, staff, …), \
         never through another handler:\n  {}",
        crossings.join("\n  ")
    );
}

#[test]
fn the_reader_sees_imports_of_every_form() {
    let code = "use crate::{app::router, http::{views, session}};\n\
                use super::staff::audit;\n\
                fn f() { crate::metrics::record(); kennel::cli::run(); }\n\
                // use crate::store;\n";
    let names = named_modules(&without_comments(code), "http::listings");
    let expected: BTreeSet<String> = [
        "app::router",
        "http::views",
        "http::session",
        "http::staff::audit",
        "metrics::record",
        "cli::run",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    assert_eq!(names, expected);
}
