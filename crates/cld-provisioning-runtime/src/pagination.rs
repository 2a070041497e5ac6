//! [`paginate`]: turns a page-fetching function into a stream of items.
//!
//! Generated `into_stream()` methods use it for the cursor operations (custom policies,
//! inspect) and the page-numbered lists (users, access keys).

use std::future::Future;

use futures_core::Stream;

/// The most pages one stream fetches; a server that keeps answering with a next page (or a
/// cursor that never ends) cannot make a stream run forever.
pub const MAX_PAGES: usize = 10_000;

/// Streams the items of every page.
///
/// `fetch(state)` returns one page's items and the state for the next page (`None` when there
/// is none). The stream ends when there is no next state, when a page is empty (an empty page
/// ends both page-numbered and cursor lists, and stops a server that returns the same cursor
/// with no data), or after [`MAX_PAGES`] pages. An error is yielded once and ends the stream.
pub fn paginate<S, T, E, F, Fut>(initial: S, fetch: F) -> impl Stream<Item = Result<T, E>> + Send
where
    F: FnMut(S) -> Fut + Send,
    Fut: Future<Output = Result<(Vec<T>, Option<S>), E>> + Send,
    S: Send,
    T: Send,
    E: Send,
{
    struct State<S, T, F> {
        next: Option<S>,
        items: std::vec::IntoIter<T>,
        pages: usize,
        fetch: F,
    }

    let state = State {
        next: Some(initial),
        items: Vec::new().into_iter(),
        pages: 0,
        fetch,
    };
    futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.items.next() {
                return Some((Ok(item), st));
            }
            let s = st.next.take()?;
            if st.pages >= MAX_PAGES {
                tracing::warn!(pages = st.pages, "pagination stopped at MAX_PAGES");
                return None;
            }
            st.pages += 1;
            match (st.fetch)(s).await {
                Ok((items, next)) => {
                    if items.is_empty() {
                        return None;
                    }
                    st.items = items.into_iter();
                    st.next = next;
                }
                // `next` is already taken, so the stream ends after yielding the error.
                Err(e) => return Some((Err(e), st)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn collect<S: Stream>(s: S) -> Vec<S::Item> {
        s.collect().await
    }

    #[tokio::test]
    async fn walks_pages_until_no_next() {
        let items = collect(paginate(1u32, |page| async move {
            Ok::<_, ()>(match page {
                1 => (vec!["a", "b"], Some(2)),
                2 => (vec!["c"], Some(3)),
                _ => (vec!["d"], None),
            })
        }))
        .await;
        assert_eq!(items, vec![Ok("a"), Ok("b"), Ok("c"), Ok("d")]);
    }

    #[tokio::test]
    async fn stops_on_empty_page() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = Arc::clone(&calls);
        let items = collect(paginate(String::from("start"), move |cursor| {
            c.fetch_add(1, Ordering::SeqCst);
            async move {
                // A server that repeats the cursor with no data.
                let page = if cursor == "start" { vec![1] } else { vec![] };
                Ok::<_, ()>((page, Some(String::from("again"))))
            }
        }))
        .await;
        assert_eq!(items, vec![Ok(1)]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn error_is_yielded_once_and_ends_the_stream() {
        let items = collect(paginate(1u32, |page| async move {
            if page == 1 {
                Ok((vec![1], Some(2)))
            } else {
                Err("boom")
            }
        }))
        .await;
        assert_eq!(items, vec![Ok(1), Err("boom")]);
    }

    #[tokio::test]
    async fn bounded_by_max_pages() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = Arc::clone(&calls);
        let count = paginate(0usize, move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, ()>((vec![n], Some(n + 1))) }
        })
        .count()
        .await;
        assert_eq!(count, MAX_PAGES);
        assert_eq!(calls.load(Ordering::SeqCst), MAX_PAGES);
    }

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn stream_is_send() {
        let s = paginate(0u8, |_| async {
            Ok::<(Vec<u8>, Option<u8>), ()>((vec![], None))
        });
        assert_send(&s);
    }
}
