// `dealflow report` on the bundled data (scripts/sample-report.sh) with
// --save-json: the page is well-formed XHTML without script or external
// reference, the numbers of its accessible tables are those of the saved JSON,
// --from-json rebuilds the same bytes, two runs give the same bytes, the
// appendix is capped, and every documented error exits with its message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "report/xml_support.h"

namespace dealflow::testing {
namespace {

namespace fs = std::filesystem;
using Cells = std::vector<std::string>;
using nlohmann::json;

const std::string kTitle = "Sales report: the bundled sample (Общая воронка)";

std::string tmp_dir(const std::string& name) {
  const std::string dir =
      std::string(DEALFLOW_TEST_TMP) + "/report_" + std::to_string(::getpid()) + "_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// scripts/sample-report.sh with the built binary (like run_cli); `more` is appended as is.
CliResult sample_report(const std::string& out, const std::string& more) {
  const std::string base = std::string(DEALFLOW_TEST_TMP) + "/sample_report_" + std::to_string(::getpid());
  const std::string command = "'" DEALFLOW_SOURCE_DIR "/scripts/sample-report.sh' '" DEALFLOW_CLI "' '" +
                              out + "' " + more + " >'" + base + ".out' 2>'" + base + ".err'";
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  fs::remove(base + ".out");
  fs::remove(base + ".err");
  return r;
}

struct Sample {
  std::string html_path, json_dir, html;
  CliResult result;
};

// The report of the bundled data, written once for the whole suite.
const Sample& sample() {
  static const Sample s = [] {
    Sample out;
    const std::string dir = tmp_dir("sample");
    out.html_path = dir + "/report.html";
    out.json_dir = dir + "/json";
    out.result = sample_report(out.html_path, "--save-json '" + out.json_dir + "'");
    out.html = slurp(out.html_path);
    return out;
  }();
  return s;
}

json saved(const std::string& kind) {
  return json::parse(slurp(sample().json_dir + "/" + kind + ".json"));
}

const xml_support::Doc& page() {
  static const xml_support::Doc doc = xml_support::parse(sample().html);
  return doc;
}

// An integer as the report writes it: thin-space groups, U+2212 for the minus.
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, "\u2009");
  return (n < 0 ? "\u2212" : "") + digits;
}
// Minor units as the exact amount ("1 234.56").
std::string minor_units(std::int64_t minor) {
  return grouped(minor / 100) + "." + (minor % 100 < 10 ? "0" : "") + std::to_string(minor % 100);
}
std::string signed_count(std::int64_t n) {
  return (n > 0 ? "+" : "") + grouped(n);
}
std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
  }
  return out;
}

std::string figure(const std::string& section, int n) {
  return "(//h:section[@id='" + section + "']//h:figure)[" + std::to_string(n) + "]";
}
std::vector<Cells> table_rows(const std::string& figure_xpath) {
  std::vector<Cells> rows;
  const int n = page().count(figure_xpath + "//h:table/h:tbody/h:tr");
  for (int r = 1; r <= n; ++r) {
    rows.push_back(page().texts(figure_xpath + "//h:table/h:tbody/h:tr[" + std::to_string(r) + "]/h:td"));
  }
  return rows;
}

TEST(ReportCli, SampleIsWellFormedAndSelfContained) {
  const Sample& s = sample();
  ASSERT_EQ(s.result.exit_code, 0) << s.result.err;
  EXPECT_NE(s.result.out.find("report: wrote " + s.html_path), std::string::npos);
  ASSERT_TRUE(page().ok()) << page().error;
  EXPECT_EQ(s.html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(page().count("//h:script"), 0);
  EXPECT_EQ(page().count("//h:link | //h:img | //h:iframe | //h:object | //svg:image"), 0);
  EXPECT_EQ(page().count("//@src"), 0);
  EXPECT_EQ(page().count("//@href[not(starts-with(., '#'))]"), 0);
  EXPECT_EQ(page().count("//@*[contains(., 'http:') or contains(., 'https:')]"), 0);
  for (const std::string& style : page().texts("//h:style")) {
    EXPECT_EQ(style.find("url("), std::string::npos);
    EXPECT_EQ(style.find("@import"), std::string::npos);
  }
  // Every in-page link has its target.
  std::set<std::string> ids;
  for (xmlNode* n : page().nodes("//*[@id]")) ids.insert(xml_support::Doc::attr(n, "id"));
  for (xmlNode* n : page().nodes("//@href/..")) {
    const std::string href = xml_support::Doc::attr(n, "href");
    EXPECT_TRUE(ids.count(href.substr(1))) << href;
  }
  for (const char* id :
       {"funnel", "cohorts", "durations", "movement", "planning", "managers", "routing", "appendix"}) {
    EXPECT_TRUE(ids.count(id)) << id;
  }
  for (const char* kind : {"funnel", "cohorts", "durations", "movement", "plan", "forecast", "backtest",
                           "scorecard", "funnel-by-manager", "lint", "route"}) {
    EXPECT_TRUE(fs::exists(s.json_dir + "/" + kind + ".json")) << kind;
  }
}

TEST(ReportCli, FunnelReachedPerStageEqualsTheJson) {
  const json funnel = saved("funnel");
  const auto rows = table_rows(figure("funnel", 1));
  ASSERT_EQ(rows.size(), funnel["stages"].size());
  ASSERT_GE(rows.size(), 3u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& stage = funnel["stages"][i];
    EXPECT_EQ(rows[i][0], stage["name"].get<std::string>());
    EXPECT_EQ(rows[i][1], grouped(stage["reached"].get<std::int64_t>()));
  }
}

TEST(ReportCli, CohortsMonthDealsEqualTheJson) {
  const json cohorts = saved("cohorts");
  const auto rows = table_rows(figure("cohorts", 1));
  ASSERT_EQ(rows.size(), cohorts["months"].size());
  ASSERT_GE(rows.size(), 6u);
  const auto rates = table_rows(figure("cohorts", 2));
  ASSERT_EQ(rates.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& month = cohorts["months"][i];
    EXPECT_EQ(rows[i][0], month["month"].get<std::string>());
    EXPECT_EQ(rows[i][1], grouped(month["deals"].get<std::int64_t>()));
    EXPECT_EQ(rates[i][2], grouped(month["won"].get<std::int64_t>()));
    EXPECT_EQ(rates[i][3], grouped(month["lost"].get<std::int64_t>()));
  }
}

TEST(ReportCli, MovementBarsAndTheirListsEqualTheJson) {
  const json movement = saved("movement");
  ASSERT_EQ(movement["currencies"].size(), 1u);
  const json& part = movement["currencies"][0];
  ASSERT_EQ(part["currency"], "RUB");
  const auto rows = table_rows(figure("movement", 1));
  ASSERT_EQ(rows.size(), part["bars"].size());
  std::vector<std::string> expected_links;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& bar = part["bars"][i];
    const auto count = bar["count"].get<std::int64_t>();
    EXPECT_EQ(rows[i][0], bar["label"].get<std::string>());
    EXPECT_EQ(rows[i][1], bar["kind"] == "level" ? grouped(count) : signed_count(count)) << rows[i][0];
    if (bar["deals"].empty()) continue;
    const std::string id = "list-movement-rub-" + slug(bar["bar"].get<std::string>());
    expected_links.push_back("#" + id);
    // The appendix list holds the bar's deal ids, in order.
    const std::string list = "//h:section[@id='" + id + "']";
    EXPECT_EQ(page().texts(list + "/h:p[@class='count']"),
              (Cells{grouped(static_cast<std::int64_t>(bar["deals"].size())) +
                     (bar["deals"].size() == 1 ? " deal" : " deals")}));
    Cells ids;
    for (const auto& d : bar["deals"]) ids.push_back(d.get<std::string>());
    EXPECT_EQ(page().texts(list + "//h:li"), ids);
  }
  // The waterfall's bars link to exactly those lists.
  std::vector<std::string> links;
  for (xmlNode* a : page().nodes(figure("movement", 1) + "//svg:a")) {
    links.push_back(xml_support::Doc::attr(a, "href"));
  }
  EXPECT_EQ(links, expected_links);
  EXPECT_EQ(page().count(figure("movement", 1) + "//svg:a//svg:rect[contains(@class, 'mark')]"),
            static_cast<int>(expected_links.size()));
}

TEST(ReportCli, KaplanMeierAtRiskRowsEqualTheJson) {
  const json durations = saved("durations");
  const json& points = durations["curves"]["time_to_close"];
  const std::size_t n = points.size();
  ASSERT_GT(n, 24u);
  const std::size_t stride = (n + 23) / 24;
  std::vector<std::size_t> sampled;
  for (std::size_t i = 0; i < n; i += stride) sampled.push_back(i);
  if (sampled.back() != n - 1) sampled.push_back(n - 1);
  const auto rows = table_rows(figure("durations", 1));
  ASSERT_EQ(rows.size(), sampled.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const json& p = points[sampled[r]];
    EXPECT_EQ(rows[r][2], grouped(p["at_risk"].get<std::int64_t>()));
    EXPECT_EQ(rows[r][3], grouped(p["events"].get<std::int64_t>()));
    EXPECT_EQ(rows[r][4], grouped(p["censored"].get<std::int64_t>()));
  }
  // One censoring tick per censoring time.
  EXPECT_EQ(page().count(figure("durations", 1) + "//svg:*[contains(@class, 'mark censor')]"),
            static_cast<int>(durations["curves"]["censor_times"].size()));
}

TEST(ReportCli, PlanFactEqualsTheJson) {
  const json plan = saved("plan");
  const std::string table =
      "//h:section[@id='planning']//h:table[h:caption = 'Plan against fact, 2024-Q3 (won amount, RUB)']";
  ASSERT_EQ(page().count(table), 1);
  int checked = 0;
  for (const json& row : plan["rows"]) {
    if (row["metric"] != "won_amount" || row["currency"] != "RUB" || !row.value("in_force", true)) continue;
    const std::string label = row["scope"] == "company"   ? std::string("company")
                              : row["scope"] == "manager" ? row["scope_value"].get<std::string>()
                                                          : row["scope"].get<std::string>() + ": " +
                                                                row["scope_value"].get<std::string>();
    const auto cells = page().texts(table + "/h:tbody/h:tr[h:td[1] = '" + label + "']/h:td");
    ASSERT_EQ(cells.size(), 5u) << label;
    EXPECT_EQ(cells[1], minor_units(row["plan"].get<std::int64_t>())) << label;
    EXPECT_EQ(cells[2], minor_units(row["fact"].get<std::int64_t>())) << label;
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(ReportCli, FromJsonRebuildsTheSameBytes) {
  const Sample& s = sample();
  ASSERT_EQ(s.result.exit_code, 0) << s.result.err;
  const std::string dir = tmp_dir("from_json");
  auto r =
      run_cli("report --out '" + dir + "/a.html' --title '" + kTitle + "' --from-json '" + s.json_dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(slurp(dir + "/a.html") == s.html);
  // KIND=FILE pairs, in any order, give the same page.
  std::string pairs;
  for (const char* kind : {"route", "lint", "funnel-by-manager", "scorecard", "backtest", "forecast", "plan",
                           "movement", "durations", "cohorts", "funnel"}) {
    pairs += std::string(" --from-json ") + kind + "='" + s.json_dir + "/" + kind + ".json'";
  }
  r = run_cli("report --out '" + dir + "/b.html' --title '" + kTitle + "'" + pairs);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(slurp(dir + "/b.html") == s.html);
}

TEST(ReportCli, TwoRunsGiveTheSameBytes) {
  const Sample& s = sample();
  const std::string dir = tmp_dir("again");
  auto r = sample_report(dir + "/again.html", "");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(slurp(dir + "/again.html") == s.html);
}

TEST(ReportCli, AppendixCapListsAtMostNIds) {
  const Sample& s = sample();
  const std::string dir = tmp_dir("cap");
  auto r = run_cli("report --out '" + dir + "/cap.html' --from-json '" + s.json_dir + "' --appendix-cap 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto capped = xml_support::parse(slurp(dir + "/cap.html"));
  ASSERT_TRUE(capped.ok()) << capped.error;
  const json movement = saved("movement");
  int lists = 0;
  for (const json& bar : movement["currencies"][0]["bars"]) {
    const std::size_t n = bar["deals"].size();
    if (n == 0) continue;
    ++lists;
    const std::string list =
        "//h:section[@id='list-movement-rub-" + slug(bar["bar"].get<std::string>()) + "']";
    EXPECT_EQ(capped.count(list + "//h:li"), static_cast<int>(std::min<std::size_t>(n, 3)));
    EXPECT_EQ(capped.texts(list + "/h:p[@class='more']"),
              n > 3 ? Cells{"… and " + grouped(static_cast<std::int64_t>(n - 3)) + " more"} : Cells{});
  }
  EXPECT_GE(lists, 5);
  EXPECT_EQ(capped.count("//h:p[@class='more']"),
            capped.count("//h:section[@class='deal-list']") - capped.count("//h:section[@class='deal-list']"
                                                                           "[count(.//h:li) < 3]"));
  // Uncapped (default 500): no list of the sample is cut.
  EXPECT_EQ(page().count("//h:p[@class='more']"), 0);
}

TEST(ReportCli, UsageErrorsExitTwoWithTheirMessage) {
  const Sample& s = sample();
  const std::string dir = tmp_dir("usage");
  const std::string out = " --out '" + dir + "/x.html'";
  auto r = run_cli("report --from-json '" + s.json_dir + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: missing required option --out (see --help)\n");
  r = run_cli("report" + out + " --from-json bogus=x.json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "error: --from-json 'bogus=x.json': unknown kind 'bogus' (expected one of funnel, cohorts, durations, "
      "movement, plan, forecast, backtest, scorecard, funnel-by-manager, lint, route)\n");
  fs::create_directories(dir + "/empty");
  r = run_cli("report" + out + " --from-json '" + dir + "/empty'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: --from-json: no <kind>.json document found\n");
  r = run_cli("report" + out + " --from-json '" + dir + "/nowhere'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: --from-json '" + dir +
                       "/nowhere': expected a folder of <kind>.json files or "
                       "KIND=FILE.json\n");
  r = run_cli("report" + out + " --from-json '" + s.json_dir + "' --deals data/sample/deals.csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: --from-json reads saved JSON: it takes no --pipeline, --deals or --snapshot\n");
  for (const char* cap : {"-1", "3x", "", "lots"}) {
    r = run_cli("report" + out + " --from-json '" + s.json_dir + "' --appendix-cap '" + cap + "'");
    EXPECT_EQ(r.exit_code, 2) << cap;
    EXPECT_EQ(r.err, "error: --appendix-cap '" + std::string(cap) + "': expected a non-negative integer\n");
  }
  r = sample_report(dir + "/x.html", "--period 2024-Q5");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("error: --period: period '2024-Q5': quarter 1 .. 4: expected YYYY-MM", 0), 0u)
      << r.err;
  r = run_cli("report" + out + " --from-json '" + s.json_dir + "' stray");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: unexpected argument 'stray' (see --help)\n");
  EXPECT_FALSE(fs::exists(dir + "/x.html"));
}

// A copy of the saved documents with `kind`.json replaced by `text`.
std::string broken_dir(const std::string& name, const std::string& kind, const std::string& text) {
  const std::string dir = tmp_dir(name);
  for (const auto& entry : fs::directory_iterator(sample().json_dir)) {
    fs::copy_file(entry.path(), dir + "/" + entry.path().filename().string());
  }
  std::ofstream(dir + "/" + kind + ".json", std::ios::binary | std::ios::trunc) << text;
  return dir;
}

TEST(ReportCli, BrokenDocumentExitsOneNamingTheFileAndJsonPath) {
  json funnel = saved("funnel");
  funnel["stages"][1]["reached"] = "many";
  std::string dir = broken_dir("broken_member", "funnel", funnel.dump(2));
  auto r = run_cli("report --out '" + dir + "/x.html' --from-json '" + dir + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: " + dir +
                       "/funnel.json: at /stages/1/reached: expected an integer (64-bit), got "
                       "\"many\"\n");
  EXPECT_FALSE(fs::exists(dir + "/x.html"));

  // KIND=FILE: the error names the file given, whatever its name.
  const std::string other = dir + "/my funnel.json";
  fs::copy_file(dir + "/funnel.json", other);
  r = run_cli("report --out '" + dir + "/x.html' --from-json 'funnel=" + other + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "error: " + other + ": at /stages/1/reached: expected an integer (64-bit), got \"many\"\n");

  // The funnel per manager is saved as funnel-by-manager.json: its errors name that file.
  json by_manager = saved("funnel-by-manager");
  by_manager["groups"][0]["deals"] = 1.5;
  dir = broken_dir("broken_by_manager", "funnel-by-manager", by_manager.dump());
  r = run_cli("report --out '" + dir + "/x.html' --from-json '" + dir + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: " + dir +
                       "/funnel-by-manager.json: at /groups/0/deals: expected an integer (64-bit), "
                       "got 1.5\n");

  // Not JSON at all: the parser's error names the file, line and column.
  dir = broken_dir("broken_syntax", "movement", "{\n  \"definition\": {\n    \"from\": ,\n");
  r = run_cli("report --out '" + dir + "/x.html' --from-json '" + dir + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("error: " + dir + "/movement.json:3:", 0), 0u) << r.err;
}

}  // namespace
}  // namespace dealflow::testing
