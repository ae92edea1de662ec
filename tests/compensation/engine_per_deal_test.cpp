// A per-deal bonus on a split deal pays each participant the amount × its
// share (docs/compensation.md "per_deal"): 5 000.00 on a 60/40 deal is
// 3 000.00 and 2 000.00, never 5 000.00 twice; an odd share rounds per line.
#include "engine_fixture.h"

namespace dealflow::compensation::engine_test {
namespace {

TEST(EnginePerDeal, ASplitDealPaysEachItsShare) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "bonus", "measure": "won_count",
                                           "rate": {"type": "per_deal", "amount": "5000.00"}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}],
    "splits": [{"deal": "1042", "shares": [{"manager": "m-ivanova", "share": "60%"},
                                           {"manager": "m-smirnova", "share": "40%"}]},
               {"deal": "1043", "shares": [{"manager": "m-ivanova", "share": "33.33%"},
                                           {"manager": "m-smirnova", "share": "66.67%"}]}]
  )");
  EventLog log(at("2024-01-01"));
  DealId d = add_deal(log, "1042", "m-ivanova", 200'000'000, "2024-07-01T09:00:00Z");
  move(log, d, "2024-08-10T10:00:00Z", "WON");
  d = add_deal(log, "1043", "m-ivanova", 100'000, "2024-07-01T09:00:00Z");
  move(log, d, "2024-08-12T10:00:00Z", "WON");
  d = add_deal(log, "1044", "m-smirnova", 100'000, "2024-07-01T09:00:00Z");
  move(log, d, "2024-08-13T10:00:00Z", "WON");
  log.seal();
  auto st = statements(log, plan, {"2024-Q3"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->statements.size(), 2u);
  const ParticipantStatement& iv = st->statements[0];
  const ParticipantStatement& sm = st->statements[1];
  ASSERT_EQ(iv.manager, "m-ivanova");
  ASSERT_EQ(iv.lines.size(), 2u);
  EXPECT_EQ(iv.lines[0].amount, rub(300'000));  // 5 000.00 × 60%
  EXPECT_EQ(iv.lines[0].reason, "per deal: 5 000 RUB × 60% of the deal");
  EXPECT_EQ(iv.lines[1].amount, rub(166'650));  // 5 000.00 × 33.33%
  EXPECT_FALSE(iv.lines[0].blended_rate.has_value());  // a count measure has no blended rate
  ASSERT_EQ(sm.lines.size(), 3u);
  EXPECT_EQ(sm.lines[0].amount, rub(200'000));  // 40%
  EXPECT_EQ(sm.lines[1].amount, rub(333'350));  // 66.67%
  EXPECT_EQ(sm.lines[2].amount, rub(500'000));  // its own deal, whole
  EXPECT_EQ(sm.lines[2].reason, "per deal: 5 000 RUB");
  // The deals' bonuses add up to the amount per deal: nothing paid twice.
  EXPECT_EQ(iv.paid + sm.paid, rub(3 * 500'000));
}

}  // namespace
}  // namespace dealflow::compensation::engine_test
