// Pipeline movement (compute_pipeline_movement), numbers computed by hand for
// the period Q2 2024 = [2024-04-01, 2024-07-01) on the fixture pipeline:
//   S1  in at start (1000.00, close 05-15); amount 1200.00 on 04-10; won 05-20
//       with the amount set to 1300.00 at the same instant
//   S2  in at start (500.00, close 06-10); close pushed to 08-01 on 05-01
//   S3  close 09-01 at start; pulled to 06-20 on 04-15 (700.00)
//   S4  created 04-05 (300.00, close 06-30); lost 06-01
//   S5  overdue at start (close 03-20); re-dated 05-05 on 04-02 (400.00)
//   S6  no close date at start; dated 06-01 on 04-20, cleared 06-15 (250.00)
//   S7  lost 03-10 (close 05-01, 900.00); reopened 04-03
//   S8  in at start (100.00 USD, close 05-10); close moved to 03-31 on 05-12
//   S9  in at start and at end, no amount
//   S10 in at start (50.00 RUB); amount 60.00 USD on 04-25
//   S11 created after the period; S12 won before it
//   S13 in at start (800.00, close 05-01); pushed to 09-01 on 04-12, pulled
//       back to 06-01 on 05-02
#include <gtest/gtest.h>

#include "dealflow/analytics/movement.h"
#include "dealflow/analytics/movement_output.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::small_pipeline;
using testing::stage;

constexpr const char* kMovementDeals =
    "id,created_at,amount,currency,close_date\n"
    "S1,2024-03-01T09:00:00Z,1300.00,RUB,2024-05-15\n"
    "S2,2024-03-02T09:00:00Z,500.00,RUB,2024-08-01\n"
    "S3,2024-03-03T09:00:00Z,700.00,RUB,2024-06-20\n"
    "S4,2024-04-05T09:00:00Z,300.00,RUB,2024-06-30\n"
    "S5,2024-03-04T09:00:00Z,400.00,RUB,2024-05-05\n"
    "S6,2024-03-05T09:00:00Z,250.00,RUB,\n"
    "S7,2024-03-01T09:00:00Z,900.00,RUB,2024-05-01\n"
    "S8,2024-03-06T09:00:00Z,100.00,USD,2024-03-31\n"
    "S9,2024-03-07T09:00:00Z,,,2024-05-10\n"
    "S10,2024-03-08T09:00:00Z,60.00,USD,2024-06-01\n"
    "S11,2024-07-05T09:00:00Z,10.00,RUB,2024-06-01\n"
    "S12,2024-02-01T09:00:00Z,20.00,RUB,2024-05-01\n"
    "S13,2024-03-09T09:00:00Z,800.00,RUB,2024-06-01\n";
constexpr const char* kMovementHistory =
    "deal_id,at,stage\n"
    "S1,2024-03-01T09:00:00Z,NEW\nS1,2024-05-20T10:00:00Z,WON\n"
    "S2,2024-03-02T09:00:00Z,NEW\nS3,2024-03-03T09:00:00Z,NEW\n"
    "S4,2024-04-05T09:00:00Z,NEW\nS4,2024-06-01T10:00:00Z,LOST\n"
    "S5,2024-03-04T09:00:00Z,NEW\nS6,2024-03-05T09:00:00Z,NEW\n"
    "S7,2024-03-01T09:00:00Z,NEW\nS7,2024-03-10T09:00:00Z,LOST\nS7,2024-04-03T10:00:00Z,NEW\n"
    "S8,2024-03-06T09:00:00Z,QUAL\nS9,2024-03-07T09:00:00Z,NEW\nS10,2024-03-08T09:00:00Z,OFFER\n"
    "S11,2024-07-05T09:00:00Z,NEW\n"
    "S12,2024-02-01T09:00:00Z,NEW\nS12,2024-03-01T09:00:00Z,WON\n"
    "S13,2024-03-09T09:00:00Z,NEW\n";
constexpr const char* kChanges =
    "deal_id,at,field,value,currency\n"
    "S1,2024-03-01T09:00:00Z,amount,1000.00,RUB\n"
    "S1,2024-04-10T10:00:00Z,amount,1200.00,RUB\n"
    "S1,2024-05-20T10:00:00Z,amount,1300.00,RUB\n"
    "S2,2024-03-02T09:00:00Z,close_date,2024-06-10,\n"
    "S2,2024-05-01T10:00:00Z,close_date,2024-08-01,\n"
    "S3,2024-03-03T09:00:00Z,close_date,2024-09-01,\n"
    "S3,2024-04-15T10:00:00Z,close_date,2024-06-20,\n"
    "S5,2024-03-04T09:00:00Z,close_date,2024-03-20,\n"
    "S5,2024-04-02T10:00:00Z,close_date,2024-05-05,\n"
    "S6,2024-04-20T10:00:00Z,close_date,2024-06-01,\n"
    "S6,2024-06-15T10:00:00Z,close_date,,\n"
    "S8,2024-03-06T09:00:00Z,close_date,2024-05-10,\n"
    "S8,2024-05-12T10:00:00Z,close_date,2024-03-31,\n"
    "S10,2024-03-08T09:00:00Z,amount,50.00,RUB\n"
    "S10,2024-04-25T10:00:00Z,amount,60.00,USD\n"
    "S13,2024-03-09T09:00:00Z,close_date,2024-05-01,\n"
    "S13,2024-04-12T10:00:00Z,close_date,2024-09-01,\n"
    "S13,2024-05-02T10:00:00Z,close_date,2024-06-01,\n";

LoadedLog load() {
  CsvLoadOptions options;
  options.default_pipeline = &fixture_pipeline();
  auto loaded = load_deals_csv(kMovementDeals, "deals.csv", {&fixture_pipeline()}, options);
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  Status st = load_history_csv(kMovementHistory, "history.csv", {&fixture_pipeline()}, options, *loaded);
  EXPECT_TRUE(st.ok()) << st.to_string();
  st = load_field_changes_csv(kChanges, "field_changes.csv", options, *loaded);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return std::move(*loaded);
}

MovementReport run(const EventLog& log, const char* from, const char* to,
                   MovementScope scope = MovementScope::close_in_period,
                   const Pipeline& p = fixture_pipeline(), int offset = 0) {
  MovementQuery q;
  q.from = at(from);
  q.to = at(to);
  q.scope = scope;
  q.utc_offset_minutes = offset;
  auto r = compute_pipeline_movement(log, p, q);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return std::move(*r);
}

using Ids = std::vector<std::string>;

void expect_bar(const MovementSection& s, MovementBar b, std::int64_t count, std::int64_t amount,
                const Ids& deals) {
  const MovementFigures& f = s.bar(b);
  EXPECT_EQ(f.bar, b);
  EXPECT_EQ(f.count, count) << movement_bar_name(b);
  EXPECT_EQ(f.amount, amount) << movement_bar_name(b);
  EXPECT_EQ(f.deals, deals) << movement_bar_name(b);
}

TEST(Movement, EveryBarOfTheQuarterByHand) {
  const LoadedLog loaded = load();
  const MovementReport r = run(loaded.log, "2024-04-01", "2024-07-01");
  EXPECT_EQ(r.start_as_of, at("2024-03-31T23:59:59Z"));
  EXPECT_EQ(r.end_as_of, at("2024-06-30T23:59:59Z"));
  ASSERT_EQ(r.sections.size(), 3u);
  const MovementSection& rub = r.sections[0];
  ASSERT_EQ(rub.currency, Currency::of("RUB"));
  using B = MovementBar;
  expect_bar(rub, B::start, 4, 235000, {"S1", "S2", "S10", "S13"});
  expect_bar(rub, B::created, 1, 30000, {"S4"});
  expect_bar(rub, B::pulled_in, 2, 150000, {"S3", "S13"});
  expect_bar(rub, B::slipped_in, 1, 40000, {"S5"});
  expect_bar(rub, B::dated, 1, 25000, {"S6"});
  expect_bar(rub, B::reopened, 1, 90000, {"S7"});
  expect_bar(rub, B::moved_in, 0, 0, {});
  expect_bar(rub, B::amount_changed, 0, 30000, {"S1"});  // +200.00 on 04-10, +100.00 when won
  expect_bar(rub, B::currency_changed, -1, -5000, {"S10"});
  expect_bar(rub, B::won, -1, -130000, {"S1"});  // at the amount it was won with
  expect_bar(rub, B::lost, -1, -30000, {"S4"});
  expect_bar(rub, B::slipped_out, -2, -130000, {"S2", "S13"});
  expect_bar(rub, B::pulled_out, 0, 0, {});
  expect_bar(rub, B::undated, -1, -25000, {"S6"});
  expect_bar(rub, B::moved_out, 0, 0, {});
  expect_bar(rub, B::end, 4, 280000, {"S3", "S5", "S7", "S13"});
  EXPECT_TRUE(rub.identity_holds());
  EXPECT_EQ(rub.computed_end_amount(), 280000);

  const MovementSection& usd = r.sections[1];
  ASSERT_EQ(usd.currency, Currency::of("USD"));
  expect_bar(usd, B::start, 1, 10000, {"S8"});
  expect_bar(usd, B::currency_changed, 1, 6000, {"S10"});
  expect_bar(usd, B::pulled_out, -1, -10000, {"S8"});
  expect_bar(usd, B::end, 1, 6000, {"S10"});
  EXPECT_TRUE(usd.identity_holds());

  const MovementSection& none = r.sections[2];
  EXPECT_FALSE(none.currency.has_value());
  expect_bar(none, B::start, 1, 0, {"S9"});
  expect_bar(none, B::end, 1, 0, {"S9"});
  EXPECT_TRUE(none.identity_holds());
}

// Quarter to date: Q2 2024 as of 2024-05-15. The pipeline is still Q2's
// (close dates in [04-01, 07-01)); changes count in [04-01, 05-15) and the end
// is as of 05-14 23:59:59. After as_of: S1 is won (05-20), S4 lost (06-01), S6
// undated (06-15): none of that counts, and all three are open at the end.
TEST(Movement, QuarterToDateByHand) {
  const LoadedLog loaded = load();
  MovementQuery q;
  q.from = at("2024-04-01");
  q.to = at("2024-07-01");
  q.as_of = at("2024-05-15");
  auto result = compute_pipeline_movement(loaded.log, fixture_pipeline(), q);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  const MovementReport& r = *result;
  EXPECT_EQ(r.as_of, at("2024-05-15"));
  EXPECT_EQ(r.to, at("2024-07-01"));
  EXPECT_EQ(r.start_as_of, at("2024-03-31T23:59:59Z"));
  EXPECT_EQ(r.end_as_of, at("2024-05-14T23:59:59Z"));
  ASSERT_EQ(r.sections.size(), 3u);
  const MovementSection& rub = r.sections[0];
  ASSERT_EQ(rub.currency, Currency::of("RUB"));
  using B = MovementBar;
  expect_bar(rub, B::start, 4, 235000, {"S1", "S2", "S10", "S13"});
  expect_bar(rub, B::created, 1, 30000, {"S4"});
  expect_bar(rub, B::pulled_in, 2, 150000, {"S3", "S13"});
  expect_bar(rub, B::slipped_in, 1, 40000, {"S5"});
  expect_bar(rub, B::dated, 1, 25000, {"S6"});
  expect_bar(rub, B::reopened, 1, 90000, {"S7"});
  expect_bar(rub, B::amount_changed, 0, 20000, {"S1"});  // +200.00 on 04-10; not the +100.00 of 05-20
  expect_bar(rub, B::currency_changed, -1, -5000, {"S10"});
  expect_bar(rub, B::won, 0, 0, {});
  expect_bar(rub, B::lost, 0, 0, {});
  expect_bar(rub, B::slipped_out, -2, -130000, {"S2", "S13"});
  expect_bar(rub, B::undated, 0, 0, {});
  // S1 1200.00 + S3 700.00 + S4 300.00 + S5 400.00 + S6 250.00 + S7 900.00 + S13 800.00
  expect_bar(rub, B::end, 7, 455000, {"S1", "S3", "S4", "S5", "S6", "S7", "S13"});
  EXPECT_TRUE(rub.identity_holds());
  const MovementSection& usd = r.sections[1];
  expect_bar(usd, B::start, 1, 10000, {"S8"});
  expect_bar(usd, B::currency_changed, 1, 6000, {"S10"});
  expect_bar(usd, B::pulled_out, -1, -10000, {"S8"});  // 05-12: before as_of
  expect_bar(usd, B::end, 1, 6000, {"S10"});
  EXPECT_TRUE(usd.identity_holds());
  expect_bar(r.sections[2], B::end, 1, 0, {"S9"});

  // The end bar's definition and the definition line say so; without as_of they do not.
  EXPECT_EQ(movement_bar_definition(B::end, MovementScope::close_in_period, true),
            "deals open with its expected close date in [from, to) as of as_of - 1 s");
  EXPECT_NE(
      r.definition_text().find("; period to date (as_of = 2024-05-15T00:00:00Z): start as of from - 1 s, "
                               "end as of as_of - 1 s; every change of a deal in [from, as_of) that"),
      std::string::npos)
      << r.definition_text();
  const Json json = movement_to_json(r);
  EXPECT_EQ(json["definition"]["as_of"], "2024-05-15T00:00:00Z");
  EXPECT_EQ(json["definition"]["end_as_of"], "2024-05-14T23:59:59Z");
  EXPECT_EQ(json["definition"]["bars"][15]["definition"],
            "deals open with its expected close date in [from, to) as of as_of - 1 s");
  EXPECT_NE(movement_to_table(r).find("; changes to as_of 2024-05-15T00:00:00Z; scope"), std::string::npos);
  const Json whole = movement_to_json(run(loaded.log, "2024-04-01", "2024-07-01"));
  EXPECT_TRUE(whole["definition"]["as_of"].is_null());
  EXPECT_EQ(whole["definition"]["bars"][15]["definition"],
            "deals open with its expected close date in [from, to) as of to - 1 s");
}

// as_of is exclusive like `to`: S1 won (and re-amounted) exactly at as_of is
// still open at the end with its old amount; one second later it is won.
TEST(Movement, AsOfIsExclusiveAndAsOfToIsTheWholePeriod) {
  const LoadedLog loaded = load();
  MovementQuery q;
  q.from = at("2024-04-01");
  q.to = at("2024-07-01");
  q.as_of = at("2024-05-20T10:00:00Z");
  auto r = compute_pipeline_movement(loaded.log, fixture_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  using B = MovementBar;
  expect_bar(r->sections[0], B::won, 0, 0, {});
  expect_bar(r->sections[0], B::amount_changed, 0, 20000, {"S1"});
  EXPECT_EQ(r->sections[0].bar(B::end).deals.front(), "S1");
  EXPECT_TRUE(r->sections[0].identity_holds());
  q.as_of = at("2024-05-20T10:00:01Z");
  r = compute_pipeline_movement(loaded.log, fixture_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  expect_bar(r->sections[0], B::won, -1, -130000, {"S1"});
  expect_bar(r->sections[0], B::amount_changed, 0, 30000, {"S1"});
  EXPECT_TRUE(r->sections[0].identity_holds());
  // as_of == to: the same bars as the whole period.
  q.as_of = q.to;
  r = compute_pipeline_movement(loaded.log, fixture_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  const MovementReport whole = run(loaded.log, "2024-04-01", "2024-07-01");
  ASSERT_EQ(r->sections.size(), whole.sections.size());
  for (std::size_t i = 0; i < whole.sections.size(); ++i) {
    for (std::size_t b = 0; b < kMovementBarCount; ++b) {
      EXPECT_EQ(r->sections[i].bars[b].count, whole.sections[i].bars[b].count);
      EXPECT_EQ(r->sections[i].bars[b].amount, whole.sections[i].bars[b].amount);
      EXPECT_EQ(r->sections[i].bars[b].deals, whole.sections[i].bars[b].deals);
    }
  }
  EXPECT_EQ(r->end_as_of, whole.end_as_of);
}

TEST(Movement, AllOpenScopeHasNoDateBars) {
  const LoadedLog loaded = load();
  const MovementReport r = run(loaded.log, "2024-04-01", "2024-07-01", MovementScope::all_open);
  ASSERT_EQ(r.sections.size(), 3u);
  const MovementSection& rub = r.sections[0];
  using B = MovementBar;
  expect_bar(rub, B::start, 7, 370000, {"S1", "S2", "S3", "S5", "S6", "S10", "S13"});
  expect_bar(rub, B::created, 1, 30000, {"S4"});
  expect_bar(rub, B::reopened, 1, 90000, {"S7"});
  expect_bar(rub, B::amount_changed, 0, 30000, {"S1"});
  expect_bar(rub, B::currency_changed, -1, -5000, {"S10"});
  expect_bar(rub, B::won, -1, -130000, {"S1"});
  expect_bar(rub, B::lost, -1, -30000, {"S4"});
  for (B b : {B::pulled_in, B::slipped_in, B::dated, B::slipped_out, B::pulled_out, B::undated})
    expect_bar(rub, b, 0, 0, {});
  expect_bar(rub, B::end, 6, 355000, {"S2", "S3", "S5", "S6", "S7", "S13"});
  EXPECT_TRUE(rub.identity_holds());
  expect_bar(r.sections[1], B::end, 2, 16000, {"S8", "S10"});
}

TEST(Movement, PeriodBoundsAreFromInclusiveToExclusive) {
  const LoadedLog loaded = load();
  // S1 is won at exactly `from` (counted, with its amount change at that
  // instant); S4 is lost at exactly `to` (not counted: still open at the end).
  const MovementReport r =
      run(loaded.log, "2024-05-20T10:00:00Z", "2024-06-01T10:00:00Z", MovementScope::all_open);
  const MovementSection& rub = r.sections[0];
  using B = MovementBar;
  expect_bar(rub, B::start, 8, 505000, {"S1", "S2", "S3", "S4", "S5", "S6", "S7", "S13"});
  expect_bar(rub, B::amount_changed, 0, 10000, {"S1"});
  expect_bar(rub, B::won, -1, -130000, {"S1"});
  expect_bar(rub, B::lost, 0, 0, {});
  expect_bar(rub, B::end, 7, 385000, {"S2", "S3", "S4", "S5", "S6", "S7", "S13"});
  EXPECT_TRUE(rub.identity_holds());
}

TEST(Movement, CloseDateMidnightAtTheUtcOffset) {
  const LoadedLog loaded = load();
  // At -05:00 the period [2024-04-01, 2024-07-01) local is [04-01 05:00Z, 07-01 05:00Z);
  // close date 2024-06-30 (S4) is in it and the start is the same as in UTC.
  const MovementReport r = run(loaded.log, "2024-04-01T05:00:00Z", "2024-07-01T05:00:00Z",
                               MovementScope::close_in_period, fixture_pipeline(), -300);
  EXPECT_EQ(r.sections[0].bar(MovementBar::created).deals, Ids{"S4"});
  EXPECT_EQ(r.sections[0].bar(MovementBar::start).deals, (Ids{"S1", "S2", "S10", "S13"}));
  // A close date of 2024-04-01 is in the local period at -05:00 (its
  // midnight is 04-01 05:00Z), not at UTC with the same instants.
  EventLog log;
  auto e =
      *log.add_deal("E1", log.intern_pipeline("sales"), at("2024-03-01"), Money(100, Currency::of("RUB")));
  log.set_close_date(e, Date::parse("2024-04-01").value());
  ASSERT_TRUE(log.append_event(e, at("2024-03-01"), stage("NEW")).ok());
  log.seal();
  const MovementReport west = run(log, "2024-04-01T05:00:00Z", "2024-07-01T05:00:00Z",
                                  MovementScope::close_in_period, fixture_pipeline(), -300);
  ASSERT_EQ(west.sections.size(), 1u);
  EXPECT_EQ(west.sections[0].bar(MovementBar::start).deals, Ids{"E1"});
  EXPECT_TRUE(run(log, "2024-04-01T05:00:00Z", "2024-07-01T05:00:00Z").sections.empty());
}

// Moves between pipelines: M1 leaves "sales" for "service" on 04-10, M2
// comes the other way on 04-20; M3 is created, won and gone inside the period.
TEST(Movement, MovesBetweenPipelinesAndCreatedAndWonInside) {
  const LoadedPipeline service = small_pipeline("service");
  EventLog log;
  const PipelineId sales = log.intern_pipeline("sales"), svc = log.intern_pipeline("service");
  const Currency rub = Currency::of("RUB");
  auto m1 = *log.add_deal("M1", sales, at("2024-03-01T00:00:00Z"), Money(10000, rub));
  auto m2 = *log.add_deal("M2", svc, at("2024-03-01T00:00:00Z"), Money(20000, rub));
  auto m3 = *log.add_deal("M3", sales, at("2024-04-05T00:00:00Z"), Money(40000, rub));
  for (DealId d : {m1, m2, m3}) log.set_close_date(d, Date::parse("2024-05-01").value());
  ASSERT_TRUE(log.append_event(m1, at("2024-03-01T00:00:00Z"), stage("NEW")).ok());
  ASSERT_TRUE(log.add_pipeline_move(m1, at("2024-04-10T00:00:00Z"), svc).ok());
  ASSERT_TRUE(log.append_event(m1, at("2024-04-10T00:00:00Z"), StageId{0}).ok());  // OPEN
  ASSERT_TRUE(log.append_event(m2, at("2024-03-01T00:00:00Z"), StageId{0}).ok());
  ASSERT_TRUE(log.add_pipeline_move(m2, at("2024-04-20T00:00:00Z"), sales).ok());
  ASSERT_TRUE(log.append_event(m2, at("2024-04-20T00:00:00Z"), stage("QUAL")).ok());
  ASSERT_TRUE(log.append_event(m3, at("2024-04-05T00:00:00Z"), stage("NEW")).ok());
  ASSERT_TRUE(log.append_event(m3, at("2024-04-25T00:00:00Z"), stage("WON")).ok());
  log.seal();
  const MovementReport r = run(log, "2024-04-01", "2024-07-01");
  ASSERT_EQ(r.sections.size(), 1u) << movement_to_table(r);
  const MovementSection& s = r.sections[0];
  using B = MovementBar;
  expect_bar(s, B::start, 1, 10000, {"M1"});
  expect_bar(s, B::created, 1, 40000, {"M3"});
  expect_bar(s, B::moved_in, 1, 20000, {"M2"});
  expect_bar(s, B::won, -1, -40000, {"M3"});
  expect_bar(s, B::moved_out, -1, -10000, {"M1"});
  expect_bar(s, B::end, 1, 20000, {"M2"});
  // The service pipeline sees the mirror image.
  const MovementReport other =
      run(log, "2024-04-01", "2024-07-01", MovementScope::close_in_period, service.pipeline);
  expect_bar(other.sections[0], B::start, 1, 20000, {"M2"});
  expect_bar(other.sections[0], B::moved_in, 1, 10000, {"M1"});
  expect_bar(other.sections[0], B::moved_out, -1, -20000, {"M2"});
  expect_bar(other.sections[0], B::end, 1, 10000, {"M1"});
}

TEST(Movement, Errors) {
  const LoadedLog loaded = load();
  MovementQuery q;
  q.from = at("2024-07-01");
  q.to = at("2024-07-01");
  auto r = compute_pipeline_movement(loaded.log, fixture_pipeline(), q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(r.status().message().find("from 2024-07-01T00:00:00Z is not before to"), std::string::npos);
  q.from = at("2024-04-01");
  for (const char* as_of : {"2024-04-01", "2024-03-01", "2024-07-01T00:00:01Z"}) {
    q.as_of = at(as_of);
    r = compute_pipeline_movement(loaded.log, fixture_pipeline(), q);
    ASSERT_FALSE(r.ok()) << as_of;
    EXPECT_EQ(r.status().code(), ErrorCode::invalid_argument);
    EXPECT_NE(r.status().message().find("is not in (from 2024-04-01T00:00:00Z, to 2024-07-01T00:00:00Z]"),
              std::string::npos)
        << r.status().to_string();
  }
  q.as_of.reset();
  r = compute_pipeline_movement(loaded.log, small_pipeline("elsewhere").pipeline, q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::not_found);
  EventLog unsealed;
  auto d = unsealed.add_deal("U", unsealed.intern_pipeline("sales"), at("2024-01-01"));
  ASSERT_TRUE(unsealed.append_event(*d, at("2024-01-01"), stage("NEW")).ok());
  r = compute_pipeline_movement(unsealed, fixture_pipeline(), q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::invalid_argument);
}

TEST(Movement, AmountSumsThatOverflowAreErrors) {
  EventLog log;
  const PipelineId sales = log.intern_pipeline("sales");
  const Currency rub = Currency::of("RUB");
  for (const char* id : {"O1", "O2"}) {
    auto d =
        *log.add_deal(id, sales, at("2024-03-01"), Money(std::numeric_limits<std::int64_t>::max() - 1, rub));
    ASSERT_TRUE(log.append_event(d, at("2024-03-01"), stage("NEW")).ok());
  }
  log.seal();
  MovementQuery q;
  q.from = at("2024-04-01");
  q.to = at("2024-07-01");
  q.scope = MovementScope::all_open;
  auto r = compute_pipeline_movement(log, fixture_pipeline(), q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::overflow);
  EXPECT_NE(r.status().message().find("'O2'"), std::string::npos) << r.status().to_string();
}

}  // namespace
}  // namespace dealflow::analytics
