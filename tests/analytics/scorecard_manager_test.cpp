// The manager scorecard on a hand-computed fixture: a period and the previous
// one, splits by business and channel, team totals, ranks.
#include <gtest/gtest.h>

#include "analytics/durations_fixture.h"
#include "dealflow/analytics/scorecard.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

const std::string kAnna = "Иванова Анна", kSergey = "Петров Сергей";

// Period [day 10, day 20); previous [day 0, day 10).
//   k1  Анна    new/inbound   100000  A@1 WON@5                     prev: taken, won (4 d)
//   k2  Анна    new/outbound   40000  A@2 B@8 WON@12                prev: taken, open; now: won (10 d)
//   k3  Анна    repeat/inbound 60000  created 11: A@11 WON@15       now: taken, won (4 d)
//   k4  Анна    new/inbound    30000  created 12: A LOST@13 A@16 WON@19   now: taken, won (7 d)
//   k5  Сергей  new/outbound  200000  A@3 LOST@9                    prev: taken, lost
//   k6  Сергей  new/outbound   90000  created 14: A B@15            now: taken, open
//   k7  Сергей  repeat/inbound 100000 created 15: A WON@18          now: taken, won (3 d)
//   k8  (none)  new/inbound     5000  created 16: A JUNK@17         now: taken, lost
//   k9  Анна    new/inbound    10000  created 5: A LOST@12          prev: taken, open; now: lost
//   k10 Сергей  created 21: after the period, counts nowhere
//   k11 Анна    new/inbound    20001  created 13: A WON@14          now: taken, won (1 d)
class ScorecardHandComputed : public ::testing::Test {
 protected:
  void SetUp() override {
    auto deal = [&](const char* key, double created, const std::string& manager, const char* business,
                    const char* channel, std::int64_t rub) {
      const DealId d = b_.deal(key, created, manager, rub);
      b_.set(d, StandardDimension::business, business).set(d, StandardDimension::channel, channel);
      return d;
    };
    const DealId k1 = deal("k1", 1, kAnna, "new", "inbound", 100000);
    const DealId k2 = deal("k2", 2, kAnna, "new", "outbound", 40000);
    const DealId k3 = deal("k3", 11, kAnna, "repeat", "inbound", 60000);
    const DealId k4 = deal("k4", 12, kAnna, "new", "inbound", 30000);
    const DealId k5 = deal("k5", 3, kSergey, "new", "outbound", 200000);
    const DealId k6 = deal("k6", 14, kSergey, "new", "outbound", 90000);
    const DealId k7 = deal("k7", 15, kSergey, "repeat", "inbound", 100000);
    const DealId k8 = deal("k8", 16, "", "new", "inbound", 5000);
    const DealId k9 = deal("k9", 5, kAnna, "new", "inbound", 10000);
    const DealId k10 = deal("k10", 21, kSergey, "new", "inbound", 1);
    const DealId k11 = deal("k11", 13, kAnna, "new", "inbound", 20001);
    b_.event(k1, 1, "A").event(k1, 5, "WON");
    b_.event(k2, 2, "A").event(k2, 8, "B").event(k2, 12, "WON");
    b_.event(k3, 11, "A").event(k3, 15, "WON");
    b_.event(k4, 12, "A").event(k4, 13, "LOST").event(k4, 16, "A").event(k4, 19, "WON");
    b_.event(k5, 3, "A").event(k5, 9, "LOST");
    b_.event(k6, 14, "A").event(k6, 15, "B");
    b_.event(k7, 15, "A").event(k7, 18, "WON");
    b_.event(k8, 16, "A").event(k8, 17, "JUNK");
    b_.event(k9, 5, "A").event(k9, 12, "LOST");
    b_.event(k10, 21, "A");
    b_.event(k11, 13, "A").event(k11, 14, "WON");
    q_.from = day(10);
    q_.to = day(20);
  }
  Result<ScorecardReport> run() { return compute_scorecard(b_.log(), small_pipeline(), q_); }
  LogBuilder b_;
  ScorecardQuery q_;
};

std::string manager_money(const std::optional<Money>& m) {
  return m ? m->to_string() : "none";
}

TEST_F(ScorecardHandComputed, CurrentPeriodPerManager) {
  auto r = run();
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->managers.size(), 3u);
  const ScorecardRow& anna = r->managers[0];
  EXPECT_EQ(anna.manager, kAnna);
  EXPECT_EQ(anna.rank, 1u);
  EXPECT_EQ(anna.current.taken, 3u);  // k3, k4, k11
  EXPECT_EQ(anna.current.won, 4u);    // k2, k3, k4 (reopened, won), k11
  EXPECT_EQ(anna.current.lost, 1u);   // k9
  EXPECT_EQ(anna.current.open, 0u);
  EXPECT_DOUBLE_EQ(*anna.current.win_rate, 0.8);
  EXPECT_EQ(manager_money(anna.current.won_amount), "150001.00 RUB");
  EXPECT_EQ(manager_money(anna.current.average_won_amount), "37500.25 RUB");
  EXPECT_EQ(manager_money(anna.current.median_won_amount),
            "30000.00 RUB");                               // lower middle of 20001, 30000, 40000, 60000
  EXPECT_EQ(anna.current.median_cycle_seconds, 4 * kDay);  // lower middle of 1, 4, 7, 10 days

  const ScorecardRow& sergey = r->managers[1];
  EXPECT_EQ(sergey.manager, kSergey);
  EXPECT_EQ(sergey.rank, 2u);
  EXPECT_EQ(sergey.current.taken, 2u);
  EXPECT_EQ(sergey.current.won, 1u);
  EXPECT_EQ(sergey.current.lost, 0u);
  EXPECT_EQ(sergey.current.open, 1u);  // k6; k10 was created after the period
  EXPECT_DOUBLE_EQ(*sergey.current.win_rate, 1.0);
  EXPECT_EQ(manager_money(sergey.current.won_amount), "100000.00 RUB");
  EXPECT_EQ(sergey.current.median_cycle_seconds, 3 * kDay);

  const ScorecardRow& none = r->managers[2];
  EXPECT_EQ(none.manager, std::nullopt);
  EXPECT_EQ(none.rank, std::nullopt);
  EXPECT_EQ(none.current.taken, 1u);
  EXPECT_EQ(none.current.lost, 1u);
  EXPECT_DOUBLE_EQ(*none.current.win_rate, 0.0);
  EXPECT_EQ(none.current.won_amount, std::nullopt);
  EXPECT_EQ(none.current.median_cycle_seconds, std::nullopt);
}

TEST_F(ScorecardHandComputed, PreviousPeriodIsReadAsOfItsEnd) {
  auto r = run();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->definition.previous_from, day(0));
  EXPECT_EQ(r->definition.previous_to, day(10));
  const ScorecardRow& anna = r->managers[0];
  EXPECT_EQ(anna.previous.taken, 3u);  // k1, k2, k9
  EXPECT_EQ(anna.previous.won, 1u);    // k1
  EXPECT_EQ(anna.previous.lost, 0u);
  EXPECT_EQ(anna.previous.open, 2u);  // k2 in B, k9 in A at day 10
  EXPECT_EQ(manager_money(anna.previous.won_amount), "100000.00 RUB");
  EXPECT_EQ(anna.previous.median_cycle_seconds, 4 * kDay);
  const ScorecardRow& sergey = r->managers[1];
  EXPECT_EQ(sergey.previous.taken, 1u);
  EXPECT_EQ(sergey.previous.lost, 1u);
  EXPECT_DOUBLE_EQ(*sergey.previous.win_rate, 0.0);
  EXPECT_EQ(r->managers[2].previous.taken, 0u);
}

TEST_F(ScorecardHandComputed, TeamTotals) {
  auto r = run();
  ASSERT_TRUE(r);
  const ScorecardRow& t = r->team;
  EXPECT_EQ(t.manager, "");
  EXPECT_EQ(t.current.taken, 6u);
  EXPECT_EQ(t.current.won, 5u);
  EXPECT_EQ(t.current.lost, 2u);
  EXPECT_EQ(t.current.open, 1u);
  EXPECT_DOUBLE_EQ(*t.current.win_rate, 5.0 / 7);
  EXPECT_EQ(manager_money(t.current.won_amount), "250001.00 RUB");
  EXPECT_EQ(manager_money(t.current.average_won_amount), "50000.20 RUB");
  EXPECT_EQ(manager_money(t.current.median_won_amount), "40000.00 RUB");
  EXPECT_EQ(t.current.median_cycle_seconds, 4 * kDay);  // 1, 3, 4, 7, 10 days
  EXPECT_EQ(t.previous.taken, 4u);
  EXPECT_EQ(t.previous.won, 1u);
  EXPECT_EQ(t.previous.lost, 1u);
  EXPECT_EQ(t.previous.open, 2u);
}

TEST_F(ScorecardHandComputed, SplitsByBusinessAndChannel) {
  auto r = run();
  ASSERT_TRUE(r);
  const ScorecardRow& anna = r->managers[0];
  ASSERT_EQ(anna.by_business.size(), 2u);
  EXPECT_EQ(anna.by_business[0].key, "new");
  EXPECT_EQ(anna.by_business[0].current.taken, 2u);  // k4, k11
  EXPECT_EQ(anna.by_business[0].current.won, 3u);    // k2, k4, k11
  EXPECT_EQ(anna.by_business[0].current.lost, 1u);   // k9
  EXPECT_EQ(anna.by_business[0].previous.taken, 3u);
  EXPECT_EQ(anna.by_business[0].previous.open, 2u);
  EXPECT_EQ(anna.by_business[1].key, "repeat");
  EXPECT_EQ(anna.by_business[1].current.won, 1u);
  EXPECT_EQ(manager_money(anna.by_business[1].current.won_amount), "60000.00 RUB");
  EXPECT_EQ(anna.by_business[1].previous.taken, 0u);
  ASSERT_EQ(anna.by_channel.size(), 2u);
  EXPECT_EQ(anna.by_channel[0].key, "inbound");
  EXPECT_EQ(anna.by_channel[0].current.taken, 3u);
  EXPECT_EQ(anna.by_channel[0].current.won, 3u);
  EXPECT_EQ(anna.by_channel[1].key, "outbound");
  EXPECT_EQ(anna.by_channel[1].current.won, 1u);
  EXPECT_EQ(anna.by_channel[1].current.taken, 0u);
  // The team's repeat business: k3 (Анна) and k7 (Сергей).
  ASSERT_EQ(r->team.by_business.size(), 2u);
  EXPECT_EQ(manager_money(r->team.by_business[1].current.won_amount), "160000.00 RUB");
}

TEST_F(ScorecardHandComputed, DefinitionIsStated) {
  auto r = run();
  ASSERT_TRUE(r);
  const std::string s = r->definition.summary();
  EXPECT_NE(s.find("period [2024-01-11T00:00:00Z, 2024-01-21T00:00:00Z)"), std::string::npos) << s;
  EXPECT_NE(s.find("previous [2024-01-01T00:00:00Z, 2024-01-11T00:00:00Z)"), std::string::npos) << s;
  EXPECT_NE(ScorecardDefinition::text().find("lower middle"), std::string::npos);
}

TEST(Scorecard, TiesRankByManagerId) {
  LogBuilder b;
  for (const char* m : {"Яковлев", "Абрамова", "Мельник"}) {
    const DealId d = b.deal(std::string("w-") + m, 0, m, 500);
    b.event(d, 0, "A").event(d, 1, "WON");
  }
  ScorecardQuery q{day(0), day(2)};
  auto r = compute_scorecard(b.log(), small_pipeline(), q);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->managers.size(), 3u);
  EXPECT_EQ(r->managers[0].manager, "Абрамова");
  EXPECT_EQ(r->managers[1].manager, "Мельник");
  EXPECT_EQ(r->managers[2].manager, "Яковлев");
  EXPECT_EQ(r->managers[2].rank, 3u);
}

TEST(Scorecard, ErrorsNameTheProblem) {
  LogBuilder b;
  EventLog& log = b.raw();
  const DealId r = *log.add_deal("rub", PipelineId{0}, day(0), Money(100, Currency::of("RUB")));
  const DealId u = *log.add_deal("usd", PipelineId{0}, day(0), Money(100, Currency::of("USD")));
  ASSERT_TRUE(log.append_event(r, day(1), *small_pipeline().find_stage("WON")).ok());
  ASSERT_TRUE(log.append_event(u, day(2), *small_pipeline().find_stage("WON")).ok());
  log.seal();
  auto card = compute_scorecard(log, small_pipeline(), {day(0), day(5)});
  ASSERT_TRUE(card) << card.status().to_string();  // mixed currencies: sums per currency
  EXPECT_EQ(card->team.current.by_currency.size(), 2u);
  card = compute_scorecard(log, small_pipeline(), {day(5), day(5)});
  ASSERT_FALSE(card);
  EXPECT_NE(card.status().message().find("empty period"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::analytics
