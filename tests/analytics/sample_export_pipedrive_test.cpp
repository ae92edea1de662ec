// `dealflow sample --format pipedrive`: the deals CSV export, flow changes
// (newest first), stages, pipelines and users; won and lost are statuses.
#include <gtest/gtest.h>

#include <regex>

#include "analytics/sample_export_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::export_files;
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
  const std::regex time(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})");
  for (std::size_t i = 0; i < deals.size(); ++i) {
    const auto& row = t.rows[i];
    const std::string& status = row[t.col("Deal - Status")];
    won += status == "won";
    lost += status == "lost";
    open += status == "open";
    EXPECT_TRUE(std::regex_match(row[t.col("Deal - Deal created")], time));
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
  std::vector<Json> items;
  for (const char* name : {"flow-00000.json", "flow-00001.json"}) {
    const Json doc = read_json(files.at(name), name);
    EXPECT_TRUE(doc.at("success").get<bool>());
    items.insert(items.end(), doc.at("data").begin(), doc.at("data").end());
  }
  EXPECT_EQ(files.count("flow-00002.json"), 0u);
  std::map<std::string, std::size_t> by_key;
  std::map<std::uint64_t, std::vector<std::string>> times;
  for (const Json& item : items) {
    EXPECT_EQ(item.at("object"), "dealChange");
    const Json& data = item.at("data");
    ++by_key[data.at("field_key").get<std::string>()];
    EXPECT_EQ(data.at("log_time"), item.at("timestamp"));
    times[data.at("item_id").get<std::uint64_t>()].push_back(data.at("log_time"));
  }
  for (const auto& [id, list] : times) EXPECT_TRUE(std::is_sorted(list.rbegin(), list.rend())) << id;
  std::size_t owner = 0, won = 0;
  for (const auto& d : deals) {
    owner += d.count(SampleField::manager) - 1;
    for (std::size_t i = 1; i < d.history.size(); ++i) won += d.history[i].stage == 5;
  }
  EXPECT_EQ(by_key["user_id"], owner);
  EXPECT_EQ(exported.stage_changes, by_key["stage_id"] + by_key["status"]);
  EXPECT_EQ(exported.field_changes, by_key["user_id"] + by_key["value"] + by_key["expected_close_date"]);
  std::size_t won_changes = 0;
  for (const Json& item : items)
    won_changes += item.at("data").at("field_key") == "status" && item.at("data").at("new_value") == "won";
  EXPECT_EQ(won_changes, won);
}

TEST(SampleExportPipedrive, StagesPipelinesUsers) {
  const auto files = export_files(SampleFormat::pipedrive, small_sample(10, 1));
  const Json stages = read_json(files.at("stages.json"), "stages.json");
  ASSERT_EQ(stages.at("data").size(), 5u);  // won and lost are statuses, not stages
  EXPECT_EQ(stages.at("data").at(3).at("name"), "В работе");
  EXPECT_EQ(stages.at("data").at(3).at("deal_probability"), 60);
  EXPECT_EQ(stages.at("data").at(3).at("order_nr"), 4);
  const Json pipelines = read_json(files.at("pipelines.json"), "pipelines.json");
  EXPECT_EQ(pipelines.at("data").size(), 1u);
  const Json users = read_json(files.at("users.json"), "users.json");
  EXPECT_EQ(users.at("data").at(11).at("name"), "Егоров Максим");
}

}  // namespace
}  // namespace dealflow::analytics
