// Dictionary: dense codes in first-seen order, byte-exact UTF-8.
#include "dealflow/core/dictionary.h"

#include <gtest/gtest.h>

namespace dealflow {
namespace {

TEST(Dictionary, InternsInFirstSeenOrder) {
  Dictionary d;
  EXPECT_EQ(d.intern("Москва"), 0u);
  EXPECT_EQ(d.intern("Сибирь"), 1u);
  EXPECT_EQ(d.intern("Москва"), 0u);
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d.at(1), "Сибирь");
  EXPECT_EQ(d.find("Сибирь"), 1u);
  EXPECT_FALSE(d.find("сибирь").has_value());  // case-sensitive, byte-exact
  EXPECT_FALSE(d.find("").has_value());
}

TEST(Dictionary, ViewsStayValidAsItGrows) {
  Dictionary d;
  d.intern("first");
  const std::string_view first = d.at(0);
  for (int i = 0; i < 10000; ++i) d.intern("value-" + std::to_string(i));
  EXPECT_EQ(first, "first");
  EXPECT_EQ(d.find("value-9999"), 10000u);
}

TEST(Dictionary, CopiesAreIndependent) {
  Dictionary a;
  a.intern("x");
  Dictionary b = a;
  b.intern("y");
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(b.find("x"), 0u);
  EXPECT_EQ(b.find("y"), 1u);
  EXPECT_FALSE(a.find("y").has_value());
  EXPECT_GT(b.memory_bytes(), 0u);
}

}  // namespace
}  // namespace dealflow
