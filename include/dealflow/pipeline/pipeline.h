// dealflow/pipeline/pipeline.h: the compiled, immutable pipeline definition.
//
// A `Pipeline` is an ordered list of stages (open stages in funnel order, then
// won and lost stages wherever the config lists them), a move policy, guards,
// on-enter automation actions (as data: the engine executes them) and hand-off
// declarations. It is produced by the loader (dealflow/pipeline/pipeline_json.h)
// only after validation (dealflow/pipeline/validate.h) found no errors, so every
// StageId in it is in range, the allowed-move table is complete and every field,
// role and predicate name is interned to a dense id in the shared `Vocabulary`.
// Hot paths (the deal engine, analytics) index by StageId and never look up
// strings: `allows(from, to)` and `guards(from, to)` are O(1) table reads.
//
// A `Workspace` holds several pipelines by dense PipelineId, sharing one
// Vocabulary, with hand-off targets resolved to (PipelineId, StageId).
//
// Ownership: a Pipeline owns its stages, guards and actions; it shares the
// Vocabulary (std::shared_ptr<const Vocabulary>) with the other pipelines of a
// workspace. A Workspace owns its pipelines; references and pointers to them stay
// valid for the Workspace's lifetime (also across a move of the Workspace).
//
// Thread-safety: immutable after construction; every const method may be called
// from any number of threads without synchronization.
//
// Example:
//   auto loaded = dealflow::load_pipeline_file("data/pipelines/bitrix24_default.json");
//   if (!loaded) { std::cerr << loaded.status().to_string() << "\n"; return 1; }
//   const dealflow::Pipeline& p = loaded->pipeline;
//   dealflow::StageId from = *p.find_stage("NEW"), to = *p.find_stage("WON");
//   if (p.allows(from, to))
//     for (const dealflow::Guard& g : p.guards(from, to)) check(g);
//   for (dealflow::StageId s : p.open_stages()) std::cout << p.stage(s).name << "\n";
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dealflow/core/dictionary.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"

namespace dealflow {

// Dense ids of names used by guards and actions (codes in Vocabulary).
using FieldId = StrongId<struct FieldIdTag>;
using RoleId = StrongId<struct RoleIdTag>;
using PredicateId = StrongId<struct PredicateIdTag>;

// ---------------------------------------------------------------------------
// Vocabulary: names interned to dense ids, shared by the pipelines of a workspace.

// Deal fields every Vocabulary knows, with fixed ids (interned first, in this
// order), so the engine can map them to built-in deal members without lookups.
// Any other field name (a custom attribute) gets the next free id.
namespace builtin_field {
inline constexpr FieldId amount{0};
inline constexpr FieldId owner{1};
inline constexpr FieldId client{2};
inline constexpr FieldId region{3};
inline constexpr FieldId product{4};
inline constexpr FieldId tier{5};
inline constexpr FieldId channel{6};
inline constexpr FieldId business{7};
inline constexpr FieldId source{8};
inline constexpr std::size_t kCount = 9;
}  // namespace builtin_field

class Vocabulary {
 public:
  // Starts with the builtin fields interned ("amount", "owner", "client",
  // "region", "product", "tier", "channel", "business", "source").
  Vocabulary();

  FieldId intern_field(std::string_view name);
  RoleId intern_role(std::string_view name);
  PredicateId intern_predicate(std::string_view name);

  std::optional<FieldId> find_field(std::string_view name) const;
  std::optional<RoleId> find_role(std::string_view name) const;
  std::optional<PredicateId> find_predicate(std::string_view name) const;

  std::string_view field_name(FieldId id) const { return fields_.at(id.value()); }
  std::string_view role_name(RoleId id) const { return roles_.at(id.value()); }
  std::string_view predicate_name(PredicateId id) const { return predicates_.at(id.value()); }

  std::size_t field_count() const noexcept { return fields_.size(); }
  std::size_t role_count() const noexcept { return roles_.size(); }
  std::size_t predicate_count() const noexcept { return predicates_.size(); }

 private:
  Dictionary fields_;
  Dictionary roles_;
  Dictionary predicates_;
};

// ---------------------------------------------------------------------------
// Stages

enum class StageKind : std::uint8_t { open, won, lost };
std::string_view to_string(StageKind kind) noexcept;  // "open" | "won" | "lost"
std::optional<StageKind> parse_stage_kind(std::string_view text) noexcept;
constexpr bool is_terminal(StageKind kind) noexcept {
  return kind != StageKind::open;
}

// Whether a duration is measured in calendar time or in the business time of a
// BusinessCalendar the engine is given.
enum class TimeBasis : std::uint8_t { calendar, business };
std::string_view to_string(TimeBasis basis) noexcept;  // "calendar" | "business"

// Maximum time a deal should stay in a stage; the engine lists deals over it.
struct Sla {
  Duration limit{0};
  TimeBasis basis = TimeBasis::calendar;
  friend bool operator==(const Sla&, const Sla&) = default;
};

// A condition a move must satisfy. Guards are data; the engine evaluates them.
enum class GuardKind : std::uint8_t {
  required_fields,  // every field in `fields` is non-empty on the deal
  amount_positive,  // the deal's amount is > 0
  actor_role,       // the actor holds at least one role in `roles`
  predicate,        // the host predicate registered under `predicate` returns true
};
std::string_view to_string(GuardKind kind) noexcept;

struct Guard {
  GuardKind kind = GuardKind::required_fields;
  std::vector<FieldId> fields;  // required_fields, in declaration order
  std::vector<RoleId> roles;    // actor_role, sorted ascending, unique
  PredicateId predicate;        // predicate
  friend bool operator==(const Guard&, const Guard&) = default;
};

// On-enter automation actions (Bitrix24 "robots"), run by the engine when a deal
// enters the stage, in declaration order.
enum class ActionKind : std::uint8_t { set_probability, set_field, timed_move, escalate };
std::string_view to_string(ActionKind kind) noexcept;

struct SetProbability {
  double probability = 0.0;  // in [0, 1]; overrides the stage default for the deal
  friend bool operator==(const SetProbability&, const SetProbability&) = default;
};
struct SetField {
  FieldId field;
  std::string value;  // UTF-8; "" clears the field
  friend bool operator==(const SetField&, const SetField&) = default;
};
// Moves the deal to `target` when it is still in the stage `delay` after entering.
// Timed moves are automation: policy (allows) was checked at load time, guards
// are the engine's to apply or bypass (documented in the engine header).
struct TimedMove {
  StageId target;
  Duration delay{0};
  TimeBasis basis = TimeBasis::business;
  friend bool operator==(const TimedMove&, const TimedMove&) = default;
};
// Raises an escalation named `name` when the deal is still in the stage `after`
// entering it (Zoho-style "sitting too long"), addressed to `notify_role`
// (invalid RoleId = nobody in particular).
struct Escalation {
  Duration after{0};
  TimeBasis basis = TimeBasis::business;
  std::string name;
  RoleId notify_role;
  friend bool operator==(const Escalation&, const Escalation&) = default;
};
using StageAction = std::variant<SetProbability, SetField, TimedMove, Escalation>;
ActionKind action_kind(const StageAction& action) noexcept;

// The forecast category of a stage (Salesforce's ForecastCategoryName,
// HubSpot's hs_forecast_category): how sure a deal in it is, for forecast
// roll-ups (docs/forecasting.md). A deal's own forecast_category field, when
// the data has one, overrides its stage's.
enum class ForecastCategory : std::uint8_t { pipeline, best_case, commit, closed, omitted };
inline constexpr std::size_t kForecastCategoryCount = 5;
// "pipeline" | "best_case" | "commit" | "closed" | "omitted".
std::string_view to_string(ForecastCategory category) noexcept;
// Accepts the names above, case-insensitively, with ' ' or '-' for '_' and
// the CRM spellings "Best Case", "BestCase", "Closed Won"/"Won" (closed),
// "Omitted"/"Closed Lost"/"Lost" (omitted).
std::optional<ForecastCategory> parse_forecast_category(std::string_view text) noexcept;
// The category of a stage without an explicit one: won -> closed, lost ->
// omitted; an open stage by its default probability: >= 0.9 commit, >= 0.6
// best_case, else pipeline.
ForecastCategory default_forecast_category(StageKind kind, double probability) noexcept;

struct Stage {
  std::string id;    // stable id from the config, e.g. "PREPAYMENT_INVOICE"
  std::string name;  // UTF-8 display name, e.g. "Счёт на предоплату"
  StageKind kind = StageKind::open;
  double probability = 0.0;  // default win probability in [0, 1]
  // From the config's "forecast_category", else default_forecast_category().
  ForecastCategory forecast_category = ForecastCategory::pipeline;
  std::optional<Sla> sla;
  std::vector<FieldId> required_fields;  // must be non-empty to enter this stage
  std::vector<Guard> guards;             // checked on every move into this stage
  std::vector<StageAction> on_enter;     // run by the engine on entering
  // Position among the open stages (0 = first in the funnel); -1 for terminals.
  int funnel_position = -1;
};

// ---------------------------------------------------------------------------
// Move policy and hand-offs

enum class MovePolicy : std::uint8_t {
  free,                  // any open stage -> any other stage
  no_skip,               // open -> the next open stage, any earlier open stage, or any terminal
  no_backward,           // open -> any later open stage or any terminal
  explicit_transitions,  // only the declared transitions (config: "explicit")
};
std::string_view to_string(MovePolicy policy) noexcept;  // "free" | "no_skip" | "no_backward" | "explicit"
std::optional<MovePolicy> parse_move_policy(std::string_view text) noexcept;

// Whether a hand-off creates a linked deal in the target pipeline (the source
// deal stays where it is) or moves the deal itself there. Either way the link
// (source pipeline/deal -> target) is kept by the engine.
enum class HandoffMode : std::uint8_t { create_linked, move };
std::string_view to_string(HandoffMode mode) noexcept;  // "create_linked" | "move"

// "When a deal enters `trigger` here, hand it off to `target_stage_id` of
// pipeline `target_pipeline_id`" (Bitrix24 tunnels). Targets are names until a
// Workspace resolves them; `target_pipeline`/`target_stage` are invalid in a
// stand-alone Pipeline and valid in one held by a Workspace.
struct Handoff {
  std::string id;  // unique within the pipeline
  StageId trigger;
  std::string target_pipeline_id;
  std::string target_stage_id;
  HandoffMode mode = HandoffMode::create_linked;
  PipelineId target_pipeline;
  StageId target_stage;
};

// ---------------------------------------------------------------------------

namespace detail {
struct PipelineAccess;  // the compiler in src/pipeline builds Pipelines
}

class Pipeline {
 public:
  // Largest supported stage count (the move and guard tables are n x n).
  static constexpr std::size_t kMaxStages = 256;
  // Most distinct roles a pipeline, and a workspace, may name: the deal engine
  // keeps an actor's roles in a 64-bit mask (RoleId values 0..63).
  static constexpr std::size_t kMaxRoles = 64;

  const std::string& id() const noexcept { return id_; }      // stable id, e.g. "sales"
  const std::string& name() const noexcept { return name_; }  // UTF-8 display name
  // Dense id inside its Workspace; PipelineId{0} for a stand-alone pipeline.
  PipelineId index() const noexcept { return index_; }
  MovePolicy policy() const noexcept { return policy_; }
  // The config's "calendar": the name of the business calendar its business
  // time is meant in; "" when none is named (docs/pipeline-config.md).
  const std::string& calendar() const noexcept { return calendar_; }
  const std::string& source_file() const noexcept { return file_; }

  std::size_t stage_count() const noexcept { return stages_.size(); }
  // `s` must be < stage_count() (asserted).
  const Stage& stage(StageId s) const noexcept;
  std::span<const Stage> stages() const noexcept { return stages_; }
  StageKind kind(StageId s) const noexcept { return stage(s).kind; }
  bool is_terminal(StageId s) const noexcept { return dealflow::is_terminal(stage(s).kind); }
  // By stable id; nullopt when no stage has it.
  std::optional<StageId> find_stage(std::string_view id) const noexcept;

  // Stages a new deal may be created in (declared "entries", else the first open stage).
  std::span<const StageId> entry_stages() const noexcept { return entries_; }
  StageId default_entry() const noexcept { return entries_.front(); }
  bool is_entry(StageId s) const noexcept;
  // Open stages in funnel order; won and lost stages in config order.
  std::span<const StageId> open_stages() const noexcept { return open_; }
  std::span<const StageId> won_stages() const noexcept { return won_; }
  std::span<const StageId> lost_stages() const noexcept { return lost_; }
  std::span<const StageId> terminal_stages() const noexcept { return terminal_; }

  // Whether a move from -> to is permitted by the policy, the declared
  // transitions and reopens. from == to is never a move (false). Out-of-range
  // ids give false. O(1).
  bool allows(StageId from, StageId to) const noexcept;
  // Whether from -> to leaves a terminal stage along a declared reopen.
  bool is_reopen(StageId from, StageId to) const noexcept;
  // Every guard the move from -> to must pass, in this order: the target's
  // required fields (one required_fields guard), the target stage's guards, the
  // transition's (or reopen's) own guards. Empty when none or not allowed. O(1).
  std::span<const Guard> guards(StageId from, StageId to) const noexcept;
  // Guards for creating a deal directly in entry stage `s` (required fields and
  // stage guards of `s`).
  std::span<const Guard> entry_guards(StageId s) const noexcept;
  // Allowed targets of `from`, in stage order.
  std::span<const StageId> successors(StageId from) const noexcept;
  // Terminal stages reachable from `s` along allowed moves (not passing through
  // another terminal), in stage order. Empty for terminal stages.
  std::span<const StageId> reachable_terminals(StageId s) const noexcept;

  std::span<const Handoff> handoffs() const noexcept { return handoffs_; }
  // Indexes into handoffs() of the hand-offs triggered by entering `s`.
  std::span<const std::uint16_t> handoffs_on_enter(StageId s) const noexcept;

  const Vocabulary& vocabulary() const noexcept { return *vocabulary_; }
  const std::shared_ptr<const Vocabulary>& shared_vocabulary() const noexcept { return vocabulary_; }

  // Declared role names ("roles" in the config); empty = any role name allowed.
  std::span<const RoleId> declared_roles() const noexcept { return roles_; }

 private:
  friend struct detail::PipelineAccess;
  friend class Workspace;
  Pipeline() = default;

  struct Range {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
  };
  std::size_t cell(StageId from, StageId to) const noexcept {
    return static_cast<std::size_t>(from.value()) * stages_.size() + to.value();
  }

  std::string id_;
  std::string name_;
  std::string file_;
  std::string calendar_;
  PipelineId index_{0};
  MovePolicy policy_ = MovePolicy::free;
  std::vector<Stage> stages_;
  std::vector<StageId> entries_;
  std::vector<StageId> open_;
  std::vector<StageId> won_;
  std::vector<StageId> lost_;
  std::vector<StageId> terminal_;
  std::vector<RoleId> roles_;
  // n x n: bit 0 allowed, bit 1 reopen.
  std::vector<std::uint8_t> moves_;
  // n x n ranges into pair_guards_; n ranges for entry guards.
  std::vector<Range> guard_ranges_;
  std::vector<Range> entry_guard_ranges_;
  std::vector<Guard> pair_guards_;
  // Per stage ranges into successor_list_ / terminal_list_ / handoff_index_.
  std::vector<Range> successor_ranges_;
  std::vector<StageId> successor_list_;
  std::vector<Range> terminal_ranges_;
  std::vector<StageId> terminal_list_;
  std::vector<Range> handoff_ranges_;
  std::vector<std::uint16_t> handoff_index_;
  std::vector<Handoff> handoffs_;
  // Sorted (id, StageId) for find_stage.
  std::vector<std::pair<std::string, StageId>> by_id_;
  std::shared_ptr<const Vocabulary> vocabulary_;
};

// Several pipelines by dense PipelineId (their order of addition), sharing one
// Vocabulary, with every hand-off target resolved.
class Workspace {
 public:
  Workspace() = default;

  // Takes pipelines that share one Vocabulary (load them with one, see
  // load_workspace); assigns PipelineId 0, 1, ... in order and resolves
  // hand-offs. Errors (validation_failed): duplicate pipeline ids, different
  // vocabularies, a hand-off naming an unknown pipeline or stage (the message
  // names the file, hand-off id and target), a role beyond the first
  // Pipeline::kMaxRoles of the shared vocabulary; collected, not just the first.
  static Result<Workspace> create(std::vector<Pipeline> pipelines);

  std::size_t pipeline_count() const noexcept { return pipelines_.size(); }
  const Pipeline& pipeline(PipelineId id) const noexcept;
  std::span<const Pipeline> pipelines() const noexcept { return pipelines_; }
  std::optional<PipelineId> find_pipeline(std::string_view id) const noexcept;
  // nullptr when the workspace is empty.
  const Vocabulary* vocabulary() const noexcept {
    return pipelines_.empty() ? nullptr : &pipelines_.front().vocabulary();
  }

 private:
  std::vector<Pipeline> pipelines_;
};

}  // namespace dealflow
