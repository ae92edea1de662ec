// `dealflow commission [statement|summary|what-if|check]`: commission
// statements, the team summary, a what-if and the plan check
// (docs/compensation.md "`dealflow commission`").
#include <algorithm>
#include <ostream>

#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/commands/commission.h"
#include "dealflow/compensation/plan.h"
#include "dealflow/compensation/statement.h"
#include "dealflow/compensation/statement_output.h"
#include "dealflow/compensation/what_if.h"
#include "dealflow/io/fx_rates.h"

namespace dealflow::cli {
namespace {

using namespace dealflow::compensation;

const std::string kHelp =
    std::string(
        "usage: dealflow commission [statement|summary|what-if|check] --comp PLAN.json --pipeline P\n"
        "                           --deals D.csv --history H.csv [--field-changes F.csv]\n"
        "                           [--period 2024-Q3]... [--manager ID]... [--team-id TEAM] [--as-of T]\n"
        "                           [--deal ID | --extra \"500000 RUB\"] [--format table|csv|json]\n"
        "\n"
        "Commission statements from the deal history (docs/compensation.md): every line with its deal,\n"
        "credit share, slice, tier, rate, amount and reason; clawbacks, draws, caps; total = sum of lines.\n"
        "  statement (default)  a statement per participant and period\n"
        "  summary              the team summary: payouts, won amount (direct credit), cost of sales\n"
        "  what-if              what closing --deal ID (or --extra \"X CUR\" more) pays --manager this "
        "period\n"
        "  check                the plan checked against the data (errors: exit 1; warnings: reported)\n"
        "\n"
        "options:\n"
        "  --comp PLAN.json    the compensation plan (its team file and quota plan are read with it)\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  owner, amount and dimensions as of any instant (owner as of closing)\n" +
    kSnapshotOptionHelp +
    "  --period P          a period of the plan's length (2024-Q3, 2024-07, ...; repeatable; default: the\n"
    "                      period containing as-of); earlier periods are computed as the engine needs\n"
    "  --manager ID        only this participant (id or display name; repeatable); what-if: required\n"
    "  --team-id TEAM      only the participants of this team of the team file and its sub-teams\n"
    "  --as-of T           nothing later is read (default: the log's latest instant); a period ending\n"
    "                      after it is provisional; without an offset T is local at the plan's offset\n"
    "  --deal ID           what-if: the open deal to close as won at as-of\n"
    "  --extra \"X CUR\"     what-if: a synthetic deal of X credited 100% to --manager\n"
    "  --utc-offset +HH:MM offset of CSV timestamps without one (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n"
    "  --fx RATES.csv      exchange rates date,from,to,rate: a deal won in another currency is credited\n"
    "                      at its amount converted into the plan's currency at the rate of its local\n"
    "                      credit date (docs/currencies.md); without it such deals credit nobody (a note)\n"
    "  --lenient           skip bad rows of the CSV files and report them\n"
    "  --format F          table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (plan, team file, quota plan, CSV files, a check error),\n"
    "2 usage (unknown option or sub-command, --period not of the plan's length, --manager not a\n"
    "participant, what-if without --deal/--extra, a --deal that is not open)\n";

int usage(Io io, const std::string& message) {
  print_error(io, Status(ErrorCode::invalid_argument, message));
  return kExitUsage;
}

// --manager values as participant ids (a display name is accepted); "" and a message when not one.
std::string resolve_participant(const CompensationPlan& plan, const std::string& text, std::string& error) {
  if (plan.find_participant(text)) return text;
  for (const Participant& p : plan.participants)
    if (plan.team.manager(p.manager_id).name == text) return p.manager;
  std::string known;
  for (const Participant& p : plan.participants) known += (known.empty() ? "" : ", ") + p.manager;
  error = "--manager '" + text + "': not a participant of the plan (participants: " + known + ")";
  return "";
}

// The open-deal check of what-if --deal: known, and open (not won or lost) as of as_of.
std::string deal_usage_error(const analytics::EventLog& log, std::span<const Pipeline* const> pipelines,
                             const std::string& key, Instant as_of, int offset) {
  const auto id = log.find_deal(key);
  if (!id) return "--deal '" + key + "': no such deal in the deals file";
  std::optional<std::size_t> last;
  for (std::size_t i = log.event_begin(*id); i < log.event_end(*id) && log.event_at(i) <= as_of; ++i)
    last = i;
  if (!last) return "--deal '" + key + "': the deal has no stage as of " + format_iso(as_of, offset);
  const std::string_view pipeline_id =
      log.pipelines().at(log.stay_as_of(*id, log.at_column()[*last]).pipeline.value());
  for (const Pipeline* p : pipelines) {
    if (p->id() != pipeline_id) continue;
    const Stage& s = p->stage(log.event_stage(*last));
    if (s.kind != StageKind::open)
      return "--deal '" + key + "': already " + std::string(to_string(s.kind)) + " (stage " + s.id +
             " since " + format_iso(log.event_at(*last), offset) + "): expected an open deal";
  }
  return "";
}

template <class Table, class Csv, class ToJson>
void print(Io io, const std::string& format, Table table, Csv csv, ToJson json,
           const std::vector<std::string>& notes) {
  if (format == "json") {
    io.out << dump_json(json()) << "\n";
  } else if (format == "csv") {
    io.out << csv();
    for (const std::string& n : notes) io.err << "note: " << n << "\n";  // CSV stays data only
  } else {
    io.out << table();
  }
}

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), {"comp", "period", "manager", "team-id", "as-of", "deal", "extra", "fx",
                                 "fx-policy", "report-currency", "format"});
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  const auto& pos = args->positionals();
  if (pos.size() > 1) return usage(io, "unexpected argument '" + pos[1] + "' (see --help)");
  const std::string sub = pos.empty() ? "statement" : pos[0];
  if (sub != "statement" && sub != "summary" && sub != "what-if" && sub != "check")
    return usage(io, "unknown sub-command '" + sub + "': expected statement, summary, what-if or check");
  const auto format = report_format_option(*args);
  if (!format) return print_error(io, format.status()), kExitUsage;
  const auto comp_path = args->required("comp");
  if (!comp_path) return print_error(io, comp_path.status()), kExitUsage;
  if (sub != "what-if")
    for (const char* o : {"deal", "extra"})
      if (args->option(o)) return usage(io, "--" + std::string(o) + " is an option of what-if only");
  if (sub == "summary" || sub == "check")
    for (const char* o : {"manager", "team-id"})
      if (args->option(o))
        return usage(io,
                     "--" + std::string(o) + ": " + sub + " covers every participant (statement or what-if)");
  for (const char* o : {"fx-policy", "report-currency"})
    if (args->option(o))
      return usage(io, "--" + std::string(o) +
                           ": statements are in the plan's currency, converted at the rate of each deal's "
                           "credit date (give --fx RATES.csv only)");
  auto input_offset = utc_offset_option(*args);
  if (!input_offset) return print_error(io, input_offset.status()), kExitUsage;

  auto plan = load_compensation_plan_file(*comp_path);
  if (!plan) return print_error(io, plan.status()), kExitDataError;
  const int offset = plan->utc_offset_minutes;

  std::vector<planning::Period> periods;
  for (const std::string& text : args->option_values("period")) {
    auto p = planning::parse_period(text, plan->fiscal_start_month);
    if (!p) return print_error(io, p.status().with_context("--period")), kExitUsage;
    if (p->kind != plan->period)
      return usage(io,
                   "--period '" + text + "': a " + std::string(planning::to_string(p->kind)) +
                       "; the plan pays per " + std::string(planning::to_string(plan->period)) +
                       ": expected a period such as " +
                       planning::period_containing(plan->period, p->first, plan->fiscal_start_month).label);
    periods.push_back(*p);
  }
  std::vector<std::string> managers;
  for (const std::string& text : args->option_values("manager")) {
    std::string error;
    const std::string m = resolve_participant(*plan, text, error);
    if (m.empty()) return usage(io, error);
    if (std::find(managers.begin(), managers.end(), m) == managers.end()) managers.push_back(m);
  }
  if (auto team = args->option("team-id")) {
    const auto tid = plan->team.find_team(*team);
    if (!tid) {
      std::string known;
      for (const routing::Team& t : plan->team.teams()) known += (known.empty() ? "" : ", ") + t.key;
      return usage(io,
                   "--team-id '" + *team + "': not a team of " + plan->team_file + " (teams: " + known + ")");
    }
    std::size_t added = 0;
    for (ManagerId m : plan->team.pool_of_team(*tid))
      if (const Participant* p = plan->find_participant(plan->team.manager(m).key)) {
        ++added;
        if (std::find(managers.begin(), managers.end(), p->manager) == managers.end())
          managers.push_back(p->manager);
      }
    if (added == 0) return usage(io, "--team-id '" + *team + "': no participant of the plan is in this team");
  }

  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, *input_offset, io, input); rc != kExitOk) return rc;
  const analytics::EventLog& log = input.log();
  Instant as_of = log.latest_instant();
  if (auto text = args->option("as-of")) {
    auto t = analytics::parse_csv_instant(*text, offset);
    if (!t) return print_error(io, t.status().with_context("--as-of")), kExitUsage;
    as_of = *t;
  }
  const std::span<const Pipeline* const> pipelines(input.all);

  if (sub == "check") {
    // Quotas are checked for the asked periods, else every period from the earliest assignment to as-of.
    if (periods.empty()) {
      std::optional<Date> first;
      for (const Participant& p : plan->participants)
        if (!p.assignments.empty() && (!first || p.assignments.front().from < *first))
          first = p.assignments.front().from;
      const Date last = as_of.date(offset);
      if (first && *first <= last)
        for (auto p = planning::period_containing(plan->period, *first, plan->fiscal_start_month);
             p.first <= last; p = planning::next_period(p, plan->fiscal_start_month))
          periods.push_back(p);
    }
    const auto findings = check_plan_against_log(*plan, log, pipelines, periods);
    bool failed = false;
    for (const PlanFinding& f : findings) failed = failed || f.error;
    print(
        io, *format, [&] { return findings_to_table(*plan, findings); },
        [&] { return findings_to_csv(findings); }, [&] { return findings_to_json(*plan, findings); }, {});
    return failed ? kExitDataError : kExitOk;
  }

  if (periods.empty())
    periods.push_back(
        planning::period_containing(plan->period, as_of.date(offset), plan->fiscal_start_month));
  for (const planning::Period& p : periods)
    if (p.begin_instant(offset) > as_of)
      return usage(io, "--period '" + p.label + "': starts after as-of " + format_iso(as_of, offset) +
                           ": expected a period that has begun");
  StatementOutputOptions out;
  std::optional<FxTable> fx;
  if (const auto fx_file = args->option("fx")) {
    auto table = load_fx_rates_file(*fx_file);
    if (!table) return print_error(io, table.status()), kExitDataError;
    fx = std::move(*table);
    out.fx = "amounts in other currencies converted into " + std::string(plan->currency.code()) +
             " at the rate of each deal's local credit date (the latest rate dated on or before it; " +
             *fx_file + ")";
  }

  if (sub == "what-if") {
    if (managers.size() != 1)
      return usage(io, "what-if: expected one --manager (or a --team-id of one participant)");
    if (periods.size() != 1) return usage(io, "what-if: expected one --period");
    if (!periods[0].contains(as_of.date(offset)) && periods[0].end_instant(offset) != as_of)
      return usage(io, "what-if: --period '" + periods[0].label + "' does not contain as-of " +
                           format_iso(as_of, offset));
    WhatIf change;
    const auto deal = args->option("deal");
    const auto extra = args->option("extra");
    if (deal.has_value() == extra.has_value())
      return usage(io, "what-if: expected one of --deal ID or --extra \"X CUR\"");
    if (deal) {
      if (std::string e = deal_usage_error(log, pipelines, *deal, as_of, offset); !e.empty())
        return usage(io, e);
      change.deal = *deal;
    } else {
      auto m = Money::parse_with_code(*extra);
      if (!m) m = Money::parse(*extra, plan->currency);
      if (!m || !m->is_positive() || m->currency() != plan->currency)
        return usage(io, "--extra '" + *extra + "': expected a positive amount in " +
                             std::string(plan->currency.code()) + " such as \"500000 " +
                             std::string(plan->currency.code()) + "\"");
      change.extra = *m;
    }
    auto w = what_if(log, pipelines, *plan, periods[0], managers[0], change, as_of, fx ? &*fx : nullptr);
    if (!w) return print_error(io, w.status()), kExitDataError;
    print(
        io, *format, [&] { return what_if_to_table(*w, *plan, out); },
        [&] { return what_if_to_csv(*w, *plan, out); }, [&] { return what_if_to_json(*w, *plan, out); },
        w->changed.notes);
    return kExitOk;
  }

  StatementOptions query;
  query.as_of = as_of;
  query.managers = managers;
  query.fx = fx ? &*fx : nullptr;
  auto st = compute_statements(log, pipelines, *plan, periods, query);
  if (!st) return print_error(io, st.status()), kExitDataError;
  if (sub == "summary") {
    std::vector<std::string> notes;
    for (const TeamSummary& s : st->summary) notes.insert(notes.end(), s.notes.begin(), s.notes.end());
    print(
        io, *format, [&] { return summary_to_table(*st, *plan, out); },
        [&] { return summary_to_csv(*st, *plan, out); }, [&] { return summary_to_json(*st, *plan, out); },
        notes);
    return kExitOk;
  }
  std::vector<std::string> notes;
  for (const ParticipantStatement& s : st->statements)
    for (const std::string& n : s.notes) notes.push_back(s.manager + " " + s.period + ": " + n);
  print(
      io, *format, [&] { return statements_to_table(*st, *plan, out); },
      [&] { return statements_to_csv(*st, *plan, out); }, [&] { return statements_to_json(*st, *plan, out); },
      notes);
  return kExitOk;
}

const bool registered = register_command(
    {"commission", "commission statements, team summary, what-if and plan check (docs/compensation.md)",
     kHelp, run});

}  // namespace
}  // namespace dealflow::cli
