// The reverse funnel: see dealflow/planning/reverse_funnel.h.
#include "dealflow/planning/reverse_funnel.h"

#include "planning/exact.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include "analytics/report_context.h"
#include "dealflow/analytics/survival.h"

namespace dealflow::planning {
namespace {

using Key = std::optional<std::string>;
using analytics::detail::Outcome;
using detail::Int128;  // exact products of 64-bit counts and minor units

// Won deals of the reference period with their amounts, per scope.
struct WonAmounts {
  std::int64_t sum = 0;
  std::uint64_t count = 0;
  std::uint64_t without_amount = 0;
  std::map<std::string, std::uint64_t> other_currency;  // code -> deals
  bool used = false;
};

// Observations of the time from the first entry into each open stage to won /
// lost / the report instant, per scope; index = open position.
using StageObservations = std::vector<std::vector<analytics::SurvivalObservation>>;

std::uint64_t saturate(Int128 v) {
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  return v > static_cast<Int128>(kMax) ? kMax : static_cast<std::uint64_t>(v);
}

// ceil(a * b / c) for c > 0, a, b >= 0.
std::uint64_t ceil_mul_div(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  const Int128 num = static_cast<Int128>(a) * static_cast<Int128>(b);
  return saturate((num + static_cast<Int128>(c) - 1) / static_cast<Int128>(c));
}

// ceil(w / p) for p in (0, 1], tolerant of rounding just above an integer.
std::uint64_t ceil_div(std::uint64_t w, double p) {
  const double x = static_cast<double>(w) / p;
  return static_cast<std::uint64_t>(std::ceil(x - 1e-9 * std::max(1.0, x)));
}

// sum / count rounded half to even (count > 0).
std::int64_t average_half_even(std::int64_t sum, std::uint64_t count) {
  return detail::round_half_even(Int128{sum}, Int128{count});
}

Status validate(const ReverseFunnelQuery& q) {
  if (q.target_amount.has_value() == q.target_deals.has_value())
    return Status(ErrorCode::invalid_argument,
                  "reverse funnel: give exactly one target: an amount or a number of won deals");
  if (q.target_amount && !q.target_amount->is_positive())
    return Status(ErrorCode::invalid_argument,
                  "reverse funnel: target " + q.target_amount->to_string() + ": expected a positive amount");
  if (q.target_deals && *q.target_deals == 0)
    return Status(ErrorCode::invalid_argument, "reverse funnel: target 0 won deals: expected at least 1");
  if (!(q.quantile > 0.0 && q.quantile < 1.0))
    return Status(ErrorCode::invalid_argument,
                  "reverse funnel: quantile " + std::to_string(q.quantile) + ": expected a number in (0, 1)");
  if (q.fx && q.target_amount && q.fx->target != q.target_amount->currency())
    return Status(ErrorCode::invalid_argument,
                  "reverse funnel: amounts are converted to " + std::string(q.fx->target.code()) +
                      " but the target is in " + std::string(q.target_amount->currency().code()));
  return {};
}

Result<std::map<Key, WonAmounts>> won_amounts(const analytics::EventLog& log, const Pipeline& pipeline,
                                              const ReverseFunnelQuery& q,
                                              const analytics::FunnelGrouping& group, Instant as_of) {
  std::map<Key, WonAmounts> out;
  if (!q.target_amount) return out;
  auto ctx = analytics::detail::ReportContext::create(log, pipeline, std::nullopt, std::nullopt, as_of);
  if (!ctx) return ctx.status();
  auto source = analytics::detail::AmountSource::create(log, q.fx, as_of);
  if (!source) return source.status();
  analytics::detail::GroupIndex groups(log, group, q.utc_offset_minutes, as_of);
  const Instant from = q.reference.begin_instant(q.utc_offset_minutes);
  const Instant to = q.reference.end_instant(q.utc_offset_minutes);
  const Currency currency = q.target_amount->currency();
  std::vector<WonAmounts> by_group;  // by group index: no key string per deal
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->exists(d)) continue;
    const auto st = ctx->state(d);
    if (st.outcome != Outcome::won || st.closed_at < from || st.closed_at >= to) continue;
    const std::uint32_t g = groups.group_of(d);
    if (g >= by_group.size()) by_group.resize(g + 1);
    WonAmounts& acc = by_group[g];
    acc.used = true;
    auto amount = source->amount(d, st.closed_at);
    if (!amount) return amount.status();
    if (!*amount) {
      ++acc.without_amount;
    } else if ((*amount)->currency() != currency) {
      ++acc.other_currency[std::string((*amount)->currency().code())];
    } else {
      const std::int64_t v = (*amount)->minor_units();
      if (__builtin_add_overflow(acc.sum, v, &acc.sum))
        return Status(ErrorCode::overflow,
                      "reverse funnel: the won amounts of the reference period overflow at deal '" +
                          std::string(log.deal_key(d)) + "'");
      ++acc.count;
    }
  }
  for (std::uint32_t g = 0; g < by_group.size(); ++g)
    if (by_group[g].used) out.emplace(groups.key(g), std::move(by_group[g]));
  return out;
}

Result<std::map<Key, StageObservations>> stage_timing(const analytics::EventLog& log,
                                                      const Pipeline& pipeline, const ReverseFunnelQuery& q,
                                                      const analytics::FunnelGrouping& group, Instant as_of,
                                                      std::size_t open_stages) {
  std::map<Key, StageObservations> out;
  const Instant from = q.reference.begin_instant(q.utc_offset_minutes);
  const Instant to = q.reference.end_instant(q.utc_offset_minutes);
  auto ctx = analytics::detail::ReportContext::create(log, pipeline, from, to, as_of);
  if (!ctx) return ctx.status();
  analytics::detail::GroupIndex groups(log, group, q.utc_offset_minutes, as_of);
  const auto stages = log.stage_column();
  const auto at = log.at_column();
  std::vector<std::int64_t> entered(open_stages);
  std::vector<StageObservations> by_group;  // by group index: no key string per deal
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->in_cohort(d)) continue;
    const auto st = ctx->state(d);
    if (st.end == st.begin) continue;
    std::fill(entered.begin(), entered.end(), -1);
    for (std::uint32_t e = st.begin; e < st.end; ++e) {
      const int k = ctx->position(stages[e]);
      if (k >= 0 && entered[static_cast<std::size_t>(k)] < 0)
        entered[static_cast<std::size_t>(k)] = (log.time_base() + Duration(at[e])).unix_seconds();
    }
    std::uint8_t cause = analytics::kCensored;
    Instant end = as_of;
    if (st.outcome == Outcome::won || st.outcome == Outcome::lost) {
      cause = st.outcome == Outcome::won ? 1 : 2;
      end = st.closed_at;
    }
    const std::uint32_t g = groups.group_of(d);
    if (g >= by_group.size()) by_group.resize(g + 1);
    StageObservations& obs = by_group[g];
    if (obs.empty()) obs.resize(open_stages);
    for (std::size_t k = 0; k < open_stages; ++k) {
      if (entered[k] < 0) continue;
      obs[k].push_back({std::max<std::int64_t>(0, end.unix_seconds() - entered[k]), cause});
    }
  }
  for (std::uint32_t g = 0; g < by_group.size(); ++g)
    if (!by_group[g].empty()) out.emplace(groups.key(g), std::move(by_group[g]));
  return out;
}

void fill_scope(const ReverseFunnelQuery& q, const analytics::FunnelFigures& fig, const WonAmounts* amounts,
                const StageObservations* timing, ReverseFunnelScope& scope) {
  scope.reference_deals = fig.deals;
  scope.reference_won = fig.won;
  const std::string ref = q.reference.label;
  if (q.target_deals) {
    scope.won_needed = *q.target_deals;
  } else {
    const Currency c = q.target_amount->currency();
    if (amounts) {
      scope.won_in_reference = amounts->count;
      if (amounts->without_amount > 0)
        scope.notes.push_back(std::to_string(amounts->without_amount) +
                              " won deal(s) of the reference without an amount left out of the average");
      for (const auto& [code, n] : amounts->other_currency)
        scope.notes.push_back(std::to_string(n) + " won deal(s) of the reference in " + code +
                              " left out of the average (convert with --fx)");
      if (amounts->count > 0) {
        scope.won_amount_sum = Money(amounts->sum, c);
        scope.average_won = Money(average_half_even(amounts->sum, amounts->count), c);
      }
    }
    if (!amounts || amounts->count == 0) {
      scope.cannot = "no deal won in the reference period " + ref + " with an amount in " +
                     std::string(c.code()) + ": no average won amount";
    } else if (amounts->sum <= 0) {
      scope.cannot = "the won amounts of the reference period " + ref + " sum to " +
                     scope.won_amount_sum->to_string() + ": no positive average won amount";
    } else {
      // W = ceil(target / (sum / count)) = ceil(target * count / sum).
      scope.won_needed = ceil_mul_div(static_cast<std::uint64_t>(q.target_amount->minor_units()),
                                      amounts->count, static_cast<std::uint64_t>(amounts->sum));
    }
  }
  if (!scope.cannot && fig.won == 0)
    scope.cannot = "no deal created in the reference period " + ref + " is won: no conversion";
  std::vector<std::size_t> not_reached;
  for (std::size_t k = 0; k < fig.stages.size(); ++k) {
    const analytics::FunnelStageRow& s = fig.stages[k];
    ReverseStageRow row;
    row.stage = s.stage;
    row.id = s.id;
    row.name = s.name;
    row.reached = s.reached;
    row.conversion = analytics::Rate::of(fig.won, s.reached);
    if (timing && k < timing->size() && !(*timing)[k].empty()) {
      auto cr = analytics::CompetingRisks::fit((*timing)[k], 2);
      if (cr) {
        row.timing_deals = cr->subjects();
        row.timing_won = cr->events(1);
        row.time_to_won_seconds = cr->conditional_quantile(1, q.quantile);
      }
    }
    if (row.time_to_won_seconds) {
      const Instant latest =
          q.period.end_instant(q.utc_offset_minutes) - Duration(*row.time_to_won_seconds) - Duration(1);
      row.by_date = latest.date(q.utc_offset_minutes);
    }
    if (!scope.cannot && row.conversion.value && *row.conversion.value > 0.0) {
      row.needed = ceil_mul_div(scope.won_needed, s.reached, fig.won);
      if (row.conversion.interval) {
        row.needed_low = ceil_div(scope.won_needed, row.conversion.interval->high);
        if (row.conversion.interval->low > 0.0)
          row.needed_high = ceil_div(scope.won_needed, row.conversion.interval->low);
      }
      if (!row.time_to_won_seconds) not_reached.push_back(k);
    }
    scope.stages.push_back(std::move(row));
  }
  if (!not_reached.empty()) {
    std::string ids;
    for (const std::size_t k : not_reached) ids += (ids.empty() ? "" : ", ") + scope.stages[k].id;
    scope.notes.push_back("no by-date for " + ids + ": no reference deal that entered it is won yet");
  }
  if (scope.cannot) scope.won_needed = 0;
}

}  // namespace

std::string format_money_grouped(Money m) {
  std::string text = m.format_amount(" ");
  const auto dot = text.find('.');
  if (dot != std::string::npos && text.find_first_not_of('0', dot + 1) == std::string::npos) text.erase(dot);
  if (!m.currency().empty()) text += " " + std::string(m.currency().code());
  return text;
}

std::vector<std::string> ReverseFunnelReport::definition() const {
  std::vector<std::string> out;
  const std::string offset = format_utc_offset(utc_offset_minutes);
  const std::string target =
      target_amount ? format_money_grouped(*target_amount) : std::to_string(*target_deals) + " won deals";
  out.push_back("reverse funnel of pipeline " + pipeline_id + ": target " + target + " in " + period.label +
                " (" + period.first.to_string() + " .. " + (period.end - 1).to_string() +
                " local dates at UTC offset " + offset + ")" +
                (by.empty() ? "" : ", the same target for every " + by));
  out.push_back("reference " + reference.label + ": deals created " + reference.first.to_string() + " .. " +
                (reference.end - 1).to_string() + ", as of " + format_iso(as_of) +
                "; conversion to won from stage k = won / reached_k (high-water rule), 95% Wilson interval");
  if (target_amount)
    out.push_back(
        "won deals needed W = ceil(target / average won amount); average = amount of the deals won in " +
        reference.label + " / their count, amounts as of the report instant" +
        (conversion.empty() ? ", in " + std::string(target_amount->currency().code()) + " only"
                            : "; " + conversion));
  else
    out.push_back("won deals needed W = the target");
  out.push_back("entries needed at stage k = ceil(W / conversion_k), range ceil(W / high) .. ceil(W / low)");
  std::ostringstream q;
  q << quantile;
  out.push_back("by-date = local date of (period end - t_k), t_k = quantile " + q.str() +
                " of the time from the first entry into stage k to won among deals that win (Aalen-Johansen, "
                "lost competing, open deals censored at the report instant)");
  out.push_back(std::string("scope: ") +
                (by.empty() ? "company" : by + " as of the report instant (conversions and average alike)"));
  return out;
}

std::string reverse_headline(const ReverseFunnelReport& report, const ReverseFunnelScope& scope) {
  std::string out;
  if (!report.by.empty()) out += report.by + " " + (scope.key ? *scope.key : std::string("(none)")) + ": ";
  out += "to win " +
         (report.target_amount ? format_money_grouped(*report.target_amount)
                               : std::to_string(*report.target_deals) + " deals") +
         " in " + report.period.label + ": ";
  if (scope.cannot) return out + "cannot: " + *scope.cannot;
  out += std::to_string(scope.won_needed) + " won deals";
  for (std::size_t i = scope.stages.size(); i-- > 0;) {
    const ReverseStageRow& s = scope.stages[i];
    out += "; ";
    out += s.needed ? std::to_string(*s.needed) : std::string("?");
    out += i == 0 ? " new deals" : " at " + s.id;
    out += s.by_date ? " by " + s.by_date->to_string() : std::string(" (no by-date)");
  }
  return out;
}

Result<ReverseFunnelReport> compute_reverse_funnel(const analytics::EventLog& log, const Pipeline& pipeline,
                                                   const ReverseFunnelQuery& query) {
  DEALFLOW_RETURN_IF_ERROR(validate(query));
  analytics::FunnelGrouping group;
  if (!query.by.empty() && query.by != "company") {
    auto g = analytics::resolve_grouping(log, query.by);
    if (!g) return g.status();
    if (g->kind == analytics::FunnelGrouping::Kind::created_month)
      return Status(ErrorCode::invalid_argument,
                    "reverse funnel: --by created_month: expected company or a dimension of the log");
    group = *g;
  }
  const Instant as_of = query.as_of.value_or(log.latest_instant());
  analytics::FunnelQuery fq;
  fq.rule = analytics::CountingRule::high_water;
  fq.basis = analytics::FunnelBasis::created;
  fq.from = query.reference.begin_instant(query.utc_offset_minutes);
  fq.to = query.reference.end_instant(query.utc_offset_minutes);
  fq.as_of = as_of;
  fq.group = group;
  fq.utc_offset_minutes = query.utc_offset_minutes;
  fq.threads = 1;
  auto funnel = analytics::compute_funnel(log, pipeline, fq);
  if (!funnel) return funnel.status();
  auto amounts = won_amounts(log, pipeline, query, group, as_of);
  if (!amounts) return amounts.status();
  auto timing = stage_timing(log, pipeline, query, group, as_of, funnel->total.stages.size());
  if (!timing) return timing.status();

  ReverseFunnelReport report;
  report.period = query.period;
  report.reference = query.reference;
  report.as_of = as_of;
  report.target_amount = query.target_amount;
  report.target_deals = query.target_deals;
  report.quantile = query.quantile;
  report.by = group.kind == analytics::FunnelGrouping::Kind::none ? "" : query.by;
  report.utc_offset_minutes = query.utc_offset_minutes;
  report.pipeline_id = pipeline.id();
  if (query.fx) report.conversion = query.fx->describe();
  const auto find = [](const auto& map, const Key& key) -> const auto* {
    const auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  };
  if (report.by.empty()) {
    ReverseFunnelScope scope;
    fill_scope(query, funnel->total, find(*amounts, Key{std::string()}), find(*timing, Key{std::string()}),
               scope);
    report.scopes.push_back(std::move(scope));
  } else {
    for (const analytics::FunnelGroup& g : funnel->groups) {
      ReverseFunnelScope scope;
      scope.key = g.key;
      fill_scope(query, g.figures, find(*amounts, g.key), find(*timing, g.key), scope);
      report.scopes.push_back(std::move(scope));
    }
  }
  return report;
}

}  // namespace dealflow::planning
