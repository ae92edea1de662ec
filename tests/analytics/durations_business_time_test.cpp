// Durations in business time: a cycle across a weekend and a holiday.
#include <gtest/gtest.h>

#include "analytics/durations_fixture.h"
#include "analytics/funnel_fixture.h"
#include "dealflow/analytics/durations.h"
#include "dealflow/core/calendar.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

using testing::at;

TEST(DurationsBusinessTime, CycleAcrossAWeekendAndAHoliday) {
  // Mon-Fri 09:00-18:00 UTC, Monday 2024-03-04 a holiday.
  BusinessCalendar cal;
  ASSERT_TRUE(cal.add_holiday(*Date::parse("2024-03-04")).ok());
  // Created Friday 2024-03-01 16:00, B on Tuesday 10:00, won Tuesday 15:30.
  EventLog log;
  const PipelineId pid = log.intern_pipeline("small");
  const DealId x = *log.add_deal("x", pid, at("2024-03-01T16:00:00Z"));
  const Pipeline& p = small_pipeline();
  ASSERT_TRUE(log.append_event(x, at("2024-03-01T16:00:00Z"), *p.find_stage("A")).ok());
  ASSERT_TRUE(log.append_event(x, at("2024-03-05T10:00:00Z"), *p.find_stage("B")).ok());
  ASSERT_TRUE(log.append_event(x, at("2024-03-05T15:30:00Z"), *p.find_stage("WON")).ok());
  log.seal();

  DurationQuery q;
  q.basis = TimeBasis::business;
  q.calendar = &cal;
  auto r = compute_durations(log, p, q);
  ASSERT_TRUE(r) << r.status().to_string();
  // A: Friday 16:00-18:00 (2 h) + Tuesday 09:00-10:00 (1 h) = 3 h; the weekend and Monday count nothing.
  EXPECT_EQ(r->total.stages[0].first_visit.median, 3 * kHour);
  // B: Tuesday 10:00-15:30 = 5.5 h.
  EXPECT_EQ(r->total.stages[1].first_visit.median, 5 * kHour + 1800);
  // Cycle 8.5 business hours.
  EXPECT_EQ(r->total.cycle.to_close.median, 8 * kHour + 1800);
  EXPECT_EQ(r->total.cycle.to_won.median, 8 * kHour + 1800);
  EXPECT_EQ(r->definition.basis, TimeBasis::business);

  // The same in calendar time: 3 days 23.5 hours.
  q.basis = TimeBasis::calendar;
  r = compute_durations(log, p, q);
  EXPECT_EQ(r->total.cycle.to_close.median, 3 * kDay + 23 * kHour + 1800);
}

}  // namespace
}  // namespace dealflow::analytics
