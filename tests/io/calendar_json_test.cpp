// The calendar file format: the shipped example loads; every error has a JSON path.
#include "dealflow/io/calendar_json.h"

#include <gtest/gtest.h>

namespace dealflow {
namespace {

Result<BusinessCalendar> parse(const std::string& text) {
  auto doc = parse_json(text, "cal.json");
  if (!doc) return doc.status();
  return parse_calendar(JsonReader(*doc, "cal.json"));
}

TEST(CalendarJson, ShippedRussianCalendarLoads) {
  auto cal = load_calendar_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/calendars/ru-2024.json");
  ASSERT_TRUE(cal.ok()) << cal.status().to_string();
  EXPECT_EQ(cal->utc_offset_minutes(), 180);
  EXPECT_FALSE(cal->is_working_day(*Date::parse("2024-01-01")));  // New Year holidays
  EXPECT_FALSE(cal->is_working_day(*Date::parse("2024-03-08")));  // Women's Day
  EXPECT_TRUE(cal->is_working_day(*Date::parse("2024-04-27")));   // transferred Saturday
  EXPECT_FALSE(cal->is_working_day(*Date::parse("2024-04-29")));  // transferred day off
  EXPECT_TRUE(cal->is_working_day(*Date::parse("2024-03-07")));
  EXPECT_EQ(cal->working_seconds_per_day(), 8 * 3600);
}

TEST(CalendarJson, FullForm) {
  auto cal = parse(R"({"name": "Офис", "utc_offset": "+05:00", "weekdays": ["mon","tue","wed","thu","fri","sat"],
                       "hours": [["10:00","14:00"]], "holidays": ["2024-03-08"], "working_days": ["2024-03-10"]})");
  ASSERT_TRUE(cal.ok()) << cal.status().to_string();
  EXPECT_EQ(cal->name(), "Офис");
  EXPECT_EQ(cal->weekmask(), 0x3F);
  EXPECT_EQ(cal->working_seconds_per_day(), 4 * 3600);
  EXPECT_TRUE(cal->is_working_day(*Date::parse("2024-03-10")));  // Sunday, transferred
}

TEST(CalendarJson, ErrorsNameTheJsonPath) {
  struct Case {
    const char* text;
    const char* path;
  };
  for (const Case& c : {Case{R"({"utc_offset": "3"})", "/utc_offset"},
                        Case{R"({"weekdays": ["mon", "funday"]})", "/weekdays/1"},
                        Case{R"({"hours": [["09:00"]]})", "/hours/0"},
                        Case{R"({"hours": [["09:00", "25:00"]]})", "/hours/0/1"},
                        Case{R"({"hours": [["18:00", "09:00"]]})", "/hours"},
                        Case{R"({"holidays": ["2024-02-30"]})", "/holidays/0"},
                        Case{R"({"holidays": ["2024-03-09"], "working_days": ["2024-03-09"]})", "/working_days/0"},
                        Case{R"({"holyday": []})", "/holyday"}}) {
    auto cal = parse(c.text);
    ASSERT_FALSE(cal.ok()) << c.text;
    EXPECT_EQ(cal.status().location().json_path, c.path) << c.text << " -> " << cal.status().to_string();
  }
}

TEST(ClockTime, Parses) {
  EXPECT_EQ(*parse_clock_time("09:30"), 34200);
  EXPECT_EQ(*parse_clock_time("24:00"), 86400);
  EXPECT_FALSE(parse_clock_time("24:01").ok());
  EXPECT_FALSE(parse_clock_time("9:30").ok());
}

}  // namespace
}  // namespace dealflow
