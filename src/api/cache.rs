//! The list cache of docs/design.md#decision-5-read-detects-drift-from-the-list: per cluster, single-flight, short-lived, and invalidated by
//! every write of this client.
//!
//! "Short-lived" is an idle expiry: a stored list is reused while reads keep arriving less than
//! `ttl` apart, and never once `max_age` has passed since its request started. A refresh is a
//! burst of reads, so one list serves a whole refresh however many resources it has (a fixed
//! expiry would re-list every `ttl` during a long refresh), while a list nobody asked for in
//! `ttl` is dropped as before.
//!
//! A failed list is kept the same way: the reads of a refresh that arrive after it (Terraform
//! reads ten at a time) get the same failure at once instead of each waiting through the
//! retries again, and only the read whose request failed reports it in full (the others get
//! [`ApiError::ListFailedEarlier`]), so an outage during a refresh of a thousand objects costs
//! one list and reads as one failure.
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
    /// The list, or how its request failed.
    outcome: Result<Shared<T>, ApiError>,
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
    /// within `max_age`), else the result of the list in flight (joining it), else of a new
    /// `fetch`. A failure is stored alike; the caller whose `fetch` failed gets the error as it
    /// is, every other caller an [`ApiError::ListFailedEarlier`] wrapping it.
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
                    return fresh.outcome.clone().map_err(reported_earlier);
                }
                entry.fresh = None;
            }
            // A flight of this generation is joined while running, and also once it has
            // ended but its fetcher has not stored the outcome yet (else a caller arriving in
            // that window would list again).
            let joinable = entry
                .flight
                .as_ref()
                .filter(|(generation, _)| *generation == entry.generation);
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
            if entry.generation == generation {
                entry.fresh = Some(Fresh {
                    started,
                    used: Instant::now(),
                    outcome: result.clone(),
                });
            }
            return result;
        }
        result.map_err(reported_earlier)
    }
}

/// A failure as a caller that did not make the failed request gets it.
fn reported_earlier(cause: ApiError) -> ApiError {
    match cause {
        ApiError::ListFailedEarlier { .. } => cause,
        cause => ApiError::ListFailedEarlier {
            cause: Box::new(cause),
        },
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

    #[tokio::test(start_paused = true)]
    async fn a_failure_is_reported_in_full_once_and_kept_like_a_list() -> Result<(), ApiError> {
        let cache = ListCache::<Vec<u32>>::new(Duration::from_millis(60), Duration::from_secs(60));
        let boom = || async { Err(ApiError::InvalidInput("boom".into())) };
        let first = cache.get(&cluster(), boom).await;
        assert!(
            matches!(first, Err(ApiError::InvalidInput(_))),
            "the caller whose request failed gets the failure itself: {first:?}"
        );
        // A read soon after gets the same failure without a request, marked as told already.
        let again = cache.get(&cluster(), || async { Ok(vec![1]) }).await;
        match again {
            Err(ApiError::ListFailedEarlier { cause }) => {
                assert!(matches!(*cause, ApiError::InvalidInput(_)), "{cause:?}")
            }
            other => panic!("expected the stored failure, got {other:?}"),
        }
        // Idle for longer than the ttl: the failure is forgotten and the list asked again.
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(
            *cache.get(&cluster(), || async { Ok(vec![2]) }).await?,
            vec![2]
        );
        assert_eq!(
            *cache.get(&cluster(), || async { Ok(vec![3]) }).await?,
            vec![2]
        );
        cache.invalidate(&cluster());
        assert_eq!(
            *cache.get(&cluster(), || async { Ok(vec![4]) }).await?,
            vec![4]
        );
        // A write forgets a failure as it forgets a list.
        assert!(
            cache
                .get(&cluster(), || async { Ok(vec![5]) })
                .await
                .is_ok()
        );
        cache.invalidate(&cluster());
        assert!(cache.get(&cluster(), boom).await.is_err());
        cache.invalidate(&cluster());
        assert_eq!(
            *cache.get(&cluster(), || async { Ok(vec![6]) }).await?,
            vec![6]
        );
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    async fn callers_joining_a_failed_flight_are_told_it_was_reported() {
        let cache = Arc::new(ListCache::<Vec<u32>>::new(
            Duration::from_secs(5),
            Duration::from_secs(60),
        ));
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let cache = Arc::clone(&cache);
            tasks.push(tokio::spawn(async move {
                cache
                    .get(&cluster(), || async {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Err(ApiError::InvalidInput("boom".into()))
                    })
                    .await
            }));
        }
        let mut full = 0;
        let mut told = 0;
        for t in tasks {
            match t.await {
                Ok(Err(ApiError::InvalidInput(_))) => full += 1,
                Ok(Err(ApiError::ListFailedEarlier { .. })) => told += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((full, told), (1, 4));
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
