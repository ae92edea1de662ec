#include "analytics/report_context.h"

#include <algorithm>
#include <cstdio>

namespace dealflow::analytics::detail {

Result<ReportContext> ReportContext::create(const EventLog& log, const Pipeline& pipeline,
                                            std::optional<Instant> from, std::optional<Instant> to,
                                            std::optional<Instant> as_of) {
  if (!log.sealed())
    return Status(ErrorCode::invalid_argument, "the event log must be sealed before a report");
  const auto code = log.pipelines().find(pipeline.id());
  if (!code) {
    std::string known;
    for (std::size_t i = 0; i < log.pipelines().size(); ++i) {
      known +=
          (known.empty() ? "" : ", ") + std::string(log.pipelines().at(static_cast<Dictionary::Code>(i)));
    }
    return Status(ErrorCode::not_found, "pipeline '" + pipeline.id() +
                                            "' has no deals in the log (log has: " +
                                            (known.empty() ? std::string("none") : known) + ")");
  }
  if (from && to && *from >= *to) {
    return Status(ErrorCode::invalid_argument,
                  "empty period: from " + format_iso(*from) + " is not before to " + format_iso(*to));
  }
  ReportContext c;
  c.log_ = &log;
  c.pipeline_ = &pipeline;
  c.pipeline_code_ = static_cast<std::uint16_t>(*code);
  c.single_pipeline_ = log.pipelines().size() == 1;
  c.from_ = from;
  c.to_ = to;
  if (as_of) {
    c.as_of_ = *as_of;
    c.as_of_given_ = true;
  } else {
    c.as_of_ = log.latest_instant();  // the funnel's default too: nothing is cut off
  }
  c.as_of_log_ = log.to_log_seconds(c.as_of_);
  const auto moves = log.pipeline_moves();
  for (std::size_t i = 0; i < moves.size(); ++i) {
    if (i > 0 && moves[i].deal == moves[i - 1].deal) continue;
    const DealId d{moves[i].deal};
    const EventLog::PipelineStay stay = log.stay_as_of(d, c.as_of_ < log.time_base() ? 0 : c.as_of_log_);
    if (stay.pipeline.value() == log.pipeline_column()[d.value()] && stay.begin == log.event_begin(d))
      continue;
    c.stays_.push_back({d.value(), stay.pipeline.value(), stay.begin});
  }
  if (!c.stays_.empty()) c.single_pipeline_ = false;
  c.position_.assign(pipeline.stage_count(), -1);
  c.kind_.assign(pipeline.stage_count(), 0);
  for (std::size_t i = 0; i < pipeline.stage_count(); ++i) {
    const Stage& s = pipeline.stage(StageId{static_cast<std::uint16_t>(i)});
    c.position_[i] = static_cast<std::int16_t>(s.funnel_position);
    c.kind_[i] = s.kind == StageKind::won ? 1 : s.kind == StageKind::lost ? 2 : 0;
  }
  return c;
}

const ReportContext::Stay* ReportContext::find_stay(DealId d) const noexcept {
  if (stays_.empty() || d.value() < stays_.front().deal || d.value() > stays_.back().deal) return nullptr;
  const auto it = std::lower_bound(stays_.begin(), stays_.end(), d.value(),
                                   [](const Stay& s, std::uint32_t deal) { return s.deal < deal; });
  return it != stays_.end() && it->deal == d.value() ? &*it : nullptr;
}

bool ReportContext::exists(DealId d) const noexcept {
  if (!single_pipeline_) {
    const Stay* stay = find_stay(d);
    const std::uint16_t in = stay ? stay->pipeline : log_->pipeline_column()[d.value()];
    if (in != pipeline_code_) return false;
  }
  return log_->created_column()[d.value()] <= as_of_.unix_seconds();
}

bool ReportContext::in_cohort(DealId d) const noexcept {
  if (!exists(d)) return false;
  const std::int64_t created = log_->created_column()[d.value()];
  if (from_ && created < from_->unix_seconds()) return false;
  if (to_ && created >= to_->unix_seconds()) return false;
  return true;
}

DealState ReportContext::state(DealId d) const noexcept {
  DealState s;
  const auto at = log_->at_column();
  const auto stage = log_->stage_column();
  s.begin = log_->offset_column()[d.value()];
  s.end = log_->offset_column()[d.value() + 1];
  if (const Stay* stay = find_stay(d)) s.begin = stay->begin;
  // Events before time_base are clamped to 0 by to_log_seconds; an as_of before
  // time_base therefore keeps none of them only when as_of_log_ is 0 and the
  // instant really is earlier.
  const bool before_base = as_of_ < log_->time_base();
  while (s.end > s.begin && (before_base || at[s.end - 1] > as_of_log_)) --s.end;
  if (s.end == s.begin) return s;
  const StageId last = stage[s.end - 1];
  s.stage = last;
  std::uint32_t run = s.end - 1;
  while (run > s.begin && stage[run - 1] == last) --run;
  s.stage_since = log_->event_at(run);
  if (is_terminal(last)) {
    std::uint32_t k = s.end - 1;
    while (k > s.begin && is_terminal(stage[k - 1])) --k;
    s.closed_at = log_->event_at(k);
    s.outcome = is_won(last) ? Outcome::won : Outcome::lost;
  } else {
    s.outcome = Outcome::open;
  }
  return s;
}

// ---------------------------------------------------------------------------

GroupIndex::GroupIndex(const EventLog& log, const FunnelGrouping& grouping, int utc_offset_minutes,
                       std::optional<Instant> as_of)
    : log_(&log), grouping_(grouping), offset_(utc_offset_minutes) {
  if (as_of && grouping_.kind == FunnelGrouping::Kind::dimension) {
    as_of_codes_ = log.dimension_codes_as_of(grouping_.dimension, *as_of);
  }
  switch (grouping_.kind) {
    case FunnelGrouping::Kind::none:
      size_ = 1;
      break;
    case FunnelGrouping::Kind::dimension:
      size_ = log.dimension(grouping_.dimension).values.size() + 1;
      break;
    case FunnelGrouping::Kind::created_month:
      size_ = 0;
      break;
  }
}

std::uint32_t GroupIndex::group_of(DealId d) {
  switch (grouping_.kind) {
    case FunnelGrouping::Kind::none:
      return 0;
    case FunnelGrouping::Kind::dimension: {
      const std::uint32_t code = as_of_codes_.empty() ? log_->dimension(grouping_.dimension).codes[d.value()]
                                                      : as_of_codes_[d.value()];
      return code == kNoValue ? static_cast<std::uint32_t>(size_ - 1) : code;
    }
    case FunnelGrouping::Kind::created_month: {
      const std::int64_t local = log_->created_column()[d.value()] + std::int64_t{offset_} * 60;
      const Date day(static_cast<std::int32_t>(floor_div(local, 86400)));
      const std::int32_t month = day.year() * 12 + day.month() - 1;
      auto [it, added] = month_group_.emplace(month, static_cast<std::uint32_t>(size_));
      if (added) {
        group_month_.push_back(month);
        ++size_;
      }
      return it->second;
    }
  }
  return 0;
}

std::optional<std::string> GroupIndex::key(std::uint32_t group) const {
  switch (grouping_.kind) {
    case FunnelGrouping::Kind::none:
      return std::string();
    case FunnelGrouping::Kind::dimension: {
      if (group + 1 == size_) return std::nullopt;
      return std::string(log_->dimension(grouping_.dimension).values.at(group));
    }
    case FunnelGrouping::Kind::created_month: {
      const std::int32_t m = group_month_[group];
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
      return std::string(buf);
    }
  }
  return std::nullopt;
}

std::vector<std::uint32_t> GroupIndex::ordered() const {
  std::vector<std::uint32_t> order(size_);
  for (std::uint32_t i = 0; i < size_; ++i) order[i] = i;
  std::vector<std::optional<std::string>> keys(size_);
  for (std::uint32_t i = 0; i < size_; ++i) keys[i] = key(i);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (keys[a].has_value() != keys[b].has_value()) return keys[a].has_value();
    if (keys[a] && *keys[a] != *keys[b]) return *keys[a] < *keys[b];
    return a < b;
  });
  return order;
}

std::string GroupIndex::name() const {
  switch (grouping_.kind) {
    case FunnelGrouping::Kind::none:
      return "";
    case FunnelGrouping::Kind::dimension:
      return log_->dimension(grouping_.dimension).name;
    case FunnelGrouping::Kind::created_month:
      return "created_month";
  }
  return "";
}

std::optional<std::int64_t> lower_median(std::vector<std::int64_t>& values) {
  if (values.empty()) return std::nullopt;
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

std::int64_t divide_rounded(std::int64_t sum, std::int64_t n) noexcept {
  const std::int64_t q = sum / n, r = sum % n;
  const std::int64_t twice = (r < 0 ? -r : r) * 2;
  if (twice >= n) return sum < 0 ? q - 1 : q + 1;
  return q;
}

Status CurrencySums::add(Money amount, std::string_view deal_key) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), amount.currency(),
                             [](const Entry& e, Currency c) { return e.currency.code() < c.code(); });
  if (it == entries_.end() || !(it->currency == amount.currency())) {
    it = entries_.insert(it, Entry{amount.currency(), 0, 0, {}});
  }
  if (__builtin_add_overflow(it->minor, amount.minor_units(), &it->minor)) {
    return Status(ErrorCode::overflow, "sum of " + std::string(amount.currency().code()) +
                                           " amounts overflows at deal '" + std::string(deal_key) + "'");
  }
  ++it->count;
  if (keep_values_) it->values.push_back(amount.minor_units());
  return {};
}

std::int64_t CurrencySums::count() const noexcept {
  std::int64_t n = 0;
  for (const Entry& e : entries_) n += e.count;
  return n;
}

std::string CurrencySums::codes() const {
  std::string s;
  for (const Entry& e : entries_) s += (s.empty() ? "" : ", ") + std::string(e.currency.code());
  return s;
}

Result<AmountSource> AmountSource::create(const EventLog& log, const std::optional<FxConversion>& fx,
                                          Instant report_instant) {
  if (fx && (!fx->table || fx->target.empty())) {
    return Status(ErrorCode::invalid_argument,
                  "currency conversion needs a rate table and a report currency");
  }
  AmountSource s;
  s.log_ = &log;
  s.fx_ = fx;
  s.report_instant_ = report_instant;
  return s;
}

Result<std::optional<Money>> AmountSource::amount(DealId d, std::optional<Instant> closed_at,
                                                  std::optional<Instant> value_as_of) const {
  const std::optional<Money> stored = log_->amount_as_of(d, value_as_of.value_or(report_instant_));
  if (!stored || !fx_) return stored;
  Instant at = report_instant_;
  std::string why = "the report instant";
  if (fx_->policy == FxPolicy::rate_at_created) {
    at = log_->created_at(d);
    why = "created";
  } else if (fx_->policy == FxPolicy::rate_at_close && closed_at) {
    at = *closed_at;
    why = "closed";
  } else if (fx_->policy == FxPolicy::rate_at_close) {
    why = "open: the report instant";
  }
  const Date day = at.date();
  auto converted = fx_->table->convert(*stored, fx_->target, day);
  if (!converted) {
    return converted.status().with_context("deal '" + std::string(log_->deal_key(d)) + "' (" +
                                           std::string(to_string(fx_->policy)) + ", " + why + " " +
                                           format_iso(at) + ", amount " + stored->to_string() + ")");
  }
  return std::optional<Money>(*converted);
}

Result<ConvertedColumns> convert_basis_amounts(const EventLog& log, const Pipeline& pipeline,
                                               const FxConversion& fx, Instant as_of, bool closed_basis,
                                               std::int64_t from, std::int64_t to) {
  auto ctx = ReportContext::create(log, pipeline, std::nullopt, std::nullopt, as_of);
  if (!ctx) return ctx.status();
  auto source = AmountSource::create(log, fx, as_of);
  if (!source) return source.status();
  ConvertedColumns c;
  c.amount.assign(log.deal_count(), 0);
  c.currency.assign(log.deal_count(), kNoCurrency);
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->exists(d) || !log.amount(d)) continue;
    const DealState st = ctx->state(d);
    const bool closed = st.outcome == Outcome::won || st.outcome == Outcome::lost;
    const std::int64_t at = closed_basis ? st.closed_at.unix_seconds() : log.created_column()[i];
    if ((closed_basis && !closed) || at < from || at >= to) continue;
    auto a = source->amount(d, closed ? std::optional<Instant>(st.closed_at) : std::nullopt);
    if (!a) return a.status();
    c.amount[i] = (*a)->minor_units();
    c.currency[i] = 0;
  }
  return c;
}

std::string format_bound(const std::optional<Instant>& t, const char* unbounded) {
  return t ? format_iso(*t) : unbounded;
}

}  // namespace dealflow::analytics::detail
