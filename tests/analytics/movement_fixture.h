// Test helper of the movement tests: a seeded random world of two pipelines
// ("sales" = the fixture pipeline, "service" = small_pipeline) with moves
// between them, reopened deals, close dates pushed, pulled, set and cleared,
// amounts changed (also in currency, and cleared), half of the field changes
// at the instant of a stage event, and a random period, scope and UTC offset.
#pragma once

#include <random>

#include "dealflow/analytics/movement.h"
#include "funnel_fixture.h"

namespace dealflow::analytics::testing {

inline const Pipeline& service() {
  static const LoadedPipeline p = small_pipeline("service");
  return p.pipeline;
}

struct World {
  EventLog log;
  MovementQuery query;
};

inline World random_world(std::uint64_t seed, std::size_t deals) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  World w;
  EventLog& log = w.log;
  const PipelineId sales = log.intern_pipeline("sales"), svc = log.intern_pipeline("service");
  const Currency currencies[] = {Currency::of("RUB"), Currency::of("RUB"), Currency::of("USD")};
  const std::int64_t t0 = at("2024-03-01T00:00:00Z").unix_seconds();
  const std::int32_t d0 = Date::parse("2024-02-01").value().days_since_epoch();
  auto random_date = [&]() -> std::optional<Date> {
    if (pick(8) == 0) return std::nullopt;
    return Date(d0 + static_cast<std::int32_t>(pick(240)));
  };
  auto random_amount = [&]() -> std::optional<Money> {
    if (pick(8) == 0) return std::nullopt;
    return Money(static_cast<std::int64_t>(pick(1'000'000)), currencies[pick(3)]);
  };
  for (std::size_t i = 0; i < deals; ++i) {
    const Instant created = Instant::from_unix_seconds(t0 + static_cast<std::int64_t>(pick(120 * 86400)));
    auto d = *log.add_deal("R" + std::to_string(i), pick(4) ? sales : svc, created, random_amount());
    log.set_close_date(d, random_date());
    bool in_sales = log.pipeline(d) == sales;
    std::vector<Instant> times;
    std::int64_t t = created.unix_seconds() + (pick(3) == 0 ? 0 : static_cast<std::int64_t>(pick(3600)));
    StageId current;
    const int events = 1 + static_cast<int>(pick(7));
    for (int k = 0; k < events; ++k) {
      const Instant when = Instant::from_unix_seconds(t);
      if (k > 0 && pick(8) == 0) {  // a move to the other pipeline, entering its first stage
        in_sales = !in_sales;
        EXPECT_TRUE(log.add_pipeline_move(d, when, in_sales ? sales : svc).ok());
        current = StageId{0};
      } else if (in_sales) {
        const bool closed = current.valid() && fixture_pipeline().is_terminal(current);
        current = closed ? stage("NEW") : StageId{static_cast<std::uint16_t>(pick(7))};
      } else {
        const bool closed = current.valid() && current.value() > 0;
        current = closed ? StageId{0} : StageId{static_cast<std::uint16_t>(pick(3))};
      }
      EXPECT_TRUE(log.append_event(d, when, current).ok());
      times.push_back(when);
      t += 1 + static_cast<std::int64_t>(pick(20 * 86400));
    }
    const int changes = static_cast<int>(pick(6));
    for (int k = 0; k < changes; ++k) {
      // Half of the changes at the instant of a stage event.
      const Instant when = pick(2) ? times[pick(times.size())]
                                   : created + Duration(static_cast<std::int64_t>(pick(100 * 86400)));
      if (pick(2)) {
        EXPECT_TRUE(log.add_close_date_change(d, when, random_date()).ok());
      } else {
        EXPECT_TRUE(log.add_amount_change(d, when, random_amount()).ok());
      }
    }
  }
  log.seal();
  w.query.from = Instant::from_unix_seconds(t0 + static_cast<std::int64_t>(pick(60 * 86400)));
  w.query.to = w.query.from + Duration(static_cast<std::int64_t>(1 + pick(90 * 86400)));
  w.query.scope = pick(4) ? MovementScope::close_in_period : MovementScope::all_open;
  w.query.utc_offset_minutes = pick(3) ? 0 : 180;
  return w;
}

// A period-to-date instant in (from, to] for the world's query: a third of
// the time exactly a stage event's instant in it (the exclusive bound), one
// in six `to` itself, else uniform.
inline Instant random_as_of(const World& w, std::uint64_t seed) {
  std::mt19937_64 rng(seed * 7919 + 13);
  const Instant from = w.query.from, to = w.query.to;
  const std::int64_t span = (to - from).count();
  if (rng() % 3 == 0) {
    std::vector<Instant> inside;
    for (std::size_t i = 0; i < w.log.event_count(); ++i)
      if (w.log.event_at(i) > from && w.log.event_at(i) <= to) inside.push_back(w.log.event_at(i));
    if (!inside.empty()) return inside[rng() % inside.size()];
  }
  if (rng() % 6 == 0) return to;
  return from + Duration(1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span)));
}

}  // namespace dealflow::analytics::testing
