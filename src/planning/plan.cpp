// Plan files: JSON documents with an optional targets CSV (dealflow/planning/plan.h).
#include "dealflow/planning/plan.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <tuple>

#include "planning/plan_detail.h"

namespace dealflow::planning {
namespace {

constexpr std::array<std::string_view, kPlanScopeCount> kScopeNames = {
    "company", "team", "manager", "pipeline", "region", "product", "business"};
constexpr std::array<std::string_view, 3> kMetricNames = {"won_amount", "won_count", "created_count"};

// The fields of one target row, from a JSON object or a CSV record.
struct RowFields {
  std::string period, scope, scope_value, metric, target, currency, effective_from;
  std::optional<std::int64_t> target_integer;  // a JSON integer target
};
// An error located at one field of the row.
using FieldError = std::function<Status(std::string_view field, std::string message)>;

// Rows as read, before versions are merged.
struct Builder {
  Plan& plan;
  std::map<std::string, std::uint32_t, std::less<>> period_index;  // label -> index
  std::vector<Location> period_where;                              // where each period was first named
  struct Row {
    Target key;  // one version
    Location where;
  };
  std::vector<Row> rows;
};

Result<std::int64_t> parse_count(std::string_view text) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    return Status(ErrorCode::parse_error, "'" + std::string(text) + "': expected a whole number >= 0");
  return v;
}

Status add_row(Builder& b, const RowFields& f, Location where, const FieldError& err) {
  Plan& plan = b.plan;
  // period
  auto period = parse_period(f.period, plan.fiscal_start_month);
  if (!period) return err("period", period.status().message());
  std::uint32_t period_index = 0;
  if (auto it = b.period_index.find(period->label); it != b.period_index.end()) {
    period_index = it->second;
  } else {
    for (std::size_t i = 0; i < plan.periods.size(); ++i) {
      const Period& other = plan.periods[i];
      if (other.first == period->first && other.end == period->end) {
        return err("period", "duplicate period: '" + period->label + "' covers the same dates as '" +
                                 other.label + "' (" + b.period_where[i].to_string() +
                                 "): expected one name per period");
      }
    }
    period_index = static_cast<std::uint32_t>(plan.periods.size());
    b.period_index.emplace(period->label, period_index);
    plan.periods.push_back(*period);
    b.period_where.push_back(where);
  }
  Target t;
  t.period = period_index;
  // scope and its value
  auto scope = parse_plan_scope(f.scope);
  if (!scope) {
    return err("scope",
               "'" + f.scope + "': expected company, team, manager, pipeline, region, product or business");
  }
  t.scope = *scope;
  if (t.scope == PlanScope::company && !f.scope_value.empty())
    return err("scope_value", "'" + f.scope_value + "': a company target has no scope_value");
  if (t.scope != PlanScope::company && f.scope_value.empty())
    return err("scope_value",
               "missing: expected the " + std::string(to_string(t.scope)) + " this target is for");
  t.scope_value = f.scope_value;
  // metric and value
  auto metric = parse_plan_metric(f.metric);
  if (!metric) return err("metric", "'" + f.metric + "': expected won_amount, won_count or created_count");
  t.metric = *metric;
  TargetVersion v;
  v.where = where;
  if (t.is_money()) {
    const std::string code = f.currency.empty() ? std::string(plan.currency.code()) : f.currency;
    if (code.empty()) {
      return err("currency",
                 "missing: a won_amount target needs a currency (the row's or the plan's \"currency\")");
    }
    auto currency = Currency::parse(code);
    if (!currency) return err("currency", "'" + code + "': expected a 3-letter ISO 4217 code such as RUB");
    t.currency = *currency;
    if (f.target_integer) {
      std::int64_t scale = 1;
      for (int i = 0; i < t.currency.minor_digits(); ++i) scale *= 10;
      if (__builtin_mul_overflow(*f.target_integer, scale, &v.value))
        return err("target",
                   std::to_string(*f.target_integer) + ": expected an amount that fits int64 minor units");
    } else {
      auto money = Money::parse(f.target, t.currency);
      if (!money) {
        return err("target", "'" + f.target + "': expected an amount in " + std::string(code) +
                                 " such as 1500000.00 (" + money.status().message() + ")");
      }
      v.value = money->minor_units();
    }
  } else {
    if (!f.currency.empty())
      return err("currency",
                 "'" + f.currency + "': a " + f.metric + " target is a count and has no currency");
    if (f.target_integer) {
      v.value = *f.target_integer;
    } else {
      auto n = parse_count(f.target);
      if (!n) return err("target", n.status().message());
      v.value = *n;
    }
  }
  if (v.value < 0) {
    return err("target", "'" + (f.target_integer ? std::to_string(*f.target_integer) : f.target) +
                             "': expected a target >= 0");
  }
  if (!f.effective_from.empty()) {
    auto at = parse_instant(f.effective_from, plan.utc_offset_minutes);
    if (!at) {
      return err("effective_from",
                 "'" + f.effective_from +
                     "': expected a date (2024-02-15) or an instant (2024-02-15T09:00:00+03:00)");
    }
    v.effective_from = *at;
    v.from_start = false;
  }
  t.versions.push_back(v);
  b.rows.push_back({std::move(t), std::move(where)});
  return Status::ok_status();
}

// Sorts periods, merges rows into targets with versions, and finds overlaps.
Status finish(Builder& b) {
  Plan& plan = b.plan;
  std::vector<std::uint32_t> order(plan.periods.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t c) {
    const Period &pa = plan.periods[a], &pc = plan.periods[c];
    return std::tie(pa.first, pc.end, pa.label) < std::tie(pc.first, pa.end, pc.label);
  });
  std::vector<std::uint32_t> new_index(order.size());
  std::vector<Period> periods;
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = i;
    periods.push_back(plan.periods[order[i]]);
  }
  plan.periods = std::move(periods);
  for (auto& r : b.rows) r.key.period = new_index[r.key.period];
  auto key = [](const Target& t) { return std::tie(t.period, t.scope, t.scope_value, t.metric); };
  std::stable_sort(b.rows.begin(), b.rows.end(), [&](const Builder::Row& a, const Builder::Row& c) {
    return key(a.key) < key(c.key) ||
           (key(a.key) == key(c.key) && a.key.versions[0].effective_from < c.key.versions[0].effective_from);
  });
  for (std::size_t i = 0; i < b.rows.size(); ++i) {
    const Builder::Row& r = b.rows[i];
    if (!plan.targets.empty() && key(plan.targets.back()) == key(r.key)) {
      Target& t = plan.targets.back();
      const TargetVersion& prev = t.versions.back();
      const TargetVersion& v = r.key.versions[0];
      const std::string what = std::string(to_string(t.scope)) +
                               (t.scope_value.empty() ? "" : " '" + t.scope_value + "'") + " " +
                               std::string(to_string(t.metric)) + " in " + plan.periods[t.period].label;
      if (t.currency != r.key.currency) {
        return Status(ErrorCode::duplicate,
                      "duplicate target " + what + " in " + std::string(r.key.currency.code()) +
                          ": its version at " + prev.where.to_string() + " is in " +
                          std::string(t.currency.code()) + "; expected one currency per target",
                      r.where);
      }
      if (v.effective_from == prev.effective_from) {
        return Status(
            ErrorCode::duplicate,
            "overlapping versions of the target " + what + ": this one and the one at " +
                prev.where.to_string() + " are both in force from " +
                (v.from_start ? std::string("the start (no effective_from)") : format_iso(v.effective_from)) +
                "; expected a distinct effective_from per version",
            r.where);
      }
      t.versions.push_back(v);
    } else {
      plan.targets.push_back(r.key);
    }
  }
  return Status::ok_status();
}

Status read_rows_json(Builder& b, const JsonReader& root) {
  auto rows = root.array("targets");
  if (!rows) return rows.status();
  for (const JsonReader& row : *rows) {
    DEALFLOW_RETURN_IF_ERROR(row.require_object());
    DEALFLOW_RETURN_IF_ERROR(row.reject_unknown_keys(
        {"period", "scope", "scope_value", "metric", "target", "currency", "effective_from", "note"}));
    RowFields f;
    for (auto [name, out] : {std::pair<const char*, std::string*>{"period", &f.period},
                             {"scope", &f.scope},
                             {"metric", &f.metric}}) {
      auto s = row.required_string(name);
      if (!s) return s.status();
      *out = *s;
    }
    for (auto [name, out] : {std::pair<const char*, std::string*>{"scope_value", &f.scope_value},
                             {"currency", &f.currency},
                             {"effective_from", &f.effective_from}}) {
      auto s = row.optional_string(name, "");
      if (!s) return s.status();
      *out = *s;
    }
    auto target = row.get("target");
    if (!target) return row.error("missing \"target\": expected an amount or a count");
    if (target->node().is_number_unsigned() &&
        target->node().get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      return target->error(target->node().dump() + ": expected a target that fits int64");
    } else if (target->node().is_number_integer()) {
      f.target_integer = target->node().get<std::int64_t>();
    } else if (target->node().is_string()) {
      f.target = target->node().get<std::string>();
    } else {
      return target->error(std::string(json_type_name(target->node())) +
                           ": expected a string (\"1500000.00\") or a whole number");
    }
    auto err = [&](std::string_view field, std::string message) {
      return row.error_at(field, std::move(message));
    };
    DEALFLOW_RETURN_IF_ERROR(add_row(b, f, row.location(), err));
  }
  return Status::ok_status();
}

Status read_rows_csv(Builder& b, CsvReader& csv) {
  DEALFLOW_RETURN_IF_ERROR(csv.read_header());
  static constexpr std::array<std::string_view, 7> kColumns = {
      "period", "scope", "scope_value", "metric", "target", "currency", "effective_from"};
  for (std::size_t i = 0; i < csv.header().size(); ++i) {
    if (std::find(kColumns.begin(), kColumns.end(), csv.header()[i]) == kColumns.end()) {
      return Status(ErrorCode::parse_error,
                    "unknown column '" + csv.header()[i] +
                        "': expected period,scope,scope_value,metric,target,currency,effective_from",
                    Location{csv.file_name(), 1, 0, ""});
    }
  }
  std::array<std::optional<std::size_t>, 7> col;
  for (std::size_t k = 0; k < kColumns.size(); ++k) col[k] = csv.column(kColumns[k]);
  for (std::size_t k : {0u, 1u, 3u, 4u}) {
    if (!col[k]) {
      auto r = csv.require_column(kColumns[k]);
      return r.status();
    }
  }
  std::vector<std::string_view> fields;
  while (true) {
    auto more = csv.next(fields);
    if (!more) return more.status();
    if (!*more) break;
    RowFields f;
    std::array<std::string*, 7> out = {&f.period, &f.scope,    &f.scope_value,   &f.metric,
                                       &f.target, &f.currency, &f.effective_from};
    for (std::size_t k = 0; k < kColumns.size(); ++k)
      if (col[k]) *out[k] = std::string(fields[*col[k]]);
    auto err = [&](std::string_view field, std::string message) {
      for (std::size_t k = 0; k < kColumns.size(); ++k)
        if (kColumns[k] == field && col[k]) return csv.field_error(*col[k], std::move(message));
      return Status(ErrorCode::parse_error, std::move(message), Location{csv.file_name(), csv.line(), 0, ""});
    };
    DEALFLOW_RETURN_IF_ERROR(add_row(b, f, Location{csv.file_name(), csv.line(), 0, ""}, err));
  }
  return Status::ok_status();
}

}  // namespace

std::string_view to_string(PlanScope scope) noexcept {
  return kScopeNames[static_cast<std::size_t>(scope)];
}
std::optional<PlanScope> parse_plan_scope(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kScopeNames.size(); ++i)
    if (kScopeNames[i] == text) return static_cast<PlanScope>(i);
  return std::nullopt;
}
std::string_view to_string(PlanMetric metric) noexcept {
  return kMetricNames[static_cast<std::size_t>(metric)];
}
std::optional<PlanMetric> parse_plan_metric(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kMetricNames.size(); ++i)
    if (kMetricNames[i] == text) return static_cast<PlanMetric>(i);
  return std::nullopt;
}

const TargetVersion* Target::in_force(Instant t) const noexcept {
  const TargetVersion* found = nullptr;
  for (const auto& v : versions)
    if (v.effective_from <= t) found = &v;
  return found;
}

std::optional<std::uint32_t> Plan::find_period(std::string_view label) const {
  for (std::uint32_t i = 0; i < periods.size(); ++i)
    if (periods[i].label == label) return i;
  return std::nullopt;
}

std::vector<std::uint32_t> Plan::periods_containing(Date d) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < periods.size(); ++i)
    if (periods[i].contains(d)) out.push_back(i);
  return out;
}

const Target* Plan::find(std::uint32_t period, PlanScope scope, std::string_view value,
                         PlanMetric metric) const {
  for (const auto& t : targets)
    if (t.period == period && t.scope == scope && t.scope_value == value && t.metric == metric) return &t;
  return nullptr;
}

Status read_targets_csv(CsvReader& csv, Plan& plan) {
  Builder b{plan, {}, {}, {}};
  for (std::uint32_t i = 0; i < plan.periods.size(); ++i) {
    b.period_index.emplace(plan.periods[i].label, i);
    b.period_where.push_back({});
  }
  for (const Target& t : plan.targets)
    for (const TargetVersion& v : t.versions) {
      Target one = t;
      one.versions = {v};
      b.rows.push_back({std::move(one), v.where});
    }
  plan.targets.clear();
  DEALFLOW_RETURN_IF_ERROR(read_rows_csv(b, csv));
  return finish(b);
}

Result<Plan> parse_plan(const JsonReader& root, const std::string& base_dir) {
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(root.reject_unknown_keys(
      {"name", "fiscal_year_start", "utc_offset", "currency", "targets", "targets_csv", "note"}));
  Plan plan;
  plan.file = root.file();
  auto name = root.optional_string("name", "");
  if (!name) return name.status();
  plan.name = *name;
  auto fiscal = root.optional_integer("fiscal_year_start", 1);
  if (!fiscal) return fiscal.status();
  if (*fiscal < 1 || *fiscal > 12)
    return root.error_at("fiscal_year_start", std::to_string(*fiscal) + ": expected a month 1 .. 12");
  plan.fiscal_start_month = static_cast<int>(*fiscal);
  auto offset = root.optional_string("utc_offset", "+00:00");
  if (!offset) return offset.status();
  auto minutes = parse_utc_offset(*offset);
  if (!minutes) return root.error_at("utc_offset", "'" + *offset + "': expected an offset such as +03:00");
  plan.utc_offset_minutes = *minutes;
  auto currency = root.optional_string("currency", "");
  if (!currency) return currency.status();
  if (!currency->empty()) {
    auto c = Currency::parse(*currency);
    if (!c)
      return root.error_at("currency", "'" + *currency + "': expected a 3-letter ISO 4217 code such as RUB");
    plan.currency = *c;
  }
  Builder b{plan, {}, {}, {}};
  DEALFLOW_RETURN_IF_ERROR(read_rows_json(b, root));
  auto csv_name = root.optional_string("targets_csv", "");
  if (!csv_name) return csv_name.status();
  if (!csv_name->empty()) {
    const std::filesystem::path path = std::filesystem::path(base_dir) / *csv_name;
    auto csv = CsvReader::open_file(path.string());
    if (!csv) return csv.status().with_context("\"targets_csv\" at " + root.location().to_string());
    DEALFLOW_RETURN_IF_ERROR(read_rows_csv(b, *csv));
  }
  DEALFLOW_RETURN_IF_ERROR(finish(b));
  if (plan.targets.empty())
    return root.error("no targets: expected \"targets\" or \"targets_csv\" with rows");
  return plan;
}

Result<Plan> parse_plan_text(std::string_view text, const std::string& file_name,
                             const std::string& base_dir) {
  auto json = parse_json(text, file_name);
  if (!json) return json.status();
  DEALFLOW_RETURN_IF_ERROR(detail::find_duplicate_key(text, file_name));
  return parse_plan(JsonReader(*json, file_name), base_dir);
}

Result<Plan> load_plan_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.status();
  return parse_plan_text(*text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace dealflow::planning
