// dealflow/routing/leads_csv.h: reading leads and account owners from CSV.
//
// Leads CSV (UTF-8, header row): `id` (required, unique) plus any of
//   - a column per declared categorical attribute (region, product, tier,
//     channel, business, sale_type, ...): a declared value, or empty for
//     "unspecified";
//   - a column per declared numeric attribute: money parsed exactly with the
//     attribute's currency ("1 234 567,89", "1234567.89"), integers as digits;
//     empty = absent;
//   - `client`: the client key, looked up in the owners file for account
//     ownership;
//   - `created_at`: ISO 8601 instant (no offset = UTC); it is the lead's "now"
//     for absences, working hours and caps. Without the column, or when a cell
//     is empty, LeadsCsvOptions::default_at is used (CLI `--at`); when that is
//     missing too the row is bad.
// Other columns are ignored and listed in LeadsFile::ignored_columns.
// A bad row is an error "file:line:column: column 'region': ..." (strict), or,
// with skip_bad_rows, is left out and its error kept in LeadsFile::skipped.
//
// Owners CSV: columns `client,manager` (manager = stable manager id); a client
// listed twice, an unknown manager or an empty cell is a bad row.
//
// Thread-safety: reentrant functions; results are independent values.
//
// Example:
//   auto owners = load_owners_csv("data/routing/owners.csv", team, /*skip_bad_rows=*/false);
//   LeadsCsvOptions opt; opt.owners = &owners->owners;
//   auto leads = load_leads_csv("data/routing/leads.csv", team, opt);
//   for (const LeadRecord& r : leads->leads) router.route(r.lead, state, decision);
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/io/csv.h"
#include "dealflow/routing/lead.h"
#include "dealflow/routing/team.h"

namespace dealflow::routing {

// Client key -> the manager who owns the account.
class AccountOwners {
 public:
  // Errors: the client already has an owner (duplicate).
  Status add(std::string client, ManagerId owner);
  // Invalid ManagerId when the client is unknown.
  ManagerId owner_of(std::string_view client) const;
  std::size_t size() const noexcept { return owners_.size(); }

 private:
  std::unordered_map<std::string, ManagerId> owners_;
};

struct LeadRecord {
  std::string id;
  std::string client;  // empty when the column is absent or empty
  int line = 0;        // 1-based line in the CSV
  Lead lead;
};

struct LeadsFile {
  std::vector<LeadRecord> leads;  // input order
  std::vector<Status> skipped;    // with skip_bad_rows: one error per skipped row
  std::vector<std::string> ignored_columns;
};

struct LeadsCsvOptions {
  bool skip_bad_rows = false;
  std::optional<Instant> default_at;      // "now" for rows without created_at
  const AccountOwners* owners = nullptr;  // resolves the `client` column
};

Result<LeadsFile> parse_leads_csv(CsvReader& csv, const TeamModel& team, const LeadsCsvOptions& options);
Result<LeadsFile> load_leads_csv(const std::string& path, const TeamModel& team,
                                 const LeadsCsvOptions& options);

struct OwnersFile {
  AccountOwners owners;
  std::vector<Status> skipped;
};

Result<OwnersFile> parse_owners_csv(CsvReader& csv, const TeamModel& team, bool skip_bad_rows);
Result<OwnersFile> load_owners_csv(const std::string& path, const TeamModel& team, bool skip_bad_rows);

}  // namespace dealflow::routing
