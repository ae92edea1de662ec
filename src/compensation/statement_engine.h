// The statement engine's internals (statement*.cpp; see statement.h): one
// Engine per compute_statements call, caching per period the credits and the
// statements before draws (rate, SPIF, late, clawback and cap_total lines).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "dealflow/compensation/credit.h"
#include "dealflow/compensation/spif.h"
#include "dealflow/compensation/statement.h"
#include "rates_detail.h"

namespace dealflow::compensation::detail {

using PeriodStatements = std::map<std::string, ParticipantStatement>;  // by manager

// A deal of a period whose payout waits for the plan's payout field: its lines there.
struct Held {
  std::string manager;
  std::string deal;
  std::string component;
  Instant credit_instant;
  CreditSource source = CreditSource::owner;
  std::int64_t share_bp = 0;
  Money measure;
  Money amount;  // Σ its lines (rounded lines)
};

struct PeriodBase {
  PeriodStatements statements;
  std::vector<Held> held;  // the period's own held deals
};

// The priced lines of one credit list in one period.
struct Priced {
  Statement rates;              // commission components
  SpifStatement spifs;          // SPIF components
  std::vector<Credit> credits;  // what compute_period priced
  RateSpec spec;
  std::vector<std::string> notes;  // measure cap
};

class Engine {
 public:
  Engine(const analytics::EventLog& log, std::span<const Pipeline* const> pipelines,
         const CompensationPlan& plan, std::optional<Instant> as_of, const FxTable* fx = nullptr)
      : log_(log), pipelines_(pipelines), plan_(plan), as_of_(as_of), fx_(fx) {}

  Result<Statements> run(std::span<const planning::Period> periods);

  // statement_lines.cpp
  Result<const PeriodBase*> before_draws(const planning::Period& p);

 private:
  Result<const Credits*> credits(const planning::Period& p);
  Result<Priced> price(const Credits& c, const CreditList& l, const planning::Period& p) const;
  Status add_rate_lines(const Credits& cr, const planning::Period& p, PeriodBase& out);
  Status add_late(const planning::Period& p, PeriodBase& out);
  Status add_clawbacks(const Reversal& r, const planning::Period& p, PeriodStatements& out);
  Status add_cap_total(const planning::Period& p, PeriodStatements& out);
  // statement_totals.cpp
  Status add_draw(ParticipantStatement& s, const Participant& part, const planning::Period& p);
  Result<TeamSummary> summary(const planning::Period& p, const PeriodStatements& ps);

  ParticipantStatement& statement(PeriodStatements& out, const std::string& manager,
                                  const planning::Period& p) const;
  // Nothing at or after this instant is read for `p`.
  Instant cut(const planning::Period& p) const;
  // The first period the engine looks back to (draws, late lines).
  planning::Period first_period() const;

  const analytics::EventLog& log_;
  std::span<const Pipeline* const> pipelines_;
  const CompensationPlan& plan_;
  std::optional<Instant> as_of_;
  const FxTable* fx_ = nullptr;
  std::map<std::string, Credits> credits_;
  std::map<std::string, PeriodBase> base_;
  // Clawbacks: per source period, the credit lists holding each deal, and
  // each list priced once (a reversal re-reads its source period's pricing).
  struct SourceIndex {
    std::unordered_map<std::string_view, std::vector<std::uint32_t>> lists_of_deal;
    std::map<std::uint32_t, Priced> priced;
  };
  std::map<std::string, SourceIndex> sources_;
  // Per credits_ entry: each credited deal's whole amount (its first direct credit).
  std::map<const Credits*, std::unordered_map<std::string_view, Money>> deal_amounts_;
};

// The credit lines of one list by deal (the first line of a deal).
class LineIndex {
 public:
  explicit LineIndex(const CreditList& l) {
    by_deal_.reserve(l.lines.size());
    for (const CreditLine& cl : l.lines) by_deal_.try_emplace(cl.deal, &cl);
  }
  const CreditLine* find(std::string_view deal) const {
    auto it = by_deal_.find(deal);
    return it == by_deal_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string_view, const CreditLine*> by_deal_;
};

// Σ of the lines that are not draw or recovery lines.
Money commission_of(const ParticipantStatement& s);
// Totals, line numbers, blended rates; an internal error when paid ≠ Σ parts.
Status finish(ParticipantStatement& s, const CompensationPlan& plan);

}  // namespace dealflow::compensation::detail
