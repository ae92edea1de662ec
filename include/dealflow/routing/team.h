// dealflow/routing/team.h: the sales team model (managers, teams, skills, capacity).
//
// A `TeamModel` is the validated, immutable picture of a sales department:
//   - Managers, each with a stable string key (never the display name: two
//     "Иванов" are two managers), a UTF-8 display name, an active flag,
//     absences (inclusive local date ranges), working hours (a BusinessCalendar,
//     whose UTC offset also defines the manager's local date for absences and
//     daily caps), a weight for weighted round robin, a capacity (max open
//     deals, daily cap, rolling 30-day cap), and skills per categorical
//     attribute of the schema. An axis with no skill values accepts any value.
//   - Teams / departments with a head, direct members and a parent team
//     (nesting). A team used as a routing pool means all members of the team
//     and of its descendant teams; the head is not a member unless listed.
//   - The AttributeSchema (attribute domains and hierarchies, attributes.h).
// Dense ids: ManagerId and TeamId index the vectors (file order); `rank` is the
// manager's position in ascending stable-key order (byte-wise UTF-8), the order
// round robin walks in, so that adding or removing a manager never renumbers
// the others' turns.
//
// Build one with TeamBuilder (validates each step) or load it from JSON with
// dealflow/routing/routing_json.h.
//
// Ownership: TeamModel owns everything it refers to. Thread-safety: immutable
// after build(); const methods are safe from any number of threads.
//
// Example:
//   dealflow::routing::TeamBuilder b(std::move(schema));
//   ManagerSpec spec; spec.key = "m-ivanova"; spec.name = "Иванова Анна";
//   spec.capacity.daily = 10;
//   ManagerId ivanova = *b.add_manager(std::move(spec));
//   TeamId smb = *b.add_team({.key = "smb", .name = "Входящие SMB", .members = {ivanova}});
//   Result<TeamModel> team = std::move(b).build();
//   team->pool_of_team(smb);  // {ivanova}
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dealflow/core/calendar.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/routing/attributes.h"

namespace dealflow::routing {

// Inclusive range of local dates, e.g. a vacation 2024-03-01..2024-03-05.
struct DateRange {
  Date first;
  Date last;
  bool contains(Date d) const noexcept { return first <= d && d <= last; }
  std::string to_string() const;  // "2024-03-01..2024-03-05"
};

struct Capacity {
  static constexpr std::uint32_t kUnlimited = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t max_open_deals = kUnlimited;   // open deals at any moment
  std::uint32_t daily = kUnlimited;            // leads assigned on one local date
  std::uint32_t rolling_30_days = kUnlimited;  // leads assigned in the 30 local dates ending today
};

// Skills as declared: per categorical attribute (indexed by AttributeId), the
// accepted values (a parent value accepts its descendants). Empty = any.
struct Skills {
  std::vector<std::vector<ValueCode>> by_attribute;
};

// What a caller declares; TeamBuilder validates and compiles it.
struct ManagerSpec {
  std::string key;   // stable id, unique, non-empty
  std::string name;  // display name (UTF-8), may repeat across managers
  bool active = true;
  std::vector<DateRange> absences;
  // Index into TeamBuilder calendars; nullopt = the team's default calendar
  // (or "always working" at UTC when the team has none).
  std::optional<std::uint16_t> calendar;
  std::uint32_t weight = 1;  // 0 = takes no leads from weighted round robin
  Capacity capacity;
  Skills skills;
};

struct Manager {
  ManagerId id;        // dense index, file order
  std::uint32_t rank;  // position in ascending key order
  std::string key;
  std::string name;
  bool active = true;
  std::vector<DateRange> absences;  // sorted by first date
  std::uint16_t calendar = 0;       // index into TeamModel::calendars()
  std::uint32_t weight = 1;
  Capacity capacity;
  Skills skills;  // as declared
  // Compiled skills: per attribute, a bitmask over value codes with the
  // hierarchy expanded; an empty vector = accepts any value on that axis.
  std::vector<std::vector<std::uint64_t>> skill_mask;

  // The absence covering local date `d`, if any.
  const DateRange* absence_on(Date d) const noexcept;
  // Whether the skill on `attribute` accepts `code` (kUnspecified is accepted
  // only by an axis without skills).
  bool accepts(AttributeId attribute, ValueCode code) const noexcept;
};

struct TeamSpec {
  std::string key;
  std::string name;
  std::optional<ManagerId> head;
  std::vector<ManagerId> members;
  std::optional<TeamId> parent;
};

struct Team {
  TeamId id;
  std::string key;
  std::string name;
  std::optional<ManagerId> head;
  std::vector<ManagerId> members;  // direct members, as declared
  std::optional<TeamId> parent;
  std::vector<TeamId> children;
};

class TeamModel {
 public:
  const AttributeSchema& schema() const noexcept { return schema_; }
  const std::vector<Manager>& managers() const noexcept { return managers_; }
  const std::vector<Team>& teams() const noexcept { return teams_; }
  const Manager& manager(ManagerId id) const { return managers_[id.value()]; }
  const Team& team(TeamId id) const { return teams_[id.value()]; }
  const std::vector<BusinessCalendar>& calendars() const noexcept { return calendars_; }
  const std::vector<std::string>& calendar_keys() const noexcept { return calendar_keys_; }
  const BusinessCalendar& calendar_of(ManagerId id) const {
    return calendars_[managers_[id.value()].calendar];
  }

  std::optional<ManagerId> find_manager(std::string_view key) const;
  std::optional<TeamId> find_team(std::string_view key) const;
  // Managers in ascending stable-key order (rank order).
  const std::vector<ManagerId>& managers_by_rank() const noexcept { return by_rank_; }

  // Members of `team` and all its descendant teams, without duplicates, in rank order.
  std::vector<ManagerId> pool_of_team(TeamId team) const;

 private:
  friend class TeamBuilder;
  AttributeSchema schema_;
  std::vector<Manager> managers_;
  std::vector<Team> teams_;
  std::vector<BusinessCalendar> calendars_;  // [0] is the default
  std::vector<std::string> calendar_keys_;
  std::vector<ManagerId> by_rank_;
  std::unordered_map<std::string, ManagerId> manager_index_;
  std::unordered_map<std::string, TeamId> team_index_;
};

// Builds a TeamModel step by step; every step validates and a failed step
// changes nothing.
class TeamBuilder {
 public:
  explicit TeamBuilder(AttributeSchema schema);

  // Adds a named calendar; returns its index for ManagerSpec::calendar.
  Result<std::uint16_t> add_calendar(std::string key, BusinessCalendar calendar);
  // The calendar of managers that name none (default: always working, UTC).
  Status set_default_calendar(std::uint16_t index);
  // Errors: empty or duplicate key, unknown calendar, skill values out of the
  // schema, absences with last < first.
  Result<ManagerId> add_manager(ManagerSpec spec);
  // Errors: empty or duplicate key, unknown head/member/parent.
  Result<TeamId> add_team(TeamSpec spec);
  // Sets or changes a team's parent (for loaders with forward references).
  // Errors: unknown team, a team its own ancestor (cycle).
  Status set_team_parent(TeamId child, TeamId parent);

  const AttributeSchema& schema() const noexcept { return model_.schema_; }
  std::optional<ManagerId> find_manager(std::string_view key) const { return model_.find_manager(key); }
  std::optional<TeamId> find_team(std::string_view key) const { return model_.find_team(key); }

  // Computes ranks and compiled skills. Errors: no managers.
  Result<TeamModel> build() &&;

 private:
  TeamModel model_;
  std::optional<std::uint16_t> default_calendar_;
  std::unordered_map<std::string, std::uint16_t> calendar_index_;  // key -> index (O(1) duplicate check)
  std::vector<bool> uses_default_;  // per manager: no calendar named
};

}  // namespace dealflow::routing
