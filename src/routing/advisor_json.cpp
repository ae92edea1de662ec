// The volumes file: see include/dealflow/routing/advisor_json.h and docs/staffing.md.
#include "dealflow/routing/advisor_json.h"

#include <algorithm>
#include <cmath>

namespace dealflow::routing {

namespace {

std::string shown(const Json& j) { return j.is_number() ? j.dump() : std::string(json_type_name(j)); }

// A number member that must be finite and >= 0 (or > 0 when `positive`).
Status read_count(const JsonReader& r, std::string_view key, double& out, bool required, bool positive = false) {
  auto child = r.get(key);
  if (!child || child->node().is_null()) {
    if (required) return r.error_at(key, "required number '" + std::string(key) + "' is missing");
    return {};
  }
  const Json& n = child->node();
  if (!n.is_number()) return child->error("expected a number, got " + shown(n));
  const double v = n.get<double>();
  if (!std::isfinite(v) || v < 0 || (positive && v == 0)) {
    return child->error(std::string("expected a number ") + (positive ? "> 0" : ">= 0") + ", got " + n.dump());
  }
  out = v;
  return {};
}

Status read_share(const JsonReader& r, std::string_view key, double& out) {
  auto child = r.get(key);
  if (!child) return {};
  const Json& n = child->node();
  if (!n.is_number() || n.get<double>() < 0 || n.get<double>() > 1) {
    return child->error("expected a share in [0, 1], got " + shown(n));
  }
  out = n.get<double>();
  return {};
}

Status read_thresholds(const JsonReader& r, AdvisorThresholds& t) {
  DEALFLOW_RETURN_IF_ERROR(r.require_object());
  DEALFLOW_RETURN_IF_ERROR(r.reject_unknown_keys({"inbound_outbound_min_clients", "hunter_account_min_per_manager",
                                                  "new_repeat_max_market_clients", "specialist_min_share",
                                                  "specialist_min_managers", "enterprise_tier"}));
  DEALFLOW_RETURN_IF_ERROR(read_count(r, "inbound_outbound_min_clients", t.inbound_outbound_min_clients, false));
  DEALFLOW_RETURN_IF_ERROR(read_count(r, "hunter_account_min_per_manager", t.hunter_account_min_per_manager, false));
  DEALFLOW_RETURN_IF_ERROR(read_count(r, "new_repeat_max_market_clients", t.new_repeat_max_market_clients, false));
  DEALFLOW_RETURN_IF_ERROR(read_share(r, "specialist_min_share", t.specialist_min_share));
  DEALFLOW_RETURN_IF_ERROR(read_count(r, "specialist_min_managers", t.specialist_min_managers, false));
  auto tier = r.optional_string("enterprise_tier", t.enterprise_tier);
  if (!tier) return tier.status();
  if (tier->empty()) return r.error_at("enterprise_tier", "'enterprise_tier' must not be empty");
  t.enterprise_tier = *tier;
  return {};
}

Status read_distributions(const JsonReader& r, std::vector<VolumeDistribution>& out) {
  DEALFLOW_RETURN_IF_ERROR(r.require_object());
  DEALFLOW_RETURN_IF_ERROR(r.reject_unknown_keys({"region", "product", "tier"}));
  for (std::string_view axis : {"region", "product", "tier"}) {  // fixed axis order
    auto node = r.get(axis);
    if (!node) continue;
    DEALFLOW_RETURN_IF_ERROR(node->require_object());
    VolumeDistribution d;
    d.axis = std::string(axis);
    for (auto it = node->node().begin(); it != node->node().end(); ++it) {
      double volume = 0;
      DEALFLOW_RETURN_IF_ERROR(read_count(*node, it.key(), volume, true));
      if (it.key().empty()) return node->error_at(it.key(), "a " + d.axis + " value must not be empty");
      d.values.emplace_back(it.key(), volume);
    }
    // Largest volume first, then by name (byte order): a defined order.
    std::stable_sort(d.values.begin(), d.values.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    out.push_back(std::move(d));
  }
  return {};
}

Status read_workload(const JsonReader& r, DepartmentVolumes& v) {
  DEALFLOW_RETURN_IF_ERROR(r.require_object());
  DEALFLOW_RETURN_IF_ERROR(r.reject_unknown_keys({"selling_hours_per_manager_per_month", "segments"}));
  auto segments = r.array("segments", true);
  if (!segments) return segments.status();
  if (!segments->empty()) {
    DEALFLOW_RETURN_IF_ERROR(read_count(r, "selling_hours_per_manager_per_month", v.selling_hours_per_manager_per_month,
                                        true, true));
  }
  for (const JsonReader& s : *segments) {
    DEALFLOW_RETURN_IF_ERROR(s.require_object());
    DEALFLOW_RETURN_IF_ERROR(
        s.reject_unknown_keys({"name", "clients", "contacts_per_client_per_month", "minutes_per_contact"}));
    WorkloadSegment w;
    auto name = s.required_string("name");
    if (!name) return name.status();
    w.name = *name;
    DEALFLOW_RETURN_IF_ERROR(read_count(s, "clients", w.clients, true));
    DEALFLOW_RETURN_IF_ERROR(read_count(s, "contacts_per_client_per_month", w.contacts_per_client_per_month, true));
    DEALFLOW_RETURN_IF_ERROR(read_count(s, "minutes_per_contact", w.minutes_per_contact, true));
    v.workload.push_back(std::move(w));
  }
  return {};
}

}  // namespace

Result<DepartmentVolumes> parse_volumes(const Json& document, std::string_view file_name) {
  JsonReader root(document, std::string(file_name));
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(root.reject_unknown_keys({"name", "clients_in_market", "inbound_requests",
                                                     "outbound_targets", "new_operations", "repeat_operations",
                                                     "managers", "manager_capacity", "distributions", "workload",
                                                     "thresholds"}));
  DepartmentVolumes v;
  auto name = root.optional_string("name", "");
  if (!name) return name.status();
  v.name = *name;
  DEALFLOW_RETURN_IF_ERROR(read_count(root, "clients_in_market", v.clients_in_market, true));
  DEALFLOW_RETURN_IF_ERROR(read_count(root, "inbound_requests", v.inbound_requests, false));
  DEALFLOW_RETURN_IF_ERROR(read_count(root, "outbound_targets", v.outbound_targets, false));
  DEALFLOW_RETURN_IF_ERROR(read_count(root, "new_operations", v.new_operations, false));
  DEALFLOW_RETURN_IF_ERROR(read_count(root, "repeat_operations", v.repeat_operations, false));
  auto managers_node = root.get("managers");
  if (!managers_node) return root.error_at("managers", "required integer 'managers' is missing");
  const Json& m = managers_node->node();
  if (!(m.is_number_integer() || m.is_number_unsigned()) || m.get<std::int64_t>() < 1 ||
      m.get<std::int64_t>() > 1'000'000) {
    return managers_node->error("expected a whole number of managers in [1, 1000000], got " + shown(m));
  }
  v.managers = static_cast<std::uint32_t>(m.get<std::int64_t>());
  if (root.has("manager_capacity")) {
    double cap = 0;
    DEALFLOW_RETURN_IF_ERROR(read_count(root, "manager_capacity", cap, true, true));
    v.manager_capacity = cap;
  }
  if (auto d = root.get("distributions")) DEALFLOW_RETURN_IF_ERROR(read_distributions(*d, v.distributions));
  if (auto w = root.get("workload")) DEALFLOW_RETURN_IF_ERROR(read_workload(*w, v));
  if (auto t = root.get("thresholds")) DEALFLOW_RETURN_IF_ERROR(read_thresholds(*t, v.thresholds));
  return v;
}

Result<DepartmentVolumes> load_volumes_file(const std::string& path) {
  Result<Json> doc = load_json_file(path);
  if (!doc) return doc.status();
  return parse_volumes(*doc, path);
}

}  // namespace dealflow::routing
