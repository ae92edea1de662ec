// Erlang C staffing: the DOMAIN.md reference case, a direct-formula check for
// small N, a log-space check for large N, the staffing search and pooling.
#include "dealflow/routing/erlang.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace dealflow::routing {
namespace {

// P_W by the textbook formula with powers and factorials in long double:
// (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)).
long double direct_wait_probability(long double a, unsigned n) {
  long double term = 1;  // A^k/k!
  long double sum = 0;
  for (unsigned k = 0; k < n; ++k) {
    sum += term;
    term = term * a / static_cast<long double>(k + 1);
  }
  const long double top = term * n / (n - a);
  return top / (sum + top);
}

// The same in log space (for N in the thousands, where powers overflow).
long double log_space_wait_probability(long double a, unsigned n) {
  auto log_term = [&](unsigned k) { return k * std::log(a) - std::lgamma(static_cast<long double>(k) + 1); };
  long double max_log = log_term(n);
  for (unsigned k = 0; k < n; ++k) max_log = std::max(max_log, log_term(k));
  long double sum = 0;
  for (unsigned k = 0; k < n; ++k) sum += std::exp(log_term(k) - max_log);
  const long double top = std::exp(log_term(n) - max_log) * n / (n - a);
  return top / (sum + top);
}

TEST(ErlangC, ReferenceCaseFromDomain) {
  // 100 leads per 30 min, 180 s each, 14 managers, answer within 20 s.
  InboundQueue q{200, 180, 20};
  Result<QueueMetrics> m = erlang_c(q, 14);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_DOUBLE_EQ(m->offered_load, 10.0);
  EXPECT_TRUE(m->stable);
  EXPECT_NEAR(m->wait_probability, 0.17413, 0.000005);
  EXPECT_NEAR(m->service_level, 0.88835, 0.000005);
  ASSERT_TRUE(m->average_speed_of_answer_seconds.has_value());
  EXPECT_NEAR(*m->average_speed_of_answer_seconds, 7.836, 0.0005);
  EXPECT_NEAR(m->occupancy, 0.7143, 0.00005);
  EXPECT_EQ(m->managers, 14u);
}

TEST(ErlangC, MatchesDirectFormulaForSmallN) {
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> load(0.05, 40.0);
  for (int i = 0; i < 300; ++i) {
    const double a = load(rng);
    const unsigned n = static_cast<unsigned>(std::floor(a)) + 1 + static_cast<unsigned>(rng() % 12);
    InboundQueue q{a * 3600.0 / 240.0, 240, 30};
    Result<QueueMetrics> m = erlang_c(q, n);
    ASSERT_TRUE(m.ok());
    const long double pw = direct_wait_probability(a, n);
    EXPECT_NEAR(m->wait_probability, static_cast<double>(pw), 1e-12 * std::max(1.0L, pw)) << "A=" << a << " N=" << n;
    const double sl = 1.0 - static_cast<double>(pw) * std::exp(-(n - a) * 30.0 / 240.0);
    EXPECT_NEAR(m->service_level, sl, 1e-12);
    EXPECT_NEAR(*m->average_speed_of_answer_seconds, static_cast<double>(pw) * 240.0 / (n - a), 1e-9);
    EXPECT_NEAR(m->occupancy, a / n, 1e-15);
  }
}

TEST(ErlangC, StableForThousandsOfManagers) {
  // A = 1000 Erlangs (20,000 leads/h at 180 s) with 1,000+ managers.
  for (unsigned n : {1001u, 1010u, 1030u, 1060u, 1100u}) {
    InboundQueue q{20000, 180, 20};
    Result<QueueMetrics> m = erlang_c(q, n);
    ASSERT_TRUE(m.ok());
    const long double expected = log_space_wait_probability(1000.0L, n);
    EXPECT_NEAR(m->wait_probability, static_cast<double>(expected), 1e-9) << "N=" << n;
    EXPECT_TRUE(std::isfinite(m->service_level));
    EXPECT_GT(m->wait_probability, 0.0);
    EXPECT_LT(m->wait_probability, 1.0);
  }
  // Very large load: no overflow, no NaN.
  Result<QueueMetrics> big = erlang_c(InboundQueue{1.0e6, 180, 20}, 50'500);
  ASSERT_TRUE(big.ok());
  EXPECT_TRUE(std::isfinite(big->wait_probability));
  EXPECT_GT(big->service_level, 0.0);
  EXPECT_LE(big->service_level, 1.0);
}

TEST(ErlangC, ErlangBRecurrenceKnownValues) {
  EXPECT_DOUBLE_EQ(erlang_b(3.0, 0), 1.0);
  EXPECT_DOUBLE_EQ(erlang_b(1.0, 1), 0.5);           // A/(1+A)
  EXPECT_NEAR(erlang_b(2.0, 2), 0.4, 1e-15);          // (A²/2)/(1+A+A²/2) = 2/5
  EXPECT_DOUBLE_EQ(erlang_b(0.0, 5), 0.0);
}

TEST(ErlangC, UnstableQueueIsAClearResult) {
  InboundQueue q{200, 180, 20};  // A = 10
  for (unsigned n : {1u, 9u, 10u}) {
    Result<QueueMetrics> m = erlang_c(q, n);
    ASSERT_TRUE(m.ok());
    EXPECT_FALSE(m->stable);
    EXPECT_EQ(m->wait_probability, 1.0);
    EXPECT_EQ(m->service_level, 0.0);
    EXPECT_FALSE(m->average_speed_of_answer_seconds.has_value());
    EXPECT_EQ(m->occupancy, 1.0);
  }
  Result<QueueMetrics> just = erlang_c(q, 11);
  ASSERT_TRUE(just.ok());
  EXPECT_TRUE(just->stable);
}

TEST(ErlangC, NoArrivalsMeansNoWait) {
  Result<QueueMetrics> m = erlang_c(InboundQueue{0, 180, 20}, 3);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->stable);
  EXPECT_EQ(m->wait_probability, 0.0);
  EXPECT_EQ(m->service_level, 1.0);
  EXPECT_EQ(*m->average_speed_of_answer_seconds, 0.0);
  Result<StaffingPlan> p = managers_for(InboundQueue{0, 180, 20}, StaffingTarget{0.9, std::nullopt, 0.2});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->needed, 0u);
  EXPECT_EQ(p->scheduled, 0u);
}

TEST(ErlangC, RejectsInvalidInput) {
  EXPECT_EQ(erlang_c(InboundQueue{-1, 180, 20}, 3).status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(erlang_c(InboundQueue{NAN, 180, 20}, 3).status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(erlang_c(InboundQueue{200, 0, 20}, 3).status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(erlang_c(InboundQueue{200, 180, -5}, 3).status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(erlang_c(InboundQueue{200, INFINITY, 20}, 3).status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(erlang_c(InboundQueue{200, 180, 20}, 0).status().code(), ErrorCode::invalid_argument);
  const InboundQueue q{200, 180, 20};
  EXPECT_FALSE(managers_for(q, StaffingTarget{0.0, std::nullopt, 0}).ok());
  EXPECT_FALSE(managers_for(q, StaffingTarget{1.0, std::nullopt, 0}).ok());
  EXPECT_FALSE(managers_for(q, StaffingTarget{0.8, 0.0, 0}).ok());
  EXPECT_FALSE(managers_for(q, StaffingTarget{0.8, 1.5, 0}).ok());
  EXPECT_FALSE(managers_for(q, StaffingTarget{0.8, std::nullopt, 1.0}).ok());
  EXPECT_FALSE(managers_for(q, StaffingTarget{0.8, std::nullopt, -0.1}).ok());
  EXPECT_NE(managers_for(q, StaffingTarget{1.0, std::nullopt, 0}).status().message().find("(0, 1)"),
            std::string::npos);
}

TEST(ManagersFor, ReferenceQueueByServiceLevel) {
  // SL with 13 managers is 0.79559, with 14 it is 0.88835 (hand-computed).
  const InboundQueue q{200, 180, 20};
  Result<StaffingPlan> p = managers_for(q, StaffingTarget{0.8, std::nullopt, 0});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->needed, 14u);
  EXPECT_EQ(p->scheduled, 14u);
  EXPECT_EQ(p->bound, StaffingBound::service_level);
  EXPECT_NEAR(p->metrics.service_level, 0.88835, 0.000005);
  // Exactly at SL(13) the answer is 13; just above it, 14.
  const double sl13 = erlang_c(q, 13)->service_level;
  EXPECT_EQ(managers_for(q, StaffingTarget{sl13, std::nullopt, 0})->needed, 13u);
  EXPECT_EQ(managers_for(q, StaffingTarget{std::nextafter(sl13, 1.0), std::nullopt, 0})->needed, 14u);
  // 0.95 needs 16 (SL(15) = 0.94145, SL(16) = 0.97056).
  EXPECT_EQ(managers_for(q, StaffingTarget{0.95, std::nullopt, 0})->needed, 16u);
}

TEST(ManagersFor, OccupancyAndShrinkage) {
  const InboundQueue q{200, 180, 20};  // A = 10
  // Occupancy ≤ 0.7 needs ceil(10/0.7) = 15 > 14.
  Result<StaffingPlan> p = managers_for(q, StaffingTarget{0.8, 0.7, 0});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->needed, 15u);
  EXPECT_EQ(p->bound, StaffingBound::occupancy);
  EXPECT_NEAR(p->metrics.occupancy, 10.0 / 15.0, 1e-15);
  // Occupancy ≤ 0.8 allows 13, so the service level binds at 14.
  EXPECT_EQ(managers_for(q, StaffingTarget{0.8, 0.8, 0})->bound, StaffingBound::service_level);
  // A = 8, occupancy 0.8: exactly 10 managers, not 11.
  EXPECT_EQ(managers_for(InboundQueue{160, 180, 20}, StaffingTarget{0.01, 0.8, 0})->needed, 10u);
  // Shrinkage 30%: 14 / 0.7 = 20 exactly; 25%: 14 / 0.75 = 18.67 → 19.
  EXPECT_EQ(managers_for(q, StaffingTarget{0.8, std::nullopt, 0.3})->scheduled, 20u);
  EXPECT_EQ(managers_for(q, StaffingTarget{0.8, std::nullopt, 0.25})->scheduled, 19u);
  EXPECT_EQ(scheduled_headcount(7, 0.3), 10u);
  EXPECT_EQ(scheduled_headcount(1, 0.0), 1u);
  EXPECT_EQ(scheduled_headcount(3, 0.5), 6u);
  EXPECT_EQ(scheduled_headcount(0, 0.5), 0u);
}

TEST(ManagersFor, IsTheFewestThatMeetTheTargetForManyQueues) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lambda(1, 3000), handle(30, 900), target(0.5, 0.99);
  for (int i = 0; i < 200; ++i) {
    const InboundQueue q{lambda(rng), handle(rng), 20};
    const StaffingTarget t{target(rng), std::nullopt, 0};
    Result<StaffingPlan> p = managers_for(q, t);
    ASSERT_TRUE(p.ok());
    EXPECT_GE(erlang_c(q, p->needed)->service_level, t.service_level);
    if (p->needed > 1) {
      EXPECT_LT(erlang_c(q, p->needed - 1)->service_level, t.service_level);
    }
  }
}

TEST(ManagersFor, ThousandManagers) {
  // A = 1000 Erlangs; the answer is just above A and the walk stays exact.
  const InboundQueue q{20000, 180, 20};
  Result<StaffingPlan> p = managers_for(q, StaffingTarget{0.9, std::nullopt, 0});
  ASSERT_TRUE(p.ok());
  EXPECT_GT(p->needed, 1000u);
  EXPECT_LT(p->needed, 1100u);
  EXPECT_GE(p->metrics.service_level, 0.9);
  EXPECT_LT(erlang_c(q, p->needed - 1)->service_level, 0.9);
}

TEST(PooledVsSplit, SpecializationCostsHeadcount) {
  // 200 leads/h split into 120 + 50 + 30 by region, SL 80% in 20 s, h = 180 s.
  std::vector<SplitQueue> queues{{"Москва", 120}, {"Сибирь", 50}, {"Урал", 30}};
  Result<PoolingComparison> c = compare_pooled_split(queues, 180, 20, StaffingTarget{0.8, std::nullopt, 0});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->pooled.needed, 14u);
  ASSERT_EQ(c->split.size(), 3u);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    const InboundQueue q{queues[i].arrivals_per_hour, 180, 20};
    EXPECT_EQ(c->split[i].needed, managers_for(q, StaffingTarget{0.8, std::nullopt, 0})->needed);
    sum += c->split[i].needed;
  }
  EXPECT_EQ(c->split_needed_total, sum);
  EXPECT_EQ(c->extra_needed, static_cast<std::int64_t>(sum) - 14);
  EXPECT_GT(c->extra_needed, 0);
  // A = 6, 2.5, 1.5 → 9, 5, 4 managers (hand-checked with the direct formula).
  EXPECT_EQ(c->split[0].needed, 9u);
  EXPECT_EQ(c->split[1].needed, 5u);
  EXPECT_EQ(c->split[2].needed, 4u);
  EXPECT_EQ(c->extra_needed, 4);
}

TEST(PooledVsSplit, RejectsEmptyAndNamesTheBadQueue) {
  EXPECT_FALSE(compare_pooled_split({}, 180, 20, StaffingTarget{}).ok());
  Result<PoolingComparison> bad = compare_pooled_split({{"ok", 10}, {"Сибирь", -3}}, 180, 20, StaffingTarget{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Сибирь"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::routing
