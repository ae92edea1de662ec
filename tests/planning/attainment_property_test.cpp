// Properties of attainment over random logs: the fact agrees with a brute-force
// count over the raw events, managers' facts and pipelines add up to the
// company's, pacing never goes backwards in time.
#include <random>

#include "dealflow/planning/attainment.h"
#include "planning/attainment_detail.h"
#include "planning/plan_fixture.h"

namespace dealflow::planning {
namespace {

using plan_testing::at;
using plan_testing::stage;

const char* kManagers[] = {"Иванова Анна", "Петров Пётр", "Élodie Durand"};

// `deals` random deals created in May–June 2024: 1..4 events each, forward in
// time, ending open, won or lost; random owners (some changed later), amounts,
// close dates and own probabilities.
analytics::EventLog random_log(std::uint32_t seed, int deals) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  analytics::EventLog log;
  const PipelineId sales = log.intern_pipeline("sales");
  const auto manager = analytics::to_dimension_id(analytics::StandardDimension::manager);
  const Instant start = at("2024-05-01T00:00:00Z");
  for (int i = 0; i < deals; ++i) {
    Instant t = start + std::chrono::seconds(uniform(0, 60 * 86400));
    DealId d = *log.add_deal("d" + std::to_string(i), sales, t,
                             Money(uniform(1, 500000) * 100, Currency::of("RUB")));
    log.set_dimension(d, analytics::StandardDimension::manager, kManagers[uniform(0, 2)]);
    EXPECT_TRUE(log.append_event(d, t, stage("NEW")).ok());
    const int events = uniform(0, 3);
    for (int e = 0; e < events; ++e) {
      t = t + std::chrono::seconds(uniform(3600, 20 * 86400));
      const char* s = e + 1 < events ? "OFFER"
                                     : (uniform(0, 2) == 0 ? "LOST"
                                        : uniform(0, 1)    ? "WON"
                                                           : "OFFER");
      EXPECT_TRUE(log.append_event(d, t, stage(s)).ok());
      if (uniform(0, 4) == 0) {
        EXPECT_TRUE(
            log.add_dimension_change(d, t + std::chrono::seconds(60), manager, kManagers[uniform(0, 2)])
                .ok());
      }
    }
    if (uniform(0, 3) > 0) log.set_close_date(d, *Date::from_ymd(2024, uniform(5, 7), uniform(1, 28)));
    if (uniform(0, 1)) {
      EXPECT_TRUE(log.set_probability(d, static_cast<std::uint32_t>(uniform(0, 10000))).ok());
    }
  }
  log.seal();
  return log;
}

Plan month_plan() {
  std::string targets =
      R"({"period": "2024-06", "scope": "company", "metric": "won_amount", "target": "1000000"},
    {"period": "2024-06", "scope": "company", "metric": "won_count", "target": 10})";
  for (const char* m : kManagers) {
    targets += std::string(R"(, {"period": "2024-06", "scope": "manager", "scope_value": ")") + m +
               R"(", "metric": "won_amount", "target": "300000"})";
    targets += std::string(R"(, {"period": "2024-06", "scope": "manager", "scope_value": ")") + m +
               R"(", "metric": "won_count", "target": 3})";
  }
  return plan_testing::plan_or_throw(R"({"currency": "RUB", "targets": [)" + targets + "]}");
}

// Won amount and count of June by brute force over the raw events: the deal's
// last event at or before as_of is WON, and it entered that run of WON in June.
std::pair<std::int64_t, std::int64_t> brute_force_won(const analytics::EventLog& log, Instant as_of) {
  std::int64_t amount = 0, count = 0;
  const Instant begin = at("2024-06-01T00:00:00Z"), end = at("2024-07-01T00:00:00Z");
  for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{i};
    std::optional<std::size_t> last;
    for (std::size_t e = log.event_begin(d); e < log.event_end(d); ++e)
      if (log.event_at(e) <= as_of) last = e;
    if (!last || log.event_stage(*last) != stage("WON")) continue;
    std::size_t first = *last;
    while (first > log.event_begin(d) && log.event_stage(first - 1) == stage("WON")) --first;
    if (log.event_at(first) < begin || log.event_at(first) >= end) continue;
    ++count;
    amount += log.amount_as_of(d, as_of)->minor_units();
  }
  return {amount, count};
}

TEST(AttainmentProperty, FactsAddUpAndMatchABruteForceCount) {
  const Plan plan = month_plan();
  std::int64_t won_in_all = 0, open_in_all = 0;
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    const analytics::EventLog log = random_log(seed, 60);
    const Instant as_of = at("2024-06-01T00:00:00Z") + std::chrono::seconds(seed * 97 * 3600 % (40 * 86400));
    AttainmentQuery q;
    q.as_of = as_of;
    auto r = compute_attainment(plan, log, {&plan_testing::sales_pipeline()}, q);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    const auto [amount, count] = brute_force_won(log, as_of);
    std::int64_t sum_amount = 0, sum_count = 0, sum_pipeline = 0, sum_open = 0, sum_weighted = 0;
    double sum_weighted_exact = 0;
    const AttainmentRow *company_amount = nullptr, *company_count = nullptr;
    for (const auto& row : r->rows) {
      if (row.scope == PlanScope::company) {
        (row.metric == PlanMetric::won_amount ? company_amount : company_count) = &row;
        continue;
      }
      if (row.metric == PlanMetric::won_amount) {
        sum_amount += row.fact;
        sum_pipeline += row.pipeline;
        sum_weighted += row.weighted.units;
        sum_weighted_exact += row.weighted.value;
      } else {
        sum_count += row.fact;
        sum_open += row.open_deals;
      }
    }
    ASSERT_NE(company_amount, nullptr);
    ASSERT_NE(company_count, nullptr);
    won_in_all += count;
    open_in_all += company_count->open_deals;
    EXPECT_EQ(company_amount->fact, amount) << "seed " << seed;
    EXPECT_EQ(company_count->fact, count) << "seed " << seed;
    EXPECT_EQ(sum_amount, amount) << "seed " << seed;  // every deal has one of the three owners
    EXPECT_EQ(sum_count, count) << "seed " << seed;
    EXPECT_EQ(sum_pipeline, company_amount->pipeline) << "seed " << seed;
    EXPECT_EQ(sum_open, company_count->open_deals) << "seed " << seed;
    // Rounded once per scope total: the managers' rounded sums are within one minor unit each.
    EXPECT_LE(std::abs(sum_weighted - company_amount->weighted.units), 3) << "seed " << seed;
    EXPECT_NEAR(sum_weighted_exact, company_amount->weighted.value, 1e-3) << "seed " << seed;
  }
  EXPECT_GT(won_in_all, 100);  // the generator does win and keep deals open in June
  EXPECT_GT(open_in_all, 100);
}

TEST(AttainmentProperty, PacingNeverGoesBackwards) {
  const BusinessCalendar calendar = plan_testing::june_calendar();
  const Period june = *parse_period("2024-06");
  std::int64_t previous = -1;
  for (int hour = -48; hour <= 32 * 24; hour += 5) {
    const auto c =
        detail::day_counts(june, at("2024-06-01T00:00:00Z") + std::chrono::hours(hour), 180, calendar);
    EXPECT_EQ(c.total, 20);
    EXPECT_GE(c.elapsed, previous);
    EXPECT_LE(c.elapsed, c.total);
    previous = c.elapsed;
  }
  EXPECT_EQ(previous, 20);
}

TEST(AttainmentProperty, RoundingIsHalfToEvenAgainstLongDivision) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    const std::int64_t num = static_cast<std::int64_t>(rng() % 2000001) - 1000000;
    const std::int64_t den = static_cast<std::int64_t>(rng() % 999) + 1;
    const std::int64_t q = detail::round_half_even(num, den);
    // |num/den - q| <= 1/2, and on an exact half q is even.
    const std::int64_t twice_error = 2 * (num - q * den);
    EXPECT_LE(std::abs(twice_error), den) << num << "/" << den;
    if (std::abs(twice_error) == den) {
      EXPECT_EQ(q % 2, 0) << num << "/" << den;
    }
  }
}

}  // namespace
}  // namespace dealflow::planning
