// dealflow/compensation/plan.h: the compensation plan file, loaded, validated
// and compiled.
//
// A plan file (docs/compensation.md, data/compensation/sample-plan.json) says
// who is paid (participants with dated assignments, target incentive, quota),
// for what (credit: owner as of closing, splits summing to 100%, explicit
// overlays; measures and filters), how much (rate structures compiled into
// compensation::RateSpec, gates, caps, SPIFs) and when (payout timing,
// clawback, draws), with one rounding rule. The loader reads the team file it
// names (manager ids, teams, heads) and the quota plan (planning::Plan) so that
// every reference is checked at load.
//
// Every error is a Status located at the JSON path of the offending key
// ("sample-plan.json: at /plans/0/components/0/rate/tiers/1/rate: '3,5':
// expected a rate such as 3.5%"), or at file:line:column for JSON syntax;
// nothing half-loaded is returned. A key given twice in one object, an unknown
// key and a missing required key are errors everywhere.
//
// Ownership: a CompensationPlan is a self-contained value (it owns the team
// model and the quota plan it read). Thread-safety: immutable after loading;
// const access is safe from any number of threads.
//
// Example:
//   using namespace dealflow::compensation;
//   auto plan = load_compensation_plan_file("data/compensation/sample-plan.json");
//   if (!plan) return fail(plan.status());
//   for (const Participant& p : plan->participants)
//     for (const Assignment& a : p.assignments)
//       std::cout << p.manager << " " << plan->plans[a.plan].id << " from " << a.from.to_string() << "\n";
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dealflow/compensation/clawback.h"
#include "dealflow/compensation/draws.h"
#include "dealflow/compensation/rates.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/io/json.h"
#include "dealflow/planning/period.h"
#include "dealflow/planning/plan.h"
#include "dealflow/routing/team.h"

namespace dealflow::compensation {

enum class Role : std::uint8_t { rep, head, other };
enum class Measure : std::uint8_t { won_amount, margin, won_count };
enum class CreditBasis : std::uint8_t { direct, overlay };
enum class ComponentKind : std::uint8_t { commission, spif };
enum class PayoutOn : std::uint8_t { close, field };
enum class Pays : std::uint8_t { rate, target_incentive };
std::string_view to_string(Role v) noexcept;     // "rep", "head", "other"
std::string_view to_string(Measure v) noexcept;  // "won_amount", "margin", "won_count"
// ClawbackPolicy and its to_string are clawback.h's.

// Counts (won_count measures, count tiers and count quotas) are exact in
// basis points of a deal: one deal = kCountUnit, a 60% share = 6000.
inline constexpr std::int64_t kCountUnit = 10000;

// `{dimension: [values]}`: a deal matches when its value (as of closing) is
// one of `values`. The `business` dimension holds "new" or "repeat".
struct Filter {
  std::string dimension;
  std::vector<std::string> values;
};

struct Spif {
  Money amount;                  // per qualifying deal, × the credit share
  std::optional<Date> from, to;  // the credit instant's local date, inclusive
  std::optional<Money> min_amount;
};

struct Component {
  std::string id;
  ComponentKind kind = ComponentKind::commission;
  Measure measure = Measure::won_amount;
  CreditBasis credit = CreditBasis::direct;
  std::vector<Filter> filters;  // all must match; in file order
  // Commission: the compiled rate structure. Its quota is empty (set per
  // assignment and period by the statement engine); gate and caps per_deal /
  // per_period are set from the component's `gate` and `caps`.
  RateSpec rate;
  Pays pays = Pays::rate;
  // pays = target_incentive: (attainment bp, share of TI) points.
  std::vector<Tier> ti_points;
  std::optional<std::int64_t> measure_cap_bp;  // caps.measure_cap
  std::optional<Spif> spif;                    // kind = spif
  std::string path;                            // JSON path of the component
};

struct RatePlan {
  std::string id;
  std::string name;
  std::vector<Component> components;
  std::optional<Money> cap_total;                 // a fixed total cap over the fiscal year
  std::optional<Rate> cap_total_ti_factor;        // "<factor>x target_incentive"
  std::optional<ClawbackPolicy> clawback_policy;  // overrides the file's
  std::string path;
};

struct Draw {
  DrawType type = DrawType::recoverable;
  Money amount;
  DrawAtEnd at_end = DrawAtEnd::carry;
};

// The quota of an assignment: none, the quota plan's manager target, one
// value for every period, or per period (label -> value). Values are minor
// units of the plan currency, or counts in kCountUnit units.
struct Quota {
  enum class Kind : std::uint8_t { none, from_plan, fixed, per_period };
  Kind kind = Kind::none;
  bool is_count = false;
  std::int64_t value = 0;
  std::map<std::string, std::int64_t> per_period;
};

struct Assignment {
  std::uint32_t plan = 0;  // index into CompensationPlan::plans
  Date from;               // local date, inclusive
  std::optional<Date> to;  // last day in force, inclusive; open when empty
  std::optional<Money> target_incentive;
  Quota quota;
  std::optional<Draw> draw;
  std::string path;
};

struct Participant {
  std::string manager;  // the team file's manager id (a display name is resolved to it)
  ManagerId manager_id;
  Role role = Role::rep;
  std::vector<Assignment> assignments;  // ascending `from`, not overlapping
  std::string path;

  // The assignment in force on local date `d`; nullptr in a gap.
  const Assignment* in_force(Date d) const noexcept;
};

struct SplitShare {
  std::string manager;  // a team-file manager id
  std::int64_t share_bp = 0;
};
struct Split {
  std::string deal;
  std::vector<SplitShare> shares;  // sum to 10000 bp
  std::string where;               // JSON path, or CSV file:line
};

struct Overlay {
  std::string manager;
  std::string team;
  TeamId team_id;
  std::int64_t share_bp = 10000;
  std::optional<Date> from, to;
  std::string path;
};

struct ClawbackRule {
  std::int64_t window_days = 0;
  ClawbackPolicy policy = ClawbackPolicy::historic_rate;
  bool spifs = true;
};

struct Payout {
  PayoutOn on = PayoutOn::close;
  std::string field;  // on = field
};

struct CompensationPlan {
  std::string file;  // "" when parsed from memory without a name
  std::string name;
  Currency currency;
  int utc_offset_minutes = 0;
  int fiscal_start_month = 1;
  planning::PeriodKind period = planning::PeriodKind::quarter;
  Rounding rounding = Rounding::half_even;
  std::string team_file;  // as resolved against the plan's folder
  routing::TeamModel team;
  std::string quota_plan_file;  // "" when none
  std::optional<planning::Plan> quota_plan;
  Payout payout;
  std::optional<ClawbackRule> clawback;
  std::vector<RatePlan> plans;
  std::vector<Participant> participants;
  std::vector<Split> splits;  // in file order (JSON, then CSV)
  std::vector<Overlay> overlays;
  std::string margin_field;
  std::vector<std::string> new_business_values = {"new"};

  // Lookups: hashed when the index is current (the loader builds it; call
  // reindex() after editing plans, participants, splits or the team by hand), else a
  // linear scan.
  const RatePlan* find_plan(std::string_view id) const;
  const Participant* find_participant(std::string_view manager_id) const;
  const Split* find_split(std::string_view deal) const;
  void reindex();
  // The team file's manager id of `id_or_name` (a manager id, or a display
  // name: the first manager of that name); "" when neither. Hashed through
  // the index when it is built, else a scan of the team's managers.
  std::string manager_key(std::string_view id_or_name) const;

  // The lookup index (ids -> positions; display names -> manager ids); the
  // vectors above and the team model own the values.
  struct Index {
    std::unordered_map<std::string, std::uint32_t> plans, participants, splits;
    std::unordered_map<std::string, std::string> manager_names;
  };
  std::shared_ptr<const Index> index;
  // The policy for a rate plan: its override, else the file's (historic-rate without clawback).
  ClawbackPolicy clawback_policy(const RatePlan& plan) const noexcept;
};

// Parses a plan document; `base_dir` resolves team_file, quota_plan and
// splits_csv (relative to the plan file). Every documented error of
// docs/compensation.md "Errors", located at its JSON path.
Result<CompensationPlan> parse_compensation_plan(const JsonReader& root, const std::string& base_dir);
// Parses the text (syntax errors with line and column; a duplicate key at its
// JSON path), then parse_compensation_plan.
Result<CompensationPlan> parse_compensation_plan_text(std::string_view text, const std::string& file_name,
                                                      const std::string& base_dir);
// Reads the file and parses it with its folder as base_dir.
Result<CompensationPlan> load_compensation_plan_file(const std::string& path);

}  // namespace dealflow::compensation
