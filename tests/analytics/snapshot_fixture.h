// Test helpers for the snapshot tests: a hand-built log with every column
// kind, a digest of every column of a log (through the public accessors), the
// reports' text, and file helpers.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/durations_output.h"
#include "dealflow/analytics/funnel_output.h"
#include "dealflow/analytics/scorecard.h"
#include "dealflow/analytics/scorecard_output.h"
#include "dealflow/analytics/slippage.h"
#include "dealflow/analytics/snapshot.h"
#include "dealflow/io/json.h"
#include "funnel_fixture.h"

namespace dealflow::analytics::testing {

inline std::string temp_path(const std::string& name) {
  return std::string(DEALFLOW_TEST_TMP) + "/" + std::to_string(::getpid()) + "_" + name;
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Two pipelines ("sales", the fixture; "service", small_pipeline), deals in
// both with Cyrillic dimension values and a custom column, amounts in four
// currencies, close_date / closed_at / probability columns, a move from
// sales to service, actors, field changes of every kind (amounts in two
// currencies) and a lenient load that skipped two rows and noted a reopen.
struct RichLog {
  LoadedPipeline service = small_pipeline("service");
  std::vector<const Pipeline*> pipelines{&fixture_pipeline(), &service.pipeline};
  LoadedLog loaded;

  RichLog() {
    CsvLoadOptions options;
    options.mode = LoadMode::lenient;
    const char* deals =
        "id,created_at,pipeline,amount,currency,manager,region,client,segment,close_date,closed_at,"
        "probability\n"
        "A-1,2024-01-01T00:00:00Z,sales,1000.50,RUB,Иванов,Москва,ООО «Ромашка»,Крупный,2024-03-01,,40\n"
        "A-2,2024-01-02T00:00:00Z,sales,250.00,USD,Петрова,Сибирь,ИП "
        "Ёлкин,,2024-02-01,2024-02-10T00:00:00Z,100\n"
        "A-3,2024-01-03T00:00:00Z,sales,99.999,KWD,Иванов,,Café Crème,Малый,,,\n"
        "A-4,2024-01-04T00:00:00Z,service,70000,JPY,Sørensen,Москва,,,,,12.5\n"
        "A-5,2024-01-05T00:00:00Z,service,,,,,,,,,\n"
        "A-6,not-a-date,sales,1.00,RUB,Иванов,,,,,,\n";
    const char* history =
        "deal_id,at,stage,pipeline,actor\n"
        "A-1,2024-01-01T00:00:00Z,NEW,sales,Иванов\n"
        "A-1,2024-01-10T00:00:00Z,QUAL,sales,Иванов\n"
        "A-1,2024-02-01T00:00:00Z,OPEN,service,робот\n"
        "A-1,2024-02-05T00:00:00Z,DONE,service,\n"
        "A-2,2024-01-02T00:00:00Z,NEW,sales,Петрова\n"
        "A-2,2024-01-20T00:00:00Z,WON,sales,Петрова\n"
        "A-2,2024-01-25T00:00:00Z,QUAL,sales,Петрова\n"
        "A-3,2024-01-03T00:00:00Z,NEW,sales,\n"
        "A-3,2024-01-04T00:00:00Z,LOST,sales,Иванов\n"
        "A-3,2024-01-06T00:00:00Z,NEW,sales,Иванов\n"
        "A-4,2024-01-04T00:00:00Z,OPEN,service,Sørensen\n"
        "A-4,2024-01-04T00:00:00Z,FAIL,service,Sørensen\n"
        "A-9,2024-01-04T00:00:00Z,OPEN,service,\n";
    const char* changes =
        "deal_id,at,field,value,currency\n"
        "A-1,2024-01-15T00:00:00Z,manager,Петрова,\n"
        "A-1,2024-01-16T00:00:00Z,amount,1200.00,RUB\n"
        "A-1,2024-01-17T00:00:00Z,close_date,2024-04-01,\n"
        "A-1,2024-01-18T00:00:00Z,probability,55.5,\n"
        "A-2,2024-01-05T00:00:00Z,amount,300.00,EUR\n"
        "A-2,2024-01-06T00:00:00Z,amount,,\n"
        "A-2,2024-01-07T00:00:00Z,segment,Средний,\n"
        "A-3,2024-01-08T00:00:00Z,region,Урал,\n"
        "A-4,2024-01-09T00:00:00Z,forecast_category,commit,\n";
    auto log = load_deals_csv(deals, "deals.csv", pipelines, options);
    if (!log) throw std::runtime_error(log.status().to_string());
    Status st = load_history_csv(history, "history.csv", pipelines, options, *log);
    if (!st.ok()) throw std::runtime_error(st.to_string());
    st = load_field_changes_csv(changes, "field_changes.csv", options, *log);
    if (!st.ok()) throw std::runtime_error(st.to_string());
    loaded = std::move(*log);
  }
};

// Every column of a log, as text, through the public accessors.
inline std::string log_digest(const EventLog& log) {
  std::ostringstream o;
  o << "time_base " << log.time_base().unix_seconds() << " latest " << log.latest_instant().unix_seconds()
    << "\n";
  for (std::uint32_t p = 0; p < log.pipelines().size(); ++p)
    o << "pipeline " << log.pipelines().at(p) << "\n";
  for (std::uint32_t a = 0; a < log.actors().size(); ++a) o << "actor " << log.actors().at(a) << "\n";
  for (const Currency& c : log.currencies()) o << "currency " << c.code() << "\n";
  for (std::uint16_t d = 0; d < log.dimension_count(); ++d) {
    const DimensionColumn& col = log.dimension(DimensionId{d});
    o << "dimension " << col.name << " width " << col.codes.width() << ":";
    for (std::uint32_t v = 0; v < col.values.size(); ++v) o << " " << col.values.at(v);
    o << "\n";
  }
  for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{i};
    o << "deal " << log.deal_key(d) << " found " << (log.find_deal(log.deal_key(d)) == d) << " p "
      << log.pipeline(d).value() << " c " << log.created_at(d).unix_seconds();
    if (auto m = log.amount(d)) o << " amount " << m->minor_units() << " " << m->currency().code();
    if (auto cd = log.close_date(d)) o << " close " << cd->days_since_epoch();
    if (auto ca = log.closed_at(d)) o << " closed " << ca->unix_seconds();
    if (auto pr = log.probability(d)) o << " prob " << *pr;
    for (std::uint16_t k = 0; k < log.dimension_count(); ++k)
      o << " " << log.dimension_value(d, DimensionId{k}) << "|";
    for (const auto& mv : log.pipeline_moves(d)) o << " move " << mv.at << ">" << mv.pipeline;
    for (std::size_t e = log.event_begin(d); e < log.event_end(d); ++e) {
      o << " ev " << log.event_at(e).unix_seconds() << "/" << log.event_stage(e).value() << "/"
        << log.actor_name(log.event_actor(e));
    }
    for (std::size_t c = log.field_change_begin(d); c < log.field_change_end(d); ++c) {
      o << " fc " << log.field_change_at(c).unix_seconds() << "/" << log.field_change_field(c).code() << "/"
        << log.field_change_value(c);
      if (auto m = log.field_change_amount(c)) o << "=" << m->minor_units() << m->currency().code();
    }
    o << "\n";
  }
  for (std::uint32_t f : {0u, 1u, 7u, 9u, 0xFFFDu, 0xFFFEu, 0xFFFFu})
    o << "field " << f << " changes "
      << log.field_change_count(DealField::from_code(static_cast<std::uint16_t>(f))) << "\n";
  return o.str();
}

// The load report as the CLI prints it (text) plus its counters.
inline std::string report_digest(const LoadReport& r) {
  std::ostringstream o;
  o << r.deal_rows << " " << r.deals_loaded << " " << r.history_rows << " " << r.events_loaded << " "
    << r.deals_without_history << " " << r.field_change_rows << " " << r.field_changes_loaded << " total "
    << r.total() << " noted " << r.noted() << " first " << (r.first() ? r.first()->to_string() : "-") << "\n"
    << r.to_text();
  return o.str();
}

// Every report of every selected pipeline: funnel in all four modes (plain and
// by manager, and by client), durations, scorecard and pipeline changes.
inline std::string reports_digest(const EventLog& log, const std::vector<const Pipeline*>& pipelines) {
  std::string out;
  for (const Pipeline* p : pipelines) {
    for (CountingRule rule : {CountingRule::high_water, CountingRule::touched, CountingRule::strict_order,
                              CountingRule::snapshot}) {
      for (const char* by : {"", "manager", "client"}) {
        FunnelQuery q;
        q.rule = rule;
        if (*by) q.group = *resolve_grouping(log, by);
        auto r = compute_funnel(log, *p, q);
        out += r ? funnel_to_csv(*r) + dump_json(funnel_to_json(*r, *p)) : r.status().to_string();
      }
    }
    DurationQuery dq;
    dq.group = *resolve_grouping(log, "manager");
    auto d = compute_durations(log, *p, dq);
    out += d ? durations_to_csv(*d) : d.status().to_string();
    ScorecardQuery sq;
    sq.from = at("2024-01-01T00:00:00Z");
    sq.to = at("2024-03-01T00:00:00Z");
    auto s = compute_scorecard(log, *p, sq);
    out += s ? dump_json(scorecard_to_json(*s)) : s.status().to_string();
    auto c = compute_slippage(log, *p, {});
    out += c ? dump_json(slippage_to_json(*c)) : c.status().to_string();
  }
  return out;
}

}  // namespace dealflow::analytics::testing
