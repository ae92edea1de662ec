// The deals of an attainment report compiled into dense per-scope codes, and
// their sums per (period, scope) (attainment_detail.h).
#include <algorithm>

#include "analytics/report_context.h"
#include "dealflow/planning/pipeline_state.h"
#include "dealflow/routing/team.h"
#include "planning/attainment_detail.h"

namespace dealflow::planning::detail {
namespace {

using analytics::StandardDimension;

constexpr std::size_t index(PlanScope s) {
  return static_cast<std::size_t>(s);
}

constexpr std::pair<PlanScope, StandardDimension> kDimensionScopes[] = {
    {PlanScope::region, StandardDimension::region},
    {PlanScope::product, StandardDimension::product},
    {PlanScope::business, StandardDimension::business}};

std::optional<StandardDimension> dimension_of(PlanScope s) {
  for (auto [scope, dim] : kDimensionScopes)
    if (scope == s) return dim;
  if (s == PlanScope::manager) return StandardDimension::manager;
  return std::nullopt;
}

// Codes of a deal: the owner given, the dimensions as of `dims_at`.
DealRecord record(const analytics::EventLog& log, DealId d, std::uint32_t owner, std::uint32_t pipeline,
                  Instant dims_at) {
  DealRecord r;
  r.code[index(PlanScope::company)] = 0;
  r.code[index(PlanScope::manager)] = owner;
  r.code[index(PlanScope::pipeline)] = pipeline;
  r.code[index(PlanScope::team)] = owner;
  for (auto [scope, dim] : kDimensionScopes)
    r.code[index(scope)] = log.dimension_code_as_of(d, analytics::to_dimension_id(dim), dims_at);
  return r;
}

CurrencySum& sum_in(std::vector<CurrencySum>& sums, Currency c) {
  for (auto& s : sums)
    if (s.currency == c) return s;
  sums.push_back({c});
  return sums.back();
}

}  // namespace

const CurrencySum* ScopeSums::won_in(Currency c) const noexcept {
  for (const auto& s : won)
    if (s.currency == c) return &s;
  return nullptr;
}
const CurrencySum* ScopeSums::open_in(Currency c) const noexcept {
  for (const auto& s : open)
    if (s.currency == c) return &s;
  return nullptr;
}

Result<FactTables> FactTables::build(const analytics::EventLog& log,
                                     const std::vector<const Pipeline*>& pipelines,
                                     const AttainmentQuery& q) {
  FactTables t;
  t.log_ = &log;
  t.team_ = q.team;
  auto source = analytics::detail::AmountSource::create(log, q.fx, q.as_of);
  if (!source) return source.status();
  for (std::uint32_t pi = 0; pi < pipelines.size(); ++pi) {
    const Pipeline& p = *pipelines[pi];
    t.pipeline_ids_.push_back(p.id());
    auto state = pipeline_state_as_of(log, p, q.as_of);
    if (!state) return state.status();
    for (const ClosedDeal& c : state->closed) {
      DealRecord created = record(log, c.deal, c.owner, pi, q.as_of);
      created.at = log.created_at(c.deal);
      t.created_.push_back(created);
      if (!c.won) continue;
      DealRecord won = record(log, c.deal, c.owner, pi, c.closed_at);
      won.at = c.closed_at;
      auto amount = source->amount(c.deal, c.closed_at);
      if (!amount) return amount.status();
      won.amount = *amount;
      t.won_.push_back(won);
    }
    for (const OpenDeal& o : state->open) {
      DealRecord r = record(log, o.deal, o.owner, pi, q.as_of);
      r.at = o.created_at;
      t.created_.push_back(r);
      auto amount = source->amount(o.deal, std::nullopt);
      if (!amount) return amount.status();
      r.amount = *amount;
      r.close_date = o.close_date;
      r.probability = effective_probability(p, o);
      t.open_.push_back(r);
    }
  }
  // Teams of each manager code: a team and its ancestors hold a manager of
  // its pool; team-file managers are matched to the log by key, then by name.
  const Dictionary& managers = log.dimension(StandardDimension::manager).values;
  t.teams_of_manager_.resize(managers.size());
  if (q.team) {
    for (const auto& team : q.team->teams()) {
      for (ManagerId m : q.team->pool_of_team(team.id)) {
        auto code = managers.find(q.team->manager(m).key);
        if (!code) code = managers.find(q.team->manager(m).name);
        if (code) t.teams_of_manager_[*code].push_back(team.id.value());
      }
    }
  }
  return t;
}

std::uint32_t FactTables::resolve(const Target& target) const {
  const std::string& v = target.scope_value;
  switch (target.scope) {
    case PlanScope::company:
      return 0;
    case PlanScope::team:
      if (team_)
        if (auto id = team_->find_team(v)) return id->value();
      return kNoValue;
    case PlanScope::pipeline: {
      auto it = std::find(pipeline_ids_.begin(), pipeline_ids_.end(), v);
      return it == pipeline_ids_.end() ? kNoValue : static_cast<std::uint32_t>(it - pipeline_ids_.begin());
    }
    default:
      break;
  }
  const auto dim = *dimension_of(target.scope);
  const Dictionary& values = log_->dimension(dim).values;
  if (auto code = values.find(v)) return *code;
  // A manager named by the team file's key: the log knows the manager by name.
  if (target.scope == PlanScope::manager && team_)
    if (auto m = team_->find_manager(v))
      if (auto code = values.find(team_->manager(*m).name)) return *code;
  return kNoValue;
}

std::size_t FactTables::code_count(PlanScope scope) const {
  switch (scope) {
    case PlanScope::company:
      return 1;
    case PlanScope::team:
      return team_ ? team_->teams().size() : 0;
    case PlanScope::pipeline:
      return pipeline_ids_.size();
    default:
      return log_->dimension(*dimension_of(scope)).values.size();
  }
}

Result<const std::vector<ScopeSums>*> FactTables::sums(const Plan& plan, std::uint32_t period_index,
                                                       PlanScope scope, int offset) {
  const auto key = std::make_pair(period_index, scope);
  if (auto it = sums_.find(key); it != sums_.end()) return &it->second;
  std::vector<ScopeSums> sums(code_count(scope));
  const Period& period = plan.periods[period_index];
  const Instant begin = period.begin_instant(offset), end = period.end_instant(offset);
  // Calls f(sums of each scope value of the deal).
  auto each = [&](const DealRecord& r, auto f) {
    const std::uint32_t code = r.code[index(scope)];
    if (code == kNoValue) return;
    if (scope != PlanScope::team) {
      if (code < sums.size()) f(sums[code]);
      return;
    }
    if (code < teams_of_manager_.size())
      for (std::uint32_t team : teams_of_manager_[code]) f(sums[team]);
  };
  bool overflow = false;
  for (const DealRecord& r : won_) {
    if (r.at < begin || r.at >= end) continue;
    each(r, [&](ScopeSums& s) {
      ++s.won_deals;
      if (!r.amount) return;
      CurrencySum& c = sum_in(s.won, r.amount->currency());
      ++c.deals;
      overflow |= __builtin_add_overflow(c.minor, r.amount->minor_units(), &c.minor);
    });
  }
  for (const DealRecord& r : created_)
    if (begin <= r.at && r.at < end) each(r, [&](ScopeSums& s) { ++s.created; });
  for (const DealRecord& r : open_) {
    if (!r.close_date || !period.contains(*r.close_date)) continue;
    each(r, [&](ScopeSums& s) {
      ++s.open_deals;
      s.open_p += r.probability;
      if (!r.amount) return;
      CurrencySum& c = sum_in(s.open, r.amount->currency());
      ++c.deals;
      c.weighted += Int128(r.amount->minor_units()) * r.probability;
      overflow |= __builtin_add_overflow(c.minor, r.amount->minor_units(), &c.minor);
    });
  }
  if (overflow)
    return Status(ErrorCode::overflow, "the sums of " + period.label + " by " +
                                           std::string(to_string(scope)) + " overflow int64 minor units");
  return &sums_.emplace(key, std::move(sums)).first->second;
}

}  // namespace dealflow::planning::detail
