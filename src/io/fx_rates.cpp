// The exchange-rate CSV file: see dealflow/io/fx_rates.h.
#include "dealflow/io/fx_rates.h"

#include <map>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "dealflow/io/csv.h"

namespace dealflow {
namespace {

Result<FxTable> load(CsvReader& csv) {
  DEALFLOW_RETURN_IF_ERROR(csv.read_header());
  std::size_t col[4];
  const char* names[4] = {"date", "from", "to", "rate"};
  for (int i = 0; i < 4; ++i) {
    auto c = csv.require_column(names[i]);
    if (!c) return c.status();
    col[i] = *c;
  }
  FxTable table;
  // (date, from, to) -> line of its first row, for duplicate messages.
  std::map<std::tuple<std::int32_t, std::string, std::string>, int> seen;
  std::vector<std::string_view> f;
  while (true) {
    auto more = csv.next(f);
    if (!more) return more.status();
    if (!*more) break;
    auto date = Date::parse(f[col[0]]);
    if (!date) {
      return csv.field_error(col[0], "invalid date '" + std::string(f[col[0]]) + "': expected YYYY-MM-DD");
    }
    auto from = Currency::parse(f[col[1]]);
    if (!from) return csv.field_error(col[1], from.status().message());
    auto to = Currency::parse(f[col[2]]);
    if (!to) return csv.field_error(col[2], to.status().message());
    if (*from == *to) {
      return csv.field_error(col[2], "'" + std::string(to->code()) +
                                         "' is also the 'from' currency: expected two different currencies");
    }
    auto rate = parse_fx_rate(f[col[3]]);
    if (!rate) return csv.field_error(col[3], rate.status().message());
    const auto key =
        std::make_tuple(date->days_since_epoch(), std::string(from->code()), std::string(to->code()));
    if (auto [it, added] = seen.emplace(key, csv.line()); !added) {
      return csv.field_error(col[0], "a second " + std::string(from->code()) + "->" +
                                         std::string(to->code()) + " rate dated " + date->to_string() +
                                         " (the first is on line " + std::to_string(it->second) +
                                         "): expected one rate per pair and date");
    }
    if (Status st = table.add(*date, *from, *to, *rate); !st.ok())
      return csv.field_error(col[3], st.message());
  }
  if (table.empty()) {
    return Status(ErrorCode::parse_error,
                  "no exchange rate: expected rows 'date,from,to,rate' after the header",
                  Location{csv.file_name(), 2, 1, ""});
  }
  return table;
}

}  // namespace

Result<FxTable> load_fx_rates_file(const std::string& path) {
  auto csv = CsvReader::open_file(path);
  if (!csv) return csv.status();
  return load(*csv);
}

Result<FxTable> load_fx_rates_csv(std::string text, std::string file_name) {
  CsvReader csv = CsvReader::from_text(std::move(text), std::move(file_name));
  return load(csv);
}

}  // namespace dealflow
