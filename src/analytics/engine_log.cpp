#include "dealflow/analytics/engine_log.h"

#include <algorithm>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace dealflow::analytics {

namespace {
// Parts per million -> hundredths of a percent, to the nearest (halves up).
std::uint32_t ppm_to_hundredths(std::uint32_t ppm) {
  return std::min<std::uint32_t>((ppm + 50) / 100, kProbabilityScale);
}
}  // namespace

namespace {

// The field events become field changes (owner -> manager, client, amount,
// probability, attributes). A field with a single event at the deal's creation
// instant is left out: its value is the deals-table value (the latest), which
// is what "as of T" gives before a field's first change, so logs of deals
// never edited after creation carry no changes at all.
// Clears a field of `deal` at `at` (a field without value before its first event).
Status add_change(EventLog& log, DealId deal, Instant at, std::uint16_t field, std::nullopt_t,
                  const std::vector<DimensionId>& slot_dimension) {
  if (field == kProbabilityField) return log.add_probability_change(deal, at, std::nullopt);
  if (field == builtin_field::amount.value()) return log.add_amount_change(deal, at, std::nullopt);
  if (field == builtin_field::owner.value()) {
    return log.add_dimension_change_code(deal, at, to_dimension_id(StandardDimension::manager), kNoValue);
  }
  if (field == builtin_field::client.value()) {
    return log.add_dimension_change_code(deal, at, to_dimension_id(StandardDimension::client), kNoValue);
  }
  if (field >= kFirstAttributeField && field - kFirstAttributeField < slot_dimension.size()) {
    return log.add_dimension_change_code(deal, at, slot_dimension[field - kFirstAttributeField], kNoValue);
  }
  return {};
}

// The earlier pipeline segments of a deal that `move` hand-offs took to other
// pipelines: the log deal of each and the history offset of the hand-off that
// ended it. The deal's final segment is its log_id entry.
struct Segment {
  std::uint32_t log_id = 0;
  std::uint32_t end = 0;
};
using EarlierSegments = std::unordered_map<std::uint32_t, std::vector<Segment>>;

template <class ManagerName>
Status add_field_changes(const History& history, EventLog& log, const std::vector<std::uint32_t>& log_id,
                         const EarlierSegments& earlier, const std::vector<DimensionId>& slot_dimension,
                         const ManagerName& manager_name, const HistoryNames& names) {
  const std::size_t n = history.field_event_count();
  auto key = [](const FieldEvent& f) { return (std::uint64_t{f.deal} << 16) | f.field; };
  std::unordered_map<std::uint64_t, std::uint32_t>
      per_field;  // events per (deal, field); kSeen once one is added
  constexpr std::uint32_t kSeen = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) ++per_field[key(history.field_event(i))];
  std::vector<std::uint32_t> manager_code;  // ManagerId value -> manager dimension code (kNoValue: not yet)
  const DimensionId manager = to_dimension_id(StandardDimension::manager);
  const DimensionId client = to_dimension_id(StandardDimension::client);
  for (std::size_t i = 0; i < n; ++i) {
    const FieldEvent& f = history.field_event(i);
    if (f.deal >= log_id.size() || log_id[f.deal] == kNoValue || f.field == kSourceDealField) continue;
    const DealId final_deal{log_id[f.deal]};
    const auto segments = earlier.find(f.deal);
    // Every segment of the deal that had begun by the change's instant, ended
    // by a hand-off at or after it, gets the change; the final one gets all.
    std::vector<DealId> targets{final_deal}, all{final_deal};
    if (segments != earlier.end()) {
      for (const Segment& s : segments->second) {
        all.push_back(DealId{s.log_id});
        if (f.at <= s.end) targets.push_back(DealId{s.log_id});
      }
    }
    const Instant at = history.instant(f.at);
    // The deal's creation in the engine (its first segment's created-at).
    const Instant created =
        log.created_at(segments == earlier.end() ? final_deal : DealId{segments->second.front().log_id});
    auto& count = per_field[key(f)];
    if (count == 1 && at == created) continue;
    if (count != kSeen && at > created) {
      // The field's first event is after the creation: it had no value before
      // (in every stay, also one that ended before that event).
      for (const DealId deal : all)
        DEALFLOW_RETURN_IF_ERROR(add_change(log, deal, created, f.field, std::nullopt, slot_dimension));
    }
    count = kSeen;
    for (const DealId deal : targets) {
      if (f.field == kProbabilityField) {
        DEALFLOW_RETURN_IF_ERROR(log.add_probability_change(
            deal, at,
            f.value == kNoValue ? std::nullopt : std::optional<std::uint32_t>(ppm_to_hundredths(f.value))));
      } else if (f.field == builtin_field::amount.value()) {
        const Money m = history.money(f.value);
        DEALFLOW_RETURN_IF_ERROR(
            log.add_amount_change(deal, at, m.currency().empty() ? std::nullopt : std::optional<Money>(m)));
      } else if (f.field == builtin_field::owner.value()) {
        std::uint32_t code = kNoValue;
        if (f.value != kNoValue) {
          if (f.value >= manager_code.size()) manager_code.resize(f.value + 1, kNoValue);
          if (manager_code[f.value] == kNoValue) {
            manager_code[f.value] = log.intern_dimension_value(manager, manager_name(ManagerId{f.value}));
          }
          code = manager_code[f.value];
        }
        DEALFLOW_RETURN_IF_ERROR(log.add_dimension_change_code(deal, at, manager, code));
      } else if (f.field == builtin_field::client.value()) {
        const std::string text = f.value == kNoValue ? std::string()
                                 : names.client_name ? names.client_name(ClientId{f.value})
                                                     : std::to_string(f.value);
        DEALFLOW_RETURN_IF_ERROR(log.add_dimension_change(deal, at, client, text));
      } else if (f.field >= kFirstAttributeField && f.field - kFirstAttributeField < slot_dimension.size()) {
        const FieldId field{f.field};
        const std::string text = f.value == kNoValue ? std::string()
                                 : names.value_text  ? names.value_text(field, f.value)
                                                     : std::to_string(f.value);
        DEALFLOW_RETURN_IF_ERROR(
            log.add_dimension_change(deal, at, slot_dimension[f.field - kFirstAttributeField], text));
      }
    }
  }
  return {};
}

// A `move` hand-off of a deal: the history event that took it from one
// pipeline into another.
struct Split {
  std::uint32_t deal = 0;
  std::size_t event = 0;  // index of the handoff_moved event
  std::uint32_t at = 0;   // its history offset
  PipelineId from;
  PipelineId to;
};

// Every cross-pipeline `move` hand-off, by deal, then history order.
std::vector<Split> find_splits(const History& history) {
  std::vector<Split> splits;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const HistoryEvent& h = history.event(i);
    if (h.cause != EventCause::handoff_moved) continue;
    const DecodedEvent e = history.decode(h);
    if (!e.from_pipeline.valid() || !e.to_pipeline.valid() || e.from_pipeline == e.to_pipeline) continue;
    splits.push_back({e.deal.value(), i, h.at, e.from_pipeline, e.to_pipeline});
  }
  std::stable_sort(splits.begin(), splits.end(),
                   [](const Split& a, const Split& b) { return a.deal < b.deal; });
  return splits;
}

}  // namespace

Result<EventLog> event_log_from_history(const History& history, const Workspace& workspace,
                                        const HistoryNames& names) {
  EventLog log(history.epoch());
  const std::size_t n_events = history.size();
  // The state of every deal after its latest event.
  std::uint32_t last = 0;
  for (std::size_t i = 0; i < n_events; ++i) last = std::max(last, history.event(i).at);
  for (std::size_t i = 0; i < history.field_event_count(); ++i)
    last = std::max(last, history.field_event(i).at);
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
    slot_dimension[s] =
        log.add_dimension(field_name(FieldId{static_cast<std::uint32_t>(kFirstAttributeField + s)}));
  }

  // Move hand-offs split a deal into one log deal per pipeline stay.
  const std::vector<Split> splits = find_splits(history);
  auto splits_of = [&](std::uint32_t deal) {
    const auto lo = std::lower_bound(splits.begin(), splits.end(), deal,
                                     [](const Split& s, std::uint32_t d) { return s.deal < d; });
    auto hi = lo;
    while (hi != splits.end() && hi->deal == deal) ++hi;
    return std::span<const Split>(splits.data() + (lo - splits.begin()), static_cast<std::size_t>(hi - lo));
  };
  const DimensionId handed_off_to = splits.empty() ? DimensionId{} : log.add_dimension("handed_off_to");

  std::vector<std::uint32_t> log_id(state.deal_count(), kNoValue);
  std::vector<PipelineId> pipeline_of(state.deal_count());
  log.reserve(state.deal_count(), n_events);
  // A log deal with the deal's latest values (the deals table) in `pipeline`.
  auto add_log_deal = [&](DealId id, const std::string& key, PipelineId pipeline,
                          Instant created_at) -> Result<DealId> {
    const DealState& d = state.deal(id);
    if (pipeline.value() >= workspace.pipeline_count()) {
      return Status(ErrorCode::invalid_argument, "history deal " + std::to_string(id.value()) +
                                                     " is in pipeline " + std::to_string(pipeline.value()) +
                                                     ", which the workspace does not have");
    }
    const PipelineId pcode = log.intern_pipeline(workspace.pipeline(pipeline).id());
    std::optional<Money> amount;
    if (!d.amount.currency().empty()) amount = d.amount;
    auto added = log.add_deal(key, pcode, created_at, amount);
    if (!added) return added.status();
    if (d.owner.valid()) log.set_dimension(*added, StandardDimension::manager, manager_name(d.owner));
    if (d.client.valid()) {
      log.set_dimension(*added, StandardDimension::client,
                        names.client_name ? names.client_name(d.client) : std::to_string(d.client.value()));
    }
    if (d.probability_ppm) {
      DEALFLOW_RETURN_IF_ERROR(log.set_probability(*added, ppm_to_hundredths(*d.probability_ppm)));
    }
    const auto attributes = state.attributes(id);
    for (std::size_t s = 0; s < attributes.size(); ++s) {
      if (attributes[s] == kNoValue) continue;
      const FieldId f{static_cast<std::uint32_t>(kFirstAttributeField + s)};
      log.set_dimension(
          *added, slot_dimension[s],
          names.value_text ? names.value_text(f, attributes[s]) : std::to_string(attributes[s]));
    }
    return added;
  };
  for (std::uint32_t i = 0; i < state.deal_count(); ++i) {
    const DealId id{i};
    if (!state.exists(id)) continue;
    const DealState& d = state.deal(id);
    // A deal a hand-off moved enters its final pipeline at its latest hand-off.
    const auto own = splits_of(i);
    const Instant created_at = own.empty() ? d.created_at : history.instant(own.back().at);
    auto added = add_log_deal(id, std::to_string(i), d.pipeline, created_at);
    if (!added) return added.status();
    log_id[i] = added->value();
    pipeline_of[i] = d.pipeline;
  }
  // The earlier stays, after every engine deal (so engine ids keep their log
  // ids): key "<id>/<k>" for the k-th stay (0: where the deal was created),
  // created at the deal's creation or the hand-off into it, `handed_off_to`
  // naming the pipeline the next hand-off took it to.
  EarlierSegments earlier;
  for (std::size_t k = 0; k < splits.size(); ++k) {
    const Split& sp = splits[k];
    if (sp.deal >= log_id.size() || log_id[sp.deal] == kNoValue) continue;
    const bool first = k == 0 || splits[k - 1].deal != sp.deal;
    auto& segments = earlier[sp.deal];
    const Instant created_at =
        first ? state.deal(DealId{sp.deal}).created_at : history.instant(splits[k - 1].at);
    auto added =
        add_log_deal(DealId{sp.deal}, std::to_string(sp.deal) + "/" + std::to_string(segments.size()),
                     sp.from, created_at);
    if (!added) return added.status();
    log.set_dimension(*added, handed_off_to, workspace.pipeline(sp.to).id());
    segments.push_back({added->value(), sp.at});
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
    DealId target{log_id[d]};
    PipelineId in = pipeline_of[d];
    if (const auto own = earlier.find(d); own != earlier.end()) {
      // The stay this event belongs to: the hand-off event itself enters the next one.
      const auto deal_splits = splits_of(d);
      std::size_t k = 0;
      while (k < deal_splits.size() && deal_splits[k].event <= i) ++k;
      if (k < own->second.size()) {
        target = DealId{own->second[k].log_id};
        in = deal_splits[k].from;
      }
    }
    if (e.to_pipeline != in) continue;
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
    DEALFLOW_RETURN_IF_ERROR(log.append_event(target, e.at, e.to, actor));
  }
  DEALFLOW_RETURN_IF_ERROR(
      add_field_changes(history, log, log_id, earlier, slot_dimension, manager_name, names));
  log.seal();
  return log;
}

}  // namespace dealflow::analytics
