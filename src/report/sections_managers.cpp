// The "Managers" section: the scorecard with the previous period and the
// change, new against repeat business, and a small-multiple funnel per manager,
// drawn from `dealflow scorecard` and `dealflow funnel --by manager` JSON (see
// docs/report-sections.md).
#include <algorithm>
#include <cmath>
#include <limits>

#include "dealflow/core/money.h"
#include "dealflow/report/sections.h"
#include "dealflow/report/svg.h"
#include "report/json_read.h"
#include "report/section_parts.h"

namespace dealflow::report {
namespace {

using detail::JsonAt;
using detail::kNaN;
using detail::percent_text;
using detail::MoneyText;

constexpr std::string_view kScorecardDoc = "scorecard.json";
constexpr std::string_view kFunnelDoc = "funnel_by_manager.json";
// Panels of the funnel per manager: the largest managers by deals.
constexpr std::size_t kMaxFunnelPanels = 12;

// The figures of one period of a scorecard row (or of one split value).
struct Figures {
  std::int64_t taken = 0, won = 0, lost = 0, open = 0;
  std::optional<double> win_rate;
  std::optional<MoneyText> won_amount;  // set when the period's won amount is in one currency
  std::string won_amount_text = "—";    // exact, with the currency code(s)
};

struct ScoreRow {
  std::string manager;
  std::optional<std::int64_t> rank;
  Figures current, previous;
  struct Split {
    std::string key;
    Figures current, previous;
  };
  std::vector<Split> by_business;
  bool has_by_business = false;
};

std::string money_text(const MoneyText& m) {
  return detail::format_decimal(m.amount.text) + " " + m.currency;
}

Result<Figures> read_figures(const JsonAt& at) {
  Figures f;
  for (auto [key, out] :
       {std::pair{"taken", &f.taken}, {"won", &f.won}, {"lost", &f.lost}, {"open", &f.open}}) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, at.integer(key));
    *out = *value;
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(win_rate, at.optional_number("win_rate"));
  f.win_rate = *win_rate;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(won_amount, at.optional_money("won_amount"));
  f.won_amount = *won_amount;
  if (f.won_amount) {
    f.won_amount_text = money_text(*f.won_amount);
    return f;
  }
  // Several currencies: the single field is null, the amounts are per currency.
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(by_currency, at.optional_member("by_currency"));
  if (!*by_currency) return f;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(entries, (*by_currency)->elements());
  std::string text;
  for (const auto& entry : *entries) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(amount, entry.decimal("won_amount"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(currency, entry.string("currency"));
    if (!text.empty()) text += "; ";
    text += money_text({*amount, *currency});
  }
  if (!text.empty()) f.won_amount_text = text;
  return f;
}

// The won amount for a table cell: without the currency code when it is the
// table's currency (named in the header), with the code(s) otherwise.
std::string amount_cell(const Figures& f, std::string_view currency) {
  if (f.won_amount && f.won_amount->currency == currency)
    return detail::format_decimal(f.won_amount->amount.text);
  return f.won_amount_text;
}

// current − previous, exact; a missing amount counts as zero, "—" across
// currencies; the code is written unless it is the table's `currency`.
std::string amount_change(const Figures& current, const Figures& previous, std::string_view currency_shown) {
  const auto& a = current.won_amount;
  const auto& b = previous.won_amount;
  if (!a && !b) return "—";
  if ((!a && current.won != 0) || (!b && previous.won != 0)) return "—";  // per currency only
  const std::string code = a ? a->currency : b->currency;
  if (a && b && a->currency != b->currency) return "—";
  auto currency = Currency::parse(code);
  if (!currency) return "—";
  auto minor = [&](const std::optional<MoneyText>& m) -> std::optional<std::int64_t> {
    if (!m) return 0;
    auto parsed = Money::parse(m->amount.text, *currency);
    if (!parsed) return std::nullopt;
    return parsed->minor_units();
  };
  const auto x = minor(a), y = minor(b);
  if (!x || !y) return "—";
  auto difference = Money(*x, *currency).try_subtract(Money(*y, *currency));
  if (!difference) return "—";
  const std::int64_t units = difference->minor_units();
  return (units > 0 ? "+" : "") + detail::format_minor_units(units, currency->minor_digits()) +
         (code == currency_shown ? "" : " " + code);
}

Result<ScoreRow> read_score_row(const JsonAt& at, bool team) {
  ScoreRow row;
  if (team) {
    row.manager = "team";
  } else {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(manager, at.optional_string("manager"));
    row.manager = manager->value_or("(no manager)");
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(rank, at.optional_member("rank"));
    if (*rank) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, (*rank)->as_integer());
      row.rank = *value;
    }
  }
  for (auto [key, out] : {std::pair{"current", &row.current}, {"previous", &row.previous}}) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(period, at.object(key));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(figures, read_figures(*period));
    *out = std::move(*figures);
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(splits, at.optional_member("by_business"));
  if (*splits) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(elements, (*splits)->elements());
    row.has_by_business = true;
    for (const auto& split : *elements) {
      ScoreRow::Split s;
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(key, split.optional_string("key"));
      s.key = key->value_or("(none)");
      for (auto [period_key, out] : {std::pair{"current", &s.current}, {"previous", &s.previous}}) {
        DEALFLOW_REPORT_ASSIGN_OR_RETURN(period, split.object(period_key));
        DEALFLOW_REPORT_ASSIGN_OR_RETURN(figures, read_figures(*period));
        *out = std::move(*figures);
      }
      row.by_business.push_back(std::move(s));
    }
  }
  return row;
}

// The won amount for drawing: the single-currency amount in `currency`, else NaN.
double drawn_amount(const Figures& f, std::string_view currency) {
  if (f.won_amount) return f.won_amount->currency == currency ? f.won_amount->amount.value : kNaN;
  return f.won == 0 ? 0 : kNaN;
}

Result<std::string> scorecard_part(const Json& scorecard) {
  JsonAt root(scorecard, kScorecardDoc);
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(definition, root.object("definition"));
  std::string period_text;
  for (const char* key : {"from", "to", "previous_from", "previous_to"}) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(value, definition->string(key));
    period_text += (period_text.empty()                   ? ""
                    : std::string(key) == "previous_from" ? " against "
                                                          : " – ") +
                   *value;
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(text, definition->optional_string("text"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(managers, root.array("managers"));
  std::vector<ScoreRow> rows;
  for (const auto& m : *managers) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(row, read_score_row(m, false));
    rows.push_back(std::move(*row));
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(team_at, root.object("team"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(team, read_score_row(*team_at, true));

  // The chart's axis currency: the team's, when its won amount is in one currency.
  const std::string currency = team->current.won_amount    ? team->current.won_amount->currency
                               : team->previous.won_amount ? team->previous.won_amount->currency
                                                           : "";
  const std::string amount_header = "won amount" + (currency.empty() ? std::string() : ", " + currency);
  BarChartSpec spec;
  spec.title = "Won amount per manager, this period and the previous one";
  spec.value_label = "won amount" + (currency.empty() ? std::string() : ", " + currency);
  spec.category_label = "manager";
  Series now{"this period", {}}, before{"previous period", {}};
  // Two tables, each narrow enough for an A4 page: the amounts the chart draws
  // (its accessible table) and the deal counts.
  Table amounts{"Won amount per manager: " + period_text + " (prev. = the previous period)",
                {"rank", "manager", amount_header, "prev.", "change"},
                {},
                {true, false, true, true, true}};
  Table counts{"Deals per manager: " + period_text + " (prev. = the previous period)",
               {"manager", "taken", "prev.", "won", "prev.", "lost", "open", "win rate", "prev."},
               {},
               {false, true, true, true, true, true, true, true, true}};
  auto add_row = [&](const ScoreRow& r) {
    amounts.rows.push_back({r.rank ? std::to_string(*r.rank) : "—", r.manager,
                            amount_cell(r.current, currency), amount_cell(r.previous, currency),
                            amount_change(r.current, r.previous, currency)});
    counts.rows.push_back({r.manager, std::to_string(r.current.taken), std::to_string(r.previous.taken),
                           std::to_string(r.current.won), std::to_string(r.previous.won),
                           std::to_string(r.current.lost), std::to_string(r.current.open),
                           percent_text(r.current.win_rate), percent_text(r.previous.win_rate)});
  };
  for (const auto& r : rows) {
    spec.categories.push_back(r.manager);
    now.values.push_back(drawn_amount(r.current, currency));
    before.values.push_back(drawn_amount(r.previous, currency));
    add_row(r);
  }
  add_row(*team);
  spec.series = {std::move(now), std::move(before)};
  Chart chart = bar_chart(spec);
  chart.table = std::move(amounts);
  std::string html = detail::heading("Scorecard");
  html += figure(chart, "Period " + period_text + ". " + text->value_or(""));
  html += table_html(counts);

  // New against repeat business.
  html += detail::heading("New and repeat business");
  if (!team->has_by_business || team->by_business.empty()) {
    html += paragraph(
        "New vs repeat: missing (the scorecard JSON has no split by business: the deals have neither a "
        "business nor a client column).",
        true);
    return html;
  }
  BarChartSpec split_spec;
  split_spec.title = "Won deals per manager, new and repeat business (this period)";
  split_spec.value_label = "won deals";
  split_spec.category_label = "manager";
  Table split_table{"New and repeat business: " + period_text + " (prev. = the previous period)",
                    {"manager", "business", "taken", "won", "win rate", amount_header, "won prev.", "prev."},
                    {},
                    {false, false, true, true, true, true, true, true}};
  for (const auto& split : team->by_business) split_spec.series.push_back({split.key, {}});
  auto add_splits = [&](const ScoreRow& r) {
    for (const auto& s : r.by_business) {
      split_table.rows.push_back({r.manager, s.key, std::to_string(s.current.taken),
                                  std::to_string(s.current.won), percent_text(s.current.win_rate),
                                  amount_cell(s.current, currency), std::to_string(s.previous.won),
                                  amount_cell(s.previous, currency)});
    }
  };
  for (const auto& r : rows) {
    split_spec.categories.push_back(r.manager);
    for (auto& series : split_spec.series) {
      auto it = std::find_if(r.by_business.begin(), r.by_business.end(),
                             [&](const ScoreRow::Split& s) { return s.key == series.name; });
      series.values.push_back(it == r.by_business.end() ? 0 : static_cast<double>(it->current.won));
    }
    add_splits(r);
  }
  add_splits(*team);
  Chart split_chart = bar_chart(split_spec);
  split_chart.table = std::move(split_table);
  html += figure(
      split_chart,
      "Won deals of the period by the deal's business value (new / repeat); a manager without a deal of "
      "a kind shows 0. The team rows cover every deal, including those without a manager.");
  return html;
}

Result<std::string> manager_funnel_part(const Json& funnel) {
  JsonAt root(funnel, kFunnelDoc);
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(stages, root.array("stages"));
  std::vector<std::string> stage_ids;
  SmallMultiplesSpec spec;
  spec.title = "Funnel per manager: deals reaching each open stage";
  spec.value_label = "deals reached";
  for (const auto& stage : *stages) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(id, stage.string("id"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(name, stage.string("name"));
    stage_ids.push_back(*id);
    spec.categories.push_back(*name);
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(groups, root.array("groups"));
  struct Panel {
    std::string title;
    std::int64_t deals = 0;
    std::vector<double> reached;
  };
  std::vector<Panel> panels;
  for (const auto& group : *groups) {
    Panel panel;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(key, group.optional_string("key"));
    panel.title = key->value_or("(no manager)");
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(deals, group.integer("deals"));
    panel.deals = *deals;
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(group_stages, group.array("stages"));
    if (group_stages->size() != stage_ids.size()) {
      return (*group_stages).empty()
                 ? group.expected("the pipeline's " + std::to_string(stage_ids.size()) + " stages")
                 : (*group_stages)[0].error("group has " + std::to_string(group_stages->size()) +
                                            " stages: expected the pipeline's " +
                                            std::to_string(stage_ids.size()));
    }
    for (std::size_t i = 0; i < stage_ids.size(); ++i) {
      const JsonAt& stage = (*group_stages)[i];
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(id, stage.string("id"));
      if (*id != stage_ids[i]) return stage.expected("stage '" + stage_ids[i] + "' (the order of /stages)");
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(reached, stage.integer("reached"));
      panel.reached.push_back(static_cast<double>(*reached));
    }
    panels.push_back(std::move(panel));
  }
  // The largest managers by deals (ties by name), drawn in the document's order.
  std::vector<std::size_t> order(panels.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (panels[a].deals != panels[b].deals) return panels[a].deals > panels[b].deals;
    return panels[a].title < panels[b].title;
  });
  if (order.size() > kMaxFunnelPanels) order.resize(kMaxFunnelPanels);
  std::sort(order.begin(), order.end());
  for (std::size_t i : order) {
    spec.panel_titles.push_back(panels[i].title + " (" + std::to_string(panels[i].deals) + ")");
    spec.values.push_back(panels[i].reached);
  }
  std::string html = detail::heading("Funnel per manager");
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(definition, root.optional_member("definition"));
  std::string rule;
  if (*definition) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(text, (*definition)->optional_string("rule_text"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(basis, (*definition)->optional_string("basis_text"));
    rule = basis->value_or("") + (basis->has_value() && text->has_value() ? "; " : "") + text->value_or("");
  }
  html += figure(small_multiples(spec),
                 "Deals reaching each open stage per manager (deals in brackets); " + rule);
  if (panels.size() > kMaxFunnelPanels) {
    html += paragraph("Showing the " + std::to_string(kMaxFunnelPanels) + " largest of " +
                          std::to_string(panels.size()) + " managers by deals.",
                      true);
  }
  return html;
}

}  // namespace

Result<Section> managers_section(const Json* scorecard, const Json* funnel_by_manager) {
  if (scorecard == nullptr && funnel_by_manager == nullptr) {
    return Status(ErrorCode::invalid_argument,
                  "managers section: no input (the scorecard and the funnel by manager are both missing)");
  }
  Section section{"managers", "Managers", {}};
  if (scorecard != nullptr) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(part, scorecard_part(*scorecard));
    section.html += *part;
  }
  if (funnel_by_manager != nullptr) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(part, manager_funnel_part(*funnel_by_manager));
    section.html += *part;
  }
  return section;
}

}  // namespace dealflow::report
