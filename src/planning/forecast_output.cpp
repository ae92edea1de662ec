// The forecast report's outputs: see dealflow/planning/forecast_output.h.
#include "dealflow/planning/forecast_output.h"

#include <cstdio>

#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"
#include "planning/fixed_text.h"

namespace dealflow::planning {

namespace {

std::string money(std::int64_t minor, Currency c) {
  return Money(minor, c).format_amount(" ", ',');
}
std::string money_plain(std::int64_t minor, Currency c) {
  return Money(minor, c).format_amount();
}

std::string scope_text(const ForecastRow& r) {
  return r.scope.value_or("(none)");
}

using detail::fixed_text;

std::string share(double v) {
  return fixed_text(v * 100.0, 1) + "%";
}

std::string number(double v) {
  return fixed_text(v, 2);
}

std::int64_t window_days(const ForecastReport& r) {
  return r.fit.training_window.count() / 86400;
}

bool has(const ForecastReport& r, ForecastMethod m) {
  for (ForecastMethod x : r.methods)
    if (x == m) return true;
  return false;
}

std::string formula(ForecastMethod m, const ForecastReport& r) {
  const std::string end = "in the period (" + r.period.first.to_string() + " .. " +
                          (r.period.end - 1).to_string() +
                          "; a missing date or one in an earlier period: not counted)";
  switch (m) {
    case ForecastMethod::weighted:
      return "weighted = fact + sum of amount x probability (the deal's own, else its stage default) over "
             "open "
             "deals expected to close " +
             end + "; exact, rounded half to even once per total";
    case ForecastMethod::categories:
      return "categories = the commit roll-up (commit + closed) of open deals expected to close " + end +
             ", or the manager adjustment in force; best case = best case + commit + closed; open pipeline = "
             "pipeline + best case + commit";
    case ForecastMethod::markov:
      return "markov = fact + sum of amount x P(won | stage) of an absorbing Markov chain fitted on the "
             "direct transitions of deals created in the training window, over open deals expected to "
             "close " +
             end + "; rounded once to minor units";
    case ForecastMethod::timing:
      return "timing = fact + sum of amount x (CIF_won(age + h) - CIF_won(age)) / S(age), Aalen-Johansen per "
             "stage of the time from entering it to won (lost competing, open censored) over first visits in "
             "the training window, age = time in the current stage, h = period end - as_of; rounded once";
    case ForecastMethod::monte_carlo:
      return "monte-carlo = fact + won amount simulated " + std::to_string(r.trials) + " times (seed " +
             std::to_string(r.seed) +
             ") with each open deal won / lost / open from the timing probabilities; mean rounded once, "
             "nearest-rank P10 / P50 / P90; the same for any thread count";
  }
  return {};
}

std::string adjustment_text(const Adjustment& a) {
  return money(a.amount.minor_units(), a.amount.currency()) + " by " + a.author + " at " + format_iso(a.at) +
         (a.note.empty() ? "" : " (" + a.note + ")");
}

}  // namespace

std::vector<std::string> forecast_definitions(const ForecastReport& r) {
  std::vector<std::string> out;
  out.push_back("period " + r.period.label + " = " + r.period.first.to_string() + " .. " +
                (r.period.end - 1).to_string() + " at UTC offset " + format_utc_offset(r.utc_offset_minutes) +
                " = [" + format_iso(r.period_begin) + ", " + format_iso(r.period_end) + "); as of " +
                format_iso(r.as_of) + "; scope " + r.scope);
  out.push_back(
      "fact = the amount of deals won in [period begin, as of] (amounts as of the report instant), credited "
      "to the owner as of the closing instant" +
      std::string(r.converted ? "; amounts converted into one currency (--fx)" : "; sums per currency"));
  if (has(r, ForecastMethod::markov) || has(r, ForecastMethod::timing) || has(r, ForecastMethod::monte_carlo))
    out.push_back("training window " + std::to_string(window_days(r)) + " days: [" +
                  format_iso(r.as_of - r.fit.training_window) + ", " + format_iso(r.as_of) +
                  "], no event after as of is read; markov smoothing " + number(r.fit.markov.smoothing));
  for (ForecastMethod m : r.methods) out.push_back(formula(m, r));
  if (r.target && has(r, ForecastMethod::monte_carlo))
    out.push_back("P(>= target) = share of trials with fact + won >= " +
                  money(r.target->minor_units(), r.target->currency()) + " " +
                  std::string(r.target->currency().code()) + " (company scope)");
  return out;
}

std::string forecast_to_table(const ForecastReport& r) {
  const bool mc = has(r, ForecastMethod::monte_carlo);
  std::vector<std::string> header = {r.scope,     "method",   "currency", "fact",
                                     "won deals", "expected", "forecast", "open deals"};
  if (mc) header.insert(header.end(), {"P10", "P50", "P90", "P(>= target)"});
  std::vector<Align> align(header.size(), Align::right);
  align[0] = align[1] = align[2] = Align::left;
  TextTable t(header, align);
  for (const ForecastRow& row : r.rows) {
    const Currency c = row.currency;
    std::vector<std::string> cells = {
        scope_text(row),        std::string(to_string(row.method)), std::string(c.code()),
        money(row.fact, c),     std::to_string(row.fact_deals),     money(row.expected, c),
        money(row.forecast, c), std::to_string(row.open_deals)};
    if (mc) {
      if (row.distribution) {
        const auto& d = *row.distribution;
        cells.insert(cells.end(), {money(d.p10, c), money(d.p50, c), money(d.p90, c),
                                   d.p_reach_target ? share(*d.p_reach_target) : "-"});
      } else {
        cells.insert(cells.end(), {"-", "-", "-", "-"});
      }
    }
    t.add_row(std::move(cells));
  }
  std::string out = t.render();
  if (has(r, ForecastMethod::categories)) {
    TextTable c({r.scope == "company" ? "scope" : r.scope, "currency", "closed", "commit", "best case",
                 "open pipeline", "adjusted commit", "adjusted best case", "adjusted pipeline"},
                {Align::left, Align::left, Align::right, Align::right, Align::right, Align::right,
                 Align::right, Align::right, Align::right});
    std::vector<std::string> adjustments;
    for (const ForecastRow& row : r.rows) {
      if (!row.categories) continue;
      const auto& k = *row.categories;
      const Currency cur = row.currency;
      auto adjusted = [&](std::size_t i) {
        return k.adjusted[i] ? money(k.adjusted[i]->amount.minor_units(), cur) : std::string("-");
      };
      c.add_row({scope_text(row), std::string(cur.code()), money(k.closed, cur), money(k.commit, cur),
                 money(k.best_case, cur), money(k.open_pipeline, cur), adjusted(0), adjusted(1),
                 adjusted(2)});
      static constexpr const char* kNames[3] = {"commit", "best_case", "pipeline"};
      for (std::size_t i = 0; i < 3; ++i)
        if (k.adjusted[i])
          adjustments.push_back("adjustment: " + scope_text(row) + " " + kNames[i] + " = " +
                                adjustment_text(*k.adjusted[i]));
    }
    out += "\ncategory roll-ups (cumulative; adjusted = the manager adjustment in force at as of):\n" +
           c.render();
    for (const auto& a : adjustments) out += a + "\n";
  }
  if (!r.markov_chain.empty()) {
    TextTable m(
        {"stage", "exits", "P(won)", "P(lost)", "expected steps", "sojourn, d", "to absorption, d"},
        {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right, Align::right});
    const auto days = [](double seconds) { return fixed_text(seconds / 86400.0, 1); };
    for (const MarkovStageRow& s : r.markov_chain)
      m.add_row({s.stage + (s.no_data ? " (no data)" : ""), std::to_string(s.exits), fixed_text(s.p_won, 3),
                 fixed_text(s.p_lost, 3), fixed_text(s.expected_steps, 2), days(s.mean_sojourn_seconds),
                 days(s.expected_seconds_to_absorption)});
    out +=
        "\nmarkov chain (fitted on the training window; P = absorption probabilities B = (I - Q)^-1 R):\n" +
        m.render();
  }
  if (!r.timing_by_age.empty()) {
    std::vector<std::string> header = {"stage", "visits", "won", "lost"};
    for (int a : kTimingAgesDays) header.push_back(std::to_string(a) + " d");
    std::vector<Align> align(header.size(), Align::right);
    align[0] = Align::left;
    TextTable t(header, align);
    for (const TimingStageRow& s : r.timing_by_age) {
      std::vector<std::string> cells = {s.stage, std::to_string(s.visits), std::to_string(s.won),
                                        std::to_string(s.lost)};
      for (double p : s.p_won_by_age) cells.push_back(fixed_text(p, 3));
      t.add_row(std::move(cells));
    }
    out +=
        "\ntiming: P(won by the period end | stage, days already in it) (Aalen-Johansen, training "
        "window):\n" +
        t.render();
  }
  for (const auto& d : forecast_definitions(r)) out += "definition: " + d + "\n";
  for (const auto& n : r.notes) out += "note: " + n + "\n";
  return out;
}

std::string forecast_to_csv(const ForecastReport& r) {
  std::string out =
      "method,as_of,period,period_begin,period_end,scope_kind,training_window_days,trials,seed,scope,"
      "currency,"
      "fact,fact_deals,expected,forecast,open_deals,closed,commit,best_case,open_pipeline,adjusted_commit,"
      "adjusted_best_case,adjusted_pipeline,p10,p50,p90,p_reach_target\n";
  for (const ForecastRow& row : r.rows) {
    const Currency c = row.currency;
    out += std::string(to_string(row.method)) + "," + format_iso(r.as_of) + "," + csv_escape(r.period.label) +
           "," + format_iso(r.period_begin) + "," + format_iso(r.period_end) + "," + csv_escape(r.scope) +
           "," + std::to_string(window_days(r)) + "," + std::to_string(r.trials) + "," +
           std::to_string(r.seed) + "," + csv_escape(scope_text(row)) + "," + std::string(c.code()) + "," +
           money_plain(row.fact, c) + "," + std::to_string(row.fact_deals) + "," +
           money_plain(row.expected, c) + "," + money_plain(row.forecast, c) + "," +
           std::to_string(row.open_deals);
    if (row.categories) {
      const auto& k = *row.categories;
      out += "," + money_plain(k.closed, c) + "," + money_plain(k.commit, c) + "," +
             money_plain(k.best_case, c) + "," + money_plain(k.open_pipeline, c);
      for (const auto& a : k.adjusted) out += "," + (a ? money_plain(a->amount.minor_units(), c) : "");
    } else {
      out += ",,,,,,,";
    }
    if (row.distribution) {
      const auto& d = *row.distribution;
      out += "," + money_plain(d.p10, c) + "," + money_plain(d.p50, c) + "," + money_plain(d.p90, c) + "," +
             (d.p_reach_target ? number(*d.p_reach_target * 100.0) + "%" : "");
    } else {
      out += ",,,,";
    }
    out += "\n";
  }
  return out;
}

Json forecast_to_json(const ForecastReport& r) {
  Json def;
  def["period"] = r.period.label;
  def["period_first"] = r.period.first.to_string();
  def["period_last"] = (r.period.end - 1).to_string();
  def["period_begin"] = format_iso(r.period_begin);
  def["period_end"] = format_iso(r.period_end);
  def["utc_offset"] = format_utc_offset(r.utc_offset_minutes);
  def["as_of"] = format_iso(r.as_of);
  def["scope"] = r.scope;
  def["training_window_days"] = window_days(r);
  def["trials"] = r.trials;
  def["seed"] = r.seed;
  def["markov_smoothing"] = r.fit.markov.smoothing;
  def["converted"] = r.converted;
  def["target"] = r.target
                      ? Json{{"amount", r.target->format_amount()}, {"currency", r.target->currency().code()}}
                      : Json(nullptr);
  Json methods = Json::array();
  for (ForecastMethod m : r.methods)
    methods.push_back(Json{{"method", to_string(m)}, {"formula", formula(m, r)}});
  def["methods"] = std::move(methods);
  def["lines"] = forecast_definitions(r);
  Json rows = Json::array();
  for (const ForecastRow& row : r.rows) {
    const Currency c = row.currency;
    Json j{{"method", to_string(row.method)},
           {"scope", row.scope ? Json(*row.scope) : Json(nullptr)},
           {"currency", c.code()},
           {"fact", money_plain(row.fact, c)},
           {"fact_deals", row.fact_deals},
           {"expected", money_plain(row.expected, c)},
           {"forecast", money_plain(row.forecast, c)},
           {"open_deals", row.open_deals}};
    if (row.categories) {
      const auto& k = *row.categories;
      Json adj = Json::object();
      static constexpr const char* kNames[3] = {"commit", "best_case", "pipeline"};
      for (std::size_t i = 0; i < 3; ++i)
        adj[kNames[i]] = k.adjusted[i] ? Json{{"amount", money_plain(k.adjusted[i]->amount.minor_units(), c)},
                                              {"author", k.adjusted[i]->author},
                                              {"at", format_iso(k.adjusted[i]->at)},
                                              {"note", k.adjusted[i]->note}}
                                       : Json(nullptr);
      j["categories"] = Json{{"closed", money_plain(k.closed, c)},
                             {"commit", money_plain(k.commit, c)},
                             {"best_case", money_plain(k.best_case, c)},
                             {"open_pipeline", money_plain(k.open_pipeline, c)},
                             {"adjusted", std::move(adj)}};
    }
    if (row.distribution) {
      const auto& d = *row.distribution;
      j["distribution"] =
          Json{{"mean", money_plain(d.mean, c)},
               {"p10", money_plain(d.p10, c)},
               {"p50", money_plain(d.p50, c)},
               {"p90", money_plain(d.p90, c)},
               {"mean_won_deals", d.mean_won_deals},
               {"mean_lost_deals", d.mean_lost_deals},
               {"p_reach_target", d.p_reach_target ? Json(*d.p_reach_target) : Json(nullptr)}};
      Json edges = Json::array();
      for (const std::int64_t e : d.histogram.edges) edges.push_back(money_plain(e, c));
      j["distribution"]["histogram"] = Json{{"edges", std::move(edges)}, {"counts", d.histogram.counts}};
    }
    rows.push_back(std::move(j));
  }
  Json result{{"definition", std::move(def)}, {"rows", std::move(rows)}, {"notes", r.notes}};
  if (!r.markov_chain.empty()) {
    Json chain = Json::array();
    for (const MarkovStageRow& s : r.markov_chain)
      chain.push_back(Json{{"stage", s.stage},
                           {"exits", s.exits},
                           {"no_data", s.no_data},
                           {"p_won", s.p_won},
                           {"p_lost", s.p_lost},
                           {"expected_steps", s.expected_steps},
                           {"mean_sojourn_seconds", s.mean_sojourn_seconds},
                           {"expected_seconds_to_absorption", s.expected_seconds_to_absorption}});
    result["markov_chain"] = std::move(chain);
  }
  if (!r.timing_by_age.empty()) {
    Json stages = Json::array();
    for (const TimingStageRow& s : r.timing_by_age) {
      Json by_age = Json::array();
      for (std::size_t k = 0; k < kTimingAgesDays.size(); ++k)
        by_age.push_back(Json{{"age_days", kTimingAgesDays[k]}, {"p_won", s.p_won_by_age[k]}});
      stages.push_back(Json{
          {"stage", s.stage}, {"visits", s.visits}, {"won", s.won}, {"lost", s.lost}, {"by_age", by_age}});
    }
    result["timing_by_age"] = std::move(stages);
  }
  return result;
}

}  // namespace dealflow::planning
