//! The secret key and the keyed digests every surrogate is derived from.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::path::Path;
use voile_core::{Error, ErrorKind};

type HmacSha256 = Hmac<Sha256>;

/// The secret that makes surrogates unpredictable. Anyone holding it can recompute every
/// surrogate (and so link a surrogate back to a guessed original), so it is never printed,
/// logged or serialised: `Debug` shows `Key(***)` and the bytes are zeroed on drop.
pub struct Key(Vec<u8>);

impl Key {
    /// Shortest accepted key, in bytes.
    pub const MIN_LEN: usize = 16;

    /// A key from raw bytes (at least [`Key::MIN_LEN`]).
    pub fn from_bytes(b: &[u8]) -> Result<Key, Error> {
        if b.len() < Self::MIN_LEN {
            return Err(Error::new(ErrorKind::Config(format!(
                "the key must be at least {} bytes long, got {}",
                Self::MIN_LEN,
                b.len()
            ))));
        }
        Ok(Key(b.to_vec()))
    }

    /// The key held in environment variable `var` (surrounding whitespace ignored);
    /// `Ok(None)` when the variable is unset or empty.
    pub fn from_env(var: &str) -> Result<Option<Key>, Error> {
        match std::env::var_os(var) {
            None => Ok(None),
            Some(v) => {
                let bytes = v.into_encoded_bytes();
                let trimmed = bytes.trim_ascii();
                if trimmed.is_empty() {
                    return Ok(None);
                }
                Key::from_bytes(trimmed).map(Some).map_err(|e| {
                    Error::new(ErrorKind::Config(format!(
                        "environment variable {var}: {}",
                        kind_msg(&e)
                    )))
                })
            }
        }
    }

    /// The key stored in a file (its whole content, surrounding whitespace ignored).
    pub fn from_file(path: &Path) -> Result<Key, Error> {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::new(ErrorKind::Io(format!(
                "cannot read key file {}: {e}",
                path.display()
            )))
        })?;
        Key::from_bytes(bytes.trim_ascii()).map_err(|e| {
            Error::new(ErrorKind::Config(format!(
                "key file {}: {}",
                path.display(),
                kind_msg(&e)
            )))
        })
    }

    /// A fresh random 32-byte key from the operating system. Surrogates made with it cannot
    /// be reproduced by any other run: use it only for explicit one-off jobs.
    pub fn random() -> Key {
        let mut b = vec![0u8; 32];
        getrandom::fill(&mut b).expect("the operating system random source is unavailable");
        Key(b)
    }

    /// A short keyed fingerprint (HMAC of a fixed label, 16 hex digits): tells two keys
    /// apart (e.g. to refuse resuming a run with another key) without revealing either.
    pub fn fingerprint(&self) -> String {
        let d = self.keyed().digest(&[b"voile key fingerprint v1"]);
        d[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    pub(crate) fn keyed(&self) -> Keyed {
        Keyed {
            mac: HmacSha256::new_from_slice(&self.0).expect("HMAC accepts keys of any length"),
        }
    }
}

fn kind_msg(e: &Error) -> String {
    match &e.kind {
        ErrorKind::Config(m) => m.clone(),
        other => format!("{other:?}"),
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(***)")
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        for b in self.0.iter_mut() {
            // Volatile so the wipe is not optimised away.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// A pre-keyed HMAC-SHA256: each digest clones the keyed state (no key schedule per call).
#[derive(Clone)]
pub(crate) struct Keyed {
    mac: HmacSha256,
}

impl Keyed {
    /// HMAC over the parts, each length-prefixed so that part boundaries cannot be forged
    /// (`("ab","c")` and `("a","bc")` differ).
    pub(crate) fn digest(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        for p in parts {
            mac.update(&(p.len() as u32).to_le_bytes());
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }
}

impl fmt::Debug for Keyed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keyed(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_are_refused_and_debug_hides_the_key() {
        assert!(Key::from_bytes(b"short").is_err());
        let k = Key::from_bytes(b"0123456789abcdef").unwrap();
        assert_eq!(format!("{k:?}"), "Key(***)");
        assert!(!format!("{:?}", k.keyed()).contains("0123"));
    }

    #[test]
    fn digests_depend_on_key_and_part_boundaries() {
        let a = Key::from_bytes(b"0123456789abcdef").unwrap().keyed();
        let b = Key::from_bytes(b"0123456789abcdeF").unwrap().keyed();
        assert_eq!(a.digest(&[b"x"]), a.digest(&[b"x"]));
        assert_ne!(a.digest(&[b"x"]), b.digest(&[b"x"]));
        assert_ne!(a.digest(&[b"ab", b"c"]), a.digest(&[b"a", b"bc"]));
    }

    #[test]
    fn fingerprints_tell_keys_apart_without_showing_them() {
        let a = Key::from_bytes(b"0123456789abcdef").unwrap();
        let b = Key::from_bytes(b"0123456789abcdeF").unwrap();
        assert_eq!(a.fingerprint(), a.fingerprint());
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 16);
        assert!(!a.fingerprint().contains("3031"), "no hex of the key bytes");
    }

    #[test]
    fn key_file_is_trimmed_and_errors_do_not_echo_content() {
        let p = std::env::temp_dir().join(format!("voile-key-{}", std::process::id()));
        std::fs::write(&p, b"  secret-secret-secret\n").unwrap();
        let k = Key::from_file(&p).unwrap();
        assert_eq!(k.0, b"secret-secret-secret");
        std::fs::write(&p, b"tiny-secret\n").unwrap();
        let e = Key::from_file(&p).unwrap_err().to_string();
        assert!(!e.contains("tiny-secret") && e.contains("16 bytes"), "{e}");
        std::fs::remove_file(&p).unwrap();
        assert!(Key::from_file(&p).is_err());
    }
}
