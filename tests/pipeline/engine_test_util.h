// Helpers for the deal-engine tests: pipelines from JSON text, instants, and
// a comparable snapshot of an engine (every deal + both history logs).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dealflow/core/time.h"
#include "dealflow/pipeline/engine.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::engine_testing {

// The manager who moves the deals in the engine tests.
inline const ManagerId kAnna{1};

inline Instant at(std::string_view iso) {
  auto t = parse_instant(iso);
  EXPECT_TRUE(t.ok()) << iso;
  return t ? *t : Instant{};
}

// A workspace of the given pipeline configs (JSON text), sharing one vocabulary.
inline std::shared_ptr<const Workspace> workspace_of(const std::vector<std::string>& configs) {
  auto vocabulary = std::make_shared<Vocabulary>();
  std::vector<Pipeline> pipelines;
  for (const std::string& json : configs) {
    auto loaded = parse_pipeline_text(json, "<test>", vocabulary);
    EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
    if (!loaded) return nullptr;
    pipelines.push_back(std::move(loaded->pipeline));
  }
  auto ws = Workspace::create(std::move(pipelines));
  EXPECT_TRUE(ws.ok()) << ws.status().to_string();
  if (!ws) return nullptr;
  return std::make_shared<const Workspace>(std::move(*ws));
}

inline std::shared_ptr<const Workspace> workspace_files(const std::vector<std::string>& names) {
  std::vector<std::string> paths;
  for (const std::string& n : names) paths.push_back(std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/" + n);
  auto loaded = load_workspace(paths);
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  if (!loaded) return nullptr;
  return std::make_shared<const Workspace>(std::move(loaded->workspace));
}

template <class E>
E make_engine(std::shared_ptr<const Workspace> ws, EngineOptions options = {}) {
  auto e = E::make(std::move(ws), std::move(options));
  if (!e.ok()) {
    ADD_FAILURE() << e.status().to_string();
    std::abort();
  }
  return std::move(*e);
}

inline StageId stage(const Workspace& ws, std::string_view id, PipelineId p = PipelineId{0}) {
  auto s = ws.pipeline(p).find_stage(id);
  EXPECT_TRUE(s.has_value()) << id;
  return s.value_or(StageId{});
}

// Everything observable about an engine's deals and history, comparable with ==.
struct EngineSnapshot {
  std::vector<HistoryEvent> events;
  std::vector<FieldEvent> field_events;
  std::vector<std::string> deals;  // one line per deal
  std::size_t pending_timers = 0;
  std::size_t links = 0;
  friend bool operator==(const EngineSnapshot&, const EngineSnapshot&) = default;
};

inline std::string describe(const Deal& d) {
  std::string s = std::to_string(d.id.value()) + " p" + std::to_string(d.pipeline.value()) + " s" +
                  std::to_string(d.stage.value()) + " " + d.amount.to_string() + " o" + std::to_string(d.owner.value()) +
                  " c" + std::to_string(d.client.value()) + " " + format_iso(d.created_at) + " " +
                  format_iso(d.stage_entered_at) + " " + format_iso(d.last_event_at) + " e" +
                  std::to_string(d.stage_entries) + " pr" +
                  (d.probability_override ? std::to_string(*d.probability_override) : std::string("-")) + " src" +
                  std::to_string(d.source_deal.value());
  for (ValueCode v : d.attributes) s += std::string(" ") + std::to_string(v);
  return s;
}

template <class E>
EngineSnapshot snapshot(const E& engine) {
  EngineSnapshot s;
  s.events = engine.history().events();
  for (std::size_t i = 0; i < engine.history().field_event_count(); ++i)
    s.field_events.push_back(engine.history().field_event(i));
  for (std::uint32_t i = 0; i < engine.deal_count(); ++i) s.deals.push_back(describe(*engine.deal(DealId{i})));
  s.pending_timers = engine.pending_timers();
  for (std::uint32_t i = 0; i < engine.deal_count(); ++i) s.links += engine.links(DealId{i}).size();
  return s;
}

// A free pipeline used by many tests: three open stages, won, two lost.
inline const char* kFreePipeline = R"({"id": "sales", "name": "Продажи", "policy": "free",
  "stages": [
    {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.1},
    {"id": "TALK", "name": "Переговоры", "kind": "open", "probability": 0.4},
    {"id": "INVOICE", "name": "Счёт", "kind": "open", "probability": 0.8},
    {"id": "WON", "name": "Успешна", "kind": "won"},
    {"id": "LOSE", "name": "Провалена", "kind": "lost"},
    {"id": "JUNK", "name": "Спам", "kind": "lost"}],
  "reopens": [{"from": "LOSE", "to": "NEW"}]})";

}  // namespace dealflow::engine_testing
