// Hand-computed clawbacks (dealflow/compensation/clawback.h): the design's
// reopened deal at the historic rate, recompute-period under retroactive
// tiers, caps and SPIFs reversed as paid, the window, every documented error,
// and the property that a historic clawback is minus the deal's paid lines.
#include "dealflow/compensation/clawback.h"

#include <gtest/gtest.h>

#include <random>

#include "common_fixture.h"
#include "four_stage.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kRub;
using common_fixture::rub_units;
using four_stage::at;

RateSpec flat3() {
  RateSpec s;
  s.currency = kRub;
  s.kind = StructureKind::flat;
  s.tiers = {{0, Rate::bp(300)}};
  return s;
}

// Retroactive: 2% from 0, 3% from 1 000 000 RUB.
RateSpec retro() {
  RateSpec s;
  s.currency = kRub;
  s.kind = StructureKind::retroactive;
  s.tiers = {{0, Rate::bp(200)}, {100'000'000, Rate::bp(300)}};
  return s;
}

Reversal reopened17() {
  return {"17", ReversalKind::reopened, at("2024-03-20T12:00:00+03:00"), at("2024-04-10T09:00:00+03:00"),
          "2024-Q1"};
}

TEST(Clawback, ReopenedDealReversedAtTheHistoricRate) {
  const std::vector<Credit> q1 = {{"9", rub_units(200'000)}, {"17", rub_units(500'000)}};
  auto paid = compute_period(flat3(), q1);
  ASSERT_TRUE(paid.ok());
  auto cb = clawback_historic({90, ClawbackPolicy::historic_rate}, reopened17(), *paid, {}, 180);
  ASSERT_TRUE(cb.ok()) << cb.status().to_string();
  ASSERT_EQ(cb->lines.size(), 1u);
  const ClawbackLine& l = cb->lines[0];
  EXPECT_EQ(l.amount, rub_units(-15'000));
  EXPECT_EQ(l.rate, Rate::bp(300));
  EXPECT_EQ(l.source_period, "2024-Q1");
  EXPECT_EQ(l.original, "slice");
  EXPECT_EQ(l.reason,
            "clawback: deal 17 reopened 2024-04-10, 21 days after winning 2024-03-20 (window 90 days), "
            "at the historic rate 3% (2024-Q1)");
  EXPECT_EQ(cb->total, rub_units(-15'000));
  EXPECT_TRUE(cb->notes.empty());
}

TEST(Clawback, RecomputePeriodUnderRetroactiveTiers) {
  // Q1: 600 000 + 500 000 = 1 100 000 at 3% = 33 000; without deal 17: 600 000 × 2% = 12 000 → −21 000.
  const std::vector<Credit> q1 = {{"9", rub_units(600'000)}, {"17", rub_units(500'000)}};
  auto paid = compute_period(retro(), q1);
  ASSERT_TRUE(paid.ok());
  ASSERT_EQ(paid->total, rub_units(33'000));
  const ClawbackSpec spec{90, ClawbackPolicy::recompute_period};
  auto cb = clawback_recompute(spec, reopened17(), retro(), q1, *paid, std::nullopt, {}, 180);
  ASSERT_TRUE(cb.ok()) << cb.status().to_string();
  ASSERT_EQ(cb->lines.size(), 1u);
  EXPECT_EQ(cb->lines[0].amount, rub_units(-21'000));
  EXPECT_EQ(cb->lines[0].original, "period");
  EXPECT_EQ(cb->lines[0].reason,
            "clawback: deal 17 reopened 2024-04-10, 21 days after winning 2024-03-20 (window 90 days), "
            "2024-Q1 recomputed without it: 12 000 RUB instead of 33 000 RUB paid (recompute-period)");
  EXPECT_EQ(cb->total, rub_units(-21'000));
}

TEST(Clawback, HistoricUnderRetroactiveTiersTakesBackOnlyTheDealsOwnLine) {
  // Deal 17 crosses 1 000 000: its slice pays 500 000 × 3% = 15 000 and its cliff line tops the
  // earlier 600 000 up by 1% = 6 000. historic-rate reverses the deal's own 15 000 (the design's
  // −15 000.00); the cliff prices deal 9 and stays, noted (recompute-period gives −21 000).
  const std::vector<Credit> q1 = {{"9", rub_units(600'000)}, {"17", rub_units(500'000)}};
  auto paid = compute_period(retro(), q1);
  ASSERT_TRUE(paid.ok());
  auto cb = clawback_historic({90, ClawbackPolicy::historic_rate}, reopened17(), *paid, {}, 180);
  ASSERT_TRUE(cb.ok());
  ASSERT_EQ(cb->lines.size(), 1u);
  EXPECT_EQ(cb->lines[0].amount, rub_units(-15'000));
  EXPECT_EQ(cb->lines[0].rate, Rate::bp(300));
  EXPECT_EQ(cb->lines[0].tier, 2);
  EXPECT_EQ(cb->lines[0].slice_from, rub_units(600'000));
  EXPECT_EQ(cb->lines[0].slice_to, rub_units(1'100'000));
  EXPECT_EQ(cb->total, rub_units(-15'000));
  ASSERT_EQ(cb->notes.size(), 1u);
  EXPECT_EQ(cb->notes[0],
            "deal 17: the retro_cliff line of 6 000 RUB in 2024-Q1 prices other deals and stays under "
            "historic-rate (recompute-period would revise it)");
}

TEST(Clawback, CapsAndSpifsAreReversedAsPaid) {
  RateSpec s = flat3();
  s.cap_per_deal = rub_units(10'000);
  const std::vector<Credit> q1 = {{"17", rub_units(500'000)}};  // 15 000, cap_deal −5 000
  auto paid = compute_period(s, q1);
  ASSERT_TRUE(paid.ok());
  const std::vector<SpifLine> spifs = {
      {"training-q3", "17", "m-a", Rate::ratio(1, 1), rub_units(2'000), "SPIF"},
      {"training-q3", "18", "m-a", Rate::ratio(1, 1), rub_units(2'000), "SPIF"}};
  Reversal r = reopened17();
  r.kind = ReversalKind::cancelled;
  auto cb = clawback_historic({90, ClawbackPolicy::historic_rate, true}, r, *paid, spifs, 180);
  ASSERT_TRUE(cb.ok()) << cb.status().to_string();
  ASSERT_EQ(cb->lines.size(), 3u);
  EXPECT_EQ(cb->lines[0].amount, rub_units(-15'000));
  EXPECT_EQ(cb->lines[1].original, "cap_deal");
  EXPECT_EQ(cb->lines[1].amount, rub_units(5'000));
  EXPECT_EQ(cb->lines[2].original, "spif");
  EXPECT_EQ(cb->lines[2].amount, rub_units(-2'000));
  EXPECT_EQ(cb->lines[2].reason,
            "clawback: deal 17 cancelled 2024-04-10, 21 days after winning 2024-03-20 (window 90 days), "
            "SPIF training-q3 paid 2 000 RUB (2024-Q1)");
  EXPECT_EQ(cb->total, rub_units(-12'000));
  auto no_spif = clawback_historic({90, ClawbackPolicy::historic_rate, false}, r, *paid, spifs, 180);
  ASSERT_TRUE(no_spif.ok());
  EXPECT_EQ(no_spif->total, rub_units(-10'000));
}

TEST(Clawback, AfterTheWindowNothingIsClawedBackWithANote) {
  const std::vector<Credit> q1 = {{"17", rub_units(500'000)}};
  auto paid = compute_period(flat3(), q1);
  ASSERT_TRUE(paid.ok());
  auto cb = clawback_historic({20, ClawbackPolicy::historic_rate}, reopened17(), *paid, {}, 180);
  ASSERT_TRUE(cb.ok());
  EXPECT_TRUE(cb->lines.empty());
  EXPECT_EQ(cb->total, rub_units(0));
  ASSERT_EQ(cb->notes.size(), 1u);
  EXPECT_EQ(cb->notes[0],
            "deal 17 reopened 2024-04-10, 21 days after winning 2024-03-20 (window 20 days): after the "
            "window, nothing clawed back");
  // The window counts local calendar days: the 21st day after the win still counts, to its last second.
  Reversal edge = reopened17();
  edge.reversed = at("2024-04-10T23:59:59+03:00");
  EXPECT_TRUE(*within_window({21, ClawbackPolicy::historic_rate}, edge, 180));
  EXPECT_FALSE(*within_window({20, ClawbackPolicy::historic_rate}, edge, 180));
  edge.reversed = at("2024-04-11T00:00:00+03:00");
  EXPECT_FALSE(*within_window({21, ClawbackPolicy::historic_rate}, edge, 180));
  // At UTC the same instant is still 2024-04-10.
  EXPECT_TRUE(*within_window({21, ClawbackPolicy::historic_rate}, edge, 0));
}

TEST(ClawbackErrors, EachDocumentedErrorIsAValue) {
  const std::vector<Credit> q1 = {{"9", rub_units(500'000)}};
  auto paid = compute_period(flat3(), q1);
  ASSERT_TRUE(paid.ok());
  Status w = validate(ClawbackSpec{0, ClawbackPolicy::historic_rate});
  EXPECT_EQ(w.code(), ErrorCode::validation_failed);
  EXPECT_EQ(w.location().json_path, "/clawback/window_days");
  EXPECT_EQ(w.message(), "'0': expected a whole number of days >= 1");

  auto missing = clawback_historic({90}, reopened17(), *paid);
  EXPECT_EQ(missing.status().code(), ErrorCode::not_found);
  EXPECT_EQ(missing.status().message(),
            "clawback of deal 17: no line of it in 2024-Q1: expected the statement it was paid in");
  auto missing2 =
      clawback_recompute({90, ClawbackPolicy::recompute_period}, reopened17(), flat3(), q1, *paid);
  EXPECT_EQ(missing2.status().code(), ErrorCode::not_found);

  Reversal early = reopened17();
  early.reversed = early.won - std::chrono::seconds(1);
  auto e = clawback_historic({90}, early, *paid);
  EXPECT_EQ(e.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(e.status().message().find("expected a reversal after the win"), std::string::npos);

  RateSpec usd = flat3();
  usd.currency = Currency::of("USD");
  const std::vector<Credit> with17 = {{"17", rub_units(1)}};
  auto c = clawback_recompute({90, ClawbackPolicy::recompute_period}, reopened17(), usd, with17, *paid);
  EXPECT_EQ(c.status().code(), ErrorCode::currency_mismatch);
}

TEST(ClawbackProperty, HistoricIsMinusTheDealsLinesAndRecomputeMatchesTheDifference) {
  std::mt19937_64 rng(11);
  for (int run = 0; run < 200; ++run) {
    RateSpec s = run % 2 ? retro() : flat3();
    if (run % 3 == 0)
      s.cap_per_deal = rub_units(std::uniform_int_distribution<std::int64_t>(5'000, 30'000)(rng));
    std::vector<Credit> credits;
    const int n = std::uniform_int_distribution<int>(1, 15)(rng);
    for (int i = 0; i < n; ++i)
      credits.push_back(
          {std::to_string(i), Money(std::uniform_int_distribution<std::int64_t>(1, 40'000'000)(rng), kRub)});
    auto paid = compute_period(s, credits);
    ASSERT_TRUE(paid.ok()) << paid.status().to_string();
    Reversal r = reopened17();
    r.deal = credits[rng() % credits.size()].deal;
    std::int64_t deal_paid = 0;
    bool has_line = false;
    for (const Line& l : paid->lines) {
      if (l.deal != r.deal) continue;
      has_line = true;
      if (l.kind == LineKind::slice || l.kind == LineKind::cap_deal) deal_paid += l.amount.minor_units();
    }
    auto h = clawback_historic({90}, r, *paid);
    if (!has_line) {
      EXPECT_EQ(h.status().code(), ErrorCode::not_found);
    } else {
      ASSERT_TRUE(h.ok()) << h.status().to_string();
      std::int64_t sum = 0;
      for (const ClawbackLine& l : h->lines) sum += l.amount.minor_units();
      EXPECT_EQ(h->total.minor_units(), sum);
      EXPECT_EQ(sum, -deal_paid);
    }
    auto rc = clawback_recompute({90, ClawbackPolicy::recompute_period}, r, s, credits, *paid);
    ASSERT_TRUE(rc.ok()) << rc.status().to_string();
    std::vector<Credit> rest;
    for (const Credit& c : credits)
      if (c.deal != r.deal) rest.push_back(c);
    EXPECT_EQ(rc->total.minor_units(),
              compute_period(s, rest)->total.minor_units() - paid->total.minor_units());
    if (s.kind == StructureKind::flat && !s.cap_per_deal) {
      EXPECT_EQ(rc->total.minor_units(), -deal_paid);
    }
  }
}

}  // namespace
}  // namespace dealflow::compensation
