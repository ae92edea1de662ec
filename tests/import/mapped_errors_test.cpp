// Every documented error of the `mapped` importer: mapping problems located
// by JSON path, CSV problems at file:line:column.
#include <gtest/gtest.h>

#include "dealflow/import/mapped.h"
#include "mapped_fixture_util.h"

namespace dealflow::import {
namespace {

using namespace testing;

const char* kCsv = "id,at,stage,sum\nD-1,2024-03-01 10:00:00,Новая,10\n";

// A valid event mapping for kCsv with `extra` members spliced in (or replacing `columns`).
std::string mapping(const std::string& extra,
                    const std::string& columns = R"({"id":"id","at":"at","stage":"stage"})") {
  return R"({"shape":"event","date_format":"%Y-%m-%d %H:%M:%S","pipeline":{"id":"p"},)"
         R"("stages":[{"id":"NEW","name":"Новая","kind":"open"},{"id":"WON","kind":"won"}],)"
         R"("columns":)" +
         columns + extra + "}";
}

Status run(const std::string& name, const std::string& map_text, const std::string& csv = kCsv) {
  auto e = import_mapped(temp_file(name + ".json", map_text), {temp_file(name + ".csv", csv)}, {});
  return e.ok() ? Status() : e.status();
}

TEST(MappedErrors, TheBaseMappingIsValid) {
  auto e = import_mapped(temp_file("base.json", mapping("")), {temp_file("base.csv", kCsv)}, {});
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->history.rows[0], (std::vector<std::string>{"D-1", "2024-03-01T10:00:00Z", "NEW", "p", ""}));
}

TEST(MappedErrors, UnknownColumnIsLocatedInTheMapping) {
  Status st = run("unknown_column",
                  mapping(R"(,"currency":"EUR")", R"({"id":"id","at":"at","stage":"stage","amount":"Total"})"));
  EXPECT_EQ(st.to_string(),
            "unknown_column.json: at /columns/amount: column 'Total' is not in unknown_column.csv's header "
            "(columns: id, "
            "at, stage, sum)");
}

TEST(MappedErrors, UnknownKeyIsLocated) {
  Status st = run("unknown_key", mapping(R"(,"colums":{})"));
  EXPECT_EQ(st.location().json_path, "/colums");
  EXPECT_NE(st.message().find("unknown key 'colums'"), std::string::npos);
}

TEST(MappedErrors, BadKindIsLocated) {
  std::string m = mapping("");
  m.replace(m.find(R"("kind":"won")"), 12, R"("kind":"done")");
  Status st = run("bad_kind", m);
  EXPECT_EQ(st.location().json_path, "/stages/1/kind");
  EXPECT_NE(st.message().find("expected one of open|won|lost, got 'done'"), std::string::npos);
}

TEST(MappedErrors, UnsupportedDateFormatIsLocated) {
  Status st = run("bad_format", mapping(R"(,"date_formats":{"at":"%d/%Q"})"));
  EXPECT_EQ(st.location().json_path, "/date_formats/at");
  EXPECT_NE(st.message().find("unsupported date format '%d/%Q'"), std::string::npos);
}

TEST(MappedErrors, StageValueMappedTwice) {
  std::string m = mapping("");
  m.replace(m.find(R"({"id":"WON","kind":"won"})"), 25, R"({"id":"WON","kind":"won","values":["Новая"]})");
  Status st = run("twice", m);
  EXPECT_EQ(st.location().json_path, "/stages/1/values/0");
  EXPECT_NE(st.message().find("already means stage 'NEW'"), std::string::npos);
}

TEST(MappedErrors, AmountWithoutCurrency) {
  Status st = run("no_currency", mapping("", R"({"id":"id","at":"at","stage":"stage","amount":"sum"})"));
  EXPECT_EQ(st.location().json_path, "/currency");
}

TEST(MappedErrors, MissingRequiredColumnsPerShape) {
  EXPECT_EQ(run("no_at", mapping("", R"({"id":"id","stage":"stage"})")).location().json_path, "/columns/at");
  EXPECT_EQ(run("no_id", mapping("", R"({"at":"at","stage":"stage"})")).location().json_path, "/columns/id");
  std::string snap = mapping("", R"({"id":"id","stage":"stage"})");
  snap.replace(snap.find("event"), 5, "snapshot");
  EXPECT_EQ(run("snap_no_dates", snap).location().json_path, "/stage_dates");
}

TEST(MappedErrors, UnknownStageInStageDates) {
  std::string snap =
      mapping(R"(,"stage_dates":[{"column":"at","stage":"NOPE"}])", R"({"id":"id","stage":"stage"})");
  snap.replace(snap.find("event"), 5, "snapshot");
  Status st = run("snap_unknown_stage", snap);
  EXPECT_EQ(st.location().json_path, "/stage_dates/0/stage");
  EXPECT_NE(st.message().find("unknown stage id 'NOPE'"), std::string::npos);
}

TEST(MappedErrors, JsonSyntaxErrorHasLineAndColumn) {
  Status st = run("syntax", "{\n  \"shape\": \"event\",,\n}");
  EXPECT_EQ(st.code(), ErrorCode::parse_error);
  EXPECT_EQ(st.location().file, "syntax.json");
  EXPECT_EQ(st.location().line, 2);
}

TEST(MappedErrors, BadDatePerFormatIsLocated) {
  Status st = run("bad_date", mapping(""), "id,at,stage\nD-1,01.03.2024 10:00,Новая\n");
  EXPECT_EQ(st.to_string(),
            "bad_date.csv:2:5: column 'at': invalid date '01.03.2024 10:00' (expected the format %Y-%m-%d "
            "%H:%M:%S)");
}

TEST(MappedErrors, UnknownStageValueIsLocated) {
  Status st = run("bad_stage", mapping(""), "id,at,stage\nD-1,2024-03-01 10:00:00,Старая\n");
  EXPECT_EQ(st.location().line, 2);
  EXPECT_EQ(st.location().column, 25);
  EXPECT_NE(st.message().find("unknown stage value 'Старая'"), std::string::npos);
}

TEST(MappedErrors, BadAmountIsLocated) {
  Status st = run("bad_amount",
                  mapping(R"(,"currency":"EUR")", R"({"id":"id","at":"at","stage":"stage","amount":"sum"})"),
                  "id,at,stage,sum\nD-1,2024-03-01 10:00:00,Новая,12x\n");
  EXPECT_EQ(st.location().line, 2);
  EXPECT_EQ(st.location().column, 31);
  EXPECT_NE(st.message().find("'12x'"), std::string::npos);
}

TEST(MappedErrors, DuplicateDealInSnapshot) {
  std::string snap = mapping("", R"({"id":"id","stage":"stage","created_at":"at"})");
  snap.replace(snap.find("event"), 5, "snapshot");
  Status st =
      run("snap_dup", snap, "id,at,stage\nD-1,2024-03-01 10:00:00,Новая\nD-1,2024-03-02 10:00:00,Новая\n");
  EXPECT_EQ(st.location().line, 3);
  EXPECT_NE(st.message().find("duplicate deal id 'D-1'"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::import
