// HubSpot deals CSV export (Windows-1252, display labels, "Date entered"
// columns) into canonical files. The same deals as the API fixture, as the
// web UI exports them: deal 102's first visit of "Qualified to buy" (01-06)
// is lost, because the CSV keeps one entry per stage (its latest, 01-15); the
// reopen Closed lost -> Qualified to buy is still visible.
#include <gtest/gtest.h>

#include "dealflow/import/hubspot.h"
#include "mapped_fixture_util.h"

namespace dealflow::import {
namespace {

using namespace testing;
using Rows = std::vector<std::vector<std::string>>;

TEST(HubspotCsv, Windows1252ExportWithDateEnteredColumns) {
  auto e = import_hubspot({fixture("hubspot", "deals_export_cp1252.csv")}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->report.encodings.at("deals_export_cp1252.csv"), "windows-1252");
  EXPECT_EQ(e->deals.rows, (Rows{{"101", "2024-01-01T09:00:00Z", "sales_pipeline", "1000.00", "USD",
                                  "Anna Müller", "2024-01-31", "2024-01-20T09:00:00Z"},
                                 {"102", "2024-01-02T09:00:00Z", "sales_pipeline", "500.00", "USD",
                                  "Zoë Lefèvre", "2024-01-25", "2024-01-25T09:00:00Z"},
                                 {"103", "2024-01-03T09:00:00Z", "sales_pipeline", "2000.00", "EUR",
                                  "Zoë Lefèvre", "", "2024-01-18T09:00:00Z"},
                                 {"104", "2024-01-04T09:00:00Z", "sales_pipeline", "300.50", "USD",
                                  "Zoë Lefèvre", "2024-02-15", ""}}));
  EXPECT_EQ(e->history.rows,
            (Rows{{"101", "2024-01-01T09:00:00Z", "Appointment scheduled", "sales_pipeline", ""},
                  {"101", "2024-01-05T09:00:00Z", "Qualified to buy", "sales_pipeline", ""},
                  {"101", "2024-01-10T09:00:00Z", "Contract sent", "sales_pipeline", ""},
                  {"101", "2024-01-20T09:00:00Z", "Closed won", "sales_pipeline", ""},
                  {"102", "2024-01-02T09:00:00Z", "Appointment scheduled", "sales_pipeline", ""},
                  {"102", "2024-01-12T09:00:00Z", "Closed lost", "sales_pipeline", ""},
                  {"102", "2024-01-15T09:00:00Z", "Qualified to buy", "sales_pipeline", ""},
                  {"102", "2024-01-25T09:00:00Z", "Closed won", "sales_pipeline", ""},
                  {"103", "2024-01-03T09:00:00Z", "Appointment scheduled", "sales_pipeline", ""},
                  {"103", "2024-01-08T09:00:00Z", "Qualified to buy", "sales_pipeline", ""},
                  {"103", "2024-01-18T09:00:00Z", "Closed lost", "sales_pipeline", ""},
                  {"104", "2024-01-04T09:00:00Z", "Appointment scheduled", "sales_pipeline", ""},
                  {"104", "2024-01-09T09:00:00Z", "Qualified to buy", "sales_pipeline", ""}}));
  EXPECT_TRUE(e->field_changes.rows.empty());
  ASSERT_EQ(e->pipelines.size(), 1u);
  std::vector<std::string> kinds;
  for (const auto& s : e->pipelines[0].stages) kinds.push_back(s.id + ":" + s.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"Appointment scheduled:open", "Qualified to buy:open",
                                             "Contract sent:open", "Closed won:won", "Closed lost:lost"}));
  EXPECT_EQ(e->pipelines[0].reopens,
            (std::vector<std::pair<std::string, std::string>>{{"Closed lost", "Qualified to buy"}}));
  // 102 left "Qualified to buy" (01-12) before the entry kept (01-15): a re-entry, collapsed.
  ASSERT_TRUE(e->report.issues.count("reentry_detected"));
  EXPECT_EQ(e->report.issues.at("reentry_detected").count, 1u);
  EXPECT_EQ(e->report.issues.at("reentry_detected").examples[0].where, "deals_export_cp1252.csv:3");
  bool collapsed_note = false;
  for (const auto& n : e->report.notes)
    collapsed_note = collapsed_note || n.find("re-entries") != std::string::npos;
  EXPECT_TRUE(collapsed_note);
}

TEST(HubspotCsv, ReportsEqualHandComputedNumbers) {
  auto e = import_hubspot({fixture("hubspot", "deals_export_cp1252.csv")}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  auto loaded = load_clean(*e);
  ASSERT_TRUE(loaded.has_value());
  const Pipeline* p = loaded->find_pipeline("sales_pipeline");
  ASSERT_NE(p, nullptr);
  const auto& log = loaded->loaded.log;
  analytics::FunnelQuery fq;
  fq.as_of = *parse_instant("2024-02-01T00:00:00Z");
  auto funnel = analytics::compute_funnel(log, *p, fq);
  ASSERT_TRUE(funnel.ok()) << funnel.status().to_string();
  EXPECT_EQ(reached(funnel->total), (std::vector<std::uint64_t>{4, 4, 2}));
  EXPECT_EQ(funnel->total.won, 2u);
  EXPECT_EQ(funnel->total.lost, 1u);
  analytics::DurationQuery dq;
  dq.as_of = fq.as_of;
  auto durations = analytics::compute_durations(log, *p, dq);
  ASSERT_TRUE(durations.ok());
  EXPECT_EQ(durations->total.cycle.to_close.events, 3u);
  EXPECT_EQ(durations->total.cycle.to_close.median, 19 * kDay);
  // "Qualified to buy": 101 stayed 5 days (01-05 -> 01-10), 103 10 days (01-08 -> 01-18), 102 10 days
  // (01-15 -> 01-25; its first visit is lost), 104 censored after 23 days (01-09 -> 02-01).
  const auto& qual = durations->total.stages[1];
  EXPECT_EQ(qual.visits, 4u);
  EXPECT_EQ(qual.first_visit.events, 3u);
  EXPECT_EQ(qual.first_visit.censored, 1u);
  analytics::ScorecardQuery sq{*parse_instant("2024-01-01"), *parse_instant("2024-02-01")};
  auto card = analytics::compute_scorecard(log, *p, sq);
  ASSERT_TRUE(card.ok()) << card.status().to_string();
  const auto* zoe = manager_row(*card, "Zoë Lefèvre");
  ASSERT_NE(zoe, nullptr);
  EXPECT_EQ(zoe->current.taken, 3u);
  EXPECT_EQ(zoe->current.won, 1u);
  EXPECT_EQ(zoe->current.lost, 1u);
  EXPECT_EQ(zoe->current.won_amount->to_string(), "500.00 USD");
}

TEST(HubspotCsv, InternalNamesWithThePipelinesResponse) {
  const std::string csv =
      "Record ID,Create Date,Deal Stage,Pipeline,Amount,Currency,hs_v2_date_entered_appointmentscheduled,"
      "hs_v2_date_entered_closedwon\n"
      "7,2024-03-01T08:00:00Z,Closed won,Sales Pipeline,10.0,EUR,2024-03-01T08:00:00Z,2024-03-04T08:00:00Z\n";
  auto e = import_hubspot({temp_file("internal.csv", csv), fixture("hubspot", "pipelines.json")}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->history.rows, (Rows{{"7", "2024-03-01T08:00:00Z", "appointmentscheduled", "default", ""},
                                   {"7", "2024-03-04T08:00:00Z", "closedwon", "default", ""}}));
  EXPECT_TRUE(load_clean(*e).has_value());
}

TEST(HubspotCsv, SeveralPipelinesKeepTheirOwnColumns) {
  // Each deal reads only the "Date entered" columns of its own pipeline.
  const std::string csv =
      "Record ID,Create Date,Deal Stage,Pipeline,Is Closed Won,Is closed,"
      "Date entered \"New (Sales)\",Date entered \"Won (Sales)\",Date entered \"New (Renewals)\","
      "Date entered \"Renewed (Renewals)\"\n"
      "1,2024-01-01 10:00,Won,Sales,true,true,2024-01-01 10:00,2024-01-05 10:00,2024-01-02 10:00,\n"
      "2,2024-01-01 10:00,Renewed,Renewals,true,true,,,2024-01-01 10:00,2024-01-09 10:00\n";
  auto e = import_hubspot({temp_file("two_pipes.csv", csv)}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  ASSERT_EQ(e->pipelines.size(), 2u);
  EXPECT_EQ(e->pipelines[0].id, "renewals");
  EXPECT_EQ(e->pipelines[1].id, "sales");
  EXPECT_EQ(e->history.rows, (Rows{{"1", "2024-01-01T10:00:00Z", "New", "sales", ""},
                                   {"1", "2024-01-05T10:00:00Z", "Won", "sales", ""},
                                   {"2", "2024-01-01T10:00:00Z", "New", "renewals", ""},
                                   {"2", "2024-01-09T10:00:00Z", "Renewed", "renewals", ""}}));
  auto loaded = load_clean(*e);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->loaded.report.events_loaded, 4u);
}

TEST(HubspotCsv, WithoutAPipelineColumnOnePipeline) {
  const std::string csv =
      "Record ID,Create Date,Deal Stage,Is Closed Won,Is closed,Date entered \"New (Sales)\","
      "Date entered \"Won (Sales)\"\n"
      "1,2024-01-01 10:00,Won,true,true,2024-01-01 10:00,2024-01-03 10:00\n";
  auto e = import_hubspot({temp_file("no_pipe_col.csv", csv)}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  ASSERT_EQ(e->pipelines.size(), 1u);
  EXPECT_EQ(e->pipelines[0].id, "default");
  EXPECT_EQ(e->pipelines[0].stages.size(), 3u);  // New, Won and the synthetic lost stage
  EXPECT_EQ(e->history.rows.size(), 2u);
  EXPECT_TRUE(load_clean(*e).has_value());
}

TEST(HubspotCsv, TimesAtThePortalOffset) {
  const std::string csv = "Record ID,Create Date,Deal Stage,Is Closed Won\n1,2024-03-01 10:00,New,false\n";
  ImportOptions opt;
  opt.utc_offset_minutes = 180;
  auto e = import_hubspot({temp_file("offset.csv", csv)}, opt);
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->deals.rows[0][1], "2024-03-01T07:00:00Z");
}

TEST(HubspotCsvErrors, MissingRequiredColumn) {
  auto e =
      import_hubspot({temp_file("no_id.csv", "Deal Name,Create Date,Deal Stage\nx,2024-01-01,New\n")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().file, "no_id.csv");
  EXPECT_NE(e.status().message().find("Record ID"), std::string::npos);
}

TEST(HubspotCsvErrors, BadCreateDateIsLocated) {
  auto e =
      import_hubspot({temp_file("bad_date.csv", "Record ID,Create Date,Deal Stage\n1,31/01/2024,New\n")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().line, 2);
  EXPECT_EQ(e.status().location().column, 3);
  EXPECT_NE(e.status().message().find("'31/01/2024'"), std::string::npos);
}

TEST(HubspotCsvErrors, PipelineNotInTheResponse) {
  const std::string csv = "Record ID,Create Date,Deal Stage,Pipeline\n1,2024-01-01,Closed won,Other\n";
  auto e = import_hubspot({temp_file("other_pipe.csv", csv), fixture("hubspot", "pipelines.json")}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().line, 2);
  EXPECT_NE(e.status().message().find("unknown pipeline 'Other'"), std::string::npos);
}

TEST(HubspotCsvErrors, UndecodableBytesUnderAnExplicitEncoding) {
  ImportOptions opt;
  opt.encoding = io::Encoding::utf8;
  auto e = import_hubspot({fixture("hubspot", "deals_export_cp1252.csv")}, opt);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().location().line, 2);
  EXPECT_NE(e.status().message().find("byte offset"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::import
