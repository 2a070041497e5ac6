//! Calendar dates ([`Date`]) and lenient timestamps ([`DateTime`]).
//!
//! No date-time library is pulled in: the API only needs `YYYY-MM-DD` dates (query filters,
//! billing days) and RFC 3339 timestamps that are shown to users, and a calendar date has no
//! time zone, so it cannot drift by a day the way a `Date` at local midnight does in the TS SDK.
//!
//! Both convert to and from [`std::time::SystemTime`] and, behind the optional features `time`
//! and `chrono`, to and from those crates' types; see [`DateConversionError`] for the rules.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::query::{QueryPairs, QueryValue};

#[cfg(feature = "chrono")]
mod chrono_crate;
mod convert;
#[cfg(feature = "time")]
mod time_crate;

pub use convert::DateConversionError;

/// A calendar date (`format: date`), written `YYYY-MM-DD`. Always valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order gives the derived `Ord` chronological order.
    year: u16,
    month: u8,
    day: u8,
}

/// The text given to [`Date::from_str`] is not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {input:?}: expected YYYY-MM-DD")]
pub struct ParseDateError {
    input: String,
}

impl Date {
    /// Builds a date, or `None` when it does not exist (month 13, 30 February, year > 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year > 9999 || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(i64::from(year), month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year (0..=9999).
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month (1..=12).
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month (1..=31).
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    pub(crate) fn unix_days(self) -> Option<i64> {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }

    /// The date `days` days after 1970-01-01, or `None` outside the years 0000 to 9999.
    pub(crate) fn from_unix_days(days: i64) -> Option<Date> {
        // 0000-01-01 and 9999-12-31.
        if !(-719_528..=2_932_896).contains(&days) {
            return None;
        }
        let (year, month, day) = civil_from_days(days);
        Date::new(u16::try_from(year).ok()?, month, day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDateError {
            input: s.to_owned(),
        };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let year = digits(&b[0..4]).ok_or_else(err)?;
        let month = digits(&b[5..7]).ok_or_else(err)?;
        let day = digits(&b[8..10]).ok_or_else(err)?;
        let (Ok(year), Ok(month), Ok(day)) =
            (u16::try_from(year), u8::try_from(month), u8::try_from(day))
        else {
            return Err(err());
        };
        Date::new(year, month, day).ok_or_else(err)
    }
}

impl TryFrom<&str> for Date {
    type Error = ParseDateError;

    /// Parses `YYYY-MM-DD`, like [`str::parse`].
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date string YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

impl QueryValue for Date {
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        out.push(name, &self.to_string());
    }
}

/// A timestamp as the server sent it, usually RFC 3339 (`2024-05-01T10:20:30Z`).
///
/// Decoding never fails on the text: one odd timestamp must not make a whole list of users
/// undecodable. The original string is kept ([`DateTime::as_str`]) and interpreted on demand
/// ([`DateTime::unix_seconds`]). A JSON integer is accepted too and read as Unix seconds, which
/// is how the permissions API sends its `created_at`.
///
/// The permissions API's (v2) `created_at` / `updated_at` are integer Unix seconds (`i64`);
/// [`DateTime::from_unix_seconds`] turns such a value into an RFC 3339 UTC timestamp
/// (`1719391215` -> `2024-06-26T08:40:15Z`), and [`DateTime::unix_seconds`] turns it back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateTime(String);

impl DateTime {
    /// Wraps a timestamp string as is.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The RFC 3339 UTC timestamp of `secs` seconds since the Unix epoch, written
    /// `YYYY-MM-DDTHH:MM:SSZ` (`1719391215` -> `2024-06-26T08:40:15Z`), or `None` outside the
    /// years 0000 to 9999, which RFC 3339 cannot write. [`DateTime::unix_seconds`] gives `secs`
    /// back.
    ///
    /// ```
    /// use cld_provisioning_runtime::DateTime;
    ///
    /// let created = DateTime::from_unix_seconds(1_719_391_215).unwrap();
    /// assert_eq!(created.as_str(), "2024-06-26T08:40:15Z");
    /// assert_eq!(created.unix_seconds(), Some(1_719_391_215));
    /// assert_eq!(DateTime::from_unix_seconds(i64::MAX), None);
    /// ```
    pub fn from_unix_seconds(secs: i64) -> Option<DateTime> {
        Self::from_unix_parts(secs, 0)
    }

    /// Like [`DateTime::from_unix_seconds`], with `nanos` (below one second) written as a
    /// fraction without trailing zeros (`.5`, `.123456789`); none when `nanos` is 0.
    pub(crate) fn from_unix_parts(secs: i64, nanos: u32) -> Option<DateTime> {
        // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
        const MIN: i64 = -62_167_219_200;
        const MAX: i64 = 253_402_300_799;
        if !(MIN..=MAX).contains(&secs) || nanos >= 1_000_000_000 {
            return None;
        }
        let (days, time) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        let fraction = if nanos == 0 {
            String::new()
        } else {
            let digits = format!(".{nanos:09}");
            digits.trim_end_matches('0').to_owned()
        };
        Some(DateTime(format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{fraction}Z",
            time / 3600,
            time % 3600 / 60,
            time % 60
        )))
    }

    /// The timestamp exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Seconds since the Unix epoch, or `None` when the text is not an RFC 3339 timestamp
    /// (lenient: `t`/space separator, lower-case `z`, `+HHMM` offsets, a missing offset taken as
    /// UTC, any fraction digits) or a plain integer number of seconds.
    pub fn unix_seconds(&self) -> Option<i64> {
        self.unix_parts().map(|(secs, _)| secs)
    }

    /// Seconds since the Unix epoch and the nanoseconds of the fraction (its first nine
    /// digits), read as [`DateTime::unix_seconds`] reads the text.
    pub(crate) fn unix_parts(&self) -> Option<(i64, u32)> {
        parse_rfc3339(self.0.trim())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for DateTime {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for DateTime {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateTimeVisitor;
        impl Visitor<'_> for DateTimeVisitor {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp string or integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                Ok(DateTime(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<DateTime, E> {
                Ok(DateTime(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                Ok(DateTime(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                Ok(DateTime(v.to_string()))
            }
        }
        deserializer.deserialize_any(DateTimeVisitor)
    }
}

impl QueryValue for DateTime {
    /// Sent as the original text.
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        out.push(name, &self.0);
    }
}

/// Parses ASCII decimal digits; `None` on anything else or an empty slice.
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`),
/// or `None` when the result does not fit an `i64` (a year near `i64::MAX`).
pub(crate) fn days_from_civil(year: i64, month: u8, day: u8) -> Option<i64> {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year.checked_sub(1)? } else { year };
    let era = y.div_euclid(400);
    // `rem_euclid`, not `y - era * 400`: that product overflows for years near `i64::MIN`.
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.checked_mul(146_097)?.checked_add(doe - 719_468)
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`). The caller bounds `days` (to years 0000..=9999), so nothing overflows.
pub(crate) fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // `month` is 1..=12 and `day` 1..=31 by construction.
    (year, month as u8, day as u8)
}

/// Unix seconds of a UTC date and time, or `None` when they do not fit an `i64`. Every step is
/// checked: the year can come from a server (`Retry-After: Sun, 06 Nov 1000000000000 ...`).
pub(crate) fn unix_from_parts(
    year: i64,
    month: u8,
    day: u8,
    h: u32,
    m: u32,
    s: u32,
) -> Option<i64> {
    let time = i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s);
    days_from_civil(year, month, day)?
        .checked_mul(86_400)?
        .checked_add(time)
}

/// Unix seconds and the fraction's nanoseconds of an RFC 3339 timestamp or integer seconds.
fn parse_rfc3339(s: &str) -> Option<(i64, u32)> {
    if let Ok(n) = s.parse::<i64>() {
        return Some((n, 0));
    }
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let date: Date = s.get(..10)?.parse().ok()?;
    let (h, mi, sec) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    // 60 is a leap second; it is folded into the next minute like most parsers do.
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos = 0;
    if let Some((b'.', frac)) = rest.split_first() {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        nanos = fraction_nanos(&frac[..n]);
        rest = &frac[n..];
    }
    let offset = match rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2]
        | [sign @ (b'+' | b'-'), oh1, oh2, om1, om2] => {
            let (oh, om) = (digits(&[*oh1, *oh2])?, digits(&[*om1, *om2])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    let local = unix_from_parts(i64::from(date.year), date.month, date.day, h, mi, sec)?;
    Some((local.checked_sub(offset)?, nanos))
}

/// Nanoseconds of a fraction's ASCII digits: the first nine count, the rest are below one
/// nanosecond and dropped.
fn fraction_nanos(digits: &[u8]) -> u32 {
    (0..9).fold(0, |acc, i| {
        let d = digits.get(i).map_or(0, |c| u32::from(c - b'0'));
        acc * 10 + d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_parse_and_display() {
        let d: Date = "2023-01-02".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2023, 1, 2));
        assert_eq!(d.to_string(), "2023-01-02");
        assert_eq!(Date::new(7, 3, 4).unwrap().to_string(), "0007-03-04");
        assert_eq!(Date::try_from("2023-01-02"), Ok(d));
    }

    #[test]
    fn date_validation() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2023, 13, 1).is_none());
        assert!(Date::new(2023, 4, 31).is_none());
        assert!(Date::new(2023, 1, 0).is_none());
        assert!(Date::new(10_000, 1, 1).is_none());
        for bad in [
            "2023-1-02",
            "2023/01/02",
            "20230102",
            "2023-02-30",
            "abcd-ef-gh",
            "",
            "+023-01-02",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
            assert_eq!(Date::try_from(bad), bad.parse::<Date>(), "{bad}");
        }
        assert!(
            "x".parse::<Date>()
                .unwrap_err()
                .to_string()
                .contains("YYYY-MM-DD")
        );
    }

    #[test]
    fn date_serde_and_order() {
        let d: Date = serde_json::from_str("\"2024-12-31\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-12-31\"");
        assert!(serde_json::from_str::<Date>("\"2024-12-32\"").is_err());
        assert!(serde_json::from_str::<Date>("20241231").is_err());
        assert!(Date::new(2024, 1, 31) < Date::new(2024, 2, 1));
    }

    #[test]
    fn date_query_value() {
        let mut q = QueryPairs::new();
        Date::new(2023, 1, 2).unwrap().push_to("from", &mut q);
        assert_eq!(q.encode(), "from=2023-01-02");
    }

    #[test]
    fn datetime_keeps_any_string() {
        for raw in [
            "2024-05-01T10:20:30Z",
            "not a date",
            "",
            "2024-13-01T00:00:00Z",
        ] {
            let json = serde_json::to_string(raw).unwrap();
            let dt: DateTime = serde_json::from_str(&json).unwrap();
            assert_eq!(dt.as_str(), raw);
            assert_eq!(serde_json::to_string(&dt).unwrap(), json);
        }
        let mut q = QueryPairs::new();
        DateTime::from("2024-05-01T10:20:30+02:00").push_to("since", &mut q);
        assert_eq!(q.encode(), "since=2024-05-01T10%3A20%3A30%2B02%3A00");
        let dt: DateTime = serde_json::from_str("1700000000").unwrap();
        assert_eq!(dt.unix_seconds(), Some(1_700_000_000));
    }

    #[test]
    fn date_arithmetic_is_checked() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(0, 1, 1), Some(-719_528));
        assert_eq!(unix_from_parts(1994, 11, 6, 8, 49, 37), Some(784_111_777));
        // Representable in days, not in seconds (the year of the audit's `Retry-After`).
        assert!(days_from_civil(1_000_000_000_000, 11, 6).is_some());
        assert_eq!(unix_from_parts(1_000_000_000_000, 11, 6, 8, 49, 37), None);
        for year in [
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
            1 << 62,
            -(1 << 62),
            1_000_000_000_000_000,
            -1_000_000_000_000_000,
        ] {
            for month in [1, 2, 3, 12] {
                assert_eq!(unix_from_parts(year, month, 28, 23, 59, 60), None, "{year}");
            }
        }
        assert_eq!(days_from_civil(i64::MIN, 1, 1), None);
        // Unchecked field values cannot overflow the time of day either.
        assert!(unix_from_parts(1970, 1, 1, u32::MAX, u32::MAX, u32::MAX).is_some());
    }

    #[test]
    fn datetime_from_unix_seconds() {
        let cases: &[(i64, Option<&str>)] = &[
            (0, Some("1970-01-01T00:00:00Z")),
            (1_719_391_215, Some("2024-06-26T08:40:15Z")),
            (1_714_558_830, Some("2024-05-01T10:20:30Z")),
            (-1, Some("1969-12-31T23:59:59Z")),
            (951_782_400, Some("2000-02-29T00:00:00Z")),
            (-2_203_891_200, Some("1900-03-01T00:00:00Z")),
            (253_402_300_799, Some("9999-12-31T23:59:59Z")),
            (253_402_300_800, None),
            (-62_167_219_200, Some("0000-01-01T00:00:00Z")),
            (-62_167_219_201, None),
            (i64::MAX, None),
            (i64::MIN, None),
            (i64::MIN + 1, None),
        ];
        for (secs, want) in cases {
            let got = DateTime::from_unix_seconds(*secs);
            assert_eq!(got.as_ref().map(DateTime::as_str), *want, "{secs}");
        }
    }

    #[test]
    fn datetime_from_unix_seconds_round_trips() {
        let (min, max) = (-62_167_219_200_i64, 253_402_300_799_i64);
        // Both ends, around the epoch and leap days, and a deterministic spread across the range.
        let mut samples: Vec<i64> = vec![min, min + 1, max - 1, max, -86_401, -86_400, 86_399];
        samples.extend((-3 * 86_400..3 * 86_400).step_by(3_599));
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let span = u64::try_from(max - min).unwrap() + 1;
            samples.push(min + i64::try_from(x % span).unwrap());
        }
        for secs in samples {
            let dt = DateTime::from_unix_seconds(secs).unwrap();
            assert_eq!(dt.as_str().len(), 20, "{dt}");
            assert_eq!(dt.unix_seconds(), Some(secs), "{dt}");
            // The text is RFC 3339, not the integer form `unix_seconds` also reads.
            assert!(
                dt.as_str().ends_with('Z') && dt.as_str().contains('T'),
                "{dt}"
            );
            let date: Date = dt.as_str()[..10].parse().unwrap();
            assert_eq!(
                days_from_civil(i64::from(date.year()), date.month(), date.day()),
                Some(secs.div_euclid(86_400))
            );
        }
    }

    #[test]
    fn datetime_unix_seconds() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1970-01-01T00:00:00Z", Some(0)),
            ("2024-05-01T10:20:30Z", Some(1_714_558_830)),
            ("2024-05-01t10:20:30z", Some(1_714_558_830)),
            ("2024-05-01 10:20:30", Some(1_714_558_830)),
            ("2024-05-01T10:20:30.123456Z", Some(1_714_558_830)),
            ("2024-05-01T12:20:30+02:00", Some(1_714_558_830)),
            ("2024-05-01T12:20:30+0200", Some(1_714_558_830)),
            ("2024-05-01T08:20:30-02:00", Some(1_714_558_830)),
            ("1969-12-31T23:59:59Z", Some(-1)),
            ("2024-02-29T00:00:00Z", Some(1_709_164_800)),
            ("2023-02-29T00:00:00Z", None),
            ("2024-05-01T24:00:00Z", None),
            ("2024-05-01T10:20:30.Z", None),
            ("2024-05-01T10:20:30+2", None),
            ("2024-05-01", None),
            ("garbage", None),
        ];
        for (raw, want) in cases {
            assert_eq!(DateTime::from(*raw).unix_seconds(), *want, "{raw}");
        }
    }
}
