// Output of `dealflow durations`: see dealflow/analytics/durations_output.h.
#include "dealflow/analytics/durations_output.h"

#include <cstdio>

#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"
#include "analytics/output_text.h"

namespace dealflow::analytics {
namespace {

using detail::bound;
using detail::money_json;
using detail::money_text;
using detail::percent;

Json optional_int(const std::optional<std::int64_t>& v) {
  return v ? Json(*v) : Json(nullptr);
}
Json optional_double(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

// One object per currency of the won amounts, code order.
Json velocity_amounts_json(const SalesVelocity& v) {
  Json out = Json::array();
  for (const auto& a : v.by_currency) {
    out.push_back(Json{{"currency", a.currency.code()},
                       {"won_with_amount", a.won_with_amount},
                       {"won_amount", a.won_amount.format_amount()},
                       {"average_won_amount", a.average_won_amount.format_amount()}});
  }
  return out;
}

// "12 000,00 MXN; 500,00 USD" (one per currency), "-" when none.
std::string averages_text(const SalesVelocity& v) {
  if (v.by_currency.empty()) return "-";
  std::string s;
  for (const auto& a : v.by_currency) s += (s.empty() ? "" : "; ") + money_text(a.average_won_amount);
  return s;
}

Json stats_json(const DurationStats& s, bool with_competing) {
  Json j{{"subjects", s.subjects}, {"events", s.events}, {"censored", s.censored}};
  if (with_competing) j["competing"] = s.competing;
  j["p25"] = optional_int(s.p25);
  j["median"] = optional_int(s.median);
  j["p75"] = optional_int(s.p75);
  j["p90"] = optional_int(s.p90);
  if (s.naive_mean_closed) j["naive_mean_closed_biased"] = *s.naive_mean_closed;
  return j;
}

Json figures_json(const DurationFigures& f) {
  Json stages = Json::array();
  for (const auto& s : f.stages) {
    stages.push_back(Json{{"id", s.id},
                          {"name", s.name},
                          {"visits", s.visits},
                          {"in_stage_now", s.in_stage_now},
                          {"first_visit", stats_json(s.first_visit, false)},
                          {"latest_visit", stats_json(s.latest_visit, false)},
                          {"cumulative", stats_json(s.cumulative, false)}});
  }
  return Json{{"deals", f.deals},
              {"won", f.won},
              {"lost", f.lost},
              {"open", f.open},
              {"without_history", f.without_history},
              {"stages", std::move(stages)},
              {"cycle",
               {{"to_close", stats_json(f.cycle.to_close, false)},
                {"to_won", stats_json(f.cycle.to_won, true)},
                {"to_lost", stats_json(f.cycle.to_lost, true)},
                {"won_incidence", optional_double(f.cycle.won_incidence)},
                {"lost_incidence", optional_double(f.cycle.lost_incidence)}}}};
}

std::string unit_name(TimeBasis basis) {
  return basis == TimeBasis::business ? "working hours" : "days";
}

// Seconds shown as days (calendar) or working hours (business), one decimal.
std::string duration_text(const std::optional<std::int64_t>& seconds, TimeBasis basis) {
  if (!seconds) return "not reached";
  char buf[32];
  const double v = static_cast<double>(*seconds) / (basis == TimeBasis::business ? 3600.0 : 86400.0);
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string group_label(const std::optional<std::string>& key) {
  return key ? *key : "(none)";
}

void add_stage_table(std::string& out, const DurationFigures& f, TimeBasis basis, bool naive) {
  std::vector<std::string> header = {"stage",        "name",      "visits",        "in stage now",
                                     "first median", "first p90", "latest median", "latest p90",
                                     "total median", "total p90"};
  if (naive) header.push_back("latest mean (closed, biased)");
  std::vector<Align> align(header.size(), Align::right);
  align[0] = align[1] = Align::left;
  TextTable t(header, align);
  for (const auto& s : f.stages) {
    std::vector<std::string> row = {s.id,
                                    s.name,
                                    std::to_string(s.visits),
                                    std::to_string(s.in_stage_now),
                                    duration_text(s.first_visit.median, basis),
                                    duration_text(s.first_visit.p90, basis),
                                    duration_text(s.latest_visit.median, basis),
                                    duration_text(s.latest_visit.p90, basis),
                                    duration_text(s.cumulative.median, basis),
                                    duration_text(s.cumulative.p90, basis)};
    if (naive)
      row.push_back(s.latest_visit.naive_mean_closed ? duration_text(s.latest_visit.naive_mean_closed, basis)
                                                     : "-");
    t.add_row(std::move(row));
  }
  out += t.render();
}

void add_cycle_table(std::string& out, const CycleDurations& c, TimeBasis basis, bool naive) {
  std::vector<std::string> header = {"cycle", "deals",  "ended", "competing", "censored (open)",
                                     "p25",   "median", "p75",   "p90"};
  if (naive) header.push_back("mean (closed only, biased)");
  std::vector<Align> align(header.size(), Align::right);
  align[0] = Align::left;
  TextTable t(header, align);
  auto row = [&](const char* name, const DurationStats& s, bool competing) {
    std::vector<std::string> r = {name,
                                  std::to_string(s.subjects),
                                  std::to_string(s.events),
                                  competing ? std::to_string(s.competing) : "-",
                                  std::to_string(s.censored),
                                  duration_text(s.p25, basis),
                                  duration_text(s.median, basis),
                                  duration_text(s.p75, basis),
                                  duration_text(s.p90, basis)};
    if (naive) r.push_back(s.naive_mean_closed ? duration_text(s.naive_mean_closed, basis) : "-");
    t.add_row(std::move(r));
  };
  row("created -> won or lost", c.to_close, false);
  row("created -> won", c.to_won, true);
  row("created -> lost", c.to_lost, true);
  out += t.render();
  out += "share ending won (Aalen-Johansen, as far as observed) " + percent(c.won_incidence) + ", lost " +
         percent(c.lost_incidence) + "\n";
}

// docs/durations.md "Curves".
Json curves_json(const CycleCurves& c, TimeBasis basis) {
  Json close = Json::array();
  for (const SurvivalPoint& p : c.to_close)
    close.push_back(Json{{"t", p.time},
                         {"survival", p.survival},
                         {"at_risk", p.at_risk},
                         {"events", p.events},
                         {"censored", p.censored}});
  Json incidence = Json::array();
  for (const IncidencePoint& p : c.incidence)
    incidence.push_back(Json{{"t", p.time}, {"won", p.won}, {"lost", p.lost}, {"survival", p.survival}});
  return Json{{"unit", basis == TimeBasis::business ? "working seconds" : "seconds"},
              {"time_to_close", std::move(close)},
              {"censor_times", c.censor_times},
              {"incidence", std::move(incidence)},
              {"downsampling",
               {{"event_times", c.event_times},
                {"stride", c.stride},
                {"censor_times", c.censor_count},
                {"censor_stride", c.censor_stride},
                {"max_points", kMaxCurvePoints}}}};
}

}  // namespace

Json speed_to_json(const SpeedReport& r) {
  const DurationDefinition& d = r.durations.definition;
  Json j;
  j["definition"] = Json{{"pipeline", d.pipeline_id},
                         {"cohort_from", d.from ? Json(format_iso(*d.from)) : Json(nullptr)},
                         {"cohort_to", d.to ? Json(format_iso(*d.to)) : Json(nullptr)},
                         {"as_of", format_iso(d.as_of)},
                         {"basis", to_string(d.basis)},
                         {"calendar", d.basis == TimeBasis::business ? Json(d.calendar_name) : Json(nullptr)},
                         {"unit", d.basis == TimeBasis::business ? "working seconds" : "seconds"},
                         {"group_by", d.group_by.empty() ? Json(nullptr) : Json(d.group_by)},
                         {"time_in_stage", DurationDefinition::visit_text()},
                         {"cycle", DurationDefinition::cycle_text()},
                         {"quantiles", DurationDefinition::quantile_text() + "; null = not reached"},
                         {"velocity", SalesVelocity::definition()},
                         {"stale", StaleReport::definition()},
                         {"transitions",
                          "counts[i][j] = direct moves from stage i to stage j (consecutive events of "
                          "a deal in different stages); probabilities = row-normalised counts"}};
  Json total = figures_json(r.durations.total);
  for (auto& [key, value] : total.items()) j[key] = value;
  if (r.durations.curves) j["curves"] = curves_json(*r.durations.curves, d.basis);

  const SalesVelocity& v = r.velocity;
  j["velocity"] = Json{{"period_from", v.from ? Json(format_iso(*v.from)) : Json(nullptr)},
                       {"period_to", v.to ? Json(format_iso(*v.to)) : Json(nullptr)},
                       {"open_deals", v.open_deals},
                       {"won", v.won},
                       {"lost", v.lost},
                       {"win_rate", optional_double(v.win_rate)},
                       {"won_with_amount", v.won_with_amount},
                       {"by_currency", velocity_amounts_json(v)},
                       {"conversion", v.conversion.empty() ? Json(nullptr) : Json(v.conversion)},
                       {"won_amount", money_json(v.won_amount)},
                       {"average_won_amount", money_json(v.average_won_amount)},
                       {"median_won_cycle_seconds", optional_int(v.median_won_cycle_seconds)},
                       {"per_day", money_json(v.per_day)},
                       {"missing", v.missing.empty() ? Json(nullptr) : Json(v.missing)}};

  Json thresholds = Json::array();
  for (const auto& t : r.stale.stages) {
    Json sla = nullptr;
    if (t.sla) sla = Json{{"seconds", t.sla->limit.count()}, {"basis", to_string(t.sla->basis)}};
    thresholds.push_back(Json{{"stage", t.stage_id},
                              {"sla", std::move(sla)},
                              {"p90", optional_int(t.p90)},
                              {"open_deals", t.open_deals},
                              {"stale_deals", t.stale_deals}});
  }
  Json stale_deals = Json::array();
  for (const auto& s : r.stale.deals) {
    stale_deals.push_back(Json{{"deal", s.deal_key},
                               {"manager", s.manager},
                               {"stage", s.stage_id},
                               {"since", format_iso(s.since)},
                               {"idle", s.idle},
                               {"sla_idle", optional_int(s.sla_idle)},
                               {"over_sla", s.over_sla},
                               {"over_p90", s.over_p90}});
  }
  j["stale"] = Json{{"default_sla_calendar", r.stale.default_sla_calendar},
                    {"stages", std::move(thresholds)},
                    {"deals", std::move(stale_deals)}};

  const TransitionMatrix& m = r.transitions;
  Json counts = Json::array(), probabilities = Json::array(), sojourn = Json::array();
  for (Eigen::Index i = 0; i < m.counts.rows(); ++i) {
    Json crow = Json::array(), prow = Json::array();
    for (Eigen::Index k = 0; k < m.counts.cols(); ++k) {
      crow.push_back(m.counts(i, k));
      prow.push_back(m.probabilities(i, k));
    }
    counts.push_back(std::move(crow));
    probabilities.push_back(std::move(prow));
  }
  Json entries = Json::array(), current = Json::array(), visits = Json::array();
  for (Eigen::Index i = 0; i < m.counts.rows(); ++i) {
    entries.push_back(m.entries(i));
    current.push_back(m.current(i));
    sojourn.push_back(m.sojourn_seconds(i));
    visits.push_back(m.completed_visits(i));
  }
  j["transitions"] = Json{{"stages", m.stage_ids},
                          {"counts", std::move(counts)},
                          {"probabilities", std::move(probabilities)},
                          {"entries", std::move(entries)},
                          {"current", std::move(current)},
                          {"completed_visits", std::move(visits)},
                          {"sojourn_seconds", std::move(sojourn)}};

  if (!r.durations.groups.empty()) {
    Json groups = Json::array();
    for (const auto& g : r.durations.groups) {
      Json gj = figures_json(g.figures);
      gj["key"] = g.key ? Json(*g.key) : Json(nullptr);
      groups.push_back(std::move(gj));
    }
    j["groups"] = std::move(groups);
  }
  return j;
}

std::string durations_to_csv(const DurationReport& report) {
  const DurationDefinition& d = report.definition;
  const std::string basis(to_string(d.basis));
  const std::string unit = d.basis == TimeBasis::business ? "working_seconds" : "seconds";
  std::string out =
      "group,section,stage,variant,subjects,events,censored,competing,p25,median,p75,p90,naive_mean_closed_biased,"
      "basis,unit\n";
  auto num = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
  auto row = [&](const std::string& group, const char* section, const std::string& stage, const char* variant,
                 const DurationStats& s) {
    out += csv_escape(group) + "," + section + "," + csv_escape(stage) + "," + variant + "," +
           std::to_string(s.subjects) + "," + std::to_string(s.events) + "," + std::to_string(s.censored) +
           "," + std::to_string(s.competing) + "," + num(s.p25) + "," + num(s.median) + "," + num(s.p75) +
           "," + num(s.p90) + "," + num(s.naive_mean_closed) + "," + basis + "," + unit + "\n";
  };
  auto figures = [&](const std::string& group, const DurationFigures& f) {
    for (const auto& s : f.stages) {
      row(group, "stage", s.id, "first_visit", s.first_visit);
      row(group, "stage", s.id, "latest_visit", s.latest_visit);
      row(group, "stage", s.id, "cumulative", s.cumulative);
    }
    row(group, "cycle", "", "to_close", f.cycle.to_close);
    row(group, "cycle", "", "to_won", f.cycle.to_won);
    row(group, "cycle", "", "to_lost", f.cycle.to_lost);
  };
  figures("", report.total);
  for (const auto& g : report.groups) figures(g.key ? *g.key : "(none)", g.figures);
  return out;
}

std::string speed_to_table(const SpeedReport& r, const Pipeline& pipeline, std::size_t stale_rows) {
  const DurationDefinition& d = r.durations.definition;
  const DurationFigures& f = r.durations.total;
  const TimeBasis basis = d.basis;
  const bool naive = f.cycle.to_close.naive_mean_closed.has_value();
  std::string out = "Durations: " + pipeline.name() + " (" + pipeline.id() + "), deals created in [" +
                    bound(d.from, "-inf") + ", " + bound(d.to, "+inf") + "), as of " + format_iso(d.as_of) +
                    ", " + unit_name(basis) +
                    (basis == TimeBasis::business ? " (calendar " + d.calendar_name + ")" : std::string()) +
                    "\n";
  out += "deals " + std::to_string(f.deals) + ", won " + std::to_string(f.won) + ", lost " +
         std::to_string(f.lost) + ", open " + std::to_string(f.open) +
         " (censored at the report instant)\n\n";

  out += "Time in stage (" + unit_name(basis) + "; Kaplan-Meier, running visits censored):\n";
  add_stage_table(out, f, basis, naive);
  out += "\nCycle length (" + unit_name(basis) + "; open deals censored):\n";
  add_cycle_table(out, f.cycle, basis, naive);

  const SalesVelocity& v = r.velocity;
  out += "\nSales velocity (deals closed in [" + bound(v.from, "-inf") + ", " + bound(v.to, "+inf") + ")):\n";
  {
    TextTable t({"input", "value"}, {Align::left, Align::right});
    t.add_row({"open deals (at the report instant)", std::to_string(v.open_deals)});
    t.add_row({"won / lost in the period", std::to_string(v.won) + " / " + std::to_string(v.lost)});
    t.add_row({"win rate = won/(won+lost)", percent(v.win_rate)});
    t.add_row({"average won amount", averages_text(v)});
    t.add_row(
        {"median won cycle (calendar days)", duration_text(v.median_won_cycle_seconds, TimeBasis::calendar)});
    t.add_row({"velocity per calendar day", v.per_day ? money_text(v.per_day) : "- (" + v.missing + ")"});
    out += t.render();
  }

  out += "\nStale deals (" + std::to_string(r.stale.deals.size()) +
         "; no move for longer than the stage SLA or " + "its 90th percentile):\n";
  {
    TextTable t({"stage", "open", "stale", "SLA", "p90 (" + unit_name(basis) + ")"},
                {Align::left, Align::right, Align::right, Align::right, Align::right});
    for (const auto& s : r.stale.stages) {
      std::string sla = "-";
      if (s.sla) {
        sla = duration_text(s.sla->limit.count(), s.sla->basis) + " " + unit_name(s.sla->basis);
      }
      t.add_row({s.stage_id, std::to_string(s.open_deals), std::to_string(s.stale_deals), sla,
                 duration_text(s.p90, basis)});
    }
    out += t.render();
    if (!r.stale.deals.empty()) {
      TextTable list({"deal", "manager", "stage", "since", "idle (" + unit_name(basis) + ")", "over"},
                     {Align::left, Align::left, Align::left, Align::left, Align::right, Align::left});
      for (std::size_t i = 0; i < r.stale.deals.size() && i < stale_rows; ++i) {
        const StaleDeal& s = r.stale.deals[i];
        const std::string over = s.over_sla && s.over_p90 ? "SLA, p90" : s.over_sla ? "SLA" : "p90";
        list.add_row(
            {s.deal_key, s.manager, s.stage_id, format_iso(s.since), duration_text(s.idle, basis), over});
      }
      out += "\n" + list.render();
      if (r.stale.deals.size() > stale_rows) {
        out +=
            "... " + std::to_string(r.stale.deals.size() - stale_rows) + " more (--format json lists all)\n";
      }
    }
    if (r.stale.default_sla_calendar)
      out += "business-time SLAs measured with Mon-Fri 09:00-18:00 UTC (no --calendar)\n";
  }

  const TransitionMatrix& m = r.transitions;
  out += "\nDirect transitions (moves from row stage to column stage):\n";
  {
    std::vector<std::string> header = {"from \\ to"};
    for (const auto& id : m.stage_ids) header.push_back(id);
    std::vector<Align> align(header.size(), Align::right);
    align[0] = Align::left;
    TextTable t(header, align);
    for (Eigen::Index i = 0; i < m.counts.rows(); ++i) {
      std::vector<std::string> row = {m.stage_ids[static_cast<std::size_t>(i)]};
      for (Eigen::Index k = 0; k < m.counts.cols(); ++k) row.push_back(std::to_string(m.counts(i, k)));
      t.add_row(std::move(row));
    }
    out += t.render();
  }

  if (!r.durations.groups.empty()) {
    out += "\nBy " + d.group_by + " (" + unit_name(basis) + "):\n";
    TextTable t(
        {d.group_by, "deals", "won", "lost", "open", "cycle median", "cycle p90", "won median", "share won"},
        {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right, Align::right,
         Align::right, Align::right});
    for (const auto& g : r.durations.groups) {
      const DurationFigures& gf = g.figures;
      t.add_row({group_label(g.key), std::to_string(gf.deals), std::to_string(gf.won),
                 std::to_string(gf.lost), std::to_string(gf.open),
                 duration_text(gf.cycle.to_close.median, basis), duration_text(gf.cycle.to_close.p90, basis),
                 duration_text(gf.cycle.to_won.median, basis), percent(gf.cycle.won_incidence)});
    }
    out += t.render();
  }

  out += "\n" + d.summary() + "\n";
  out += "definition: " + DurationDefinition::visit_text() + "\n";
  out += "definition: " + DurationDefinition::cycle_text() + "\n";
  out += "definition: " + DurationDefinition::quantile_text() + "\n";
  out += "definition: " + SalesVelocity::definition() + "\n";
  if (!v.conversion.empty()) out += "definition: " + v.conversion + "\n";
  out += "definition: " + StaleReport::definition() + "\n";
  return out;
}

}  // namespace dealflow::analytics
