//! Webhook verification against signatures computed independently of the Rust code: by
//! Python's `hmac` and `base64` modules, run by the test, following the Standard Webhooks
//! scheme (HMAC-SHA256 of `id.timestamp.body`, base64, `v1,` prefix).

use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

use openai_client::types::WebhookEvent;
use openai_client::webhooks::{Webhook, WebhookError};

/// The secret's key is these 24 bytes; the secret is `whsec_` + base64 of them.
const KEY: &[u8] = b"test-webhook-signing-key";
const TIMESTAMP: u64 = 1_754_000_000;

/// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`, computed by Python.
fn python_signature(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> String {
    let script = "import base64, hashlib, hmac, sys\n\
                  key, id, ts, body = (bytes.fromhex(a) for a in sys.argv[1:5])\n\
                  mac = hmac.new(key, id + b'.' + ts + b'.' + body, hashlib.sha256).digest()\n\
                  print('v1,' + base64.b64encode(mac).decode())";
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let output = Command::new("python3")
        .args(["-c", script])
        .args([
            hex(key),
            hex(id.as_bytes()),
            hex(timestamp.as_bytes()),
            hex(body),
        ])
        .output()
        .expect("python3 runs (the test command installs it)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn python_secret(key: &[u8]) -> String {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let output = Command::new("python3")
        .args(["-c", "import base64, sys; print('whsec_' + base64.b64encode(bytes.fromhex(sys.argv[1])).decode())", &hex])
        .output()
        .expect("python3 runs");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

const BODY: &str = r#"{"id": "evt_685343a1381c819085d44c354e1b330e", "type": "response.completed", "created_at": 1750287018, "data": {"id": "resp_abc123"}, "object": "event"}"#;

fn at(seconds: u64) -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn a_genuine_delivery_verifies_and_decodes() {
    let webhook = Webhook::new(&python_secret(KEY)).unwrap();
    let id = "wh_685342e6c53c8190a1be43f081506c52";
    let ts = TIMESTAMP.to_string();
    let signature = python_signature(KEY, id, &ts, BODY.as_bytes());
    webhook
        .verify_at(id, &ts, &signature, BODY.as_bytes(), at(TIMESTAMP + 10))
        .unwrap();

    // Several signatures (a secret being rotated): any `v1` one may match; other
    // versions are ignored.
    let rotated = format!(
        "v1a,c29tZXRoaW5n v1,{} {signature}",
        python_signature(b"old key", id, &ts, BODY.as_bytes()).trim_start_matches("v1,")
    );
    webhook
        .verify_at(id, &ts, &rotated, BODY.as_bytes(), at(TIMESTAMP))
        .unwrap();

    // With the headers, decoded into the event union.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("webhook-id", id.parse().unwrap());
    headers.insert("webhook-timestamp", ts.parse().unwrap());
    headers.insert("webhook-signature", signature.parse().unwrap());
    let webhook = webhook.tolerance(Duration::from_secs(u64::MAX / 4));
    match webhook.unwrap(&headers, BODY.as_bytes()).unwrap() {
        WebhookEvent::ResponseCompleted(event) => {
            assert_eq!(event.id, "evt_685343a1381c819085d44c354e1b330e");
            assert_eq!(event.data.id, "resp_abc123");
        }
        other => panic!("decoded as {other:?}"),
    }
}

#[test]
fn forged_stale_and_malformed_deliveries_are_refused() {
    let webhook = Webhook::new(&python_secret(KEY)).unwrap();
    let id = "wh_1";
    let ts = TIMESTAMP.to_string();
    let signature = python_signature(KEY, id, &ts, BODY.as_bytes());
    let now = at(TIMESTAMP);
    let check = |id: &str, ts: &str, sig: &str, body: &str, now| {
        webhook.verify_at(id, ts, sig, body.as_bytes(), now)
    };

    // A changed body, id or timestamp, or another key.
    let tampered = BODY.replace("resp_abc123", "resp_evil");
    for (id, ts, body) in [(id, ts.as_str(), tampered.as_str()), ("wh_2", &ts, BODY)] {
        assert!(matches!(
            check(id, ts, &signature, body, now),
            Err(WebhookError::InvalidSignature)
        ));
    }
    let later = (TIMESTAMP + 1).to_string();
    assert!(matches!(
        check(id, &later, &signature, BODY, now),
        Err(WebhookError::InvalidSignature)
    ));
    let other_key = python_signature(b"another key", id, &ts, BODY.as_bytes());
    assert!(matches!(
        check(id, &ts, &other_key, BODY, now),
        Err(WebhookError::InvalidSignature)
    ));
    // No `v1,` entry, or one that is not base64.
    for bad in [
        "",
        "v2,abc",
        "v1,not base64!",
        signature.trim_start_matches("v1,"),
    ] {
        assert!(
            matches!(
                check(id, &ts, bad, BODY, now),
                Err(WebhookError::InvalidSignature)
            ),
            "{bad}"
        );
    }

    // Outside the tolerance (5 minutes by default), either way.
    assert!(check(id, &ts, &signature, BODY, at(TIMESTAMP + 300)).is_ok());
    for now in [at(TIMESTAMP + 301), at(TIMESTAMP - 301)] {
        assert!(matches!(
            check(id, &ts, &signature, BODY, now),
            Err(WebhookError::TimestampOutOfRange { .. })
        ));
    }
    let strict = Webhook::new(&python_secret(KEY))
        .unwrap()
        .tolerance(Duration::from_secs(5));
    assert!(
        strict
            .verify_at(id, &ts, &signature, BODY.as_bytes(), at(TIMESTAMP + 6))
            .is_err()
    );
    assert!(matches!(
        check(id, "yesterday", &signature, BODY, now),
        Err(WebhookError::InvalidTimestamp(_))
    ));

    // Missing headers and bad secrets are their own errors.
    let headers = reqwest::header::HeaderMap::new();
    let err = webhook.unwrap(&headers, BODY.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "missing `webhook-id` header");
    assert!(matches!(
        Webhook::new("whsec_!!!"),
        Err(WebhookError::InvalidSecret(_))
    ));
    assert!(matches!(
        Webhook::new("whsec_"),
        Err(WebhookError::InvalidSecret(_))
    ));
    assert!(
        !format!("{webhook:?}").contains("dGVzd"),
        "the key stays out of Debug"
    );
}

#[test]
fn a_signed_body_that_is_not_an_event_is_a_decode_error() {
    let webhook = Webhook::new(&python_secret(KEY))
        .unwrap()
        .tolerance(Duration::from_secs(u64::MAX / 4));
    let body = b"<html>not JSON</html>";
    let ts = TIMESTAMP.to_string();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("webhook-id", "wh_1".parse().unwrap());
    headers.insert("webhook-timestamp", ts.parse().unwrap());
    headers.insert(
        "webhook-signature",
        python_signature(KEY, "wh_1", &ts, body).parse().unwrap(),
    );
    let decoded = webhook.unwrap(&headers, body);
    assert!(
        matches!(decoded, Err(WebhookError::Decode(_))),
        "{decoded:?}"
    );
    // An unknown `type` is kept, not refused: the API adds events.
    let unknown = br#"{"type": "batch.paused", "id": "evt_1"}"#;
    headers.insert(
        "webhook-signature",
        python_signature(KEY, "wh_1", &ts, unknown).parse().unwrap(),
    );
    assert!(matches!(
        webhook.unwrap(&headers, unknown),
        Ok(WebhookEvent::Unknown(_))
    ));
}

/// The union the configuration's overlay adds names every webhook the spec declares.
#[test]
fn the_event_union_covers_every_webhook_of_the_spec() {
    let spec =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/openai.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let start = text.find("\nwebhooks:\n").expect("the spec has webhooks") + 1;
    let block: String = text[start..]
        .lines()
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .collect::<Vec<_>>()
        .join("\n");
    let mut declared: Vec<&str> = block
        .split("#/components/schemas/")
        .skip(1)
        .map(|rest| rest.split(['"', '\'', '\n']).next().unwrap())
        .collect();
    declared.sort();
    declared.dedup();
    assert_eq!(declared.len(), 16, "{declared:?}");
    let api =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("api.md"))
            .unwrap();
    let union = api
        .split("### tagged WebhookEvent by \"type\"")
        .nth(1)
        .expect("the union is generated");
    let union = union.split("\n### ").next().unwrap();
    for schema in declared {
        assert!(
            union.contains(&format!("({schema})")),
            "WebhookEvent lacks {schema}"
        );
    }
}
