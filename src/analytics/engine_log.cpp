#include "dealflow/analytics/engine_log.h"

#include <vector>

namespace dealflow::analytics {

Result<EventLog> event_log_from_history(const History& history, const Workspace& workspace,
                                        const HistoryNames& names) {
  EventLog log(history.epoch());
  const std::size_t n_events = history.size();
  // The state of every deal after its latest event.
  std::uint32_t last = 0;
  for (std::size_t i = 0; i < n_events; ++i) last = std::max(last, history.event(i).at);
  for (std::size_t i = 0; i < history.field_event_count(); ++i) last = std::max(last, history.field_event(i).at);
  const HistoryState state = history.as_of(history.instant(last));

  auto field_name = [&](FieldId f) -> std::string {
    if (names.field_name) return names.field_name(f);
    const Vocabulary* v = workspace.vocabulary();
    if (v && f.value() < v->field_count()) return std::string(v->field_name(f));
    return "field_" + std::to_string(f.value());
  };
  auto manager_name = [&](ManagerId m) {
    return names.manager_name ? names.manager_name(m) : std::to_string(m.value());
  };

  // Attribute slots -> dimensions (standard names map to the fixed columns).
  std::vector<DimensionId> slot_dimension(state.attribute_slots());
  for (std::size_t s = 0; s < slot_dimension.size(); ++s) {
    slot_dimension[s] = log.add_dimension(field_name(FieldId{static_cast<std::uint32_t>(kFirstAttributeField + s)}));
  }

  std::vector<std::uint32_t> log_id(state.deal_count(), kNoValue);
  std::vector<PipelineId> pipeline_of(state.deal_count());
  log.reserve(state.deal_count(), n_events);
  for (std::uint32_t i = 0; i < state.deal_count(); ++i) {
    const DealId id{i};
    if (!state.exists(id)) continue;
    const DealState& d = state.deal(id);
    if (d.pipeline.value() >= workspace.pipeline_count()) {
      return Status(ErrorCode::invalid_argument, "history deal " + std::to_string(i) + " is in pipeline " +
                                                     std::to_string(d.pipeline.value()) +
                                                     ", which the workspace does not have");
    }
    const PipelineId pcode = log.intern_pipeline(workspace.pipeline(d.pipeline).id());
    std::optional<Money> amount;
    if (!d.amount.currency().empty()) amount = d.amount;
    auto added = log.add_deal(std::to_string(i), pcode, d.created_at, amount);
    if (!added) return added.status();
    log_id[i] = added->value();
    pipeline_of[i] = d.pipeline;
    if (d.owner.valid()) log.set_dimension(*added, StandardDimension::manager, manager_name(d.owner));
    if (d.client.valid()) {
      log.set_dimension(*added, StandardDimension::client,
                        names.client_name ? names.client_name(d.client) : std::to_string(d.client.value()));
    }
    const auto attributes = state.attributes(id);
    for (std::size_t s = 0; s < attributes.size(); ++s) {
      if (attributes[s] == kNoValue) continue;
      const FieldId f{static_cast<std::uint32_t>(kFirstAttributeField + s)};
      log.set_dimension(*added, slot_dimension[s],
                        names.value_text ? names.value_text(f, attributes[s]) : std::to_string(attributes[s]));
    }
  }

  std::vector<std::uint16_t> actor_code;  // ManagerId value -> log actor code (kNoActor = not yet)
  for (std::size_t i = 0; i < n_events; ++i) {
    const DecodedEvent e = history.decode(history.event(i));
    const std::uint32_t d = e.deal.value();
    if (d >= log_id.size() || log_id[d] == kNoValue) continue;
    if (!e.to_pipeline.valid()) {
      return Status(ErrorCode::invalid_argument,
                    "history event " + std::to_string(i) + " names a stage code outside the workspace");
    }
    if (e.to_pipeline != pipeline_of[d]) continue;  // before a hand-off moved the deal
    std::uint16_t actor = kNoActor;
    if (e.actor.valid()) {
      const std::uint32_t m = e.actor.value();
      if (m >= actor_code.size()) actor_code.resize(m + 1, kNoActor);
      if (actor_code[m] == kNoActor) {
        auto code = log.intern_actor(manager_name(e.actor));
        if (!code) return code.status();
        actor_code[m] = *code;
      }
      actor = actor_code[m];
    }
    DEALFLOW_RETURN_IF_ERROR(log.append_event(DealId{log_id[d]}, e.at, e.to, actor));
  }
  log.seal();
  return log;
}

}  // namespace dealflow::analytics
