// dealflow/planning/adjustments.h: manager adjustments of forecast-category
// roll-ups ("my commit for Q3 is 1.2 M, not the 1.05 M the CRM sums").
//
// File format (CSV, UTF-8, header required, columns in any order):
//   scope,period,category,amount,currency,author,at,note
//   Иванов,2026-Q3,commit,1200000.00,RUB,Петрова,2026-07-15T10:00:00Z,"two renewals slip in"
// * scope: the scope key of the report's --by ("company" for the whole company);
// * period: the period label as the report prints it ("2026-Q3");
// * category: commit, best_case or pipeline: the cumulative roll-up it
//   replaces (commit = commit + closed, ...); closed (the fact) and omitted
//   cannot be adjusted;
// * amount: a decimal in the currency's minor units (exact), currency: ISO code;
// * author: who adjusted (required), at: the instant (ISO 8601), note: free text.
// The latest adjustment at or before the report's as_of per (scope, period,
// category, currency) is in force (a later one in the file wins on ties); the
// report prints it beside the unadjusted roll-up with author, instant and note.
//
// Ownership: plain values. Thread-safety: pure functions, reentrant.
//
// Example:
//   auto adj = dealflow::planning::parse_adjustments_csv(text, "adjustments.csv");
//   // adj->front().amount == Money(120000000, Currency::of("RUB"))
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::planning {

struct Adjustment {
  std::string scope;
  std::string period;
  ForecastCategory category = ForecastCategory::commit;  // commit, best_case or pipeline
  Money amount;
  std::string author;
  Instant at;
  std::string note;
  std::size_t line = 0;  // in the file (1-based), 0 when built in code
  friend bool operator==(const Adjustment&, const Adjustment&) = default;
};

// Parses the format above. invalid_argument located "file:line:column:
// column 'x': ..." for a missing column, an unknown category, a bad amount,
// currency or instant, an empty author or scope.
Result<std::vector<Adjustment>> parse_adjustments_csv(std::string_view text, std::string_view file_name);

// The adjustment in force: the latest `at` <= as_of for (scope, period,
// category, currency), a later entry winning ties; nullptr when none.
const Adjustment* adjustment_in_force(std::span<const Adjustment> adjustments, std::string_view scope,
                                      std::string_view period, ForecastCategory category, Currency currency,
                                      Instant as_of) noexcept;

}  // namespace dealflow::planning
