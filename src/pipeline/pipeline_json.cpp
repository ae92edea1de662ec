// The JSON pipeline format (docs/pipeline-config.md) -> PipelineSpec, collecting
// every schema error instead of stopping at the first.
#include "dealflow/pipeline/pipeline_json.h"

#include <algorithm>

#include "dealflow/pipeline/duration_text.h"

namespace dealflow {

namespace {

std::string join(std::initializer_list<std::string_view> items) {
  std::string out;
  for (auto s : items) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

class SpecReader {
 public:
  SpecReader(ValidationReport& report, std::string file) : report_(report), file_(std::move(file)) {}

  PipelineSpec read(const JsonReader& root) {
    PipelineSpec spec;
    spec.file = file_;
    if (!expect_object(root, "a pipeline")) return spec;
    keys(root, {"id", "name", "description", "policy", "entries", "roles", "stages", "transitions", "reopens",
                "handoffs", "calendar"});
    spec.id = string_member(root, "id", true).value_or("");
    spec.name = string_member(root, "name", false).value_or("");
    (void)string_member(root, "description", false);
    if (auto policy = string_member(root, "policy", false)) {
      if (auto p = parse_move_policy(*policy))
        spec.policy = *p;
      else
        bad(*root.get("policy"), *policy,
            "unknown policy '" + *policy + "': expected one of free, no_skip, no_backward, explicit");
    }
    spec.entries = string_array_member(root, "entries");
    if (root.has("roles")) spec.roles = string_array_member(root, "roles");
    if (auto calendar = string_member(root, "calendar", false)) {
      if (calendar->empty())
        bad(*root.get("calendar"), *calendar,
            "\"calendar\" must name a business calendar, e.g. \"Россия 2024\"");
      spec.calendar = *calendar;
    }

    for (const JsonReader& s : array_member(root, "stages", true)) {
      if (auto stage = read_stage(s)) spec.stages.push_back(std::move(*stage));
    }
    for (const JsonReader& t : array_member(root, "transitions", false)) {
      if (auto tr = read_transition(t)) spec.transitions.push_back(std::move(*tr));
    }
    for (const JsonReader& t : array_member(root, "reopens", false)) {
      if (auto tr = read_transition(t)) spec.reopens.push_back(std::move(*tr));
    }
    for (const JsonReader& h : array_member(root, "handoffs", false)) {
      if (auto handoff = read_handoff(h)) spec.handoffs.push_back(std::move(*handoff));
    }
    return spec;
  }

 private:
  void add(DiagnosticKind kind, const std::string& path, std::string id, std::string message) {
    report_.add(Diagnostic{Severity::error, kind, file_, path.empty() ? "/" : path, std::move(id),
                           std::move(message)});
  }
  void bad(const JsonReader& at, std::string id, std::string message) {
    add(DiagnosticKind::bad_value, at.path(), std::move(id), std::move(message));
  }

  bool expect_object(const JsonReader& r, std::string_view what) {
    if (r.is_object()) return true;
    add(DiagnosticKind::wrong_type, r.path(), "",
        "expected " + std::string(what) + " (a JSON object), got " + std::string(json_type_name(r.node())));
    return false;
  }

  // Reports every member not in `allowed`.
  void keys(const JsonReader& r, std::initializer_list<std::string_view> allowed) {
    for (auto it = r.node().begin(); it != r.node().end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
      add(DiagnosticKind::unknown_key, r.path() + "/" + json_pointer_escape(it.key()), it.key(),
          "unknown key '" + it.key() + "' (expected one of: " + join(allowed) + ")");
    }
  }

  std::optional<std::string> string_member(const JsonReader& r, std::string_view key, bool required) {
    auto child = r.get(key);
    if (!child) {
      if (required) {
        add(DiagnosticKind::missing_key, r.path() + "/" + std::string(key), "",
            "required string '" + std::string(key) + "' is missing");
      }
      return std::nullopt;
    }
    if (!child->node().is_string()) {
      add(DiagnosticKind::wrong_type, child->path(), "",
          "'" + std::string(key) + "' must be a string, got " + std::string(json_type_name(child->node())));
      return std::nullopt;
    }
    return child->node().get<std::string>();
  }

  std::optional<double> number_member(const JsonReader& r, std::string_view key, bool required) {
    auto child = r.get(key);
    if (!child) {
      if (required) {
        add(DiagnosticKind::missing_key, r.path() + "/" + std::string(key), "",
            "required number '" + std::string(key) + "' is missing");
      }
      return std::nullopt;
    }
    if (!child->node().is_number()) {
      add(DiagnosticKind::wrong_type, child->path(), "",
          "'" + std::string(key) + "' must be a number, got " + std::string(json_type_name(child->node())));
      return std::nullopt;
    }
    return child->node().get<double>();
  }

  std::vector<JsonReader> array_member(const JsonReader& r, std::string_view key, bool required) {
    auto child = r.get(key);
    if (!child) {
      if (required) {
        add(DiagnosticKind::missing_key, r.path() + "/" + std::string(key), "",
            "required array '" + std::string(key) + "' is missing");
      }
      return {};
    }
    auto items = child->elements();
    if (!items) {
      add(DiagnosticKind::wrong_type, child->path(), "",
          "'" + std::string(key) + "' must be an array, got " + std::string(json_type_name(child->node())));
      return {};
    }
    return std::move(*items);
  }

  std::vector<std::string> string_array_member(const JsonReader& r, std::string_view key) {
    std::vector<std::string> out;
    for (const JsonReader& item : array_member(r, key, false)) {
      if (!item.node().is_string()) {
        add(DiagnosticKind::wrong_type, item.path(), "",
            "elements of '" + std::string(key) + "' must be strings, got " +
                std::string(json_type_name(item.node())));
        continue;
      }
      out.push_back(item.node().get<std::string>());
    }
    return out;
  }

  std::optional<TimeBasis> basis_member(const JsonReader& r) {
    auto text = string_member(r, "basis", false);
    if (!text) return TimeBasis::business;
    if (*text == "business") return TimeBasis::business;
    if (*text == "calendar") return TimeBasis::calendar;
    bad(*r.get("basis"), *text, "unknown time basis '" + *text + "': expected business or calendar");
    return std::nullopt;
  }

  std::optional<Duration> duration_member(const JsonReader& r, std::string_view key, TimeBasis basis) {
    auto text = string_member(r, key, true);
    if (!text) return std::nullopt;
    auto d = parse_duration_text(*text, basis);
    if (!d) {
      add(DiagnosticKind::bad_duration, r.path() + "/" + std::string(key), *text, d.status().message());
      return std::nullopt;
    }
    return *d;
  }

  std::optional<StageSpec> read_stage(const JsonReader& r) {
    if (!expect_object(r, "a stage")) return std::nullopt;
    keys(r, {"id", "name", "description", "kind", "probability", "forecast_category", "sla",
             "required_fields", "guards", "on_enter"});
    StageSpec s;
    s.json_path = r.path();
    auto id = string_member(r, "id", true);
    if (!id) return std::nullopt;  // reported; nothing could refer to it
    s.id = *id;
    s.name = string_member(r, "name", false).value_or("");
    (void)string_member(r, "description", false);
    if (auto kind = string_member(r, "kind", true)) {
      if (auto k = parse_stage_kind(*kind))
        s.kind = *k;
      else
        bad(*r.get("kind"), s.id,
            "unknown kind '" + *kind + "' of stage '" + s.id + "': expected one of open, won, lost");
    }
    s.probability = number_member(r, "probability", false);
    if (auto category = string_member(r, "forecast_category", false)) {
      if (auto c = parse_forecast_category(*category))
        s.forecast_category = *c;
      else
        bad(*r.get("forecast_category"), s.id,
            "unknown forecast_category '" + *category + "' of stage '" + s.id +
                "': expected one of pipeline, best_case, commit, closed, omitted");
    }
    if (auto sla = r.get("sla")) {
      if (expect_object(*sla, "an SLA {\"limit\": \"48h\", \"basis\": \"business\"}")) {
        keys(*sla, {"limit", "basis"});
        auto basis = basis_member(*sla);
        auto limit = duration_member(*sla, "limit", basis.value_or(TimeBasis::business));
        if (basis && limit) s.sla = Sla{*limit, *basis};
      }
    }
    s.required_fields = string_array_member(r, "required_fields");
    for (const JsonReader& g : array_member(r, "guards", false)) {
      if (auto guard = read_guard(g)) s.guards.push_back(std::move(*guard));
    }
    for (const JsonReader& a : array_member(r, "on_enter", false)) {
      if (auto action = read_action(a)) s.on_enter.push_back(std::move(*action));
    }
    return s;
  }

  std::optional<GuardSpec> read_guard(const JsonReader& r) {
    if (!expect_object(r, "a guard")) return std::nullopt;
    GuardSpec g;
    g.json_path = r.path();
    auto type = string_member(r, "type", true);
    if (!type) {
      keys(r, {"type", "fields", "roles", "name"});
      return std::nullopt;
    }
    if (*type == "required_fields") {
      keys(r, {"type", "fields"});
      g.kind = GuardKind::required_fields;
      if (!r.has("fields")) {
        add(DiagnosticKind::missing_key, r.path() + "/fields", "", "required array 'fields' is missing");
        return std::nullopt;
      }
      g.fields = string_array_member(r, "fields");
    } else if (*type == "amount_positive") {
      keys(r, {"type"});
      g.kind = GuardKind::amount_positive;
    } else if (*type == "actor_role") {
      keys(r, {"type", "roles"});
      g.kind = GuardKind::actor_role;
      if (!r.has("roles")) {
        add(DiagnosticKind::missing_key, r.path() + "/roles", "", "required array 'roles' is missing");
        return std::nullopt;
      }
      g.roles = string_array_member(r, "roles");
    } else if (*type == "predicate") {
      keys(r, {"type", "name"});
      g.kind = GuardKind::predicate;
      auto name = string_member(r, "name", true);
      if (!name) return std::nullopt;  // missing or not a string: reported
      // An empty name is kept so that validation reports it at /name.
      g.predicate = std::move(*name);
    } else {
      bad(*r.get("type"), *type,
          "unknown guard type '" + *type +
              "': expected one of required_fields, amount_positive, actor_role, predicate");
      return std::nullopt;
    }
    return g;
  }

  std::optional<ActionSpec> read_action(const JsonReader& r) {
    if (!expect_object(r, "an action")) return std::nullopt;
    ActionSpec a;
    a.json_path = r.path();
    auto kind = string_member(r, "action", true);
    if (!kind) {
      keys(r, {"action", "probability", "field", "value", "to", "after", "basis", "name", "notify_role"});
      return std::nullopt;
    }
    bool ok = true;
    if (*kind == "set_probability") {
      keys(r, {"action", "probability"});
      a.kind = ActionKind::set_probability;
      auto p = number_member(r, "probability", true);
      ok = p.has_value();
      a.probability = p.value_or(0.0);
    } else if (*kind == "set_field") {
      keys(r, {"action", "field", "value"});
      a.kind = ActionKind::set_field;
      auto field = string_member(r, "field", true);
      auto value = string_member(r, "value", true);
      ok = field && value;
      a.field = field.value_or("");
      a.value = value.value_or("");
    } else if (*kind == "timed_move") {
      keys(r, {"action", "to", "after", "basis"});
      a.kind = ActionKind::timed_move;
      auto to = string_member(r, "to", true);
      auto basis = basis_member(r);
      auto after = duration_member(r, "after", basis.value_or(TimeBasis::business));
      ok = to && basis && after;
      a.target_stage = to.value_or("");
      a.basis = basis.value_or(TimeBasis::business);
      a.delay = after.value_or(Duration(0));
    } else if (*kind == "escalate") {
      keys(r, {"action", "after", "basis", "name", "notify_role"});
      a.kind = ActionKind::escalate;
      auto basis = basis_member(r);
      auto after = duration_member(r, "after", basis.value_or(TimeBasis::business));
      ok = basis && after;
      a.basis = basis.value_or(TimeBasis::business);
      a.delay = after.value_or(Duration(0));
      a.name = string_member(r, "name", false).value_or("escalation");
      a.notify_role = string_member(r, "notify_role", false).value_or("");
    } else {
      bad(*r.get("action"), *kind,
          "unknown action '" + *kind + "': expected one of set_probability, set_field, timed_move, escalate");
      return std::nullopt;
    }
    if (!ok) return std::nullopt;
    return a;
  }

  std::optional<TransitionSpec> read_transition(const JsonReader& r) {
    if (!expect_object(r, "a transition {\"from\": ..., \"to\": ...}")) return std::nullopt;
    keys(r, {"from", "to", "guards"});
    TransitionSpec t;
    t.json_path = r.path();
    auto from = string_member(r, "from", true);
    auto to = string_member(r, "to", true);
    for (const JsonReader& g : array_member(r, "guards", false)) {
      if (auto guard = read_guard(g)) t.guards.push_back(std::move(*guard));
    }
    if (!from || !to) return std::nullopt;
    t.from = *from;
    t.to = *to;
    return t;
  }

  std::optional<HandoffSpec> read_handoff(const JsonReader& r) {
    if (!expect_object(r, "a hand-off")) return std::nullopt;
    keys(r, {"id", "from", "pipeline", "stage", "mode"});
    HandoffSpec h;
    h.json_path = r.path();
    auto from = string_member(r, "from", true);
    auto pipeline = string_member(r, "pipeline", true);
    auto stage = string_member(r, "stage", true);
    if (auto mode = string_member(r, "mode", false)) {
      if (*mode == "create_linked")
        h.mode = HandoffMode::create_linked;
      else if (*mode == "move")
        h.mode = HandoffMode::move;
      else
        bad(*r.get("mode"), *mode, "unknown hand-off mode '" + *mode + "': expected create_linked or move");
    }
    if (!from || !pipeline || !stage) return std::nullopt;
    h.trigger_stage = *from;
    h.target_pipeline = *pipeline;
    h.target_stage = *stage;
    h.id = string_member(r, "id", false).value_or(*from + "->" + *pipeline + ":" + *stage);
    return h;
  }

  ValidationReport& report_;
  std::string file_;
};

Result<LoadedPipeline> to_result(PipelineCheck check) {
  if (check.syntax) return *check.syntax;
  if (!check.report.ok()) return check.report.to_status();
  return LoadedPipeline{std::move(*check.pipeline), std::move(check.report.warnings)};
}

}  // namespace

PipelineSpec read_pipeline_spec(const JsonReader& root, ValidationReport& report) {
  return SpecReader(report, root.file()).read(root);
}

PipelineCheck check_pipeline(const JsonReader& root, std::shared_ptr<Vocabulary> vocabulary) {
  PipelineCheck check;
  check.spec = read_pipeline_spec(root, check.report);
  ValidationReport schema = std::move(check.report);
  CompiledPipeline compiled = compile_pipeline(check.spec, std::move(vocabulary));
  check.report = std::move(schema);
  check.report.merge(std::move(compiled.report));
  // A spec with schema errors is incomplete: never hand out a pipeline built from it.
  if (check.report.ok()) check.pipeline = std::move(compiled.pipeline);
  return check;
}

PipelineCheck check_pipeline_file(const std::string& path, std::shared_ptr<Vocabulary> vocabulary) {
  auto doc = load_json_file(path);
  if (!doc) {
    PipelineCheck check;
    check.syntax = doc.status();
    return check;
  }
  return check_pipeline(JsonReader(*doc, path), std::move(vocabulary));
}

Result<LoadedPipeline> parse_pipeline(const JsonReader& root, std::shared_ptr<Vocabulary> vocabulary) {
  return to_result(check_pipeline(root, std::move(vocabulary)));
}

Result<LoadedPipeline> parse_pipeline_text(std::string_view json_text, std::string file_name,
                                           std::shared_ptr<Vocabulary> vocabulary) {
  auto doc = parse_json(json_text, file_name);
  if (!doc) return doc.status();
  return parse_pipeline(JsonReader(*doc, file_name), std::move(vocabulary));
}

Result<LoadedPipeline> load_pipeline_file(const std::string& path, std::shared_ptr<Vocabulary> vocabulary) {
  return to_result(check_pipeline_file(path, std::move(vocabulary)));
}

Result<LoadedWorkspace> load_workspace(const std::vector<std::string>& paths) {
  auto vocabulary = std::make_shared<Vocabulary>();
  std::vector<Pipeline> pipelines;
  std::vector<Diagnostic> warnings;
  std::vector<Status> failures;
  for (const std::string& path : paths) {
    auto loaded = load_pipeline_file(path, vocabulary);
    if (!loaded) {
      failures.push_back(loaded.status());
      continue;
    }
    pipelines.push_back(std::move(loaded->pipeline));
    for (auto& w : loaded->warnings) warnings.push_back(std::move(w));
  }
  if (failures.size() == 1) return failures.front();
  if (!failures.empty()) {
    std::string message = std::to_string(failures.size()) + " files failed: " + failures.front().message();
    for (std::size_t i = 1; i < failures.size(); ++i) message += "; " + failures[i].to_string();
    return Status(failures.front().code(), std::move(message), failures.front().location());
  }
  auto workspace = Workspace::create(std::move(pipelines));
  if (!workspace) return workspace.status();
  return LoadedWorkspace{std::move(*workspace), std::move(warnings)};
}

}  // namespace dealflow
