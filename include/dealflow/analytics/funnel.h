// dealflow/analytics/funnel.h: funnel conversion from the stage history.
//
// Counting rules (docs/funnel.md, DOMAIN.md section 3), chosen by name:
//   high-water (default)  a deal counts at open stage k when the furthest open
//                         stage it entered is k or later, or it is won;
//   touched               when it entered stage k at least once;
//   strict                when it entered stages 1..k in this order (as a
//                         subsequence of its history: backward moves in between
//                         are allowed);
//   snapshot              not a funnel: the deals whose stage at the report
//                         instant is k, with their amounts.
// `reached` is the count under the chosen rule; step_conversion(k) =
// reached(k)/reached(k-1), cumulative_conversion(k) = reached(k)/reached(1),
// each with a 95% Wilson interval. Totals: won, lost, open, win_rate =
// won/(won+lost) by count and per currency by amount, won_of_created =
// won/deals (created basis only), amounts per currency, lost deals
// by the open stage they were lost from (with loss reasons) and by lost stage.
// Basis: deals created in [from, to) (default), or deals whose closing (entry
// into their final won/lost stage) lies in [from, to). Only events at or before
// the report instant `as_of` count; a reopened deal counts by its outcome then.
// Deals are grouped by their dimension value as of `as_of` and summed with
// their amount as of `as_of` (the log's field changes; a deal reassigned after
// `as_of` stays with its owner then).
//
// How it runs. `FunnelPlan::create` compiles the query once against a sealed log
// and a pipeline into dense tables (stage -> funnel position, group codes);
// `run(begin, end)` computes a `FunnelPartial` for a contiguous range of deals
// (integer counters only, no string lookup, no allocation per deal: sparse
// loss-reason counts append to one growing vector), partials merge exactly
// (merge of shards == the whole, bit for bit), and `finish` turns
// a partial into rates and rows. `compute_funnel` does all of it, splitting the
// deals over std::threads when the log is large; results do not depend on the
// thread count. `compute_funnel_result` stops before the groups: its
// FunnelResult makes them one at a time from the counters (for output of many
// groups, funnel_output.h's write_* functions).
//
// Ownership: a plan refers to the log and the pipeline (keep both alive and
// unmodified while it is used). Reports are self-contained values.
// Thread-safety: a plan is immutable; run() may be called concurrently.
//
// Example:
//   dealflow::analytics::FunnelQuery q;
//   q.rule = dealflow::analytics::CountingRule::high_water;
//   q.from = *dealflow::parse_instant("2024-01-01");
//   q.to = *dealflow::parse_instant("2024-04-01");
//   q.group = *dealflow::analytics::resolve_grouping(log, "manager");
//   auto report = dealflow::analytics::compute_funnel(log, pipeline, q);
//   for (const auto& s : report->total.stages) std::cout << s.name << " " << s.reached << "\n";
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/fx.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

enum class CountingRule : std::uint8_t { high_water, touched, strict_order, snapshot };
// "high-water" | "touched" | "strict" | "snapshot"
std::string_view to_string(CountingRule rule) noexcept;
// Accepts the names above (and "high_water", "strict_order").
std::optional<CountingRule> parse_counting_rule(std::string_view name) noexcept;

enum class FunnelBasis : std::uint8_t {
  created,  // the cohort of deals created in [from, to)
  closed,   // deals whose final won/lost stage was entered in [from, to)
};
std::string_view to_string(FunnelBasis basis) noexcept;  // "created" | "closed"
std::optional<FunnelBasis> parse_funnel_basis(std::string_view name) noexcept;

// How deals are split into groups (every group has the same figures).
struct FunnelGrouping {
  enum class Kind : std::uint8_t { none, dimension, created_month };
  Kind kind = Kind::none;
  DimensionId dimension;  // Kind::dimension
};
// "manager", "region", ... any dimension column of the log, or "created_month"
// (created_at's "YYYY-MM" at the query's UTC offset). not_found naming the
// available dimensions otherwise.
Result<FunnelGrouping> resolve_grouping(const EventLog& log, std::string_view name);

struct FunnelQuery {
  CountingRule rule = CountingRule::high_water;
  FunnelBasis basis = FunnelBasis::created;
  std::optional<Instant> from;   // inclusive; unbounded when absent
  std::optional<Instant> to;     // exclusive; unbounded when absent
  std::optional<Instant> as_of;  // report instant; absent: the latest event or creation in the log
  FunnelGrouping group;
  int utc_offset_minutes = 0;  // for created_month groups
  unsigned threads = 0;        // compute_funnel: 0 = automatic (all cores for large logs)
  // Convert every amount into one currency (core/fx.h; the table must outlive
  // the plan). Absent: amounts are summed per currency.
  std::optional<FxConversion> fx = std::nullopt;
};

// A 95% Wilson score interval.
struct Interval {
  double low = 0;
  double high = 0;
};
// nullopt when trials == 0 or successes > trials.
std::optional<Interval> wilson_interval(std::uint64_t successes, std::uint64_t trials,
                                        double z = 1.959963984540054) noexcept;

// numerator/denominator, with the Wilson interval; value and interval are
// absent when the denominator is 0 (interval also when numerator > denominator,
// which the touched rule allows).
struct Rate {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 0;
  std::optional<double> value;
  std::optional<Interval> interval;
  static Rate of(std::uint64_t numerator, std::uint64_t denominator) noexcept;
};

// A share of amounts in one currency: numerator / denominator, both exact
// sums in minor units; value absent when the denominator is 0. No interval:
// amounts are not counts of trials.
struct AmountRate {
  Money numerator;
  Money denominator;
  std::optional<double> value;
};

struct FunnelStageRow {
  StageId stage;
  std::string id;
  std::string name;
  std::uint64_t reached = 0;
  Rate step_conversion;        // from the previous open stage; absent for the first and for snapshot
  Rate cumulative_conversion;  // from the first open stage; absent for snapshot
  std::vector<Money> amount;   // of the deals counted, one per currency (currency code order)
};

struct LostFromRow {
  std::optional<StageId> stage;  // the last open stage entered before the loss; none: lost without one
  std::string id;                // "" when none
  std::string name;
  std::uint64_t count = 0;
  std::vector<Money> amount;
  // Loss reasons (the deals' lost_reason) by count descending, then reason; "" = no reason.
  std::vector<std::pair<std::string, std::uint64_t>> reasons;
};

struct LostToRow {
  StageId stage;
  std::string id;
  std::string name;
  std::uint64_t count = 0;
};

struct FunnelFigures {
  std::uint64_t deals = 0;  // in the basis
  std::uint64_t won = 0;
  std::uint64_t lost = 0;
  std::uint64_t open = 0;
  std::uint64_t without_history = 0;   // no stage change at or before as_of (counted as open, reach no stage)
  std::vector<FunnelStageRow> stages;  // open stages in funnel order
  Rate win_rate;                       // by count: won / (won + lost)
  // By amount: won amount / (won amount + lost amount), one per currency (code
  // order; currencies with a won or lost amount). Deals without amount count
  // in win_rate only.
  std::vector<AmountRate> win_rate_by_amount;
  // won / deals ("conversion of created"). Absent on the closed basis: there
  // deals = won + lost, so it would only repeat win_rate under another name.
  std::optional<Rate> won_of_created;
  std::vector<Money> won_amount;
  std::vector<Money> lost_amount;
  std::vector<Money> open_amount;
  std::vector<LostFromRow> lost_from;  // open stages in funnel order, then "none"; only rows with count > 0
  std::vector<LostToRow> lost_to;      // lost stages in pipeline order; only rows with count > 0
};

struct FunnelGroup {
  std::optional<std::string> key;  // nullopt: deals with an empty cell
  FunnelFigures figures;
};

// What was counted and how, for output beside the numbers.
struct FunnelDefinition {
  CountingRule rule = CountingRule::high_water;
  FunnelBasis basis = FunnelBasis::created;
  std::optional<Instant> from;
  std::optional<Instant> to;
  Instant as_of;  // the effective report instant
  std::string pipeline_id;
  std::string group_by;  // "" when not grouped
  std::string rule_text;
  std::string basis_text;
  std::string denominator_text;
  std::string conversion;  // FxConversion::describe() when converted, else ""
  // One line for table footers.
  std::string summary() const;
};

struct FunnelReport {
  FunnelDefinition definition;
  FunnelFigures total;
  std::vector<FunnelGroup> groups;  // key order (bytes), the empty key last; groups with deals only
};

// Integer counters of one shard; merge() adds them. Two partials of the same
// plan merge exactly. Opaque layout: read through FunnelPlan::finish.
//
// Size: one block of counters per group (stage levels, amounts per currency,
// outcomes, lost-from rows), plus the loss-reason counts (lost deals by group,
// open stage lost from and lost_reason). Those are dense while groups ×
// (open stages + 1) × (reasons + 1) stays within FunnelPlan::kDenseReasonCounters,
// and otherwise sparse: one entry per combination that occurs, so a
// high-cardinality grouping (`--by client`) does not multiply by the reasons.
class FunnelPartial {
 public:
  // The query a partial was computed with; merge() and finish() compare it.
  // The thread count is not part of it; the UTC offset only with
  // created_month groups. Partials of one query over different logs are not
  // told apart: merge partials of shards of one log.
  struct Query {
    CountingRule rule = CountingRule::high_water;
    FunnelBasis basis = FunnelBasis::created;
    std::optional<Instant> from;
    std::optional<Instant> to;
    Instant as_of;            // the effective report instant
    std::string pipeline_id;  //
    std::string group_by;     // FunnelDefinition::group_by
    int utc_offset_minutes = 0;
    std::string conversion;  // FxConversion::describe(), "" without
    friend bool operator==(const Query&, const Query&) = default;
  };
  // The first difference between two queries ("counting rule high-water vs
  // strict", "report instant ... vs ..."), "" when equal.
  static std::string difference(const Query& a, const Query& b);

  FunnelPartial() = default;
  // Sum in place; invalid_argument when the queries differ (naming the first
  // difference) or the shapes differ (other plan), overflow when a sum leaves
  // int64. On error *this is unchanged.
  Status merge(const FunnelPartial& other);
  const Query& query() const noexcept { return query_; }
  bool overflowed() const noexcept { return overflow_; }

  // Serialization, to merge partials computed in other processes or machines
  // (docs/funnel.md, "Partials across processes"): one line of JSON
  //   {"format": "dealflow-funnel-partial", "version": 1,
  //    "query": {"rule", "basis", "from", "to" (ISO 8601 or null), "as_of",
  //              "pipeline", "group_by", "utc_offset_minutes", "conversion"},
  //    "sparse_reasons": bool, "overflow": bool,
  //    "counters": [int64...], "reasons": [int64...], "sparse": [[group, cell, count]...]}
  // Exact: parse(to_json()) == *this. The counters are opaque (only a plan of
  // the same query over the same log can finish them; merge and finish check
  // the query and the shape as for any partial).
  static constexpr int kPartialFormatVersion = 1;
  std::string to_json() const;
  // Errors (parse_error, located at `source` and the JSON path, or line and
  // column for a syntax error): not JSON or not an object, an unknown member,
  // another "format", a "version" other than 1, a missing "query", an unknown
  // rule or basis, an instant that is not ISO 8601, a missing "as_of" or
  // "pipeline", a UTC offset outside -1440..1440, a counter that is not an
  // integer or beyond int64, dense "reasons" with sparse_reasons true,
  // "sparse" entries with sparse_reasons false, a sparse entry that is not
  // [group, cell, count] with group in u32, cell >= 0 and count > 0, or
  // entries not in increasing (group, cell) order.
  static Result<FunnelPartial> parse(std::string_view text, std::string_view source = "<funnel partial>");
  // Bytes held by the counters (for sizing; capacity, not just size).
  std::size_t memory_bytes() const noexcept;
  friend bool operator==(const FunnelPartial&, const FunnelPartial&) = default;

 private:
  friend class FunnelPlan;
  friend class FunnelResult;
  // A sparse loss-reason count: group, cell = open position lost from ×
  // (reasons + 1) + reason; entries sorted by (group, cell), counts > 0.
  struct ReasonCount {
    std::uint32_t group = 0;
    std::uint64_t cell = 0;
    std::int64_t count = 0;
    friend bool operator==(const ReasonCount&, const ReasonCount&) = default;
  };
  FunnelPartial(std::size_t counters, std::size_t dense_reasons, bool sparse_reasons)
      : counters_(counters, 0), reasons_(dense_reasons, 0), sparse_reasons_(sparse_reasons) {}
  std::vector<std::int64_t> counters_;  // groups × layout size
  std::vector<std::int64_t> reasons_;   // dense: groups × (m + 1) × (reasons + 1)
  std::vector<ReasonCount> sparse_;     // sparse mode
  Query query_;
  bool sparse_reasons_ = false;
  bool overflow_ = false;
};

class FunnelPlan {
 public:
  // Errors: the log is not sealed, the pipeline is not in the log's pipelines
  // (not_found), from >= to (invalid_argument). With query.fx the amounts of
  // the deals in the basis are converted here (the plan then holds 10 bytes
  // per deal); a missing rate is not_found naming the deal, date and pair.
  static Result<FunnelPlan> create(const EventLog& log, const Pipeline& pipeline, const FunnelQuery& query);

  // Counters for deals [begin, end) (DealId values; clamped to the log).
  FunnelPartial run(std::size_t begin, std::size_t end) const;
  // All deals, over `threads` std::threads (0: automatic: one thread for small
  // logs and for partials over kSingleThreadPartialBytes, else all cores).
  // Same result for any count.
  FunnelPartial run_all(unsigned threads = 0) const;
  // Bytes of the counters of one partial of this plan (dense reasons included).
  std::size_t partial_bytes() const noexcept {
    return (layout_.size * groups_ + (sparse_reasons_ ? 0 : groups_ * (m_ + 1) * reasons_)) *
           sizeof(std::int64_t);
  }
  static constexpr std::size_t kSingleThreadPartialBytes = std::size_t{32} << 20;
  // Rates and rows; overflow when an amount sum left int64. Builds every group
  // (FunnelResult makes them one at a time instead).
  Result<FunnelReport> finish(const FunnelPartial& partial) const;

  const FunnelQuery& query() const noexcept { return query_; }
  std::size_t group_count() const noexcept { return groups_; }
  // Loss-reason counts stay dense up to this many counters (512 KiB per
  // partial); beyond, they are sparse (see FunnelPartial).
  static constexpr std::size_t kDenseReasonCounters = std::size_t{1} << 16;
  bool sparse_reasons() const noexcept { return sparse_reasons_; }

 private:
  FunnelPlan() = default;
  friend class FunnelResult;
  struct AnyGroup {};  // run_impl: groups through group_of()
  template <CountingRule R, class GroupCode, bool kReason8, bool kTimeFilter>
  void run_impl(std::size_t begin, std::size_t end, FunnelPartial& out) const;
  std::uint32_t group_of(std::size_t deal) const noexcept;
  // Loss-reason counts of one group (groups_ = all groups): (cell, count)
  // sorted by cell, counts > 0, into `out` (cleared first).
  using ReasonCells = std::vector<std::pair<std::uint64_t, std::int64_t>>;
  void reason_cells(const FunnelPartial& partial, std::size_t group, ReasonCells& out) const;
  // The figures of one block of counters into `f`, reusing its buffers.
  void fill_figures(const std::int64_t* c, const ReasonCells& reasons, FunnelFigures& f) const;
  void fill_summary(const std::int64_t* c, FunnelFigures& f) const;
  // won + lost amount of a currency leaves int64 in this block.
  bool closed_amount_overflows(const std::int64_t* c) const noexcept;
  FunnelDefinition definition() const;

  const EventLog* log_ = nullptr;
  const Pipeline* pipeline_ = nullptr;
  FunnelQuery query_;
  FunnelPartial::Query partial_query_;  // stamped on every partial of this plan
  PipelineId log_pipeline_;
  bool single_pipeline_ = true;
  // Deals moved between pipelines whose stay at as_of is not their deals-table
  // pipeline from their first event: the stay's pipeline and first event, by
  // deal (empty for a log without moves).
  struct Stay {
    std::uint32_t deal = 0;
    std::uint16_t pipeline = 0;
    std::uint32_t begin = 0;
  };
  std::vector<Stay> stays_;
  Instant as_of_instant_;           // the report instant
  std::uint32_t as_of_ = 0;         // log seconds
  bool as_of_cuts_ = false;         // some events are after as_of
  std::int64_t from_ = 0, to_ = 0;  // unix seconds, created/closed filter
  bool time_filter_ = false;
  std::size_t m_ = 0;                        // open stages
  std::size_t currencies_ = 0;               // log currencies (1 with fx)
  std::vector<Currency> currency_list_;      // index -> currency (the log's, or the fx target)
  std::vector<std::size_t> currency_order_;  // currency indexes in code order
  std::vector<std::int64_t> fx_amount_;      // with fx: converted amounts per deal
  std::vector<std::uint16_t> fx_currency_;   // with fx: 0 or kNoCurrency per deal
  std::size_t reasons_ = 0;                  // lost_reason dictionary size + 1
  std::size_t lost_stages_ = 0;
  std::size_t groups_ = 1;
  bool sparse_reasons_ = false;
  std::int32_t first_month_ = 0;           // created_month grouping: months since year 0 of group 0
  std::vector<std::int16_t> position_;     // StageId -> open position, -1 for others (65536 entries)
  std::vector<std::uint8_t> kind_;         // StageId -> 0 open, 1 won, 2 lost, 3 not in the pipeline
  std::vector<std::uint16_t> lost_index_;  // StageId -> index in lost_stages()
  // The grouping dimension's codes and the amounts as of the report instant,
  // when the log has field changes of them (else empty: the stored columns).
  std::vector<std::uint32_t> as_of_codes_;
  std::vector<std::int64_t> as_of_amount_;
  std::vector<std::uint16_t> as_of_currency_;
  // Counter layout inside one group block (level* for high-water and strict,
  // stage* for touched and snapshot: the other pair has size 0).
  struct Layout {
    std::size_t deals, won, lost, open, without_history, level, level_amount, stage, stage_amount, won_amount,
        lost_amount, open_amount, lost_from, lost_from_amount, lost_to, size;
  } layout_{};
};

// A finished funnel whose groups are made one at a time, in output order, from
// the dense per-group counters of the partial (no FunnelGroup object per group:
// `dealflow funnel --by client` writes 720 k groups through one reused object).
// report() holds the totals and the definition (its `groups` is empty);
// group(i, out) fills `out` with the i-th group (key bytes ascending, the empty
// key last; groups with deals only), reusing out's buffers. The figures are
// the ones FunnelPlan::finish gives, bit for bit.
//
// Ownership: keeps its plan (so the log and the pipeline must outlive it) and
// the partial. Thread-safety: const methods may be called concurrently.
class FunnelResult {
 public:
  // Errors as FunnelPlan::finish.
  static Result<FunnelResult> create(FunnelPlan plan, FunnelPartial partial);

  const FunnelReport& report() const noexcept { return report_; }
  std::size_t group_count() const noexcept { return order_.size(); }
  void group(std::size_t i, FunnelGroup& out) const;
  // Only what a group's row of the table shows: key, deals, won, lost, open,
  // without_history, stages[k].reached, win_rate.value, win_rate_by_amount
  // and won_amount; the other members of `out` are left as they were.
  void group_summary(std::size_t i, FunnelGroup& out) const;
  // Moves every group into a plain FunnelReport (what FunnelPlan::finish returns).
  FunnelReport materialize() &&;

 private:
  FunnelResult() = default;
  FunnelPlan plan_;
  FunnelPartial partial_;
  FunnelReport report_;
  std::vector<std::uint32_t> order_;  // group codes with deals, in output order
  void key(std::uint32_t g, FunnelGroup& out) const;
};

// Plan, run (threads per query.threads) and finish in one call.
Result<FunnelReport> compute_funnel(const EventLog& log, const Pipeline& pipeline, const FunnelQuery& query);
// The same without building the groups (see FunnelResult).
Result<FunnelResult> compute_funnel_result(const EventLog& log, const Pipeline& pipeline,
                                           const FunnelQuery& query);

}  // namespace dealflow::analytics
