// Specialization advisor: see include/dealflow/routing/advisor.h and docs/staffing.md.
#include "dealflow/routing/advisor.h"

#include <cmath>
#include <initializer_list>
#include <sstream>
#include <string_view>

namespace dealflow::routing {

namespace {

// Compact number for reasons: integers as integers, otherwise up to 4 decimals.
std::string num(double v) {
  std::ostringstream s;
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    s << static_cast<long long>(std::llround(v));
    return s.str();
  }
  s.setf(std::ios::fixed);
  s.precision(4);
  s << v;
  std::string out = s.str();
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// Concatenation without `"literal" + std::string`, which GCC 12 at -O2
// misreports under -Werror=restrict (GCC bug 105651).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

std::string percent(double share) { return num(std::round(share * 1000.0) / 10.0) + "%"; }

// ceil tolerant of rounding in a division (600 h / 100 h is 6, not 7).
std::uint32_t ceil_count(double x) {
  if (x <= 0) return 0;
  double n = std::ceil(x);
  if (n >= 1 && (n - 1) >= x * (1 - 1e-12)) n -= 1;
  return static_cast<std::uint32_t>(n);
}

Recommendation inbound_outbound(const DepartmentVolumes& v) {
  const AdvisorThresholds& t = v.thresholds;
  Recommendation r;
  r.rule = "inbound_outbound_split";
  r.numbers = {{"clients_in_market", v.clients_in_market},
               {"inbound_requests", v.inbound_requests},
               {"outbound_targets", v.outbound_targets},
               {"threshold_min_clients", t.inbound_outbound_min_clients}};
  const bool large_market = v.clients_in_market >= t.inbound_outbound_min_clients;
  const bool both = v.inbound_requests > 0 && v.outbound_targets > 0;
  if (large_market && both) {
    r.verdict = Verdict::recommend;
    r.advice = "Split inbound (passive) and outbound (active) sales between different managers";
    r.reason = "clients in market " + num(v.clients_in_market) + " >= " + num(t.inbound_outbound_min_clients) +
               " and there is both inbound work (" + num(v.inbound_requests) + " requests/month) and outbound work (" +
               num(v.outbound_targets) + " targets/month): a manager doing both neglects one of them";
  } else if (!large_market) {
    r.verdict = Verdict::not_triggered;
    r.advice = "Keep inbound and outbound with the same managers";
    r.reason = "clients in market " + num(v.clients_in_market) + " < " + num(t.inbound_outbound_min_clients) +
               ": the market is in the tens, not the hundreds";
  } else {
    r.verdict = Verdict::not_triggered;
    r.advice = "No inbound/outbound split needed";
    r.reason = "only one function has volume (inbound " + num(v.inbound_requests) + " requests/month, outbound " +
               num(v.outbound_targets) + " targets/month)";
  }
  return r;
}

Recommendation new_repeat_small_market(const DepartmentVolumes& v) {
  const AdvisorThresholds& t = v.thresholds;
  Recommendation r;
  r.rule = "new_repeat_small_market";
  r.numbers = {{"clients_in_market", v.clients_in_market}, {"threshold_max_clients", t.new_repeat_max_market_clients}};
  if (v.clients_in_market <= t.new_repeat_max_market_clients) {
    r.verdict = Verdict::not_recommended;
    r.advice = "Do not split new and repeat business (hunters vs account managers)";
    r.reason = "clients in market " + num(v.clients_in_market) + " <= " + num(t.new_repeat_max_market_clients) +
               ": with so few clients the same managers should win and keep them";
  } else {
    r.verdict = Verdict::not_triggered;
    r.advice = "The market is large enough for a new/repeat split to be considered";
    r.reason = "clients in market " + num(v.clients_in_market) + " > " + num(t.new_repeat_max_market_clients);
  }
  return r;
}

double requests_and_operations(const DepartmentVolumes& v) {
  return v.inbound_requests + v.new_operations + v.repeat_operations;
}

Recommendation hunter_account(const DepartmentVolumes& v) {
  const AdvisorThresholds& t = v.thresholds;
  const double per_manager = requests_and_operations(v) / static_cast<double>(v.managers);
  Recommendation r;
  r.rule = "hunter_account_split";
  r.numbers = {{"requests_and_operations", requests_and_operations(v)},
               {"managers", static_cast<double>(v.managers)},
               {"per_manager", per_manager},
               {"new_operations", v.new_operations},
               {"repeat_operations", v.repeat_operations},
               {"clients_in_market", v.clients_in_market},
               {"threshold_per_manager", t.hunter_account_min_per_manager}};
  const bool heavy = per_manager > t.hunter_account_min_per_manager;
  const bool small_market = v.clients_in_market <= t.new_repeat_max_market_clients;
  const bool both = v.new_operations > 0 && v.repeat_operations > 0;
  const std::string load =
      cat({"(", num(v.inbound_requests), " requests + ", num(v.new_operations), " new + ", num(v.repeat_operations),
           " repeat operations) / ", std::to_string(v.managers), " managers = ", num(per_manager),
           " per manager per month"});
  if (heavy && !small_market && both) {
    r.verdict = Verdict::recommend;
    r.advice = "Split hunters (new clients) from account managers (repeat business)";
    r.reason = load + " > " + num(t.hunter_account_min_per_manager) + ", with both new (" + num(v.new_operations) +
               ") and repeat (" + num(v.repeat_operations) + ") operations";
  } else {
    r.verdict = Verdict::not_triggered;
    r.advice = "Keep new and repeat business with the same managers";
    if (!heavy) {
      r.reason = load + " <= " + num(t.hunter_account_min_per_manager);
    } else if (small_market) {
      r.reason = load + " > " + num(t.hunter_account_min_per_manager) + ", but the market is small (see new_repeat_small_market)";
    } else {
      r.reason = load + " > " + num(t.hunter_account_min_per_manager) + ", but there is no " +
                 (v.new_operations > 0 ? "repeat" : "new") + " business to split off";
    }
  }
  return r;
}

Recommendation capacity(const DepartmentVolumes& v) {
  Recommendation r;
  r.rule = "capacity_headcount";
  const double load = requests_and_operations(v);
  if (!v.manager_capacity) {
    r.verdict = Verdict::not_triggered;
    r.advice = "Capacity not checked";
    r.reason = "no manager_capacity given";
    return r;
  }
  const double cap = *v.manager_capacity;
  const std::uint32_t needed = ceil_count(load / cap);
  r.numbers = {{"requests_and_operations", load},
               {"manager_capacity", cap},
               {"managers", static_cast<double>(v.managers)},
               {"managers_needed", static_cast<double>(needed)},
               {"utilization", load / (cap * v.managers)}};
  const std::string calc =
      cat({"(", num(v.inbound_requests), " requests + ", num(v.new_operations), " new + ", num(v.repeat_operations),
           " repeat operations) / ", num(cap), " per manager = ", num(load / cap), " managers"});
  if (needed > v.managers) {
    r.verdict = Verdict::recommend;
    r.advice = "Add " + std::to_string(needed - v.managers) + " manager(s): volume exceeds capacity";
    r.reason = calc + ", rounded up to " + std::to_string(needed) + " > " + std::to_string(v.managers) + " managers now (utilization " +
               percent(load / (cap * v.managers)) + ")";
  } else {
    r.verdict = Verdict::not_triggered;
    r.advice = "Headcount covers the volume";
    r.reason = calc + ", rounded up to " + std::to_string(needed) + " <= " + std::to_string(v.managers) +
               " managers now (utilization " + percent(load / (cap * v.managers)) + ")";
  }
  return r;
}

Recommendation specialization(const DepartmentVolumes& v, const VolumeDistribution& d) {
  const AdvisorThresholds& t = v.thresholds;
  Recommendation r;
  r.rule = d.axis + "_specialization";
  double total = 0;
  for (const auto& [value, volume] : d.values) total += volume;
  r.numbers = {{"total_volume", total},
               {"managers", static_cast<double>(v.managers)},
               {"threshold_min_share", t.specialist_min_share},
               {"threshold_min_managers", t.specialist_min_managers}};
  std::vector<std::string> picked;
  std::string details;
  for (const auto& [value, volume] : d.values) {
    const double share = total > 0 ? volume / total : 0;
    const double equivalent = share * v.managers;
    r.numbers.push_back({"share:" + value, share});
    const double rest = (1.0 - share) * v.managers;  // the work left for everyone else
    if (d.values.size() >= 2 && share >= t.specialist_min_share && equivalent >= t.specialist_min_managers &&
        rest >= t.specialist_min_managers) {
      picked.push_back(value);
      if (!details.empty()) details += "; ";
      details += value + " " + num(volume) + " of " + num(total) + " = " + percent(share) + " >= " +
                 percent(t.specialist_min_share) + ", " + num(equivalent) + " manager(s) of work >= " +
                 num(t.specialist_min_managers) + ", the rest " + num(rest) + " >= " + num(t.specialist_min_managers);
    }
  }
  if (!picked.empty()) {
    r.verdict = Verdict::recommend;
    r.advice = "Option: dedicated " + d.axis + " manager(s) for ";
    for (std::size_t i = 0; i < picked.size(); ++i) r.advice += (i ? ", " : "") + picked[i];
    r.reason = details;
  } else {
    r.verdict = Verdict::not_triggered;
    r.advice = "No " + d.axis + " carries enough volume for dedicated managers";
    r.reason = d.values.size() < 2 ? "fewer than two " + d.axis + " values"
                                   : "no " + d.axis + " has a share >= " + percent(t.specialist_min_share) +
                                         " that keeps >= " + num(t.specialist_min_managers) +
                                         " manager(s) busy while the other values keep as many busy";
  }
  return r;
}

Recommendation enterprise(const DepartmentVolumes& v, const VolumeDistribution* tiers) {
  const AdvisorThresholds& t = v.thresholds;
  Recommendation r;
  r.rule = "enterprise_experienced_managers";
  double volume = 0;
  double total = 0;
  if (tiers) {
    for (const auto& [value, amount] : tiers->values) {
      total += amount;
      if (value == t.enterprise_tier) volume += amount;
    }
  }
  r.numbers = {{"enterprise_volume", volume}, {"tier_total_volume", total}};
  if (volume > 0) {
    r.verdict = Verdict::recommend;
    r.advice = "Give " + t.enterprise_tier + " clients to experienced managers (tenders, long approval cycles)";
    r.reason = t.enterprise_tier + " volume " + num(volume) + " of " + num(total) + " (" + percent(volume / total) +
               ") > 0";
  } else {
    r.verdict = Verdict::not_triggered;
    r.advice = "No " + t.enterprise_tier + " volume";
    r.reason = tiers ? "tier '" + t.enterprise_tier + "' has no volume" : "no tier distribution given";
  }
  return r;
}

}  // namespace

std::string_view to_string(Verdict v) noexcept {
  switch (v) {
    case Verdict::recommend: return "recommend";
    case Verdict::not_recommended: return "not_recommended";
    case Verdict::not_triggered: return "not_triggered";
  }
  return "not_triggered";
}

Advice advise(const DepartmentVolumes& v) {
  Advice a;
  a.recommendations.push_back(inbound_outbound(v));
  a.recommendations.push_back(new_repeat_small_market(v));
  a.recommendations.push_back(hunter_account(v));
  a.recommendations.push_back(capacity(v));
  const VolumeDistribution* tiers = nullptr;
  for (const VolumeDistribution& d : v.distributions) {
    a.recommendations.push_back(specialization(v, d));
    if (d.axis == "tier") tiers = &d;
  }
  a.recommendations.push_back(enterprise(v, tiers));

  for (const WorkloadSegment& s : v.workload) {
    WorkloadHeadcount w;
    w.name = s.name;
    w.hours_per_month = s.clients * s.contacts_per_client_per_month * s.minutes_per_contact / 60.0;
    w.managers_exact =
        v.selling_hours_per_manager_per_month > 0 ? w.hours_per_month / v.selling_hours_per_manager_per_month : 0;
    w.managers = ceil_count(w.managers_exact);
    a.workload_hours_total += w.hours_per_month;
    a.workload.push_back(std::move(w));
  }
  if (v.selling_hours_per_manager_per_month > 0) {
    a.workload_managers_exact = a.workload_hours_total / v.selling_hours_per_manager_per_month;
  }
  a.workload_managers = ceil_count(a.workload_managers_exact);
  return a;
}

}  // namespace dealflow::routing
