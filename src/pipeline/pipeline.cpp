// Pipeline accessors and Workspace assembly.
#include "dealflow/pipeline/pipeline.h"

#include <algorithm>
#include <cassert>
#include <set>
#include <unordered_map>

namespace dealflow {

const Stage& Pipeline::stage(StageId s) const noexcept {
  assert(s.value() < stages_.size());
  return stages_[s.value()];
}

std::optional<StageId> Pipeline::find_stage(std::string_view id) const noexcept {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                             [](const auto& entry, std::string_view key) { return entry.first < key; });
  if (it == by_id_.end() || it->first != id) return std::nullopt;
  return it->second;
}

bool Pipeline::is_entry(StageId s) const noexcept {
  return std::find(entries_.begin(), entries_.end(), s) != entries_.end();
}

bool Pipeline::allows(StageId from, StageId to) const noexcept {
  const std::size_t n = stages_.size();
  if (from.value() >= n || to.value() >= n) return false;
  return (moves_[cell(from, to)] & 1u) != 0;
}

bool Pipeline::is_reopen(StageId from, StageId to) const noexcept {
  const std::size_t n = stages_.size();
  if (from.value() >= n || to.value() >= n) return false;
  return (moves_[cell(from, to)] & 2u) != 0;
}

std::span<const Guard> Pipeline::guards(StageId from, StageId to) const noexcept {
  const std::size_t n = stages_.size();
  if (from.value() >= n || to.value() >= n) return {};
  const Range r = guard_ranges_[cell(from, to)];
  return std::span<const Guard>(pair_guards_.data() + r.begin, r.end - r.begin);
}

std::span<const Guard> Pipeline::entry_guards(StageId s) const noexcept {
  if (s.value() >= stages_.size()) return {};
  const Range r = entry_guard_ranges_[s.value()];
  return std::span<const Guard>(pair_guards_.data() + r.begin, r.end - r.begin);
}

std::span<const StageId> Pipeline::successors(StageId from) const noexcept {
  if (from.value() >= stages_.size()) return {};
  const Range r = successor_ranges_[from.value()];
  return std::span<const StageId>(successor_list_.data() + r.begin, r.end - r.begin);
}

std::span<const StageId> Pipeline::reachable_terminals(StageId s) const noexcept {
  if (s.value() >= stages_.size()) return {};
  const Range r = terminal_ranges_[s.value()];
  return std::span<const StageId>(terminal_list_.data() + r.begin, r.end - r.begin);
}

std::span<const std::uint16_t> Pipeline::handoffs_on_enter(StageId s) const noexcept {
  if (s.value() >= stages_.size()) return {};
  const Range r = handoff_ranges_[s.value()];
  return std::span<const std::uint16_t>(handoff_index_.data() + r.begin, r.end - r.begin);
}

const Pipeline& Workspace::pipeline(PipelineId id) const noexcept {
  assert(id.value() < pipelines_.size());
  return pipelines_[id.value()];
}

std::optional<PipelineId> Workspace::find_pipeline(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < pipelines_.size(); ++i) {
    if (pipelines_[i].id() == id) return PipelineId(static_cast<std::uint16_t>(i));
  }
  return std::nullopt;
}

namespace {

// A role `p` declares or names (guards, escalations) whose id is not below
// Pipeline::kMaxRoles, the first in that order; nullopt when none.
std::optional<RoleId> first_role_beyond_limit(const Pipeline& p) {
  auto beyond = [](RoleId r) { return r.valid() && r.value() >= Pipeline::kMaxRoles; };
  for (RoleId r : p.declared_roles())
    if (beyond(r)) return r;
  for (const Stage& s : p.stages()) {
    for (const Guard& g : s.guards)
      for (RoleId r : g.roles)
        if (beyond(r)) return r;
    for (const StageAction& a : s.on_enter)
      if (const auto* e = std::get_if<Escalation>(&a); e && beyond(e->notify_role)) return e->notify_role;
  }
  for (std::size_t f = 0; f < p.stage_count(); ++f)
    for (StageId t : p.successors(StageId(static_cast<std::uint16_t>(f))))
      for (const Guard& g : p.guards(StageId(static_cast<std::uint16_t>(f)), t))
        for (RoleId r : g.roles)
          if (beyond(r)) return r;
  return std::nullopt;
}

}  // namespace

Result<Workspace> Workspace::create(std::vector<Pipeline> pipelines) {
  std::vector<Status> errors;
  auto fail = [&](const Pipeline& p, std::string json_path, std::string message) {
    errors.emplace_back(ErrorCode::validation_failed, std::move(message),
                        Location{p.source_file(), 0, 0, std::move(json_path)});
  };
  if (pipelines.size() >= PipelineId::kInvalid) {
    return Status(ErrorCode::invalid_argument, "too many pipelines in one workspace (at most 65534)");
  }
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < pipelines.size(); ++i) {
    Pipeline& p = pipelines[i];
    p.index_ = PipelineId(static_cast<std::uint16_t>(i));
    if (p.vocabulary_ != pipelines.front().vocabulary_) {
      fail(p, "/",
           "pipeline '" + p.id() +
               "' was loaded with a different Vocabulary; load workspace pipelines with one");
    }
    auto [it, inserted] = by_id.emplace(p.id(), i);
    if (!inserted) {
      fail(p, "/id",
           "duplicate pipeline id '" + p.id() + "' (also in " +
               (pipelines[it->second].source_file().empty() ? "pipeline #" + std::to_string(it->second)
                                                            : pipelines[it->second].source_file()) +
               ")");
    }
  }
  for (const Pipeline& p : pipelines) {
    if (auto role = first_role_beyond_limit(p)) {
      fail(p, p.roles_.empty() ? "/" : "/roles",
           "pipeline '" + p.id() + "' uses role '" + std::string(p.vocabulary().role_name(*role)) +
               "', role number " + std::to_string(role->value() + 1) +
               " of the workspace's shared vocabulary; the deal engine supports at most " +
               std::to_string(Pipeline::kMaxRoles) + " roles in one workspace");
    }
  }
  for (Pipeline& p : pipelines) {
    for (std::size_t k = 0; k < p.handoffs_.size(); ++k) {
      Handoff& h = p.handoffs_[k];
      const std::string path = "/handoffs/" + std::to_string(k);
      auto target = by_id.find(h.target_pipeline_id);
      if (target == by_id.end()) {
        fail(p, path + "/pipeline",
             "hand-off '" + h.id + "' names unknown pipeline '" + h.target_pipeline_id + "'");
        continue;
      }
      const Pipeline& tp = pipelines[target->second];
      auto stage = tp.find_stage(h.target_stage_id);
      if (!stage) {
        fail(p, path + "/stage",
             "hand-off '" + h.id + "' names unknown stage '" + h.target_stage_id + "' of pipeline '" +
                 tp.id() + "'");
        continue;
      }
      if (tp.is_terminal(*stage)) {
        fail(p, path + "/stage",
             "hand-off '" + h.id + "' targets " + std::string(to_string(tp.kind(*stage))) + " stage '" +
                 h.target_stage_id + "' of pipeline '" + tp.id() + "'; hand-offs must land in an open stage");
        continue;
      }
      if (&tp == &p && h.mode == HandoffMode::move) {
        fail(p, path + "/pipeline",
             "hand-off '" + h.id + "' moves a deal into its own pipeline; use a transition");
        continue;
      }
      h.target_pipeline = tp.index();
      h.target_stage = *stage;
    }
  }
  if (errors.size() == 1) return errors.front();
  if (!errors.empty()) {
    // Located at the first error; the others carry their own location in the text.
    std::string message = std::to_string(errors.size()) + " errors: " + errors.front().message();
    for (std::size_t i = 1; i < errors.size(); ++i) message += "; " + errors[i].to_string();
    return Status(ErrorCode::validation_failed, std::move(message), errors.front().location());
  }
  Workspace ws;
  ws.pipelines_ = std::move(pipelines);
  return ws;
}

}  // namespace dealflow
