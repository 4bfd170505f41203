//! A failure on one record never takes a run down, and never prints the record's text.
//!
//! Rust's default panic message can quote the data being processed (a string slice error
//! prints the string). [`install_panic_hook`] replaces it with one that remembers only the
//! code location; [`contain`] runs one record's work, turning a panic into an
//! [`ErrorKind::Internal`] error naming that location, so the caller reports the record by id
//! and goes on with the others.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use voile_core::{Error, ErrorKind};

thread_local! {
    /// Where the last panic on this thread happened (`file:line`), set by the hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Inside [`contain`] on this thread: the caller reports the panic, the hook stays quiet.
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// Replace the process's panic hook by one that never prints the panic's message (it may
/// quote text): inside [`contain`] it only records the code location for the caller's
/// report; elsewhere it prints that location alone. Idempotent. Binaries and bindings call it at start-up; a
/// library user who keeps the default hook keeps Rust's messages, which may quote text.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_else(|| "unknown location".into());
            if CONTAINED.with(Cell::get) {
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(location));
            } else {
                eprintln!("voile: internal error (panic) at {location}; message withheld");
            }
        }));
    });
}

/// Run `f`; a panic inside becomes an [`ErrorKind::Internal`] error (location only).
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, Error> {
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(outer));
    result.map_err(|_| {
        let location = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "unknown location".into());
        Error::new(ErrorKind::Internal(format!(
            "panic in voile at {location} (a bug: please report it with this location); \
             the record was not processed"
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_the_location_not_the_payload() {
        install_panic_hook();
        let secret = String::from("Josiane LEFEVRE");
        let err = contain(|| {
            let _ = &secret[0..200]; // out of range: the default message would quote it
        })
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("containment.rs"), "{msg}");
        assert!(!msg.contains("LEFEVRE"), "{msg}");
        assert_eq!(contain(|| 7).unwrap(), 7);
    }
}
