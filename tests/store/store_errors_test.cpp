// Store::open's errors: each is located at the database (and, for a record, its sequence), names what
// differs, and leaves the file as it was.
#include <gtest/gtest.h>

#include <fstream>

#include "dealflow/store/store.h"
#include "store/department_test_util.h"
#include "store/random_ops.h"
#include "store/store_test_util.h"

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

// simple pipeline + test router; three records: route (Томск -> m-c, manager 2), move to WORK, move to WON.
class StoreErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = config_of(simple_workspace(), {}, test_router());
    path_ = store_file(::testing::UnitTest::GetInstance()->current_test_info()->name());
    Store store = open_store(path_, config_);
    Department& d = store.department();
    const Pipeline& p = d.workspace().pipeline(PipelineId{0});
    NewDeal nd;
    nd.created_at = at("2024-03-04T09:00:00Z");
    nd.amount = Money(5000000, Currency::of("RUB"));
    ASSERT_TRUE(d.route_and_create(lead_in(*d.router(), "Томск", *nd.created_at), nd).ok());
    ASSERT_TRUE(
        d.move(DealId{0}, *p.find_stage("WORK"), at("2024-03-04T10:00:00Z"), ManagerId{2})->applied());
    ASSERT_TRUE(d.move(DealId{0}, *p.find_stage("WON"), at("2024-03-04T11:00:00Z"), ManagerId{2})->applied());
  }

  Status open_error(const DepartmentConfig& config) {
    auto s = Store::open(path_, config);
    EXPECT_FALSE(s.ok()) << "opened";
    return s.ok() ? Status{} : s.status();
  }
  Status open_error() { return open_error(config_); }
  void sql(const std::string& statement) { RawDb(path_).exec(statement); }
  std::string all_payloads() { return RawDb(path_).text("SELECT group_concat(payload, '|') FROM changes"); }

  DepartmentConfig config_;
  std::filesystem::path path_;
};

TEST_F(StoreErrors, TheControlOpens) {
  auto s = Store::open(path_, config_);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->department().sequence(), 3u);
}

TEST_F(StoreErrors, AnotherConfigurationIsRefusedNamingBothFingerprints) {
  const DepartmentConfig other = b2b_config();
  const std::string before = all_payloads();
  const Status s = open_error(other);
  EXPECT_EQ(s.code(), ErrorCode::refused);
  EXPECT_EQ(s.location().file, path_.string());
  EXPECT_NE(s.message().find("written with configuration fingerprint " + hex(config_.fingerprint()) +
                             ", these configs give " + hex(other.fingerprint())),
            std::string::npos)
      << s.to_string();
  EXPECT_EQ(RawDb(path_).text("SELECT value FROM meta WHERE key = 'store.fingerprint'"),
            hex(config_.fingerprint()));
  EXPECT_EQ(all_payloads(), before);
}

TEST_F(StoreErrors, ARecordThatDoesNotParseIsLocatedAtItsSequence) {
  sql("UPDATE changes SET payload = replace(payload, '\"WON\"', '\"WONN\"') WHERE sequence = 3");
  const Status s = open_error();
  EXPECT_EQ(s.code(), ErrorCode::not_found);
  EXPECT_EQ(s.location().file, path_.string());
  EXPECT_EQ(s.location().line, 3);
  EXPECT_EQ(s.location().json_path, "/stage");
  EXPECT_NE(s.message().find("record 3 does not parse: unknown stage 'WONN'"), std::string::npos)
      << s.to_string();
}

TEST_F(StoreErrors, ARecordThatIsNotJsonIsLocatedAtItsSequence) {
  sql("UPDATE changes SET payload = '{\"v\":1,' WHERE sequence = 2");
  const Status s = open_error();
  EXPECT_EQ(s.code(), ErrorCode::parse_error);
  EXPECT_EQ(s.location().file, path_.string());
  EXPECT_EQ(s.location().line, 2);
  EXPECT_NE(s.message().find("record 2 does not parse"), std::string::npos) << s.to_string();
}

TEST_F(StoreErrors, ARecordThatDoesNotReplayIsLocatedAtItsSequence) {
  // The move to WORK now predates the deal's creation: the engine refuses it.
  sql("UPDATE changes SET payload = replace(payload, '2024-03-04T10:00:00Z', '2024-03-01T10:00:00Z') "
      "WHERE sequence = 2");
  const Status s = open_error();
  EXPECT_EQ(s.code(), ErrorCode::validation_failed);
  EXPECT_EQ(s.location().file, path_.string());
  EXPECT_EQ(s.location().line, 2);
  EXPECT_NE(s.message().find("record 2 does not replay: change 2 (move): the engine refused it on replay"),
            std::string::npos)
      << s.to_string();
}

TEST_F(StoreErrors, ARecordHoldingAnotherSequenceIsRefused) {
  sql("UPDATE changes SET payload = replace(payload, '\"seq\":2', '\"seq\":5') WHERE sequence = 2");
  const Status s = open_error();
  EXPECT_EQ(s.code(), ErrorCode::parse_error);
  EXPECT_EQ(s.location().line, 2);
  EXPECT_NE(s.message().find("record 2 holds change 5"), std::string::npos) << s.to_string();
}

TEST_F(StoreErrors, AnOpenDealCountThatDisagreesWithTheHistoryIsRefused) {
  EXPECT_EQ(RawDb(path_).text("SELECT group_concat(manager || '=' || count) FROM open_deals"), "2=0");
  sql("UPDATE open_deals SET count = 1 WHERE manager = 2");  // as if the close had not lowered it
  const Status s = open_error();
  EXPECT_EQ(s.code(), ErrorCode::validation_failed);
  EXPECT_EQ(s.location().file, path_.string());
  EXPECT_NE(s.message().find("history and router state disagree: manager 2 ('m-c') has 1 open deals in the "
                             "open_deals table, the replayed history gives 0 (after change 3)"),
            std::string::npos)
      << s.to_string();
}

TEST_F(StoreErrors, AMissingOrForeignOpenDealRowIsRefused) {
  sql("INSERT INTO open_deals(manager, count) VALUES(0, 4)");  // m-a: no deal of dealflow, initial 0
  Status s = open_error();
  EXPECT_NE(s.message().find("manager 0 ('m-a') has 4 open deals in the open_deals table, the replayed "
                             "history gives 0"),
            std::string::npos)
      << s.to_string();
  sql("DELETE FROM open_deals WHERE manager = 0; INSERT INTO open_deals(manager, count) VALUES(9, 1)");
  s = open_error();
  EXPECT_NE(s.message().find("history and router state disagree: manager 9 has 1 open deals"),
            std::string::npos)
      << s.to_string();
}

TEST_F(StoreErrors, ANewerSchemaIsRefusedThroughStoreOpen) {
  sql("PRAGMA user_version = 3");
  const Status s = open_error();
  EXPECT_EQ(s.code(), ErrorCode::refused);
  EXPECT_EQ(s.location().file, path_.string());
  EXPECT_NE(s.message().find("schema version 3 is newer than the newest this dealflow reads (2)"),
            std::string::npos)
      << s.to_string();
}

TEST_F(StoreErrors, AStoredInitialRouterStateThatDoesNotParseIsRefused) {
  sql("UPDATE meta SET value = '{\"managers\": 7' WHERE key = 'store.initial_router_state'");
  const Status s = open_error();
  EXPECT_EQ(s.code(), ErrorCode::parse_error);
  EXPECT_NE(s.location().file.find("meta store.initial_router_state"), std::string::npos) << s.to_string();
}

TEST_F(StoreErrors, AFingerprintThatIsNotHexIsRefused) {
  sql("UPDATE meta SET value = 'xyz' WHERE key = 'store.fingerprint'");
  const Status s = open_error();
  EXPECT_EQ(s.code(), ErrorCode::parse_error);
  EXPECT_NE(s.message().find("the stored configuration fingerprint 'xyz' is not 16 hexadecimal digits"),
            std::string::npos)
      << s.to_string();
}

TEST_F(StoreErrors, AFingerprintWithASignAPrefixOrASpaceIsRefused) {
  // 16 characters each but the last (15 digits); hex16 writes 16 lowercase digits.
  for (const std::string bad :
       {"-0000000000004d2", "0x000000000004d2", " 0000000000004d2", "00000000000004d"}) {
    sql("UPDATE meta SET value = '" + bad + "' WHERE key = 'store.fingerprint'");
    const Status s = open_error();
    EXPECT_EQ(s.code(), ErrorCode::parse_error) << bad;
    EXPECT_NE(s.message().find("'" + bad + "' is not 16 hexadecimal digits"), std::string::npos)
        << s.to_string();
  }
}

TEST_F(StoreErrors, AFingerprintInUppercaseHexIsTheSameFingerprint) {
  const std::string stored = RawDb(path_).text("SELECT value FROM meta WHERE key = 'store.fingerprint'");
  sql("UPDATE meta SET value = upper(value) WHERE key = 'store.fingerprint'");
  const std::string upper = RawDb(path_).text("SELECT value FROM meta WHERE key = 'store.fingerprint'");
  ASSERT_NE(upper, stored) << "the fingerprint has no letter digit: the case does not test anything";
  auto s = Store::open(path_, config_);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->department().sequence(), 3u);
}

TEST(StoreOpen, ALogWithRecordsButNoFingerprintIsRefused) {
  const auto path = store_file("foreign_log");
  {
    auto log = SqliteLog::open(path);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE(log->append({1, "{}"}, {}).ok());
  }
  auto s = Store::open(path, config_of(simple_workspace(), {}, test_router()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::parse_error);
  EXPECT_NE(s.status().message().find("the log holds 1 records but no configuration fingerprint"),
            std::string::npos)
      << s.status().to_string();
}

TEST(StoreOpen, AnInitialStateWithoutAFingerprintIsANewStore) {
  // As left by a kill between the two meta writes of a first open: the store is still new.
  const auto path = store_file("half_initialized");
  {
    auto log = SqliteLog::open(path);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE(log->set_meta(Store::kInitialStateKey, "{not json").ok());
  }
  const DepartmentConfig config = config_of(simple_workspace(), {}, test_router());
  auto s = Store::open(path, config);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->department().sequence(), 0u);
  EXPECT_EQ(RawDb(path).text("SELECT value FROM meta WHERE key = 'store.fingerprint'"),
            hex(config.fingerprint()));
  EXPECT_EQ(RawDb(path).text("SELECT substr(value, 1, 1) FROM meta WHERE key = 'store.initial_router_state'"),
            "{");
  EXPECT_NE(RawDb(path).text("SELECT value FROM meta WHERE key = 'store.initial_router_state'"), "{not json");
}

TEST(StoreOpen, AFileThatIsNotSqliteIsRefusedAndLeftAsItWas) {
  const auto path = store_file("not_sqlite");
  { std::ofstream(path) << "deal,stage\n1,NEW\n"; }
  auto s = Store::open(path, config_of(simple_workspace(), {}, test_router()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::parse_error);
  EXPECT_EQ(std::filesystem::file_size(path), 17u);  // the 17 bytes written above
}

TEST(StoreOpen, ARouterStateNotSizedForTheRouterIsRefusedBeforeAnythingIsWritten) {
  const auto path = store_file("bad_state");
  DepartmentConfig config = config_of(simple_workspace(), {}, test_router());
  config.initial_router_state = routing::RouterState(1, {});
  auto s = Store::open(path, config);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(RawDb(path).text("SELECT count(*) FROM meta WHERE key LIKE 'store.%'"), "0");
}

}  // namespace
}  // namespace dealflow::store
