// The `mapped` importer on its two fixtures, with the reports of the imported
// logs against numbers computed by hand.
//
// amoCRM-style events (UTF-16 LE, ';', Moscow time, tests/import/fixtures/mapped):
//   A-1 100000 RUB  NEW 03-01 09:00 (Иванов Иван, close 31.03), TALK 03-05 (Петрова Анна, close 15.04),
//                   LOST 03-10, TALK 03-12 (reopen), WON 03-20
//   A-2 5000 USD    NEW 03-02, TALK 03-06, DECISION 03-08 (open)
//   A-3 20000 RUB   NEW 03-03, LOST 03-09 (the value "143")
// Snapshot (teaching data set shape): engage_date enters ENGAGING, close_date WON or LOST.
#include <gtest/gtest.h>

#include "dealflow/import/mapped.h"
#include "mapped_fixture_util.h"

namespace dealflow::import {
namespace {

using namespace testing;
using Rows = std::vector<std::vector<std::string>>;

Result<CanonicalExport> amocrm() {
  return import_mapped(fixture("mapped", "amocrm_mapping.json"),
                       {fixture("mapped", "amocrm_events_utf16le.csv")}, {});
}

TEST(MappedEvents, Utf16CsvWithDateFormatsAndValueMaps) {
  auto e = amocrm();
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->report.encodings.at("amocrm_events_utf16le.csv"), "utf-16le");
  EXPECT_EQ(e->report.rows_read.at("amocrm_events_utf16le.csv"), 10u);
  EXPECT_EQ(e->deals.columns, (std::vector<std::string>{"id", "created_at", "pipeline", "amount", "currency",
                                                        "manager", "region", "close_date", "closed_at"}));
  EXPECT_EQ(
      e->deals.rows,
      (Rows{{"A-1", "2024-03-01T06:00:00Z", "amo_sales", "100000.00", "RUB", "Петрова Анна", "Москва",
             "2024-04-15", "2024-03-20T06:00:00Z"},
            {"A-2", "2024-03-02T06:00:00Z", "amo_sales", "5000.00", "USD", "Петрова Анна", "Казань", "", ""},
            {"A-3", "2024-03-03T06:00:00Z", "amo_sales", "20000.00", "RUB", "Иванов Иван", "Москва", "",
             "2024-03-09T06:00:00Z"}}));
  EXPECT_EQ(e->history.rows, (Rows{{"A-1", "2024-03-01T06:00:00Z", "NEW", "amo_sales", ""},
                                   {"A-1", "2024-03-05T06:00:00Z", "TALK", "amo_sales", ""},
                                   {"A-1", "2024-03-10T06:00:00Z", "LOST", "amo_sales", ""},
                                   {"A-1", "2024-03-12T06:00:00Z", "TALK", "amo_sales", ""},
                                   {"A-1", "2024-03-20T06:00:00Z", "WON", "amo_sales", ""},
                                   {"A-2", "2024-03-02T06:00:00Z", "NEW", "amo_sales", ""},
                                   {"A-2", "2024-03-06T06:00:00Z", "TALK", "amo_sales", ""},
                                   {"A-2", "2024-03-08T06:00:00Z", "DECISION", "amo_sales", ""},
                                   {"A-3", "2024-03-03T06:00:00Z", "NEW", "amo_sales", ""},
                                   {"A-3", "2024-03-09T06:00:00Z", "LOST", "amo_sales", ""}}));
  // Only values that change between a deal's rows become field changes (amount and region never do).
  EXPECT_EQ(e->field_changes.rows, (Rows{{"A-1", "2024-03-01T06:00:00Z", "close_date", "2024-03-31"},
                                         {"A-1", "2024-03-01T06:00:00Z", "manager", "Иванов Иван"},
                                         {"A-1", "2024-03-05T06:00:00Z", "close_date", "2024-04-15"},
                                         {"A-1", "2024-03-05T06:00:00Z", "manager", "Петрова Анна"}}));
  ASSERT_EQ(e->pipelines.size(), 1u);
  EXPECT_EQ(e->pipelines[0].name, "Воронка");
  EXPECT_EQ(e->pipelines[0].reopens, (std::vector<std::pair<std::string, std::string>>{{"LOST", "TALK"}}));
}

TEST(MappedEvents, ReportsEqualHandComputedNumbers) {
  auto e = amocrm();
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  auto loaded = load_clean(*e);
  ASSERT_TRUE(loaded.has_value());
  const Pipeline* p = loaded->find_pipeline("amo_sales");
  ASSERT_NE(p, nullptr);
  const auto& log = loaded->loaded.log;
  analytics::FunnelQuery fq;
  fq.as_of = *parse_instant("2024-04-01T00:00:00Z");
  auto funnel = analytics::compute_funnel(log, *p, fq);
  ASSERT_TRUE(funnel.ok()) << funnel.status().to_string();
  EXPECT_EQ(reached(funnel->total), (std::vector<std::uint64_t>{3, 2, 2}));
  EXPECT_EQ(funnel->total.won, 1u);
  EXPECT_EQ(funnel->total.lost, 1u);
  EXPECT_EQ(funnel->total.open, 1u);
  analytics::DurationQuery dq;
  dq.as_of = fq.as_of;
  auto durations = analytics::compute_durations(log, *p, dq);
  ASSERT_TRUE(durations.ok()) << durations.status().to_string();
  // Closed after 6 days (A-3) and 19 days (A-1, its final won entry); A-2 censored after 30 days.
  // Kaplan-Meier: S = 2/3 after 6 d, 1/3 after 19 d: the median is 19 days.
  EXPECT_EQ(durations->total.cycle.to_close.events, 2u);
  EXPECT_EQ(durations->total.cycle.to_close.median, 19 * kDay);
  // TALK: A-1 two visits (5 days, then 8 days), A-2 one (2 days).
  EXPECT_EQ(durations->total.stages[1].visits, 3u);
  analytics::ScorecardQuery sq{*parse_instant("2024-03-01"), *parse_instant("2024-04-01")};
  auto card = analytics::compute_scorecard(log, *p, sq);
  ASSERT_TRUE(card.ok()) << card.status().to_string();
  const auto* petrova = manager_row(*card, "Петрова Анна");
  const auto* ivanov = manager_row(*card, "Иванов Иван");
  ASSERT_NE(petrova, nullptr);
  ASSERT_NE(ivanov, nullptr);
  EXPECT_EQ(petrova->current.taken, 2u);
  EXPECT_EQ(petrova->current.won, 1u);
  EXPECT_EQ(petrova->current.open, 1u);
  EXPECT_EQ(petrova->current.won_amount->to_string(), "100000.00 RUB");
  EXPECT_EQ(ivanov->current.taken, 1u);
  EXPECT_EQ(ivanov->current.lost, 1u);
  EXPECT_FALSE(ivanov->current.won_amount.has_value());
}

TEST(MappedEvents, ReRunsGiveIdenticalBytes) {
  auto a = amocrm();
  auto b = amocrm();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(whole(*a), whole(*b));
}

Result<CanonicalExport> snapshot() {
  return import_mapped(fixture("mapped", "snapshot_mapping.json"), {fixture("mapped", "snapshot_deals.csv")},
                       {});
}

TEST(MappedSnapshot, DateColumnsAreStageEntries) {
  auto e = snapshot();
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->deals.columns, (std::vector<std::string>{"id", "created_at", "pipeline", "amount", "currency",
                                                        "manager", "product", "client", "closed_at"}));
  EXPECT_EQ(
      e->deals.rows,
      (Rows{{"S-1", "2023-10-20T00:00:00Z", "teaching", "1054.00", "USD", "Zoë Caudill", "GTX Pro", "Cancity",
             "2023-11-05T00:00:00Z"},
            {"S-2", "2023-10-25T00:00:00Z", "teaching", "0.00", "USD", "Zoë Caudill", "MG Special",
             "Bioholding", "2023-11-10T00:00:00Z"},
            {"S-3", "2023-11-01T00:00:00Z", "teaching", "", "", "Moses Frase", "GTX Pro", "Cancity", ""},
            {"S-5", "2023-10-22T00:00:00Z", "teaching", "4514.00", "USD", "Moses Frase", "GTX Plus",
             "Rangreen", "2023-11-20T00:00:00Z"}}));
  EXPECT_EQ(e->history.rows, (Rows{{"S-1", "2023-10-20T00:00:00Z", "ENGAGING", "teaching", ""},
                                   {"S-1", "2023-11-05T00:00:00Z", "WON", "teaching", ""},
                                   {"S-2", "2023-10-25T00:00:00Z", "ENGAGING", "teaching", ""},
                                   {"S-2", "2023-11-10T00:00:00Z", "LOST", "teaching", ""},
                                   {"S-3", "2023-11-01T00:00:00Z", "ENGAGING", "teaching", ""},
                                   {"S-5", "2023-10-22T00:00:00Z", "ENGAGING", "teaching", ""},
                                   {"S-5", "2023-11-20T00:00:00Z", "WON", "teaching", ""}}));
  EXPECT_TRUE(e->field_changes.rows.empty());
  // S-4 (Prospecting, no date at all) cannot be placed in time.
  ASSERT_TRUE(e->report.issues.count("deal_without_date"));
  EXPECT_EQ(e->report.issues.at("deal_without_date").count, 1u);
  EXPECT_EQ(e->report.issues.at("deal_without_date").action, "dropped");
  EXPECT_EQ(e->report.issues.at("deal_without_date").examples[0].where, "snapshot_deals.csv:5");
  EXPECT_EQ(e->report.deals, 4u);
}

TEST(MappedSnapshot, ReportsEqualHandComputedNumbers) {
  auto e = snapshot();
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  auto loaded = load_clean(*e);
  ASSERT_TRUE(loaded.has_value());
  const Pipeline* p = loaded->find_pipeline("teaching");
  ASSERT_NE(p, nullptr);
  const auto& log = loaded->loaded.log;
  analytics::FunnelQuery fq;
  fq.as_of = *parse_instant("2023-12-01T00:00:00Z");
  auto funnel = analytics::compute_funnel(log, *p, fq);
  ASSERT_TRUE(funnel.ok());
  EXPECT_EQ(reached(funnel->total), (std::vector<std::uint64_t>{4, 4}));
  EXPECT_EQ(funnel->total.won, 2u);
  EXPECT_EQ(funnel->total.lost, 1u);
  analytics::DurationQuery dq;
  dq.as_of = fq.as_of;
  auto durations = analytics::compute_durations(log, *p, dq);
  ASSERT_TRUE(durations.ok());
  // Closed after 16 (S-1), 16 (S-2) and 29 days (S-5); S-3 censored: S = 1/2 after 16 days.
  EXPECT_EQ(durations->total.cycle.to_close.events, 3u);
  EXPECT_EQ(durations->total.cycle.to_close.median, 16 * kDay);
  analytics::ScorecardQuery sq{*parse_instant("2023-10-01"), *parse_instant("2023-12-01")};
  auto card = analytics::compute_scorecard(log, *p, sq);
  ASSERT_TRUE(card.ok()) << card.status().to_string();
  ASSERT_EQ(card->managers.size(), 2u);
  EXPECT_EQ(*card->managers[0].manager, "Moses Frase");
  EXPECT_EQ(card->managers[0].current.won_amount->to_string(), "4514.00 USD");
  EXPECT_EQ(*card->managers[1].manager, "Zoë Caudill");
  EXPECT_EQ(card->managers[1].current.won, 1u);
  EXPECT_EQ(card->managers[1].current.lost, 1u);
  EXPECT_EQ(card->team.current.won_amount->to_string(), "5568.00 USD");
}

TEST(MappedSnapshot, OutcomeColumnDecidesTheFinalStage) {
  // An outcome table: "status" says won/lost (or nothing), "stage" the last open stage.
  const std::string map = R"({"shape":"snapshot","pipeline":{"id":"p"},"currency":"EUR",
    "stages":[{"id":"A","kind":"open"},{"id":"B","kind":"open"},{"id":"W","kind":"won"},{"id":"L","kind":"lost"}],
    "columns":{"id":"id","stage":"stage","outcome":"status","created_at":"created","amount":"amount"},
    "outcomes":{"won":"W","lost":"L","":null},
    "stage_dates":[{"column":"closed","stages":["W","L"]}]})";
  const std::string csv =
      "id,created,stage,status,closed,amount\n"
      "1,2024-01-01,B,won,2024-01-11,10.5\n"
      "2,2024-01-02,A,,,\n";
  auto e = import_mapped(temp_file("outcome.json", map), {temp_file("outcome.csv", csv)}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  // Deal 1 starts in B, the open stage its stage column names beside the outcome.
  EXPECT_EQ(e->history.rows, (Rows{{"1", "2024-01-01T00:00:00Z", "B", "p", ""},
                                   {"1", "2024-01-11T00:00:00Z", "W", "p", ""},
                                   {"2", "2024-01-02T00:00:00Z", "A", "p", ""}}));
  EXPECT_EQ(e->deals.rows[0][3], "10.50");
  EXPECT_TRUE(load_clean(*e).has_value());
}

}  // namespace
}  // namespace dealflow::import
