// dealflow/routing/router_state.h: the mutable routing state, as an explicit value.
//
// Everything routing remembers between leads lives here, never in the Router:
//   - per manager: open deals (the load least_loaded balances and
//     max_open_deals caps) and the number of leads assigned on each of the 30
//     most recent local dates (daily and rolling 30-day caps);
//   - per pool: the round-robin cursor and the smooth weighted round robin
//     current weights.
// The cursor is "the next turn goes to the first member whose stable key comes
// after the last assigned one" (stored as a rank in the team's key order and
// persisted as the last assigned manager's key), so adding, removing or
// re-activating a member neither resets it nor gives anyone a burst. A saved
// key that names a manager the team no longer has is kept as loaded and
// written back unchanged until the pool assigns again: re-saving does not
// drift it to a neighbour, so that manager, re-added later, does not get a
// second turn.
//
// A state is sized for one Router (Router::initial_state()). A CRM persists it
// between requests with state_to_json / parse_router_state (format in
// docs/routing.md); managers and pools the team no longer has are dropped on
// load, new ones start at zero.
//
// Cap days: an assignment counts on the manager's local date (the UTC offset
// of the manager's calendar). Counters keep the 30 most recent dates; an
// assignment dated 30 or more days before the newest counted date of that
// manager is not recorded (it cannot affect any cap on a newer date).
//
// Thread-safety: a plain value; Router::route mutates it, so one state must
// not be routed on from two threads at once (see SynchronizedRouter).
//
// Example:
//   RouterState state = router.initial_state();
//   state.set_open_deals(ivanova, 12);          // loads from the CRM
//   router.route(lead, state, decision);        // updates cursors and counters
//   Json saved = state_to_json(state, router.team(), router.rules());
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/io/json.h"
#include "dealflow/routing/rules.h"
#include "dealflow/routing/team.h"

namespace dealflow::routing {

class RouterState {
 public:
  static constexpr int kWindowDays = 30;

  RouterState() = default;
  RouterState(std::size_t managers, const std::vector<Pool>& pools);

  std::size_t manager_count() const noexcept { return managers_.size(); }
  std::size_t pool_count() const noexcept { return pools_.size(); }

  std::uint32_t open_deals(ManagerId m) const { return managers_[m.value()].open_deals; }
  void set_open_deals(ManagerId m, std::uint32_t n) { managers_[m.value()].open_deals = n; }
  // A deal of `m` was closed (won or lost). refused when m has no open deal.
  Status close_deal(ManagerId m);

  // Leads assigned to `m` on local date `d`.
  std::uint32_t assigned_on(ManagerId m, Date d) const noexcept;
  // Leads assigned to `m` on the 30 local dates d-29 .. d.
  std::uint32_t assigned_in_window(ManagerId m, Date d) const noexcept;
  // Counts one assignment to `m` on local date `d` and one more open deal.
  void record_assignment(ManagerId m, Date d) noexcept;
  // Sets the count for one date (loading); false when the date is too old to keep.
  [[nodiscard]] bool set_assigned_on(ManagerId m, Date d, std::uint32_t count) noexcept;

  // Round robin: the next turn starts at the first member with rank >= this.
  std::uint32_t cursor(PoolId p) const { return pools_[p.value()].next_rank; }
  // Moves the cursor (an assignment) and forgets any removed_last_assigned key.
  void set_cursor(PoolId p, std::uint32_t next_rank) {
    PoolState& s = pools_[p.value()];
    s.next_rank = next_rank;
    if (!s.removed_last_assigned.empty()) s.removed_last_assigned.clear();
  }
  // Loading: the cursor after a saved last-assigned key that names no manager
  // of the team; the key is kept for saving until the next set_cursor.
  void set_cursor_after_removed(PoolId p, std::uint32_t next_rank, std::string key) {
    PoolState& s = pools_[p.value()];
    s.next_rank = next_rank;
    s.removed_last_assigned = std::move(key);
  }
  // The key kept by set_cursor_after_removed; empty when the cursor follows a
  // manager of the team.
  const std::string& removed_last_assigned(PoolId p) const { return pools_[p.value()].removed_last_assigned; }
  // Smooth weighted round robin current weight of the i-th member (rank order).
  std::int64_t current_weight(PoolId p, std::size_t member) const {
    return pools_[p.value()].current[member];
  }
  void set_current_weight(PoolId p, std::size_t member, std::int64_t w) {
    pools_[p.value()].current[member] = w;
  }
  std::vector<std::int64_t>& current_weights(PoolId p) { return pools_[p.value()].current; }

  // Dates with a non-zero count for `m`, ascending (for saving and reports).
  std::vector<std::pair<Date, std::uint32_t>> assignment_days(ManagerId m) const;

  friend bool operator==(const RouterState& a, const RouterState& b);

 private:
  struct DayCount {
    std::int32_t day = std::numeric_limits<std::int32_t>::min();
    std::uint32_t count = 0;
  };
  struct ManagerCounters {
    std::uint32_t open_deals = 0;
    std::array<DayCount, kWindowDays> days{};  // slot = day mod 30
  };
  struct PoolState {
    std::uint32_t next_rank = 0;
    std::vector<std::int64_t> current;
    std::string removed_last_assigned;
  };
  std::vector<ManagerCounters> managers_;
  std::vector<PoolState> pools_;
};

// JSON form (docs/routing.md, "State file"): keyed by stable manager and pool keys.
Json state_to_json(const RouterState& state, const TeamModel& team, const RuleSet& rules);
// Reads a state saved for this or an earlier version of the team and rules.
Result<RouterState> parse_router_state(const JsonReader& root, const TeamModel& team, const RuleSet& rules);
Result<RouterState> load_router_state_file(const std::string& path, const TeamModel& team,
                                           const RuleSet& rules);
// Writes the JSON (pretty, UTF-8) with io::write_file_atomic: a unique temporary file,
// fsync, rename over `path`, fsync of the folder. Take an io::FileLock on `path` around
// a load-route-save cycle when several processes may share the file.
Status save_router_state_file(const std::string& path, const RouterState& state, const TeamModel& team,
                              const RuleSet& rules);

}  // namespace dealflow::routing
