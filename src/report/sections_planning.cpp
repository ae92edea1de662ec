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

using detail::joined_lines;
using detail::JsonAt;
using detail::kNaN;
using detail::percent_text;

constexpr std::string_view kPlanDoc = "plan.json";
constexpr std::string_view kForecastDoc = "forecast.json";
constexpr std::string_view kBacktestDoc = "backtest.json";
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
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(member, row.optional_member(key));
  if (!*member) return Figure{};
  if (money) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(units, (*member)->as_integer());
    return units_figure(*units, true, digits);
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, (*member)->as_number());
  return Figure{*value, format_number(*value, 1)};
}

std::string ratio_text(const std::optional<double>& value, int decimals = 2) {
  return value ? format_number(*value, decimals) : "—";
}
// A fraction that may be NaN (nothing due yet) as a percent; "—" for NaN.
std::string share_text(double fraction) {
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
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(scope, row.string("scope"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(scope_value, row.optional_string("scope_value"));
  const std::string value = scope_value->value_or("");
  r.label = *scope == "company" ? "company" : *scope == "manager" ? value : *scope + ": " + value;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(period, row.string("period"));
  r.period = *period;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(metric, row.string("metric"));
  r.metric = *metric;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(currency, row.optional_string("currency"));
  r.money = currency->has_value();
  r.unit = r.money ? **currency : "deals";
  r.digits = r.money ? detail::minor_digits_of(r.unit) : 0;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(plan, row.integer("plan"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(fact, row.integer("fact"));
  r.plan = *plan;
  r.fact = *fact;
  r.plan_figure = units_figure(r.plan, r.money, r.digits);
  r.fact_figure = units_figure(r.fact, r.money, r.digits);
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(attainment, row.optional_number("attainment"));
  r.attainment = *attainment;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(expected, read_figure(row, "expected_by_now", r.money, r.digits));
  r.expected_by_now = *expected;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(projection, read_figure(row, "projection", r.money, r.digits));
  r.projection = *projection;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(required, read_figure(row, "required_per_day", r.money, r.digits));
  r.required_per_day = *required;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(working, row.integer("working_days"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(elapsed, row.integer("elapsed_days"));
  r.working_days = *working;
  r.elapsed_days = *elapsed;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(coverage, row.optional_member("coverage"));
  if (*coverage) {
    const JsonAt& c = **coverage;
    r.has_coverage = true;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(covered, c.boolean("covered"));
    r.covered = *covered;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(open, c.integer("open_deals"));
    r.open_deals = *open;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(pipeline, c.integer("pipeline"));
    r.pipeline = units_figure(*pipeline, r.money, r.digits);
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(weighted, read_figure(c, "weighted_pipeline", r.money, r.digits));
    r.weighted_pipeline = *weighted;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(cov, c.optional_number("coverage"));
    r.coverage = *cov;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(wcov, c.optional_number("weighted_coverage"));
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
    due_labels.push_back(share_text(share));
    std::string pace = "—";
    if (r.attainment && !std::isnan(share)) pace = *r.attainment >= share ? "ahead" : "behind";
    table.rows.push_back({r.label, percent_text(r.attainment), share_text(share),
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
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(lines, detail::definition_lines(root));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(rows, root.array("rows"));
  std::vector<PlanGroup> groups;
  std::size_t not_in_force = 0;
  for (const auto& row : *rows) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(in_force, row.optional_bool("in_force", true));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(r, read_plan_row(row));
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
  std::optional<JsonAt> distribution;
};

Result<std::string> distribution_chart(const ForecastRow& row, const std::optional<detail::MoneyText>& target,
                                       const std::vector<std::string>& lines) {
  const JsonAt& d = *row.distribution;
  std::vector<RefLine> refs;
  std::vector<std::pair<std::string, std::string>> ref_cells;  // name, exact amount
  for (const char* key : {"p10", "p50", "p90"}) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, d.decimal(key));
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
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(histogram_member, d.optional_member("histogram"));
  if (*histogram_member) {
    const JsonAt& h = **histogram_member;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(edges, h.array("edges"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(counts, h.array("counts"));
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
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(edge, e.as_decimal());
      if (!spec.edges.empty() && !(edge->value > spec.edges.back()))
        return e.expected("edges in increasing order");
      spec.edges.push_back(edge->value);
      edge_texts.push_back(detail::format_decimal(edge->text));
    }
    Table table{title, {"won amount from", "won amount to", "trials"}, {}, {true, true, true}};
    for (std::size_t i = 0; i < counts->size(); ++i) {
      const JsonAt& c = (*counts)[i];
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(count, c.as_integer());
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
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(lines, detail::definition_lines(root));
  std::optional<detail::MoneyText> target;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(definition, root.optional_member("definition"));
  if (*definition) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(t, (*definition)->optional_money("target"));
    target = std::move(*t);
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(rows, root.array("rows"));
  Table table{"Forecast of the period's won amount",
              {"method", "scope", "currency", "fact", "forecast", "P10", "P50", "P90", "P(reach plan)"},
              {},
              {false, false, false, true, true, true, true, true, true}};
  std::vector<ForecastRow> drawn;
  std::size_t with_distribution = 0;
  for (const auto& row : *rows) {
    ForecastRow r;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(method, row.string("method"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(scope, row.string("scope"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(currency, row.string("currency"));
    r.method = *method;
    r.scope = *scope;
    r.currency = *currency;
    std::vector<std::string> cells = {r.method, r.scope, r.currency};
    for (const char* key : {"fact", "forecast"}) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(cell, row.decimal(key));
      cells.push_back(detail::format_decimal(cell->text));
    }
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(distribution, row.optional_member("distribution"));
    if (*distribution) {
      for (const char* key : {"p10", "p50", "p90"}) {
        DEALFLOW_REPORT_ASSIGN_OR_RETURN(cell, (*distribution)->decimal(key));
        cells.push_back(detail::format_decimal(cell->text));
      }
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(reach, (*distribution)->optional_number("p_reach_target"));
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
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(chart, distribution_chart(r, target, *lines));
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
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(lines, detail::definition_lines(root));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(ranking, root.array("ranking"));
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
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(rank, entry.integer("rank"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(method, entry.string("method"));
    std::optional<double> metrics[4];
    const char* keys[4] = {"wape", "mape", "bias", "brier"};
    for (int i = 0; i < 4; ++i) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, entry.optional_number(keys[i]));
      metrics[i] = *value;
    }
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(pairs, entry.integer("pairs"));
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
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(part, plan_part(*plan));
    section.html += *part;
  }
  if (forecast != nullptr) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(part, forecast_part(*forecast));
    section.html += *part;
  }
  if (backtest != nullptr) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(part, backtest_part(*backtest));
    section.html += *part;
  }
  return section;
}

}  // namespace dealflow::report
