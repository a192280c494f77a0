//! The list cache of docs/design.md#decision-5-read-detects-drift-from-the-list: per cluster, single-flight, short-lived, and invalidated by
//! every write of this client.
//!
//! "Short-lived" is an idle expiry: a stored list is reused while reads keep arriving less than
//! `ttl` apart, and never once `max_age` has passed since its request started. A refresh is a
//! burst of reads, so one list serves a whole refresh however many resources it has (a fixed
//! expiry would re-list every `ttl` during a long refresh), while a list nobody asked for in
//! `ttl` is dropped as before.
//!
//! A generation counter per cluster makes invalidation safe against lists already in flight:
//! a list that started before a write may still answer the callers that were waiting for it,
//! but it is never stored, and callers arriving after the write start a new list.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::OnceCell;
// Tokio's clock: the real one in production, and one tests can pause and move.
use tokio::time::Instant;

use super::error::ApiError;
use super::models::Cluster;

type Shared<T> = Arc<T>;
type Flight<T> = Arc<OnceCell<Result<Shared<T>, ApiError>>>;

/// Cache of what one list endpoint (tokens or databases) answered, for every cluster: `T` is
/// what a list is read into (the token index of `list_trust`, the databases).
pub(crate) struct ListCache<T> {
    ttl: Duration,
    max_age: Duration,
    entries: Mutex<HashMap<Cluster, Entry<T>>>,
}

struct Entry<T> {
    /// Bumped by every write to the cluster.
    generation: u64,
    /// A list fetched at this generation.
    fresh: Option<Fresh<T>>,
    /// The list request in flight, if any, and the generation it started in.
    flight: Option<(u64, Flight<T>)>,
}

struct Fresh<T> {
    /// When its list request started.
    started: Instant,
    /// When it was stored or last served.
    used: Instant,
    list: Shared<T>,
}

impl<T> Default for Entry<T> {
    fn default() -> Self {
        Entry {
            generation: 0,
            fresh: None,
            flight: None,
        }
    }
}

impl<T> ListCache<T> {
    /// A cache whose lists expire after `ttl` without use, or `max_age` after they were
    /// requested, whichever comes first.
    pub(crate) fn new(ttl: Duration, max_age: Duration) -> Self {
        ListCache {
            ttl,
            max_age,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Cluster, Entry<T>>> {
        // The map holds no invariant a panicking holder could break halfway.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Forgets the cluster's list and makes any list in flight unstorable. Call after every
    /// write (successful, failed or ambiguous) that touched the cluster.
    pub(crate) fn invalidate(&self, cluster: &Cluster) {
        let mut entries = self.lock();
        let entry = entries.entry(cluster.clone()).or_default();
        entry.generation += 1;
        entry.fresh = None;
        entry.flight = None;
    }

    /// The cluster's list: the stored one while it is fresh (used within `ttl`, requested
    /// within `max_age`), else the result
    /// of the list in flight (joining it), else of a new `fetch`. Errors are returned to the
    /// callers waiting at that moment but never stored.
    pub(crate) async fn get<F, Fut>(
        &self,
        cluster: &Cluster,
        fetch: F,
    ) -> Result<Shared<T>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let (generation, flight) = {
            let mut entries = self.lock();
            let entry = entries.entry(cluster.clone()).or_default();
            if let Some(fresh) = &mut entry.fresh {
                if fresh.used.elapsed() < self.ttl && fresh.started.elapsed() < self.max_age {
                    fresh.used = Instant::now();
                    return Ok(Arc::clone(&fresh.list));
                }
                entry.fresh = None;
            }
            // A flight of this generation is joined while running, and also once it has
            // succeeded but its fetcher has not stored the list yet (else a caller arriving in
            // that window would list again). A failed flight is not reused.
            let joinable = entry.flight.as_ref().filter(|(generation, flight)| {
                *generation == entry.generation && flight.get().is_none_or(Result::is_ok)
            });
            match joinable {
                Some((generation, flight)) => (*generation, Arc::clone(flight)),
                None => {
                    let flight: Flight<T> = Arc::new(OnceCell::new());
                    entry.flight = Some((entry.generation, Arc::clone(&flight)));
                    (entry.generation, flight)
                }
            }
        };
        // Exactly one caller runs `fetch`; if it is cancelled, a waiting caller takes over.
        let mut started = None;
        let result = flight
            .get_or_init(|| {
                started = Some(Instant::now());
                async move { fetch().await.map(Arc::new) }
            })
            .await
            .clone();
        if let Some(started) = started {
            let mut entries = self.lock();
            let entry = entries.entry(cluster.clone()).or_default();
            if entry
                .flight
                .as_ref()
                .is_some_and(|(_, f)| Arc::ptr_eq(f, &flight))
            {
                entry.flight = None;
            }
            if let Ok(list) = &result
                && entry.generation == generation
            {
                entry.fresh = Some(Fresh {
                    started,
                    used: Instant::now(),
                    list: Arc::clone(list),
                });
            }
        }
        result
    }
}

impl<T> std::fmt::Debug for ListCache<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListCache")
            .field("ttl", &self.ttl)
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn cluster() -> Cluster {
        Cluster::new("a", "c")
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_fetch() -> Result<(), ApiError> {
        let cache = Arc::new(ListCache::<Vec<u32>>::new(
            Duration::from_secs(5),
            Duration::from_secs(60),
        ));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            tasks.push(tokio::spawn(async move {
                cache
                    .get(&cluster(), || async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok(vec![1])
                    })
                    .await
            }));
        }
        for t in tasks {
            let list = t
                .await
                .map_err(|e| ApiError::InvalidInput(e.to_string()))??;
            assert_eq!(*list, vec![1]);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        Ok(())
    }

    #[tokio::test]
    async fn errors_are_not_stored_and_invalidate_forgets() -> Result<(), ApiError> {
        let cache = ListCache::<Vec<u32>>::new(Duration::from_secs(5), Duration::from_secs(60));
        let failed = cache
            .get(&cluster(), || async {
                Err(ApiError::InvalidInput("boom".into()))
            })
            .await;
        assert!(failed.is_err());
        assert_eq!(
            *cache.get(&cluster(), || async { Ok(vec![1]) }).await?,
            vec![1]
        );
        assert_eq!(
            *cache.get(&cluster(), || async { Ok(vec![2]) }).await?,
            vec![1]
        );
        cache.invalidate(&cluster());
        assert_eq!(
            *cache.get(&cluster(), || async { Ok(vec![3]) }).await?,
            vec![3]
        );
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    async fn use_keeps_a_list_fresh_until_its_max_age() -> Result<(), ApiError> {
        let cache =
            ListCache::<Vec<u32>>::new(Duration::from_millis(60), Duration::from_millis(200));
        let mut lists = 0;
        let started = Instant::now();
        // Reads 20 ms apart for 300 ms: one list, then a second once the first is 200 ms old.
        while started.elapsed() < Duration::from_millis(300) {
            let n = cache
                .get(&cluster(), || async {
                    lists += 1;
                    Ok(vec![lists])
                })
                .await?;
            assert_eq!(n.len(), 1);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(lists, 2);
        // Idle for longer than the ttl: expired.
        tokio::time::sleep(Duration::from_millis(80)).await;
        cache
            .get(&cluster(), || async {
                lists += 1;
                Ok(vec![lists])
            })
            .await?;
        assert_eq!(lists, 3);
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_fetcher_hands_over_to_a_waiter() -> Result<(), ApiError> {
        let cache = Arc::new(ListCache::<Vec<u32>>::new(
            Duration::from_secs(5),
            Duration::from_secs(60),
        ));
        let c2 = Arc::clone(&cache);
        let first = tokio::spawn(async move {
            c2.get(&cluster(), || async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(vec![1])
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let c3 = Arc::clone(&cache);
        let second =
            tokio::spawn(async move { c3.get(&cluster(), || async { Ok(vec![2]) }).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        first.abort();
        let list = second
            .await
            .map_err(|e| ApiError::InvalidInput(e.to_string()))??;
        assert_eq!(*list, vec![2]);
        Ok(())
    }
}
