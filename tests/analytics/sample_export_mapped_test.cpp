// `dealflow sample --format mapped`: a spreadsheet-like event CSV and its
// mapping; and `canonical` through the export API equals generate_sample_csv.
#include <gtest/gtest.h>

#include <cstdio>

#include "analytics/sample_export_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::export_files;
using testing::has_shape;
using testing::read_json;
using testing::reference;
using testing::small_sample;

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

TEST(SampleExportMapped, EventRowsInSpreadsheetShape) {
  const SampleOptions sample = small_sample(200, 14);
  SampleSummary summary;
  const auto deals = reference(sample, &summary);
  const auto files = export_files(SampleFormat::mapped, sample);
  const std::string& csv = files.at("sample.csv");
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < csv.size();) {
    const std::size_t end = csv.find('\n', start);
    lines.push_back(csv.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), summary.events + 1);
  const auto header = split(lines[0], ';');
  EXPECT_EQ(header[0], "Сделка");
  EXPECT_EQ(header[3], "Этап");
  std::size_t k = 1;
  for (const auto& d : deals)
    for (const auto& ev : d.history) {
      const auto row = split(lines[k++], ';');
      ASSERT_EQ(row.size(), header.size());
      EXPECT_EQ(row[0], std::to_string(d.id));
      EXPECT_TRUE(has_shape(row[2], "99.99.9999 99:99")) << row[2];
      EXPECT_EQ(row[3], sample_stages()[ev.stage].name);
      EXPECT_EQ(row[7], std::to_string(sample_stages()[ev.stage].probability));  // as of the row
      // Moscow time (UTC+3), minutes.
      const std::int64_t local = ev.at.unix_seconds() + 3 * 3600;
      const Date day(static_cast<std::int32_t>(local / 86400));
      char expect[20];
      std::snprintf(expect, sizeof expect, "%02d.%02d.%04d %02d:%02d", static_cast<int>(day.day()),
                    static_cast<int>(day.month()), day.year(), static_cast<int>(local % 86400 / 3600),
                    static_cast<int>(local % 3600 / 60));
      EXPECT_EQ(row[2], expect);
    }
  const Json mapping = read_json(files.at("sample.mapping.json"), "sample.mapping.json");
  EXPECT_EQ(header[7], "Вероятность");
  EXPECT_EQ(mapping.at("shape"), "event");
  EXPECT_EQ(mapping.at("separator"), ";");
  EXPECT_EQ(mapping.at("columns").at("at"), "Дата");
  EXPECT_EQ(mapping.at("columns").at("probability"), "Вероятность");
  ASSERT_EQ(mapping.at("stages").size(), 8u);
  EXPECT_EQ(mapping.at("stages").at(2).at("name"), "Счёт на предоплату");
  EXPECT_DOUBLE_EQ(mapping.at("stages").at(2).at("probability").get<double>(), 0.4);
  EXPECT_EQ(mapping.at("stages").at(7).at("kind"), "lost");
}

TEST(SampleExportCanonical, EqualsGenerateSampleCsv) {
  const SampleOptions sample = small_sample(300, 15);
  SampleExportSummary exported;
  const auto files = export_files(SampleFormat::canonical, sample, &exported);
  auto csv = generate_sample_csv(sample);
  ASSERT_TRUE(csv);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files.at("deals.csv"), csv->deals);
  EXPECT_EQ(files.at("history.csv"), csv->history);
  EXPECT_EQ(files.at("field_changes.csv"), csv->field_changes);
  EXPECT_EQ(exported.stage_changes, csv->summary.events);
  EXPECT_EQ(exported.field_changes, csv->summary.field_changes);
  EXPECT_EQ(exported.bytes, csv->deals.size() + csv->history.size() + csv->field_changes.size());
}

TEST(SampleExport, EveryFormatIsDeterministic) {
  for (SampleFormat f : {SampleFormat::canonical, SampleFormat::bitrix24, SampleFormat::salesforce,
                         SampleFormat::hubspot, SampleFormat::pipedrive, SampleFormat::mapped}) {
    SCOPED_TRACE(std::string(to_string(f)));
    const auto a = export_files(f, small_sample(150, 30));
    const auto b = export_files(f, small_sample(150, 30));
    const auto c = export_files(f, small_sample(150, 31));
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a == c);
    for (const auto& [name, text] : a) EXPECT_EQ(text.find('\r'), std::string::npos) << name;
  }
}

// Whichever chunk of whichever file fails, the export stops with that error.
TEST(SampleExport, SinkErrorStopsTheExportAtEveryChunk) {
  for (SampleFormat f : {SampleFormat::canonical, SampleFormat::bitrix24, SampleFormat::salesforce,
                         SampleFormat::hubspot, SampleFormat::pipedrive, SampleFormat::mapped}) {
    SCOPED_TRACE(std::string(to_string(f)));
    SampleExportOptions options;
    options.format = f;
    const SampleOptions sample = small_sample(2600, 1);
    int total = 0;
    ASSERT_TRUE(export_sample(sample, options, [&](std::string_view, std::string_view) {
      ++total;
      return Status();
    }));
    for (int fail_at = 1; fail_at <= total; ++fail_at) {
      int calls = 0;
      auto r = export_sample(sample, options, [&](std::string_view, std::string_view) {
        return ++calls == fail_at ? Status(ErrorCode::io_error, "disk full") : Status();
      });
      ASSERT_FALSE(r) << "call " << fail_at << " of " << total;
      EXPECT_EQ(r.status().message(), "disk full");
    }
  }
}

TEST(SampleExport, UnwritableDirectoryIsAnIoErrorAndLeavesNoFiles) {
  SampleExportOptions options;
  options.format = SampleFormat::salesforce;
  auto r = write_sample_export(small_sample(10, 1), options, "/proc/dealflow-no");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::io_error);
  EXPECT_NE(r.status().message().find("/proc/dealflow-no"), std::string::npos);
}

TEST(SampleExport, FormatNames) {
  for (std::string_view name : {"canonical", "bitrix24", "salesforce", "hubspot", "pipedrive", "mapped"}) {
    auto f = parse_sample_format(name);
    ASSERT_TRUE(f);
    EXPECT_EQ(to_string(*f), name);
  }
  auto bad = parse_sample_format("amocrm");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("format 'amocrm' is not known: expected canonical, bitrix24"),
            std::string::npos);
}

}  // namespace
}  // namespace dealflow::analytics
