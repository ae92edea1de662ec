// The canonical export: CSV/JSON text, the report, writing files, loading into an EventLog.
#include "dealflow/import/canonical.h"

#include <gtest/gtest.h>

namespace dealflow::import {
namespace {

TEST(ImportReport, AddCountsAndKeepsFiveExamples) {
  ImportReport r;
  for (int i = 0; i < 7; ++i)
    r.add("float_noise_rounded", "repaired", {"a.csv:" + std::to_string(i + 2), "x"});
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues["float_noise_rounded"].count, 7u);
  EXPECT_EQ(r.issues["float_noise_rounded"].examples.size(), 5u);
  EXPECT_EQ(r.issues["float_noise_rounded"].examples[4].where, "a.csv:6");
}

TEST(ToCsv, QuotesOnlyWhereNeeded) {
  CanonicalTable t{{"id", "manager"}, {{"D-1", "Иванов, Пётр"}, {"D-2", "say \"hi\""}}};
  EXPECT_EQ(to_csv(t), "id,manager\nD-1,\"Иванов, Пётр\"\nD-2,\"say \"\"hi\"\"\"\n");
}

}  // namespace
}  // namespace dealflow::import
