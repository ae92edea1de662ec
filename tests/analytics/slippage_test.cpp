// Close-date slippage, amount and owner changes (compute_slippage), numbers
// computed by hand: D1 created 2024-01-05 expecting 2024-03-31, pushed to
// 2024-04-30 (02-20, +30 days) and 2024-05-15 (03-10, +15), pulled to
// 2024-05-10 (03-20, -5), reassigned 03-12; D2's amount 1000.00 -> 1500.00
// (02-10) -> 1200.00 (03-05); D3 has only its initial values.
#include <gtest/gtest.h>

#include "dealflow/analytics/slippage.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;

constexpr const char* kSlippageDeals =
    "id,created_at,amount,currency,manager,region,close_date\n"
    "D1,2024-01-05T09:00:00Z,100.00,RUB,Козлов,Москва,2024-05-10\n"
    "D2,2024-01-06T09:00:00Z,1200.00,RUB,Петрова,Сибирь,\n"
    "D3,2024-01-07T09:00:00Z,5.00,RUB,Петрова,Сибирь,2024-06-01\n";
constexpr const char* kSlippageChanges =
    "deal_id,at,field,value\n"
    "D1,2024-01-05T09:00:00Z,manager,Иванова\n"
    "D1,2024-01-05T09:00:00Z,close_date,2024-03-31\n"
    "D1,2024-02-20T10:00:00Z,close_date,2024-04-30\n"
    "D1,2024-03-10T10:00:00Z,close_date,2024-05-15\n"
    "D1,2024-03-12T10:00:00Z,manager,Козлов\n"
    "D1,2024-03-20T10:00:00Z,close_date,2024-05-10\n"
    "D2,2024-01-06T09:00:00Z,amount,1000.00\n"
    "D2,2024-02-10T10:00:00Z,amount,1500.00\n"
    "D2,2024-03-05T10:00:00Z,amount,1200.00\n"
    "D3,2024-01-07T09:00:00Z,close_date,2024-06-01\n"
    "D3,2024-01-07T09:00:00Z,manager,Петрова\n";

LoadedLog slippage_load() {
  CsvLoadOptions options;
  options.default_pipeline = &fixture_pipeline();
  auto loaded = load_deals_csv(kSlippageDeals, "deals.csv", {&fixture_pipeline()}, options);
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  const Status st = load_field_changes_csv(kSlippageChanges, "field_changes.csv", options, *loaded);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return std::move(*loaded);
}

SlippageReport run(const EventLog& log, std::optional<Instant> from, std::optional<Instant> to,
                   const char* by = "") {
  SlippageQuery q;
  q.from = from;
  q.to = to;
  if (*by) q.group = *resolve_grouping(log, by);
  auto r = compute_slippage(log, fixture_pipeline(), q);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return std::move(*r);
}

TEST(Slippage, WholeHistory) {
  const LoadedLog loaded = slippage_load();
  const SlippageReport r = run(loaded.log, std::nullopt, std::nullopt);
  ASSERT_EQ(r.deals.size(), 2u);  // D3 never changed after its initial values
  const SlippageDeal& d1 = r.deals[0];
  EXPECT_EQ(d1.deal, "D1");
  EXPECT_EQ(d1.figures.close_date_pushes, 2u);
  EXPECT_EQ(d1.figures.days_pushed, 45);
  EXPECT_EQ(d1.figures.close_date_pulls, 1u);
  EXPECT_EQ(d1.figures.days_pulled, 5);
  EXPECT_EQ(d1.figures.owner_changes, 1u);
  EXPECT_EQ(d1.figures.amount_changes, 0u);
  EXPECT_EQ(d1.owner, "Козлов");
  EXPECT_EQ(d1.close_date, Date::parse("2024-05-10").value());
  const SlippageDeal& d2 = r.deals[1];
  EXPECT_EQ(d2.figures.amount_changes, 2u);
  ASSERT_EQ(d2.figures.amount_delta.size(), 1u);
  EXPECT_EQ(d2.figures.amount_delta[0], Money(20000, Currency::of("RUB")));  // +500.00 - 300.00
  EXPECT_EQ(d2.figures.close_date_pushes, 0u);
  EXPECT_EQ(r.total.deals, 2u);
  EXPECT_EQ(r.total.deals_pushed, 1u);
  EXPECT_EQ(r.total.close_date_pushes, 2u);
  EXPECT_EQ(r.total.days_pushed, 45);
  EXPECT_EQ(r.total.amount_changes, 2u);
  EXPECT_EQ(r.as_of, at("2024-03-20T10:00:00Z"));
}

TEST(Slippage, PeriodUsesEarlierChangesAsPreviousValues) {
  const LoadedLog loaded = slippage_load();
  // [03-01, 03-15): D1's push of 03-10 (+15 days, against the 02-20 value) and
  // its reassignment; D2's change of 03-05 (-300.00).
  SlippageReport r = run(loaded.log, at("2024-03-01"), at("2024-03-15"));
  ASSERT_EQ(r.deals.size(), 2u);
  EXPECT_EQ(r.deals[0].figures.close_date_pushes, 1u);
  EXPECT_EQ(r.deals[0].figures.days_pushed, 15);
  EXPECT_EQ(r.deals[0].figures.close_date_pulls, 0u);
  EXPECT_EQ(r.deals[0].figures.owner_changes, 1u);
  EXPECT_EQ(r.deals[0].close_date, Date::parse("2024-05-15").value());  // as of 03-14T23:59:59
  EXPECT_EQ(r.deals[1].figures.amount_delta[0], Money(-30000, Currency::of("RUB")));
  // [02-01, 03-01): one push of 30 days; the owner then was Иванова.
  r = run(loaded.log, at("2024-02-01"), at("2024-03-01"), "manager");
  ASSERT_EQ(r.deals.size(), 2u);
  EXPECT_EQ(r.deals[0].figures.days_pushed, 30);
  EXPECT_EQ(r.deals[0].owner, "Иванова");
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(*r.groups[0].key, "Иванова");
  EXPECT_EQ(r.groups[0].figures.close_date_pushes, 1u);
  EXPECT_EQ(*r.groups[1].key, "Петрова");
  EXPECT_EQ(r.groups[1].figures.amount_changes, 1u);
  // Nothing before the first changes.
  r = run(loaded.log, std::nullopt, at("2024-02-01"));
  EXPECT_TRUE(r.deals.empty());
  EXPECT_EQ(r.total.deals, 0u);
}

TEST(Slippage, OutputsCarryTheDefinition) {
  const LoadedLog loaded = slippage_load();
  const SlippageReport r = run(loaded.log, std::nullopt, std::nullopt, "region");
  const std::string table = slippage_to_table(r);
  EXPECT_NE(table.find("definition: push = a change of the expected close date to a later date"),
            std::string::npos);
  const std::string csv = slippage_to_csv(r);
  EXPECT_NE(csv.find("deal,D1,Москва,Козлов,2024-05-10,1,1,2,45,1,5,0,,1\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("deal,D2,Сибирь,Петрова,,1,0,0,0,0,0,2,+200.00 RUB,0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("group,,Москва,,,1,1,2,45,1,5,0,,1\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("total,,,,,2,1,2,45,1,5,2,+200.00 RUB,1\n"), std::string::npos) << csv;
  const Json j = slippage_to_json(r);
  EXPECT_EQ(j["total"]["days_pushed"], 45);
  EXPECT_EQ(j["groups"][0]["key"], "Москва");
  EXPECT_EQ(j["deals"][0]["changes"]["close_date_pushes"], 2);
}

TEST(Slippage, Errors) {
  const LoadedLog loaded = slippage_load();
  SlippageQuery q;
  q.from = at("2024-03-01");
  q.to = at("2024-03-01");
  EXPECT_EQ(compute_slippage(loaded.log, fixture_pipeline(), q).status().code(), ErrorCode::invalid_argument);
  q = {};
  q.group = *resolve_grouping(loaded.log, "created_month");
  EXPECT_EQ(compute_slippage(loaded.log, fixture_pipeline(), q).status().code(), ErrorCode::invalid_argument);
  const auto other = testing::small_pipeline("other");
  EXPECT_EQ(compute_slippage(loaded.log, other.pipeline, {}).status().code(), ErrorCode::not_found);
}

}  // namespace
}  // namespace dealflow::analytics
