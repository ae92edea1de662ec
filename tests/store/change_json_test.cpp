// The change stream wire format (version 1): the exact text of a line, round
// trips of every kind, and one test per documented parse error.
#include <gtest/gtest.h>

#include "dealflow/store/change_json.h"
#include "store/department_test_util.h"

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

class ChangeJson : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = test_router();
    dept_.emplace(make_department(config_of(b2b_workspace(), b2b_options(), router_)));
  }
  ChangeNames names() const { return ChangeNames(*dept_); }
  const Pipeline& b2b() const { return dept_->workspace().pipeline(PipelineId{0}); }
  // Parses `line` as line 7 and expects an error at `path` whose message contains `text`.
  void expect_error(std::string_view line, std::string_view path, std::string_view text,
                    ErrorCode code = ErrorCode::parse_error) {
    auto r = parse_change_line(line, names(), 7);
    ASSERT_FALSE(r.ok()) << line;
    EXPECT_EQ(r.status().code(), code) << r.status().to_string();
    EXPECT_EQ(r.status().location().file, "changes");
    EXPECT_EQ(r.status().location().line, 7);
    EXPECT_EQ(r.status().location().json_path, path) << r.status().to_string();
    EXPECT_NE(r.status().message().find(text), std::string::npos) << r.status().to_string();
  }
  static std::string move_line(std::string_view replace_from = "", std::string_view replace_to = "") {
    std::string s =
        R"({"v":1,"seq":3,"kind":"move","at":"2024-03-04T10:00:00Z","actor":2,"deal":0,"pipeline":"b2b_sales","stage":"QUALIFIED"})";
    if (!replace_from.empty()) s.replace(s.find(replace_from), replace_from.size(), replace_to);
    return s;
  }

  std::shared_ptr<const routing::Router> router_;
  std::optional<Department> dept_;
};

TEST_F(ChangeJson, AMoveIsOneLineInWireOrder) {
  Change c;
  c.sequence = 3;
  c.kind = ChangeKind::move;
  c.at = at("2024-03-04T13:00:00+03:00");
  c.actor = ManagerId{2};
  c.deal = DealId{0};
  c.pipeline = PipelineId{0};
  c.stage = *b2b().find_stage("QUALIFIED");
  EXPECT_EQ(to_json_line(c, names()), move_line());
  auto back = parse_change_line(move_line(), names(), 1);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, c);
}

TEST_F(ChangeJson, ARoutedCreationKeepsEveryInputAndTheLeadByName) {
  Change c;
  c.sequence = 1;
  c.kind = ChangeKind::route_and_create;
  c.at = at("2024-03-04T09:00:00Z");
  c.deal = DealId{0};
  c.pipeline = PipelineId{0};
  c.stage = b2b().default_entry();
  c.owner = ManagerId{1};
  c.client = ClientId{12};
  c.amount = Money(150000'00, Currency::of("RUB"));
  c.probability = 0.25;
  c.attributes = {{"region", "Томск"}, {"document", "Счёт №1"}};
  c.lead = lead_in(*router_, "Томск", c.at);
  c.lead.set_number(*router_->team().schema().find_numeric("amount"), 150000'00);
  c.lead.account_owner = ManagerId{2};
  const std::string line = to_json_line(c, names());
  EXPECT_EQ(
      line,
      R"({"v":1,"seq":1,"kind":"route_and_create","at":"2024-03-04T09:00:00Z","actor":null,"deal":0,)"
      R"("pipeline":"b2b_sales","stage":"LEAD","owner":1,"client":12,"amount":{"minor":15000000,"currency":"RUB"},)"
      R"("probability_ppm":250000,"attributes":[["region","Томск"],["document","Счёт №1"]],)"
      R"("lead":{"at":"2024-03-04T09:00:00Z","account_owner":2,"values":{"region":"Томск"},"numbers":{"amount":15000000}}})");
  auto back = parse_change_line(line, names(), 1);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, c);
}

TEST_F(ChangeJson, EveryOtherKindRoundTrips) {
  std::vector<Change> all;
  Change base;
  base.sequence = 5;
  base.at = at("2024-03-05T00:00:00Z");
  base.deal = DealId{3};
  base.actor = ManagerId{0};
  Change c = base;
  c.kind = ChangeKind::create;
  c.pipeline = PipelineId{1};
  c.stage = StageId{0};
  c.amount = Money(-5, Currency::of("USD"));
  all.push_back(c);
  c = base;
  c.kind = ChangeKind::reassign;
  c.owner = ManagerId{2};
  all.push_back(c);
  c.owner = ManagerId{};
  all.push_back(c);
  c = base;
  c.kind = ChangeKind::set_field;
  c.field = *dept_->engine().find_field("document");
  c.value = "Договор «Альфа»";
  all.push_back(c);
  c = base;
  c.kind = ChangeKind::set_amount;
  c.amount = Money(INT64_MAX, Currency::of("JPY"));
  all.push_back(c);
  c.amount = Money();
  all.push_back(c);
  c = base;
  c.kind = ChangeKind::set_probability;
  c.probability = 1.0;
  all.push_back(c);
  c.probability.reset();
  all.push_back(c);
  c = base;
  c.kind = ChangeKind::set_client;
  c.client = ClientId{4294967294u};
  all.push_back(c);
  c = Change{};
  c.sequence = 9;
  c.kind = ChangeKind::tick;
  c.at = at("2024-03-06T00:00:00Z");
  all.push_back(c);
  for (const Change& x : all) {
    const std::string line = to_json_line(x, names());
    auto back = parse_change_line(line, names(), 1);
    ASSERT_TRUE(back.ok()) << line << "\n" << back.status().to_string();
    EXPECT_EQ(*back, x) << line;
  }
  EXPECT_EQ(to_json_line(all.back(), names()),
            R"({"v":1,"seq":9,"kind":"tick","at":"2024-03-06T00:00:00Z","actor":null})");
}

TEST_F(ChangeJson, AStreamSkipsBlankLinesAndCrLfAndNamesTheLineOfAnError) {
  const std::string text =
      move_line() + "\r\n\n" + move_line("\"seq\":3", "\"seq\":4") + "\n" + "{\"v\":1,\n";
  auto r = parse_change_lines(text, names());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().location().line, 4);
  auto ok = parse_change_lines(move_line() + "\r\n\n" + move_line("\"seq\":3", "\"seq\":4") + "\n", names());
  ASSERT_TRUE(ok.ok()) << ok.status().to_string();
  EXPECT_EQ(ok->size(), 2u);
}

// ---- one test per documented error

TEST_F(ChangeJson, ErrorNotJson) {
  auto r = parse_change_line(R"({"v":1,"seq":})", names(), 7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::parse_error);
  EXPECT_EQ(r.status().location().line, 7);
  EXPECT_EQ(r.status().location().column, 14);
}
TEST_F(ChangeJson, ErrorNotAnObject) {
  expect_error("[1,2]", "/", "expected a change object");
}
TEST_F(ChangeJson, ErrorMissingVersion) {
  expect_error(R"({"seq":1})", "/", "missing key \"v\"");
}
TEST_F(ChangeJson, ErrorUnsupportedVersion) {
  expect_error(move_line("\"v\":1", "\"v\":2"), "/v",
               "unsupported change format version 2: this build reads version 1");
}
TEST_F(ChangeJson, ErrorUnknownKind) {
  expect_error(move_line("\"move\"", "\"jump\""), "/kind", "expected one of create|route_and_create|");
}
TEST_F(ChangeJson, ErrorMissingKey) {
  expect_error(move_line(",\"actor\":2", ""), "/", "missing key \"actor\"");
}
TEST_F(ChangeJson, ErrorUnknownKeyForTheKind) {
  expect_error(move_line("\"deal\":0", "\"deal\":0,\"owner\":1"), "/owner",
               "unknown key \"owner\" for this kind");
}
TEST_F(ChangeJson, ErrorSequenceZero) {
  expect_error(move_line("\"seq\":3", "\"seq\":0"), "/seq", "expected a sequence number >= 1, got 0");
}
TEST_F(ChangeJson, ErrorBadInstant) {
  expect_error(move_line("2024-03-04T10:00:00Z", "вчера"), "/at", "expected an ISO 8601 instant such as");
}
TEST_F(ChangeJson, ErrorBadId) {
  expect_error(move_line("\"deal\":0", "\"deal\":-1"), "/deal",
               "expected an integer in [0, 4294967294], got -1");
  expect_error(move_line("\"deal\":0", "\"deal\":null"), "/deal", "expected an integer id, got null");
  expect_error(move_line("\"actor\":2", "\"actor\":\"m-a\""), "/actor", "got \"m-a\"");
}
TEST_F(ChangeJson, ErrorUnknownPipeline) {
  expect_error(move_line("b2b_sales", "b2c"), "/pipeline", "unknown pipeline 'b2c'", ErrorCode::not_found);
}
TEST_F(ChangeJson, ErrorUnknownStage) {
  expect_error(move_line("QUALIFIED", "QUALIFID"), "/stage",
               "unknown stage 'QUALIFID' of pipeline 'b2b_sales'", ErrorCode::not_found);
}
TEST_F(ChangeJson, ErrorUnknownField) {
  expect_error(
      R"({"v":1,"seq":1,"kind":"set_field","at":"2024-03-04T10:00:00Z","actor":null,"deal":0,"field":"colour","value":"red"})",
      "/field", "unknown field 'colour'", ErrorCode::not_found);
}
TEST_F(ChangeJson, ErrorBadAmount) {
  const std::string head =
      R"({"v":1,"seq":1,"kind":"set_amount","at":"2024-03-04T10:00:00Z","actor":null,"deal":0,"amount":)";
  expect_error(head + R"("100 RUB"})", "/amount", "expected {\"minor\": <integer>");
  expect_error(head + R"({"minor":1.5,"currency":"RUB"}})", "/amount/minor",
               "expected an integer amount in minor units");
  expect_error(head + R"({"minor":1,"currency":"рубль"}})", "/amount/currency", "expected an ISO 4217 code");
}
TEST_F(ChangeJson, ErrorProbabilityOutOfRange) {
  expect_error(
      R"({"v":1,"seq":1,"kind":"set_probability","at":"2024-03-04T10:00:00Z","actor":null,"deal":0,"probability_ppm":1000001})",
      "/probability_ppm", "expected an integer in [0, 1000000], got 1000001");
}
TEST_F(ChangeJson, ErrorAttributesNotPairs) {
  Change c;
  c.sequence = 1;
  c.kind = ChangeKind::create;
  c.pipeline = PipelineId{0};
  c.stage = StageId{0};
  c.deal = DealId{0};
  std::string line = to_json_line(c, names());
  line.replace(line.find("\"attributes\":[]"), 15, R"("attributes":[["region"]])");
  expect_error(line, "/attributes/0", "expected a [\"field\", \"value\"] pair of strings, got [\"region\"]");
}
TEST_F(ChangeJson, ErrorLeadValues) {
  Change c;
  c.sequence = 1;
  c.kind = ChangeKind::route_and_create;
  c.pipeline = PipelineId{0};
  c.stage = StageId{0};
  c.deal = DealId{0};
  c.lead = lead_in(*router_, "Урал", at("2024-03-04T10:00:00Z"));
  const std::string line = to_json_line(c, names());
  std::string bad = line;
  bad.replace(bad.find("\"Урал\""), std::string("\"Урал\"").size(), "\"Марс\"");
  expect_error(bad, "/lead/values/region", "unknown value 'Марс' of attribute 'region'",
               ErrorCode::not_found);
  bad = line;
  bad.replace(bad.find("\"region\":\"Урал\""), std::string("\"region\"").size(), "\"planet\"");
  expect_error(bad, "/lead/values/planet", "unknown categorical attribute 'planet'", ErrorCode::not_found);
  bad = line;
  bad.replace(bad.find("\"numbers\":{}"), 12, R"("numbers":{"amount":"много"})");
  expect_error(bad, "/lead/numbers/amount", "expected an integer (int64)");
  // Without a router, a routed change cannot be read.
  Department plain = make_department(config_of(b2b_workspace(), b2b_options(), nullptr));
  auto r = parse_change_line(line, ChangeNames(plain), 7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().location().json_path, "/lead");
  EXPECT_NE(r.status().message().find("needs a Department with a router"), std::string::npos);
}

// ---- the snapshot document

TEST_F(ChangeJson, SnapshotErrorsAreLocated) {
  ASSERT_TRUE(dept_->tick(at("2024-03-05T00:00:00Z")).ok());
  const std::string good = snapshot_to_json(dept_->snapshot(), names());
  ASSERT_TRUE(parse_snapshot(good, names()).ok());
  const auto expect = [&](std::string text, std::string_view path, std::string_view message) {
    auto r = parse_snapshot(text, names());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().location().file, "snapshot");
    EXPECT_EQ(r.status().location().json_path, path) << r.status().to_string();
    EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().to_string();
  };
  const auto edit = [&](std::string_view from, std::string_view to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  expect(edit("\"v\": 1", "\"v\": 3"), "/v", "unsupported snapshot format version 3");
  expect(edit("\"fingerprint\": \"", "\"fingerprint\": \"x"), "/fingerprint",
         "expected 16 lower-case hex digits");
  expect(edit("\"sequence\": 1", "\"sequence\": 2"), "/sequence", "does not match the 1 changes");
  expect(edit("\"changes\": [", "\"extra\": 1, \"changes\": ["), "/extra", "unknown key");
  expect(edit("\"kind\": \"tick\"", "\"kind\": \"tock\""), "/changes/0/kind", "expected one of");
}

}  // namespace
}  // namespace dealflow::store

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

TEST(ChangeJsonWriter, IdsTheConfigsDoNotHaveAreWrittenAsNullAndRefusedOnRead) {
  Department d = make_department(config_of(simple_workspace(), {}, nullptr));
  Change c;
  c.sequence = 1;
  c.kind = ChangeKind::move;
  c.deal = DealId{0};
  c.pipeline = PipelineId{9};
  c.stage = StageId{0};
  const std::string line = to_json_line(c, ChangeNames(d));
  EXPECT_NE(line.find("\"pipeline\":null,\"stage\":null"), std::string::npos) << line;
  auto r = parse_change_line(line, ChangeNames(d), 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().location().json_path, "/pipeline");
  EXPECT_NE(r.status().message().find("expected a string, got null"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::store
