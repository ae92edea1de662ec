// Host hooks of the deal engine: the predicate registry and failure kinds.
#include "dealflow/pipeline/automation.h"

#include <string>
#include <utility>

namespace dealflow {

Status PredicateRegistry::add(std::string name, Predicate predicate) {
  if (name.empty()) return Status(ErrorCode::invalid_argument, "a guard predicate needs a name");
  if (!predicate) return Status(ErrorCode::invalid_argument, std::string("guard predicate '") + name + "' is an empty function");
  if (find(name)) return Status(ErrorCode::duplicate, std::string("guard predicate '") + name + "' is already registered");
  entries_.emplace_back(std::move(name), std::move(predicate));
  return {};
}

const Predicate* PredicateRegistry::find(std::string_view name) const noexcept {
  for (const auto& [n, fn] : entries_)
    if (n == name) return &fn;
  return nullptr;
}

std::string_view to_string(AutomationFailureKind kind) noexcept {
  switch (kind) {
    case AutomationFailureKind::callback_threw: return "callback_threw";
    case AutomationFailureKind::handoff_refused: return "handoff_refused";
    case AutomationFailureKind::timed_move_refused: return "timed_move_refused";
  }
  return "?";
}

}  // namespace dealflow
