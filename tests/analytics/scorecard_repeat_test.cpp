// New vs repeat business without a `business` column: derived from the
// client (repeat = the client had a deal won before this one was created, as
// of the period end). Hand-computed, and on the shipped sample the derived
// split equals the generator's business column.
#include <gtest/gtest.h>

#include "dealflow/analytics/scorecard.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::stage;

const ScorecardSplit* split(const std::vector<ScorecardSplit>& splits,
                            const std::optional<std::string>& key) {
  for (const auto& s : splits) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

// Period [02-01, 03-01); previous [01-01, 02-01) (31 days before: 2024-01-01).
//   A  client K  created 01-05, WON 01-20       previous: taken, won, new
//   C  client K  created 01-10 (before A's win) previous: taken, open, new; current: open, new
//   B  client K  created 02-05 (after A's win)  current: taken, won 02-15, repeat
//   D  client L  created 02-10                  current: taken, lost 02-20, new
//   E  no client created 02-12                  current: taken, open, no business value
TEST(ScorecardRepeat, DerivedFromTheClientsEarlierWins) {
  EventLog log;
  const PipelineId p = log.intern_pipeline(fixture_pipeline().id());
  auto deal = [&](const char* id, const char* created, const char* client,
                  std::initializer_list<std::pair<const char*, const char*>> events) {
    const DealId d = *log.add_deal(id, p, at(created), Money(100, Currency::of("RUB")));
    log.set_dimension(d, StandardDimension::manager, "M");
    log.set_dimension(d, StandardDimension::client, client);
    for (const auto& [when, s] : events) EXPECT_TRUE(log.append_event(d, at(when), stage(s)).ok());
  };
  deal("A", "2024-01-05", "K", {{"2024-01-05", "NEW"}, {"2024-01-20", "WON"}});
  deal("C", "2024-01-10", "K", {{"2024-01-10", "NEW"}});
  deal("B", "2024-02-05", "K", {{"2024-02-05", "NEW"}, {"2024-02-15", "WON"}});
  deal("D", "2024-02-10", "L", {{"2024-02-10", "NEW"}, {"2024-02-20", "LOST"}});
  deal("E", "2024-02-12", "", {{"2024-02-12", "NEW"}});
  log.seal();
  ScorecardQuery q;
  q.from = at("2024-02-01");
  q.to = at("2024-03-01");
  auto r = compute_scorecard(log, fixture_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->definition.business_derived);
  EXPECT_NE(r->definition.summary().find("repeat = the deal's client had a deal won"), std::string::npos);

  const auto& splits = r->team.by_business;
  ASSERT_EQ(splits.size(), 3u);  // new, repeat, (none)
  const ScorecardSplit* fresh = split(splits, "new");
  const ScorecardSplit* repeat = split(splits, "repeat");
  const ScorecardSplit* none = split(splits, std::nullopt);
  ASSERT_TRUE(fresh && repeat && none);
  EXPECT_EQ(fresh->current.taken, 1u);  // D
  EXPECT_EQ(fresh->current.lost, 1u);   // D
  EXPECT_EQ(fresh->current.open, 1u);   // C
  EXPECT_EQ(fresh->current.won, 0u);
  EXPECT_EQ(repeat->current.taken, 1u);  // B
  EXPECT_EQ(repeat->current.won, 1u);
  EXPECT_EQ(none->current.taken, 1u);  // E
  EXPECT_EQ(none->current.open, 1u);
  EXPECT_EQ(fresh->previous.taken, 2u);  // A, C: no win of K before either was created
  EXPECT_EQ(fresh->previous.won, 1u);
  EXPECT_EQ(fresh->previous.open, 1u);
  EXPECT_EQ(repeat->previous.taken, 0u);
}

// The sample's business column follows the same rule (won deals are never
// reopened there), so clearing it and deriving gives the same splits.
TEST(ScorecardRepeat, DerivedSplitEqualsTheSampleColumn) {
  auto pipeline =
      load_pipeline_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/bitrix24_default.json");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().to_string();
  CsvLoadOptions options;
  options.default_pipeline = &pipeline->pipeline;
  const std::string dir = std::string(DEALFLOW_SOURCE_DIR) + "/data/sample/";
  auto loaded = load_csv_files(dir + "deals.csv", dir + "history.csv", {&pipeline->pipeline}, options);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EventLog& log = loaded->log;
  ScorecardQuery q;
  q.from = at("2024-10-01");
  q.to = at("2025-01-01");
  auto with_column = compute_scorecard(log, pipeline->pipeline, q);
  ASSERT_TRUE(with_column.ok());
  EXPECT_FALSE(with_column->definition.business_derived);
  for (std::uint32_t d = 0; d < log.deal_count(); ++d)
    log.set_dimension(DealId{d}, StandardDimension::business, "");
  auto derived = compute_scorecard(log, pipeline->pipeline, q);
  ASSERT_TRUE(derived.ok());
  EXPECT_TRUE(derived->definition.business_derived);
  ASSERT_EQ(derived->managers.size(), with_column->managers.size());
  auto same = [](const ScorecardRow& a, const ScorecardRow& b) {
    ASSERT_EQ(a.by_business.size(), b.by_business.size());
    for (std::size_t i = 0; i < a.by_business.size(); ++i) {
      const ScorecardSplit &x = a.by_business[i], &y = b.by_business[i];
      EXPECT_EQ(x.key, y.key);
      for (auto [u, v] : {std::pair{&x.current, &y.current}, std::pair{&x.previous, &y.previous}}) {
        EXPECT_EQ(u->taken, v->taken) << x.key.value_or("(none)");
        EXPECT_EQ(u->won, v->won);
        EXPECT_EQ(u->lost, v->lost);
        EXPECT_EQ(u->open, v->open);
        EXPECT_EQ(u->won_amount, v->won_amount);
      }
    }
  };
  same(derived->team, with_column->team);
  for (std::size_t m = 0; m < derived->managers.size(); ++m)
    same(derived->managers[m], with_column->managers[m]);
  EXPECT_GT(split(derived->team.by_business, "repeat")->current.taken, 0u);
}

}  // namespace
}  // namespace dealflow::analytics
