// The checks behind validate_pipeline: values, names, then the move graph with
// Boost.Graph (reachability from the entries, and on the reversed graph, which
// open stages can reach a terminal / a won stage).
#include "pipeline/definition_analysis.h"

#include <algorithm>
#include <set>

#include "dealflow/io/json.h"
#include "dealflow/pipeline/deal.h"
#include "dealflow/pipeline/duration_text.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/pending/queue.hpp>

namespace dealflow::detail {

namespace {

// vecS edge storage: no allocation per edge (a free policy has n^2 edges).
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                                    boost::no_property, boost::no_property, boost::vecS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

// Appends rather than `"'" + s + "'"`, which trips GCC 12's -Wrestrict false positive.
std::string sq(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  out += s;
  out += '\'';
  return out;
}

// Marks every vertex reachable from `sources` in `g` (a Graph or a reverse_graph).
template <class G>
std::vector<bool> reachable_from(const G& g, const std::vector<Vertex>& sources) {
  const std::size_t n = boost::num_vertices(g);
  std::vector<boost::default_color_type> color(n, boost::white_color);
  std::vector<bool> out(n, false);
  if (sources.empty() || n == 0) return out;
  auto color_map = boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g));
  boost::queue<Vertex> queue;
  boost::breadth_first_search(g, sources.begin(), sources.end(), queue, boost::default_bfs_visitor(),
                              color_map);
  for (std::size_t v = 0; v < n; ++v) out[v] = color[v] != boost::white_color;
  return out;
}

// amount, owner and client are deal members with their own setters, not
// attributes: a set_field action cannot set them (the engine has no slot).
bool is_builtin_member(const std::string& field) {
  static const Vocabulary builtins;  // holds exactly the built-in fields
  const std::optional<FieldId> f = builtins.find_field(field);
  return f && !is_attribute_field(*f);
}

class Checker {
 public:
  Checker(const PipelineSpec& spec, ValidationReport& report) : spec_(spec), report_(report) {}

  DefinitionAnalysis run() {
    a_.n = spec_.stages.size();
    if (spec_.id.empty()) error(DiagnosticKind::empty_id, "/id", "", "pipeline id must not be empty");
    if (a_.n > Pipeline::kMaxStages) {
      error(DiagnosticKind::too_many_stages, "/stages", spec_.id,
            "pipeline " + sq(spec_.id) + " has " + std::to_string(a_.n) + " stages; at most " +
                std::to_string(Pipeline::kMaxStages) + " are supported");
      return std::move(a_);
    }
    index_stages();
    check_roles_declared();
    for (std::size_t i = 0; i < a_.n; ++i) check_stage(i);
    check_kinds();
    resolve_entries();
    build_moves();
    check_timed_moves();
    check_handoffs();
    check_unused_roles();
    check_calendar();
    check_graph();
    return std::move(a_);
  }

 private:
  void add(Severity severity, DiagnosticKind kind, std::string path, std::string id, std::string message) {
    report_.add(Diagnostic{severity, kind, spec_.file, std::move(path), std::move(id), std::move(message)});
  }
  void error(DiagnosticKind kind, std::string path, std::string id, std::string message) {
    add(Severity::error, kind, std::move(path), std::move(id), std::move(message));
  }
  void warning(DiagnosticKind kind, std::string path, std::string id, std::string message) {
    add(Severity::warning, kind, std::move(path), std::move(id), std::move(message));
  }

  std::string known_stage_list() const {
    std::string out;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < spec_.stages.size(); ++i) {
      const StageSpec& s = spec_.stages[i];
      if (!is_unique_stage(i)) continue;
      if (shown == 12) {
        out += ", ...";
        break;
      }
      out += (shown++ == 0 ? "" : ", ") + s.id;
    }
    return out.empty() ? "none" : out;
  }

  // The stage named `id`, or an unknown_stage error at `path` (what = "transition", ...).
  std::optional<std::uint16_t> resolve(const std::string& id, const std::string& path,
                                       const std::string& what) {
    if (auto it = a_.index.find(id); it != a_.index.end()) return it->second;
    error(DiagnosticKind::unknown_stage, path, id,
          what + " names unknown stage " + sq(id) + " (known stages: " + known_stage_list() + ")");
    return std::nullopt;
  }

  const StageSpec& stage(std::uint16_t s) const { return spec_.stages[s]; }
  bool terminal(std::uint16_t s) const { return is_terminal(stage(s).kind); }
  // The stage that owns its id (not an empty id, not a later duplicate).
  bool is_unique_stage(std::size_t i) const { return unique_[i]; }

  void index_stages() {
    unique_.assign(a_.n, false);
    for (std::size_t i = 0; i < a_.n; ++i) {
      const StageSpec& s = spec_.stages[i];
      if (s.id.empty()) {
        error(DiagnosticKind::empty_id, s.json_path + "/id", "", "stage id must not be empty");
        continue;
      }
      auto [it, inserted] = a_.index.emplace(s.id, static_cast<std::uint16_t>(i));
      unique_[i] = inserted;
      if (!inserted) {
        error(DiagnosticKind::duplicate_stage_id, s.json_path + "/id", s.id,
              "duplicate stage id " + sq(s.id) + " (first defined at " + spec_.stages[it->second].json_path +
                  "); stage ids must be unique");
      }
    }
  }

  void check_roles_declared() {
    if (!spec_.roles) return;
    std::set<std::string> seen;
    for (std::size_t k = 0; k < spec_.roles->size(); ++k) {
      const std::string& r = (*spec_.roles)[k];
      const std::string path = "/roles/" + std::to_string(k);
      if (r.empty())
        error(DiagnosticKind::bad_value, path, "", "role name must not be empty");
      else if (!seen.insert(r).second)
        error(DiagnosticKind::bad_value, path, r, "role " + sq(r) + " declared twice");
      count_role(r, path);
    }
  }

  // Reports the first role name beyond Pipeline::kMaxRoles distinct ones.
  void count_role(const std::string& role, const std::string& path) {
    if (role.empty() || !distinct_roles_.insert(role).second) return;
    if (distinct_roles_.size() != Pipeline::kMaxRoles + 1) return;
    error(DiagnosticKind::too_many_roles, path, role,
          "role " + sq(role) + " is distinct role number " + std::to_string(distinct_roles_.size()) +
              " of pipeline " + sq(spec_.id) + "; at most " + std::to_string(Pipeline::kMaxRoles) +
              " are supported (the deal engine keeps an actor's roles in a 64-bit mask)");
  }

  // `owner`: the id of the stage or transition the role/guard belongs to;
  // `owner_text`: how messages name it, e.g. "stage 'WON'".
  void check_role(const std::string& role, const std::string& path, const std::string& owner,
                  const std::string& owner_text) {
    used_roles_.insert(role);
    if (role.empty()) {
      error(DiagnosticKind::bad_value, path, owner, "role name of " + owner_text + " must not be empty");
      return;
    }
    if (!spec_.roles) {
      count_role(role, path);  // with "roles", the declared ones were counted
      return;
    }
    if (std::find(spec_.roles->begin(), spec_.roles->end(), role) == spec_.roles->end()) {
      std::string list;
      for (const auto& r : *spec_.roles) list += (list.empty() ? "" : ", ") + r;
      error(DiagnosticKind::unknown_role, path, role,
            "role " + sq(role) +
                " is not declared in \"roles\" (declared: " + (list.empty() ? "none" : list) + ")");
    }
  }

  void check_guards(const std::vector<GuardSpec>& guards, const std::string& owner,
                    const std::string& owner_text) {
    for (const GuardSpec& g : guards) {
      switch (g.kind) {
        case GuardKind::required_fields:
          if (g.fields.empty()) {
            error(DiagnosticKind::bad_value, g.json_path + "/fields", owner,
                  "a required_fields guard of " + owner_text + " needs at least one field");
          }
          for (std::size_t k = 0; k < g.fields.size(); ++k) {
            if (g.fields[k].empty()) {
              error(DiagnosticKind::bad_value, g.json_path + "/fields/" + std::to_string(k), owner,
                    "field name in a required_fields guard of " + owner_text + " must not be empty");
            }
          }
          break;
        case GuardKind::amount_positive:
          break;
        case GuardKind::actor_role:
          if (g.roles.empty()) {
            error(DiagnosticKind::bad_value, g.json_path + "/roles", owner,
                  "an actor_role guard of " + owner_text + " needs at least one role");
          }
          for (std::size_t k = 0; k < g.roles.size(); ++k) {
            check_role(g.roles[k], g.json_path + "/roles/" + std::to_string(k), owner, owner_text);
          }
          break;
        case GuardKind::predicate:
          if (g.predicate.empty()) {
            error(DiagnosticKind::bad_value, g.json_path + "/name", owner,
                  "a predicate guard of " + owner_text +
                      " needs the name of a predicate the host registers (\"name\": \"...\")");
          }
          break;
      }
    }
  }

  void check_probability(double p, const std::string& path, const std::string& id) {
    if (!(p >= 0.0 && p <= 1.0)) {
      error(DiagnosticKind::probability_out_of_range, path, id,
            "probability " + Json(p).dump() + " of " + sq(id) + " is outside [0, 1] (write 0.25 for 25%)");
    }
  }

  // The JSON reader checks duration texts; a spec built in code is checked here.
  void check_duration(Duration d, const std::string& path, const std::string& id, const std::string& what) {
    if (d.count() <= 0) {
      error(DiagnosticKind::bad_duration, path, id, what + " must be greater than zero");
    } else if (d > kMaxConfigDuration) {
      error(DiagnosticKind::bad_duration, path, id,
            what + " is " + std::to_string(d.count()) + "s, longer than the maximum " +
                std::to_string(kMaxConfigDuration.count()) +
                "s (about 136 years, the time span of the history)");
    }
  }

  void check_stage(std::size_t i) {
    const StageSpec& s = spec_.stages[i];
    const std::string owner_text = "stage " + sq(s.id);
    if (s.probability) {
      check_probability(*s.probability, s.json_path + "/probability", s.id);
    } else if (s.kind == StageKind::open) {
      warning(DiagnosticKind::missing_probability, s.json_path, s.id,
              "open stage " + sq(s.id) + " has no \"probability\"; 0 is assumed");
    }
    if (s.sla) check_duration(s.sla->limit, s.json_path + "/sla/limit", s.id, "SLA limit of " + owner_text);
    for (std::size_t k = 0; k < s.required_fields.size(); ++k) {
      if (s.required_fields[k].empty()) {
        error(DiagnosticKind::bad_value, s.json_path + "/required_fields/" + std::to_string(k), s.id,
              "required field name of " + owner_text + " must not be empty");
      }
    }
    check_guards(s.guards, s.id, owner_text);
    for (const ActionSpec& act : s.on_enter) {
      switch (act.kind) {
        case ActionKind::set_probability:
          check_probability(act.probability, act.json_path + "/probability", s.id);
          break;
        case ActionKind::set_field:
          if (act.field.empty()) {
            error(DiagnosticKind::bad_value, act.json_path + "/field", s.id,
                  "set_field action of " + owner_text + " needs a field name");
          } else if (is_builtin_member(act.field)) {
            error(
                DiagnosticKind::bad_value, act.json_path + "/field", act.field,
                "set_field action of " + owner_text + " cannot set built-in field " + sq(act.field) +
                    ": it sets attributes (region, product, tier, channel, business, source, custom fields); "
                    "amount, owner and client change through the engine's set_amount/set_owner/set_client");
          }
          break;
        case ActionKind::timed_move:
          check_duration(act.delay, act.json_path + "/after", s.id, "timed move delay of " + owner_text);
          break;
        case ActionKind::escalate:
          check_duration(act.delay, act.json_path + "/after", s.id, "escalation time of " + owner_text);
          if (!act.notify_role.empty())
            check_role(act.notify_role, act.json_path + "/notify_role", s.id, owner_text);
          break;
      }
    }
  }

  void check_kinds() {
    a_.funnel_position.assign(a_.n, -1);
    int open = 0;
    bool won = false;
    bool lost = false;
    double last_probability = -1.0;
    std::string last_id;
    for (std::size_t i = 0; i < a_.n; ++i) {
      const StageSpec& s = spec_.stages[i];
      if (!is_unique_stage(i)) continue;
      switch (s.kind) {
        case StageKind::open: {
          a_.funnel_position[i] = open++;
          const double p = s.probability.value_or(0.0);
          const bool valid = s.probability && p >= 0.0 && p <= 1.0;
          if (valid && p < last_probability) {
            warning(DiagnosticKind::probability_not_monotonic, s.json_path + "/probability", s.id,
                    "open stage " + sq(s.id) + " has probability " + Json(p).dump() +
                        ", lower than earlier stage " + sq(last_id) + " (" + Json(last_probability).dump() +
                        "); funnel order expects non-decreasing");
          }
          if (valid && p >= last_probability) {
            last_probability = p;
            last_id = s.id;
          }
          break;
        }
        case StageKind::won:
          won = true;
          break;
        case StageKind::lost:
          lost = true;
          break;
      }
    }
    if (open == 0)
      error(DiagnosticKind::no_open_stage, "/stages", spec_.id,
            "pipeline " + sq(spec_.id) + " has no open stage");
    if (!won) {
      error(DiagnosticKind::no_won_stage, "/stages", spec_.id,
            "pipeline " + sq(spec_.id) + " has no stage of kind \"won\" (at least one is required)");
    }
    if (!lost) {
      error(DiagnosticKind::no_lost_stage, "/stages", spec_.id,
            "pipeline " + sq(spec_.id) + " has no stage of kind \"lost\" (at least one is required)");
    }
  }

  void resolve_entries() {
    std::set<std::uint16_t> seen;
    for (std::size_t k = 0; k < spec_.entries.size(); ++k) {
      const std::string path = spec_.entries_path + "/" + std::to_string(k);
      auto s = resolve(spec_.entries[k], path, "entry");
      if (!s) continue;
      if (terminal(*s)) {
        error(DiagnosticKind::entry_not_open, path, spec_.entries[k],
              "entry stage " + sq(spec_.entries[k]) + " is " + std::string(to_string(stage(*s).kind)) +
                  "; deals can only be created in open stages");
        continue;
      }
      if (!seen.insert(*s).second) {
        error(DiagnosticKind::bad_value, path, spec_.entries[k],
              "entry stage " + sq(spec_.entries[k]) + " listed twice");
        continue;
      }
      a_.entries.push_back(*s);
    }
    if (spec_.entries.empty()) {
      for (std::size_t i = 0; i < a_.n; ++i) {
        if (a_.funnel_position[i] == 0) a_.entries.push_back(static_cast<std::uint16_t>(i));
      }
    }
  }

  std::size_t cell(std::uint16_t from, std::uint16_t to) const {
    return static_cast<std::size_t>(from) * a_.n + to;
  }

  void build_moves() {
    a_.moves.assign(a_.n * a_.n, 0);
    a_.declared_by.assign(a_.n * a_.n, -1);
    if (spec_.policy != MovePolicy::explicit_transitions) {
      for (std::uint16_t f = 0; f < a_.n; ++f) {
        if (!is_unique_stage(f) || terminal(f)) continue;
        for (std::uint16_t t = 0; t < a_.n; ++t) {
          if (t == f || !is_unique_stage(t)) continue;
          if (policy_allows(spec_.policy, a_.funnel_position[f], a_.funnel_position[t], terminal(t))) {
            a_.moves[cell(f, t)] = kMoveAllowed;
          }
        }
      }
    }
    auto declare = [&](const TransitionSpec& tr, int declared_index, bool reopen) {
      const std::string what = reopen ? "reopen" : "transition";
      const std::string arrow = sq(tr.from) + " -> " + sq(tr.to);
      auto from = resolve(tr.from, tr.json_path + "/from", what + " " + arrow);
      auto to = resolve(tr.to, tr.json_path + "/to", what + " " + arrow);
      check_guards(tr.guards, tr.from, what + " " + arrow);
      if (!from || !to) return;
      if (*from == *to) {
        error(DiagnosticKind::self_transition, tr.json_path, tr.from,
              what + " " + arrow + " does not leave the stage");
        return;
      }
      if (reopen && !terminal(*from)) {
        error(DiagnosticKind::reopen_not_from_terminal, tr.json_path + "/from", tr.from,
              "reopen " + arrow + " starts at open stage " + sq(tr.from) +
                  "; reopens leave won or lost stages (declare moves between open stages under "
                  "\"transitions\")");
        return;
      }
      if (!reopen && terminal(*from)) {
        error(DiagnosticKind::transition_from_terminal, tr.json_path + "/from", tr.from,
              "transition " + arrow + " leaves " + std::string(to_string(stage(*from).kind)) + " stage " +
                  sq(tr.from) +
                  ", which is not a declared reopen (terminal stages may only be left along \"reopens\")");
        return;
      }
      const std::size_t c = cell(*from, *to);
      if (a_.declared_by[c] != -1) {
        const int other = a_.declared_by[c];
        const std::string where = other >= 0 ? spec_.transitions[static_cast<std::size_t>(other)].json_path
                                             : spec_.reopens[static_cast<std::size_t>(-2 - other)].json_path;
        error(DiagnosticKind::duplicate_transition, tr.json_path, tr.from,
              what + " " + arrow + " is declared twice (first at " + where + ")");
        return;
      }
      if (!reopen && spec_.policy != MovePolicy::explicit_transitions && !(a_.moves[c] & kMoveAllowed)) {
        error(DiagnosticKind::transition_forbidden_by_policy, tr.json_path, tr.from,
              "transition " + arrow + " is forbidden by policy \"" + std::string(to_string(spec_.policy)) +
                  "\"; under this policy \"transitions\" only attach guards to allowed moves (use "
                  "\"policy\": \"explicit\" "
                  "to list the allowed moves yourself)");
        return;
      }
      a_.declared_by[c] = declared_index;
      a_.moves[c] = static_cast<std::uint8_t>(kMoveAllowed | (reopen ? kMoveReopen : 0));
    };
    for (std::size_t k = 0; k < spec_.transitions.size(); ++k)
      declare(spec_.transitions[k], static_cast<int>(k), false);
    for (std::size_t k = 0; k < spec_.reopens.size(); ++k)
      declare(spec_.reopens[k], -2 - static_cast<int>(k), true);
  }

  void check_timed_moves() {
    for (std::size_t i = 0; i < a_.n; ++i) {
      const StageSpec& s = spec_.stages[i];
      for (const ActionSpec& act : s.on_enter) {
        if (act.kind != ActionKind::timed_move) continue;
        auto to = resolve(act.target_stage, act.json_path + "/to", "timed move from " + sq(s.id));
        if (!to || !is_unique_stage(i)) continue;
        const auto from = static_cast<std::uint16_t>(i);
        if (!(a_.moves[cell(from, *to)] & kMoveAllowed)) {
          error(DiagnosticKind::timed_move_not_allowed, act.json_path + "/to", act.target_stage,
                "timed move " + sq(s.id) + " -> " + sq(act.target_stage) +
                    " is not an allowed move of this pipeline (automation follows the same move rules)");
        }
      }
    }
  }

  // Whether the pipeline declares a reopen out of terminal stage `s`.
  bool has_reopen_from(std::uint16_t s) const {
    for (std::uint16_t t = 0; t < a_.n; ++t)
      if (a_.moves[cell(s, t)] & kMoveReopen) return true;
    return false;
  }

  void check_handoffs() {
    std::unordered_map<std::string, std::string> ids;
    for (const HandoffSpec& h : spec_.handoffs) {
      if (h.id.empty())
        error(DiagnosticKind::empty_id, h.json_path + "/id", "",
              "hand-off from " + sq(h.trigger_stage) + " to pipeline " + sq(h.target_pipeline) + " stage " +
                  sq(h.target_stage) + " has an empty id");
      else if (auto [it, inserted] = ids.emplace(h.id, h.json_path); !inserted) {
        error(DiagnosticKind::duplicate_handoff_id, h.json_path + "/id", h.id,
              "duplicate hand-off id " + sq(h.id) + " (first at " + it->second + ")");
      }
      const auto trigger = resolve(h.trigger_stage, h.json_path + "/from", "hand-off " + sq(h.id));
      if (trigger && h.mode == HandoffMode::move && terminal(*trigger) && !has_reopen_from(*trigger)) {
        error(DiagnosticKind::transition_from_terminal, h.json_path + "/mode", h.trigger_stage,
              "hand-off " + sq(h.id) + " would move deals out of " +
                  std::string(to_string(stage(*trigger).kind)) + " stage " + sq(h.trigger_stage) +
                  ", which declares no reopen (use \"mode\": \"create_linked\", " +
                  "or declare a reopen from " + sq(h.trigger_stage) + " under \"reopens\")");
      }
      if (h.target_pipeline.empty()) {
        error(DiagnosticKind::bad_value, h.json_path + "/pipeline", h.id,
              "target pipeline of hand-off " + sq(h.id) + " must not be empty");
      }
      if (h.target_stage.empty()) {
        error(DiagnosticKind::bad_value, h.json_path + "/stage", h.id,
              "target stage of hand-off " + sq(h.id) + " must not be empty");
      }
    }
  }

  void check_unused_roles() {
    if (!spec_.roles) return;
    for (std::size_t k = 0; k < spec_.roles->size(); ++k) {
      const std::string& r = (*spec_.roles)[k];
      if (!r.empty() && !used_roles_.count(r)) {
        warning(DiagnosticKind::unused_role, "/roles/" + std::to_string(k), r,
                "role " + sq(r) + " is declared but no guard or escalation uses it");
      }
    }
  }

  // One warning, at the first business-time duration, when no calendar is named.
  void check_calendar() {
    if (!spec_.calendar.empty()) return;
    for (const StageSpec& s : spec_.stages) {
      std::string path, what;
      if (s.sla && s.sla->basis == TimeBasis::business) {
        path = s.json_path + "/sla", what = "the SLA of stage " + sq(s.id);
      } else {
        for (const ActionSpec& act : s.on_enter) {
          if ((act.kind == ActionKind::timed_move || act.kind == ActionKind::escalate) &&
              act.basis == TimeBasis::business) {
            path = act.json_path;
            what = std::string(act.kind == ActionKind::timed_move ? "a timed move" : "an escalation") +
                   " of stage " + sq(s.id);
            break;
          }
        }
      }
      if (path.empty()) continue;
      warning(DiagnosticKind::business_time_without_calendar, path, s.id,
              what +
                  " is in business time but the pipeline names no \"calendar\": the engine measures it "
                  "in EngineOptions::calendar, by default Mon–Fri 09:00–18:00 UTC without holidays; "
                  "add \"calendar\": \"<the calendar's name>\" and give the engine that calendar");
      return;
    }
  }

  void check_graph() {
    a_.reachable_terminals.assign(a_.n, {});
    // all_moves: every allowed move (reopens included); open_moves: moves out of open
    // stages only, i.e. paths a deal takes before it first closes.
    Graph all_moves(a_.n);
    Graph open_moves(a_.n);
    for (std::uint16_t f = 0; f < a_.n; ++f) {
      for (std::uint16_t t = 0; t < a_.n; ++t) {
        if (!(a_.moves[cell(f, t)] & kMoveAllowed)) continue;
        boost::add_edge(f, t, all_moves);
        if (!terminal(f)) boost::add_edge(f, t, open_moves);
      }
    }
    std::vector<Vertex> terminals;
    std::vector<Vertex> won;
    for (std::uint16_t s = 0; s < a_.n; ++s) {
      if (!is_unique_stage(s) || !terminal(s)) continue;
      terminals.push_back(s);
      if (stage(s).kind == StageKind::won) won.push_back(s);
    }

    if (!a_.entries.empty()) {
      std::vector<Vertex> sources(a_.entries.begin(), a_.entries.end());
      const std::vector<bool> reached = reachable_from(all_moves, sources);
      std::string entry_names;
      for (auto e : a_.entries) entry_names += (entry_names.empty() ? "" : ", ") + stage(e).id;
      for (std::uint16_t s = 0; s < a_.n; ++s) {
        if (!is_unique_stage(s) || reached[s]) continue;
        error(DiagnosticKind::unreachable_stage, stage(s).json_path, stage(s).id,
              "stage " + sq(stage(s).id) +
                  " is unreachable: no sequence of allowed moves leads to it from the entry stage" +
                  (a_.entries.size() > 1 ? "s " : " ") + entry_names);
      }
    }

    const auto reversed = boost::make_reverse_graph(open_moves);
    const std::vector<bool> reaches_terminal = reachable_from(reversed, terminals);
    const std::vector<bool> reaches_won = reachable_from(reversed, won);
    for (std::uint16_t s = 0; s < a_.n; ++s) {
      if (!is_unique_stage(s) || terminal(s)) continue;
      if (!terminals.empty() && !reaches_terminal[s]) {
        error(DiagnosticKind::cannot_reach_terminal, stage(s).json_path, stage(s).id,
              "open stage " + sq(stage(s).id) +
                  " cannot reach any won or lost stage: a deal there could never be closed");
      } else if (!won.empty() && !reaches_won[s]) {
        warning(
            DiagnosticKind::cannot_reach_won, stage(s).json_path, stage(s).id,
            "open stage " + sq(stage(s).id) + " cannot reach any won stage: deals there can only be lost");
      }
    }

    // One reverse search per terminal (few) rather than one forward search per
    // open stage; terminals are visited in stage order, so each list is sorted.
    for (Vertex t : terminals) {
      const std::vector<bool> reaches = reachable_from(reversed, std::vector<Vertex>{t});
      for (std::uint16_t s = 0; s < a_.n; ++s) {
        if (reaches[s] && is_unique_stage(s) && !terminal(s)) {
          a_.reachable_terminals[s].push_back(static_cast<std::uint16_t>(t));
        }
      }
    }
  }

  const PipelineSpec& spec_;
  ValidationReport& report_;
  DefinitionAnalysis a_;
  std::set<std::string> used_roles_;
  std::set<std::string> distinct_roles_;  // declared or (without "roles") used
  std::vector<bool> unique_;
};

}  // namespace

DefinitionAnalysis analyze_definition(const PipelineSpec& spec, ValidationReport& report) {
  return Checker(spec, report).run();
}

}  // namespace dealflow::detail
