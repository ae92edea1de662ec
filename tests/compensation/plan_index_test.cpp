// The plan's lookups (find_plan, find_participant, find_split) give the same
// answers through the loader's hashed index as by a scan, and stay right when
// entries are added or removed by hand before reindex() (a renamed id needs
// reindex(), as plan.h says).
#include <gtest/gtest.h>

#include <string>

#include "dealflow/compensation/plan.h"

namespace dealflow::compensation {
namespace {

const std::string kSample = std::string(DEALFLOW_SOURCE_DIR) + "/data/compensation/sample-plan.json";

TEST(CompensationPlanIndex, TheLoaderIndexesEveryId) {
  auto plan = load_compensation_plan_file(kSample);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  ASSERT_NE(plan->index, nullptr);
  for (const Participant& p : plan->participants) EXPECT_EQ(plan->find_participant(p.manager), &p);
  for (const RatePlan& r : plan->plans) EXPECT_EQ(plan->find_plan(r.id), &r);
  for (const Split& s : plan->splits) EXPECT_EQ(plan->find_split(s.deal), &s);
  EXPECT_EQ(plan->find_participant("m-nobody"), nullptr);
  EXPECT_EQ(plan->find_split("999999"), nullptr);
  EXPECT_EQ(plan->find_plan(""), nullptr);
}

TEST(CompensationPlanIndex, EditsBeforeReindexAreStillFound) {
  auto plan = load_compensation_plan_file(kSample);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  Participant extra;
  extra.manager = "m-new";
  plan->participants.push_back(extra);  // the index is stale: one more participant
  ASSERT_NE(plan->find_participant("m-new"), nullptr);
  EXPECT_EQ(plan->find_participant("m-new")->manager, "m-new");
  plan->participants.pop_back();
  plan->participants.front().manager = "m-renamed";  // same size, a renamed id: reindex() is needed
  EXPECT_EQ(plan->find_participant("m-ivanova"), nullptr);  // the stale entry no longer names it
  plan->reindex();
  EXPECT_EQ(plan->find_participant("m-renamed"), &plan->participants.front());
}

}  // namespace
}  // namespace dealflow::compensation
