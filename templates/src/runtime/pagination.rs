//! Cursor pagination: `{"data": [...], "has_more": bool, "first_id", "last_id"}`
//! pages, the next page requested with `after=<cursor>`, and a stream of every item
//! across pages.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::runtime::client::{Call, Client};
use crate::runtime::drift::{Conformance, Drift};
use crate::runtime::error::Result;
use crate::runtime::request::Request;
use crate::runtime::response::{Format, ReceivedBody, ResponseParts, decode_json};

/// How an item of a list names itself as a cursor. Generated item types with an `id`
/// implement it with `Some(&self.id)`; the default (`None`) makes the page fall back
/// to its `last_id`.
pub trait CursorItem {
    /// The item's id, used as `after` when it is the last item of a page.
    fn cursor_id(&self) -> Option<&str> {
        None
    }
}

impl CursorItem for serde_json::Value {
    fn cursor_id(&self) -> Option<&str> {
        self.get("id").and_then(serde_json::Value::as_str)
    }
}

/// The name of the cursor query parameter.
pub const AFTER: &str = "after";

/// One page of a cursor-paginated list.
pub struct CursorPage<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Whether the server has more items after this page.
    pub has_more: bool,
    /// The id of the first item, when the server sends it.
    pub first_id: Option<String>,
    /// The id of the last item, when the server sends it.
    pub last_id: Option<String>,
    /// The page's other fields (`object: "list"`, and whatever else the server sends).
    pub extra_fields: serde_json::Map<String, serde_json::Value>,
    client: Client,
    request: Request,
}

impl<T: std::fmt::Debug> std::fmt::Debug for CursorPage<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CursorPage")
            .field("data", &self.data)
            .field("has_more", &self.has_more)
            .field("first_id", &self.first_id)
            .field("last_id", &self.last_id)
            .field("extra_fields", &self.extra_fields)
            .finish_non_exhaustive()
    }
}

/// A page as received: the four fields pagination reads, and every other one kept.
struct PageBody<T> {
    data: Vec<T>,
    has_more: bool,
    first_id: Option<String>,
    last_id: Option<String>,
    extra: serde_json::Map<String, serde_json::Value>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PageBody<T> {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_map(PageVisitor(PhantomData))
    }
}

struct PageVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for PageVisitor<T> {
    type Value = PageBody<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a page object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<PageBody<T>, A::Error> {
        let mut page = PageBody {
            data: Vec::new(),
            has_more: false,
            first_id: None,
            last_id: None,
            extra: serde_json::Map::new(),
        };
        while let Some(key) = map.next_key::<crate::runtime::model::Key<'de>>()? {
            match key.as_str() {
                "data" => page.data = map.next_value::<Option<Vec<T>>>()?.unwrap_or_default(),
                "has_more" => page.has_more = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "first_id" => page.first_id = map.next_value()?,
                "last_id" => page.last_id = map.next_value()?,
                _ => {
                    let value = map.next_value()?;
                    page.extra.insert(key.into_string(), value);
                }
            }
        }
        Ok(page)
    }
}

impl<T: Conformance> Conformance for PageBody<T> {
    fn collect_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        crate::runtime::drift::visit(&self.data, path, "data", out);
    }
}

impl<T: CursorItem + DeserializeOwned + Conformance + Send + 'static> CursorPage<T> {
    /// The cursor of the next page: the last item's id, else `last_id`; `None` when
    /// there are no more items (or the server gave no cursor, or the same one again).
    pub fn next_cursor(&self) -> Option<&str> {
        if !self.has_more {
            return None;
        }
        let cursor = self
            .data
            .last()
            .and_then(CursorItem::cursor_id)
            .or(self.last_id.as_deref())?;
        (self.request.query_value(AFTER) != Some(cursor)).then_some(cursor)
    }

    /// Whether there is a next page.
    pub fn has_next_page(&self) -> bool {
        self.next_cursor().is_some()
    }

    /// The request for the next page: this page's request with `after` replaced.
    pub fn next_page_request(&self) -> Option<Request> {
        let cursor = self.next_cursor()?;
        let mut request = self.request.clone();
        request.set_query(AFTER, cursor);
        Some(request)
    }

    /// Fetches the next page, or `None` after the last.
    pub async fn next_page(&self) -> Result<Option<CursorPage<T>>> {
        match self.next_page_request() {
            Some(request) => self.client.call::<Page<T>>(request).send().await.map(Some),
            None => Ok(None),
        }
    }

    /// A stream of this page's items and then every later page's.
    pub fn into_stream(self) -> ItemStream<T> {
        let next = self
            .next_page_request()
            .map(|request| (self.client.clone(), request));
        ItemStream {
            items: self.data.into_iter(),
            next,
            pending: None,
        }
    }
}

/// A cursor-paginated JSON body: the format of generated list methods, whose call
/// yields a [`CursorPage<T>`].
pub struct Page<T>(PhantomData<fn() -> T>);

impl<T: CursorItem + DeserializeOwned + Conformance + Send + 'static> Format for Page<T> {
    type Output = CursorPage<T>;

    fn finish(
        parts: &ResponseParts,
        body: ReceivedBody,
        client: &Client,
        request: Request,
    ) -> Result<CursorPage<T>> {
        let body: PageBody<T> = decode_json(body.into_full()?, parts, client, &request)?;
        Ok(CursorPage {
            data: body.data,
            has_more: body.has_more,
            first_id: body.first_id,
            last_id: body.last_id,
            extra_fields: body.extra,
            client: client.clone(),
            request,
        })
    }
}

impl<T: CursorItem + DeserializeOwned + Conformance + Send + 'static> Call<Page<T>> {
    /// A stream of every item of every page, starting with this request's page.
    pub fn into_stream(self) -> ItemStream<T> {
        let (client, request) = self.into_parts();
        ItemStream {
            items: Vec::new().into_iter(),
            next: Some((client, request)),
            pending: None,
        }
    }
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<CursorPage<T>>> + Send>>;

/// Every item across pages: `impl Stream<Item = Result<T, Error>>`. Pages are
/// fetched one at a time, when the previous page's items are used up; an error
/// ends the stream.
pub struct ItemStream<T> {
    items: std::vec::IntoIter<T>,
    next: Option<(Client, Request)>,
    pending: Option<PageFuture<T>>,
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("buffered", &self.items.len())
            .field("fetching", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: CursorItem + DeserializeOwned + Conformance + Send + 'static> ItemStream<T> {
    /// The next item, without needing a `StreamExt` import.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads every remaining item.
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T: CursorItem + DeserializeOwned + Conformance + Send + 'static> Stream for ItemStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(pending) = this.pending.as_mut() {
                let page = match pending.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(page) => page,
                };
                this.pending = None;
                match page {
                    Ok(page) => {
                        this.next = page
                            .next_page_request()
                            .map(|request| (page.client.clone(), request));
                        this.items = page.data.into_iter();
                        continue;
                    }
                    Err(e) => {
                        this.next = None;
                        return Poll::Ready(Some(Err(e)));
                    }
                }
            }
            match this.next.take() {
                Some((client, request)) => {
                    this.pending = Some(Box::pin(async move {
                        client.call::<Page<T>>(request).send().await
                    }));
                }
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<T> Unpin for ItemStream<T> {}
