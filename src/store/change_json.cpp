// The change stream wire format, version 1 (docs/embedding.md, "Change stream").
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "dealflow/store/change_json.h"
#include "store/change_json_internal.h"

namespace dealflow::store {

namespace {

using OJson = nlohmann::ordered_json;

OJson id_or_null(std::uint32_t value, bool valid) {
  return valid ? OJson(value) : OJson(nullptr);
}

OJson money_json(Money m) {
  OJson j = OJson::object();
  j["minor"] = m.minor_units();
  j["currency"] = std::string(m.currency().code());
  return j;
}

OJson probability_json(const std::optional<double>& p) {
  if (!p) return nullptr;
  return static_cast<std::int64_t>(std::llround(*p * 1e6));
}

OJson lead_json(const routing::Lead& lead, const routing::Router* router) {
  OJson j = OJson::object();
  j["at"] = format_iso(lead.at);
  j["account_owner"] = id_or_null(lead.account_owner.value(), lead.account_owner.valid());
  OJson values = OJson::object();
  OJson numbers = OJson::object();
  if (router != nullptr) {
    const routing::AttributeSchema& schema = router->team().schema();
    for (std::size_t a = 0; a < schema.categorical_count(); ++a) {
      const ValueCode code = lead.values[a];
      if (code == routing::kUnspecified) continue;
      const auto& attr =
          schema.categorical(routing::AttributeId{static_cast<routing::AttributeId::rep_type>(a)});
      if (code < attr.size()) {
        values[attr.name()] = std::string(attr.value_name(code));
      } else {
        values[attr.name()] = code;
      }
    }
    for (std::size_t a = 0; a < schema.numeric_count(); ++a) {
      const routing::NumericAttributeId id{static_cast<routing::NumericAttributeId::rep_type>(a)};
      if (lead.has_number(id)) numbers[schema.numeric(id).name] = lead.number(id);
    }
  }
  j["values"] = std::move(values);
  j["numbers"] = std::move(numbers);
  return j;
}

}  // namespace

nlohmann::ordered_json detail::change_ojson(const Change& c, const ChangeNames& names) {
  const Workspace& ws = names.engine().workspace();
  OJson j = OJson::object();
  j["v"] = kChangeFormatVersion;
  j["seq"] = c.sequence;
  j["kind"] = std::string(to_string(c.kind));
  j["at"] = format_iso(c.at);
  j["actor"] = id_or_null(c.actor.value(), c.actor.valid());
  if (c.kind == ChangeKind::tick) return j;
  j["deal"] = c.deal.value();
  // Ids the configs do not have (a Change not made by a Department) are written
  // as null, which the parser refuses: never a crash, never a wrong name.
  const auto pipeline_and_stage = [&] {
    if (c.pipeline.value() >= ws.pipeline_count()) {
      j["pipeline"] = nullptr;
      j["stage"] = nullptr;
      return;
    }
    const Pipeline& p = ws.pipeline(c.pipeline);
    j["pipeline"] = p.id();
    j["stage"] = c.stage.value() < p.stage_count() ? OJson(p.stage(c.stage).id) : OJson(nullptr);
  };
  switch (c.kind) {
    case ChangeKind::create:
    case ChangeKind::route_and_create: {
      pipeline_and_stage();
      j["owner"] = id_or_null(c.owner.value(), c.owner.valid());
      j["client"] = id_or_null(c.client.value(), c.client.valid());
      j["amount"] = money_json(c.amount);
      j["probability_ppm"] = probability_json(c.probability);
      OJson attrs = OJson::array();
      for (const auto& [name, value] : c.attributes) attrs.push_back(OJson::array({name, value}));
      j["attributes"] = std::move(attrs);
      if (c.kind == ChangeKind::route_and_create) j["lead"] = lead_json(c.lead, names.router());
      break;
    }
    case ChangeKind::move:
      pipeline_and_stage();
      break;
    case ChangeKind::reassign:
      j["owner"] = id_or_null(c.owner.value(), c.owner.valid());
      break;
    case ChangeKind::set_field:
      j["field"] = c.field.value() < names.engine().field_count()
                       ? OJson(std::string(names.engine().field_name(c.field)))
                       : OJson(nullptr);
      j["value"] = c.value;
      break;
    case ChangeKind::set_amount:
      j["amount"] = money_json(c.amount);
      break;
    case ChangeKind::set_probability:
      j["probability_ppm"] = probability_json(c.probability);
      break;
    case ChangeKind::set_client:
      j["client"] = id_or_null(c.client.value(), c.client.valid());
      break;
    case ChangeKind::tick:
      break;
  }
  return j;
}

std::string to_json_line(const Change& change, const ChangeNames& names) {
  return detail::change_ojson(change, names)
      .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<Change> parse_change_line(std::string_view line, const ChangeNames& names, std::size_t line_number,
                                 std::string_view source) {
  auto doc = parse_json(line, source);
  if (!doc) {
    Location where = doc.status().location();
    where.file = std::string(source);
    where.line = static_cast<int>(line_number);
    return Status(doc.status().code(), doc.status().message(), std::move(where));
  }
  return change_from_json(*doc, names, source, line_number);
}

Result<std::vector<Change>> parse_change_lines(std::string_view text, const ChangeNames& names,
                                               std::string_view source) {
  std::vector<Change> out;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto change = parse_change_line(line, names, line_number, source);
    if (!change) return change.status();
    out.push_back(std::move(*change));
  }
  return out;
}

}  // namespace dealflow::store
