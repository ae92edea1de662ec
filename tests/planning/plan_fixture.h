// Test helpers for the plan and attainment tests: a small pipeline, a
// hand-built log of June 2024 and plans parsed from JSON text.
//
// The June log (offset +00:00; figures in docs/planning.md's worked example):
//   d1  Иванова  200 000.00 RUB  won 2024-06-05
//   d2  Петров   150 000.00 RUB  won 2024-06-10, reassigned to Иванова 2024-06-12 (Петров keeps the credit)
//   d3  Иванова  100 000.00 RUB  won 2024-05-31T23:00Z (May at UTC, June at +03:00)
//   d4  Иванова  300 000.00 RUB  open at OFFER (stage p = 0.6), close date 2024-06-25
//   d5  Петров   100 000.00 RUB  open at NEW, own p = 35.55%, close date 2024-06-28
//   d6  Иванова  500 000.00 RUB  open, close date 2024-07-05 (not June)
//   d7  Петров    50 000.00 RUB  lost 2024-06-07
//   d8  Иванова   80 000.00 RUB  open on 2024-06-15, won 2024-06-20
//   d9  Петров     1 000.00 USD  won 2024-06-11
// Created in June: d2 (06-03), d5 (06-05), d6 (06-14), d7 (06-01), d8 (06-01), d9 (06-02).
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/calendar.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/plan.h"
#include "planning/instant_fixture.h"

namespace dealflow::planning::plan_testing {

using instant_testing::at;
inline Date day(const char* iso) {
  return *Date::parse(iso);
}

inline const Pipeline& sales_pipeline() {
  static const LoadedPipeline loaded = [] {
    auto p = parse_pipeline_text(R"({"id": "sales", "name": "Продажи", "stages": [
      {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.2},
      {"id": "OFFER", "name": "Предложение", "kind": "open", "probability": 0.6},
      {"id": "WON", "name": "Успех", "kind": "won"},
      {"id": "LOST", "name": "Провал", "kind": "lost"}]})");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}
inline StageId stage(const char* id) {
  return *sales_pipeline().find_stage(id);
}

inline const char* kIvanova = "Иванова Анна";
inline const char* kPetrov = "Петров Пётр";

// The June 2024 log described above.
inline analytics::EventLog june_log() {
  using analytics::StandardDimension;
  analytics::EventLog log;
  const PipelineId sales = log.intern_pipeline("sales");
  const auto rub = Currency::of("RUB"), usd = Currency::of("USD");
  const auto manager = analytics::to_dimension_id(StandardDimension::manager);
  auto deal = [&](const char* key, const char* created, std::int64_t minor, Currency c, const char* owner) {
    DealId d = *log.add_deal(key, sales, at(created), Money(minor, c));
    log.set_dimension(d, StandardDimension::manager, owner);
    log.set_dimension(d, StandardDimension::region, "Москва");
    EXPECT_TRUE(log.append_event(d, at(created), stage("NEW")).ok());
    return d;
  };
  auto move = [&](DealId d, const char* when, const char* s) {
    EXPECT_TRUE(log.append_event(d, at(when), stage(s)).ok());
  };
  DealId d1 = deal("d1", "2024-05-20T09:00:00Z", 20000000, rub, kIvanova);
  move(d1, "2024-06-05T12:00:00Z", "WON");
  DealId d2 = deal("d2", "2024-06-03T09:00:00Z", 15000000, rub, kPetrov);
  move(d2, "2024-06-10T12:00:00Z", "WON");
  EXPECT_TRUE(log.add_dimension_change(d2, at("2024-06-12T09:00:00Z"), manager, kIvanova).ok());
  DealId d3 = deal("d3", "2024-05-15T09:00:00Z", 10000000, rub, kIvanova);
  move(d3, "2024-05-31T23:00:00Z", "WON");
  DealId d4 = deal("d4", "2024-05-10T09:00:00Z", 30000000, rub, kIvanova);
  move(d4, "2024-05-20T09:00:00Z", "OFFER");
  log.set_close_date(d4, day("2024-06-25"));
  DealId d5 = deal("d5", "2024-06-05T09:00:00Z", 10000000, rub, kPetrov);
  EXPECT_TRUE(log.set_probability(d5, 3555).ok());
  log.set_close_date(d5, day("2024-06-28"));
  DealId d6 = deal("d6", "2024-06-14T09:00:00Z", 50000000, rub, kIvanova);
  log.set_close_date(d6, day("2024-07-05"));
  DealId d7 = deal("d7", "2024-06-01T09:00:00Z", 5000000, rub, kPetrov);
  move(d7, "2024-06-07T12:00:00Z", "LOST");
  DealId d8 = deal("d8", "2024-06-01T10:00:00Z", 8000000, rub, kIvanova);
  move(d8, "2024-06-20T12:00:00Z", "WON");
  DealId d9 = deal("d9", "2024-06-02T09:00:00Z", 100000, usd, kPetrov);
  move(d9, "2024-06-11T12:00:00Z", "WON");
  log.seal();
  return log;
}

// Mon–Fri with the Russian June 2024: 12 June a holiday, Saturday 8 June worked.
inline BusinessCalendar june_calendar() {
  BusinessCalendar c;
  c.set_name("Россия июнь 2024");
  EXPECT_TRUE(c.add_holiday(day("2024-06-12")).ok());
  EXPECT_TRUE(c.add_working_day(day("2024-06-08")).ok());
  return c;
}

inline Result<Plan> plan_from_text(const std::string& text, const std::string& base_dir = ".") {
  return parse_plan_text(text, "plan.json", base_dir);
}

inline Plan plan_or_throw(const std::string& text) {
  auto p = plan_from_text(text);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

}  // namespace dealflow::planning::plan_testing
