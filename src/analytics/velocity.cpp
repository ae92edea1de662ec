// Sales velocity: see dealflow/analytics/velocity.h.
#include "dealflow/analytics/velocity.h"

#include <boost/multiprecision/cpp_int.hpp>
#include <vector>

#include "analytics/report_context.h"

namespace dealflow::analytics {

std::string SalesVelocity::definition() {
  return "velocity = open deals x win rate x average won amount / median won cycle, per calendar day; open "
         "deals "
         "at the report instant; won, lost = deals whose final won/lost stage was entered in the period; win "
         "rate = "
         "won/(won+lost); average won amount = sum / won deals with an amount (rounded half away from zero); "
         "median "
         "won cycle = median created->won of those won deals (calendar time, lower middle)";
}

Result<SalesVelocity> compute_velocity(const EventLog& log, const Pipeline& pipeline,
                                       const VelocityQuery& query) {
  auto ctx = detail::ReportContext::create(log, pipeline, std::nullopt, std::nullopt, query.as_of);
  if (!ctx) return ctx.status();
  if (query.from && query.to && *query.from >= *query.to) {
    return Status(ErrorCode::invalid_argument, "empty period: from " + format_iso(*query.from) +
                                                   " is not before to " + format_iso(*query.to));
  }
  SalesVelocity v;
  v.from = query.from;
  v.to = query.to;
  v.as_of = ctx->as_of();
  auto amounts = detail::AmountSource::create(log, query.fx, ctx->as_of());
  if (!amounts) return amounts.status();
  detail::CurrencySums won_sum;
  std::vector<std::int64_t> cycles;
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->exists(d)) continue;
    const detail::DealState st = ctx->state(d);
    if (st.outcome == detail::Outcome::open || st.outcome == detail::Outcome::no_history) {
      ++v.open_deals;
      continue;
    }
    if ((query.from && st.closed_at < *query.from) || (query.to && st.closed_at >= *query.to)) continue;
    if (st.outcome == detail::Outcome::lost) {
      ++v.lost;
      continue;
    }
    ++v.won;
    cycles.push_back((st.closed_at - log.created_at(d)).count());
    auto amount = amounts->amount(d, st.closed_at);
    if (!amount) return amount.status();
    if (*amount) DEALFLOW_RETURN_IF_ERROR(won_sum.add(**amount, log.deal_key(d)));
  }
  if (query.fx) v.conversion = query.fx->describe();
  if (v.won + v.lost > 0) v.win_rate = static_cast<double>(v.won) / static_cast<double>(v.won + v.lost);
  v.won_with_amount = static_cast<std::uint64_t>(won_sum.count());
  for (const auto& e : won_sum.entries()) {
    v.by_currency.push_back({e.currency, static_cast<std::uint64_t>(e.count), Money(e.minor, e.currency),
                             Money(detail::divide_rounded(e.minor, e.count), e.currency)});
  }
  if (v.by_currency.size() == 1) {
    v.won_amount = v.by_currency[0].won_amount;
    v.average_won_amount = v.by_currency[0].average_won_amount;
  }
  v.median_won_cycle_seconds = detail::lower_median(cycles);

  if (v.won + v.lost == 0) {
    v.missing = "no deal closed in the period (win rate undefined)";
  } else if (v.by_currency.empty()) {
    v.missing = "no won deal with an amount (average won amount undefined)";
  } else if (v.by_currency.size() > 1) {
    v.missing = "won amounts in several currencies (" + won_sum.codes() +
                "): velocity needs one; convert them with --fx";
  } else if (!v.median_won_cycle_seconds || *v.median_won_cycle_seconds <= 0) {
    v.missing = "median won cycle is zero";
  } else {
    using boost::multiprecision::cpp_int;
    const cpp_int numerator =
        cpp_int(v.open_deals) * cpp_int(v.won) * cpp_int(v.won_amount->minor_units()) * cpp_int(86400);
    const cpp_int denominator =
        cpp_int(v.won + v.lost) * cpp_int(v.won_with_amount) * cpp_int(*v.median_won_cycle_seconds);
    cpp_int q = numerator / denominator;
    const cpp_int r = numerator % denominator;
    if (r * 2 >= denominator && numerator >= 0) q += 1;
    if (r * 2 <= -denominator && numerator < 0) q -= 1;
    if (q > cpp_int(std::numeric_limits<std::int64_t>::max()) ||
        q < cpp_int(std::numeric_limits<std::int64_t>::min())) {
      return Status(ErrorCode::overflow, "sales velocity does not fit in int64 minor units");
    }
    v.per_day = Money(static_cast<std::int64_t>(q), v.won_amount->currency());
  }
  return v;
}

}  // namespace dealflow::analytics
