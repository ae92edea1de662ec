// The sample's field history (field_changes.csv): drawn from its own stream,
// consistent with deals.csv and history.csv, realistic slippage.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "analytics/sample_export_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::read_csv;
using testing::reference;
using testing::small_sample;

TEST(SampleFields, FieldChangesDoNotChangeDealsOrHistory) {
  SampleOptions options = small_sample(400, 3);
  auto with = generate_sample_csv(options);
  std::string deals, history;
  auto without = generate_sample(
      options,
      [&](std::string_view c) {
        deals.append(c);
        return Status();
      },
      [&](std::string_view c) {
        history.append(c);
        return Status();
      });
  ASSERT_TRUE(with && without);
  EXPECT_EQ(with->deals, deals);
  EXPECT_EQ(with->history, history);
  EXPECT_EQ(with->summary.field_changes_bytes, with->field_changes.size());
  EXPECT_EQ(without->field_changes_bytes, 0u);
}

TEST(SampleFields, HeaderFirstRowsAndCounts) {
  SampleOptions options;  // the shipped set (data/sample/): deal 1 is created 2024-01-02T05:50:31Z
  auto csv = generate_sample_csv(options);
  ASSERT_TRUE(csv);
  const auto t = read_csv(csv->field_changes, "field_changes.csv");
  EXPECT_EQ(t.header, (std::vector<std::string>{"deal_id", "at", "field", "value"}));
  ASSERT_GE(t.rows.size(), 4u);
  // The first four rows: deal 1's creation values, in field order.
  const char* fields[] = {"manager", "amount", "close_date", "probability"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(t.rows[i][0], "1");
    EXPECT_EQ(t.rows[i][1], "2024-01-02T05:50:31Z");
    EXPECT_EQ(t.rows[i][2], fields[i]);
  }
  EXPECT_EQ(t.rows[3][3], "10");  // NEW's probability
  EXPECT_EQ(t.rows.size(), csv->summary.field_changes);
}

TEST(SampleFields, ShippedFieldChangesRegenerateByteForByte) {
  auto csv = generate_sample_csv(SampleOptions());
  ASSERT_TRUE(csv);
  std::ifstream in(DEALFLOW_SOURCE_DIR "/data/sample/field_changes.csv", std::ios::binary);
  std::ostringstream shipped;
  shipped << in.rdbuf();
  ASSERT_FALSE(shipped.str().empty());
  EXPECT_TRUE(csv->field_changes == shipped.str())
      << "data/sample/field_changes.csv differs from `dealflow sample --deals 2000 --seed 42`";
}

TEST(SampleFields, ConsistentWithDealsAndHistory) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SampleSummary summary;
    const auto deals = reference(small_sample(600, seed), &summary);
    std::uint64_t changes = 0, reassigned = 0, pushes = 0;
    for (const auto& d : deals) {
      SCOPED_TRACE("deal " + std::to_string(d.id));
      changes += d.changes.size();
      // Time order, every change in [created, period end).
      for (std::size_t i = 0; i < d.changes.size(); ++i) {
        EXPECT_GE(d.changes[i].at, d.created);
        EXPECT_LT(d.changes[i].at, summary.period_end);
        if (i > 0) {
          EXPECT_LE(d.changes[i - 1].at, d.changes[i].at);
        }
      }
      // The first change of each field is at the creation; the last equals the current value.
      std::set<SampleField> seen;
      std::int64_t last[4] = {-1, -1, -1, -1};
      std::int64_t previous_close = -1;
      for (const auto& c : d.changes) {
        if (seen.insert(c.field).second) {
          EXPECT_EQ(c.at, d.created);
        }
        if (c.field == SampleField::close_date && previous_close >= 0 && c.value > previous_close) ++pushes;
        if (c.field == SampleField::close_date) previous_close = c.value;
        last[static_cast<int>(c.field)] = c.value;
      }
      EXPECT_EQ(seen.size(), 4u);
      EXPECT_EQ(last[0], d.manager);
      EXPECT_EQ(last[1], d.amount);
      EXPECT_EQ(last[2], d.close_date);
      EXPECT_EQ(last[3], d.probability);
      reassigned += d.count(SampleField::manager) > 1 ? 1 : 0;
      // Probability follows the stage: as of every stage entry it is the stage's percent.
      for (const auto& ev : d.history) {
        std::int64_t p = -1;
        for (const auto& c : d.changes)
          if (c.field == SampleField::probability && c.at <= ev.at) p = c.value;
        EXPECT_EQ(p, sample_stages()[ev.stage].probability);
      }
      // No change repeats the value the field already has.
      std::int64_t value[4] = {-1, -1, -1, -1};
      for (const auto& c : d.changes) {
        EXPECT_NE(value[static_cast<int>(c.field)], c.value);
        value[static_cast<int>(c.field)] = c.value;
      }
    }
    EXPECT_EQ(changes, summary.field_changes);
    EXPECT_EQ(reassigned, summary.reassigned);
    EXPECT_GE(pushes, summary.close_date_pushes);
    // About 8% of deals are reassigned; slippage and amount changes happen.
    EXPECT_GT(summary.reassigned, 600u * 4 / 100);
    EXPECT_LT(summary.reassigned, 600u * 13 / 100);
    EXPECT_GT(summary.close_date_pushes, 30u);
    EXPECT_GT(summary.amount_changes, 60u);
  }
}

// Slippage: most close-date pushes come late in the cycle (the deal is in
// PREPAYMENT_INVOICE or later when the expected date passes).
TEST(SampleFields, MostPushesAreLateInTheCycle) {
  const auto deals = reference(small_sample(3000, 9));
  int late = 0, early = 0;
  for (const auto& d : deals) {
    std::int64_t close = -1;
    for (const auto& c : d.changes) {
      if (c.field != SampleField::close_date) continue;
      bool stage_event = false;
      int stage = 0;
      for (const auto& ev : d.history) {
        if (ev.at <= c.at) stage = ev.stage;
        if (ev.at == c.at) stage_event = true;
      }
      if (close >= 0 && c.value > close && !stage_event) (stage >= 2 ? late : early)++;
      close = c.value;
    }
  }
  EXPECT_GT(late + early, 100);
  EXPECT_GT(late, early) << late << " late, " << early << " early";
}

TEST(SampleFields, DealFieldColumnsAreTheLastValues) {
  SampleOptions options = small_sample(200, 4);
  options.deal_field_columns = true;
  auto csv = generate_sample_csv(options);
  ASSERT_TRUE(csv);
  options.deal_field_columns = false;
  auto plain = generate_sample_csv(options);
  ASSERT_TRUE(plain);
  EXPECT_EQ(csv->history, plain->history);
  EXPECT_EQ(csv->field_changes, plain->field_changes);
  const auto t = read_csv(csv->deals, "deals.csv");
  ASSERT_EQ(t.header.size(), 17u);
  EXPECT_EQ(t.header[14], "close_date");
  EXPECT_EQ(t.header[15], "closed_at");
  EXPECT_EQ(t.header[16], "probability");
  const auto deals = reference(options);
  ASSERT_EQ(t.rows.size(), deals.size());
  for (std::size_t i = 0; i < deals.size(); ++i) {
    EXPECT_EQ(t.rows[i][14], Date(static_cast<std::int32_t>(deals[i].close_date)).to_string());
    EXPECT_EQ(t.rows[i][16], std::to_string(deals[i].probability));
    const auto& last = deals[i].history.back();
    EXPECT_EQ(t.rows[i][15], last.stage >= 5 ? format_iso(last.at) : "");
  }
}

TEST(SampleFields, SameSeedSameChangesOtherSeedOther) {
  auto a = generate_sample_csv(small_sample(300, 21));
  auto b = generate_sample_csv(small_sample(300, 21));
  auto c = generate_sample_csv(small_sample(300, 22));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->field_changes, b->field_changes);
  EXPECT_NE(a->field_changes, c->field_changes);
}

}  // namespace
}  // namespace dealflow::analytics
