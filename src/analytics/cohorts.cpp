// Created-month cohorts from the funnel's counters: see dealflow/analytics/cohorts.h.
#include "dealflow/analytics/cohorts.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "analytics/report_context.h"

namespace dealflow::analytics {
namespace {

// The month index of a funnel group key "YYYY-MM" (cohort_month_key's form).
std::optional<std::int32_t> parse_month_key(const std::string& key) {
  const std::size_t dash = key.rfind('-');
  if (dash == std::string::npos || dash == 0) return std::nullopt;
  std::int32_t y = 0, m = 0;
  const char* b = key.data();
  if (std::from_chars(b, b + dash, y).ptr != b + dash) return std::nullopt;
  if (std::from_chars(b + dash + 1, b + key.size(), m).ptr != b + key.size() || m < 1 || m > 12)
    return std::nullopt;
  return y * 12 + m - 1;
}

// One row from a funnel group's figures (high-water: reached(k) counts the
// deals whose furthest open stage is k or later, and every won deal).
CohortRow row_of(const FunnelFigures& f, std::string month) {
  CohortRow r;
  r.month = std::move(month);
  r.deals = f.deals;
  r.won = f.won;
  r.lost = f.lost;
  r.open = f.open;
  const std::size_t m = f.stages.size();
  r.furthest.assign(m, 0);
  for (std::size_t k = 0; k < m; ++k)
    r.furthest[k] = f.stages[k].reached - (k + 1 < m ? f.stages[k + 1].reached : f.won);
  r.no_stage = f.deals - (m > 0 ? f.stages[0].reached : f.won);
  r.win_rate = Rate::of(f.won, f.won + f.lost);
  r.won_of_created = Rate::of(f.won, f.deals);
  return r;
}

CohortRow empty_row(std::string month, std::size_t stages) {
  CohortRow r;
  r.month = std::move(month);
  r.furthest.assign(stages, 0);
  r.win_rate = Rate::of(0, 0);
  r.won_of_created = Rate::of(0, 0);
  return r;
}

}  // namespace

std::int32_t cohort_month_index(Instant t, int utc_offset_minutes) noexcept {
  const Date d(static_cast<std::int32_t>(
      floor_div(t.unix_seconds() + std::int64_t{utc_offset_minutes} * 60, std::int64_t{86400})));
  return d.year() * 12 + d.month() - 1;
}

std::string cohort_month_key(std::int32_t index) {
  const std::int32_t y = static_cast<std::int32_t>(floor_div(index, 12));
  const std::int32_t m = index - y * 12 + 1;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(y), static_cast<int>(m));
  return buf;
}

std::optional<double> CohortRow::share(std::uint64_t count) const noexcept {
  if (deals == 0) return std::nullopt;
  return static_cast<double>(count) / static_cast<double>(deals);
}

std::string CohortDefinition::furthest_text() {
  return "furthest stage reached (high-water): won when the deal is won as of the report instant; else the "
         "furthest open stage it entered (lost deals where they got to); no_stage when it entered none; "
         "share = count / deals of the month";
}

std::string CohortDefinition::win_rate_text() {
  return "win rate = won / (won + lost) as of the report instant, open deals left out of the denominator, "
         "95% Wilson interval; won_of_created = won / deals";
}

std::string CohortDefinition::summary() const {
  return "definition: deals of pipeline " + pipeline_id + " created in [" +
         detail::format_bound(from, "-inf") + ", " + detail::format_bound(to, "+inf") +
         ") by created month at UTC offset " + format_utc_offset(utc_offset_minutes) + "; as of " +
         format_iso(as_of);
}

Result<CohortReport> compute_cohorts(const EventLog& log, const Pipeline& pipeline,
                                     const CohortQuery& query) {
  const int offset = query.utc_offset_minutes;
  std::optional<std::int32_t> first, last;
  if (query.from) first = cohort_month_index(*query.from, offset);
  if (query.to) last = cohort_month_index(Instant::from_unix_seconds(query.to->unix_seconds() - 1), offset);
  if (first && last && query.from < query.to && std::int64_t{*last} - *first + 1 > kMaxCohortMonths) {
    return Status(ErrorCode::invalid_argument,
                  "cohorts: [" + format_iso(*query.from) + ", " + format_iso(*query.to) + ") spans " +
                      std::to_string(std::int64_t{*last} - *first + 1) + " months; expected at most " +
                      std::to_string(kMaxCohortMonths));
  }
  FunnelQuery fq;
  fq.rule = CountingRule::high_water;
  fq.basis = FunnelBasis::created;
  fq.from = query.from;
  fq.to = query.to;
  fq.as_of = query.as_of;
  fq.group.kind = FunnelGrouping::Kind::created_month;
  fq.utc_offset_minutes = offset;
  fq.threads = query.threads;
  auto funnel = compute_funnel(log, pipeline, fq);
  if (!funnel) return funnel.status();

  CohortReport report;
  CohortDefinition& def = report.definition;
  def.from = query.from;
  def.to = query.to;
  def.as_of = funnel->definition.as_of;
  def.utc_offset_minutes = offset;
  def.pipeline_id = pipeline.id();
  for (const FunnelStageRow& s : funnel->total.stages) report.stages.push_back({s.stage, s.id, s.name});
  const std::size_t m = report.stages.size();
  report.total = row_of(funnel->total, "total");

  std::vector<std::pair<std::int32_t, const FunnelFigures*>> months;
  for (const FunnelGroup& g : funnel->groups) {
    const auto index = g.key ? parse_month_key(*g.key) : std::nullopt;
    if (!index) continue;  // created_month groups always have a "YYYY-MM" key
    months.emplace_back(*index, &g.figures);
  }
  std::sort(months.begin(), months.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!first && !months.empty()) first = months.front().first;
  if (!last && !months.empty()) last = months.back().first;
  if (!first || !last) return report;  // no deals and an open-ended range
  auto it = months.begin();
  for (std::int32_t month = *first; month <= *last; ++month) {
    while (it != months.end() && it->first < month) ++it;  // outside the range: cannot happen
    if (it != months.end() && it->first == month) {
      report.rows.push_back(row_of(*it->second, cohort_month_key(month)));
      ++it;
    } else {
      report.rows.push_back(empty_row(cohort_month_key(month), m));
    }
  }
  return report;
}

}  // namespace dealflow::analytics
