// Periods: the text forms, fiscal years, stepping, local midnights and working days.
#include "dealflow/planning/period.h"

#include <gtest/gtest.h>

namespace dealflow::planning {
namespace {

Date d(const char* text) { return *Date::parse(text); }

TEST(Period, CalendarFormsCoverHalfOpenDateRanges) {
  auto m = parse_period("2026-07");
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(m->kind, PeriodKind::month);
  EXPECT_EQ(m->first, d("2026-07-01"));
  EXPECT_EQ(m->end, d("2026-08-01"));
  EXPECT_EQ(m->label, "2026-07");
  auto q = parse_period("2026-Q3");
  EXPECT_EQ(q->first, d("2026-07-01"));
  EXPECT_EQ(q->end, d("2026-10-01"));
  EXPECT_EQ(q->days(), 92);
  auto h = parse_period("2026-H1");
  EXPECT_EQ(h->first, d("2026-01-01"));
  EXPECT_EQ(h->end, d("2026-07-01"));
  auto y = parse_period("2024");
  EXPECT_EQ(y->days(), 366);  // leap year
  EXPECT_EQ(y->label, "2024");
  auto dec = parse_period("2026-12");
  EXPECT_EQ(dec->end, d("2027-01-01"));
}

TEST(Period, FiscalYearIsNamedByTheYearItStartsIn) {
  auto fy = parse_period("FY2026", 4);
  ASSERT_TRUE(fy.ok());
  EXPECT_EQ(fy->first, d("2026-04-01"));
  EXPECT_EQ(fy->end, d("2027-04-01"));
  EXPECT_EQ(fy->label, "FY2026");
  auto q4 = parse_period("FY2026-Q4", 4);
  EXPECT_EQ(q4->first, d("2027-01-01"));
  EXPECT_EQ(q4->end, d("2027-04-01"));
  EXPECT_EQ(q4->label, "FY2026-Q4");
  auto h2 = parse_period("2026-H2", 10);  // October start: H2 = April .. September 2027
  EXPECT_EQ(h2->first, d("2027-04-01"));
  EXPECT_EQ(h2->end, d("2027-10-01"));
  // With a January start the prefix changes nothing.
  EXPECT_EQ(parse_period("FY2026-Q2")->first, parse_period("2026-Q2")->first);
}

TEST(Period, RangesIncludeBothDays) {
  auto r = parse_period("2026-07-01..2026-07-15");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, PeriodKind::range);
  EXPECT_EQ(r->days(), 15);
  EXPECT_EQ(r->label, "2026-07-01..2026-07-15");
  EXPECT_TRUE(r->contains(d("2026-07-15")));
  EXPECT_FALSE(r->contains(d("2026-07-16")));
  EXPECT_EQ(parse_period("2026-07-01..2026-07-01")->days(), 1);
}

TEST(Period, BadTextNamesTheValueAndTheForms) {
  for (const char* bad : {"2026-13", "2026-Q5", "2026-H3", "2026-Q0", "26-Q1", "2026-", "FY2026-07", "Q3",
                          "2026-07-10..2026-07-01", "2026-07-01..tomorrow", "", "1900"}) {
    auto p = parse_period(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), ErrorCode::invalid_argument);
    EXPECT_NE(p.status().message().find("'" + std::string(bad) + "'"), std::string::npos) << p.status().message();
    EXPECT_NE(p.status().message().find("expected"), std::string::npos);
  }
  EXPECT_FALSE(parse_period("2026", 13).ok());
  EXPECT_FALSE(parse_period("2026", 0).ok());
}

TEST(Period, ContainingNextAndPrevious) {
  const Period q = period_containing(PeriodKind::quarter, d("2026-08-17"));
  EXPECT_EQ(q.label, "2026-Q3");
  EXPECT_EQ(next_period(q).label, "2026-Q4");
  EXPECT_EQ(next_period(next_period(q)).label, "2027-Q1");
  EXPECT_EQ(previous_period(q).label, "2026-Q2");
  const Period fq = period_containing(PeriodKind::quarter, d("2026-02-10"), 4);  // FY2025-Q4
  EXPECT_EQ(fq.label, "FY2025-Q4");
  EXPECT_EQ(fq.first, d("2026-01-01"));
  EXPECT_EQ(next_period(fq, 4).label, "FY2026-Q1");
  EXPECT_EQ(period_containing(PeriodKind::month, d("2026-02-28")).label, "2026-02");
  EXPECT_EQ(period_containing(PeriodKind::year, d("2026-03-31"), 4).label, "FY2025");
  const Period r = *parse_period("2026-07-01..2026-07-10");
  EXPECT_EQ(next_period(r).first, d("2026-07-11"));
  EXPECT_EQ(previous_period(r).end, d("2026-07-01"));
}

TEST(Period, InstantsAreLocalMidnights) {
  const Period q = *parse_period("2026-Q3");
  EXPECT_EQ(format_iso(q.begin_instant(180)), "2026-06-30T21:00:00Z");
  EXPECT_EQ(format_iso(q.end_instant()), "2026-10-01T00:00:00Z");
}

TEST(Period, WorkingDaysCountHolidaysAndTransferredDays) {
  BusinessCalendar cal;  // Mon–Fri
  const Period may = *parse_period("2024-05");
  EXPECT_EQ(may.working_days(cal), 23);  // 31 days, 4 weekends + Fri 31
  ASSERT_TRUE(cal.add_holiday(d("2024-05-01")).ok());
  ASSERT_TRUE(cal.add_holiday(d("2024-05-09")).ok());
  ASSERT_TRUE(cal.add_working_day(d("2024-05-04")).ok());  // a Saturday worked
  EXPECT_EQ(may.working_days(cal), 22);
}

}  // namespace
}  // namespace dealflow::planning
