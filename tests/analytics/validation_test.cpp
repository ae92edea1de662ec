// Every documented load error: strict mode stops at the first with
// file:line:column and the expectation; lenient mode skips the row and counts
// it with examples; a failed history load leaves the log unchanged.
#include <gtest/gtest.h>

#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::fixture_pipeline;

constexpr const char* kValidationDeals =
    "id,created_at,amount,currency,manager\n"
    "A,2024-01-10T00:00:00Z,100,RUB,Иванов\n"
    "B,2024-01-10T00:00:00Z,200,RUB,Петрова\n";

CsvLoadOptions options(LoadMode mode, bool check_policy = false) {
  CsvLoadOptions o;
  o.mode = mode;
  o.default_pipeline = &fixture_pipeline();
  o.check_policy = check_policy;
  return o;
}

Status deals_error(const std::string& text) {
  auto r = load_deals_csv(text, "deals.csv", {&fixture_pipeline()}, options(LoadMode::strict));
  return r.ok() ? Status() : r.status();
}

Status history_error(const std::string& text, bool check_policy = false) {
  auto loaded =
      load_deals_csv(kValidationDeals, "deals.csv", {&fixture_pipeline()}, options(LoadMode::strict));
  EXPECT_TRUE(loaded.ok());
  return load_history_csv(text, "history.csv", {&fixture_pipeline()}, options(LoadMode::strict, check_policy),
                          *loaded);
}

void expect_error(const Status& st, const std::string& where, const std::string& what) {
  EXPECT_FALSE(st.ok());
  const std::string s = st.to_string();
  EXPECT_EQ(s.rfind(where, 0), 0u) << s;
  EXPECT_NE(s.find(what), std::string::npos) << s;
}

TEST(Validation, DealsFileErrors) {
  expect_error(deals_error(""), "deals.csv:1:1", "expected a header row");
  expect_error(deals_error("id,amount\nA,1\n"), "deals.csv:1:1", "missing required column 'created_at'");
  expect_error(deals_error("id,created_at,id\n"), "deals.csv:1:15", "duplicate column 'id'");
  expect_error(deals_error("id,,created_at\n"), "deals.csv:1:4", "empty column name in the header");
  expect_error(deals_error("id, \t,created_at\n"), "deals.csv:1:4", "empty column name in the header");
  expect_error(deals_error("id,created_at\nA,2024-01-01,x\n"), "deals.csv:2:1", "expected 2 fields");
  expect_error(deals_error("id,created_at\n,2024-01-01\n"), "deals.csv:2:1", "empty deal id");
  expect_error(deals_error("id,created_at\nA,2024-13-01\n"), "deals.csv:2:3",
               "column 'created_at': invalid timestamp '2024-13-01'");
  expect_error(deals_error("id,created_at\nA,\n"), "deals.csv:2:3", "empty timestamp: expected ISO 8601");
  expect_error(deals_error("id,created_at\nA,2024-01-01\nA,2024-01-02\n"), "deals.csv:3:1", "duplicate deal id 'A'");
  expect_error(deals_error("id,created_at,amount,currency\nA,2024-01-01,12.345,RUB\n"), "deals.csv:2:14",
               "column 'amount'");
  expect_error(deals_error("id,created_at,amount,currency\nA,2024-01-01,abc,RUB\n"), "deals.csv:2:14",
               "column 'amount'");
  expect_error(deals_error("id,created_at,amount,currency\nA,2024-01-01,1,RUBLE\n"), "deals.csv:2:16",
               "column 'currency'");
  expect_error(deals_error("id,created_at,amount\nA,2024-01-01,10\n"), "deals.csv:2:14", "has no currency");
  expect_error(deals_error("id,created_at,pipeline\nA,2024-01-01,hr\n"), "deals.csv:2:14",
               "unknown pipeline 'hr': expected one of sales");
  expect_error(deals_error("id,created_at\n\"A,2024-01-01\n"), "deals.csv:2:1", "unterminated quoted field");
  expect_error(deals_error("id,created_at\n\"A\"x,2024-01-01\n"), "deals.csv:2:4", "unexpected text after a closing quote");
  // Columns count characters, not bytes.
  expect_error(deals_error("id,created_at,manager\nИванов-1,2024-02-30,x\n"), "deals.csv:2:10", "2024-02-30");
}

TEST(Validation, HistoryFileErrors) {
  expect_error(history_error("deal_id,stage\nA,NEW\n"), "history.csv:1:1", "missing required column 'at'");
  expect_error(history_error("deal_id,at,stage\nA,2024-01-11,NEW\nZ,2024-01-11,NEW\n"), "history.csv:3:1",
               "unknown deal 'Z'");
  expect_error(history_error("deal_id,at,stage\nA,2024-01-11,PAYED\n"), "history.csv:2:14",
               "unknown stage 'PAYED' in pipeline 'sales': expected one of NEW, QUAL");
  expect_error(history_error("deal_id,at,stage\nA,yesterday,NEW\n"), "history.csv:2:3",
               "column 'at': invalid timestamp 'yesterday'");
  expect_error(history_error("deal_id,at,stage\nA,2200-01-01,NEW\n"), "history.csv:2:3", "outside the supported range");
  expect_error(history_error("deal_id,at,stage\n,2024-01-11,NEW\n"), "history.csv:2:1", "empty deal_id");
  expect_error(history_error("deal_id,at,stage\nA,2024-01-11,\n"), "history.csv:2:14", "empty stage");
  expect_error(history_error("deal_id,at,stage,pipeline\nA,2024-01-11,NEW,hr\n"), "history.csv:2:18",
               "unknown pipeline 'hr'");
  // Cross-row checks: reported at the row, the earliest in the file in strict mode.
  expect_error(history_error("deal_id,at,stage\nA,2024-01-11,NEW\nA,2024-01-09,QUAL\n"), "history.csv:3:3",
               "before the deal's creation");
  expect_error(history_error("deal_id,at,stage\nA,2024-01-11,NEW\nB,2024-01-11,NEW\nA,2024-01-11,NEW\n"),
               "history.csv:4:1", "duplicate event: deal 'A' entered stage 'NEW' at 2024-01-11T00:00:00Z twice");
  // check_policy: moves out of won/lost that are not declared reopens.
  expect_error(
      history_error("deal_id,at,stage\nA,2024-01-11,NEW\nA,2024-01-12,WON\nA,2024-01-13,QUAL\n", true),
      "history.csv:4:14", "moves out of terminal stage 'WON' to 'QUAL'");
  expect_error(
      history_error("deal_id,at,stage\nB,2024-01-12,LOST\nB,2024-01-13,JUNK\nA,2024-01-09,NEW\n", true),
      "history.csv:3:14", "expected a reopen declared in pipeline 'sales' (previous row line 2)");
}

// Strict mode reports the problem on the smallest line, whether it is a row
// error (found while scanning) or a cross-row one (found after the scan, and
// possibly only because of a later row).
TEST(Validation, StrictReportsTheFirstProblemInFileOrder) {
  struct Case {
    const char* rows;  // after the header deal_id,at,stage
    const char* where;
    const char* what;
  };
  const Case cases[] = {
      // Cross-row (line 3, before creation) before a row error (line 4, unknown stage).
      {"A,2024-01-11,NEW\nA,2024-01-09,QUAL\nA,2024-01-12,PAYED\n", "history.csv:3:3",
       "before the deal's creation"},
      // Line 2 is before B's creation; line 3 is an unknown deal.
      {"B,2024-01-09,QUAL\nZ,2024-01-11,NEW\nB,2024-01-12,WON\n", "history.csv:2:3",
       "before the deal's creation"},
      // A row error first stays first, before a cross-row problem and a malformed line.
      {"A,2024-01-11,PAYED\nA,2024-01-09,QUAL\n", "history.csv:2:14", "unknown stage 'PAYED'"},
      {"Z,2024-01-11,NEW\nA,2024-01-09,QUAL\n\"A,x\n", "history.csv:2:1", "unknown deal 'Z'"},
      // The first of several row errors.
      {"A,2024-01-11,NEW\nA,bad,NEW\nZ,2024-01-11,NEW\n", "history.csv:3:3", "invalid timestamp 'bad'"},
  };
  for (const Case& c : cases) expect_error(history_error(std::string("deal_id,at,stage\n") + c.rows), c.where, c.what);
  // check_policy: line 2 leaves WON only because of line 4 (earlier in time); line 3 is an unknown deal.
  expect_error(
      history_error("deal_id,at,stage\nB,2024-01-13,QUAL\nZ,2024-01-11,NEW\nB,2024-01-12,WON\n", true),
      "history.csv:2:14", "moves out of terminal stage 'WON' to 'QUAL'");
}

TEST(Validation, PipelineMismatchAndTooManyActors) {
  const LoadedPipeline other = testing::small_pipeline("service");
  const std::vector<const Pipeline*> both = {&fixture_pipeline(), &other.pipeline};
  auto loaded = load_deals_csv(kValidationDeals, "deals.csv", both, options(LoadMode::strict));
  ASSERT_TRUE(loaded.ok());
  // A row in another pipeline is a move; two pipelines at one instant are not.
  expect_error(
      load_history_csv("deal_id,at,stage,pipeline\nA,2024-01-11,OPEN,service\nA,2024-01-11,NEW,\n",
                       "history.csv", both, options(LoadMode::strict), *loaded),
      "history.csv:3:18",
      "deal 'A' is in pipeline 'sales' at 2024-01-11T00:00:00Z and in pipeline 'service' at the same "
      "instant (line 2): expected one pipeline per instant");

  std::string history = "deal_id,at,stage,actor\n";
  for (int i = 0; i <= 65535; ++i) history += "A,2024-01-11,NEW,actor" + std::to_string(i) + "\n";
  // Lenient mode too: the actor dictionary is full, nothing can be loaded.
  expect_error(load_history_csv(history, "history.csv", both, options(LoadMode::lenient), *loaded),
               "history.csv:65537:18", "more than 65535 distinct actors");
}

TEST(Validation, PipelineErrors) {
  const LoadedPipeline other = testing::small_pipeline("service");
  const std::vector<const Pipeline*> both = {&fixture_pipeline(), &other.pipeline};
  CsvLoadOptions no_default;  // two pipelines, none named the default
  expect_error(load_deals_csv("id,created_at\nA,2024-01-01\n", "deals.csv", both, no_default).status(), "deals.csv:1:1",
               "no 'pipeline' column and no default pipeline given: expected one of sales, service");
  expect_error(load_deals_csv("id,created_at,pipeline\nA,2024-01-01,\n", "deals.csv", both, no_default).status(),
               "deals.csv:2:14", "column 'pipeline': empty pipeline and no default pipeline given");
  // The history is loaded against fewer pipelines than the deals were.
  auto loaded = load_deals_csv("id,created_at,pipeline\nA,2024-01-01,sales\nB,2024-01-01,service\n", "deals.csv",
                               both, no_default);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  expect_error(load_history_csv("deal_id,at,stage\nA,2024-01-02,NEW\nB,2024-01-02,OPEN\n", "history.csv",
                                {&fixture_pipeline()}, no_default, *loaded),
               "history.csv:3:1",
               "column 'deal_id': deal 'B' belongs to pipeline 'service', which was not loaded: expected one of sales");
}

TEST(Validation, DeclaredReopenIsNotAnError) {
  auto loaded =
      load_deals_csv(kValidationDeals, "deals.csv", {&fixture_pipeline()}, options(LoadMode::strict));
  ASSERT_TRUE(loaded.ok());
  Status st = load_history_csv("deal_id,at,stage\nA,2024-01-11,LOST\nA,2024-01-12,NEW\nA,2024-01-13,WON\n",
                               "history.csv", {&fixture_pipeline()}, options(LoadMode::strict), *loaded);
  EXPECT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(loaded->log.event_count(), 3u);
}

TEST(Validation, FailedHistoryLoadChangesNothing) {
  auto loaded =
      load_deals_csv(kValidationDeals, "deals.csv", {&fixture_pipeline()}, options(LoadMode::strict));
  ASSERT_TRUE(loaded.ok());
  Status st = load_history_csv("deal_id,at,stage,actor\nA,2024-01-11,NEW,Иванов\nA,2024-01-12,NOPE,x\n",
                               "history.csv", {&fixture_pipeline()}, options(LoadMode::strict), *loaded);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(loaded->log.event_count(), 0u);
  EXPECT_EQ(loaded->log.actors().size(), 0u);
  EXPECT_TRUE(loaded->report.clean());
}

// The actor dictionary holds 65535 names across files: a second history file
// that would overflow it is refused before anything is added (no events, no
// actor names).
TEST(Validation, ActorOverflowAcrossFilesChangesNothing) {
  auto loaded =
      load_deals_csv(kValidationDeals, "deals.csv", {&fixture_pipeline()}, options(LoadMode::strict));
  ASSERT_TRUE(loaded.ok());
  std::string first = "deal_id,at,stage,actor\n";
  for (int i = 0; i < 60000; ++i) first += "A,2024-01-11,NEW,a" + std::to_string(i) + "\n";
  ASSERT_TRUE(load_history_csv(first, "h1.csv", {&fixture_pipeline()}, options(LoadMode::lenient), *loaded).ok());
  ASSERT_EQ(loaded->log.actors().size(), 60000u);
  const std::size_t events = loaded->log.event_count();
  std::string second = "deal_id,at,stage,actor\n";
  for (int i = 0; i < 6000; ++i) second += "B,2024-01-12,NEW,b" + std::to_string(i) + "\n";
  second += "B,2024-01-12,NEW,a0\n";  // already known: not counted as new
  const Status st = load_history_csv(second, "h2.csv", {&fixture_pipeline()}, options(LoadMode::lenient), *loaded);
  EXPECT_EQ(st.code(), ErrorCode::overflow);
  EXPECT_EQ(st.to_string(), "h2.csv: the log would hold 66000 distinct actors (6000 new in this file): expected at most 65535");
  EXPECT_EQ(loaded->log.actors().size(), 60000u);
  EXPECT_EQ(loaded->log.event_count(), events);
}

TEST(Validation, LenientModeSkipsAndCounts) {
  const std::string deals =
      "id,created_at,amount,currency\n"
      "A,2024-01-10,100,RUB\n"
      "B,2024-01-10,200,RUB\n"
      "C,not-a-date,300,RUB\n"
      "D,2024-01-10,3x,RUB\n"
      "A,2024-01-11,1,RUB\n"
      "E,2024-01-10\n";
  auto loaded = load_deals_csv(deals, "deals.csv", {&fixture_pipeline()}, options(LoadMode::lenient));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const LoadReport& r = loaded->report;
  EXPECT_EQ(r.deal_rows, 6u);
  EXPECT_EQ(r.deals_loaded, 2u);
  EXPECT_EQ(r.count(IssueKind::bad_timestamp), 1u);
  EXPECT_EQ(r.count(IssueKind::bad_amount), 1u);
  EXPECT_EQ(r.count(IssueKind::duplicate_deal), 1u);
  EXPECT_EQ(r.count(IssueKind::wrong_field_count), 1u);
  EXPECT_EQ(r.examples(IssueKind::bad_timestamp)[0].location().line, 4);

  const std::string history =
      "deal_id,at,stage\n"
      "A,2024-01-11,NEW\n"
      "A,2024-01-12,PAYED\n"
      "A,2024-01-13,WON\n"
      "A,2024-01-14,QUAL\n"   // out of WON without reopen (check_policy)
      "A,2024-01-15,OFFER\n"  // judged from QUAL, where the deal was: kept
      "B,2024-01-09,NEW\n"    // before creation
      "B,2024-01-11,NEW\n"
      "B,2024-01-11,NEW\n"  // duplicate
      "C,2024-01-11,NEW\n"  // deal skipped in the deals file
      "Z,2024-01-11,NEW\n"
      "B,2024-01-12,UNKNOWN\n";
  Status st = load_history_csv(history, "history.csv", {&fixture_pipeline()},
                               options(LoadMode::lenient, true), *loaded);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(r.history_rows, 11u);
  EXPECT_EQ(r.count(IssueKind::unknown_stage), 2u);
  EXPECT_EQ(r.values(IssueKind::unknown_stage), (std::vector<std::string>{"PAYED", "UNKNOWN"}));
  EXPECT_EQ(r.count(IssueKind::unknown_deal), 2u);
  EXPECT_EQ(r.values(IssueKind::unknown_deal), (std::vector<std::string>{"C", "Z"}));
  EXPECT_EQ(r.count(IssueKind::terminal_exit), 1u);
  EXPECT_EQ(r.count(IssueKind::event_before_creation), 1u);
  EXPECT_EQ(r.count(IssueKind::duplicate_event), 1u);
  EXPECT_EQ(r.events_loaded, 4u);  // A: NEW, WON, OFFER; B: NEW
  EXPECT_EQ(loaded->log.event_count(), 4u);
  EXPECT_EQ(r.examples(IssueKind::terminal_exit)[0].location().line, 5);
  const std::string text = r.to_text();
  EXPECT_NE(text.find("unknown_stage: 2 rows skipped (values: PAYED, UNKNOWN)"), std::string::npos) << text;
  EXPECT_NE(text.find("history.csv:3:14: column 'stage': unknown stage 'PAYED'"), std::string::npos) << text;
  EXPECT_NE(text.find("terminal_exit: 1 row skipped"), std::string::npos) << text;
}

TEST(Validation, LenientModeStillStopsOnFileLevelErrors) {
  auto r = load_deals_csv("id\nA\n", "deals.csv", {&fixture_pipeline()}, options(LoadMode::lenient));
  EXPECT_EQ(r.status().code(), ErrorCode::parse_error);
  auto u = load_deals_csv("id,created_at\n\"A,2024\n", "deals.csv", {&fixture_pipeline()}, options(LoadMode::lenient));
  EXPECT_NE(u.status().to_string().find("unterminated"), std::string::npos);
  EXPECT_TRUE(is_fatal(IssueKind::missing_column));
  EXPECT_FALSE(is_fatal(IssueKind::unknown_stage));
}

TEST(Validation, ReportKeepsAFewExamples) {
  LoadReport r;
  for (int i = 0; i < 20; ++i) {
    r.add(IssueKind::unknown_deal, Status(ErrorCode::not_found, "x", Location{"h.csv", i + 2, 1, ""}), "D");
  }
  EXPECT_EQ(r.count(IssueKind::unknown_deal), 20u);
  EXPECT_EQ(r.examples(IssueKind::unknown_deal).size(), LoadReport::kMaxExamples);
  EXPECT_EQ(r.values(IssueKind::unknown_deal).size(), 1u);
  EXPECT_EQ(r.first()->location().line, 2);
  EXPECT_EQ(r.total(), 20u);
  for (std::size_t k = 0; k < kIssueKindCount; ++k) EXPECT_NE(to_string(static_cast<IssueKind>(k)), "unknown");
}

}  // namespace
}  // namespace dealflow::analytics
