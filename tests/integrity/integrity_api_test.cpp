// Input integrity through the library (issue 8 §4): every reproducer in
// tests/integrity/ is an error Status with its exact location, never an
// exception; and no JSON loader throws whatever type or number a node holds.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "integrity/data_fixtures.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/io/calendar_json.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/routing/advisor_json.h"
#include "dealflow/routing/leads_csv.h"
#include "dealflow/routing/router_state.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow {
namespace {

namespace da = dealflow::analytics;
namespace dr = dealflow::routing;

const std::string kCases = std::string(DEALFLOW_SOURCE_DIR) + "/tests/integrity/";
using testing::kData;

// "file:line:column" of a Status, the file relative to tests/integrity/.
std::string where(const Status& st) {
  std::string file = st.location().file;
  if (file.rfind(kCases, 0) == 0) file = file.substr(kCases.size());
  return file + ":" + std::to_string(st.location().line) + ":" + std::to_string(st.location().column);
}

using testing::bitrix_pipeline;
using testing::rules;
using testing::team;

Result<da::LoadedLog> load_log(const std::string& deals, const std::string& history) {
  return da::load_csv_files(kCases + deals, kCases + history, {&bitrix_pipeline()}, {});
}

// ---------------------------------------------------------------------------
// JSON: a number outside the range of a double, in each kind of file.

struct JsonCase {
  std::string file;
  std::string location;  // file:line:column of the number's first character
  std::string number;
  std::function<Status(const std::string&)> load;
};

std::vector<JsonCase> json_cases() {
  return {
      {"pipeline_1e400.json", "pipeline_1e400.json:9:73", "1e400",
       [](const std::string& p) { return load_pipeline_file(p).status(); }},
      {"team_1e400.json", "team_1e400.json:43:37", "1e400",
       [](const std::string& p) { return dr::load_team_file(p).status(); }},
      {"rules_1e400.json", "rules_1e400.json:8:79", "-1e400",
       [](const std::string& p) { return dr::load_rules_file(p, team()).status(); }},
      {"state_1e400.json", "state_1e400.json:3:44", "1e400",
       [](const std::string& p) { return dr::load_router_state_file(p, team(), rules()).status(); }},
      {"calendar_1e400.json", "calendar_1e400.json:3:17", "1E+400",
       [](const std::string& p) { return load_calendar_file(p).status(); }},
      {"volumes_1e400.json", "volumes_1e400.json:8:15", "1e400",
       [](const std::string& p) { return dr::load_volumes_file(p).status(); }},
  };
}

TEST(IntegrityApi, JsonNumberOutsideADoubleIsALocatedParseError) {
  for (const JsonCase& c : json_cases()) {
    Status st;
    EXPECT_NO_THROW(st = c.load(kCases + c.file)) << c.file;
    ASSERT_FALSE(st.ok()) << c.file;
    EXPECT_EQ(st.code(), ErrorCode::parse_error) << c.file;
    EXPECT_EQ(where(st), c.location);
    EXPECT_EQ(st.message(), "number " + c.number +
                                " is out of range: expected a number a double can hold (magnitude at most "
                                "1.7976931348623157e308)");
  }
}

TEST(IntegrityApi, TheOriginalsOfTheJsonReproducersLoad) {
  // Each reproducer is a data/ file with one number changed: the originals load.
  EXPECT_TRUE(load_pipeline_file(kData + "pipelines/onboarding.json").ok());
  EXPECT_TRUE(dr::load_team_file(kData + "routing/team.json").ok());
  EXPECT_TRUE(dr::load_rules_file(kData + "routing/rules.json", team()).ok());
  EXPECT_TRUE(load_calendar_file(kData + "calendars/ru-2024.json").ok());
  EXPECT_TRUE(dr::load_volumes_file(kData + "routing/volumes.json").ok());
  EXPECT_TRUE(dr::load_router_state_file(kCases + "state_control.json", team(), rules()).ok());
}

// ---------------------------------------------------------------------------
// CSV text that is not UTF-8, NUL bytes, CR-only line ends.

struct CsvCase {
  std::string file;
  std::string location;
  std::string message_start;
};

TEST(IntegrityApi, ControlsLoad) {
  auto log = load_log("valid_deals.csv", "valid_history.csv");
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  EXPECT_EQ(log->log.deal_count(), 2u);
  auto leads = dr::load_leads_csv(kData + "routing/leads.csv", team(), {});
  ASSERT_TRUE(leads.ok()) << leads.status().to_string();
}

TEST(IntegrityApi, DealsFilesThatAreNotUtf8) {
  const CsvCase cases[] = {
      {"deals_invalid_utf8.csv", "deals_invalid_utf8.csv:3:2", "invalid UTF-8 byte 0xFF at byte offset 102: "},
      {"deals_windows1252_manager.csv", "deals_windows1252_manager.csv:2:39",
       "invalid UTF-8 byte 0xE9 at byte offset 76: not followed by the continuation bytes it needs (expected "
       "UTF-8; the bytes look like Windows-1252"},
      {"deals_nul_byte.csv", "deals_nul_byte.csv:3:40", "NUL byte (0x00) at byte offset 144: "},
      {"deals_cr_only.csv", "deals_cr_only.csv:1:38",
       "line ends with a CR not followed by LF at byte offset 37: CR-only line ends (classic Mac OS) are not "
       "supported"},
      {"deals_utf16le.csv", "deals_utf16le.csv:1:1",
       "invalid UTF-8 byte 0xFF at byte offset 0: encodes no character (above U+10FFFF) (expected UTF-8; the "
       "file starts with a UTF-16 byte order mark"},
  };
  for (const CsvCase& c : cases) {
    for (da::LoadMode mode : {da::LoadMode::strict, da::LoadMode::lenient}) {
      da::CsvLoadOptions options;
      options.mode = mode;
      Result<da::LoadedLog> log = Status(ErrorCode::invalid_argument, "unset");
      EXPECT_NO_THROW(log = da::load_csv_files(kCases + c.file, kCases + "valid_history.csv",
                                               {&bitrix_pipeline()}, options));
      ASSERT_FALSE(log.ok()) << c.file;  // lenient mode skips bad rows, never bad text
      EXPECT_EQ(log.status().code(), ErrorCode::parse_error);
      EXPECT_EQ(where(log.status()), c.location);
      EXPECT_EQ(log.status().message().rfind(c.message_start, 0), 0u) << log.status().message();
    }
  }
}

TEST(IntegrityApi, HistoryFilesThatAreNotUtf8) {
  const CsvCase cases[] = {
      {"history_windows1251_actor.csv", "history_windows1251_actor.csv:4:28",
       "invalid UTF-8 byte 0xCA at byte offset 168: not followed by the continuation bytes it needs (expected "
       "UTF-8; the bytes look like Windows-1251 (Cyrillic)"},
      {"history_truncated_utf8.csv", "history_truncated_utf8.csv:5:46",
       "invalid UTF-8 byte 0xD0 at byte offset 254: the text ends inside this multi-byte character (truncated) "
       "(expected UTF-8; the file may have been cut off"},
      {"history_surrogate.csv", "history_surrogate.csv:3:36",
       "invalid UTF-8 byte 0xED at byte offset 113: encodes a UTF-16 surrogate (U+D800..U+DFFF)"},
  };
  for (const CsvCase& c : cases) {
    auto log = load_log("valid_deals.csv", c.file);
    ASSERT_FALSE(log.ok()) << c.file;
    EXPECT_EQ(where(log.status()), c.location);
    EXPECT_EQ(log.status().message().rfind(c.message_start, 0), 0u) << log.status().message();
  }
}

TEST(IntegrityApi, HistoryTextIsCheckedBeforeAnyRowIsAppended) {
  auto loaded = da::load_deals_csv("id,created_at\n1,2024-01-02T09:00:00Z\n", "d.csv", {&bitrix_pipeline()}, {});
  ASSERT_TRUE(loaded.ok());
  // A good first row, a bad byte in the last: nothing is appended.
  Status st = da::load_history_csv("deal_id,at,stage\n1,2024-01-02T09:00:00Z,NEW\n1,2024-01-03T09:00:00Z,WO\xCE\n",
                                   "h.csv", {&bitrix_pipeline()}, {}, *loaded);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.location().to_string(), "h.csv:3:26");  // "1,2024-01-03T09:00:00Z,WO" is 25 characters
  EXPECT_EQ(loaded->log.event_count(), 0u);
}

TEST(IntegrityApi, LeadsAndOwnersFilesThatAreNotUtf8) {
  const CsvCase leads[] = {
      {"leads_windows1251_region.csv", "leads_windows1251_region.csv:4:31",
       "invalid UTF-8 byte 0xD1 at byte offset 291: not followed by the continuation bytes it needs (expected "
       "UTF-8; the bytes look like Windows-1251 (Cyrillic)"},
      {"leads_overlong.csv", "leads_overlong.csv:3:2",
       "invalid UTF-8 byte 0xC0 at byte offset 176: an overlong encoding"},
      {"leads_cr_only.csv", "leads_cr_only.csv:1:87", "line ends with a CR not followed by LF at byte offset 86"},
      {"leads_utf16le.csv", "leads_utf16le.csv:1:1", "invalid UTF-8 byte 0xFF at byte offset 0"},
  };
  for (const CsvCase& c : leads) {
    for (bool skip_bad_rows : {false, true}) {
      dr::LeadsCsvOptions options;
      options.skip_bad_rows = skip_bad_rows;
      Result<dr::LeadsFile> r = Status(ErrorCode::invalid_argument, "unset");
      EXPECT_NO_THROW(r = dr::load_leads_csv(kCases + c.file, team(), options));
      ASSERT_FALSE(r.ok()) << c.file;  // skipping bad rows never skips bad text
      EXPECT_EQ(where(r.status()), c.location);
      EXPECT_EQ(r.status().message().rfind(c.message_start, 0), 0u) << r.status().message();
    }
  }
  auto owners = dr::load_owners_csv(kCases + "owners_invalid_utf8.csv", team(), true);
  ASSERT_FALSE(owners.ok());
  EXPECT_EQ(where(owners.status()), "owners_invalid_utf8.csv:3:1");
  EXPECT_EQ(owners.status().message().rfind("invalid UTF-8 byte 0xC0 at byte offset 50: an overlong encoding", 0),
            0u);
}

// ---------------------------------------------------------------------------
// Property: replacing any node of a valid config by any JSON value (every type,
// numbers at the edges of int64, uint64 and double) gives a Status, never an
// exception (type_error, out_of_range, invalid_iterator).

void collect_pointers(const Json& j, const std::string& path, std::vector<std::string>& out) {
  out.push_back(path);
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) collect_pointers(*it, path + "/" + json_pointer_escape(it.key()), out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) collect_pointers(j[i], path + "/" + std::to_string(i), out);
  }
}

void expect_no_throw_for_any_node(const std::string& path, const std::function<Status(const JsonReader&)>& load) {
  auto doc = load_json_file(path);
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  EXPECT_TRUE(load(JsonReader(*doc, path)).ok()) << path << " itself must load";
  const Json substitutes[] = {nullptr,
                              true,
                              0,
                              -1,
                              0.5,
                              -1e300,
                              1e300,
                              std::numeric_limits<std::int64_t>::min(),
                              std::numeric_limits<std::uint64_t>::max(),
                              "",
                              "x",
                              Json::array(),
                              Json::object(),
                              Json::array({nullptr}),
                              Json::object({{"", nullptr}})};
  std::vector<std::string> pointers;
  collect_pointers(*doc, "", pointers);
  int errors = 0;
  for (const std::string& pointer : pointers) {
    for (const Json& value : substitutes) {
      Json mutated = *doc;
      if (pointer.empty()) {
        mutated = value;
      } else {
        mutated[Json::json_pointer(pointer)] = value;
      }
      try {
        Status st = load(JsonReader(mutated, path));
        errors += !st.ok();
        if (!st.ok()) {
          EXPECT_FALSE(st.location().empty()) << pointer << " = " << value.dump() << ": " << st.message();
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << path << " at " << pointer << " = " << value.dump() << " throws " << e.what();
      }
    }
  }
  EXPECT_GT(errors, 0);  // the substitutions do reach the loader's checks
}

TEST(IntegrityApi, PropertyNoJsonLoaderThrowsWhateverANodeHolds) {
  for (const char* name : {"b2b_sales", "bitrix24_default", "hubspot", "onboarding", "salesforce"}) {
    expect_no_throw_for_any_node(kData + "pipelines/" + name + ".json",
                                 [](const JsonReader& r) { return parse_pipeline(r).status(); });
  }
  expect_no_throw_for_any_node(kData + "routing/team.json",
                               [](const JsonReader& r) { return dr::parse_team(r).status(); });
  expect_no_throw_for_any_node(kData + "routing/rules.json",
                               [](const JsonReader& r) { return dr::parse_rules(r, team()).status(); });
  expect_no_throw_for_any_node(kData + "calendars/ru-2024.json",
                               [](const JsonReader& r) { return parse_calendar(r).status(); });
  expect_no_throw_for_any_node(kData + "routing/volumes.json", [](const JsonReader& r) {
    return dr::parse_volumes(r.node(), r.file()).status();
  });
  expect_no_throw_for_any_node(kCases + "state_control.json", [](const JsonReader& r) {
    return dr::parse_router_state(r, team(), rules()).status();
  });
}

}  // namespace
}  // namespace dealflow
