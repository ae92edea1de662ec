// `dealflow validate`: checks pipeline configs and summarizes valid ones
// (docs/pipeline-config.md).
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dealflow/cli.h"
#include "dealflow/io/table.h"
#include "dealflow/pipeline/duration_text.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::cli {
namespace {

constexpr const char* kHelp =
    "usage: dealflow validate PIPELINE.json [PIPELINE.json ...] [--format text|json]\n"
    "\n"
    "Checks pipeline configs (format: docs/pipeline-config.md): the JSON schema (unknown\n"
    "keys, types, values) and the stage graph: unique stage ids, transitions naming known\n"
    "stages, at least one won and one lost stage, every stage reachable from the entry\n"
    "stage(s), every open stage able to reach a won or lost stage, no move out of a won or\n"
    "lost stage except declared reopens, probabilities in [0, 1]. Every error is listed,\n"
    "not only the first, with its file and JSON path (file:line:column for malformed JSON).\n"
    "Warnings (e.g. an open stage that can only be lost) are listed but do not fail.\n"
    "\n"
    "With several files, they are also checked together as one workspace: unique pipeline\n"
    "ids and hand-offs naming an existing pipeline and open stage.\n"
    "\n"
    "When valid, prints a summary per pipeline: its stages (kind, default probability,\n"
    "SLA), the allowed moves out of every stage, and the terminal stages reachable from\n"
    "each open stage (along allowed moves, before the deal is closed).\n"
    "\n"
    "  --format text|json   output format (default text). JSON: {\"valid\", \"files\": [{\"file\",\n"
    "                       \"valid\", \"errors\", \"warnings\", \"pipeline\"}], \"workspace_errors\"};\n"
    "                       each diagnostic has file, line, column, json_path, id, kind,\n"
    "                       severity, message.\n"
    "\n"
    "Exit codes: 0 every file valid (warnings allowed), 1 an error in some file (or a file\n"
    "that cannot be read or is not JSON), 2 usage.\n";

std::string percent(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g%%", p * 100.0);
  return buf;
}

std::string sla_text(const Stage& s) {
  if (!s.sla) return "-";
  return format_duration_text(s.sla->limit) + " " + std::string(to_string(s.sla->basis));
}

std::string stage_list(const Pipeline& p, std::span<const StageId> ids) {
  std::string out;
  for (StageId s : ids) out += (out.empty() ? "" : ", ") + p.stage(s).id;
  return out;
}

std::string policy_meaning(MovePolicy policy) {
  switch (policy) {
    case MovePolicy::free:
      return "any open stage to any other stage";
    case MovePolicy::no_skip:
      return "open stages forward by one, back to any earlier one, or to any terminal";
    case MovePolicy::no_backward:
      return "open stages forward (skipping allowed) or to any terminal";
    case MovePolicy::explicit_transitions:
      return "only the declared transitions";
  }
  return "";
}

std::string guard_text(const Pipeline& p, const Guard& g) {
  const Vocabulary& v = p.vocabulary();
  std::string out;
  switch (g.kind) {
    case GuardKind::required_fields:
      out = "required fields ";
      for (std::size_t i = 0; i < g.fields.size(); ++i)
        out += (i ? ", " : "") + std::string(v.field_name(g.fields[i]));
      return out;
    case GuardKind::amount_positive:
      return "amount > 0";
    case GuardKind::actor_role:
      out = "actor role in {";
      for (std::size_t i = 0; i < g.roles.size(); ++i)
        out += (i ? ", " : "") + std::string(v.role_name(g.roles[i]));
      return out + "}";
    case GuardKind::predicate:
      return "predicate " + std::string(v.predicate_name(g.predicate));
  }
  return "";
}

std::string guards_text(const Pipeline& p, std::span<const Guard> guards) {
  std::string out;
  for (const Guard& g : guards) out += (out.empty() ? "" : "; ") + guard_text(p, g);
  return out;
}

void print_summary(std::ostream& out, const std::string& file, const Pipeline& p) {
  out << file << ": pipeline '" << p.id() << "' (" << p.name() << ") is valid: " << p.stage_count()
      << " stages, " << p.open_stages().size() << " open, " << p.won_stages().size() << " won, "
      << p.lost_stages().size() << " lost\n";
  out << "policy: " << to_string(p.policy()) << " (" << policy_meaning(p.policy())
      << "; won/lost stages are left only along declared reopens)\n";
  out << "entry stage" << (p.entry_stages().size() > 1 ? "s" : "") << ": " << stage_list(p, p.entry_stages())
      << "\n\n";

  TextTable stages({"#", "id", "name", "kind", "probability", "SLA"},
                   {Align::right, Align::left, Align::left, Align::left, Align::right, Align::left});
  for (std::size_t i = 0; i < p.stage_count(); ++i) {
    const Stage& s = p.stage(StageId(static_cast<std::uint16_t>(i)));
    stages.add_row({std::to_string(i + 1), s.id, s.name, std::string(to_string(s.kind)),
                    percent(s.probability), sla_text(s)});
  }
  out << stages.render() << "\n";

  out << "allowed moves:\n";
  for (std::size_t i = 0; i < p.stage_count(); ++i) {
    const StageId from(static_cast<std::uint16_t>(i));
    auto succ = p.successors(from);
    out << "  " << p.stage(from).id << " -> ";
    if (succ.empty()) {
      out << "(none)\n";
      continue;
    }
    std::string line;
    for (StageId to : succ) {
      line += (line.empty() ? "" : ", ") + p.stage(to).id;
      if (p.is_reopen(from, to)) line += " (reopen)";
    }
    out << line << "\n";
  }

  bool any_guard = false;
  for (std::size_t i = 0; i < p.stage_count(); ++i) {
    const StageId from(static_cast<std::uint16_t>(i));
    for (StageId to : p.successors(from)) {
      auto guards = p.guards(from, to);
      if (guards.empty()) continue;
      if (!any_guard) out << "\nguarded moves:\n";
      any_guard = true;
      out << "  " << p.stage(from).id << " -> " << p.stage(to).id << ": " << guards_text(p, guards) << "\n";
    }
  }

  out << "\nterminal stages reachable from each open stage:\n";
  for (StageId s : p.open_stages()) {
    out << "  " << p.stage(s).id << ": " << stage_list(p, p.reachable_terminals(s)) << "\n";
  }
  if (!p.handoffs().empty()) {
    out << "\nhand-offs:\n";
    for (const Handoff& h : p.handoffs()) {
      out << "  " << h.id << ": on entering " << p.stage(h.trigger).id << " -> pipeline "
          << h.target_pipeline_id << ", stage " << h.target_stage_id << " (" << to_string(h.mode) << ")\n";
    }
  }
}

nlohmann::json diagnostic_json(const Diagnostic& d) {
  return {{"severity", std::string(to_string(d.severity))},
          {"kind", std::string(to_string(d.kind))},
          {"file", d.file},
          {"line", nullptr},
          {"column", nullptr},
          {"json_path", d.json_path},
          {"id", d.offending_id},
          {"message", d.message}};
}

nlohmann::json status_json(const Status& s) {
  const Location& l = s.location();
  return {{"severity", "error"},
          {"kind", std::string(to_string(s.code()))},
          {"file", l.file},
          {"line", l.line > 0 ? nlohmann::json(l.line) : nlohmann::json(nullptr)},
          {"column", l.column > 0 ? nlohmann::json(l.column) : nlohmann::json(nullptr)},
          {"json_path", l.json_path},
          {"id", ""},
          {"message", s.message()}};
}

nlohmann::json pipeline_json(const Pipeline& p) {
  nlohmann::json stages = nlohmann::json::array();
  for (std::size_t i = 0; i < p.stage_count(); ++i) {
    const StageId id(static_cast<std::uint16_t>(i));
    const Stage& s = p.stage(id);
    nlohmann::json moves = nlohmann::json::array();
    nlohmann::json reopens = nlohmann::json::array();
    for (StageId to : p.successors(id)) (p.is_reopen(id, to) ? reopens : moves).push_back(p.stage(to).id);
    nlohmann::json terminals = nlohmann::json::array();
    for (StageId t : p.reachable_terminals(id)) terminals.push_back(p.stage(t).id);
    nlohmann::json sla = nullptr;
    if (s.sla) {
      sla = {{"limit", format_duration_text(s.sla->limit)},
             {"limit_seconds", s.sla->limit.count()},
             {"basis", std::string(to_string(s.sla->basis))}};
    }
    stages.push_back({{"id", s.id},
                      {"name", s.name},
                      {"kind", std::string(to_string(s.kind))},
                      {"probability", s.probability},
                      {"sla", sla},
                      {"entry", p.is_entry(id)},
                      {"allowed_moves", moves},
                      {"reopens", reopens},
                      {"reachable_terminals", terminals}});
  }
  return {
      {"id", p.id()}, {"name", p.name()}, {"policy", std::string(to_string(p.policy()))}, {"stages", stages}};
}

int run(const std::vector<std::string>& argv, Io io) {
  auto args = Args::parse(argv, {{"format"}, {}});
  if (!args) {
    print_error(io, args.status());
    return kExitUsage;
  }
  const std::string format = args->option_or("format", "text");
  if (format != "text" && format != "json") {
    print_error(io,
                Status(ErrorCode::invalid_argument, "--format: expected text or json, got '" + format + "'"));
    return kExitUsage;
  }
  const auto& files = args->positionals();
  if (files.empty()) {
    print_error(io,
                Status(ErrorCode::invalid_argument, "missing PIPELINE.json (see dealflow validate --help)"));
    return kExitUsage;
  }

  auto vocabulary = std::make_shared<Vocabulary>();
  std::vector<PipelineCheck> checks;
  bool all_valid = true;
  for (const auto& file : files) {
    checks.push_back(check_pipeline_file(file, vocabulary));
    all_valid = all_valid && checks.back().ok();
  }
  std::optional<Status> workspace_error;
  if (all_valid && files.size() > 1) {
    std::vector<Pipeline> pipelines;
    for (auto& c : checks) pipelines.push_back(*c.pipeline);
    auto ws = Workspace::create(std::move(pipelines));
    if (!ws) {
      workspace_error = ws.status();
      all_valid = false;
    }
  }

  if (format == "json") {
    nlohmann::json out_files = nlohmann::json::array();
    for (std::size_t i = 0; i < checks.size(); ++i) {
      const PipelineCheck& c = checks[i];
      nlohmann::json errors = nlohmann::json::array();
      nlohmann::json warnings = nlohmann::json::array();
      if (c.syntax) errors.push_back(status_json(*c.syntax));
      for (const auto& d : c.report.errors) errors.push_back(diagnostic_json(d));
      for (const auto& d : c.report.warnings) warnings.push_back(diagnostic_json(d));
      out_files.push_back({{"file", files[i]},
                           {"valid", c.ok()},
                           {"errors", errors},
                           {"warnings", warnings},
                           {"pipeline", c.pipeline ? pipeline_json(*c.pipeline) : nlohmann::json(nullptr)}});
    }
    nlohmann::json ws_errors = nlohmann::json::array();
    if (workspace_error) ws_errors.push_back(status_json(*workspace_error));
    io.out
        << dump_json(nlohmann::json{{"valid", all_valid}, {"files", out_files}, {"workspace_errors", ws_errors}})
        << "\n";
    return all_valid ? kExitOk : kExitDataError;
  }

  for (std::size_t i = 0; i < checks.size(); ++i) {
    const PipelineCheck& c = checks[i];
    if (c.syntax) {
      print_error(io, *c.syntax);
      continue;
    }
    for (const auto& d : c.report.errors) io.err << d.to_string() << "\n";
    if (c.pipeline) {
      if (i > 0) io.out << "\n";
      print_summary(io.out, files[i], *c.pipeline);
    } else {
      io.err << files[i] << ": " << c.report.errors.size() << " error"
             << (c.report.errors.size() == 1 ? "" : "s") << ", " << c.report.warnings.size() << " warning"
             << (c.report.warnings.size() == 1 ? "" : "s") << "\n";
    }
    auto& warn_out = c.pipeline ? io.out : io.err;
    if (!c.report.warnings.empty() && c.pipeline) warn_out << "\nwarnings:\n";
    for (const auto& d : c.report.warnings) warn_out << (c.pipeline ? "  " : "") << d.to_string() << "\n";
  }
  if (workspace_error) {
    print_error(io, *workspace_error);
  }
  return all_valid ? kExitOk : kExitDataError;
}

const bool registered = register_command(
    {"validate", "check pipeline configs and summarize stages and allowed moves", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
