// dealflow/compensation/statement.h: commission statements per participant
// and period, assembled from the deal history (docs/compensation.md
// "Statements").
//
// compute_statements reads the log, the pipelines and the plan and, for every
// participant with credit, a clawback, a late payment or a draw in a period,
// gives the lines in the design's order: per component the rate lines
// (compute_period on the credit lists: slices, lifts, cliffs, caps per deal
// and per period, the gate), then the SPIF lines, then the late lines (deals
// of earlier periods whose payout field fell in this one), the clawback lines
// of the period's reversals (priced against the source period recomputed
// from the same history), the fiscal-year cap_total line, and the draw or
// recovery line with the balance carried across consecutive periods.
// Every line has its deal, credit share, measure, slice, tier, rate, amount
// and reason; `paid` is the sum of the lines (checked: an internal error if
// not). The assignment in force on a period's last local day governs it
// (rate plan, quota, target incentive). A team summary per period adds
// payouts, the direct won amount and the cost of sales = payouts / won
// amount, with one row per participant, per team and for the company.
//
// Determinism: a statement depends only on the history, the plan and the
// options' as_of. Draw balances, late payments and the fiscal-year cap are
// carried from earlier periods recomputed as needed (each as of its own end),
// whatever periods are asked for, so recomputing a past period alone gives
// the same statement.
//
// Ownership: the result is a self-contained value. Thread-safety: a pure
// function of a sealed log; concurrent calls are safe.
//
// Example:
//   const std::vector<planning::Period> qs = {*planning::parse_period("2024-Q1")};
//   StatementOptions opt;
//   opt.as_of = log.latest_instant();  // a period ending later is provisional
//   auto st = compute_statements(log, pipelines, plan, qs, opt);
//   if (!st) return fail(st.status());
//   for (const ParticipantStatement& s : st->statements)
//     std::cout << s.manager << " " << s.period << " " << s.paid.to_string() << "\n";
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/compensation/credit.h"
#include "dealflow/compensation/plan.h"
#include "dealflow/compensation/rates.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/planning/period.h"

namespace dealflow::compensation {

// The design's line kinds: credit (a rate slice or per-deal amount), lift,
// cliff (a retroactive top-up), gate, gate_release, cap_deal, cap_period,
// cap_total, spif, late (a held deal paid in a later period), clawback, draw,
// recovery.
struct StatementLine {
  int line = 0;           // 1, 2, ... in statement order
  std::string kind;       // see above
  std::string component;  // component id; empty for draw lines
  std::string deal;       // empty for period lines (cap_period, gate, draw)
  std::optional<CreditSource> credit;
  std::int64_t share_bp = 0;  // the credit share (0 when no deal)
  Money measure;              // the deal's measure × share (credit lines)
  Money slice_from, slice_to;
  int tier = 0;
  Rate rate;
  Money amount;               // rounded minor units; negative for reductions
  std::string source_period;  // clawbacks and late lines: the period the deal was credited in
  std::string reason;
  // Added for issue 11's outputs (filled by the engine):
  std::optional<Instant> credit_instant;  // deal lines: the credit instant
  std::optional<Rate> factor;             // lift / decelerator factor applied (accelerators), when any
  std::optional<Rate> blended_rate;       // on the last line of a deal: Σ the deal's lines / its measure
};

// What one component measured in the period (the statement's attainment block).
struct ComponentAttainment {
  std::string component;
  Measure measure = Measure::won_amount;
  Money value;                     // Σ credited measure before the measure cap (counts in kCountUnit)
  std::optional<Money> quota;      // empty: the component has no quota
  std::optional<Rate> attainment;  // value / quota, exact
  int tier = 0;                    // the tier reached (0: none)
  std::string cliff;               // retroactive tiers: the cliff stated ("" when none)
};

// A credited deal whose payout waits for the plan's payout field.
struct HeldDeal {
  std::string deal;
  std::string component;
  Money amount;        // what it will pay when released (rounded like its lines)
  std::string reason;  // "invoice_paid not set as of 2024-09-30"
};

struct ParticipantStatement {
  std::string manager;
  std::string manager_name;  // the team file's display name ("" when none)
  Role role = Role::rep;
  std::string plan;                // the rate plan id of the assignment in force at the period's last day
  std::string period;              // "2024-Q1"
  Date period_first, period_last;  // local dates at the plan's offset, inclusive
  Instant as_of;                   // the period's end, or the options' as_of when earlier
  bool provisional = false;        // the period ends after as_of
  std::optional<Money> target_incentive;
  std::vector<ComponentAttainment> attainment;  // one per commission component with credit
  std::vector<HeldDeal> held;
  std::vector<StatementLine> lines;
  Money earned;                         // credit, lift, cliff, gate_release and spif lines
  Money caps;                           // cap_* lines
  Money gate;                           // gate lines
  Money adjustments;                    // clawback lines
  Money draw;                           // draw and recovery lines
  Money paid;                           // Σ lines
  Money balance_before, balance_after;  // −owed (≤ 0); zero without a draw
  Money won_amount;                     // direct credit: Σ deal amount × share
  Money overlay_paid;                   // Σ lines of overlay credit
  std::vector<std::string> notes;
};

// One row of the team summary: a participant (team empty), a team of the team
// file (participant empty: its members, heads and overlay holders of it and
// its sub-teams, each once; won amount of its members' direct credit), or the
// company (team and participant empty).
struct SummaryRow {
  std::string team;         // team id; "" for the company row
  std::string participant;  // manager id; "" for team and company rows
  std::optional<Role> role;
  Money won_amount;  // direct credit only, each deal once
  Money paid;
  Money overlay_paid;
  Money clawbacks;
  Money draw;
  Money draw_balance;  // Σ balance_after
  Rate cost_of_sales;  // paid / won_amount (0 when nothing was won)
  Money uncredited;    // won amount credited to nobody (company row only)
};

struct TeamSummary {
  std::string period;
  Money won_amount;  // direct credit only: each deal counted once
  Money paid;        // Σ statements' paid
  Money overlay_paid;
  Money clawbacks;
  Money draws;
  Rate cost_of_sales;              // paid / won_amount, exact (0 when nothing was won)
  std::vector<std::string> notes;  // deals credited to nobody (compute_credits' notes)
  std::vector<SummaryRow>
      rows;  // participants (by manager id), then teams (team file order), then the company
};

struct Statements {
  Currency currency;
  Rounding rounding = Rounding::half_even;
  std::optional<Instant> as_of;                  // the options' as_of
  std::vector<ParticipantStatement> statements;  // by period (asked order), then manager
  std::vector<TeamSummary> summary;              // one per asked period
};

struct StatementOptions {
  // Nothing after this instant is read; a period ending after it is
  // provisional. Empty: each period as of its own end.
  std::optional<Instant> as_of;
  // Only these participants' statements (all when empty); the summary always
  // covers everyone.
  std::vector<std::string> managers;
  // Exchange rates (not owned; must outlive the call): a deal won in another
  // currency than the plan's is credited at its amount converted at the rate
  // of its local credit date (the latest rate dated on or before it); a
  // missing rate is an error naming the deal. Empty: such deals credit
  // nobody (a note).
  const FxTable* fx = nullptr;
};

// Errors (nothing is returned half-built): compute_credits' errors, a rate
// spec or SPIF that does not validate, a quota from the quota plan without a
// manager target for the period (invalid_argument "plan.json: at
// /participants/1/assignments/0/quota: no won_amount target for manager
// m-smirnova in 2024-Q2 of sample-2024.json: ..."), periods in another kind
// than the plan's, a period starting after options.as_of, an options.managers
// id that is not a participant (invalid_argument). Refused: a component that
// pays a share of the target incentive (`pays: target_incentive`).
Result<Statements> compute_statements(const analytics::EventLog& log,
                                      std::span<const Pipeline* const> pipelines,
                                      const CompensationPlan& plan, std::span<const planning::Period> periods,
                                      const StatementOptions& options = {});

}  // namespace dealflow::compensation
