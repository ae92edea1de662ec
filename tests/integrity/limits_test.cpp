// The documented limits of docs/limits.md (issue 12 §3): each one is a located
// error (file:line:column or JSON path, the size or value, the limit), never a
// crash, a hang or memory in proportion to the bad input.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "integrity/data_fixtures.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/compensation/plan.h"
#include "dealflow/core/time.h"
#include "dealflow/import/hubspot.h"
#include "dealflow/import/pipedrive.h"
#include "dealflow/import/salesforce.h"
#include "dealflow/io/calendar_json.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/plan.h"
#include "dealflow/routing/advisor_json.h"
#include "dealflow/routing/router_state.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow {
namespace {

namespace da = dealflow::analytics;
namespace dr = dealflow::routing;

using testing::kData;

// A file in the test's per-pid temporary folder, removed when the object goes.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : path_(std::string(DEALFLOW_TEST_TMP) + "/limits_" + std::to_string(::getpid()) + "_" + name) {
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

using testing::bitrix_pipeline;
using testing::rules;
using testing::team;

const std::string kTooLong =
    "field is longer than 1048576 bytes (1 MiB): expected a field of at most 1048576 bytes";

// ---------------------------------------------------------------------------
// CSV: the longest field, in each of the three CSV readers.

TEST(Limits, CsvReaderAcceptsAFieldOfExactlyTheLimit) {
  for (const std::string& field :
       {std::string(kMaxCsvFieldBytes, 'x'), "\"" + std::string(kMaxCsvFieldBytes, 'y') + "\"",
        "\"" + std::string(kMaxCsvFieldBytes - 1, 'z') + "\"\"\""}) {  // a doubled quote counts once
    CsvReader csv = CsvReader::from_text("id,note\n1," + field + "\n", "f.csv");
    ASSERT_TRUE(csv.read_header().ok());
    std::vector<std::string_view> row;
    auto more = csv.next(row);
    ASSERT_TRUE(more.ok()) << more.status().to_string();
    EXPECT_EQ(row.at(1).size(), kMaxCsvFieldBytes);
  }
}

TEST(Limits, CsvReaderRefusesAFieldOneByteOverTheLimitAtItsStart) {
  for (const std::string& field :
       {std::string(kMaxCsvFieldBytes + 1, 'x'), "\"" + std::string(kMaxCsvFieldBytes + 1, 'y') + "\"",
        // An unterminated quote swallowing the rest of the file: refused at the limit.
        "\"" + std::string(3 * kMaxCsvFieldBytes, 'z')}) {
    CsvReader csv = CsvReader::from_text("id,note\n1,ok\n2," + field + "\n", "f.csv");
    ASSERT_TRUE(csv.read_header().ok());
    std::vector<std::string_view> row;
    ASSERT_TRUE(*csv.next(row));
    auto more = csv.next(row);
    ASSERT_FALSE(more.ok());
    EXPECT_EQ(more.status().code(), ErrorCode::parse_error);
    EXPECT_EQ(more.status().location().to_string(), "f.csv:3:3");
    EXPECT_EQ(more.status().message().rfind(kTooLong, 0), 0u) << more.status().message();
  }
}

TEST(Limits, AnalyticsLoadersRefuseAFieldOverTheLimit) {
  const std::string manager = "\"" + std::string(kMaxCsvFieldBytes + 1, 'M') + "\"";
  auto deals = da::load_deals_csv(
      "id,created_at,manager\n1,2024-01-02T09:00:00Z,Соколова\n2,2024-01-03T09:00:00Z," + manager + "\n",
      "deals.csv", {&bitrix_pipeline()}, {});
  ASSERT_FALSE(deals.ok());
  EXPECT_EQ(deals.status().location().to_string(), "deals.csv:3:24");
  EXPECT_EQ(deals.status().message().rfind(kTooLong, 0), 0u) << deals.status().message();

  auto loaded =
      da::load_deals_csv("id,created_at\n1,2024-01-02T09:00:00Z\n", "d.csv", {&bitrix_pipeline()}, {});
  ASSERT_TRUE(loaded.ok());
  const std::string actor(kMaxCsvFieldBytes + 1, 'a');  // unquoted
  Status st = da::load_history_csv("deal_id,at,stage,actor\n1,2024-01-02T09:00:00Z,NEW," + actor + "\n",
                                   "h.csv", {&bitrix_pipeline()}, {}, *loaded);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.location().to_string(), "h.csv:2:28");
  EXPECT_EQ(st.message().rfind(kTooLong, 0), 0u) << st.message();
  EXPECT_EQ(loaded->log.event_count(), 0u);
}

TEST(Limits, ImportersRefuseAFieldOverTheLimit) {
  TempFile file("Opportunity.csv",
                "\"Id\",\"StageName\"\n\"006A\",\"" + std::string(kMaxCsvFieldBytes + 1, 's') + "\"\n");
  auto r = import::import_salesforce({file.path()}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().location().line, 2);
  EXPECT_EQ(r.status().location().column, 8);
  EXPECT_EQ(r.status().message().rfind(kTooLong, 0), 0u) << r.status().message();
}

// ---------------------------------------------------------------------------
// CR-only line ends are refused by every CSV reader, the importers included.

TEST(Limits, ImportersRefuseCrOnlyLineEnds) {
  TempFile file("cr_only.csv", "\"Id\",\"StageName\"\r\"006A\",\"Prospecting\"\r");
  auto r = import::import_salesforce({file.path()}, {});
  ASSERT_FALSE(r.ok());
  // The importers name a file by its base name.
  EXPECT_EQ(r.status().location().to_string(), file.path().substr(file.path().rfind('/') + 1) + ":1:17");
  EXPECT_EQ(r.status().message().rfind("line ends with a CR not followed by LF at byte offset 16", 0), 0u)
      << r.status().message();
}

// ---------------------------------------------------------------------------
// JSON nested 100 000 levels deep: refused at the bracket that opens level
// kMaxJsonDepth + 1, by every JSON loader, without recursion.

TEST(Limits, EveryJsonLoaderRefusesDeepNesting) {
  ASSERT_EQ(kMaxJsonDepth, 512u);
  TempFile arrays("deep_arrays.json", std::string(100000, '[') + std::string(100000, ']'));
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100000, '}');
  TempFile nested_objects("deep_objects.json", objects);
  const std::vector<std::pair<std::string, std::function<Status(const std::string&)>>> loaders = {
      {"pipeline", [](const std::string& p) { return load_pipeline_file(p).status(); }},
      {"team", [](const std::string& p) { return dr::load_team_file(p).status(); }},
      {"rules", [](const std::string& p) { return dr::load_rules_file(p, team()).status(); }},
      {"router state",
       [](const std::string& p) { return dr::load_router_state_file(p, team(), rules()).status(); }},
      {"calendar", [](const std::string& p) { return load_calendar_file(p).status(); }},
      {"volumes", [](const std::string& p) { return dr::load_volumes_file(p).status(); }},
      {"plan", [](const std::string& p) { return planning::load_plan_file(p).status(); }},
      {"commission plan",
       [](const std::string& p) { return compensation::load_compensation_plan_file(p).status(); }},
      {"hubspot json", [](const std::string& p) { return import::import_hubspot({p}, {}).status(); }},
      {"pipedrive json", [](const std::string& p) { return import::import_pipedrive({p}, {}).status(); }},
  };
  for (const auto& [what, load] : loaders) {
    for (const auto& [file, column] : {std::pair{&arrays, 513}, std::pair{&nested_objects, 5 * 512 + 1}}) {
      // The importers take a file starting with '[' for CSV: the nested objects are their JSON case.
      if (what.find(" json") != std::string::npos && file == &arrays) continue;
      Status st;
      EXPECT_NO_THROW(st = load(file->path())) << what;
      ASSERT_FALSE(st.ok()) << what;
      EXPECT_EQ(st.code(), ErrorCode::parse_error) << what;
      EXPECT_EQ(st.location().line, 1) << what;
      EXPECT_EQ(st.location().column, column) << what;
      EXPECT_EQ(st.message(), "JSON nests deeper than 512 levels of arrays and objects: expected at most 512")
          << what;
    }
  }
}

TEST(Limits, JsonArraysLongerThanALoadersMaximumStopTheParser) {
  EXPECT_TRUE(parse_json(R"({"a": [[1, 2], {"b": [3, 4]}]})", "f.json", 2).ok());
  auto r = parse_json(R"({"a": [[1, 2], {"b~/": [3, 4, 5]}]})", "f.json", 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::parse_error);
  EXPECT_EQ(r.status().location().to_string(), "f.json: at /a/1/b~0~1");
  EXPECT_EQ(r.status().message(), "array with more than 2 elements: expected at most 2");
  auto root = parse_json("[1, 2, 3]", "f.json", 2);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.status().location().to_string(), "f.json: at /");
}

TEST(Limits, JsonAtTheDepthLimitParses) {
  EXPECT_TRUE(parse_json(std::string(512, '[') + std::string(512, ']'), "ok.json").ok());
  auto deeper = parse_json(std::string(513, '[') + std::string(513, ']'), "deep.json");
  ASSERT_FALSE(deeper.ok());
  EXPECT_EQ(deeper.status().location().to_string(), "deep.json:1:513");
}

TEST(Limits, JsonWithANulByteOrInvalidUtf8InANameIsLocated) {
  auto nul = parse_json(std::string("{\"id\": \"a\0b\"}", 13), "nul.json");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status().location().to_string(), "nul.json:1:10");
  EXPECT_EQ(nul.status().message().rfind("NUL byte (0x00) at byte offset 9", 0), 0u)
      << nul.status().message();
  auto latin1 = parse_json("{\"name\": \"Jos\xE9\"}", "latin1.json");
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.status().location().to_string(), "latin1.json:1:14");
  EXPECT_EQ(latin1.status().message().rfind("invalid UTF-8 byte 0xE9 at byte offset 13", 0), 0u)
      << latin1.status().message();
}

// ---------------------------------------------------------------------------
// Stages and rules.

TEST(Limits, APipelineOf100000StagesIsRefusedAtStages) {
  std::string text = R"({"id": "big", "name": "Big", "stages": [)";
  for (int i = 0; i < 100000; ++i)
    text += R"({"id": "S)" + std::to_string(i) + R"(", "name": "S", "kind": "open"},)";
  text += R"({"id": "WON", "name": "W", "kind": "won"}, {"id": "LOST", "name": "L", "kind": "lost"}]})";
  auto p = parse_pipeline_text(text, "big.json");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().location().file, "big.json");
  EXPECT_EQ(p.status().location().json_path, "/stages");
  EXPECT_NE(p.status().message().find("has 100002 stages; at most 256 are supported"), std::string::npos)
      << p.status().message();
}

TEST(Limits, MoreThanTheMaximumOfRoutingRulesIsRefusedWithTheCountAndTheLimit) {
  ASSERT_EQ(dr::kMaxRules, 100000u);
  std::string text = R"({"rules": [)";
  for (std::size_t i = 0; i <= dr::kMaxRules; ++i) {
    text += (i ? "," : "") + std::string(R"({"id": "r)") + std::to_string(i) +
            R"(", "target": {"team": "smb-inbound", "strategy": "round_robin"}})";
  }
  text += "]}";
  auto doc = parse_json(text, "rules.json");
  ASSERT_TRUE(doc.ok());
  auto r = dr::parse_rules(JsonReader(*doc, "rules.json"), team());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().location().to_string(), "rules.json: at /rules");
  EXPECT_EQ(r.status().message(),
            "too many rules: 100001, expected at most 100000 (the maximum number of routing rules)");

  // From a file, the parser stops at rule 100 001 (the document is never built whole).
  TempFile file("rules.json", text);
  auto from_file = dr::load_rules_file(file.path(), team());
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.status().location().to_string(), file.path() + ": at /rules");
  EXPECT_EQ(
      from_file.status().message(),
      "too many rules: more than 100000, expected at most 100000 (the maximum number of routing rules)");

  // The builder keeps the same limit for rules added through the API.
  dr::RuleSetBuilder builder(team());
  for (std::size_t i = 0; i < dr::kMaxRules; ++i) {
    dr::RuleSpec spec;
    spec.key = "r" + std::to_string(i);
    spec.target = dr::TargetSpec::single(ManagerId(0));
    ASSERT_TRUE(builder.add_rule(spec).ok()) << i;
  }
  dr::RuleSpec one_more;
  one_more.key = "one-more";
  auto added = builder.add_rule(one_more);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(added.status().message(),
            "too many rules: more than 100000 (at most 100000 rules are supported)");
}

// ---------------------------------------------------------------------------
// Timestamps and amounts.

TEST(Limits, TimestampsOutsideTheSupportedRangeAreLocated) {
  auto bad_year = parse_instant("10000-01-01T00:00:00Z");
  EXPECT_FALSE(bad_year.ok());
  auto loaded =
      da::load_deals_csv("id,created_at\n1,2024-01-02T09:00:00Z\n", "d.csv", {&bitrix_pipeline()}, {});
  ASSERT_TRUE(loaded.ok());
  for (const char* at : {"1969-12-31T23:59:59Z", "2106-02-07T06:28:16Z"}) {
    Status st = da::load_history_csv(std::string("deal_id,at,stage\n1,") + at + ",NEW\n", "h.csv",
                                     {&bitrix_pipeline()}, {}, *loaded);
    ASSERT_FALSE(st.ok()) << at;
    EXPECT_EQ(st.location().to_string(), "h.csv:2:3");
    EXPECT_EQ(st.message(), std::string("column 'at': timestamp '") + at +
                                "' is outside the supported range: expected 1970-01-01T00:00:00Z .. "
                                "2106-02-07T06:28:15Z");
  }
  // The last instant of the range is accepted.
  EXPECT_TRUE(da::load_history_csv("deal_id,at,stage\n1,2106-02-07T06:28:15Z,NEW\n", "h.csv",
                                   {&bitrix_pipeline()}, {}, *loaded)
                  .ok());
}

TEST(Limits, AmountsBeyondInt64AreLocated) {
  for (const char* amount : {"92233720368547758.08", "99999999999999999999", "-92233720368547758.09"}) {
    auto deals = da::load_deals_csv(
        std::string("id,created_at,amount,currency\n1,2024-01-02T09:00:00Z,") + amount + ",RUB\n", "d.csv",
        {&bitrix_pipeline()}, {});
    ASSERT_FALSE(deals.ok()) << amount;
    EXPECT_EQ(deals.status().location().to_string(), "d.csv:2:24");
    EXPECT_EQ(deals.status().message(),
              std::string("column 'amount': invalid money amount '") + amount + "': out of range");
  }
  auto max =
      da::load_deals_csv("id,created_at,amount,currency\n1,2024-01-02T09:00:00Z,92233720368547758.07,RUB\n",
                         "d.csv", {&bitrix_pipeline()}, {});
  EXPECT_TRUE(max.ok()) << max.status().to_string();
}

// ---------------------------------------------------------------------------
// Many history rows for one deal: accepted, in time linear in the rows.

TEST(Limits, ManyHistoryRowsForOneDealLoadInLinearTime) {
  const int rows = 1'000'000;
  std::string history = "deal_id,at,stage\n";
  history.reserve(static_cast<std::size_t>(rows) * 40);
  const Instant t0 = *parse_instant("2024-01-02T09:00:00Z");
  for (int i = 0; i < rows; ++i) {
    history += "1,";
    history += format_iso(t0 + Duration(i));
    history += i % 2 ? ",PREPARATION\n" : ",NEW\n";
  }
  auto loaded =
      da::load_deals_csv("id,created_at\n1,2024-01-02T09:00:00Z\n", "d.csv", {&bitrix_pipeline()}, {});
  ASSERT_TRUE(loaded.ok());
  Status st = da::load_history_csv(history, "h.csv", {&bitrix_pipeline()}, {}, *loaded);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(loaded->log.deal_count(), 1u);
  EXPECT_EQ(loaded->log.event_count(), static_cast<std::size_t>(rows));
}

}  // namespace
}  // namespace dealflow
