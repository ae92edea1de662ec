// Pipeline movement (analytics/movement.h) against the pipeline at an
// instant (planning/pipeline_state.h) over random histories: the start and
// end bars are exactly the open deals of pipeline_state_as_of at from - 1 s
// and to - 1 s whose close date is in the period (or all of them with the
// all_open scope), with their amounts as of then, in every currency; and
// with an as_of, the end is the state at as_of - 1 s.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "analytics/movement_fixture.h"
#include "dealflow/planning/pipeline_state.h"

namespace dealflow::planning {
namespace {

using Bag = std::map<std::string, std::pair<std::multiset<std::string>, std::int64_t>>;  // section

Bag from_state(const analytics::EventLog& log, const Pipeline& p, const analytics::MovementQuery& q,
               Instant as_of) {
  Bag bag;
  StateOptions options;
  options.include_closed = false;
  auto state = pipeline_state_as_of(log, p, as_of, options);
  EXPECT_TRUE(state.ok()) << state.status().to_string();
  for (const OpenDeal& d : state->open) {
    if (q.scope == analytics::MovementScope::close_in_period) {
      if (!d.close_date) continue;
      const Instant midnight = Instant::at_midnight(*d.close_date, q.utc_offset_minutes);
      if (midnight < q.from || midnight >= q.to) continue;
    }
    auto& [ids, amount] = bag[d.amount ? std::string(d.amount->currency().code()) : "-"];
    ids.insert(std::string(log.deal_key(d.deal)));
    amount += d.amount ? d.amount->minor_units() : 0;
  }
  return bag;
}

Bag from_movement(const analytics::MovementReport& r, analytics::MovementBar bar) {
  Bag bag;
  for (const auto& s : r.sections) {
    const auto& f = s.bar(bar);
    if (f.deals.empty()) continue;
    auto& [ids, amount] = bag[s.currency ? std::string(s.currency->code()) : "-"];
    ids.insert(f.deals.begin(), f.deals.end());
    amount += f.amount;
    EXPECT_EQ(f.count, std::ssize(f.deals));
  }
  return bag;
}

TEST(MovementState, StartAndEndAreThePipelineStateInThePeriod) {
  std::size_t compared = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const analytics::testing::World w = analytics::testing::random_world(seed, 150);
    for (const Pipeline* p : {&analytics::testing::fixture_pipeline(), &analytics::testing::service()}) {
      auto r = analytics::compute_pipeline_movement(w.log, *p, w.query);
      ASSERT_TRUE(r.ok()) << r.status().to_string();
      EXPECT_EQ(from_movement(*r, analytics::MovementBar::start),
                from_state(w.log, *p, w.query, w.query.from - Duration(1)));
      const Bag end = from_state(w.log, *p, w.query, w.query.to - Duration(1));
      EXPECT_EQ(from_movement(*r, analytics::MovementBar::end), end);
      for (const auto& [section, bag] : end) compared += bag.first.size();
    }
  }
  EXPECT_GT(compared, 500u);  // not vacuous
}

// Period to date: the end is the pipeline as of as_of - 1 s, still with the
// close dates in [from, to) (not [from, as_of)).
TEST(MovementState, PeriodToDateEndIsThePipelineStateAtAsOf) {
  std::size_t compared = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    analytics::testing::World w = analytics::testing::random_world(seed, 150);
    w.query.as_of = analytics::testing::random_as_of(w, seed);
    for (const Pipeline* p : {&analytics::testing::fixture_pipeline(), &analytics::testing::service()}) {
      auto r = analytics::compute_pipeline_movement(w.log, *p, w.query);
      ASSERT_TRUE(r.ok()) << r.status().to_string();
      EXPECT_EQ(from_movement(*r, analytics::MovementBar::start),
                from_state(w.log, *p, w.query, w.query.from - Duration(1)));
      const Bag end = from_state(w.log, *p, w.query, *w.query.as_of - Duration(1));
      EXPECT_EQ(from_movement(*r, analytics::MovementBar::end), end);
      for (const auto& [section, bag] : end) compared += bag.first.size();
      for (const auto& s : r->sections) EXPECT_TRUE(s.identity_holds());
    }
  }
  EXPECT_GT(compared, 300u);  // not vacuous
}

}  // namespace
}  // namespace dealflow::planning
