// The "Routing" section: the findings of `dealflow lint` with a severity each,
// and the load `dealflow route` gave each manager (see docs/report-sections.md).
//
// Lint reports facts, not severities; the report grades them for the reader:
//   error   - leads that stay unassigned: a gap without a default pool, a target
//             no candidate can ever take (entire);
//   warning - leads that go somewhere unintended or rules that do nothing: a gap
//             falling to the default pool, a partly unservable target, a shadowed
//             rule, an overlap, a manager who never gets a lead;
//   info    - what lint could not decide: an incomplete gap analysis, undetermined
//             shadowing, an idle manager who still gets repeat leads as account owner.
#include <algorithm>
#include <array>
#include <map>

#include "dealflow/report/sections.h"
#include "dealflow/report/svg.h"
#include "report/json_read.h"
#include "report/section_parts.h"

namespace dealflow::report {
namespace {

using detail::JsonAt;

constexpr std::string_view kLintDoc = "lint.json";
constexpr std::string_view kRouteDoc = "route.json";
constexpr std::array<std::string_view, 3> kSeverities = {"error", "warning", "info"};

struct Finding {
  std::string severity, rule, message;
};

// A combination count: a JSON integer, or a decimal string beyond 64 bits.
Result<std::string> count_field_text(const JsonAt& at, std::string_view key) {
  auto member = at.member(key);
  if (!member) return member.status();
  if (member->node().is_string()) {
    auto text = member->as_decimal();
    if (!text || text->text.find_first_of("-.") != std::string::npos) {
      return member->expected("a count (an integer or a string of digits)");
    }
    return detail::format_decimal(text->text);
  }
  auto value = member->as_integer();
  if (!value || *value < 0) return member->expected("a count (an integer or a string of digits)");
  return format_number(static_cast<double>(*value), 0);
}

Result<std::string> joined_strings(const JsonAt& at, std::string_view key) {
  auto items = at.array(key);
  if (!items) return items.status();
  std::string out;
  for (const auto& item : *items) {
    auto text = item.as_string();
    if (!text) return text.status();
    out += (out.empty() ? "" : ", ") + *text;
  }
  return out;
}

Result<std::vector<Finding>> read_findings(const JsonAt& root) {
  std::vector<Finding> out;
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(coverage, root.object("coverage"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(complete, coverage->boolean("complete"));
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(default_pool, coverage->boolean("default_pool"));
  if (!*complete) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(reason, coverage->optional_string("incomplete_reason"));
    out.push_back({"info", "—", "gap analysis incomplete: " + reason->value_or("a limit was reached")});
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(gaps, root.array("gaps"));
  for (const auto& gap : *gaps) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(combinations, count_field_text(gap, "combinations"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(description, gap.string("description"));
    out.push_back({*default_pool ? "warning" : "error", "—",
                   *combinations + " combinations match no rule (" +
                       (*default_pool ? "they go to the default pool" : "they stay unassigned") +
                       "): " + *description});
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(unreachable, root.array("unreachable_targets"));
  for (const auto& u : *unreachable) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(rule, u.optional_string("rule"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(role, u.string("role"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(entire, u.boolean("entire"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(matched, count_field_text(u, "matched"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(unservable, count_field_text(u, "unservable"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(members, u.array("members"));
    std::string why;
    for (const auto& m : *members) {
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(manager, m.string("manager"));
      DEALFLOW_REPORT_ASSIGN_OR_RETURN(reason, m.string("reason"));
      why += (why.empty() ? "" : ", ") + *manager + ": " + *reason;
    }
    std::replace(role->begin(), role->end(), '_', ' ');
    out.push_back({*entire ? "error" : "warning", rule->value_or("(" + *role + ")"),
                   *unservable + " of " + *matched + " matched combinations no candidate of the " + *role +
                       " can take" + (why.empty() ? "" : " (" + why + ")")});
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(shadowed, root.array("shadowed"));
  for (const auto& s : *shadowed) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(rule, s.string("rule"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(reason, s.string("reason"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(by, joined_strings(s, "shadowed_by"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(combinations, count_field_text(s, "combinations"));
    out.push_back({"warning", *rule,
                   "never the first match (" + *reason + (by->empty() ? "" : ": " + *by) + "), " +
                       *combinations + " combinations"});
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(overlaps, root.array("overlaps"));
  for (const auto& o : *overlaps) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(rules, joined_strings(o, "rules"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(winner, o.string("winner"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(common, o.object("common"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(description, common->string("description"));
    out.push_back(
        {"warning", *rules,
         "equal priority, different targets; " + *winner + " wins the common leads: " + *description});
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(undetermined, root.array("shadow_undetermined"));
  for (const auto& u : *undetermined) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(rule, u.as_string());
    out.push_back(
        {"info", *rule, "whether earlier rules shadow this rule was not determined (a limit was reached)"});
  }
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(idle, root.array("idle_managers"));
  for (const auto& m : *idle) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(manager, m.string("manager"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(name, m.optional_string("name"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(reason, m.string("reason"));
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(owner, m.optional_bool("only_as_account_owner", false));
    out.push_back({*owner ? "info" : "warning", "—",
                   name->value_or(*manager) + " (" + *manager + ") never gets a lead from a rule: " +
                       *reason + (*owner ? "; still gets repeat leads as account owner" : "")});
  }
  // Most severe first; within a severity, the order of lint's report.
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    auto rank = [](const std::string& s) {
      return std::find(kSeverities.begin(), kSeverities.end(), s) - kSeverities.begin();
    };
    return rank(a.severity) < rank(b.severity);
  });
  return out;
}

Result<std::string> lint_part(const Json& lint) {
  JsonAt root(lint, kLintDoc);
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(findings, read_findings(root));
  BarChartSpec spec;
  spec.title = "Rule-set lint: findings per severity";
  spec.value_label = "findings";
  spec.category_label = "severity";
  Series counts{"findings", {}};
  for (std::string_view severity : kSeverities) {
    spec.categories.emplace_back(severity);
    counts.values.push_back(static_cast<double>(std::count_if(
        findings->begin(), findings->end(), [&](const Finding& f) { return f.severity == severity; })));
  }
  spec.series = {std::move(counts)};
  std::string html = detail::heading("Rule-set lint");
  html += figure(
      bar_chart(spec),
      "Findings of dealflow lint graded by the report: error = leads stay unassigned (a gap without a "
      "default pool, a target nobody can take); warning = leads go where the rules did not intend or rules "
      "do nothing (a gap falling to the default pool, a partly unservable target, shadowed and "
      "overlapping rules, idle managers); info = what lint could not decide.");
  Table table{"Lint findings", {"severity", "rule", "finding"}, {}, {false, false, false}};
  for (const auto& f : *findings) table.rows.push_back({f.severity, f.rule, f.message});
  if (findings->empty())
    html += paragraph("Lint found nothing: the rule set is clean.", true);
  else
    html += table_html(table);
  return html;
}

Result<std::string> route_part(const Json& route) {
  JsonAt root(route, kRouteDoc);
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(decisions, root.array("decisions"));
  struct Load {
    std::string id, name;
    std::int64_t leads = 0;
  };
  std::vector<Load> loads;
  std::int64_t unassigned = 0, assigned = 0;
  for (const auto& d : *decisions) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(manager, d.optional_string("manager"));
    if (!*manager) {
      ++unassigned;
      continue;
    }
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(name, d.optional_string("manager_name"));
    ++assigned;
    auto it = std::find_if(loads.begin(), loads.end(), [&](const Load& l) { return l.id == **manager; });
    if (it == loads.end()) it = loads.insert(loads.end(), Load{**manager, name->value_or(**manager), 0});
    ++it->leads;
  }
  // Heaviest first, ties by manager id (deterministic).
  std::sort(loads.begin(), loads.end(), [](const Load& a, const Load& b) {
    return a.leads != b.leads ? a.leads > b.leads : a.id < b.id;
  });
  BarChartSpec spec;
  spec.title = "Routed leads per manager";
  spec.value_label = "leads";
  spec.category_label = "manager";
  Series series{"leads", {}};
  Table table{"Routed leads per manager",
              {"manager", "id", "leads", "share of assigned"},
              {},
              {false, false, true, true}};
  for (const auto& l : loads) {
    spec.categories.push_back(l.name);
    series.values.push_back(static_cast<double>(l.leads));
    table.rows.push_back({l.name, l.id, std::to_string(l.leads),
                          format_percent(static_cast<double>(l.leads) / static_cast<double>(assigned), 1)});
  }
  table.rows.push_back({"unassigned", "—", std::to_string(unassigned), "—"});
  spec.series = {std::move(series)};
  Chart chart = bar_chart(spec);
  chart.table = std::move(table);
  std::string definition = std::to_string(decisions->size()) + " leads routed: " + std::to_string(assigned) +
                           " assigned, " + std::to_string(unassigned) + " unassigned.";
  DEALFLOW_REPORT_ASSIGN_OR_RETURN(summary, root.optional_member("summary"));
  if (*summary) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(text, (*summary)->optional_string("definition"));
    if (*text) definition += " " + **text;
  }
  return detail::heading("Routed load") + figure(chart, definition);
}

}  // namespace

Result<Section> routing_section(const Json* lint, const Json* route) {
  if (lint == nullptr && route == nullptr) {
    return Status(ErrorCode::invalid_argument, "routing section: no input (lint and route are both missing)");
  }
  Section section{"routing", "Routing", {}};
  if (lint != nullptr) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(part, lint_part(*lint));
    section.html += *part;
  }
  if (route != nullptr) {
    DEALFLOW_REPORT_ASSIGN_OR_RETURN(part, route_part(*route));
    section.html += *part;
  }
  return section;
}

}  // namespace dealflow::report
