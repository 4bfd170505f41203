//! Where shipped resources (`gazetteers/`, `models/`) are found.
//!
//! Order: an explicit `resources` path in the config, else the `VOILE_HOME` environment
//! variable, else next to the running executable (`<bin>/voile-data/`, or
//! `<bin>/../share/voile/` as a package would install it), else the source checkout this
//! binary was built from (so `cargo run` and `cargo install --path crates/voile-cli` work
//! with no flags while the checkout exists). The first candidate holding a `gazetteers/`
//! directory wins; explicit choices (config, `VOILE_HOME`) are used as given, so a wrong
//! one fails loudly instead of silently falling back.

use std::path::{Path, PathBuf};

/// Environment variable naming a directory that holds `gazetteers/` and `models/`.
pub const HOME_ENV: &str = "VOILE_HOME";

/// The resource root: `explicit`, else `$VOILE_HOME`, else beside the executable, else the
/// build's source checkout.
pub fn root(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.canonicalize().ok())
        .and_then(|e| e.parent().map(Path::to_path_buf));
    first_with_gazetteers(&implicit_candidates(exe_dir.as_deref())).unwrap_or_else(build_checkout)
}

/// Where resources are looked for when nothing names them, in order.
fn implicit_candidates(exe_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(d) = exe_dir {
        out.push(d.join("voile-data"));
        out.push(d.join("../share/voile"));
    }
    out.push(build_checkout());
    out
}

fn first_with_gazetteers(candidates: &[PathBuf]) -> Option<PathBuf> {
    candidates
        .iter()
        .find(|c| gazetteers_dir(c).is_dir())
        .cloned()
}

fn build_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn gazetteers_dir(root: &Path) -> PathBuf {
    root.join("gazetteers")
}

pub fn model_dir(root: &Path) -> PathBuf {
    root.join("models")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_beside_the_binary_comes_before_the_build_checkout() {
        let dir = std::env::temp_dir().join(format!("voile-res-{}", std::process::id()));
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let found = first_with_gazetteers(&implicit_candidates(Some(&bin)));
        assert_eq!(
            found,
            Some(build_checkout()),
            "the checkout is the fallback"
        );

        std::fs::create_dir_all(dir.join("share/voile/gazetteers")).unwrap();
        let found = first_with_gazetteers(&implicit_candidates(Some(&bin))).unwrap();
        assert!(found.ends_with("share/voile"), "{}", found.display());

        std::fs::create_dir_all(bin.join("voile-data/gazetteers")).unwrap();
        let found = first_with_gazetteers(&implicit_candidates(Some(&bin))).unwrap();
        assert_eq!(found, bin.join("voile-data"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_explicit_root_is_used_as_given() {
        let p = Path::new("/nonexistent/voile-home");
        assert_eq!(root(Some(p)), p);
    }
}
