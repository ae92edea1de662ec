// The event log filled from the deal engine's history gives the same funnels as
// the same deals loaded from CSV (the fixture of funnel_rules_test.cpp replayed
// through the engine).
#include <gtest/gtest.h>

#include <map>

#include "dealflow/analytics/engine_log.h"
#include "dealflow/pipeline/engine.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::reached;

struct Move {
  const char* stage;
  const char* at;
};
struct Scripted {
  const char* created;
  std::int64_t amount;  // minor units, < 0: none
  std::uint32_t owner;  // 0: none
  const char* region;
  const char* lost_reason;
  std::vector<Move> moves;  // after the creation in NEW
};

const std::map<std::uint32_t, std::string> kManagers = {{1, "Иванов"}, {2, "Петрова"}, {3, "Сидоров"}};

// D1..D10 of tests/analytics/fixtures/funnel_*.csv, in that order.
std::vector<Scripted> script() {
  return {
      {"2024-01-05T09:00:00Z", 10000, 1, "Москва", "",
       {{"QUAL", "2024-01-06T10:00:00Z"}, {"OFFER", "2024-01-08T10:00:00Z"}, {"CONTRACT", "2024-01-10T10:00:00Z"},
        {"WON", "2024-01-12T10:00:00Z"}}},
      {"2024-01-10T09:00:00Z", 20000, 1, "Москва", "", {{"OFFER", "2024-01-15T10:00:00Z"}, {"WON", "2024-01-20T10:00:00Z"}}},
      {"2024-01-15T09:00:00Z", 30000, 2, "Сибирь", "Дорого",
       {{"QUAL", "2024-01-16T10:00:00Z"}, {"OFFER", "2024-01-18T10:00:00Z"}, {"QUAL", "2024-01-19T10:00:00Z"},
        {"LOST", "2024-01-22T10:00:00Z"}}},
      {"2024-01-20T09:00:00Z", 40000, 2, "Сибирь", "",
       {{"QUAL", "2024-01-22T10:00:00Z"}, {"LOST", "2024-01-25T10:00:00Z"}, {"NEW", "2024-02-01T10:00:00Z"},
        {"QUAL", "2024-02-03T10:00:00Z"}, {"OFFER", "2024-02-05T10:00:00Z"}, {"CONTRACT", "2024-02-07T10:00:00Z"},
        {"WON", "2024-02-10T10:00:00Z"}}},
      {"2024-02-01T09:00:00Z", 50000, 1, "Москва", "Спам", {{"JUNK", "2024-02-03T10:00:00Z"}}},
      {"2024-02-05T09:00:00Z", 60000, 3, "Москва", "", {{"QUAL", "2024-02-08T10:00:00Z"}, {"OFFER", "2024-02-12T10:00:00Z"}}},
      {"2024-02-10T09:00:00Z", -1, 3, "", "", {}},
      {"2023-12-20T09:00:00Z", 80000, 1, "Москва", "", {{"QUAL", "2023-12-28T10:00:00Z"}, {"WON", "2024-01-03T10:00:00Z"}}},
      {"2024-03-05T09:00:00Z", 90000, 2, "Сибирь", "Дорого", {{"LOST", "2024-03-07T10:00:00Z"}}},
      {"2024-02-15T09:00:00Z", 100000, 0, "Москва", "",
       {{"CONTRACT", "2024-02-17T10:00:00Z"}, {"OFFER", "2024-02-20T10:00:00Z"}, {"LOST", "2024-02-25T10:00:00Z"}}},
  };
}

Engine make_engine() {
  EngineOptions options;
  options.extra_fields = {"lost_reason"};
  options.clock = [] { return at("2024-06-01"); };
  auto engine = Engine::make(Pipeline(fixture_pipeline()), options);
  EXPECT_TRUE(engine.ok()) << engine.status().to_string();
  const Pipeline& p = engine->workspace().pipeline(PipelineId{0});
  for (const Scripted& s : script()) {
    NewDeal nd;
    if (s.amount >= 0) nd.amount = Money(s.amount, Currency::of("RUB"));
    if (s.owner) nd.owner = ManagerId{s.owner};
    nd.created_at = at(s.created);
    nd.attributes = {{"region", s.region}, {"lost_reason", s.lost_reason}};
    nd.actor = nd.owner;
    const MoveResult created = engine->create(nd);
    EXPECT_TRUE(created) << created.message;
    for (const Move& m : s.moves) {
      const MoveResult r = engine->move(created.deal, *p.find_stage(m.stage), at(m.at), nd.owner);
      EXPECT_TRUE(r) << r.message;
    }
  }
  return std::move(*engine);
}

TEST(EngineLog, SameFunnelsAsTheCsvFixture) {
  const Engine engine = make_engine();
  HistoryNames names;
  names.manager_name = [](ManagerId m) { return kManagers.at(m.value()); };
  auto log = event_log_from_engine(engine, names);
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  ASSERT_EQ(log->deal_count(), 10u);
  EXPECT_EQ(log->event_count(), 36u);
  EXPECT_EQ(log->deal_key(DealId{3}), "3");
  EXPECT_EQ(log->dimension_value(DealId{2}, to_dimension_id(StandardDimension::lost_reason)), "Дорого");
  EXPECT_EQ(log->dimension_value(DealId{2}, to_dimension_id(StandardDimension::region)), "Сибирь");
  EXPECT_EQ(log->dimension_value(DealId{9}, to_dimension_id(StandardDimension::manager)), "");
  EXPECT_EQ(log->actor_name(log->event_actor(log->event_begin(DealId{1}))), "Иванов");

  const auto csv = testing::load_fixture();
  const Pipeline& p = engine.workspace().pipeline(PipelineId{0});
  for (auto rule : {CountingRule::high_water, CountingRule::touched, CountingRule::strict_order, CountingRule::snapshot}) {
    for (const char* by : {"", "manager", "region"}) {
      FunnelQuery q;
      q.rule = rule;
      q.from = at("2024-01-01");
      q.to = at("2024-03-01");
      if (*by) q.group = *resolve_grouping(*log, by);
      auto from_engine = compute_funnel(*log, p, q);
      if (*by) q.group = *resolve_grouping(csv.log, by);
      auto from_csv = compute_funnel(csv.log, fixture_pipeline(), q);
      ASSERT_TRUE(from_engine.ok() && from_csv.ok());
      EXPECT_EQ(reached(from_engine->total), reached(from_csv->total)) << to_string(rule) << " " << by;
      EXPECT_EQ(testing::amounts(from_engine->total), testing::amounts(from_csv->total));
      EXPECT_EQ(from_engine->total.won, from_csv->total.won);
      EXPECT_EQ(from_engine->total.lost, from_csv->total.lost);
      ASSERT_EQ(from_engine->groups.size(), from_csv->groups.size()) << by;
      for (std::size_t g = 0; g < from_csv->groups.size(); ++g) {
        EXPECT_EQ(from_engine->groups[g].key, from_csv->groups[g].key);
        EXPECT_EQ(reached(from_engine->groups[g].figures), reached(from_csv->groups[g].figures));
      }
    }
  }
  // Without names: ids in decimal.
  auto plain = event_log_from_history(engine.history(), engine.workspace());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->dimension_value(DealId{0}, to_dimension_id(StandardDimension::manager)), "1");
}

}  // namespace
}  // namespace dealflow::analytics
