// Names of the pipeline-definition enums and the shared Vocabulary.
#include <array>

#include "dealflow/pipeline/pipeline.h"

namespace dealflow {

namespace {
constexpr std::array<std::string_view, builtin_field::kCount> kBuiltinFields = {
    "amount", "owner", "client", "region", "product", "tier", "channel", "business", "source"};
}  // namespace

Vocabulary::Vocabulary() {
  for (std::string_view name : kBuiltinFields) fields_.intern(name);
}

FieldId Vocabulary::intern_field(std::string_view name) {
  return FieldId(fields_.intern(name));
}
RoleId Vocabulary::intern_role(std::string_view name) {
  return RoleId(roles_.intern(name));
}
PredicateId Vocabulary::intern_predicate(std::string_view name) {
  return PredicateId(predicates_.intern(name));
}

std::optional<FieldId> Vocabulary::find_field(std::string_view name) const {
  if (auto c = fields_.find(name)) return FieldId(*c);
  return std::nullopt;
}
std::optional<RoleId> Vocabulary::find_role(std::string_view name) const {
  if (auto c = roles_.find(name)) return RoleId(*c);
  return std::nullopt;
}
std::optional<PredicateId> Vocabulary::find_predicate(std::string_view name) const {
  if (auto c = predicates_.find(name)) return PredicateId(*c);
  return std::nullopt;
}

std::string_view to_string(StageKind kind) noexcept {
  switch (kind) {
    case StageKind::open:
      return "open";
    case StageKind::won:
      return "won";
    case StageKind::lost:
      return "lost";
  }
  return "?";
}

std::optional<StageKind> parse_stage_kind(std::string_view text) noexcept {
  if (text == "open") return StageKind::open;
  if (text == "won") return StageKind::won;
  if (text == "lost") return StageKind::lost;
  return std::nullopt;
}

std::string_view to_string(ForecastCategory category) noexcept {
  switch (category) {
    case ForecastCategory::pipeline:
      return "pipeline";
    case ForecastCategory::best_case:
      return "best_case";
    case ForecastCategory::commit:
      return "commit";
    case ForecastCategory::closed:
      return "closed";
    case ForecastCategory::omitted:
      return "omitted";
  }
  return "?";
}

std::optional<ForecastCategory> parse_forecast_category(std::string_view text) noexcept {
  std::string key;  // lower case, without ' ', '-', '_'
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '_') continue;
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (key == "pipeline") return ForecastCategory::pipeline;
  if (key == "bestcase") return ForecastCategory::best_case;
  if (key == "commit") return ForecastCategory::commit;
  if (key == "closed" || key == "closedwon" || key == "won") return ForecastCategory::closed;
  if (key == "omitted" || key == "closedlost" || key == "lost") return ForecastCategory::omitted;
  return std::nullopt;
}

ForecastCategory default_forecast_category(StageKind kind, double probability) noexcept {
  if (kind == StageKind::won) return ForecastCategory::closed;
  if (kind == StageKind::lost) return ForecastCategory::omitted;
  if (probability >= 0.9) return ForecastCategory::commit;
  if (probability >= 0.6) return ForecastCategory::best_case;
  return ForecastCategory::pipeline;
}

std::string_view to_string(TimeBasis basis) noexcept {
  return basis == TimeBasis::calendar ? "calendar" : "business";
}

std::string_view to_string(GuardKind kind) noexcept {
  switch (kind) {
    case GuardKind::required_fields:
      return "required_fields";
    case GuardKind::amount_positive:
      return "amount_positive";
    case GuardKind::actor_role:
      return "actor_role";
    case GuardKind::predicate:
      return "predicate";
  }
  return "?";
}

std::string_view to_string(ActionKind kind) noexcept {
  switch (kind) {
    case ActionKind::set_probability:
      return "set_probability";
    case ActionKind::set_field:
      return "set_field";
    case ActionKind::timed_move:
      return "timed_move";
    case ActionKind::escalate:
      return "escalate";
  }
  return "?";
}

ActionKind action_kind(const StageAction& action) noexcept {
  switch (action.index()) {
    case 0:
      return ActionKind::set_probability;
    case 1:
      return ActionKind::set_field;
    case 2:
      return ActionKind::timed_move;
    default:
      return ActionKind::escalate;
  }
}

std::string_view to_string(MovePolicy policy) noexcept {
  switch (policy) {
    case MovePolicy::free:
      return "free";
    case MovePolicy::no_skip:
      return "no_skip";
    case MovePolicy::no_backward:
      return "no_backward";
    case MovePolicy::explicit_transitions:
      return "explicit";
  }
  return "?";
}

std::optional<MovePolicy> parse_move_policy(std::string_view text) noexcept {
  if (text == "free") return MovePolicy::free;
  if (text == "no_skip") return MovePolicy::no_skip;
  if (text == "no_backward") return MovePolicy::no_backward;
  if (text == "explicit") return MovePolicy::explicit_transitions;
  return std::nullopt;
}

std::string_view to_string(HandoffMode mode) noexcept {
  return mode == HandoffMode::create_linked ? "create_linked" : "move";
}

}  // namespace dealflow
