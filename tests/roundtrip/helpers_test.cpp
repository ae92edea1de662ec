// The round trip's normalisations on hand-made values, and proof that the
// comparison sees a one-minute, one-deal difference (so the round-trip tests
// can fail).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "roundtrip_fixture.h"

namespace dealflow::roundtrip {
namespace {

TEST(RoundTripHelpers, FirstNameFirstSwapsTheTwoWords) {
  EXPECT_EQ(first_name_first("Иванова Анна"), "Анна Иванова");
  EXPECT_EQ(first_name_first("Фёдоров Павел"), "Павел Фёдоров");
  EXPECT_EQ(first_name_first("Madonna"), "Madonna");
}

TEST(RoundTripHelpers, TruncateToMinutesTouchesOnlyInstants) {
  EXPECT_EQ(truncate_to_minutes("1,2024-01-02T05:50:31Z,NEW,12:34:56\n2,2024-12-31T23:59:59Z,WON\n"),
            "1,2024-01-02T05:50:00Z,NEW,12:34:56\n2,2024-12-31T23:59:00Z,WON\n");
}

TEST(RoundTripHelpers, KeepFieldsKeepsTheHeaderAndTheNamedFields) {
  const std::string csv =
      "deal_id,at,field,value\n"
      "1,2024-01-02T05:50:31Z,manager,Соколова Елена\n"
      "1,2024-01-02T05:50:31Z,amount,2901000.00\n"
      "1,2024-01-02T05:50:31Z,probability,10\n";
  EXPECT_EQ(keep_fields(csv, {SampleField::probability}),
            "deal_id,at,field,value\n1,2024-01-02T05:50:31Z,probability,10\n");
}

TEST(RoundTripHelpers, BlankColumnsKeepsQuoting) {
  const std::string csv =
      "id,client,lost_reason\n"
      "1,ПАО «Альфа»,\"Нет бюджета, вернуться в следующем квартале\"\n";
  EXPECT_EQ(blank_columns(csv, {"lost_reason"}), "id,client,lost_reason\n1,ПАО «Альфа»,\n");
}

// The reference against itself with one history row of one deal a minute
// later: the durations digests differ, and expect_same_lines reports it.
TEST(RoundTripHelpers, OneMinuteOnOneDealIsADifference) {
  auto csv = analytics::generate_sample_csv(sample_options(5, 40));
  ASSERT_TRUE(csv.ok()) << csv.status().to_string();
  Source source;
  const analytics::LoadedLog reference = load_reference(*csv, source);
  // Deal 1's second history row (its first move) one minute later.
  std::string history = csv->history;
  const std::size_t second_row = history.find("\n1,", history.find("\n1,") + 1);
  ASSERT_NE(second_row, std::string::npos);
  const std::size_t minute = second_row + 3 + 15;  // the last digit of "YYYY-MM-DDTHH:MM"
  ASSERT_EQ(history[minute - 2], ':');
  history[minute] = history[minute] == '9' ? '8' : static_cast<char>(history[minute] + 1);
  analytics::SampleCsv changed = *csv;
  changed.history = history;
  const analytics::LoadedLog shifted = load_reference(changed, source);

  auto side = [&](const analytics::LoadedLog& log) {
    return Side{&log.log,
                &sample_pipeline(),
                [](std::string_view id) { return std::string(id); },
                [](std::string_view k) { return std::string(k); },
                [](std::string_view k) { return std::string(k); },
                true};
  };
  const auto a = digests(side(reference)), b = digests(side(shifted));
  EXPECT_EQ(a.at("funnel as of 2024-07-01T00:00:00Z"), b.at("funnel as of 2024-07-01T00:00:00Z"));
  const std::string key = "durations as of 2024-07-01T00:00:00Z";
  EXPECT_NE(a.at(key), b.at(key));
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    expect_same_lines(b.at(key), a.at(key), key);
  }
  ASSERT_GE(failures.size(), 2);  // the first differing lines, then the count
  EXPECT_NE(std::string(failures.GetTestPartResult(failures.size() - 1).message()).find("lines differ"),
            std::string::npos);
}

}  // namespace
}  // namespace dealflow::roundtrip
