// JSON loading: syntax errors carry line and column; JsonReader errors carry the JSON path.
#include "dealflow/io/json.h"

#include <gtest/gtest.h>

namespace dealflow {
namespace {

TEST(ParseJson, SyntaxErrorNamesFileLineAndColumn) {
  auto doc = parse_json("{\n  \"id\": \"sales\",\n  \"name\": ,\n}", "p.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), ErrorCode::parse_error);
  EXPECT_EQ(doc.status().location().file, "p.json");
  EXPECT_EQ(doc.status().location().line, 3);
  EXPECT_EQ(doc.status().location().column, 11);
  EXPECT_EQ(doc.status().to_string().rfind("p.json:3:11: malformed JSON", 0), 0u) << doc.status().to_string();
}

TEST(ParseJson, ColumnsCountCharactersNotBytes) {
  auto doc = parse_json("{\"name\": \"Продажи\" x}", "p.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().location().line, 1);
  EXPECT_EQ(doc.status().location().column, 20);
}

TEST(ParseJson, NestingDeeperThanTheLimitIsALocatedError) {
  // kMaxJsonDepth levels parse; one more is refused at the bracket that opens it.
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(parse_json(ok, "deep.json").ok());
  // A string holding brackets does not count; the first line is 8 characters.
  const std::string deep =
      "{\"a[\": \n" + std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']') + "}";
  auto doc = parse_json(deep, "deep.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), ErrorCode::parse_error);
  EXPECT_EQ(doc.status().location().file, "deep.json");
  EXPECT_EQ(doc.status().location().line, 2);
  EXPECT_EQ(doc.status().location().column, static_cast<int>(kMaxJsonDepth));  // the object is level 1
  EXPECT_EQ(doc.status().message(),
            "JSON nests deeper than 512 levels of arrays and objects: expected at most 512");
  // A million levels: refused, not a stack overflow.
  const std::string huge = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  EXPECT_EQ(parse_json(huge, "huge.json").status().location().column, static_cast<int>(kMaxJsonDepth) + 1);
}

TEST(LoadJsonFile, MissingFileIsAnIoError) {
  auto doc = load_json_file("/nonexistent/dir/p.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), ErrorCode::io_error);
  EXPECT_EQ(doc.status().location().file, "/nonexistent/dir/p.json");
}

TEST(JsonReader, ErrorsCarryTheJsonPointer) {
  const Json doc = Json::parse(R"({"stages": [{"id": "NEW"}, {"id": 5, "p": "x"}], "a/b": {"c~": true}})");
  JsonReader root(doc, "p.json");
  auto stages = root.array("stages", true);
  ASSERT_TRUE(stages.ok());
  ASSERT_EQ(stages->size(), 2u);
  EXPECT_EQ(*(*stages)[0].required_string("id"), "NEW");
  auto bad = (*stages)[1].required_string("id");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().location().json_path, "/stages/1/id");
  EXPECT_NE(bad.status().message().find("expected a string, got number"), std::string::npos);
  auto missing = (*stages)[0].required_string("name");
  EXPECT_EQ(missing.status().location().json_path, "/stages/0/name");
  auto num = (*stages)[1].optional_number("p", 0.5);
  EXPECT_EQ(num.status().location().json_path, "/stages/1/p");
  EXPECT_EQ(*(*stages)[0].optional_number("p", 0.5), 0.5);
  auto nested = root.get("a/b")->get("c~");
  ASSERT_TRUE(nested.has_value());
  EXPECT_EQ(nested->path(), "/a~1b/c~0");
  EXPECT_EQ(*root.get("a/b")->optional_bool("c~", false), true);
}

TEST(JsonReader, RejectsUnknownKeysAndWrongTypes) {
  const Json doc = Json::parse(R"({"id": "x", "nmae": "typo", "n": 1.5, "list": ["a", 2]})");
  JsonReader root(doc, "f.json");
  Status st = root.reject_unknown_keys({"id", "name", "n", "list"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.location().json_path, "/nmae");
  EXPECT_NE(st.message().find("unknown key 'nmae'"), std::string::npos);
  EXPECT_FALSE(root.optional_integer("n", 0).ok());
  auto list = root.string_array("list");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().location().json_path, "/list/1");
  EXPECT_FALSE(root.array("id").ok());
  EXPECT_FALSE(root.array("missing", true).ok());
  EXPECT_TRUE(root.array("missing").ok());
  EXPECT_FALSE(JsonReader(doc["list"], "f.json").require_object().ok());
  EXPECT_FALSE(root.required_string("missing").ok());
}

TEST(JsonReader, IntegersBeyondInt64AreErrorsNotWrapped) {
  const Json doc = Json::parse(R"({"max": 9223372036854775807, "over": 9223372036854775808, "neg": -5})");
  JsonReader root(doc, "f.json");
  EXPECT_EQ(*root.optional_integer("max", 0), 9223372036854775807LL);
  EXPECT_EQ(*root.optional_integer("neg", 0), -5);
  auto over = root.optional_integer("over", 0);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().location().json_path, "/over");
  EXPECT_NE(over.status().message().find("integer 9223372036854775808 is out of range: expected at most "
                                         "9223372036854775807"),
            std::string::npos)
      << over.status().message();
}

}  // namespace
}  // namespace dealflow
