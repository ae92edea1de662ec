// Test helpers for the durations, stale-deal, velocity, transition and
// scorecard tests: a small pipeline (A, B, C open; WON; LOST, JUNK lost;
// reopen LOST -> A; SLA on B) and a builder for logs whose instants are given
// in days (and hours) after Monday 2024-01-01T00:00:00Z.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "dealflow/analytics/event_log.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::analytics::testing {

inline constexpr std::int64_t kDay = 86400;
inline constexpr std::int64_t kHour = 3600;
inline const std::int64_t kT0 = 1704067200;  // 2024-01-01T00:00:00Z, a Monday

inline const Pipeline& small_pipeline() {
  static const LoadedPipeline loaded = [] {
    auto p = parse_pipeline_text(R"({
      "id": "small", "name": "Малая воронка",
      "stages": [
        {"id": "A", "name": "Новая", "kind": "open", "probability": 0.1},
        {"id": "B", "name": "Счёт", "kind": "open", "probability": 0.5, "sla": {"limit": "5d", "basis": "calendar"}},
        {"id": "C", "name": "Договор", "kind": "open", "probability": 0.8},
        {"id": "WON", "name": "Успех", "kind": "won"},
        {"id": "LOST", "name": "Провал", "kind": "lost"},
        {"id": "JUNK", "name": "Мусор", "kind": "lost"}],
      "reopens": [{"from": "LOST", "to": "A"}]})",
                                 "small.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

inline Instant day(double days) {
  return Instant::from_unix_seconds(kT0 + static_cast<std::int64_t>(days * static_cast<double>(kDay)));
}

// Builds a log over small_pipeline(); call seal() (or log()) before reading.
class LogBuilder {
 public:
  LogBuilder() : pid_(log_.intern_pipeline("small")) {}

  DealId deal(const std::string& key, double created_day, const std::string& manager = "",
              std::optional<std::int64_t> amount_rub = std::nullopt) {
    std::optional<Money> amount;
    if (amount_rub) amount = Money(*amount_rub * 100, Currency::of("RUB"));
    auto id = log_.add_deal(key, pid_, day(created_day), amount);
    if (!id) throw std::runtime_error(id.status().to_string());
    if (!manager.empty()) log_.set_dimension(*id, StandardDimension::manager, manager);
    return *id;
  }
  LogBuilder& set(DealId d, StandardDimension dim, const std::string& value) {
    log_.set_dimension(d, dim, value);
    return *this;
  }
  LogBuilder& event(DealId d, double at_day, const char* stage) { return event_at(d, day(at_day), stage); }
  LogBuilder& event_at(DealId d, Instant at, const char* stage) {
    auto s = small_pipeline().find_stage(stage);
    if (!s) throw std::runtime_error(std::string("no stage ") + stage);
    Status st = log_.append_event(d, at, *s);
    if (!st.ok()) throw std::runtime_error(st.to_string());
    return *this;
  }
  // For tests that add deals or events the builder has no helper for.
  EventLog& raw() { return log_; }
  const EventLog& log() {
    log_.seal();
    return log_;
  }

 private:
  EventLog log_;
  PipelineId pid_;
};

}  // namespace dealflow::analytics::testing
