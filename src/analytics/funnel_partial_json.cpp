// FunnelPartial::to_json / parse: a partial as JSON text, with its query, so
// that shards computed in other processes or machines merge (docs/funnel.md,
// "Partials across processes").
#include <limits>
#include <string>

#include "dealflow/analytics/funnel.h"
#include "dealflow/io/json.h"

namespace dealflow::analytics {
namespace {

constexpr std::string_view kFormat = "dealflow-funnel-partial";

Json instant_or_null(const std::optional<Instant>& t) {
  return t ? Json(format_iso(*t)) : Json(nullptr);
}

// An int64 element: "expected an integer" or out of range, located at the element.
Result<std::int64_t> integer(const JsonReader& r) {
  const Json& n = r.node();
  if (n.is_number_unsigned()) {
    const std::uint64_t u = n.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return r.error("integer " + n.dump() + " is out of range: expected at most " +
                         std::to_string(std::numeric_limits<std::int64_t>::max()),
                     ErrorCode::parse_error);
    }
    return static_cast<std::int64_t>(u);
  }
  if (n.is_number_integer()) return n.get<std::int64_t>();
  return r.error("expected an integer, got " + (n.is_number() ? n.dump() : std::string(json_type_name(n))),
                 ErrorCode::parse_error);
}

// Member `key`: an ISO instant, or null/absent when `nullable`.
Result<std::optional<Instant>> instant_member(const JsonReader& r, std::string_view key, bool nullable) {
  auto child = r.get(key);
  if (!child || child->node().is_null()) {
    if (nullable) return std::optional<Instant>();
    return r.error_at(key, "missing: expected an ISO 8601 instant", ErrorCode::parse_error);
  }
  auto text = child->as_string();
  if (!text) return text.status();
  auto t = parse_instant(*text);
  if (!t) {
    return child->error("'" + *text + "' is not an instant: expected ISO 8601 like 2024-03-01T09:00:00Z",
                        ErrorCode::parse_error);
  }
  return std::optional<Instant>(*t);
}

Result<std::vector<std::int64_t>> integer_array(const JsonReader& r, std::string_view key) {
  auto items = r.array(key, true);
  if (!items) return items.status();
  std::vector<std::int64_t> out;
  out.reserve(items->size());
  for (const JsonReader& item : *items) {
    auto v = integer(item);
    if (!v) return v.status();
    out.push_back(*v);
  }
  return out;
}

}  // namespace

std::string FunnelPartial::to_json() const {
  Json q = {{"rule", std::string(analytics::to_string(query_.rule))},
            {"basis", std::string(analytics::to_string(query_.basis))},
            {"from", instant_or_null(query_.from)},
            {"to", instant_or_null(query_.to)},
            {"as_of", format_iso(query_.as_of)},
            {"pipeline", query_.pipeline_id},
            {"group_by", query_.group_by},
            {"utc_offset_minutes", query_.utc_offset_minutes},
            {"conversion", query_.conversion}};
  Json sparse = Json::array();
  for (const ReasonCount& r : sparse_) sparse.push_back(Json::array({r.group, r.cell, r.count}));
  Json j = {{"format", kFormat},     {"version", kPartialFormatVersion},
            {"query", std::move(q)}, {"sparse_reasons", sparse_reasons_},
            {"overflow", overflow_}, {"counters", counters_},
            {"reasons", reasons_},   {"sparse", std::move(sparse)}};
  return dump_json(j, -1);
}

Result<FunnelPartial> FunnelPartial::parse(std::string_view text, std::string_view source) {
  auto doc = parse_json(text, source);
  if (!doc) return doc.status();
  const JsonReader root(*doc, std::string(source));
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(root.reject_unknown_keys(
      {"format", "version", "query", "sparse_reasons", "overflow", "counters", "reasons", "sparse"}));
  auto format = root.required_string("format");
  if (!format) return format.status();
  if (*format != kFormat) {
    return root.error_at("format", "'" + *format + "': expected '" + std::string(kFormat) + "'",
                         ErrorCode::parse_error);
  }
  auto version = root.optional_integer("version", -1);
  if (!version) return version.status();
  if (*version != kPartialFormatVersion) {
    return root.error_at("version",
                         "version " + std::to_string(*version) + " is not supported: expected " +
                             std::to_string(kPartialFormatVersion),
                         ErrorCode::parse_error);
  }

  FunnelPartial p;
  auto qr = root.get("query");
  if (!qr) return root.error_at("query", "missing: expected the query object", ErrorCode::parse_error);
  DEALFLOW_RETURN_IF_ERROR(qr->require_object());
  DEALFLOW_RETURN_IF_ERROR(qr->reject_unknown_keys(
      {"rule", "basis", "from", "to", "as_of", "pipeline", "group_by", "utc_offset_minutes", "conversion"}));
  auto rule = qr->required_string("rule");
  if (!rule) return rule.status();
  const auto parsed_rule = parse_counting_rule(*rule);
  if (!parsed_rule) {
    return qr->error_at("rule", "'" + *rule + "': expected high-water, touched, strict or snapshot",
                        ErrorCode::parse_error);
  }
  p.query_.rule = *parsed_rule;
  auto basis = qr->required_string("basis");
  if (!basis) return basis.status();
  const auto parsed_basis = parse_funnel_basis(*basis);
  if (!parsed_basis)
    return qr->error_at("basis", "'" + *basis + "': expected created or closed", ErrorCode::parse_error);
  p.query_.basis = *parsed_basis;
  auto from = instant_member(*qr, "from", true);
  if (!from) return from.status();
  auto to = instant_member(*qr, "to", true);
  if (!to) return to.status();
  auto as_of = instant_member(*qr, "as_of", false);
  if (!as_of) return as_of.status();
  p.query_.from = *from;
  p.query_.to = *to;
  p.query_.as_of = **as_of;
  auto pipeline = qr->required_string("pipeline");
  if (!pipeline) return pipeline.status();
  p.query_.pipeline_id = std::move(*pipeline);
  auto group_by = qr->optional_string("group_by", "");
  if (!group_by) return group_by.status();
  p.query_.group_by = std::move(*group_by);
  auto offset = qr->optional_integer("utc_offset_minutes", 0);
  if (!offset) return offset.status();
  if (*offset < -24 * 60 || *offset > 24 * 60) {
    return qr->error_at("utc_offset_minutes",
                        std::to_string(*offset) + " is out of range: expected -1440..1440",
                        ErrorCode::parse_error);
  }
  p.query_.utc_offset_minutes = static_cast<int>(*offset);
  auto conversion = qr->optional_string("conversion", "");
  if (!conversion) return conversion.status();
  p.query_.conversion = std::move(*conversion);

  auto sparse_reasons = root.optional_bool("sparse_reasons", false);
  if (!sparse_reasons) return sparse_reasons.status();
  p.sparse_reasons_ = *sparse_reasons;
  auto overflow = root.optional_bool("overflow", false);
  if (!overflow) return overflow.status();
  p.overflow_ = *overflow;
  auto counters = integer_array(root, "counters");
  if (!counters) return counters.status();
  p.counters_ = std::move(*counters);
  auto reasons = integer_array(root, "reasons");
  if (!reasons) return reasons.status();
  p.reasons_ = std::move(*reasons);
  if (p.sparse_reasons_ && !p.reasons_.empty()) {
    return root.error_at("reasons", "expected [] when sparse_reasons is true (the counts are in 'sparse')",
                         ErrorCode::parse_error);
  }
  auto sparse = root.array("sparse", false);
  if (!sparse) return sparse.status();
  if (!p.sparse_reasons_ && !sparse->empty()) {
    return root.error_at("sparse", "expected [] when sparse_reasons is false", ErrorCode::parse_error);
  }
  for (const JsonReader& entry : *sparse) {
    auto cells = entry.elements();
    if (!cells) return cells.status();
    if (cells->size() != 3) {
      return entry.error("expected [group, cell, count], got " + std::to_string(cells->size()) + " elements",
                         ErrorCode::parse_error);
    }
    ReasonCount rc;
    auto group = integer((*cells)[0]);
    if (!group) return group.status();
    if (*group < 0 || *group > std::numeric_limits<std::uint32_t>::max()) {
      return (*cells)[0].error("group " + std::to_string(*group) + " is out of range: expected 0..4294967295",
                               ErrorCode::parse_error);
    }
    auto cell = integer((*cells)[1]);
    if (!cell) return cell.status();
    if (*cell < 0) {
      return (*cells)[1].error("cell " + std::to_string(*cell) + " is negative", ErrorCode::parse_error);
    }
    auto count = integer((*cells)[2]);
    if (!count) return count.status();
    if (*count <= 0) {
      return (*cells)[2].error("count " + std::to_string(*count) + ": expected a positive count",
                               ErrorCode::parse_error);
    }
    rc.group = static_cast<std::uint32_t>(*group);
    rc.cell = static_cast<std::uint64_t>(*cell);
    rc.count = *count;
    if (!p.sparse_.empty()) {
      const ReasonCount& prev = p.sparse_.back();
      if (prev.group > rc.group || (prev.group == rc.group && prev.cell >= rc.cell)) {
        return entry.error("expected entries in increasing (group, cell) order, without repeats",
                           ErrorCode::parse_error);
      }
    }
    p.sparse_.push_back(rc);
  }
  return p;
}

}  // namespace dealflow::analytics
