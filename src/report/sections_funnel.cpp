// The "Funnel" section (docs/report.md): from `dealflow funnel --format json`,
// bars per open stage by count and by amount (one chart per currency), step
// conversion with its 95 % Wilson interval and the drop-off, lost-from-stage
// with loss reasons, and the counting rule named. A workspace funnel
// ({"pipelines": [...]}) gives one part per pipeline.
#include <cmath>
#include <limits>
#include <map>

#include "dealflow/report/sections.h"
#include "dealflow/report/svg.h"
#include "report/json_read.h"
#include "report/section_parts.h"

namespace dealflow::report {
namespace {

using detail::JsonAt;
using detail::count_text;
using detail::kNaN;

// A nullable rate with its interval, as read from the funnel JSON.
struct Rate {
  double value = kNaN, low = kNaN, high = kNaN;
  std::string text() const { return std::isnan(value) ? "—" : format_percent(value); }
  std::string interval() const {
    return std::isnan(low) ? "—" : format_number(low * 100, 1) + "–" + format_percent(high);
  }
};

Result<Rate> read_rate(const JsonAt& at, const std::string& key) {
  Rate rate;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, at.optional_number(key));
  if (!*value) return rate;
  rate.value = **value;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(interval, at.optional_member(key + "_interval"));
  if (*interval) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(low, (*interval)->number("low"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(high, (*interval)->number("high"));
    rate.low = *low;
    rate.high = *high;
  }
  return rate;
}

struct Stage {
  std::string id, name;
  std::int64_t reached = 0;
  Rate step, cumulative;
  std::map<std::string, detail::Decimal> amount;  // per currency
};

Result<std::vector<Stage>> read_stages(const JsonAt& root) {
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(items, root.array("stages"));
  std::vector<Stage> stages;
  for (const auto& item : *items) {
    Stage s;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(id, item.string("id"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(name, item.string("name"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(reached, item.integer("reached"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(step, read_rate(item, "step_conversion"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(cumulative, read_rate(item, "cumulative_conversion"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(amounts, item.array("amount"));
    for (const auto& a : *amounts) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(money, a.as_money());
      s.amount[money->currency] = money->amount;
    }
    s.id = *id;
    s.name = *name;
    s.reached = *reached;
    s.step = *step;
    s.cumulative = *cumulative;
    stages.push_back(std::move(s));
  }
  return stages;
}

// Drop-off into stage k: 1 - step conversion (nothing for the first stage).
std::string drop_text(const Rate& step) { return std::isnan(step.value) ? "—" : format_percent(1 - step.value); }

Result<std::string> funnel_part(const JsonAt& root) {
  std::string html;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(definition, root.object("definition"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(rule_text, definition->string("rule_text"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(rule, definition->string("rule"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(basis_text, definition->string("basis_text"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(denominator, definition->string("denominator"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(pipeline, root.object("pipeline"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(pipeline_name, pipeline->string("name"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(deals, root.integer("deals"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(won, root.integer("won"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(lost, root.integer("lost"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(open, root.integer("open"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(win_rate, read_rate(root, "win_rate"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(stages, read_stages(root));

  html += detail::heading("Pipeline " + *pipeline_name);
  html += paragraph(*basis_text + ": " + count_text(*deals) + " deals, " + count_text(*won) + " won, " +
                    count_text(*lost) + " lost, " + count_text(*open) + " open; win rate " + win_rate->text() +
                    " " + win_rate->interval() + " (won / (won + lost), 95 % Wilson).");
  html += paragraph("Counting rule: " + *rule + " — " + *rule_text + ".", true);

  // Deals reaching each stage.
  BarChartSpec counts;
  counts.title = "Deals reaching each open stage";
  counts.value_label = "deals";
  counts.category_label = "stage";
  Series reached{"deals", {}};
  std::vector<std::string> labels;
  Table table{"Deals reaching each open stage, step and cumulative conversion",
              {"stage", "reached", "step conversion", "95 % interval", "drop-off", "cumulative", "95 % interval"},
              {},
              {false, true, true, true, true, true, true}};
  for (const auto& s : *stages) {
    counts.categories.push_back(s.name);
    reached.values.push_back(static_cast<double>(s.reached));
    labels.push_back(count_text(s.reached) +
                     (std::isnan(s.step.value) ? "" : " · drop-off " + drop_text(s.step)));
    table.rows.push_back({s.name, count_text(s.reached), s.step.text(), s.step.interval(), drop_text(s.step),
                          s.cumulative.text(), s.cumulative.interval()});
  }
  counts.series.push_back(std::move(reached));
  counts.bar_labels.push_back(std::move(labels));
  Chart count_chart = bar_chart(counts);
  count_chart.table = std::move(table);
  html += figure(count_chart, "reached(k) = " + *rule_text + "; " + *denominator + ".");

  // Amount reaching each stage, per currency.
  std::map<std::string, std::vector<std::string>> currencies;
  for (const auto& s : *stages) {
    for (const auto& [currency, unused] : s.amount) currencies[currency];
  }
  for (const auto& [currency, unused] : currencies) {
    BarChartSpec amounts;
    amounts.title = "Amount reaching each open stage, " + currency;
    amounts.value_label = "amount, " + currency;
    amounts.category_label = "stage";
    Series values{currency, {}};
    Table t{"Amount of the deals reaching each open stage, " + currency, {"stage", "amount, " + currency}, {},
            {false, true}};
    std::vector<std::string> texts;
    for (const auto& s : *stages) {
      amounts.categories.push_back(s.name);
      const auto it = s.amount.find(currency);
      values.values.push_back(it == s.amount.end() ? 0.0 : it->second.value);
      // A stage without the currency: zero in the currency's minor unit, like its other cells.
      const std::string text = it == s.amount.end()
                                   ? detail::format_minor_units(0, detail::minor_digits_of(currency))
                                   : detail::format_decimal(it->second.text);
      texts.push_back(text);
      t.rows.push_back({s.name, text});
    }
    amounts.series.push_back(std::move(values));
    amounts.bar_labels.push_back(std::move(texts));
    Chart chart = bar_chart(amounts);
    chart.table = std::move(t);
    html += figure(chart, "amount(k) = the sum of the amounts of the deals counted at stage k (" + currency +
                              ", exact decimal in the table).");
  }

  // Step conversion with intervals.
  IntervalChartSpec step;
  step.title = "Step conversion into each open stage, 95 % Wilson interval";
  step.category_label = "stage";
  step.value_label = "step conversion";
  Table step_table{"Step conversion per stage",
                   {"stage", "step conversion", "low", "high"},
                   {},
                   {false, true, true, true}};
  for (const auto& s : *stages) {
    step.categories.push_back(s.name);
    step.values.push_back(s.step.value);
    step.low.push_back(s.step.low);
    step.high.push_back(s.step.high);
    step_table.rows.push_back({s.name, s.step.text(), std::isnan(s.step.low) ? "—" : format_percent(s.step.low),
                               std::isnan(s.step.high) ? "—" : format_percent(s.step.high)});
  }
  Chart step_chart = interval_chart(step);
  step_chart.table = std::move(step_table);
  html += figure(step_chart, "step conversion(k) = reached(k) / reached(k − 1); drop-off = 1 − step conversion; "
                             "the first stage has none.");

  // Lost from each stage, with reasons.
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(lost_from, root.array("lost_from"));
  BarChartSpec losses;
  losses.title = "Deals lost from each stage";
  losses.value_label = "lost deals";
  losses.category_label = "last open stage";
  Series lost_values{"lost", {}};
  Table reasons{"Deals lost from each stage by loss reason", {"stage", "reason", "deals", "share of the stage"},
                {}, {false, false, true, true}};
  for (const auto& item : *lost_from) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(name, item.string("name"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(count, item.integer("count"));
    losses.categories.push_back(*name);
    lost_values.values.push_back(static_cast<double>(*count));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(items, item.array("reasons"));
    std::int64_t listed = 0;
    for (const auto& reason : *items) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(text, reason.optional_string("reason"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(n, reason.integer("count"));
      listed += *n;
      reasons.rows.push_back({*name, !*text || (*text)->empty() ? "(none given)" : **text, count_text(*n),
                              *count > 0 ? format_percent(static_cast<double>(*n) / static_cast<double>(*count))
                                         : "—"});
    }
    if (listed < *count) {
      reasons.rows.push_back({*name, "(no reason)", count_text(*count - listed),
                              format_percent(static_cast<double>(*count - listed) / static_cast<double>(*count))});
    }
  }
  if (!losses.categories.empty()) {
    losses.series.push_back(std::move(lost_values));
    Chart chart = bar_chart(losses);
    html += figure(chart, "lost from stage k = lost deals whose furthest open stage was k (as of the report "
                          "instant); reasons as the CRM recorded them.");
    html += table_html(reasons);
  }
  return html;
}

}  // namespace

Result<Section> funnel_section(const Json& funnel, std::string_view name) {
  Section section{"funnel", "Funnel", {}};
  const JsonAt root(funnel, name);
  if (root.has("pipelines")) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(parts, root.array("pipelines"));
    for (const auto& part : *parts) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(html, funnel_part(part));
      section.html += *html;
    }
    return section;
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(html, funnel_part(root));
  section.html = std::move(*html);
  return section;
}

}  // namespace dealflow::report
