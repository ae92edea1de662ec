#include "dealflow/analytics/validation.h"

#include "analytics/csv_chunks.h"

#include <algorithm>
#include <numeric>

namespace dealflow::analytics {

std::string_view to_string(IssueKind kind) noexcept {
  switch (kind) {
    case IssueKind::missing_column: return "missing_column";
    case IssueKind::malformed_csv: return "malformed_csv";
    case IssueKind::wrong_field_count: return "wrong_field_count";
    case IssueKind::empty_id: return "empty_id";
    case IssueKind::bad_timestamp: return "bad_timestamp";
    case IssueKind::bad_amount: return "bad_amount";
    case IssueKind::bad_currency: return "bad_currency";
    case IssueKind::duplicate_deal: return "duplicate_deal";
    case IssueKind::unknown_pipeline: return "unknown_pipeline";
    case IssueKind::pipeline_mismatch: return "pipeline_mismatch";
    case IssueKind::unknown_stage: return "unknown_stage";
    case IssueKind::unknown_deal: return "unknown_deal";
    case IssueKind::too_many_actors: return "too_many_actors";
    case IssueKind::event_before_creation: return "event_before_creation";
    case IssueKind::duplicate_event: return "duplicate_event";
    case IssueKind::terminal_exit: return "terminal_exit";
    case IssueKind::undeclared_reopen: return "undeclared_reopen";
    case IssueKind::forbidden_move: return "forbidden_move";
    case IssueKind::bad_date: return "bad_date";
    case IssueKind::bad_probability: return "bad_probability";
    case IssueKind::unknown_field: return "unknown_field";
  }
  return "unknown";
}

bool is_fatal(IssueKind kind) noexcept {
  return kind == IssueKind::missing_column || kind == IssueKind::malformed_csv || kind == IssueKind::too_many_actors;
}

bool is_note(IssueKind kind) noexcept { return kind == IssueKind::undeclared_reopen; }

void LoadReport::add(IssueKind kind, Status example, std::string_view value) {
  const auto k = static_cast<std::size_t>(kind);
  ++counts_[k];
  if (!first_ && !is_note(kind)) first_ = example;
  if (examples_[k].size() < kMaxExamples) examples_[k].push_back(std::move(example));
  if (!value.empty() && values_[k].size() < 100 &&
      std::find(values_[k].begin(), values_[k].end(), value) == values_[k].end()) {
    values_[k].emplace_back(value);
  }
}

void LoadReport::append(const LoadReport& later) {
  for (std::size_t k = 0; k < kIssueKindCount; ++k) {
    counts_[k] += later.counts_[k];
    for (const Status& e : later.examples_[k]) {
      if (examples_[k].size() >= kMaxExamples) break;
      examples_[k].push_back(e);
    }
    for (const std::string& v : later.values_[k]) {
      if (values_[k].size() >= 100) break;
      if (std::find(values_[k].begin(), values_[k].end(), v) == values_[k].end()) values_[k].push_back(v);
    }
  }
  if (!first_ && later.first_) first_ = later.first_;
}


void LoadReport::shift_lines(int lines) {
  for (auto& examples : examples_) {
    for (Status& e : examples) e = csv_detail::shift_line(e, lines);
  }
  if (first_) first_ = csv_detail::shift_line(*first_, lines);
}

std::size_t LoadReport::total() const noexcept {
  std::size_t n = 0;
  for (std::size_t k = 0; k < kIssueKindCount; ++k) n += is_note(static_cast<IssueKind>(k)) ? 0 : counts_[k];
  return n;
}

std::size_t LoadReport::noted() const noexcept {
  return std::accumulate(counts_.begin(), counts_.end(), std::size_t{0}) - total();
}

std::string LoadReport::to_text() const {
  std::string out;
  for (std::size_t k = 0; k < kIssueKindCount; ++k) {
    if (counts_[k] == 0) continue;
    out += to_string(static_cast<IssueKind>(k));
    const char* what = is_note(static_cast<IssueKind>(k)) ? " kept" : " skipped";
    out += ": " + std::to_string(counts_[k]) + (counts_[k] == 1 ? " row" : " rows") + what;
    if (!values_[k].empty()) {
      out += " (values: ";
      for (std::size_t i = 0; i < values_[k].size(); ++i) out += (i ? ", " : "") + values_[k][i];
      out += ")";
    }
    out += "\n";
    for (const auto& e : examples_[k]) out += "  " + e.to_string() + "\n";
  }
  return out;
}

}  // namespace dealflow::analytics
