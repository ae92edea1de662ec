// Readable explanations of routing decisions (for a head of sales).
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

}  // namespace

std::string Router::explain(const Skip& s) const {
  const auto& schema = team_.schema();
  auto attr_value = [&]() {
    const CategoricalAttribute& a = schema.categorical(s.attribute);
    return a.name() + "=" +
           (s.value == kUnspecified ? std::string("(empty)") : std::string(a.value_name(s.value)));
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
  } else if (d.rules_matched == 0) {
    append(rules_.default_pool() ? "no rule matched and nobody in the default pool is eligible"
                                 : "no rule matched and there is no default pool");
  } else {
    append("nobody eligible in " + std::to_string(d.rules_matched) + " matching rule(s)" +
           (rules_.default_pool() ? std::string(" or the default pool") : std::string()));
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
