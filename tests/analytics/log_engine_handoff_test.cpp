// Deals handed off between pipelines in the engine-derived log: a `move`
// hand-off counts in the source pipeline up to the hand-off (a segment keyed
// "<id>/<k>" whose `handed_off_to` names the target) and in the target pipeline
// from the hand-off instant; a `create_linked` hand-off leaves the source deal
// in the source funnel and creates a deal of the target created at the
// hand-off. Funnels below are computed by hand (docs/analytics-formats.md).
#include <gtest/gtest.h>

#include <memory>

#include "dealflow/analytics/engine_log.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/pipeline/engine.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::reached;

const char* kSales = R"({"id": "sales", "policy": "free", "stages": [
    {"id": "NEW", "kind": "open", "probability": 0.1},
    {"id": "QUAL", "kind": "open", "probability": 0.3},
    {"id": "TO_SERVICE", "kind": "open", "probability": 0.5},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}],
  "handoffs": [
    {"id": "to_service", "from": "TO_SERVICE", "pipeline": "service", "stage": "INTAKE", "mode": "move"},
    {"id": "onboard", "from": "WON", "pipeline": "service", "stage": "INTAKE", "mode": "create_linked"}]})";
const char* kService = R"({"id": "service", "policy": "free", "stages": [
    {"id": "INTAKE", "kind": "open", "probability": 0.3},
    {"id": "WORK", "kind": "open", "probability": 0.6},
    {"id": "DONE", "kind": "won"}, {"id": "DROPPED", "kind": "lost"}]})";

std::shared_ptr<const Workspace> two_pipelines() {
  auto vocabulary = std::make_shared<Vocabulary>();
  std::vector<Pipeline> pipelines;
  for (const char* json : {kSales, kService}) {
    auto loaded = parse_pipeline_text(json, "<test>", vocabulary);
    EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
    pipelines.push_back(std::move(loaded->pipeline));
  }
  auto ws = Workspace::create(std::move(pipelines));
  EXPECT_TRUE(ws.ok()) << ws.status().to_string();
  return std::make_shared<const Workspace>(std::move(*ws));
}

// A: created in sales 03-01 09:00, QUAL, TO_SERVICE 03-03 10:00 (moved to
//    service INTAKE), WORK 03-04, DONE 03-05.
// B: created in sales 03-01 12:00, QUAL, WON 03-04 10:00 (creates C in
//    service INTAKE at 03-04 10:00); C: DROPPED 03-06.
// D: created in sales 03-02, LOST 03-03.
struct Fixture {
  std::shared_ptr<const Workspace> ws = two_pipelines();
  Engine engine = [this] {
    EngineOptions o;
    o.clock = [] { return at("2024-06-01"); };
    return std::move(*Engine::make(ws, std::move(o)));
  }();
  const Pipeline& sales = ws->pipeline(PipelineId{0});
  const Pipeline& service = ws->pipeline(PipelineId{1});

  void move(DealId d, const Pipeline& p, const char* s, const char* when) {
    const MoveResult r = engine.move(d, *p.find_stage(s), at(when), ManagerId{1});
    ASSERT_TRUE(r) << r.message;
    ASSERT_EQ(r.automation_failures, 0u);
  }
  DealId create(const char* when) {
    NewDeal nd;
    nd.pipeline = PipelineId{0};
    nd.created_at = at(when);
    nd.amount = Money(100000, Currency::of("RUB"));
    nd.actor = ManagerId{1};
    const MoveResult r = engine.create(nd);
    EXPECT_TRUE(r) << r.message;
    return r.deal;
  }
  Fixture() {
    const DealId a = create("2024-03-01T09:00:00Z");
    const DealId b = create("2024-03-01T12:00:00Z");
    move(a, sales, "QUAL", "2024-03-02T10:00:00Z");
    move(b, sales, "QUAL", "2024-03-02T11:00:00Z");
    move(a, sales, "TO_SERVICE", "2024-03-03T10:00:00Z");
    EXPECT_EQ(engine.deal(a)->pipeline, PipelineId{1});
    const DealId d = create("2024-03-02T09:00:00Z");  // id 2: C is created after it
    move(d, sales, "LOST", "2024-03-03T09:00:00Z");
    move(a, service, "WORK", "2024-03-04T09:00:00Z");
    // A's amount changes in service only: its sales stay keeps 1000.00 RUB.
    const MoveResult amount =
        engine.set_amount(a, Money(150000, Currency::of("RUB")), at("2024-03-04T12:00:00Z"), ManagerId{1});
    EXPECT_TRUE(amount) << amount.message;
    move(b, sales, "WON", "2024-03-04T10:00:00Z");
    const DealId c{3};
    EXPECT_EQ(engine.deal(c)->source_deal, b);
    move(a, service, "DONE", "2024-03-05T09:00:00Z");
    move(c, service, "DROPPED", "2024-03-06T09:00:00Z");
  }
};

FunnelReport funnel(const EventLog& log, const Pipeline& p, FunnelQuery q = {}) {
  auto r = compute_funnel(log, p, q);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r ? std::move(*r) : FunnelReport{};
}

TEST(EngineLogHandoff, AMovedDealHasASegmentInEachPipeline) {
  Fixture f;
  auto log = event_log_from_engine(f.engine);
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  // Engine deals first (keys "0".."3", their final pipeline), then the earlier segment of A.
  ASSERT_EQ(log->deal_count(), 5u);
  EXPECT_EQ(log->deal_key(DealId{0}), "0");
  EXPECT_EQ(log->deal_key(DealId{4}), "0/0");
  EXPECT_EQ(log->pipelines().at(log->pipeline_column()[0]), "service");
  EXPECT_EQ(log->pipelines().at(log->pipeline_column()[4]), "sales");
  // A enters service at the hand-off, not at its creation in sales.
  EXPECT_EQ(log->created_at(DealId{0}), at("2024-03-03T10:00:00Z"));
  EXPECT_EQ(log->created_at(DealId{4}), at("2024-03-01T09:00:00Z"));
  EXPECT_EQ(log->event_end(DealId{0}) - log->event_begin(DealId{0}), 3u);  // INTAKE, WORK, DONE
  EXPECT_EQ(log->event_end(DealId{4}) - log->event_begin(DealId{4}), 3u);  // NEW, QUAL, TO_SERVICE
  const DimensionId handed = *log->find_dimension("handed_off_to");
  EXPECT_EQ(log->dimension_value(DealId{4}, handed), "service");
  EXPECT_EQ(log->dimension_value(DealId{0}, handed), "");
  // The linked deal C: created at the hand-off, in service.
  EXPECT_EQ(log->created_at(DealId{3}), at("2024-03-04T10:00:00Z"));
}

TEST(EngineLogHandoff, SalesFunnelCountsTheMovedDealUpToTheHandoff) {
  Fixture f;
  auto log = event_log_from_engine(f.engine);
  ASSERT_TRUE(log.ok());
  // A (segment): NEW, QUAL, TO_SERVICE, then left: open at TO_SERVICE.
  // B: won (linked deal C does not change it). D: lost from NEW.
  const FunnelReport r = funnel(*log, f.sales);
  EXPECT_EQ(r.total.deals, 3u);
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{3, 2, 2}));
  EXPECT_EQ(r.total.won, 1u);
  EXPECT_EQ(r.total.lost, 1u);
  EXPECT_EQ(r.total.open, 1u);
  EXPECT_EQ(r.total.without_history, 0u);
  EXPECT_EQ(r.total.open_amount, (std::vector<Money>{Money(100000, Currency::of("RUB"))}));
  // Grouped by handed_off_to: the hand-off exit is its own group.
  FunnelQuery q;
  q.group = *resolve_grouping(*log, "handed_off_to");
  const FunnelReport g = funnel(*log, f.sales, q);
  ASSERT_EQ(g.groups.size(), 2u);
  EXPECT_EQ(g.groups[0].key, std::optional<std::string>("service"));
  EXPECT_EQ(g.groups[0].figures.deals, 1u);
  EXPECT_EQ(reached(g.groups[0].figures), (std::vector<std::uint64_t>{1, 1, 1}));
  // As of 03-02 12:00 (before the hand-off) A is in QUAL in sales.
  q = {};
  q.rule = CountingRule::snapshot;
  q.as_of = at("2024-03-02T12:00:00Z");
  EXPECT_EQ(reached(funnel(*log, f.sales, q).total), (std::vector<std::uint64_t>{1, 2, 0}));
}

TEST(EngineLogHandoff, ServiceFunnelCountsTheMovedDealFromTheHandoff) {
  Fixture f;
  auto log = event_log_from_engine(f.engine);
  ASSERT_TRUE(log.ok());
  // A: INTAKE, WORK, DONE (won); C: INTAKE, DROPPED (lost from INTAKE).
  const FunnelReport r = funnel(*log, f.service);
  EXPECT_EQ(r.total.deals, 2u);
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_EQ(r.total.won, 1u);
  EXPECT_EQ(r.total.lost, 1u);
  EXPECT_EQ(r.total.won_amount, (std::vector<Money>{Money(150000, Currency::of("RUB"))}));
  // Cohort of deals that entered service from March 3rd: both (A at the hand-off).
  FunnelQuery q;
  q.from = at("2024-03-03T00:00:00Z");
  q.to = at("2024-03-10T00:00:00Z");
  EXPECT_EQ(funnel(*log, f.service, q).total.deals, 2u);
  // As of 03-02 nothing is in service yet: A is not "open without history" there.
  q = {};
  q.as_of = at("2024-03-02T12:00:00Z");
  const FunnelReport early = funnel(*log, f.service, q);
  EXPECT_EQ(early.total.deals, 0u);
  EXPECT_EQ(early.total.without_history, 0u);
}

}  // namespace
}  // namespace dealflow::analytics
