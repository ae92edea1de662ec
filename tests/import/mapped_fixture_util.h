// Helpers of the HubSpot, Pipedrive and mapped importer tests: fixture paths,
// loading an export as analytics input (zero skipped rows required), and the
// three reports the acceptance criteria name.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/scorecard.h"
#include "dealflow/import/canonical.h"

namespace dealflow::import::testing {

inline std::string fixture(const std::string& source, const std::string& name) {
  return std::string(DEALFLOW_SOURCE_DIR) + "/tests/import/fixtures/" + source + "/" + name;
}

// Writes `bytes` to a fresh file under the test temp folder and returns its path.
inline std::string temp_file(const std::string& name, const std::string& bytes) {
  const std::filesystem::path dir = std::filesystem::path(DEALFLOW_TEST_TMP) / "import_hpm";
  std::filesystem::create_directories(dir);
  const std::filesystem::path p = dir / name;
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
  return p.string();
}

inline std::string whole(const CanonicalExport& e) {
  std::string s = to_csv(e.deals) + to_csv(e.history) + to_csv(e.field_changes) + report_json(e.report);
  for (const auto& p : e.pipelines) s += pipeline_json(p);
  return s;
}

// Loads the export leniently and requires that nothing was skipped.
inline std::optional<ImportedLog> load_clean(const CanonicalExport& e) {
  analytics::CsvLoadOptions opt;
  opt.mode = analytics::LoadMode::lenient;
  auto loaded = to_event_log(e, opt);
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  if (!loaded) return std::nullopt;
  EXPECT_EQ(loaded->loaded.report.total(), 0u) << loaded->loaded.report.to_text();
  return std::move(*loaded);
}

inline std::vector<std::uint64_t> reached(const analytics::FunnelFigures& f) {
  std::vector<std::uint64_t> out;
  for (const auto& s : f.stages) out.push_back(s.reached);
  return out;
}

inline const analytics::ScorecardRow* manager_row(const analytics::ScorecardReport& r,
                                                  const std::string& name) {
  for (const auto& row : r.managers)
    if (row.manager && *row.manager == name) return &row;
  return nullptr;
}

constexpr std::int64_t kDay = 86400;

}  // namespace dealflow::import::testing
