// Manager adjustments of category roll-ups: see dealflow/planning/adjustments.h.
#include "dealflow/planning/adjustments.h"

#include <array>

#include "dealflow/io/csv.h"

namespace dealflow::planning {

namespace {

constexpr std::array<std::string_view, 8> kColumns = {"scope",    "period", "category", "amount",
                                                      "currency", "author", "at",       "note"};

}  // namespace

Result<std::vector<Adjustment>> parse_adjustments_csv(std::string_view text, std::string_view file_name) {
  CsvReader csv = CsvReader::from_text(std::string(text), std::string(file_name));
  if (Status s = csv.read_header(); !s.ok()) return s;
  std::array<std::size_t, kColumns.size()> col{};
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    auto c = csv.require_column(kColumns[i]);
    if (!c) return c.status();
    col[i] = *c;
  }
  std::vector<Adjustment> out;
  std::vector<std::string_view> f;
  for (;;) {
    auto more = csv.next(f);
    if (!more) return more.status();
    if (!*more) break;
    Adjustment a;
    a.line = static_cast<std::size_t>(csv.line());
    a.scope = std::string(f[col[0]]);
    if (a.scope.empty()) return csv.field_error(col[0], "empty scope, expected a scope key or 'company'");
    a.period = std::string(f[col[1]]);
    if (a.period.empty())
      return csv.field_error(col[1], "empty period, expected a period label such as 2026-Q3");
    const auto cat = parse_forecast_category(f[col[2]]);
    if (!cat || (*cat != ForecastCategory::commit && *cat != ForecastCategory::best_case &&
                 *cat != ForecastCategory::pipeline))
      return csv.field_error(col[2],
                             "'" + std::string(f[col[2]]) +
                                 "' is not an adjustable category, expected commit, best_case or pipeline");
    a.category = *cat;
    auto cur = Currency::parse(f[col[4]]);
    if (!cur)
      return csv.field_error(col[4],
                             "'" + std::string(f[col[4]]) + "' is not a currency, expected an ISO 4217 code");
    auto amount = Money::parse(f[col[3]], *cur);
    if (!amount)
      return csv.field_error(col[3], "'" + std::string(f[col[3]]) + "' is not an amount in " +
                                         std::string(cur->code()) + ": " + amount.status().message());
    a.amount = *amount;
    a.author = std::string(f[col[5]]);
    if (a.author.empty()) return csv.field_error(col[5], "empty author, expected who made the adjustment");
    auto at = parse_instant(f[col[6]]);
    if (!at)
      return csv.field_error(col[6],
                             "'" + std::string(f[col[6]]) +
                                 "' is not an instant, expected ISO 8601 such as 2026-07-15T10:00:00Z");
    a.at = *at;
    a.note = std::string(f[col[7]]);
    out.push_back(std::move(a));
  }
  return out;
}

const Adjustment* adjustment_in_force(std::span<const Adjustment> adjustments, std::string_view scope,
                                      std::string_view period, ForecastCategory category, Currency currency,
                                      Instant as_of) noexcept {
  const Adjustment* best = nullptr;
  for (const Adjustment& a : adjustments) {
    if (a.scope != scope || a.period != period || a.category != category ||
        !(a.amount.currency() == currency) || a.at > as_of)
      continue;
    if (!best || a.at >= best->at) best = &a;
  }
  return best;
}

}  // namespace dealflow::planning
