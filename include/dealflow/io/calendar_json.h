// dealflow/io/calendar_json.h: loading a BusinessCalendar from its JSON file.
//
// Format (docs/calendar.md; example data/calendars/ru-2024.json):
//   {"name": "Россия 2024",                       optional
//    "utc_offset": "+03:00",                      optional, default "Z"
//    "weekdays": ["mon","tue","wed","thu","fri"], optional, default Mon–Fri
//    "hours": [["09:00","13:00"],["14:00","18:00"]], optional, default 09:00–18:00
//    "holidays": ["2024-01-01", ...],             days off
//    "working_days": ["2024-04-27", ...]}         transferred working days
// Every error names the file and the JSON path of the bad value.
//
// Thread-safety: reentrant functions.
//
// Example:
//   auto cal = dealflow::load_calendar_file("data/calendars/ru-2024.json");
//   if (!cal) { std::cerr << cal.status().to_string(); return 1; }
#pragma once

#include <string>
#include <string_view>

#include "dealflow/core/calendar.h"
#include "dealflow/io/json.h"

namespace dealflow {

Result<BusinessCalendar> parse_calendar(const JsonReader& root);
Result<BusinessCalendar> load_calendar_file(const std::string& path);
// "09:30" -> 34200 seconds since midnight ("24:00" allowed as an end).
Result<int> parse_clock_time(std::string_view text);

}  // namespace dealflow
