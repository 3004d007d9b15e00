//! A value that logs its number when dropped, for the tests that check which destructors ran
//! and in what order.

use std::sync::{Arc, Mutex};

/// Pushes its number to a shared log when dropped.
pub struct Logged(pub u32, pub Arc<Mutex<Vec<u32>>>);

impl Drop for Logged {
    fn drop(&mut self) {
        self.1.lock().unwrap().push(self.0);
    }
}

/// A new, empty log.
pub fn log() -> Arc<Mutex<Vec<u32>>> {
    Arc::new(Mutex::new(Vec::new()))
}

/// What the log holds, emptying it.
pub fn taken(log: &Arc<Mutex<Vec<u32>>>) -> Vec<u32> {
    std::mem::take(&mut *log.lock().unwrap())
}
