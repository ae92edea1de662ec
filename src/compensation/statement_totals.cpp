// Draws, totals and the team summary of statements (statement.h).
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "dealflow/compensation/draws.h"
#include "statement_engine.h"

namespace dealflow::compensation::detail {
namespace {

using planning::Period;

// The days of `p` the assignment is in force, as a fraction of the period.
Rate proration(const Assignment& a, const Period& p) {
  const Date from = std::max(a.from, p.first);
  const Date end = a.to ? std::min(*a.to + 1, p.end) : p.end;
  const int days = std::max(0, end - from);
  return days >= p.days() ? Rate::ratio(1, 1) : Rate::ratio(days, p.days());
}

Money earned_of(const PeriodStatements& ps, const std::string& manager, Currency cur) {
  Money sum(0, cur);
  if (auto it = ps.find(manager); it != ps.end())
    for (const StatementLine& l : it->second.lines) sum += l.amount;
  return sum;
}

// Whether `manager` heads `team` or one of its descendants, or is a member of one.
bool in_team_or_head(const routing::TeamModel& model, TeamId team, ManagerId manager) {
  const routing::Team& t = model.team(team);
  if (t.head == manager) return true;
  if (std::find(t.members.begin(), t.members.end(), manager) != t.members.end()) return true;
  for (TeamId c : t.children)
    if (in_team_or_head(model, c, manager)) return true;
  return false;
}

bool team_within(const routing::TeamModel& model, TeamId outer, TeamId inner) {
  for (std::optional<TeamId> t = inner; t; t = model.team(*t).parent)
    if (*t == outer) return true;
  return false;
}

Rate cost_of_sales(Money paid, Money won) {
  return won.is_positive() ? Rate::ratio(paid.minor_units(), won.minor_units()) : Rate::ratio(0, 1);
}

}  // namespace

Money commission_of(const ParticipantStatement& s) {
  Money sum(0, s.paid.currency());
  for (const StatementLine& l : s.lines)
    if (l.kind != "draw" && l.kind != "recovery") sum += l.amount;
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
  Money owed(0, plan_.currency);
  for (int guard = 0; guard < 10000; ++guard) {
    const Assignment* a = nullptr;
    for (const Assignment& x : part.assignments)
      if (x.draw && x.from < q.end && (!x.to || !(*x.to < q.first))) a = &x;
    std::optional<DrawResult> result;
    if (a != nullptr) {
      auto base = before_draws(q);
      if (!base) return base.status();
      const DrawSpec spec{a->draw->type, a->draw->amount, a->draw->at_end, plan_.rounding};
      auto r = apply_draw(
          spec, {q.label, earned_of((*base)->statements, part.manager, plan_.currency), proration(*a, q)},
          owed);
      if (!r) return r.status();
      result = std::move(*r);
      owed = -result->balance_after;
    }
    if (q.label == p.label) {
      if (!result) return {};
      s.balance_before = result->balance_before;
      s.balance_after = result->balance_after;
      for (const DrawLine& dl : result->lines) {
        StatementLine x;
        x.kind = std::string(to_string(dl.kind));
        x.amount = dl.amount;
        x.reason = dl.reason;
        s.lines.push_back(std::move(x));
      }
      return {};
    }
    q = planning::next_period(q, plan_.fiscal_start_month);
  }
  return Status(ErrorCode::overflow, "draw of " + part.manager + ": too many periods before " + p.label);
}

Status finish(ParticipantStatement& s, const CompensationPlan& plan) {
  Money total = s.paid;
  // Count components (won_count) have no blended rate: money per deal is not a rate.
  auto is_count = [&](const std::string& component) {
    if (const RatePlan* rp = plan.find_plan(s.plan))
      for (const Component& c : rp->components)
        if (c.id == component) return c.measure == Measure::won_count;
    return false;
  };
  int n = 0;
  // Blended rate: per (component, deal), Σ its credit and cap_deal lines / its measure, on its last line.
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::size_t>> deals;
  for (std::size_t i = 0; i < s.lines.size(); ++i) {
    StatementLine& l = s.lines[i];
    l.line = ++n;
    total += l.amount;
    if (l.kind == "credit" || l.kind == "lift" || l.kind == "cliff" || l.kind == "gate_release" ||
        l.kind == "spif" || l.kind == "late")
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
    if (!l.deal.empty() && (l.kind == "credit" || l.kind == "cap_deal")) {
      auto& [sum, last] = deals[{l.component, l.deal}];
      sum += l.amount.minor_units();
      last = i;
    }
  }
  for (const auto& [key, v] : deals) {
    StatementLine& l = s.lines[v.second];
    if (l.measure.is_positive() && v.first >= 0 && !is_count(key.first))
      l.blended_rate = Rate::ratio(v.first, l.measure.minor_units());
  }
  s.paid = total;
  if (s.earned + s.caps + s.gate + s.adjustments + s.draw != s.paid)
    return Status(ErrorCode::invalid_argument,
                  "statement of " + s.manager + " " + s.period + ": the totals do not add up to the lines");
  return {};
}

Result<TeamSummary> Engine::summary(const Period& p, const PeriodStatements& ps) {
  auto c = credits(p);
  if (!c) return c.status();
  const Money z(0, plan_.currency);
  TeamSummary sum{p.label, z, z, z, z, z, Rate::ratio(0, 1), (*c)->notes, {}};
  // Won amount: each deal once when a participant holds direct credit of it; per participant its share.
  std::map<std::string, Money> won;
  std::string last;
  for (const DealCredit& d : (*c)->direct) {
    if (d.amount.currency() != plan_.currency || plan_.find_participant(d.manager) == nullptr) continue;
    if (d.deal != last) sum.won_amount += d.amount;
    last = d.deal;
    const Int128 v = static_cast<Int128>(d.amount.minor_units()) * d.share_bp / 10000;
    won.try_emplace(d.manager, z).first->second += Money(static_cast<std::int64_t>(v), plan_.currency);
  }
  std::set<std::string> people;
  for (const auto& [m, s] : ps) people.insert(m);
  for (const auto& [m, w] : won) people.insert(m);
  for (const std::string& m : people) {
    SummaryRow r{"", m, std::nullopt, won.count(m) ? won.at(m) : z, z, z, z, z, z, Rate::ratio(0, 1), z};
    if (const Participant* part = plan_.find_participant(m)) r.role = part->role;
    if (auto it = ps.find(m); it != ps.end()) {
      const ParticipantStatement& s = it->second;
      r.paid = s.paid;
      r.overlay_paid = s.overlay_paid;
      r.clawbacks = s.adjustments;
      r.draw = s.draw;
      r.draw_balance = s.balance_after;
      sum.paid += s.paid;
      sum.overlay_paid += s.overlay_paid;
      sum.clawbacks += s.adjustments;
      sum.draws += s.draw;
    }
    r.cost_of_sales = cost_of_sales(r.paid, r.won_amount);
    sum.rows.push_back(std::move(r));
  }
  const std::size_t participants = sum.rows.size();
  // Teams: members, heads and holders of overlays on the team or a sub-team, each once.
  for (const routing::Team& t : plan_.team.teams()) {
    SummaryRow r{t.key, "", std::nullopt, z, z, z, z, z, z, Rate::ratio(0, 1), z};
    for (std::size_t i = 0; i < participants; ++i) {
      const SummaryRow& pr = sum.rows[i];
      const auto mid = plan_.team.find_manager(pr.participant);
      bool in = mid && in_team_or_head(plan_.team, t.id, *mid);
      if (!in)
        for (const Overlay& o : plan_.overlays)
          in = in || (o.manager == pr.participant && team_within(plan_.team, t.id, o.team_id));
      if (!in) continue;
      if (mid && in_team_or_head(plan_.team, t.id, *mid)) r.won_amount += pr.won_amount;
      r.paid += pr.paid;
      r.overlay_paid += pr.overlay_paid;
      r.clawbacks += pr.clawbacks;
      r.draw += pr.draw;
      r.draw_balance += pr.draw_balance;
    }
    r.cost_of_sales = cost_of_sales(r.paid, r.won_amount);
    sum.rows.push_back(std::move(r));
  }
  // The company.
  SummaryRow company{"",
                     "",
                     std::nullopt,
                     sum.won_amount,
                     sum.paid,
                     sum.overlay_paid,
                     sum.clawbacks,
                     sum.draws,
                     z,
                     Rate::ratio(0, 1),
                     z};
  for (std::size_t i = 0; i < participants; ++i) company.draw_balance += sum.rows[i].draw_balance;
  Money all = z;
  for (const WonDeal& w : (*c)->won)
    if (w.amount.currency() == plan_.currency) all += w.amount;
  company.uncredited = all - sum.won_amount;
  sum.cost_of_sales = company.cost_of_sales = cost_of_sales(sum.paid, sum.won_amount);
  sum.rows.push_back(std::move(company));
  return sum;
}

}  // namespace dealflow::compensation::detail
