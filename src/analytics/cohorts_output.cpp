// Cohort reports as JSON, CSV and tables: see dealflow/analytics/cohorts_output.h.
#include "dealflow/analytics/cohorts_output.h"

#include <cstdio>

#include "analytics/report_context.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"
#include "analytics/output_text.h"

namespace dealflow::analytics {
namespace {

Json optional_json(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json cell_json(const CohortRow& r, std::uint64_t count) {
  return Json{{"count", count}, {"share", optional_json(r.share(count))}};
}

Json rate_json(const Rate& rate) {
  return Json{{"value", optional_json(rate.value)},
              {"low", rate.interval ? Json(rate.interval->low) : Json(nullptr)},
              {"high", rate.interval ? Json(rate.interval->high) : Json(nullptr)},
              {"numerator", rate.numerator},
              {"denominator", rate.denominator}};
}

Json row_json(const CohortRow& r, const std::vector<CohortStage>& stages) {
  Json furthest_stages = Json::array();
  for (std::size_t k = 0; k < stages.size(); ++k) {
    Json c = cell_json(r, r.furthest[k]);
    c["stage"] = stages[k].id;
    furthest_stages.push_back(std::move(c));
  }
  return Json{{"month", r.month},
              {"deals", r.deals},
              {"furthest",
               {{"no_stage", cell_json(r, r.no_stage)},
                {"stages", std::move(furthest_stages)},
                {"won", cell_json(r, r.won)}}},
              {"won", r.won},
              {"lost", r.lost},
              {"open", r.open},
              {"win_rate", rate_json(r.win_rate)},
              {"won_of_created", rate_json(r.won_of_created)}};
}

using detail::percent;
using detail::interval_text;

// Shortest round-trip text of a double ("" when absent), as JSON writes it.
std::string csv_double(const std::optional<double>& v) {
  return v ? Json(*v).dump() : std::string();
}

std::string count_share(const CohortRow& r, std::uint64_t count) {
  return std::to_string(count) + " (" + percent(r.share(count)) + ")";
}

}  // namespace

Json cohorts_to_json(const CohortReport& report) {
  const CohortDefinition& d = report.definition;
  Json stages = Json::array();
  for (const CohortStage& s : report.stages) stages.push_back(Json{{"id", s.id}, {"name", s.name}});
  Json months = Json::array();
  for (const CohortRow& r : report.rows) months.push_back(row_json(r, report.stages));
  Json total = row_json(report.total, report.stages);
  total.erase("month");
  return Json{{"definition",
               {{"pipeline", d.pipeline_id},
                {"from", d.from ? Json(format_iso(*d.from)) : Json(nullptr)},
                {"to", d.to ? Json(format_iso(*d.to)) : Json(nullptr)},
                {"as_of", format_iso(d.as_of)},
                {"utc_offset_minutes", d.utc_offset_minutes},
                {"rule", "high-water"},
                {"furthest", CohortDefinition::furthest_text()},
                {"win_rate", CohortDefinition::win_rate_text()}}},
              {"stages", std::move(stages)},
              {"months", std::move(months)},
              {"total", std::move(total)}};
}

std::string cohorts_to_csv(const CohortReport& report) {
  std::string out = "month,deals,no_stage";
  for (const CohortStage& s : report.stages) out += "," + csv_escape(s.id);
  out += ",won,lost,open,win_rate,win_rate_low,win_rate_high,won_of_created,pipeline,as_of\n";
  const std::string tail =
      "," + csv_escape(report.definition.pipeline_id) + "," + format_iso(report.definition.as_of) + "\n";
  auto line = [&](const CohortRow& r) {
    out += r.month + "," + std::to_string(r.deals) + "," + std::to_string(r.no_stage);
    for (const std::uint64_t c : r.furthest) out += "," + std::to_string(c);
    out += "," + std::to_string(r.won) + "," + std::to_string(r.lost) + "," + std::to_string(r.open) + "," +
           csv_double(r.win_rate.value) + "," +
           csv_double(r.win_rate.interval ? std::optional(r.win_rate.interval->low) : std::nullopt) + "," +
           csv_double(r.win_rate.interval ? std::optional(r.win_rate.interval->high) : std::nullopt) + "," +
           csv_double(r.won_of_created.value) + tail;
  };
  for (const CohortRow& r : report.rows) line(r);
  line(report.total);
  return out;
}

std::string cohorts_to_table(const CohortReport& report) {
  std::vector<std::string> header = {"created", "deals", "no stage"};
  std::vector<Align> align = {Align::left, Align::right, Align::right};
  for (const CohortStage& s : report.stages) {
    header.push_back(s.name);
    align.push_back(Align::right);
  }
  for (const char* h : {"won", "lost", "open", "win rate", "95% CI"}) {
    header.push_back(h);
    align.push_back(Align::right);
  }
  TextTable t(header, align);
  auto add = [&](const CohortRow& r) {
    std::vector<std::string> cells = {r.month, std::to_string(r.deals), count_share(r, r.no_stage)};
    for (const std::uint64_t c : r.furthest) cells.push_back(count_share(r, c));
    cells.push_back(count_share(r, r.won));
    cells.push_back(std::to_string(r.lost));
    cells.push_back(std::to_string(r.open));
    cells.push_back(percent(r.win_rate.value));
    cells.push_back(interval_text(r.win_rate));
    t.add_row(std::move(cells));
  };
  for (const CohortRow& r : report.rows) add(r);
  add(report.total);
  std::string out = "cohorts by created month: deals by the furthest stage reached (share of the month)\n";
  out += t.render();
  out += report.definition.summary() + "\n";
  out += "definition: " + CohortDefinition::furthest_text() + "\n";
  out += "definition: " + CohortDefinition::win_rate_text() + "\n";
  return out;
}

}  // namespace dealflow::analytics
