//! The client's time: what its waits measure and sleep (the backoff between attempts, the
//! reconcile's re-lists over its window). A client runs on [`RealClock`]; tests put in a clock
//! whose sleeps take no real time and record what was asked, so backoff and pacing are checked
//! by the waits the client asked for, not by a wall clock. The per-request timeout is not on
//! this clock: it stays reqwest's, on tokio's time, which the tests that check it pause (their
//! server is in-process on loopback, so every answer is ready before paused time moves on).

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// A source of time for the client's waits.
pub(crate) trait Clock: Send + Sync {
    /// The time elapsed since the clock's origin.
    fn now(&self) -> Duration;

    /// Waits `wait`.
    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// Monotonic time and tokio's sleep.
#[derive(Debug)]
pub(crate) struct RealClock(Instant);

impl RealClock {
    pub(crate) fn new() -> Self {
        RealClock(Instant::now())
    }
}

impl Clock for RealClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }

    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(wait))
    }
}
