// EventLog: the deals table, dimensions, sealing (grouping by deal, time order,
// stable ties), appending after a seal, range checks and memory per event.
#include <gtest/gtest.h>

#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;

TEST(EventLog, DealsTableAndDimensions) {
  EventLog log;
  const PipelineId sales = log.intern_pipeline("sales");
  EXPECT_EQ(log.intern_pipeline("sales"), sales);
  auto a = log.add_deal("A-1", sales, at("2024-01-01T10:00:00Z"), Money(12345, Currency::of("RUB")));
  auto b = log.add_deal("B-2", sales, at("2024-01-02"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->value(), 0u);
  EXPECT_EQ(b->value(), 1u);
  EXPECT_EQ(log.add_deal("A-1", sales, at("2024-01-03")).status().code(), ErrorCode::duplicate);
  EXPECT_EQ(log.deal_count(), 2u);
  EXPECT_EQ(log.deal_key(*b), "B-2");
  EXPECT_EQ(log.find_deal("A-1"), a.value());
  EXPECT_FALSE(log.find_deal("C").has_value());
  EXPECT_EQ(log.created_at(*a), at("2024-01-01T10:00:00Z"));
  EXPECT_EQ(log.amount(*a), Money(12345, Currency::of("RUB")));
  EXPECT_FALSE(log.amount(*b).has_value());

  // Standard dimensions exist with fixed ids; custom ones are appended.
  EXPECT_EQ(log.dimension_count(), kStandardDimensionCount);
  EXPECT_EQ(log.find_dimension("manager"), to_dimension_id(StandardDimension::manager));
  EXPECT_EQ(log.find_dimension("lost_reason"), to_dimension_id(StandardDimension::lost_reason));
  log.set_dimension(*a, StandardDimension::manager, "Иванов");
  log.set_dimension(*b, StandardDimension::manager, "Иванов");
  const DimensionId segment = log.add_dimension("segment");
  EXPECT_EQ(segment.value(), kStandardDimensionCount);
  EXPECT_EQ(log.add_dimension("segment"), segment);
  log.set_dimension(*b, segment, "VIP");
  EXPECT_EQ(log.dimension(StandardDimension::manager).values.size(), 1u);
  EXPECT_EQ(log.dimension(StandardDimension::manager).codes[1], 0u);
  EXPECT_EQ(log.dimension_value(*b, segment), "VIP");
  EXPECT_EQ(log.dimension_value(*a, segment), "");
  EXPECT_EQ(log.dimension(segment).codes[0], kNoValue);
  // A deal added after a dimension column exists gets an empty cell in it.
  auto c = log.add_deal("C-3", sales, at("2024-01-03"));
  EXPECT_EQ(log.dimension(segment).codes[c->value()], kNoValue);
}

TEST(EventLog, SealGroupsByDealInTimeOrderKeepingTies) {
  EventLog log;
  const PipelineId p = log.intern_pipeline("sales");
  auto d0 = *log.add_deal("0", p, at("2024-01-01"));
  auto d1 = *log.add_deal("1", p, at("2024-01-01"));
  ASSERT_TRUE(log.append_event(d1, at("2024-01-05"), StageId{2}, "x").ok());
  ASSERT_TRUE(log.append_event(d0, at("2024-01-03"), StageId{1}, "y").ok());
  ASSERT_TRUE(log.append_event(d1, at("2024-01-02"), StageId{0}, "").ok());
  ASSERT_TRUE(log.append_event(d0, at("2024-01-03"), StageId{4}).ok());  // tie: stays after StageId 1
  ASSERT_TRUE(log.append_event(d0, at("2024-01-02"), StageId{0}).ok());
  EXPECT_FALSE(log.sealed());
  log.seal();
  EXPECT_TRUE(log.sealed());
  ASSERT_EQ(log.event_count(), 5u);
  EXPECT_EQ(log.event_begin(d0), 0u);
  EXPECT_EQ(log.event_end(d0), 3u);
  EXPECT_EQ(log.event_stage(0), StageId{0});
  EXPECT_EQ(log.event_stage(1), StageId{1});
  EXPECT_EQ(log.event_stage(2), StageId{4});
  EXPECT_EQ(log.actor_name(log.event_actor(1)), "y");
  EXPECT_EQ(log.event_actor(2), kNoActor);
  EXPECT_EQ(log.event_begin(d1), 3u);
  EXPECT_EQ(log.event_at(3), at("2024-01-02"));
  EXPECT_EQ(log.event_stage(4), StageId{2});
  EXPECT_EQ(log.actor_name(log.event_actor(4)), "x");
  EXPECT_EQ(log.last_event_at(), at("2024-01-05"));

  // Appending after a seal merges at the next seal; earlier events keep their place on ties.
  ASSERT_TRUE(log.append_event(d0, at("2024-01-03"), StageId{6}).ok());
  ASSERT_TRUE(log.append_event(d0, at("2024-01-01"), StageId{5}).ok());
  auto d2 = *log.add_deal("2", p, at("2024-01-01"));
  ASSERT_TRUE(log.append_event(d2, at("2024-01-09"), StageId{3}).ok());
  log.seal();
  ASSERT_EQ(log.event_count(), 8u);
  std::vector<std::uint16_t> stages;
  for (std::size_t i = log.event_begin(d0); i < log.event_end(d0); ++i) stages.push_back(log.event_stage(i).value());
  EXPECT_EQ(stages, (std::vector<std::uint16_t>{5, 0, 1, 4, 6}));
  EXPECT_EQ(log.event_end(d2) - log.event_begin(d2), 1u);
  EXPECT_EQ(log.offset_column().size(), log.deal_count() + 1);
  log.seal();  // idempotent
  EXPECT_EQ(log.event_count(), 8u);
}

TEST(EventLog, RefusesUnknownDealsAndInstantsOutOfRange) {
  EventLog log;
  auto d = *log.add_deal("x", log.intern_pipeline("p"), at("2024-01-01"));
  EXPECT_EQ(log.append_event(DealId{7}, at("2024-01-01"), StageId{0}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(log.append_event(d, at("1969-12-31T23:59:59Z"), StageId{0}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(log.append_event(d, at("2106-02-07T06:28:16Z"), StageId{0}).code(), ErrorCode::invalid_argument);
  EXPECT_TRUE(log.append_event(d, at("2106-02-07T06:28:15Z"), StageId{0}).ok());
  log.seal();
  EXPECT_EQ(log.event_count(), 1u);
  // Another base moves the window.
  EventLog old(at("1900-01-01"));
  auto o = *old.add_deal("o", old.intern_pipeline("p"), at("1950-01-01"));
  EXPECT_TRUE(old.append_event(o, at("1950-06-01"), StageId{1}).ok());
  old.seal();
  EXPECT_EQ(old.event_at(0), at("1950-06-01"));
  EXPECT_EQ(old.to_log_seconds(at("1800-01-01")), 0u);
}

TEST(EventLog, ActorDictionaryIsBounded) {
  EventLog log;
  for (int i = 0; i < 65535; ++i) ASSERT_TRUE(log.intern_actor("a" + std::to_string(i)).ok());
  EXPECT_EQ(log.intern_actor("a0").value(), 0u);  // known names still resolve
  EXPECT_EQ(log.intern_actor("one too many").status().code(), ErrorCode::overflow);
  EXPECT_EQ(log.intern_actor("").value(), kNoActor);
}

// Dimension codes take the narrowest width that holds them: nothing while a
// column is empty, then 1, 2, 4 bytes per deal; widening keeps every code and
// every empty cell.
TEST(EventLog, DimensionCodesWidenAsTheDictionaryGrows) {
  EventLog log;
  const PipelineId p = log.intern_pipeline("sales");
  log.reserve(70000, 0);
  for (int i = 0; i < 70000; ++i) (void)log.add_deal("D" + std::to_string(i), p, at("2024-01-01"));
  const DimensionId client = to_dimension_id(StandardDimension::client);
  const DimensionCodes& codes = log.dimension(client).codes;
  EXPECT_EQ(codes.width(), 0u);
  EXPECT_EQ(codes.memory_bytes(), 0u);
  EXPECT_EQ(codes[5], kNoValue);
  auto set = [&](std::uint32_t deal) { log.set_dimension(DealId{deal}, client, "C" + std::to_string(deal)); };
  set(0);  // code 0
  EXPECT_EQ(codes.width(), 1u);
  for (std::uint32_t d = 1; d < 255; ++d) set(d);  // codes up to 254 (255 marks an empty cell)
  EXPECT_EQ(codes.width(), 1u);
  EXPECT_EQ(codes.raw<std::uint8_t>()[254], 254u);
  EXPECT_EQ(codes.raw<std::uint8_t>()[255], 0xFFu);
  EXPECT_TRUE(codes.raw<std::uint16_t>().empty());
  set(255);
  EXPECT_EQ(codes.width(), 2u);
  for (std::uint32_t d = 256; d < 65535; ++d) set(d);
  EXPECT_EQ(codes.width(), 2u);
  set(69999);  // code 65535
  EXPECT_EQ(codes.width(), 4u);
  EXPECT_EQ(codes[0], 0u);
  EXPECT_EQ(codes[254], 254u);
  EXPECT_EQ(codes[65534], 65534u);
  EXPECT_EQ(codes[65535], kNoValue);  // never set: still empty after two widenings
  EXPECT_EQ(codes[69999], 65535u);
  EXPECT_EQ(log.dimension_value(DealId{69999}, client), "C69999");
  log.set_dimension(DealId{0}, client, "");
  EXPECT_EQ(codes[0], kNoValue);
  EXPECT_EQ(codes.raw<std::uint32_t>().size(), 70000u);
  // The other columns have no values: no bytes. Per deal: pipeline 2, created
  // 8, amount 8, currency 2, client 4.
  EXPECT_EQ(log.dimension(StandardDimension::manager).codes.width(), 0u);
  EXPECT_EQ(log.memory_usage().deal_bytes, log.deal_count() * (2 + 8 + 8 + 2 + 4));
}

TEST(EventLog, AtMostSixteenBytesPerEvent) {
  const EventLog log = testing::random_log(11, 20000, 8);
  ASSERT_GT(log.event_count(), 30000u);
  const EventLogMemory m = log.memory_usage();
  const double per_event = static_cast<double>(m.event_bytes) / static_cast<double>(log.event_count());
  EXPECT_LE(per_event, 16.0) << m.event_bytes << " bytes for " << log.event_count() << " events";
  EXPECT_GT(m.deal_bytes, 0u);
  EXPECT_GT(m.dictionary_bytes, 0u);
  EXPECT_EQ(m.total(), m.event_bytes + m.deal_bytes + m.dictionary_bytes);
}

}  // namespace
}  // namespace dealflow::analytics
