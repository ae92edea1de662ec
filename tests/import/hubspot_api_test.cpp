// HubSpot CRM API JSON (propertiesWithHistory + pipelines + owners) into
// canonical files: exact rows, and the funnel, durations and scorecard of the
// imported log against numbers computed by hand.
//
// The fixture (tests/import/fixtures/hubspot/deals.json), as of 2024-02-01:
//   101 Anna Müller  USD 1000  created 01-01 09:00  appt 01-01, qual 01-05, contract 01-10, won 01-20
//                    amount 800 -> 1000 on 01-10; close date 2024-01-15 -> 2024-01-31 on 01-10 (a push)
//   102 Иван Петров  USD 500   created 01-02  appt 01-02, qual 01-06, lost 01-12, qual 01-15 (reopen), won
//   01-25
//                    owner Anna Müller -> Иван Петров on 01-14
//   103 Иван Петров  EUR 2000  created 01-03  appt 01-03, qual 01-08, lost 01-18
//   104 Иван Петров  USD 300.5 created 01-04  appt 01-04, qual 01-09 (open)
#include <gtest/gtest.h>

#include "dealflow/import/hubspot.h"
#include "mapped_fixture_util.h"

namespace dealflow::import {
namespace {

using namespace testing;
using Rows = std::vector<std::vector<std::string>>;

std::vector<std::string> api_files() {
  return {fixture("hubspot", "deals.json"), fixture("hubspot", "pipelines.json"),
          fixture("hubspot", "owners.json")};
}

TEST(HubspotApi, CanonicalRowsAreExact) {
  auto e = import_hubspot(api_files(), {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->deals.columns,
            (std::vector<std::string>{"id", "created_at", "pipeline", "amount", "currency", "manager",
                                      "lost_reason", "close_date", "closed_at", "probability"}));
  EXPECT_EQ(
      e->deals.rows,
      (Rows{{"101", "2024-01-01T09:00:00Z", "default", "1000.00", "USD", "Anna Müller", "", "2024-01-31",
             "2024-01-20T09:00:00Z", ""},
            {"102", "2024-01-02T09:00:00Z", "default", "500.00", "USD", "Иван Петров", "", "2024-01-25",
             "2024-01-25T09:00:00Z", ""},
            {"103", "2024-01-03T09:00:00Z", "default", "2000.00", "EUR", "Иван Петров", "Budget", "",
             "2024-01-18T09:00:00Z", ""},
            {"104", "2024-01-04T09:00:00Z", "default", "300.50", "USD", "Иван Петров", "", "", "", "40"}}));
  EXPECT_EQ(e->history.rows, (Rows{{"101", "2024-01-01T09:00:00Z", "appointmentscheduled", "default", ""},
                                   {"101", "2024-01-05T09:00:00Z", "qualifiedtobuy", "default", ""},
                                   {"101", "2024-01-10T09:00:00Z", "contractsent", "default", ""},
                                   {"101", "2024-01-20T09:00:00Z", "closedwon", "default", ""},
                                   {"102", "2024-01-02T09:00:00Z", "appointmentscheduled", "default", ""},
                                   {"102", "2024-01-06T09:00:00Z", "qualifiedtobuy", "default", ""},
                                   {"102", "2024-01-12T09:00:00Z", "closedlost", "default", ""},
                                   {"102", "2024-01-15T09:00:00Z", "qualifiedtobuy", "default", ""},
                                   {"102", "2024-01-25T09:00:00Z", "closedwon", "default", ""},
                                   {"103", "2024-01-03T09:00:00Z", "appointmentscheduled", "default", ""},
                                   {"103", "2024-01-08T09:00:00Z", "qualifiedtobuy", "default", ""},
                                   {"103", "2024-01-18T09:00:00Z", "closedlost", "default", ""},
                                   {"104", "2024-01-04T09:00:00Z", "appointmentscheduled", "default", ""},
                                   {"104", "2024-01-09T09:00:00Z", "qualifiedtobuy", "default", ""}}));
  EXPECT_EQ(e->field_changes.columns, (std::vector<std::string>{"deal_id", "at", "field", "value"}));
  EXPECT_EQ(e->field_changes.rows, (Rows{{"101", "2024-01-01T09:00:00Z", "amount", "800.00"},
                                         {"101", "2024-01-01T09:00:00Z", "close_date", "2024-01-15"},
                                         {"101", "2024-01-01T09:00:00Z", "manager", "Anna Müller"},
                                         {"101", "2024-01-10T09:00:00Z", "amount", "1000.00"},
                                         {"101", "2024-01-10T09:00:00Z", "close_date", "2024-01-31"},
                                         {"102", "2024-01-02T09:00:00Z", "manager", "Anna Müller"},
                                         {"102", "2024-01-14T12:00:00Z", "manager", "Иван Петров"}}));
  ASSERT_EQ(e->pipelines.size(), 1u);
  const CanonicalPipeline& p = e->pipelines[0];
  EXPECT_EQ(p.name, "Sales Pipeline");
  std::vector<std::string> ids, kinds;
  for (const auto& s : p.stages) {
    ids.push_back(s.id);
    kinds.push_back(s.kind);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"appointmentscheduled", "qualifiedtobuy", "contractsent",
                                           "closedwon", "closedlost"}));
  EXPECT_EQ(kinds, (std::vector<std::string>{"open", "open", "open", "won", "lost"}));
  EXPECT_EQ(p.stages[1].probability, 0.4);
  EXPECT_EQ(p.reopens, (std::vector<std::pair<std::string, std::string>>{{"closedlost", "qualifiedtobuy"}}));
  EXPECT_EQ(e->report.source, "hubspot");
  EXPECT_EQ(e->report.deals, 4u);
  EXPECT_EQ(e->report.events, 14u);
  EXPECT_EQ(e->report.field_changes, 7u);
  EXPECT_EQ(e->report.rows_read.at("deals.json"), 4u);
  EXPECT_EQ(e->report.encodings.at("owners.json"), "utf-8");
}

TEST(HubspotApi, ReportsEqualHandComputedNumbers) {
  auto e = import_hubspot(api_files(), {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  auto loaded = load_clean(*e);
  ASSERT_TRUE(loaded.has_value());
  const ImportedLog& imported = *loaded;
  const Pipeline* p = imported.find_pipeline("default");
  ASSERT_NE(p, nullptr);
  const auto& log = imported.loaded.log;
  EXPECT_EQ(imported.loaded.report.events_loaded, 14u);

  analytics::FunnelQuery fq;
  fq.as_of = *parse_instant("2024-02-01T00:00:00Z");
  auto funnel = analytics::compute_funnel(log, *p, fq);
  ASSERT_TRUE(funnel.ok()) << funnel.status().to_string();
  // High-water: won deals count at every open stage; 103 and 104 reached "qualified to buy".
  EXPECT_EQ(reached(funnel->total), (std::vector<std::uint64_t>{4, 4, 2}));
  EXPECT_EQ(funnel->total.won, 2u);
  EXPECT_EQ(funnel->total.lost, 1u);
  EXPECT_EQ(funnel->total.open, 1u);

  analytics::DurationQuery dq;
  dq.as_of = fq.as_of;
  auto durations = analytics::compute_durations(log, *p, dq);
  ASSERT_TRUE(durations.ok()) << durations.status().to_string();
  const auto& cycle = durations->total.cycle.to_close;
  // Closed after 15 days (103), 19 days (101), 23 days (102: its final won entry); 104 censored at 28 days.
  EXPECT_EQ(cycle.subjects, 4u);
  EXPECT_EQ(cycle.events, 3u);
  EXPECT_EQ(cycle.censored, 1u);
  // Kaplan-Meier: S = 3/4 after 15 d, 1/2 after 19 d: the median is 19 days.
  EXPECT_EQ(cycle.median, 19 * kDay);

  analytics::ScorecardQuery sq{*parse_instant("2024-01-01"), *parse_instant("2024-02-01")};
  auto card = analytics::compute_scorecard(log, *p, sq);
  ASSERT_TRUE(card.ok()) << card.status().to_string();
  const auto* anna = manager_row(*card, "Anna Müller");
  const auto* ivan = manager_row(*card, "Иван Петров");
  ASSERT_NE(anna, nullptr);
  ASSERT_NE(ivan, nullptr);
  EXPECT_EQ(anna->current.taken, 1u);
  EXPECT_EQ(anna->current.won, 1u);
  EXPECT_EQ(anna->current.won_amount->to_string(), "1000.00 USD");
  EXPECT_EQ(ivan->current.taken, 3u);
  EXPECT_EQ(ivan->current.won, 1u);
  EXPECT_EQ(ivan->current.lost, 1u);
  EXPECT_EQ(ivan->current.open, 1u);
  EXPECT_EQ(ivan->current.won_amount->to_string(), "500.00 USD");
  EXPECT_EQ(card->team.current.won_amount->to_string(), "1500.00 USD");
}

TEST(HubspotApi, ReRunsAndInputOrderGiveIdenticalBytes) {
  auto a = import_hubspot(api_files(), {});
  auto b = import_hubspot({fixture("hubspot", "owners.json"), fixture("hubspot", "pipelines.json"),
                           fixture("hubspot", "deals.json")},
                          {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(whole(*a), whole(*b));
}

TEST(HubspotApi, StageKindsComeFromMetadataNeverFromLabels) {
  // "Won it" is closed at probability 0.0: lost; "Lost cause" is closed at 1.0: won.
  const std::string pipes = R"({"results":[{"id":"p","label":"P","stages":[
    {"id":"a","label":"Open","displayOrder":0,"metadata":{"isClosed":"false","probability":"0.5"}},
    {"id":"b","label":"Won it","displayOrder":1,"metadata":{"isClosed":"true","probability":"0.0"}},
    {"id":"c","label":"Lost cause","displayOrder":2,"metadata":{"isClosed":"true","probability":"1.0"}}]}]})";
  const std::string deals = R"({"results":[{"id":"1","properties":{"createdate":"2024-01-01T00:00:00Z",
    "dealstage":"a","pipeline":"p"}}]})";
  auto e = import_hubspot({temp_file("kinds_pipes.json", pipes), temp_file("kinds_deals.json", deals)}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->pipelines[0].stages[1].kind, "lost");
  EXPECT_EQ(e->pipelines[0].stages[2].kind, "won");
  EXPECT_EQ(e->report.issues.at("no_stage_history").count, 1u);
}

TEST(HubspotApiErrors, DealsWithoutPipelinesResponse) {
  auto e = import_hubspot({fixture("hubspot", "deals.json")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(
      e.status().to_string(),
      "deals.json: at /results: HubSpot API deals need the pipelines response (/crm/v3/pipelines/deals) for "
      "stage kinds");
}

TEST(HubspotApiErrors, UnknownStageInHistoryIsLocatedByJsonPath) {
  const std::string deals = R"({"results":[{"id":"1","properties":{"createdate":"2024-01-01T00:00:00Z",
    "dealstage":"appointmentscheduled","pipeline":"default"},
    "propertiesWithHistory":{"dealstage":[{"value":"nosuch","timestamp":"2024-01-02T00:00:00Z"}]}}]})";
  auto e = import_hubspot({temp_file("unknown_stage.json", deals), fixture("hubspot", "pipelines.json")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().json_path, "/results/0/propertiesWithHistory/dealstage/0/value");
  EXPECT_NE(e.status().message().find("unknown deal stage 'nosuch'"), std::string::npos);
}

TEST(HubspotApiErrors, BadTimestampAndAmountAreLocated) {
  const std::string bad_time = R"({"results":[{"id":"1","properties":{"createdate":"01/02/2024",
    "dealstage":"appointmentscheduled","pipeline":"default"}}]})";
  auto e = import_hubspot({temp_file("bad_time.json", bad_time), fixture("hubspot", "pipelines.json")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().json_path, "/results/0/properties/createdate");
  EXPECT_NE(e.status().message().find("'01/02/2024'"), std::string::npos);

  const std::string bad_amount = R"({"results":[{"id":"1","properties":{"createdate":"2024-01-01T00:00:00Z",
    "dealstage":"appointmentscheduled","pipeline":"default","amount":"12abc","deal_currency_code":"USD"}}]})";
  e = import_hubspot({temp_file("bad_amount.json", bad_amount), fixture("hubspot", "pipelines.json")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().json_path, "/results/0/properties/amount");
  EXPECT_NE(e.status().message().find("'12abc'"), std::string::npos);
}

TEST(HubspotApiErrors, BadStageMetadataIsLocated) {
  const std::string pipes = R"({"results":[{"id":"p","label":"P","stages":[
    {"id":"a","label":"A","metadata":{"isClosed":"maybe"}}]}]})";
  auto e = import_hubspot({temp_file("bad_meta.json", pipes)}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().json_path, "/results/0/stages/0/metadata/isClosed");
}

}  // namespace
}  // namespace dealflow::import

namespace dealflow::import {
namespace {

using namespace testing;

// dealtype is the business column; the hs_deal_stage_probability history
// (newest first, 0..1) gives probability changes in percent, oldest first.
TEST(HubspotApi, DealTypeAndProbabilityHistory) {
  const std::string deals = R"({"results":[{"id":"7","properties":{"createdate":"2024-01-01T09:00:00Z",
    "dealstage":"qualifiedtobuy","pipeline":"default","dealtype":"existingbusiness",
    "hs_deal_stage_probability":"0.4"},
    "propertiesWithHistory":{
      "dealstage":[{"value":"qualifiedtobuy","timestamp":"2024-01-05T10:00:00Z"},
                   {"value":"appointmentscheduled","timestamp":"2024-01-01T09:00:00Z"}],
      "hs_deal_stage_probability":[{"value":"0.4","timestamp":"2024-01-05T10:00:00Z"},
                                   {"value":"0.125","timestamp":"2024-01-01T09:00:00Z"}]}}]})";
  auto e = import_hubspot({temp_file("dealtype.json", deals), fixture("hubspot", "pipelines.json")}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->deals.columns,
            (std::vector<std::string>{"id", "created_at", "pipeline", "business", "probability"}));
  ASSERT_EQ(e->deals.rows.size(), 1u);
  EXPECT_EQ(e->deals.rows[0][3], "existingbusiness");
  EXPECT_EQ(e->field_changes.rows,
            (std::vector<std::vector<std::string>>{{"7", "2024-01-01T09:00:00Z", "probability", "12.5"},
                                                   {"7", "2024-01-05T10:00:00Z", "probability", "40"}}));

  const std::string bad = R"({"results":[{"id":"7","properties":{"createdate":"2024-01-01T09:00:00Z",
    "dealstage":"qualifiedtobuy","pipeline":"default"},
    "propertiesWithHistory":{"hs_deal_stage_probability":[{"value":"high","timestamp":"2024-01-05T10:00:00Z"}]}}]})";
  e = import_hubspot({temp_file("bad_probability.json", bad), fixture("hubspot", "pipelines.json")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().json_path,
            "/results/0/propertiesWithHistory/hs_deal_stage_probability/0/value");
}

}  // namespace
}  // namespace dealflow::import
