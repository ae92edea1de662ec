// The rate engine: a period's credits, deal by deal, into statement lines
// (dealflow/compensation/rates.h).
#include "dealflow/compensation/rates.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "compensation/rates_detail.h"

namespace dealflow::compensation {
namespace {

using detail::format_bp;
using detail::format_money;
using detail::Int128;
using detail::round_div;

constexpr std::int64_t kOpen = std::numeric_limits<std::int64_t>::max();

struct Mod {
  std::int64_t from = 0, to = kOpen, lift = kOpen;
  Rate multiplier;
  bool lifted = false;
  std::string label;
};

// A slice already paid: enough to price it again at another rate.
struct Record {
  std::int64_t a = 0, b = 0;
  std::size_t tier = 0;
  int mod = -1;
  std::int64_t value = 0;  // its earned amount (rounded) at the current rates
  bool gated = false;      // below the gate
  std::size_t deal = 0;    // the index of its deal in the period
};

class Engine {
 public:
  Engine(const RateSpec& spec, std::optional<Money> paid_before) : spec_(spec), paid_before_(paid_before) {
    const std::int64_t quota = spec.quota ? spec.quota->minor_units() : 0;
    for (const Tier& t : spec.tiers)
      from_.push_back(spec.basis == TierBasis::attainment ? detail::attainment_bound(quota, t.from) : t.from);
    for (const Modifier& m : spec.modifiers) {
      Mod mod;
      mod.from = detail::attainment_bound(quota, m.from_bp);
      if (m.to_bp) mod.to = detail::attainment_bound(quota, *m.to_bp);
      if (m.lift_at_bp) mod.lift = detail::attainment_bound(quota, *m.lift_at_bp);
      mod.multiplier = m.multiplier;
      mod.label = "×" + multiplier_text(m.multiplier) +
                  (mod.multiplier.num < mod.multiplier.den ? " decelerator (" : " accelerator (") +
                  format_bp(m.from_bp) + (m.to_bp ? "–" + format_bp(*m.to_bp) : std::string("%+")) +
                  (m.to_bp ? "% of quota)" : " of quota)");
      mods_.push_back(std::move(mod));
    }
    if (spec.gate) gate_ = detail::attainment_bound(quota, spec.gate->threshold_bp);
    if (spec.kind == StructureKind::interpolated) {
      common_den_ = 1;
      for (const Tier& t : spec.tiers) common_den_ = std::lcm(common_den_, t.rate.den);
    }
  }

  Result<Statement> run(std::span<const Credit> credits) {
    Statement st;
    st.measure_total = Money(0, spec_.currency);
    for (std::size_t i = 0; i < credits.size(); ++i) {
      deal(credits[i], st);
      if (overflow_) {
        Location where;
        where.json_path = "/credits/" + std::to_string(i) + "/measure";
        return Status(ErrorCode::overflow,
                      "deal '" + credits[i].deal +
                          "': the exact payout exceeds 128-bit arithmetic; expected " +
                          "smaller amounts, rates or denominators",
                      where);
      }
    }
    std::int64_t total = 0;
    for (const Line& l : st.lines) total += l.amount.minor_units();
    st.total = Money(total, spec_.currency);
    return st;
  }

 private:
  Money money(std::int64_t minor) const { return Money(minor, spec_.currency); }

  // "1.5", "0.5", "2": the multiplier to 4 decimals, trailing zeros dropped.
  static std::string multiplier_text(Rate r) {
    const Int128 v = round_div(Int128(r.num) * 10000, r.den, Rounding::half_up);
    std::string out = std::to_string(static_cast<std::int64_t>(v / 10000));
    std::string frac = std::to_string(static_cast<std::int64_t>(v % 10000 + 10000)).substr(1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return frac.empty() ? out : out + "." + frac;
  }

  std::size_t tier_at(std::int64_t x) const {
    std::size_t i = 0;
    while (i + 1 < from_.size() && from_[i + 1] <= x) ++i;
    return i;
  }
  int mod_at(std::int64_t x) const {
    for (std::size_t i = 0; i < mods_.size(); ++i)
      if (mods_[i].from <= x && x < mods_[i].to) return static_cast<int>(i);
    return -1;
  }
  Rate multiplier(int mod) const { return mod < 0 || mods_[mod].lifted ? Rate{1, 1} : mods_[mod].multiplier; }

  std::string tier_label(std::size_t i) const {
    std::string s = "tier " + std::to_string(i + 1) + " (";
    const bool att = spec_.basis == TierBasis::attainment;
    auto bound = [&](std::size_t k) {
      return att ? format_bp(spec_.tiers[k].from) : format_money(money(spec_.tiers[k].from));
    };
    if (i + 1 < from_.size()) {
      std::string lo = bound(i), hi = bound(i + 1);
      if (!att) lo = lo.substr(0, lo.rfind(' '));
      s += lo + "–" + hi + (att ? "% of quota)" : ")");
    } else {
      s += bound(i) + (att ? "% of quota and above)" : " and above)");
    }
    return s;
  }

  // 128-bit products and sums that flag an overflow instead of wrapping.
  Int128 mul(Int128 x, Int128 y) {
    Int128 out = 0;
    if (__builtin_mul_overflow(x, y, &out)) overflow_ = true;
    return overflow_ ? 0 : out;
  }
  Int128 sum(Int128 x, Int128 y) {
    Int128 out = 0;
    if (__builtin_add_overflow(x, y, &out)) overflow_ = true;
    return overflow_ ? 0 : out;
  }
  // A rounded result that must fit int64.
  std::int64_t narrow(Int128 v) {
    if (v > Int128(std::numeric_limits<std::int64_t>::max()) ||
        v < -Int128(std::numeric_limits<std::int64_t>::max()))
      overflow_ = true;
    return overflow_ ? 0 : static_cast<std::int64_t>(v);
  }

  // The exact earned value of [a, b) at tier `tier` (the slice's own for
  // marginal / interpolated, the reached one for retroactive), × the multiplier.
  std::int64_t value(std::int64_t a, std::int64_t b, std::size_t tier, Rate m, Rate* rate_out) {
    const Int128 len = Int128(b) - a;
    if (spec_.kind != StructureKind::interpolated || tier + 1 >= from_.size()) {
      const Rate r = spec_.tiers[tier].rate;
      const Int128 rn = mul(r.num, m.num), rd = mul(r.den, m.den);
      if (rate_out) *rate_out = reduce(rn, rd);
      return narrow(round_div(mul(len, rn), rd == 0 ? 1 : rd, spec_.rounding));
    }
    // Linear rate between the points (x0, n0/D) and (x1, n1/D): the integral
    // over [a, b) is len × (2·n0·L + (n1 − n0)(a + b − 2·x0)) / (2·D·L).
    const Rate r0 = spec_.tiers[tier].rate, r1 = spec_.tiers[tier + 1].rate;
    const Int128 n0 = mul(r0.num, common_den_ / r0.den), n1 = mul(r1.num, common_den_ / r1.den);
    const Int128 x0 = from_[tier], L = Int128(from_[tier + 1]) - x0;
    const Int128 avg_num = sum(mul(mul(2, n0), L), mul(n1 - n0, Int128(a) + b - 2 * x0));
    const Int128 avg_den = mul(mul(2, common_den_), L);
    const Int128 rn = mul(avg_num, m.num), rd = mul(avg_den, m.den);
    if (rate_out) *rate_out = reduce(rn, rd);
    return narrow(round_div(mul(len, rn), rd == 0 ? 1 : rd, spec_.rounding));
  }

  // num/den in lowest terms; if still beyond int64, the nearest with den 10^12.
  Rate reduce(Int128 n, Int128 d) {
    if (d == 0) return {0, 1};  // only after an overflow, which fails the statement
    Int128 x = n < 0 ? -n : n, y = d;
    while (y != 0) {
      Int128 t = x % y;
      x = y;
      y = t;
    }
    if (x > 1) {
      n /= x;
      d /= x;
    }
    constexpr Int128 kMax = std::numeric_limits<std::int64_t>::max();
    if (n > kMax || d > kMax) {
      constexpr std::int64_t kScale = 1'000'000'000'000;
      return {narrow(round_div(mul(n, kScale), d, Rounding::half_up)), kScale};
    }
    return {static_cast<std::int64_t>(n), static_cast<std::int64_t>(d)};
  }

  void add(Statement& st, const std::string& deal, LineKind kind, std::int64_t amount, std::string reason) {
    Line l;
    l.deal = deal;
    l.kind = kind;
    l.amount = money(amount);
    l.reason = std::move(reason);
    running_ += amount;
    st.lines.push_back(std::move(l));
  }

  // Earlier records priced again after a tier or lift change: one top-up line
  // (and the withheld part of it as a gate line while the gate is closed).
  void reprice(Statement& st, const std::string& deal, LineKind kind, const std::string& reason,
               bool gate_open, auto&& tier_of) {
    std::int64_t diff = 0, gated_diff = 0;
    // Per earlier deal: its slices before and after (the per-deal cap limits each deal's top-up).
    std::vector<std::int64_t> before(deals_, 0), after(deals_, 0);
    for (Record& r : records_) {
      const std::int64_t v = value(r.a, r.b, tier_of(r), multiplier(r.mod), nullptr);
      diff += v - r.value;
      if (r.gated && !gate_open) gated_diff += v - r.value;
      before[r.deal] += r.value;
      after[r.deal] += v;
      r.value = v;
    }
    std::int64_t cut = 0;
    if (spec_.cap_per_deal) {
      const std::int64_t cap = spec_.cap_per_deal->minor_units();
      for (std::size_t k = 0; k < deals_; ++k)
        cut += (after[k] - before[k]) - (std::min(after[k], cap) - std::min(before[k], cap));
    }
    if (diff != 0) add(st, deal, kind, diff, reason);
    if (cut > 0) {
      add(st, deal, LineKind::cap_deal, -cut,
          "cap per deal " + format_money(*spec_.cap_per_deal) + " on the earlier deals' top-up");
      gated_diff = std::min(gated_diff, diff - cut);
    }
    if (gated_diff != 0) {
      withheld_ += gated_diff;
      add(st, deal, LineKind::gate, -gated_diff, gate_reason());
    }
  }

  std::string gate_reason() const {
    return "gate: nothing below " + format_bp(spec_.gate->threshold_bp) + "% of quota (" +
           format_money(money(gate_)) + ")" + (spec_.gate->release ? ", withheld until reached" : "");
  }

  void deal(const Credit& c, Statement& st) {
    const std::int64_t before = cumulative_, after = before + c.measure.minor_units();
    const std::size_t first_line = st.lines.size();
    const bool gate_open = spec_.gate && spec_.gate->release && (gate_released_ || after >= gate_);
    const bool retro = spec_.kind == StructureKind::retroactive;
    // A. Retroactive tiers: earlier slices to the newly reached tier's rate.
    if (retro && !records_.empty() && tier_at(after) != reached_) {
      const std::size_t t = tier_at(after);
      reprice(st, c.deal, LineKind::retro_cliff,
              tier_label(t) + " reached at " + format_money(money(after)) + ": the cliff pays " +
                  spec_.tiers[t].rate.to_percent() + " on the earlier " + format_money(money(before)),
              gate_open, [t](const Record&) { return t; });
    }
    if (retro) reached_ = tier_at(after);
    // B. Decelerators lifted: earlier slices to the full rate.
    for (std::size_t i = 0; i < mods_.size(); ++i) {
      if (mods_[i].lifted || after < mods_[i].lift) continue;
      mods_[i].lifted = true;
      if (records_.empty()) continue;
      const std::size_t mark = st.lines.size();
      reprice(st, c.deal, LineKind::lift_topup,
              mods_[i].label + " lifted at " + format_bp(*spec_.modifiers[i].lift_at_bp) +
                  "% of quota: earlier slices topped up to the full rate",
              gate_open, [&](const Record& r) { return retro ? reached_ : r.tier; });
      for (std::size_t k = mark; k < st.lines.size(); ++k)
        if (st.lines[k].kind == LineKind::lift_topup) st.lines[k].factor = mods_[i].multiplier;
    }
    // C. The deal's own slices (or its per-deal amount).
    std::int64_t earned = 0, gated = 0;
    int slices = 0;
    if (spec_.kind == StructureKind::per_deal) {
      earned = spec_.per_deal_amount.minor_units();
      std::string why = "per deal: " + format_money(spec_.per_deal_amount);
      if (spec_.per_deal_unit && c.measure.minor_units() != *spec_.per_deal_unit) {
        earned =
            narrow(round_div(mul(earned, c.measure.minor_units()), *spec_.per_deal_unit, spec_.rounding));
        why += " × " + format_bp(c.measure.minor_units() * 10000 / *spec_.per_deal_unit) + "% of the deal";
      }
      add(st, c.deal, LineKind::per_deal, earned, why);
      if (spec_.gate && after < gate_) gated = earned;
    } else {
      std::vector<std::int64_t> cuts = {before, after};
      auto cut = [&](std::int64_t x) {
        if (x > before && x < after) cuts.push_back(x);
      };
      if (!retro)
        for (std::int64_t f : from_) cut(f);
      for (const Mod& m : mods_) {
        cut(m.from);
        cut(m.to);
      }
      if (spec_.gate) cut(gate_);
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
      for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        Record r{cuts[k], cuts[k + 1], retro ? reached_ : tier_at(cuts[k]), mod_at(cuts[k]), 0,
                 false,   deals_};
        r.gated = spec_.gate && r.a < gate_;
        Rate rate;
        r.value = value(r.a, r.b, r.tier, multiplier(r.mod), &rate);
        std::string reason = spec_.kind == StructureKind::flat ? "flat " + spec_.tiers[0].rate.to_percent()
                                                               : tier_label(r.tier);
        if (spec_.kind == StructureKind::interpolated) reason += ", interpolated";
        reason += " from " + format_money(money(r.a));
        if (r.mod >= 0 && !mods_[r.mod].lifted) reason += ", " + mods_[r.mod].label;
        add(st, c.deal, LineKind::slice, r.value, std::move(reason));
        Line& line = st.lines.back();
        line.slice_from = money(r.a);
        line.slice_to = money(r.b);
        line.tier = static_cast<int>(r.tier) + 1;
        line.rate = rate;
        if (r.mod >= 0 && !mods_[r.mod].lifted) line.factor = mods_[r.mod].multiplier;
        earned += r.value;
        if (r.gated) gated += r.value;
        ++slices;
        records_.push_back(r);
      }
    }
    // D. Per-deal cap, then the gate on what is left of the deal.
    if (spec_.cap_per_deal && earned > spec_.cap_per_deal->minor_units()) {
      const std::int64_t cut = earned - spec_.cap_per_deal->minor_units();
      add(st, c.deal, LineKind::cap_deal, -cut, "cap per deal " + format_money(*spec_.cap_per_deal));
      gated = std::min(gated, earned - cut);
    }
    if (gated > 0 && !gate_open) {
      withheld_ += gated;
      add(st, c.deal, LineKind::gate, -gated, gate_reason());
    }
    if (gate_open && !gate_released_) {
      gate_released_ = true;
      if (withheld_ > 0)
        add(st, c.deal, LineKind::gate_release, withheld_,
            "gate reached at " + format_bp(spec_.gate->threshold_bp) + "% of quota: withheld amount paid");
      withheld_ = 0;
    }
    // E. Period and total caps on the running total.
    if (spec_.cap_per_period && running_ > spec_.cap_per_period->minor_units())
      add(st, c.deal, LineKind::cap_period, spec_.cap_per_period->minor_units() - running_,
          "cap per period " + format_money(*spec_.cap_per_period));
    if (spec_.cap_total) {
      const std::int64_t room =
          spec_.cap_total->minor_units() - (paid_before_ ? paid_before_->minor_units() : 0);
      if (running_ > std::max<std::int64_t>(room, 0))
        add(st, c.deal, LineKind::cap_total, std::max<std::int64_t>(room, 0) - running_,
            "cap on total payout " + format_money(*spec_.cap_total));
    }
    ++deals_;
    DealSummary s;
    s.deal = c.deal;
    s.measure = c.measure;
    s.earned = money(earned);
    std::int64_t paid = 0;
    for (std::size_t i = first_line; i < st.lines.size(); ++i) paid += st.lines[i].amount.minor_units();
    s.paid = money(paid);
    s.blended = c.measure.is_zero() ? Rate{0, 1} : reduce(earned, c.measure.minor_units());
    s.crosses_boundary = slices > 1;
    st.deals.push_back(std::move(s));
    st.measure_total = money(after);
    cumulative_ = after;
  }

  const RateSpec& spec_;
  std::optional<Money> paid_before_;
  std::vector<std::int64_t> from_;  // tier bounds in minor units
  std::vector<Mod> mods_;
  std::int64_t gate_ = 0;
  std::int64_t common_den_ = 1;
  std::vector<Record> records_;
  std::size_t deals_ = 0;  // deals priced so far
  std::int64_t cumulative_ = 0, running_ = 0, withheld_ = 0;
  std::size_t reached_ = 0;
  bool gate_released_ = false;
  bool overflow_ = false;
};

}  // namespace

Result<Statement> detail::run(const RateSpec& spec, std::span<const Credit> credits,
                              std::optional<Money> paid_before) {
  Engine engine(spec, paid_before);
  return engine.run(credits);
}

Result<Statement> compute_period(const RateSpec& spec, std::span<const Credit> credits,
                                 std::optional<Money> paid_before) {
  DEALFLOW_RETURN_IF_ERROR(validate(spec));
  Int128 sum = 0;
  for (std::size_t i = 0; i < credits.size(); ++i) {
    const Credit& c = credits[i];
    Location where;
    where.json_path = "/credits/" + std::to_string(i) + "/measure";
    if (c.measure.currency() != spec.currency)
      return Status(ErrorCode::currency_mismatch,
                    "deal '" + c.deal + "': measure " + c.measure.to_string() +
                        " is not in the plan's currency " + std::string(spec.currency.code()),
                    where);
    if (c.measure.minor_units() < 0)
      return Status(ErrorCode::invalid_argument,
                    "deal '" + c.deal + "': measure " + c.measure.to_string() +
                        " is negative; expected a credit >= 0 (reversals are clawbacks)",
                    where);
    sum += c.measure.minor_units();
    if (sum > Int128(std::numeric_limits<std::int64_t>::max()) / 1'000'000)
      return Status(ErrorCode::overflow, "the period's measure exceeds the supported range", where);
  }
  if (paid_before && paid_before->currency() != spec.currency)
    return Status(ErrorCode::currency_mismatch, "paid_before " + paid_before->to_string() +
                                                    " is not in the plan's currency " +
                                                    std::string(spec.currency.code()));
  return detail::run(spec, credits, paid_before);
}

}  // namespace dealflow::compensation
