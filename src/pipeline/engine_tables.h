// src/pipeline/engine_tables.h: the deal engine's compiled form of a Workspace
// (private). Everything a move needs is an index into a flat table: the rule
// for (from, to) with its guard range, compiled guards (field slot, role mask,
// predicate index), and per stage code the on-enter actions and hand-offs.
// Immutable after compile_engine_tables(), except the callback flag bits.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dealflow/core/dictionary.h"
#include "dealflow/pipeline/automation.h"
#include "dealflow/pipeline/engine.h"
#include "dealflow/pipeline/history.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::detail {

enum class Check : std::uint8_t {
  amount_set,       // required field "amount": minor units != 0
  owner_set,        // required field "owner"
  client_set,       // required field "client"
  attribute_set,    // required attribute: arg = slot
  amount_positive,  // amount > 0
  actor_role,       // arg = index into role_masks
  predicate,        // arg = PredicateId value
};

struct CompiledGuard {
  Check check;
  GuardKind kind;      // the config's guard kind (for the refusal)
  std::uint16_t reserved;
  std::uint32_t arg;
  std::uint32_t field;  // FieldId value (required fields) / PredicateId value, else ~0
};

inline constexpr std::uint8_t kRuleAllowed = 1;
inline constexpr std::uint8_t kRuleReopen = 2;
inline constexpr std::uint8_t kRuleFromTerminal = 4;

struct CompiledRule {
  std::uint8_t flags = 0;
  std::uint8_t reserved = 0;
  std::uint16_t guard_count = 0;
  std::uint32_t guard_begin = 0;
};

struct CompiledAction {
  ActionKind kind = ActionKind::set_probability;
  TimeBasis basis = TimeBasis::calendar;
  std::uint16_t target = 0;       // timed_move: target stage
  std::uint16_t field = 0;        // set_field: FieldId value
  std::uint16_t position = 0;     // index in Stage::on_enter (escalation name, role)
  std::uint32_t value = 0;        // set_probability: ppm; set_field: value code
  std::int64_t delay_seconds = 0; // timed_move / escalate
};

struct CompiledHandoff {
  std::uint16_t index = 0;  // into the source pipeline's handoffs()
  std::uint16_t target_pipeline = 0;
  std::uint16_t target_stage = 0;
  HandoffMode mode = HandoffMode::create_linked;
};

struct Range32 {
  std::uint32_t begin = 0;
  std::uint32_t count = 0;
};

inline constexpr std::uint8_t kStageHasActions = 1;
inline constexpr std::uint8_t kStageHasHandoffs = 2;
inline constexpr std::uint8_t kStageHasCallbacks = 4;
inline constexpr std::uint8_t kStageHasSla = 8;
inline constexpr std::uint8_t kStageTerminal = 16;

struct PipelineTables {
  std::uint16_t stage_count = 0;
  std::uint16_t code_offset = 0;
  std::vector<CompiledRule> rules;  // stage_count^2, [from * n + to]
  std::vector<CompiledRule> enter;  // stage_count: guards to enter s directly (creation, hand-off)
};

struct EngineTables {
  std::shared_ptr<const Workspace> workspace;
  StageCodes codes;
  std::vector<PipelineTables> pipelines;
  std::vector<CompiledGuard> guards;
  std::vector<std::uint64_t> role_masks;
  std::vector<Predicate> predicates;  // by PredicateId value

  // Per stage code.
  std::vector<std::uint8_t> stage_flags;
  std::vector<Range32> action_ranges;
  std::vector<CompiledAction> actions;
  std::vector<Range32> handoff_ranges;
  std::vector<CompiledHandoff> handoffs;
  std::vector<double> default_probability;

  Dictionary fields;  // vocabulary fields in FieldId order, then extra fields
  std::size_t attribute_slots = 0;
  Dictionary roles;   // vocabulary roles in RoleId order, then new role names
  std::vector<std::uint64_t> actor_roles;  // role bit mask by ManagerId value

  const Pipeline& pipeline(std::uint16_t p) const noexcept { return workspace->pipeline(PipelineId{p}); }
};

// Compiles `workspace`; fills `values` (one dictionary per attribute slot) with
// the values set_field actions use. Consumes options.predicates.
Result<EngineTables> compile_engine_tables(std::shared_ptr<const Workspace> workspace, EngineOptions& options,
                                           std::vector<Dictionary>& values);

// Sets the role bit of `role` for `actor` (adds the role name when new).
Status grant_role(EngineTables& tables, ManagerId actor, std::string_view role);

// Parts per million of a probability in [0, 1] (round half away from zero).
std::uint32_t probability_ppm(double p) noexcept;

}  // namespace dealflow::detail
