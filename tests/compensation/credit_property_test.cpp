// Properties of credit lines (dealflow/compensation/credit.h) over random
// histories and random splits: every credited deal's direct shares sum to
// exactly 100%, overlays stay outside the 100%, the credited won amounts add
// up to the deal (within the per-line rounding), and recomputation is identical.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common_fixture.h"
#include "dealflow/compensation/credit.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;

using common_fixture::kDir;
using common_fixture::kRub;
using common_fixture::one_stage_pipeline;
const std::vector<std::string> kManagers = {"m-ivanova", "m-smirnova", "m-popov", "m-sokolova", "m-fedorov"};

// Random shares in bp summing to 10000 over 1..3 distinct managers.
std::string random_split(std::mt19937& rng, int deal) {
  std::vector<std::string> ms = kManagers;
  std::shuffle(ms.begin(), ms.end(), rng);
  const int n = 1 + static_cast<int>(rng() % 3);
  std::vector<int> bp;
  int left = 10000;
  for (int i = 0; i + 1 < n; ++i) {
    const int s = 1 + static_cast<int>(rng() % static_cast<unsigned>(left - (n - 1 - i)));
    bp.push_back(s);
    left -= s;
  }
  bp.push_back(left);
  std::string out = R"({"deal": ")" + std::to_string(deal) + R"(", "shares": [)";
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    char share[32];
    std::snprintf(share, sizeof share, "%d.%02d%%", bp[static_cast<std::size_t>(i)] / 100,
                  bp[static_cast<std::size_t>(i)] % 100);
    out += R"({"manager": ")" + ms[static_cast<std::size_t>(i)] + R"(", "share": ")" + share + "\"}";
  }
  return out + "]}";
}

TEST(CompensationCreditProperty, DirectSharesSumTo100PercentPerDeal) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    const int n = 30;
    std::string splits;
    for (int d = 0; d < n; ++d)
      if (rng() % 2 == 0) splits += (splits.empty() ? "" : ", ") + random_split(rng, d);
    std::string participants;
    for (const std::string& m : kManagers)
      participants += (participants.empty() ? "" : ", ") + (R"({"manager": ")" + m) +
                      R"(", "assignments": [{"plan": "ae", "from": "2024-01-01"}]})";
    participants +=
        R"(, {"manager": "m-volkova", "role": "head", "assignments": [{"plan": "h", "from": "2024-01-01"}]})";
    auto plan = parse_compensation_plan_text(
        R"({"format": "dealflow.compensation/1", "name": "P", "currency": "RUB", "utc_offset": "+03:00",
            "team_file": "../plans/sample-team.json",
            "rounding": ")" +
            std::string(seed % 2 ? "half-up" : "half-even") + R"(",
            "plans": [{"id": "ae", "components": [{"id": "s", "rate": {"type": "flat", "rate": "3%"}}]},
                      {"id": "h", "components": [{"id": "o", "credit": "overlay", "rate": {"type": "flat", "rate": "1%"}}]}],
            "overlays": [{"manager": "m-volkova", "team": "sales"}],
            "splits": [)" +
            splits + R"(], "participants": [)" + participants + "]}",
        "plan.json", kDir);
    ASSERT_TRUE(plan.ok()) << plan.status().to_string();

    EventLog log(*parse_instant("2023-12-01"));
    const auto manager = analytics::to_dimension_id(StandardDimension::manager);
    std::map<std::string, std::int64_t> amounts;
    for (int d = 0; d < n; ++d) {
      const Instant created =
          *parse_instant("2024-01-01") + Duration(static_cast<std::int64_t>(rng() % 86400));
      const std::int64_t amount = 1 + static_cast<std::int64_t>(rng() % 10'000'000);
      DealId id = *log.add_deal(std::to_string(d), log.intern_pipeline("p"), created, Money(amount, kRub));
      log.set_dimension(id, StandardDimension::manager, kManagers[rng() % kManagers.size()]);
      ASSERT_TRUE(log.append_event(id, created, *one_stage_pipeline().find_stage("A")).ok());
      const Instant closed = created + Duration(static_cast<std::int64_t>(rng() % (120 * 86400)));
      ASSERT_TRUE(
          log.append_event(id, closed, *one_stage_pipeline().find_stage(rng() % 4 ? "WON" : "LOST")).ok());
      if (rng() % 3 == 0) {  // reassigned some time around closing
        ASSERT_TRUE(
            log.add_dimension_change(id, closed + Duration(static_cast<std::int64_t>(rng() % 86400) - 43200),
                                     manager, kManagers[rng() % kManagers.size()])
                .ok());
      }
      amounts[std::to_string(d)] = amount;
    }
    log.seal();

    const std::vector<const Pipeline*> pipes = {&one_stage_pipeline()};
    auto c = compute_credits(log, pipes, *plan, *planning::parse_period("2024-Q1"));
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    std::map<std::string, std::int64_t> share, overlay, credited;
    std::map<std::string, int> lines;
    for (const DealCredit& x : c->direct) share[x.deal] += x.share_bp;
    for (const DealCredit& x : c->overlay) overlay[x.deal] += x.share_bp;
    for (const CreditList& l : c->lists)
      if (plan->plans[l.plan].components[l.component].credit == CreditBasis::direct)
        for (const CreditLine& x : l.lines) {
          credited[x.deal] += x.measure.minor_units();
          ++lines[x.deal];
        }
    EXPECT_FALSE(share.empty()) << "seed " << seed;
    for (const auto& [deal, bp] : share) {
      EXPECT_EQ(bp, 10000) << "seed " << seed << " deal " << deal;
      EXPECT_LE(overlay[deal], 10000) << "seed " << seed << " deal " << deal;
      // Every direct holder is a participant here: the credited amounts add up within ½ unit per line.
      EXPECT_LE(std::llabs(credited[deal] - amounts[deal]), (lines[deal] + 1) / 2)
          << "seed " << seed << " deal " << deal;
    }
    auto again = compute_credits(log, pipes, *plan, *planning::parse_period("2024-Q1"));
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->lists.size(), c->lists.size());
    for (std::size_t i = 0; i < c->lists.size(); ++i) {
      ASSERT_EQ(again->lists[i].lines.size(), c->lists[i].lines.size());
      for (std::size_t k = 0; k < c->lists[i].lines.size(); ++k) {
        EXPECT_EQ(again->lists[i].lines[k].deal, c->lists[i].lines[k].deal);
        EXPECT_EQ(again->lists[i].lines[k].measure, c->lists[i].lines[k].measure);
      }
    }
  }
}

}  // namespace
}  // namespace dealflow::compensation
