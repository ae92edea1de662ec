// The exchange-rate file (`--fx RATES.csv`): what loads, and one test per
// documented error, each located file:line:column.
#include "dealflow/io/fx_rates.h"

#include <gtest/gtest.h>

#include <fstream>

namespace dealflow {
namespace {

Result<FxTable> load(const std::string& text) {
  return load_fx_rates_csv(text, "rates.csv");
}

// The error's "file:line:column: message".
std::string error_of(const std::string& text) {
  auto r = load(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? std::string() : r.status().to_string();
}

TEST(FxRatesFile, LoadsRowsInAnyOrderAndColumnOrder) {
  auto t = load(
      "rate,to,from,date,source\n"
      "17.1,MXN,USD,2024-03-04,bank\n"
      "17.0512,MXN,USD,2024-03-01,bank\n"
      "\"0.000256\",USD,COP,2024-03-01,\n");
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->size(), 3u);
  const Date d = *Date::parse("2024-03-02");
  EXPECT_EQ(t->convert(Money(100000, Currency::of("USD")), Currency::of("MXN"), d)->to_string(),
            "17051.20 MXN");
  EXPECT_EQ(t->convert(Money(100000000, Currency::of("COP")), Currency::of("USD"), d)->to_string(),
            "256.00 USD");
}

TEST(FxRatesFile, LoadsFromAFile) {
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/fx_rates_test.csv";
  std::ofstream(path, std::ios::binary) << "date,from,to,rate\n2024-01-01,PEN,USD,0.27\n";
  auto t = load_fx_rates_file(path);
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->size(), 1u);
  EXPECT_FALSE(load_fx_rates_file(path + ".missing").ok());
}

TEST(FxRatesFile, MissingColumn) {
  EXPECT_EQ(error_of("date,from,to\n2024-01-01,USD,MXN\n"),
            "rates.csv:1:1: missing required column 'rate' (header has: date,from,to)");
}

TEST(FxRatesFile, InvalidDate) {
  EXPECT_EQ(error_of("date,from,to,rate\n2024-01-01,USD,MXN,17\n2024-02-30,USD,MXN,17\n"),
            "rates.csv:3:1: column 'date': invalid date '2024-02-30': expected YYYY-MM-DD");
}

TEST(FxRatesFile, InvalidCurrency) {
  const std::string e = error_of("date,from,to,rate\n2024-01-01,US$,MXN,17\n");
  EXPECT_EQ(e.rfind("rates.csv:2:12: column 'from': invalid currency code 'US$'", 0), 0u) << e;
  const std::string to = error_of("date,from,to,rate\n2024-01-01,USD,MX,17\n");
  EXPECT_EQ(to.rfind("rates.csv:2:16: column 'to': invalid currency code 'MX'", 0), 0u) << to;
}

TEST(FxRatesFile, SameCurrencyOnBothSides) {
  EXPECT_EQ(
      error_of("date,from,to,rate\n2024-01-01,USD,usd,1\n"),
      "rates.csv:2:16: column 'to': 'USD' is also the 'from' currency: expected two different currencies");
}

TEST(FxRatesFile, InvalidRate) {
  const std::string e = error_of("date,from,to,rate\n2024-01-01,USD,MXN,\"17,05\"\n");
  EXPECT_EQ(e.rfind("rates.csv:2:20: column 'rate': invalid exchange rate '17,05'", 0), 0u) << e;
  EXPECT_NE(e.find("expected a plain decimal greater than 0"), std::string::npos) << e;
  EXPECT_NE(error_of("date,from,to,rate\n2024-01-01,USD,MXN,0\n").find("invalid exchange rate '0': zero"),
            std::string::npos);
  EXPECT_NE(error_of("date,from,to,rate\n2024-01-01,USD,MXN,1.7e1\n").find("unexpected character 'e'"),
            std::string::npos);
}

TEST(FxRatesFile, SamePairAndDateTwiceNamesTheFirstLine) {
  EXPECT_EQ(
      error_of("date,from,to,rate\n2024-01-01,USD,MXN,17\n2024-01-02,USD,MXN,17\n2024-01-01,USD,MXN,17\n"),
      "rates.csv:4:1: column 'date': a second USD->MXN rate dated 2024-01-01 (the first is on line 2): "
      "expected one rate per pair and date");
  // The opposite pair on the same date is another pair.
  EXPECT_TRUE(load("date,from,to,rate\n2024-01-01,USD,MXN,17\n2024-01-01,MXN,USD,0.0588\n").ok());
}

TEST(FxRatesFile, NoRate) {
  EXPECT_EQ(error_of("date,from,to,rate\n"),
            "rates.csv:2:1: no exchange rate: expected rows 'date,from,to,rate' after the header");
}

TEST(FxRatesFile, NotUtf8) {
  const std::string e = error_of("date,from,to,rate\n2024-01-01,USD,MXN,17\xff\n");
  EXPECT_EQ(e.rfind("rates.csv:2:", 0), 0u) << e;
}

}  // namespace
}  // namespace dealflow
