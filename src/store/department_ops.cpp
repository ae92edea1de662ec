// Department: making one, the operations, and keeping the router's open-deal counts.
#include <algorithm>
#include <cmath>
#include <utility>

#include "dealflow/io/encoding.h"
#include "dealflow/store/department.h"
#include "store/department_impl.h"

namespace dealflow::store {

namespace {

// Probabilities travel as parts per million: round before applying so that
// the engine, the Change and a replay from the wire all see the same double.
std::optional<double> to_ppm(std::optional<double> p) {
  if (!p || !(*p >= 0.0 && *p <= 1.0)) return p;  // out of range / NaN: the engine refuses it
  return std::round(*p * 1e6) / 1e6;
}

// The stream is UTF-8 JSON: text that is not UTF-8 (or holds NUL) could not be
// written and read back unchanged, so it is refused before the engine sees it.
std::optional<MoveResult> bad_text(std::string_view text, std::string_view what) {
  if (io::is_valid_utf8_without_nul(text)) return std::nullopt;
  MoveResult r;
  r.refusal = Refusal::invalid_value;
  r.message = std::string(what) + " is not valid UTF-8 (or holds a NUL byte)";
  return r;
}

std::optional<MoveResult> bad_attributes(const NewDeal& deal) {
  for (const auto& [name, value] : deal.attributes) {
    if (auto bad = bad_text(name, "an attribute name")) return bad;
    if (auto bad = bad_text(value, "the value of attribute '" + name + "'")) return bad;
  }
  return std::nullopt;
}

// What a creation records resolved: the instant (the clock, read once), the
// probability in whole ppm, the pipeline's default entry stage.
void resolve_inputs(NewDeal& deal, Instant now, const Workspace& ws) {
  deal.created_at = deal.created_at.value_or(now);
  deal.probability = to_ppm(deal.probability);
  if (!deal.stage.valid() && deal.pipeline.value() < ws.pipeline_count()) {
    deal.stage = ws.pipeline(deal.pipeline).default_entry();
  }
}

// The Change of a creation: every input of the NewDeal, resolved (instant, entry stage, ppm).
Change creation_change(ChangeKind kind, DealId id, NewDeal&& deal) {
  Change c;
  c.kind = kind;
  c.at = *deal.created_at;
  c.actor = deal.actor;
  c.deal = id;
  c.pipeline = deal.pipeline;
  c.stage = deal.stage;
  c.owner = deal.owner;
  c.client = deal.client;
  c.amount = deal.amount;
  c.probability = deal.probability;
  c.attributes = std::move(deal.attributes);
  return c;
}

}  // namespace

Status Department::Impl::commit(Change change, const Mark& before) {
  const History& h = engine.history();
  std::vector<std::uint32_t> touched;
  for (std::size_t i = before.events; i < h.size(); ++i) touched.push_back(h.event(i).deal);
  for (std::size_t i = before.field_events; i < h.field_event_count(); ++i) {
    if (h.field_event(i).field == builtin_field::owner.value()) touched.push_back(h.field_event(i).deal);
  }
  for (std::size_t i = before.deals; i < engine.deal_count(); ++i)
    touched.push_back(static_cast<std::uint32_t>(i));
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  if (loads.size() < engine.deal_count()) loads.resize(engine.deal_count());

  // (manager, count before this operation) of every manager whose count moved.
  std::vector<std::pair<ManagerId, std::uint32_t>> open_deals;
  const auto moved = [&](ManagerId m) {
    if (std::none_of(open_deals.begin(), open_deals.end(), [&](const auto& p) { return p.first == m; }))
      open_deals.emplace_back(m, state.open_deals(m));
  };
  for (std::uint32_t id : touched) {
    const std::optional<Deal> deal = engine.deal(DealId{id});
    if (!deal) continue;
    const Load now{deal->owner, is_open(*deal)};
    Load& was = loads[id];
    if (was.owner == now.owner && was.open == now.open) continue;
    if (was.open && counted(was.owner)) {
      moved(was.owner);
      const std::uint32_t n = state.open_deals(was.owner);
      state.set_open_deals(was.owner, n == 0 ? 0 : n - 1);
    }
    if (now.open && counted(now.owner)) {
      moved(now.owner);
      state.set_open_deals(now.owner, state.open_deals(now.owner) + 1);
    }
    was = now;
  }
  // The new counts of the managers whose count changed (a won deal whose
  // hand-off opens a deal for the same owner moves nothing).
  std::erase_if(open_deals, [&](const auto& p) { return state.open_deals(p.first) == p.second; });
  for (auto& [m, n] : open_deals) n = state.open_deals(m);
  std::sort(open_deals.begin(), open_deals.end());

  change.sequence = changes.size() + 1;
  changes.push_back(std::move(change));
  if (sink != nullptr) {
    Status s = sink->append(changes.back(), open_deals);
    if (!s.ok()) {
      failed = s.with_context("change " + std::to_string(changes.back().sequence) + " (" +
                              std::string(to_string(changes.back().kind)) +
                              ") is applied in memory but the sink refused it; the Department is failed");
      return failed;
    }
  }
  return {};
}

Result<Department> Department::make(DepartmentConfig config) {
  if (!config.workspace) return Status(ErrorCode::invalid_argument, "Department::make: no workspace");
  routing::RouterState state = config.initial_router_state;
  if (config.router) {
    const routing::RouterState fresh = config.router->initial_state();
    if (state.manager_count() == 0 && state.pool_count() == 0) {
      state = fresh;
    } else if (state.manager_count() != fresh.manager_count() || state.pool_count() != fresh.pool_count()) {
      return Status(ErrorCode::invalid_argument,
                    "Department::make: the router state has " + std::to_string(state.manager_count()) +
                        " managers and " + std::to_string(state.pool_count()) + " pools, expected " +
                        std::to_string(fresh.manager_count()) + " and " + std::to_string(fresh.pool_count()) +
                        " (a state of this router)");
    }
  } else {
    state = routing::RouterState{};
  }
  auto engine = Engine::make(config.workspace, config.engine_options);
  if (!engine) return engine.status();
  const std::uint64_t fp = config.fingerprint();
  return Department(std::make_unique<Impl>(std::move(config), fp, std::move(*engine), std::move(state)));
}

Department::Department(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Department::Department(Department&&) noexcept = default;
Department& Department::operator=(Department&&) noexcept = default;
Department::~Department() = default;

Result<RoutedDeal> Department::route_and_create(const routing::Lead& lead, NewDeal deal) {
  Impl& d = *impl_;
  if (!d.failed.ok()) return d.failed;
  if (!d.config.router) {
    return Status(ErrorCode::invalid_argument, "route_and_create: the Department has no router");
  }
  const routing::Router& router = *d.config.router;
  routing::RouterState trial = d.state;
  RoutedDeal out{DealId{}, ManagerId{}, router.route(lead, trial), 0};
  if (!out.decision.assigned()) {
    return Status(ErrorCode::refused,
                  "route_and_create: the lead is unassigned: " + router.explain(out.decision));
  }
  if (auto bad = bad_attributes(deal)) {
    return Status(ErrorCode::refused, "route_and_create: " + bad->message);
  }
  // route() counted the new open deal; commit() counts it from the engine instead.
  trial.set_open_deals(out.decision.manager, d.state.open_deals(out.decision.manager));
  deal.owner = out.decision.manager;
  resolve_inputs(deal, d.now(), d.engine.workspace());
  const Impl::Mark before = d.mark();
  const MoveResult r = d.engine.create(deal);
  if (!r) return Status(ErrorCode::refused, "route_and_create: the engine refused the deal: " + r.message);
  d.state = std::move(trial);
  const ManagerId owner = deal.owner;
  Change c = creation_change(ChangeKind::route_and_create, r.deal, std::move(deal));
  c.lead = lead;
  DEALFLOW_RETURN_IF_ERROR(d.commit(std::move(c), before));
  out.deal = r.deal;
  out.owner = owner;
  out.automation_failures = r.automation_failures;
  return out;
}

Result<MoveResult> Department::create(NewDeal deal) {
  Impl& d = *impl_;
  if (!d.failed.ok()) return d.failed;
  if (auto bad = bad_attributes(deal)) return *bad;
  resolve_inputs(deal, d.now(), d.engine.workspace());
  const Impl::Mark before = d.mark();
  MoveResult r = d.engine.create(deal);
  if (!r) return r;
  Change c = creation_change(ChangeKind::create, r.deal, std::move(deal));
  DEALFLOW_RETURN_IF_ERROR(d.commit(std::move(c), before));
  return r;
}

// The shared shape of the single-deal operations: refuse when failed, apply,
// record only what the engine applied.
template <class Apply>
static Result<MoveResult> run(Department::Impl& d, Change c, Apply&& apply) {
  if (!d.failed.ok()) return d.failed;
  const Department::Impl::Mark before = d.mark();
  MoveResult r = apply();
  if (!r) return r;
  DEALFLOW_RETURN_IF_ERROR(d.commit(std::move(c), before));
  return r;
}

namespace {
Change single(ChangeKind kind, DealId deal, Instant at, ManagerId actor) {
  Change c;
  c.kind = kind;
  c.deal = deal;
  c.at = at;
  c.actor = actor;
  return c;
}
}  // namespace

Result<MoveResult> Department::move(DealId deal, StageId to, Instant at, ManagerId actor) {
  Change c = single(ChangeKind::move, deal, at, actor);
  const std::optional<Deal> current = impl_->engine.deal(deal);
  if (current) c.pipeline = current->pipeline;
  c.stage = to;
  return run(*impl_, std::move(c), [&] { return impl_->engine.move(deal, to, at, actor); });
}

Result<MoveResult> Department::reassign(DealId deal, ManagerId new_owner, Instant at, ManagerId actor) {
  Change c = single(ChangeKind::reassign, deal, at, actor);
  c.owner = new_owner;
  return run(*impl_, std::move(c), [&] { return impl_->engine.set_owner(deal, new_owner, at, actor); });
}

Result<MoveResult> Department::set_field(DealId deal, FieldId field, std::string_view value, Instant at,
                                         ManagerId actor) {
  Change c = single(ChangeKind::set_field, deal, at, actor);
  c.field = field;
  c.value = std::string(value);
  return run(*impl_, std::move(c), [&] {
    if (auto bad = bad_text(value, "the field value")) return *bad;
    return impl_->engine.set_field(deal, field, value, at, actor);
  });
}

Result<MoveResult> Department::set_amount(DealId deal, Money amount, Instant at, ManagerId actor) {
  Change c = single(ChangeKind::set_amount, deal, at, actor);
  c.amount = amount;
  return run(*impl_, std::move(c), [&] { return impl_->engine.set_amount(deal, amount, at, actor); });
}

Result<MoveResult> Department::set_probability(DealId deal, std::optional<double> probability, Instant at,
                                               ManagerId actor) {
  Change c = single(ChangeKind::set_probability, deal, at, actor);
  c.probability = to_ppm(probability);
  return run(*impl_, std::move(c),
             [&] { return impl_->engine.set_probability(deal, to_ppm(probability), at, actor); });
}

Result<MoveResult> Department::set_client(DealId deal, ClientId client, Instant at, ManagerId actor) {
  Change c = single(ChangeKind::set_client, deal, at, actor);
  c.client = client;
  return run(*impl_, std::move(c), [&] { return impl_->engine.set_client(deal, client, at, actor); });
}

Result<TickReport> Department::tick(Instant now) {
  Impl& d = *impl_;
  if (!d.failed.ok()) return d.failed;
  const Impl::Mark before = d.mark();
  TickReport report = d.engine.tick(now);
  Change c;
  c.kind = ChangeKind::tick;
  c.at = now;
  DEALFLOW_RETURN_IF_ERROR(d.commit(std::move(c), before));
  return report;
}

const Engine& Department::engine() const noexcept {
  return impl_->engine;
}
const Workspace& Department::workspace() const noexcept {
  return impl_->engine.workspace();
}
const routing::Router* Department::router() const noexcept {
  return impl_->config.router.get();
}
const routing::RouterState& Department::router_state() const noexcept {
  return impl_->state;
}
std::uint64_t Department::fingerprint() const noexcept {
  return impl_->fingerprint;
}
std::uint64_t Department::sequence() const noexcept {
  return impl_->changes.size();
}
const std::vector<Change>& Department::changes() const noexcept {
  return impl_->changes;
}
std::vector<Change> Department::changes_since(std::uint64_t sequence) const {
  const auto& all = impl_->changes;
  if (sequence >= all.size()) return {};
  return {all.begin() + static_cast<std::ptrdiff_t>(sequence), all.end()};
}
const Status& Department::failed() const noexcept {
  return impl_->failed;
}
void Department::set_sink(ChangeSink* sink) noexcept {
  impl_->sink = sink;
}

Status Department::flush() {
  Impl& d = *impl_;
  if (!d.failed.ok()) return d.failed;
  if (d.sink == nullptr) return {};
  Status s = d.sink->flush();
  if (!s.ok()) {
    d.failed =
        s.with_context("flush after change " + std::to_string(d.changes.size()) +
                       " failed: changes since the last flush may not be durable; the Department is failed");
    return d.failed;
  }
  return {};
}

}  // namespace dealflow::store
