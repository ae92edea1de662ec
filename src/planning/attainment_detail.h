// Internal: exact arithmetic and day counts shared by attainment, pacing and coverage.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/calendar.h"
#include "dealflow/planning/attainment.h"
#include "dealflow/planning/period.h"
#include "planning/exact.h"

namespace dealflow::planning::detail {

// Probabilities are hundredths of a percent: p = hundredths / 10000.
inline constexpr std::int64_t kHundredthsScale = 10000;

// The exact fraction num / den as a Figure (den > 0).
Figure figure(Int128 num, Int128 den) noexcept;

struct DayCounts {
  std::int64_t total = 0;  // working days in [period.first, period.end)
  std::int64_t elapsed =
      0;  // working days in [period.first, D), D = as_of's local date clamped to the period
};
// Pacing's day counts: a day has elapsed once it has ended (the as_of day does not count).
DayCounts day_counts(const Period& period, Instant as_of, int utc_offset_minutes,
                     const BusinessCalendar& calendar);

// Sums of one currency.
struct CurrencySum {
  Currency currency;
  std::int64_t minor = 0;
  std::int64_t deals = 0;
  Int128 weighted = 0;  // sum of minor units x hundredths of a percent (open deals)
};

// The fact and the pipeline of one scope value in one period.
struct ScopeSums {
  std::vector<CurrencySum> won;  // by currency, first seen first
  std::int64_t won_deals = 0;    // every currency, with or without an amount
  std::int64_t created = 0;
  std::vector<CurrencySum> open;  // open deals with a close date in the period
  std::int64_t open_deals = 0;
  std::int64_t open_p = 0;  // sum of their probabilities, hundredths of a percent
  const CurrencySum* won_in(Currency c) const noexcept;
  const CurrencySum* open_in(Currency c) const noexcept;
};

// One deal as the fact and the coverage see it, with a dense code per scope
// (no strings per deal): company 0, manager and region / product / business
// the log's dimension codes, pipeline the index into the report's pipelines;
// team goes through the manager's code.
struct DealRecord {
  Instant at;                      // won: the closing instant; created: created_at
  std::optional<Date> close_date;  // open deals
  std::optional<Money> amount;     // as of as-of, converted when fx is given
  std::uint32_t probability = 0;   // open deals, hundredths of a percent
  std::array<std::uint32_t, kPlanScopeCount> code{};
};

// The deals of a report compiled once against the plan's scopes; sums per
// (period, scope) are dense vectors indexed by code, made on first use.
class FactTables {
 public:
  // Errors: a missing fx rate, an unsealed log, a pipeline without deals.
  static Result<FactTables> build(const analytics::EventLog& log,
                                  const std::vector<const Pipeline*>& pipelines,
                                  const AttainmentQuery& query);
  // The code of a target's scope value; kNoValue when the data has none (its fact is 0).
  std::uint32_t resolve(const Target& target) const;
  // The sums of every code of `scope` in `period`. Error: overflow of int64 minor units.
  Result<const std::vector<ScopeSums>*> sums(const Plan& plan, std::uint32_t period, PlanScope scope,
                                             int offset);

 private:
  const analytics::EventLog* log_ = nullptr;
  const routing::TeamModel* team_ = nullptr;
  std::vector<std::string> pipeline_ids_;
  std::vector<DealRecord> won_, created_, open_;
  std::vector<std::vector<std::uint32_t>> teams_of_manager_;  // manager code -> team ids
  std::map<std::pair<std::uint32_t, PlanScope>, std::vector<ScopeSums>> sums_;
  std::size_t code_count(PlanScope scope) const;
};

}  // namespace dealflow::planning::detail
