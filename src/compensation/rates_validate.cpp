// Rate specs: validation with located errors, exact arithmetic and text
// (dealflow/compensation/rates.h).
#include <algorithm>
#include <array>
#include <numeric>

#include "compensation/rates_detail.h"
#include "dealflow/compensation/rates.h"

namespace dealflow::compensation {
namespace detail {

Int128 round_div(Int128 n, Int128 d, Rounding rounding) {
  const bool negative = n < 0;
  const Int128 a = negative ? -n : n;
  Int128 q = a / d;
  const Int128 r = a % d;
  if (2 * r > d || (2 * r == d && (rounding == Rounding::half_up || q % 2 == 1))) ++q;
  return negative ? -q : q;
}

std::int64_t attainment_bound(std::int64_t quota_minor, std::int64_t bp) {
  const Int128 n = Int128(quota_minor) * bp;
  return static_cast<std::int64_t>((n + 9999) / 10000);
}

std::string format_money(Money m) {
  std::string s = m.format_amount(" ", '.');
  const auto dot = s.find('.');
  if (dot != std::string::npos && s.find_first_not_of('0', dot + 1) == std::string::npos) s.erase(dot);
  return s + " " + std::string(m.currency().code());
}

std::string format_bp(std::int64_t bp) {
  std::string s = std::to_string(bp / 100);
  std::int64_t frac = bp % 100;
  if (frac != 0) {
    s += "." + std::string(frac < 10 ? "0" : "") + std::to_string(frac);
    if (s.back() == '0') s.pop_back();
  }
  return s;
}

std::string short_percent(Rate r) {
  std::string s = r.to_percent(2);
  const auto dot = s.find('.');
  if (dot != std::string::npos) {
    std::size_t end = s.size() - 1;  // the '%'
    while (end > dot + 1 && s[end - 1] == '0') --end;
    if (end == dot + 1) --end;
    s.erase(end, s.size() - 1 - end);
  }
  return s;
}

Status located_error(ErrorCode code, std::string message, std::string path) {
  return Status(code, std::move(message), Location{"", 0, 0, std::move(path)});
}

}  // namespace detail

using detail::Int128;

std::string Rate::to_percent(int digits) const {
  Int128 scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  const Int128 v = detail::round_div(Int128(num) * 100 * scale, den, Rounding::half_up);
  const bool negative = v < 0;
  Int128 a = negative ? -v : v;
  std::string frac;
  for (int i = 0; i < digits; ++i) {
    frac.insert(frac.begin(), static_cast<char>('0' + static_cast<int>(a % 10)));
    a /= 10;
  }
  std::string whole;
  do {
    whole.insert(whole.begin(), static_cast<char>('0' + static_cast<int>(a % 10)));
    a /= 10;
  } while (a != 0);
  return (negative ? "-" : "") + whole + (digits > 0 ? "." + frac : "") + "%";
}

bool operator==(const Rate& a, const Rate& b) noexcept {
  return Int128(a.num) * b.den == Int128(b.num) * a.den;
}

std::string_view to_string(StructureKind kind) noexcept {
  static constexpr std::array<std::string_view, 5> kNames = {"flat", "per_deal", "marginal", "retroactive",
                                                             "interpolated"};
  return kNames[static_cast<std::size_t>(kind)];
}

std::string_view to_string(LineKind kind) noexcept {
  static constexpr std::array<std::string_view, 9> kNames = {"slice",      "per_deal",   "retro_cliff",
                                                             "lift_topup", "gate",       "gate_release",
                                                             "cap_deal",   "cap_period", "cap_total"};
  return kNames[static_cast<std::size_t>(kind)];
}

namespace {

Status error(ErrorCode code, std::string path, std::string message) {
  Location where;
  where.json_path = std::move(path);
  return Status(code, std::move(message), std::move(where));
}

Status check_rate(const Rate& r, const std::string& path, std::string_view what) {
  if (r.den <= 0)
    return error(ErrorCode::invalid_argument, path,
                 std::string(what) + " " + std::to_string(r.num) + "/" + std::to_string(r.den) +
                     " has a denominator <= 0; expected a positive denominator");
  if (r.num < 0)
    return error(ErrorCode::validation_failed, path,
                 std::string(what) + " " + r.to_percent() + " is negative; expected a rate >= 0");
  if (r.den > 1'000'000'000 || r.num / r.den > 1'000'000)
    return error(ErrorCode::overflow, path, std::string(what) + " is outside the supported range");
  return {};
}

Status check_money(const Money& m, const RateSpec& spec, const std::string& path, bool positive) {
  if (m.currency() != spec.currency)
    return error(ErrorCode::currency_mismatch, path,
                 m.to_string() + " is in another currency; expected " + std::string(spec.currency.code()));
  if (positive ? m.minor_units() <= 0 : m.minor_units() < 0)
    return error(
        ErrorCode::validation_failed, path,
        m.to_string() + (positive ? " is not positive; expected > 0" : " is negative; expected >= 0"));
  return {};
}

Status check_tiers(const RateSpec& spec) {
  if (spec.kind == StructureKind::per_deal)
    return check_money(spec.per_deal_amount, spec, "/per_deal_amount", false);
  if (spec.tiers.empty())
    return error(ErrorCode::validation_failed, "/tiers",
                 "a " + std::string(to_string(spec.kind)) + " structure needs at least one tier");
  if (spec.kind == StructureKind::flat && spec.tiers.size() != 1)
    return error(ErrorCode::validation_failed, "/tiers",
                 std::to_string(spec.tiers.size()) + " tiers in a flat structure; expected exactly one");
  std::int64_t lcm = 1;
  for (std::size_t i = 0; i < spec.tiers.size(); ++i) {
    const Tier& t = spec.tiers[i];
    const std::string path = "/tiers/" + std::to_string(i);
    if (!t.currency.empty() && spec.basis == TierBasis::attainment)
      return error(ErrorCode::validation_failed, path + "/currency",
                   "an attainment tier takes no currency (its bound is % of quota); got " +
                       std::string(t.currency.code()));
    if (!t.currency.empty() && t.currency != spec.currency)
      return error(ErrorCode::currency_mismatch, path + "/currency",
                   "tier " + std::to_string(i + 1) + " is in " + std::string(t.currency.code()) +
                       "; expected the plan's currency " + std::string(spec.currency.code()));
    DEALFLOW_RETURN_IF_ERROR(check_rate(t.rate, path + "/rate", "tier " + std::to_string(i + 1) + " rate"));
    if (i == 0 && t.from != 0)
      return error(ErrorCode::validation_failed, path + "/from",
                   "the first tier starts at " + std::to_string(t.from) + "; expected 0");
    if (i > 0 && t.from < spec.tiers[i - 1].from)
      return error(ErrorCode::validation_failed, path + "/from",
                   "tier bounds are not sorted: " + std::to_string(t.from) + " after " +
                       std::to_string(spec.tiers[i - 1].from) + "; expected increasing bounds");
    if (i > 0 && t.from == spec.tiers[i - 1].from)
      return error(ErrorCode::validation_failed, path + "/from",
                   "tiers " + std::to_string(i) + " and " + std::to_string(i + 1) +
                       " overlap: both start at " + std::to_string(t.from) + "; expected increasing bounds");
    if (spec.kind == StructureKind::interpolated) {
      lcm = std::lcm(lcm, static_cast<std::int64_t>(t.rate.den));
      if (lcm > 1'000'000'000)
        return error(
            ErrorCode::overflow, path + "/rate",
            "the interpolated rates' common denominator exceeds 10^9; expected basis points or close "
            "denominators");
    }
    if (t.from > 1'000'000'000'000'000)
      return error(ErrorCode::overflow, path + "/from", "the bound is outside the supported range");
  }
  return {};
}

Status check_modifiers(const RateSpec& spec) {
  std::vector<std::size_t> order(spec.modifiers.size());
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = 0; i < spec.modifiers.size(); ++i) {
    const Modifier& m = spec.modifiers[i];
    const std::string path = "/modifiers/" + std::to_string(i);
    DEALFLOW_RETURN_IF_ERROR(check_rate(m.multiplier, path + "/multiplier", "multiplier"));
    if (m.from_bp < 0 || (m.to_bp && *m.to_bp <= m.from_bp))
      return error(ErrorCode::validation_failed, path,
                   "band " + std::to_string(m.from_bp) + ".." + (m.to_bp ? std::to_string(*m.to_bp) : "") +
                       " bp; expected 0 <= from_bp < to_bp");
    if (m.lift_at_bp && *m.lift_at_bp < 0)
      return error(ErrorCode::validation_failed, path + "/lift_at_bp",
                   "a negative lift threshold; expected >= 0");
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return spec.modifiers[a].from_bp < spec.modifiers[b].from_bp;
  });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const Modifier& prev = spec.modifiers[order[k - 1]];
    if (!prev.to_bp || *prev.to_bp > spec.modifiers[order[k]].from_bp)
      return error(ErrorCode::validation_failed, "/modifiers/" + std::to_string(order[k]),
                   "modifier bands " + std::to_string(order[k - 1]) + " and " + std::to_string(order[k]) +
                       " overlap; expected disjoint attainment bands");
  }
  return {};
}

// Payout of one deal of `measure` with no caps and no gate: what a threshold costs.
Result<std::int64_t> due_at(const RateSpec& spec, std::int64_t measure) {
  RateSpec bare = spec;
  bare.cap_per_deal.reset();
  bare.cap_per_period.reset();
  bare.cap_total.reset();
  bare.gate.reset();
  const Credit c{"threshold", Money(measure, spec.currency)};
  auto st = detail::run(bare, std::span<const Credit>(&c, 1), std::nullopt);
  if (!st) return st.status();
  return st->total.minor_units();
}

Status check_caps(const RateSpec& spec) {
  const std::array<std::pair<const std::optional<Money>*, const char*>, 3> caps = {
      {{&spec.cap_per_deal, "/cap_per_deal"},
       {&spec.cap_per_period, "/cap_per_period"},
       {&spec.cap_total, "/cap_total"}}};
  for (const auto& [cap, path] : caps)
    if (*cap) DEALFLOW_RETURN_IF_ERROR(check_money(**cap, spec, path, true));
  // Thresholds a period cap must leave room for: tier bounds, lifts, a released gate.
  const std::int64_t quota = spec.quota ? spec.quota->minor_units() : 0;
  std::vector<std::pair<std::int64_t, std::string>> thresholds;
  if (spec.kind != StructureKind::per_deal)
    for (std::size_t i = 1; i < spec.tiers.size(); ++i) {
      const bool att = spec.basis == TierBasis::attainment;
      thresholds.emplace_back(att ? detail::attainment_bound(quota, spec.tiers[i].from) : spec.tiers[i].from,
                              "tier " + std::to_string(i + 1));
    }
  for (std::size_t i = 0; i < spec.modifiers.size(); ++i)
    if (spec.modifiers[i].lift_at_bp)
      thresholds.emplace_back(detail::attainment_bound(quota, *spec.modifiers[i].lift_at_bp),
                              "the lift of modifier " + std::to_string(i));
  if (spec.gate && spec.gate->release)
    thresholds.emplace_back(detail::attainment_bound(quota, spec.gate->threshold_bp), "the gate");
  for (const auto& [cap, path] : {caps[1], caps[2]}) {
    if (!*cap) continue;
    for (const auto& [measure, what] : thresholds) {
      const Result<std::int64_t> priced = due_at(spec, measure);
      if (!priced) return priced.status().with_location(Location{"", 0, 0, path});
      const std::int64_t due = *priced;
      if (due > (*cap)->minor_units())
        return error(ErrorCode::validation_failed, path,
                     std::string(path + 1) + " " + detail::format_money(**cap) + " is below the " +
                         detail::format_money(Money(due, spec.currency)) + " already due at " + what + " (" +
                         detail::format_money(Money(measure, spec.currency)) +
                         "); expected a cap the threshold can pay under");
    }
  }
  return {};
}

}  // namespace

Status validate(const RateSpec& spec) {
  if (spec.currency.empty())
    return error(ErrorCode::validation_failed, "/currency", "no currency; expected an ISO 4217 code");
  DEALFLOW_RETURN_IF_ERROR(check_tiers(spec));
  const bool needs_quota =
      spec.basis == TierBasis::attainment || !spec.modifiers.empty() || spec.gate.has_value();
  if (spec.quota) DEALFLOW_RETURN_IF_ERROR(check_money(*spec.quota, spec, "/quota", true));
  if (needs_quota && !spec.quota)
    return error(ErrorCode::validation_failed, "/quota",
                 "attainment tiers, modifiers and gates need a quota; none given");
  DEALFLOW_RETURN_IF_ERROR(check_modifiers(spec));
  if (spec.gate && (spec.gate->threshold_bp <= 0 || spec.gate->threshold_bp > 1'000'000))
    return error(ErrorCode::validation_failed, "/gate/threshold_bp",
                 "gate threshold " + std::to_string(spec.gate->threshold_bp) + " bp; expected 1..1000000");
  if (spec.quota && spec.quota->minor_units() > 1'000'000'000'000'000)
    return error(ErrorCode::overflow, "/quota", "the quota is outside the supported range");
  return check_caps(spec);
}

}  // namespace dealflow::compensation
