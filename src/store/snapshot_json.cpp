// The snapshot document (version 1): fingerprint, initial router state, changes.
#include <string>

#include "dealflow/routing/router_state.h"
#include "dealflow/store/change_json.h"
#include "store/change_json_internal.h"
#include "store/hex16.h"

namespace dealflow::store {

using detail::hex16;
using detail::parse_hex16;

std::string snapshot_to_json(const Snapshot& snapshot, const ChangeNames& names) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["v"] = kChangeFormatVersion;
  j["fingerprint"] = hex16(snapshot.fingerprint);
  j["sequence"] = snapshot.sequence;
  const routing::Router* router = names.router();
  if (router != nullptr) {
    j["router_state"] = nlohmann::ordered_json::parse(dump_json(
        routing::state_to_json(snapshot.initial_router_state, router->team(), router->rules()), -1));
  } else {
    j["router_state"] = nullptr;
  }
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const Change& c : snapshot.changes) changes.push_back(detail::change_ojson(c, names));
  j["changes"] = std::move(changes);
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<Snapshot> parse_snapshot(std::string_view text, const ChangeNames& names, std::string_view source) {
  auto doc = parse_json(text, source);
  if (!doc) return doc.status();
  const std::string file(source);
  const auto err = [&](std::string path, std::string message, ErrorCode code = ErrorCode::parse_error) {
    return Status(code, std::move(message), Location{file, 0, 0, std::move(path)});
  };
  const Json& root = *doc;
  if (!root.is_object()) return err("/", "expected a snapshot object {\"v\":1,...}");
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string& k = it.key();
    if (k != "v" && k != "fingerprint" && k != "sequence" && k != "router_state" && k != "changes")
      return err("/" + json_pointer_escape(k), "unknown key \"" + k + "\" in a snapshot");
  }
  for (const char* k : {"v", "fingerprint", "sequence", "router_state", "changes"}) {
    if (!root.contains(k)) return err("/", std::string("missing key \"") + k + "\"");
  }
  if (!root["v"].is_number_integer() || root["v"].get<std::int64_t>() != kChangeFormatVersion)
    return err("/v", "unsupported snapshot format version " + dump_json(root["v"], -1) +
                         ": this build reads version " + std::to_string(kChangeFormatVersion));
  Snapshot s;
  const Json& fp = root["fingerprint"];
  std::optional<std::uint64_t> fingerprint =
      fp.is_string() ? parse_hex16(fp.get<std::string>()) : std::nullopt;
  if (!fingerprint) return err("/fingerprint", "expected 16 lower-case hex digits, got " + dump_json(fp, -1));
  s.fingerprint = *fingerprint;
  if (!root["sequence"].is_number_unsigned())
    return err("/sequence", "expected a non-negative integer, got " + dump_json(root["sequence"], -1));
  s.sequence = root["sequence"].get<std::uint64_t>();
  const routing::Router* router = names.router();
  if (router != nullptr) {
    if (root["router_state"].is_null())
      return err("/router_state", "expected the router state object, got null");
    auto state = routing::parse_router_state(JsonReader(root["router_state"], file, "/router_state"),
                                             router->team(), router->rules());
    if (!state) return state.status();
    s.initial_router_state = std::move(*state);
  } else if (!root["router_state"].is_null()) {
    return err("/router_state", "expected null: the Department has no router");
  }
  const Json& changes = root["changes"];
  if (!changes.is_array()) return err("/changes", "expected an array of change objects");
  for (std::size_t i = 0; i < changes.size(); ++i) {
    auto c = change_from_json(changes[i], names, source, 0, "/changes/" + std::to_string(i));
    if (!c) return c.status();
    s.changes.push_back(std::move(*c));
  }
  if (s.changes.size() != s.sequence)
    return err("/sequence", "sequence " + std::to_string(s.sequence) + " does not match the " +
                                std::to_string(s.changes.size()) + " changes listed");
  return s;
}

}  // namespace dealflow::store
