// EventLog field changes: storage (sealed by deal then time, stable), values
// as of an instant (hand-computed), the optional deals columns, memory per
// change, and a property test against a brute-force scan of the appended
// changes.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "dealflow/analytics/event_log.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;

const Currency kFieldRub = Currency::of("RUB");
const Currency kFieldUsd = Currency::of("USD");
constexpr DimensionId kManager = to_dimension_id(StandardDimension::manager);

TEST(FieldChanges, ValuesAsOfHandComputed) {
  EventLog log;
  const auto p = log.intern_pipeline("sales");
  const DealId a = *log.add_deal("A", p, at("2024-01-01"), Money(100000, kFieldRub));
  const DealId b = *log.add_deal("B", p, at("2024-01-02"));
  log.set_dimension(a, StandardDimension::manager, "Иванов");  // today's owner
  log.set_close_date(a, *Date::parse("2024-06-30"));
  ASSERT_TRUE(log.set_probability(a, 9000).ok());
  // Appended out of time order: seal() sorts them.
  ASSERT_TRUE(log.add_dimension_change(a, at("2024-03-01"), kManager, "Иванов").ok());
  ASSERT_TRUE(log.add_dimension_change(a, at("2024-01-01"), kManager, "Петрова").ok());
  ASSERT_TRUE(log.add_amount_change(a, at("2024-02-01"), Money(150000, kFieldUsd)).ok());
  ASSERT_TRUE(log.add_close_date_change(a, at("2024-01-01"), *Date::parse("2024-03-31")).ok());
  ASSERT_TRUE(log.add_close_date_change(a, at("2024-02-10"), *Date::parse("2024-04-30")).ok());
  ASSERT_TRUE(log.add_close_date_change(a, at("2024-02-20"), std::nullopt).ok());
  ASSERT_TRUE(log.add_probability_change(a, at("2024-01-05"), 1250).ok());
  ASSERT_TRUE(log.add_dimension_change(b, at("2024-01-03"), kManager, "Сидоров").ok());
  EXPECT_FALSE(log.sealed());
  log.seal();
  ASSERT_TRUE(log.sealed());
  EXPECT_EQ(log.field_change_count(), 8u);
  EXPECT_EQ(log.field_change_count(DealField::dimension(kManager)), 3u);
  EXPECT_EQ(log.field_change_count(DealField::close_date()), 3u);
  EXPECT_EQ(log.field_change_count(DealField::dimension(StandardDimension::region)), 0u);
  EXPECT_EQ(log.field_change_end(a) - log.field_change_begin(a), 7u);
  EXPECT_EQ(log.field_change_at(log.field_change_begin(a)), at("2024-01-01"));
  EXPECT_EQ(log.field_change_at(log.field_change_end(a) - 1), at("2024-03-01"));

  // Owner.
  EXPECT_EQ(log.dimension_value_as_of(a, kManager, at("2024-01-01")), "Петрова");
  EXPECT_EQ(log.dimension_value_as_of(a, kManager, at("2024-02-29T23:59:59Z")), "Петрова");
  EXPECT_EQ(log.dimension_value_as_of(a, kManager, at("2024-03-01")), "Иванов");
  EXPECT_EQ(log.dimension_value_as_of(a, kManager, at("2023-12-31")),
            "Иванов");  // before the first: deals table
  EXPECT_EQ(log.dimension_value_as_of(b, kManager, at("2024-01-02")), "");
  EXPECT_EQ(log.dimension_value_as_of(b, kManager, at("2024-01-03")), "Сидоров");
  // Amount: the deals-table value until the first change, then the change (another currency).
  EXPECT_EQ(log.amount_as_of(a, at("2024-01-31")), Money(100000, kFieldRub));
  EXPECT_EQ(log.amount_as_of(a, at("2024-02-01")), Money(150000, kFieldUsd));
  EXPECT_EQ(log.amount_as_of(b, at("2024-02-01")), std::nullopt);
  // Close date: set, pushed, cleared.
  EXPECT_EQ(log.close_date_as_of(a, at("2024-01-15")), Date::parse("2024-03-31").value());
  EXPECT_EQ(log.close_date_as_of(a, at("2024-02-15")), Date::parse("2024-04-30").value());
  EXPECT_EQ(log.close_date_as_of(a, at("2024-02-20")), std::nullopt);
  EXPECT_EQ(log.close_date(a), Date::parse("2024-06-30").value());
  // Probability in hundredths of a percent.
  EXPECT_EQ(log.probability_as_of(a, at("2024-01-04")), 9000u);
  EXPECT_EQ(log.probability_as_of(a, at("2024-01-05")), 1250u);
  EXPECT_EQ(log.probability(b), std::nullopt);
  // Bulk codes.
  const auto codes = log.dimension_codes_as_of(kManager, at("2024-02-01"));
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(log.dimension(kManager).values.at(codes[0]), "Петрова");
  EXPECT_EQ(log.dimension(kManager).values.at(codes[1]), "Сидоров");
  EXPECT_TRUE(
      log.dimension_codes_as_of(to_dimension_id(StandardDimension::region), at("2024-02-01")).empty());
  std::vector<std::int64_t> minor;
  std::vector<std::uint16_t> currency;
  ASSERT_TRUE(log.amounts_as_of(at("2024-02-01"), minor, currency));
  EXPECT_EQ(minor, (std::vector<std::int64_t>{150000, 0}));
  EXPECT_EQ(log.currencies()[currency[0]], kFieldUsd);
  EXPECT_EQ(currency[1], kNoCurrency);
  // The latest instant includes the latest change.
  EXPECT_EQ(log.latest_instant(), at("2024-03-01"));
}

TEST(FieldChanges, SameInstantLaterAppendWinsAndSealIsIncremental) {
  EventLog log;
  const auto p = log.intern_pipeline("sales");
  const DealId a = *log.add_deal("A", p, at("2024-01-01"));
  ASSERT_TRUE(log.add_dimension_change(a, at("2024-01-05"), kManager, "X").ok());
  ASSERT_TRUE(log.add_dimension_change(a, at("2024-01-05"), kManager, "Y").ok());
  log.seal();
  EXPECT_EQ(log.dimension_value_as_of(a, kManager, at("2024-01-05")), "Y");
  // A deal added after a seal, and a second batch at an earlier instant.
  const DealId b = *log.add_deal("B", p, at("2024-01-01"));
  ASSERT_TRUE(log.add_dimension_change(a, at("2024-01-05"), kManager, "Z").ok());
  ASSERT_TRUE(log.add_dimension_change(a, at("2024-01-02"), kManager, "W").ok());
  ASSERT_TRUE(log.add_probability_change(b, at("2024-01-03"), 0).ok());
  log.seal();
  EXPECT_EQ(log.dimension_value_as_of(a, kManager, at("2024-01-03")), "W");
  EXPECT_EQ(log.dimension_value_as_of(a, kManager, at("2024-01-05")), "Z");
  EXPECT_EQ(log.probability_as_of(b, at("2024-01-03")), 0u);
  EXPECT_EQ(log.field_change_count(), 5u);
}

TEST(FieldChanges, RefusesBadInput) {
  EventLog log;
  const DealId a = *log.add_deal("A", log.intern_pipeline("sales"), at("2024-01-01"));
  EXPECT_EQ(log.add_amount_change(DealId{7}, at("2024-01-02"), std::nullopt).code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(log.add_probability_change(a, at("2024-01-02"), 10001).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(log.add_dimension_change(a, at("2024-01-02"), DimensionId{200}, "x").code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(log.add_dimension_change_code(a, at("2024-01-02"), kManager, 5).code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(log.add_close_date_change(a, at("1969-12-31"), std::nullopt).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(log.set_probability(a, 10001).code(), ErrorCode::invalid_argument);
  log.seal();
  EXPECT_EQ(log.field_change_count(), 0u);
}

TEST(FieldChanges, MemoryPerChange) {
  EventLog log;
  const auto p = log.intern_pipeline("sales");
  constexpr std::size_t kDeals = 1000, kPerDeal = 10;
  for (std::size_t d = 0; d < kDeals; ++d) (void)log.add_deal("D" + std::to_string(d), p, at("2024-01-01"));
  log.seal();
  const std::size_t before = log.memory_usage().field_change_bytes;
  EXPECT_EQ(before, 0u);
  for (std::uint32_t d = 0; d < kDeals; ++d) {
    for (std::size_t k = 0; k < kPerDeal; ++k) {
      ASSERT_TRUE(log.add_probability_change(DealId{d}, at("2024-01-02") + Duration(k), 100 * k).ok());
    }
  }
  log.seal();
  // 10 bytes per change + 4 per deal (+1 offset) + the per-field counts.
  EXPECT_EQ(log.memory_usage().field_change_bytes, kDeals * kPerDeal * 10 + (kDeals + 1) * 4 + 8);
}

// Random change sequences: value_as_of equals the latest appended change at or
// before T (the later appended of equal instants), else the deals-table value.
TEST(FieldChanges, PropertyAsOfEqualsBruteForce) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    EventLog log;
    const auto p = log.intern_pipeline("sales");
    const std::size_t deals = 1 + rng() % 30;
    const Instant t0 = at("2024-01-01");
    for (std::size_t d = 0; d < deals; ++d) {
      const DealId id = *log.add_deal("D" + std::to_string(d), p, t0, Money(rng() % 1000, kFieldRub));
      if (rng() % 2) log.set_dimension(id, StandardDimension::manager, "M" + std::to_string(rng() % 5));
    }
    struct Appended {
      std::uint32_t deal;
      std::int64_t at;
      int field;           // 0 manager, 1 amount, 2 close date, 3 probability
      std::int64_t value;  // -1 clear
    };
    std::vector<Appended> all;
    const std::size_t n = rng() % 400;
    for (std::size_t i = 0; i < n; ++i) {
      Appended c{static_cast<std::uint32_t>(rng() % deals), static_cast<std::int64_t>(rng() % 50) * 3600,
                 static_cast<int>(rng() % 4), rng() % 7 == 0 ? -1 : static_cast<std::int64_t>(rng() % 9000)};
      const DealId d{c.deal};
      const Instant when = t0 + Duration(c.at);
      Status st;
      switch (c.field) {
        case 0:
          st = log.add_dimension_change(d, when, kManager,
                                        c.value < 0 ? "" : "M" + std::to_string(c.value % 5));
          break;
        case 1:
          st = log.add_amount_change(
              d, when, c.value < 0 ? std::nullopt : std::optional<Money>(Money(c.value, kFieldUsd)));
          break;
        case 2:
          st = log.add_close_date_change(
              d, when,
              c.value < 0 ? std::nullopt
                          : std::optional<Date>(Date(19800 + static_cast<std::int32_t>(c.value))));
          break;
        default:
          st = log.add_probability_change(
              d, when,
              c.value < 0 ? std::nullopt : std::optional<std::uint32_t>(static_cast<std::uint32_t>(c.value)));
      }
      ASSERT_TRUE(st.ok());
      all.push_back(c);
      if (rng() % 50 == 0) log.seal();  // incremental seals keep the order
    }
    log.seal();
    ASSERT_EQ(log.field_change_count(), all.size());
    for (std::int64_t probe = -3600; probe <= 51 * 3600; probe += 1800) {
      const Instant t = t0 + Duration(probe);
      const auto bulk = log.dimension_codes_as_of(kManager, t);
      for (std::uint32_t d = 0; d < deals; ++d) {
        const DealId id{d};
        const Appended* last[4] = {nullptr, nullptr, nullptr, nullptr};
        for (const Appended& c : all) {
          if (c.deal == d && c.at <= probe) {
            if (!last[c.field] || last[c.field]->at <= c.at) last[c.field] = &c;
          }
        }
        const std::string want_manager =
            last[0] ? (last[0]->value < 0 ? "" : "M" + std::to_string(last[0]->value % 5))
                    : std::string(log.dimension_value(id, kManager));
        ASSERT_EQ(log.dimension_value_as_of(id, kManager, t), want_manager)
            << "seed " << seed << " deal " << d;
        if (!bulk.empty()) {
          ASSERT_EQ(bulk[d], log.dimension_code_as_of(id, kManager, t));
        }
        const std::optional<Money> want_amount =
            last[1]
                ? (last[1]->value < 0 ? std::nullopt : std::optional<Money>(Money(last[1]->value, kFieldUsd)))
                : log.amount(id);
        ASSERT_EQ(log.amount_as_of(id, t), want_amount) << "seed " << seed;
        const std::optional<Date> want_date =
            last[2] ? (last[2]->value < 0
                           ? std::nullopt
                           : std::optional<Date>(Date(19800 + static_cast<std::int32_t>(last[2]->value))))
                    : std::nullopt;
        ASSERT_EQ(log.close_date_as_of(id, t), want_date) << "seed " << seed;
        const std::optional<std::uint32_t> want_p =
            last[3] ? (last[3]->value < 0
                           ? std::nullopt
                           : std::optional<std::uint32_t>(static_cast<std::uint32_t>(last[3]->value)))
                    : std::nullopt;
        ASSERT_EQ(log.probability_as_of(id, t), want_p) << "seed " << seed;
      }
    }
  }
}

}  // namespace
}  // namespace dealflow::analytics
