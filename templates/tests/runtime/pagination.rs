//! Cursor pages and the stream of items across them.

use client_runtime::runtime::{CursorItem, Page, Request};
use serde::Deserialize;
use serde_json::json;

use crate::support::{Reply, TestServer, client};

#[derive(Debug, Deserialize, PartialEq)]
struct Model {
    id: String,
}

impl CursorItem for Model {
    fn cursor_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

/// An item with no id: pages fall back to `last_id`.
#[derive(Debug, Deserialize, PartialEq)]
struct Event {
    seq: u32,
}

impl CursorItem for Event {}

fn page(ids: &[&str], has_more: bool) -> Reply {
    let data: Vec<_> = ids
        .iter()
        .map(|id| json!({"id": id, "object": "model"}))
        .collect();
    Reply::json(
        200,
        json!({"object": "list", "data": data, "has_more": has_more, "first_id": ids.first(), "last_id": ids.last()}),
    )
}

fn list() -> Request {
    Request::get("/models")
        .query_param("limit", &2)
        .query_param("order", &"asc")
}

#[tokio::test]
async fn into_stream_walks_three_pages() {
    let server = TestServer::start(vec![
        page(&["a", "b"], true),
        page(&["c", "d"], true),
        page(&["e"], false),
    ])
    .await;
    let items = client(&server)
        .call::<Page<Model>>(list())
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<&str> = items.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let query = |i: usize| {
        requests[i]
            .query()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    };
    assert_eq!(query(0), "limit=2&order=asc");
    assert_eq!(query(1), "limit=2&order=asc&after=b");
    assert_eq!(query(2), "limit=2&order=asc&after=d");
}

#[tokio::test]
async fn next_page_by_hand_and_from_a_page() {
    let server = TestServer::start(vec![
        page(&["a", "b"], true),
        page(&["c"], false),
        page(&["c"], false),
    ])
    .await;
    let client = client(&server);
    let first = client.call::<Page<Model>>(list()).await.unwrap();
    assert_eq!(
        (
            first.has_more,
            first.first_id.as_deref(),
            first.last_id.as_deref()
        ),
        (true, Some("a"), Some("b"))
    );
    assert_eq!(first.next_cursor(), Some("b"));
    let second = first.next_page().await.unwrap().unwrap();
    assert_eq!(second.data, vec![Model { id: "c".into() }]);
    assert!(!second.has_next_page());
    assert!(second.next_page().await.unwrap().is_none());

    // A page already in hand streams its own items, then the rest.
    let items = first.into_stream().collect_all().await.unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn items_without_ids_use_last_id() {
    let server = TestServer::start(vec![
        Reply::json(
            200,
            json!({"data": [{"seq": 1}, {"seq": 2}], "has_more": true, "last_id": "evt_2"}),
        ),
        Reply::json(200, json!({"data": [{"seq": 3}], "has_more": false})),
    ])
    .await;
    let items = client(&server)
        .call::<Page<Event>>(Request::get("/events"))
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        items,
        vec![Event { seq: 1 }, Event { seq: 2 }, Event { seq: 3 }]
    );
    assert_eq!(
        server.requests()[1].query(),
        vec![("after".to_string(), "evt_2".to_string())]
    );
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_an_error() {
    let server = TestServer::start(vec![
        page(&["a"], true),
        Reply::json(404, json!({"error": {"message": "gone"}})),
    ])
    .await;
    let mut stream = client(&server).call::<Page<Model>>(list()).into_stream();
    assert_eq!(stream.next().await.unwrap().unwrap().id, "a");
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_repeated_cursor_stops_instead_of_looping() {
    let server = TestServer::start(vec![
        page(&["a"], true),
        page(&["a"], true),
        page(&["a"], true),
    ])
    .await;
    let items = client(&server)
        .call::<Page<Model>>(list())
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(server.requests().len(), 2);
}

impl client_runtime::runtime::Conformance for Model {}
impl client_runtime::runtime::Conformance for Event {}
