// As of T: funnel, durations and scorecard group deals by their owner (and
// other dimensions) at the report instant and sum their amount then. Deal A was
// Петрова's from its creation and is reassigned to Иванов (today's owner in
// deals.csv) on 2024-03-01, after it was won on 2024-02-01.
#include <gtest/gtest.h>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/scorecard.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;

constexpr const char* kFcReportsDeals =
    "id,created_at,amount,currency,manager,region\n"
    "A,2024-01-01T00:00:00Z,1000.00,RUB,Иванов,Москва\n"
    "B,2024-01-02T00:00:00Z,2000.00,RUB,Петрова,Москва\n"
    "C,2024-01-03T00:00:00Z,3000.00,RUB,Петрова,Сибирь\n";
constexpr const char* kFcReportsHistory =
    "deal_id,at,stage\n"
    "A,2024-01-01T00:00:00Z,NEW\n"
    "A,2024-02-01T00:00:00Z,WON\n"
    "B,2024-01-02T00:00:00Z,NEW\n"
    "B,2024-02-02T00:00:00Z,LOST\n"
    "C,2024-01-03T00:00:00Z,NEW\n"
    "C,2024-01-10T00:00:00Z,QUAL\n";
// A: Петрова until 2024-03-01, then Иванов; its amount was 500.00 until 2024-01-15.
constexpr const char* kFcReportsChanges =
    "deal_id,at,field,value\n"
    "A,2024-01-01T00:00:00Z,manager,Петрова\n"
    "A,2024-01-01T00:00:00Z,amount,500.00\n"
    "A,2024-01-15T00:00:00Z,amount,1000.00\n"
    "A,2024-03-01T00:00:00Z,manager,Иванов\n";

LoadedLog fc_reports_load(bool with_changes) {
  CsvLoadOptions options;
  options.default_pipeline = &fixture_pipeline();
  auto loaded = load_deals_csv(kFcReportsDeals, "deals.csv", {&fixture_pipeline()}, options);
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  Status st = load_history_csv(kFcReportsHistory, "history.csv", {&fixture_pipeline()}, options, *loaded);
  EXPECT_TRUE(st.ok()) << st.to_string();
  if (with_changes) {
    st = load_field_changes_csv(kFcReportsChanges, "field_changes.csv", options, *loaded);
    EXPECT_TRUE(st.ok()) << st.to_string();
  }
  return std::move(*loaded);
}

FunnelReport funnel(const EventLog& log, std::optional<Instant> as_of, const char* by = "manager") {
  FunnelQuery q;
  q.as_of = as_of;
  q.group = *resolve_grouping(log, by);
  auto r = compute_funnel(log, fixture_pipeline(), q);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return std::move(*r);
}

const FunnelGroup* group(const FunnelReport& r, const char* key) {
  for (const auto& g : r.groups) {
    if (g.key && *g.key == key) return &g;
  }
  return nullptr;
}

TEST(FieldChangesReports, FunnelKeepsTheOwnerAtTheReportInstant) {
  const LoadedLog loaded = fc_reports_load(true);
  const FunnelReport feb = funnel(loaded.log, at("2024-02-15T00:00:00Z"));
  ASSERT_EQ(feb.groups.size(), 1u);  // A, B and C are all Петрова's on 2024-02-15
  const FunnelGroup* p = group(feb, "Петрова");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->figures.deals, 3u);
  EXPECT_EQ(p->figures.won, 1u);
  EXPECT_EQ(p->figures.lost, 1u);
  ASSERT_EQ(p->figures.won_amount.size(), 1u);
  EXPECT_EQ(p->figures.won_amount[0], Money(100000, Currency::of("RUB")));

  const FunnelReport mar =
      funnel(loaded.log, at("2024-03-01T00:00:00Z"));  // the change at the instant counts
  ASSERT_EQ(mar.groups.size(), 2u);
  EXPECT_EQ(group(mar, "Иванов")->figures.won, 1u);
  EXPECT_EQ(group(mar, "Иванов")->figures.deals, 1u);
  EXPECT_EQ(group(mar, "Петрова")->figures.deals, 2u);

  // Default instant: the latest event, creation or field change (2024-03-01).
  EXPECT_EQ(funnel(loaded.log, std::nullopt).definition.as_of, at("2024-03-01T00:00:00Z"));
  // Without field changes every deal is with today's owner.
  const LoadedLog today = fc_reports_load(false);
  EXPECT_EQ(group(funnel(today.log, at("2024-02-15T00:00:00Z")), "Иванов")->figures.deals, 1u);
}

TEST(FieldChangesReports, FunnelAmountAsOf) {
  const LoadedLog loaded = fc_reports_load(true);
  FunnelQuery q;
  q.as_of = at("2024-01-10T00:00:00Z");  // A open with 500.00
  auto r = compute_funnel(loaded.log, fixture_pipeline(), q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->total.open_amount.size(), 1u);
  EXPECT_EQ(r->total.open_amount[0], Money(500'00 + 2000'00 + 3000'00, Currency::of("RUB")));
  q.as_of = at("2024-01-20T00:00:00Z");  // A open with 1000.00
  r = compute_funnel(loaded.log, fixture_pipeline(), q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total.open_amount[0], Money(1000'00 + 2000'00 + 3000'00, Currency::of("RUB")));
}

TEST(FieldChangesReports, DurationsKeepTheOwnerAtTheReportInstant) {
  const LoadedLog loaded = fc_reports_load(true);
  DurationQuery q;
  q.as_of = at("2024-02-15T00:00:00Z");
  q.group = *resolve_grouping(loaded.log, "manager");
  auto r = compute_durations(loaded.log, fixture_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(*r->groups[0].key, "Петрова");
  EXPECT_EQ(r->groups[0].figures.deals, 3u);
  EXPECT_EQ(r->groups[0].figures.won, 1u);

  q.as_of = at("2024-03-02T00:00:00Z");
  r = compute_durations(loaded.log, fixture_pipeline(), q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->groups.size(), 2u);
  EXPECT_EQ(*r->groups[0].key, "Иванов");  // bytes order: И (D0 98) before П (D0 9F)
  EXPECT_EQ(r->groups[0].figures.won, 1u);
  EXPECT_EQ(r->groups[1].figures.deals, 2u);
}

const ScorecardRow* row(const ScorecardReport& r, const char* manager) {
  for (const auto& m : r.managers) {
    if (m.manager && *m.manager == manager) return &m;
  }
  return nullptr;
}

TEST(FieldChangesReports, ScorecardCreditsTheOwnerAtThePeriodEnd) {
  const LoadedLog loaded = fc_reports_load(true);
  // February: A won on 02-01, still Петрова's on 02-29.
  auto feb = compute_scorecard(loaded.log, fixture_pipeline(), {at("2024-02-01"), at("2024-03-01")});
  ASSERT_TRUE(feb.ok()) << feb.status().to_string();
  ASSERT_NE(row(*feb, "Петрова"), nullptr);
  EXPECT_EQ(row(*feb, "Петрова")->current.won, 1u);
  EXPECT_EQ(row(*feb, "Петрова")->current.lost, 1u);
  EXPECT_EQ(*row(*feb, "Петрова")->current.won_amount, Money(100000, Currency::of("RUB")));
  EXPECT_EQ(row(*feb, "Иванов"), nullptr);
  // A period ending after the reassignment credits Иванов.
  auto later = compute_scorecard(loaded.log, fixture_pipeline(), {at("2024-02-01"), at("2024-03-02")});
  ASSERT_TRUE(later.ok());
  ASSERT_NE(row(*later, "Иванов"), nullptr);
  EXPECT_EQ(row(*later, "Иванов")->current.won, 1u);
  EXPECT_EQ(row(*later, "Петрова")->current.won, 0u);
}

}  // namespace
}  // namespace dealflow::analytics
