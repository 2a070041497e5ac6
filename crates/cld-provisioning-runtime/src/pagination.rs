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

use std::collections::BTreeSet;
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

/// The cursors a cursor list has already sent, so that a server repeating one cannot loop.
/// Its own non-generic type so that the set's code is compiled once, here, and not in every
/// paginated operation of the generated crate.
#[derive(Default)]
struct SeenCursors(BTreeSet<String>);

impl SeenCursors {
    fn insert(&mut self, cursor: &str) {
        self.0.insert(cursor.to_owned());
    }

    fn contains(&self, cursor: &str) -> bool {
        self.0.contains(cursor)
    }
}

/// Whether `pages` pages already reached [`MAX_PAGES`] (with a warning when they did). Out of
/// [`paginate`]'s generic closure, so that the `tracing` call site is compiled once, here.
fn page_limit_reached(pages: usize) -> bool {
    let reached = pages >= MAX_PAGES;
    if reached {
        tracing::warn!(pages, "pagination stopped at MAX_PAGES");
    }
    reached
}

/// Streams every page: the part of [`cursor_pages`] and [`numbered_pages`] that does not
/// depend on how a list pages.
///
/// `fetch(state)` returns one page and the state for the next page (`None` when there is
/// none: the callers end the list on a missing, empty or repeated cursor, and on an empty
/// or short page). The stream also ends after [`MAX_PAGES`] pages. An error is yielded once
/// and ends the stream.
pub(crate) fn paginate<S, P, E, F, Fut>(initial: S, fetch: F) -> Pages<P, E>
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
        if page_limit_reached(st.pages) {
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

/// How [`cursor_pages`] reaches a cursor list's request builder `B` and its page `P`: the
/// small accessors the generator writes per operation, so the loop itself is written once.
/// The cursor may travel in the query or in the request body; the builder holds it either way.
#[doc(hidden)]
pub struct CursorList<B, P, S> {
    /// The cursor the builder will send, if any.
    pub current: fn(&B) -> Option<&str>,
    /// The builder with its cursor set to the given one.
    pub set: fn(B, String) -> B,
    /// How many items the page holds.
    pub count: fn(&P) -> usize,
    /// The page's next cursor, if any.
    pub next: fn(&P) -> Option<&str>,
    /// Sends the builder and decodes its page.
    pub send: S,
}

/// Streams every page of a cursor list (used by generated code, through
/// [`codegen`](crate::codegen)), starting at the builder's cursor (or the start).
///
/// After each page it follows the page's next cursor, and stops after an empty page or an
/// empty, missing or already seen cursor (the starting cursor counts as seen), so a server
/// that hands back a cursor twice cannot make the list loop. The stream ends after
/// [`MAX_PAGES`] pages, and after yielding an error.
#[doc(hidden)]
pub fn cursor_pages<B, P, E, S, Fut>(builder: B, list: CursorList<B, P, S>) -> Pages<P, E>
where
    B: Clone + Send + 'static,
    S: Fn(B) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P, E>> + Send + 'static,
    P: Send + 'static,
    E: Send + 'static,
{
    let CursorList {
        current,
        set,
        count,
        next,
        send,
    } = list;
    paginate(
        (builder, SeenCursors::default()),
        move |(builder, mut seen)| {
            if let Some(cursor) = current(&builder) {
                seen.insert(cursor);
            }
            let page = send(builder.clone());
            async move {
                let page = page.await?;
                let follow = next(&page)
                    .filter(|c| count(&page) > 0 && !c.is_empty() && !seen.contains(c))
                    .map(str::to_owned);
                let state = follow.map(|cursor| (set(builder, cursor), seen));
                Ok((page, state))
            }
        },
    )
}

/// How [`numbered_pages`] reaches a page-numbered list's request builder `B` and its page
/// `P`, with page numbers of type `N`: what the generator writes per operation.
#[doc(hidden)]
pub struct NumberedList<B, P, N, S> {
    /// The page to start at: the builder's, or the first.
    pub first: N,
    /// The page size the request asks for, when it sets one that fits a `usize`: a page with
    /// fewer items is the last.
    pub page_size: Option<usize>,
    /// The builder with its page number set.
    pub set: fn(B, N) -> B,
    /// The number after `N`, or `None` past the type's last one.
    pub succ: fn(N) -> Option<N>,
    /// How many items the page holds.
    pub count: fn(&P) -> usize,
    /// Sends the builder and decodes its page.
    pub send: S,
}

/// Streams every page of a page-numbered list (used by generated code, through
/// [`codegen`](crate::codegen)), starting at `first`.
///
/// Page n+1 follows a full page n; the first empty page, a page shorter than the requested
/// size, or the last representable page number ends the list. The stream ends after
/// [`MAX_PAGES`] pages, and after yielding an error.
#[doc(hidden)]
pub fn numbered_pages<B, P, N, E, S, Fut>(builder: B, list: NumberedList<B, P, N, S>) -> Pages<P, E>
where
    B: Clone + Send + 'static,
    N: Copy + Send + 'static,
    S: Fn(B) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P, E>> + Send + 'static,
    P: Send + 'static,
    E: Send + 'static,
{
    let NumberedList {
        first,
        page_size,
        set,
        succ,
        count,
        send,
    } = list;
    paginate((builder, first), move |(builder, number)| {
        let page = send(set(builder.clone(), number));
        async move {
            let page = page.await?;
            let items = count(&page);
            let full = page_size.is_none_or(|size| items >= size);
            let state = if items == 0 || !full {
                None
            } else {
                succ(number).map(|next| (builder, next))
            };
            Ok((page, state))
        }
    })
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
        // One more than allowed, so a missing bound fails here instead of looping.
        .take(MAX_PAGES + 1)
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

    /// A cursor list's page: how many items it holds and its next cursor.
    #[derive(Debug, PartialEq)]
    struct Page {
        items: usize,
        next: Option<String>,
    }

    fn page(items: usize, next: Option<&str>) -> Result<Page, &'static str> {
        let next = next.map(str::to_owned);
        Ok(Page { items, next })
    }

    type Server = Arc<dyn Fn(Option<&str>) -> Result<Page, &'static str> + Send + Sync>;

    /// A request builder as generated code holds one: its cursor and what sends it.
    #[derive(Clone)]
    struct Request {
        cursor: Option<String>,
        server: Server,
        sent: Arc<std::sync::Mutex<Vec<Option<String>>>>,
    }

    /// Every page of the cursor list that `server` answers, starting at `start`, and the
    /// cursor each request carried.
    async fn cursor_list(
        start: Option<&str>,
        server: impl Fn(Option<&str>) -> Result<Page, &'static str> + Send + Sync + 'static,
    ) -> (Vec<Result<Page, &'static str>>, Vec<Option<String>>) {
        let sent = Arc::default();
        let request = Request {
            cursor: start.map(str::to_owned),
            server: Arc::new(server),
            sent: Arc::clone(&sent),
        };
        let pages = cursor_pages(
            request,
            CursorList {
                current: |r: &Request| r.cursor.as_deref(),
                set: |r, cursor| Request {
                    cursor: Some(cursor),
                    ..r
                },
                count: |p: &Page| p.items,
                next: |p: &Page| p.next.as_deref(),
                send: |r: Request| async move {
                    r.sent.lock().map(|mut s| s.push(r.cursor.clone())).ok();
                    (r.server)(r.cursor.as_deref())
                },
            },
        )
        // A list that never stops fails the test instead of hanging it.
        .take(MAX_PAGES + 1)
        .collect()
        .await;
        let sent = sent.lock().map(|s| s.clone()).unwrap_or_default();
        (pages, sent)
    }

    fn cursors(sent: &[&str]) -> Vec<Option<String>> {
        sent.iter()
            .map(|c| (!c.is_empty()).then(|| (*c).to_owned()))
            .collect()
    }

    #[tokio::test]
    async fn cursor_lists_follow_the_next_cursor_until_it_is_missing() {
        let (pages, sent) = cursor_list(None, |cursor| match cursor {
            None => page(2, Some("a")),
            Some("a") => page(1, Some("b")),
            _ => page(1, None),
        })
        .await;
        assert_eq!(
            pages,
            vec![page(2, Some("a")), page(1, Some("b")), page(1, None)]
        );
        assert_eq!(sent, cursors(&["", "a", "b"]));
    }

    #[tokio::test]
    async fn cursor_lists_start_at_the_builder_s_cursor() {
        let (pages, sent) = cursor_list(Some("s"), |cursor| match cursor {
            Some("s") => page(1, Some("t")),
            _ => page(1, None),
        })
        .await;
        assert_eq!(pages, vec![page(1, Some("t")), page(1, None)]);
        assert_eq!(sent, cursors(&["s", "t"]));
    }

    #[tokio::test]
    async fn cursor_lists_stop_after_an_empty_cursor() {
        let (pages, sent) = cursor_list(None, |_| page(1, Some(""))).await;
        assert_eq!(pages, vec![page(1, Some(""))]);
        assert_eq!(sent, cursors(&[""]));
    }

    #[tokio::test]
    async fn cursor_lists_stop_after_an_empty_page_even_with_a_cursor() {
        let (pages, sent) = cursor_list(None, |cursor| match cursor {
            None => page(1, Some("a")),
            Some("a") => page(0, Some("b")),
            _ => page(1, None),
        })
        .await;
        assert_eq!(pages, vec![page(1, Some("a")), page(0, Some("b"))]);
        assert_eq!(sent, cursors(&["", "a"]));
    }

    #[tokio::test]
    async fn cursor_lists_stop_at_a_cursor_already_followed() {
        let (pages, sent) = cursor_list(None, |cursor| match cursor {
            None => page(1, Some("a")),
            Some("a") => page(1, Some("b")),
            _ => page(1, Some("a")),
        })
        .await;
        assert_eq!(pages.len(), 3, "{pages:?}");
        assert_eq!(sent, cursors(&["", "a", "b"]));
    }

    #[tokio::test]
    async fn the_starting_cursor_counts_as_seen() {
        // Straight back to the start, and back to the start after a detour.
        let (pages, sent) = cursor_list(Some("s"), |_| page(1, Some("s"))).await;
        assert_eq!(pages, vec![page(1, Some("s"))]);
        assert_eq!(sent, cursors(&["s"]));
        let (pages, sent) = cursor_list(Some("s"), |cursor| match cursor {
            Some("s") => page(1, Some("t")),
            _ => page(1, Some("s")),
        })
        .await;
        assert_eq!(pages.len(), 2, "{pages:?}");
        assert_eq!(sent, cursors(&["s", "t"]));
    }

    #[tokio::test]
    async fn an_error_ends_a_cursor_list_after_it_is_yielded() {
        let (pages, sent) = cursor_list(None, |cursor| match cursor {
            None => page(1, Some("a")),
            Some("a") => Err("boom"),
            _ => page(1, None),
        })
        .await;
        assert_eq!(pages, vec![page(1, Some("a")), Err("boom")]);
        assert_eq!(sent, cursors(&["", "a"]));
    }

    #[tokio::test]
    async fn cursor_lists_are_bounded_by_max_pages() {
        let (pages, sent) = cursor_list(None, |cursor| {
            // Each page's cursor is new: the number after the last.
            let last: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
            page(1, Some(&(last + 1).to_string()))
        })
        .await;
        assert_eq!(pages.len(), MAX_PAGES);
        assert_eq!(sent.len(), MAX_PAGES);
    }

    /// A page-numbered request builder: its page number (an `i32`: its last one is
    /// reached in two pages) and what answers each number with an item count.
    #[derive(Clone)]
    struct Numbered {
        page: i32,
        server: Arc<dyn Fn(i32) -> Result<usize, &'static str> + Send + Sync>,
        sent: Arc<std::sync::Mutex<Vec<i32>>>,
    }

    /// Every page (its item count) of the numbered list `server` answers from `first`, with
    /// `page_size`, and the page number each request carried.
    async fn numbered_list(
        first: i32,
        page_size: Option<usize>,
        server: impl Fn(i32) -> Result<usize, &'static str> + Send + Sync + 'static,
    ) -> (Vec<Result<usize, &'static str>>, Vec<i32>) {
        let sent = Arc::default();
        let request = Numbered {
            page: 0,
            server: Arc::new(server),
            sent: Arc::clone(&sent),
        };
        let pages = numbered_pages(
            request,
            NumberedList {
                first,
                page_size,
                set: |r, page| Numbered { page, ..r },
                succ: |n: i32| n.checked_add(1),
                count: |items: &usize| *items,
                send: |r: Numbered| async move {
                    r.sent.lock().map(|mut s| s.push(r.page)).ok();
                    (r.server)(r.page)
                },
            },
        )
        .take(MAX_PAGES + 1)
        .collect()
        .await;
        let sent = sent.lock().map(|s| s.clone()).unwrap_or_default();
        (pages, sent)
    }

    #[tokio::test]
    async fn numbered_lists_stop_at_the_first_short_page() {
        let (pages, sent) = numbered_list(1, Some(3), |n| Ok(if n < 3 { 3 } else { 2 })).await;
        assert_eq!(pages, [Ok(3), Ok(3), Ok(2)]);
        assert_eq!(sent, [1, 2, 3]);
    }

    #[tokio::test]
    async fn a_page_as_full_as_asked_is_followed() {
        // Exactly the requested size is full; one more page is asked for.
        let (pages, sent) = numbered_list(5, Some(2), |n| Ok(if n < 7 { 2 } else { 0 })).await;
        assert_eq!(pages, [Ok(2), Ok(2), Ok(0)]);
        assert_eq!(sent, [5, 6, 7]);
    }

    #[tokio::test]
    async fn without_a_page_size_numbered_lists_stop_at_the_first_empty_page() {
        let (pages, sent) = numbered_list(1, None, |n| Ok(if n < 4 { 1 } else { 0 })).await;
        assert_eq!(pages, [Ok(1), Ok(1), Ok(1), Ok(0)]);
        assert_eq!(sent, [1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn an_empty_page_ends_a_numbered_list_whatever_the_size() {
        let (pages, sent) = numbered_list(1, Some(0), |_| Ok(0)).await;
        assert_eq!(pages, [Ok(0)]);
        assert_eq!(sent, [1]);
    }

    #[tokio::test]
    async fn the_last_page_number_ends_a_numbered_list() {
        let (pages, sent) = numbered_list(i32::MAX - 1, Some(1), |_| Ok(1)).await;
        assert_eq!(pages, [Ok(1), Ok(1)]);
        assert_eq!(sent, [i32::MAX - 1, i32::MAX]);
    }

    #[tokio::test]
    async fn an_error_ends_a_numbered_list_after_it_is_yielded() {
        let (pages, sent) =
            numbered_list(1, Some(1), |n| if n == 2 { Err("boom") } else { Ok(1) }).await;
        assert_eq!(pages, [Ok(1), Err("boom")]);
        assert_eq!(sent, [1, 2]);
    }

    #[tokio::test]
    async fn numbered_lists_are_bounded_by_max_pages() {
        let (pages, sent) = numbered_list(1, None, |_| Ok(1)).await;
        assert_eq!(pages.len(), MAX_PAGES);
        assert_eq!(sent.len(), MAX_PAGES);
    }

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn streams_are_send() {
        let pages = letters(&[&["a"]]);
        assert_send(&pages);
        assert_send(&pages.items(|p| p));
    }
}
