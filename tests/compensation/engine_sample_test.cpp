// The statement engine on the bundled sample (data/sample with
// data/compensation/sample-plan.json: quotas from the quota plan, a total cap
// of 2× the target incentive, draws, overlays): every statement adds up and a
// quarter recomputed alone is identical.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/compensation/statement.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::compensation {
namespace {

const std::string kRoot = std::string(DEALFLOW_SOURCE_DIR);

TEST(EngineSample, FourQuartersAddUpAndRecomputeIdentically) {
  auto pipe = load_pipeline_file(kRoot + "/data/pipelines/bitrix24_default.json");
  ASSERT_TRUE(pipe.ok()) << pipe.status().to_string();
  analytics::CsvLoadOptions opt;
  opt.default_pipeline = &pipe->pipeline;
  const std::vector<const Pipeline*> pipes = {&pipe->pipeline};
  auto loaded = analytics::load_csv_files(kRoot + "/data/sample/deals.csv",
                                          kRoot + "/data/sample/history.csv", pipes, opt);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  auto changes = read_text_file(kRoot + "/data/sample/field_changes.csv");
  ASSERT_TRUE(changes.ok());
  const Status fc = analytics::load_field_changes_csv(*changes, "field_changes.csv", opt, *loaded);
  ASSERT_TRUE(fc.ok()) << fc.to_string();
  loaded->log.seal();
  auto plan = load_compensation_plan_file(kRoot + "/data/compensation/sample-plan.json");
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  std::vector<planning::Period> quarters;
  for (const char* q : {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"})
    quarters.push_back(*planning::parse_period(q, plan->fiscal_start_month));
  auto st = compute_statements(loaded->log, pipes, *plan, quarters);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->summary.size(), 4u);
  std::size_t lines = 0;
  for (const ParticipantStatement& s : st->statements) {
    Money sum(0, plan->currency);
    for (const StatementLine& l : s.lines) sum += l.amount;
    EXPECT_EQ(s.paid, sum) << s.manager << " " << s.period;
    EXPECT_FALSE(s.plan.empty()) << s.manager;
    EXPECT_FALSE(s.manager_name.empty()) << s.manager;
    lines += s.lines.size();
  }
  EXPECT_GT(lines, 50u);
  for (const TeamSummary& t : st->summary) EXPECT_EQ(t.rows.back().paid, t.paid);
  const std::vector<planning::Period> q3 = {quarters[2]};
  auto alone = compute_statements(loaded->log, pipes, *plan, q3);
  ASSERT_TRUE(alone.ok()) << alone.status().to_string();
  std::size_t k = 0;
  for (const ParticipantStatement& s : st->statements) {
    if (s.period != "2024-Q3") continue;
    ASSERT_LT(k, alone->statements.size());
    EXPECT_EQ(alone->statements[k].manager, s.manager);
    EXPECT_EQ(alone->statements[k++].paid, s.paid) << s.manager;
  }
  EXPECT_EQ(k, alone->statements.size());
}

}  // namespace
}  // namespace dealflow::compensation
