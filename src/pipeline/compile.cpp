// compile_pipeline: a validated PipelineSpec -> the dense, immutable Pipeline.
#include <algorithm>

#include "dealflow/pipeline/pipeline_spec.h"
#include "pipeline/definition_analysis.h"

namespace dealflow {

namespace detail {

struct PipelineAccess {
  static Pipeline build(const PipelineSpec& spec, const DefinitionAnalysis& a,
                        std::shared_ptr<Vocabulary> vocab) {
    Pipeline p;
    p.id_ = spec.id;
    p.name_ = spec.name.empty() ? spec.id : spec.name;
    p.file_ = spec.file;
    p.policy_ = spec.policy;
    p.calendar_ = spec.calendar;
    const std::size_t n = a.n;
    Vocabulary& v = *vocab;

    auto compile_guards = [&](const std::vector<GuardSpec>& specs) {
      std::vector<Guard> out;
      out.reserve(specs.size());
      for (const GuardSpec& gs : specs) {
        Guard g;
        g.kind = gs.kind;
        for (const auto& f : gs.fields) g.fields.push_back(v.intern_field(f));
        for (const auto& r : gs.roles) g.roles.push_back(v.intern_role(r));
        std::sort(g.roles.begin(), g.roles.end());
        g.roles.erase(std::unique(g.roles.begin(), g.roles.end()), g.roles.end());
        if (gs.kind == GuardKind::predicate) g.predicate = v.intern_predicate(gs.predicate);
        out.push_back(std::move(g));
      }
      return out;
    };

    if (spec.roles) {
      for (const auto& r : *spec.roles) p.roles_.push_back(v.intern_role(r));
    }

    p.stages_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const StageSpec& ss = spec.stages[i];
      Stage s;
      s.id = ss.id;
      s.name = ss.name.empty() ? ss.id : ss.name;
      s.kind = ss.kind;
      s.probability = ss.probability.value_or(ss.kind == StageKind::won ? 1.0 : 0.0);
      s.forecast_category = ss.forecast_category.value_or(default_forecast_category(ss.kind, s.probability));
      s.sla = ss.sla;
      for (const auto& f : ss.required_fields) s.required_fields.push_back(v.intern_field(f));
      s.guards = compile_guards(ss.guards);
      for (const ActionSpec& as : ss.on_enter) {
        switch (as.kind) {
          case ActionKind::set_probability:
            s.on_enter.emplace_back(SetProbability{as.probability});
            break;
          case ActionKind::set_field:
            s.on_enter.emplace_back(SetField{v.intern_field(as.field), as.value});
            break;
          case ActionKind::timed_move:
            s.on_enter.emplace_back(TimedMove{StageId(a.index.at(as.target_stage)), as.delay, as.basis});
            break;
          case ActionKind::escalate:
            s.on_enter.emplace_back(
                Escalation{as.delay, as.basis, as.name,
                           as.notify_role.empty() ? RoleId() : v.intern_role(as.notify_role)});
            break;
        }
      }
      s.funnel_position = a.funnel_position[i];
      p.stages_.push_back(std::move(s));
      const StageId id(static_cast<std::uint16_t>(i));
      switch (ss.kind) {
        case StageKind::open:
          p.open_.push_back(id);
          break;
        case StageKind::won:
          p.won_.push_back(id);
          p.terminal_.push_back(id);
          break;
        case StageKind::lost:
          p.lost_.push_back(id);
          p.terminal_.push_back(id);
          break;
      }
      p.by_id_.emplace_back(ss.id, id);
    }
    std::sort(p.by_id_.begin(), p.by_id_.end());
    for (auto e : a.entries) p.entries_.push_back(StageId(e));

    // Guards per target stage (required fields first), then per (from, to).
    std::vector<std::vector<Guard>> stage_guards(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Stage& s = p.stages_[i];
      if (!s.required_fields.empty()) {
        Guard g;
        g.kind = GuardKind::required_fields;
        g.fields = s.required_fields;
        stage_guards[i].push_back(std::move(g));
      }
      stage_guards[i].insert(stage_guards[i].end(), s.guards.begin(), s.guards.end());
    }
    auto append = [&](const std::vector<Guard>& gs) {
      const auto begin = static_cast<std::uint32_t>(p.pair_guards_.size());
      p.pair_guards_.insert(p.pair_guards_.end(), gs.begin(), gs.end());
      return Pipeline::Range{begin, static_cast<std::uint32_t>(p.pair_guards_.size())};
    };
    p.entry_guard_ranges_.resize(n);
    for (std::size_t i = 0; i < n; ++i) p.entry_guard_ranges_[i] = append(stage_guards[i]);

    p.moves_ = a.moves;
    p.guard_ranges_.assign(n * n, Pipeline::Range{});
    p.successor_ranges_.resize(n);
    for (std::size_t f = 0; f < n; ++f) {
      const auto succ_begin = static_cast<std::uint32_t>(p.successor_list_.size());
      for (std::size_t t = 0; t < n; ++t) {
        const std::size_t c = f * n + t;
        if (!(a.moves[c] & kMoveAllowed)) continue;
        p.successor_list_.push_back(StageId(static_cast<std::uint16_t>(t)));
        const int d = a.declared_by[c];
        const TransitionSpec* tr = d == -1  ? nullptr
                                   : d >= 0 ? &spec.transitions[static_cast<std::size_t>(d)]
                                            : &spec.reopens[static_cast<std::size_t>(-2 - d)];
        if (tr == nullptr || tr->guards.empty()) {
          // The move's guards are exactly the target's: share its entry range.
          p.guard_ranges_[c] = p.entry_guard_ranges_[t];
          continue;
        }
        std::vector<Guard> gs = stage_guards[t];
        auto own = compile_guards(tr->guards);
        gs.insert(gs.end(), own.begin(), own.end());
        p.guard_ranges_[c] = append(gs);
      }
      p.successor_ranges_[f] = {succ_begin, static_cast<std::uint32_t>(p.successor_list_.size())};
    }

    p.terminal_ranges_.resize(n);
    for (std::size_t s = 0; s < n; ++s) {
      const auto begin = static_cast<std::uint32_t>(p.terminal_list_.size());
      for (auto t : a.reachable_terminals[s]) p.terminal_list_.push_back(StageId(t));
      p.terminal_ranges_[s] = {begin, static_cast<std::uint32_t>(p.terminal_list_.size())};
    }

    for (const HandoffSpec& hs : spec.handoffs) {
      Handoff h;
      h.id = hs.id;
      h.trigger = StageId(a.index.at(hs.trigger_stage));
      h.target_pipeline_id = hs.target_pipeline;
      h.target_stage_id = hs.target_stage;
      h.mode = hs.mode;
      p.handoffs_.push_back(std::move(h));
    }
    p.handoff_ranges_.resize(n);
    for (std::size_t s = 0; s < n; ++s) {
      const auto begin = static_cast<std::uint32_t>(p.handoff_index_.size());
      for (std::size_t k = 0; k < p.handoffs_.size(); ++k) {
        if (p.handoffs_[k].trigger.value() == s) p.handoff_index_.push_back(static_cast<std::uint16_t>(k));
      }
      p.handoff_ranges_[s] = {begin, static_cast<std::uint32_t>(p.handoff_index_.size())};
    }
    p.vocabulary_ = std::move(vocab);
    return p;
  }
};

}  // namespace detail

CompiledPipeline compile_pipeline(const PipelineSpec& spec, std::shared_ptr<Vocabulary> vocabulary) {
  CompiledPipeline out;
  const detail::DefinitionAnalysis analysis = detail::analyze_definition(spec, out.report);
  if (spec.handoffs.size() > 0xFFFF) {
    out.report.add(Diagnostic{Severity::error, DiagnosticKind::bad_value, spec.file, "/handoffs", spec.id,
                              "pipeline '" + spec.id + "' has too many hand-offs (at most 65535)"});
  }
  if (!out.report.ok()) return out;
  if (!vocabulary) vocabulary = std::make_shared<Vocabulary>();
  out.pipeline = detail::PipelineAccess::build(spec, analysis, std::move(vocabulary));
  return out;
}

}  // namespace dealflow
