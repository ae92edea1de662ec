#include "dealflow/analytics/funnel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <type_traits>

#include "analytics/funnel_detail.h"
#include "analytics/report_context.h"

namespace dealflow::analytics {
using funnel_detail::add_checked;
namespace {

constexpr std::uint8_t kOpen = 0, kWon = 1, kLost = 2, kForeign = 3;

// Months since year 0 (year * 12 + month - 1) of a unix time at an offset.
std::int32_t month_index(std::int64_t unix_seconds, int offset_minutes) noexcept {
  const Date d(static_cast<std::int32_t>(floor_div(unix_seconds + std::int64_t{offset_minutes} * 60, 86400)));
  return d.year() * 12 + d.month() - 1;
}

}  // namespace

// ---------------------------------------------------------------------------

std::string_view to_string(CountingRule rule) noexcept {
  switch (rule) {
    case CountingRule::high_water:
      return "high-water";
    case CountingRule::touched:
      return "touched";
    case CountingRule::strict_order:
      return "strict";
    case CountingRule::snapshot:
      return "snapshot";
  }
  return "?";
}

std::optional<CountingRule> parse_counting_rule(std::string_view name) noexcept {
  if (name == "high-water" || name == "high_water") return CountingRule::high_water;
  if (name == "touched") return CountingRule::touched;
  if (name == "strict" || name == "strict_order" || name == "strict-order") return CountingRule::strict_order;
  if (name == "snapshot") return CountingRule::snapshot;
  return std::nullopt;
}

std::string_view to_string(FunnelBasis basis) noexcept {
  return basis == FunnelBasis::created ? "created" : "closed";
}

std::optional<FunnelBasis> parse_funnel_basis(std::string_view name) noexcept {
  if (name == "created") return FunnelBasis::created;
  if (name == "closed") return FunnelBasis::closed;
  return std::nullopt;
}

Result<FunnelGrouping> resolve_grouping(const EventLog& log, std::string_view name) {
  if (name == "created_month") return FunnelGrouping{FunnelGrouping::Kind::created_month, {}};
  if (auto id = log.find_dimension(name)) return FunnelGrouping{FunnelGrouping::Kind::dimension, *id};
  std::string known = "created_month";
  for (std::size_t i = 0; i < log.dimension_count(); ++i) {
    known += ", " + log.dimension(DimensionId{static_cast<std::uint16_t>(i)}).name;
  }
  return Status(ErrorCode::not_found,
                "unknown dimension '" + std::string(name) + "': expected one of " + known);
}

std::optional<Interval> wilson_interval(std::uint64_t successes, std::uint64_t trials, double z) noexcept {
  if (trials == 0 || successes > trials) return std::nullopt;
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double center = (p + z2 / (2.0 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  return Interval{std::max(0.0, center - half), std::min(1.0, center + half)};
}

Rate Rate::of(std::uint64_t numerator, std::uint64_t denominator) noexcept {
  Rate r;
  r.numerator = numerator;
  r.denominator = denominator;
  if (denominator > 0) {
    r.value = static_cast<double>(numerator) / static_cast<double>(denominator);
    r.interval = wilson_interval(numerator, denominator);
  }
  return r;
}

std::string FunnelDefinition::summary() const {
  std::string s = "definition: rule " + std::string(to_string(rule)) + " (" + rule_text + "); basis " +
                  std::string(to_string(basis)) + " (" + basis_text + "); " + denominator_text + "; as of " +
                  format_iso(as_of);
  if (!group_by.empty()) s += "; by " + group_by;
  if (!conversion.empty()) s += "; " + conversion;
  return s;
}

// ---------------------------------------------------------------------------

Result<FunnelPlan> FunnelPlan::create(const EventLog& log, const Pipeline& pipeline,
                                      const FunnelQuery& query) {
  if (!log.sealed())
    return Status(ErrorCode::invalid_argument, "the event log must be sealed before a funnel query");
  const auto pcode = log.pipelines().find(pipeline.id());
  if (!pcode) {
    std::string known;
    for (std::size_t i = 0; i < log.pipelines().size(); ++i) {
      known +=
          (known.empty() ? "" : ", ") + std::string(log.pipelines().at(static_cast<Dictionary::Code>(i)));
    }
    return Status(ErrorCode::not_found, "pipeline '" + pipeline.id() +
                                            "' has no deals in the log (log has: " +
                                            (known.empty() ? std::string("none") : known) + ")");
  }
  if (query.from && query.to && *query.from >= *query.to) {
    return Status(ErrorCode::invalid_argument, "empty period: from " + format_iso(*query.from) +
                                                   " is not before to " + format_iso(*query.to));
  }
  if (query.group.kind == FunnelGrouping::Kind::dimension &&
      (!query.group.dimension.valid() || query.group.dimension.value() >= log.dimension_count())) {
    return Status(ErrorCode::invalid_argument, "grouping names no dimension of the log");
  }
  FunnelPlan plan;
  plan.log_ = &log;
  plan.pipeline_ = &pipeline;
  plan.query_ = query;
  plan.log_pipeline_ = PipelineId{static_cast<std::uint16_t>(*pcode)};
  plan.single_pipeline_ = log.pipelines().size() == 1;
  // Default: the latest event or creation (as every report), so nothing is cut off.
  plan.as_of_instant_ = query.as_of ? *query.as_of : log.latest_instant();
  plan.as_of_ = log.to_log_seconds(plan.as_of_instant_);
  plan.as_of_cuts_ =
      plan.as_of_ < log.to_log_seconds(log.last_event_at()) || plan.as_of_instant_ < log.time_base();
  const auto moves = log.pipeline_moves();
  for (std::size_t i = 0; i < moves.size(); ++i) {
    if (i > 0 && moves[i].deal == moves[i - 1].deal) continue;
    const DealId d{moves[i].deal};
    const EventLog::PipelineStay stay =
        log.stay_as_of(d, plan.as_of_instant_ < log.time_base() ? 0 : plan.as_of_);
    if (stay.pipeline.value() == log.pipeline_column()[d.value()] && stay.begin == log.event_begin(d))
      continue;
    plan.stays_.push_back({d.value(), stay.pipeline.value(), stay.begin});
  }
  if (!plan.stays_.empty()) plan.single_pipeline_ = false;
  plan.time_filter_ = query.from.has_value() || query.to.has_value();
  plan.from_ = query.from ? query.from->unix_seconds() : std::numeric_limits<std::int64_t>::min();
  plan.to_ = query.to ? query.to->unix_seconds() : std::numeric_limits<std::int64_t>::max();

  plan.m_ = pipeline.open_stages().size();
  plan.currencies_ = log.currencies().size();
  plan.currency_list_ = log.currencies();
  if (query.fx) {  // convert the amounts of the basis once, at the policy's dates
    auto columns = detail::convert_basis_amounts(log, pipeline, *query.fx, plan.as_of_instant_,
                                                 query.basis == FunnelBasis::closed, plan.from_, plan.to_);
    if (!columns) return columns.status();
    plan.fx_amount_ = std::move(columns->amount);
    plan.fx_currency_ = std::move(columns->currency);
    plan.currencies_ = 1;
    plan.currency_list_ = {query.fx->target};
  }
  plan.currency_order_.resize(plan.currencies_);
  for (std::size_t i = 0; i < plan.currencies_; ++i) plan.currency_order_[i] = i;
  std::sort(plan.currency_order_.begin(), plan.currency_order_.end(), [&](std::size_t a, std::size_t b) {
    return plan.currency_list_[a].code() < plan.currency_list_[b].code();
  });
  plan.reasons_ = log.dimension(StandardDimension::lost_reason).values.size() + 1;
  plan.lost_stages_ = pipeline.lost_stages().size();
  plan.position_.assign(65536, -1);
  plan.kind_.assign(65536, kForeign);
  plan.lost_index_.assign(65536, 0);
  for (std::size_t s = 0; s < pipeline.stage_count(); ++s) {
    const StageKind k = pipeline.stages()[s].kind;
    plan.kind_[s] = k == StageKind::open ? kOpen : k == StageKind::won ? kWon : kLost;
  }
  for (std::size_t i = 0; i < plan.m_; ++i)
    plan.position_[pipeline.open_stages()[i].value()] = static_cast<std::int16_t>(i);
  for (std::size_t i = 0; i < plan.lost_stages_; ++i) {
    plan.lost_index_[pipeline.lost_stages()[i].value()] = static_cast<std::uint16_t>(i);
  }

  // As of the report instant: the grouping dimension's codes and the amounts
  // with the deals' field changes applied (nothing when the log has none of
  // those changes: the stored columns are read as they are).
  if (query.group.kind == FunnelGrouping::Kind::dimension) {
    plan.as_of_codes_ = log.dimension_codes_as_of(query.group.dimension, plan.as_of_instant_);
  }
  log.amounts_as_of(plan.as_of_instant_, plan.as_of_amount_, plan.as_of_currency_);

  switch (query.group.kind) {
    case FunnelGrouping::Kind::none:
      plan.groups_ = 1;
      break;
    case FunnelGrouping::Kind::dimension:
      plan.groups_ = log.dimension(query.group.dimension).values.size() + 1;  // last: empty cell
      break;
    case FunnelGrouping::Kind::created_month: {
      std::int32_t lo = std::numeric_limits<std::int32_t>::max(),
                   hi = std::numeric_limits<std::int32_t>::min();
      const auto created = log.created_column();
      const auto pipes = log.pipeline_column();
      auto stay = plan.stays_.begin();
      for (std::size_t d = 0; d < log.deal_count(); ++d) {
        std::uint16_t in = pipes[d];
        if (stay != plan.stays_.end() && stay->deal == d) in = (stay++)->pipeline;
        if (in != plan.log_pipeline_.value()) continue;
        const std::int32_t mi = month_index(created[d], query.utc_offset_minutes);
        lo = std::min(lo, mi);
        hi = std::max(hi, mi);
      }
      plan.first_month_ = lo <= hi ? lo : 0;
      plan.groups_ = lo <= hi ? static_cast<std::size_t>(hi - lo + 1) : 1;
      break;
    }
  }

  Layout& l = plan.layout_;
  const std::size_t m = plan.m_, c = plan.currencies_;
  std::size_t at = 0;
  auto take = [&](std::size_t n) {
    const std::size_t here = at;
    at += n;
    return here;
  };
  l.deals = take(1);
  l.won = take(1);
  l.lost = take(1);
  l.open = take(1);
  l.without_history = take(1);
  const bool level_rule = query.rule == CountingRule::high_water || query.rule == CountingRule::strict_order;
  l.level = take(level_rule ? m + 1 : 0);
  l.level_amount = take(level_rule ? (m + 1) * c : 0);
  l.stage = take(level_rule ? 0 : m);
  l.stage_amount = take(level_rule ? 0 : m * c);
  l.won_amount = take(c);
  l.lost_amount = take(c);
  l.open_amount = take(c);
  l.lost_from = take(m + 1);
  l.lost_from_amount = take((m + 1) * c);
  l.lost_to = take(plan.lost_stages_);
  l.size = at;
  const std::size_t reason_cells = (m + 1) * plan.reasons_;
  plan.sparse_reasons_ = plan.groups_ > kDenseReasonCounters / reason_cells;
  const FunnelDefinition def = plan.definition();
  plan.partial_query_ = {
      def.rule,      def.basis,
      def.from,      def.to,
      def.as_of,     def.pipeline_id,
      def.group_by,  query.group.kind == FunnelGrouping::Kind::created_month ? query.utc_offset_minutes : 0,
      def.conversion};
  return plan;
}

std::uint32_t FunnelPlan::group_of(std::size_t deal) const noexcept {
  switch (query_.group.kind) {
    case FunnelGrouping::Kind::none:
      return 0;
    case FunnelGrouping::Kind::dimension: {
      const std::uint32_t code =
          as_of_codes_.empty() ? log_->dimension(query_.group.dimension).codes[deal] : as_of_codes_[deal];
      return code == kNoValue ? static_cast<std::uint32_t>(groups_ - 1) : code;
    }
    case FunnelGrouping::Kind::created_month:
      return static_cast<std::uint32_t>(month_index(log_->created_column()[deal], query_.utc_offset_minutes) -
                                        first_month_);
  }
  return 0;
}

template <CountingRule R, class GroupCode, bool kReason8, bool kTimeFilter>
void FunnelPlan::run_impl(std::size_t begin, std::size_t end, FunnelPartial& out) const {
  // GroupCode: void (not grouped), the raw code type of the grouping dimension
  // (u8/u16/u32, all ones = empty cell), or AnyGroup (group_of: months, an
  // empty column). kReason8: the lost_reason codes are u8 (the common case,
  // read directly); otherwise through DimensionCodes::operator[].
  constexpr bool kRawCodes = std::is_integral_v<GroupCode>;
  using Code = std::conditional_t<kRawCodes, GroupCode, std::uint8_t>;
  const EventLog& log = *log_;
  const std::uint32_t* const off = log.offset_column().data();
  const StageId* const stage = log.stage_column().data();
  const std::uint32_t* const at = log.at_column().data();
  const std::uint16_t* const pipe = log.pipeline_column().data();
  const std::int64_t* const created = log.created_column().data();
  // With fx: the basis amounts converted (as of the report instant); else the
  // amounts as of the report instant when the log has amount changes.
  const bool fx = query_.fx.has_value();
  const std::int64_t* const amount = fx                      ? fx_amount_.data()
                                     : as_of_amount_.empty() ? log.amount_column().data()
                                                             : as_of_amount_.data();
  const std::uint16_t* const currency = fx                        ? fx_currency_.data()
                                        : as_of_currency_.empty() ? log.currency_column().data()
                                                                  : as_of_currency_.data();
  const std::int16_t* const position = position_.data();
  const std::uint8_t* const kind = kind_.data();
  const Code* codes = nullptr;
  if constexpr (kRawCodes) {
    codes = log.dimension(query_.group.dimension).codes.template raw<Code>().data();
    if constexpr (std::is_same_v<Code, std::uint32_t>) {
      if (!as_of_codes_.empty()) codes = as_of_codes_.data();  // kNoValue = all ones: the empty cell
    }
  }
  const DimensionCodes& reason_codes = log.dimension(StandardDimension::lost_reason).codes;
  const std::uint8_t* const reasons8 = reason_codes.raw<std::uint8_t>().data();  // kReason8
  constexpr bool time_filter = kTimeFilter;
  const std::uint32_t none_group = static_cast<std::uint32_t>(groups_ - 1);
  const std::uint16_t pid = log_pipeline_.value();
  const bool single = single_pipeline_;
  const bool cuts = as_of_cuts_;
  const std::uint32_t as_of = as_of_;
  const std::int64_t as_of_unix = as_of_instant_.unix_seconds();
  const bool closed_basis = query_.basis == FunnelBasis::closed;
  const std::int64_t base = log.time_base().unix_seconds();
  const std::int64_t from = from_, to = to_;
  const std::size_t m = m_, cn = currencies_, rn = reasons_;
  const Layout l = layout_;
  std::int64_t* const counters = out.counters_.data();
  std::int64_t* const reason_counters = out.reasons_.data();  // dense mode
  const bool sparse_reasons = sparse_reasons_;
  const std::size_t reason_cells = (m + 1) * rn;
  bool overflow = false;
  std::vector<std::uint32_t> stamp(R == CountingRule::touched ? m : 0, 0xFFFFFFFFu);
  // Moved deals: their stay at as_of (a cursor; never taken without moves).
  const Stay* stay = std::lower_bound(stays_.data(), stays_.data() + stays_.size(), begin,
                                      [](const Stay& s, std::size_t deal) { return s.deal < deal; });
  const Stay* const stay_end = stays_.data() + stays_.size();

  for (std::size_t d = begin; d < end; ++d) {
    std::uint32_t b = off[d];
    std::uint16_t in = pipe[d];
    if (stay != stay_end && stay->deal == d) {
      in = stay->pipeline;
      b = stay->begin;
      ++stay;
    }
    if (!single && in != pid) continue;
    const std::int64_t cr = created[d];
    if (cr > as_of_unix) continue;  // did not exist at the report instant
    if (!closed_basis && time_filter && (cr < from || cr >= to)) continue;
    std::uint32_t e = off[d + 1];
    if (cuts) {
      while (e > b && at[e - 1] > as_of) --e;
    }
    const std::uint8_t final_kind = e > b ? kind[stage[e - 1].value()] : kForeign;
    if (closed_basis) {
      if (final_kind != kWon && final_kind != kLost) continue;
      std::uint32_t k = e - 1;
      while (k > b && (kind[stage[k - 1].value()] == kWon || kind[stage[k - 1].value()] == kLost)) --k;
      const std::int64_t closed_at = base + at[k];
      if (time_filter && (closed_at < from || closed_at >= to)) continue;
    }
    std::uint32_t g = 0;
    if constexpr (kRawCodes) {
      const Code code = codes[d];
      g = code == std::numeric_limits<Code>::max() ? none_group : code;
    } else if constexpr (std::is_same_v<GroupCode, AnyGroup>) {
      g = group_of(d);
    }
    std::int64_t* const c = counters + static_cast<std::size_t>(g) * l.size;
    const std::uint16_t cur = currency[d];
    const bool has_amount = cur != kNoCurrency;
    const std::int64_t a = amount[d];
    ++c[l.deals];

    if constexpr (R == CountingRule::high_water) {
      int hw = -1;
      for (std::uint32_t i = b; i < e; ++i) hw = std::max<int>(hw, position[stage[i].value()]);
      const std::size_t level = final_kind == kWon ? m : static_cast<std::size_t>(hw + 1);
      ++c[l.level + level];
      if (has_amount) add_checked(c[l.level_amount + level * cn + cur], a, overflow);
    } else if constexpr (R == CountingRule::strict_order) {
      std::size_t p = 0;
      for (std::uint32_t i = b; i < e && p < m; ++i)
        p += static_cast<std::size_t>(position[stage[i].value()]) == p;
      ++c[l.level + p];
      if (has_amount) add_checked(c[l.level_amount + p * cn + cur], a, overflow);
    } else if constexpr (R == CountingRule::touched) {
      const std::uint32_t tag = static_cast<std::uint32_t>(d);
      for (std::uint32_t i = b; i < e; ++i) {
        const int pos = position[stage[i].value()];
        if (pos < 0 || stamp[pos] == tag) continue;
        stamp[pos] = tag;
        ++c[l.stage + pos];
        if (has_amount)
          add_checked(c[l.stage_amount + static_cast<std::size_t>(pos) * cn + cur], a, overflow);
      }
    } else {  // snapshot
      if (e > b) {
        const int pos = position[stage[e - 1].value()];
        if (pos >= 0) {
          ++c[l.stage + pos];
          if (has_amount)
            add_checked(c[l.stage_amount + static_cast<std::size_t>(pos) * cn + cur], a, overflow);
        }
      }
    }

    if (final_kind == kWon) {
      ++c[l.won];
      if (has_amount) add_checked(c[l.won_amount + cur], a, overflow);
    } else if (final_kind == kLost) {
      ++c[l.lost];
      if (has_amount) add_checked(c[l.lost_amount + cur], a, overflow);
      std::size_t from_pos = m;  // lost without an open stage
      for (std::uint32_t i = e; i > b; --i) {
        const int pos = position[stage[i - 1].value()];
        if (pos >= 0) {
          from_pos = static_cast<std::size_t>(pos);
          break;
        }
      }
      ++c[l.lost_from + from_pos];
      if (has_amount) add_checked(c[l.lost_from_amount + from_pos * cn + cur], a, overflow);
      std::size_t reason;  // the empty cell counts as the last reason
      if constexpr (kReason8) {
        reason = reasons8[d] == 0xFFu ? rn - 1 : reasons8[d];
      } else {
        const std::uint32_t code = reason_codes[d];
        reason = code == kNoValue ? rn - 1 : code;
      }
      const std::size_t cell = from_pos * rn + reason;
      if (sparse_reasons) {
        out.sparse_.push_back({g, cell, 1});  // sorted and combined by run()
      } else {
        ++reason_counters[g * reason_cells + cell];
      }
      ++c[l.lost_to + lost_index_[stage[e - 1].value()]];
    } else {
      ++c[l.open];
      if (has_amount) add_checked(c[l.open_amount + cur], a, overflow);
      if (e == b) ++c[l.without_history];
    }
  }
  if (overflow) out.overflow_ = true;
}

FunnelPartial FunnelPlan::run(std::size_t begin, std::size_t end) const {
  FunnelPartial out(layout_.size * groups_, sparse_reasons_ ? 0 : groups_ * (m_ + 1) * reasons_,
                    sparse_reasons_);
  out.query_ = partial_query_;
  end = std::min(end, log_->deal_count());
  if (begin >= end) return out;
  // The grouping dimension's codes are read at their stored width.
  const unsigned width = query_.group.kind != FunnelGrouping::Kind::dimension ? 0
                         : !as_of_codes_.empty()                              ? 4
                                                 : log_->dimension(query_.group.dimension).codes.width();
  const bool reason8 = log_->dimension(StandardDimension::lost_reason).codes.width() == 1;
  auto dispatch = [&]<CountingRule R>() {
    auto with = [&]<class GroupCode>() {
      auto timed = [&]<bool kReason8>() {
        time_filter_ ? run_impl<R, GroupCode, kReason8, true>(begin, end, out)
                     : run_impl<R, GroupCode, kReason8, false>(begin, end, out);
      };
      reason8 ? timed.template operator()<true>() : timed.template operator()<false>();
    };
    if (query_.group.kind == FunnelGrouping::Kind::none) {
      with.template operator()<void>();
    } else if (query_.group.kind == FunnelGrouping::Kind::created_month || width == 0) {
      with.template operator()<AnyGroup>();
    } else if (width == 1) {
      with.template operator()<std::uint8_t>();
    } else if (width == 2) {
      with.template operator()<std::uint16_t>();
    } else {
      with.template operator()<std::uint32_t>();
    }
  };
  switch (query_.rule) {
    case CountingRule::high_water:
      dispatch.template operator()<CountingRule::high_water>();
      break;
    case CountingRule::touched:
      dispatch.template operator()<CountingRule::touched>();
      break;
    case CountingRule::strict_order:
      dispatch.template operator()<CountingRule::strict_order>();
      break;
    case CountingRule::snapshot:
      dispatch.template operator()<CountingRule::snapshot>();
      break;
  }
  if (!out.sparse_.empty()) {
    // One entry per lost deal so far: sort by (group, cell) and combine.
    auto& v = out.sparse_;
    std::sort(v.begin(), v.end(),
              [](const FunnelPartial::ReasonCount& x, const FunnelPartial::ReasonCount& y) {
                return x.group != y.group ? x.group < y.group : x.cell < y.cell;
              });
    std::size_t w = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (w > 0 && v[w - 1].group == v[i].group && v[w - 1].cell == v[i].cell) {
        v[w - 1].count += v[i].count;
      } else {
        v[w++] = v[i];
      }
    }
    v.resize(w);
    v.shrink_to_fit();
  }
  return out;
}

FunnelPartial FunnelPlan::run_all(unsigned threads) const {
  const std::size_t n = log_->deal_count();
  const std::size_t events = log_->event_count();
  if (threads == 0) {
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    threads = events + n < 400'000 ? 1u : std::min(hw, 64u);
    // Many groups (`--by client`): every thread would fill a partial as large
    // as the log's columns and merge it, costing more than the walk it splits.
    if (partial_bytes() > kSingleThreadPartialBytes) threads = 1;
  }
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  if (threads <= 1) return run(0, n);
  // Shards balanced by events + deals.
  const auto offsets = log_->offset_column();
  std::vector<std::size_t> cut(threads + 1, 0);
  cut[threads] = n;
  for (unsigned t = 1; t < threads; ++t) {
    const std::size_t target = (events + n) * t / threads;
    std::size_t lo = cut[t - 1], hi = n;
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (offsets[mid] + mid < target)
        lo = mid + 1;
      else
        hi = mid;
    }
    cut[t] = lo;
  }
  std::vector<FunnelPartial> parts(threads);
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) {
    pool.emplace_back([&, t] { parts[t] = run(cut[t], cut[t + 1]); });
  }
  parts[0] = run(cut[0], cut[1]);
  for (auto& th : pool) th.join();
  FunnelPartial total = std::move(parts[0]);
  for (unsigned t = 1; t < threads; ++t) {
    if (!total.merge(parts[t]).ok()) total.overflow_ = true;
  }
  return total;
}

Result<FunnelReport> compute_funnel(const EventLog& log, const Pipeline& pipeline, const FunnelQuery& query) {
  auto result = compute_funnel_result(log, pipeline, query);
  if (!result) return result.status();
  return std::move(*result).materialize();
}

Result<FunnelResult> compute_funnel_result(const EventLog& log, const Pipeline& pipeline,
                                           const FunnelQuery& query) {
  auto plan = FunnelPlan::create(log, pipeline, query);
  if (!plan) return plan.status();
  FunnelPartial partial = plan->run_all(query.threads);
  return FunnelResult::create(std::move(*plan), std::move(partial));
}

}  // namespace dealflow::analytics
