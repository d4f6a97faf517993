//! When to retry and how long to wait: exponential backoff with jitter, and the
//! server's `retry-after-ms`, `retry-after` and `x-should-retry` headers.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How many times to retry and how long to wait between attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// The wait before the first retry, doubled for each further one (default 0.5 s).
    pub initial_backoff: Duration,
    /// The longest computed wait (default 8 s).
    pub max_backoff: Duration,
    /// The longest server-requested wait honoured; longer requests fall back to backoff (default 60 s).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy with another retry count.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The default policy with other backoff bounds.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// How long to wait before retry number `retries_done + 1`: the server's
    /// `retry-after-ms` or `retry-after` when present and within `max_retry_after`,
    /// else `initial_backoff * 2^retries_done` capped at `max_backoff`, less up to 25 % jitter.
    pub fn delay(&self, retries_done: u32, headers: Option<&HeaderMap>) -> Duration {
        let requested = headers.and_then(|h| retry_after(h, SystemTime::now()));
        if let Some(wait) = requested.filter(|w| !w.is_zero() && *w <= self.max_retry_after) {
            return wait;
        }
        let factor = 2f64.powi(retries_done.min(30) as i32);
        let backoff = self.initial_backoff.as_secs_f64() * factor;
        let capped = backoff.min(self.max_backoff.as_secs_f64());
        Duration::try_from_secs_f64(capped * (1.0 - 0.25 * jitter())).unwrap_or(self.max_backoff)
    }
}

/// Whether a response with this status and these headers should be retried:
/// `x-should-retry: true|false` decides when present; otherwise 408, 409, 429 and 5xx.
pub fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers
        .get("x-should-retry")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
    {
        Some(v) if v.eq_ignore_ascii_case("true") => return true,
        Some(v) if v.eq_ignore_ascii_case("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// The wait the server asked for: `retry-after-ms` (milliseconds), else `retry-after`
/// (seconds, or an HTTP-date measured from `now`).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return Duration::try_from_secs_f64(ms / 1000.0).ok();
    }
    let value = header("retry-after")?;
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let date = parse_http_date(value)?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses an HTTP-date in any of the three forms RFC 9110 requires a recipient to accept:
/// `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT`, `Sun Nov  6 08:49:37 1994`.
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let (day, month, year, time) = match parts.as_slice() {
        // IMF-fixdate.
        [_, day, month, year, time, "GMT"] => (
            day.parse().ok()?,
            month_number(month)?,
            year.parse().ok()?,
            *time,
        ),
        // RFC 850: two-digit year, read as 19xx/20xx around 70.
        [_, date, time, "GMT"] => {
            let mut fields = date.split('-');
            let day = fields.next()?.parse().ok()?;
            let month = month_number(fields.next()?)?;
            let year: i64 = fields.next()?.parse().ok()?;
            let year = if year < 70 {
                2000 + year
            } else if year < 100 {
                1900 + year
            } else {
                year
            };
            (day, month, year, *time)
        }
        // asctime.
        [_, month, day, time, year] => (
            day.parse().ok()?,
            month_number(month)?,
            year.parse().ok()?,
            *time,
        ),
        _ => return None,
    };
    let mut clock = time.split(':').map(|n| n.parse::<i64>().ok());
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    if !(1..=31).contains(&day)
        || !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0..=60).contains(&s)
    {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s;
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map(|i| i as i64 + 1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A number in `[0, 1)` that differs between calls: std's `RandomState` seeds every
/// new hasher differently, which is all the randomness backoff jitter needs.
pub fn jitter() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// 128 random bits as hex, for multipart boundaries and idempotency keys.
pub fn random_hex() -> String {
    let mut out = String::with_capacity(32);
    for _ in 0..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )]
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn retryable_statuses_and_override() {
        let none = HeaderMap::new();
        for status in [408, 409, 429, 500, 502, 503, 504] {
            assert!(
                should_retry(StatusCode::from_u16(status).unwrap(), &none),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 422] {
            assert!(
                !should_retry(StatusCode::from_u16(status).unwrap(), &none),
                "{status}"
            );
        }
        assert!(!should_retry(
            StatusCode::INTERNAL_SERVER_ERROR,
            &headers(&[("x-should-retry", "false")])
        ));
        assert!(should_retry(
            StatusCode::BAD_REQUEST,
            &headers(&[("x-should-retry", "true")])
        ));
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "10")]), now),
            Some(Duration::from_millis(10))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after-ms", "1.5"), ("retry-after", "9")]),
                now
            ),
            Some(Duration::from_micros(1500))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "3")]), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:47 GMT")]),
                now
            ),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after", "Sunday, 06-Nov-94 08:49:39 GMT")]),
                now
            ),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after", "Sun Nov  6 08:49:38 1994")]),
                now
            ),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]),
                now
            ),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "-5")]), now),
            None
        );
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(UNIX_EPOCH)
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 12:00:00 GMT"),
            Some(UNIX_EPOCH + Duration::from_secs(951_825_600))
        );
        assert_eq!(parse_http_date("Tue, 29 Feb 2000 25:00:00 GMT"), None);
        assert_eq!(parse_http_date("Tue, 29 Foo 2000 12:00:00 GMT"), None);
        assert_eq!(parse_http_date(""), None);
    }

    #[test]
    fn backoff_grows_caps_and_jitters() {
        let policy = RetryPolicy::default();
        for retries in 0..10 {
            let d = policy.delay(retries, None).as_secs_f64();
            let full = (0.5 * 2f64.powi(retries as i32)).min(8.0);
            assert!(d <= full && d >= full * 0.75, "{retries}: {d}");
        }
        // Server waits within the cap win; beyond it, backoff is used.
        assert_eq!(
            policy.delay(0, Some(&headers(&[("retry-after", "5")]))),
            Duration::from_secs(5)
        );
        assert!(
            policy.delay(0, Some(&headers(&[("retry-after", "600")])))
                <= Duration::from_millis(500)
        );
        let samples: std::collections::HashSet<u64> = (0..20).map(|_| jitter().to_bits()).collect();
        assert!(samples.len() > 1);
        assert!((0..1000).map(|_| jitter()).all(|j| (0.0..1.0).contains(&j)));
        assert_ne!(random_hex(), random_hex());
        assert_eq!(random_hex().len(), 32);
    }
}
