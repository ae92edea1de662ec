// event_log_from_engine turns the deal engine's field events into field
// changes: an owner change, an amount change, a probability override and an
// attribute edit are visible as of their instants, and the funnel by manager
// keeps a deal with its owner at the report instant.
#include <gtest/gtest.h>

#include "dealflow/analytics/engine_log.h"
#include "dealflow/pipeline/engine.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;

const Currency kRub = Currency::of("RUB");

struct Built {
  Engine engine;
  DealId edited, untouched;
};

Built build() {
  EngineOptions options;
  options.clock = [] { return at("2024-06-01"); };
  auto engine = Engine::make(Pipeline(fixture_pipeline()), options);
  EXPECT_TRUE(engine.ok()) << engine.status().to_string();
  const Pipeline& p = engine->workspace().pipeline(PipelineId{0});
  NewDeal nd;
  nd.amount = Money(100000, kRub);
  nd.owner = ManagerId{1};
  nd.created_at = at("2024-01-01T09:00:00Z");
  nd.attributes = {{"region", "Москва"}};
  const MoveResult a = engine->create(nd);
  EXPECT_TRUE(a) << a.message;
  nd.owner = ManagerId{2};
  nd.created_at = at("2024-01-02T09:00:00Z");
  const MoveResult b = engine->create(nd);
  EXPECT_TRUE(b) << b.message;
  EXPECT_TRUE(engine->move(a.deal, *p.find_stage("QUAL"), at("2024-01-10T10:00:00Z"), ManagerId{1}));
  EXPECT_TRUE(engine->set_amount(a.deal, Money(250000, kRub), at("2024-01-15T10:00:00Z"), ManagerId{1}));
  EXPECT_TRUE(engine->set_probability(a.deal, 0.125, at("2024-01-16T10:00:00Z"), ManagerId{1}));
  EXPECT_TRUE(engine->move(a.deal, *p.find_stage("WON"), at("2024-02-01T10:00:00Z"), ManagerId{1}));
  EXPECT_TRUE(engine->set_owner(a.deal, ManagerId{2}, at("2024-03-01T10:00:00Z"), ManagerId{3}));
  const FieldId region = *engine->workspace().vocabulary()->find_field("region");
  EXPECT_TRUE(engine->set_field(a.deal, region, "Сибирь", at("2024-03-02T10:00:00Z"), ManagerId{3}));
  return {std::move(*engine), a.deal, b.deal};
}

TEST(EngineLogFieldChanges, OwnerAmountProbabilityAndAttributes) {
  const Built built = build();
  HistoryNames names;
  names.manager_name = [](ManagerId m) { return std::string(m.value() == 1 ? "Иванов" : "Петрова"); };
  auto log = event_log_from_engine(built.engine, names);
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  const DealId a{0}, b{1};
  const DimensionId manager = to_dimension_id(StandardDimension::manager);
  const DimensionId region = to_dimension_id(StandardDimension::region);
  // Deals table: the latest values.
  EXPECT_EQ(log->dimension_value(a, manager), "Петрова");
  EXPECT_EQ(log->amount(a), Money(250000, kRub));
  EXPECT_EQ(log->probability(a), 1250u);
  // As of an instant.
  EXPECT_EQ(log->dimension_value_as_of(a, manager, at("2024-02-29")), "Иванов");
  EXPECT_EQ(log->dimension_value_as_of(a, manager, at("2024-03-01T10:00:00Z")), "Петрова");
  EXPECT_EQ(log->amount_as_of(a, at("2024-01-14")), Money(100000, kRub));
  EXPECT_EQ(log->amount_as_of(a, at("2024-01-15T10:00:00Z")), Money(250000, kRub));
  EXPECT_EQ(log->probability_as_of(a, at("2024-01-16T09:59:59Z")), std::nullopt);
  EXPECT_EQ(log->probability_as_of(a, at("2024-01-16T10:00:00Z")), 1250u);
  EXPECT_EQ(log->dimension_value_as_of(a, region, at("2024-03-01")), "Москва");
  EXPECT_EQ(log->dimension_value_as_of(a, region, at("2024-03-03")), "Сибирь");
  // B was never edited after creation: no changes (its values are the deals table's).
  EXPECT_EQ(log->field_change_end(b) - log->field_change_begin(b), 0u);
  EXPECT_EQ(log->dimension_value_as_of(b, manager, at("2024-01-03")), "Петрова");

  // The funnel by manager: A stays Иванов's as of February.
  FunnelQuery q;
  q.group = *resolve_grouping(*log, "manager");
  q.as_of = at("2024-02-15");
  auto feb = compute_funnel(*log, built.engine.workspace().pipeline(PipelineId{0}), q);
  ASSERT_TRUE(feb.ok());
  ASSERT_EQ(feb->groups.size(), 2u);
  EXPECT_EQ(*feb->groups[0].key, "Иванов");
  EXPECT_EQ(feb->groups[0].figures.won, 1u);
  ASSERT_EQ(feb->groups[0].figures.won_amount.size(), 1u);
  EXPECT_EQ(feb->groups[0].figures.won_amount[0], Money(250000, kRub));
  q.as_of = at("2024-03-05");
  auto mar = compute_funnel(*log, built.engine.workspace().pipeline(PipelineId{0}), q);
  ASSERT_TRUE(mar.ok());
  ASSERT_EQ(mar->groups.size(), 1u);
  EXPECT_EQ(*mar->groups[0].key, "Петрова");
  EXPECT_EQ(mar->groups[0].figures.deals, 2u);
}

}  // namespace
}  // namespace dealflow::analytics
