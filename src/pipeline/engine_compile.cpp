// Compiling a Workspace into the deal engine's flat tables (engine_tables.h).
#include <cassert>
#include <cmath>
#include <string>
#include <utility>

#include "pipeline/engine_tables.h"

namespace dealflow::detail {

std::uint32_t probability_ppm(double p) noexcept {
  return static_cast<std::uint32_t>(std::llround(p * 1'000'000.0));
}

namespace {

struct Compiler {
  EngineTables& t;
  std::vector<std::string>& errors;

  // Workspace::create refused role ids beyond Pipeline::kMaxRoles.
  static std::uint64_t role_mask(const std::vector<RoleId>& roles) {
    std::uint64_t mask = 0;
    for (RoleId r : roles) {
      assert(r.value() < Pipeline::kMaxRoles);
      mask |= std::uint64_t{1} << r.value();
    }
    return mask;
  }

  void add_guard(const Guard& g, const Pipeline& p, std::string_view where) {
    CompiledGuard c{};
    c.kind = g.kind;
    c.field = ~std::uint32_t{0};
    switch (g.kind) {
      case GuardKind::required_fields:
        for (FieldId f : g.fields) {
          c.field = f.value();
          if (f == builtin_field::amount) {
            c.check = Check::amount_set;
          } else if (f == builtin_field::owner) {
            c.check = Check::owner_set;
          } else if (f == builtin_field::client) {
            c.check = Check::client_set;
          } else {
            c.check = Check::attribute_set;
            c.arg = attribute_slot(f);
          }
          t.guards.push_back(c);
        }
        return;
      case GuardKind::amount_positive:
        c.check = Check::amount_positive;
        break;
      case GuardKind::actor_role:
        c.check = Check::actor_role;
        c.arg = static_cast<std::uint32_t>(t.role_masks.size());
        t.role_masks.push_back(role_mask(g.roles));
        break;
      case GuardKind::predicate:
        c.check = Check::predicate;
        c.arg = g.predicate.value();
        c.field = g.predicate.value();
        if (g.predicate.value() >= t.predicates.size() || !t.predicates[g.predicate.value()]) {
          errors.push_back(std::string("pipeline '") + p.id() + "' " + std::string(where) + ": guard predicate '" +
                           std::string(p.vocabulary().predicate_name(g.predicate)) +
                           "' is not registered (EngineOptions::predicates)");
        }
        break;
    }
    t.guards.push_back(c);
  }

  CompiledRule guards_rule(std::span<const Guard> guards, const Pipeline& p, std::string_view where) {
    CompiledRule r;
    r.guard_begin = static_cast<std::uint32_t>(t.guards.size());
    for (const Guard& g : guards) add_guard(g, p, where);
    const std::size_t count = t.guards.size() - r.guard_begin;
    if (count > 0xFFFF) errors.push_back(std::string("pipeline '") + p.id() + "' " + std::string(where) + ": too many guards");
    r.guard_count = static_cast<std::uint16_t>(count);
    return r;
  }

  void compile_actions(const Stage& stage, std::vector<Dictionary>& values) {
    std::uint16_t position = 0;
    for (const StageAction& a : stage.on_enter) {
      CompiledAction c;
      c.kind = action_kind(a);
      c.position = position++;
      if (const auto* sp = std::get_if<SetProbability>(&a)) {
        c.value = probability_ppm(sp->probability);
      } else if (const auto* sf = std::get_if<SetField>(&a)) {
        assert(is_attribute_field(sf->field));  // validation refuses set_field on amount/owner/client
        c.field = static_cast<std::uint16_t>(sf->field.value());
        c.value = sf->value.empty() ? kNoValue : values[attribute_slot(sf->field)].intern(sf->value);
      } else if (const auto* tm = std::get_if<TimedMove>(&a)) {
        c.target = tm->target.value();
        c.delay_seconds = tm->delay.count();
        c.basis = tm->basis;
      } else if (const auto* es = std::get_if<Escalation>(&a)) {
        c.delay_seconds = es->after.count();
        c.basis = es->basis;
      }
      t.actions.push_back(c);
    }
  }
};

}  // namespace

Status grant_role(EngineTables& tables, ManagerId actor, std::string_view role) {
  if (!actor.valid() || actor.value() >= kSystemActor)
    return Status(ErrorCode::invalid_argument,
                  std::string("actor id ") + std::to_string(actor.value()) + " is out of range: expected a ManagerId below 65535");
  if (role.empty()) return Status(ErrorCode::invalid_argument, "empty role name");
  const Dictionary::Code code = tables.roles.intern(role);
  if (code >= Pipeline::kMaxRoles)
    return Status(ErrorCode::invalid_argument, std::string("role '") + std::string(role) +
                                                   "' is beyond the engine's limit of " +
                                                   std::to_string(Pipeline::kMaxRoles) + " roles");
  if (tables.actor_roles.size() <= actor.value()) tables.actor_roles.resize(actor.value() + 1, 0);
  tables.actor_roles[actor.value()] |= std::uint64_t{1} << code;
  return {};
}

Result<EngineTables> compile_engine_tables(std::shared_ptr<const Workspace> workspace, EngineOptions& options,
                                           std::vector<Dictionary>& values) {
  if (!workspace || workspace->pipeline_count() == 0)
    return Status(ErrorCode::invalid_argument, "the deal engine needs a workspace with at least one pipeline");
  EngineTables t;
  t.workspace = workspace;
  auto codes = StageCodes::of(*workspace);
  if (!codes) return codes.status();
  t.codes = std::move(*codes);

  const Vocabulary& vocab = *workspace->vocabulary();
  for (std::size_t f = 0; f < vocab.field_count(); ++f) t.fields.intern(vocab.field_name(FieldId{static_cast<std::uint32_t>(f)}));
  for (const std::string& extra : options.extra_fields) {
    if (extra.empty()) return Status(ErrorCode::invalid_argument, "EngineOptions::extra_fields: empty field name");
    t.fields.intern(extra);
  }
  // Field codes must stay below the history's reserved codes (kSourceDealField, kProbabilityField).
  if (t.fields.size() > kSourceDealField)
    return Status(ErrorCode::invalid_argument, "too many fields (at most 65534)");
  t.attribute_slots = t.fields.size() - kFirstAttributeField;
  values.assign(t.attribute_slots, Dictionary{});

  for (std::size_t r = 0; r < vocab.role_count(); ++r) t.roles.intern(vocab.role_name(RoleId{static_cast<std::uint32_t>(r)}));
  for (const auto& [actor, roles] : options.actor_roles)
    for (const std::string& role : roles) DEALFLOW_RETURN_IF_ERROR(grant_role(t, actor, role));

  t.predicates.resize(vocab.predicate_count());
  for (std::size_t i = 0; i < vocab.predicate_count(); ++i)
    if (const Predicate* fn = options.predicates.find(vocab.predicate_name(PredicateId{static_cast<std::uint32_t>(i)})))
      t.predicates[i] = *fn;

  std::vector<std::string> errors;
  Compiler c{t, errors};
  const std::size_t codes_total = t.codes.code_count();
  t.stage_flags.assign(codes_total, 0);
  t.action_ranges.assign(codes_total, {});
  t.handoff_ranges.assign(codes_total, {});
  t.default_probability.assign(codes_total, 0.0);

  for (const Pipeline& p : workspace->pipelines()) {
    PipelineTables pt;
    const std::size_t n = p.stage_count();
    pt.stage_count = static_cast<std::uint16_t>(n);
    pt.code_offset = t.codes.offset(p.index());
    pt.rules.resize(n * n);
    pt.enter.resize(n);
    for (std::size_t from = 0; from < n; ++from) {
      const StageId f{static_cast<std::uint16_t>(from)};
      for (std::size_t to = 0; to < n; ++to) {
        const StageId s{static_cast<std::uint16_t>(to)};
        CompiledRule rule;
        if (p.allows(f, s)) {
          rule = c.guards_rule(p.guards(f, s), p, std::string("move ") + p.stage(f).id + " -> " + p.stage(s).id);
          rule.flags |= kRuleAllowed;
          if (p.is_reopen(f, s)) rule.flags |= kRuleReopen;
        }
        if (p.is_terminal(f)) rule.flags |= kRuleFromTerminal;
        pt.rules[from * n + to] = rule;
      }
      const Stage& stage = p.stage(f);
      std::vector<Guard> enter;
      if (!stage.required_fields.empty()) enter.push_back(Guard{GuardKind::required_fields, stage.required_fields, {}, {}});
      enter.insert(enter.end(), stage.guards.begin(), stage.guards.end());
      pt.enter[from] = c.guards_rule(enter, p, std::string("stage ") + stage.id);

      const std::uint16_t code = t.codes.encode(p.index(), f);
      std::uint8_t flags = 0;
      t.action_ranges[code].begin = static_cast<std::uint32_t>(t.actions.size());
      c.compile_actions(stage, values);
      t.action_ranges[code].count = static_cast<std::uint32_t>(t.actions.size()) - t.action_ranges[code].begin;
      if (t.action_ranges[code].count) flags |= kStageHasActions;
      t.handoff_ranges[code].begin = static_cast<std::uint32_t>(t.handoffs.size());
      for (std::uint16_t idx : p.handoffs_on_enter(f)) {
        const Handoff& h = p.handoffs()[idx];
        if (!h.target_pipeline.valid() || !h.target_stage.valid() || h.target_pipeline.value() >= workspace->pipeline_count()) {
          errors.push_back(std::string("pipeline '") + p.id() + "' hand-off '" + h.id + "': target pipeline '" + h.target_pipeline_id +
                           "' stage '" + h.target_stage_id + "' is not resolved in this workspace");
          continue;
        }
        t.handoffs.push_back({idx, h.target_pipeline.value(), h.target_stage.value(), h.mode});
      }
      t.handoff_ranges[code].count = static_cast<std::uint32_t>(t.handoffs.size()) - t.handoff_ranges[code].begin;
      if (t.handoff_ranges[code].count) flags |= kStageHasHandoffs;
      if (stage.sla) flags |= kStageHasSla;
      if (p.is_terminal(f)) flags |= kStageTerminal;
      t.stage_flags[code] = flags;
      t.default_probability[code] = stage.probability;
    }
    t.pipelines.push_back(std::move(pt));
  }
  if (!errors.empty()) {
    std::string message = std::to_string(errors.size()) + " error(s) compiling the deal engine:";
    for (const std::string& e : errors) message += std::string("\n  ") + e;
    const bool missing_predicate = message.find("is not registered") != std::string::npos;
    return Status(missing_predicate ? ErrorCode::not_found : ErrorCode::invalid_argument, std::move(message));
  }
  return t;
}

}  // namespace dealflow::detail
