#include "dealflow/routing/team.h"

#include <algorithm>
#include <numeric>

namespace dealflow::routing {

std::string DateRange::to_string() const {
  if (first == last) return first.to_string();
  return first.to_string() + ".." + last.to_string();
}

const DateRange* Manager::absence_on(Date d) const noexcept {
  for (const DateRange& r : absences) {
    if (r.first > d) break;
    if (r.contains(d)) return &r;
  }
  return nullptr;
}

bool Manager::accepts(AttributeId attribute, ValueCode code) const noexcept {
  const auto& mask = skill_mask[attribute.value()];
  if (mask.empty()) return true;
  return code != kUnspecified && test_bit(mask, code);
}

std::optional<ManagerId> TeamModel::find_manager(std::string_view key) const {
  auto it = manager_index_.find(std::string(key));
  if (it == manager_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<TeamId> TeamModel::find_team(std::string_view key) const {
  auto it = team_index_.find(std::string(key));
  if (it == team_index_.end()) return std::nullopt;
  return it->second;
}

std::vector<ManagerId> TeamModel::pool_of_team(TeamId team) const {
  std::vector<bool> seen(managers_.size(), false);
  std::vector<TeamId> stack{team};
  while (!stack.empty()) {
    const Team& t = teams_[stack.back().value()];
    stack.pop_back();
    for (ManagerId m : t.members) seen[m.value()] = true;
    for (TeamId c : t.children) stack.push_back(c);
  }
  std::vector<ManagerId> out;
  for (ManagerId m : by_rank_) {
    if (seen[m.value()]) out.push_back(m);
  }
  return out;
}

TeamBuilder::TeamBuilder(AttributeSchema schema) {
  model_.schema_ = std::move(schema);
  model_.calendars_.push_back(BusinessCalendar::always_open());
  model_.calendar_keys_.push_back("always");
  calendar_index_.emplace("always", 0);
}

Result<std::uint16_t> TeamBuilder::add_calendar(std::string key, BusinessCalendar calendar) {
  if (key.empty()) return Status(ErrorCode::invalid_argument, "calendar key is empty");
  if (calendar_index_.count(key))
    return Status(ErrorCode::duplicate, "calendar '" + key + "' is declared twice");
  if (model_.calendars_.size() >= 0xFFFF) return Status(ErrorCode::invalid_argument, "too many calendars");
  calendar_index_.emplace(key, static_cast<std::uint16_t>(model_.calendars_.size()));
  model_.calendars_.push_back(std::move(calendar));
  model_.calendar_keys_.push_back(std::move(key));
  return static_cast<std::uint16_t>(model_.calendars_.size() - 1);
}

Status TeamBuilder::set_default_calendar(std::uint16_t index) {
  if (index >= model_.calendars_.size()) return Status(ErrorCode::not_found, "unknown calendar index");
  default_calendar_ = index;
  return {};
}

Result<ManagerId> TeamBuilder::add_manager(ManagerSpec spec) {
  if (spec.key.empty()) return Status(ErrorCode::invalid_argument, "manager id is empty");
  if (model_.manager_index_.count(spec.key)) {
    return Status(ErrorCode::duplicate, "duplicate manager id '" + spec.key + "'");
  }
  if (spec.calendar && *spec.calendar >= model_.calendars_.size()) {
    return Status(ErrorCode::not_found, "unknown calendar index " + std::to_string(*spec.calendar));
  }
  for (const DateRange& r : spec.absences) {
    if (r.last < r.first) {
      return Status(ErrorCode::invalid_argument,
                    "absence " + r.first.to_string() + ".." + r.last.to_string() + " ends before it starts");
    }
  }
  const AttributeSchema& schema = model_.schema_;
  if (spec.skills.by_attribute.size() > schema.categorical_count()) {
    return Status(ErrorCode::invalid_argument, "skills name more attributes than the schema declares");
  }
  spec.skills.by_attribute.resize(schema.categorical_count());
  for (std::size_t a = 0; a < schema.categorical_count(); ++a) {
    for (ValueCode v : spec.skills.by_attribute[a]) {
      if (v >= schema.categorical_attributes()[a].size()) {
        return Status(ErrorCode::invalid_argument, "skill value code " + std::to_string(v) + " is outside '" +
                                                       schema.categorical_attributes()[a].name() + "'");
      }
    }
  }
  Manager m;
  m.id = ManagerId(static_cast<std::uint32_t>(model_.managers_.size()));
  m.rank = 0;
  m.key = std::move(spec.key);
  m.name = spec.name.empty() ? m.key : std::move(spec.name);
  m.active = spec.active;
  m.absences = std::move(spec.absences);
  std::sort(m.absences.begin(), m.absences.end(),
            [](const DateRange& x, const DateRange& y) { return x.first < y.first; });
  m.calendar = spec.calendar.value_or(0);
  m.weight = spec.weight;
  m.capacity = spec.capacity;
  m.skills = std::move(spec.skills);
  for (std::size_t a = 0; a < schema.categorical_count(); ++a) {
    const auto& declared = m.skills.by_attribute[a];
    m.skill_mask.push_back(declared.empty()
                               ? std::vector<std::uint64_t>{}
                               : schema.expand(AttributeId(static_cast<std::uint16_t>(a)), declared));
  }
  uses_default_.push_back(!spec.calendar.has_value());
  model_.manager_index_.emplace(m.key, m.id);
  model_.managers_.push_back(std::move(m));
  return model_.managers_.back().id;
}

Result<TeamId> TeamBuilder::add_team(TeamSpec spec) {
  if (spec.key.empty()) return Status(ErrorCode::invalid_argument, "team id is empty");
  if (model_.team_index_.count(spec.key))
    return Status(ErrorCode::duplicate, "duplicate team id '" + spec.key + "'");
  const std::size_t n = model_.managers_.size();
  if (spec.head && spec.head->value() >= n) return Status(ErrorCode::not_found, "unknown head manager");
  std::vector<bool> seen(n, false);
  for (ManagerId m : spec.members) {
    if (m.value() >= n) return Status(ErrorCode::not_found, "unknown member manager");
    if (seen[m.value()]) {
      return Status(ErrorCode::duplicate,
                    "manager '" + model_.managers_[m.value()].key + "' is listed twice");
    }
    seen[m.value()] = true;
  }
  if (spec.parent && spec.parent->value() >= model_.teams_.size()) {
    return Status(ErrorCode::not_found, "unknown parent team");
  }
  Team t;
  t.id = TeamId(static_cast<std::uint32_t>(model_.teams_.size()));
  t.key = std::move(spec.key);
  t.name = spec.name.empty() ? t.key : std::move(spec.name);
  t.head = spec.head;
  t.members = std::move(spec.members);
  t.parent = spec.parent;
  if (t.parent) model_.teams_[t.parent->value()].children.push_back(t.id);
  model_.team_index_.emplace(t.key, t.id);
  model_.teams_.push_back(std::move(t));
  return model_.teams_.back().id;
}

Status TeamBuilder::set_team_parent(TeamId child, TeamId parent) {
  auto& teams = model_.teams_;
  if (child.value() >= teams.size() || parent.value() >= teams.size()) {
    return Status(ErrorCode::not_found, "unknown team");
  }
  // Cycle: child is parent itself or one of parent's ancestors.
  std::string chain = teams[parent.value()].key;
  for (std::optional<TeamId> t = parent; t; t = teams[t->value()].parent) {
    if (*t == child) {
      return Status(ErrorCode::validation_failed, "team cycle: '" + teams[child.value()].key +
                                                      "' would be inside itself (" +
                                                      teams[child.value()].key + " -> " + chain + ")");
    }
    if (t != parent) chain += " -> " + teams[t->value()].key;
  }
  Team& c = teams[child.value()];
  if (c.parent) {
    auto& siblings = teams[c.parent->value()].children;
    siblings.erase(std::remove(siblings.begin(), siblings.end(), child), siblings.end());
  }
  c.parent = parent;
  teams[parent.value()].children.push_back(child);
  return {};
}

Result<TeamModel> TeamBuilder::build() && {
  if (model_.managers_.empty()) return Status(ErrorCode::validation_failed, "the team has no managers");
  const std::uint16_t def = default_calendar_.value_or(0);
  for (std::size_t i = 0; i < model_.managers_.size(); ++i) {
    if (uses_default_[i]) model_.managers_[i].calendar = def;
  }
  auto& by_rank = model_.by_rank_;
  by_rank.resize(model_.managers_.size());
  for (std::size_t i = 0; i < by_rank.size(); ++i) by_rank[i] = ManagerId(static_cast<std::uint32_t>(i));
  std::sort(by_rank.begin(), by_rank.end(), [&](ManagerId a, ManagerId b) {
    return model_.managers_[a.value()].key < model_.managers_[b.value()].key;
  });
  for (std::size_t r = 0; r < by_rank.size(); ++r) {
    model_.managers_[by_rank[r].value()].rank = static_cast<std::uint32_t>(r);
  }
  return std::move(model_);
}

}  // namespace dealflow::routing
