// dealflow/store/change_json.h: the change stream and snapshot wire format (version 1).
//
// A change is one JSON object on one line ("JSON Lines"), e.g.
//   {"v":1,"seq":3,"kind":"move","at":"2024-03-04T10:00:00Z","actor":2,"deal":0,
//    "pipeline":"b2b_sales","stage":"QUALIFIED"}
// Pipelines, stages and fields are named by their config ids, so a stream
// stays readable and survives a config edit that renumbers them (the
// fingerprint still refuses replay on other configs). docs/embedding.md
// lists every field. Keys a kind does not use are refused, as are unknown keys.
//
// A snapshot is one JSON document: {"v":1,"fingerprint":"<16 hex>","sequence":N,
// "router_state":<routing state JSON or null>,"changes":[<change objects>]}.
//
// Every parse error is a Status with a Location: `source` as the file, the line
// number (1-based, 0 = unknown), and the JSON Pointer of the offending value; the
// message names the value and what was expected:
//   "changes:3: at /stage: unknown stage 'QUALIFID' of pipeline 'b2b_sales'".
// Names are resolved against the Department's configs (workspace, engine
// fields, the router's team and attribute schema).
//
// Thread-safety: reentrant; the Department is only read.
//
// Example:
//   for (const Change& c : dept.changes()) out << to_json_line(c, dept) << '\n';
//   auto c = parse_change_line(line, dept, line_number);   // Result<Change>
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/io/json.h"
#include "dealflow/store/change.h"
#include "dealflow/store/department.h"

namespace dealflow::store {

inline constexpr int kChangeFormatVersion = 1;

// Resolves names for the wire format: a Department, or the configs alone.
class ChangeNames {
 public:
  // Implicit, so that to_json_line(change, department) reads naturally.
  ChangeNames(const Department& d)
      : ChangeNames(d.engine(), d.router()) {}  // NOLINT(google-explicit-constructor)
  ChangeNames(const Engine& engine, const routing::Router* router) : engine_(&engine), router_(router) {}
  const Engine& engine() const noexcept { return *engine_; }
  const routing::Router* router() const noexcept { return router_; }

 private:
  const Engine* engine_;
  const routing::Router* router_;
};

// One line, no trailing newline.
std::string to_json_line(const Change& change, const ChangeNames& names);
// `object` at JSON Pointer `path_prefix` (a snapshot's "/changes/3").
Result<Change> change_from_json(const Json& object, const ChangeNames& names, std::string_view source,
                                std::size_t line_number, std::string_view path_prefix = "");
Result<Change> parse_change_line(std::string_view line, const ChangeNames& names, std::size_t line_number,
                                 std::string_view source = "changes");
// Every non-empty line of `text` (a whole stream); the first error.
Result<std::vector<Change>> parse_change_lines(std::string_view text, const ChangeNames& names,
                                               std::string_view source = "changes");

std::string snapshot_to_json(const Snapshot& snapshot, const ChangeNames& names);
Result<Snapshot> parse_snapshot(std::string_view text, const ChangeNames& names,
                                std::string_view source = "snapshot");

}  // namespace dealflow::store
