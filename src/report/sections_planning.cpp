// The "Plan and forecast" section: attainment against plan with the pacing
// expectation, coverage, the Monte Carlo distribution and the backtest's
// accuracy per method, drawn from `dealflow plan`, `dealflow forecast` and
// `dealflow backtest` JSON (see docs/report-sections.md).
#include <algorithm>
#include <cmath>
#include <limits>

#include "dealflow/report/sections.h"
#include "dealflow/report/svg.h"
#include "report/json_read.h"
#include "report/section_parts.h"

namespace dealflow::report {
namespace {

using detail::Decimal;
using detail::joined_lines;
using detail::JsonAt;

constexpr std::string_view kPlanDoc = "plan.json";
constexpr std::string_view kForecastDoc = "forecast.json";
constexpr std::string_view kBacktestDoc = "backtest.json";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Distributions drawn (one chart per forecast row); the summary table lists all rows.
constexpr std::size_t kMaxDistributions = 6;

// A figure of a plan row: the exact text for the table and the value (major
// units of money, or deals) for drawing; NaN and "—" when null.
struct Figure {
  double value = kNaN;
  std::string text = "—";
};

struct PlanRow {
  std::string label;
  std::string period, metric, unit;
  bool money = false;
  int digits = 0;
  std::int64_t plan = 0, fact = 0;  // minor units or counts
  Figure plan_figure, fact_figure, expected_by_now, projection, required_per_day;
  std::optional<double> attainment;
  std::int64_t working_days = 0, elapsed_days = 0;
  bool has_coverage = false, covered = false;
  std::int64_t open_deals = 0;
  Figure pipeline, weighted_pipeline;
  std::optional<double> coverage, weighted_coverage;
};

double scale_of(int digits) {
  return std::pow(10.0, digits);
}

Figure units_figure(std::int64_t units, bool money, int digits) {
  if (money)
    return {static_cast<double>(units) / scale_of(digits), detail::format_minor_units(units, digits)};
  return {static_cast<double>(units), format_number(static_cast<double>(units), 0)};
}

// A derived figure: integer minor units for money, a number for counts, or null.
Result<Figure> read_figure(const JsonAt& row, std::string_view key, bool money, int digits) {
  auto member = row.optional_member(key);
  if (!member) return member.status();
  if (!*member) return Figure{};
  if (money) {
    auto units = (*member)->as_integer();
    if (!units) return units.status();
    return units_figure(*units, true, digits);
  }
  auto value = (*member)->as_number();
  if (!value) return value.status();
  return Figure{*value, format_number(*value, 1)};
}

std::string ratio_text(const std::optional<double>& value, int decimals = 2) {
  return value ? format_number(*value, decimals) : "—";
}
std::string percent_text(const std::optional<double>& fraction) {
  return fraction ? format_percent(*fraction, 1) : "—";
}
std::string percent_text(double fraction) {
  return std::isnan(fraction) ? "—" : format_percent(fraction, 1);
}
double or_nan(const std::optional<double>& value, double factor = 1) {
  return value ? *value * factor : kNaN;
}

std::string metric_label(std::string_view metric, std::string_view unit) {
  if (metric == "won_amount") return "won amount, " + std::string(unit);
  if (metric == "won_count") return "won deals";
  if (metric == "created_count") return "deals created";
  return std::string(metric) + ", " + std::string(unit);
}

Result<PlanRow> read_plan_row(const JsonAt& row) {
  PlanRow r;
  auto scope = row.string("scope");
  if (!scope) return scope.status();
  auto scope_value = row.optional_string("scope_value");
  if (!scope_value) return scope_value.status();
  const std::string value = scope_value->value_or("");
  r.label = *scope == "company" ? "company" : *scope == "manager" ? value : *scope + ": " + value;
  auto period = row.string("period");
  if (!period) return period.status();
  r.period = *period;
  auto metric = row.string("metric");
  if (!metric) return metric.status();
  r.metric = *metric;
  auto currency = row.optional_string("currency");
  if (!currency) return currency.status();
  r.money = currency->has_value();
  r.unit = r.money ? **currency : "deals";
  r.digits = r.money ? detail::minor_digits_of(r.unit) : 0;
  auto plan = row.integer("plan");
  if (!plan) return plan.status();
  auto fact = row.integer("fact");
  if (!fact) return fact.status();
  r.plan = *plan;
  r.fact = *fact;
  r.plan_figure = units_figure(r.plan, r.money, r.digits);
  r.fact_figure = units_figure(r.fact, r.money, r.digits);
  auto attainment = row.optional_number("attainment");
  if (!attainment) return attainment.status();
  r.attainment = *attainment;
  auto expected = read_figure(row, "expected_by_now", r.money, r.digits);
  if (!expected) return expected.status();
  r.expected_by_now = *expected;
  auto projection = read_figure(row, "projection", r.money, r.digits);
  if (!projection) return projection.status();
  r.projection = *projection;
  auto required = read_figure(row, "required_per_day", r.money, r.digits);
  if (!required) return required.status();
  r.required_per_day = *required;
  auto working = row.integer("working_days");
  if (!working) return working.status();
  auto elapsed = row.integer("elapsed_days");
  if (!elapsed) return elapsed.status();
  r.working_days = *working;
  r.elapsed_days = *elapsed;
  auto coverage = row.optional_member("coverage");
  if (!coverage) return coverage.status();
  if (*coverage) {
    const JsonAt& c = **coverage;
    r.has_coverage = true;
    auto covered = c.boolean("covered");
    if (!covered) return covered.status();
    r.covered = *covered;
    auto open = c.integer("open_deals");
    if (!open) return open.status();
    r.open_deals = *open;
    auto pipeline = c.integer("pipeline");
    if (!pipeline) return pipeline.status();
    r.pipeline = units_figure(*pipeline, r.money, r.digits);
    auto weighted = read_figure(c, "weighted_pipeline", r.money, r.digits);
    if (!weighted) return weighted.status();
    r.weighted_pipeline = *weighted;
    auto cov = c.optional_number("coverage");
    if (!cov) return cov.status();
    r.coverage = *cov;
    auto wcov = c.optional_number("weighted_coverage");
    if (!wcov) return wcov.status();
    r.weighted_coverage = *wcov;
  }
  return r;
}

// Rows of one period, metric and unit share the axes of a chart.
struct PlanGroup {
  std::string period, metric, unit;
  std::vector<PlanRow> rows;
};

std::string fact_vs_plan(const PlanGroup& g, const std::vector<std::string>& lines) {
  BarChartSpec spec;
  spec.title = "Plan against fact, " + g.period;
  spec.value_label = metric_label(g.metric, g.unit);
  spec.category_label = "scope";
  Series fact{"fact", {}}, expected{"expected by now", {}}, plan{"plan", {}};
  Table table{spec.title + " (" + spec.value_label + ")",
              {"scope", "plan", "fact", "expected by now", "attainment"},
              {},
              {false, true, true, true, true}};
  for (const auto& r : g.rows) {
    spec.categories.push_back(r.label);
    fact.values.push_back(r.fact_figure.value);
    expected.values.push_back(r.expected_by_now.value);
    plan.values.push_back(r.plan_figure.value);
    table.rows.push_back({r.label, r.plan_figure.text, r.fact_figure.text, r.expected_by_now.text,
                          percent_text(r.attainment)});
  }
  spec.series = {std::move(fact), std::move(expected), std::move(plan)};
  Chart chart = bar_chart(spec);
  chart.table = std::move(table);
  return figure(chart, joined_lines(lines, {"fact:", "attainment =", "money:"}));
}

// The plan JSON carries pacing totals only (working / elapsed days, expected by
// now), not a per-day series: pacing is drawn as attainment against the share
// of the period's working days elapsed.
std::string pacing(const PlanGroup& g, const std::vector<std::string>& lines) {
  BarChartSpec spec;
  spec.title = "Attainment against pacing, " + g.period;
  spec.value_label = "% of plan";
  spec.category_label = "scope";
  spec.value_decimals = 1;
  Series attained{"attainment", {}}, due{"expected to date", {}};
  std::vector<std::string> attained_labels, due_labels;
  Table table{spec.title + " (" + metric_label(g.metric, g.unit) + ")",
              {"scope", "attainment", "expected", "days", "pace", "projection", "required/day"},
              {},
              {false, true, true, true, false, true, true}};
  for (const auto& r : g.rows) {
    // NaN (drawn as no bar, "—" in the table) when the period has no working day.
    const double share = r.working_days > 0 ? static_cast<double>(r.elapsed_days) / r.working_days : kNaN;
    spec.categories.push_back(r.label);
    attained.values.push_back(or_nan(r.attainment, 100));
    due.values.push_back(share * 100);
    attained_labels.push_back(percent_text(r.attainment));
    due_labels.push_back(percent_text(share));
    std::string pace = "—";
    if (r.attainment && !std::isnan(share)) pace = *r.attainment >= share ? "ahead" : "behind";
    table.rows.push_back({r.label, percent_text(r.attainment), percent_text(share),
                          std::to_string(r.elapsed_days) + " of " + std::to_string(r.working_days), pace,
                          r.projection.text, r.required_per_day.text});
  }
  spec.series = {std::move(attained), std::move(due)};
  spec.bar_labels = {std::move(attained_labels), std::move(due_labels)};
  Chart chart = bar_chart(spec);
  chart.table = std::move(table);
  std::string definition =
      "The plan report has pacing totals only (no per-day series), so pacing is drawn as bars: "
      "attainment = fact / plan against expected = the share of the period's working days elapsed (days: "
      "elapsed of working) = expected by now / plan; pace: ahead when attainment >= expected. ";
  return figure(chart, definition + joined_lines(lines, {"pacing on", "days "}));
}

std::string coverage_chart(const PlanGroup& g, const std::vector<std::string>& lines) {
  BarChartSpec spec;
  spec.title = "Pipeline coverage of the remaining plan, " + g.period;
  spec.value_label = "open pipeline / (plan − fact), ×";
  spec.category_label = "scope";
  spec.value_decimals = 2;
  Series plain{"coverage", {}}, weighted{"weighted coverage", {}};
  Table table{spec.title + " (" + metric_label(g.metric, g.unit) + ")",
              {"scope", "open deals", "pipeline", "weighted pipeline", "remaining plan", "coverage",
               "weighted coverage"},
              {},
              {false, true, true, true, true, true, true}};
  for (const auto& r : g.rows) {
    if (!r.has_coverage) continue;
    spec.categories.push_back(r.label);
    plain.values.push_back(or_nan(r.coverage));
    weighted.values.push_back(or_nan(r.weighted_coverage));
    const std::int64_t remaining = r.plan - r.fact;
    table.rows.push_back(
        {r.label, std::to_string(r.open_deals), r.pipeline.text, r.weighted_pipeline.text,
         r.covered ? "covered (fact ≥ plan)" : units_figure(remaining, r.money, r.digits).text,
         ratio_text(r.coverage), ratio_text(r.weighted_coverage)});
  }
  if (spec.categories.empty()) return {};
  spec.series = {std::move(plain), std::move(weighted)};
  Chart chart = bar_chart(spec);
  chart.table = std::move(table);
  return figure(chart, joined_lines(lines, {"coverage ="}));
}

Result<std::string> plan_part(const Json& plan) {
  JsonAt root(plan, kPlanDoc);
  auto lines = detail::definition_lines(root);
  if (!lines) return lines.status();
  auto rows = root.array("rows");
  if (!rows) return rows.status();
  std::vector<PlanGroup> groups;
  std::size_t not_in_force = 0;
  for (const auto& row : *rows) {
    auto in_force = row.optional_bool("in_force", true);
    if (!in_force) return in_force.status();
    auto r = read_plan_row(row);
    if (!r) return r.status();
    if (!*in_force) {
      ++not_in_force;
      continue;
    }
    auto it = std::find_if(groups.begin(), groups.end(), [&](const PlanGroup& g) {
      return g.period == r->period && g.metric == r->metric && g.unit == r->unit;
    });
    if (it == groups.end()) it = groups.insert(groups.end(), PlanGroup{r->period, r->metric, r->unit, {}});
    it->rows.push_back(std::move(*r));
  }
  std::string html = detail::heading("Plan against fact");
  if (groups.empty()) html += paragraph("The plan report has no target in force.", true);
  for (const auto& g : groups) {
    html += fact_vs_plan(g, *lines);
    html += pacing(g, *lines);
    html += coverage_chart(g, *lines);
  }
  if (not_in_force > 0) {
    html += paragraph(std::to_string(not_in_force) + " target version(s) not in force at as-of are left out.",
                      true);
  }
  return html + detail::definitions_html(kPlanDoc, *lines);
}

// Forecast rows: one summary table; a distribution chart per row that has one.
struct ForecastRow {
  std::string method, scope, currency;
  Decimal fact, forecast;
  std::optional<JsonAt> distribution;
};

Result<std::string> distribution_chart(const ForecastRow& row, const std::optional<detail::MoneyText>& target,
                                       const std::vector<std::string>& lines) {
  const JsonAt& d = *row.distribution;
  std::vector<RefLine> refs;
  std::vector<std::pair<std::string, std::string>> ref_cells;  // name, exact amount
  for (const char* key : {"p10", "p50", "p90"}) {
    auto value = d.decimal(key);
    if (!value) return value.status();
    std::string name(key);
    name[0] = 'P';
    ref_cells.emplace_back(name, detail::format_decimal(value->text));
    refs.push_back({value->value, name + " " + ref_cells.back().second});
  }
  if (target && target->currency == row.currency) {
    ref_cells.emplace_back("plan", detail::format_decimal(target->amount.text));
    refs.push_back({target->amount.value, "plan " + ref_cells.back().second});
  }
  const std::string title = "Won amount in the period, " + row.scope + " (" + row.method + ")";
  const std::string unit = "won amount, " + row.currency;
  std::string definition = joined_lines(lines, {"monte-carlo", "P(>= target)", "fact ="});
  auto histogram_member = d.optional_member("histogram");
  if (!histogram_member) return histogram_member.status();
  if (*histogram_member) {
    const JsonAt& h = **histogram_member;
    auto edges = h.array("edges");
    if (!edges) return edges.status();
    auto counts = h.array("counts");
    if (!counts) return counts.status();
    if (edges->size() != counts->size() + 1) {
      return h.error("edges has " + std::to_string(edges->size()) + " elements and counts " +
                     std::to_string(counts->size()) + ": expected one edge more than counts");
    }
    HistogramSpec spec;
    spec.title = title;
    spec.x_label = unit;
    spec.y_label = "trials";
    std::vector<std::string> edge_texts;
    for (const auto& e : *edges) {
      auto edge = e.as_decimal();
      if (!edge) return edge.status();
      if (!spec.edges.empty() && !(edge->value > spec.edges.back()))
        return e.expected("edges in increasing order");
      spec.edges.push_back(edge->value);
      edge_texts.push_back(detail::format_decimal(edge->text));
    }
    Table table{title, {"won amount from", "won amount to", "trials"}, {}, {true, true, true}};
    for (std::size_t i = 0; i < counts->size(); ++i) {
      const JsonAt& c = (*counts)[i];
      auto count = c.as_integer();
      if (!count) return count.status();
      if (*count < 0) return c.expected("a count >= 0");
      spec.counts.push_back(static_cast<double>(*count));
      table.rows.push_back({edge_texts[i], edge_texts[i + 1], std::to_string(*count)});
    }
    for (const auto& [name, amount] : ref_cells) table.rows.push_back({name, amount, ""});
    spec.refs = std::move(refs);
    Chart chart = histogram(spec);
    chart.table = std::move(table);
    return figure(
        chart, "Simulated trials per won-amount bin [from, to); dashed lines: P10, P50, P90 and the plan. " +
                   definition);
  }
  // No histogram in the document: the percentiles (and the plan) as bars.
  BarChartSpec spec;
  spec.title = title;
  spec.value_label = unit;
  spec.category_label = "percentile";
  Series values{"won amount", {}};
  Table table{title, {"percentile", unit}, {}, {false, true}};
  for (std::size_t i = 0; i < refs.size(); ++i) {
    spec.categories.push_back(ref_cells[i].first);
    values.values.push_back(refs[i].value);
    table.rows.push_back({ref_cells[i].first, ref_cells[i].second});
  }
  spec.series = {std::move(values)};
  Chart chart = bar_chart(spec);
  chart.table = std::move(table);
  return figure(chart, "The forecast report has no histogram: only P10, P50, P90 (and the plan) are drawn. " +
                           definition);
}

Result<std::string> forecast_part(const Json& forecast) {
  JsonAt root(forecast, kForecastDoc);
  auto lines = detail::definition_lines(root);
  if (!lines) return lines.status();
  std::optional<detail::MoneyText> target;
  auto definition = root.optional_member("definition");
  if (!definition) return definition.status();
  if (*definition) {
    auto t = (*definition)->optional_money("target");
    if (!t) return t.status();
    target = std::move(*t);
  }
  auto rows = root.array("rows");
  if (!rows) return rows.status();
  Table table{"Forecast of the period's won amount",
              {"method", "scope", "currency", "fact", "forecast", "P10", "P50", "P90", "P(reach plan)"},
              {},
              {false, false, false, true, true, true, true, true, true}};
  std::vector<ForecastRow> drawn;
  std::size_t with_distribution = 0;
  for (const auto& row : *rows) {
    ForecastRow r;
    auto method = row.string("method");
    if (!method) return method.status();
    auto scope = row.string("scope");
    if (!scope) return scope.status();
    auto currency = row.string("currency");
    if (!currency) return currency.status();
    r.method = *method;
    r.scope = *scope;
    r.currency = *currency;
    std::vector<std::string> cells = {r.method, r.scope, r.currency};
    for (const char* key : {"fact", "forecast"}) {
      auto cell = row.decimal(key);
      if (!cell) return cell.status();
      cells.push_back(detail::format_decimal(cell->text));
    }
    auto distribution = row.optional_member("distribution");
    if (!distribution) return distribution.status();
    if (*distribution) {
      for (const char* key : {"p10", "p50", "p90"}) {
        auto cell = (*distribution)->decimal(key);
        if (!cell) return cell.status();
        cells.push_back(detail::format_decimal(cell->text));
      }
      auto reach = (*distribution)->optional_number("p_reach_target");
      if (!reach) return reach.status();
      cells.push_back(percent_text(*reach));
      r.distribution = **distribution;
      if (++with_distribution <= kMaxDistributions) drawn.push_back(std::move(r));
    } else {
      cells.insert(cells.end(), {"—", "—", "—", "—"});
    }
    table.rows.push_back(std::move(cells));
  }
  std::string html = detail::heading("Forecast");
  for (const auto& r : drawn) {
    auto chart = distribution_chart(r, target, *lines);
    if (!chart) return chart.status();
    html += *chart;
  }
  if (with_distribution > kMaxDistributions) {
    html += paragraph("Distributions drawn for the first " + std::to_string(kMaxDistributions) + " of " +
                          std::to_string(with_distribution) + " rows; the table lists all.",
                      true);
  }
  if (with_distribution == 0) {
    html += paragraph(
        "The forecast report has no Monte Carlo distribution (run dealflow forecast --method monte-carlo).",
        true);
  }
  html += table_html(table);
  return html + detail::definitions_html(kForecastDoc, *lines);
}

Result<std::string> backtest_part(const Json& backtest) {
  JsonAt root(backtest, kBacktestDoc);
  auto lines = detail::definition_lines(root);
  if (!lines) return lines.status();
  auto ranking = root.array("ranking");
  if (!ranking) return ranking.status();
  BarChartSpec spec;
  spec.title = "Forecast error per method (backtest)";
  spec.value_label = "WAPE, %";
  spec.category_label = "method";
  spec.value_decimals = 1;
  Series wape_series{"WAPE", {}};
  std::vector<std::string> bar_labels;
  Table table{"Backtest accuracy per method",
              {"rank", "method", "WAPE", "MAPE", "bias", "Brier", "snapshots"},
              {},
              {true, false, true, true, true, true, true}};
  for (const auto& entry : *ranking) {
    auto rank = entry.integer("rank");
    if (!rank) return rank.status();
    auto method = entry.string("method");
    if (!method) return method.status();
    std::optional<double> metrics[4];
    const char* keys[4] = {"wape", "mape", "bias", "brier"};
    for (int i = 0; i < 4; ++i) {
      auto value = entry.optional_number(keys[i]);
      if (!value) return value.status();
      metrics[i] = *value;
    }
    auto pairs = entry.integer("pairs");
    if (!pairs) return pairs.status();
    spec.categories.push_back(*method);
    wape_series.values.push_back(or_nan(metrics[0], 100));
    bar_labels.push_back(percent_text(metrics[0]));
    table.rows.push_back({std::to_string(*rank), *method, percent_text(metrics[0]), percent_text(metrics[1]),
                          percent_text(metrics[2]), ratio_text(metrics[3], 3), std::to_string(*pairs)});
  }
  spec.series = {std::move(wape_series)};
  spec.bar_labels = {std::move(bar_labels)};
  Chart chart = bar_chart(spec);
  chart.table = table;
  std::string html = detail::heading("Forecast accuracy (backtest)");
  html += figure(chart, joined_lines(*lines, {"MAPE =", "rank:"}));
  return html + detail::definitions_html(kBacktestDoc, *lines);
}

}  // namespace

Result<Section> planning_section(const Json* plan, const Json* forecast, const Json* backtest) {
  if (plan == nullptr && forecast == nullptr && backtest == nullptr) {
    return Status(ErrorCode::invalid_argument,
                  "plan and forecast section: no input (plan, forecast and backtest are all missing)");
  }
  Section section{"planning", "Plan and forecast", {}};
  if (plan != nullptr) {
    auto part = plan_part(*plan);
    if (!part) return part.status();
    section.html += *part;
  }
  if (forecast != nullptr) {
    auto part = forecast_part(*forecast);
    if (!part) return part.status();
    section.html += *part;
  }
  if (backtest != nullptr) {
    auto part = backtest_part(*backtest);
    if (!part) return part.status();
    section.html += *part;
  }
  return section;
}

}  // namespace dealflow::report
