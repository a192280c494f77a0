//! Limits on what a connection can cost before it has proven to be the host: a deadline for the
//! TLS handshake, a cap on handshakes in progress, a back-off when `accept()` fails (for example
//! when the process is out of file descriptors), and warnings that cannot flood the log.
//!
//! Over TCP loopback any local user can connect. Without these, a thousand idle connections
//! kept the accept loop spinning on `EMFILE`, wrote a warning per spin (hundreds of MB), and
//! blocked the host's own handshake until they closed.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What one listener allows.
#[derive(Debug, Clone, Copy)]
pub struct AcceptLimits {
    /// A connection that has not completed the TLS handshake by then is closed.
    pub handshake_timeout: Duration,
    /// At most this many TLS handshakes run at once; admitting one more closes the one that
    /// has run longest (the host's completes within milliseconds, so the oldest is the one
    /// most likely stalled on purpose).
    pub max_handshakes: usize,
    /// At most this many connections wait for their first bytes (the TLS ClientHello) without
    /// holding a handshake slot; admitting one more closes the one that has waited longest. An
    /// idle connection thus never takes a slot the host's handshake needs.
    pub max_waiting: usize,
}

impl Default for AcceptLimits {
    /// The host completes its handshake within milliseconds of reading the handshake line and
    /// opens one connection (gRPC multiplexes every call over it); these leave ample room.
    fn default() -> Self {
        AcceptLimits {
            handshake_timeout: Duration::from_secs(10),
            max_handshakes: 32,
            max_waiting: 256,
        }
    }
}

/// How long to wait after a failed `accept()`: 5 ms doubling to 1 s, reset by a success (the
/// schedule Go's net/http uses, so a persistent error costs at most one attempt a second).
#[derive(Debug, Default)]
pub struct AcceptBackoff {
    next: Option<Duration>,
}

impl AcceptBackoff {
    const FIRST: Duration = Duration::from_millis(5);
    const MAX: Duration = Duration::from_secs(1);

    /// The delay before the next attempt after a failure.
    pub fn failed(&mut self) -> Duration {
        let delay = self.next.unwrap_or(Self::FIRST);
        self.next = Some((delay * 2).min(Self::MAX));
        delay
    }

    /// An accept succeeded: the next failure waits the shortest delay again.
    pub fn succeeded(&mut self) {
        self.next = None;
    }
}

/// Lets one message through per interval and counts the ones held back, so the message that
/// gets through can say how many it stands for.
#[derive(Debug)]
pub struct LogLimiter {
    interval: Duration,
    last: Option<Instant>,
    suppressed: u64,
}

impl LogLimiter {
    /// One message per `interval`.
    pub fn new(interval: Duration) -> Self {
        LogLimiter {
            interval,
            last: None,
            suppressed: 0,
        }
    }

    /// `Some(n)` when a message may be logged at `now` (`n` were held back since the last
    /// one), `None` when it must be dropped.
    pub fn allow(&mut self, now: Instant) -> Option<u64> {
        match self.last {
            Some(last) if now.saturating_duration_since(last) < self.interval => {
                self.suppressed += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.suppressed))
            }
        }
    }
}

/// The connections in one stage of the accept path, at most `cap`: admitting one more evicts
/// the one admitted first. A flood of new connections therefore pushes out old ones instead of
/// locking out the newest, which is the host's when it arrives.
#[derive(Debug)]
pub struct Evicting {
    cap: usize,
    next: u64,
    held: std::collections::VecDeque<(u64, tokio::sync::oneshot::Sender<()>)>,
}

/// A place in an [`Evicting`] stage, given up when dropped.
#[derive(Debug)]
pub struct Ticket {
    stage: Arc<Mutex<Evicting>>,
    id: u64,
    evicted: tokio::sync::oneshot::Receiver<()>,
}

impl Evicting {
    /// A stage of at most `cap` (at least one) connections.
    pub fn new(cap: usize) -> Arc<Mutex<Evicting>> {
        Arc::new(Mutex::new(Evicting {
            cap: cap.max(1),
            next: 0,
            held: std::collections::VecDeque::new(),
        }))
    }

    /// Admits one connection; when the stage is full, the longest-held one is evicted (its
    /// [`Ticket::evicted`] resolves).
    pub fn admit(stage: &Arc<Mutex<Evicting>>) -> Ticket {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let mut s = lock(stage);
        let id = s.next;
        s.next += 1;
        s.held.push_back((id, tx));
        if s.held.len() > s.cap {
            // Dropping the sender is the eviction notice.
            s.held.pop_front();
        }
        Ticket {
            stage: stage.clone(),
            id,
            evicted: rx,
        }
    }
}

impl Ticket {
    /// Resolves when a newer connection took this one's place.
    pub async fn evicted(&mut self) {
        let _ = (&mut self.evicted).await;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        lock(&self.stage).held.retain(|(id, _)| *id != self.id);
    }
}

fn lock(stage: &Mutex<Evicting>) -> std::sync::MutexGuard<'_, Evicting> {
    stage
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How often each kind of transport warning may be logged.
pub const WARNING_INTERVAL: Duration = Duration::from_secs(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_off_doubles_to_one_second_and_a_success_resets_it() {
        let mut b = AcceptBackoff::default();
        let delays: Vec<u128> = (0..10).map(|_| b.failed().as_millis()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
        b.succeeded();
        assert_eq!(b.failed(), Duration::from_millis(5));
    }

    #[tokio::test]
    async fn a_full_stage_evicts_its_oldest_connection_and_freed_places_come_back() {
        let stage = Evicting::new(2);
        let mut first = Evicting::admit(&stage);
        let second = Evicting::admit(&stage);
        let mut third = Evicting::admit(&stage);
        tokio::time::timeout(Duration::from_secs(5), first.evicted())
            .await
            .expect("the oldest is evicted");
        drop(second);
        let _fourth = Evicting::admit(&stage);
        assert!(
            tokio::time::timeout(Duration::from_millis(50), third.evicted())
                .await
                .is_err(),
            "a place freed by a finished connection is reused without evicting"
        );
    }

    #[test]
    fn one_warning_per_interval_gets_through_and_counts_the_rest() {
        let mut limiter = LogLimiter::new(Duration::from_secs(5));
        let t0 = Instant::now();
        assert_eq!(limiter.allow(t0), Some(0));
        let held: Vec<_> = (1..=1000)
            .map(|i| limiter.allow(t0 + Duration::from_millis(i)))
            .collect();
        assert!(held.iter().all(Option::is_none), "a flood is held back");
        assert_eq!(limiter.allow(t0 + Duration::from_secs(5)), Some(1000));
        assert_eq!(limiter.allow(t0 + Duration::from_secs(6)), None);
    }
}
