// `dealflow sample --format hubspot`: CRM API JSON with property histories
// newest first, the pipelines and owners responses.
#include <gtest/gtest.h>

#include "analytics/sample_export_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::export_files;
using testing::read_json;
using testing::reference;
using testing::small_sample;

TEST(SampleExportHubspot, DealsWithHistoriesNewestFirst) {
  const SampleOptions sample = small_sample(1500, 6);  // two deal files
  SampleSummary summary;
  const auto deals = reference(sample, &summary);
  SampleExportSummary exported;
  const auto files = export_files(SampleFormat::hubspot, sample, &exported);
  EXPECT_EQ(exported.stage_changes, summary.events);
  EXPECT_EQ(exported.field_changes, summary.field_changes);
  ASSERT_EQ(files.count("deals-00000.json"), 1u);
  ASSERT_EQ(files.count("deals-00001.json"), 1u);
  const Json first = read_json(files.at("deals-00000.json"), "deals-00000.json");
  const Json second = read_json(files.at("deals-00001.json"), "deals-00001.json");
  EXPECT_EQ(first.at("paging").at("next").at("after"), "1001");
  EXPECT_FALSE(second.contains("paging"));
  std::vector<Json> results(first.at("results").begin(), first.at("results").end());
  results.insert(results.end(), second.at("results").begin(), second.at("results").end());
  ASSERT_EQ(results.size(), deals.size());

  std::size_t stage_entries = 0, field_entries = 0;
  for (std::size_t i = 0; i < deals.size(); ++i) {
    const Json& deal = results[i];
    const auto& d = deals[i];
    EXPECT_EQ(deal.at("id"), std::to_string(d.id));
    const Json& props = deal.at("properties");
    EXPECT_EQ(props.at("createdate"), format_iso(d.created).insert(19, ".000"));
    EXPECT_EQ(props.at("hubspot_owner_id"), std::to_string(70000001 + d.manager));
    const Json& h = deal.at("propertiesWithHistory");
    const Json& stages = h.at("dealstage");
    ASSERT_EQ(stages.size(), d.history.size());
    for (std::size_t k = 0; k < stages.size(); ++k) {
      const auto& ev = d.history[d.history.size() - 1 - k];  // newest first
      EXPECT_EQ(stages[k].at("value"), sample_export_stage(SampleFormat::hubspot, ev.stage));
      EXPECT_EQ(stages[k].at("timestamp"), format_iso(ev.at).insert(19, ".000"));
    }
    stage_entries += stages.size();
    for (const char* key : {"amount", "closedate", "hubspot_owner_id", "hs_deal_stage_probability"})
      field_entries += h.at(key).size();
    EXPECT_EQ(h.at("hubspot_owner_id").size(), d.count(SampleField::manager));
    EXPECT_EQ(h.at("amount").at(0).at("value"), props.at("amount"));  // newest = current
  }
  EXPECT_EQ(stage_entries, summary.events);
  EXPECT_EQ(field_entries, summary.field_changes);
}

TEST(SampleExportHubspot, PipelinesAndOwners) {
  const auto files = export_files(SampleFormat::hubspot, small_sample(10, 1));
  const Json p = read_json(files.at("pipelines.json"), "pipelines.json");
  const Json& stages = p.at("results").at(0).at("stages");
  ASSERT_EQ(stages.size(), 8u);
  EXPECT_EQ(p.at("results").at(0).at("id"), "bitrix24_default");
  EXPECT_EQ(stages.at(0).at("id"), "new");
  EXPECT_EQ(stages.at(0).at("label"), "Новая");
  EXPECT_EQ(stages.at(0).at("metadata").at("isClosed"), "false");
  EXPECT_EQ(stages.at(0).at("metadata").at("probability"), "0.1");
  EXPECT_EQ(stages.at(5).at("metadata").at("probability"), "1.0");
  EXPECT_EQ(stages.at(6).at("metadata").at("isClosed"), "true");
  EXPECT_EQ(stages.at(6).at("metadata").at("probability"), "0.0");
  const Json o = read_json(files.at("owners.json"), "owners.json");
  ASSERT_EQ(o.at("results").size(), 12u);
  EXPECT_EQ(o.at("results").at(0).at("firstName"), "Анна");
  EXPECT_EQ(o.at("results").at(0).at("lastName"), "Иванова");
}

}  // namespace
}  // namespace dealflow::analytics
