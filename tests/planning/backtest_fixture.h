// Test helpers for the sweep and backtest tests: a small pipeline pair and
// seeded random histories (reopens, pipeline moves, field changes at the
// instants of events), and a rebuild of a log cut at an instant.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "planning/instant_fixture.h"

namespace dealflow::planning::testing {

using instant_testing::at;

inline LoadedPipeline make_pipeline(const std::string& json) {
  auto p = parse_pipeline_text(json);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

// "sales": NEW (10 %), QUAL (30 %), OFFER (60 %, best_case), CONTRACT (90 %, commit) open; WON; LOST.
inline const Pipeline& sales_pipeline() {
  static const LoadedPipeline p = make_pipeline(R"({"id": "sales", "name": "Продажи", "stages": [
    {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.1},
    {"id": "QUAL", "name": "Квалификация", "kind": "open", "probability": 0.3},
    {"id": "OFFER", "name": "Предложение", "kind": "open", "probability": 0.6},
    {"id": "CONTRACT", "name": "Договор", "kind": "open", "probability": 0.9},
    {"id": "WON", "name": "Успех", "kind": "won", "probability": 1.0},
    {"id": "LOST", "name": "Провал", "kind": "lost", "probability": 0.0}]})");
  return p.pipeline;
}

// "service": OPEN, DONE (won), FAIL (lost).
inline const Pipeline& service_pipeline() {
  static const LoadedPipeline p = make_pipeline(R"({"id": "service", "name": "Сервис", "stages": [
    {"id": "OPEN", "name": "Открыта", "kind": "open"},
    {"id": "DONE", "name": "Готово", "kind": "won"},
    {"id": "FAIL", "name": "Отказ", "kind": "lost"}]})");
  return p.pipeline;
}

inline StageId sales_stage(const char* id) {
  return *sales_pipeline().find_stage(id);
}

struct RandomLogOptions {
  int deals = 60;
  int max_events = 7;
  bool moves = true;
  bool field_changes = true;
  int days = 120;
};

// A random log over "sales" (and "service" for moved deals): times on a
// coarse grid (hours) so that events, field changes and moves often share
// instants; stage ids 0..6 (6 is no stage of "sales": skipped by the
// definition); reopens happen (a stage after WON/LOST).
inline analytics::EventLog random_log(std::uint32_t seed, const RandomLogOptions& o = {}) {
  std::mt19937 rng(seed);
  const Instant base = at("2024-01-01T00:00:00Z");
  analytics::EventLog log(base - std::chrono::days(1));
  const PipelineId sales = log.intern_pipeline("sales");
  const PipelineId service = log.intern_pipeline("service");
  const auto category = log.add_dimension("forecast_category");
  const char* managers[] = {"Иванов", "Petrova", "Ng"};
  const char* categories[] = {"pipeline", "best_case", "commit", "omitted", "bogus"};
  const auto hours = [&](int max) {
    return std::chrono::hours(std::uniform_int_distribution<int>(0, max)(rng));
  };
  const auto chance = [&](int percent) { return std::uniform_int_distribution<int>(0, 99)(rng) < percent; };
  for (int i = 0; i < o.deals; ++i) {
    const Instant created = base + hours(o.days * 24);
    std::optional<Money> amount;
    if (!chance(15))
      amount = Money(std::uniform_int_distribution<std::int64_t>(1, 1000)(rng) * 100, Currency::of("RUB"));
    auto d = log.add_deal("D" + std::to_string(i), chance(85) ? sales : service, created, amount);
    if (!d) throw std::runtime_error(d.status().to_string());
    if (!chance(10)) log.set_dimension(*d, analytics::StandardDimension::manager, managers[rng() % 3]);
    if (chance(30)) log.set_dimension(*d, category, categories[rng() % 5]);
    if (chance(50)) log.set_close_date(*d, created.date() + static_cast<int>(rng() % 90));
    if (chance(30)) (void)log.set_probability(*d, static_cast<std::uint32_t>(rng() % 10001));
    Instant t = created;
    const int events = std::uniform_int_distribution<int>(0, o.max_events)(rng);
    std::vector<Instant> times;
    for (int e = 0; e < events; ++e) {
      if (e > 0 || chance(50)) t = t + hours(240);
      int s = static_cast<int>(rng() % 7);
      if (e == 0 && chance(70)) s = 0;
      (void)log.append_event(*d, t, StageId{static_cast<std::uint16_t>(s)});
      times.push_back(t);
    }
    if (o.moves && chance(15)) {
      const Instant m = chance(50) && !times.empty() ? times[rng() % times.size()] : created + hours(600);
      (void)log.add_pipeline_move(*d, m, chance(50) ? service : sales);
    }
    if (!o.field_changes) continue;
    const int changes = std::uniform_int_distribution<int>(0, 5)(rng);
    for (int c = 0; c < changes; ++c) {
      const Instant ct = chance(40) && !times.empty() ? times[rng() % times.size()] : created + hours(1500);
      switch (rng() % 5) {
        case 0:
          (void)log.add_amount_change(
              *d, ct,
              chance(10) ? std::nullopt
                         : std::optional<Money>(
                               Money(static_cast<std::int64_t>(rng() % 100000), Currency::of("RUB"))));
          break;
        case 1:
          (void)log.add_close_date_change(*d, ct, ct.date() + static_cast<int>(rng() % 60));
          break;
        case 2:
          (void)log.add_probability_change(
              *d, ct, chance(10) ? std::nullopt : std::optional<std::uint32_t>(rng() % 10001));
          break;
        case 3:
          (void)log.add_dimension_change(*d, ct,
                                         analytics::to_dimension_id(analytics::StandardDimension::manager),
                                         chance(10) ? "" : managers[rng() % 3]);
          break;
        default:
          (void)log.add_dimension_change(*d, ct, category, categories[rng() % 5]);
          break;
      }
    }
  }
  log.seal();
  return log;
}

// Every instant at which something happens in the log, plus and minus a second.
inline std::vector<Instant> interesting_instants(const analytics::EventLog& log) {
  std::vector<Instant> out;
  for (std::size_t i = 0; i < log.event_count(); ++i) out.push_back(log.event_at(i));
  for (std::size_t i = 0; i < log.field_change_count(); ++i) out.push_back(log.field_change_at(i));
  for (const auto& m : log.pipeline_moves()) out.push_back(log.time_base() + Duration(m.at));
  for (std::size_t i = 0; i < log.deal_count(); ++i)
    out.push_back(log.created_at(DealId{static_cast<std::uint32_t>(i)}));
  const std::size_t n = out.size();
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(out[i] + Duration(1));
    out.push_back(out[i] - Duration(1));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace dealflow::planning::testing

namespace dealflow::planning::testing {

// The log as it would have been exported at `t`: deals created at or before
// t, their events, field changes and pipeline moves at or before t (the
// deals-table values are the values before the first change, as in `log`).
inline analytics::EventLog cut_log(const analytics::EventLog& log, Instant t) {
  analytics::EventLog out(log.time_base());
  for (std::size_t p = 0; p < log.pipelines().size(); ++p)
    out.intern_pipeline(log.pipelines().at(static_cast<Dictionary::Code>(p)));
  for (std::size_t k = 0; k < log.dimension_count(); ++k)
    out.add_dimension(log.dimension(analytics::DimensionId{static_cast<std::uint16_t>(k)}).name);
  const auto dim_value = [&](analytics::DimensionId dim, std::uint32_t code) {
    return code == analytics::kNoValue ? std::string_view{} : log.dimension(dim).values.at(code);
  };
  for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{i};
    if (log.created_at(d) > t) continue;
    auto n = out.add_deal(log.deal_key(d), log.pipeline(d), log.created_at(d), log.amount(d));
    if (!n) throw std::runtime_error(n.status().to_string());
    for (std::size_t k = 0; k < log.dimension_count(); ++k) {
      const analytics::DimensionId dim{static_cast<std::uint16_t>(k)};
      out.set_dimension(*n, dim, dim_value(dim, log.dimension(dim).codes[i]));
    }
    out.set_close_date(*n, log.close_date(d));
    (void)out.set_probability(*n, log.probability(d));
    for (std::size_t e = log.event_begin(d); e < log.event_end(d); ++e)
      if (log.event_at(e) <= t) (void)out.append_event(*n, log.event_at(e), log.event_stage(e));
    for (const auto& m : log.pipeline_moves(d)) {
      const Instant mt = log.time_base() + Duration(m.at);
      if (mt <= t) (void)out.add_pipeline_move(*n, mt, PipelineId{m.pipeline});
    }
    for (std::size_t c = log.field_change_begin(d); c < log.field_change_end(d); ++c) {
      const Instant ct = log.field_change_at(c);
      if (ct > t) continue;
      const analytics::DealField f = log.field_change_field(c);
      const std::uint32_t v = log.field_change_value(c);
      if (f == analytics::DealField::amount()) {
        (void)out.add_amount_change(*n, ct, log.field_change_amount(c));
      } else if (f == analytics::DealField::close_date()) {
        (void)out.add_close_date_change(*n, ct, log.field_change_date(c));
      } else if (f == analytics::DealField::probability()) {
        (void)out.add_probability_change(
            *n, ct, v == analytics::kNoValue ? std::nullopt : std::optional<std::uint32_t>(v));
      } else {
        (void)out.add_dimension_change(*n, ct, f.dimension_id(), dim_value(f.dimension_id(), v));
      }
    }
  }
  out.seal();
  return out;
}

}  // namespace dealflow::planning::testing
