// The "Pipeline movement" section (docs/report.md): from `dealflow movement
// --format json`, one waterfall per currency: the open pipeline at the start,
// each entry, change and exit, and the open pipeline at the end; every bar
// links to the list of its deal ids in the appendix (an in-page anchor, no
// script). Bars with no deal and no amount are left out of the chart and kept
// in the table.
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "dealflow/report/sections.h"
#include "dealflow/report/svg.h"
#include "report/json_read.h"
#include "report/section_parts.h"

namespace dealflow::report {
namespace {

using detail::JsonAt;

std::string signed_count_text(std::int64_t n) {
  return (n > 0 ? "+" : "") + format_number(static_cast<double>(n), 0);
}

std::string slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '-';
  }
  return out;
}

// A signed decimal amount of the JSON ("+1250.00", "-300.00", "0.00").
Result<detail::Decimal> signed_amount(const JsonAt& bar) {
  auto node = bar.member("amount");
  if (!node) return node.status();
  auto text = node->as_string();
  if (!text) return text.status();
  std::string plain = *text;
  if (!plain.empty() && plain[0] == '+') plain.erase(0, 1);
  const Json value(plain);
  const JsonAt stripped(value, bar.document(), node->path());
  auto decimal = stripped.as_decimal();
  if (!decimal) return node->expected("a signed decimal string");
  return decimal;
}

}  // namespace

Result<Section> movement_section(const Json& movement, std::string_view name, std::vector<DealList>& lists) {
  Section section{"movement", "Pipeline movement", {}};
  const JsonAt root(movement, name);
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(definition, root.object("definition"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(from, definition->string("from"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(to, definition->string("to"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(pipeline, definition->string("pipeline"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(text, definition->string("text"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(bar_defs, definition->array("bars"));
  std::vector<std::pair<std::string, std::string>> defs;  // label, definition
  for (const auto& def : *bar_defs) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(label, def.string("label"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(what, def.string("definition"));
    defs.emplace_back(*label, *what);
  }
  section.html += paragraph("Pipeline " + *pipeline + ", from " + *from + " to " + *to + ": " + *text + ".");

  DEALFLOW_REPORT_ASSIGN_OR_RETURN(currencies, root.array("currencies"));
  for (const auto& part : *currencies) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(currency, part.optional_string("currency"));
    const bool counts_only = !*currency;
    const std::string unit = counts_only ? "deals" : **currency;
    const std::string key = counts_only ? "no-amount" : slug(**currency);
    WaterfallSpec spec;
    spec.title = counts_only ? "Pipeline movement of the deals without an amount, deals"
                             : "Pipeline movement, " + **currency;
    spec.value_label = counts_only ? "open deals" : "open pipeline, " + **currency;
    spec.value_decimals = counts_only ? 0 : 2;
    Table table{spec.title, {"bar", "deals", counts_only ? "—" : "amount, " + unit, "deal list"}, {},
                {false, true, true, false}};
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(bars, part.array("bars"));
    for (std::size_t i = 0; i < bars->size(); ++i) {
      const JsonAt& bar = (*bars)[i];
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(id, bar.string("bar"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(label, bar.string("label"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(kind, bar.string("kind"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(count, bar.integer("count"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(amount, signed_amount(bar));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(deal_items, bar.array("deals"));
      DealList list{"movement-" + key + "-" + slug(*id), *label + " (" + unit + ")", {}};
      for (const auto& deal : *deal_items) {
        DEALFLOW_REPORT_ASSIGN_OR_RETURN(deal_id, deal.as_string());
        list.deal_ids.push_back(*deal_id);
      }
      const bool level = *kind == "level";
      const double value = counts_only ? static_cast<double>(*count) : amount->value;
      const std::string amount_text =
          counts_only ? "—" : (amount->value > 0 && !level ? "+" : "") + detail::format_decimal(amount->text);
      const std::string count_shown =
          level ? format_number(static_cast<double>(*count), 0) : signed_count_text(*count);
      const bool linked = !list.deal_ids.empty();
      table.rows.push_back({*label, count_shown, amount_text, linked ? list.title : "—"});
      if (level || *count != 0 || amount->value != 0) {
        WaterfallStep step;
        step.label = *label;
        step.value = value;
        step.text = count_shown;  // the deals; the amounts are the bars and the table
        if (linked) step.link = list.id;
        spec.steps.push_back(std::move(step));
      }
      if (linked) lists.push_back(std::move(list));
    }
    Chart chart = waterfall(spec);
    chart.table = std::move(table);
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(identity, part.object("identity"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(amount_identity, identity->object("amount"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(holds, amount_identity->boolean("holds"));
    section.html +=
        figure(chart, "open at start + entries ± changes − exits = open at end (" +
                          std::string(*holds ? "holds exactly" : "DOES NOT HOLD") +
                          "); click a bar for its deals. Bars without deals are left out of the chart.");
  }
  std::string glossary;
  for (const auto& [label, what] : defs) glossary += label + ": " + what + ". ";
  section.html += paragraph(glossary, true);
  return section;
}

}  // namespace dealflow::report
