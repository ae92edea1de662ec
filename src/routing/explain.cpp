// Readable explanations of routing decisions (for a head of sales).
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "dealflow/routing/router.h"

namespace dealflow::routing {

std::string_view to_string(SkipReason r) noexcept {
  switch (r) {
    case SkipReason::inactive:
      return "inactive";
    case SkipReason::absent:
      return "absent";
    case SkipReason::off_hours:
      return "off_hours";
    case SkipReason::lacks_skill:
      return "lacks_skill";
    case SkipReason::open_deals_cap:
      return "open_deals_cap";
    case SkipReason::daily_cap:
      return "daily_cap";
    case SkipReason::rolling_cap:
      return "rolling_30_days_cap";
    case SkipReason::zero_weight:
      return "zero_weight";
    case SkipReason::no_owner:
      return "no_owner";
    case SkipReason::field_empty:
      return "field_empty";
    case SkipReason::field_unmapped:
      return "field_unmapped";
  }
  return "?";
}

namespace {

std::string strategy_text(Strategy s) {
  switch (s) {
    case Strategy::round_robin:
      return "round robin";
    case Strategy::weighted_round_robin:
      return "weighted round robin";
    case Strategy::least_loaded:
      return "least loaded";
    case Strategy::lead_field:
      return "by lead field";
  }
  return "?";
}

// Skips shown per rule before "and N more".
constexpr std::size_t kMaxShownPerGroup = 6;

// Whether an unassigned lead was refused only for being off shift: every
// candidate passed over was inactive, absent or outside working hours, and at
// least one was outside working hours.
bool only_off_shift(const Decision& d) {
  bool off_hours = false;
  for (const Skip& s : d.skipped) {
    switch (s.reason) {
      case SkipReason::off_hours:
        off_hours = true;
        break;
      case SkipReason::inactive:
      case SkipReason::absent:
        break;
      default:
        return false;
    }
  }
  return off_hours;
}

// "2024-03-05 09:00" in the calendar's local time.
std::string local_time(Instant t, const BusinessCalendar& calendar) {
  const int offset = calendar.utc_offset_minutes();
  const int minutes = t.seconds_of_day(offset) / 60;
  char hhmm[8];
  std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", minutes / 60 % 100, minutes % 60);
  return t.date(offset).to_string() + " " + hhmm;
}

}  // namespace

std::string Router::next_shift_text(const Decision& d) const {
  std::optional<Instant> earliest;
  std::uint16_t calendar = 0;
  for (const Skip& s : d.skipped) {
    if (s.reason != SkipReason::off_hours) continue;
    const std::uint16_t c = team_.manager(s.manager).calendar;
    // The first working second at or after the lead: one second of business
    // time added, minus that second.
    auto end_of_first_second = team_.calendars()[c].add_business_time(d.at, std::chrono::seconds(1));
    if (!end_of_first_second) continue;  // a calendar without working time
    const Instant start = *end_of_first_second - std::chrono::seconds(1);
    if (!earliest || start < *earliest) {
      earliest = start;
      calendar = c;
    }
  }
  if (!earliest) return {};
  return "the next shift starts " + local_time(*earliest, team_.calendars()[calendar]) + " (calendar " +
         team_.calendar_keys()[calendar] + ")";
}

std::string Router::explain(const Skip& s) const {
  const auto& schema = team_.schema();
  auto attr_value = [&]() {
    const CategoricalAttribute& a = schema.categorical(s.attribute);
    if (s.value == kUnspecified) return a.name() + "=(empty)";
    // A host-built lead may carry a code outside the domain.
    if (s.value >= a.size()) return a.name() + "=(undeclared code " + std::to_string(s.value) + ")";
    return a.name() + "=" + std::string(a.value_name(s.value));
  };
  std::string who = s.manager.valid() ? team_.manager(s.manager).name + ": " : std::string();
  switch (s.reason) {
    case SkipReason::inactive:
      return who + "inactive";
    case SkipReason::absent:
      return who + "absent " + DateRange{s.first, s.last}.to_string();
    case SkipReason::off_hours: {
      const auto& key = team_.calendar_keys()[team_.manager(s.manager).calendar];
      return who + "outside working hours (calendar " + key + ")";
    }
    case SkipReason::lacks_skill:
      return who + "no skill for " + attr_value();
    case SkipReason::open_deals_cap:
      return who + "open deals " + std::to_string(s.count) + "/" + std::to_string(s.limit);
    case SkipReason::daily_cap:
      return who + "daily cap " + std::to_string(s.count) + "/" + std::to_string(s.limit) + " on " +
             s.first.to_string();
    case SkipReason::rolling_cap:
      return who + "30-day cap " + std::to_string(s.count) + "/" + std::to_string(s.limit) + " (30 days to " +
             s.first.to_string() + ")";
    case SkipReason::zero_weight:
      return who + "weight 0";
    case SkipReason::no_owner:
      return "no known account owner for the client";
    case SkipReason::field_empty:
      return "the lead has no " + schema.categorical(s.attribute).name();
    case SkipReason::field_unmapped:
      return "no manager mapped for " + attr_value();
  }
  return who + "?";
}

std::string Router::explain(const Decision& d) const {
  std::string text;
  auto append = [&text](const std::string& part) {
    if (!text.empty()) text += "; ";
    text += part;
  };
  auto pool_text = [&]() -> std::string {
    const Pool& pool = rules_.pool(d.pool);
    if (d.strategy == Strategy::lead_field) {
      const PoolTarget* t = nullptr;
      if (d.by_default_pool) {
        t = &*rules_.default_pool();
      } else {
        const Target& target = rules_.rule(d.rule).target;
        t = d.via_fallback ? &*target.fallback : &*target.pool;
      }
      const CategoricalAttribute& a = team_.schema().categorical(t->field);
      return "by lead field " + a.name() + "=" + std::string(a.value_name(d.field_value));
    }
    const std::string where = pool.team ? "in team " + team_.team(*pool.team).name
                                        : "among " + std::to_string(pool.members.size()) + " listed managers";
    return strategy_text(d.strategy) + " " + where;
  };
  // How the winner was chosen.
  if (d.assigned()) {
    if (d.by_default_pool) {
      append("default pool, " + pool_text());
    } else if (d.target == TargetKind::manager) {
      append("the rule's manager");
    } else if (d.target == TargetKind::account_owner && !d.via_fallback) {
      append("account owner");
    } else {
      append((d.via_fallback ? "account owner unavailable, fallback: " : std::string()) + pool_text());
    }
  } else {
    const bool off_shift = only_off_shift(d);
    const std::string nobody = off_shift ? "on shift" : "eligible";
    if (d.rules_matched == 0) {
      append(rules_.default_pool() ? "no rule matched and nobody in the default pool is " + nobody
                                   : std::string("no rule matched and there is no default pool"));
    } else {
      append("nobody " + nobody + " in " + std::to_string(d.rules_matched) + " matching rule(s)" +
             (rules_.default_pool() ? std::string(" or the default pool") : std::string()));
    }
    if (off_shift) {
      if (std::string next = next_shift_text(d); !next.empty()) append(next);
    }
  }
  // Why earlier rules / candidates were passed over, grouped by rule.
  std::size_t i = 0;
  while (i < d.skipped.size()) {
    const RuleId rule = d.skipped[i].rule;
    std::size_t j = i;
    while (j < d.skipped.size() && d.skipped[j].rule == rule) ++j;
    const bool winner =
        d.assigned() && (rule.valid() ? !d.by_default_pool && rule == d.rule : d.by_default_pool);
    std::string group;
    if (winner) {
      group = "skipped: ";
    } else if (!rule.valid()) {
      group = "default pool: ";
    } else {
      group = "rule " + rules_.rule(rule).key + ": ";
    }
    for (std::size_t k = i; k < j && k - i < kMaxShownPerGroup; ++k) {
      if (k > i) group += ", ";
      group += explain(d.skipped[k]);
    }
    if (j - i > kMaxShownPerGroup) group += " and " + std::to_string(j - i - kMaxShownPerGroup) + " more";
    append(group);
    i = j;
  }
  return text;
}

}  // namespace dealflow::routing
