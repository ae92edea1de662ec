// Loading what CRMs really record (issue 8 §3): a reopen the pipeline does not
// declare is history (kept, counted as the note undeclared_reopen) and every
// report gives the numbers it gives with the reopen declared; check_policy
// makes it (and moves the policy forbids) errors, reported at the root cause.
#include <gtest/gtest.h>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/durations_output.h"
#include "dealflow/analytics/funnel_output.h"
#include "dealflow/analytics/scorecard.h"
#include "dealflow/analytics/scorecard_output.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_path;
using testing::fixture_pipeline;

// The fixture pipeline without its declared reopen LOST -> NEW.
const Pipeline& undeclared_pipeline() {
  static const LoadedPipeline loaded = [] {
    auto text = read_text_file(fixture_path("funnel_pipeline.json"));
    if (!text) throw std::runtime_error(text.status().to_string());
    const std::string declared = R"(,
  "reopens": [{"from": "LOST", "to": "NEW"}])";
    const auto pos = text->find(declared);
    if (pos == std::string::npos) throw std::runtime_error("the fixture pipeline changed");
    std::string json = *text;
    json.erase(pos, declared.size());
    auto p = parse_pipeline_text(json, "undeclared.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

Result<LoadedLog> load_fixture_with(const Pipeline& p, LoadMode mode, bool check_policy) {
  CsvLoadOptions o;
  o.mode = mode;
  o.check_policy = check_policy;
  o.default_pipeline = &p;
  return load_csv_files(fixture_path("funnel_deals.csv"), fixture_path("funnel_history.csv"), {&p}, o);
}

TEST(HistoryReopen, UndeclaredReopenLoadsAsHistoryWithTheSameNumbers) {
  ASSERT_FALSE(undeclared_pipeline().is_reopen(*undeclared_pipeline().find_stage("LOST"),
                                               *undeclared_pipeline().find_stage("NEW")));
  auto declared = load_fixture_with(fixture_pipeline(), LoadMode::strict, false);
  auto undeclared = load_fixture_with(undeclared_pipeline(), LoadMode::strict, false);
  ASSERT_TRUE(declared.ok()) << declared.status().to_string();
  ASSERT_TRUE(undeclared.ok()) << undeclared.status().to_string();
  EXPECT_EQ(undeclared->log.event_count(), 36u);
  EXPECT_EQ(declared->log.event_count(), 36u);

  // The load report counts D4's LOST -> NEW (history.csv line 23) as a note.
  const LoadReport& r = undeclared->report;
  EXPECT_TRUE(r.clean());
  EXPECT_EQ(r.count(IssueKind::undeclared_reopen), 1u);
  EXPECT_EQ(r.noted(), 1u);
  EXPECT_EQ(r.values(IssueKind::undeclared_reopen), std::vector<std::string>{"D4"});
  ASSERT_EQ(r.examples(IssueKind::undeclared_reopen).size(), 1u);
  const std::string example = r.examples(IssueKind::undeclared_reopen)[0].to_string();
  EXPECT_EQ(
      example.rfind(fixture_path("funnel_history.csv") + ":23:25: column 'stage': deal 'D4' moves out of "
                                                         "lost stage 'LOST' to 'NEW' at 2024-02-01T10:00:00Z",
                    0),
      0u)
      << example;
  EXPECT_NE(example.find("previous row line 19"), std::string::npos) << example;
  EXPECT_NE(r.to_text().find("undeclared_reopen: 1 row kept"), std::string::npos) << r.to_text();
  EXPECT_EQ(declared->report.count(IssueKind::undeclared_reopen), 0u);

  // Funnel: the hand-checked totals, the same with either pipeline.
  for (CountingRule rule : {CountingRule::high_water, CountingRule::touched, CountingRule::strict_order,
                            CountingRule::snapshot}) {
    FunnelQuery q;
    q.rule = rule;
    auto a = compute_funnel(declared->log, fixture_pipeline(), q);
    auto b = compute_funnel(undeclared->log, undeclared_pipeline(), q);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(dump_json(funnel_to_json(*a, fixture_pipeline())),
              dump_json(funnel_to_json(*b, undeclared_pipeline())));
    EXPECT_EQ(b->total.deals, 10u);
    EXPECT_EQ(b->total.won, 4u);   // D1, D2, D4 (lost, reopened, won), D8
    EXPECT_EQ(b->total.lost, 4u);  // D3, D5, D9, D10
    EXPECT_EQ(b->total.open, 2u);  // D6, D7
  }
  // As of an instant between the loss and the reopen, D4 is lost.
  FunnelQuery mid;
  mid.as_of = at("2024-01-30T00:00:00Z");
  auto lost_then = compute_funnel(undeclared->log, undeclared_pipeline(), mid);
  ASSERT_TRUE(lost_then.ok());
  EXPECT_EQ(lost_then->total.lost, 2u);  // D3, D4 (D5, D9, D10 did not exist or were not lost yet)

  // Durations and the scorecard: identical output.
  auto da = compute_durations(declared->log, fixture_pipeline(), {});
  auto db = compute_durations(undeclared->log, undeclared_pipeline(), {});
  ASSERT_TRUE(da.ok() && db.ok());
  EXPECT_EQ(durations_to_csv(*da), durations_to_csv(*db));
  EXPECT_EQ(db->total.open, 2u);
  EXPECT_EQ(db->total.won, 4u);
  const ScorecardQuery period{at("2024-02-01"), at("2024-03-01")};
  auto sa = compute_scorecard(declared->log, fixture_pipeline(), period);
  auto sb = compute_scorecard(undeclared->log, undeclared_pipeline(), period);
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(scorecard_to_csv(*sa), scorecard_to_csv(*sb));
}

TEST(HistoryReopen, CheckPolicyMakesTheUndeclaredReopenAnError) {
  auto strict = load_fixture_with(undeclared_pipeline(), LoadMode::strict, true);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(
      strict.status().to_string().rfind(fixture_path("funnel_history.csv") +
                                            ":23:25: column 'stage': deal 'D4' moves out of terminal stage "
                                            "'LOST' to 'NEW' at 2024-02-01T10:00:00Z: expected a reopen "
                                            "declared in pipeline 'sales' (previous row line 19)",
                                        0),
      0u)
      << strict.status().to_string();
  // Lenient: the reopen row is skipped; the later rows are judged from NEW
  // (where the deal was), so they are kept.
  auto lenient = load_fixture_with(undeclared_pipeline(), LoadMode::lenient, true);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->report.count(IssueKind::terminal_exit), 1u);
  EXPECT_EQ(lenient->report.count(IssueKind::undeclared_reopen), 0u);
  EXPECT_EQ(lenient->log.event_count(), 35u);
  // The declared reopen passes check_policy.
  EXPECT_TRUE(load_fixture_with(fixture_pipeline(), LoadMode::strict, true).ok());
}

// Bitrix24's default stages, nothing declared: LOSE -> NEW -> PREPARATION -> WON.
LoadedPipeline bitrix_pipeline(const std::string& policy = "free") {
  auto p = parse_pipeline_text(R"({"id":"deals","name":"Сделки","policy":")" + policy + R"(","stages":[
      {"id":"NEW","name":"Новая","kind":"open"},{"id":"PREPARATION","name":"Подготовка","kind":"open"},
      {"id":"EXECUTING","name":"В работе","kind":"open"},
      {"id":"WON","name":"Успешна","kind":"won"},{"id":"LOSE","name":"Провалена","kind":"lost"}]})",
                               "bitrix.json");
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

Status load_bitrix(const Pipeline& p, const std::string& history, bool check_policy, LoadMode mode,
                   LoadReport* report = nullptr) {
  CsvLoadOptions o;
  o.mode = mode;
  o.check_policy = check_policy;
  o.default_pipeline = &p;
  auto loaded = load_deals_csv("id,created_at\nA,2024-01-01\nB,2024-01-01\n", "deals.csv", {&p}, o);
  if (!loaded) return loaded.status();
  Status st = load_history_csv(history, "history.csv", {&p}, o, *loaded);
  if (report) *report = loaded->report;
  return st;
}

// The issue's reproducer: the reopen (LOSE -> NEW, line 4) is the root cause;
// LOSE -> PREPARATION (line 3) is only a consequence of skipping it. Before
// the fix strict mode named line 3, the smallest line of the cascade.
TEST(HistoryReopen, StrictModeNamesTheReopenRowNotItsConsequence) {
  const LoadedPipeline p = bitrix_pipeline();
  const std::string history =
      "deal_id,at,stage\n"
      "A,2024-01-02,LOSE\n"
      "A,2024-01-04,PREPARATION\n"
      "A,2024-01-03,NEW\n"
      "A,2024-01-05,WON\n";
  const Status st = load_bitrix(p.pipeline, history, true, LoadMode::strict);
  EXPECT_EQ(st.to_string(),
            "history.csv:4:14: column 'stage': deal 'A' moves out of terminal stage 'LOSE' to 'NEW' at "
            "2024-01-03T00:00:00Z: expected a reopen declared in pipeline 'deals' (previous row line 2)");
  // Without check_policy the same history loads, the reopen noted once.
  LoadReport report;
  ASSERT_TRUE(load_bitrix(p.pipeline, history, false, LoadMode::strict, &report).ok());
  EXPECT_EQ(report.count(IssueKind::undeclared_reopen), 1u);
  EXPECT_EQ(report.examples(IssueKind::undeclared_reopen)[0].location().line, 4);
  // Lenient check_policy: one row skipped, not the cascade.
  ASSERT_TRUE(load_bitrix(p.pipeline, history, true, LoadMode::lenient, &report).ok());
  EXPECT_EQ(report.count(IssueKind::terminal_exit), 1u);
  EXPECT_EQ(report.total(), 1u);
}

// A deal with a bad row is never blamed for a consequence of it: B's
// PREPARATION (line 2) follows LOSE only because NEW (line 4) has a typo.
TEST(HistoryReopen, StrictModeNeverReportsAConsequenceOfABadRow) {
  const LoadedPipeline p = bitrix_pipeline();
  const Status st = load_bitrix(
      p.pipeline, "deal_id,at,stage\nB,2024-01-04,PREPARATION\nB,2024-01-02,LOSE\nB,2024-01-03,NEWW\n", true,
      LoadMode::strict);
  EXPECT_EQ(st.to_string().rfind("history.csv:4:14: column 'stage': unknown stage 'NEWW'", 0), 0u)
      << st.to_string();
}

TEST(HistoryReopen, ForbiddenMovesAreErrorsOnlyWithCheckPolicy) {
  const LoadedPipeline no_backward = bitrix_pipeline("no_backward");
  const std::string back = "deal_id,at,stage\nA,2024-01-02,PREPARATION\nA,2024-01-03,NEW\n";
  EXPECT_TRUE(load_bitrix(no_backward.pipeline, back, false, LoadMode::strict).ok());
  EXPECT_EQ(
      load_bitrix(no_backward.pipeline, back, true, LoadMode::strict).to_string(),
      "history.csv:3:14: column 'stage': deal 'A' moves from 'PREPARATION' to 'NEW' at 2024-01-03T00:00:00Z: "
      "expected a move the 'no_backward' policy of pipeline 'deals' allows (previous row line 2)");
  const LoadedPipeline no_skip = bitrix_pipeline("no_skip");
  const std::string skip = "deal_id,at,stage\nA,2024-01-02,NEW\nA,2024-01-03,EXECUTING\nA,2024-01-04,WON\n";
  EXPECT_TRUE(load_bitrix(no_skip.pipeline, skip, false, LoadMode::strict).ok());
  EXPECT_EQ(load_bitrix(no_skip.pipeline, skip, true, LoadMode::strict).location().line, 3);
  LoadReport report;
  ASSERT_TRUE(load_bitrix(no_skip.pipeline, skip, true, LoadMode::lenient, &report).ok());
  EXPECT_EQ(report.count(IssueKind::forbidden_move), 1u);
  EXPECT_EQ(report.values(IssueKind::forbidden_move), std::vector<std::string>{"A"});
  // Moves into won/lost and the free policy are never forbidden.
  EXPECT_TRUE(load_bitrix(bitrix_pipeline().pipeline, back, true, LoadMode::strict).ok());
}

}  // namespace
}  // namespace dealflow::analytics
