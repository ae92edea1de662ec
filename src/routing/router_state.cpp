#include "dealflow/routing/router_state.h"

#include <algorithm>

namespace dealflow::routing {
namespace {
std::size_t slot_of(std::int32_t day) {
  const int m = day % RouterState::kWindowDays;
  return static_cast<std::size_t>(m < 0 ? m + RouterState::kWindowDays : m);
}
}  // namespace

RouterState::RouterState(std::size_t managers, const std::vector<Pool>& pools)
    : managers_(managers), pools_(pools.size()) {
  for (std::size_t i = 0; i < pools.size(); ++i) pools_[i].current.assign(pools[i].members.size(), 0);
}

Status RouterState::close_deal(ManagerId m) {
  auto& c = managers_[m.value()];
  if (c.open_deals == 0) return Status(ErrorCode::refused, "the manager has no open deal to close");
  --c.open_deals;
  return {};
}

std::uint32_t RouterState::assigned_on(ManagerId m, Date d) const noexcept {
  const DayCount& s = managers_[m.value()].days[slot_of(d.days_since_epoch())];
  return s.day == d.days_since_epoch() ? s.count : 0;
}

std::uint32_t RouterState::assigned_in_window(ManagerId m, Date d) const noexcept {
  const std::int32_t last = d.days_since_epoch();
  const std::int32_t first = last - (kWindowDays - 1);
  std::uint64_t sum = 0;
  for (const DayCount& s : managers_[m.value()].days) {
    if (s.day >= first && s.day <= last) sum += s.count;
  }
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(sum, 0xFFFFFFFFu));
}

void RouterState::record_assignment(ManagerId m, Date d) noexcept {
  ManagerCounters& c = managers_[m.value()];
  if (c.open_deals != 0xFFFFFFFFu) ++c.open_deals;
  const std::int32_t day = d.days_since_epoch();
  DayCount& s = c.days[slot_of(day)];
  if (s.day == day) {
    if (s.count != 0xFFFFFFFFu) ++s.count;
  } else if (s.day < day) {
    s = DayCount{day, 1};
  }
  // else: the slot holds a date 30+ days newer; this one can no longer matter.
}

bool RouterState::set_assigned_on(ManagerId m, Date d, std::uint32_t count) noexcept {
  const std::int32_t day = d.days_since_epoch();
  DayCount& s = managers_[m.value()].days[slot_of(day)];
  if (s.day > day) return false;
  s = count == 0 ? DayCount{} : DayCount{day, count};
  return true;
}

std::vector<std::pair<Date, std::uint32_t>> RouterState::assignment_days(ManagerId m) const {
  std::vector<std::pair<Date, std::uint32_t>> out;
  for (const DayCount& s : managers_[m.value()].days) {
    if (s.count > 0) out.emplace_back(Date(s.day), s.count);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool operator==(const RouterState& a, const RouterState& b) {
  if (a.managers_.size() != b.managers_.size() || a.pools_.size() != b.pools_.size()) return false;
  for (std::size_t i = 0; i < a.managers_.size(); ++i) {
    const auto& x = a.managers_[i];
    const auto& y = b.managers_[i];
    if (x.open_deals != y.open_deals) return false;
    for (std::size_t s = 0; s < x.days.size(); ++s) {
      const bool ex = x.days[s].count == 0;
      const bool ey = y.days[s].count == 0;
      if (ex != ey) return false;
      if (!ex && (x.days[s].day != y.days[s].day || x.days[s].count != y.days[s].count)) return false;
    }
  }
  for (std::size_t i = 0; i < a.pools_.size(); ++i) {
    if (a.pools_[i].next_rank != b.pools_[i].next_rank || a.pools_[i].current != b.pools_[i].current ||
        a.pools_[i].removed_last_assigned != b.pools_[i].removed_last_assigned)
      return false;
  }
  return true;
}

}  // namespace dealflow::routing
