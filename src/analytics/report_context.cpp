#include "analytics/report_context.h"

#include <algorithm>
#include <cstdio>

namespace dealflow::analytics::detail {
namespace {

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

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

GroupIndex::GroupIndex(const EventLog& log, const FunnelGrouping& grouping, int utc_offset_minutes)
    : log_(&log), grouping_(grouping), offset_(utc_offset_minutes) {
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
      const std::uint32_t code = log_->dimension(grouping_.dimension).codes[d.value()];
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

Status MoneySum::add(Money amount, std::string_view deal_key) {
  if (count_ == 0) {
    currency_ = amount.currency();
  } else if (!(amount.currency() == currency_)) {
    return Status(ErrorCode::currency_mismatch, "deal '" + std::string(deal_key) + "' is in " +
                                                    std::string(amount.currency().code()) +
                                                    " but others are in " + std::string(currency_.code()) +
                                                    ": sums need one currency (convert the amounts first)");
  }
  if (__builtin_add_overflow(minor_, amount.minor_units(), &minor_)) {
    return Status(ErrorCode::overflow, "sum of amounts overflows at deal '" + std::string(deal_key) + "'");
  }
  ++count_;
  return {};
}

std::optional<Money> MoneySum::total() const {
  if (count_ == 0) return std::nullopt;
  return Money(minor_, currency_);
}

std::string format_bound(const std::optional<Instant>& t, const char* unbounded) {
  return t ? format_iso(*t) : unbounded;
}

}  // namespace dealflow::analytics::detail
