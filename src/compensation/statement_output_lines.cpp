// One statement line and one statement block as text, CSV and JSON (shared by
// statement_output.cpp and statement_output_summary.cpp).
#include <cstdlib>

#include "compensation/statement_output_detail.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"

namespace dealflow::compensation::detail {

__extension__ typedef __int128 Int128;

std::string exact_decimal(std::int64_t num, std::int64_t den, std::int64_t scale, int digits) {
  if (den == 0) return "";
  Int128 p = 1;
  for (int i = 0; i < digits; ++i) p *= 10;
  Int128 n = static_cast<Int128>(num) * scale * p;
  Int128 d = den;
  if (d < 0) n = -n, d = -d;
  const bool negative = n < 0;
  if (negative) n = -n;
  Int128 q = n / d;
  if ((n % d) * 2 >= d) ++q;  // half away from zero
  const Int128 whole = q / p, frac = q % p;
  std::string out = (negative && q != 0 ? "-" : "") + std::to_string(static_cast<long long>(whole));
  if (digits > 0) {
    std::string f = std::to_string(static_cast<long long>(frac));
    out += "." + std::string(static_cast<std::size_t>(digits) - f.size(), '0') + f;
  }
  return out;
}

std::string percent(const Rate& r, int digits) {
  return exact_decimal(r.num, r.den, 100, digits);
}

std::string percent_bp(std::int64_t bp, int digits) {
  return exact_decimal(bp, 100, 1, digits);
}

std::string amount_text(const Money& m, bool table) {
  if (!m.currency().empty()) return table ? m.format_amount(" ", '.') : m.format_amount("", '.');
  return count_text(m);
}

std::string count_text(const Money& m) {
  std::string s = exact_decimal(m.minor_units(), kCountUnit, 1, 4);  // a count in deals
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string rounding_text(Rounding r) {
  return r == Rounding::half_up ? "half-up" : "half-even";
}

std::string line_measure(const CompensationPlan& plan, const std::string& rate_plan,
                         const std::string& component) {
  if (component.empty()) return "";
  if (const RatePlan* rp = plan.find_plan(rate_plan))
    for (const Component& c : rp->components)
      if (c.id == component) return std::string(to_string(c.measure));
  return "";
}

namespace {

bool has_slice(const StatementLine& l) {
  return l.slice_from != l.slice_to;
}
bool has_rate(const StatementLine& l) {
  return l.rate.num != 0;
}

std::string local_iso(const std::optional<Instant>& t, const CompensationPlan& plan) {
  return t ? format_iso(*t, plan.utc_offset_minutes) : "";
}

}  // namespace

std::vector<std::string> line_table_header() {
  return {"line",  "kind", "component", "deal",   "credit", "share",   "measure",
          "slice", "tier", "rate",      "factor", "amount", "blended", "reason"};
}

std::string measure_text(const Money& m, bool count, bool table) {
  return count ? count_text(m) : amount_text(m, table);
}

bool is_count_component(const CompensationPlan& plan, const std::string& rate_plan,
                        const std::string& component) {
  return line_measure(plan, rate_plan, component) == to_string(Measure::won_count);
}

std::vector<std::string> line_table_cells(const StatementLine& l, bool count) {
  const bool deal = !l.deal.empty();
  std::string reason = l.reason;
  if (!l.source_period.empty()) reason += " [" + l.source_period + "]";
  return {std::to_string(l.line),
          l.kind,
          l.component,
          l.deal,
          l.credit ? std::string(to_string(*l.credit)) : "",
          deal && l.share_bp ? percent_bp(l.share_bp, 2) + "%" : "",
          deal ? measure_text(l.measure, count, true) : "",
          has_slice(l)
              ? measure_text(l.slice_from, count, true) + " – " + measure_text(l.slice_to, count, true)
              : "",
          l.tier > 0 ? std::to_string(l.tier) : "",
          has_rate(l) ? percent(l.rate, 2) + "%" : "",
          l.factor ? exact_decimal(l.factor->num, l.factor->den, 1, 4) : "",
          amount_text(l.amount, true),
          l.blended_rate ? percent(*l.blended_rate, 4) + "%" : "",
          reason};
}

std::string line_csv_cells(const StatementLine& l, const CompensationPlan& plan,
                           const std::string& rate_plan) {
  const bool deal = !l.deal.empty();
  std::string out;
  auto cell = [&out](const std::string& v) { out += (out.empty() ? "" : ",") + csv_escape(v); };
  out = std::to_string(l.line);
  cell(l.kind);
  cell(l.component);
  cell(l.deal);
  cell(local_iso(l.credit_instant, plan));
  cell(l.credit ? std::string(to_string(*l.credit)) : "");
  cell(deal && l.share_bp ? percent_bp(l.share_bp, 4) : "");
  cell(line_measure(plan, rate_plan, l.component));
  const bool count = is_count_component(plan, rate_plan, l.component);
  cell(deal ? measure_text(l.measure, count, false) : "");
  cell(has_slice(l) ? measure_text(l.slice_from, count, false) : "");
  cell(has_slice(l) ? measure_text(l.slice_to, count, false) : "");
  cell(l.tier > 0 ? std::to_string(l.tier) : "");
  cell(has_rate(l) ? percent(l.rate, 4) : "");
  cell(l.factor ? exact_decimal(l.factor->num, l.factor->den, 1, 4) : "");
  cell(amount_text(l.amount, false));
  cell(l.blended_rate ? percent(*l.blended_rate, 4) : "");
  cell(l.source_period);
  cell(l.reason);
  return out;
}

Json line_json(const StatementLine& l, const CompensationPlan& plan, const std::string& rate_plan) {
  const bool deal = !l.deal.empty();
  auto text_or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return Json{
      {"line", l.line},
      {"kind", l.kind},
      {"component", text_or_null(l.component)},
      {"deal_id", text_or_null(l.deal)},
      {"credit_instant",
       l.credit_instant ? Json(format_iso(*l.credit_instant, plan.utc_offset_minutes)) : Json(nullptr)},
      {"credit", l.credit ? Json(to_string(*l.credit)) : Json(nullptr)},
      {"share", deal && l.share_bp ? Json(percent_bp(l.share_bp, 4)) : Json(nullptr)},
      {"measure", text_or_null(line_measure(plan, rate_plan, l.component))},
      {"measure_value", deal ? Json(l.measure.minor_units()) : Json(nullptr)},
      {"slice_from", has_slice(l) ? Json(l.slice_from.minor_units()) : Json(nullptr)},
      {"slice_to", has_slice(l) ? Json(l.slice_to.minor_units()) : Json(nullptr)},
      {"tier", l.tier > 0 ? Json(l.tier) : Json(nullptr)},
      {"rate", has_rate(l) ? Json(percent(l.rate, 4)) : Json(nullptr)},
      {"factor", l.factor ? Json(exact_decimal(l.factor->num, l.factor->den, 1, 4)) : Json(nullptr)},
      {"amount", l.amount.minor_units()},
      {"blended_rate", l.blended_rate ? Json(percent(*l.blended_rate, 4)) : Json(nullptr)},
      {"source_period", text_or_null(l.source_period)},
      {"reason", l.reason}};
}

std::string statement_heading(const ParticipantStatement& s, const CompensationPlan& plan) {
  const std::string role(to_string(s.role));
  const std::string who = s.manager_name.empty() ? s.manager + " (" + role + ")"
                                                 : s.manager_name + " (" + s.manager + ", " + role + ")";
  return who + " — plan " + (s.plan.empty() ? "(none)" : s.plan) + ", " + s.period + " (" +
         s.period_first.to_string() + " .. " + s.period_last.to_string() + ", " +
         format_utc_offset(plan.utc_offset_minutes) + "), as of " +
         format_iso(s.as_of, plan.utc_offset_minutes) +
         (s.provisional ? " (provisional: the period is not closed)" : "");
}

std::string statement_block(const ParticipantStatement& s, const CompensationPlan& plan, Currency currency) {
  const std::string cur(currency.code());
  std::string out = statement_heading(s, plan) + "\n";
  if (s.target_incentive)
    out += "target incentive " + amount_text(*s.target_incentive, true) + " " + cur + "\n";
  for (const ComponentAttainment& a : s.attainment) {
    const bool count = a.measure == Measure::won_count;
    out += "attainment " + a.component + ": " + std::string(to_string(a.measure)) + " " +
           measure_text(a.value, count, true) + (count ? " deals" : "");
    if (a.quota) out += " of quota " + measure_text(*a.quota, count, true);
    if (a.attainment) out += " = " + percent(*a.attainment, 2) + "%";
    if (a.tier > 0) out += ", tier " + std::to_string(a.tier) + " reached";
    out += "\n";
    if (!a.cliff.empty()) out += "cliff " + a.component + ": " + a.cliff + "\n";
  }
  if (s.lines.empty()) {
    out += "(no lines)\n";
  } else {
    TextTable t(line_table_header(), {Align::right, Align::left, Align::left, Align::left, Align::left,
                                      Align::right, Align::right, Align::right, Align::right, Align::right,
                                      Align::right, Align::right, Align::right, Align::left});
    for (const StatementLine& l : s.lines)
      t.add_row(line_table_cells(l, is_count_component(plan, s.plan, l.component)));
    out += t.render();
  }
  out += "total paid " + amount_text(s.paid, true) + " " + cur + " (earned " + amount_text(s.earned, true) +
         "; adjustments " + amount_text(s.adjustments, true) + "; caps " + amount_text(s.caps, true) +
         "; gate " + amount_text(s.gate, true) + "; draw " + amount_text(s.draw, true) + ")\n";
  if (!s.balance_before.is_zero() || !s.balance_after.is_zero() || !s.draw.is_zero())
    out += "draw balance " + amount_text(s.balance_before, true) + " before, " +
           amount_text(s.balance_after, true) + " after (negative: owed by the participant)\n";
  for (const HeldDeal& h : s.held)
    out += "held: deal " + h.deal + " (" + h.component + ") " + amount_text(h.amount, true) + " " + cur +
           ": " + h.reason + "\n";
  for (const std::string& n : s.notes) out += "note: " + n + "\n";
  return out;
}

Json statement_json(const ParticipantStatement& s, const CompensationPlan& plan, Currency currency) {
  Json attainment = Json::array();
  for (const ComponentAttainment& a : s.attainment)
    attainment.push_back({{"component", a.component},
                          {"measure", to_string(a.measure)},
                          {"value", a.value.minor_units()},
                          {"quota", a.quota ? Json(a.quota->minor_units()) : Json(nullptr)},
                          {"attainment", a.attainment ? Json(percent(*a.attainment, 4)) : Json(nullptr)},
                          {"tier", a.tier > 0 ? Json(a.tier) : Json(nullptr)},
                          {"cliff", a.cliff.empty() ? Json(nullptr) : Json(a.cliff)}});
  Json lines = Json::array();
  for (const StatementLine& l : s.lines) lines.push_back(line_json(l, plan, s.plan));
  Json held = Json::array();
  for (const HeldDeal& h : s.held)
    held.push_back({{"deal_id", h.deal},
                    {"component", h.component},
                    {"amount", h.amount.minor_units()},
                    {"reason", h.reason}});
  return Json{
      {"participant", s.manager},
      {"name", s.manager_name},
      {"role", to_string(s.role)},
      {"plan", s.plan},
      {"period", s.period},
      {"period_first", s.period_first.to_string()},
      {"period_last", s.period_last.to_string()},
      {"as_of", format_iso(s.as_of, plan.utc_offset_minutes)},
      {"provisional", s.provisional},
      {"currency", currency.code()},
      {"target_incentive", s.target_incentive ? Json(s.target_incentive->minor_units()) : Json(nullptr)},
      {"attainment", std::move(attainment)},
      {"lines", std::move(lines)},
      {"totals",
       {{"earned", s.earned.minor_units()},
        {"adjustments", s.adjustments.minor_units()},
        {"caps", s.caps.minor_units()},
        {"gate", s.gate.minor_units()},
        {"draw", s.draw.minor_units()},
        {"paid", s.paid.minor_units()}}},
      {"draw_balance",
       {{"before", s.balance_before.minor_units()}, {"after", s.balance_after.minor_units()}}},
      {"won_amount", s.won_amount.minor_units()},
      {"overlay_paid", s.overlay_paid.minor_units()},
      {"held", std::move(held)},
      {"notes", s.notes}};
}

std::string period_as_of(const std::string& label, const CompensationPlan& plan,
                         const std::optional<Instant>& as_of) {
  auto p = planning::parse_period(label, plan.fiscal_start_month);
  if (!p) return as_of ? format_iso(*as_of, plan.utc_offset_minutes) : "";
  Instant end = p->end_instant(plan.utc_offset_minutes);
  if (as_of && *as_of < end) end = *as_of;
  return format_iso(end, plan.utc_offset_minutes);
}

}  // namespace dealflow::compensation::detail
