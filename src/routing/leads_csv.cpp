// Leads and owners CSV (docs/routing.md, "Leads CSV", "Owners CSV").
#include "dealflow/routing/leads_csv.h"

#include <charconv>
#include <unordered_set>

namespace dealflow::routing {

Status AccountOwners::add(std::string client, ManagerId owner) {
  auto [it, inserted] = owners_.emplace(std::move(client), owner);
  if (!inserted) return Status(ErrorCode::duplicate, "client '" + it->first + "' already has an owner");
  return {};
}

ManagerId AccountOwners::owner_of(std::string_view client) const {
  auto it = owners_.find(std::string(client));
  return it == owners_.end() ? ManagerId() : it->second;
}

namespace {

std::string domain_preview(const CategoricalAttribute& a) {
  std::string out;
  for (ValueCode v = 0; v < a.size() && v < 12; ++v) out += (v ? ", " : "") + std::string(a.value_name(v));
  if (a.size() > 12) out += ", ... (" + std::to_string(a.size()) + " values)";
  return out;
}

// Reads records, collecting row errors when skipping; returns false at the end.
// A row error that does not let the reader advance is fatal.
template <class RowFn>
Status for_each_row(CsvReader& csv, bool skip_bad_rows, std::vector<Status>& skipped, RowFn&& row_fn) {
  std::vector<std::string_view> fields;
  int last_error_line = -1;
  while (true) {
    auto more = csv.next(fields);
    if (!more) {
      if (!skip_bad_rows || csv.line() == last_error_line) return more.status();
      last_error_line = csv.line();
      skipped.push_back(more.status());
      continue;
    }
    if (!*more) return {};
    Status s = row_fn(fields);
    if (!s.ok()) {
      if (!skip_bad_rows) return s;
      skipped.push_back(std::move(s));
    }
  }
}

}  // namespace

Result<LeadsFile> parse_leads_csv(CsvReader& csv, const TeamModel& team, const LeadsCsvOptions& options) {
  DEALFLOW_RETURN_IF_ERROR(csv.read_header());
  auto id_col = csv.require_column("id");
  if (!id_col) return id_col.status();
  const AttributeSchema& schema = team.schema();
  const auto& header = csv.header();
  std::vector<std::optional<AttributeId>> cat_col(header.size());
  std::vector<std::optional<NumericAttributeId>> num_col(header.size());
  LeadsFile file;
  std::optional<std::size_t> client_col = csv.column("client");
  std::optional<std::size_t> at_col = csv.column("created_at");
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (i == *id_col || i == client_col || i == at_col) continue;
    if (auto a = schema.find_categorical(header[i])) {
      cat_col[i] = *a;
    } else if (auto n = schema.find_numeric(header[i])) {
      num_col[i] = *n;
    } else {
      file.ignored_columns.push_back(header[i]);
    }
  }
  if (!at_col && !options.default_at) {
    return Status(ErrorCode::validation_failed,
                  "no 'created_at' column and no default time (--at): routing needs the time of each lead",
                  Location{csv.file_name(), 1, 0, ""});
  }
  std::unordered_set<std::string> ids;
  Status done =
      for_each_row(csv, options.skip_bad_rows, file.skipped, [&](const std::vector<std::string_view>& f) {
        LeadRecord rec;
        rec.line = csv.line();
        if (f[*id_col].empty()) return csv.field_error(*id_col, "empty lead id");
        rec.id = std::string(f[*id_col]);
        if (ids.count(rec.id)) return csv.field_error(*id_col, "duplicate lead id '" + rec.id + "'");
        for (std::size_t i = 0; i < f.size(); ++i) {
          if (cat_col[i]) {
            if (f[i].empty()) continue;
            const CategoricalAttribute& a = schema.categorical(*cat_col[i]);
            auto code = a.find(f[i]);
            if (!code) {
              return csv.field_error(
                  i, "unknown value '" + std::string(f[i]) + "' (declared: " + domain_preview(a) + ")");
            }
            rec.lead.set(*cat_col[i], *code);
          } else if (num_col[i]) {
            if (f[i].empty()) continue;
            const NumericAttribute& n = schema.numeric(*num_col[i]);
            if (n.kind == NumericKind::money) {
              auto m = Money::parse(f[i], n.currency);
              if (!m) return csv.field_error(i, m.status().message());
              rec.lead.set_number(*num_col[i], m->minor_units());
            } else {
              std::int64_t v = 0;
              auto [end, ec] = std::from_chars(f[i].data(), f[i].data() + f[i].size(), v);
              if (ec == std::errc::result_out_of_range) {
                return csv.field_error(i, "integer out of range: '" + std::string(f[i]) +
                                              "' (from -9223372036854775808 to 9223372036854775807)");
              }
              if (ec != std::errc() || end != f[i].data() + f[i].size()) {
                return csv.field_error(i, "expected an integer, got '" + std::string(f[i]) + "'");
              }
              rec.lead.set_number(*num_col[i], v);
            }
          }
        }
        if (client_col && !f[*client_col].empty()) {
          rec.client = std::string(f[*client_col]);
          if (options.owners) rec.lead.account_owner = options.owners->owner_of(rec.client);
        }
        if (at_col && !f[*at_col].empty()) {
          auto t = parse_instant(f[*at_col]);
          if (!t) return csv.field_error(*at_col, t.status().message());
          rec.lead.at = *t;
        } else if (options.default_at) {
          rec.lead.at = *options.default_at;
        } else {
          return csv.field_error(*at_col, "empty created_at and no default time (--at)");
        }
        ids.insert(rec.id);
        file.leads.push_back(std::move(rec));
        return Status();
      });
  if (!done.ok()) return done;
  return file;
}

Result<LeadsFile> load_leads_csv(const std::string& path, const TeamModel& team,
                                 const LeadsCsvOptions& options) {
  auto csv = CsvReader::open_file(path);
  if (!csv) return csv.status();
  return parse_leads_csv(*csv, team, options);
}

Result<OwnersFile> parse_owners_csv(CsvReader& csv, const TeamModel& team, bool skip_bad_rows) {
  DEALFLOW_RETURN_IF_ERROR(csv.read_header());
  auto client_col = csv.require_column("client");
  if (!client_col) return client_col.status();
  auto manager_col = csv.require_column("manager");
  if (!manager_col) return manager_col.status();
  OwnersFile file;
  Status done = for_each_row(csv, skip_bad_rows, file.skipped, [&](const std::vector<std::string_view>& f) {
    if (f[*client_col].empty()) return csv.field_error(*client_col, "empty client");
    if (f[*manager_col].empty()) return csv.field_error(*manager_col, "empty manager");
    auto m = team.find_manager(f[*manager_col]);
    if (!m) return csv.field_error(*manager_col, "unknown manager '" + std::string(f[*manager_col]) + "'");
    Status s = file.owners.add(std::string(f[*client_col]), *m);
    if (!s.ok()) return csv.field_error(*client_col, s.message());
    return Status();
  });
  if (!done.ok()) return done;
  return file;
}

Result<OwnersFile> load_owners_csv(const std::string& path, const TeamModel& team, bool skip_bad_rows) {
  auto csv = CsvReader::open_file(path);
  if (!csv) return csv.status();
  return parse_owners_csv(*csv, team, skip_bad_rows);
}

}  // namespace dealflow::routing
