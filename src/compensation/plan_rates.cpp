// Rate plans and their components (compensation/plan.h): measures, credit,
// filters, rate structures compiled into RateSpec, gates, caps and SPIFs.
#include <string>
#include <vector>

#include "compensation/plan_detail.h"
#include "compensation/rates_detail.h"

namespace dealflow::compensation::detail {
namespace {

enum class Basis : std::uint8_t { attainment, amount, count };

bool is_money(Measure m) {
  return m != Measure::won_count;
}

bool rate_less(const Rate& a, const Rate& b) {
  return detail::Int128(a.num) * b.den < detail::Int128(b.num) * a.den;
}

// A threshold of a tier table on `basis`, in its unit (bp, minor units, count units).
Result<std::int64_t> read_threshold(const JsonReader& node, Basis basis, const CompensationPlan& plan) {
  const bool percent = node.node().is_string() && !node.node().get_ref<const std::string&>().empty() &&
                       node.node().get_ref<const std::string&>().back() == '%';
  const std::string q = node.node().is_string() ? "'" + node.node().get<std::string>() + "'" : quoted(node);
  switch (basis) {
    case Basis::attainment:
      if (!percent && node.node().is_string())
        return node.error(q + ": an amount in a table on attainment: expected a percentage such as 100%");
      return read_attainment(node);
    case Basis::amount: {
      if (percent)
        return node.error(q + ": a percentage in a table on amount: expected an amount such as 10000.00");
      auto m = read_money(node, plan.currency, "a tier", true);
      if (!m) return m.status();
      if (m->currency() != plan.currency) {
        return node.error(q + ": a tier in " + std::string(m->currency().code()) +
                          "; the component measures " + std::string(plan.currency.code()) +
                          " (the plan's currency): expected every threshold in " +
                          std::string(plan.currency.code()));
      }
      return m->minor_units();
    }
    case Basis::count: {
      if (!node.node().is_number_integer())
        return node.error(q + ": expected a count (a whole number) in a table on count");
      auto n = read_count(node);
      if (!n) return n.status();
      if (*n > INT64_MAX / kCountUnit) return node.error(q + ": expected a smaller count");
      return *n * kCountUnit;
    }
  }
  return node.error("unreachable");
}

std::string show(std::int64_t v, Basis basis, const CompensationPlan& plan) {
  if (basis == Basis::attainment) return show_bp(v);
  if (basis == Basis::count) return std::to_string(v / kCountUnit);
  return show_amount(v, plan.currency);
}

// tiers[] of marginal / retroactive tables.
Status read_tiers(const JsonReader& rate, Basis basis, const CompensationPlan& plan, RateSpec& spec) {
  auto tiers = rate.array("tiers", true);
  if (!tiers) return tiers.status();
  if (tiers->empty()) return rate.error_at("tiers", "empty: expected at least one tier");
  std::vector<std::optional<std::int64_t>> tos;
  for (std::size_t i = 0; i < tiers->size(); ++i) {
    const JsonReader& t = (*tiers)[i];
    DEALFLOW_RETURN_IF_ERROR(t.require_object());
    DEALFLOW_RETURN_IF_ERROR(t.reject_unknown_keys({"from", "to", "rate", "note"}));
    auto from_node = t.get("from");
    if (!from_node) return t.error("missing \"from\": expected the tier's lower bound");
    auto from = read_threshold(*from_node, basis, plan);
    if (!from) return from.status();
    auto rate_node = t.get("rate");
    if (!rate_node) return t.error("missing \"rate\": expected the tier's rate such as 3%");
    auto r = read_rate(*rate_node);
    if (!r) return r.status();
    if (i == 0 && *from != 0)
      return from_node->error(quoted(*from_node) + ": expected the first tier from 0");
    if (i > 0 && *from <= spec.tiers.back().from) {
      return from_node->error(
          quoted(*from_node) + ": " + (*from == spec.tiers.back().from ? "equal to" : "below") +
          " the previous tier's from " + show(spec.tiers.back().from, basis, plan) + " (at " +
          (*tiers)[i - 1].path() + "): tiers overlap; expected strictly increasing from");
    }
    if (i > 0 && tos.back() && *tos.back() != *from) {
      const JsonReader prev = *(*tiers)[i - 1].get("to");
      return prev.error(quoted(prev) + (*tos.back() < *from ? " leaves a gap to" : " overlaps") +
                        " the next tier from " + show(*from, basis, plan) +
                        ": expected to equal to the next from");
    }
    std::optional<std::int64_t> to;
    if (auto to_node = t.get("to")) {
      if (i + 1 == tiers->size())
        return to_node->error(quoted(*to_node) + ": the last tier is open: expected no \"to\"");
      auto v = read_threshold(*to_node, basis, plan);
      if (!v) return v.status();
      to = *v;
    }
    tos.push_back(to);
    spec.tiers.push_back(Tier{*from, *r, basis == Basis::amount ? plan.currency : Currency{}});
  }
  return Status::ok_status();
}

// points[] of interpolated structures.
Status read_points(const JsonReader& rate, Basis basis, Pays pays, const CompensationPlan& plan,
                   std::vector<Tier>& out) {
  auto points = rate.array("points", true);
  if (!points) return points.status();
  if (points->size() < 2) return rate.error_at("points", "expected at least two points");
  const std::string_view field = pays == Pays::rate ? "rate" : "share_of_ti";
  const std::string_view other = pays == Pays::rate ? "share_of_ti" : "rate";
  for (std::size_t i = 0; i < points->size(); ++i) {
    const JsonReader& p = (*points)[i];
    DEALFLOW_RETURN_IF_ERROR(p.require_object());
    DEALFLOW_RETURN_IF_ERROR(p.reject_unknown_keys({"at", "rate", "share_of_ti", "note"}));
    if (p.has(other)) {
      return p.error_at(other, "\"" + std::string(other) + "\" with pays " +
                                   (pays == Pays::rate ? "rate" : "target_incentive") + ": expected \"" +
                                   std::string(field) + "\"");
    }
    auto at_node = p.get("at");
    if (!at_node) return p.error("missing \"at\": expected the point's attainment or amount");
    auto at = read_threshold(*at_node, basis, plan);
    if (!at) return at.status();
    auto v_node = p.get(field);
    if (!v_node) return p.error("missing \"" + std::string(field) + "\"");
    Result<Rate> v = pays == Pays::rate ? read_rate(*v_node) : Result<Rate>(Rate{});
    if (pays == Pays::target_incentive) {
      auto share = read_attainment(*v_node);
      if (!share) return share.status();
      v = Rate::bp(*share);
    }
    if (!v) return v.status();
    if (!out.empty() && *at <= out.back().from)
      return at_node->error(quoted(*at_node) + ": expected \"at\" strictly increasing");
    if (!out.empty() && rate_less(*v, out.back().rate))
      return v_node->error(quoted(*v_node) + ": expected rates non-decreasing in attainment");
    out.push_back(Tier{*at, *v, basis == Basis::amount ? plan.currency : Currency{}});
  }
  return Status::ok_status();
}

// modifiers[]: accelerators and decelerators on attainment.
Status read_modifiers(const JsonReader& rate, RateSpec& spec) {
  auto mods = rate.array("modifiers");
  if (!mods) return mods.status();
  for (std::size_t i = 0; i < mods->size(); ++i) {
    const JsonReader& m = (*mods)[i];
    DEALFLOW_RETURN_IF_ERROR(m.require_object());
    DEALFLOW_RETURN_IF_ERROR(m.reject_unknown_keys({"from", "to", "factor", "lifted_at", "note"}));
    Modifier mod;
    auto from_node = m.get("from");
    if (!from_node) return m.error("missing \"from\": expected the attainment the modifier starts at");
    auto from = read_attainment(*from_node);
    if (!from) return from.status();
    mod.from_bp = *from;
    if (auto to_node = m.get("to")) {
      auto to = read_attainment(*to_node);
      if (!to) return to.status();
      if (*to <= *from)
        return to_node->error(quoted(*to_node) + ": expected \"to\" above \"from\" " + show_bp(*from));
      mod.to_bp = *to;
    }
    auto factor_node = m.get("factor");
    if (!factor_node) return m.error("missing \"factor\": expected a factor such as 1.5");
    auto factor = read_factor(*factor_node);
    if (!factor) return factor.status();
    mod.multiplier = *factor;
    if (auto lift_node = m.get("lifted_at")) {
      auto lift = read_attainment(*lift_node);
      if (!lift) return lift.status();
      const std::string q = quoted(*lift_node);
      if (factor->num >= factor->den)
        return lift_node->error(q + ": only a decelerator (factor below 1) is lifted: factor " +
                                factor_node->node().get<std::string>());
      if (!mod.to_bp) return lift_node->error(q + ": a lifted decelerator needs an end: expected \"to\"");
      if (*lift < *mod.to_bp)
        return lift_node->error(q + ": below the decelerator's end " + show_bp(*mod.to_bp) +
                                ": expected lifted_at >= to");
      mod.lift_at_bp = *lift;
    }
    for (std::size_t j = 0; j < spec.modifiers.size(); ++j) {
      const Modifier& o = spec.modifiers[j];
      const bool before = o.to_bp && *o.to_bp <= mod.from_bp;
      const bool after = mod.to_bp && *mod.to_bp <= o.from_bp;
      if (!before && !after)
        return m.error("overlaps the modifier at " + (*mods)[j].path() + " (from " + show_bp(o.from_bp) +
                       "): expected non-overlapping attainment ranges");
    }
    spec.modifiers.push_back(mod);
  }
  return Status::ok_status();
}

// rate: the structure of a commission component.
Status read_rate_structure(const JsonReader& rate, const CompensationPlan& plan, Component& c) {
  DEALFLOW_RETURN_IF_ERROR(rate.require_object());
  DEALFLOW_RETURN_IF_ERROR(rate.reject_unknown_keys(
      {"type", "rate", "amount", "on", "tiers", "points", "pays", "modifiers", "note"}));
  auto type_node = rate.get("type");
  if (!type_node)
    return rate.error("missing \"type\": expected flat, per_deal, marginal, retroactive or interpolated");
  auto type = read_string(*type_node, "a rate type");
  if (!type) return type.status();
  static constexpr std::pair<std::string_view, StructureKind> kTypes[] = {
      {"flat", StructureKind::flat},
      {"per_deal", StructureKind::per_deal},
      {"marginal", StructureKind::marginal},
      {"retroactive", StructureKind::retroactive},
      {"interpolated", StructureKind::interpolated}};
  std::optional<StructureKind> kind;
  for (const auto& [name, k] : kTypes)
    if (name == *type) kind = k;
  if (!kind)
    return type_node->error("'" + *type +
                            "': expected flat, per_deal, marginal, retroactive or interpolated");
  RateSpec& spec = c.rate;
  spec.kind = *kind;
  const bool tables = *kind == StructureKind::marginal || *kind == StructureKind::retroactive ||
                      *kind == StructureKind::interpolated;
  // Keys that belong to other types.
  const std::pair<std::string_view, bool> allowed[] = {
      {"rate", *kind == StructureKind::flat},
      {"amount", *kind == StructureKind::per_deal},
      {"on", tables},
      {"tiers", *kind == StructureKind::marginal || *kind == StructureKind::retroactive},
      {"points", *kind == StructureKind::interpolated},
      {"pays", *kind == StructureKind::interpolated},
      {"modifiers", *kind != StructureKind::per_deal}};
  for (const auto& [key, ok] : allowed)
    if (!ok && rate.has(key))
      return rate.error_at(key, "\"" + std::string(key) + "\" is not allowed with type " + *type);
  if (*kind == StructureKind::per_deal && c.measure != Measure::won_count) {
    return type_node->error("'per_deal': pays per deal: expected measure won_count (the component measures " +
                            std::string(to_string(c.measure)) + ")");
  }
  if (*kind == StructureKind::flat) {
    auto r_node = rate.get("rate");
    if (!r_node) return rate.error("missing \"rate\": expected a rate such as 3%");
    auto r = read_rate(*r_node);
    if (!r) return r.status();
    spec.tiers = {Tier{0, *r, {}}};
  } else if (*kind == StructureKind::per_deal) {
    auto a_node = rate.get("amount");
    if (!a_node) return rate.error("missing \"amount\": expected the amount per deal such as 5000.00");
    auto a = read_money(*a_node, plan.currency, "a per-deal amount");
    if (!a) return a.status();
    spec.per_deal_amount = *a;
    spec.per_deal_unit = kCountUnit;  // a split deal's share pays its share (docs/compensation.md "per_deal")
  } else {
    auto on_node = rate.get("on");
    if (!on_node) return rate.error("missing \"on\": expected attainment, amount or count");
    auto on = read_string(*on_node, "attainment, amount or count");
    if (!on) return on.status();
    Basis basis = Basis::attainment;
    if (*on == "amount")
      basis = Basis::amount;
    else if (*on == "count")
      basis = Basis::count;
    else if (*on != "attainment")
      return on_node->error("'" + *on + "': expected attainment, amount or count");
    if (basis == Basis::amount && !is_money(c.measure))
      return on_node->error(
          "'amount': a table on amount with measure won_count: expected on count or attainment");
    if (basis == Basis::count && is_money(c.measure)) {
      return on_node->error("'count': a table on count with measure " + std::string(to_string(c.measure)) +
                            ": expected on amount or attainment");
    }
    spec.basis = basis == Basis::attainment ? TierBasis::attainment : TierBasis::amount;
    if (*kind == StructureKind::interpolated) {
      if (auto pays_node = rate.get("pays")) {
        auto pays = read_string(*pays_node, "rate or target_incentive");
        if (!pays) return pays.status();
        // A share of the target incentive (TI × the curve at the period's attainment) is not a
        // rate on the measure: its exact per-deal slices would need rates with denominators of
        // quota × points, beyond what statements price exactly (docs/compensation.md "Decisions").
        if (*pays == "target_incentive")
          return pays_node->error(
              "'target_incentive': not supported: statements pay rates on the measure; "
              "expected \"rate\" (points of a rate linear in attainment)");
        if (*pays != "rate") return pays_node->error("'" + *pays + "': expected rate");
      }
      DEALFLOW_RETURN_IF_ERROR(
          read_points(rate, basis, c.pays, plan, c.pays == Pays::rate ? spec.tiers : c.ti_points));
      // Points from above 0 pay the first point's rate below it (decision 15): a flat point at 0,
      // so that validation and pricing see the same curve.
      if (!spec.tiers.empty() && spec.tiers[0].from > 0)
        spec.tiers.insert(spec.tiers.begin(), Tier{0, spec.tiers[0].rate, spec.tiers[0].currency});
    } else {
      DEALFLOW_RETURN_IF_ERROR(read_tiers(rate, basis, plan, spec));
    }
  }
  return read_modifiers(rate, spec);
}

Status read_filter(const JsonReader& node, const CompensationPlan& plan, Component& c) {
  DEALFLOW_RETURN_IF_ERROR(node.require_object());
  for (const auto& [key, value] : node.node().items()) {
    const JsonReader v = *node.get(key);
    Filter f;
    f.dimension = key;
    if (value.is_string()) {
      f.values.push_back(value.get<std::string>());
    } else if (value.is_array()) {
      auto values = node.string_array(key);
      if (!values) return values.status();
      if (values->empty()) return v.error("an empty list: expected at least one value");
      f.values = *values;
    } else {
      return v.error(std::string(json_type_name(value)) + ": expected a value or a list of values");
    }
    if (key == "business")
      for (const std::string& b : f.values)
        if (b != "new" && b != "repeat") return v.error("'" + b + "': expected new or repeat");
    (void)plan;
    c.filters.push_back(std::move(f));
  }
  return Status::ok_status();
}

Status read_spif(const JsonReader& node, const CompensationPlan& plan, Component& c) {
  DEALFLOW_RETURN_IF_ERROR(node.require_object());
  DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys({"amount", "per", "from", "to", "min_amount", "note"}));
  Spif s;
  auto amount_node = node.get("amount");
  if (!amount_node) return node.error("missing \"amount\": expected the amount per qualifying deal");
  auto amount = read_money(*amount_node, plan.currency, "a SPIF amount");
  if (!amount) return amount.status();
  if (!amount->is_positive())
    return amount_node->error("'" + amount->to_string() + "': expected an amount above 0");
  s.amount = *amount;
  if (auto per = node.get("per")) {
    auto p = read_string(*per, "deal");
    if (!p) return p.status();
    if (*p != "deal") return per->error("'" + *p + "': expected deal");
  }
  for (auto [key, out] : {std::pair<const char*, std::optional<Date>*>{"from", &s.from}, {"to", &s.to}}) {
    if (auto d_node = node.get(key)) {
      auto d = read_date(*d_node, plan.utc_offset_minutes);
      if (!d) return d.status();
      *out = *d;
    }
  }
  if (s.from && s.to && *s.to < *s.from)
    return node.error_at(
        "to", "'" + s.to->to_string() + "' is before from " + s.from->to_string() + ": expected to >= from");
  if (auto m_node = node.get("min_amount")) {
    auto m = read_money(*m_node, plan.currency, "a SPIF minimum");
    if (!m) return m.status();
    s.min_amount = *m;
  }
  c.spif = s;
  return Status::ok_status();
}

// gate and caps, after the rate structure (they are checked against its tiers).
Status read_gate_and_caps(const JsonReader& node, const CompensationPlan& plan, Component& c) {
  RateSpec& spec = c.rate;
  if (auto g = node.get("gate")) {
    auto bp = read_attainment(*g);
    if (!bp) return bp.status();
    if (*bp == 0) return g->error("'0%': expected a gate above 0%");
    spec.gate = Gate{*bp, true};  // docs: at or above the gate everything is paid, from the first deal
  }
  auto caps = node.get("caps");
  if (!caps) return Status::ok_status();
  DEALFLOW_RETURN_IF_ERROR(caps->require_object());
  DEALFLOW_RETURN_IF_ERROR(caps->reject_unknown_keys({"per_deal", "per_period", "measure_cap", "note"}));
  for (auto [key, out] : {std::pair<const char*, std::optional<Money>*>{"per_deal", &spec.cap_per_deal},
                          {"per_period", &spec.cap_per_period}}) {
    if (auto m_node = caps->get(key)) {
      auto m = read_money(*m_node, plan.currency, "a cap");
      if (!m) return m.status();
      if (!m->is_positive())
        return m_node->error("'" + m_node->node().get<std::string>() + "': expected a cap above 0");
      *out = *m;
    }
  }
  if (spec.cap_per_deal && spec.cap_per_period &&
      spec.cap_per_period->minor_units() < spec.cap_per_deal->minor_units()) {
    return caps->error_at("per_period", "'" + caps->get("per_period")->node().get<std::string>() +
                                            "': below the per-deal cap " +
                                            show_amount(spec.cap_per_deal->minor_units(), plan.currency) +
                                            ": expected per_period >= per_deal");
  }
  if (auto mc_node = caps->get("measure_cap")) {
    auto mc = read_attainment(*mc_node);
    if (!mc) return mc.status();
    const std::string q = "'" + show_bp(*mc) + "'";
    if (spec.gate && *mc <= spec.gate->threshold_bp)
      return mc_node->error(q + ": at or below the gate " + show_bp(spec.gate->threshold_bp) +
                            ": nothing could be paid; expected a measure cap above the gate");
    if (spec.basis == TierBasis::attainment && c.pays == Pays::rate) {
      const std::string what = spec.kind == StructureKind::interpolated ? "point" : "tier";
      for (std::size_t i = 0; i < spec.tiers.size(); ++i) {
        if (spec.tiers[i].from >= *mc && spec.tiers[i].from > 0) {
          return mc_node->error(q + ": " + (spec.tiers[i].from == *mc ? "at" : "below") + " the " + what +
                                " from " + show_bp(spec.tiers[i].from) + " (at " + c.path + "/rate/" +
                                (what == "tier" ? "tiers/" : "points/") + std::to_string(i) + "): the " +
                                what + " cannot be reached");
        }
      }
    }
    c.measure_cap_bp = *mc;
  }
  return Status::ok_status();
}

Result<Component> read_component(const JsonReader& node, const CompensationPlan& plan) {
  DEALFLOW_RETURN_IF_ERROR(node.require_object());
  DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys(
      {"id", "kind", "measure", "credit", "filter", "rate", "gate", "caps", "spif", "note"}));
  Component c;
  c.path = node.path();
  auto id = node.required_string("id");
  if (!id) return id.status();
  if (id->empty()) return node.error_at("id", "empty: expected a component id");
  c.id = *id;
  auto kind = node.optional_string("kind", "commission");
  if (!kind) return kind.status();
  if (*kind == "spif")
    c.kind = ComponentKind::spif;
  else if (*kind != "commission")
    return node.error_at("kind", "'" + *kind + "': expected commission or spif");
  auto measure = node.optional_string("measure", "won_amount");
  if (!measure) return measure.status();
  if (*measure == "margin")
    c.measure = Measure::margin;
  else if (*measure == "won_count")
    c.measure = Measure::won_count;
  else if (*measure != "won_amount")
    return node.error_at("measure", "'" + *measure + "': expected won_amount, margin or won_count");
  if (c.measure == Measure::margin && plan.margin_field.empty())
    return node.error_at("measure", "'margin': expected \"margin_field\" in the plan");
  auto credit = node.optional_string("credit", "direct");
  if (!credit) return credit.status();
  if (*credit == "overlay")
    c.credit = CreditBasis::overlay;
  else if (*credit != "direct")
    return node.error_at("credit", "'" + *credit + "': expected direct or overlay");
  if (auto f = node.get("filter")) DEALFLOW_RETURN_IF_ERROR(read_filter(*f, plan, c));
  c.rate.name = c.id;
  c.rate.currency = plan.currency;
  c.rate.rounding = plan.rounding;
  if (c.kind == ComponentKind::spif) {
    for (std::string_view key : {"rate", "gate", "caps"})
      if (node.has(key))
        return node.error_at(key, "\"" + std::string(key) + "\" is not allowed in a spif component");
    auto spif = node.get("spif");
    if (!spif) return node.error("missing \"spif\": a spif component needs {amount, per, from, to}");
    DEALFLOW_RETURN_IF_ERROR(read_spif(*spif, plan, c));
    return c;
  }
  if (node.has("spif")) return node.error_at("spif", "\"spif\" is only allowed with kind spif");
  auto rate = node.get("rate");
  if (!rate) return node.error("missing \"rate\": a commission component needs a rate structure");
  DEALFLOW_RETURN_IF_ERROR(read_rate_structure(*rate, plan, c));
  DEALFLOW_RETURN_IF_ERROR(read_gate_and_caps(node, plan, c));
  return c;
}

}  // namespace

Result<RatePlan> read_rate_plan(const JsonReader& node, const CompensationPlan& plan) {
  DEALFLOW_RETURN_IF_ERROR(node.require_object());
  DEALFLOW_RETURN_IF_ERROR(
      node.reject_unknown_keys({"id", "name", "components", "cap_total", "clawback_policy", "note"}));
  RatePlan p;
  p.path = node.path();
  auto id = node.required_string("id");
  if (!id) return id.status();
  if (id->empty()) return node.error_at("id", "empty: expected a plan id");
  p.id = *id;
  auto name = node.optional_string("name", p.id);
  if (!name) return name.status();
  p.name = *name;
  auto comps = node.array("components", true);
  if (!comps) return comps.status();
  if (comps->empty()) return node.error_at("components", "empty: expected at least one component");
  for (const JsonReader& cn : *comps) {
    auto c = read_component(cn, plan);
    if (!c) return c.status();
    for (const Component& o : p.components)
      if (o.id == c->id)
        return cn.error_at(
            "id", "'" + c->id + "': already the id of " + o.path + ": expected unique component ids");
    p.components.push_back(std::move(*c));
  }
  if (auto cap = node.get("cap_total")) {
    auto s = read_string(*cap, "an amount or \"<factor>x target_incentive\"");
    if (!s) return s.status();
    constexpr std::string_view kTi = "x target_incentive";
    if (s->size() > kTi.size() && s->ends_with(kTi)) {
      auto f = parse_scaled(std::string_view(*s).substr(0, s->size() - kTi.size()), 4);
      if (!f || *f == 0 || *f > 100 * 10000)
        return cap->error("'" + *s + "': expected a factor above 0 such as 2x target_incentive");
      p.cap_total_ti_factor = Rate::ratio(*f, 10000);
    } else {
      auto m = read_money(*cap, plan.currency, "a total cap");
      if (!m) return m.status();
      if (!m->is_positive()) return cap->error("'" + *s + "': expected a cap above 0");
      p.cap_total = *m;
    }
  }
  if (auto cp = node.get("clawback_policy")) {
    auto s = read_string(*cp, "historic-rate or recompute-period");
    if (!s) return s.status();
    if (*s == "historic-rate")
      p.clawback_policy = ClawbackPolicy::historic_rate;
    else if (*s == "recompute-period")
      p.clawback_policy = ClawbackPolicy::recompute_period;
    else
      return cp->error("'" + *s + "': expected historic-rate or recompute-period");
  }
  return p;
}

}  // namespace dealflow::compensation::detail
