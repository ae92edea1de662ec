// Refusal messages and small conversions of the deal engine (cold paths).
#include <cstring>
#include <string>

#include "pipeline/engine_impl.h"

namespace dealflow {

std::string_view to_string(Refusal r) noexcept {
  switch (r) {
    case Refusal::none: return "none";
    case Refusal::unknown_deal: return "unknown_deal";
    case Refusal::unknown_pipeline: return "unknown_pipeline";
    case Refusal::unknown_stage: return "unknown_stage";
    case Refusal::unknown_field: return "unknown_field";
    case Refusal::not_entry_stage: return "not_entry_stage";
    case Refusal::already_in_stage: return "already_in_stage";
    case Refusal::not_allowed: return "not_allowed";
    case Refusal::terminal_without_reopen: return "terminal_without_reopen";
    case Refusal::guard_failed: return "guard_failed";
    case Refusal::time_before_last_event: return "time_before_last_event";
    case Refusal::time_out_of_range: return "time_out_of_range";
    case Refusal::invalid_actor: return "invalid_actor";
    case Refusal::invalid_value: return "invalid_value";
  }
  return "?";
}

namespace detail {

Money to_money(const DealRecord& r) noexcept {
  Currency c;
  static_assert(sizeof(Currency) == sizeof(r.currency));
  std::memcpy(static_cast<void*>(&c), r.currency, sizeof(r.currency));
  return Money(r.amount, c);
}

void set_money(DealRecord& r, Money m) noexcept {
  const Currency c = m.currency();
  std::memcpy(r.currency, static_cast<const void*>(&c), sizeof(r.currency));
  r.amount = m.minor_units();
}

std::string describe_stage(const EngineTables& t, std::uint16_t pipeline, std::uint16_t stage) {
  const Pipeline& p = t.pipeline(pipeline);
  if (stage >= p.stage_count()) return std::string("#") + std::to_string(stage);
  return p.stage(StageId{stage}).id;
}

std::string describe_move_refusal(const EngineTables& t, Refusal refusal, DealId deal, std::uint16_t pipeline, StageId from,
                                  StageId to) {
  const Pipeline& p = t.pipeline(pipeline);
  const std::string d = std::string("deal ") + std::to_string(deal.value());
  const std::string f = describe_stage(t, pipeline, from.value());
  const std::string s = describe_stage(t, pipeline, to.value());
  switch (refusal) {
    case Refusal::unknown_stage:
      return d + ": pipeline '" + p.id() + "' has no stage #" + std::to_string(to.value()) + " (it has " +
             std::to_string(p.stage_count()) + " stages)";
    case Refusal::already_in_stage:
      return d + " is already in stage " + s;
    case Refusal::terminal_without_reopen:
      return d + " is in " + std::string(to_string(p.kind(from))) + " stage " + f + "; pipeline '" + p.id() +
             "' declares no reopen " + f + " -> " + s;
    case Refusal::not_allowed:
      return d + ": pipeline '" + p.id() + "' (policy " + std::string(to_string(p.policy())) +
             ") does not allow the move " + f + " -> " + s;
    default:
      return d + ": " + std::string(to_string(refusal));
  }
}

std::string describe_guard_failure(const EngineTables& t, const CompiledGuard& g, DealId deal, std::uint16_t pipeline,
                                   StageId from, StageId to, ManagerId actor, Money amount, bool threw,
                                   const std::string& what) {
  const Pipeline& p = t.pipeline(pipeline);
  std::string head = deal.valid() ? std::string("deal ") + std::to_string(deal.value()) : std::string("new deal");
  head += from.valid() ? std::string(": cannot move ") + describe_stage(t, pipeline, from.value()) + " -> " +
                             describe_stage(t, pipeline, to.value())
                       : std::string(": cannot enter ") + describe_stage(t, pipeline, to.value());
  if (t.pipelines.size() > 1) head += std::string(" of pipeline '") + p.id() + "'";
  switch (g.check) {
    case Check::amount_set:
    case Check::owner_set:
    case Check::client_set:
    case Check::attribute_set:
      return head + ": required field '" + std::string(t.fields.at(g.field)) + "' is empty";
    case Check::amount_positive:
      return head + ": the amount must be > 0 (it is " + amount.to_string() + ")";
    case Check::actor_role: {
      std::string roles;
      const std::uint64_t mask = t.role_masks[g.arg];
      for (std::uint32_t r = 0; r < 64; ++r)
        if (mask & (std::uint64_t{1} << r)) roles += std::string(roles.empty() ? "" : ", ") + std::string(t.roles.at(r));
      const std::string who = actor.valid() ? std::string("actor ") + std::to_string(actor.value()) : std::string("automation");
      return head + ": " + who + " holds none of the roles {" + roles + "}";
    }
    case Check::predicate: {
      const std::string name(p.vocabulary().predicate_name(PredicateId{g.arg}));
      return threw ? head + ": predicate '" + name + "' threw: " + what
                   : head + ": predicate '" + name + "' returned false";
    }
  }
  return head;
}

}  // namespace detail
}  // namespace dealflow
