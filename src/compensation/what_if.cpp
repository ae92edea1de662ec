// What-if statements (dealflow/compensation/what_if.h): the participant's
// statement on the history, then on a copy of the history with one synthetic
// change at as_of, from the same engine (compute_statements).
#include "dealflow/compensation/what_if.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "dealflow/planning/pipeline_state.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;

Status bad(std::string message) {
  return Status(ErrorCode::invalid_argument, "what-if: " + std::move(message));
}

// "1 200 000.00 RUB".
std::string money_text(Money m) {
  return m.format_amount(" ", '.') + " " + std::string(m.currency().code());
}

// The participant named by a manager id or by its display name in the team file.
const Participant* find_participant(const CompensationPlan& plan, const std::string& manager) {
  if (const Participant* p = plan.find_participant(manager)) return p;
  const std::string key = plan.manager_key(manager);
  return key.empty() ? nullptr : plan.find_participant(key);
}

const Pipeline* find_pipeline(std::span<const Pipeline* const> pipelines, std::string_view id) {
  for (const Pipeline* p : pipelines)
    if (p != nullptr && p->id() == id) return p;
  return nullptr;
}

// The pipeline of a deal's stay at `as_of` (moves included); nullptr when not given.
const Pipeline* pipeline_as_of(const EventLog& log, std::span<const Pipeline* const> pipelines, DealId d,
                               Instant as_of) {
  const PipelineId pid = log.stay_as_of(d, log.to_log_seconds(as_of)).pipeline;
  return find_pipeline(pipelines, log.pipelines().at(pid.value()));
}

// A loaded Pipeline always has a won stage (the loader requires one); checked rather than assumed.
Result<StageId> won_stage(const Pipeline& p) {
  if (p.won_stages().empty()) return bad("pipeline '" + p.id() + "' has no won stage");
  return p.won_stages().front();
}

// Checks that open deal `key` can be won at as_of and appends its won event to `copy`.
Result<std::string> close_deal(const EventLog& log, std::span<const Pipeline* const> pipelines,
                               const std::string& key, Instant as_of, EventLog& copy) {
  const auto d = log.find_deal(key);
  if (!d) return bad("deal '" + key + "' is not in the history: expected the id of an open deal");
  const std::string when = format_iso(as_of);
  const Pipeline* p = pipeline_as_of(log, pipelines, *d, as_of);
  if (p == nullptr) {
    const PipelineId pid = log.stay_as_of(*d, log.to_log_seconds(as_of)).pipeline;
    return bad("deal " + key + " is in pipeline '" + std::string(log.pipelines().at(pid.value())) +
               "', which is not among the pipelines given");
  }
  planning::StateOptions opt;
  auto state = planning::pipeline_state_as_of(log, *p, as_of, opt);
  if (!state) return state.status();
  const auto open = std::find_if(state->open.begin(), state->open.end(),
                                 [&](const planning::OpenDeal& o) { return o.deal == *d; });
  if (open == state->open.end()) {
    const auto closed = std::find_if(state->closed.begin(), state->closed.end(),
                                     [&](const planning::ClosedDeal& c) { return c.deal == *d; });
    if (closed != state->closed.end())
      return bad("deal " + key + " is already " + (closed->won ? "won" : "lost") + " as of " + when + " (" +
                 (closed->won ? "won" : "closed") + " at " + format_iso(closed->closed_at) +
                 "): expected an open deal");
    return bad("deal " + key + " has no stage as of " + when + ": expected an open deal");
  }
  auto won = won_stage(*p);
  if (!won) return won.status();
  if (Status st = copy.append_event(*d, as_of, *won); !st.ok()) return st;
  const std::optional<Money> amount = log.amount_as_of(*d, as_of);
  return "close deal " + key + " (" + (amount ? money_text(*amount) : std::string("no amount")) + ")";
}

// The pipeline of the manager's latest deal (owner as of as_of, created by then), else the first one.
const Pipeline* synthetic_pipeline(const EventLog& log, std::span<const Pipeline* const> pipelines,
                                   const CompensationPlan& plan, const Participant& part, Instant as_of) {
  const analytics::DimensionId mdim = analytics::to_dimension_id(StandardDimension::manager);
  const Dictionary& values = log.dimension(mdim).values;
  std::vector<std::uint32_t> codes;
  if (auto c = values.find(part.manager)) codes.push_back(*c);
  for (const routing::Manager& m : plan.team.managers())
    if (m.key == part.manager && !m.name.empty())
      if (auto c = values.find(m.name)) codes.push_back(*c);
  std::optional<DealId> latest;
  for (std::uint32_t i = 0; i < log.deal_count() && !codes.empty(); ++i) {
    const DealId d{i};
    if (log.created_at(d) > as_of) continue;
    const std::uint32_t owner = log.dimension_code_as_of(d, mdim, as_of);
    if (std::find(codes.begin(), codes.end(), owner) == codes.end()) continue;
    if (!latest || log.created_at(d) >= log.created_at(*latest)) latest = d;
  }
  if (latest)
    if (const Pipeline* p = pipeline_as_of(log, pipelines, *latest, as_of)) return p;
  for (const Pipeline* p : pipelines)
    if (p != nullptr) return p;
  return nullptr;
}

// Adds the synthetic deal "what-if" (unique against the log's deals and the plan's splits).
Result<std::string> add_extra(const EventLog& log, std::span<const Pipeline* const> pipelines,
                              const CompensationPlan& plan, const Participant& part, Money extra,
                              Instant as_of, EventLog& copy) {
  if (extra.currency() != plan.currency)
    return bad("extra " + money_text(extra) + ": expected an amount in the plan's currency " +
               std::string(plan.currency.code()));
  if (!extra.is_positive()) return bad("extra " + money_text(extra) + ": expected a positive amount");
  const Pipeline* p = synthetic_pipeline(log, pipelines, plan, part, as_of);
  if (p == nullptr) return bad("no pipeline given for the synthetic deal");
  auto won = won_stage(*p);
  if (!won) return won.status();
  std::string key = "what-if";
  for (int n = 2; log.find_deal(key) || plan.find_split(key) != nullptr; ++n)
    key = "what-if-" + std::to_string(n);
  auto d = copy.add_deal(key, copy.intern_pipeline(p->id()), as_of, extra);
  if (!d) return d.status();
  copy.set_dimension(*d, StandardDimension::manager, part.manager);
  if (!plan.new_business_values.empty())
    copy.set_dimension(*d, StandardDimension::business, plan.new_business_values.front());
  if (Status st = copy.append_event(*d, as_of, *won); !st.ok()) return st;
  return "+" + money_text(extra);
}

// The participant's statement for the period, or an empty one when the engine gave none (no credit).
Result<ParticipantStatement> statement_of(const EventLog& log, std::span<const Pipeline* const> pipelines,
                                          const CompensationPlan& plan, const planning::Period& period,
                                          const Participant& part, Instant as_of, const FxTable* fx) {
  const std::vector<planning::Period> periods = {period};
  StatementOptions options;
  options.as_of = as_of;
  options.managers = {part.manager};
  options.fx = fx;
  auto all = compute_statements(log, pipelines, plan, periods, options);
  if (!all) return all.status();
  for (ParticipantStatement& s : all->statements)
    if (s.manager == part.manager && s.period == period.label) return std::move(s);
  ParticipantStatement s;
  s.manager = part.manager;
  s.role = part.role;
  for (const routing::Manager& m : plan.team.managers())
    if (m.key == part.manager) s.manager_name = m.name;
  s.period = period.label;
  s.period_first = period.first;
  s.period_last = period.end - 1;
  const Instant end = period.end_instant(plan.utc_offset_minutes);
  s.as_of = std::min(end, as_of);
  s.provisional = as_of < end;
  const Assignment* a = part.in_force(s.period_last);
  if (a != nullptr) {
    s.plan = plan.plans[a->plan].id;
    s.target_incentive = a->target_incentive;
  }
  const Money z(0, plan.currency);
  s.earned = s.caps = s.gate = s.adjustments = s.draw = s.paid = z;
  s.balance_before = s.balance_after = s.won_amount = s.overlay_paid = z;
  return s;
}

bool same_line(const StatementLine& a, const StatementLine& b) {
  return std::tie(a.kind, a.component, a.deal, a.slice_from, a.slice_to, a.tier, a.rate, a.amount) ==
         std::tie(b.kind, b.component, b.deal, b.slice_from, b.slice_to, b.tier, b.rate, b.amount);
}

}  // namespace

Result<WhatIfResult> what_if(const analytics::EventLog& log, std::span<const Pipeline* const> pipelines,
                             const CompensationPlan& plan, const planning::Period& period,
                             const std::string& manager, const WhatIf& change, Instant as_of,
                             const FxTable* fx) {
  const Participant* part = find_participant(plan, manager);
  if (part == nullptr)
    return bad("manager '" + manager + "' is not a participant of the plan: expected one of its managers");
  if (change.deal.empty() == !change.extra.has_value())
    return bad(change.deal.empty() ? "expected a deal to close or an extra amount, got neither"
                                   : "expected a deal to close or an extra amount, not both");
  if (period.kind != plan.period)
    return bad("period " + period.label + ": expected a " + std::string(planning::to_string(plan.period)) +
               " (the plan's period)");
  const Instant begin = period.begin_instant(plan.utc_offset_minutes);
  const Instant end = period.end_instant(plan.utc_offset_minutes);
  if (as_of < begin || as_of >= end)
    return bad("as of " + format_iso(as_of) + " is not in period " + period.label + " (" + format_iso(begin) +
               " .. " + format_iso(end) + "): expected an instant inside it");
  if (!log.sealed()) return bad("the event log is not sealed");

  EventLog copy = log;
  auto text = change.extra ? add_extra(log, pipelines, plan, *part, *change.extra, as_of, copy)
                           : close_deal(log, pipelines, change.deal, as_of, copy);
  if (!text) return text.status();
  copy.seal();

  auto current = statement_of(log, pipelines, plan, period, *part, as_of, fx);
  if (!current) return current.status();
  auto changed = statement_of(copy, pipelines, plan, period, *part, as_of, fx);
  if (!changed) return changed.status();
  auto difference = changed->paid.try_subtract(current->paid);
  if (!difference) return difference.status();

  WhatIfResult out;
  out.manager = part->manager;
  out.period = period.label;
  out.as_of = as_of;
  out.what_if = std::move(*text);
  out.difference = *difference;
  // Multiset difference: each line of `current` matches at most one equal line of `changed`.
  std::vector<bool> used(current->lines.size(), false);
  for (const StatementLine& l : changed->lines) {
    bool found = false;
    for (std::size_t i = 0; i < current->lines.size() && !found; ++i)
      if (!used[i] && same_line(current->lines[i], l)) used[i] = found = true;
    if (!found) out.changed_lines.push_back(l);
  }
  out.current = std::move(*current);
  out.changed = std::move(*changed);
  return out;
}

}  // namespace dealflow::compensation
