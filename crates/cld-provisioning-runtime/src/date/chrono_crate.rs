//! [`Date`] and [`DateTime`] to and from `chrono`'s `NaiveDate` and `DateTime` (feature
//! `chrono`), by the rules of [`DateConversionError`].

use chrono::Datelike;

use super::{Date, DateConversionError, DateTime};

impl TryFrom<Date> for chrono::NaiveDate {
    type Error = DateConversionError;

    /// The same calendar day.
    fn try_from(date: Date) -> Result<Self, Self::Error> {
        chrono::NaiveDate::from_ymd_opt(
            i32::from(date.year()),
            u32::from(date.month()),
            u32::from(date.day()),
        )
        .ok_or(DateConversionError::out_of_range("chrono::NaiveDate"))
    }
}

impl TryFrom<chrono::NaiveDate> for Date {
    type Error = DateConversionError;

    /// The same calendar day, if its year is 0000 to 9999.
    fn try_from(date: chrono::NaiveDate) -> Result<Self, Self::Error> {
        let parts = (
            u16::try_from(date.year()),
            u8::try_from(date.month()),
            u8::try_from(date.day()),
        );
        match parts {
            (Ok(year), Ok(month), Ok(day)) => Date::new(year, month, day),
            _ => None,
        }
        .ok_or(DateConversionError::out_of_range("Date"))
    }
}

impl TryFrom<&DateTime> for chrono::DateTime<chrono::Utc> {
    type Error = DateConversionError;

    /// The instant the timestamp names, at UTC.
    fn try_from(dt: &DateTime) -> Result<Self, Self::Error> {
        let (secs, nanos) = dt.instant()?;
        chrono::DateTime::from_timestamp(secs, nanos)
            .ok_or(DateConversionError::out_of_range("chrono::DateTime"))
    }
}

impl<Tz: chrono::TimeZone> TryFrom<chrono::DateTime<Tz>> for DateTime {
    type Error = DateConversionError;

    /// The RFC 3339 UTC timestamp of the same instant; a leap second is written as the first
    /// second of the next minute.
    fn try_from(t: chrono::DateTime<Tz>) -> Result<Self, Self::Error> {
        let nanos = t.timestamp_subsec_nanos();
        t.timestamp()
            .checked_add(i64::from(nanos / 1_000_000_000))
            .and_then(|secs| DateTime::from_unix_parts(secs, nanos % 1_000_000_000))
            .ok_or(DateConversionError::out_of_range("DateTime"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_the_calendar_day() {
        for text in ["0000-01-01", "1969-12-31", "2024-02-29", "9999-12-31"] {
            let date = Date::try_from(text).unwrap();
            let other = chrono::NaiveDate::try_from(date).unwrap();
            assert_eq!(other.to_string(), text);
            assert_eq!(Date::try_from(other), Ok(date));
        }
        let too_late = chrono::NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert_eq!(
            Date::try_from(too_late),
            Err(DateConversionError::out_of_range("Date"))
        );
    }

    #[test]
    fn timestamps_keep_the_instant() {
        let dt = DateTime::from("2024-06-26T10:40:15.25+02:00");
        let t = chrono::DateTime::<chrono::Utc>::try_from(&dt).unwrap();
        assert_eq!(
            (t.timestamp(), t.timestamp_subsec_nanos()),
            (1_719_391_215, 250_000_000)
        );
        assert_eq!(
            DateTime::try_from(t).unwrap().as_str(),
            "2024-06-26T08:40:15.25Z"
        );
        // Another zone: the same instant, written at UTC.
        let offset = chrono::FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(
            DateTime::try_from(t.with_timezone(&offset))
                .unwrap()
                .as_str(),
            "2024-06-26T08:40:15.25Z"
        );
        // chrono's leap second (nanoseconds past 10^9) is the next minute's first second.
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .unwrap()
            .and_utc();
        assert_eq!(
            DateTime::try_from(leap).unwrap().as_str(),
            "2017-01-01T00:00:00.5Z"
        );
        assert!(matches!(
            chrono::DateTime::<chrono::Utc>::try_from(&DateTime::from("soon")),
            Err(DateConversionError::NotATimestamp { .. })
        ));
    }
}
