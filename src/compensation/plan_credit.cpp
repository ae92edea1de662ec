// Compensation plans: splits from CSV, overlays, the checks across plans and
// participants, and the small accessors of dealflow/compensation/plan.h.
#include <algorithm>
#include <array>

#include "compensation/plan_detail.h"

namespace dealflow::compensation {

std::string_view to_string(Role v) noexcept {
  static constexpr std::array<std::string_view, 3> kNames = {"rep", "head", "other"};
  return kNames[static_cast<std::size_t>(v)];
}
std::string_view to_string(Measure v) noexcept {
  static constexpr std::array<std::string_view, 3> kNames = {"won_amount", "margin", "won_count"};
  return kNames[static_cast<std::size_t>(v)];
}
const Assignment* Participant::in_force(Date d) const noexcept {
  const Assignment* found = nullptr;
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const Assignment& a = assignments[i];
    if (a.from > d) break;
    const bool ended = (a.to && *a.to < d) || (i + 1 < assignments.size() && assignments[i + 1].from <= d);
    found = ended ? nullptr : &a;
  }
  return found;
}

namespace {

// The position of `key` in `items` (whose `field` is the id), by the index
// when it is current (same size, and the entry found names the key), else by
// a linear scan.
template <class T, class Field>
const T* lookup(const std::vector<T>& items, Field field, std::string_view key,
                const std::unordered_map<std::string, std::uint32_t>* index) {
  if (index != nullptr && index->size() == items.size()) {
    auto it = index->find(std::string(key));
    if (it == index->end()) return nullptr;
    if (it->second < items.size() && items[it->second].*field == key) return &items[it->second];
  }
  for (const T& item : items)
    if (item.*field == key) return &item;
  return nullptr;
}

}  // namespace

const RatePlan* CompensationPlan::find_plan(std::string_view id) const {
  return lookup(plans, &RatePlan::id, id, index ? &index->plans : nullptr);
}
const Participant* CompensationPlan::find_participant(std::string_view manager_id) const {
  return lookup(participants, &Participant::manager, manager_id, index ? &index->participants : nullptr);
}
const Split* CompensationPlan::find_split(std::string_view deal) const {
  return lookup(splits, &Split::deal, deal, index ? &index->splits : nullptr);
}
void CompensationPlan::reindex() {
  auto x = std::make_shared<Index>();
  for (std::uint32_t i = 0; i < plans.size(); ++i) x->plans.emplace(plans[i].id, i);
  for (std::uint32_t i = 0; i < participants.size(); ++i) x->participants.emplace(participants[i].manager, i);
  for (std::uint32_t i = 0; i < splits.size(); ++i) x->splits.emplace(splits[i].deal, i);
  for (const routing::Manager& m : team.managers()) x->manager_names.emplace(m.name, m.key);
  index = std::move(x);
}
std::string CompensationPlan::manager_key(std::string_view id_or_name) const {
  if (id_or_name.empty()) return {};
  if (auto id = team.find_manager(id_or_name)) return team.manager(*id).key;
  if (index) {
    auto it = index->manager_names.find(std::string(id_or_name));
    return it == index->manager_names.end() ? std::string() : it->second;
  }
  for (const routing::Manager& m : team.managers())
    if (m.name == id_or_name) return m.key;
  return {};
}
ClawbackPolicy CompensationPlan::clawback_policy(const RatePlan& plan) const noexcept {
  if (plan.clawback_policy) return *plan.clawback_policy;
  return clawback ? clawback->policy : ClawbackPolicy::historic_rate;
}

namespace detail {
namespace {

bool is_ancestor(const routing::TeamModel& team, TeamId a, TeamId b) {
  for (std::optional<TeamId> t = b; t; t = team.team(*t).parent)
    if (*t == a) return true;
  return false;
}

bool dates_meet(const Overlay& a, const Overlay& b) {
  const bool a_before = a.to && b.from && *a.to < *b.from;
  const bool b_before = b.to && a.from && *b.to < *a.from;
  return !a_before && !b_before;
}

// Whether a component reads attainment (needs a quota).
bool uses_quota(const Component& c) {
  if (c.kind != ComponentKind::commission) return false;
  return c.rate.basis == TierBasis::attainment && c.rate.kind != StructureKind::flat &&
                 c.rate.kind != StructureKind::per_deal
             ? true
             : !c.rate.modifiers.empty() || c.rate.gate.has_value() || c.measure_cap_bp.has_value();
}

// A validate() path of RateSpec as the plan file's key under the component.
std::string plan_key(std::string_view spec_path) {
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"/cap_per_deal", "/caps/per_deal"},
      {"/cap_per_period", "/caps/per_period"},
      {"/cap_total", "/caps"},
      {"/gate", "/gate"},
      {"/tiers", "/rate/tiers"},
      {"/modifiers", "/rate/modifiers"},
      {"/per_deal_amount", "/rate/amount"},
      {"/quota", "/rate"}};
  for (const auto& [from, to] : kMap)
    if (spec_path.starts_with(from)) {
      std::string rest(spec_path.substr(from.size()));
      if (from == "/modifiers") {
        if (auto p = rest.find("/multiplier"); p != std::string::npos) rest.replace(p, 11, "/factor");
        if (auto p = rest.find("/lift_at_bp"); p != std::string::npos) rest.replace(p, 11, "/lifted_at");
      }
      if (from == "/gate" || from == "/quota" || from == "/cap_total") rest.clear();
      return std::string(to) + rest;
    }
  return "";
}

}  // namespace

Status add_split(CompensationPlan& plan, Split s, const std::map<std::string, std::string>& seen,
                 const std::function<Status(std::string_view, std::string)>& err) {
  if (auto it = seen.find(s.deal); it != seen.end())
    return err("deal",
               "deal " + s.deal + " is already split at " + it->second + ": expected one split per deal");
  std::int64_t sum = 0;
  for (const SplitShare& sh : s.shares) sum += sh.share_bp;
  if (sum != 10000)
    return err("shares", "the shares of deal " + s.deal + " sum to " + show_bp(sum) + ": expected 100%");
  plan.splits.push_back(std::move(s));
  return Status::ok_status();
}

Status read_splits_csv(CsvReader& csv, CompensationPlan& plan, std::map<std::string, std::string>& seen) {
  DEALFLOW_RETURN_IF_ERROR(csv.read_header());
  std::array<std::size_t, 3> col{};
  static constexpr std::array<std::string_view, 3> kColumns = {"deal_id", "manager", "share"};
  for (std::size_t k = 0; k < 3; ++k) {
    auto c = csv.require_column(kColumns[k]);
    if (!c) return c.status();
    col[k] = *c;
  }
  // Rows of one deal are consecutive or not: gather them by deal, in first-row order.
  struct Pending {
    Split split;
    int first_line = 0;
  };
  std::vector<Pending> pending;
  std::vector<std::string_view> fields;
  while (true) {
    auto more = csv.next(fields);
    if (!more) return more.status();
    if (!*more) break;
    const std::string deal(fields[col[0]]);
    if (deal.empty()) return csv.field_error(col[0], "empty: expected a deal id");
    const Json name = std::string(fields[col[1]]);
    const JsonReader name_node(name, csv.file_name());
    auto manager = read_manager(name_node, plan);
    if (!manager) return csv.field_error(col[1], manager.status().message());
    const Json share_text = std::string(fields[col[2]]);
    auto share = read_share(JsonReader(share_text, csv.file_name()));
    if (!share) return csv.field_error(col[2], share.status().message());
    auto it =
        std::find_if(pending.begin(), pending.end(), [&](const Pending& p) { return p.split.deal == deal; });
    if (it == pending.end()) {
      if (auto s = seen.find(deal); s != seen.end())
        return csv.field_error(
            col[0], "deal " + deal + " is already split at " + s->second + ": expected one split per deal");
      Pending p;
      p.split.deal = deal;
      p.split.where = csv.file_name() + ":" + std::to_string(csv.line());
      p.first_line = csv.line();
      pending.push_back(std::move(p));
      it = pending.end() - 1;
    }
    for (const SplitShare& o : it->split.shares)
      if (o.manager == *manager)
        return csv.field_error(col[1], "'" + *manager + "': a manager twice in the split of deal " + deal +
                                           ": expected one share each");
    it->split.shares.push_back({*manager, *share});
  }
  for (Pending& p : pending) {
    const int line = p.first_line;
    DEALFLOW_RETURN_IF_ERROR(
        add_split(plan, std::move(p.split), seen, [&](std::string_view, std::string msg) {
          return Status(ErrorCode::validation_failed, std::move(msg), Location{csv.file_name(), line, 1, ""});
        }));
    seen.emplace(plan.splits.back().deal, plan.splits.back().where);
  }
  return Status::ok_status();
}

Status read_overlays(const JsonReader& root, CompensationPlan& plan) {
  auto list = root.array("overlays");
  if (!list) return list.status();
  for (const JsonReader& node : *list) {
    DEALFLOW_RETURN_IF_ERROR(node.require_object());
    DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys({"team", "manager", "share", "from", "to", "note"}));
    Overlay o;
    o.path = node.path();
    auto team = node.required_string("team");
    if (!team) return team.status();
    auto team_id = plan.team.find_team(*team);
    if (!team_id) return node.error_at("team", "'" + *team + "': not a team of " + plan.team_file);
    o.team = *team;
    o.team_id = *team_id;
    if (auto m = node.get("manager")) {
      auto id = read_manager(*m, plan);
      if (!id) return id.status();
      o.manager = *id;
    } else if (auto head = plan.team.team(*team_id).head) {
      o.manager = plan.team.manager(*head).key;
    } else {
      return node.error("team '" + *team + "' has no head in " + plan.team_file + ": expected \"manager\"");
    }
    if (auto s = node.get("share")) {
      auto share = read_share(*s);
      if (!share) return share.status();
      o.share_bp = *share;
    }
    for (auto [key, out] : {std::pair<const char*, std::optional<Date>*>{"from", &o.from}, {"to", &o.to}}) {
      if (auto d_node = node.get(key)) {
        auto d = read_date(*d_node, plan.utc_offset_minutes);
        if (!d) return d.status();
        *out = *d;
      }
    }
    if (o.from && o.to && *o.to < *o.from)
      return node.error_at("to", "'" + o.to->to_string() + "' is before from " + o.from->to_string() +
                                     ": expected to >= from");
    for (const Overlay& other : plan.overlays) {
      if (other.manager != o.manager || !dates_meet(other, o)) continue;
      const bool sub = is_ancestor(plan.team, other.team_id, o.team_id);
      if (sub || is_ancestor(plan.team, o.team_id, other.team_id)) {
        const std::string rel = other.team == o.team ? "'" + o.team + "' twice"
                                : sub                ? "'" + o.team + "', a sub-team of '" + other.team + "'"
                                                     : "'" + o.team + "', the parent of '" + other.team + "'";
        return node.error(o.manager + " has overlay credit over " + rel + " (at " + other.path +
                          "): expected one overlay per deal");
      }
    }
    plan.overlays.push_back(std::move(o));
  }
  return Status::ok_status();
}

Status check_cross(const JsonReader& root, const CompensationPlan& plan) {
  const std::string file = root.file();
  auto at = [&](const std::string& path, std::string msg) {
    return Status(ErrorCode::validation_failed, std::move(msg), Location{file, 0, 0, path});
  };
  for (const Participant& p : plan.participants) {
    for (const Assignment& a : p.assignments) {
      const RatePlan& rp = plan.plans[a.plan];
      if (rp.cap_total_ti_factor && !a.target_incentive) {
        return at(
            rp.path + "/cap_total",
            "'" + root.node().at(nlohmann::json::json_pointer(rp.path + "/cap_total")).get<std::string>() +
                "': assignment at " + a.path + " has no target_incentive");
      }
      for (const Component& c : rp.components) {
        if (c.pays == Pays::target_incentive && !a.target_incentive)
          return at(c.path + "/rate/pays",
                    "'target_incentive': assignment at " + a.path + " has no target_incentive");
        if (!uses_quota(c)) continue;
        if (a.quota.kind == Quota::Kind::none) {
          return at(a.path,
                    "no quota: plan '" + rp.id + "' component '" + c.id +
                        "' reads attainment: expected \"quota\" (\"from_plan\", an amount or a count)");
        }
        if (a.quota.kind == Quota::Kind::from_plan) continue;
        if (a.quota.is_count != (c.measure == Measure::won_count)) {
          return at(a.path + "/quota", std::string(a.quota.is_count ? "a count" : "an amount") +
                                           ": component '" + c.id + "' of plan '" + rp.id + "' measures " +
                                           std::string(to_string(c.measure)) + ": expected " +
                                           (a.quota.is_count ? "an amount" : "a count"));
        }
        // Caps below a threshold's payout are decided here when the quota is inline.
        std::vector<std::pair<std::string, std::int64_t>> quotas;
        if (a.quota.kind == Quota::Kind::fixed) quotas.emplace_back("", a.quota.value);
        for (const auto& [label, v] : a.quota.per_period) quotas.emplace_back(label, v);
        for (const auto& [label, v] : quotas) {
          if (c.pays != Pays::rate || v <= 0) continue;
          RateSpec spec = c.rate;
          spec.quota = Money(v, plan.currency);
          Status s = validate(spec);
          if (s.ok()) continue;
          const std::string key = plan_key(s.location().json_path);
          return at(c.path + key, s.message() + " (with the quota " + show_amount(v, plan.currency) +
                                      (label.empty() ? "" : " of " + label) + " at " + a.path + ")");
        }
      }
    }
  }
  return Status::ok_status();
}

}  // namespace detail
}  // namespace dealflow::compensation
