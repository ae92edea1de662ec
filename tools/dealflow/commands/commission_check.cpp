// `dealflow commission check`: the compensation plan checked against the
// loaded log and pipelines (tools/dealflow/commands/commission.h).
#include <set>

#include "dealflow/commands/commission.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"

namespace dealflow::cli {

using namespace dealflow::compensation;

namespace {

std::string at(const CompensationPlan& plan, const std::string& path) {
  if (!path.empty() && path.front() != '/') return path;  // a CSV location (splits_csv)
  return (plan.file.empty() ? std::string("plan") : plan.file) + ": at " + path;
}

bool in_dictionary(const Dictionary& d, std::string_view value) {
  return d.find(value).has_value();
}

// Quotas "from_plan": the quota plan's manager target for each asked period.
void check_quotas(const CompensationPlan& plan, std::span<const planning::Period> periods,
                  std::vector<PlanFinding>& out) {
  if (!plan.quota_plan) return;
  const planning::Plan& q = *plan.quota_plan;
  for (const Participant& p : plan.participants) {
    const std::string& name = plan.team.manager(p.manager_id).name;
    for (const planning::Period& period : periods) {
      const Assignment* a = p.in_force(period.end - 1);
      if (!a || a->quota.kind != Quota::Kind::from_plan) continue;
      const auto metric =
          a->quota.is_count ? planning::PlanMetric::won_count : planning::PlanMetric::won_amount;
      const auto index = q.find_period(period.label);
      const bool found = index && (q.find(*index, planning::PlanScope::manager, p.manager, metric) ||
                                   q.find(*index, planning::PlanScope::manager, name, metric));
      if (!found)
        out.push_back({true, at(plan, a->path + "/quota"),
                       "no quota for " + p.manager + " in " + period.label + ": expected a manager " +
                           std::string(planning::to_string(metric)) + " target in " + plan.quota_plan_file +
                           " or an inline quota"});
    }
  }
}

}  // namespace

std::vector<PlanFinding> check_plan_against_log(const CompensationPlan& plan, const analytics::EventLog& log,
                                                std::span<const Pipeline* const> pipelines,
                                                std::span<const planning::Period> periods) {
  std::vector<PlanFinding> out;
  check_quotas(plan, periods, out);
  for (const Split& s : plan.splits)
    if (!log.find_deal(s.deal))
      out.push_back(
          {true, at(plan, s.where.front() == '/' ? s.where + "/deal" : s.where),
           "deal '" + s.deal + "' is split but the deals file has no such deal: expected a deal id"});

  const Dictionary& owners = log.dimension(analytics::StandardDimension::manager).values;
  std::set<std::string> heads;
  for (const routing::Team& t : plan.team.teams())
    if (t.head) heads.insert(plan.team.manager(*t.head).key);
  for (const Participant& p : plan.participants) {
    if (p.role == Role::head || heads.count(p.manager)) continue;
    const std::string& name = plan.team.manager(p.manager_id).name;
    if (in_dictionary(owners, p.manager) || (!name.empty() && in_dictionary(owners, name))) continue;
    bool in_split = false;
    for (const Split& s : plan.splits)
      for (const SplitShare& sh : s.shares) in_split = in_split || sh.manager == p.manager;
    if (in_split) continue;
    out.push_back({false, at(plan, p.path + "/manager"),
                   p.manager + (name.empty() ? "" : " (" + name + ")") +
                       " owns no deal in the log (by id or name), is in no split and heads no team: "
                       "their statements will have no credit"});
  }

  std::set<std::string> overlay_holders;
  for (const Overlay& o : plan.overlays) overlay_holders.insert(o.manager);
  for (const RatePlan& rp : plan.plans) {
    for (const Component& c : rp.components) {
      for (const Filter& f : c.filters) {
        const std::string where = at(plan, c.path + "/filter/" + f.dimension);
        if (f.dimension == "business") continue;  // new / repeat, checked at load
        if (f.dimension == "pipeline") {
          for (const std::string& v : f.values) {
            bool known = false;
            for (const Pipeline* p : pipelines) known = known || p->id() == v;
            if (!known) {
              std::string ids;
              for (const Pipeline* p : pipelines) ids += (ids.empty() ? "" : ", ") + p->id();
              out.push_back({true, where, "'" + v + "': not a loaded pipeline: expected one of " + ids});
            }
          }
          continue;
        }
        const auto dim = log.find_dimension(f.dimension);
        if (!dim) {
          out.push_back(
              {false, where,
               "the deals file has no column '" + f.dimension + "': the component matches no deal"});
          continue;
        }
        for (const std::string& v : f.values)
          if (!in_dictionary(log.dimension(*dim).values, v))
            out.push_back({false, where, "'" + v + "': no deal has this " + f.dimension + " value"});
      }
      if (c.credit != CreditBasis::overlay) continue;
      bool held = false;
      for (const Participant& p : plan.participants)
        for (const Assignment& a : p.assignments)
          held = held || (&plan.plans[a.plan] == &rp && overlay_holders.count(p.manager));
      if (!held)
        out.push_back({false, at(plan, c.path + "/credit"),
                       "overlay credit, but no participant on plan '" + rp.id +
                           "' holds an overlay: the component pays nothing"});
    }
  }
  return out;
}

std::string findings_to_table(const CompensationPlan& plan, const std::vector<PlanFinding>& f) {
  std::size_t errors = 0;
  for (const PlanFinding& x : f) errors += x.error;
  std::string out = "plan " + plan.name + " (" + plan.file +
                    "): " + std::to_string(plan.participants.size()) + " participants, " +
                    std::to_string(plan.plans.size()) + " rate plans, " + std::to_string(plan.splits.size()) +
                    " splits, " + std::to_string(plan.overlays.size()) + " overlays\n";
  for (const PlanFinding& x : f)
    out += std::string(x.error ? "error: " : "warning: ") + x.where + ": " + x.message + "\n";
  out += "check: " + std::to_string(errors) + " errors, " + std::to_string(f.size() - errors) + " warnings\n";
  out +=
      "definition: errors (exit 1): a split deal missing from the deals file, a pipeline filter naming no "
      "loaded pipeline, a quota from the quota plan missing for a checked period; warnings: a participant "
      "owning no deal (and in no split, heading no team), a filter "
      "value no deal has, overlay credit nobody holds\n";
  return out;
}

std::string findings_to_csv(const std::vector<PlanFinding>& f) {
  std::string out = "severity,where,message\n";
  for (const PlanFinding& x : f)
    out += std::string(x.error ? "error" : "warning") + "," + csv_escape(x.where) + "," +
           csv_escape(x.message) + "\n";
  return out;
}

Json findings_to_json(const CompensationPlan& plan, const std::vector<PlanFinding>& f) {
  Json items = Json::array();
  std::size_t errors = 0;
  for (const PlanFinding& x : f) {
    errors += x.error;
    items.push_back(
        {{"severity", x.error ? "error" : "warning"}, {"where", x.where}, {"message", x.message}});
  }
  return Json{
      {"plan", plan.name}, {"plan_file", plan.file},        {"participants", plan.participants.size()},
      {"errors", errors},  {"warnings", f.size() - errors}, {"findings", std::move(items)}};
}

}  // namespace dealflow::cli
