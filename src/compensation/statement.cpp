// Commission statements per participant and period (see statement.h).
#include "dealflow/compensation/statement.h"

#include <algorithm>
#include <exception>
#include <map>
#include <utility>

#include "dealflow/compensation/clawback.h"
#include "dealflow/compensation/draws.h"
#include "dealflow/compensation/spif.h"

namespace dealflow::compensation {
namespace {

using planning::Period;
__extension__ typedef __int128 Int128;
using PeriodStatements = std::map<std::string, ParticipantStatement>;  // by manager

std::string line_kind(LineKind k) {
  switch (k) {
    case LineKind::slice:
    case LineKind::per_deal:
      return "credit";
    case LineKind::retro_cliff:
      return "cliff";
    case LineKind::lift_topup:
      return "lift";
    default:
      return std::string(to_string(k));
  }
}

// The priced lines of one credit list in one period.
struct Priced {
  Statement rates;              // commission components
  SpifStatement spifs;          // SPIF components
  std::vector<Credit> credits;  // what compute_period priced
  RateSpec spec;
};

class Engine {
 public:
  Engine(const analytics::EventLog& log, std::span<const Pipeline* const> pipelines,
         const CompensationPlan& plan)
      : log_(log), pipelines_(pipelines), plan_(plan) {}

  Result<const PeriodStatements*> before_draws(const Period& p);
  Result<Statements> run(std::span<const Period> periods);

 private:
  Result<const Credits*> credits(const Period& p);
  Result<Priced> price(const Credits& c, const CreditList& l, const Period& p) const;
  Status add_clawbacks(const Reversal& r, const Period& p, PeriodStatements& out);
  Status add_draw(ParticipantStatement& s, const Participant& part, const Period& p);
  ParticipantStatement& statement(PeriodStatements& out, const std::string& manager, const Period& p) const;

  const analytics::EventLog& log_;
  std::span<const Pipeline* const> pipelines_;
  const CompensationPlan& plan_;
  std::map<std::string, Credits> credits_;
  std::map<std::string, PeriodStatements> base_;
};

Money zero(Currency c) {
  return Money(0, c);
}

Result<const Credits*> Engine::credits(const Period& p) {
  auto it = credits_.find(p.label);
  if (it == credits_.end()) {
    auto c = compute_credits(log_, pipelines_, plan_, p);
    if (!c) return c.status();
    it = credits_.emplace(p.label, std::move(*c)).first;
  }
  return &it->second;
}

const Assignment* assignment_for(const Participant& part, std::uint32_t plan, const Period& p) {
  const Assignment* best = nullptr;
  for (const Assignment& a : part.assignments)
    if (a.plan == plan && a.from < p.end && (!a.to || !(*a.to < p.first))) best = &a;
  return best;
}

Result<std::optional<Money>> quota_for(const Assignment& a, const Period& p, Currency cur) {
  switch (a.quota.kind) {
    case Quota::Kind::none:
      return std::optional<Money>{};
    case Quota::Kind::fixed:
      return std::optional<Money>(Money(a.quota.value, cur));
    case Quota::Kind::per_period: {
      auto it = a.quota.per_period.find(p.label);
      if (it == a.quota.per_period.end()) return std::optional<Money>{};
      return std::optional<Money>(Money(it->second, cur));
    }
    case Quota::Kind::from_plan:
      break;
  }
  return Status(ErrorCode::invalid_argument,
                a.path + ": a quota from the quota plan is not supported by statements yet");
}

Result<Priced> Engine::price(const Credits& c, const CreditList& l, const Period& p) const {
  const Component& comp = plan_.plans[l.plan].components[l.component];
  Priced out;
  if (comp.kind == ComponentKind::spif) {
    if (!comp.spif) return Status(ErrorCode::invalid_argument, comp.path + ": a SPIF component without spif");
    SpifSpec spec{comp.id, comp.spif->amount, comp.spif->from, comp.spif->to, comp.spif->min_amount,
                  {},      plan_.rounding};
    std::vector<SpifDeal> deals;
    for (const CreditLine& cl : l.lines) {
      Money whole;
      for (const DealCredit& d : c.direct)
        if (d.deal == cl.deal) whole = d.amount;
      deals.push_back({cl.deal, l.manager, cl.credit_instant.date(plan_.utc_offset_minutes), whole, "",
                       Rate::bp(cl.share_bp)});
    }
    auto st = compute_spif(spec, deals);
    if (!st) return st.status();
    out.spifs = std::move(*st);
    return out;
  }
  out.spec = comp.rate;
  const Participant* part = plan_.find_participant(l.manager);
  const Assignment* a = part ? assignment_for(*part, l.plan, p) : nullptr;
  if (a != nullptr) {
    auto q = quota_for(*a, p, out.spec.currency);
    if (!q) return q.status();
    out.spec.quota = *q;
  }
  out.credits = l.rate_credits();
  auto st = compute_period(out.spec, out.credits);
  if (!st) return st.status();
  out.rates = std::move(*st);
  return out;
}

ParticipantStatement& Engine::statement(PeriodStatements& out, const std::string& manager,
                                        const Period& p) const {
  auto it = out.find(manager);
  if (it != out.end()) return it->second;
  ParticipantStatement s;
  s.manager = manager;
  s.period = p.label;
  const Money z = zero(plan_.currency);
  s.earned = s.caps = s.gate = s.adjustments = s.draw = s.paid = z;
  s.balance_before = s.balance_after = s.won_amount = s.overlay_paid = z;
  if (const Participant* part = plan_.find_participant(manager))
    if (const Assignment* a = part->in_force(p.end - 1)) s.plan = plan_.plans[a->plan].id;
  return out.emplace(manager, std::move(s)).first->second;
}

const CreditLine* find_line(const CreditList& l, std::string_view deal) {
  for (const CreditLine& cl : l.lines)
    if (cl.deal == deal) return &cl;
  return nullptr;
}

Status Engine::add_clawbacks(const Reversal& r, const Period& p, PeriodStatements& out) {
  if (!plan_.clawback) return {};
  auto sp = planning::parse_period(r.source_period, plan_.fiscal_start_month);
  if (!sp) return sp.status();
  auto src = credits(*sp);
  if (!src) return src.status();
  for (const CreditList& l : (*src)->lists) {
    const CreditLine* cl = find_line(l, r.deal);
    if (cl == nullptr) continue;
    const RatePlan& rp = plan_.plans[l.plan];
    const Component& comp = rp.components[l.component];
    auto priced = price(**src, l, *sp);
    if (!priced) return priced.status();
    ParticipantStatement& s = statement(out, l.manager, p);
    auto add = [&](StatementLine line) { s.lines.push_back(std::move(line)); };
    if (comp.kind == ComponentKind::spif) {
      if (!plan_.clawback->spifs) continue;
      for (const SpifLine& sl : priced->spifs.lines)
        if (sl.deal == r.deal)
          add({0,
               "clawback",
               comp.id,
               r.deal,
               cl->source,
               cl->share_bp,
               cl->measure,
               {},
               {},
               0,
               sl.share,
               -sl.amount,
               r.source_period,
               "clawback: SPIF " + comp.id + " of deal " + r.deal + " " + std::string(to_string(r.kind)) +
                   " (" + r.source_period + ")",
               {},
               {},
               {}});
      continue;
    }
    const ClawbackSpec cb{static_cast<int>(plan_.clawback->window_days), plan_.clawback_policy(rp), false};
    auto claw = cb.policy == ClawbackPolicy::historic_rate
                    ? clawback_historic(cb, r, priced->rates, {}, plan_.utc_offset_minutes)
                    : clawback_recompute(cb, r, priced->spec, priced->credits, priced->rates, std::nullopt,
                                         {}, plan_.utc_offset_minutes);
    if (!claw) return claw.status();
    for (const ClawbackLine& c : claw->lines)
      add({0, "clawback", comp.id, r.deal, cl->source, cl->share_bp, cl->measure, c.slice_from, c.slice_to,
           c.tier, c.rate, c.amount, c.source_period, c.reason, {}, {}, {}});
    for (const std::string& n : claw->notes) s.notes.push_back(n);
  }
  return {};
}

Result<const PeriodStatements*> Engine::before_draws(const Period& p) {
  if (auto it = base_.find(p.label); it != base_.end()) return &it->second;
  auto c = credits(p);
  if (!c) return c.status();
  const Credits& cr = **c;
  PeriodStatements out;
  // Rate lines (commission components), then SPIF lines, per participant.
  for (int pass = 0; pass < 2; ++pass) {
    for (const CreditList& l : cr.lists) {
      const Component& comp = plan_.plans[l.plan].components[l.component];
      if ((comp.kind == ComponentKind::spif) != (pass == 1)) continue;
      auto priced = price(cr, l, p);
      if (!priced) return priced.status();
      ParticipantStatement& s = statement(out, l.manager, p);
      if (pass == 1) {
        for (const SpifLine& sl : priced->spifs.lines) {
          const CreditLine* cl = find_line(l, sl.deal);
          s.lines.push_back({0,
                             "spif",
                             comp.id,
                             sl.deal,
                             cl ? std::optional(cl->source) : std::nullopt,
                             cl ? cl->share_bp : 0,
                             cl ? cl->measure : Money{},
                             {},
                             {},
                             0,
                             sl.share,
                             sl.amount,
                             "",
                             sl.reason,
                             {},
                             {},
                             {}});
        }
        continue;
      }
      for (const Line& ln : priced->rates.lines) {
        const CreditLine* cl = ln.deal.empty() ? nullptr : find_line(l, ln.deal);
        s.lines.push_back({0, line_kind(ln.kind), comp.id, ln.deal,
                           cl ? std::optional(cl->source) : std::nullopt, cl ? cl->share_bp : 0,
                           cl ? cl->measure : Money{}, ln.slice_from, ln.slice_to, ln.tier, ln.rate,
                           ln.amount, "", ln.reason, {}, {}, {}});
      }
    }
  }
  // Clawback lines of the period's reversals.
  for (const Reversal& r : cr.reversals)
    if (Status st = add_clawbacks(r, p, out); !st.ok()) return st;
  // Direct won amount per participant.
  for (const DealCredit& d : cr.direct) {
    if (plan_.find_participant(d.manager) == nullptr || d.amount.currency() != plan_.currency) continue;
    auto it = out.find(d.manager);
    if (it == out.end()) continue;
    const Int128 v = static_cast<Int128>(d.amount.minor_units()) * d.share_bp / 10000;
    it->second.won_amount += Money(static_cast<std::int64_t>(v), plan_.currency);
  }
  return &base_.emplace(p.label, std::move(out)).first->second;
}

// The days of `p` the assignment is in force, as a fraction of the period.
Rate proration(const Assignment& a, const Period& p) {
  const Date from = std::max(a.from, p.first);
  const Date end = a.to ? std::min(*a.to + 1, p.end) : p.end;
  const int days = std::max(0, end - from);
  return days >= p.days() ? Rate::ratio(1, 1) : Rate::ratio(days, p.days());
}

Money earned_of(const PeriodStatements& ps, const std::string& manager, Currency cur) {
  Money sum = zero(cur);
  if (auto it = ps.find(manager); it != ps.end())
    for (const StatementLine& l : it->second.lines) sum += l.amount;
  return sum;
}

Status Engine::add_draw(ParticipantStatement& s, const Participant& part, const Period& p) {
  const Assignment* first = nullptr;
  for (const Assignment& a : part.assignments)
    if (a.draw) {
      first = &a;
      break;
    }
  if (first == nullptr || !(first->from < p.end)) return {};
  // Carry the owed balance from the first period with a draw up to p.
  Period q = planning::period_containing(p.kind, first->from, plan_.fiscal_start_month);
  Money owed = zero(plan_.currency);
  for (int guard = 0; guard < 10000; ++guard) {
    const Assignment* a = nullptr;
    for (const Assignment& x : part.assignments)
      if (x.draw && x.from < q.end && (!x.to || !(*x.to < q.first))) a = &x;
    std::optional<DrawResult> result;
    if (a != nullptr) {
      auto base = before_draws(q);
      if (!base) return base.status();
      const DrawSpec spec{a->draw->type, a->draw->amount, a->draw->at_end, plan_.rounding};
      auto r = apply_draw(spec, {q.label, earned_of(**base, part.manager, plan_.currency), proration(*a, q)},
                          owed);
      if (!r) return r.status();
      result = std::move(*r);
      owed = -result->balance_after;
    }
    if (q.label == p.label) {
      if (!result) return {};
      s.balance_before = result->balance_before;
      s.balance_after = result->balance_after;
      for (const DrawLine& dl : result->lines)
        s.lines.push_back({0,
                           std::string(to_string(dl.kind)),
                           "",
                           "",
                           std::nullopt,
                           0,
                           {},
                           {},
                           {},
                           0,
                           {},
                           dl.amount,
                           "",
                           dl.reason,
                           {},
                           {},
                           {}});
      return {};
    }
    q = planning::next_period(q, plan_.fiscal_start_month);
  }
  return Status(ErrorCode::overflow, "draw of " + part.manager + ": too many periods before " + p.label);
}

Status finish(ParticipantStatement& s) {
  Money total = s.paid;
  int n = 0;
  for (StatementLine& l : s.lines) {
    l.line = ++n;
    total += l.amount;
    if (l.kind == "credit" || l.kind == "lift" || l.kind == "cliff" || l.kind == "gate_release" ||
        l.kind == "spif")
      s.earned += l.amount;
    else if (l.kind.starts_with("cap_"))
      s.caps += l.amount;
    else if (l.kind == "gate")
      s.gate += l.amount;
    else if (l.kind == "clawback")
      s.adjustments += l.amount;
    else
      s.draw += l.amount;
    if (l.credit == CreditSource::overlay) s.overlay_paid += l.amount;
  }
  s.paid = total;
  if (s.earned + s.caps + s.gate + s.adjustments + s.draw != s.paid)
    return Status(ErrorCode::invalid_argument,
                  "statement of " + s.manager + " " + s.period + ": the totals do not add up to the lines");
  return {};
}

Result<Statements> Engine::run(std::span<const Period> periods) {
  // Not assembled yet: refused rather than computed wrong.
  if (plan_.payout.on == PayoutOn::field)
    return Status(ErrorCode::refused, "payout on field '" + plan_.payout.field +
                                          "': held and late lines are not supported by statements yet");
  for (const RatePlan& rp : plan_.plans)
    if (rp.cap_total || rp.cap_total_ti_factor)
      return Status(ErrorCode::refused,
                    rp.path + "/cap_total: a fiscal-year total cap is not supported by statements yet");
  Statements out;
  for (const Period& p : periods) {
    if (p.kind != plan_.period)
      return Status(ErrorCode::invalid_argument,
                    "period " + p.label + ": expected a " + std::string(planning::to_string(plan_.period)));
    auto base = before_draws(p);
    if (!base) return base.status();
    PeriodStatements ps = **base;
    for (const Participant& part : plan_.participants) {
      bool has_draw = false;
      for (const Assignment& a : part.assignments) has_draw = has_draw || a.draw.has_value();
      if (!has_draw) continue;
      if (part.in_force(p.end - 1) == nullptr && ps.find(part.manager) == ps.end()) continue;
      if (Status st = add_draw(statement(ps, part.manager, p), part, p); !st.ok()) return st;
    }
    auto c = credits(p);
    if (!c) return c.status();
    TeamSummary sum{p.label,
                    zero(plan_.currency),
                    zero(plan_.currency),
                    zero(plan_.currency),
                    zero(plan_.currency),
                    zero(plan_.currency),
                    Rate::ratio(0, 1),
                    {},
                    {}};
    std::string last;
    for (const DealCredit& d : (*c)->direct)
      if (d.deal != last && d.amount.currency() == plan_.currency &&
          plan_.find_participant(d.manager) != nullptr) {
        sum.won_amount += d.amount;
        last = d.deal;
      }
    for (auto& [manager, s] : ps) {
      if (Status st = finish(s); !st.ok()) return st;
      sum.paid += s.paid;
      sum.overlay_paid += s.overlay_paid;
      sum.clawbacks += s.adjustments;
      sum.draws += s.draw;
      out.statements.push_back(std::move(s));
    }
    sum.notes = (*c)->notes;
    if (sum.won_amount.is_positive())
      sum.cost_of_sales = Rate::ratio(sum.paid.minor_units(), sum.won_amount.minor_units());
    out.summary.push_back(std::move(sum));
  }
  return out;
}

}  // namespace

Result<Statements> compute_statements(const analytics::EventLog& log,
                                      std::span<const Pipeline* const> pipelines,
                                      const CompensationPlan& plan,
                                      std::span<const planning::Period> periods,
                                      const StatementOptions& options) {
  (void)options;  // TODO(issue 11 engine helper): as_of and managers
  try {
    Engine engine(log, pipelines, plan);
    return engine.run(periods);
  } catch (const std::exception& e) {
    return Status(ErrorCode::invalid_argument, std::string("statements: ") + e.what());
  }
}

}  // namespace dealflow::compensation
