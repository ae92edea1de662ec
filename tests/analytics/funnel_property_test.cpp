// Properties of the funnel on seeded random histories: monotone reached counts,
// touched <= high-water, strict <= touched, shards merge into the whole, the
// thread count does not change the result, and a naive per-deal recount agrees.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::fixture_pipeline;
using testing::random_log;
using testing::reached;

FunnelReport run(const EventLog& log, CountingRule rule, unsigned threads = 1) {
  FunnelQuery q;
  q.rule = rule;
  q.threads = threads;
  auto r = compute_funnel(log, fixture_pipeline(), q);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return *r;
}

TEST(FunnelProperties, ReachedNeverIncreasesAlongTheFunnel) {
  for (std::uint64_t seed = 1; seed <= 120; ++seed) {
    const EventLog log = random_log(seed, 40);
    for (auto rule : {CountingRule::high_water, CountingRule::strict_order}) {
      const auto r = reached(run(log, rule).total);
      for (std::size_t k = 1; k < r.size(); ++k) {
        ASSERT_LE(r[k], r[k - 1]) << "seed " << seed << " rule " << to_string(rule) << " stage " << k;
      }
    }
  }
}

TEST(FunnelProperties, StrictWithinTouchedWithinHighWater) {
  for (std::uint64_t seed = 1; seed <= 120; ++seed) {
    const EventLog log = random_log(seed, 40);
    const auto hw = reached(run(log, CountingRule::high_water).total);
    const auto touched = reached(run(log, CountingRule::touched).total);
    const auto strict = reached(run(log, CountingRule::strict_order).total);
    for (std::size_t k = 0; k < hw.size(); ++k) {
      ASSERT_LE(touched[k], hw[k]) << "seed " << seed << " stage " << k;
      ASSERT_LE(strict[k], touched[k]) << "seed " << seed << " stage " << k;
    }
  }
}

TEST(FunnelProperties, MergedShardsEqualTheWhole) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const EventLog log = random_log(seed, 60);
    for (auto rule : {CountingRule::high_water, CountingRule::touched, CountingRule::strict_order,
                      CountingRule::snapshot}) {
      FunnelQuery q;
      q.rule = rule;
      q.group = *resolve_grouping(log, seed % 2 ? "manager" : "created_month");
      auto plan = FunnelPlan::create(log, fixture_pipeline(), q);
      ASSERT_TRUE(plan.ok());
      const FunnelPartial whole = plan->run(0, log.deal_count());
      // Three uneven shards, merged in a different order.
      const std::size_t a = seed % 17, b = std::min<std::size_t>(log.deal_count(), a + seed % 29 + 1);
      FunnelPartial merged = plan->run(b, log.deal_count());
      ASSERT_TRUE(merged.merge(plan->run(0, a)).ok());
      ASSERT_TRUE(merged.merge(plan->run(a, b)).ok());
      ASSERT_EQ(merged, whole) << "seed " << seed;
      const auto r1 = plan->finish(whole), r2 = plan->finish(merged);
      ASSERT_EQ(reached(r1->total), reached(r2->total));
      if (seed % 4 == 0) {  // threads: fewer iterations, they cost more than the counting
        ASSERT_EQ(plan->run_all(2), whole);
        ASSERT_EQ(plan->run_all(5), whole);
      }
    }
  }
}

// Many groups × many loss reasons: the reason counts are sparse (one entry per
// combination that occurs, not groups × stages × reasons). They must give the
// same figures as a naive recount, merge exactly, and agree with the dense
// counts of a coarser grouping. 300 clients and 300 reasons also take the
// paths for u16 dimension codes (grouping and loss reasons).
TEST(FunnelProperties, SparseLossReasonsMatchANaiveRecount) {
  const Pipeline& p = fixture_pipeline();
  for (std::uint64_t seed = 500; seed < 510; ++seed) {
    EventLog log = random_log(seed, 600);
    std::mt19937_64 rng(seed);
    for (std::uint32_t d = 0; d < log.deal_count(); ++d) {
      log.set_dimension(DealId{d}, StandardDimension::client, "C" + std::to_string(d % 300));
      const std::uint64_t r = rng() % 320;
      log.set_dimension(DealId{d}, StandardDimension::lost_reason, r < 300 ? "R" + std::to_string(r) : "");
    }
    ASSERT_EQ(log.dimension(StandardDimension::client).codes.width(), 2u);
    FunnelQuery q;
    q.group = *resolve_grouping(log, "client");
    auto plan = FunnelPlan::create(log, p, q);
    ASSERT_TRUE(plan.ok());
    ASSERT_TRUE(plan->sparse_reasons());
    const FunnelPartial whole = plan->run(0, log.deal_count());
    // Dense reason counts would take groups × (open stages + 1) × (reasons + 1) counters.
    EXPECT_LT(whole.memory_bytes(), plan->group_count() * (p.open_stages().size() + 1) * 301 * sizeof(std::int64_t) / 4);
    FunnelPartial merged = plan->run(400, log.deal_count());
    ASSERT_TRUE(merged.merge(plan->run(0, 150)).ok());
    ASSERT_TRUE(merged.merge(plan->run(150, 400)).ok());
    ASSERT_EQ(merged, whole) << "seed " << seed;
    ASSERT_EQ(plan->run_all(2), whole);
    auto report = plan->finish(whole);
    ASSERT_TRUE(report.ok());

    // Naive: (group, stage lost from, reason) -> lost deals.
    std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> naive, got;
    std::map<std::pair<std::string, std::string>, std::uint64_t> naive_total, got_total;
    for (std::uint32_t d = 0; d < log.deal_count(); ++d) {
      const DealId id{d};
      const std::size_t b = log.event_begin(id), e = log.event_end(id);
      if (b == e || p.stage(log.event_stage(e - 1)).kind != StageKind::lost) continue;
      std::string from;
      for (std::size_t i = e; i > b; --i) {
        if (p.stage(log.event_stage(i - 1)).kind == StageKind::open) {
          from = p.stage(log.event_stage(i - 1)).id;
          break;
        }
      }
      const std::string reason(log.dimension_value(id, to_dimension_id(StandardDimension::lost_reason)));
      ++naive[{std::string(log.dimension_value(id, to_dimension_id(StandardDimension::client))), from, reason}];
      ++naive_total[{from, reason}];
    }
    for (const auto& g : report->groups) {
      for (const auto& row : g.figures.lost_from) {
        std::uint64_t sum = 0;
        for (const auto& [reason, n] : row.reasons) {
          got[{*g.key, row.id, reason}] += n;
          sum += n;
        }
        EXPECT_EQ(sum, row.count);
      }
    }
    for (const auto& row : report->total.lost_from) {
      for (const auto& [reason, n] : row.reasons) got_total[{row.id, reason}] += n;
    }
    EXPECT_EQ(got, naive) << "seed " << seed;
    EXPECT_EQ(got_total, naive_total) << "seed " << seed;

    // A coarse grouping keeps dense counts; the totals agree.
    q.group = *resolve_grouping(log, "manager");
    auto dense = compute_funnel(log, p, q);
    ASSERT_TRUE(dense.ok());
    std::map<std::pair<std::string, std::string>, std::uint64_t> dense_total;
    for (const auto& row : dense->total.lost_from) {
      for (const auto& [reason, n] : row.reasons) dense_total[{row.id, reason}] += n;
    }
    EXPECT_EQ(dense_total, naive_total) << "seed " << seed;
  }
}

// The grouping dimension is read at its stored width (u8, u16, u32): the same
// partition stored at each width gives the same groups and figures.
TEST(FunnelProperties, GroupCodesOfEveryWidthGiveTheSameFigures) {
  for (std::uint64_t seed = 900; seed < 904; ++seed) {
    EventLog log = random_log(seed, 200);
    const DimensionId narrow = log.add_dimension("narrow");
    const std::pair<const char*, std::uint32_t> padded[] = {{"mid", 300}, {"wide", 70000}};
    for (const auto& [name, unused] : padded) {
      const DimensionId id = log.add_dimension(name);
      for (std::uint32_t k = 0; k < unused; ++k) (void)log.intern_dimension_value(id, "unused" + std::to_string(k));
    }
    for (std::uint32_t d = 0; d < log.deal_count(); ++d) {
      const std::string key = d % 9 == 8 ? "" : "g" + std::to_string(d % 9);
      for (const char* name : {"narrow", "mid", "wide"}) log.set_dimension(DealId{d}, *log.find_dimension(name), key);
    }
    ASSERT_EQ(log.dimension(narrow).codes.width(), 1u);
    ASSERT_EQ(log.dimension(*log.find_dimension("mid")).codes.width(), 2u);
    ASSERT_EQ(log.dimension(*log.find_dimension("wide")).codes.width(), 4u);
    for (auto rule : {CountingRule::high_water, CountingRule::touched}) {
      FunnelQuery q;
      q.rule = rule;
      q.group = *resolve_grouping(log, "narrow");
      const auto expected = compute_funnel(log, fixture_pipeline(), q);
      ASSERT_TRUE(expected.ok());
      ASSERT_EQ(expected->groups.size(), 9u);
      for (const char* name : {"mid", "wide"}) {
        q.group = *resolve_grouping(log, name);
        const auto r = compute_funnel(log, fixture_pipeline(), q);
        ASSERT_TRUE(r.ok());
        ASSERT_EQ(r->groups.size(), expected->groups.size()) << name;
        for (std::size_t g = 0; g < r->groups.size(); ++g) {
          EXPECT_EQ(r->groups[g].key, expected->groups[g].key) << name;
          EXPECT_EQ(reached(r->groups[g].figures), reached(expected->groups[g].figures)) << name;
          EXPECT_EQ(r->groups[g].figures.won, expected->groups[g].figures.won) << name;
          EXPECT_EQ(r->groups[g].figures.lost_from.size(), expected->groups[g].figures.lost_from.size()) << name;
        }
      }
    }
  }
}

TEST(FunnelProperties, MergeRejectsPartialsOfAnotherPlan) {
  const EventLog log = random_log(7, 20);
  FunnelQuery q;
  auto plain = FunnelPlan::create(log, fixture_pipeline(), q);
  q.group = *resolve_grouping(log, "manager");
  auto grouped = FunnelPlan::create(log, fixture_pipeline(), q);
  FunnelPartial p = plain->run(0, 20);
  const FunnelPartial before = p;
  EXPECT_EQ(p.merge(grouped->run(0, 20)).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(p, before);  // unchanged
  EXPECT_EQ(grouped->finish(p).status().code(), ErrorCode::invalid_argument);
}

TEST(FunnelProperties, AgreesWithANaiveRecount) {
  const Pipeline& p = fixture_pipeline();
  for (std::uint64_t seed = 300; seed < 400; ++seed) {
    const EventLog log = random_log(seed, 30);
    const auto hw = reached(run(log, CountingRule::high_water).total);
    const auto touched = reached(run(log, CountingRule::touched).total);
    const std::size_t m = p.open_stages().size();
    std::vector<std::uint64_t> naive_hw(m, 0), naive_touched(m, 0);
    for (std::uint32_t d = 0; d < log.deal_count(); ++d) {
      std::set<int> seen;
      int furthest = -1;
      for (std::size_t i = log.event_begin(DealId{d}); i < log.event_end(DealId{d}); ++i) {
        const Stage& s = p.stage(log.event_stage(i));
        if (s.kind == StageKind::open) {
          seen.insert(s.funnel_position);
          furthest = std::max(furthest, s.funnel_position);
        }
      }
      const bool won = log.event_end(DealId{d}) > log.event_begin(DealId{d}) &&
                       p.kind(log.event_stage(log.event_end(DealId{d}) - 1)) == StageKind::won;
      for (std::size_t k = 0; k < m; ++k) {
        if (won || static_cast<int>(k) <= furthest) ++naive_hw[k];
        if (seen.count(static_cast<int>(k))) ++naive_touched[k];
      }
    }
    ASSERT_EQ(hw, naive_hw) << "seed " << seed;
    ASSERT_EQ(touched, naive_touched) << "seed " << seed;
  }
}

TEST(FunnelProperties, OutcomesPartitionTheDeals) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const EventLog log = random_log(seed, 40);
    const auto r = run(log, CountingRule::high_water, 2);
    ASSERT_EQ(r.total.won + r.total.lost + r.total.open, r.total.deals);
    std::uint64_t lost_from = 0, lost_to = 0, lost_without_open_stage = 0;
    for (const auto& row : r.total.lost_from) {
      lost_from += row.count;
      if (!row.stage) lost_without_open_stage += row.count;
    }
    for (const auto& row : r.total.lost_to) lost_to += row.count;
    ASSERT_EQ(lost_from, r.total.lost);
    ASSERT_EQ(lost_to, r.total.lost);
    // Under high-water every deal reaches the first stage, except deals without
    // history and deals lost before entering any open stage.
    ASSERT_EQ(r.total.stages[0].reached + r.total.without_history + lost_without_open_stage, r.total.deals)
        << "seed " << seed;
  }
}

}  // namespace
}  // namespace dealflow::analytics
