// Test helper: the funnel, durations and scorecard reports written as plain
// text ("digests") that hold every number of the report but none of the names
// a CRM export changes: stages are labelled by the sample's stage id (through
// a `StageLabel` function), managers by a normalised key, groups sorted by
// that key. Two logs give equal digests exactly when their reports have the
// same numbers; on a mismatch gtest prints both texts.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/scorecard.h"

namespace dealflow::roundtrip {

// Stage id of the report's pipeline -> the label both sides share (the
// sample's stage id, or "lost" when a format merges the lost stages).
using StageLabel = std::function<std::string(std::string_view id)>;
// A group key (manager name, business value) -> the key both sides share.
using KeyMap = std::function<std::string(std::string_view key)>;

inline std::string num(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "-";
}
inline std::string num(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", *v);
  return buf;
}
inline std::string money(const std::vector<Money>& list) {
  std::string out = "[";
  for (const auto& m : list) out += m.to_string() + ";";
  return out + "]";
}
inline std::string rate(const analytics::Rate& r) {
  return std::to_string(r.numerator) + "/" + std::to_string(r.denominator);
}
inline std::string group_key(const std::optional<std::string>& key, const KeyMap& map) {
  return key ? map(*key) : std::string("<empty>");
}

// ---- funnel ----------------------------------------------------------------

inline std::string funnel_figures(const analytics::FunnelFigures& f, const StageLabel& label) {
  std::string out = "deals=" + std::to_string(f.deals) + " won=" + std::to_string(f.won) +
                    " lost=" + std::to_string(f.lost) + " open=" + std::to_string(f.open) +
                    " without_history=" + std::to_string(f.without_history) +
                    " win_rate=" + rate(f.win_rate) +
                    " won_of_created=" + (f.won_of_created ? rate(*f.won_of_created) : "-") +
                    " won_amount=" + money(f.won_amount) + " lost_amount=" + money(f.lost_amount) +
                    " open_amount=" + money(f.open_amount) + "\n";
  for (const auto& r : f.win_rate_by_amount)
    out += "  win_rate_by_amount " + r.numerator.to_string() + "/" + r.denominator.to_string() + "\n";
  for (const auto& s : f.stages)
    out += "  stage " + label(s.id) + " reached=" + std::to_string(s.reached) +
           " step=" + rate(s.step_conversion) + " cumulative=" + rate(s.cumulative_conversion) +
           " amount=" + money(s.amount) + "\n";
  for (const auto& l : f.lost_from) {
    out += "  lost_from " + (l.stage ? label(l.id) : std::string("<none>")) +
           " count=" + std::to_string(l.count) + " amount=" + money(l.amount) + " reasons:";
    for (const auto& [reason, n] : l.reasons) out += " " + reason + "=" + std::to_string(n);
    out += "\n";
  }
  // Lost stages merged by the label (Pipedrive's one "lost" status) add up.
  std::map<std::string, std::uint64_t> lost_to;
  for (const auto& l : f.lost_to) lost_to[label(l.id)] += l.count;
  for (const auto& [id, n] : lost_to) out += "  lost_to " + id + " count=" + std::to_string(n) + "\n";
  return out;
}

inline std::string funnel_digest(const analytics::FunnelReport& r, const StageLabel& label,
                                 const KeyMap& key) {
  std::map<std::string, std::string> groups;
  for (const auto& g : r.groups) groups[group_key(g.key, key)] = funnel_figures(g.figures, label);
  std::string out = "total " + funnel_figures(r.total, label);
  for (const auto& [k, text] : groups) out += "group " + k + ": " + text;
  return out;
}

// ---- durations -------------------------------------------------------------

inline std::string stats(const analytics::DurationStats& s) {
  return std::to_string(s.subjects) + "/" + std::to_string(s.events) + "/" + std::to_string(s.censored) +
         "/" + std::to_string(s.competing) + " p25=" + num(s.p25) + " median=" + num(s.median) +
         " p75=" + num(s.p75) + " p90=" + num(s.p90);
}

inline std::string duration_figures(const analytics::DurationFigures& f, const StageLabel& label) {
  std::string out = "deals=" + std::to_string(f.deals) + " won=" + std::to_string(f.won) +
                    " lost=" + std::to_string(f.lost) + " open=" + std::to_string(f.open) +
                    " without_history=" + std::to_string(f.without_history) + "\n";
  for (const auto& s : f.stages)
    out += "  stage " + label(s.id) + " visits=" + std::to_string(s.visits) +
           " now=" + std::to_string(s.in_stage_now) + "\n    first " + stats(s.first_visit) +
           "\n    latest " + stats(s.latest_visit) + "\n    cumulative " + stats(s.cumulative) + "\n";
  out += "  to_close " + stats(f.cycle.to_close) + "\n  to_won " + stats(f.cycle.to_won) + "\n  to_lost " +
         stats(f.cycle.to_lost) + "\n  incidence won=" + num(f.cycle.won_incidence) +
         " lost=" + num(f.cycle.lost_incidence) + "\n";
  return out;
}

inline std::string durations_digest(const analytics::DurationReport& r, const StageLabel& label,
                                    const KeyMap& key) {
  std::map<std::string, std::string> groups;
  for (const auto& g : r.groups) groups[group_key(g.key, key)] = duration_figures(g.figures, label);
  std::string out = "total " + duration_figures(r.total, label);
  for (const auto& [k, text] : groups) out += "group " + k + ": " + text;
  return out;
}

// ---- scorecard -------------------------------------------------------------

inline std::string score_figures(const analytics::ScorecardFigures& f) {
  std::string out = "taken=" + std::to_string(f.taken) + " won=" + std::to_string(f.won) +
                    " lost=" + std::to_string(f.lost) + " open=" + std::to_string(f.open) +
                    " win_rate=" + num(f.win_rate) + " won_with_amount=" + std::to_string(f.won_with_amount);
  for (const auto& a : f.by_currency)
    out += " [" + std::string(a.currency.code()) + " n=" + std::to_string(a.won_with_amount) +
           " sum=" + a.won_amount.to_string() + " avg=" + a.average_won_amount.to_string() +
           " median=" + a.median_won_amount.to_string() + "]";
  out += " median_cycle=" + num(f.median_cycle_seconds);
  return out;
}

// `value_key` maps the business split's keys (the channel keys are kept).
inline std::string score_row(const analytics::ScorecardRow& row, const KeyMap& value_key) {
  std::string out =
      "  current " + score_figures(row.current) + "\n  previous " + score_figures(row.previous) + "\n";
  for (const auto* splits : {&row.by_business, &row.by_channel}) {
    std::map<std::string, std::string> sorted;
    const KeyMap identity = [](std::string_view k) { return std::string(k); };
    for (const auto& s : *splits)
      sorted[group_key(s.key, splits == &row.by_business ? value_key : identity)] =
          "    current " + score_figures(s.current) + "\n    previous " + score_figures(s.previous) + "\n";
    out += splits == &row.by_business ? "  by business\n" : "  by channel\n";
    for (const auto& [k, text] : sorted) out += "   " + k + ":\n" + text;
  }
  return out;
}

// `with_rank`: ranks break ties of the won amount by the manager's bytes, so
// they are compared only when the names are the same on both sides.
inline std::string scorecard_digest(const analytics::ScorecardReport& r, const KeyMap& manager,
                                    const KeyMap& value_key, bool with_rank) {
  std::map<std::string, std::string> rows;
  for (const auto& m : r.managers) {
    std::string head = group_key(m.manager, manager);
    if (with_rank) head += " rank=" + (m.rank ? std::to_string(*m.rank) : std::string("-"));
    rows[group_key(m.manager, manager)] = head + "\n" + score_row(m, value_key);
  }
  std::string out = "rank_by=" + r.definition.rank_by + "\nteam\n" + score_row(r.team, value_key);
  for (const auto& [k, text] : rows) out += "manager " + text;
  return out;
}

}  // namespace dealflow::roundtrip
