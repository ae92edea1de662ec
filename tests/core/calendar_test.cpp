// Business time: half-open intervals over working hours, weekends, holidays and
// transferred working days. Expected values are counted by hand.
#include "dealflow/core/calendar.h"

#include <gtest/gtest.h>

#include <random>

namespace dealflow {
namespace {

Instant at(std::string_view text) { return *parse_instant(text); }
std::int64_t hours(Duration d) { return d.count() / 3600; }

// Mon–Fri 09:00–13:00 and 14:00–18:00 at UTC+3 (8 working hours a day).
BusinessCalendar moscow_office() {
  BusinessCalendar c;
  EXPECT_TRUE(c.set_hours({{9 * 3600, 13 * 3600}, {14 * 3600, 18 * 3600}}).ok());
  EXPECT_TRUE(c.set_utc_offset_minutes(180).ok());
  return c;
}

TEST(BusinessCalendar, WithinOneDayCountsOnlyWorkingHours) {
  const auto c = moscow_office();
  // 2024-03-04 is a Monday. 10:00–15:00 local = 3h morning + 1h afternoon.
  EXPECT_EQ(hours(c.business_duration(at("2024-03-04T10:00:00+03:00"), at("2024-03-04T15:00:00+03:00"))), 4);
  EXPECT_EQ(c.business_duration(at("2024-03-04T13:10:00+03:00"), at("2024-03-04T13:50:00+03:00")).count(), 0);
  EXPECT_EQ(c.business_duration(at("2024-03-04T12:30:00+03:00"), at("2024-03-04T14:30:00+03:00")).count(), 3600);
  EXPECT_EQ(c.business_duration(at("2024-03-04T15:00:00+03:00"), at("2024-03-04T10:00:00+03:00")).count(), 0);
}

TEST(BusinessCalendar, AcrossAWeekend) {
  const auto c = moscow_office();
  // Friday 2024-03-01 17:00 → Monday 2024-03-04 10:00: 1h Friday + 1h Monday.
  EXPECT_EQ(hours(c.business_duration(at("2024-03-01T17:00:00+03:00"), at("2024-03-04T10:00:00+03:00"))), 2);
  // A full Mon..Mon week: 5 days × 8h.
  EXPECT_EQ(hours(c.business_duration(at("2024-03-04T00:00:00+03:00"), at("2024-03-11T00:00:00+03:00"))), 40);
}

TEST(BusinessCalendar, HolidaysAndTransferredWorkingDays) {
  auto c = moscow_office();
  ASSERT_TRUE(c.add_holiday(*Date::parse("2024-03-08")).ok());      // Friday, holiday
  ASSERT_TRUE(c.add_working_day(*Date::parse("2024-03-09")).ok());  // Saturday, worked
  EXPECT_FALSE(c.is_working_day(*Date::parse("2024-03-08")));
  EXPECT_TRUE(c.is_working_day(*Date::parse("2024-03-09")));
  // Thu 03-07 00:00 → Mon 03-11 00:00: Thu 8 + Fri 0 + Sat 8 + Sun 0.
  EXPECT_EQ(hours(c.business_duration(at("2024-03-07T00:00:00+03:00"), at("2024-03-11T00:00:00+03:00"))), 16);
  // Six weeks with one holiday and one transferred day: 30 × 8.
  EXPECT_EQ(hours(c.business_duration(at("2024-02-26T00:00:00+03:00"), at("2024-04-08T00:00:00+03:00"))), 240);
  EXPECT_FALSE(c.add_working_day(*Date::parse("2024-03-08")).ok());
  EXPECT_FALSE(c.add_holiday(*Date::parse("2024-03-09")).ok());
}

TEST(BusinessCalendar, TheOffsetDecidesTheLocalDay) {
  const auto c = moscow_office();
  // 2024-03-04T06:00Z is 09:00 Monday in Moscow: the working day starts.
  EXPECT_TRUE(c.is_working_time(at("2024-03-04T06:00:00Z")));
  EXPECT_FALSE(c.is_working_time(at("2024-03-04T05:59:59Z")));
  EXPECT_FALSE(c.is_working_time(at("2024-03-04T10:30:00Z")));  // 13:30 lunch
}

TEST(BusinessCalendar, AddBusinessTime) {
  const auto c = moscow_office();
  // Friday 16:00 + 4h → 2h Friday, then Monday 09:00 + 2h = 11:00.
  EXPECT_EQ(*c.add_business_time(at("2024-03-01T16:00:00+03:00"), std::chrono::hours(4)),
            at("2024-03-04T11:00:00+03:00"));
  // From outside hours the clock starts at the next opening.
  EXPECT_EQ(*c.add_business_time(at("2024-03-02T12:00:00+03:00"), std::chrono::hours(1)),
            at("2024-03-04T10:00:00+03:00"));
  // Exactly the rest of the morning ends at 13:00, not at 14:00.
  EXPECT_EQ(*c.add_business_time(at("2024-03-04T12:00:00+03:00"), std::chrono::hours(1)),
            at("2024-03-04T13:00:00+03:00"));
  EXPECT_EQ(*c.add_business_time(at("2024-03-04T12:00:00+03:00"), Duration(0)), at("2024-03-04T12:00:00+03:00"));
  EXPECT_FALSE(c.add_business_time(at("2024-03-04T12:00:00+03:00"), Duration(-1)).ok());
}

TEST(BusinessCalendar, NoWorkingTimeIsAnError) {
  BusinessCalendar c;
  ASSERT_TRUE(c.set_weekmask(0).ok());
  EXPECT_EQ(c.add_business_time(at("2024-03-04T12:00:00Z"), std::chrono::hours(1)).status().code(),
            ErrorCode::invalid_argument);
}

TEST(BusinessCalendar, RejectsBadHours) {
  BusinessCalendar c;
  EXPECT_FALSE(c.set_hours({{10 * 3600, 9 * 3600}}).ok());
  EXPECT_FALSE(c.set_hours({{9 * 3600, 13 * 3600}, {12 * 3600, 18 * 3600}}).ok());
  EXPECT_FALSE(c.set_hours({{0, 90000}}).ok());
  EXPECT_FALSE(c.set_utc_offset_minutes(19 * 60).ok());
  EXPECT_FALSE(c.set_weekmask(0x80).ok());
}

TEST(BusinessCalendar, AlwaysOpenEqualsCalendarTime) {
  const auto c = BusinessCalendar::always_open();
  EXPECT_EQ(c.business_duration(at("2024-03-01T17:00:00Z"), at("2024-03-04T10:00:00Z")),
            at("2024-03-04T10:00:00Z") - at("2024-03-01T17:00:00Z"));
}

// Property: the fast duration equals a minute-by-minute count, durations add up
// over a split point, and add_business_time inverts business_duration.
TEST(BusinessCalendar, PropertiesAgainstBruteForce) {
  auto c = moscow_office();
  ASSERT_TRUE(c.add_holiday(*Date::parse("2024-03-08")).ok());
  ASSERT_TRUE(c.add_working_day(*Date::parse("2024-03-16")).ok());
  std::mt19937_64 rng(42);
  const std::int64_t base = at("2024-02-20T00:00:00Z").unix_seconds();
  for (int i = 0; i < 150; ++i) {
    const std::int64_t a = base + static_cast<std::int64_t>(rng() % (40 * 86400 / 60)) * 60;
    const std::int64_t b = a + static_cast<std::int64_t>(rng() % (20 * 86400 / 60)) * 60;
    const Instant from = Instant::from_unix_seconds(a);
    const Instant to = Instant::from_unix_seconds(b);
    std::int64_t brute = 0;
    for (std::int64_t t = a; t < b; t += 60) brute += c.is_working_time(Instant::from_unix_seconds(t)) ? 60 : 0;
    ASSERT_EQ(c.business_duration(from, to).count(), brute) << format_iso(from) << " " << format_iso(to);
    const Instant mid = Instant::from_unix_seconds(a + (b - a) / 2);
    EXPECT_EQ(c.business_duration(from, to), c.business_duration(from, mid) + c.business_duration(mid, to));
    if (brute > 0) {
      const Instant back = *c.add_business_time(from, Duration(brute));
      EXPECT_EQ(c.business_duration(from, back).count(), brute);
      EXPECT_LE(back, to);
    }
  }
}

}  // namespace
}  // namespace dealflow
