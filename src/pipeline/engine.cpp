// The deal engine's public methods, instantiated for both policies. The logic
// lives once, in engine_impl.h.
#include "dealflow/pipeline/engine.h"

#include "pipeline/engine_impl.h"

namespace dealflow {

template <class Policy>
BasicEngine<Policy>::BasicEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
template <class Policy>
BasicEngine<Policy>::BasicEngine(BasicEngine&&) noexcept = default;
template <class Policy>
BasicEngine<Policy>& BasicEngine<Policy>::operator=(BasicEngine&&) noexcept = default;
template <class Policy>
BasicEngine<Policy>::~BasicEngine() = default;

template <class Policy>
Result<BasicEngine<Policy>> BasicEngine<Policy>::make(std::shared_ptr<const Workspace> workspace, EngineOptions options) {
  // A pipeline that names its calendar runs only with that calendar (docs/deal-engine.md).
  if (workspace) {
    for (const Pipeline& p : workspace->pipelines()) {
      if (p.calendar().empty() || p.calendar() == options.calendar.name()) continue;
      const std::string given = options.calendar.name().empty()
                                    ? "an unnamed calendar (the default is Mon–Fri 09:00–18:00 UTC)"
                                    : "calendar '" + options.calendar.name() + "'";
      return Status(ErrorCode::invalid_argument,
                    "pipeline '" + p.id() + "'" +
                        (p.source_file().empty() ? "" : " (" + p.source_file() + ")") + " names calendar '" +
                        p.calendar() + "' but EngineOptions::calendar is " + given +
                        ": load that calendar (load_calendar_file) and pass it");
    }
  }
  std::vector<Dictionary> values;
  Result<detail::EngineTables> tables = detail::compile_engine_tables(std::move(workspace), options, values);
  if (!tables) return tables.status();
  return BasicEngine(std::make_unique<Impl>(std::move(*tables), options, std::move(values)));
}

template <class Policy>
Result<BasicEngine<Policy>> BasicEngine<Policy>::make(Pipeline pipeline, EngineOptions options) {
  std::vector<Pipeline> one;
  one.push_back(std::move(pipeline));
  Result<Workspace> ws = Workspace::create(std::move(one));
  if (!ws) return ws.status();
  return make(std::make_shared<const Workspace>(std::move(*ws)), std::move(options));
}

template <class Policy>
Status BasicEngine<Policy>::on_enter(PipelineId pipeline, StageId stage, std::string name, StageCallback callback) {
  Impl& m = *impl_;
  if (pipeline.value() >= m.t.pipelines.size())
    return Status(ErrorCode::not_found, std::string("no pipeline #") + std::to_string(pipeline.value()));
  if (stage.value() >= m.t.pipelines[pipeline.value()].stage_count)
    return Status(ErrorCode::not_found, std::string("pipeline '") + m.t.pipeline(pipeline.value()).id() + "' has no stage #" +
                                            std::to_string(stage.value()));
  if (!callback) return Status(ErrorCode::invalid_argument, std::string("callback '") + name + "' is empty");
  const std::uint16_t c = m.code(pipeline.value(), stage.value());
  m.stage_callbacks[c].push_back({std::move(name), std::move(callback)});
  m.t.stage_flags[c] |= detail::kStageHasCallbacks;
  return {};
}

template <class Policy>
Status BasicEngine<Policy>::on_any_entry(std::string name, StageCallback callback) {
  if (!callback) return Status(ErrorCode::invalid_argument, std::string("callback '") + name + "' is empty");
  impl_->entry_callbacks.push_back({std::move(name), std::move(callback)});
  impl_->any_callbacks = true;
  return {};
}

template <class Policy>
Status BasicEngine<Policy>::grant_role(ManagerId actor, std::string_view role) {
  return detail::grant_role(impl_->t, actor, role);
}

template <class Policy>
MoveResult BasicEngine<Policy>::create(const NewDeal& d) {
  return impl_->create(d);
}

template <class Policy>
MoveResult BasicEngine<Policy>::move(DealId deal, StageId to, Instant at, ManagerId actor) {
  return impl_->move(deal, to, at, actor, false);
}

template <class Policy>
MoveResult BasicEngine<Policy>::move(DealId deal, StageId to, ManagerId actor) {
  return impl_->move(deal, to, impl_->now(), actor, false);
}

template <class Policy>
MoveResult BasicEngine<Policy>::set_field(DealId deal, FieldId field, std::string_view value, Instant at, ManagerId actor) {
  Impl& m = *impl_;
  if (!is_attribute_field(field) || attribute_slot(field) >= m.t.attribute_slots) {
    MoveResult r;
    Impl::refuse(r, Refusal::unknown_field, deal,
                 field.valid() && field.value() < m.t.fields.size()
                     ? std::string("field '") + std::string(m.t.fields.at(field.value())) +
                           "' is a built-in member: use set_amount / set_owner / set_client"
                     : std::string("unknown field #") + std::to_string(field.value()));
    return r;
  }
  const ValueCode code = m.intern_value(field, value);
  const std::uint32_t slot = attribute_slot(field);
  return m.change_field(deal, static_cast<std::uint16_t>(field.value()), at, actor, [&](detail::DealRecord&) {
    m.deal_attrs(deal)[slot] = code;
    return code;
  });
}

template <class Policy>
MoveResult BasicEngine<Policy>::set_amount(DealId deal, Money amount, Instant at, ManagerId actor) {
  Impl& m = *impl_;
  return m.change_field(
      deal, static_cast<std::uint16_t>(builtin_field::amount.value()), at, actor,
      [&](detail::DealRecord& rec) {
        detail::set_money(rec, amount);
        return std::uint32_t{0};
      },
      &amount);
}

template <class Policy>
MoveResult BasicEngine<Policy>::set_owner(DealId deal, ManagerId owner, Instant at, ManagerId actor) {
  return impl_->change_field(deal, static_cast<std::uint16_t>(builtin_field::owner.value()), at, actor,
                             [&](detail::DealRecord& rec) { return rec.owner = owner.valid() ? owner.value() : kNoValue; });
}

template <class Policy>
MoveResult BasicEngine<Policy>::set_client(DealId deal, ClientId client, Instant at, ManagerId actor) {
  return impl_->change_field(deal, static_cast<std::uint16_t>(builtin_field::client.value()), at, actor,
                             [&](detail::DealRecord& rec) { return rec.client = client.valid() ? client.value() : kNoValue; });
}

template <class Policy>
MoveResult BasicEngine<Policy>::set_probability(DealId deal, std::optional<double> probability, Instant at,
                                                ManagerId actor) {
  if (probability && !(*probability >= 0.0 && *probability <= 1.0)) {
    MoveResult r;
    Impl::refuse(r, Refusal::invalid_value, deal, std::string("probability ") + std::to_string(*probability) + " is outside [0, 1]");
    return r;
  }
  const std::uint32_t ppm = probability ? detail::probability_ppm(*probability) : kNoValue;
  return impl_->change_field(deal, kProbabilityField, at, actor,
                             [&](detail::DealRecord& rec) { return rec.probability_ppm = ppm; });
}

template <class Policy>
TickReport BasicEngine<Policy>::tick(Instant now) {
  return impl_->tick(now);
}

template <class Policy>
TickReport BasicEngine<Policy>::tick() {
  return impl_->tick(impl_->now());
}

template <class Policy>
Instant BasicEngine<Policy>::now() const {
  return impl_->now();
}

template <class Policy>
std::size_t BasicEngine<Policy>::deal_count() const noexcept {
  return impl_->deals.size();
}

template <class Policy>
std::optional<Deal> BasicEngine<Policy>::deal(DealId id) const {
  return impl_->deal(id);
}

template <class Policy>
std::optional<double> BasicEngine<Policy>::probability(DealId id) const {
  std::optional<Deal> d = impl_->deal(id);
  if (!d) return std::nullopt;
  if (d->probability_override) return d->probability_override;
  return impl_->t.default_probability[impl_->code(d->pipeline.value(), d->stage.value())];
}

template <class Policy>
const History& BasicEngine<Policy>::history() const {
  impl_->publish_history(true);
  return impl_->history;
}

template <class Policy>
std::vector<HandoffLink> BasicEngine<Policy>::links(DealId deal) const {
  impl_->publish_history(true);  // the links' events are in history() once a link is seen
  std::lock_guard<typename Impl::S::Mutex> g(impl_->links_mutex);
  std::vector<HandoffLink> out;
  for (const HandoffLink& l : impl_->links)
    if (l.source == deal || l.target == deal) out.push_back(l);
  return out;
}

template <class Policy>
std::vector<AutomationFailure> BasicEngine<Policy>::automation_failures() const {
  impl_->publish_history(true);
  std::lock_guard<typename Impl::S::Mutex> g(impl_->failures_mutex);
  return impl_->failures;
}

template <class Policy>
std::size_t BasicEngine<Policy>::pending_timers() const {
  std::lock_guard<typename Impl::S::Mutex> g(impl_->timers_mutex);
  return impl_->timers.size();
}

template <class Policy>
const Workspace& BasicEngine<Policy>::workspace() const noexcept {
  return *impl_->t.workspace;
}

template <class Policy>
const BusinessCalendar& BasicEngine<Policy>::calendar() const noexcept {
  return impl_->calendar;
}

template <class Policy>
std::size_t BasicEngine<Policy>::field_count() const noexcept {
  return impl_->t.fields.size();
}

template <class Policy>
std::optional<FieldId> BasicEngine<Policy>::find_field(std::string_view name) const {
  return impl_->find_field(name);
}

template <class Policy>
std::string_view BasicEngine<Policy>::field_name(FieldId field) const {
  return field.value() < impl_->t.fields.size() ? impl_->t.fields.at(field.value()) : std::string_view{};
}

template <class Policy>
std::optional<ValueCode> BasicEngine<Policy>::find_value(FieldId field, std::string_view text) const {
  Impl& m = *impl_;
  if (!is_attribute_field(field) || attribute_slot(field) >= m.values.size()) return std::nullopt;
  std::lock_guard<typename Impl::S::Mutex> g(m.values_mutex);
  return m.values[attribute_slot(field)].find(text);
}

template <class Policy>
ValueCode BasicEngine<Policy>::intern_value(FieldId field, std::string_view text) {
  return impl_->intern_value(field, text);
}

template <class Policy>
std::string BasicEngine<Policy>::value_text(FieldId field, ValueCode code) const {
  Impl& m = *impl_;
  if (code == kNoValue || !is_attribute_field(field) || attribute_slot(field) >= m.values.size()) return {};
  std::lock_guard<typename Impl::S::Mutex> g(m.values_mutex);
  const Dictionary& d = m.values[attribute_slot(field)];
  return code < d.size() ? std::string(d.at(code)) : std::string{};
}

template <class Policy>
std::optional<RoleId> BasicEngine<Policy>::find_role(std::string_view name) const {
  const std::optional<Dictionary::Code> c = impl_->t.roles.find(name);
  if (!c) return std::nullopt;
  return RoleId{*c};
}

template class BasicEngine<SingleWriter>;
template class BasicEngine<ThreadSafe>;

}  // namespace dealflow
