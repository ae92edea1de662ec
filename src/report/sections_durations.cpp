// The "Cohorts" and "Durations" sections (docs/report.md): from `dealflow
// cohorts --format json`, the heat map created month x furthest stage reached
// and the win rate per created month with its Wilson interval; from `dealflow
// durations --curves --format json`, the Kaplan-Meier curve of time to close
// with its censoring ticks and median, the cumulative incidence of won and lost
// (Aalen-Johansen) and the time in each stage.
#include <algorithm>
#include <cmath>
#include <limits>

#include "dealflow/report/sections.h"
#include "dealflow/report/svg.h"
#include "report/json_read.h"
#include "report/section_parts.h"

namespace dealflow::report {
namespace {

using detail::JsonAt;
using detail::count_text;
using detail::kNaN;

// Rows of a curve's table: every k-th point so that at most this many remain (and the last).
constexpr std::size_t kCurveTableRows = 24;

// Seconds shown in days; working seconds (a business calendar) in working hours.
struct TimeUnit {
  double seconds = 86400;
  std::string name = "days";
  std::string suffix = " d";
};

TimeUnit unit_of(std::string_view unit) {
  if (unit == "seconds") return {};
  return {3600, "working hours", " wh"};
}

std::string time_text(double seconds, const TimeUnit& unit) {
  return format_number(seconds / unit.seconds, 1) + unit.suffix;
}

Result<std::string> optional_time(const JsonAt& at, std::string_view key, const TimeUnit& unit) {
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, at.optional_number(key));
  return *value ? time_text(**value, unit) : std::string("—");
}

std::vector<std::size_t> table_points(std::size_t n) {
  std::vector<std::size_t> out;
  if (n == 0) return out;
  const std::size_t stride = (n + kCurveTableRows - 1) / kCurveTableRows;
  for (std::size_t i = 0; i < n; i += stride) out.push_back(i);
  if (out.back() != n - 1) out.push_back(n - 1);
  return out;
}

Result<std::string> survival_part(const JsonAt& root, const TimeUnit& unit) {
  std::string html;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(curves, root.object("curves"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(points, curves->array("time_to_close"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(censor, curves->array("censor_times"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(incidence, curves->array("incidence"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(cycle, root.object("cycle"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(to_close, cycle->object("to_close"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(subjects, to_close->integer("subjects"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(events, to_close->integer("events"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(censored, to_close->integer("censored"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(median, to_close->optional_number("median"));

  LineChartSpec km;
  km.title = "Time to close (Kaplan–Meier): share of deals still open";
  km.x_label = "time since created, " + unit.name;
  km.y_label = "share still open";
  km.step = true;
  km.markers = false;
  km.y_percent = true;
  km.y_min = 0;
  km.y_max = 1;
  km.x_decimals = 1;
  Series s{"still open", {}};
  Table table{"Kaplan–Meier S(t) of time to close (every " + std::string("k-th step, and the last)"),
              {"t, " + unit.name, "S(t)", "at risk", "closed at t", "censored at t"},
              {},
              {true, true, true, true, true}};
  km.x.push_back(0);
  s.values.push_back(1);
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : *points) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(t, p.number("t"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(survival, p.number("survival"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(at_risk, p.integer("at_risk"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(n_events, p.integer("events"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(n_censored, p.integer("censored"));
    km.x.push_back(*t / unit.seconds);
    s.values.push_back(*survival);
    rows.push_back({format_number(*t / unit.seconds, 1), format_percent(*survival, 2), count_text(*at_risk),
                    count_text(*n_events), count_text(*n_censored)});
  }
  for (std::size_t i : table_points(rows.size())) table.rows.push_back(rows[i]);
  table.caption = "Kaplan–Meier S(t) of time to close: " + std::to_string(table.rows.size()) + " of " +
                  std::to_string(rows.size()) + " steps";
  for (const auto& c : *censor) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(t, c.as_number());
    km.censor_x.push_back(*t / unit.seconds);
  }
  // S(t) holds its last value up to the last censoring time: the curve (and
  // so the x axis) goes on to there, or the ticks after the last close would
  // fall outside the chart and not be drawn.
  if (!km.censor_x.empty()) {
    const double last_censor = *std::max_element(km.censor_x.begin(), km.censor_x.end());
    if (last_censor > km.x.back()) {
      km.x.push_back(last_censor);
      s.values.push_back(s.values.back());
    }
  }
  km.censor_series = 0;
  km.series.push_back(std::move(s));
  if (*median) km.x_refs.push_back({**median / unit.seconds, "median " + time_text(**median, unit)});
  Chart chart = line_chart(km);
  chart.table = std::move(table);
  html += figure(chart, "S(t) = the Kaplan–Meier estimate of the share of deals not yet closed (won or lost) "
                        "t after creation; open deals are censored at their age at the report instant (ticks). " +
                            count_text(*subjects) + " deals, " + count_text(*events) + " closed, " +
                            count_text(*censored) + " censored; median = the smallest t with S(t) ≤ 50 %" +
                            (*median ? "" : " (not reached)") + ".");

  LineChartSpec cif;
  cif.title = "Cumulative incidence of won and lost (Aalen–Johansen)";
  cif.x_label = km.x_label;
  cif.y_label = "share of deals";
  cif.step = true;
  cif.markers = false;
  cif.y_percent = true;
  cif.y_min = 0;
  cif.x_decimals = 1;
  Series won{"won", {}}, lost{"lost", {}};
  Table cif_table{"", {"t, " + unit.name, "won", "lost", "still open"}, {}, {true, true, true, true}};
  cif.x.push_back(0);
  won.values.push_back(0);
  lost.values.push_back(0);
  std::vector<std::vector<std::string>> cif_rows;
  for (const auto& p : *incidence) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(t, p.number("t"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(w, p.number("won"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(l, p.number("lost"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(open, p.number("survival"));
    cif.x.push_back(*t / unit.seconds);
    won.values.push_back(*w);
    lost.values.push_back(*l);
    cif_rows.push_back({format_number(*t / unit.seconds, 1), format_percent(*w, 2), format_percent(*l, 2),
                        format_percent(*open, 2)});
  }
  for (std::size_t i : table_points(cif_rows.size())) cif_table.rows.push_back(cif_rows[i]);
  cif_table.caption = "Cumulative incidence of won and lost: " + std::to_string(cif_table.rows.size()) + " of " +
                      std::to_string(cif_rows.size()) + " steps";
  cif.series.push_back(std::move(won));
  cif.series.push_back(std::move(lost));
  Chart cif_chart = line_chart(cif);
  cif_chart.table = std::move(cif_table);
  html += figure(cif_chart, "CIF_won(t) = the share of deals won within t of creation, with lost deals as a "
                            "competing event (Aalen–Johansen; likewise lost); won + lost + still open = 100 % "
                            "at every t.");
  return html;
}

Result<std::string> stages_part(const JsonAt& root, const TimeUnit& unit) {
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(stages, root.array("stages"));
  BarChartSpec spec;
  spec.title = "Time in stage: median total time per deal";
  spec.value_label = "median time in stage, " + unit.name;
  spec.category_label = "stage";
  spec.value_decimals = 1;
  Series median{"median", {}};
  std::vector<std::string> labels;
  Table table{"Total time a deal spends in each stage (all its visits)",
              {"stage", "deals", "still in the stage", "p25", "median", "p75", "p90"},
              {},
              {false, true, true, true, true, true, true}};
  for (const auto& stage : *stages) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(name, stage.string("name"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(cumulative, stage.object("cumulative"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(subjects, cumulative->integer("subjects"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(censored, cumulative->integer("censored"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(m, cumulative->optional_number("median"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(p25, optional_time(*cumulative, "p25", unit));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(p50, optional_time(*cumulative, "median", unit));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(p75, optional_time(*cumulative, "p75", unit));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(p90, optional_time(*cumulative, "p90", unit));
    spec.categories.push_back(*name);
    median.values.push_back(*m ? **m / unit.seconds : kNaN);
    labels.push_back(*p50 + " · p90 " + *p90);
    table.rows.push_back({*name, count_text(*subjects), count_text(*censored), *p25, *p50, *p75, *p90});
  }
  spec.series.push_back(std::move(median));
  spec.bar_labels.push_back(std::move(labels));
  Chart chart = bar_chart(spec);
  chart.table = std::move(table);
  return figure(chart, "time in stage = the total time a deal spent in the stage over all its visits (Kaplan–"
                       "Meier: a deal still in the stage is censored at the report instant); quantiles of the "
                       "deals that entered the stage.");
}

}  // namespace

Result<Section> durations_section(const Json& durations, std::string_view name) {
  const JsonAt root(durations, name);
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(definition, root.object("definition"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(unit_name, definition->string("unit"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(as_of, definition->string("as_of"));
  if (*unit_name != "seconds" && *unit_name != "working seconds") {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(unit_node, definition->member("unit"));
    return unit_node->expected("\"seconds\" or \"working seconds\"");
  }
  const TimeUnit unit = unit_of(*unit_name);
  Section section{"durations", "Durations", {}};
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(deals, root.integer("deals"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(won, root.integer("won"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(lost, root.integer("lost"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(open, root.integer("open"));
  section.html += paragraph(count_text(*deals) + " deals: " + count_text(*won) + " won, " + count_text(*lost) +
                            " lost, " + count_text(*open) + " open at the report instant " + *as_of + "; times in " +
                            unit.name + (*unit_name == "seconds" ? "" : " (the business calendar's working time)") +
                            ".");
  if (root.has("curves")) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(html, survival_part(root, unit));
    section.html += *html;
  } else {
    section.html += paragraph("No curves in this document (run dealflow durations with --curves).", true);
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(stages, stages_part(root, unit));
  section.html += *stages;
  return section;
}

Result<Section> cohorts_section(const Json& cohorts, std::string_view name) {
  Section section{"cohorts", "Cohorts", {}};
  const JsonAt top(cohorts, name);
  std::vector<JsonAt> parts;
  if (top.has("pipelines")) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(items, top.array("pipelines"));
    parts = *items;
  } else {
    parts.push_back(top);
  }
  for (const auto& root : parts) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(definition, root.object("definition"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(pipeline, definition->string("pipeline"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(furthest, definition->string("furthest"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(win_rule, definition->string("win_rate"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(stages, root.array("stages"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(months, root.array("months"));
    HeatMapSpec heat;
    heat.title = "Furthest stage reached by created month, share of the month's deals";
    heat.row_label = "created month";
    heat.column_label = "furthest stage reached";
    heat.columns.push_back("no stage");
    for (const auto& stage : *stages) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(stage_name, stage.string("name"));
      heat.columns.push_back(*stage_name);
    }
    heat.columns.push_back("won");
    IntervalChartSpec rate;
    rate.title = "Win rate by created month, 95 % Wilson interval";
    rate.category_label = "created month";
    rate.value_label = "win rate";
    std::vector<std::string> month_deals;
    Table rate_table{"Win rate by created month", {"month", "deals", "won", "lost", "open", "win rate", "95 % interval"},
                     {}, {false, true, true, true, true, true, true}};
    for (const auto& month : *months) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(label, month.string("month"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(deals, month.integer("deals"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(f, month.object("furthest"));
      std::vector<double> shares;
      std::vector<std::string> texts;
      auto add = [&](const JsonAt& cell) -> Status {
        auto count = cell.integer("count");
        if (!count) return count.status();
        auto share = cell.optional_number("share");
        if (!share) return share.status();
        shares.push_back(share->value_or(kNaN));
        texts.push_back(count_text(*count) + " of " + count_text(*deals));
        return {};
      };
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(none, f->object("no_stage"));
      if (auto st = add(*none); !st.ok()) return st;
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(cells, f->array("stages"));
      if (cells->size() != stages->size()) {
        return f->error("furthest.stages has " + std::to_string(cells->size()) + " entries, expected one per stage (" +
                        std::to_string(stages->size()) + ")");
      }
      for (const auto& cell : *cells) {
        if (auto st = add(cell); !st.ok()) return st;
      }
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(won_cell, f->object("won"));
      if (auto st = add(*won_cell); !st.ok()) return st;
      heat.rows.push_back(*label);
      month_deals.push_back(count_text(*deals));
      heat.shares.push_back(std::move(shares));
      heat.cell_text.push_back(std::move(texts));

      DEALFLOW_REPORT_ASSIGN_OR_RETURN(won, month.integer("won"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(lost, month.integer("lost"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(open, month.integer("open"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(wr, month.object("win_rate"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, wr->optional_number("value"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(low, wr->optional_number("low"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(high, wr->optional_number("high"));
      rate.categories.push_back(*label);
      rate.values.push_back(value->value_or(kNaN));
      rate.low.push_back(low->value_or(kNaN));
      rate.high.push_back(high->value_or(kNaN));
      rate_table.rows.push_back({*label, count_text(*deals), count_text(*won), count_text(*lost), count_text(*open),
                                 *value ? format_percent(**value) : "—",
                                 *low && *high ? format_number(**low * 100, 1) + "–" + format_percent(**high)
                                               : "—"});
    }
    section.html += detail::heading("Pipeline " + *pipeline);
    Chart heat_chart = heat_map(heat);
    Table heat_table{heat.title, {"month", "deals"}, {}, {false, true}};
    for (const auto& column : heat.columns) {
      heat_table.header.push_back(column);
      heat_table.numeric.push_back(true);
    }
    for (std::size_t r = 0; r < heat.rows.size(); ++r) {
      std::vector<std::string> row{heat.rows[r], month_deals[r]};
      for (double share : heat.shares[r]) row.push_back(std::isnan(share) ? "—" : format_percent(share));
      heat_table.rows.push_back(std::move(row));
    }
    heat_chart.table = std::move(heat_table);
    section.html += figure(heat_chart, "share = deals of the month whose furthest stage reached is the column / "
                                       "deals created in the month (a row adds up to 100 %). " + *furthest + ".");
    Chart rate_chart = interval_chart(rate);
    rate_chart.table = std::move(rate_table);
    section.html += figure(rate_chart, *win_rule + "; months without a closed deal have none.");
  }
  return section;
}

}  // namespace dealflow::report
