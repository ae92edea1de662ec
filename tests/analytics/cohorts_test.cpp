// Created-month cohorts (cohorts.h): a hand-computed table, the zero months of
// a bounded range, the UTC offset, the outputs and the errors.
#include <gtest/gtest.h>

#include <numeric>

#include "analytics/funnel_fixture.h"
#include "dealflow/analytics/cohorts.h"
#include "dealflow/analytics/cohorts_output.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::analytics {
namespace {

const char* kPipeline = R"({"id": "sales", "name": "Продажи",
  "stages": [
    {"id": "NEW", "name": "Новая", "kind": "open"},
    {"id": "OFFER", "name": "Предложение", "kind": "open"},
    {"id": "CONTRACT", "name": "Договор", "kind": "open"},
    {"id": "WON", "name": "Успех", "kind": "won"},
    {"id": "LOST", "name": "Отказ", "kind": "lost"}]})";

// January: a1 lost after OFFER, a2 won, a3 reached CONTRACT and moved back to
// NEW (open), a4 has no history (created 23:30 UTC on the 31st: February at
// +03:00). February: none. March: c1 won from NEW, c2 lost from NEW, c3 lost
// without an open stage.
const char* kCohortsDeals =
    "id,created_at\n"
    "a1,2024-01-05T09:00:00Z\n"
    "a2,2024-01-10T09:00:00Z\n"
    "a3,2024-01-20T09:00:00Z\n"
    "a4,2024-01-31T23:30:00Z\n"
    "c1,2024-03-01T09:00:00Z\n"
    "c2,2024-03-02T09:00:00Z\n"
    "c3,2024-03-03T09:00:00Z\n";

const char* kCohortsHistory =
    "deal_id,at,stage\n"
    "a1,2024-01-05T09:00:00Z,NEW\n"
    "a1,2024-01-08T09:00:00Z,OFFER\n"
    "a1,2024-01-09T09:00:00Z,LOST\n"
    "a2,2024-01-10T09:00:00Z,NEW\n"
    "a2,2024-01-11T09:00:00Z,OFFER\n"
    "a2,2024-01-12T09:00:00Z,CONTRACT\n"
    "a2,2024-01-20T09:00:00Z,WON\n"
    "a3,2024-01-20T09:00:00Z,NEW\n"
    "a3,2024-01-22T09:00:00Z,CONTRACT\n"
    "a3,2024-01-25T09:00:00Z,NEW\n"
    "c1,2024-03-01T09:00:00Z,NEW\n"
    "c1,2024-03-05T09:00:00Z,WON\n"
    "c2,2024-03-02T09:00:00Z,NEW\n"
    "c2,2024-03-04T09:00:00Z,LOST\n"
    "c3,2024-03-03T09:00:00Z,LOST\n";

// The log refers to the pipeline: both live in function statics, never moved.
const Pipeline& pipeline() {
  static const LoadedPipeline loaded = [] {
    auto p = parse_pipeline_text(kPipeline);
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

const EventLog& fixture_log() {
  static const LoadedLog loaded = [] {
    CsvLoadOptions options;
    options.default_pipeline = &pipeline();
    auto l = load_deals_csv(kCohortsDeals, "deals.csv", {&pipeline()}, options);
    if (!l) throw std::runtime_error(l.status().to_string());
    const Status s = load_history_csv(kCohortsHistory, "history.csv", {&pipeline()}, options, *l);
    if (!s.ok()) throw std::runtime_error(s.to_string());
    return std::move(*l);
  }();
  return loaded.log;
}

Result<CohortReport> cohorts(const CohortQuery& q = {}) {
  return compute_cohorts(fixture_log(), pipeline(), q);
}

using testing::at;

void expect_row(const CohortRow& r, const char* month, std::uint64_t deals, std::uint64_t no_stage,
                std::vector<std::uint64_t> furthest, std::uint64_t won, std::uint64_t lost,
                std::uint64_t open) {
  SCOPED_TRACE(month);
  EXPECT_EQ(r.month, month);
  EXPECT_EQ(r.deals, deals);
  EXPECT_EQ(r.no_stage, no_stage);
  EXPECT_EQ(r.furthest, furthest);
  EXPECT_EQ(r.won, won);
  EXPECT_EQ(r.lost, lost);
  EXPECT_EQ(r.open, open);
  EXPECT_EQ(r.no_stage + std::accumulate(r.furthest.begin(), r.furthest.end(), std::uint64_t{0}) + r.won,
            r.deals);
}

TEST(Cohorts, HandComputedTable) {
  auto r = cohorts();
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->stages.size(), 3u);
  EXPECT_EQ(r->stages[1].id, "OFFER");
  EXPECT_EQ(r->stages[1].name, "Предложение");
  ASSERT_EQ(r->rows.size(), 3u);  // January, February (no deals), March
  expect_row(r->rows[0], "2024-01", 4, 1, {0, 1, 1}, 1, 1, 2);
  expect_row(r->rows[1], "2024-02", 0, 0, {0, 0, 0}, 0, 0, 0);
  expect_row(r->rows[2], "2024-03", 3, 1, {1, 0, 0}, 1, 2, 0);
  expect_row(r->total, "total", 7, 2, {1, 1, 1}, 2, 3, 2);

  // Shares of the month's deals.
  EXPECT_DOUBLE_EQ(*r->rows[0].share(r->rows[0].furthest[1]), 0.25);
  EXPECT_DOUBLE_EQ(*r->rows[2].share(r->rows[2].no_stage), 1.0 / 3.0);
  EXPECT_FALSE(r->rows[1].share(0).has_value());

  // Win rate = won / (won + lost), 95% Wilson: 1/2, none, 1/3; total 2/5.
  const CohortRow& jan = r->rows[0];
  EXPECT_EQ(jan.win_rate.numerator, 1u);
  EXPECT_EQ(jan.win_rate.denominator, 2u);
  EXPECT_DOUBLE_EQ(*jan.win_rate.value, 0.5);
  EXPECT_NEAR(jan.win_rate.interval->low, 0.09453120573423074, 1e-12);
  EXPECT_NEAR(jan.win_rate.interval->high, 0.9054687942657693, 1e-12);
  EXPECT_DOUBLE_EQ(*jan.won_of_created.value, 0.25);
  EXPECT_NEAR(jan.won_of_created.interval->low, 0.04558726080970055, 1e-12);
  EXPECT_FALSE(r->rows[1].win_rate.value.has_value());
  EXPECT_FALSE(r->rows[1].win_rate.interval.has_value());
  EXPECT_NEAR(*r->rows[2].win_rate.value, 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(r->rows[2].win_rate.interval->low, 0.06149194472039621, 1e-12);
  EXPECT_NEAR(r->rows[2].win_rate.interval->high, 0.7923403991979522, 1e-12);
  EXPECT_NEAR(r->total.win_rate.interval->low, 0.11762077423264783, 1e-12);
  EXPECT_NEAR(r->total.win_rate.interval->high, 0.769275718723987, 1e-12);
}

TEST(Cohorts, BoundedRangeHasZeroRowsAtBothEnds) {
  CohortQuery q;
  q.from = at("2023-12-15");
  q.to = at("2024-05-01");
  auto r = cohorts(q);
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 5u);
  const char* months[5] = {"2023-12", "2024-01", "2024-02", "2024-03", "2024-04"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(r->rows[i].month, months[i]);
  EXPECT_EQ(r->rows[0].deals, 0u);
  EXPECT_EQ(r->rows[4].deals, 0u);
  EXPECT_EQ(r->total.deals, 7u);

  // The range cuts deals: [2024-01-10, 2024-03-02) keeps a2, a3, a4, c1.
  q.from = at("2024-01-10");
  q.to = at("2024-03-02");
  r = cohorts(q);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 3u);
  expect_row(r->rows[0], "2024-01", 3, 1, {0, 0, 1}, 1, 0, 2);
  expect_row(r->rows[2], "2024-03", 1, 0, {0, 0, 0}, 1, 0, 0);
}

TEST(Cohorts, UtcOffsetMovesTheMonth) {
  CohortQuery q;
  q.utc_offset_minutes = 180;
  auto r = cohorts(q);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 3u);
  expect_row(r->rows[0], "2024-01", 3, 0, {0, 1, 1}, 1, 1, 1);
  expect_row(r->rows[1], "2024-02", 1, 1, {0, 0, 0}, 0, 0, 1);  // a4
}

TEST(Cohorts, AsOfCountsOutcomesThen) {
  // As of 2024-01-15: a1 lost, a2 in CONTRACT (its WON comes later); the deals
  // created after the report instant do not exist yet (a3, a4, March).
  CohortQuery q;
  q.as_of = at("2024-01-15");
  auto r = cohorts(q);
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 1u);
  expect_row(r->rows[0], "2024-01", 2, 0, {0, 1, 1}, 0, 1, 1);
}

TEST(Cohorts, NoDealsInAnOpenRangeIsEmpty) {
  // A lower bound only and no deal after it: nothing ends the range, no rows.
  CohortQuery q;
  q.from = at("2030-01-01");
  auto r = cohorts(q);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->rows.empty());
  EXPECT_EQ(r->total.deals, 0u);
  // Both bounds: every month of the range, all zero.
  q.to = at("2030-03-01");
  r = cohorts(q);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 2u);
  expect_row(r->rows[1], "2030-02", 0, 0, {0, 0, 0}, 0, 0, 0);
}

TEST(Cohorts, Errors) {
  CohortQuery q;
  q.from = at("2024-03-01");
  q.to = at("2024-01-01");
  EXPECT_EQ(cohorts(q).status().code(), ErrorCode::invalid_argument);
  q.from = at("1900-01-01");
  q.to = at("2024-01-01");
  auto wide = cohorts(q);
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(wide.status().message().find("1488 months"), std::string::npos) << wide.status().to_string();
  auto other = parse_pipeline_text(R"({"id": "other", "name": "x",
    "stages": [{"id": "A", "kind": "open"}, {"id": "W", "kind": "won"}, {"id": "L", "kind": "lost"}]})");
  ASSERT_TRUE(other);
  EXPECT_FALSE(compute_cohorts(fixture_log(), other->pipeline, {}));
}

TEST(Cohorts, MonthKeys) {
  EXPECT_EQ(cohort_month_key(2024 * 12), "2024-01");
  EXPECT_EQ(cohort_month_key(2024 * 12 + 11), "2024-12");
  EXPECT_EQ(cohort_month_index(at("2024-02-29T23:59:59Z"), 0), 2024 * 12 + 1);
  EXPECT_EQ(cohort_month_index(at("2024-02-29T23:59:59Z"), 1), 2024 * 12 + 2);
  EXPECT_EQ(cohort_month_index(at("2024-03-01T00:30:00Z"), -60), 2024 * 12 + 1);
}

TEST(Cohorts, JsonLayout) {
  auto r = cohorts();
  ASSERT_TRUE(r);
  const Json j = cohorts_to_json(*r);
  EXPECT_EQ(j["definition"]["pipeline"], "sales");
  EXPECT_EQ(j["definition"]["rule"], "high-water");
  EXPECT_EQ(j["stages"].size(), 3u);
  EXPECT_EQ(j["stages"][2]["name"], "Договор");
  const Json& jan = j["months"][0];
  EXPECT_EQ(jan["month"], "2024-01");
  EXPECT_EQ(jan["deals"], 4);
  EXPECT_EQ(jan["furthest"]["no_stage"]["count"], 1);
  EXPECT_EQ(jan["furthest"]["no_stage"]["share"], 0.25);
  EXPECT_EQ(jan["furthest"]["stages"][1]["stage"], "OFFER");
  EXPECT_EQ(jan["furthest"]["stages"][1]["count"], 1);
  EXPECT_EQ(jan["furthest"]["won"]["count"], 1);
  EXPECT_EQ(jan["win_rate"]["value"], 0.5);
  EXPECT_EQ(jan["win_rate"]["denominator"], 2);
  EXPECT_TRUE(j["months"][1]["win_rate"]["value"].is_null());
  EXPECT_TRUE(j["months"][1]["furthest"]["won"]["share"].is_null());
  EXPECT_FALSE(j["total"].contains("month"));
  EXPECT_EQ(j["total"]["deals"], 7);
}

TEST(Cohorts, CsvAndTable) {
  auto r = cohorts();
  ASSERT_TRUE(r);
  const std::string csv = cohorts_to_csv(*r);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "month,deals,no_stage,NEW,OFFER,CONTRACT,won,lost,open,win_rate,win_rate_low,win_rate_high,"
            "won_of_created,pipeline,as_of");
  EXPECT_NE(csv.find("\n2024-02,0,0,0,0,0,0,0,0,,,,,sales,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n2024-01,4,1,0,1,1,1,1,2,0.5,0.09453120573423"), std::string::npos) << csv;
  const std::string table = cohorts_to_table(*r);
  EXPECT_NE(table.find("Предложение"), std::string::npos);
  EXPECT_NE(table.find("1 (25.0%)"), std::string::npos) << table;
  EXPECT_NE(table.find("50.0%"), std::string::npos);
  EXPECT_NE(table.find("definition: deals of pipeline sales"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::analytics
