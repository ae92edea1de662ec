// Instants, dates and ISO 8601 parsing: every accepted form, every rejection.
#include "dealflow/core/time.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace dealflow {
namespace {

std::int64_t secs(std::string_view text) { return parse_instant(text)->unix_seconds(); }

TEST(ParseInstant, AcceptsTheDocumentedForms) {
  EXPECT_EQ(secs("1970-01-01"), 0);
  EXPECT_EQ(secs("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(secs("2024-03-01T10:15:00Z"), 1709288100);
  EXPECT_EQ(secs("2024-03-01T13:15:00+03:00"), 1709288100);
  EXPECT_EQ(secs("2024-03-01T13:15:00+0300"), 1709288100);
  EXPECT_EQ(secs("2024-03-01T13:15:00+03"), 1709288100);
  EXPECT_EQ(secs("2024-03-01T05:45:00-04:30"), 1709288100);
  EXPECT_EQ(secs("2024-03-01 10:15:00"), 1709288100);
  EXPECT_EQ(secs("2024-03-01T10:15"), 1709288100);
  EXPECT_EQ(secs("2024-03-01T10:15:00.999Z"), 1709288100);
  EXPECT_EQ(secs("2024-02-29"), 1709164800);
  EXPECT_EQ(secs("2024-03-01T24:00:00Z"), secs("2024-03-02"));
}

TEST(ParseInstant, DateWithoutOffsetUsesTheDefaultOffset) {
  EXPECT_EQ(parse_instant("2024-03-01", 180)->unix_seconds(), secs("2024-02-29T21:00:00Z"));
  EXPECT_EQ(parse_instant("2024-03-01T10:00:00", 180)->unix_seconds(), secs("2024-03-01T07:00:00Z"));
  // An explicit offset wins over the default.
  EXPECT_EQ(parse_instant("2024-03-01T10:00:00Z", 180)->unix_seconds(), secs("2024-03-01T10:00:00Z"));
}

TEST(ParseInstant, BadTimestampsAreErrorsNotEpochZero) {
  for (const char* bad : {"", "2024", "2024-3-1", "2024-13-01", "2023-02-29", "2024-04-31", "2024-00-10",
                          "2024-03-01T25:00:00Z", "2024-03-01T10:60:00Z", "2024-03-01T10:00:61Z",
                          "2024-03-01X10:00:00", "2024-03-01T10:00:00+25:00", "2024-03-01T10:00:00 UTC",
                          "2024-03-01T10:00:00.Z", "01.03.2024", "yesterday"}) {
    auto t = parse_instant(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), ErrorCode::parse_error) << bad;
      EXPECT_NE(t.status().message().find(bad), std::string::npos) << t.status().message();
    }
  }
}

TEST(FormatIso, PrintsUtcAndOffsets) {
  EXPECT_EQ(format_iso(Instant::from_unix_seconds(1709288100)), "2024-03-01T10:15:00Z");
  EXPECT_EQ(format_iso(Instant::from_unix_seconds(1709288100), 180), "2024-03-01T13:15:00+03:00");
  EXPECT_EQ(format_iso(Instant::from_unix_seconds(-1)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_utc_offset(-330), "-05:30");
}

TEST(FormatIso, RoundTripsRandomInstants) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> dist(-2'000'000'000LL, 8'000'000'000LL);
  for (int i = 0; i < 2000; ++i) {
    const Instant t = Instant::from_unix_seconds(dist(rng));
    const int offset = static_cast<int>(rng() % 1441) - 720;
    EXPECT_EQ(parse_instant(format_iso(t, offset))->unix_seconds(), t.unix_seconds());
  }
}

TEST(FloorDiv, RoundsTowardNegativeInfinity) {
  static_assert(floor_div(-1, 86400) == -1);  // constexpr: the day before the epoch
  EXPECT_EQ(floor_div(0, 86400), 0);
  EXPECT_EQ(floor_div(86399, 86400), 0);
  EXPECT_EQ(floor_div(86400, 86400), 1);
  EXPECT_EQ(floor_div(-86400, 86400), -1);
  EXPECT_EQ(floor_div(-86401, 86400), -2);
  EXPECT_EQ(floor_div(7, -2), -4);
  EXPECT_EQ(floor_div(-7, -2), 3);
  // Against the floating-point floor, over a range of both signs.
  for (std::int64_t a = -1000; a <= 1000; a += 7)
    for (std::int64_t b : {-13, -1, 1, 3, 60, 86400})
      EXPECT_EQ(floor_div(a, b), static_cast<std::int64_t>(std::floor(static_cast<double>(a) / b)))
          << a << "/" << b;
}

TEST(Date, AgreesWithBoostGregorian) {
  // Boost.Date_Time covers the years 1400..9999.
  for (int days = days_from_civil(1400, 1, 1); days < days_from_civil(9999, 12, 31); days += 997) {
    const Date d(days);
    const boost::gregorian::date g = d.to_gregorian();
    EXPECT_EQ(d.year(), g.year());
    EXPECT_EQ(d.month(), g.month());
    EXPECT_EQ(d.day(), g.day());
    const int boost_iso = g.day_of_week().as_number() == 0 ? 7 : g.day_of_week().as_number();
    EXPECT_EQ(d.iso_weekday(), boost_iso);
    EXPECT_EQ(Date::from_gregorian(g), d);
  }
}

TEST(Date, ValidatesFields) {
  EXPECT_EQ(Date::parse("2024-02-29")->to_string(), "2024-02-29");
  EXPECT_FALSE(Date::parse("2023-02-29").ok());
  EXPECT_FALSE(Date::parse("2024-2-29").ok());
  EXPECT_FALSE(Date::from_ymd(2024, 13, 1).ok());
  EXPECT_EQ(Date::parse("1970-01-01")->iso_weekday(), 4);  // Thursday
  EXPECT_EQ(Date::parse("2024-03-04")->iso_weekday(), 1);  // Monday
}

TEST(Instant, DateAndTimeOfDayAtAnOffset) {
  const Instant t = *parse_instant("2024-03-01T22:30:00Z");
  EXPECT_EQ(t.date(0).to_string(), "2024-03-01");
  EXPECT_EQ(t.date(180).to_string(), "2024-03-02");
  EXPECT_EQ(t.seconds_of_day(180), 1 * 3600 + 30 * 60);
  EXPECT_EQ(Instant::at_midnight(*Date::parse("2024-03-02"), 180), *parse_instant("2024-03-01T21:00:00Z"));
  EXPECT_EQ(Instant::from_ptime(t.to_ptime()), t);
  EXPECT_EQ((t + std::chrono::hours(2)) - t, std::chrono::hours(2));
}

TEST(ParseUtcOffset, FormsAndErrors) {
  EXPECT_EQ(*parse_utc_offset("Z"), 0);
  EXPECT_EQ(*parse_utc_offset("+03:00"), 180);
  EXPECT_EQ(*parse_utc_offset("-0530"), -330);
  EXPECT_FALSE(parse_utc_offset("03:00").ok());
  EXPECT_FALSE(parse_utc_offset("+3").ok());
  EXPECT_FALSE(parse_utc_offset("+03:60").ok());
}

}  // namespace
}  // namespace dealflow
