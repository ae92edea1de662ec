// Department: restore (replaying changes), snapshots and the configuration fingerprint.
#include <cstring>
#include <string>

#include "dealflow/core/hash.h"
#include "dealflow/store/department.h"
#include "store/department_impl.h"
#include "store/hex16.h"

namespace dealflow::store {

using detail::hex16;

namespace {

// Appends length-prefixed items so that ("ab","c") and ("a","bc") differ.
class Description {
 public:
  void add(std::string_view s) {
    add(static_cast<std::uint64_t>(s.size()));
    text_.append(s);
  }
  void add(std::uint64_t v) {
    char buf[8];
    std::memcpy(buf, &v, 8);
    text_.append(buf, 8);
  }
  void add(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, 8);
    add(bits);
  }
  std::uint64_t hash() const noexcept { return dealflow::detail::hash_bytes(text_); }

 private:
  std::string text_;
};

void describe_workspace(const Workspace& ws, Description& d) {
  d.add(static_cast<std::uint64_t>(ws.pipeline_count()));
  for (const Pipeline& p : ws.pipelines()) {
    d.add(p.id());
    d.add(p.calendar());
    d.add(static_cast<std::uint64_t>(p.policy()));
    d.add(static_cast<std::uint64_t>(p.stage_count()));
    for (const Stage& s : p.stages()) {
      d.add(s.id);
      d.add(static_cast<std::uint64_t>(s.kind));
      d.add(s.probability);
      d.add(static_cast<std::uint64_t>(s.required_fields.size()));
      d.add(static_cast<std::uint64_t>(s.guards.size()));
      d.add(static_cast<std::uint64_t>(s.on_enter.size()));
      d.add(static_cast<std::uint64_t>(s.sla.has_value()));
    }
    for (StageId e : p.entry_stages()) d.add(static_cast<std::uint64_t>(e.value()));
    for (std::size_t from = 0; from < p.stage_count(); ++from) {
      for (std::size_t to = 0; to < p.stage_count(); ++to) {
        const StageId f{static_cast<StageId::rep_type>(from)};
        const StageId t{static_cast<StageId::rep_type>(to)};
        d.add(static_cast<std::uint64_t>(p.allows(f, t)) |
              static_cast<std::uint64_t>(p.is_reopen(f, t)) << 1 |
              static_cast<std::uint64_t>(p.guards(f, t).size()) << 2);
      }
    }
    for (const Handoff& h : p.handoffs()) {
      d.add(h.id);
      d.add(static_cast<std::uint64_t>(h.trigger.value()));
      d.add(h.target_pipeline_id);
      d.add(h.target_stage_id);
      d.add(static_cast<std::uint64_t>(h.mode));
    }
  }
}

void describe_router(const routing::Router& router, Description& d) {
  const routing::TeamModel& team = router.team();
  const routing::AttributeSchema& schema = team.schema();
  for (const auto& a : schema.categorical_attributes()) {
    d.add(a.name());
    d.add(static_cast<std::uint64_t>(a.size()));
    for (ValueCode v = 0; v < a.size(); ++v) d.add(a.value_name(v));
  }
  for (const auto& a : schema.numeric_attributes()) d.add(a.name);
  d.add(static_cast<std::uint64_t>(team.managers().size()));
  for (const routing::Manager& m : team.managers()) {
    d.add(m.key);
    d.add(static_cast<std::uint64_t>(m.active));
    d.add(static_cast<std::uint64_t>(m.weight));
    d.add(static_cast<std::uint64_t>(m.calendar));
    d.add(static_cast<std::uint64_t>(m.absences.size()));
    d.add(static_cast<std::uint64_t>(m.capacity.max_open_deals));
    d.add(static_cast<std::uint64_t>(m.capacity.daily));
    d.add(static_cast<std::uint64_t>(m.capacity.rolling_30_days));
  }
  for (const routing::Team& t : team.teams()) d.add(t.key);
  const routing::RuleSet& rules = router.rules();
  d.add(static_cast<std::uint64_t>(rules.rules().size()));
  for (const routing::Rule& r : rules.rules()) d.add(r.key);
  for (const routing::Pool& p : rules.pools()) {
    d.add(p.key);
    d.add(static_cast<std::uint64_t>(p.members.size()));
  }
}

Status replay_error(const Change& c, std::string message) {
  return Status(ErrorCode::validation_failed, "change " + std::to_string(c.sequence) + " (" +
                                                  std::string(to_string(c.kind)) +
                                                  "): " + std::move(message));
}

NewDeal new_deal_of(const Change& c) {
  NewDeal nd;
  nd.pipeline = c.pipeline;
  nd.stage = c.stage;
  nd.amount = c.amount;
  nd.owner = c.owner;
  nd.client = c.client;
  nd.created_at = c.at;
  nd.probability = c.probability;
  nd.attributes = c.attributes;
  nd.actor = c.actor;
  return nd;
}

// Re-applies one change; the error names the change and what failed.
Status apply(Department& d, const Change& c) {
  Result<MoveResult> r = MoveResult{};
  switch (c.kind) {
    case ChangeKind::route_and_create: {
      auto routed = d.route_and_create(c.lead, new_deal_of(c));
      if (!routed) return replay_error(c, routed.status().message());
      break;
    }
    case ChangeKind::create:
      r = d.create(new_deal_of(c));
      break;
    case ChangeKind::move:
      r = d.move(c.deal, c.stage, c.at, c.actor);
      break;
    case ChangeKind::reassign:
      r = d.reassign(c.deal, c.owner, c.at, c.actor);
      break;
    case ChangeKind::set_field:
      r = d.set_field(c.deal, c.field, c.value, c.at, c.actor);
      break;
    case ChangeKind::set_amount:
      r = d.set_amount(c.deal, c.amount, c.at, c.actor);
      break;
    case ChangeKind::set_probability:
      r = d.set_probability(c.deal, c.probability, c.at, c.actor);
      break;
    case ChangeKind::set_client:
      r = d.set_client(c.deal, c.client, c.at, c.actor);
      break;
    case ChangeKind::tick: {
      auto t = d.tick(c.at);
      if (!t) return replay_error(c, t.status().message());
      break;
    }
  }
  if (!r) return replay_error(c, r.status().message());
  if (!r->applied()) return replay_error(c, "the engine refused it on replay: " + r->message);
  if (d.changes().size() != c.sequence) return replay_error(c, "was not recorded on replay");
  const Change& again = d.changes().back();
  if (!(again == c)) {
    std::string what = "replays differently";
    if (again.deal != c.deal)
      what +=
          ": deal " + std::to_string(again.deal.value()) + " instead of " + std::to_string(c.deal.value());
    if (again.owner != c.owner)
      what +=
          ": owner " + std::to_string(again.owner.value()) + " instead of " + std::to_string(c.owner.value());
    if (again.pipeline != c.pipeline) what += ": the deal is in another pipeline";
    return replay_error(c, what + " (other configs or a non-deterministic predicate?)");
  }
  return {};
}

}  // namespace

std::uint64_t DepartmentConfig::fingerprint() const {
  Description d;
  d.add(std::string_view("dealflow.department.v1"));
  if (workspace) describe_workspace(*workspace, d);
  d.add(engine_options.calendar.name());
  d.add(static_cast<std::uint64_t>(engine_options.history_epoch.unix_seconds()));
  for (const std::string& f : engine_options.extra_fields) d.add(f);
  for (const auto& [actor, roles] : engine_options.actor_roles) {
    d.add(static_cast<std::uint64_t>(actor.value()));
    for (const std::string& r : roles) d.add(r);
  }
  d.add(static_cast<std::uint64_t>(router != nullptr));
  if (router) describe_router(*router, d);
  return d.hash();
}

Snapshot Department::initial_snapshot(const DepartmentConfig& config) {
  Snapshot s;
  s.fingerprint = config.fingerprint();
  s.initial_router_state = config.initial_router_state;
  if (config.router && s.initial_router_state.manager_count() == 0 &&
      s.initial_router_state.pool_count() == 0)
    s.initial_router_state = config.router->initial_state();
  return s;
}

Snapshot Department::snapshot() const {
  Snapshot s;
  s.fingerprint = impl_->fingerprint;
  s.sequence = impl_->changes.size();
  s.initial_router_state = impl_->initial_state;
  s.changes = impl_->changes;
  return s;
}

Result<Department> Department::restore(DepartmentConfig config, const Snapshot& snapshot,
                                       std::span<const Change> changes) {
  const std::uint64_t fp = config.fingerprint();
  if (snapshot.fingerprint != fp) {
    return Status(ErrorCode::validation_failed,
                  "restore: the snapshot was taken on other configs (fingerprint " +
                      hex16(snapshot.fingerprint) + ", these configs give " + hex16(fp) + ")");
  }
  if (snapshot.sequence != snapshot.changes.size()) {
    return Status(ErrorCode::validation_failed,
                  "restore: the snapshot's sequence " + std::to_string(snapshot.sequence) +
                      " does not match its " + std::to_string(snapshot.changes.size()) + " changes");
  }
  config.initial_router_state = snapshot.initial_router_state;
  auto made = make(std::move(config));
  if (!made) return made.status();
  Department d = std::move(*made);
  const auto replay = [&](const Change& c) -> Status { return d.replay(c).with_context("restore"); };
  for (const Change& c : snapshot.changes) DEALFLOW_RETURN_IF_ERROR(replay(c));
  for (const Change& c : changes) DEALFLOW_RETURN_IF_ERROR(replay(c));
  return d;
}

Status Department::replay(const Change& change) {
  const std::uint64_t expected = sequence() + 1;
  if (change.sequence != expected) {
    return Status(ErrorCode::validation_failed,
                  "change " + std::to_string(change.sequence) + " (" + std::string(to_string(change.kind)) +
                      "): expected sequence " + std::to_string(expected) +
                      (change.sequence > expected ? " (a gap)" : " (a repeat or out of order)"));
  }
  ChangeSink* const sink = impl_->sink;
  impl_->sink = nullptr;  // a replayed change is already recorded
  Status s = apply(*this, change);
  impl_->sink = sink;
  return s;
}

}  // namespace dealflow::store
