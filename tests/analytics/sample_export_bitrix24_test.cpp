// `dealflow sample --format bitrix24`: REST responses in plain and batch
// pages of 50, every value a string, portal times, category stage ids.
#include <gtest/gtest.h>

#include "analytics/sample_export_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::export_files;
using testing::read_json;
using testing::reference;
using testing::small_sample;

// The items of a list file, plain page or batch response, in order.
std::vector<Json> items_of(const Json& doc, bool items_object, std::size_t* pages) {
  std::vector<Json> out;
  const Json& result = doc.at("result");
  auto take = [&](const Json& page) {
    const Json& list = items_object ? page.at("items") : page;
    EXPECT_LE(list.size(), 50u);
    ++*pages;
    for (const Json& item : list) out.push_back(item);
  };
  if (result.is_object() && result.contains("result")) {
    EXPECT_LE(result.at("result").size(), 50u);
    for (std::size_t i = 0; i < result.at("result").size(); ++i)
      take(result.at("result").at("cmd" + std::to_string(i)));
  } else {
    take(result);
  }
  return out;
}

TEST(SampleExportBitrix24, PagesShapesAndCounts) {
  const SampleOptions sample = small_sample(2700, 8);  // > 50 pages of history: a plain page and two batches
  SampleSummary summary;
  const auto deals = reference(sample, &summary);
  SampleExportSummary exported;
  const auto files = export_files(SampleFormat::bitrix24, sample, &exported);
  EXPECT_EQ(exported.stage_changes, summary.events);
  EXPECT_EQ(exported.field_changes, 0u);  // Bitrix24's REST API has no field history

  std::vector<Json> history, deal_items;
  std::size_t history_files = 0, pages = 0;
  for (const auto& [name, text] : files) {
    SCOPED_TRACE(name);
    const Json doc = read_json(text, name);
    if (name.rfind("crm.stagehistory.list-", 0) == 0) {
      ++history_files;
      const auto items = items_of(doc, true, &pages);
      history.insert(history.end(), items.begin(), items.end());
      if (name == "crm.stagehistory.list-00000.json") {
        EXPECT_EQ(doc.at("next"), 50);
        EXPECT_EQ(doc.at("total"), summary.events);
        EXPECT_EQ(items.size(), 50u);
      } else {
        EXPECT_TRUE(doc.at("result").at("result_total").at("cmd0") == summary.events);
      }
    } else if (name.rfind("crm.deal.list-", 0) == 0) {
      const auto items = items_of(doc, false, &pages);
      deal_items.insert(deal_items.end(), items.begin(), items.end());
    }
  }
  EXPECT_EQ(history_files, 1 + (summary.events - 50 + 2499) / 2500);
  ASSERT_EQ(history.size(), summary.events);
  ASSERT_EQ(deal_items.size(), deals.size());

  std::size_t created = 0, final_moves = 0, expected_final = 0, k = 0;
  for (const auto& d : deals)
    for (std::size_t i = 0; i < d.history.size(); ++i, ++k) {
      const Json& item = history[k];
      for (const auto& [key, value] : item.items()) EXPECT_TRUE(value.is_string()) << key;
      EXPECT_EQ(item.at("OWNER_ID"), std::to_string(d.id));
      EXPECT_EQ(item.at("STAGE_ID"), "C1:" + std::string(sample_stages()[d.history[i].stage].id));
      EXPECT_EQ(item.at("CATEGORY_ID"), "1");
      // The same instant at the portal's offset.
      EXPECT_EQ(item.at("CREATED_TIME"), format_iso(d.history[i].at, 180));
      created += item.at("TYPE_ID") == "1" ? 1 : 0;
      final_moves += item.at("TYPE_ID") == "3" ? 1 : 0;
      expected_final += i > 0 && d.history[i].stage >= 5 ? 1 : 0;
    }
  EXPECT_EQ(created, deals.size());
  EXPECT_EQ(final_moves, expected_final);

  for (std::size_t i = 0; i < deals.size(); ++i) {
    const Json& deal = deal_items[i];
    for (const auto& [key, value] : deal.items()) EXPECT_TRUE(value.is_string()) << key;
    EXPECT_EQ(deal.at("ID"), std::to_string(deals[i].id));
    EXPECT_EQ(deal.at("ASSIGNED_BY_ID"), std::to_string(deals[i].manager + 1));
    EXPECT_EQ(deal.at("STAGE_ID"), "C1:" + std::string(sample_stages()[deals[i].history.back().stage].id));
  }
}

TEST(SampleExportBitrix24, StageListCategoriesAndUsers) {
  const auto files = export_files(SampleFormat::bitrix24, small_sample(20, 1));
  const Json stages = read_json(files.at("crm.status.list.json"), "crm.status.list.json");
  ASSERT_EQ(stages.at("result").size(), 8u);
  const Json& won = stages.at("result").at(5);
  EXPECT_EQ(won.at("STATUS_ID"), "C1:WON");
  EXPECT_EQ(won.at("NAME"), "Сделка успешна");
  EXPECT_EQ(won.at("SEMANTICS"), "S");
  EXPECT_EQ(won.at("EXTRA").at("SEMANTICS"), "success");
  EXPECT_EQ(stages.at("result").at(0).at("SEMANTICS"), "");
  EXPECT_EQ(stages.at("result").at(7).at("SEMANTICS"), "F");
  EXPECT_EQ(stages.at("result").at(1).at("SORT"), "20");
  const Json cats = read_json(files.at("crm.dealcategory.list.json"), "crm.dealcategory.list.json");
  EXPECT_EQ(cats.at("result").at(0).at("ID"), "1");
  const Json users = read_json(files.at("user.get.json"), "user.get.json");
  EXPECT_EQ(users.at("result").size(), 12u);
  EXPECT_EQ(users.at("result").at(0).at("LAST_NAME"), "Иванова");
  // 20 deals: one plain page each, no batch file.
  EXPECT_EQ(files.count("crm.deal.list-00001.json"), 0u);
  const Json deals = read_json(files.at("crm.deal.list-00000.json"), "crm.deal.list-00000.json");
  EXPECT_EQ(deals.at("total"), 20);
  EXPECT_FALSE(deals.contains("next"));
}

}  // namespace
}  // namespace dealflow::analytics
