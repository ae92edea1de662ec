// Text, CSV and JSON forms of an AttainmentReport (dealflow/planning/attainment_output.h).
#include "dealflow/planning/attainment_output.h"

#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"
#include "planning/fixed_text.h"

namespace dealflow::planning {
namespace {

using detail::fixed_text;

// An amount or a count: "1 500 000.00" / "12" (table, the unit in its own column), "1500000.00" / "12" (csv).
std::string quantity(std::int64_t units, bool money, Currency c, bool table) {
  if (!money) return std::to_string(units);
  const Money m(units, c);
  return table ? m.format_amount(" ", '.') : m.format_amount("", '.');
}

std::string figure(const Figure& f, bool money, Currency c, bool table) {
  if (!f.defined) return table ? "n/a" : "";
  return money ? quantity(f.units, true, c, table) : fixed_text(f.value, 2);
}

std::string ratio(const std::optional<double>& r, bool table) {
  if (!r) return table ? "n/a" : "";
  return table ? fixed_text(*r * 100.0, 1) + "%" : fixed_text(*r, 6);
}

std::string coverage(const std::optional<double>& r, bool covered, bool applies, bool table) {
  if (!applies) return table ? "-" : "";
  if (covered) return "covered";
  return r ? (table ? fixed_text(*r, 2) + "x" : fixed_text(*r, 6)) : (table ? "n/a" : "");
}

std::string version_text(const AttainmentRow& row, int offset) {
  return std::to_string(row.version + 1) + "/" + std::to_string(row.version_count) +
         (row.target.from_start ? "" : " from " + format_iso(row.target.effective_from, offset)) +
         (row.in_force ? "" : " (not in force)");
}

std::string children_of(const RollupRow& r) {
  if (r.kind == RollupRow::Kind::time) {
    switch (r.child_period_kind) {
      case PeriodKind::month:
        return "months";
      case PeriodKind::quarter:
        return "quarters";
      case PeriodKind::half_year:
        return "half-years";
      default:
        return std::string(to_string(r.child_period_kind)) + "s";
    }
  }
  return r.child_scope == PlanScope::business ? "business values"
                                              : std::string(to_string(r.child_scope)) + "s";
}

// The unit of a row's figures in tables: its currency code, or "deals".
std::string unit(bool money, Currency c) {
  return money ? std::string(c.code()) : "deals";
}

std::string scope_text(PlanScope s, const std::string& value) {
  return value.empty() ? std::string(to_string(s)) : std::string(to_string(s)) + " " + value;
}

std::vector<std::string> definitions(const AttainmentReport& r, const Plan& plan,
                                     const AttainmentOutputOptions& o) {
  std::vector<std::string> d;
  d.push_back("plan: " + (plan.name.empty() ? std::string("(unnamed)") : plan.name) +
              (plan.file.empty() ? "" : " (" + plan.file + ")") + "; the target version in force at as-of " +
              format_iso(r.as_of) + " (the latest with effective_from <= as-of)");
  if (!o.check_only) {
    d.push_back(
        "fact: won_amount = amounts (as of as-of) of deals won in the period (closing instant in "
        "[period start, period end) at UTC" +
        (r.utc_offset_minutes == 0 ? std::string() : format_utc_offset(r.utc_offset_minutes)) +
        ", at or before as-of), credited to the owner as of the closing instant; won_count = those "
        "deals; created_count = deals created in the period");
    d.push_back("attainment = fact / plan");
    d.push_back(
        "pacing on calendar " + r.calendar +
        ": elapsed = working days from the period's first day up to (not including) the local date of "
        "as-of; expected by now = plan x elapsed / total; projection = fact / elapsed x total; "
        "required per day = (plan - fact) / remaining working days");
    for (std::uint32_t p : r.periods) {
      const Period& period = plan.periods[p];
      for (const auto& row : r.rows) {
        if (row.period != p) continue;
        d.push_back("days " + period.label + " (" + period.first.to_string() + " .. " +
                    (period.end - 1).to_string() + "): " + std::to_string(row.total_days) + " working, " +
                    std::to_string(row.elapsed_days) + " elapsed, " + std::to_string(row.remaining_days) +
                    " remaining");
        break;
      }
    }
    d.push_back(
        "coverage = open pipeline at as-of with an expected close date in the period / (plan - fact); "
        "weighted = sum of amount x probability (the deal's own, else its stage's); covered when "
        "fact >= plan");
    d.push_back(
        o.fx.empty()
            ? "money: exact minor units, per target currency; derived amounts rounded once, half to even"
            : "money: " + o.fx + "; derived amounts rounded once, half to even");
  }
  d.push_back(
      "roll-up: children's targets (in force at as-of) summed vs the parent's: company <- teams, managers, "
      "pipelines, regions, products, business; team <- its managers and sub-teams; quarter <- months; "
      "half-year and year <- quarters; over = children sum more than the parent, under = less");
  return d;
}

TextTable rollup_table(const AttainmentReport& r, const Plan& plan) {
  TextTable t({"period", "parent", "metric", "children", "n", "parent target", "children sum", "difference",
               "status"},
              {Align::left, Align::left, Align::left, Align::left, Align::right, Align::right, Align::right,
               Align::right, Align::left});
  for (const auto& x : r.rollup) {
    const bool money = x.metric == PlanMetric::won_amount;
    t.add_row({plan.periods[x.period].label, scope_text(x.scope, x.scope_value),
               std::string(to_string(x.metric)), children_of(x), std::to_string(x.children),
               quantity(x.parent, money, x.currency, true), quantity(x.children_sum, money, x.currency, true),
               (x.difference > 0 ? "+" : "") + quantity(x.difference, money, x.currency, true), x.status()});
  }
  return t;
}

}  // namespace

std::string attainment_to_table(const AttainmentReport& r, const Plan& plan,
                                const AttainmentOutputOptions& o) {
  std::string out;
  if (!o.check_only) {
    TextTable t(
        {"period", "scope", "metric", "version", "unit", "plan", "fact", "attainment", "expected by now",
         "projection", "required/day", "pipeline", "weighted", "coverage", "weighted cov."},
        {Align::left, Align::left, Align::left, Align::left, Align::left, Align::right, Align::right,
         Align::right, Align::right, Align::right, Align::right, Align::right, Align::right, Align::right,
         Align::right});
    for (const auto& row : r.rows) {
      const bool money = row.is_money(), cov = row.metric != PlanMetric::created_count;
      t.add_row({plan.periods[row.period].label, scope_text(row.scope, row.scope_value),
                 std::string(to_string(row.metric)), version_text(row, r.utc_offset_minutes),
                 unit(money, row.currency), quantity(row.plan, money, row.currency, true),
                 quantity(row.fact, money, row.currency, true), ratio(row.attainment, true),
                 figure(row.expected_by_now, money, row.currency, true),
                 figure(row.projection, money, row.currency, true),
                 figure(row.required_per_day, money, row.currency, true),
                 cov ? quantity(row.pipeline, money, row.currency, true) : "-",
                 cov ? figure(row.weighted, money, row.currency, true) : "-",
                 coverage(row.coverage, row.covered, cov, true),
                 coverage(row.weighted_coverage, row.covered, cov, true)});
    }
    out += t.render();
    out += "\nroll-up check\n";
  }
  out += r.rollup.empty() ? "(no parent target has children with targets)\n" : rollup_table(r, plan).render();
  for (const auto& line : definitions(r, plan, o)) out += "definition: " + line + "\n";
  for (const auto& note : r.notes) out += "note: " + note + "\n";
  return out;
}

std::string attainment_to_csv(const AttainmentReport& r, const Plan& plan, const AttainmentOutputOptions& o) {
  std::string out;
  const std::string lead = csv_escape(format_iso(r.as_of)) + "," + format_utc_offset(r.utc_offset_minutes) +
                           "," + csv_escape(r.calendar) + ",";
  if (o.check_only) {
    out +=
        "as_of,utc_offset,calendar,check,period,scope,scope_value,metric,currency,children_of,children,"
        "parent,"
        "children_sum,difference,status\n";
    for (const auto& x : r.rollup) {
      const bool money = x.metric == PlanMetric::won_amount;
      out += lead + (x.kind == RollupRow::Kind::scope ? "scope," : "time,") +
             csv_escape(plan.periods[x.period].label) + "," + std::string(to_string(x.scope)) + "," +
             csv_escape(x.scope_value) + "," + std::string(to_string(x.metric)) + "," +
             std::string(x.currency.code()) + "," + children_of(x) + "," + std::to_string(x.children) + "," +
             quantity(x.parent, money, x.currency, false) + "," +
             quantity(x.children_sum, money, x.currency, false) + "," +
             quantity(x.difference, money, x.currency, false) + "," + x.status() + "\n";
    }
    return out;
  }
  out +=
      "as_of,utc_offset,calendar,period,period_first,period_last,working_days,elapsed_days,remaining_days,"
      "scope,"
      "scope_value,metric,currency,version,versions,in_force,effective_from,plan,fact,deals,other_currency_"
      "deals,"
      "attainment,expected_by_now,projection,required_per_day,open_deals,pipeline,weighted_pipeline,coverage,"
      "weighted_coverage,covered\n";
  for (const auto& row : r.rows) {
    const Period& p = plan.periods[row.period];
    const bool money = row.is_money(), cov = row.metric != PlanMetric::created_count;
    out += lead + csv_escape(p.label) + "," + p.first.to_string() + "," + (p.end - 1).to_string() + "," +
           std::to_string(row.total_days) + "," + std::to_string(row.elapsed_days) + "," +
           std::to_string(row.remaining_days) + "," + std::string(to_string(row.scope)) + "," +
           csv_escape(row.scope_value) + "," + std::string(to_string(row.metric)) + "," +
           std::string(row.currency.code()) + "," + std::to_string(row.version + 1) + "," +
           std::to_string(row.version_count) + "," + (row.in_force ? "true" : "false") + "," +
           (row.target.from_start ? "" : format_iso(row.target.effective_from)) + "," +
           quantity(row.plan, money, row.currency, false) + "," +
           quantity(row.fact, money, row.currency, false) + "," + std::to_string(row.deals) + "," +
           std::to_string(row.other_currency) + "," + ratio(row.attainment, false) + "," +
           figure(row.expected_by_now, money, row.currency, false) + "," +
           figure(row.projection, money, row.currency, false) + "," +
           figure(row.required_per_day, money, row.currency, false) + "," +
           (cov ? std::to_string(row.open_deals) : "") + "," +
           (cov ? quantity(row.pipeline, money, row.currency, false) : "") + "," +
           (cov ? figure(row.weighted, money, row.currency, false) : "") + "," +
           (cov && !row.covered ? ratio(row.coverage, false) : "") + "," +
           (cov && !row.covered ? ratio(row.weighted_coverage, false) : "") + "," +
           (cov ? (row.covered ? "true" : "false") : "") + "\n";
  }
  return out;
}

Json attainment_to_json(const AttainmentReport& r, const Plan& plan, const AttainmentOutputOptions& o) {
  auto opt = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  auto fig = [](const Figure& f, bool money) {
    if (!f.defined) return Json(nullptr);
    return money ? Json(f.units) : Json(f.value);
  };
  Json j;
  j["definition"] = {{"as_of", format_iso(r.as_of)}, {"utc_offset", format_utc_offset(r.utc_offset_minutes)},
                     {"calendar", r.calendar},       {"plan", plan.name},
                     {"plan_file", plan.file},       {"lines", definitions(r, plan, o)}};
  if (!o.fx.empty()) j["definition"]["fx"] = o.fx;
  if (!o.check_only) {
    Json rows = Json::array();
    for (const auto& row : r.rows) {
      const Period& p = plan.periods[row.period];
      const bool money = row.is_money();
      Json x = {{"period", p.label},
                {"period_first", p.first.to_string()},
                {"period_last", (p.end - 1).to_string()},
                {"working_days", row.total_days},
                {"elapsed_days", row.elapsed_days},
                {"remaining_days", row.remaining_days},
                {"scope", to_string(row.scope)},
                {"scope_value", row.scope_value},
                {"metric", to_string(row.metric)},
                {"version", row.version + 1},
                {"versions", row.version_count},
                {"in_force", row.in_force},
                {"effective_from",
                 row.target.from_start ? Json(nullptr) : Json(format_iso(row.target.effective_from))},
                {"plan", row.plan},
                {"fact", row.fact},
                {"deals", row.deals},
                {"other_currency_deals", row.other_currency},
                {"attainment", opt(row.attainment)},
                {"expected_by_now", fig(row.expected_by_now, money)},
                {"projection", fig(row.projection, money)},
                {"required_per_day", fig(row.required_per_day, money)}};
      if (money) x["currency"] = row.currency.code();
      if (row.metric != PlanMetric::created_count) {
        x["coverage"] = {{"open_deals", row.open_deals},
                         {"pipeline", row.pipeline},
                         {"weighted_pipeline", fig(row.weighted, money)},
                         {"covered", row.covered},
                         {"coverage", opt(row.coverage)},
                         {"weighted_coverage", opt(row.weighted_coverage)}};
      }
      rows.push_back(std::move(x));
    }
    j["rows"] = std::move(rows);
    j["definition"]["amounts"] = "won_amount figures are minor units of the row's currency";
  }
  Json rollup = Json::array();
  for (const auto& x : r.rollup) {
    Json e = {{"check", x.kind == RollupRow::Kind::scope ? "scope" : "time"},
              {"period", plan.periods[x.period].label},
              {"scope", to_string(x.scope)},
              {"scope_value", x.scope_value},
              {"metric", to_string(x.metric)},
              {"children_of", children_of(x)},
              {"children", x.children},
              {"parent", x.parent},
              {"children_sum", x.children_sum},
              {"difference", x.difference},
              {"status", x.status()}};
    if (x.metric == PlanMetric::won_amount) e["currency"] = x.currency.code();
    rollup.push_back(std::move(e));
  }
  j["rollup"] = std::move(rollup);
  j["notes"] = r.notes;
  return j;
}

}  // namespace dealflow::planning
