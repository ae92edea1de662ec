// Department operations: hand-computed router open-deal counts, what reaches the
// sink, refusals, the clock, and the failed state after a sink error.
#include <gtest/gtest.h>

#include "dealflow/store/department.h"
#include "store/department_test_util.h"

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

constexpr ManagerId kA{0}, kB{1}, kC{2};

class DepartmentOps : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = test_router();
    ws_ = simple_workspace();
    EngineOptions options;
    options.clock = [] { return Instant::from_unix_seconds(1709546400); };  // 2024-03-04T10:00:00Z
    DepartmentConfig config = config_of(ws_, options, router_);
    config.initial_router_state.set_open_deals(kA, 5);
    config.initial_router_state.set_open_deals(kB, 3);
    config.initial_router_state.set_open_deals(kC, 4);
    initial_ = config.initial_router_state;
    dept_.emplace(make_department(std::move(config)));
    dept_->set_sink(&sink_);
  }
  StageId stage(std::string_view id) const { return *ws_->pipeline(PipelineId{0}).find_stage(id); }
  NewDeal new_deal(ManagerId owner = {}) const {
    NewDeal nd;
    nd.amount = Money(150000'00, Currency::of("RUB"));
    nd.owner = owner;
    nd.created_at = at("2024-03-04T09:00:00Z");
    return nd;
  }
  DealId create(ManagerId owner) {
    auto r = dept_->create(new_deal(owner));
    EXPECT_TRUE(r.ok() && r->applied());
    return r->deal;
  }
  using Counts = std::vector<std::pair<ManagerId, std::uint32_t>>;

  std::shared_ptr<const routing::Router> router_;
  std::shared_ptr<const Workspace> ws_;
  routing::RouterState initial_;
  std::optional<Department> dept_;
  MemorySink sink_;
};

TEST_F(DepartmentOps, RouteAndCreateThenWonLowersTheOwnersOpenDealsByExactlyOne) {
  // least_loaded: m-a 5, m-b 3, m-c 4 -> m-b.
  auto routed =
      dept_->route_and_create(lead_in(*router_, "Москва", at("2024-03-04T09:00:00Z")), new_deal(kA));
  ASSERT_TRUE(routed.ok()) << routed.status().to_string();
  EXPECT_EQ(routed->owner, kB);
  EXPECT_EQ(dept_->engine().deal(routed->deal)->owner, kB);  // NewDeal::owner is replaced by the router's
  EXPECT_EQ(dept_->router_state().open_deals(kB), 4u);
  ASSERT_EQ(sink_.entries().size(), 1u);
  EXPECT_EQ(sink_.entries()[0].open_deals, (Counts{{kB, 4}}));
  EXPECT_EQ(sink_.entries()[0].change.kind, ChangeKind::route_and_create);
  EXPECT_EQ(sink_.entries()[0].change.owner, kB);

  auto won = dept_->move(routed->deal, stage("WON"), at("2024-03-05T09:00:00Z"), kB);
  ASSERT_TRUE(won.ok() && won->applied());
  EXPECT_EQ(dept_->router_state().open_deals(kB), 3u);
  EXPECT_EQ(dept_->router_state().open_deals(kA), 5u);
  EXPECT_EQ(dept_->router_state().open_deals(kC), 4u);
  ASSERT_EQ(sink_.entries().size(), 2u);
  EXPECT_EQ(sink_.entries()[1].open_deals, (Counts{{kB, 3}}));
  EXPECT_EQ(dept_->sequence(), 2u);
  EXPECT_EQ(dept_->changes()[1].sequence, 2u);
  expect_invariant(*dept_, initial_);
}

TEST_F(DepartmentOps, RoutingCountsTheAssignmentDayButTheOpenDealOnlyOnce) {
  auto routed = dept_->route_and_create(lead_in(*router_, "Томск", at("2024-03-04T09:00:00Z")), new_deal());
  ASSERT_TRUE(routed.ok());
  EXPECT_EQ(routed->owner, kC);  // the Томск rule
  EXPECT_EQ(dept_->router_state().open_deals(kC), 5u);
  EXPECT_EQ(dept_->router_state().assigned_on(kC, at("2024-03-04T09:00:00Z").date()), 1u);
}

TEST_F(DepartmentOps, ReassignOfAnOpenDealMovesOneFromTheOldOwnerToTheNew) {
  const DealId id = create(kA);
  EXPECT_EQ(dept_->router_state().open_deals(kA), 6u);
  auto r = dept_->reassign(id, kC, at("2024-03-04T11:00:00Z"), kA);
  ASSERT_TRUE(r.ok() && r->applied());
  EXPECT_EQ(dept_->router_state().open_deals(kA), 5u);
  EXPECT_EQ(dept_->router_state().open_deals(kC), 5u);
  EXPECT_EQ(dept_->router_state().open_deals(kB), 3u);
  EXPECT_EQ(sink_.entries().back().open_deals, (Counts{{kA, 5}, {kC, 5}}));
  EXPECT_EQ(sink_.entries().back().change.kind, ChangeKind::reassign);
  EXPECT_EQ(sink_.entries().back().change.owner, kC);
  expect_invariant(*dept_, initial_);
}

TEST_F(DepartmentOps, ReassignOfAClosedDealMovesNothing) {
  const DealId id = create(kA);
  ASSERT_TRUE(dept_->move(id, stage("LOST"), at("2024-03-04T10:30:00Z"), kA)->applied());
  EXPECT_EQ(dept_->router_state().open_deals(kA), 5u);
  auto r = dept_->reassign(id, kC, at("2024-03-04T11:00:00Z"), kA);
  ASSERT_TRUE(r.ok() && r->applied());
  EXPECT_EQ(dept_->router_state().open_deals(kA), 5u);
  EXPECT_EQ(dept_->router_state().open_deals(kC), 4u);
  ASSERT_EQ(sink_.entries().size(), 3u);  // recorded (the owner changed) with no count moved
  EXPECT_TRUE(sink_.entries().back().open_deals.empty());
  // Reopening raises the NEW owner's count.
  ASSERT_TRUE(dept_->move(id, stage("WORK"), at("2024-03-04T12:00:00Z"), kA)->applied());
  EXPECT_EQ(dept_->router_state().open_deals(kC), 5u);
  EXPECT_EQ(sink_.entries().back().open_deals, (Counts{{kC, 5}}));
  expect_invariant(*dept_, initial_);
}

TEST_F(DepartmentOps, ARefusedMoveAppendsNoChangeAndNeverCallsTheSink) {
  const DealId id = create(kA);
  ASSERT_EQ(sink_.entries().size(), 1u);
  auto same = dept_->move(id, stage("NEW"), at("2024-03-04T11:00:00Z"), kA);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->refusal, Refusal::already_in_stage);
  auto unknown = dept_->move(DealId{42}, stage("WON"), at("2024-03-04T11:00:00Z"), kA);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->refusal, Refusal::unknown_deal);
  auto early = dept_->move(id, stage("WON"), at("2024-03-01T00:00:00Z"), kA);
  EXPECT_EQ(early->refusal, Refusal::time_before_last_event);
  EXPECT_EQ(dept_->changes().size(), 1u);
  EXPECT_EQ(sink_.entries().size(), 1u);
  EXPECT_EQ(dept_->router_state().open_deals(kA), 6u);
}

TEST_F(DepartmentOps, ARefusedCreationLeavesTheRouterStateAsItWas) {
  NewDeal bad = new_deal();
  bad.stage = stage("WON");  // not an entry stage
  const routing::RouterState before = dept_->router_state();
  auto routed = dept_->route_and_create(lead_in(*router_, "Москва", at("2024-03-04T09:00:00Z")), bad);
  ASSERT_FALSE(routed.ok());
  EXPECT_EQ(routed.status().code(), ErrorCode::refused);
  EXPECT_NE(routed.status().message().find("refused the deal"), std::string::npos);
  EXPECT_TRUE(dept_->router_state() == before);  // no cursor, day count or open deal moved
  EXPECT_TRUE(sink_.entries().empty());
  EXPECT_EQ(dept_->engine().deal_count(), 0u);
}

TEST_F(DepartmentOps, RouteAndCreateWithoutARouterIsRefused) {
  Department plain = make_department(config_of(ws_, {}, nullptr));
  auto r = plain.route_and_create(routing::Lead{}, new_deal());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::invalid_argument);
  EXPECT_TRUE(plain.changes().empty());
}

TEST_F(DepartmentOps, AnOperationWithoutAnInstantRecordsTheClock) {
  NewDeal nd = new_deal(kA);
  nd.created_at.reset();
  auto r = dept_->create(nd);
  ASSERT_TRUE(r.ok() && r->applied());
  EXPECT_EQ(dept_->changes().back().at, at("2024-03-04T10:00:00Z"));
  EXPECT_EQ(dept_->engine().deal(r->deal)->created_at, at("2024-03-04T10:00:00Z"));
  EXPECT_EQ(dept_->changes().back().stage, stage("NEW"));  // the resolved default entry
}

TEST_F(DepartmentOps, ProbabilitiesAreRecordedInWholePartsPerMillion) {
  const DealId id = create(kA);
  ASSERT_TRUE(dept_->set_probability(id, 0.12345678, at("2024-03-04T11:00:00Z"), kA)->applied());
  EXPECT_EQ(dept_->changes().back().probability, std::optional<double>(0.123457));
  EXPECT_EQ(dept_->engine().probability(id), std::optional<double>(0.123457));
  EXPECT_EQ(dept_->set_probability(id, 1.5, at("2024-03-04T11:00:00Z"), kA)->refusal, Refusal::invalid_value);
}

TEST_F(DepartmentOps, TextThatIsNotUtf8IsRefusedBeforeTheEngine) {
  const DealId id = create(kA);
  const std::string bad = "Mos\xC0w";
  auto field = dept_->set_field(id, builtin_field::region, bad, at("2024-03-04T11:00:00Z"), kA);
  ASSERT_TRUE(field.ok());
  EXPECT_EQ(field->refusal, Refusal::invalid_value);
  EXPECT_EQ(field->message, "the field value is not valid UTF-8 (or holds a NUL byte)");
  NewDeal nd = new_deal(kA);
  nd.attributes = {{"region", std::string("a\0b", 3)}};
  auto created = dept_->create(nd);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->refusal, Refusal::invalid_value);
  EXPECT_EQ(created->message, "the value of attribute 'region' is not valid UTF-8 (or holds a NUL byte)");
  auto routed = dept_->route_and_create(lead_in(*router_, "Москва", at("2024-03-04T09:00:00Z")), nd);
  ASSERT_FALSE(routed.ok());
  EXPECT_EQ(routed.status().code(), ErrorCode::refused);
  EXPECT_EQ(dept_->changes().size(), 1u);
  EXPECT_EQ(sink_.entries().size(), 1u);
  EXPECT_EQ(dept_->engine().deal_count(), 1u);
  // Russian text is fine.
  ASSERT_TRUE(
      dept_->set_field(id, builtin_field::region, "Москва", at("2024-03-04T11:00:00Z"), kA)->applied());
}

TEST_F(DepartmentOps, ChangesSinceReturnsTheTail) {
  const DealId id = create(kA);
  ASSERT_TRUE(
      dept_->set_amount(id, Money(1'00, Currency::of("RUB")), at("2024-03-04T11:00:00Z"), kA)->applied());
  ASSERT_TRUE(dept_->set_client(id, ClientId{9}, at("2024-03-04T11:00:00Z"), kA)->applied());
  ASSERT_TRUE(dept_->tick(at("2024-03-05T00:00:00Z")).ok());
  EXPECT_EQ(dept_->changes_since(0).size(), 4u);
  auto tail = dept_->changes_since(2);
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].sequence, 3u);
  EXPECT_EQ(tail[0].kind, ChangeKind::set_client);
  EXPECT_EQ(tail[1].kind, ChangeKind::tick);
  EXPECT_TRUE(dept_->changes_since(4).empty());
  EXPECT_TRUE(dept_->changes_since(99).empty());
}

class FailingSink : public ChangeSink {
 public:
  explicit FailingSink(int fail_at) : fail_at_(fail_at) {}
  Status append(const Change&, std::span<const std::pair<ManagerId, std::uint32_t>>) override {
    return ++calls_ == fail_at_ ? Status(ErrorCode::io_error, "disk full") : Status{};
  }
  Status flush() override { return {}; }
  int calls() const { return calls_; }

 private:
  int fail_at_;
  int calls_ = 0;
};

TEST_F(DepartmentOps, ASinkErrorPutsTheDepartmentIntoFailedWithThatError) {
  FailingSink sink(2);
  dept_->set_sink(&sink);
  const DealId id = create(kA);
  EXPECT_TRUE(dept_->failed().ok());
  auto r = dept_->move(id, stage("WORK"), at("2024-03-04T11:00:00Z"), kA);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::io_error);
  EXPECT_NE(r.status().message().find("disk full"), std::string::npos);
  EXPECT_NE(r.status().message().find("change 2 (move)"), std::string::npos);
  EXPECT_EQ(dept_->failed().code(), ErrorCode::io_error);
  // Applied in memory (the engine cannot undo), refused from now on, the sink not called again.
  EXPECT_EQ(dept_->engine().deal(id)->stage, stage("WORK"));
  auto next = dept_->move(id, stage("WON"), at("2024-03-04T12:00:00Z"), kA);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().message(), dept_->failed().message());
  EXPECT_FALSE(dept_->tick(at("2024-03-05T00:00:00Z")).ok());
  EXPECT_FALSE(dept_->create(new_deal(kA)).ok());
  EXPECT_EQ(sink.calls(), 2);
  EXPECT_EQ(dept_->engine().deal(id)->stage, stage("WORK"));
}

class FailingFlush : public MemorySink {
 public:
  Status flush() override { return Status(ErrorCode::io_error, "fsync: I/O error"); }
};

TEST_F(DepartmentOps, FlushReachesTheSinkAndAFlushErrorFailsTheDepartment) {
  create(kA);
  ASSERT_TRUE(dept_->flush().ok());
  EXPECT_EQ(sink_.flushes(), 1u);
  FailingFlush bad;
  dept_->set_sink(&bad);
  create(kB);
  const Status s = dept_->flush();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::io_error);
  EXPECT_NE(s.message().find("flush after change 2 failed"), std::string::npos) << s.to_string();
  EXPECT_EQ(dept_->failed().message(), s.message());
  EXPECT_FALSE(dept_->create(new_deal(kA)).ok());
  EXPECT_EQ(bad.entries().size(), 1u);
}

TEST(DepartmentMake, RefusesARouterStateOfAnotherRouterAndNoWorkspace) {
  auto router = test_router();
  DepartmentConfig config = config_of(simple_workspace(), {}, router);
  config.initial_router_state = routing::RouterState(5, {});
  auto d = Department::make(config);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(d.status().message().find("5 managers"), std::string::npos);
  config.workspace = nullptr;
  EXPECT_FALSE(Department::make(config).ok());
}

}  // namespace
}  // namespace dealflow::store

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

// The motivating bug: with counts that only go up, max_open_deals
// became "ever assigned". Each manager may hold one open deal here.
TEST(DepartmentCapacity, ClosingADealFreesTheOwnersSlotForTheNextLead) {
  std::string team(kTeamJson);
  for (std::string_view name : {"Алексеева Анна", "Борисов Борис", "Чернов Иван"}) {
    const std::string from = "\"name\": \"" + std::string(name) + "\"}";
    team.replace(team.find(from), from.size(),
                 from.substr(0, from.size() - 1) + ", \"capacity\": {\"max_open_deals\": 1}}");
  }
  auto router = test_router(team);
  auto ws = simple_workspace();
  Department d = make_department(config_of(ws, {}, router));
  const StageId won = *ws->pipeline(PipelineId{0}).find_stage("WON");
  NewDeal nd;
  nd.created_at = at("2024-03-04T09:00:00Z");
  std::vector<RoutedDeal> routed;
  for (int i = 0; i < 3; ++i) {
    auto r = d.route_and_create(lead_in(*router, "Москва", at("2024-03-04T09:00:00Z")), nd);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    routed.push_back(*r);
  }
  // Everyone is at the cap: the fourth lead is unassigned, and nothing changes.
  const routing::RouterState full = d.router_state();
  auto fourth = d.route_and_create(lead_in(*router, "Москва", at("2024-03-04T09:05:00Z")), nd);
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.status().code(), ErrorCode::refused);
  EXPECT_NE(fourth.status().message().find("unassigned"), std::string::npos) << fourth.status().to_string();
  EXPECT_NE(fourth.status().message().find("1/1"), std::string::npos) << fourth.status().to_string();
  EXPECT_TRUE(d.router_state() == full);
  EXPECT_EQ(d.changes().size(), 3u);
  // The second manager wins a deal: the next lead goes to them.
  ASSERT_TRUE(d.move(routed[1].deal, won, at("2024-03-04T10:00:00Z"), routed[1].owner)->applied());
  auto fifth = d.route_and_create(lead_in(*router, "Москва", at("2024-03-04T11:00:00Z")), nd);
  ASSERT_TRUE(fifth.ok()) << fifth.status().to_string();
  EXPECT_EQ(fifth->owner, routed[1].owner);
}

TEST(DepartmentHandoff, AWonDealHandedOffToTheSameOwnerMovesNoCount) {
  auto router = test_router();
  auto ws = b2b_workspace();
  Department d = make_department(config_of(ws, b2b_options(), router));
  MemorySink sink;
  d.set_sink(&sink);
  const Pipeline& p = ws->pipeline(PipelineId{0});
  NewDeal nd;
  nd.amount = Money(500000'00, Currency::of("RUB"));
  nd.client = ClientId{1};
  nd.owner = ManagerId{0};
  nd.attributes = {{"region", "Москва"}};
  nd.created_at = at("2024-03-04T09:00:00Z");
  auto created = d.create(nd);
  ASSERT_TRUE(created.ok() && created->applied());
  EXPECT_EQ(d.router_state().open_deals(ManagerId{0}), 1u);
  Instant t = at("2024-03-04T10:00:00Z");
  for (std::string_view s : {"QUALIFIED", "PROPOSAL", "CONTRACT", "WON"}) {
    auto r = d.move(created->deal, *p.find_stage(s), t, ManagerId{0});
    ASSERT_TRUE(r.ok() && r->applied()) << s << ": " << (r.ok() ? r->message : r.status().to_string());
    t = t + Duration(60);
  }
  // Won (-1) and its linked onboarding deal, owned by the same manager (+1): one change, no count moved.
  ASSERT_EQ(d.engine().deal_count(), 2u);
  EXPECT_EQ(d.engine().deal(DealId{1})->owner, ManagerId{0});
  EXPECT_EQ(d.router_state().open_deals(ManagerId{0}), 1u);
  EXPECT_EQ(d.changes().size(), 5u);
  EXPECT_TRUE(sink.entries().back().open_deals.empty());
  // Losing the onboarding deal closes it.
  const StageId churned = *ws->pipeline(PipelineId{1}).find_stage("CHURNED");
  ASSERT_TRUE(d.move(DealId{1}, churned, t, ManagerId{0})->applied());
  EXPECT_EQ(d.router_state().open_deals(ManagerId{0}), 0u);
  EXPECT_EQ(sink.entries().back().open_deals,
            (std::vector<std::pair<ManagerId, std::uint32_t>>{{ManagerId{0}, 0}}));
  EXPECT_EQ(d.changes().back().pipeline, PipelineId{1});
}

}  // namespace
}  // namespace dealflow::store
