//! [`Date`] and [`DateTime`] to and from the `time` crate's `Date` and `OffsetDateTime`
//! (feature `time`), by the rules of [`DateConversionError`].

use super::{Date, DateConversionError, DateTime};

impl TryFrom<Date> for time::Date {
    type Error = DateConversionError;

    /// The same calendar day.
    fn try_from(date: Date) -> Result<Self, Self::Error> {
        let out_of_range = || DateConversionError::out_of_range("time::Date");
        let month = time::Month::try_from(date.month()).map_err(|_| out_of_range())?;
        time::Date::from_calendar_date(i32::from(date.year()), month, date.day())
            .map_err(|_| out_of_range())
    }
}

impl TryFrom<time::Date> for Date {
    type Error = DateConversionError;

    /// The same calendar day, if its year is 0000 to 9999.
    fn try_from(date: time::Date) -> Result<Self, Self::Error> {
        u16::try_from(date.year())
            .ok()
            .and_then(|year| Date::new(year, u8::from(date.month()), date.day()))
            .ok_or(DateConversionError::out_of_range("Date"))
    }
}

impl TryFrom<&DateTime> for time::OffsetDateTime {
    type Error = DateConversionError;

    /// The instant the timestamp names, at UTC.
    fn try_from(dt: &DateTime) -> Result<Self, Self::Error> {
        let (secs, nanos) = dt.instant()?;
        let total = i128::from(secs) * 1_000_000_000 + i128::from(nanos);
        time::OffsetDateTime::from_unix_timestamp_nanos(total)
            .map_err(|_| DateConversionError::out_of_range("time::OffsetDateTime"))
    }
}

impl TryFrom<time::OffsetDateTime> for DateTime {
    type Error = DateConversionError;

    /// The RFC 3339 UTC timestamp of the same instant.
    fn try_from(t: time::OffsetDateTime) -> Result<Self, Self::Error> {
        DateTime::from_unix_parts(t.unix_timestamp(), t.nanosecond())
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
            let other = time::Date::try_from(date).unwrap();
            assert_eq!(
                (other.year(), u8::from(other.month()), other.day()),
                (i32::from(date.year()), date.month(), date.day())
            );
            assert_eq!(Date::try_from(other), Ok(date));
        }
        let before_year_0 = time::Date::from_calendar_date(-1, time::Month::December, 31).unwrap();
        assert_eq!(
            Date::try_from(before_year_0),
            Err(DateConversionError::out_of_range("Date"))
        );
    }

    #[test]
    fn timestamps_keep_the_instant() {
        let dt = DateTime::from("2024-06-26T10:40:15.25+02:00");
        let t = time::OffsetDateTime::try_from(&dt).unwrap();
        assert_eq!(
            (t.unix_timestamp(), t.nanosecond()),
            (1_719_391_215, 250_000_000)
        );
        assert_eq!(t.offset(), time::UtcOffset::UTC);
        let back = DateTime::try_from(t).unwrap();
        assert_eq!(back.as_str(), "2024-06-26T08:40:15.25Z");
        assert!(matches!(
            time::OffsetDateTime::try_from(&DateTime::from("soon")),
            Err(DateConversionError::NotATimestamp { .. })
        ));
        // Integer seconds past the years `time` holds without `large-dates`.
        assert_eq!(
            time::OffsetDateTime::try_from(&DateTime::from("999999999999")),
            Err(DateConversionError::out_of_range("time::OffsetDateTime"))
        );
    }
}
