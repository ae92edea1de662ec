// Compensation plan files (dealflow/compensation/plan.h): the top level,
// participants and assignments, splits and overlays, and the checks that span
// them (a cap in target incentives without one, quota from a missing plan).
#include "dealflow/compensation/plan.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "compensation/plan_detail.h"
#include "dealflow/io/csv.h"
#include "dealflow/routing/routing_json.h"
#include "planning/plan_detail.h"

namespace dealflow::compensation {
namespace {

using detail::read_string;

// "known: m-egorov, m-fedorov, ..." (at most 6, ascending ids).
std::string known_managers(const routing::TeamModel& team) {
  std::string out;
  std::size_t n = 0;
  for (ManagerId id : team.managers_by_rank()) {
    if (n == 6) return out + ", ...";
    out += std::string(n++ ? ", " : "") + team.manager(id).key;
  }
  return out;
}

}  // namespace

// A manager id of the team file, or a display name resolved to its id.
Result<std::string> detail::read_manager(const JsonReader& node, const CompensationPlan& plan) {
  auto s = read_string(node, "a manager id of the team file");
  if (!s) return s.status();
  if (std::string key = plan.manager_key(*s); !key.empty()) return key;
  return node.error("'" + *s + "': not a manager of " + plan.team_file +
                    " (known: " + known_managers(plan.team) + ")");
}

namespace {
using detail::read_manager;

Result<Quota> read_quota(const JsonReader& node, const CompensationPlan& plan) {
  Quota q;
  const Json& j = node.node();
  if (j.is_string() && j.get<std::string>() == "from_plan") {
    if (!plan.quota_plan) return node.error("'from_plan': expected \"quota_plan\" in the plan file");
    q.kind = Quota::Kind::from_plan;
    return q;
  }
  auto value = [&](const JsonReader& v) -> Result<std::int64_t> {
    if (v.node().is_number()) {
      auto n = detail::read_count(v);
      if (!n) return n.status();
      if (*n > INT64_MAX / kCountUnit) return v.error(detail::quoted(v) + ": expected a smaller count");
      q.is_count = true;
      return *n * kCountUnit;
    }
    auto m = detail::read_money(v, plan.currency, "a quota");
    if (!m) return m.status();
    return m->minor_units();
  };
  if (j.is_object()) {
    q.kind = Quota::Kind::per_period;
    std::optional<bool> counts;
    for (const auto& [key, unused] : j.items()) {
      const JsonReader v = *node.get(key);
      auto period = planning::parse_period(key, plan.fiscal_start_month);
      if (!period || period->kind != plan.period) {
        return v.error("'" + key + "': expected a period of the plan's length (" +
                       std::string(planning::to_string(plan.period)) + ") such as 2024-Q3");
      }
      auto n = value(v);
      if (!n) return n.status();
      if (counts && *counts != q.is_count)
        return v.error("mixes counts and amounts: expected every period's quota of one kind");
      counts = q.is_count;
      q.per_period.emplace(period->label, *n);
    }
    if (q.per_period.empty()) return node.error("an empty object: expected {period: quota}");
    return q;
  }
  if (j.is_string() || j.is_number()) {
    auto n = value(node);
    if (!n) return n.status();
    q.kind = Quota::Kind::fixed;
    q.value = *n;
    return q;
  }
  return node.error(std::string(json_type_name(j)) +
                    ": expected \"from_plan\", an amount, a count or {period: quota}");
}

Result<Draw> read_draw(const JsonReader& node, const CompensationPlan& plan) {
  DEALFLOW_RETURN_IF_ERROR(node.require_object());
  DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys({"type", "amount", "at_end", "note"}));
  Draw d;
  auto type = node.required_string("type");
  if (!type) return type.status();
  if (*type == "non_recoverable")
    d.type = DrawType::non_recoverable;
  else if (*type != "recoverable")
    return node.error_at("type", "'" + *type + "': expected recoverable or non_recoverable");
  auto amount_node = node.get("amount");
  if (!amount_node) return node.error("missing \"amount\": expected the draw per period such as 40000.00");
  auto amount = detail::read_money(*amount_node, plan.currency, "a draw");
  if (!amount) return amount.status();
  if (!amount->is_positive())
    return amount_node->error("'" + amount->to_string() + "': expected a draw above 0");
  d.amount = *amount;
  auto at_end = node.optional_string("at_end", "carry");
  if (!at_end) return at_end.status();
  if (*at_end == "forgive")
    d.at_end = DrawAtEnd::forgive;
  else if (*at_end != "carry")
    return node.error_at("at_end", "'" + *at_end + "': expected carry or forgive");
  return d;
}

std::string plan_ids(const CompensationPlan& plan) {
  std::string out;
  for (const RatePlan& p : plan.plans) out += (out.empty() ? "" : ", ") + p.id;
  return out;
}

Result<Assignment> read_assignment(const JsonReader& node, const CompensationPlan& plan) {
  DEALFLOW_RETURN_IF_ERROR(node.require_object());
  DEALFLOW_RETURN_IF_ERROR(
      node.reject_unknown_keys({"plan", "from", "to", "target_incentive", "quota", "draw", "note"}));
  Assignment a;
  a.path = node.path();
  auto plan_id = node.required_string("plan");
  if (!plan_id) return plan_id.status();
  const auto it =
      std::find_if(plan.plans.begin(), plan.plans.end(), [&](const RatePlan& p) { return p.id == *plan_id; });
  if (it == plan.plans.end())
    return node.error_at("plan", "'" + *plan_id + "': expected a plan id (" + plan_ids(plan) + ")");
  a.plan = static_cast<std::uint32_t>(it - plan.plans.begin());
  auto from_node = node.get("from");
  if (!from_node) return node.error("missing \"from\": expected the first date in force such as 2024-01-01");
  auto from = detail::read_date(*from_node, plan.utc_offset_minutes);
  if (!from) return from.status();
  a.from = *from;
  if (auto to_node = node.get("to")) {
    auto to = detail::read_date(*to_node, plan.utc_offset_minutes);
    if (!to) return to.status();
    if (*to < a.from)
      return to_node->error("'" + to->to_string() + "' is before from " + a.from.to_string() +
                            ": expected to >= from");
    a.to = *to;
  }
  if (auto ti = node.get("target_incentive")) {
    auto m = detail::read_money(*ti, plan.currency, "a target incentive");
    if (!m) return m.status();
    a.target_incentive = *m;
  }
  if (auto q = node.get("quota")) {
    auto quota = read_quota(*q, plan);
    if (!quota) return quota.status();
    a.quota = std::move(*quota);
  }
  if (auto d = node.get("draw")) {
    auto draw = read_draw(*d, plan);
    if (!draw) return draw.status();
    a.draw = *draw;
  }
  return a;
}

Result<Participant> read_participant(const JsonReader& node, const CompensationPlan& plan) {
  DEALFLOW_RETURN_IF_ERROR(node.require_object());
  DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys({"manager", "role", "assignments", "note"}));
  Participant p;
  p.path = node.path();
  auto m_node = node.get("manager");
  if (!m_node) return node.error("missing \"manager\": expected a manager id of " + plan.team_file);
  auto manager = read_manager(*m_node, plan);
  if (!manager) return manager.status();
  p.manager = *manager;
  p.manager_id = *plan.team.find_manager(p.manager);
  auto role = node.optional_string("role", "rep");
  if (!role) return role.status();
  if (*role == "head")
    p.role = Role::head;
  else if (*role == "other")
    p.role = Role::other;
  else if (*role != "rep")
    return node.error_at("role", "'" + *role + "': expected rep, head or other");
  auto list = node.array("assignments", true);
  if (!list) return list.status();
  if (list->empty()) return node.error_at("assignments", "empty: expected at least one assignment");
  for (const JsonReader& an : *list) {
    auto a = read_assignment(an, plan);
    if (!a) return a.status();
    p.assignments.push_back(std::move(*a));
  }
  // Ascending from; an assignment runs to its `to` or the day before the next one's from.
  std::vector<std::size_t> order(p.assignments.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return p.assignments[x].from < p.assignments[y].from;
  });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const Assignment& prev = p.assignments[order[k - 1]];
    const Assignment& cur = p.assignments[order[k]];
    if (cur.from == prev.from || (prev.to && *prev.to >= cur.from)) {
      const std::string runs =
          prev.to ? "runs to " + prev.to->to_string() : "starts on " + prev.from.to_string();
      return Status(ErrorCode::validation_failed,
                    "in force from " + cur.from.to_string() + " while the assignment at " + prev.path + " " +
                        runs + ": expected one assignment per date",
                    Location{node.file(), 0, 0, cur.path + "/from"});
    }
  }
  std::vector<Assignment> sorted;
  for (std::size_t i : order) sorted.push_back(std::move(p.assignments[i]));
  p.assignments = std::move(sorted);
  return p;
}

Status read_splits_json(const JsonReader& root, CompensationPlan& plan,
                        std::map<std::string, std::string>& seen) {
  auto list = root.array("splits");
  if (!list) return list.status();
  for (const JsonReader& node : *list) {
    DEALFLOW_RETURN_IF_ERROR(node.require_object());
    DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys({"deal", "shares", "note"}));
    Split s;
    s.where = node.path();
    auto deal = node.required_string("deal");
    if (!deal) return deal.status();
    if (deal->empty()) return node.error_at("deal", "empty: expected a deal id");
    s.deal = *deal;
    auto shares = node.array("shares", true);
    if (!shares) return shares.status();
    if (shares->empty()) return node.error_at("shares", "empty: expected at least one share");
    for (const JsonReader& sh : *shares) {
      DEALFLOW_RETURN_IF_ERROR(sh.require_object());
      DEALFLOW_RETURN_IF_ERROR(sh.reject_unknown_keys({"manager", "share"}));
      auto m_node = sh.get("manager");
      if (!m_node) return sh.error("missing \"manager\"");
      auto m = read_manager(*m_node, plan);
      if (!m) return m.status();
      for (const SplitShare& o : s.shares)
        if (o.manager == *m)
          return m_node->error("'" + *m + "': a manager twice in one split: expected one share each");
      auto share_node = sh.get("share");
      if (!share_node) return sh.error("missing \"share\": expected a share such as 60%");
      auto share = detail::read_share(*share_node);
      if (!share) return share.status();
      s.shares.push_back({*m, *share});
    }
    const std::string deal_id = s.deal;
    DEALFLOW_RETURN_IF_ERROR(detail::add_split(
        plan, std::move(s), seen,
        [&](std::string_view key, std::string msg) { return node.error_at(key, std::move(msg)); }));
    seen.emplace(deal_id, node.path());
  }
  return Status::ok_status();
}

}  // namespace

Result<CompensationPlan> parse_compensation_plan(const JsonReader& root, const std::string& base_dir) {
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(root.reject_unknown_keys(
      {"format", "name", "currency", "utc_offset", "fiscal_year_start", "period", "rounding", "team_file",
       "quota_plan", "payout", "clawback", "plans", "participants", "splits", "splits_csv", "overlays",
       "margin_field", "new_business_values", "note"}));
  CompensationPlan plan;
  plan.file = root.file();
  auto format = root.required_string("format");
  if (!format) return format.status();
  if (*format != "dealflow.compensation/1")
    return root.error_at("format", "'" + *format + "': expected dealflow.compensation/1");
  auto name = root.required_string("name");
  if (!name) return name.status();
  plan.name = *name;
  auto currency = root.required_string("currency");
  if (!currency) return currency.status();
  auto c = Currency::parse(*currency);
  if (!c)
    return root.error_at("currency", "'" + *currency + "': expected a 3-letter ISO 4217 code such as RUB");
  plan.currency = *c;
  auto offset = root.optional_string("utc_offset", "+00:00");
  if (!offset) return offset.status();
  auto minutes = parse_utc_offset(*offset);
  if (!minutes) return root.error_at("utc_offset", "'" + *offset + "': expected an offset such as +03:00");
  plan.utc_offset_minutes = *minutes;
  auto fiscal = root.optional_integer("fiscal_year_start", 1);
  if (!fiscal) return fiscal.status();
  if (*fiscal < 1 || *fiscal > 12)
    return root.error_at("fiscal_year_start", std::to_string(*fiscal) + ": expected a month 1 .. 12");
  plan.fiscal_start_month = static_cast<int>(*fiscal);
  auto period = root.optional_string("period", "quarter");
  if (!period) return period.status();
  static constexpr std::pair<std::string_view, planning::PeriodKind> kPeriods[] = {
      {"month", planning::PeriodKind::month},
      {"quarter", planning::PeriodKind::quarter},
      {"half", planning::PeriodKind::half_year},
      {"year", planning::PeriodKind::year}};
  const auto pk =
      std::find_if(std::begin(kPeriods), std::end(kPeriods), [&](auto& e) { return e.first == *period; });
  if (pk == std::end(kPeriods))
    return root.error_at("period", "'" + *period + "': expected month, quarter, half or year");
  plan.period = pk->second;
  auto rounding = root.optional_string("rounding", "half-even");
  if (!rounding) return rounding.status();
  if (*rounding == "half-up")
    plan.rounding = Rounding::half_up;
  else if (*rounding != "half-even")
    return root.error_at("rounding", "'" + *rounding + "': expected half-up or half-even");
  auto margin = root.optional_string("margin_field", "");
  if (!margin) return margin.status();
  plan.margin_field = *margin;
  if (root.has("new_business_values")) {
    auto values = root.string_array("new_business_values");
    if (!values) return values.status();
    if (values->empty())
      return root.error_at("new_business_values", "an empty list: expected at least one value");
    plan.new_business_values = *values;
  }
  // The team file and the quota plan, relative to the plan file.
  auto team_file = root.required_string("team_file");
  if (!team_file) return team_file.status();
  plan.team_file = (std::filesystem::path(base_dir) / *team_file).lexically_normal().string();
  auto team = routing::load_team_file(plan.team_file);
  if (!team) return team.status().with_context("\"team_file\" at " + root.file() + ": at /team_file");
  plan.team = std::move(*team);
  auto quota_plan = root.optional_string("quota_plan", "");
  if (!quota_plan) return quota_plan.status();
  if (!quota_plan->empty()) {
    plan.quota_plan_file = (std::filesystem::path(base_dir) / *quota_plan).lexically_normal().string();
    auto qp = planning::load_plan_file(plan.quota_plan_file);
    if (!qp) return qp.status().with_context("\"quota_plan\" at " + root.file() + ": at /quota_plan");
    plan.quota_plan = std::move(*qp);
  }
  // Payout timing and clawback.
  if (auto payout = root.get("payout")) {
    DEALFLOW_RETURN_IF_ERROR(payout->require_object());
    DEALFLOW_RETURN_IF_ERROR(payout->reject_unknown_keys({"on", "field", "note"}));
    auto on = payout->optional_string("on", "close");
    if (!on) return on.status();
    if (*on == "field") {
      plan.payout.on = PayoutOn::field;
      auto field = payout->optional_string("field", "");
      if (!field) return field.status();
      if (field->empty())
        return payout->error("missing \"field\": payout on a field needs the deal field of the date");
      if (*field == "amount" || *field == "manager")
        return payout->error_at("field",
                                "'" + *field + "': not a date field: expected a deal field holding a date");
      plan.payout.field = *field;
    } else if (*on != "close") {
      return payout->error_at("on", "'" + *on + "': expected close or field");
    } else if (payout->has("field")) {
      return payout->error_at("field", "\"field\" with payout on close: expected \"on\": \"field\"");
    }
  }
  if (auto cb = root.get("clawback")) {
    DEALFLOW_RETURN_IF_ERROR(cb->require_object());
    DEALFLOW_RETURN_IF_ERROR(cb->reject_unknown_keys({"window_days", "policy", "spifs", "note"}));
    ClawbackRule claw;
    auto w = cb->get("window_days");
    if (!w) return cb->error("missing \"window_days\": expected a whole number of days >= 1");
    if (!w->node().is_number_integer() || w->node().get<std::int64_t>() < 1)
      return w->error(detail::quoted(*w) + ": expected a whole number of days >= 1");
    claw.window_days = w->node().get<std::int64_t>();
    auto policy = cb->optional_string("policy", "historic-rate");
    if (!policy) return policy.status();
    if (*policy == "recompute-period")
      claw.policy = ClawbackPolicy::recompute_period;
    else if (*policy != "historic-rate")
      return cb->error_at("policy", "'" + *policy + "': expected historic-rate or recompute-period");
    auto spifs = cb->optional_bool("spifs", true);
    if (!spifs) return spifs.status();
    claw.spifs = *spifs;
    plan.clawback = claw;
  }
  // Rate plans, then participants (which refer to them).
  auto plans = root.array("plans", true);
  if (!plans) return plans.status();
  if (plans->empty()) return root.error_at("plans", "empty: expected at least one plan");
  for (const JsonReader& pn : *plans) {
    auto p = detail::read_rate_plan(pn, plan);
    if (!p) return p.status();
    if (plan.find_plan(p->id))
      return pn.error_at("id", "'" + p->id + "': already the id of " + plan.find_plan(p->id)->path +
                                   ": expected unique plan ids");
    plan.plans.push_back(std::move(*p));
  }
  auto parts = root.array("participants", true);
  if (!parts) return parts.status();
  if (parts->empty()) return root.error_at("participants", "empty: expected at least one participant");
  for (const JsonReader& pn : *parts) {
    auto p = read_participant(pn, plan);
    if (!p) return p.status();
    if (const Participant* other = plan.find_participant(p->manager))
      return pn.error_at("manager", "'" + p->manager + "': already a participant at " + other->path +
                                        ": expected each manager once");
    plan.participants.push_back(std::move(*p));
  }
  // Splits (JSON, then CSV) and overlays.
  std::map<std::string, std::string> seen;
  DEALFLOW_RETURN_IF_ERROR(read_splits_json(root, plan, seen));
  auto csv_name = root.optional_string("splits_csv", "");
  if (!csv_name) return csv_name.status();
  if (!csv_name->empty()) {
    auto csv = CsvReader::open_file((std::filesystem::path(base_dir) / *csv_name).string());
    if (!csv) return csv.status().with_context("\"splits_csv\" at " + root.file() + ": at /splits_csv");
    DEALFLOW_RETURN_IF_ERROR(detail::read_splits_csv(*csv, plan, seen));
  }
  DEALFLOW_RETURN_IF_ERROR(detail::read_overlays(root, plan));
  DEALFLOW_RETURN_IF_ERROR(detail::check_cross(root, plan));
  plan.reindex();
  return plan;
}

Result<CompensationPlan> parse_compensation_plan_text(std::string_view text, const std::string& file_name,
                                                      const std::string& base_dir) {
  auto json = parse_json(text, file_name);
  if (!json) return json.status();
  DEALFLOW_RETURN_IF_ERROR(planning::detail::find_duplicate_key(text, file_name));
  return parse_compensation_plan(JsonReader(*json, file_name), base_dir);
}

Result<CompensationPlan> load_compensation_plan_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.status();
  return parse_compensation_plan_text(*text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace dealflow::compensation
