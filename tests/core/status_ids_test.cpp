// Status/Result carry code, message and location; strong ids do not mix.
#include <gtest/gtest.h>

#include <type_traits>
#include <unordered_set>

#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"

namespace dealflow {
namespace {

TEST(Status, FormatsLocationThenMessage) {
  Status s(ErrorCode::parse_error, "expected a number", Location{"deals.csv", 14, 23, ""});
  EXPECT_EQ(s.to_string(), "deals.csv:14:23: expected a number");
  Status j(ErrorCode::validation_failed, "unknown stage 'X'", Location{"p.json", 0, 0, "/transitions/0/to"});
  EXPECT_EQ(j.to_string(), "p.json: at /transitions/0/to: unknown stage 'X'");
  EXPECT_EQ(Status().to_string(), "ok");
  EXPECT_EQ(s.with_context("loading deals").message(), "loading deals: expected a number");
  EXPECT_EQ(Status(ErrorCode::io_error, "x").with_location(Location{"f", 2, 0, ""}).to_string(), "f:2: x");
}

TEST(Result, HoldsAValueOrAnError) {
  Result<int> good = 5;
  Result<int> bad = Status(ErrorCode::not_found, "no such deal");
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(*good, 5);
  EXPECT_TRUE(good.status().ok());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::not_found);
  EXPECT_EQ(to_string(bad.status().code()), "not_found");
}

TEST(StrongId, DistinctTypesDoNotConvert) {
  static_assert(!std::is_convertible_v<DealId, ManagerId>);
  static_assert(!std::is_convertible_v<ManagerId, DealId>);
  static_assert(!std::is_convertible_v<std::uint32_t, DealId>);  // explicit construction only
  static_assert(!std::is_constructible_v<StageId, DealId>);
  static_assert(sizeof(StageId) == 2);
  DealId a{3};
  DealId b{4};
  EXPECT_LT(a, b);
  EXPECT_FALSE(DealId().valid());
  std::unordered_set<DealId> set{a, b, a};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace dealflow
