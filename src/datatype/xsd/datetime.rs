//! Dates, times and durations: XSD-2 §3.2.6 duration, §3.2.7 dateTime,
//! §3.2.8 time, §3.2.9 date, §3.2.10–3.2.14 the Gregorian "g" types.
//!
//! Values with a timezone are normalized to UTC; values without one keep
//! their local fields and never equal a value with a timezone (XSD 1.0
//! §3.2.7.4 makes such pairs unequal and, near each other, incomparable).
//! Years are stored astronomically (1 BCE is year 0, because XSD 1.0 has no
//! year 0000 and makes -0001 a leap year).

use std::cmp::Ordering;

use super::numeric::Decimal;

/// Which of the eight date/time types a value belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateTimeKind {
    DateTime,
    Date,
    Time,
    GYearMonth,
    GYear,
    GMonthDay,
    GDay,
    GMonth,
}

/// Calendar fields, compared field by field (declaration order).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Fields {
    year: i128,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    /// Fractional seconds, trailing zeros trimmed (so string order is
    /// numeric order).
    frac: String,
}

/// A value of one of the date/time types.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTime {
    kind: DateTimeKind,
    fields: Fields,
    /// Whether a timezone was given (then `fields` are in UTC).
    zoned: bool,
}

/// Years beyond this many digits are refused rather than risk overflow.
const MAX_YEAR_DIGITS: usize = 30;
/// Reference fields for components a "g" type leaves out: a leap year (so
/// `--02-29` exists) and a 31-day month (so `---31` does).
const REFERENCE_YEAR: i128 = 1972;
const REFERENCE_MONTH: u8 = 12;

impl DateTime {
    /// Parses the (whitespace-collapsed) lexical form of `kind`.
    pub fn parse(kind: DateTimeKind, text: &str) -> Option<DateTime> {
        let mut s = Scanner { rest: text };
        let mut f = Fields {
            year: REFERENCE_YEAR,
            month: REFERENCE_MONTH,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            frac: String::new(),
        };
        match kind {
            DateTimeKind::DateTime | DateTimeKind::Date => {
                f.year = s.year()?;
                s.expect('-')?;
                f.month = s.two_digits()?;
                s.expect('-')?;
                f.day = s.two_digits()?;
                if kind == DateTimeKind::DateTime {
                    s.expect('T')?;
                    s.time(&mut f)?;
                }
            }
            DateTimeKind::Time => s.time(&mut f)?,
            DateTimeKind::GYearMonth => {
                f.year = s.year()?;
                s.expect('-')?;
                f.month = s.two_digits()?;
            }
            DateTimeKind::GYear => {
                f.year = s.year()?;
                f.month = 1;
            }
            DateTimeKind::GMonthDay => {
                s.expect('-')?;
                s.expect('-')?;
                f.month = s.two_digits()?;
                s.expect('-')?;
                f.day = s.two_digits()?;
            }
            DateTimeKind::GDay => {
                for _ in 0..3 {
                    s.expect('-')?;
                }
                f.day = s.two_digits()?;
            }
            DateTimeKind::GMonth => {
                s.expect('-')?;
                s.expect('-')?;
                f.month = s.two_digits()?;
            }
        }
        let zone = s.timezone()?;
        if !s.rest.is_empty() {
            return None;
        }
        if !(1..=12).contains(&f.month) || f.day < 1 || f.day > days_in_month(f.year, f.month) {
            return None;
        }
        // 24:00:00 is the first instant of the next day (XSD 1.0 2nd ed.);
        // as a time of day it is 00:00:00.
        if f.hour == 24 {
            let (days, _) = to_days_and_minutes(&f);
            set_from_days_and_minutes(&mut f, days + 1, 0);
            if kind == DateTimeKind::Time {
                set_reference_date(&mut f);
            }
        }
        // A time compares as a dateTime on one fixed date (XSD 1.0 §3.2.8),
        // so the day its timezone carries it to is kept: 23:00:00-03:00 is
        // 02:00:00Z of the next day, after 12:00:00Z and unequal to
        // 02:00:00Z, as jing has it.
        if let Some(offset) = zone {
            shift_minutes(&mut f, -i128::from(offset));
        }
        Some(DateTime {
            kind,
            fields: f,
            zoned: zone.is_some(),
        })
    }

    /// XSD 1.0 §3.2.7.4 order: total between two zoned or two unzoned
    /// values; otherwise decided by trying the unzoned one at +14:00 and
    /// -14:00, and incomparable when those disagree.
    pub fn partial_cmp(&self, other: &DateTime) -> Option<Ordering> {
        match (self.zoned, other.zoned) {
            (true, false) => zoned_vs_unzoned(&self.fields, other),
            (false, true) => zoned_vs_unzoned(&other.fields, self).map(Ordering::reverse),
            _ => Some(self.fields.cmp(&other.fields)),
        }
    }
}

/// The unzoned value read in the two extreme timezones (for a time too:
/// the day carried is kept, so a zoned and an unzoned time within 14 hours
/// of each other stay incomparable, §3.2.7.4 with §3.2.8).
fn zoned_vs_unzoned(zoned: &Fields, unzoned: &DateTime) -> Option<Ordering> {
    let shifted = |offset_minutes: i128| {
        let mut f = unzoned.fields.clone();
        shift_minutes(&mut f, -offset_minutes);
        f
    };
    if *zoned < shifted(14 * 60) {
        Some(Ordering::Less)
    } else if *zoned > shifted(-14 * 60) {
        Some(Ordering::Greater)
    } else {
        None
    }
}

fn is_leap(year: i128) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn days_in_month(year: i128, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 0000-03-01 of a proleptic Gregorian date (astronomical year).
fn days_from_civil(year: i128, month: u8, day: u8) -> i128 {
    // Count years from March so the leap day ends the year.
    let y = if month <= 2 { year - 1 } else { year };
    let m = i128::from(month);
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i128::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(days: i128) -> (i128, u8, u8) {
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i128::from(month <= 2);
    // month is 1..=12 and day 1..=31 by construction.
    (year, month as u8, day as u8)
}

fn to_days_and_minutes(f: &Fields) -> (i128, i128) {
    (
        days_from_civil(f.year, f.month, f.day),
        i128::from(f.hour) * 60 + i128::from(f.minute),
    )
}

/// Moves `f` by `delta` minutes along the timeline.
fn shift_minutes(f: &mut Fields, delta: i128) {
    let (days, minutes) = to_days_and_minutes(f);
    let total = days * 1440 + minutes + delta;
    set_from_days_and_minutes(f, total.div_euclid(1440), total.rem_euclid(1440));
}

/// Puts a time of day on the fixed date times are compared on.
fn set_reference_date(f: &mut Fields) {
    f.year = REFERENCE_YEAR;
    f.month = REFERENCE_MONTH;
    f.day = 1;
}

fn set_from_days_and_minutes(f: &mut Fields, days: i128, minutes: i128) {
    let (year, month, day) = civil_from_days(days);
    f.year = year;
    f.month = month;
    f.day = day;
    // minutes is in 0..1440.
    f.hour = (minutes / 60) as u8;
    f.minute = (minutes % 60) as u8;
}

struct Scanner<'a> {
    rest: &'a str,
}

impl Scanner<'_> {
    fn expect(&mut self, c: char) -> Option<()> {
        self.rest = self.rest.strip_prefix(c)?;
        Some(())
    }

    fn digits(&mut self) -> &str {
        let end = self
            .rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.rest.len());
        let (digits, rest) = self.rest.split_at(end);
        self.rest = rest;
        digits
    }

    fn two_digits(&mut self) -> Option<u8> {
        let bytes = self.rest.as_bytes();
        if bytes.len() < 2 || !bytes[0].is_ascii_digit() || !bytes[1].is_ascii_digit() {
            return None;
        }
        self.rest = &self.rest[2..];
        Some((bytes[0] - b'0') * 10 + (bytes[1] - b'0'))
    }

    /// `-?yyyy+`: at least four digits, no leading zero beyond four, never
    /// 0000. Returned astronomically (-0001 becomes 0).
    fn year(&mut self) -> Option<i128> {
        let negative = self.rest.starts_with('-');
        if negative {
            self.rest = &self.rest[1..];
        }
        let digits = self.digits();
        if digits.len() < 4
            || (digits.len() > 4 && digits.starts_with('0'))
            || digits.len() > MAX_YEAR_DIGITS
        {
            return None;
        }
        let value: i128 = digits.parse().ok()?;
        if value == 0 {
            return None;
        }
        Some(if negative { 1 - value } else { value })
    }

    /// `hh:mm:ss(.s+)?`, hours up to 24 only as 24:00:00.
    fn time(&mut self, f: &mut Fields) -> Option<()> {
        f.hour = self.two_digits()?;
        self.expect(':')?;
        f.minute = self.two_digits()?;
        self.expect(':')?;
        f.second = self.two_digits()?;
        if self.rest.starts_with('.') {
            self.rest = &self.rest[1..];
            let digits = self.digits();
            if digits.is_empty() {
                return None;
            }
            f.frac = digits.trim_end_matches('0').to_string();
        }
        let is_midnight_end = f.hour == 24 && f.minute == 0 && f.second == 0 && f.frac.is_empty();
        if (f.hour > 23 && !is_midnight_end) || f.minute > 59 || f.second > 59 {
            return None;
        }
        Some(())
    }

    /// `Z` or `(+|-)hh:mm` with at most 14:00; `Some(None)` when absent.
    /// The offset is in minutes.
    fn timezone(&mut self) -> Option<Option<i16>> {
        if self.rest.is_empty() {
            return Some(None);
        }
        if self.rest == "Z" {
            self.rest = "";
            return Some(Some(0));
        }
        let negative = match self.rest.as_bytes()[0] {
            b'+' => false,
            b'-' => true,
            _ => return None,
        };
        self.rest = &self.rest[1..];
        let hours = self.two_digits()?;
        self.expect(':')?;
        let minutes = self.two_digits()?;
        if minutes > 59 || hours > 14 || (hours == 14 && minutes != 0) {
            return None;
        }
        let offset = i16::from(hours) * 60 + i16::from(minutes);
        Some(Some(if negative { -offset } else { offset }))
    }
}

/// A duration value: months and seconds (each side of the P/T split), with
/// one sign. Equal when both totals are (P1Y equals P12M; P0Y equals -P0Y).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Duration {
    negative: bool,
    months: u128,
    seconds: u128,
    /// Fractional seconds, trailing zeros trimmed.
    frac: String,
}

/// The four dateTimes XSD 1.0 (Appendix D/§3.2.6.2) compares durations at.
const DURATION_REFERENCES: [(i128, u8); 4] = [(1696, 9), (1697, 2), (1903, 3), (1903, 7)];

impl Duration {
    /// XSD-2 §3.2.6.1: `-?PnYnMnDTnHnMnS`, with at least one part and at
    /// least one part after a `T`.
    pub fn parse(text: &str) -> Option<Duration> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut rest = rest.strip_prefix('P')?;
        let (date_part, time_part) = match rest.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (rest, None),
        };
        let mut months: u128 = 0;
        let mut seconds: u128 = 0;
        let mut frac = String::new();
        let mut any = false;
        rest = date_part;
        for (designator, factor_months, factor_seconds) in
            [('Y', 12u128, 0u128), ('M', 1, 0), ('D', 0, 86_400)]
        {
            if let Some((value, after)) = take_number(rest, designator) {
                any = true;
                months = months.checked_add(value.checked_mul(factor_months)?)?;
                seconds = seconds.checked_add(value.checked_mul(factor_seconds)?)?;
                rest = after;
            }
        }
        if !rest.is_empty() {
            return None;
        }
        if let Some(time) = time_part {
            let mut rest = time;
            let mut any_time = false;
            for (designator, factor) in [('H', 3600u128), ('M', 60)] {
                if let Some((value, after)) = take_number(rest, designator) {
                    any_time = true;
                    seconds = seconds.checked_add(value.checked_mul(factor)?)?;
                    rest = after;
                }
            }
            if let Some(body) = rest.strip_suffix('S') {
                // Seconds are an unsigned decimal, `.5` and `1.` included
                // (XSD 1.1 spells it out as duSecondFrag; jing agrees).
                if body.starts_with(['+', '-']) || Decimal::parse(body).is_none() {
                    return None;
                }
                let (int, fraction) = body.split_once('.').unwrap_or((body, ""));
                if !int.is_empty() {
                    seconds = seconds.checked_add(parse_u128(int)?)?;
                }
                frac = fraction.trim_end_matches('0').to_string();
                any_time = true;
                rest = "";
            }
            if !rest.is_empty() || !any_time {
                return None;
            }
            any = true;
        }
        if !any {
            return None;
        }
        let zero = months == 0 && seconds == 0 && frac.is_empty();
        Some(Duration {
            negative: negative && !zero,
            months,
            seconds,
            frac,
        })
    }

    /// XSD 1.0 §3.2.6.2 partial order: compare the results of adding both
    /// to four reference dateTimes; incomparable unless all four agree.
    /// Durations too large to place on the timeline are incomparable.
    pub fn partial_cmp(&self, other: &Duration) -> Option<Ordering> {
        let mut result = None;
        for (year, month) in DURATION_REFERENCES {
            let a = self.end_from(year, month)?;
            let b = other.end_from(year, month)?;
            let order = a.cmp(&b);
            match result {
                None => result = Some(order),
                Some(previous) if previous != order => return None,
                Some(_) => {}
            }
        }
        result
    }

    /// The instant (seconds since an epoch, plus a fraction in units of
    /// 10^-30 s, as a pair ordered lexicographically) reached by adding the
    /// duration to the first of `month` in `year`.
    fn end_from(&self, year: i128, month: u8) -> Option<(i128, i128)> {
        let months = i128::try_from(self.months).ok()?;
        let seconds = i128::try_from(self.seconds).ok()?;
        let sign = if self.negative { -1 } else { 1 };
        let month_index = i128::from(month) - 1 + sign * months;
        let y = year.checked_add(month_index.div_euclid(12))?;
        // Keep the calendar arithmetic far from i128 overflow; durations of
        // more than 10^30 years are incomparable rather than a crash.
        if y.abs() > 10i128.pow(30) {
            return None;
        }
        // rem_euclid(12) + 1 is 1..=12.
        let m = (month_index.rem_euclid(12) + 1) as u8;
        let start = days_from_civil(y, m, 1).checked_mul(86_400)?;
        // Fractions compare by their first 30 digits, which is exact for
        // any fraction a real document writes.
        let digits: String = self
            .frac
            .chars()
            .chain("0".repeat(30).chars())
            .take(30)
            .collect();
        let frac: i128 = digits.parse().ok()?;
        let whole = start.checked_add(sign * seconds)?;
        Some(if sign < 0 && frac > 0 {
            (whole.checked_sub(1)?, 10i128.pow(30) - frac)
        } else {
            (whole, frac)
        })
    }
}

/// `digits designator` at the start of `text`.
fn take_number(text: &str, designator: char) -> Option<(u128, &str)> {
    let end = text.find(|c: char| !c.is_ascii_digit())?;
    if end == 0 || !text[end..].starts_with(designator) {
        return None;
    }
    let value = parse_u128(&text[..end])?;
    Some((value, &text[end + designator.len_utf8()..]))
}

fn parse_u128(digits: &str) -> Option<u128> {
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::check_rows;
    use super::*;

    fn valid(kind: DateTimeKind, text: &str) -> bool {
        DateTime::parse(kind, text).is_some()
    }

    #[test]
    fn lexical_forms() {
        use DateTimeKind::*;
        let rows: &[(DateTimeKind, &str, bool)] = &[
            (DateTime, "2001-12-01T19:45:00", true),
            (DateTime, "2001-12-01T19:45:00Z", true),
            (DateTime, "2001-12-01T19:45:00-11:59", true),
            (DateTime, "0001-01-12T00:00:00+12:00", true),
            (DateTime, "2001-12-01T24:00:00", true),
            (DateTime, "2001-12-01T24:00:01", false),
            (DateTime, "2001-12-1T19:45:00+24:00", false),
            (DateTime, "2001-12-1T19:45:00", false),
            (DateTime, "2001-12-01T19:45:00+14:01", false),
            (DateTime, "2001-12-01T19:45:00.", false),
            (DateTime, "2001-12-01T19:60:00", false),
            (DateTime, "2001-12-01", false),
            (Time, "12:45:00", true),
            (Time, "12:45:00Z", true),
            (Time, "12:45:00.123+01:00", true),
            (Time, "12:45", false),
            (Date, "1886-12-01", true),
            (Date, "0004-02-29", true),
            (Date, "-0001-02-29", true),
            (Date, "-0257-02-29", true),
            (Date, "12345-01-01", true),
            (Date, "0003-02-29", false),
            (Date, "-0257-02-30", false),
            (Date, "-0258-02-29", false),
            (Date, "0000-01-01", false),
            (Date, "01234-01-01", false),
            (Date, "+2001-01-01", false),
            (Date, "2001-04-31", false),
            (GYearMonth, "1996-12", true),
            (GYearMonth, "1996-01Z", true),
            (GYearMonth, "1996-00", false),
            (GYear, "2001", true),
            (GYear, "2001Z", true),
            (GYear, "201", false),
            (GMonthDay, "--12-01", true),
            (GMonthDay, "--02-29", true),
            (GMonthDay, "--02-30", false),
            (GDay, "---20", true),
            (GDay, "---31Z", true),
            (GDay, "---32", false),
            (GMonth, "--12", true),
            (GMonth, "--01Z", true),
            (GMonth, "---01", false),
            (GMonth, "--00", false),
            (GMonth, "--13", false),
        ];
        for &(kind, text, want) in rows {
            assert_eq!(valid(kind, text), want, "{kind:?} {text:?}");
        }
    }

    fn dt(kind: DateTimeKind, text: &str) -> DateTime {
        DateTime::parse(kind, text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn equality_and_order() {
        use DateTimeKind::*;
        let lt = |kind, a, b| dt(kind, a).partial_cmp(&dt(kind, b)) == Some(Ordering::Less);
        assert_eq!(
            dt(DateTime, "2001-12-01T19:45:00Z"),
            dt(DateTime, "2001-12-01T20:45:00.00+01:00")
        );
        assert_ne!(
            dt(DateTime, "2001-12-01T19:45:00Z"),
            dt(DateTime, "2001-12-01T19:45:00")
        );
        assert_eq!(
            dt(DateTime, "2001-12-31T24:00:00"),
            dt(DateTime, "2002-01-01T00:00:00")
        );
        assert_eq!(dt(GYearMonth, "1996-01Z"), dt(GYearMonth, "1996-01-00:00"));
        assert_ne!(
            dt(GYearMonth, "1996-01+01:00"),
            dt(GYearMonth, "1996-01-01:00")
        );
        // Times are dateTimes on one fixed date (§3.2.8): the day a
        // timezone carries to counts.
        assert_eq!(dt(Time, "20:00:00-03:00"), dt(Time, "23:00:00Z"));
        assert_ne!(dt(Time, "23:00:00-03:00"), dt(Time, "02:00:00Z"));
        assert!(lt(Time, "03:00:00Z", "23:00:00-03:00"));
        assert_eq!(dt(Time, "24:00:00"), dt(Time, "00:00:00"));
        assert_eq!(dt(Time, "24:00:00Z"), dt(Time, "00:00:00+00:00"));
        // A zoned and an unzoned time within 14 hours are incomparable.
        for (a, b) in [
            ("12:00:00Z", "11:59:59.999"),
            ("12:00:00Z", "12:00:00"),
            ("12:00:00", "12:00:00Z"),
            ("00:30:00Z", "13:00:00"),
        ] {
            assert_eq!(dt(Time, a).partial_cmp(&dt(Time, b)), None, "{a} {b}");
        }
        assert!(lt(Time, "00:00:00Z", "14:00:01"));
        assert!(lt(Time, "09:59:58", "23:59:59Z"));
        assert!(lt(Date, "1066-12-31", "1900-01-01"));
        assert!(lt(Date, "-0001-12-31", "0001-01-01"));
        assert!(lt(GYear, "1999+07:00", "2000+07:00"));
        assert!(lt(GMonthDay, "--11-17", "--12-04"));
        assert!(lt(GDay, "---01", "---31"));
        // Within 14 hours a zoned and an unzoned value are incomparable.
        assert_eq!(
            dt(DateTime, "2000-01-01T12:00:00Z").partial_cmp(&dt(DateTime, "2000-01-01T12:00:00")),
            None
        );
        assert!(lt(DateTime, "2000-01-01T12:00:00Z", "2000-01-02T12:00:00"));
    }

    #[test]
    fn durations() {
        let rows: &[(&str, bool)] = &[
            ("P1Y", true),
            ("P1Y0M2DT17H5M12S", true),
            ("-P1Y", true),
            ("P60D", true),
            ("PT24H", true),
            ("PT1.2S", true),
            ("P24h", false),
            ("P24H", false),
            ("P1YT", false),
            ("P", false),
            ("-P", false),
            ("PT", false),
            ("PT1.S", true),
            ("PT.5S", true),
            ("PT0.S", true),
            ("PT.S", false),
            ("PTS", false),
            ("PT+1S", false),
            ("PT-1S", false),
            ("PT1.5.S", false),
            ("P1M1Y", false),
            ("1Y", false),
            ("P-1Y", false),
            ("P99999999999999999999999999999999999999999999Y", false),
        ];
        check_rows(rows, |text| Duration::parse(text).is_some());
        let d = |s: &str| Duration::parse(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(d("P0Y"), d("-P0Y"));
        assert_eq!(d("P1Y"), d("P1Y0M0DT0H0M0.0S"));
        assert_eq!(d("PT1S"), d("PT1.0S"));
        assert_eq!(d("PT1S"), d("PT1.S"));
        assert_eq!(d("PT0.5S"), d("PT.50S"));
        assert_ne!(d("P6M"), d("PT6M"));
        assert_ne!(d("P6M"), d("-P6M"));
        let cmp = |a: &str, b: &str| d(a).partial_cmp(&d(b));
        assert_eq!(cmp("PT1M", "PT61S"), Some(Ordering::Less));
        assert_eq!(cmp("P1Y", "P13M"), Some(Ordering::Less));
        assert_eq!(cmp("P364D", "P1Y"), Some(Ordering::Less));
        assert_eq!(cmp("P1Y", "P365D"), None);
        assert_eq!(cmp("P1Y", "P367D"), Some(Ordering::Less));
        assert_eq!(cmp("P5M", "P152D"), None);
        assert_eq!(cmp("P1M", "P32D"), Some(Ordering::Less));
        assert_eq!(cmp("-PT0.5S", "PT0S"), Some(Ordering::Less));
        assert_eq!(cmp("-PT1.5S", "-PT1S"), Some(Ordering::Less));
        let huge = "P99999999999999999999999999999999999M";
        assert_eq!(cmp(huge, "P1M"), None);
        assert_eq!(
            cmp("PT99999999999999999999999999999999999S", "P1M"),
            Some(Ordering::Greater)
        );
    }
}
