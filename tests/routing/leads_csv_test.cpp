// Leads and owners CSV: parsing, exact amounts, every bad-row error, skipping.
#include <gtest/gtest.h>

#include "dealflow/routing/leads_csv.h"
#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::team_from;

class LeadsCsvTest : public ::testing::Test {
 protected:
  LeadsCsvTest() {
    auto t = team_from(std::string("{") + kAttributes +
                       R"(, "managers": [{"id": "m-kuz", "name": "Кузнецова"}, {"id": "m2"}]})");
    EXPECT_TRUE(t.ok()) << t.status().to_string();
    team = std::move(*t);
  }
  Result<LeadsFile> parse(const std::string& text, LeadsCsvOptions options = {}) {
    CsvReader csv = CsvReader::from_text(text, "leads.csv");
    return parse_leads_csv(csv, team, options);
  }
  Result<OwnersFile> owners(const std::string& text, bool skip = false) {
    CsvReader csv = CsvReader::from_text(text, "owners.csv");
    return parse_owners_csv(csv, team, skip);
  }
  TeamModel team;
};

TEST_F(LeadsCsvTest, ParsesValuesExactAmountsOwnersAndTime) {
  auto own = owners("client,manager\nООО Ромашка,m-kuz\n");
  ASSERT_TRUE(own.ok()) << own.status().to_string();
  LeadsCsvOptions opt;
  opt.owners = &own->owners;
  auto leads = parse(
      "id,created_at,region,tier,amount,client,phone\n"
      "L1,2024-03-04T10:00:00+03:00,Томск,SMB,\"1 234 567,89\",ООО Ромашка,+7 900\n"
      "L2,2024-03-04T11:00:00Z,,Enterprise,,Неизвестный,\n",
      opt);
  ASSERT_TRUE(leads.ok()) << leads.status().to_string();
  ASSERT_EQ(leads->leads.size(), 2u);
  EXPECT_EQ(leads->ignored_columns, (std::vector<std::string>{"phone"}));
  const auto& s = team.schema();
  const LeadRecord& l1 = leads->leads[0];
  EXPECT_EQ(l1.id, "L1");
  EXPECT_EQ(l1.line, 2);
  EXPECT_EQ(l1.lead.value(*s.find_categorical("region")),
            *s.categorical(*s.find_categorical("region")).find("Томск"));
  EXPECT_EQ(l1.lead.number(*s.find_numeric("amount")), 123456789);
  EXPECT_EQ(l1.lead.account_owner, team.find_manager("m-kuz"));
  EXPECT_EQ(format_iso(l1.lead.at), "2024-03-04T07:00:00Z");
  const LeadRecord& l2 = leads->leads[1];
  EXPECT_EQ(l2.lead.value(*s.find_categorical("region")), kUnspecified);
  EXPECT_EQ(l2.lead.value(*s.find_categorical("channel")), kUnspecified);  // no column
  EXPECT_FALSE(l2.lead.has_number(*s.find_numeric("amount")));
  EXPECT_FALSE(l2.lead.account_owner.valid());
  EXPECT_EQ(l2.client, "Неизвестный");
}

TEST_F(LeadsCsvTest, DefaultTimeFillsMissingCreatedAt) {
  LeadsCsvOptions opt;
  opt.default_at = *parse_instant("2024-03-05T09:00:00Z");
  auto leads = parse("id,tier\nL1,SMB\n", opt);
  ASSERT_TRUE(leads.ok()) << leads.status().to_string();
  EXPECT_EQ(format_iso(leads->leads[0].lead.at), "2024-03-05T09:00:00Z");
  auto mixed = parse("id,created_at\nL1,\nL2,2024-03-01\n", opt);
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(format_iso(mixed->leads[0].lead.at), "2024-03-05T09:00:00Z");
  EXPECT_EQ(format_iso(mixed->leads[1].lead.at), "2024-03-01T00:00:00Z");
}

struct BadRow {
  const char* name;
  std::string csv;
  int line;
  std::string message_part;
};

class LeadsBadRowTest : public LeadsCsvTest, public ::testing::WithParamInterface<BadRow> {};

TEST_P(LeadsBadRowTest, StrictFailsWithLineAndColumn) {
  const BadRow& b = GetParam();
  LeadsCsvOptions opt;
  opt.default_at = *parse_instant("2024-03-05T09:00:00Z");
  auto leads = parse(b.csv, opt);
  ASSERT_FALSE(leads.ok());
  EXPECT_EQ(leads.status().location().file, "leads.csv");
  EXPECT_EQ(leads.status().location().line, b.line) << leads.status().to_string();
  EXPECT_NE(leads.status().message().find(b.message_part), std::string::npos) << leads.status().to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, LeadsBadRowTest,
    ::testing::Values(BadRow{"unknown_value", "id,region\nL1,Москва\nL2,Мосвка\n", 3,
                             "column 'region': unknown value 'Мосвка'"},
                      BadRow{"bad_amount", "id,amount\nL1,12.345\n", 2, "column 'amount':"},
                      BadRow{"bad_integer", "id,tier,client_size\nL1,SMB,250\nL2,SMB,12a\n", 3,
                             "column 'client_size': expected an integer, got '12a'"},
                      BadRow{"integer_out_of_range", "id,client_size\nL1,9223372036854775808\n", 2,
                             "column 'client_size': integer out of range: '9223372036854775808'"},
                      BadRow{"bad_time", "id,created_at\nL1,2024-13-01\n", 2, "column 'created_at':"},
                      BadRow{"duplicate_id", "id,tier\nL1,SMB\nL1,SMB\n", 3,
                             "column 'id': duplicate lead id 'L1'"},
                      BadRow{"empty_id", "id,tier\n,SMB\n", 2, "column 'id': empty lead id"},
                      BadRow{"field_count", "id,tier\nL1,SMB,extra\n", 2, "expected 2 fields"},
                      BadRow{"no_id_column", "lead,tier\nL1,SMB\n", 1, "missing required column 'id'"}),
    [](const ::testing::TestParamInfo<BadRow>& info) { return std::string(info.param.name); });

TEST_F(LeadsCsvTest, ColumnIsReportedByCharacterPosition) {
  LeadsCsvOptions opt;
  opt.default_at = *parse_instant("2024-03-05T09:00:00Z");
  auto leads = parse("id,region,tier\nL1,Томск,VIP\n", opt);
  ASSERT_FALSE(leads.ok());
  EXPECT_EQ(leads.status().location().column, 10);  // "L1,Томск," is 9 characters
}

TEST_F(LeadsCsvTest, IntegerColumnExactValuesAndItsErrorLocation) {
  LeadsCsvOptions opt;
  opt.default_at = *parse_instant("2024-03-05T09:00:00Z");
  const NumericAttributeId size = *team.schema().find_numeric("client_size");
  auto leads = parse("id,client_size\nL1,250\nL2,\nL3,-7\nL4,9223372036854775807\n", opt);
  ASSERT_TRUE(leads.ok()) << leads.status().to_string();
  EXPECT_EQ(leads->leads[0].lead.number(size), 250);
  EXPECT_FALSE(leads->leads[1].lead.has_number(size));  // empty cell: absent
  EXPECT_EQ(leads->leads[2].lead.number(size), -7);
  EXPECT_EQ(leads->leads[3].lead.number(size), 9223372036854775807);
  auto bad = parse("id,tier,client_size\nL1,SMB,12a\n", opt);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().location().file, "leads.csv");
  EXPECT_EQ(bad.status().location().line, 2);
  EXPECT_EQ(bad.status().location().column, 8);  // "L1,SMB," is 7 characters
  EXPECT_EQ(bad.status().to_string().find("leads.csv:2:8"), 0u) << bad.status().to_string();
  for (const char* cell : {"1.5", "250 ", "+"}) {
    auto other = parse(std::string("id,client_size\nL1,") + cell + "\n", opt);
    EXPECT_FALSE(other.ok()) << cell;
  }
}

TEST_F(LeadsCsvTest, NoTimeAtAllIsAnError) {
  auto leads = parse("id,tier\nL1,SMB\n");
  ASSERT_FALSE(leads.ok());
  EXPECT_NE(leads.status().message().find("no 'created_at' column and no default time"), std::string::npos);
  auto empty_cell = parse("id,created_at\nL1,\n");
  ASSERT_FALSE(empty_cell.ok());
  EXPECT_EQ(empty_cell.status().location().line, 2);
}

TEST_F(LeadsCsvTest, SkipBadRowsReportsEachAndKeepsTheRest) {
  LeadsCsvOptions opt;
  opt.skip_bad_rows = true;
  opt.default_at = *parse_instant("2024-03-05T09:00:00Z");
  auto leads =
      parse("id,region,amount\nL1,Москва,100\nL2,Марс,100\nL3,Урал,abc\nL4,Урал,1,2\nL5,Томск,\n", opt);
  ASSERT_TRUE(leads.ok()) << leads.status().to_string();
  ASSERT_EQ(leads->leads.size(), 2u);
  EXPECT_EQ(leads->leads[0].id, "L1");
  EXPECT_EQ(leads->leads[1].id, "L5");
  ASSERT_EQ(leads->skipped.size(), 3u);
  EXPECT_EQ(leads->skipped[0].location().line, 3);
  EXPECT_NE(leads->skipped[0].message().find("column 'region'"), std::string::npos);
  EXPECT_EQ(leads->skipped[1].location().line, 4);
  EXPECT_NE(leads->skipped[1].message().find("column 'amount'"), std::string::npos);
  EXPECT_EQ(leads->skipped[2].location().line, 5);
}

TEST_F(LeadsCsvTest, OwnersErrors) {
  auto unknown = owners("client,manager\nА,m-kuz\nБ,m-nobody\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().location().line, 3);
  EXPECT_NE(unknown.status().message().find("column 'manager': unknown manager 'm-nobody'"),
            std::string::npos);
  auto twice = owners("client,manager\nА,m-kuz\nА,m2\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("column 'client': client 'А' already has an owner"),
            std::string::npos);
  auto empty = owners("client,manager\nА,\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty manager"), std::string::npos);
  auto missing = owners("client,owner\nА,m2\n");
  ASSERT_FALSE(missing.ok());
  auto skipped = owners("client,manager\nА,m-kuz\nБ,m-nobody\nВ,m2\n", true);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped->owners.size(), 2u);
  EXPECT_EQ(skipped->skipped.size(), 1u);
  EXPECT_EQ(skipped->owners.owner_of("В"), team.find_manager("m2"));
  EXPECT_FALSE(skipped->owners.owner_of("Б").valid());
}

}  // namespace
}  // namespace dealflow::routing
