//! Ctrl-C: the first SIGINT (or SIGTERM) sets a flag instead of killing the process, so the run
//! stops at the next check and every `Container` guard is dropped (removing its container). The
//! docker client in the foreground gets the signal too and ends at once. The ids of live
//! containers are also kept here, for a last sweep before the process exits.
//!
//! Imports nothing of the rest of the crate.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static CONTAINERS: Mutex<Vec<String>> = Mutex::new(Vec::new());

extern "C" fn on_signal(_: libc::c_int) {
    // only an atomic store: async-signal-safe
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Installs the handler for SIGINT and SIGTERM.
pub fn install() {
    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: `on_signal` only stores to an atomic, which is async-signal-safe; `signal` is
    // called before any other thread exists.
    unsafe {
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

pub fn register_container(id: &str) {
    if let Ok(mut list) = CONTAINERS.lock() {
        list.push(id.to_string());
    }
}

pub fn forget_container(id: &str) {
    if let Ok(mut list) = CONTAINERS.lock() {
        list.retain(|c| c != id);
    }
}

/// The containers still registered (none, when every guard was dropped).
pub fn leftover_containers() -> Vec<String> {
    CONTAINERS.lock().map(|l| l.clone()).unwrap_or_default()
}
