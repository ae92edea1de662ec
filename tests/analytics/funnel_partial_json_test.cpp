// FunnelPartial::to_json / parse (issue 12, section 4): partials serialize with
// their query, so shards computed in other processes merge; a round trip of two
// halves merges to the whole, and every malformed document is a located error.
#include <gtest/gtest.h>

#include "dealflow/io/json.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::random_log;

TEST(FunnelPartialJson, HalvesSerializedParsedAndMergedEqualTheWhole) {
  const EventLog log = random_log(21, 200);
  for (auto rule : {CountingRule::high_water, CountingRule::touched, CountingRule::strict_order,
                    CountingRule::snapshot}) {
    FunnelQuery q;
    q.rule = rule;
    q.from = at("2024-01-01");
    q.to = at("2024-06-01");
    q.group = *resolve_grouping(log, "manager");
    auto plan = FunnelPlan::create(log, fixture_pipeline(), q);
    ASSERT_TRUE(plan.ok()) << plan.status().to_string();
    const std::string first = plan->run(0, 100).to_json();
    const std::string second = plan->run(100, 200).to_json();
    // In another process: parse both, merge, finish.
    auto a = FunnelPartial::parse(first, "shard-0.json");
    auto b = FunnelPartial::parse(second, "shard-1.json");
    ASSERT_TRUE(a.ok()) << a.status().to_string();
    ASSERT_TRUE(b.ok()) << b.status().to_string();
    EXPECT_EQ(a->query(), plan->run(0, 1).query());
    ASSERT_TRUE(a->merge(*b).ok());
    const FunnelPartial whole = plan->run(0, 200);
    EXPECT_EQ(*a, whole) << to_string(rule);
    EXPECT_EQ(a->to_json(), whole.to_json());
    auto merged = plan->finish(*a);
    auto direct = plan->finish(whole);
    ASSERT_TRUE(merged.ok() && direct.ok());
    EXPECT_EQ(testing::reached(merged->total), testing::reached(direct->total));
    EXPECT_EQ(merged->total.won, direct->total.won);
  }
}

TEST(FunnelPartialJson, AParsedPartialOfAnotherQueryDoesNotMerge) {
  const EventLog log = random_log(22, 30);
  FunnelQuery qa, qb;
  qb.rule = CountingRule::strict_order;
  auto pa = FunnelPlan::create(log, fixture_pipeline(), qa);
  auto pb = FunnelPlan::create(log, fixture_pipeline(), qb);
  FunnelPartial a = pa->run(0, 10);
  auto b = FunnelPartial::parse(pb->run(10, 30).to_json());
  ASSERT_TRUE(b.ok());
  const Status s = a.merge(*b);
  EXPECT_EQ(s.code(), ErrorCode::invalid_argument);
  EXPECT_NE(s.message().find("counting rule high-water vs strict"), std::string::npos) << s.message();
  EXPECT_EQ(pa->finish(*b).status().code(), ErrorCode::invalid_argument);
}

TEST(FunnelPartialJson, QueryWithPeriodOffsetAndConversionSurvives) {
  const EventLog log = random_log(23, 30);
  FunnelQuery q;
  q.basis = FunnelBasis::closed;
  q.from = at("2024-01-01T03:00:00Z");
  q.as_of = at("2024-05-01T12:34:56Z");
  q.group.kind = FunnelGrouping::Kind::created_month;
  q.utc_offset_minutes = 180;
  auto plan = FunnelPlan::create(log, fixture_pipeline(), q);
  ASSERT_TRUE(plan.ok());
  const FunnelPartial p = plan->run_all(1);
  auto back = FunnelPartial::parse(p.to_json());
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, p);
  EXPECT_FALSE(back->query().to.has_value());
  EXPECT_EQ(back->query().utc_offset_minutes, 180);
}

// A valid document of a small partial, to break one member at a time.
Json valid_document() {
  static const EventLog log = random_log(24, 20);
  auto plan = FunnelPlan::create(log, fixture_pipeline(), FunnelQuery{});
  return *parse_json(plan->run_all(1).to_json(), "<doc>");
}

// Parsing `doc` fails with parse_error at `path` and a message containing `what`.
void expect_error(const Json& doc, const std::string& path, const std::string& what) {
  auto parsed = FunnelPartial::parse(doc.dump(), "partial.json");
  ASSERT_FALSE(parsed.ok()) << path;
  EXPECT_EQ(parsed.status().location().file, "partial.json");
  EXPECT_EQ(parsed.status().location().json_path, path) << parsed.status().to_string();
  EXPECT_NE(parsed.status().message().find(what), std::string::npos) << parsed.status().to_string();
}

TEST(FunnelPartialJson, SyntaxErrorHasLineAndColumn) {
  auto parsed = FunnelPartial::parse("{\n  \"format\": ,\n}", "partial.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), ErrorCode::parse_error);
  EXPECT_EQ(parsed.status().location().file, "partial.json");
  EXPECT_EQ(parsed.status().location().line, 2);
  EXPECT_GT(parsed.status().location().column, 0);
}

TEST(FunnelPartialJson, NotAnObject) {
  auto parsed = FunnelPartial::parse("[1, 2]", "partial.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().location().json_path, "/");
}

TEST(FunnelPartialJson, UnknownMember) {
  Json d = valid_document();
  d["countres"] = Json::array();
  auto parsed = FunnelPartial::parse(d.dump(), "partial.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().to_string().find("countres"), std::string::npos) << parsed.status().to_string();
}

TEST(FunnelPartialJson, WrongFormat) {
  Json d = valid_document();
  d["format"] = "dealflow-snapshot";
  expect_error(d, "/format", "'dealflow-snapshot': expected 'dealflow-funnel-partial'");
}

TEST(FunnelPartialJson, UnsupportedVersion) {
  Json d = valid_document();
  d["version"] = 2;
  expect_error(d, "/version", "version 2 is not supported: expected 1");
}

TEST(FunnelPartialJson, MissingQuery) {
  Json d = valid_document();
  d.erase("query");
  expect_error(d, "/query", "missing: expected the query object");
}

TEST(FunnelPartialJson, UnknownCountingRule) {
  Json d = valid_document();
  d["query"]["rule"] = "highest";
  expect_error(d, "/query/rule", "'highest': expected high-water, touched, strict or snapshot");
}

TEST(FunnelPartialJson, UnknownBasis) {
  Json d = valid_document();
  d["query"]["basis"] = "won";
  expect_error(d, "/query/basis", "'won': expected created or closed");
}

TEST(FunnelPartialJson, BadInstant) {
  Json d = valid_document();
  d["query"]["from"] = "2024-13-01";
  expect_error(d, "/query/from", "'2024-13-01' is not an instant");
}

TEST(FunnelPartialJson, MissingReportInstant) {
  Json d = valid_document();
  d["query"].erase("as_of");
  expect_error(d, "/query/as_of", "missing: expected an ISO 8601 instant");
}

TEST(FunnelPartialJson, MissingPipeline) {
  Json d = valid_document();
  d["query"].erase("pipeline");
  auto parsed = FunnelPartial::parse(d.dump(), "partial.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().to_string().find("pipeline"), std::string::npos) << parsed.status().to_string();
}

TEST(FunnelPartialJson, UtcOffsetOutOfRange) {
  Json d = valid_document();
  d["query"]["utc_offset_minutes"] = 1500;
  expect_error(d, "/query/utc_offset_minutes", "1500 is out of range: expected -1440..1440");
}

TEST(FunnelPartialJson, CounterNotAnInteger) {
  Json d = valid_document();
  d["counters"][3] = 1.5;
  expect_error(d, "/counters/3", "expected an integer, got 1.5");
}

TEST(FunnelPartialJson, CounterBeyondInt64) {
  Json d = valid_document();
  d["counters"][0] = std::uint64_t{9223372036854775808u};
  expect_error(d, "/counters/0", "integer 9223372036854775808 is out of range");
}

TEST(FunnelPartialJson, DenseReasonsInASparsePartial) {
  Json d = valid_document();
  ASSERT_FALSE(d["reasons"].empty());
  d["sparse_reasons"] = true;
  expect_error(d, "/reasons", "expected [] when sparse_reasons is true");
}

TEST(FunnelPartialJson, SparseEntriesInADensePartial) {
  Json d = valid_document();
  d["sparse"] = Json::array({Json::array({0, 1, 2})});
  expect_error(d, "/sparse", "expected [] when sparse_reasons is false");
}

// A sparse document (dense reasons emptied) with these entries.
Json sparse_document(Json entries) {
  Json d = valid_document();
  d["sparse_reasons"] = true;
  d["reasons"] = Json::array();
  d["sparse"] = std::move(entries);
  return d;
}

TEST(FunnelPartialJson, SparseEntryOfWrongArity) {
  expect_error(sparse_document(Json::array({Json::array({0, 1})})), "/sparse/0",
               "expected [group, cell, count], got 2 elements");
}

TEST(FunnelPartialJson, SparseGroupOutOfRange) {
  expect_error(sparse_document(Json::array({Json::array({-1, 1, 2})})), "/sparse/0/0",
               "group -1 is out of range");
}

TEST(FunnelPartialJson, SparseNegativeCell) {
  expect_error(sparse_document(Json::array({Json::array({0, -1, 2})})), "/sparse/0/1", "cell -1 is negative");
}

TEST(FunnelPartialJson, SparseCountNotPositive) {
  expect_error(sparse_document(Json::array({Json::array({0, 1, 0})})), "/sparse/0/2",
               "count 0: expected a positive count");
}

TEST(FunnelPartialJson, SparseEntriesOutOfOrder) {
  expect_error(sparse_document(Json::array({Json::array({1, 1, 2}), Json::array({0, 5, 2})})), "/sparse/1",
               "expected entries in increasing (group, cell) order");
}

TEST(FunnelPartialJson, AParsedPartialOfAnotherShapeDoesNotFinish) {
  const EventLog log = random_log(24, 20);
  auto plan = FunnelPlan::create(log, fixture_pipeline(), FunnelQuery{});
  Json d = *parse_json(plan->run_all(1).to_json(), "<doc>");
  d["counters"].push_back(0);
  auto parsed = FunnelPartial::parse(d.dump());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(plan->finish(*parsed).status().code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dealflow::analytics
