// The lines of a statement before draws (statement.h): rate and SPIF lines
// of the period's credits (held deals set aside), late lines of earlier held
// deals, clawbacks of the period's reversals, and the fiscal-year cap_total.
#include <algorithm>
#include <set>
#include <utility>

#include "statement_engine.h"

namespace dealflow::compensation::detail {
namespace {

using planning::Period;

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

const CreditLine* find_line(const CreditList& l, std::string_view deal) {
  for (const CreditLine& cl : l.lines)
    if (cl.deal == deal) return &cl;
  return nullptr;
}

// A statement line for a deal of a credit list (`cl` may be null for period lines).
StatementLine deal_line(std::string kind, const std::string& component, const std::string& deal,
                        const CreditLine* cl, Money amount, std::string reason) {
  StatementLine s;
  s.kind = std::move(kind);
  s.component = component;
  s.deal = deal;
  if (cl != nullptr) {
    s.credit = cl->source;
    s.share_bp = cl->share_bp;
    s.measure = cl->measure;
    s.credit_instant = cl->credit_instant;
  }
  s.amount = amount;
  s.reason = std::move(reason);
  if (cl != nullptr && !cl->conversion.empty()) s.reason += " (" + cl->conversion + ")";
  return s;
}

// The tier the component's measure reached (1-based; 0 for none or per-deal).
int tier_reached(const RateSpec& spec, Money value) {
  if (spec.kind == StructureKind::per_deal || spec.tiers.empty() || !value.is_positive()) return 0;
  Int128 x = value.minor_units();
  if (spec.basis == TierBasis::attainment) {
    if (!spec.quota || !spec.quota->is_positive()) return 0;
    x = x * 10000 / spec.quota->minor_units();
  }
  int tier = 0;
  for (std::size_t i = 0; i < spec.tiers.size(); ++i)
    if (spec.tiers[i].from <= x) tier = static_cast<int>(i) + 1;
  return tier;
}

}  // namespace

Instant Engine::cut(const Period& p) const {
  const Instant end = p.end_instant(plan_.utc_offset_minutes);
  return as_of_ && *as_of_ + Duration(1) < end ? *as_of_ + Duration(1) : end;
}

Period Engine::first_period() const {
  std::optional<Date> first;
  for (const Participant& part : plan_.participants)
    for (const Assignment& a : part.assignments)
      if (!first || a.from < *first) first = a.from;
  return planning::period_containing(plan_.period, first.value_or(Date{}), plan_.fiscal_start_month);
}

Result<const Credits*> Engine::credits(const Period& p) {
  auto it = credits_.find(p.label);
  if (it == credits_.end()) {
    auto c = compute_credits(log_, pipelines_, plan_, p, as_of_, fx_);
    if (!c) return c.status();
    it = credits_.emplace(p.label, std::move(*c)).first;
    auto& amounts = deal_amounts_[&it->second];
    for (const DealCredit& d : it->second.direct) amounts.try_emplace(d.deal, d.amount);
  }
  return &it->second;
}

namespace {

// The quota of an assignment for a period; the quota plan's manager target in
// force at the period's end for from_plan.
Result<std::optional<Money>> quota_for(const CompensationPlan& plan, const Participant& part,
                                       const Assignment& a, const Period& p, Currency cur, bool count) {
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
  const planning::PlanMetric metric =
      count ? planning::PlanMetric::won_count : planning::PlanMetric::won_amount;
  const std::string what = (plan.file.empty() ? std::string() : plan.file + ": ") + "at " + a.path +
                           "/quota: no " + std::string(planning::to_string(metric)) + " target for manager " +
                           part.manager + " in " + p.label;
  if (!plan.quota_plan) return Status(ErrorCode::invalid_argument, what + ": the plan names no quota plan");
  const planning::Plan& qp = *plan.quota_plan;
  const auto idx = qp.find_period(p.label);
  // The target's scope value is the manager id or the team file's display name.
  const planning::Target* t =
      idx ? qp.find(*idx, planning::PlanScope::manager, part.manager, metric) : nullptr;
  if (t == nullptr && idx)
    if (auto id = plan.team.find_manager(part.manager))
      t = qp.find(*idx, planning::PlanScope::manager, plan.team.manager(*id).name, metric);
  const planning::TargetVersion* v =
      t ? t->in_force(p.end_instant(plan.utc_offset_minutes) - Duration(1)) : nullptr;
  if (v == nullptr)
    return Status(ErrorCode::invalid_argument,
                  what + " of " + (qp.file.empty() ? std::string("the quota plan") : qp.file) +
                      ": expected a manager target for the period");
  if (!count && t->currency != cur)
    return Status(ErrorCode::invalid_argument, what + ": the target is in " +
                                                   std::string(t->currency.code()) + ", expected " +
                                                   std::string(cur.code()));
  return std::optional<Money>(Money(count ? v->value * kCountUnit : v->value, cur));
}

}  // namespace

Result<Priced> Engine::price(const Credits& c, const CreditList& l, const Period& p) const {
  const Component& comp = plan_.plans[l.plan].components[l.component];
  Priced out;
  if (comp.kind == ComponentKind::spif) {
    if (!comp.spif) return Status(ErrorCode::invalid_argument, comp.path + ": a SPIF component without spif");
    SpifSpec spec{comp.id, comp.spif->amount, comp.spif->from, comp.spif->to, comp.spif->min_amount,
                  {},      plan_.rounding};
    std::vector<SpifDeal> deals;
    const auto amounts = deal_amounts_.find(&c);
    for (const CreditLine& cl : l.lines) {
      Money whole;  // the deal's whole amount (a SPIF's minimum applies to the deal, not the share)
      if (amounts != deal_amounts_.end())
        if (auto f = amounts->second.find(cl.deal); f != amounts->second.end()) whole = f->second;
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
  const Assignment* a = part ? governing_assignment(*part, p) : nullptr;
  // Only a component reading attainment needs the quota (a per-deal bonus does not).
  const bool reads_quota = out.spec.basis == TierBasis::attainment || !out.spec.modifiers.empty() ||
                           out.spec.gate.has_value() || comp.measure_cap_bp.has_value();
  if (a != nullptr && reads_quota) {
    auto q = quota_for(plan_, *part, *a, p, out.spec.currency, comp.measure == Measure::won_count);
    if (!q) return q.status();
    out.spec.quota = *q;
  }
  out.credits = l.rate_credits();
  // caps.measure_cap: credit above that attainment is not paid (the deals' measures stop there).
  if (comp.measure_cap_bp && out.spec.quota && out.spec.quota->is_positive()) {
    const std::int64_t limit = attainment_bound(out.spec.quota->minor_units(), *comp.measure_cap_bp);
    std::int64_t cum = 0;
    for (Credit& c : out.credits) {
      const std::int64_t m = std::min(c.measure.minor_units(), std::max<std::int64_t>(0, limit - cum));
      cum += c.measure.minor_units();
      if (m == c.measure.minor_units()) continue;
      out.notes.push_back("measure cap " + format_bp(*comp.measure_cap_bp) + "% of quota (" +
                          format_money(Money(limit, c.measure.currency())) + "): deal " + c.deal + " of " +
                          comp.id + " credited " + format_money(Money(m, c.measure.currency())) + " of " +
                          format_money(c.measure));
      c.measure = Money(m, c.measure.currency());
    }
  }
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
  s.period_first = p.first;
  s.period_last = p.end - 1;
  const Instant end = p.end_instant(plan_.utc_offset_minutes);
  s.as_of = as_of_ && *as_of_ < end ? *as_of_ : end;
  s.provisional = as_of_ && *as_of_ < end;
  const Money z(0, plan_.currency);
  s.earned = s.caps = s.gate = s.adjustments = s.draw = s.paid = z;
  s.balance_before = s.balance_after = s.won_amount = s.overlay_paid = z;
  if (auto id = plan_.team.find_manager(manager)) s.manager_name = plan_.team.manager(*id).name;
  if (const Participant* part = plan_.find_participant(manager)) {
    s.role = part->role;
    if (const Assignment* a = governing_assignment(*part, p)) {
      s.plan = plan_.plans[a->plan].id;
      s.target_incentive = a->target_incentive;
    }
    int overlapping = 0;
    for (const Assignment& a : part->assignments)
      if (a.from < p.end && (!a.to || !(*a.to < p.first))) ++overlapping;
    if (overlapping > 1)
      s.notes.push_back("the assignment changed during " + p.label + ": the one in force on " +
                        (p.end - 1).to_string() +
                        " governs the period (plan, quota, target incentive); draws are prorated by days");
  }
  return out.emplace(manager, std::move(s)).first->second;
}

Status Engine::add_rate_lines(const Credits& cr, const Period& p, PeriodBase& out) {
  const bool on_field = plan_.payout.on == PayoutOn::field;
  for (const auto& [manager, note] : cr.participant_notes)
    statement(out.statements, manager, p).notes.push_back(note);
  // Rate lines (commission components), then SPIF lines, per participant.
  for (int pass = 0; pass < 2; ++pass) {
    for (const CreditList& l : cr.lists) {
      const Component& comp = plan_.plans[l.plan].components[l.component];
      if ((comp.kind == ComponentKind::spif) != (pass == 1)) continue;
      auto priced = price(cr, l, p);
      if (!priced) return priced.status();
      const LineIndex lines_by_deal(l);
      ParticipantStatement& s = statement(out.statements, l.manager, p);
      std::vector<StatementLine> lines;
      if (pass == 1) {
        for (const SpifLine& sl : priced->spifs.lines) {
          StatementLine x =
              deal_line("spif", comp.id, sl.deal, lines_by_deal.find(sl.deal), sl.amount, sl.reason);
          x.rate = sl.share;
          lines.push_back(std::move(x));
        }
      } else {
        Money credited(0, priced->spec.currency);
        for (const CreditLine& cl : l.lines) credited += cl.measure;
        for (const std::string& n : priced->notes) s.notes.push_back(n);
        ComponentAttainment att{comp.id, comp.measure, credited, priced->spec.quota, {}, 0, ""};
        if (att.quota && att.quota->is_positive())
          att.attainment = Rate::ratio(att.value.minor_units(), att.quota->minor_units());
        att.tier = tier_reached(priced->spec, att.value);
        for (const Line& ln : priced->rates.lines) {
          StatementLine x =
              deal_line(line_kind(ln.kind), comp.id, ln.deal,
                        ln.deal.empty() ? nullptr : lines_by_deal.find(ln.deal), ln.amount, ln.reason);
          x.slice_from = ln.slice_from;
          x.slice_to = ln.slice_to;
          x.tier = ln.tier;
          x.rate = ln.rate;
          x.factor = ln.factor;
          if (ln.kind == LineKind::retro_cliff) att.cliff = ln.reason;
          lines.push_back(std::move(x));
        }
        s.attainment.push_back(std::move(att));
      }
      // Payout on a field: a deal not paid by the period's last day is held with its lines.
      std::set<std::string> held;
      if (on_field)
        for (const CreditLine& cl : l.lines)
          if (!cl.payout_date || !(*cl.payout_date < p.end)) held.insert(cl.deal);
      for (const std::string& deal : held) {
        const CreditLine* cl = lines_by_deal.find(deal);
        Held h{l.manager,  deal,         comp.id,     cl->credit_instant,
               cl->source, cl->share_bp, cl->measure, Money(0, plan_.currency)};
        for (const StatementLine& x : lines)
          if (x.deal == deal) h.amount += x.amount;
        if (h.amount.is_zero()) continue;
        s.held.push_back(
            {deal, comp.id, h.amount,
             plan_.payout.field +
                 (cl->payout_date ? " is " + cl->payout_date->to_string() : std::string(" not set")) +
                 " as of " + (p.end - 1).to_string()});
        out.held.push_back(std::move(h));
      }
      for (StatementLine& x : lines)
        if (!held.contains(x.deal)) s.lines.push_back(std::move(x));
    }
  }
  return {};
}

Status Engine::add_late(const Period& p, PeriodBase& out) {
  if (plan_.payout.on != PayoutOn::field) return {};
  const int off = plan_.utc_offset_minutes;
  for (Period s = first_period(); s.first < p.first; s = planning::next_period(s, plan_.fiscal_start_month)) {
    auto base = before_draws(s);
    if (!base) return base.status();
    for (const Held& h : (*base)->held) {
      auto pay = deal_payout_date(log_, plan_, h.deal, h.credit_instant, cut(p) - Duration(1));
      if (!pay) return pay.status();
      if (!*pay || !p.contains(**pay)) continue;
      // Reversed before its payout (within the clawback window): dropped, never paid.
      bool reversed = false;
      for (Period q = planning::next_period(s, plan_.fiscal_start_month); !(p.end < q.end);
           q = planning::next_period(q, plan_.fiscal_start_month)) {
        auto c = credits(q);
        if (!c) return c.status();
        for (const Reversal& r : (*c)->reversals)
          reversed =
              reversed || (r.deal == h.deal && r.source_period == s.label && r.reversed.date(off) < **pay);
      }
      if (reversed) continue;
      ParticipantStatement& st = statement(out.statements, h.manager, p);
      StatementLine x;
      x.kind = "late";
      x.component = h.component;
      x.deal = h.deal;
      x.credit = h.source;
      x.share_bp = h.share_bp;
      x.measure = h.measure;
      x.credit_instant = h.credit_instant;
      x.amount = h.amount;
      x.source_period = s.label;
      x.reason = "paid late: " + plan_.payout.field + " " + (*pay)->to_string() + ", credited in " + s.label +
                 " at its rates there";
      st.lines.push_back(std::move(x));
    }
  }
  return {};
}

Status Engine::add_clawbacks(const Reversal& r, const Period& p, PeriodStatements& out) {
  if (!plan_.clawback) return {};
  auto sp = planning::parse_period(r.source_period, plan_.fiscal_start_month);
  if (!sp) return sp.status();
  auto src = credits(*sp);
  if (!src) return src.status();
  auto [si, fresh] = sources_.try_emplace(sp->label);
  SourceIndex& index = si->second;
  if (fresh)
    for (std::uint32_t i = 0; i < (*src)->lists.size(); ++i)
      for (const CreditLine& line : (*src)->lists[i].lines) {
        std::vector<std::uint32_t>& v = index.lists_of_deal[line.deal];
        if (v.empty() || v.back() != i) v.push_back(i);
      }
  auto holders = index.lists_of_deal.find(r.deal);
  if (holders == index.lists_of_deal.end()) return {};
  for (const std::uint32_t li : holders->second) {
    const CreditList& l = (*src)->lists[li];
    const CreditLine* cl = find_line(l, r.deal);
    if (cl == nullptr) continue;
    const RatePlan& rp = plan_.plans[l.plan];
    const Component& comp = rp.components[l.component];
    ParticipantStatement& s = statement(out, l.manager, p);
    if (plan_.payout.on == PayoutOn::field) {
      auto pay = deal_payout_date(log_, plan_, r.deal, cl->credit_instant, cut(p) - Duration(1));
      if (!pay) return pay.status();
      if (!*pay || r.reversed.date(plan_.utc_offset_minutes) < **pay) {
        s.notes.push_back("deal " + r.deal + " (" + comp.id + ") reversed before its payout: dropped, " +
                          "nothing clawed back");
        continue;
      }
    }
    auto pi = index.priced.find(li);
    if (pi == index.priced.end()) {
      auto fresh_price = price(**src, l, *sp);
      if (!fresh_price) return fresh_price.status();
      pi = index.priced.emplace(li, std::move(*fresh_price)).first;
    }
    const Priced* priced = &pi->second;
    if (comp.kind == ComponentKind::spif) {
      if (!plan_.clawback->spifs) continue;
      for (const SpifLine& sl : priced->spifs.lines)
        if (sl.deal == r.deal) {
          StatementLine x = deal_line("clawback", comp.id, r.deal, cl, -sl.amount,
                                      "clawback: SPIF " + comp.id + " of deal " + r.deal + " " +
                                          std::string(to_string(r.kind)) + " (" + r.source_period + ")");
          x.rate = sl.share;
          x.source_period = r.source_period;
          s.lines.push_back(std::move(x));
        }
      continue;
    }
    const ClawbackSpec cb{static_cast<int>(plan_.clawback->window_days), plan_.clawback_policy(rp), false};
    auto claw = cb.policy == ClawbackPolicy::historic_rate
                    ? clawback_historic(cb, r, priced->rates, {}, plan_.utc_offset_minutes)
                    : clawback_recompute(cb, r, priced->spec, priced->credits, priced->rates, std::nullopt,
                                         {}, plan_.utc_offset_minutes);
    if (!claw) return claw.status();
    for (const ClawbackLine& c : claw->lines) {
      StatementLine x = deal_line("clawback", comp.id, r.deal, cl, c.amount, c.reason);
      x.slice_from = c.slice_from;
      x.slice_to = c.slice_to;
      x.tier = c.tier;
      x.rate = c.rate;
      x.source_period = c.source_period;
      s.lines.push_back(std::move(x));
    }
    for (const std::string& n : claw->notes) s.notes.push_back(n);
  }
  return {};
}

Status Engine::add_cap_total(const Period& p, PeriodStatements& out) {
  const Period year =
      planning::period_containing(planning::PeriodKind::year, p.first, plan_.fiscal_start_month);
  for (auto& [manager, s] : out) {
    const Participant* part = plan_.find_participant(manager);
    const Assignment* a = part ? governing_assignment(*part, p) : nullptr;
    if (a == nullptr) continue;
    const RatePlan& rp = plan_.plans[a->plan];
    std::optional<Money> cap = rp.cap_total;
    std::string what;
    if (cap) what = cap->to_string();
    if (!cap && rp.cap_total_ti_factor) {
      // The factor × the target incentives of the fiscal year's periods (each its governing assignment's).
      Int128 ti = 0;
      for (Period q = planning::period_containing(plan_.period, year.first, plan_.fiscal_start_month);
           q.first < year.end; q = planning::next_period(q, plan_.fiscal_start_month))
        if (const Assignment* qa = governing_assignment(*part, q); qa && qa->target_incentive)
          ti += qa->target_incentive->minor_units();
      const Rate f = *rp.cap_total_ti_factor;
      cap = Money(static_cast<std::int64_t>(round_div(ti * f.num, f.den, plan_.rounding)), plan_.currency);
      what = cap->to_string() + " (" + f.to_percent(2) + " of the year's target incentives " +
             Money(static_cast<std::int64_t>(ti), plan_.currency).to_string() + ")";
    }
    if (!cap) continue;
    Money before(0, plan_.currency);
    for (Period q = planning::period_containing(plan_.period, year.first, plan_.fiscal_start_month);
         q.first < p.first; q = planning::next_period(q, plan_.fiscal_start_month)) {
      auto base = before_draws(q);
      if (!base) return base.status();
      if (auto it = (*base)->statements.find(manager); it != (*base)->statements.end())
        before += commission_of(it->second);
    }
    const Money now = commission_of(s);
    const std::int64_t room = std::max<std::int64_t>(0, cap->minor_units() - before.minor_units());
    if (now.minor_units() <= room) continue;
    StatementLine x;
    x.kind = "cap_total";
    x.amount = Money(room - now.minor_units(), plan_.currency);
    x.reason = "cap on total payout " + what + " per fiscal year " + year.label + ": " + before.to_string() +
               " paid before " + p.label;
    s.lines.push_back(std::move(x));
  }
  return {};
}

Result<const PeriodBase*> Engine::before_draws(const Period& p) {
  if (auto it = base_.find(p.label); it != base_.end()) return &it->second;
  auto c = credits(p);
  if (!c) return c.status();
  const Credits& cr = **c;
  PeriodBase out;
  if (Status st = add_rate_lines(cr, p, out); !st.ok()) return st;
  if (Status st = add_late(p, out); !st.ok()) return st;
  for (const Reversal& r : cr.reversals)
    if (Status st = add_clawbacks(r, p, out.statements); !st.ok()) return st;
  if (Status st = add_cap_total(p, out.statements); !st.ok()) return st;
  // Direct won amount per participant.
  for (const DealCredit& d : cr.direct) {
    if (plan_.find_participant(d.manager) == nullptr || d.amount.currency() != plan_.currency) continue;
    auto it = out.statements.find(d.manager);
    if (it == out.statements.end()) continue;
    const Int128 v = static_cast<Int128>(d.amount.minor_units()) * d.share_bp / 10000;
    it->second.won_amount += Money(static_cast<std::int64_t>(v), plan_.currency);
  }
  return &base_.emplace(p.label, std::move(out)).first->second;
}

}  // namespace dealflow::compensation::detail
