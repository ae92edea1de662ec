// Credit lines from the deal history (dealflow/compensation/credit.h).
#include "dealflow/compensation/credit.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "compensation/rates_detail.h"
#include "dealflow/planning/pipeline_state.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;
using detail::Int128;

std::string percent(std::int64_t bp) {
  return Rate::bp(bp).to_percent(bp % 100 == 0 ? 0 : 2);
}

// Whether `manager` is a member of `team` or of one of its descendants.
bool in_team(const routing::TeamModel& model, TeamId team, ManagerId manager) {
  const routing::Team& t = model.team(team);
  if (std::find(t.members.begin(), t.members.end(), manager) != t.members.end()) return true;
  for (TeamId c : t.children)
    if (in_team(model, c, manager)) return true;
  return false;
}

struct Won {
  DealId id;
  std::string key;
  std::string pipeline;
  Instant at;
  std::optional<Money> amount;
  std::optional<Date> payout;
  std::optional<Money> converted_from;  // the amount in the deal's currency, when fx converted it
};

// The deal's value of a filter dimension as of `at`.
std::string filter_value(const EventLog& log, const CompensationPlan& plan, const Won& w,
                         std::string_view dimension) {
  if (dimension == "pipeline") return w.pipeline;
  if (dimension == "business") {
    const std::string_view v =
        log.dimension_value_as_of(w.id, analytics::to_dimension_id(StandardDimension::business), w.at);
    const auto& nv = plan.new_business_values;
    return std::find(nv.begin(), nv.end(), v) != nv.end() ? "new" : "repeat";
  }
  const auto dim = log.find_dimension(dimension);
  return dim ? std::string(log.dimension_value_as_of(w.id, *dim, w.at)) : std::string();
}

bool matches(const EventLog& log, const CompensationPlan& plan, const Won& w, const Component& c) {
  for (const Filter& f : c.filters) {
    const std::string v = filter_value(log, plan, w, f.dimension);
    if (std::find(f.values.begin(), f.values.end(), v) == f.values.end()) return false;
  }
  return true;
}

// Reversals of won deals during the period (events scanned in the deal's pipeline).
void find_reversals(const EventLog& log, std::span<const Pipeline* const> pipelines,
                    const CompensationPlan& plan, const planning::Period& period, Instant end, Credits& out) {
  const int off = plan.utc_offset_minutes;
  const Instant begin = period.begin_instant(off);
  ClawbackSpec spec;
  if (plan.clawback) spec.window_days = static_cast<int>(plan.clawback->window_days);
  for (std::size_t d = 0; d < log.deal_count(); ++d) {
    const DealId id{static_cast<std::uint32_t>(d)};
    // The pipeline of each event is the one of the deal's stay at that event (moves included).
    const auto pipeline_at = [&](std::size_t i) -> const Pipeline* {
      const std::string_view key =
          log.pipelines().at(log.stay_as_of(id, log.at_column()[i]).pipeline.value());
      for (const Pipeline* q : pipelines)
        if (q->id() == key) return q;
      return nullptr;
    };
    std::optional<Instant> won_at;
    for (std::size_t i = log.event_begin(id); i < log.event_end(id); ++i) {
      const Pipeline* p = pipeline_at(i);
      const StageId s = log.event_stage(i);
      if (p == nullptr || s.value() >= p->stage_count()) continue;
      const StageKind kind = p->stage(s).kind;
      const Instant at = log.event_at(i);
      if (kind == StageKind::won) {
        if (!won_at) won_at = at;
        continue;
      }
      if (!won_at) continue;
      // A deal won in this period and reversed in it is not won at the period's end: never credited.
      if (at >= begin && at < end && *won_at < begin) {
        Reversal r{
            std::string(log.deal_key(id)),
            kind == StageKind::lost ? ReversalKind::cancelled : ReversalKind::reopened, *won_at, at,
            planning::period_containing(plan.period, won_at->date(off), plan.fiscal_start_month).label};
        if (!plan.clawback) {
          out.notes.push_back("deal " + r.deal + " left its won stage without a clawback rule: not reversed");
        } else if (auto in = within_window(spec, r, off); in && *in) {
          out.reversals.push_back(std::move(r));
        } else {
          out.notes.push_back("deal " + r.deal + " reversed after the clawback window (" +
                              std::to_string(spec.window_days) + " days): nothing reversed");
        }
      }
      won_at.reset();
    }
  }
  std::stable_sort(out.reversals.begin(), out.reversals.end(), [](const Reversal& a, const Reversal& b) {
    return std::tie(a.reversed, a.deal) < std::tie(b.reversed, b.deal);
  });
}

// The payout date of a won deal: its local closing date, or the payout field as of `as_of`.
Result<std::optional<Date>> payout_date(const EventLog& log, const CompensationPlan& plan, DealId id,
                                        std::string_view key, Instant credit_instant, Instant as_of) {
  const int off = plan.utc_offset_minutes;
  if (plan.payout.on == PayoutOn::close) return std::optional<Date>(credit_instant.date(off));
  if (plan.payout.field == "close_date") return log.close_date_as_of(id, as_of);
  const auto dim = log.find_dimension(plan.payout.field);
  const std::string_view v = dim ? log.dimension_value_as_of(id, *dim, as_of) : std::string_view{};
  if (v.empty()) return std::optional<Date>();
  if (auto d = Date::parse(v)) return std::optional<Date>(*d);
  if (auto t = parse_instant(v, off)) return std::optional<Date>(t->date(off));
  return Status(ErrorCode::invalid_argument, "deal " + std::string(key) + ": field '" + plan.payout.field +
                                                 "' is '" + std::string(v) +
                                                 "': expected a date such as 2024-03-31");
}

// One stay of a deal in a won stage: entered at `won`, left at `left` (empty: still won).
struct Episode {
  Instant won;
  std::optional<Instant> left;
};

std::vector<Episode> won_episodes(const EventLog& log, std::span<const Pipeline* const> pipelines,
                                  DealId id) {
  std::vector<Episode> out;
  for (std::size_t i = log.event_begin(id); i < log.event_end(id); ++i) {
    const std::string_view key = log.pipelines().at(log.stay_as_of(id, log.at_column()[i]).pipeline.value());
    const Pipeline* p = nullptr;
    for (const Pipeline* q : pipelines)
      if (q->id() == key) p = q;
    const StageId s = log.event_stage(i);
    if (p == nullptr || s.value() >= p->stage_count()) continue;
    const bool won = p->stage(s).kind == StageKind::won;
    const bool open = !out.empty() && !out.back().left;
    if (won && !open) out.push_back({log.event_at(i), std::nullopt});
    if (!won && open) out.back().left = log.event_at(i);
  }
  return out;
}

// One payment per deal: whether an earlier win of the deal (before `at`) was
// credited and never clawed back. Sets `paid_in` to that win's period.
bool paid_before(const EventLog& log, std::span<const Pipeline* const> pipelines,
                 const CompensationPlan& plan, DealId id, Instant at, std::string& paid_in) {
  const int off = plan.utc_offset_minutes;
  bool outstanding = false;
  ClawbackSpec spec;
  if (plan.clawback) spec.window_days = static_cast<int>(plan.clawback->window_days);
  for (const Episode& e : won_episodes(log, pipelines, id)) {
    if (!(e.won < at)) break;
    const planning::Period p =
        planning::period_containing(plan.period, e.won.date(off), plan.fiscal_start_month);
    // Credited when still won at the end of its period, and only if nothing is outstanding.
    const bool credited = !outstanding && (!e.left || *e.left >= p.end_instant(off));
    if (credited) {
      outstanding = true;
      paid_in = p.label;
    }
    if (credited && e.left && plan.clawback) {
      const Reversal r{"", ReversalKind::reopened, e.won, *e.left, p.label};
      if (auto in = within_window(spec, r, off); in && *in) outstanding = false;
    }
  }
  return outstanding;
}

}  // namespace

std::string_view to_string(CreditSource source) noexcept {
  switch (source) {
    case CreditSource::owner:
      return "owner";
    case CreditSource::split:
      return "split";
    case CreditSource::overlay:
      return "overlay";
  }
  return "?";
}

std::vector<Credit> CreditList::rate_credits() const {
  std::vector<Credit> out;
  out.reserve(lines.size());
  for (const CreditLine& l : lines) out.push_back({l.deal, l.measure});
  return out;
}

const Assignment* governing_assignment(const Participant& participant, const planning::Period& period) {
  if (const Assignment* a = participant.in_force(period.end - 1)) return a;
  const Assignment* best = nullptr;
  for (const Assignment& a : participant.assignments)
    if (a.from < period.end && (!a.to || !(*a.to < period.first))) best = &a;
  return best;
}

Result<std::optional<Date>> deal_payout_date(const EventLog& log, const CompensationPlan& plan,
                                             std::string_view deal, Instant credit_instant, Instant as_of) {
  const auto id = log.find_deal(deal);
  if (!id) return Status(ErrorCode::not_found, "deal " + std::string(deal) + ": not in the log");
  return payout_date(log, plan, *id, deal, credit_instant, as_of);
}

Result<Credits> compute_credits(const EventLog& log, std::span<const Pipeline* const> pipelines,
                                const CompensationPlan& plan, const planning::Period& period,
                                std::optional<Instant> as_of, const FxTable* fx) {
  if (!log.sealed())
    return Status(ErrorCode::invalid_argument, "compute_credits: the event log is not sealed");
  const int off = plan.utc_offset_minutes;
  const Instant begin = period.begin_instant(off);
  // Nothing at or after `end` is read: the period's end, or just after as_of.
  Instant end = period.end_instant(off);
  if (as_of && *as_of + Duration(1) < end) end = *as_of + Duration(1);
  Credits out;
  out.period = period;

  // 1. The won deals with their credit instant in the period, as of the period's end.
  std::vector<Won> won;
  for (const Pipeline* p : pipelines) {
    planning::StateOptions opt;
    opt.closed_from = begin;
    // The state at the last second of the period: nothing at or after `end` is seen.
    auto state = planning::pipeline_state_as_of(log, *p, end - Duration(1), opt);
    if (!state) {
      if (state.status().code() == ErrorCode::not_found) continue;  // no deal in this pipeline
      return state.status();
    }
    for (const planning::ClosedDeal& c : state->closed) {
      if (!c.won || c.closed_at < begin || c.closed_at >= end) continue;
      Won w{c.deal,      std::string(log.deal_key(c.deal)),     p->id(),
            c.closed_at, log.amount_as_of(c.deal, c.closed_at), std::nullopt,
            std::nullopt};
      // Another currency than the plan's: converted at the rate of the local credit date (fx given).
      if (fx != nullptr && w.amount && !w.amount->currency().empty() &&
          w.amount->currency() != plan.currency) {
        const Date day = c.closed_at.date(off);
        auto conv = fx->convert(*w.amount, plan.currency, day);
        if (!conv)
          return conv.status().with_context("deal " + w.key + " (" + w.amount->to_string() + ", won " +
                                            day.to_string() + ")");
        w.converted_from = w.amount;
        w.amount = *conv;
      }
      std::string paid_in;
      if (paid_before(log, pipelines, plan, c.deal, c.closed_at, paid_in)) {
        out.notes.push_back("deal " + w.key + " re-won on " + c.closed_at.date(off).to_string() +
                            ": its credit of " + paid_in +
                            " was not clawed back, so it is not credited again (one payment per deal)");
        continue;
      }
      auto pay = payout_date(log, plan, w.id, w.key, w.at, end - Duration(1));
      if (!pay) return pay.status();
      w.payout = *pay;
      won.push_back(std::move(w));
    }
  }
  std::sort(won.begin(), won.end(),
            [](const Won& a, const Won& b) { return std::tie(a.at, a.key) < std::tie(b.at, b.key); });
  for (const Won& w : won) out.won.push_back({w.key, w.amount.value_or(Money(0, plan.currency))});

  // 2. Direct credit: the split, else the owner as of the credit instant.
  const analytics::DimensionId manager_dim = analytics::to_dimension_id(StandardDimension::manager);
  for (const Won& w : won) {
    const Money amount = w.amount.value_or(Money(0, plan.currency));
    if (const Split* s = plan.find_split(w.key)) {
      std::int64_t sum = 0;
      for (const SplitShare& sh : s->shares) sum += sh.share_bp;
      if (sum != 10000)
        return Status(ErrorCode::invalid_argument,
                      "the shares of deal " + w.key + " sum to " + percent(sum) + ": expected 100%",
                      Location{"", 0, 0, s->where});
      for (const SplitShare& sh : s->shares)
        out.direct.push_back({w.key, sh.manager, CreditSource::split, sh.share_bp, w.at, amount, w.payout});
    } else {
      const std::string_view cell = log.dimension_value_as_of(w.id, manager_dim, w.at);
      const std::string m = plan.manager_key(cell);
      if (m.empty()) {
        out.notes.push_back("deal " + w.key + " credits nobody: its owner '" + std::string(cell) +
                            "' is not a manager of the team file");
        continue;
      }
      out.direct.push_back({w.key, m, CreditSource::owner, 10000, w.at, amount, w.payout});
    }
  }

  // 3. Overlays: one line per (deal, holder), the holder's share × the members' direct shares.
  for (std::size_t i = 0; i < out.direct.size();) {
    std::size_t j = i;
    while (j < out.direct.size() && out.direct[j].deal == out.direct[i].deal) ++j;
    const Date day = out.direct[i].credit_instant.date(off);
    std::map<std::string, std::int64_t> members_bp;  // holder -> Σ members' shares × overlay share / 100%
    for (const Overlay& o : plan.overlays) {
      if ((o.from && day < *o.from) || (o.to && *o.to < day)) continue;
      std::int64_t bp = 0;
      for (std::size_t k = i; k < j; ++k) {
        const auto mid = plan.team.find_manager(out.direct[k].manager);
        if (mid && out.direct[k].manager != o.manager && in_team(plan.team, o.team_id, *mid))
          bp += out.direct[k].share_bp;
      }
      if (bp > 0) members_bp[o.manager] += bp * o.share_bp / 10000;
    }
    for (const auto& [holder, bp] : members_bp) {
      DealCredit c = out.direct[i];
      c.manager = holder;
      c.source = CreditSource::overlay;
      c.share_bp = bp;
      out.overlay.push_back(std::move(c));
    }
    i = j;
  }

  // 4. Per participant, the assignment in force at the credit instant, each component's measure.
  std::map<std::tuple<std::string, std::uint32_t, std::uint32_t>, std::vector<CreditLine>> lists;
  std::map<std::string_view, const Won*> by_key;
  for (const Won& w : won) by_key[w.key] = &w;
  for (const std::vector<DealCredit>* credits : {&out.direct, &out.overlay}) {
    for (const DealCredit& c : *credits) {
      const Participant* part = plan.find_participant(c.manager);
      // Who is credited, for notes only (built when a note is written).
      auto who = [&c] {
        return "deal " + c.deal + " (" + std::string(to_string(c.source)) + " " + percent(c.share_bp) +
               " to " + c.manager + ")";
      };
      // A note about a participant's own credit also goes to the participant's statement.
      auto note_for = [&](std::string text) {
        out.notes.push_back(text);
        out.participant_notes.emplace_back(c.manager, std::move(text));
      };
      if (part == nullptr) {
        out.notes.push_back(who() + ": not a participant, uncredited");
        continue;
      }
      // Credited when an assignment is in force at the credit instant; priced by the governing one.
      const Assignment* a = part->in_force(c.credit_instant.date(off));
      if (a != nullptr) a = governing_assignment(*part, period);
      if (a == nullptr) {
        note_for(who() + ": no assignment in force on " + c.credit_instant.date(off).to_string() +
                 ", uncredited");
        continue;
      }
      const Won& w = *by_key.at(c.deal);
      const RatePlan& rp = plan.plans[a->plan];
      for (std::uint32_t k = 0; k < rp.components.size(); ++k) {
        const Component& comp = rp.components[k];
        const bool overlay = c.source == CreditSource::overlay;
        if ((comp.credit == CreditBasis::overlay) != overlay || !matches(log, plan, w, comp)) continue;
        const Currency cur = comp.rate.currency;
        Money base;
        std::string what;
        if (comp.measure == Measure::won_count) {
          base = Money(kCountUnit, cur);
          what = "won count";
        } else if (comp.measure == Measure::won_amount) {
          base = c.amount;
          what = "won amount";
        } else {
          const auto dim = log.find_dimension(plan.margin_field);
          const std::string_view v = dim ? log.dimension_value_as_of(w.id, *dim, w.at) : std::string_view{};
          if (v.empty()) {
            note_for(who() + ": no " + plan.margin_field + " value, uncredited for " + comp.id);
            continue;
          }
          auto m = Money::parse(v, c.amount.currency() == Currency{} ? plan.currency : c.amount.currency());
          if (!m)
            return Status(ErrorCode::invalid_argument, "deal " + c.deal + ": field '" + plan.margin_field +
                                                           "' is '" + std::string(v) + "': expected money");
          base = *m;
          what = plan.margin_field;
        }
        if (comp.measure != Measure::won_count && base.currency() != cur) {
          note_for(who() + ": amount in " + std::string(base.currency().code()) + ", not " +
                   std::string(cur.code()) + ", uncredited for " + comp.id);
          continue;
        }
        const std::int64_t measure = static_cast<std::int64_t>(
            detail::round_div(Int128(base.minor_units()) * c.share_bp, 10000, plan.rounding));
        const std::string base_text =
            comp.measure == Measure::won_count ? std::string("1 deal") : base.to_string();
        std::string conversion;
        if (comp.measure == Measure::won_amount && w.converted_from)
          conversion =
              w.converted_from->to_string() + " at the rate of " + c.credit_instant.date(off).to_string();
        lists[{c.manager, a->plan, k}].push_back(
            {c.deal, c.credit_instant, c.source, c.share_bp, Money(measure, cur),
             std::string(to_string(c.source)) + " " + percent(c.share_bp) + " of " + base_text + " " + what,
             c.payout_date, conversion});
      }
    }
  }
  for (auto& [key, lines] : lists) {
    std::stable_sort(lines.begin(), lines.end(), [](const CreditLine& a, const CreditLine& b) {
      return std::tie(a.credit_instant, a.deal) < std::tie(b.credit_instant, b.deal);
    });
    out.lists.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::move(lines)});
  }

  // 5. Reversals during the period.
  find_reversals(log, pipelines, plan, period, end, out);
  return out;
}

}  // namespace dealflow::compensation
