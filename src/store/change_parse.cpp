// Parsing the change stream (version 1) with located errors.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "dealflow/store/change_json.h"

namespace dealflow::store {

namespace {

constexpr std::int64_t kMaxPpm = 1'000'000;
constexpr std::uint64_t kMaxId = 0xFFFFFFFEull;  // StrongId<uint32_t>::kInvalid - 1

std::string shown(const Json& j) {
  std::string text = dump_json(j, -1);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// Reads one change object; every error names source:line, the JSON Pointer, the value, what was expected.
class Reader {
 public:
  Reader(const Json& object, const ChangeNames& names, std::string_view source, std::size_t line,
         std::string_view prefix)
      : obj_(object), names_(names), source_(source), line_(line), prefix_(prefix) {}

  Status error(std::string_view key, std::string message, ErrorCode code = ErrorCode::parse_error) const {
    std::string path(prefix_);
    if (!key.empty()) path += "/" + json_pointer_escape(key);
    if (path.empty()) path = "/";
    return Status(code, std::move(message), Location{std::string(source_), static_cast<int>(line_), 0, path});
  }

  Result<const Json*> get(std::string_view key) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) return error("", "missing key \"" + std::string(key) + "\"");
    return &*it;
  }

  Result<std::uint64_t> unsigned_int(std::string_view key, std::uint64_t max) const {
    auto j = get(key);
    if (!j) return j.status();
    const Json& v = **j;
    if (v.is_number_unsigned() && v.get<std::uint64_t>() <= max) return v.get<std::uint64_t>();
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0 &&
        static_cast<std::uint64_t>(v.get<std::int64_t>()) <= max)
      return static_cast<std::uint64_t>(v.get<std::int64_t>());
    return error(key, "expected an integer in [0, " + std::to_string(max) + "], got " + shown(v));
  }

  // An id, or null for "none" when `nullable`.
  template <class Id>
  Result<Id> id(std::string_view key, bool nullable) const {
    auto j = get(key);
    if (!j) return j.status();
    if ((*j)->is_null()) {
      if (nullable) return Id{};
      return error(key, "expected an integer id, got null");
    }
    const std::uint64_t max =
        std::min<std::uint64_t>(kMaxId, std::numeric_limits<typename Id::rep_type>::max() - 1);
    auto v = unsigned_int(key, max);
    if (!v) return v.status();
    return Id{static_cast<typename Id::rep_type>(*v)};
  }

  Result<std::string> string(std::string_view key) const {
    auto j = get(key);
    if (!j) return j.status();
    if (!(*j)->is_string()) return error(key, "expected a string, got " + shown(**j));
    return (*j)->get<std::string>();
  }

  Result<Instant> instant(std::string_view key) const {
    auto s = string(key);
    if (!s) return s.status();
    auto t = parse_instant(*s);
    if (!t)
      return error(key, "expected an ISO 8601 instant such as \"2024-03-04T10:00:00Z\", got \"" + *s + "\"");
    return *t;
  }

  Result<Money> money(std::string_view key) const {
    auto j = get(key);
    if (!j) return j.status();
    const Json& v = **j;
    Reader inner(v, names_, source_, line_, prefix_ + "/" + std::string(key));
    if (!v.is_object() || v.size() != 2 || !v.contains("minor") || !v.contains("currency"))
      return error(key, "expected {\"minor\": <integer>, \"currency\": \"<ISO 4217 code or empty>\"}, got " +
                            shown(v));
    const Json& minor = v["minor"];
    if (!minor.is_number_integer() ||
        (minor.is_number_unsigned() && minor.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)))
      return inner.error("minor", "expected an integer amount in minor units (int64), got " + shown(minor));
    auto code = inner.string("currency");
    if (!code) return code.status();
    Currency currency;
    if (!code->empty()) {
      auto c = Currency::parse(*code);
      if (!c)
        return inner.error("currency", "expected an ISO 4217 code such as \"RUB\", got \"" + *code + "\"");
      currency = *c;
    }
    return Money(minor.get<std::int64_t>(), currency);
  }

  Result<std::optional<double>> probability(std::string_view key) const {
    auto j = get(key);
    if (!j) return j.status();
    if ((*j)->is_null()) return std::optional<double>{};
    auto v = unsigned_int(key, kMaxPpm);
    if (!v) return v.status();
    return std::optional<double>(static_cast<double>(*v) / 1e6);
  }

  Result<std::pair<PipelineId, StageId>> pipeline_and_stage() const {
    auto p = string("pipeline");
    if (!p) return p.status();
    const Workspace& ws = names_.engine().workspace();
    auto pid = ws.find_pipeline(*p);
    if (!pid) return error("pipeline", "unknown pipeline '" + *p + "'", ErrorCode::not_found);
    auto s = string("stage");
    if (!s) return s.status();
    auto sid = ws.pipeline(*pid).find_stage(*s);
    if (!sid)
      return error("stage", "unknown stage '" + *s + "' of pipeline '" + *p + "'", ErrorCode::not_found);
    return std::pair{*pid, *sid};
  }

  Result<std::vector<std::pair<std::string, std::string>>> attributes() const {
    auto j = get("attributes");
    if (!j) return j.status();
    const Json& v = **j;
    const std::string bad = "expected an array of [\"field\", \"value\"] string pairs, got ";
    if (!v.is_array()) return error("attributes", bad + shown(v));
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const Json& e = v[i];
      if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_string()) {
        const Reader inner(v, names_, source_, line_, prefix_ + "/attributes");
        return inner.error(std::to_string(i),
                           "expected a [\"field\", \"value\"] pair of strings, got " + shown(e));
      }
      out.emplace_back(e[0].get<std::string>(), e[1].get<std::string>());
    }
    return out;
  }

  Result<routing::Lead> lead() const;

  Status only_keys(std::initializer_list<std::string_view> allowed) const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
      bool ok = false;
      for (std::string_view a : allowed) ok = ok || a == it.key();
      if (!ok) return error(it.key(), "unknown key \"" + it.key() + "\" for this kind of change");
    }
    return {};
  }

  const Json& obj_;
  const ChangeNames& names_;
  std::string_view source_;
  std::size_t line_;
  std::string prefix_;
};

Result<routing::Lead> Reader::lead() const {
  auto j = get("lead");
  if (!j) return j.status();
  const Json& v = **j;
  if (!v.is_object()) return error("lead", "expected a lead object, got " + shown(v));
  const routing::Router* router = names_.router();
  if (router == nullptr)
    return error("lead", "a route_and_create change needs a Department with a router",
                 ErrorCode::invalid_argument);
  const routing::AttributeSchema& schema = router->team().schema();
  Reader r(v, names_, source_, line_, prefix_ + "/lead");
  DEALFLOW_RETURN_IF_ERROR(r.only_keys({"at", "account_owner", "values", "numbers"}));
  routing::Lead lead;
  auto at = r.instant("at");
  if (!at) return at.status();
  lead.at = *at;
  auto owner = r.id<ManagerId>("account_owner", true);
  if (!owner) return owner.status();
  lead.account_owner = *owner;
  auto values = r.get("values");
  if (!values) return values.status();
  if (!(*values)->is_object())
    return r.error("values", "expected an object attribute -> value, got " + shown(**values));
  Reader vr(**values, names_, source_, line_, r.prefix_ + "/values");
  for (auto it = (*values)->begin(); it != (*values)->end(); ++it) {
    auto a = schema.find_categorical(it.key());
    if (!a)
      return vr.error(it.key(), "unknown categorical attribute '" + it.key() + "'", ErrorCode::not_found);
    const auto& attr = schema.categorical(*a);
    if (it->is_string()) {
      auto code = attr.find(it->get<std::string>());
      if (!code)
        return vr.error(it.key(),
                        "unknown value '" + it->get<std::string>() + "' of attribute '" + it.key() + "'",
                        ErrorCode::not_found);
      lead.set(*a, *code);
    } else if (it->is_number_unsigned() && it->get<std::uint64_t>() < routing::kUnspecified) {
      lead.set(*a, static_cast<ValueCode>(it->get<std::uint64_t>()));
    } else {
      return vr.error(it.key(), "expected a value name or an undeclared value code, got " + shown(*it));
    }
  }
  auto numbers = r.get("numbers");
  if (!numbers) return numbers.status();
  if (!(*numbers)->is_object())
    return r.error("numbers", "expected an object attribute -> integer, got " + shown(**numbers));
  Reader nr(**numbers, names_, source_, line_, r.prefix_ + "/numbers");
  for (auto it = (*numbers)->begin(); it != (*numbers)->end(); ++it) {
    auto a = schema.find_numeric(it.key());
    if (!a) return nr.error(it.key(), "unknown numeric attribute '" + it.key() + "'", ErrorCode::not_found);
    if (!it->is_number_integer() ||
        (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)))
      return nr.error(it.key(), "expected an integer (int64), got " + shown(*it));
    lead.set_number(*a, it->get<std::int64_t>());
  }
  return lead;
}

}  // namespace

Result<Change> change_from_json(const Json& object, const ChangeNames& names, std::string_view source,
                                std::size_t line_number, std::string_view path_prefix) {
  Reader r(object, names, source, line_number, path_prefix);
  if (!object.is_object()) return r.error("", "expected a change object {\"v\":1,...}, got " + shown(object));
  auto version = r.get("v");
  if (!version) return version.status();
  if (!(*version)->is_number_integer() || (*version)->get<std::int64_t>() != kChangeFormatVersion)
    return r.error("v", "unsupported change format version " + shown(**version) +
                            ": this build reads version " + std::to_string(kChangeFormatVersion));
  Change c;
  auto kind_text = r.string("kind");
  if (!kind_text) return kind_text.status();
  auto kind = parse_change_kind(*kind_text);
  if (!kind)
    return r.error("kind",
                   "expected one of create|route_and_create|move|reassign|set_field|set_amount|"
                   "set_probability|set_client|tick, got \"" +
                       *kind_text + "\"");
  c.kind = *kind;
  auto seq = r.unsigned_int("seq", std::numeric_limits<std::uint64_t>::max());
  if (!seq) return seq.status();
  if (*seq == 0) return r.error("seq", "expected a sequence number >= 1, got 0");
  c.sequence = *seq;
  auto at = r.instant("at");
  if (!at) return at.status();
  c.at = *at;
  auto actor = r.id<ManagerId>("actor", true);
  if (!actor) return actor.status();
  c.actor = *actor;
  switch (c.kind) {
    case ChangeKind::tick:
      DEALFLOW_RETURN_IF_ERROR(r.only_keys({"v", "seq", "kind", "at", "actor"}));
      return c;
    case ChangeKind::create:
      DEALFLOW_RETURN_IF_ERROR(r.only_keys({"v", "seq", "kind", "at", "actor", "deal", "pipeline", "stage",
                                            "owner", "client", "amount", "probability_ppm", "attributes"}));
      break;
    case ChangeKind::route_and_create:
      DEALFLOW_RETURN_IF_ERROR(
          r.only_keys({"v", "seq", "kind", "at", "actor", "deal", "pipeline", "stage", "owner", "client",
                       "amount", "probability_ppm", "attributes", "lead"}));
      break;
    case ChangeKind::move:
      DEALFLOW_RETURN_IF_ERROR(r.only_keys({"v", "seq", "kind", "at", "actor", "deal", "pipeline", "stage"}));
      break;
    case ChangeKind::reassign:
      DEALFLOW_RETURN_IF_ERROR(r.only_keys({"v", "seq", "kind", "at", "actor", "deal", "owner"}));
      break;
    case ChangeKind::set_field:
      DEALFLOW_RETURN_IF_ERROR(r.only_keys({"v", "seq", "kind", "at", "actor", "deal", "field", "value"}));
      break;
    case ChangeKind::set_amount:
      DEALFLOW_RETURN_IF_ERROR(r.only_keys({"v", "seq", "kind", "at", "actor", "deal", "amount"}));
      break;
    case ChangeKind::set_probability:
      DEALFLOW_RETURN_IF_ERROR(r.only_keys({"v", "seq", "kind", "at", "actor", "deal", "probability_ppm"}));
      break;
    case ChangeKind::set_client:
      DEALFLOW_RETURN_IF_ERROR(r.only_keys({"v", "seq", "kind", "at", "actor", "deal", "client"}));
      break;
  }
  auto deal = r.id<DealId>("deal", false);
  if (!deal) return deal.status();
  c.deal = *deal;
  const bool creation = c.kind == ChangeKind::create || c.kind == ChangeKind::route_and_create;
  if (creation || c.kind == ChangeKind::move) {
    auto ps = r.pipeline_and_stage();
    if (!ps) return ps.status();
    c.pipeline = ps->first;
    c.stage = ps->second;
  }
  if (creation || c.kind == ChangeKind::reassign) {
    auto owner = r.id<ManagerId>("owner", true);
    if (!owner) return owner.status();
    c.owner = *owner;
  }
  if (creation || c.kind == ChangeKind::set_client) {
    auto client = r.id<ClientId>("client", true);
    if (!client) return client.status();
    c.client = *client;
  }
  if (creation || c.kind == ChangeKind::set_amount) {
    auto amount = r.money("amount");
    if (!amount) return amount.status();
    c.amount = *amount;
  }
  if (creation || c.kind == ChangeKind::set_probability) {
    auto p = r.probability("probability_ppm");
    if (!p) return p.status();
    c.probability = *p;
  }
  if (creation) {
    auto attrs = r.attributes();
    if (!attrs) return attrs.status();
    c.attributes = std::move(*attrs);
  }
  if (c.kind == ChangeKind::route_and_create) {
    auto lead = r.lead();
    if (!lead) return lead.status();
    c.lead = *lead;
  }
  if (c.kind == ChangeKind::set_field) {
    auto name = r.string("field");
    if (!name) return name.status();
    auto field = names.engine().find_field(*name);
    if (!field) return r.error("field", "unknown field '" + *name + "'", ErrorCode::not_found);
    c.field = *field;
    auto value = r.string("value");
    if (!value) return value.status();
    c.value = std::move(*value);
  }
  return c;
}

}  // namespace dealflow::store
