//! Where shipped resources (`gazetteers/`, `models/`) are found.
//!
//! Order: an explicit `resources` path in the config, else the `VOILE_HOME` environment
//! variable, else the source checkout this binary was built from (so `cargo run` works in a
//! fresh clone with no flags).

use std::path::{Path, PathBuf};

/// Environment variable naming a directory that holds `gazetteers/` and `models/`.
pub const HOME_ENV: &str = "VOILE_HOME";

/// The resource root: `explicit`, else `$VOILE_HOME`, else the build's source checkout.
pub fn root(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(HOME_ENV) {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn gazetteers_dir(root: &Path) -> PathBuf {
    root.join("gazetteers")
}

pub fn model_dir(root: &Path) -> PathBuf {
    root.join("models")
}
