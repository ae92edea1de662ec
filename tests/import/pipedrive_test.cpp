// Pipedrive deals CSV + flow + stages + pipelines into canonical files, and the
// reports of the imported log against numbers computed by hand.
//
// The fixture (tests/import/fixtures/pipedrive), pipeline "Ventas España",
// stages 1 Lead in, 2 Contact made, 3 Proposal (+ synthetic won, lost):
//   1 José García     EUR 1000   created 02-01 10:00  1, 2 (02-05), 3 (02-10), won 02-20
//   2 Ольга Смирнова  EUR 2000   created 02-02  1, 2 (02-06), lost 02-08, reopened 02-12 into 2, won 02-22;
//                     value 1500 -> 2000 (02-07), owner José -> Ольга (02-09), close 02-15 -> 02-28 (02-12)
//   3 Ольга Смирнова  USD 300    created 02-03  1, lost 02-10 (no flow: the CSV's Lost time), reason Price
//   4 José García     USD 700.50 created 02-04  1, 2 (02-07), open
#include <gtest/gtest.h>

#include "dealflow/import/pipedrive.h"
#include "mapped_fixture_util.h"

namespace dealflow::import {
namespace {

using namespace testing;
using Rows = std::vector<std::vector<std::string>>;

std::vector<std::string> files() {
  return {fixture("pipedrive", "deals.csv"), fixture("pipedrive", "flow.json"),
          fixture("pipedrive", "stages.json"), fixture("pipedrive", "pipelines.json")};
}

TEST(Pipedrive, CanonicalRowsAreExact) {
  auto e = import_pipedrive(files(), {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->deals.columns,
            (std::vector<std::string>{"id", "created_at", "pipeline", "amount", "currency", "manager",
                                      "lost_reason", "close_date", "closed_at"}));
  EXPECT_EQ(e->deals.rows,
            (Rows{{"1", "2024-02-01T10:00:00Z", "1", "1000.00", "EUR", "José García", "", "2024-02-20",
                   "2024-02-20T10:00:00Z"},
                  {"2", "2024-02-02T10:00:00Z", "1", "2000.00", "EUR", "Ольга Смирнова", "", "2024-02-28",
                   "2024-02-22T10:00:00Z"},
                  {"3", "2024-02-03T10:00:00Z", "1", "300.00", "USD", "Ольга Смирнова", "Price", "",
                   "2024-02-10T10:00:00Z"},
                  {"4", "2024-02-04T10:00:00Z", "1", "700.50", "USD", "José García", "", "2024-03-15", ""}}));
  EXPECT_EQ(e->history.rows, (Rows{{"1", "2024-02-01T10:00:00Z", "1", "1", ""},
                                   {"1", "2024-02-05T10:00:00Z", "2", "1", ""},
                                   {"1", "2024-02-10T10:00:00Z", "3", "1", ""},
                                   {"1", "2024-02-20T10:00:00Z", "won", "1", ""},
                                   {"2", "2024-02-02T10:00:00Z", "1", "1", ""},
                                   {"2", "2024-02-06T10:00:00Z", "2", "1", ""},
                                   {"2", "2024-02-08T10:00:00Z", "lost", "1", ""},
                                   {"2", "2024-02-12T10:00:00Z", "2", "1", ""},
                                   {"2", "2024-02-22T10:00:00Z", "won", "1", ""},
                                   {"3", "2024-02-03T10:00:00Z", "1", "1", ""},
                                   {"3", "2024-02-10T10:00:00Z", "lost", "1", ""},
                                   {"4", "2024-02-04T10:00:00Z", "1", "1", ""},
                                   {"4", "2024-02-07T10:00:00Z", "2", "1", ""}}));
  EXPECT_EQ(e->field_changes.rows, (Rows{{"2", "2024-02-02T10:00:00Z", "manager", "José García"},
                                         {"2", "2024-02-02T10:00:00Z", "amount", "1500.00"},
                                         {"2", "2024-02-02T10:00:00Z", "close_date", "2024-02-15"},
                                         {"2", "2024-02-07T10:00:00Z", "amount", "2000.00"},
                                         {"2", "2024-02-09T10:00:00Z", "manager", "Ольга Смирнова"},
                                         {"2", "2024-02-12T10:00:00Z", "close_date", "2024-02-28"}}));
  ASSERT_EQ(e->pipelines.size(), 1u);
  const CanonicalPipeline& p = e->pipelines[0];
  EXPECT_EQ(p.name, "Ventas España");
  std::vector<std::string> stages;
  for (const auto& s : p.stages) stages.push_back(s.id + ":" + s.name + ":" + s.kind);
  EXPECT_EQ(stages, (std::vector<std::string>{"1:Lead in:open", "2:Contact made:open", "3:Proposal:open",
                                              "won:Won:won", "lost:Lost:lost"}));
  EXPECT_EQ(p.stages[2].probability, 0.6);
  EXPECT_EQ(p.reopens, (std::vector<std::pair<std::string, std::string>>{{"lost", "2"}}));
  EXPECT_EQ(e->report.rows_read.at("flow.json"), 12u);  // the activity item is read and ignored
  EXPECT_EQ(e->report.rows_read.at("pipelines.json"), 1u);
  EXPECT_EQ(e->report.issues.count("owner_id_without_name"), 0u);
  EXPECT_EQ(e->report.encodings.at("deals.csv"), "utf-8");
}

TEST(Pipedrive, ReportsEqualHandComputedNumbers) {
  auto e = import_pipedrive(files(), {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  auto loaded = load_clean(*e);
  ASSERT_TRUE(loaded.has_value());
  const Pipeline* p = loaded->find_pipeline("1");
  ASSERT_NE(p, nullptr);
  const auto& log = loaded->loaded.log;
  analytics::FunnelQuery fq;
  fq.as_of = *parse_instant("2024-03-01T00:00:00Z");
  auto funnel = analytics::compute_funnel(log, *p, fq);
  ASSERT_TRUE(funnel.ok()) << funnel.status().to_string();
  EXPECT_EQ(reached(funnel->total), (std::vector<std::uint64_t>{4, 3, 2}));
  EXPECT_EQ(funnel->total.won, 2u);
  EXPECT_EQ(funnel->total.lost, 1u);
  EXPECT_EQ(funnel->total.open, 1u);
  ASSERT_EQ(funnel->total.lost_from.size(), 1u);
  EXPECT_EQ(funnel->total.lost_from[0].id, "1");  // deal 3 was lost from "Lead in"

  analytics::DurationQuery dq;
  dq.as_of = fq.as_of;
  auto durations = analytics::compute_durations(log, *p, dq);
  ASSERT_TRUE(durations.ok()) << durations.status().to_string();
  // Closed after 7 (3), 19 (1) and 20 days (2: its final won entry); 4 censored after 26 days.
  const auto& cycle = durations->total.cycle.to_close;
  EXPECT_EQ(cycle.events, 3u);
  EXPECT_EQ(cycle.censored, 1u);
  EXPECT_EQ(cycle.median, 19 * kDay);
  // "Contact made": deal 1 stayed 5 days, deal 2 two visits (2 days, then 10 days), deal 4 censored.
  const auto& contact = durations->total.stages[1];
  EXPECT_EQ(contact.visits, 4u);
  EXPECT_EQ(contact.in_stage_now, 1u);

  analytics::ScorecardQuery sq{*parse_instant("2024-02-01"), *parse_instant("2024-03-01")};
  auto card = analytics::compute_scorecard(log, *p, sq);
  ASSERT_TRUE(card.ok()) << card.status().to_string();
  const auto* jose = manager_row(*card, "José García");
  const auto* olga = manager_row(*card, "Ольга Смирнова");
  ASSERT_NE(jose, nullptr);
  ASSERT_NE(olga, nullptr);
  EXPECT_EQ(olga->rank, 1u);
  EXPECT_EQ(olga->current.taken, 2u);
  EXPECT_EQ(olga->current.won, 1u);
  EXPECT_EQ(olga->current.lost, 1u);
  EXPECT_EQ(olga->current.won_amount->to_string(), "2000.00 EUR");
  EXPECT_EQ(jose->current.taken, 2u);
  EXPECT_EQ(jose->current.won, 1u);
  EXPECT_EQ(jose->current.open, 1u);
  EXPECT_EQ(card->team.current.won_amount->to_string(), "3000.00 EUR");
}

TEST(Pipedrive, ReRunsAndInputOrderGiveIdenticalBytes) {
  auto a = import_pipedrive(files(), {});
  auto b = import_pipedrive({fixture("pipedrive", "pipelines.json"), fixture("pipedrive", "stages.json"),
                             fixture("pipedrive", "flow.json"), fixture("pipedrive", "deals.csv")},
                            {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(whole(*a), whole(*b));
}

TEST(Pipedrive, CsvAloneGivesCurrentStageThenWonOrLost) {
  auto e = import_pipedrive({fixture("pipedrive", "deals.csv")}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  ASSERT_EQ(e->pipelines.size(), 1u);
  EXPECT_EQ(e->pipelines[0].id, "ventas_españa");
  EXPECT_EQ(e->history.rows[0],
            (std::vector<std::string>{"1", "2024-02-01T10:00:00Z", "Proposal", "ventas_españa", ""}));
  EXPECT_EQ(e->history.rows[1],
            (std::vector<std::string>{"1", "2024-02-20T10:00:00Z", "won", "ventas_españa", ""}));
  EXPECT_EQ(e->history.rows.size(), 7u);  // 2 + 2 + 2 + 1
  EXPECT_TRUE(e->field_changes.rows.empty());
  EXPECT_TRUE(load_clean(*e).has_value());
}

// Deal - Organization is the client (the scorecard derives new vs repeat
// business from it); an empty cell leaves the client empty.
TEST(Pipedrive, OrganizationIsTheClient) {
  const std::string csv =
      "Deal - ID,Deal - Stage,Deal - Pipeline,Deal - Deal created,Deal - Status,Deal - Organization\n"
      "1,Lead in,Sales,2024-02-01 10:00:00,open,ООО «Вектор»\n"
      "2,Lead in,Sales,2024-02-02 10:00:00,open,\n";
  auto e = import_pipedrive({temp_file("pd_organization.csv", csv)}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->deals.columns, (std::vector<std::string>{"id", "created_at", "pipeline", "client"}));
  EXPECT_EQ(e->deals.rows, (Rows{{"1", "2024-02-01T10:00:00Z", "sales", "ООО «Вектор»"},
                                 {"2", "2024-02-02T10:00:00Z", "sales", ""}}));
}

TEST(Pipedrive, OwnerIdsWithoutNamesAreNoted) {
  const std::string flow = R"({"success":true,"data":[{"object":"dealChange","data":{"item_id":4,
    "field_key":"user_id","old_value":7,"new_value":8,"log_time":"2024-02-08 10:00:00"}}]})";
  auto e = import_pipedrive({fixture("pipedrive", "deals.csv"), temp_file("flow_ids.json", flow)}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->report.issues.at("owner_id_without_name").count, 1u);
  EXPECT_EQ(e->report.issues.at("owner_id_without_name").examples[0].where, "flow_ids.json: at /data/0/data");
}

TEST(PipedriveErrors, StageChangeWithoutStagesList) {
  auto e = import_pipedrive({fixture("pipedrive", "deals.csv"), fixture("pipedrive", "flow.json")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().file, "flow.json");
  EXPECT_NE(e.status().message().find("no stages list"), std::string::npos);
}

TEST(PipedriveErrors, UnknownStageInFlowIsLocated) {
  const std::string flow = R"({"success":true,"data":[{"object":"dealChange","data":{"item_id":4,
    "field_key":"stage_id","old_value":"1","new_value":"99","log_time":"2024-02-07 10:00:00"}}]})";
  auto e = import_pipedrive({fixture("pipedrive", "deals.csv"), fixture("pipedrive", "stages.json"),
                             temp_file("flow_unknown_stage.json", flow)},
                            {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().file, "flow_unknown_stage.json");
  EXPECT_EQ(e.status().location().json_path, "/data/0/data/new_value");
  EXPECT_NE(e.status().message().find("'99'"), std::string::npos);
}

TEST(PipedriveErrors, FlowOfAnUnknownDeal) {
  const std::string flow = R"({"success":true,"data":[{"object":"dealChange","data":{"item_id":77,
    "field_key":"value","old_value":1,"new_value":2,"log_time":"2024-02-07 10:00:00"}}]})";
  auto e =
      import_pipedrive({fixture("pipedrive", "deals.csv"), temp_file("flow_unknown_deal.json", flow)}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::not_found);
  EXPECT_EQ(e.status().location().json_path, "/data/0/data");
}

TEST(PipedriveErrors, BadLogTimeIsLocated) {
  const std::string flow = R"({"success":true,"data":[{"object":"dealChange","data":{"item_id":4,
    "field_key":"value","old_value":1,"new_value":2,"log_time":"yesterday"}}]})";
  auto e = import_pipedrive({fixture("pipedrive", "deals.csv"), temp_file("flow_bad_time.json", flow)}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().json_path, "/data/0/data/log_time");
}

TEST(PipedriveErrors, BadStatusInCsvIsLocated) {
  const std::string csv =
      "Deal - ID,Deal - Stage,Deal - Deal created,Deal - Status\n1,Lead in,2024-01-01 10:00:00,done\n";
  auto e = import_pipedrive({temp_file("bad_status.csv", csv)}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().line, 2);
  EXPECT_EQ(e.status().location().column, 31);
  EXPECT_NE(e.status().message().find("expected open, won or lost"), std::string::npos);
}

TEST(PipedriveErrors, DuplicateDealIdIsLocated) {
  const std::string csv =
      "Deal - ID,Deal - Stage,Deal - Deal created\n1,Lead in,2024-01-01\n1,Lead in,2024-01-02\n";
  auto e = import_pipedrive({temp_file("dup_pd.csv", csv)}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::duplicate);
  EXPECT_EQ(e.status().location().line, 3);
  EXPECT_EQ(e.status().location().column, 1);
}

TEST(PipedriveErrors, MissingDealIdColumn) {
  auto e =
      import_pipedrive({temp_file("no_id_pd.csv", "Deal - Stage,Deal - Deal created\nx,2024-01-01\n")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("Deal - ID"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::import
