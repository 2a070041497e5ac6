//! Paginated lists as nameable streams: [`Pages`] (one item per response page) and [`Items`]
//! (the pages' items, one by one).
//!
//! Generated `into_pages()` and `into_stream()` methods return them for the cursor operations
//! (custom policies, inspect, inspect multiple) and the page-numbered lists (users, access
//! keys). Both are `futures_core::Stream`s, so every `StreamExt`/`TryStreamExt` adapter works,
//! and both have inherent [`next`](Items::next) and [`try_collect`](Items::try_collect), so the
//! common loops need no extra import or crate:
//!
//! ```no_run
//! # async fn doc(mut users: cld_provisioning_runtime::Items<String, std::io::Error>) -> Result<(), std::io::Error> {
//! while let Some(user) = users.next().await {
//!     println!("{}", user?);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Their types can be named (`Items<User, Error<GetUsersError>>`), stored in a struct and
//! returned from a function, which an `impl Stream` cannot.

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

/// The most pages one stream fetches; a server that keeps answering with a next page (or a
/// cursor that never ends) cannot make a stream run forever.
pub const MAX_PAGES: usize = 10_000;

type BoxedStream<T> = Pin<Box<dyn Stream<Item = T> + Send>>;

/// The pages of a paginated list, in order, as a stream of `Result<P, E>`: each item is one
/// decoded response. An error is yielded once and ends the stream.
#[must_use = "a stream does nothing until polled (`next().await`, `try_collect().await`)"]
pub struct Pages<P, E> {
    inner: BoxedStream<Result<P, E>>,
}

/// The items of every page of a paginated list, one by one, as a stream of `Result<T, E>`.
/// An error is yielded once and ends the stream.
#[must_use = "a stream does nothing until polled (`next().await`, `try_collect().await`)"]
pub struct Items<T, E> {
    pages: BoxedStream<Result<Vec<T>, E>>,
    current: std::vec::IntoIter<T>,
}

impl<P: Send + 'static, E: Send + 'static> Pages<P, E> {
    /// The items of every page, taken out of each page by `extract` (generated code passes
    /// the walk from the response to its item array).
    pub fn items<T: Send + 'static>(self, extract: fn(P) -> Vec<T>) -> Items<T, E> {
        use futures_util::StreamExt as _;
        Items {
            pages: Box::pin(self.inner.map(move |page| page.map(extract))),
            current: Vec::new().into_iter(),
        }
    }
}

impl<P, E> Pages<P, E> {
    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<P, E>> {
        poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Every page, in order; stops at the first error and returns it.
    pub async fn try_collect(mut self) -> Result<Vec<P>, E> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await {
            out.push(page?);
        }
        Ok(out)
    }
}

impl<T, E> Items<T, E> {
    /// The next item, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<T, E>> {
        poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every item of every page, in order; stops at the first error and returns it.
    pub async fn try_collect(mut self) -> Result<Vec<T>, E> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, E>>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => self.current = page.into_iter(),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<P, E> Stream for Pages<P, E> {
    type Item = Result<P, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

// Both streams hold only a boxed stream (pinned on the heap) and a vector iterator, so moving
// them is fine whatever `T` is.
impl<P, E> Unpin for Pages<P, E> {}
impl<T, E> Unpin for Items<T, E> {}

impl<T, E> Stream for Items<T, E> {
    type Item = Result<T, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_item(cx)
    }
}

impl<P, E> fmt::Debug for Pages<P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T, E> fmt::Debug for Items<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.current.len())
            .finish_non_exhaustive()
    }
}

/// Streams every page (used by generated code, through [`codegen`](crate::codegen)).
///
/// `fetch(state)` returns one page and the state for the next page (`None` when there is
/// none: generated code ends the list on a missing, empty or repeated cursor, and on an empty
/// or short page). The stream also ends after [`MAX_PAGES`] pages. An error is yielded once
/// and ends the stream.
#[doc(hidden)]
pub fn paginate<S, P, E, F, Fut>(initial: S, fetch: F) -> Pages<P, E>
where
    F: FnMut(S) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(P, Option<S>), E>> + Send + 'static,
    S: Send + 'static,
    P: Send + 'static,
    E: Send + 'static,
{
    struct State<S, F> {
        next: Option<S>,
        pages: usize,
        fetch: F,
    }

    let state = State {
        next: Some(initial),
        pages: 0,
        fetch,
    };
    let stream = futures_util::stream::unfold(state, |mut st| async move {
        let s = st.next.take()?;
        if st.pages >= MAX_PAGES {
            tracing::warn!(pages = st.pages, "pagination stopped at MAX_PAGES");
            return None;
        }
        st.pages += 1;
        match (st.fetch)(s).await {
            Ok((page, next)) => {
                st.next = next;
                Some((Ok(page), st))
            }
            // `next` is already taken, so the stream ends after yielding the error.
            Err(e) => Some((Err(e), st)),
        }
    });
    // Fused: `next()` after the end (or after an error) keeps answering `None` instead of
    // polling a finished `unfold`, which panics.
    Pages {
        inner: Box::pin(futures_util::StreamExt::fuse(stream)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Pages of letters: page n holds the listed items, then the next page number.
    fn letters(pages: &'static [&'static [&'static str]]) -> Pages<Vec<&'static str>, ()> {
        paginate(0usize, move |n| async move {
            let page = pages[n].to_vec();
            let next = (n + 1 < pages.len()).then_some(n + 1);
            Ok((page, next))
        })
    }

    #[tokio::test]
    async fn pages_come_in_order_until_no_next() {
        let pages = letters(&[&["a", "b"], &["c"], &["d"]]).try_collect().await;
        assert_eq!(pages, Ok(vec![vec!["a", "b"], vec!["c"], vec!["d"]]));
    }

    #[tokio::test]
    async fn items_flatten_pages_and_skip_empty_ones() {
        let mut items = letters(&[&["a", "b"], &[], &["c"]]).items(|page| page);
        let mut seen = Vec::new();
        while let Some(item) = items.next().await {
            seen.push(item);
        }
        assert_eq!(seen, vec![Ok("a"), Ok("b"), Ok("c")]);
        // Exhausted streams stay exhausted.
        assert_eq!(items.next().await, None);
        let mut pages = letters(&[&["a"]]);
        assert!(pages.next().await.is_some());
        assert_eq!(pages.next().await, None);
        assert_eq!(pages.next().await, None);
    }

    #[tokio::test]
    async fn items_collect_and_work_as_a_stream() {
        let all = letters(&[&["a"], &["b", "c"]])
            .items(|p| p)
            .try_collect()
            .await;
        assert_eq!(all, Ok(vec!["a", "b", "c"]));
        let counted = letters(&[&["a"], &["b", "c"]]).items(|p| p).count().await;
        assert_eq!(counted, 3);
    }

    #[tokio::test]
    async fn error_is_yielded_once_and_ends_both_streams() {
        let failing = || {
            paginate(1u32, |page| async move {
                if page == 1 {
                    Ok((vec![1], Some(2)))
                } else {
                    Err("boom")
                }
            })
        };
        let pages: Vec<_> = failing().collect().await;
        assert_eq!(pages, vec![Ok(vec![1]), Err("boom")]);
        let items: Vec<_> = failing().items(|p| p).collect().await;
        assert_eq!(items, vec![Ok(1), Err("boom")]);
        assert_eq!(failing().items(|p| p).try_collect().await, Err("boom"));
        assert_eq!(failing().try_collect().await, Err("boom"));
    }

    #[tokio::test]
    async fn bounded_by_max_pages() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = Arc::clone(&calls);
        let count = paginate(0usize, move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, ()>((vec![n], Some(n + 1))) }
        })
        .items(|p| p)
        .count()
        .await;
        assert_eq!(count, MAX_PAGES);
        assert_eq!(calls.load(Ordering::SeqCst), MAX_PAGES);
    }

    #[test]
    fn debug_names_the_stream() {
        let items = letters(&[&["a"]]).items(|p| p);
        assert_eq!(format!("{items:?}"), "Items { buffered: 0, .. }");
        assert_eq!(format!("{:?}", letters(&[&["a"]])), "Pages { .. }");
    }

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn streams_are_send() {
        let pages = letters(&[&["a"]]);
        assert_send(&pages);
        assert_send(&pages.items(|p| p));
    }
}
