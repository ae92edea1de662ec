// Property tests of the `mapped` importer over random event exports: every
// row becomes one stage event and loads without a skipped row (reopens
// included), outcomes match the rows, and the order of the rows in the file
// does not change any report number.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "dealflow/import/mapped.h"
#include "mapped_fixture_util.h"

namespace dealflow::import {
namespace {

using namespace testing;

const char* kMapping = R"({"shape":"event","date_format":"%d.%m.%Y %H:%M","currency":"EUR",
  "pipeline":{"id":"p","name":"Продажи"},
  "stages":[{"id":"NEW","name":"Новая","kind":"open"},{"id":"QUAL","name":"Квалификация","kind":"open"},
            {"id":"OFFER","name":"Offre envoyée","kind":"open"},{"id":"WON","name":"Успех","kind":"won"},
            {"id":"LOST","name":"Провал","kind":"lost"}],
  "columns":{"id":"deal","at":"when","stage":"stage","owner":"owner","amount":"sum"}})";

struct Export {
  std::vector<std::string> rows;  // CSV lines without the header
  std::size_t won = 0, lost = 0;
};

// Random deals walking the pipeline, with lost -> reopen -> ... paths and owner changes.
Export random_export(unsigned seed) {
  std::mt19937 rng(seed);
  const std::vector<std::string> names = {"Новая", "Квалификация", "Offre envoyée", "Успех", "Провал"};
  const std::vector<std::string> owners = {"Анна", "José", "Zoë"};
  Export out;
  const int deals = 5 + static_cast<int>(rng() % 20);
  for (int d = 0; d < deals; ++d) {
    int day = 1 + static_cast<int>(rng() % 20), hour = static_cast<int>(rng() % 24);
    int stage = 0;
    std::string last;
    for (int step = 0; step < 12; ++step) {
      char line[160];
      std::snprintf(line, sizeof line, "D%d,%02d.03.2024 %02d:00,%s,%s,%d.%02d", d, day, hour,
                    names[static_cast<std::size_t>(stage)].c_str(), owners[rng() % owners.size()].c_str(),
                    static_cast<int>(rng() % 5000), static_cast<int>(rng() % 100));
      out.rows.push_back(line);
      last = names[static_cast<std::size_t>(stage)];
      if (stage >= 3 && rng() % 2 == 0) break;  // closed for good
      if (stage >= 3)
        stage = static_cast<int>(rng() % 3);  // reopen into an open stage
      else
        stage = static_cast<int>(rng() % 5 == 0 ? 3 + rng() % 2
                                                : std::min(stage + 1 + static_cast<int>(rng() % 2), 4));
      const int hours = 1 + static_cast<int>(rng() % 60);
      hour += hours;
      day += hour / 24;
      hour %= 24;
      if (day > 28) break;
    }
    out.won += last == "Успех";
    out.lost += last == "Провал";
  }
  return out;
}

Result<CanonicalExport> import_rows(const std::string& name, const std::vector<std::string>& rows) {
  std::string csv = "deal,when,stage,owner,sum\n";
  for (const auto& r : rows) csv += r + "\n";
  return import_mapped(temp_file("prop_mapping.json", kMapping), {temp_file(name, csv)}, {});
}

TEST(MappedProperty, EveryRowIsAnEventAndTheRowOrderDoesNotMatter) {
  std::size_t reopened_pipelines = 0;
  for (unsigned seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Export ex = random_export(seed);
    auto a = import_rows("prop_a.csv", ex.rows);
    ASSERT_TRUE(a.ok()) << a.status().to_string();
    EXPECT_EQ(a->history.rows.size(), ex.rows.size());
    reopened_pipelines += !a->pipelines[0].reopens.empty();
    auto la = load_clean(*a);
    ASSERT_TRUE(la.has_value());
    EXPECT_EQ(la->loaded.report.events_loaded, ex.rows.size());

    std::vector<std::string> shuffled = ex.rows;
    std::mt19937 rng(seed * 7919u);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    auto b = import_rows("prop_b.csv", shuffled);
    ASSERT_TRUE(b.ok()) << b.status().to_string();
    auto lb = load_clean(*b);
    ASSERT_TRUE(lb.has_value());

    analytics::FunnelQuery fq;
    fq.as_of = *parse_instant("2024-04-01T00:00:00Z");
    auto fa = analytics::compute_funnel(la->loaded.log, *la->find_pipeline("p"), fq);
    auto fb = analytics::compute_funnel(lb->loaded.log, *lb->find_pipeline("p"), fq);
    ASSERT_TRUE(fa.ok() && fb.ok());
    EXPECT_EQ(fa->total.won, ex.won);
    EXPECT_EQ(fa->total.lost, ex.lost);
    EXPECT_EQ(reached(fa->total), reached(fb->total));
    EXPECT_EQ(fa->total.won_amount, fb->total.won_amount);
    analytics::DurationQuery dq;
    dq.as_of = fq.as_of;
    auto da = analytics::compute_durations(la->loaded.log, *la->find_pipeline("p"), dq);
    auto db = analytics::compute_durations(lb->loaded.log, *lb->find_pipeline("p"), dq);
    ASSERT_TRUE(da.ok() && db.ok());
    EXPECT_EQ(da->total.cycle.to_close.median, db->total.cycle.to_close.median);
    EXPECT_EQ(da->total.cycle.to_close.events, ex.won + ex.lost);
    // The same deals' histories and field changes, whatever order the deals were first seen in.
    auto sorted = [](std::vector<std::vector<std::string>> rows) {
      std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x[0] < y[0]; });
      return rows;
    };
    EXPECT_EQ(sorted(a->history.rows), sorted(b->history.rows));
    EXPECT_EQ(sorted(a->field_changes.rows), sorted(b->field_changes.rows));
  }
  EXPECT_GT(reopened_pipelines, 10u);  // the exports do hold reopens
}

}  // namespace
}  // namespace dealflow::import
