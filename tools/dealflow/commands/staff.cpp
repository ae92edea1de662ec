// `dealflow staff`: Erlang C staffing for an inbound queue (docs/staffing.md).
#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dealflow/cli.h"
#include "dealflow/io/json.h"
#include "dealflow/io/table.h"
#include "dealflow/routing/erlang.h"

namespace dealflow::cli {
namespace {

using routing::InboundQueue;
using routing::QueueMetrics;
using routing::StaffingPlan;
using routing::StaffingTarget;

constexpr const char* kHelp =
    "usage: dealflow staff --arrivals-per-hour X --handle-seconds H --answer-within-seconds T\n"
    "                      (--managers N | --target-service-level P)\n"
    "                      [--max-occupancy O] [--shrinkage S]\n"
    "                      [--split-arrivals-per-hour NAME=X,NAME=X,...] [--format text|json]\n"
    "\n"
    "Erlang C (M/M/c) staffing for inbound leads: Poisson arrivals at X per hour, each\n"
    "taking H seconds of a manager's time on average, answered from one queue.\n"
    "\n"
    "  --managers N               evaluate N managers: wait probability, service level\n"
    "                             within T seconds, average speed of answer, occupancy\n"
    "  --target-service-level P   the fewest managers with service level >= P, P in (0,1)\n"
    "  --max-occupancy O          also keep occupancy A/N <= O, O in (0,1] (with a target)\n"
    "  --shrinkage S              share of paid time not answering leads, S in [0,1);\n"
    "                             scheduled managers = ceil(managers / (1 - S))\n"
    "  --split-arrivals-per-hour  with a target: compare the pooled queue with one queue per\n"
    "                             specialization (NAME=rate, comma-separated; the rates\n"
    "                             replace --arrivals-per-hour as the pooled total if it is\n"
    "                             omitted, and must add up to it if it is given)\n"
    "  --format text|json         output format (default text)\n"
    "\n"
    "JSON keys: offered_load, stable, wait_probability, service_level,\n"
    "average_speed_of_answer_seconds (null when unstable), occupancy, managers (given or\n"
    "required), scheduled_managers, bound, pooling (with a split), definition.\n"
    "An unstable queue (managers <= offered load) is reported, not an error.\n"
    "Exit codes: 0 ok, 2 usage (missing or malformed option).\n";

Result<double> parse_number(std::string_view option, const std::string& text) {
  double v = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last || !std::isfinite(v)) {
    return Status(ErrorCode::invalid_argument,
                  "--" + std::string(option) + ": expected a number, got '" + text + "'");
  }
  return v;
}

Result<std::uint32_t> parse_count(std::string_view option, const std::string& text) {
  std::uint32_t v = 0;
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), last, v);
  if (ec != std::errc() || ptr != last || v == 0) {
    return Status(ErrorCode::invalid_argument,
                  "--" + std::string(option) + ": expected a whole number >= 1, got '" + text + "'");
  }
  return v;
}

Result<std::vector<routing::SplitQueue>> parse_split(const std::string& text) {
  std::vector<routing::SplitQueue> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status(ErrorCode::invalid_argument,
                    "--split-arrivals-per-hour: expected NAME=rate, got '" + item + "'");
    }
    Result<double> rate = parse_number("split-arrivals-per-hour", item.substr(eq + 1));
    if (!rate) return rate.status();
    out.push_back({item.substr(0, eq), *rate});
    start = comma + 1;
  }
  return out;
}

const char* bound_name(routing::StaffingBound b) {
  return b == routing::StaffingBound::occupancy ? "occupancy" : "service_level";
}

nlohmann::json definitions() {
  return {
      {"offered_load", "A = arrivals per hour * handle seconds / 3600 (Erlangs)"},
      {"wait_probability", "Erlang C: probability that a lead waits at all before a manager answers"},
      {"service_level", "SL(t) = 1 - P_W * exp(-(N - A) * t / h): share of leads answered within t seconds"},
      {"average_speed_of_answer_seconds", "ASA = P_W * h / (N - A), averaged over all leads; null when N <= A"},
      {"occupancy", "A / N: share of answering managers' time spent on leads (1 when unstable)"},
      {"scheduled_managers", "ceil(managers / (1 - shrinkage))"},
      {"model", "M/M/c: Poisson arrivals, exponential handle times, one FIFO queue, no abandonment"},
  };
}

nlohmann::json metrics_json(const QueueMetrics& m) {
  nlohmann::json j;
  j["managers"] = m.managers;
  j["offered_load"] = m.offered_load;
  j["stable"] = m.stable;
  j["wait_probability"] = m.wait_probability;
  j["service_level"] = m.service_level;
  j["average_speed_of_answer_seconds"] =
      m.average_speed_of_answer_seconds ? nlohmann::json(*m.average_speed_of_answer_seconds) : nlohmann::json();
  j["occupancy"] = m.occupancy;
  return j;
}

void print_text(std::ostream& out, const QueueMetrics& m, const std::optional<StaffingPlan>& plan,
                std::optional<std::uint32_t> scheduled, const std::optional<routing::PoolingComparison>& pooling,
                const std::vector<routing::SplitQueue>& split, double answer_within) {
  TextTable t({"metric", "value"}, {Align::left, Align::right});
  t.add_row({plan ? "managers required" : "managers", std::to_string(m.managers)});
  if (plan) t.add_row({"bound by", bound_name(plan->bound)});
  if (scheduled) t.add_row({"scheduled managers", std::to_string(*scheduled)});
  t.add_row({"offered load (Erlangs)", fixed(m.offered_load, 4)});
  t.add_row({"stable", m.stable ? "yes" : "no (managers <= offered load)"});
  t.add_row({"wait probability", fixed(m.wait_probability, 5)});
  t.add_row({"service level within " + fixed(answer_within, 0) + " s", fixed(m.service_level, 5)});
  t.add_row({"average speed of answer (s)",
             m.average_speed_of_answer_seconds ? fixed(*m.average_speed_of_answer_seconds, 2) : "unbounded"});
  t.add_row({"occupancy", fixed(m.occupancy, 4)});
  out << t.render();
  if (pooling) {
    out << "\npooled vs split (same target):\n";
    TextTable p({"queue", "arrivals/h", "managers", "scheduled"}, {Align::left, Align::right, Align::right, Align::right});
    for (std::size_t i = 0; i < split.size(); ++i) {
      p.add_row({split[i].name, fixed(split[i].arrivals_per_hour, 2), std::to_string(pooling->split[i].needed),
                 std::to_string(pooling->split[i].scheduled)});
    }
    p.add_row({"split total", "", std::to_string(pooling->split_needed_total),
               std::to_string(pooling->split_scheduled_total)});
    p.add_row({"pooled", "", std::to_string(pooling->pooled.needed), std::to_string(pooling->pooled.scheduled)});
    p.add_row({"specialization costs", "", std::to_string(pooling->extra_needed),
               std::to_string(pooling->extra_scheduled)});
    out << p.render();
  }
  out << "\nM/M/c (Erlang C): A = arrivals per hour * handle seconds / 3600; wait probability = P(a lead waits); "
         "SL(t) = 1 - P_W*exp(-(N-A)t/h); ASA = P_W*h/(N-A) over all leads; occupancy = A/N.\n";
}

int run(const std::vector<std::string>& argv, Io io) {
  auto args = Args::parse(argv, {{"arrivals-per-hour", "handle-seconds", "answer-within-seconds", "managers",
                                  "target-service-level", "max-occupancy", "shrinkage", "split-arrivals-per-hour",
                                  "format"},
                                 {}});
  auto usage = [&](const Status& s) {
    print_error(io, s);
    return kExitUsage;
  };
  if (!args) return usage(args.status());
  const std::string format = args->option_or("format", "text");
  if (format != "text" && format != "json") {
    return usage(Status(ErrorCode::invalid_argument, "--format: expected text or json, got '" + format + "'"));
  }

  std::vector<routing::SplitQueue> split;
  if (auto s = args->option("split-arrivals-per-hour")) {
    auto parsed = parse_split(*s);
    if (!parsed) return usage(parsed.status());
    split = std::move(*parsed);
  }
  double arrivals = 0;
  if (auto a = args->option("arrivals-per-hour")) {
    auto v = parse_number("arrivals-per-hour", *a);
    if (!v) return usage(v.status());
    arrivals = *v;
    if (!split.empty()) {
      double sum = 0;
      for (const auto& q : split) sum += q.arrivals_per_hour;
      if (std::fabs(sum - arrivals) > 1e-9 * std::max(1.0, arrivals)) {
        return usage(Status(ErrorCode::invalid_argument, "--split-arrivals-per-hour adds up to " + fixed(sum, 6) +
                                                             ", not --arrivals-per-hour " + fixed(arrivals, 6)));
      }
    }
  } else if (!split.empty()) {
    for (const auto& q : split) arrivals += q.arrivals_per_hour;
  } else {
    return usage(args->required("arrivals-per-hour").status());
  }
  auto handle_text = args->required("handle-seconds");
  if (!handle_text) return usage(handle_text.status());
  auto handle = parse_number("handle-seconds", *handle_text);
  if (!handle) return usage(handle.status());
  auto within_text = args->required("answer-within-seconds");
  if (!within_text) return usage(within_text.status());
  auto within = parse_number("answer-within-seconds", *within_text);
  if (!within) return usage(within.status());

  const auto managers_text = args->option("managers");
  const auto target_text = args->option("target-service-level");
  if (managers_text.has_value() == target_text.has_value()) {
    return usage(Status(ErrorCode::invalid_argument, "give exactly one of --managers or --target-service-level"));
  }
  StaffingTarget target;
  if (auto s = args->option("shrinkage")) {
    auto v = parse_number("shrinkage", *s);
    if (!v) return usage(v.status());
    if (*v < 0 || *v >= 1) {
      return usage(Status(ErrorCode::invalid_argument, "--shrinkage: expected a value in [0, 1), got " + *s));
    }
    target.shrinkage = *v;
  }
  if (auto s = args->option("max-occupancy")) {
    if (managers_text) {
      return usage(Status(ErrorCode::invalid_argument, "--max-occupancy applies to --target-service-level only"));
    }
    auto v = parse_number("max-occupancy", *s);
    if (!v) return usage(v.status());
    target.max_occupancy = *v;
  }
  if (!split.empty() && managers_text) {
    return usage(Status(ErrorCode::invalid_argument, "--split-arrivals-per-hour needs --target-service-level"));
  }

  const InboundQueue queue{arrivals, *handle, *within};
  QueueMetrics metrics;
  std::optional<StaffingPlan> plan;
  std::optional<std::uint32_t> scheduled;
  std::optional<routing::PoolingComparison> pooling;
  if (managers_text) {
    auto n = parse_count("managers", *managers_text);
    if (!n) return usage(n.status());
    auto m = routing::erlang_c(queue, *n);
    if (!m) return usage(m.status());
    metrics = *m;
    if (args->option("shrinkage")) scheduled = routing::scheduled_headcount(*n, target.shrinkage);
  } else {
    auto p = parse_number("target-service-level", *target_text);
    if (!p) return usage(p.status());
    target.service_level = *p;
    auto result = routing::managers_for(queue, target);
    if (!result) return usage(result.status());
    plan = *result;
    metrics = plan->metrics;
    metrics.managers = plan->needed;
    scheduled = plan->scheduled;
    if (!split.empty()) {
      auto c = routing::compare_pooled_split(split, *handle, *within, target);
      if (!c) return usage(c.status());
      pooling = std::move(*c);
    }
  }

  if (format == "text") {
    print_text(io.out, metrics, plan, scheduled, pooling, split, *within);
    return kExitOk;
  }
  nlohmann::json j = metrics_json(metrics);
  j["arrivals_per_hour"] = arrivals;
  j["handle_seconds"] = *handle;
  j["answer_within_seconds"] = *within;
  j["mode"] = plan ? "required" : "given";
  if (plan) {
    j["target_service_level"] = target.service_level;
    j["max_occupancy"] = target.max_occupancy ? nlohmann::json(*target.max_occupancy) : nlohmann::json();
    j["bound"] = bound_name(plan->bound);
  }
  if (scheduled) {
    j["shrinkage"] = target.shrinkage;
    j["scheduled_managers"] = *scheduled;
  }
  if (pooling) {
    nlohmann::json queues = nlohmann::json::array();
    for (std::size_t i = 0; i < split.size(); ++i) {
      nlohmann::json q = metrics_json(pooling->split[i].metrics);
      q["name"] = split[i].name;
      q["arrivals_per_hour"] = split[i].arrivals_per_hour;
      q["managers"] = pooling->split[i].needed;
      q["scheduled_managers"] = pooling->split[i].scheduled;
      queues.push_back(std::move(q));
    }
    j["pooling"] = {{"pooled_managers", pooling->pooled.needed},
                    {"pooled_scheduled_managers", pooling->pooled.scheduled},
                    {"split", std::move(queues)},
                    {"split_managers", pooling->split_needed_total},
                    {"split_scheduled_managers", pooling->split_scheduled_total},
                    {"extra_managers", pooling->extra_needed},
                    {"extra_scheduled_managers", pooling->extra_scheduled}};
  }
  j["definition"] = definitions();
  io.out << dump_json(j) << "\n";
  return kExitOk;
}

const bool registered = register_command({"staff", "Erlang C staffing for inbound leads (service level, ASA, managers)",
                                          kHelp, run});

}  // namespace
}  // namespace dealflow::cli
