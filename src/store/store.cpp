// Store: a Department kept in a SqliteLog (see dealflow/store/store.h).
#include "dealflow/store/store.h"

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "dealflow/io/json.h"
#include "dealflow/routing/router_state.h"
#include "dealflow/store/change_json.h"
#include "store/hex16.h"

namespace dealflow::store {

using detail::hex16;
using detail::parse_hex16;

namespace {

// A record's sequence as a Location line (0 when it does not fit an int).
int line_of(std::uint64_t sequence) {
  return sequence <= static_cast<std::uint64_t>(std::numeric_limits<int>::max()) ? static_cast<int>(sequence)
                                                                                 : 0;
}

}  // namespace

namespace detail {

// The Department's sink: each change becomes one SqliteLog append (its line and the open-deal rows).
// Not in the anonymous namespace: Store::Impl, a class with linkage, holds one.
class LogSink final : public ChangeSink {
 public:
  LogSink(SqliteLog& log, const Department& department) : log_(&log), department_(&department) {}

  Status append(const Change& change,
                std::span<const std::pair<ManagerId, std::uint32_t>> open_deals) override {
    line_ = to_json_line(change, *department_);
    rows_.clear();
    for (const auto& [manager, count] : open_deals) rows_.emplace_back(manager.value(), count);
    return log_->append({change.sequence, line_}, rows_);
  }
  Status flush() override { return log_->flush(); }

 private:
  SqliteLog* log_;
  const Department* department_;
  std::string line_;
  std::vector<OpenDealCount> rows_;
};

}  // namespace detail

struct Store::Impl {
  Impl(SqliteLog l, Department d) : log(std::move(l)), department(std::move(d)), sink(log, department) {}

  SqliteLog log;
  Department department;
  detail::LogSink sink;  // points at the two members above (Impl never moves)
};

namespace {

Status at_path(const std::filesystem::path& path, ErrorCode code, std::string message, int line = 0) {
  return Status(code, std::move(message), Location{path.string(), line, 0, {}});
}

// The initial router state of a store that has one (every reopen).
Result<routing::RouterState> stored_initial_state(const SqliteLog& log, const DepartmentConfig& config) {
  const std::filesystem::path& path = log.path();
  auto text = log.meta(Store::kInitialStateKey);
  if (!text) return text.status();
  if (!*text) {
    return at_path(
        path, ErrorCode::parse_error,
        std::string("the store has a configuration fingerprint but no initial router state (meta '") +
            Store::kInitialStateKey + "')");
  }
  const std::string where = path.string() + " meta " + Store::kInitialStateKey;
  auto doc = parse_json(**text, where);
  if (!doc) return doc.status();
  if (!config.router) {
    if (!doc->is_null()) {
      return at_path(path, ErrorCode::parse_error,
                     "the store was written with a router but the configuration has none");
    }
    return routing::RouterState{};
  }
  if (doc->is_null()) {
    return at_path(path, ErrorCode::parse_error,
                   "the store was written without a router but the configuration has one");
  }
  return routing::parse_router_state(JsonReader(*doc, where), config.router->team(), config.router->rules());
}

// A new store: the initial state first, then the fingerprint that marks the store as initialized (a crash
// between the two leaves a store that is still new), committed before anything else is appended.
Status initialize(SqliteLog& log, const Department& d, std::uint64_t fingerprint) {
  const routing::Router* router = d.router();
  const std::string state =
      router ? dump_json(routing::state_to_json(d.router_state(), router->team(), router->rules()), -1)
             : std::string("null");
  DEALFLOW_RETURN_IF_ERROR(log.set_meta(Store::kInitialStateKey, state));
  DEALFLOW_RETURN_IF_ERROR(log.set_meta(Store::kFingerprintKey, hex16(fingerprint)));
  return log.flush();
}

// The open_deals table must equal the replayed router's counts (a manager without a row: its initial
// count; the table only holds managers whose count some change moved).
Status check_open_deals(const SqliteLog& log, const Department& d, const routing::RouterState& initial) {
  auto rows = log.open_deals();
  if (!rows) return rows.status();
  const routing::RouterState& state = d.router_state();
  const std::uint32_t managers = static_cast<std::uint32_t>(state.manager_count());
  std::vector<std::optional<std::uint32_t>> stored(managers);
  const auto disagree = [&](std::uint32_t m, const std::string& table, std::uint32_t replayed) {
    std::string name = "manager " + std::to_string(m);
    if (d.router() != nullptr && m < managers) {
      name += " ('" + d.router()->team().managers()[m].key + "')";
    }
    return at_path(log.path(), ErrorCode::validation_failed,
                   "history and router state disagree: " + name + " has " + table +
                       " in the open_deals table, the replayed history gives " + std::to_string(replayed) +
                       " (after change " + std::to_string(d.sequence()) + ")");
  };
  for (const auto& [m, count] : *rows) {
    if (m >= managers) return disagree(m, std::to_string(count) + " open deals", 0);
    stored[m] = count;
  }
  for (std::uint32_t m = 0; m < managers; ++m) {
    const std::uint32_t replayed = state.open_deals(ManagerId{m});
    const std::uint32_t expected = stored[m].value_or(initial.open_deals(ManagerId{m}));
    if (expected != replayed) {
      return disagree(m,
                      stored[m] ? std::to_string(expected) + " open deals"
                                : "no row (initial count " + std::to_string(expected) + ")",
                      replayed);
    }
  }
  return {};
}

// Replays every record of `log` into `d`.
Status replay_log(const SqliteLog& log, Department& d) {
  auto records = log.read_since(0);
  if (!records) return records.status();
  const std::string where = log.path().string();
  for (const LogRecord& r : *records) {
    auto change = parse_change_line(r.payload, d, static_cast<std::size_t>(line_of(r.sequence)), where);
    if (!change) {
      return change.status()
          .with_location(Location{where, line_of(r.sequence), 0, {}})
          .with_context("record " + std::to_string(r.sequence) + " does not parse");
    }
    if (change->sequence != r.sequence) {
      return at_path(log.path(), ErrorCode::parse_error,
                     "record " + std::to_string(r.sequence) + " holds change " +
                         std::to_string(change->sequence) + " (its \"seq\" must equal the record's sequence)",
                     line_of(r.sequence));
    }
    if (Status s = d.replay(*change); !s.ok()) {
      return at_path(log.path(), s.code(),
                     "record " + std::to_string(r.sequence) + " does not replay: " + s.message(),
                     line_of(r.sequence));
    }
  }
  return {};
}

}  // namespace

Result<Store> Store::open(const std::filesystem::path& path, DepartmentConfig config, StoreOptions options) {
  auto log = SqliteLog::open(path, {.synchronous = options.synchronous,
                                    .group_commit = options.group_commit,
                                    .busy_timeout = options.busy_timeout});
  if (!log) return log.status();

  const std::uint64_t fingerprint = config.fingerprint();
  auto stored_fp = log->meta(kFingerprintKey);
  if (!stored_fp) return stored_fp.status();
  const bool fresh = !stored_fp->has_value();
  if (fresh && log->last_sequence() > 0) {
    return at_path(path, ErrorCode::parse_error,
                   "the log holds " + std::to_string(log->last_sequence()) +
                       " records but no configuration fingerprint (meta '" + kFingerprintKey +
                       "'): not written by a Store");
  }
  if (!fresh) {
    const auto stored = parse_hex16(**stored_fp);
    if (!stored) {
      return at_path(path, ErrorCode::parse_error,
                     "the stored configuration fingerprint '" + **stored_fp +
                         "' is not 16 hexadecimal digits (meta '" + kFingerprintKey + "')");
    }
    if (*stored != fingerprint) {
      return at_path(
          path, ErrorCode::refused,
          "the store was written with configuration fingerprint " + hex16(*stored) + ", these configs give " +
              hex16(fingerprint) +
              " (another workspace, team, rules or engine options); open it with the configs it was "
              "written with");
    }
  }

  routing::RouterState initial;
  if (!fresh) {
    auto stored = stored_initial_state(*log, config);
    if (!stored) return stored.status();
    config.initial_router_state = std::move(*stored);
  }
  auto made = Department::make(std::move(config));
  if (!made) return made.status();
  if (fresh) DEALFLOW_RETURN_IF_ERROR(initialize(*log, *made, fingerprint));
  initial = made->router_state();
  auto impl = std::make_unique<Impl>(std::move(*log), std::move(*made));
  DEALFLOW_RETURN_IF_ERROR(replay_log(impl->log, impl->department));
  DEALFLOW_RETURN_IF_ERROR(check_open_deals(impl->log, impl->department, initial));
  impl->department.set_sink(&impl->sink);
  return Store(std::move(impl));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Department& Store::department() noexcept {
  return impl_->department;
}
const Department& Store::department() const noexcept {
  return impl_->department;
}
Status Store::flush() {
  return impl_->department.flush();
}
const std::filesystem::path& Store::path() const noexcept {
  return impl_->log.path();
}
std::uint64_t Store::durable_sequence() const noexcept {
  return impl_->log.durable_sequence();
}

}  // namespace dealflow::store
