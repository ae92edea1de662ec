// Test helpers for the forecast tests: a five-stage pipeline and a small
// hand-built log whose forecasts are computed by hand in the tests.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "dealflow/analytics/event_log.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "planning/instant_fixture.h"

namespace dealflow::planning::forecast_testing {

// NEW (0.1, pipeline), OFFER (0.6, best case), COMMIT (0.9, commit), WON, LOST.
inline const Pipeline& forecast_pipeline() {
  static const LoadedPipeline loaded = [] {
    const Json j = {
        {"id", "sales"},
        {"name", "Продажи"},
        {"stages",
         Json::array({Json{{"id", "NEW"}, {"name", "Новая"}, {"kind", "open"}, {"probability", 0.1}},
                      Json{{"id", "OFFER"}, {"name", "КП"}, {"kind", "open"}, {"probability", 0.6}},
                      Json{{"id", "COMMIT"}, {"name", "Договор"}, {"kind", "open"}, {"probability", 0.9}},
                      Json{{"id", "WON"}, {"name", "Успех"}, {"kind", "won"}},
                      Json{{"id", "LOST"}, {"name", "Отказ"}, {"kind", "lost"}}})}};
    auto p = parse_pipeline_text(j.dump());
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

using instant_testing::at;

inline Date date(const char* iso) {
  return at(iso).date();
}

inline StageId stage(const char* id) {
  return *forecast_pipeline().find_stage(id);
}

inline Money rub(std::int64_t kopecks) {
  return Money(kopecks, Currency::of("RUB"));
}

// Adds a deal with its stage events (stage ids and instants alternating).
struct DealSpec {
  const char* key;
  const char* created;
  std::optional<Money> amount;
  const char* manager;
  std::vector<std::pair<const char*, const char*>> events;  // stage, instant
};

inline DealId add(analytics::EventLog& log, const DealSpec& s) {
  auto d = log.add_deal(s.key, log.intern_pipeline("sales"), at(s.created), s.amount);
  if (!d) throw std::runtime_error(d.status().to_string());
  if (s.manager) log.set_dimension(*d, analytics::StandardDimension::manager, s.manager);
  for (const auto& [st, when] : s.events)
    if (!log.append_event(*d, at(when), stage(st)).ok()) throw std::runtime_error("append_event");
  return *d;
}

// The hand-computed log of forecast_weighted_test.cpp (as of 2026-08-01, period 2026-Q3):
//   A NEW    100000 kop, close 2026-09-15, stage default 10 %      -> 100000 x 1000
//   B OFFER  200000 kop, close 2026-08-20, own 33.33 %             -> 200000 x 3333
//   C COMMIT  50001 kop, close 2026-09-30, stage default 90 %      ->  50001 x 9000
//   D OFFER  300000 kop, close 2026-10-05 (after the period)      -> 0
//   E NEW    400000 kop, no close date                             -> 0
//   F won 2026-07-10, 70000 kop (fact; Иванов then, Петрова later)
//   G won 2026-06-20 (before the period), H lost 2026-07-15
inline analytics::EventLog hand_log() {
  analytics::EventLog log;
  const auto a = add(log, {"A", "2026-06-01", rub(100000), "Иванов", {{"NEW", "2026-06-01T10:00:00Z"}}});
  const auto b = add(log, {"B",
                           "2026-06-02",
                           rub(200000),
                           "Иванов",
                           {{"NEW", "2026-06-02T10:00:00Z"}, {"OFFER", "2026-07-01T10:00:00Z"}}});
  const auto c = add(log, {"C",
                           "2026-06-03",
                           rub(50001),
                           "Петрова",
                           {{"NEW", "2026-06-03T10:00:00Z"}, {"COMMIT", "2026-07-05T10:00:00Z"}}});
  const auto d = add(log, {"D", "2026-06-04", rub(300000), "Петрова", {{"OFFER", "2026-06-04T10:00:00Z"}}});
  add(log, {"E", "2026-06-05", rub(400000), "", {{"NEW", "2026-06-05T10:00:00Z"}}});
  const auto f = add(log, {"F",
                           "2026-05-01",
                           rub(70000),
                           "Иванов",
                           {{"NEW", "2026-05-01T10:00:00Z"}, {"WON", "2026-07-10T10:00:00Z"}}});
  add(log, {"G",
            "2026-05-02",
            rub(90000),
            "Иванов",
            {{"NEW", "2026-05-02T10:00:00Z"}, {"WON", "2026-06-20T10:00:00Z"}}});
  add(log, {"H",
            "2026-05-03",
            rub(80000),
            "Петрова",
            {{"NEW", "2026-05-03T10:00:00Z"}, {"LOST", "2026-07-15T10:00:00Z"}}});
  const auto t0 = at("2026-06-10T00:00:00Z");
  (void)log.add_close_date_change(a, t0, date("2026-09-15"));
  (void)log.add_close_date_change(b, t0, date("2026-08-20"));
  (void)log.add_probability_change(b, t0, 3333);
  (void)log.add_close_date_change(c, t0, date("2026-09-30"));
  (void)log.add_close_date_change(d, t0, date("2026-10-05"));
  (void)log.add_dimension_change(f, at("2026-07-20T00:00:00Z"),
                                 analytics::to_dimension_id(analytics::StandardDimension::manager),
                                 "Петрова");
  log.seal();
  return log;
}

}  // namespace dealflow::planning::forecast_testing
