#include "dealflow/io/calendar_json.h"

#include <array>

namespace dealflow {

Result<int> parse_clock_time(std::string_view t) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (t.size() != 5 || !digit(t[0]) || !digit(t[1]) || t[2] != ':' || !digit(t[3]) || !digit(t[4])) {
    return Status(ErrorCode::parse_error, "invalid time of day '" + std::string(t) + "': expected HH:MM");
  }
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) {
    return Status(ErrorCode::parse_error, "invalid time of day '" + std::string(t) + "': out of range 00:00..24:00");
  }
  return h * 3600 + m * 60;
}

Result<BusinessCalendar> parse_calendar(const JsonReader& root) {
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(root.reject_unknown_keys({"name", "utc_offset", "weekdays", "hours", "holidays", "working_days"}));
  BusinessCalendar cal;
  auto name = root.optional_string("name", "");
  if (!name) return name.status();
  cal.set_name(*name);

  auto offset_text = root.optional_string("utc_offset", "Z");
  if (!offset_text) return offset_text.status();
  auto offset = parse_utc_offset(*offset_text);
  if (!offset) return root.error_at("utc_offset", offset.status().message(), ErrorCode::parse_error);
  DEALFLOW_RETURN_IF_ERROR(cal.set_utc_offset_minutes(*offset).with_location(root.get("utc_offset") ? root.get("utc_offset")->location() : root.location()));

  if (root.has("weekdays")) {
    static constexpr std::array<std::string_view, 7> kNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    auto days = root.array("weekdays");
    if (!days) return days.status();
    std::uint8_t mask = 0;
    for (const JsonReader& d : *days) {
      auto s = d.as_string();
      if (!s) return s.status();
      std::size_t i = 0;
      while (i < kNames.size() && kNames[i] != *s) ++i;
      if (i == kNames.size()) return d.error("unknown weekday '" + *s + "': expected one of mon,tue,wed,thu,fri,sat,sun");
      mask = static_cast<std::uint8_t>(mask | (1u << i));
    }
    (void)cal.set_weekmask(mask);
  }

  if (root.has("hours")) {
    auto intervals = root.array("hours");
    if (!intervals) return intervals.status();
    std::vector<BusinessCalendar::Interval> hours;
    for (const JsonReader& item : *intervals) {
      auto pair = item.elements();
      if (!pair) return pair.status();
      if (pair->size() != 2) return item.error("expected [\"HH:MM\", \"HH:MM\"]");
      int bounds[2] = {0, 0};
      for (int k = 0; k < 2; ++k) {
        auto s = (*pair)[static_cast<std::size_t>(k)].as_string();
        if (!s) return s.status();
        auto secs = parse_clock_time(*s);
        if (!secs) return (*pair)[static_cast<std::size_t>(k)].error(secs.status().message(), ErrorCode::parse_error);
        bounds[k] = *secs;
      }
      hours.push_back({bounds[0], bounds[1]});
    }
    Status st = cal.set_hours(std::move(hours));
    if (!st.ok()) return root.error_at("hours", st.message());
  }

  for (const char* key : {"holidays", "working_days"}) {
    auto dates = root.array(key);
    if (!dates) return dates.status();
    for (const JsonReader& item : *dates) {
      auto s = item.as_string();
      if (!s) return s.status();
      auto date = Date::parse(*s);
      if (!date) return item.error(date.status().message(), ErrorCode::parse_error);
      Status st = std::string_view(key) == "holidays" ? cal.add_holiday(*date) : cal.add_working_day(*date);
      if (!st.ok()) return item.error(st.message());
    }
  }
  return cal;
}

Result<BusinessCalendar> load_calendar_file(const std::string& path) {
  auto doc = load_json_file(path);
  if (!doc) return doc.status();
  return parse_calendar(JsonReader(*doc, path));
}

}  // namespace dealflow
