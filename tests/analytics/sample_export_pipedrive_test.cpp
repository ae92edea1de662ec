// `dealflow sample --format pipedrive`: the deals CSV export, flow changes
// (newest first), stages, pipelines and users; won and lost are statuses.
#include <gtest/gtest.h>

#include "analytics/sample_export_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::export_files;
using testing::has_shape;
using testing::read_csv;
using testing::read_json;
using testing::reference;
using testing::small_sample;

TEST(SampleExportPipedrive, DealsCsvAndStatuses) {
  const SampleOptions sample = small_sample(500, 12);
  SampleSummary summary;
  const auto deals = reference(sample, &summary);
  const auto files = export_files(SampleFormat::pipedrive, sample);
  const auto t = read_csv(files.at("deals.csv"), "deals.csv");
  ASSERT_EQ(t.rows.size(), deals.size());
  EXPECT_EQ(t.header[0], "Deal - ID");
  std::uint64_t won = 0, lost = 0, open = 0;
  for (std::size_t i = 0; i < deals.size(); ++i) {
    const auto& row = t.rows[i];
    const std::string& status = row[t.col("Deal - Status")];
    won += status == "won";
    lost += status == "lost";
    open += status == "open";
    EXPECT_TRUE(has_shape(row[t.col("Deal - Deal created")], "9999-99-99 99:99:99"));
    EXPECT_EQ(row[t.col("Deal - Won time")].empty(), status != "won");
    EXPECT_EQ(row[t.col("Deal - Lost time")].empty(), status != "lost");
    EXPECT_EQ(row[t.col("Deal - Owner")], sample_managers()[deals[i].manager]);
    // The stage column holds an open stage only.
    const std::string& stage = row[t.col("Deal - Stage")];
    bool open_stage = false;
    for (std::size_t s = 0; s < 5; ++s) open_stage |= stage == sample_stages()[s].name;
    EXPECT_TRUE(open_stage) << stage;
  }
  EXPECT_EQ(won, summary.won);
  EXPECT_EQ(lost, summary.lost);
  EXPECT_EQ(open, summary.open);
}

TEST(SampleExportPipedrive, FlowChangesNewestFirstWithCounts) {
  const SampleOptions sample = small_sample(1200, 13);  // two flow files
  const auto deals = reference(sample);
  SampleExportSummary exported;
  const auto files = export_files(SampleFormat::pipedrive, sample, &exported);
  // Each file: a JSON array of /v1/deals/{id}/flow responses, one per deal, 1,000 deals per file.
  std::vector<Json> items;
  std::size_t responses = 0;
  for (const char* name : {"flow-00000.json", "flow-00001.json"}) {
    const Json doc = read_json(files.at(name), name);
    ASSERT_TRUE(doc.is_array());
    for (const Json& response : doc) {
      ++responses;
      EXPECT_TRUE(response.at("success").get<bool>());
      std::vector<std::string> times;
      for (const Json& item : response.at("data")) {
        EXPECT_EQ(item.at("data").at("item_id"), responses);  // one deal per response, in id order
        times.push_back(item.at("data").at("log_time"));
        items.push_back(item);
      }
      EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend())) << "deal " << responses;  // newest first
    }
  }
  EXPECT_EQ(responses, deals.size());
  EXPECT_EQ(files.count("flow-00002.json"), 0u);
  std::map<std::string, std::size_t> by_key;
  for (const Json& item : items) {
    EXPECT_EQ(item.at("object"), "dealChange");
    const Json& data = item.at("data");
    ++by_key[data.at("field_key").get<std::string>()];
    EXPECT_EQ(data.at("log_time"), item.at("timestamp"));
    if (data.at("field_key") == "user_id") {  // owner changes carry the names
      const auto to = std::stoul(data.at("new_value").get<std::string>());
      EXPECT_EQ(data.at("additional_data").at("new_value_formatted"), sample_managers()[to - 1]);
    }
  }
  std::size_t owner = 0, won = 0;
  for (const auto& d : deals) {
    owner += d.count(SampleField::manager) - 1;
    for (std::size_t i = 1; i < d.history.size(); ++i) won += d.history[i].stage == 5;
  }
  EXPECT_EQ(by_key["user_id"], owner);
  EXPECT_EQ(exported.stage_changes, by_key["stage_id"] + by_key["status"]);
  EXPECT_EQ(exported.field_changes, by_key["user_id"] + by_key["value"] + by_key["expected_close_date"]);
  // A reopen: the status opens again; a stage change to NEW, when needed, comes a second before.
  std::size_t reopens = 0, reopen_changes = 0;
  for (const auto& d : deals)
    for (std::size_t i = 1; i < d.history.size(); ++i)
      reopens += d.history[i - 1].stage >= 5 && d.history[i].stage < 5;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& data = items[i].at("data");
    if (data.at("field_key") != "status" || data.at("new_value") != "open") continue;
    ++reopen_changes;
    EXPECT_EQ(data.at("old_value"), "lost");
    if (i + 1 < items.size() && items[i + 1].at("data").at("field_key") == "stage_id" &&
        items[i + 1].at("data").at("item_id") == data.at("item_id")) {
      EXPECT_EQ(items[i + 1].at("data").at("new_value"), "1");
      EXPECT_EQ(
          format_iso(*parse_instant(items[i + 1].at("data").at("log_time").get<std::string>()) + Duration(1)),
          format_iso(*parse_instant(data.at("log_time").get<std::string>())));
    }
  }
  EXPECT_EQ(reopen_changes, reopens);
  EXPECT_GT(reopens, 0u);
  std::size_t won_changes = 0;
  for (const Json& item : items)
    won_changes += item.at("data").at("field_key") == "status" && item.at("data").at("new_value") == "won";
  EXPECT_EQ(won_changes, won);
}

TEST(SampleExportPipedrive, StagesAndPipelines) {
  const auto files = export_files(SampleFormat::pipedrive, small_sample(10, 1));
  const Json stages = read_json(files.at("stages.json"), "stages.json");
  ASSERT_EQ(stages.at("data").size(), 5u);  // won and lost are statuses, not stages
  EXPECT_EQ(stages.at("data").at(3).at("name"), "В работе");
  EXPECT_EQ(stages.at("data").at(3).at("deal_probability"), 60);
  EXPECT_EQ(stages.at("data").at(3).at("order_nr"), 4);
  const Json pipelines = read_json(files.at("pipelines.json"), "pipelines.json");
  EXPECT_EQ(pipelines.at("data").size(), 1u);
  EXPECT_EQ(files.count("users.json"), 0u);  // owners are named in the CSV and the flow
}

}  // namespace
}  // namespace dealflow::analytics
