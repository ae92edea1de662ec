// Properties of the synthetic data set (docs/sample-data.md): the history is
// consistent with the deals and the pipeline, and it contains every situation
// the analytics must handle.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dealflow/analytics/sample.h"
#include "dealflow/core/money.h"
#include "dealflow/core/time.h"
#include "dealflow/io/csv.h"

namespace dealflow::analytics {
namespace {

struct Row {
  std::map<std::string, std::string> f;
  const std::string& operator[](const std::string& k) const { return f.at(k); }
};

std::vector<Row> parse(const std::string& text, const std::string& name) {
  CsvReader csv = CsvReader::from_text(text, name);
  EXPECT_TRUE(csv.read_header().ok());
  std::vector<Row> rows;
  std::vector<std::string_view> fields;
  while (true) {
    auto more = csv.next(fields);
    EXPECT_TRUE(more) << more.status().to_string();
    if (!more || !*more) break;
    Row r;
    for (std::size_t i = 0; i < fields.size(); ++i) r.f[csv.header()[i]] = std::string(fields[i]);
    rows.push_back(std::move(r));
  }
  return rows;
}

const std::vector<std::string> kOpen = {"NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING",
                                        "FINAL_INVOICE"};
int open_index(const std::string& stage) {
  auto it = std::find(kOpen.begin(), kOpen.end(), stage);
  return it == kOpen.end() ? -1 : static_cast<int>(it - kOpen.begin());
}
bool is_lost(const std::string& s) {
  return s == "LOSE" || s == "APOLOGY";
}

struct Event {
  std::int64_t at;
  std::string stage;
};

class SampleRealism : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SampleOptions options;
    options.deals = 3000;
    options.seed = 2024;
    auto csv = generate_sample_csv(options);
    ASSERT_TRUE(csv);
    summary_ = csv->summary;
    deals_ = parse(csv->deals, "deals.csv");
    for (const Row& h : parse(csv->history, "history.csv")) {
      auto at = parse_instant(h["at"]);
      ASSERT_TRUE(at) << h["at"];
      history_[h["deal_id"]].push_back({at->unix_seconds(), h["stage"]});
      EXPECT_EQ(h["pipeline"], "bitrix24_default");
      EXPECT_FALSE(h["actor"].empty());
    }
  }
  static inline SampleSummary summary_;
  static inline std::vector<Row> deals_;
  static inline std::map<std::string, std::vector<Event>> history_;
};

TEST_F(SampleRealism, HeadersAreTheCanonicalFormats) {
  SampleOptions options;
  options.deals = 1;
  auto csv = generate_sample_csv(options);
  ASSERT_TRUE(csv);
  EXPECT_EQ(
      csv->deals.substr(0, csv->deals.find('\n')),
      "id,created_at,pipeline,amount,currency,manager,region,product,tier,channel,business,source,client,"
      "lost_reason");
  EXPECT_EQ(csv->history.substr(0, csv->history.find('\n')), "deal_id,at,stage,pipeline,actor");
}

TEST_F(SampleRealism, EveryHistoryStartsAtCreationInNewAndMovesForwardInTime) {
  ASSERT_EQ(deals_.size(), 3000u);
  ASSERT_EQ(history_.size(), 3000u);
  std::size_t events = 0;
  for (const Row& d : deals_) {
    const auto& h = history_.at(d["id"]);
    events += h.size();
    EXPECT_EQ(h.front().stage, "NEW") << d["id"];
    EXPECT_EQ(h.front().at, parse_instant(d["created_at"])->unix_seconds()) << d["id"];
    for (std::size_t i = 1; i < h.size(); ++i) {
      EXPECT_LT(h[i - 1].at, h[i].at) << d["id"];
      EXPECT_NE(h[i - 1].stage, h[i].stage) << d["id"];
    }
    EXPECT_LT(h.back().at, summary_.period_end.unix_seconds());
  }
  EXPECT_EQ(events, summary_.events);
}

TEST_F(SampleRealism, OnlyDeclaredReopenLeavesATerminalStage) {
  for (const auto& [id, h] : history_) {
    for (std::size_t i = 0; i + 1 < h.size(); ++i) {
      if (h[i].stage == "WON" || h[i].stage == "APOLOGY") {
        ADD_FAILURE() << id << " leaves " << h[i].stage;
      }
      if (h[i].stage == "LOSE") {
        EXPECT_EQ(h[i + 1].stage, "NEW") << id;
      }
    }
  }
}

TEST_F(SampleRealism, ContainsEverySituationTheReportsHandle) {
  std::size_t open = 0, won = 0, lost = 0, reopened = 0, skipped = 0, backward = 0, apology = 0,
              reopened_won = 0;
  for (const auto& [id, h] : history_) {
    const std::string& last = h.back().stage;
    open += open_index(last) >= 0;
    won += last == "WON";
    lost += is_lost(last);
    apology += last == "APOLOGY";
    bool reopen = false;
    for (std::size_t i = 0; i + 1 < h.size(); ++i) {
      const int a = open_index(h[i].stage), b = open_index(h[i + 1].stage);
      if (h[i].stage == "LOSE") reopen = true;
      if (a >= 0 && b >= 0 && b < a) ++backward;
      if (a >= 0 && b > a + 1) ++skipped;
      if (a == 3 && h[i + 1].stage == "WON") ++skipped;  // EXECUTING -> WON skips FINAL_INVOICE
    }
    reopened += reopen;
    reopened_won += reopen && last == "WON";
  }
  EXPECT_EQ(open + won + lost, 3000u);
  EXPECT_EQ(open, summary_.open);
  EXPECT_EQ(won, summary_.won);
  EXPECT_EQ(lost, summary_.lost);
  EXPECT_EQ(reopened, summary_.reopened);
  EXPECT_EQ(backward, summary_.backward_moves);
  EXPECT_EQ(skipped, summary_.skipped_moves);
  EXPECT_GT(open, 30u);
  EXPECT_GT(reopened, 20u);
  EXPECT_GT(reopened_won, 0u);
  EXPECT_GT(skipped, 100u);
  EXPECT_GT(backward, 50u);
  EXPECT_GT(apology, 50u);
  // Win rate won/(won+lost) of a believable B2B department.
  const double win_rate = static_cast<double>(won) / static_cast<double>(won + lost);
  EXPECT_GT(win_rate, 0.2);
  EXPECT_LT(win_rate, 0.5);
}

TEST_F(SampleRealism, LossReasonIffLostAndAmountsAreExactRubles) {
  for (const Row& d : deals_) {
    const std::string& last = history_.at(d["id"]).back().stage;
    EXPECT_EQ(!d["lost_reason"].empty(), is_lost(last)) << d["id"];
    EXPECT_EQ(d["currency"], "RUB");
    auto m = Money::parse(d["amount"], Currency::of("RUB"));
    ASSERT_TRUE(m) << d["amount"];
    EXPECT_TRUE(m->is_positive());
    EXPECT_EQ(m->to_string(), d["amount"] + " RUB");  // canonical: digits, '.', two fraction digits
  }
}

TEST_F(SampleRealism, RepeatBusinessMeansTheClientWonEarlier) {
  std::map<std::string, std::int64_t> first_won;  // client -> first won instant
  for (const Row& d : deals_) {
    const auto& h = history_.at(d["id"]);
    if (h.back().stage != "WON") continue;
    auto [it, added] = first_won.emplace(d["client"], h.back().at);
    if (!added) it->second = std::min(it->second, h.back().at);
  }
  std::size_t repeat = 0;
  for (const Row& d : deals_) {
    auto it = first_won.find(d["client"]);
    const bool expected =
        it != first_won.end() && it->second < parse_instant(d["created_at"])->unix_seconds();
    EXPECT_EQ(d["business"] == "repeat", expected) << d["id"] << " " << d["client"];
    EXPECT_TRUE(d["business"] == "repeat" || d["business"] == "new");
    repeat += d["business"] == "repeat";
  }
  EXPECT_EQ(repeat, summary_.repeat);
  EXPECT_GT(repeat, 300u);
}

TEST_F(SampleRealism, EnterpriseIsLargerSlowerAndHarderToWin) {
  struct Acc {
    std::vector<std::int64_t> amounts, cycles;
    std::size_t won = 0, lost = 0;
  };
  std::map<std::string, Acc> by_tier;
  for (const Row& d : deals_) {
    Acc& a = by_tier[d["tier"]];
    a.amounts.push_back(Money::parse(d["amount"], Currency::of("RUB"))->minor_units());
    const auto& h = history_.at(d["id"]);
    if (h.back().stage == "WON") {
      ++a.won;
      a.cycles.push_back(h.back().at - h.front().at);
    }
    a.lost += is_lost(h.back().stage);
  }
  ASSERT_EQ(by_tier.size(), 2u);
  auto median = [](std::vector<std::int64_t> v) {
    std::sort(v.begin(), v.end());
    return v[(v.size() - 1) / 2];
  };
  const Acc& smb = by_tier.at("SMB");
  const Acc& ent = by_tier.at("Enterprise");
  EXPECT_GT(median(ent.amounts), 3 * median(smb.amounts));
  EXPECT_GT(median(ent.cycles), 2 * median(smb.cycles));
  EXPECT_LT(ent.won * (smb.won + smb.lost), smb.won * (ent.won + ent.lost));
  EXPECT_GT(smb.won, 5 * ent.won);
}

TEST_F(SampleRealism, DimensionsUseTheDocumentedVocabulary) {
  std::set<std::string> managers, regions, channels, tiers, sources, products;
  for (const Row& d : deals_) {
    managers.insert(d["manager"]);
    regions.insert(d["region"]);
    channels.insert(d["channel"]);
    tiers.insert(d["tier"]);
    products.insert(d["product"]);
    sources.insert(d["source"]);
  }
  EXPECT_EQ(managers.size(), 12u);
  EXPECT_TRUE(managers.count("Иванова Анна"));
  EXPECT_EQ(regions, (std::set<std::string>{"Москва", "Санкт-Петербург", "Новосибирск", "Томск",
                                            "Екатеринбург", "Казань"}));
  EXPECT_EQ(channels, (std::set<std::string>{"inbound", "outbound"}));
  EXPECT_EQ(tiers, (std::set<std::string>{"SMB", "Enterprise"}));
  EXPECT_EQ(products.size(), 5u);
  EXPECT_EQ(sources.size(), 7u);
}

TEST_F(SampleRealism, MonthlyVolumeIsSeasonal) {
  std::map<std::string, std::size_t> per_month;
  for (const Row& d : deals_) ++per_month[d["created_at"].substr(0, 7)];
  ASSERT_EQ(per_month.size(), 12u);
  // January (New Year holidays) is the slowest month; autumn is busier than summer.
  for (const auto& [month, n] : per_month) EXPECT_LE(per_month.at("2024-01"), n) << month;
  EXPECT_GT(per_month.at("2024-10"), per_month.at("2024-07"));
  EXPECT_GT(per_month.at("2024-11"), per_month.at("2024-01") * 3 / 2);
}

TEST_F(SampleRealism, PeriodAndMonthsFollowTheOptions) {
  SampleOptions options;
  options.deals = 200;
  options.from = *Date::parse("2023-11-15");
  options.months = 3;
  auto csv = generate_sample_csv(options);
  ASSERT_TRUE(csv);
  EXPECT_EQ(format_iso(csv->summary.period_end), "2024-02-15T00:00:00Z");
  const auto rows = parse(csv->deals, "deals.csv");
  ASSERT_EQ(rows.size(), 200u);
  EXPECT_EQ(rows.front()["id"], "1");
  EXPECT_EQ(rows.back()["id"], "200");
  for (const Row& d : rows) {
    const auto at = parse_instant(d["created_at"])->unix_seconds();
    EXPECT_GE(at, parse_instant("2023-11-15")->unix_seconds());
    EXPECT_LT(at, csv->summary.period_end.unix_seconds());
  }
}

}  // namespace
}  // namespace dealflow::analytics
