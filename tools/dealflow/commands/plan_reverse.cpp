// `dealflow plan reverse` (alias `dealflow plan-reverse`): from a target in a
// period back to the entries needed at each stage and the dates by which they
// must enter (docs/planning.md "Reverse funnel").
#include "dealflow/commands/plan_reverse.h"

#include <charconv>
#include <cmath>
#include <ostream>
#include <sstream>

#include "dealflow/analytics_input.h"
#include "dealflow/fx_option.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/json.h"
#include "dealflow/io/table.h"
#include "dealflow/planning/period.h"
#include "dealflow/planning/reverse_funnel.h"

namespace dealflow::cli {

const char* const kPlanReverseHelp =
    "usage: dealflow plan reverse --pipeline P --deals D.csv --history H.csv --period P\n"
    "                             (--target \"10000000 RUB\" | --target-deals N) [--reference P]\n"
    "                             [--quantile Q] [--by DIMENSION] [--as-of INSTANT] [--utc-offset +HH:MM]\n"
    "                             [--fiscal-start-month M] [--field-changes F.csv] [--snapshot S.dflog]\n"
    "                             [--fx RATES.csv --report-currency CODE] [--format table|csv|json]\n"
    "\n"
    "The reverse funnel: how many won deals a target needs (at the reference period's average won\n"
    "amount), how many deals must enter each stage (at its measured high-water conversion to won, with\n"
    "the range of its 95% Wilson interval), and the date by which they must enter (the period end minus\n"
    "the quantile of the time from that stage to won: Aalen-Johansen, lost competing, open deals\n"
    "censored). Definitions: docs/planning.md \"Reverse funnel\".\n"
    "\n"
    "options:\n"
    "  --period P          the target's period: 2026-Q3, 2026-07, 2026, FY2026-H1, 2026-07-01..2026-09-30\n"
    "  --target AMOUNT     a won amount with its currency, e.g. \"10000000 RUB\"\n"
    "  --target-deals N    or a number of won deals\n"
    "  --reference P       where conversions, the average won amount and the timing are measured\n"
    "                      (default: the period before --period, of the same length)\n"
    "  --quantile Q        of the time from a stage to won, in (0, 1) (default 0.5: the median)\n"
    "  --by DIMENSION      a scope per value (manager, region, product, business, ...); the target\n"
    "                      applies to every scope; default: the company\n"
    "  --as-of INSTANT     report instant (default: the log's latest instant)\n"
    "  --utc-offset +HH:MM the periods' local dates (default Z)\n"
    "  --fiscal-start-month M  first month of the fiscal year for FY periods (default 1)\n"
    "  --format F          table (default), csv or json\n"
    "  --pipeline, --deals, --history, --field-changes, --snapshot, --currency, --lenient: as for funnel\n"
    "  --fx RATES.csv --report-currency C [--fx-policy P]: convert won amounts into the target currency\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data or every scope cannot be planned (no won deals in the\n"
    "reference), 2 usage\n";

namespace {

using planning::ReverseFunnelReport;
using planning::ReverseFunnelScope;
using planning::ReverseStageRow;

Status usage(std::string message) {
  return Status(ErrorCode::invalid_argument, std::move(message));
}

std::string number(double v) {
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

std::string opt(const std::optional<std::uint64_t>& v) {
  return v ? std::to_string(*v) : "";
}

std::string scope_name(const ReverseFunnelReport& r, const ReverseFunnelScope& s) {
  if (r.by.empty()) return "company";
  return s.key ? *s.key : "(none)";
}

std::string range_text(const ReverseStageRow& s) {
  if (!s.needed) return "";
  return (s.needed_low ? std::to_string(*s.needed_low) : "?") + " .. " +
         (s.needed_high ? std::to_string(*s.needed_high) : "inf");
}

std::string conversion_text(const ReverseStageRow& s) {
  if (!s.conversion.value) return "-";
  std::string out = std::to_string(s.conversion.numerator) + "/" + std::to_string(s.conversion.denominator) +
                    " = " + fixed(*s.conversion.value, 3);
  if (s.conversion.interval)
    out += " [" + fixed(s.conversion.interval->low, 3) + ", " + fixed(s.conversion.interval->high, 3) + "]";
  return out;
}

std::string days(const std::optional<std::int64_t>& seconds) {
  return seconds ? fixed(static_cast<double>(*seconds) / 86400.0, 1) : "not reached";
}

std::string to_table(const ReverseFunnelReport& r, const Pipeline&) {
  std::string out;
  for (const ReverseFunnelScope& s : r.scopes) {
    out += planning::reverse_headline(r, s) + "\n";
    std::string ref = "  reference " + r.reference.label + ": " + std::to_string(s.reference_deals) +
                      " deals created, " + std::to_string(s.reference_won) + " won";
    if (s.average_won)
      ref += "; average won amount " + planning::format_money_grouped(*s.average_won) + " over " +
             std::to_string(s.won_in_reference) + " deals won in it";
    out += ref + "\n";
  }
  std::vector<std::string> header = {"stage",       "reached", "conversion to won [95% CI]",
                                     "needed",      "range",   "time to won, d",
                                     "won/entered", "by"};
  std::vector<Align> align = {Align::left,  Align::right, Align::left,  Align::right,
                              Align::right, Align::right, Align::right, Align::left};
  if (!r.by.empty()) {
    header.insert(header.begin(), r.by);
    align.insert(align.begin(), Align::left);
  }
  TextTable table(header, align);
  for (const ReverseFunnelScope& s : r.scopes) {
    for (const ReverseStageRow& st : s.stages) {
      std::vector<std::string> row = {st.id,
                                      std::to_string(st.reached),
                                      conversion_text(st),
                                      opt(st.needed),
                                      range_text(st),
                                      days(st.time_to_won_seconds),
                                      std::to_string(st.timing_won) + "/" + std::to_string(st.timing_deals),
                                      st.by_date ? st.by_date->to_string() : ""};
      if (!r.by.empty()) row.insert(row.begin(), scope_name(r, s));
      table.add_row(row);
    }
  }
  out += "\n" + table.render();
  for (const ReverseFunnelScope& s : r.scopes)
    for (const std::string& note : s.notes)
      out += "note: " + (r.by.empty() ? "" : scope_name(r, s) + ": ") + note + "\n";
  for (const std::string& line : r.definition()) out += "definition: " + line + "\n";
  return out;
}

std::string to_csv(const ReverseFunnelReport& r) {
  std::string out =
      "method,as_of,period,reference,target,quantile,utc_offset,scope,stage,reached,won,conversion,"
      "conversion_low,conversion_high,won_needed,average_won,needed,needed_low,needed_high,"
      "time_to_won_seconds,timing_won,timing_deals,by_date,cannot\n";
  const std::string prefix = "reverse-funnel," + format_iso(r.as_of) + "," + csv_escape(r.period.label) +
                             "," + csv_escape(r.reference.label) + "," +
                             csv_escape(r.target_amount ? r.target_amount->to_string()
                                                        : std::to_string(*r.target_deals) + " deals") +
                             "," + number(r.quantile) + "," + format_utc_offset(r.utc_offset_minutes) + ",";
  for (const ReverseFunnelScope& s : r.scopes) {
    for (const ReverseStageRow& st : s.stages) {
      out += prefix + csv_escape(scope_name(r, s)) + "," + csv_escape(st.id) + "," +
             std::to_string(st.reached) + "," + std::to_string(st.conversion.numerator) + "," +
             (st.conversion.value ? number(*st.conversion.value) : "") + "," +
             (st.conversion.interval ? number(st.conversion.interval->low) : "") + "," +
             (st.conversion.interval ? number(st.conversion.interval->high) : "") + "," +
             (s.cannot ? "" : std::to_string(s.won_needed)) + "," +
             (s.average_won ? s.average_won->format_amount() : "") + "," + opt(st.needed) + "," +
             opt(st.needed_low) + "," + opt(st.needed_high) + "," +
             (st.time_to_won_seconds ? std::to_string(*st.time_to_won_seconds) : "") + "," +
             std::to_string(st.timing_won) + "," + std::to_string(st.timing_deals) + "," +
             (st.by_date ? st.by_date->to_string() : "") + "," + csv_escape(s.cannot.value_or("")) + "\n";
    }
  }
  return out;
}

Json to_json(const ReverseFunnelReport& r, const Pipeline&) {
  Json definition = {{"method", "reverse-funnel"},
                     {"pipeline", r.pipeline_id},
                     {"as_of", format_iso(r.as_of)},
                     {"period", r.period.label},
                     {"period_first", r.period.first.to_string()},
                     {"period_last", (r.period.end - 1).to_string()},
                     {"reference", r.reference.label},
                     {"reference_first", r.reference.first.to_string()},
                     {"reference_last", (r.reference.end - 1).to_string()},
                     {"quantile", r.quantile},
                     {"utc_offset", format_utc_offset(r.utc_offset_minutes)},
                     {"by", r.by.empty() ? "company" : r.by},
                     {"counting_rule", "high-water"},
                     {"lines", r.definition()}};
  if (r.target_amount) {
    definition["target"] = r.target_amount->format_amount();
    definition["currency"] = std::string(r.target_amount->currency().code());
  } else {
    definition["target_deals"] = *r.target_deals;
  }
  if (!r.conversion.empty()) definition["conversion"] = r.conversion;
  Json scopes = Json::array();
  for (const ReverseFunnelScope& s : r.scopes) {
    Json js = {{"scope", r.by.empty() ? Json("company") : (s.key ? Json(*s.key) : Json(nullptr))},
               {"headline", planning::reverse_headline(r, s)},
               {"reference_deals", s.reference_deals},
               {"reference_won", s.reference_won},
               {"won_needed", s.cannot ? Json(nullptr) : Json(s.won_needed)},
               {"cannot", s.cannot ? Json(*s.cannot) : Json(nullptr)},
               {"notes", s.notes}};
    if (r.target_amount) {
      js["won_in_reference"] = s.won_in_reference;
      js["average_won"] = s.average_won ? Json(s.average_won->format_amount()) : Json(nullptr);
      js["won_amount_sum"] = s.won_amount_sum ? Json(s.won_amount_sum->format_amount()) : Json(nullptr);
    }
    Json stages = Json::array();
    for (const ReverseStageRow& st : s.stages) {
      const auto maybe = [](const std::optional<std::uint64_t>& v) { return v ? Json(*v) : Json(nullptr); };
      stages.push_back(
          {{"stage", st.id},
           {"name", st.name},
           {"reached", st.reached},
           {"won", st.conversion.numerator},
           {"conversion", st.conversion.value ? Json(*st.conversion.value) : Json(nullptr)},
           {"conversion_low", st.conversion.interval ? Json(st.conversion.interval->low) : Json(nullptr)},
           {"conversion_high", st.conversion.interval ? Json(st.conversion.interval->high) : Json(nullptr)},
           {"needed", maybe(st.needed)},
           {"needed_low", maybe(st.needed_low)},
           {"needed_high", maybe(st.needed_high)},
           {"time_to_won_seconds", st.time_to_won_seconds ? Json(*st.time_to_won_seconds) : Json(nullptr)},
           {"timing_won", st.timing_won},
           {"timing_deals", st.timing_deals},
           {"by_date", st.by_date ? Json(st.by_date->to_string()) : Json(nullptr)}});
    }
    js["stages"] = std::move(stages);
    scopes.push_back(std::move(js));
  }
  return Json{{"definition", std::move(definition)}, {"scopes", std::move(scopes)}};
}

Result<int> small_int(const Args& args, const char* name, int lo, int hi, int fallback) {
  const auto text = args.option(name);
  if (!text) return fallback;
  int v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v < lo || v > hi)
    return usage(std::string("--") + name + " '" + *text + "': expected an integer " + std::to_string(lo) +
                 ".." + std::to_string(hi));
  return v;
}

// Reads every option of the query except the data inputs; usage errors only.
Status read_query(const Args& args, int offset, planning::ReverseFunnelQuery& q) {
  auto fiscal = small_int(args, "fiscal-start-month", 1, 12, 1);
  if (!fiscal) return fiscal.status();
  auto period_text = args.required("period");
  if (!period_text) return period_text.status();
  auto period = planning::parse_period(*period_text, *fiscal);
  if (!period) return period.status().with_context("--period");
  q.period = *period;
  q.reference = planning::previous_period(q.period, *fiscal);
  if (auto ref = args.option("reference")) {
    auto p = planning::parse_period(*ref, *fiscal);
    if (!p) return p.status().with_context("--reference");
    q.reference = *p;
  }
  const auto target = args.option("target");
  const auto deals = args.option("target-deals");
  if (target.has_value() == deals.has_value())
    return usage("give exactly one of --target AMOUNT and --target-deals N");
  if (target) {
    auto m = Money::parse_with_code(*target);
    if (!m)
      return usage("--target '" + *target +
                   "': expected an amount with its currency, e.g. \"10000000 RUB\" (" + m.status().message() +
                   ")");
    if (!m->is_positive()) return usage("--target '" + *target + "': expected a positive amount");
    q.target_amount = *m;
  } else {
    std::uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(deals->data(), deals->data() + deals->size(), n);
    if (ec != std::errc() || ptr != deals->data() + deals->size() || n == 0)
      return usage("--target-deals '" + *deals + "': expected a positive integer");
    q.target_deals = n;
  }
  if (auto text = args.option("quantile")) {
    double v = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || ptr != text->data() + text->size() || !(v > 0.0 && v < 1.0))
      return usage("--quantile '" + *text + "': expected a number in (0, 1), e.g. 0.5");
    q.quantile = v;
  }
  if (auto text = args.option("as-of")) {
    auto t = parse_instant(*text, offset);
    if (!t) return t.status().with_context("--as-of");
    q.as_of = *t;
  }
  q.utc_offset_minutes = offset;
  q.by = args.option_or("by", "");
  return {};
}

}  // namespace

int run_plan_reverse(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), kFxOptions.begin(), kFxOptions.end());
  options.insert(options.end(), {"period", "target", "target-deals", "reference", "quantile", "by", "as-of",
                                 "format", "fiscal-start-month"});
  std::vector<std::string> flags = kAnalyticsInputFlags;
  flags.push_back("help");
  auto args = Args::parse(argv, {options, flags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (args->flag("help")) return io.out << kPlanReverseHelp, kExitOk;
  if (!args->positionals().empty())
    return print_error(io, usage("unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  const auto format = report_format_option(*args);
  if (!format) return print_error(io, format.status()), kExitUsage;
  auto offset = utc_offset_option(*args);
  if (!offset) return print_error(io, offset.status()), kExitUsage;
  planning::ReverseFunnelQuery query;
  if (Status st = read_query(*args, *offset, query); !st.ok()) return print_error(io, st), kExitUsage;
  FxInput fx;
  if (const int rc = read_fx_options(*args, io, fx); rc != kExitOk) return rc;
  if (fx.conversion && query.target_amount && fx.conversion->target != query.target_amount->currency())
    return print_error(io, usage("--report-currency " + std::string(fx.conversion->target.code()) +
                                 " differs from the --target currency " +
                                 std::string(query.target_amount->currency().code()))),
           kExitUsage;
  query.fx = fx.conversion;
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, *offset, io, input); rc != kExitOk) return rc;
  if (!query.by.empty() && query.by != "company") {
    auto g = analytics::resolve_grouping(input.log(), query.by);
    if (!g) return print_error(io, g.status().with_context("--by")), kExitUsage;
  }
  const auto compute = [&](const Pipeline& p) -> Result<ReverseFunnelReport> {
    auto r = planning::compute_reverse_funnel(input.log(), p, query);
    if (!r) return r.status();
    bool any = false;
    for (const ReverseFunnelScope& s : r->scopes) any = any || !s.cannot;
    if (!any) {
      const std::string reason = r->scopes.empty()
                                     ? "no deal created in the reference period " + r->reference.label
                                     : *r->scopes.front().cannot;
      return Status(ErrorCode::refused, "reverse funnel of pipeline " + p.id() + ": cannot: " + reason);
    }
    return r;
  };
  return print_reports<ReverseFunnelReport>(input, *format, args->flag("lenient"), io, compute, to_table,
                                            to_csv, to_json);
}

namespace {
// The alias the lead may keep; `dealflow plan reverse` calls run_plan_reverse.
const bool registered =
    register_command({"plan-reverse", "reverse funnel: entries needed per stage for a target, and by when",
                      kPlanReverseHelp, run_plan_reverse});
}  // namespace

}  // namespace dealflow::cli
