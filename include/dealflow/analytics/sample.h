// dealflow/analytics/sample.h: a realistic synthetic sales data set.
//
// `generate_sample` writes a deals table and a stage history in the canonical
// CSV formats (docs/analytics-formats.md, docs/sample-data.md) for a sales department
// that works the Bitrix24 default deal pipeline (NEW, PREPARATION,
// PREPAYMENT_INVOICE, EXECUTING, FINAL_INVOICE open; WON won; LOSE, APOLOGY
// lost; reopen LOSE -> NEW). The department has twelve managers with Russian
// names and a role each (inbound SMB, outbound SMB, enterprise, account
// management), six regions, five products, SMB and Enterprise clients
// (Enterprise: larger amounts, slower stages, lower win rate), inbound and
// outbound channels, new and repeat business (repeat = the client had a deal
// won before this one was created), monthly seasonality with a slow growth
// trend, skipped stages, backward moves, deals lost then reopened, deals still
// open at the end of the period and loss reasons in Russian.
//
// Every random draw comes from the library's own xoshiro256** generator and
// integer arithmetic only (no std distributions, no floating point), so the
// same options give the same bytes on every platform and library version.
// Generation streams: memory stays bounded (one month of creation instants and
// the client table) and 1,000,000 deals take about a second.
//
// Field history (docs/sample-data.md "Field changes"): besides the stage
// history, every deal has a history of its owner, amount, expected close date
// and probability, drawn from a second random stream derived from the seed, so
// deals.csv and history.csv are the same bytes as before field history
// existed. It is written to field_changes.csv (the canonical format of
// docs/analytics-formats.md) and offered to other writers through
// `visit_sample` (dealflow/analytics/sample_export.h writes CRM export formats).
//
// Thread-safety: the functions are reentrant; the sinks and visitors are
// called from the calling thread only.
//
// Example:
//   dealflow::analytics::SampleOptions options;      // 2,000 deals, seed 42, 2024, 12 months
//   options.deals = 1'000'000;
//   auto summary = dealflow::analytics::write_sample_files(options, "/tmp/sample");
//   if (!summary) { std::cerr << summary.status().to_string() << "\n"; return 1; }
//   std::cout << summary->events << " events\n";
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"
#include "dealflow/core/time.h"

namespace dealflow::analytics {

struct SampleOptions {
  std::uint64_t deals = 2000;  // 1 .. 100,000,000
  std::uint64_t seed = 42;
  // First day of the period (UTC); 1971-01-01 .. 2106-02-07, and the period
  // must end by 2106-02-07 so that every instant loads into an EventLog.
  Date from = Date(days_from_civil(2024, 1, 1));
  int months = 12;  // 1 .. 120 whole calendar months
  // Value written to the `pipeline` column of both files; matches the id in
  // data/pipelines/bitrix24_default.json.
  std::string pipeline_id = "bitrix24_default";
  // Adds the optional deals.csv columns close_date (expected close date, the
  // last close_date change), closed_at (the instant of the deal's last move
  // into WON/LOSE/APOLOGY when it ends closed) and probability (percent).
  // Off by default: the columns change deals.csv, whose default bytes are
  // pinned (data/sample/). Field changes are generated either way.
  bool deal_field_columns = false;
};

// What was generated. The period is [from, period_end); no event is at or
// after period_end, so a report as of period_end sees every event.
struct SampleSummary {
  std::uint64_t deals = 0;
  std::uint64_t events = 0;         // history rows
  std::uint64_t won = 0;            // deals in WON at period_end
  std::uint64_t lost = 0;           // deals in LOSE or APOLOGY at period_end
  std::uint64_t open = 0;           // deals in an open stage at period_end
  std::uint64_t reopened = 0;       // deals with a LOSE -> NEW move
  std::uint64_t repeat = 0;         // deals with business = repeat
  std::uint64_t skipped_moves = 0;  // forward moves that skip at least one open stage
  std::uint64_t backward_moves = 0;
  std::uint64_t field_changes = 0;      // field_changes.csv rows
  std::uint64_t reassigned = 0;         // deals whose owner changed at least once
  std::uint64_t close_date_pushes = 0;  // close_date changes to a later date
  std::uint64_t amount_changes = 0;     // amount changes after creation
  std::uint64_t deals_bytes = 0;
  std::uint64_t history_bytes = 0;
  std::uint64_t field_changes_bytes = 0;
  Instant period_end;
};

// Receives the CSV text in chunks of about 1 MiB, in order. A non-ok Status
// stops the generation and is returned by generate_sample.
using SampleSink = std::function<Status(std::string_view chunk)>;

// invalid_argument naming the option when it is out of range.
Status validate_sample_options(const SampleOptions& options);

// The sample's pipeline (data/pipelines/bitrix24_default.json): stage `index`
// is the value of SampleStageEvent::stage.
struct SampleStage {
  std::string_view id;    // "NEW"
  std::string_view name;  // "Новая"
  std::string_view kind;  // "open", "won" or "lost"
  int probability = 0;    // percent
};
std::span<const SampleStage> sample_stages() noexcept;
// The twelve managers' names; SampleDeal::manager and manager field changes
// index this table.
std::span<const std::string_view> sample_managers() noexcept;

struct SampleStageEvent {
  Instant at;
  std::uint8_t stage = 0;  // index into sample_stages()
};

enum class SampleField : std::uint8_t { manager, amount, close_date, probability };
std::string_view to_string(SampleField field) noexcept;  // "manager", "amount", ...

// The field takes `value` from `at` on: manager = index into sample_managers(),
// amount = minor units (kopecks) of SampleDeal::currency, close_date = days
// since 1970-01-01, probability = percent.
struct SampleFieldChange {
  Instant at;
  SampleField field = SampleField::manager;
  std::int64_t value = 0;
};

// One generated deal as the visitor of `visit_sample` sees it. The views and
// spans are valid during the call only. Current values (manager, amount,
// close_date, probability) equal the deal's last change of that field.
struct SampleDeal {
  std::uint64_t id = 0;  // 1..N in order of creation
  Instant created;
  std::string_view pipeline;
  std::string_view currency;  // "RUB"
  std::int64_t amount = 0;    // minor units
  std::uint8_t manager = 0;   // index into sample_managers()
  std::string_view manager_name, region, product, tier, channel, business, source, client;
  std::string_view lost_reason;               // empty unless the deal ends in LOSE or APOLOGY
  std::int64_t close_date = 0;                // expected close date, days since 1970-01-01
  int probability = 0;                        // percent
  bool closed = false;                        // ends in WON, LOSE or APOLOGY
  Instant closed_at;                          // the last move into a closed stage (when closed)
  std::span<const SampleStageEvent> history;  // time order, first NEW at created
  std::span<const SampleFieldChange>
      field_changes;  // time order, then manager, amount, close_date, probability
};
using SampleVisitor = std::function<Status(const SampleDeal& deal)>;

// Generates the data set and calls `visit` once per deal in id order. A non-ok
// Status stops the generation and is returned. The summary's *_bytes are 0.
Result<SampleSummary> visit_sample(const SampleOptions& options, const SampleVisitor& visit);

// Streams deals.csv text to `deals` and history.csv text to `history`. Deals are
// numbered 1..N in order of creation; history rows are grouped by deal, each
// deal's rows in time order, the first at the deal's creation in NEW.
Result<SampleSummary> generate_sample(const SampleOptions& options, const SampleSink& deals,
                                      const SampleSink& history);
// The same plus field_changes.csv text (`deal_id,at,field,value`) to
// `field_changes`: rows grouped by deal, then time, then field order.
Result<SampleSummary> generate_sample(const SampleOptions& options, const SampleSink& deals,
                                      const SampleSink& history, const SampleSink& field_changes);

struct SampleCsv {
  std::string deals;
  std::string history;
  std::string field_changes;
  SampleSummary summary;
};
// The whole data set in memory (tests, benchmarks).
Result<SampleCsv> generate_sample_csv(const SampleOptions& options);

// Creates `directory` when missing and writes directory/deals.csv,
// directory/history.csv and directory/field_changes.csv. io_error naming the
// file when it cannot be written.
Result<SampleSummary> write_sample_files(const SampleOptions& options, const std::string& directory);

}  // namespace dealflow::analytics
