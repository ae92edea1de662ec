// FunnelPartial: merge (exact, all-or-nothing), memory size, and difference:
// what tells two funnel queries apart, for merge() and finish() errors
// (docs/funnel.md, "Partials"). Serialization is in funnel_partial_json.cpp.
#include <string>
#include <vector>

#include "dealflow/analytics/funnel.h"

namespace dealflow::analytics {
namespace {

std::string instant_text(const std::optional<Instant>& t) {
  return t ? format_iso(*t) : "(unbounded)";
}
std::string text_or_none(const std::string& s) {
  return s.empty() ? "(none)" : s;
}

}  // namespace

Status FunnelPartial::merge(const FunnelPartial& other) {
  if (std::string d = difference(query_, other.query_); !d.empty()) {
    return Status(ErrorCode::invalid_argument, "cannot merge funnel partials of different queries: " + d);
  }
  if (other.counters_.size() != counters_.size() || other.reasons_.size() != reasons_.size() ||
      other.sparse_reasons_ != sparse_reasons_) {
    return Status(ErrorCode::invalid_argument, "cannot merge funnel partials of different plans (" +
                                                   std::to_string(counters_.size()) + " vs " +
                                                   std::to_string(other.counters_.size()) + " counters)");
  }
  const Status overflow(ErrorCode::overflow, "funnel counters overflow int64 when merged");
  // Check every sum first (so that *this is unchanged on error), then add in place.
  auto fits = [](const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (__builtin_add_overflow(a[i], b[i], &sum)) return false;
    }
    return true;
  };
  if (!fits(counters_, other.counters_) || !fits(reasons_, other.reasons_)) return overflow;
  std::vector<ReasonCount> sparse;
  if (!other.sparse_.empty()) {
    // Both sorted by (group, cell): a merge that adds equal keys.
    sparse.reserve(sparse_.size() + other.sparse_.size());
    auto a = sparse_.cbegin(), b = other.sparse_.cbegin();
    auto less = [](const ReasonCount& x, const ReasonCount& y) {
      return x.group != y.group ? x.group < y.group : x.cell < y.cell;
    };
    while (a != sparse_.cend() || b != other.sparse_.cend()) {
      if (b == other.sparse_.cend() || (a != sparse_.cend() && less(*a, *b))) {
        sparse.push_back(*a++);
      } else if (a == sparse_.cend() || less(*b, *a)) {
        sparse.push_back(*b++);
      } else {
        ReasonCount sum = *a++;
        if (__builtin_add_overflow(sum.count, (b++)->count, &sum.count)) return overflow;
        sparse.push_back(sum);
      }
    }
  }
  for (std::size_t i = 0; i < counters_.size(); ++i) counters_[i] += other.counters_[i];
  for (std::size_t i = 0; i < reasons_.size(); ++i) reasons_[i] += other.reasons_[i];
  if (!other.sparse_.empty()) sparse_ = std::move(sparse);
  overflow_ = overflow_ || other.overflow_;
  return {};
}

std::size_t FunnelPartial::memory_bytes() const noexcept {
  return counters_.capacity() * sizeof(std::int64_t) + reasons_.capacity() * sizeof(std::int64_t) +
         sparse_.capacity() * sizeof(ReasonCount);
}

std::string FunnelPartial::difference(const Query& a, const Query& b) {
  auto diff = [](const char* what, const std::string& x, const std::string& y) {
    return std::string(what) + " " + x + " vs " + y;
  };
  if (a.rule != b.rule)
    return diff("counting rule", std::string(to_string(a.rule)), std::string(to_string(b.rule)));
  if (a.basis != b.basis)
    return diff("basis", std::string(to_string(a.basis)), std::string(to_string(b.basis)));
  if (a.from != b.from) return diff("from", instant_text(a.from), instant_text(b.from));
  if (a.to != b.to) return diff("to", instant_text(a.to), instant_text(b.to));
  if (a.as_of != b.as_of) return diff("report instant", format_iso(a.as_of), format_iso(b.as_of));
  if (a.pipeline_id != b.pipeline_id) return diff("pipeline", a.pipeline_id, b.pipeline_id);
  if (a.group_by != b.group_by) return diff("grouping", text_or_none(a.group_by), text_or_none(b.group_by));
  if (a.utc_offset_minutes != b.utc_offset_minutes) {
    return diff("grouping UTC offset (minutes)", std::to_string(a.utc_offset_minutes),
                std::to_string(b.utc_offset_minutes));
  }
  if (a.conversion != b.conversion)
    return diff("currency conversion", text_or_none(a.conversion), text_or_none(b.conversion));
  return {};
}

}  // namespace dealflow::analytics
