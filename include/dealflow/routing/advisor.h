// dealflow/routing/advisor.h: how to specialize a sales department, from its
// monthly volumes.
//
// `advise` applies the rules of thumb of sales-department practice
// (docs/staffing.md, DOMAIN.md §1) to a department's monthly volumes and says
// which specializations pay off: an inbound/outbound split when the market has
// hundreds or thousands of clients; hunters vs account managers when each
// manager handles more than several hundred requests or operations a month;
// no new/repeat split when the whole market is about a hundred clients or
// fewer; dedicated managers for a region, product or tier that carries a large
// share of the volume; experienced managers for Enterprise deals; more
// headcount when volume exceeds capacity. Every rule is evaluated and reported
// (fired or not) with the numbers and the threshold it compared, so a head of
// sales can check the reasoning. It also computes the workload headcount for
// outbound / account management: clients × contacts per month × minutes per
// contact ÷ selling time per manager.
//
// Thresholds live in `AdvisorThresholds` (defaults documented there and in
// docs/staffing.md) and can be overridden in the volumes file
// (dealflow/routing/advisor_json.h).
//
// Thread-safety: `advise` is a pure function of its argument.
//
// Example:
//   dealflow::routing::DepartmentVolumes v;
//   v.clients_in_market = 2500; v.inbound_requests = 1200; v.outbound_targets = 800;
//   v.new_operations = 300; v.repeat_operations = 900; v.managers = 5;
//   dealflow::routing::Advice a = dealflow::routing::advise(v);
//   for (const auto& r : a.recommendations)
//     if (r.verdict == dealflow::routing::Verdict::recommend) std::cout << r.advice << ": " << r.reason << "\n";
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dealflow::routing {

// Where each rule flips. Comparisons are stated per field (≥, >, ≤).
struct AdvisorThresholds {
  // inbound/outbound split when clients_in_market ≥ this ("hundreds or thousands, not tens").
  double inbound_outbound_min_clients = 100;
  // hunter / account-manager split when requests + operations per manager per month > this
  // ("more than several hundred").
  double hunter_account_min_per_manager = 300;
  // no new/repeat split when clients_in_market ≤ this ("about a hundred clients or fewer").
  double new_repeat_max_market_clients = 100;
  // a region/product/tier value earns dedicated managers when its share of the axis volume
  // is ≥ this ...
  double specialist_min_share = 0.25;
  // ... and share × managers ≥ this (it keeps at least this many managers busy),
  // and (1 − share) × managers ≥ this too (the other values still need
  // managers of their own, so there is something to split).
  double specialist_min_managers = 1.0;
  // the tier value that names large corporate clients.
  std::string enterprise_tier = "Enterprise";
};

// Monthly volume per value of one axis (region, product or tier), in any one
// unit (requests + operations, or revenue); only the shares are used.
struct VolumeDistribution {
  std::string axis;  // "region", "product", "tier"
  // The advisor keeps this order in its reasons and numbers; parse_volumes
  // gives largest volume first, ties by name (byte order), not file order.
  std::vector<std::pair<std::string, double>> values;
};

// A group of clients contacted on a schedule (account management, outbound).
struct WorkloadSegment {
  std::string name;
  double clients = 0;
  double contacts_per_client_per_month = 0;
  double minutes_per_contact = 0;
};

// A department's volumes per month. Counts are ≥ 0 (fractions allowed: averages).
struct DepartmentVolumes {
  std::string name;
  double clients_in_market = 0;   // potential + current clients the department can serve
  double inbound_requests = 0;    // incoming requests ("passive" sales) per month
  double outbound_targets = 0;    // prospects to contact ("active" sales) per month
  double new_operations = 0;      // deals/orders with new clients per month
  double repeat_operations = 0;   // deals/orders with existing clients per month
  std::uint32_t managers = 1;     // managers selling now, ≥ 1
  // Requests + operations one manager can handle per month; none = not checked.
  std::optional<double> manager_capacity;
  std::vector<VolumeDistribution> distributions;  // region / product / tier
  std::vector<WorkloadSegment> workload;
  double selling_hours_per_manager_per_month = 0;  // needed when `workload` is not empty
  AdvisorThresholds thresholds;
};

enum class Verdict {
  recommend,        // the rule fired: do this
  not_recommended,  // the rule fired: do not do this
  not_triggered,    // the rule's condition is not met (reported so the reasoning is visible)
};

// A number that entered a rule (input, derived value or threshold).
struct AdviceNumber {
  std::string name;
  double value = 0;
};

struct Recommendation {
  std::string rule;    // stable id, e.g. "inbound_outbound_split" (docs/staffing.md)
  Verdict verdict = Verdict::not_triggered;
  std::string advice;  // what to do, one sentence
  std::string reason;  // the rule with its numbers, e.g. "clients in market 2500 >= 100 and ..."
  std::vector<AdviceNumber> numbers;
};

struct WorkloadHeadcount {
  std::string name;
  double hours_per_month = 0;  // clients × contacts × minutes / 60
  double managers_exact = 0;   // hours / selling hours per manager
  std::uint32_t managers = 0;  // ceil(managers_exact)
};

struct Advice {
  // In a fixed order: inbound_outbound_split, new_repeat_small_market,
  // hunter_account_split, capacity_headcount, then per distribution in input
  // order <axis>_specialization, then enterprise_experienced_managers.
  std::vector<Recommendation> recommendations;
  std::vector<WorkloadHeadcount> workload;  // in input order
  double workload_hours_total = 0;
  double workload_managers_exact = 0;
  std::uint32_t workload_managers = 0;  // ceil of the exact total (not the sum of ceilings)
};

// Applies every rule. Assumes validated volumes (the loader checks ranges).
Advice advise(const DepartmentVolumes& volumes);

std::string_view to_string(Verdict v) noexcept;

}  // namespace dealflow::routing
