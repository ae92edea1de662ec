// The absorbing Markov chain: hand-computed absorption probabilities, N,
// expected steps and time to absorption; smoothing; rows without data; the
// censoring-aware sojourn of the log fit; errors.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analytics/durations_fixture.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/markov.h"

namespace dealflow::planning {
namespace {

using analytics::testing::day;
using analytics::testing::kDay;
using analytics::testing::LogBuilder;
using analytics::testing::small_pipeline;

// Four stages: A, B open (default probabilities 0.2, 0.6), WON, LOST; policy free.
const Pipeline& four_stages() {
  static const LoadedPipeline loaded = [] {
    auto p = parse_pipeline_text(R"({
      "id": "four", "name": "Четыре этапа",
      "stages": [
        {"id": "A", "name": "Квалификация", "kind": "open", "probability": 0.2},
        {"id": "B", "name": "Предложение", "kind": "open", "probability": 0.6},
        {"id": "WON", "name": "Успех", "kind": "won"},
        {"id": "LOST", "name": "Провал", "kind": "lost"}]})",
                                 "four.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

StageId sid(const Pipeline& p, const char* id) {
  return *p.find_stage(id);
}

// A TransitionMatrix with the given counts and completed visits (count, total seconds).
analytics::TransitionMatrix matrix(const Pipeline& p) {
  const auto n = static_cast<Eigen::Index>(p.stage_count());
  analytics::TransitionMatrix m;
  m.counts = analytics::CountMatrix::Zero(n, n);
  m.sojourn_seconds = analytics::CountVector::Zero(n);
  m.completed_visits = analytics::CountVector::Zero(n);
  m.entries = analytics::CountVector::Zero(n);
  m.current = analytics::CountVector::Zero(n);
  return m;
}
void set(analytics::TransitionMatrix& m, const Pipeline& p, const char* from, const char* to,
         std::int64_t n) {
  m.counts(sid(p, from).value(), sid(p, to).value()) = n;
}
void visits(analytics::TransitionMatrix& m, const Pipeline& p, const char* s, std::int64_t count,
            std::int64_t seconds) {
  m.completed_visits(sid(p, s).value()) = count;
  m.sojourn_seconds(sid(p, s).value()) = seconds;
}

constexpr double kEps = 1e-12;

// Counts: A->B 6, A->LOST 2 (row total 8); B->A 2, B->WON 4, B->LOST 2 (total 8).
//   Q = [[0, 3/4], [1/4, 0]],  R = [[0, 1/4], [1/2, 1/4]]   (columns WON, LOST)
//   I - Q = [[1, -3/4], [-1/4, 1]], det = 1 - 3/16 = 13/16
//   N = (16/13) [[1, 3/4], [1/4, 1]] = [[16/13, 12/13], [4/13, 16/13]]
//   B = N R: B_A = (12/13 * 1/2, 16/13 * 1/4 + 12/13 * 1/4) = (6/13, 7/13)
//            B_B = (16/13 * 1/2, 4/13 * 1/4 + 16/13 * 1/4)  = (8/13, 5/13)
//   steps = N 1 = (28/13, 20/13)
//   tau = (2 days, 3 days): 8 visits of A totalling 16 days, 8 of B totalling 24 days
//   N tau = (16/13*2 + 12/13*3, 4/13*2 + 16/13*3) days = (68/13, 56/13) days
analytics::TransitionMatrix hand_matrix() {
  const Pipeline& p = four_stages();
  auto m = matrix(p);
  set(m, p, "A", "B", 6);
  set(m, p, "A", "LOST", 2);
  set(m, p, "B", "A", 2);
  set(m, p, "B", "WON", 4);
  set(m, p, "B", "LOST", 2);
  visits(m, p, "A", 8, 16 * kDay);
  visits(m, p, "B", 8, 24 * kDay);
  return m;
}

TEST(MarkovHandComputed, FourStageChain) {
  const Pipeline& p = four_stages();
  auto chain = fit_markov(hand_matrix(), p);
  ASSERT_TRUE(chain) << chain.status().to_string();
  ASSERT_EQ(chain->transient.size(), 2u);
  ASSERT_EQ(chain->absorbing.size(), 2u);
  EXPECT_EQ(chain->transient[0], sid(p, "A"));
  EXPECT_EQ(chain->absorbing[1], sid(p, "LOST"));
  EXPECT_NEAR(chain->Q(0, 1), 0.75, kEps);
  EXPECT_NEAR(chain->Q(1, 0), 0.25, kEps);
  EXPECT_NEAR(chain->R(1, 0), 0.5, kEps);
  EXPECT_NEAR(chain->N(0, 0), 16.0 / 13, kEps);
  EXPECT_NEAR(chain->N(0, 1), 12.0 / 13, kEps);
  EXPECT_NEAR(chain->N(1, 0), 4.0 / 13, kEps);
  EXPECT_NEAR(chain->N(1, 1), 16.0 / 13, kEps);
  EXPECT_NEAR(chain->B(0, 0), 6.0 / 13, kEps);
  EXPECT_NEAR(chain->B(0, 1), 7.0 / 13, kEps);
  EXPECT_NEAR(chain->B(1, 0), 8.0 / 13, kEps);
  EXPECT_NEAR(chain->B(1, 1), 5.0 / 13, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "A")), 6.0 / 13, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "B")), 8.0 / 13, kEps);
  EXPECT_EQ(chain->p_won(sid(p, "WON")), 1.0);
  EXPECT_EQ(chain->p_won(sid(p, "LOST")), 0.0);
  EXPECT_EQ(chain->p_won(StageId{99}), 0.0);
  EXPECT_NEAR(chain->expected_steps(0), 28.0 / 13, kEps);
  EXPECT_NEAR(chain->expected_steps(1), 20.0 / 13, kEps);
  EXPECT_NEAR(chain->mean_sojourn_seconds(0), 2.0 * kDay, 1e-6);
  EXPECT_NEAR(chain->expected_seconds_to_absorption(0), 68.0 / 13 * kDay, 1e-6);
  EXPECT_NEAR(chain->expected_seconds_to_absorption(1), 56.0 / 13 * kDay, 1e-6);
  EXPECT_NEAR(chain->seconds_from(sid(p, "B")), 56.0 / 13 * kDay, 1e-6);
  EXPECT_EQ(chain->steps_from(sid(p, "WON")), 0.0);
  EXPECT_FALSE(chain->censoring_aware_sojourn);
  EXPECT_TRUE(chain->no_data.empty());
  EXPECT_EQ(chain->notes.front(), "smoothing: none");
}

// Smoothing a = 1 on every allowed move (policy free: A -> B, WON, LOST; B -> A, WON, LOST):
//   row A: B 6+1, WON 0+1, LOST 2+1 = 11;  row B: A 2+1, WON 4+1, LOST 2+1 = 11
//   Q = [[0, 7/11], [3/11, 0]], R = [[1/11, 3/11], [5/11, 3/11]]
//   det(I - Q) = 1 - 21/121 = 100/121;  N = (121/100) [[1, 7/11], [3/11, 1]]
//   p_won(A) = N_AA/11 + N_AB*5/11 = (121/100)(1/11 + 35/121) = (11 + 35)/100 = 0.46
//   p_won(B) = N_BA/11 + N_BB*5/11 = (121/100)(3/121 + 5/11) = (3 + 55)/100 = 0.58
TEST(MarkovHandComputed, AdditiveSmoothing) {
  const Pipeline& p = four_stages();
  auto chain = fit_markov(hand_matrix(), p, {.smoothing = 1.0});
  ASSERT_TRUE(chain) << chain.status().to_string();
  EXPECT_NEAR(chain->Q(0, 1), 7.0 / 11, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "A")), 0.46, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "B")), 0.58, kEps);
  EXPECT_EQ(chain->smoothing, 1.0);
  EXPECT_NE(chain->notes.front().find("pseudo-count 1 "), std::string::npos) << chain->notes.front();
}

// Rows of B sum to 1 and p_won lies in [0, 1] for random count matrices.
TEST(MarkovProperty, RowsOfBSumToOne) {
  const Pipeline& p = small_pipeline();
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> count(0, 4);
  for (int trial = 0; trial < 200; ++trial) {
    auto m = matrix(p);
    for (Eigen::Index i = 0; i < m.counts.rows(); ++i)
      for (Eigen::Index j = 0; j < m.counts.cols(); ++j)
        if (i != j) m.counts(i, j) = count(rng) == 0 ? count(rng) : 0;
    auto chain = fit_markov(m, p, {.smoothing = trial % 3 == 0 ? 0.5 : 0.0});
    ASSERT_TRUE(chain) << chain.status().to_string();
    for (Eigen::Index i = 0; i < chain->B.rows(); ++i) {
      EXPECT_NEAR(chain->B.row(i).sum(), 1.0, 1e-9) << trial;
      EXPECT_GE(chain->expected_steps(i), 1.0 - 1e-9);
    }
  }
}

// small_pipeline: A (0.1), B (0.5), C (0.8) open; WON; LOST, JUNK lost.
// No exit observed from C: its row is imputed, P(WON) = 0.8, P(LOST) = 0.2.
// A -> C 2, A -> LOST 2: p_won(A) = 1/2 * 0.8 = 0.4. B has no exits either: 0.5.
TEST(MarkovNoData, EmptyRowFallsBackToStageDefault) {
  const Pipeline& p = small_pipeline();
  auto m = matrix(p);
  set(m, p, "A", "C", 2);
  set(m, p, "A", "LOST", 2);
  auto chain = fit_markov(m, p);
  ASSERT_TRUE(chain) << chain.status().to_string();
  EXPECT_NEAR(chain->p_won(sid(p, "C")), 0.8, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "B")), 0.5, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "A")), 0.4, kEps);
  ASSERT_EQ(chain->no_data.size(), 2u);
  EXPECT_TRUE(chain->closed_class.empty());
  bool named = false;
  for (const auto& note : chain->notes)
    named = named || note ==
                         "no data: no observed exit from B, C; their absorption is imputed from the stage "
                         "default probability";
  EXPECT_TRUE(named);
}

// A <-> B only (a closed class: I - Q singular without the imputation); C -> WON.
TEST(MarkovNoData, ClosedClassIsDetectedAndImputed) {
  const Pipeline& p = small_pipeline();
  auto m = matrix(p);
  set(m, p, "A", "B", 3);
  set(m, p, "B", "A", 1);
  set(m, p, "C", "WON", 1);
  set(m, p, "LOST", "A", 4);  // a reopen: ignored
  auto chain = fit_markov(m, p);
  ASSERT_TRUE(chain) << chain.status().to_string();
  ASSERT_EQ(chain->closed_class.size(), 2u);
  EXPECT_EQ(chain->closed_class[0], sid(p, "A"));
  EXPECT_NEAR(chain->p_won(sid(p, "A")), 0.1, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "B")), 0.5, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "C")), 1.0, kEps);
  std::string all;
  for (const auto& note : chain->notes) all += note + "\n";
  EXPECT_NE(all.find("A, B never reach a won or lost stage"), std::string::npos) << all;
  EXPECT_NE(all.find("ignored 4 reopen move(s)"), std::string::npos) << all;
}

TEST(MarkovErrors, Reported) {
  const Pipeline& p = four_stages();
  auto bad_smoothing = fit_markov(hand_matrix(), p, {.smoothing = -1.0});
  ASSERT_FALSE(bad_smoothing);
  EXPECT_EQ(bad_smoothing.status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(bad_smoothing.status().message(), "markov: smoothing -1: expected a finite number >= 0");
  EXPECT_FALSE(fit_markov(hand_matrix(), p, {.smoothing = std::nan("")}));
  auto wrong_size = fit_markov(hand_matrix(), small_pipeline());
  ASSERT_FALSE(wrong_size);
  EXPECT_EQ(wrong_size.status().message(),
            "markov: transition matrix has 4 stages, expected 6 (the stages of pipeline 'small')");
}

// Log fit: d1 A@0 B@2 WON@5; d2 A@0 B@4 (running at as_of = day 10; a later
// LOST at day 12 is not seen); d3 A@1 LOST@2; d4 created before the window.
//   counts: A->B 2, A->LOST 1, B->WON 1; C has no data (imputed 0.8)
//   p_won(B) = 1, p_won(A) = 2/3
//   tau_A: visits 2, 4, 1 days, all completed: 7/3 days
//   tau_B: 3 days (completed), 6 days (running, censored at day 10)
//     Kaplan-Meier: S = 1 on [0, 3), 1/2 from 3 on; restricted to the longest
//     visit (6): 3 * 1 + 3 * 1/2 = 4.5 days (the naive mean would say 3)
//   N = [[1, 2/3, 0], [0, 1, 0], [0, 0, 1]]: steps(A) = 5/3,
//   time(A) = 7/3 + 2/3 * 4.5 = 16/3 days
TEST(MarkovLogFit, CensoringAwareSojournAndWindow) {
  LogBuilder b;
  const DealId d1 = b.deal("d1", 0), d2 = b.deal("d2", 0), d3 = b.deal("d3", 1), d4 = b.deal("d4", -3);
  b.event(d1, 0, "A").event(d1, 2, "B").event(d1, 5, "WON");
  b.event(d2, 0, "A").event(d2, 4, "B").event(d2, 12, "LOST");
  b.event(d3, 1, "A").event(d3, 2, "LOST");
  b.event(d4, -3, "A").event(d4, -2, "LOST");
  const Pipeline& p = small_pipeline();
  auto chain = fit_markov(b.log(), p, day(-1), day(10));
  ASSERT_TRUE(chain) << chain.status().to_string();
  EXPECT_TRUE(chain->censoring_aware_sojourn);
  EXPECT_NEAR(chain->p_won(sid(p, "A")), 2.0 / 3, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "B")), 1.0, kEps);
  EXPECT_NEAR(chain->p_won(sid(p, "C")), 0.8, kEps);
  EXPECT_NEAR(chain->steps_from(sid(p, "A")), 5.0 / 3, kEps);
  const auto a = *chain->transient_index(sid(p, "A"));
  const auto bi = *chain->transient_index(sid(p, "B"));
  EXPECT_NEAR(chain->mean_sojourn_seconds(static_cast<Eigen::Index>(a)), 7.0 / 3 * kDay, 1e-6);
  EXPECT_NEAR(chain->mean_sojourn_seconds(static_cast<Eigen::Index>(bi)), 4.5 * kDay, 1e-6);
  EXPECT_NEAR(chain->seconds_from(sid(p, "A")), 16.0 / 3 * kDay, 1e-6);
  std::string all;
  for (const auto& note : chain->notes) all += note + "\n";
  EXPECT_NE(all.find("the longest visit of B is still running"), std::string::npos) << all;
  EXPECT_NE(all.find("no visit of C; tau = 0"), std::string::npos) << all;
}

TEST(MarkovLogFit, WindowErrorsComeFromTheCounts) {
  LogBuilder b;
  const DealId d1 = b.deal("d1", 0);
  b.event(d1, 0, "A");
  EXPECT_FALSE(fit_markov(b.log(), small_pipeline(), day(5), day(1)));
  EXPECT_FALSE(fit_markov(b.log(), four_stages(), day(0), day(1)));  // pipeline not in the log
}

}  // namespace
}  // namespace dealflow::planning
