// The Bitrix24 importer on hand-written fixtures (tests/import/fixtures/bitrix24/):
// REST responses (stage history page and batch, two deal-list snapshots, stage
// lists plain and batched, categories, users) and the web UI deal list CSV in
// Windows-1251 and UTF-16 LE.
#include "dealflow/import/bitrix24.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/scorecard.h"

namespace dealflow::import {
namespace {

const std::string kB24Dir = std::string(DEALFLOW_SOURCE_DIR) + "/tests/import/fixtures/bitrix24/";

std::vector<std::string> json_files() {
  return {kB24Dir + "stagehistory_batch.json",
          kB24Dir + "deals.json",
          kB24Dir + "status_list.json",
          kB24Dir + "deals_2024-03-04.json",
          kB24Dir + "categories.json",
          kB24Dir + "category2_stages_batch.json",
          kB24Dir + "users.json",
          kB24Dir + "stagehistory_page1.json"};
}

CanonicalExport import_with(std::vector<std::string> files) {
  auto exp = import_bitrix24(files, {});
  EXPECT_TRUE(exp.ok()) << exp.status().to_string();
  return exp.ok() ? *exp : CanonicalExport{};
}

std::string b24_tmp_file(const std::string& name, const std::string& bytes) {
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/b24_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

const char* kHistory =
    "deal_id,at,stage,pipeline,actor\n"
    "101,2024-03-01T07:00:00Z,NEW,bitrix24_c0,\n"
    "101,2024-03-04T07:00:00Z,PREPARATION,bitrix24_c0,\n"
    "101,2024-03-06T07:00:00Z,LOSE,bitrix24_c0,\n"
    "101,2024-03-07T07:00:00Z,PREPARATION,bitrix24_c0,\n"
    "101,2024-03-11T07:00:00Z,WON,bitrix24_c0,\n"
    "102,2024-03-02T06:00:00Z,NEW,bitrix24_c0,\n"
    "102,2024-03-05T06:00:00Z,LOSE,bitrix24_c0,\n"
    "103,2024-03-02T09:00:00Z,C2:NEW,bitrix24_c2,\n"
    "103,2024-03-09T09:00:00Z,C2:WON,bitrix24_c2,\n"
    "104,2024-03-03T07:00:00Z,NEW,bitrix24_c0,\n"
    "104,2024-03-05T12:00:00Z,C2:NEW,bitrix24_c2,\n";

TEST(Bitrix24Import, HistoryFromPagesAndBatchesInUtcWithCategoryMoves) {
  const auto exp = import_with(json_files());
  EXPECT_EQ(to_csv(exp.history), kHistory);
}

TEST(Bitrix24Import, DealsFromTheNewestSnapshotWithUserNames) {
  const auto exp = import_with(json_files());
  EXPECT_EQ(
      to_csv(exp.deals),
      "id,created_at,pipeline,amount,currency,manager,business,source,close_date,closed_at,probability,type\n"
      "101,2024-03-01T07:00:00Z,bitrix24_c0,150000.00,RUB,Анна Иванова,new,WEB,2024-03-31,"
      "2024-03-11T07:00:00Z,100,SALE\n"
      "102,2024-03-02T06:00:00Z,bitrix24_c0,2500.50,USD,Пётр Петров,new,WEB,2024-03-15,"
      "2024-03-05T06:00:00Z,0,SALE\n"
      "103,2024-03-02T09:00:00Z,bitrix24_c2,99000.00,RUB,Анна Иванова,new,WEB,2024-03-09,"
      "2024-03-09T09:00:00Z,100,SALE\n"
      "104,2024-03-03T07:00:00Z,bitrix24_c0,50000.00,RUB,Пётр Петров,new,WEB,2024-04-30,,20,SALE\n");
}

TEST(Bitrix24Import, TwoDealListSnapshotsGiveOwnerAndCloseDateChanges) {
  const auto exp = import_with(json_files());
  EXPECT_EQ(to_csv(exp.field_changes),
            "deal_id,at,field,value,currency\n"
            "101,2024-03-04T07:00:00Z,manager,Пётр Петров,\n"
            "101,2024-03-04T07:00:00Z,close_date,2024-03-20,\n"
            "101,2024-03-04T07:00:00Z,probability,20,\n"
            "101,2024-03-04T07:00:00Z,amount,150000.00,RUB\n"
            "101,2024-03-11T07:00:00Z,manager,Анна Иванова,\n"
            "101,2024-03-11T07:00:00Z,close_date,2024-03-31,\n"
            "101,2024-03-11T07:00:00Z,probability,100,\n");
}

TEST(Bitrix24Import, OnePipelinePerCategoryWithSemanticsSortAndReopens) {
  const auto exp = import_with(json_files());
  ASSERT_EQ(exp.pipelines.size(), 2u);
  const auto& c0 = exp.pipelines[0];
  EXPECT_EQ(c0.id, "bitrix24_c0");
  ASSERT_EQ(c0.stages.size(), 4u);
  EXPECT_EQ(c0.stages[0].id, "NEW");
  EXPECT_EQ(c0.stages[0].name, "Новая");  // the lead status list's NEW ("Не обработан") is ignored
  EXPECT_EQ(c0.stages[1].id, "PREPARATION");
  EXPECT_EQ(c0.stages[2].id, "WON");
  EXPECT_EQ(c0.stages[2].kind, "won");
  EXPECT_EQ(c0.stages[3].id, "LOSE");
  EXPECT_EQ(c0.stages[3].kind, "lost");
  ASSERT_EQ(c0.reopens.size(), 1u);
  EXPECT_EQ(c0.reopens[0], std::make_pair(std::string("LOSE"), std::string("PREPARATION")));
  const auto& c2 = exp.pipelines[1];
  EXPECT_EQ(c2.id, "bitrix24_c2");
  EXPECT_EQ(c2.name, "Опт");
  ASSERT_EQ(c2.stages.size(), 3u);
  EXPECT_EQ(c2.stages[0].name, "Заявка");
  EXPECT_EQ(c2.stages[1].kind, "won");
  EXPECT_EQ(c2.stages[2].kind, "lost");
  EXPECT_TRUE(c2.reopens.empty());
}

TEST(Bitrix24Import, ReportCountsLeadsDuplicatesAndSnapshots) {
  const auto exp = import_with(json_files());
  const auto& r = exp.report;
  EXPECT_EQ(r.deals, 4u);
  EXPECT_EQ(r.events, 11u);
  EXPECT_EQ(r.field_changes, 7u);
  EXPECT_EQ(r.issues.at("lead_skipped").count, 1u);
  EXPECT_EQ(r.issues.at("lead_skipped").examples[0].where,
            "stagehistory_batch.json: at /result/result/cmd1/items/3");
  EXPECT_EQ(r.issues.at("duplicate_history_item").count, 1u);
  EXPECT_EQ(r.issues.at("status_not_a_deal_stage").count, 1u);
  EXPECT_EQ(r.issues.at("deal_snapshots").count, 1u);
  EXPECT_EQ(r.rows_read.at("stagehistory_batch.json"), 8u);
  EXPECT_EQ(r.encodings.at("deals.json"), "utf-8");
}

// The export without deal 104's move into category 2 (TYPE_ID 5), for the
// hand-computed single-category figures (LoadsWithTheCategoryMove below is the
// full case).
CanonicalExport without_category_move(CanonicalExport exp) {
  auto& rows = exp.history.rows;
  rows.erase(std::remove_if(rows.begin(), rows.end(),
                            [](const auto& r) { return r[0] == "104" && r[3] == "bitrix24_c2"; }),
             rows.end());
  return exp;
}

TEST(Bitrix24Import, LoadsWithoutSkippedRowsAndReportsMatchHandCounts) {
  auto loaded = to_event_log(without_category_move(import_with(json_files())));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->loaded.report.total(), 0u);
  const auto& log = loaded->loaded.log;
  const Pipeline& c0 = *loaded->find_pipeline("bitrix24_c0");
  const Pipeline& c2 = *loaded->find_pipeline("bitrix24_c2");

  // As of the last event: 101 won after its reopen, 102 lost, 104 open; 103 won in category 2.
  auto f0 = analytics::compute_funnel(log, c0, {});
  ASSERT_TRUE(f0.ok()) << f0.status().to_string();
  EXPECT_EQ(f0->total.deals, 3u);
  EXPECT_EQ(f0->total.won, 1u);
  EXPECT_EQ(f0->total.lost, 1u);
  EXPECT_EQ(f0->total.open, 1u);
  EXPECT_EQ(f0->total.stages[0].reached, 3u);  // NEW
  EXPECT_EQ(f0->total.stages[1].reached, 1u);  // PREPARATION: 101 only
  auto f2 = analytics::compute_funnel(log, c2, {});
  ASSERT_TRUE(f2.ok()) << f2.status().to_string();
  EXPECT_EQ(f2->total.deals, 1u);
  EXPECT_EQ(f2->total.won, 1u);
  // Between 101's loss (03-06) and its reopen (03-07): two lost, none won.
  analytics::FunnelQuery q;
  q.as_of = *parse_instant("2024-03-06T12:00:00Z");
  f0 = analytics::compute_funnel(log, c0, q);
  ASSERT_TRUE(f0.ok());
  EXPECT_EQ(f0->total.lost, 2u);
  EXPECT_EQ(f0->total.won, 0u);
  EXPECT_EQ(f0->total.open, 1u);

  // Durations with RUB and USD deals: 101's first visit of PREPARATION lasted 2 days; NEW
  // lasted 3 days for 101 and 102 (104 is still there): median 3 days.
  auto d = analytics::compute_durations(log, c0, {});
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_EQ(d->total.stages[1].id, "PREPARATION");
  EXPECT_EQ(d->total.stages[1].first_visit.events, 1u);
  EXPECT_EQ(d->total.stages[1].first_visit.median, 2 * 86400);
  EXPECT_EQ(d->total.stages[0].first_visit.events, 2u);
  EXPECT_EQ(d->total.stages[0].first_visit.censored, 1u);

  // Scorecard for March: category 0 won 101 (150000.00 RUB in 10 days) and lost 102.
  analytics::ScorecardQuery sq{*parse_instant("2024-03-01T00:00:00Z"),
                               *parse_instant("2024-04-01T00:00:00Z")};
  auto s0 = analytics::compute_scorecard(log, c0, sq);
  ASSERT_TRUE(s0.ok()) << s0.status().to_string();
  EXPECT_EQ(s0->team.current.taken, 3u);
  EXPECT_EQ(s0->team.current.won, 1u);
  EXPECT_EQ(s0->team.current.lost, 1u);
  EXPECT_EQ(s0->team.current.open, 1u);
  EXPECT_EQ(s0->team.current.win_rate, 0.5);
  EXPECT_EQ(*s0->team.current.won_amount, Money(15000000, Currency::of("RUB")));
  EXPECT_EQ(s0->team.current.median_cycle_seconds, 10 * 86400);
  auto s2 = analytics::compute_scorecard(log, c2, sq);
  ASSERT_TRUE(s2.ok()) << s2.status().to_string();
  EXPECT_EQ(s2->team.current.won, 1u);
  EXPECT_EQ(*s2->team.current.won_amount, Money(9900000, Currency::of("RUB")));
  EXPECT_EQ(s2->team.current.median_cycle_seconds, 7 * 86400);
}

// The whole export, with deal 104's move into category 2 (TYPE_ID 5): one deal
// id, one history, reported in the category it is in at the report instant.
TEST(Bitrix24Import, LoadsWithTheCategoryMove) {
  auto loaded = to_event_log(import_with(json_files()));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->loaded.report.total(), 0u);
  const auto& log = loaded->loaded.log;
  // As of the last event 104 is in category 2 (moved 03-05): two deals in each category.
  auto f0 = analytics::compute_funnel(log, *loaded->find_pipeline("bitrix24_c0"), {});
  ASSERT_TRUE(f0.ok()) << f0.status().to_string();
  EXPECT_EQ(f0->total.deals, 2u);
  EXPECT_EQ(f0->total.won, 1u);
  EXPECT_EQ(f0->total.lost, 1u);
  auto f2 = analytics::compute_funnel(log, *loaded->find_pipeline("bitrix24_c2"), {});
  ASSERT_TRUE(f2.ok()) << f2.status().to_string();
  EXPECT_EQ(f2->total.deals, 2u);
  EXPECT_EQ(f2->total.won, 1u);
  EXPECT_EQ(f2->total.open, 1u);
}

TEST(Bitrix24Import, Windows1251DealListCsvGivesNamesAndAmounts) {
  auto exp = import_with({kB24Dir + "deals_ui_cp1251.csv", kB24Dir + "categories.json",
                          kB24Dir + "stagehistory_page1.json", kB24Dir + "stagehistory_batch.json",
                          kB24Dir + "status_list.json", kB24Dir + "category2_stages_batch.json"});
  EXPECT_EQ(exp.report.encodings.at("deals_ui_cp1251.csv"), "windows-1251");
  EXPECT_EQ(exp.report.rows_read.at("deals_ui_cp1251.csv"), 4u);
  EXPECT_EQ(to_csv(exp.history), kHistory);
  EXPECT_EQ(
      to_csv(exp.deals),
      "id,created_at,pipeline,amount,currency,manager,close_date,closed_at\n"
      "101,2024-03-01T07:00:00Z,bitrix24_c0,150000.00,RUB,Анна Иванова,2024-03-31,2024-03-11T07:00:00Z\n"
      "102,2024-03-02T06:00:00Z,bitrix24_c0,2500.50,USD,Пётр Петров,2024-03-15,2024-03-05T06:00:00Z\n"
      "103,2024-03-02T09:00:00Z,bitrix24_c2,99000.00,RUB,Анна Иванова,2024-03-09,2024-03-09T09:00:00Z\n"
      "104,2024-03-03T07:00:00Z,bitrix24_c0,50000.00,RUB,Пётр Петров,2024-04-30,\n");
  auto loaded = to_event_log(without_category_move(exp));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->loaded.report.total(), 0u);
}

TEST(Bitrix24Import, Utf16DealListCsvGivesTheSameDeals) {
  auto a = import_with({kB24Dir + "deals_ui_cp1251.csv", kB24Dir + "stagehistory_page1.json"});
  auto b = import_with({kB24Dir + "deals_ui_utf16.csv", kB24Dir + "stagehistory_page1.json"});
  EXPECT_EQ(b.report.encodings.at("deals_ui_utf16.csv"), "utf-16le");
  EXPECT_EQ(to_csv(a.deals), to_csv(b.deals));
  EXPECT_EQ(to_csv(a.history), to_csv(b.history));
}

TEST(Bitrix24Import, CsvTimesUseTheGivenPortalOffset) {
  ImportOptions o;
  o.utc_offset_minutes = 0;
  auto exp = import_bitrix24({kB24Dir + "deals_ui_cp1251.csv"}, o);
  ASSERT_TRUE(exp.ok()) << exp.status().to_string();
  EXPECT_EQ(exp->deals.rows[0][1], "2024-03-01T10:00:00Z");
  EXPECT_EQ(exp->report.issues.at("history_missing").count, 4u);
}

TEST(Bitrix24Import, ReRunningGivesIdenticalText) {
  const auto a = import_with(json_files());
  auto files = json_files();
  std::reverse(files.begin(), files.end());  // file order does not matter either
  const auto b = import_with(files);
  EXPECT_EQ(to_csv(a.deals), to_csv(b.deals));
  EXPECT_EQ(to_csv(a.history), to_csv(b.history));
  EXPECT_EQ(to_csv(a.field_changes), to_csv(b.field_changes));
  EXPECT_EQ(pipeline_json(a.pipelines[0]), pipeline_json(b.pipelines[0]));
  EXPECT_EQ(report_json(a.report), report_json(import_with(json_files()).report));
}

// ---- errors --------------------------------------------------------------

TEST(Bitrix24ImportErrors, EveryDocumentedErrorIsLocated) {
  struct Case {
    std::string file;
    const char* expected;
  } cases[] = {
      {kB24Dir + "errors/bad_date_cp1251.csv",
       "bad_date_cp1251.csv:3:5: column 'Дата создания': invalid date '32.03.2024 09:00:00'"},
      {kB24Dir + "errors/bad_type.json", "bad_type.json: at /result/items/0/TYPE_ID: invalid TYPE_ID '4'"},
      {kB24Dir + "errors/bad_time.json",
       "bad_time.json: at /result/items/0/CREATED_TIME: invalid timestamp 'yesterday'"},
      {kB24Dir + "errors/huge_number.json", "huge_number.json:3:"},
      {b24_tmp_file("syntax.json", "{\"result\": [\n  {\"ID\": }\n]}"), "b24_syntax.json:2:"},
      {b24_tmp_file("odd.json", "{\"result\": [{\"foo\": \"bar\"}]}"),
       "b24_odd.json: at /result/0: unrecognised item"},
      {b24_tmp_file("error.json", "{\"error\": \"QUERY_LIMIT_EXCEEDED\"}"),
       "the response is an error: QUERY_LIMIT_EXCEEDED"},
      {b24_tmp_file("empty.json", "{\"result\": []}"), "no deals and no deal stage history"},
      {b24_tmp_file("nocol.csv", "ID;Стадия сделки\n1;NEW\n"),
       "b24_nocol.csv:1: missing column 'Дата создания'"},
      {b24_tmp_file("quote.csv", "ID;Дата создания\n\"1;01.03.2024\n"),
       "b24_quote.csv:2:1: unterminated quoted field"},
  };
  for (const auto& c : cases) {
    auto exp = import_bitrix24({c.file}, {});
    ASSERT_FALSE(exp.ok()) << c.file;
    EXPECT_NE(exp.status().to_string().find(c.expected), std::string::npos) << exp.status().to_string();
  }
}

TEST(Bitrix24ImportErrors, InvalidBytesInAnExplicitEncodingNameLineAndOffset) {
  ImportOptions o;
  o.encoding = io::Encoding::utf8;
  auto exp = import_bitrix24({kB24Dir + "deals_ui_cp1251.csv"}, o);
  ASSERT_FALSE(exp.ok());
  const std::string msg = exp.status().to_string();
  EXPECT_NE(msg.find("deals_ui_cp1251.csv:1:4: invalid UTF-8 byte 0xCD"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset 3"), std::string::npos) << msg;
}

}  // namespace
}  // namespace dealflow::import

namespace dealflow::import {
namespace {

TEST(Bitrix24ImportErrors, BadValuesInResponsesAreLocatedAtTheirJsonPath) {
  struct Case {
    const char* json;
    const char* expected;
  } cases[] = {
      {R"({"result": [{"STATUS_ID": "WON", "NAME": "Won", "SEMANTICS": "X"}]})",
       "b24_v.json: at /result/0/SEMANTICS: invalid semantics 'X' (expected S, F, P or empty)"},
      {R"({"result": {"items": [{"OWNER_ID": "", "CREATED_TIME": "2024-03-01T10:00:00+03:00", "STAGE_ID": "NEW"}]}})",
       "b24_v.json: at /result/items/0/OWNER_ID: empty OWNER_ID"},
      {R"({"result": [{"ID": "1", "STAGE_ID": "NEW", "DATE_CREATE": "2024-03-01T10:00:00+03:00",
                       "OPPORTUNITY": "10", "CURRENCY_ID": "рубли"}]})",
       "b24_v.json: at /result/0/CURRENCY_ID: invalid currency 'рубли'"},
      {R"({"result": [{"ID": "1", "STAGE_ID": "NEW", "DATE_CREATE": "2024-03-01T10:00:00+03:00",
                       "OPPORTUNITY": "ten", "CURRENCY_ID": "RUB"}]})",
       "b24_v.json: at /result/0/OPPORTUNITY: invalid amount 'ten'"},
      {R"({"result": [{"ID": "1", "STAGE_ID": "NEW", "DATE_CREATE": "2024-03-01T10:00:00+03:00",
                       "CATEGORY_ID": "-1"}]})",
       "b24_v.json: at /result/0/CATEGORY_ID: invalid CATEGORY_ID '-1'"},
      {R"({"result": {"items": 5}})", "b24_v.json: at /result/items: expected an array of items, got number"},
      {R"([1])", "b24_v.json: at /0: expected a REST response object"},
  };
  for (const auto& c : cases) {
    auto exp = import_bitrix24({b24_tmp_file("v.json", c.json)}, {});
    ASSERT_FALSE(exp.ok()) << c.json;
    EXPECT_NE(exp.status().to_string().find(c.expected), std::string::npos) << exp.status().to_string();
  }
  auto missing = import_bitrix24({kB24Dir + "nope.json"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::io_error);
}

// Property: however the history items are spread over pages and batches, and in
// whatever order the pages come, the canonical history is the same.
TEST(Bitrix24ImportProperty, PagingAndPageOrderDoNotChangeTheHistory) {
  std::vector<std::string> items;
  for (int deal = 1; deal <= 6; ++deal)
    for (int k = 0; k < 4; ++k) {
      const int id = deal * 10 + k;
      const char* stage =
          k == 0 ? "NEW" : (k == 3 ? (deal % 2 ? "WON" : "LOSE") : (k == 1 ? "PREPARATION" : "NEW"));
      items.push_back(R"({"ID": ")" + std::to_string(id) + R"(", "TYPE_ID": ")" + (k == 0 ? "1" : "2") +
                      R"(", "OWNER_ID": ")" + std::to_string(deal) + R"(", "CREATED_TIME": "2024-03-0)" +
                      std::to_string(k + 1) + "T1" + std::to_string(deal) +
                      R"(:00:00+03:00", "STAGE_ID": ")" + stage + R"("})");
    }
  auto import_pages = [&](unsigned seed) {
    std::vector<std::string> shuffled = items;
    std::uint64_t x = seed * 2654435761u + 1;
    for (std::size_t i = shuffled.size(); i > 1; --i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      std::swap(shuffled[i - 1], shuffled[(x >> 33) % i]);
    }
    std::vector<std::string> files;
    std::size_t pos = 0;
    for (int page = 0; pos < shuffled.size(); ++page) {
      const std::size_t n = 1 + (x >> (page % 40)) % 7;
      std::string body;
      for (std::size_t i = 0; i < n && pos < shuffled.size(); ++i, ++pos)
        body += (i ? "," : "") + shuffled[pos];
      const bool batch = (page + seed) % 2;
      const std::string json = batch ? R"({"result": {"result": {"cmd0": {"items": [)" + body + "]}}}}"
                                     : R"({"result": {"items": [)" + body + "]}}";
      files.push_back(
          b24_tmp_file("prop_" + std::to_string(seed) + "_" + std::to_string(page) + ".json", json));
    }
    auto exp = import_bitrix24(files, {});
    EXPECT_TRUE(exp.ok()) << exp.status().to_string();
    return exp.ok() ? to_csv(exp->history) + to_csv(exp->deals) : std::string();
  };
  const std::string expected = import_pages(0);
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 1 + 24 + 1 + 6);
  for (unsigned seed = 1; seed < 12; ++seed) EXPECT_EQ(import_pages(seed), expected) << "seed " << seed;
}

}  // namespace
}  // namespace dealflow::import

namespace dealflow::import {
namespace {

// crm.item.list deals (camelCase, numbers as numbers), a file holding an array of
// history pages, and a captured {"request", "response"} pair of a stage list.
TEST(Bitrix24Import, ItemListArraysOfPagesAndCapturedResponses) {
  const std::string deals = b24_tmp_file("items.json", R"({"result": {"items": [
    {"id": 7, "title": "Ёлки", "categoryId": 0, "stageId": "WON", "opportunity": 1200.5, "currencyId": "EUR",
     "assignedById": 3, "createdTime": "2024-05-01T09:00:00+02:00", "closedate": "2024-05-20T00:00:00+02:00",
     "probability": 100, "closed": "Y", "isReturnCustomer": "Y"}]}, "total": 1})");
  const std::string pages = b24_tmp_file("pages.json", R"([
    {"result": {"items": [{"ID": 1, "TYPE_ID": 1, "OWNER_ID": 7, "CREATED_TIME": "2024-05-01T09:00:00+02:00",
                           "CATEGORY_ID": 0, "STAGE_ID": "NEW"}]}, "next": 1, "total": 2},
    {"result": {"items": [{"ID": 2, "TYPE_ID": 3, "OWNER_ID": 7, "CREATED_TIME": "2024-05-03T09:30:00+02:00",
                           "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": "S", "STAGE_ID": "WON"}]}, "total": 2}])");
  const std::string stages = b24_tmp_file("captured.json", R"({"request": {"method": "crm.status.list"},
    "response": {"result": [{"STATUS_ID": "NEW", "NAME": "Новая", "SORT": 10},
                            {"STATUS_ID": "WON", "NAME": "Успех", "SORT": 20, "SEMANTICS": "S"},
                            {"STATUS_ID": "LOSE", "NAME": "Провал", "SORT": 30, "SEMANTICS": "F"}]}})");
  auto exp = import_bitrix24({pages, stages, deals}, {});
  ASSERT_TRUE(exp.ok()) << exp.status().to_string();
  EXPECT_EQ(to_csv(exp->deals),
            "id,created_at,pipeline,amount,currency,manager,business,close_date,closed_at,probability\n"
            "7,2024-05-01T07:00:00Z,bitrix24_c0,1200.50,EUR,3,repeat,2024-05-20,2024-05-03T07:30:00Z,100\n");
  EXPECT_EQ(to_csv(exp->history),
            "deal_id,at,stage,pipeline,actor\n7,2024-05-01T07:00:00Z,NEW,bitrix24_c0,\n"
            "7,2024-05-03T07:30:00Z,WON,bitrix24_c0,\n");
  ASSERT_EQ(exp->pipelines.size(), 1u);
  EXPECT_EQ(exp->pipelines[0].stages[1].name, "Успех");
  EXPECT_EQ(exp->report.rows_read.at("b24_pages.json"), 2u);
  auto loaded = to_event_log(*exp);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  auto f = analytics::compute_funnel(loaded->loaded.log, *loaded->find_pipeline("bitrix24_c0"), {});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->total.won, 1u);
}

}  // namespace
}  // namespace dealflow::import
