// The direct-transition count matrix on the hand-computed history of
// durations_stage_test.cpp.
#include <gtest/gtest.h>

#include "analytics/durations_fixture.h"
#include "dealflow/analytics/transitions.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

Eigen::Index idx(const char* id) {
  return small_pipeline().find_stage(id)->value();
}

class TransitionsHandComputed : public ::testing::Test {
 protected:
  void SetUp() override {
    const DealId d1 = b_.deal("d1", 0), d2 = b_.deal("d2", 2), d3 = b_.deal("d3", 1), d4 = b_.deal("d4", 0);
    b_.event(d1, 0, "A")
        .event(d1, 1, "B")
        .event(d1, 3, "A")
        .event(d1, 4, "B")
        .event(d1, 10, "C")
        .event(d1, 12, "WON");
    b_.event(d2, 2, "A").event(d2, 5, "B");
    b_.event(d3, 1, "A").event(d3, 2, "LOST").event(d3, 6, "A").event(d3, 7, "B").event(d3, 9, "LOST");
    b_.event(d4, 0, "A").event(d4, 1, "A").event(d4, 2, "B").event(d4, 5, "A");
  }
  LogBuilder b_;
};

TEST_F(TransitionsHandComputed, CountsProbabilitiesEntriesAndCurrent) {
  TransitionQuery q;
  q.as_of = day(20);
  auto m = count_transitions(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(m) << m.status().to_string();
  ASSERT_EQ(m->counts.rows(), 6);
  EXPECT_EQ(m->stage_ids[0], "A");
  EXPECT_EQ(m->deals, 4u);
  // A->B: d1 twice, d2, d3, d4; A->A (d4's repeated event) is no move.
  EXPECT_EQ(m->counts(idx("A"), idx("B")), 5);
  EXPECT_EQ(m->counts(idx("A"), idx("A")), 0);
  EXPECT_EQ(m->counts(idx("B"), idx("A")), 2);
  EXPECT_EQ(m->counts(idx("B"), idx("C")), 1);
  EXPECT_EQ(m->counts(idx("C"), idx("WON")), 1);
  EXPECT_EQ(m->counts(idx("A"), idx("LOST")), 1);
  EXPECT_EQ(m->counts(idx("LOST"), idx("A")), 1);
  EXPECT_EQ(m->counts(idx("B"), idx("LOST")), 1);
  EXPECT_EQ(m->counts.sum(), 12);
  EXPECT_EQ(m->moves, 12u);
  EXPECT_DOUBLE_EQ(m->probabilities(idx("A"), idx("B")), 5.0 / 6);
  EXPECT_DOUBLE_EQ(m->probabilities(idx("B"), idx("A")), 2.0 / 4);
  EXPECT_DOUBLE_EQ(m->probabilities(idx("LOST"), idx("A")), 1.0);
  EXPECT_DOUBLE_EQ(m->probabilities.row(idx("WON")).sum(), 0.0);  // absorbing: a zero row
  for (Eigen::Index r = 0; r < m->probabilities.rows(); ++r) {
    const double s = m->probabilities.row(r).sum();
    EXPECT_TRUE(s == 0.0 || std::abs(s - 1.0) < 1e-12) << r;
  }
  EXPECT_EQ(m->entries(idx("A")), 4);
  EXPECT_EQ(m->entries.sum(), 4);
  EXPECT_EQ(m->current(idx("WON")), 1);
  EXPECT_EQ(m->current(idx("B")), 1);
  EXPECT_EQ(m->current(idx("LOST")), 1);
  EXPECT_EQ(m->current(idx("A")), 1);
  // Completed visits of A: 1, 1 (d1), 3 (d2), 1, 1 (d3), 2 (d4); d4's running visit excluded.
  EXPECT_EQ(m->completed_visits(idx("A")), 6);
  EXPECT_EQ(m->sojourn_seconds(idx("A")), 9 * kDay);
  EXPECT_EQ(m->completed_visits(idx("LOST")), 1);
  EXPECT_EQ(m->sojourn_seconds(idx("LOST")), 4 * kDay);
}

TEST_F(TransitionsHandComputed, AsOfAndCohort) {
  TransitionQuery q;
  q.as_of = day(4.5);  // d1: A B A B so far; d3: A LOST; d4: A A B
  auto m = count_transitions(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->counts(idx("A"), idx("B")), 3);  // d1 twice, d4
  EXPECT_EQ(m->counts(idx("B"), idx("A")), 1);
  EXPECT_EQ(m->counts(idx("A"), idx("LOST")), 1);
  EXPECT_EQ(m->moves, 5u);
  q.as_of = day(20);
  q.from = day(1);
  q.to = day(2);  // d3 only
  m = count_transitions(b_.log(), small_pipeline(), q);
  EXPECT_EQ(m->deals, 1u);
  EXPECT_EQ(m->moves, 4u);
}

}  // namespace
}  // namespace dealflow::analytics
