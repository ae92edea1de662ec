// Test helpers for the event log, CSV loader and funnel tests: the hand-checked
// fixture under tests/analytics/fixtures/ and seeded random histories.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::analytics::testing {

inline std::string fixture_path(const std::string& name) {
  return std::string(DEALFLOW_SOURCE_DIR) + "/tests/analytics/fixtures/" + name;
}

// The fixture pipeline: NEW, QUAL, OFFER, CONTRACT open; WON; LOST, JUNK lost;
// reopen LOST -> NEW.
inline const Pipeline& fixture_pipeline() {
  static const LoadedPipeline loaded = [] {
    auto p = load_pipeline_file(fixture_path("funnel_pipeline.json"));
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

// A second, small pipeline for multi-pipeline tests: OPEN (open), DONE (won),
// FAIL (lost); `id` may hold any character.
inline LoadedPipeline small_pipeline(const std::string& id) {
  const Json j = {{"id", id},
                  {"name", "Сервис"},
                  {"stages", Json::array({Json{{"id", "OPEN"}, {"name", "Открыта"}, {"kind", "open"}},
                                          Json{{"id", "DONE"}, {"name", "Готово"}, {"kind", "won"}},
                                          Json{{"id", "FAIL"}, {"name", "Отказ"}, {"kind", "lost"}}})}};
  auto p = parse_pipeline_text(j.dump());
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

inline LoadedLog load_fixture(LoadMode mode = LoadMode::strict) {
  CsvLoadOptions options;
  options.mode = mode;
  options.default_pipeline = &fixture_pipeline();
  auto loaded = load_csv_files(fixture_path("funnel_deals.csv"), fixture_path("funnel_history.csv"),
                               {&fixture_pipeline()}, options);
  if (!loaded) throw std::runtime_error(loaded.status().to_string());
  return std::move(*loaded);
}

inline Instant at(const char* iso) {
  auto t = parse_instant(iso);
  if (!t) throw std::runtime_error(t.status().to_string());
  return *t;
}

inline StageId stage(const char* id) { return *fixture_pipeline().find_stage(id); }

// reached per open stage of a report section, in funnel order.
inline std::vector<std::uint64_t> reached(const FunnelFigures& f) {
  std::vector<std::uint64_t> out;
  for (const auto& s : f.stages) out.push_back(s.reached);
  return out;
}

inline std::vector<std::int64_t> amounts(const FunnelFigures& f) {
  std::vector<std::int64_t> out;
  for (const auto& s : f.stages) out.push_back(s.amount.empty() ? 0 : s.amount.front().minor_units());
  return out;
}

// A random log over the fixture pipeline: `deals` deals with 0..max_events
// events each, random stages (open, won, lost, reopen after a loss), times
// increasing per deal, a few managers, some deals without amount. Seeded.
inline EventLog random_log(std::uint64_t seed, std::size_t deals, int max_events = 8) {
  std::mt19937_64 rng(seed);
  const Pipeline& p = fixture_pipeline();
  EventLog log;
  const PipelineId pid = log.intern_pipeline(p.id());
  const char* managers[] = {"Иванов", "Петрова", "Сидоров", ""};
  const char* reasons[] = {"Дорого", "Спам", ""};
  const std::int64_t t0 = at("2024-01-01T00:00:00Z").unix_seconds();
  for (std::size_t d = 0; d < deals; ++d) {
    const std::int64_t created = t0 + static_cast<std::int64_t>(rng() % (90 * 86400));
    std::optional<Money> amount;
    if (rng() % 5 != 0) amount = Money(static_cast<std::int64_t>(rng() % 100000), Currency::of("RUB"));
    auto id = log.add_deal("R" + std::to_string(d), pid, Instant::from_unix_seconds(created), amount);
    log.set_dimension(*id, StandardDimension::manager, managers[rng() % 4]);
    log.set_dimension(*id, StandardDimension::lost_reason, reasons[rng() % 3]);
    const int n = static_cast<int>(rng() % static_cast<std::uint64_t>(max_events + 1));
    std::int64_t t = created;
    StageId current;
    for (int k = 0; k < n; ++k) {
      StageId next;
      if (current.valid() && p.is_terminal(current)) {
        if (p.stage(current).id != "LOST" || rng() % 2) break;  // closed; sometimes reopened
        next = stage("NEW");
      } else {
        next = StageId{static_cast<std::uint16_t>(rng() % p.stage_count())};
      }
      t += static_cast<std::int64_t>(rng() % (3 * 86400));
      EXPECT_TRUE(log.append_event(*id, Instant::from_unix_seconds(t), next, "bot").ok());
      current = next;
    }
  }
  log.seal();
  return log;
}

}  // namespace dealflow::analytics::testing
