//! [`Date`] and [`DateTime`] to and from [`SystemTime`], and the error of every conversion.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Date, DateTime};

/// A conversion of a [`Date`] or [`DateTime`] to or from another time type failed.
///
/// The rules of every conversion (to and from [`SystemTime`], and the `time` and `chrono`
/// types behind those features):
///
/// - a [`Date`] stands for midnight UTC at its start, and an instant becomes the UTC calendar
///   day it falls on (a `Date` has no time zone);
/// - a [`DateTime`] converts through the instant its text names, offset applied and the
///   fraction kept to the nanosecond; an instant becomes an RFC 3339 UTC timestamp
///   (`2024-06-26T08:40:15.5Z`), so the original offset is not kept;
/// - [`Date`] and [`DateTime`] hold the years 0000 to 9999; a value outside them, or outside
///   what the target type holds, is [`DateConversionError::OutOfRange`].
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use cld_provisioning_runtime::{Date, DateTime};
///
/// let day = Date::try_from("2024-06-26")?;
/// let midnight = SystemTime::try_from(day)?;
/// assert_eq!(midnight, UNIX_EPOCH + Duration::from_secs(1_719_360_000));
/// assert_eq!(Date::try_from(midnight + Duration::from_secs(86_399))?, day);
///
/// let created = DateTime::from("2024-06-26T10:40:15.25+02:00");
/// let instant = SystemTime::try_from(&created)?;
/// assert_eq!(instant, UNIX_EPOCH + Duration::from_millis(1_719_391_215_250));
/// assert_eq!(DateTime::try_from(instant)?.as_str(), "2024-06-26T08:40:15.25Z");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateConversionError {
    /// The value is outside the range the target type holds.
    #[error("the date or time is outside the range of {target}")]
    OutOfRange {
        /// The type that cannot hold the value.
        target: &'static str,
    },
    /// The [`DateTime`]'s text is neither an RFC 3339 timestamp nor integer Unix seconds.
    #[error("the timestamp {text:?} is neither RFC 3339 nor integer Unix seconds")]
    NotATimestamp {
        /// The text, cut to its first 64 characters.
        text: String,
    },
}

impl DateConversionError {
    pub(super) fn out_of_range(target: &'static str) -> Self {
        Self::OutOfRange { target }
    }

    pub(super) fn not_a_timestamp(text: &str) -> Self {
        Self::NotATimestamp {
            text: text.chars().take(64).collect(),
        }
    }
}

impl DateTime {
    /// The instant this timestamp names as Unix seconds and nanoseconds, or why not.
    pub(super) fn instant(&self) -> Result<(i64, u32), DateConversionError> {
        self.unix_parts()
            .ok_or_else(|| DateConversionError::not_a_timestamp(self.as_str()))
    }
}

/// The [`SystemTime`] `secs` seconds and `nanos` nanoseconds after the Unix epoch (`secs` may
/// be negative), or `None` when the platform's `SystemTime` cannot hold it.
fn system_time(secs: i64, nanos: u32) -> Option<SystemTime> {
    let whole = Duration::from_secs(secs.unsigned_abs());
    let at_second = if secs >= 0 {
        UNIX_EPOCH.checked_add(whole)?
    } else {
        UNIX_EPOCH.checked_sub(whole)?
    };
    at_second.checked_add(Duration::from_nanos(u64::from(nanos)))
}

/// Unix seconds (rounded down) and the nanoseconds past them of a [`SystemTime`], or `None`
/// when the seconds do not fit an `i64`.
fn unix_parts(t: SystemTime) -> Option<(i64, u32)> {
    match t.duration_since(UNIX_EPOCH) {
        Ok(after) => Some((i64::try_from(after.as_secs()).ok()?, after.subsec_nanos())),
        Err(before) => {
            let before = before.duration();
            let secs = i64::try_from(before.as_secs()).ok()?.checked_neg()?;
            match before.subsec_nanos() {
                0 => Some((secs, 0)),
                n => Some((secs.checked_sub(1)?, 1_000_000_000 - n)),
            }
        }
    }
}

const SYSTEM_TIME: &str = "std::time::SystemTime";

impl TryFrom<Date> for SystemTime {
    type Error = DateConversionError;

    /// Midnight UTC at the start of the day.
    fn try_from(date: Date) -> Result<Self, Self::Error> {
        date.unix_days()
            .and_then(|days| days.checked_mul(86_400))
            .and_then(|secs| system_time(secs, 0))
            .ok_or(DateConversionError::out_of_range(SYSTEM_TIME))
    }
}

impl TryFrom<SystemTime> for Date {
    type Error = DateConversionError;

    /// The UTC calendar day the instant falls on.
    fn try_from(t: SystemTime) -> Result<Self, Self::Error> {
        unix_parts(t)
            .and_then(|(secs, _)| Date::from_unix_days(secs.div_euclid(86_400)))
            .ok_or(DateConversionError::out_of_range("Date"))
    }
}

impl TryFrom<&DateTime> for SystemTime {
    type Error = DateConversionError;

    /// The instant the timestamp names.
    fn try_from(dt: &DateTime) -> Result<Self, Self::Error> {
        let (secs, nanos) = dt.instant()?;
        system_time(secs, nanos).ok_or(DateConversionError::out_of_range(SYSTEM_TIME))
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateConversionError;

    /// The instant the timestamp names.
    fn try_from(dt: DateTime) -> Result<Self, Self::Error> {
        SystemTime::try_from(&dt)
    }
}

impl TryFrom<SystemTime> for DateTime {
    type Error = DateConversionError;

    /// The RFC 3339 UTC timestamp of the instant, with its fraction when it has one.
    fn try_from(t: SystemTime) -> Result<Self, Self::Error> {
        unix_parts(t)
            .and_then(|(secs, nanos)| DateTime::from_unix_parts(secs, nanos))
            .ok_or(DateConversionError::out_of_range("DateTime"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64, nanos: u32) -> SystemTime {
        system_time(secs, nanos).unwrap()
    }

    #[test]
    fn dates_are_midnight_utc_and_instants_their_utc_day() {
        let cases: &[(&str, i64)] = &[
            ("1970-01-01", 0),
            ("1969-12-31", -86_400),
            ("2000-02-29", 951_782_400),
            ("2024-06-26", 1_719_360_000),
            ("0000-01-01", -62_167_219_200),
            ("9999-12-31", 253_402_214_400),
        ];
        for (text, secs) in cases {
            let date = Date::try_from(*text).unwrap();
            assert_eq!(SystemTime::try_from(date), Ok(at(*secs, 0)), "{text}");
            // Every instant of the day, first and last, is that day; the next second is not.
            assert_eq!(Date::try_from(at(*secs, 0)), Ok(date), "{text}");
            assert_eq!(
                Date::try_from(at(secs + 86_399, 999_999_999)),
                Ok(date),
                "{text}"
            );
            assert_ne!(Date::try_from(at(secs + 86_400, 0)), Ok(date), "{text}");
        }
        // Just before the epoch is still 1969-12-31 (rounded down, not towards zero).
        let new_years_eve = Date::try_from("1969-12-31").unwrap();
        assert_eq!(Date::try_from(at(-1, 999_999_999)), Ok(new_years_eve));
        assert_eq!(
            Date::try_from(at(-62_167_219_201, 0)),
            Err(DateConversionError::out_of_range("Date"))
        );
        assert_eq!(
            Date::try_from(at(253_402_300_800, 0)),
            Err(DateConversionError::out_of_range("Date"))
        );
    }

    #[test]
    fn timestamps_keep_the_instant_and_the_fraction() {
        let cases: &[(&str, i64, u32, &str)] = &[
            ("1970-01-01T00:00:00Z", 0, 0, "1970-01-01T00:00:00Z"),
            (
                "2024-06-26T10:40:15+02:00",
                1_719_391_215,
                0,
                "2024-06-26T08:40:15Z",
            ),
            (
                "2024-06-26T08:40:15.5Z",
                1_719_391_215,
                500_000_000,
                "2024-06-26T08:40:15.5Z",
            ),
            (
                "2024-06-26T08:40:15.123456789123Z",
                1_719_391_215,
                123_456_789,
                "2024-06-26T08:40:15.123456789Z",
            ),
            (
                "1969-12-31T23:59:59.75Z",
                -1,
                750_000_000,
                "1969-12-31T23:59:59.75Z",
            ),
            ("1719391215", 1_719_391_215, 0, "2024-06-26T08:40:15Z"),
        ];
        for (text, secs, nanos, utc) in cases {
            let dt = DateTime::from(*text);
            assert_eq!(SystemTime::try_from(&dt), Ok(at(*secs, *nanos)), "{text}");
            let back = DateTime::try_from(at(*secs, *nanos)).unwrap();
            assert_eq!(back.as_str(), *utc, "{text}");
            assert_eq!(SystemTime::try_from(back), Ok(at(*secs, *nanos)), "{text}");
        }
    }

    #[test]
    fn conversions_fail_with_a_reason() {
        let long = "x".repeat(100);
        assert_eq!(
            SystemTime::try_from(&DateTime::from(long.as_str())),
            Err(DateConversionError::NotATimestamp {
                text: "x".repeat(64)
            })
        );
        let err = SystemTime::try_from(DateTime::from("yesterday")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the timestamp \"yesterday\" is neither RFC 3339 nor integer Unix seconds"
        );
        assert_eq!(
            DateTime::try_from(at(253_402_300_800, 0)),
            Err(DateConversionError::out_of_range("DateTime"))
        );
        assert_eq!(
            DateConversionError::out_of_range("Date").to_string(),
            "the date or time is outside the range of Date"
        );
    }

    #[test]
    fn system_time_parts_round_down_before_the_epoch() {
        for (secs, nanos) in [(0, 0), (1, 1), (-1, 0), (-1, 1), (-2, 999_999_999)] {
            assert_eq!(unix_parts(at(secs, nanos)), Some((secs, nanos)));
        }
    }
}
