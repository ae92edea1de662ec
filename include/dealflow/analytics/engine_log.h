// dealflow/analytics/engine_log.h: filling an EventLog from the deal engine's
// history, so a CRM that runs the engine computes the same reports (funnel,
// durations, scorecard) as an analyst who loads CSV exports.
//
// Mapping (docs/analytics-formats.md, "From the deal engine"):
//   * one log deal per deal of the history, in DealId order, keyed by the
//     decimal engine id ("0", "1", ...); pipeline, created-at, amount, owner
//     (dimension manager), client and every attribute field (region, product,
//     ..., custom fields as custom dimensions) as of the latest history event;
//   * one log event per stage entry (creation, move, reopen, timed move,
//     hand-off), in the log deal of the pipeline stay it belongs to;
//   * hand-offs between pipelines count in both (docs/analytics-formats.md,
//     "Hand-offs"): a deal a `move` hand-off took from pipeline A to B is, in
//     B, the log deal "<id>" created at the hand-off instant (its first event
//     the hand-off entry); its stay in A is an extra log deal "<id>/0" (then
//     "<id>/1", ... for later stays when it moved again), appended after every
//     engine deal, created at the deal's creation, with its events in A up to
//     the hand-off and the dimension `handed_off_to` = B's id (the column
//     exists only when the history has a move hand-off). In A's funnel it
//     counts up to its trigger stage and stays there (open when the trigger
//     stage is open); group by `handed_off_to` to tell hand-off exits apart.
//     A `create_linked` hand-off needs nothing: the source deal stays in A,
//     the linked deal is a deal of B created at the hand-off;
//   * the actor as text (`manager_name`), automation as no actor;
//   * one field change per field event (owner -> manager, client, amount,
//     probability in hundredths of a percent rounded to the nearest from ppm,
//     attributes -> their dimensions), so as-of reports see reassignments;
//     an earlier stay gets the changes up to and including its hand-off
//     instant, so after it the stay holds its values at the hand-off;
//     a field whose only event is at the deal's creation adds no change (its
//     value is the deals-table value, which is also the as-of value then);
//     a field whose first event is after the creation (a probability
//     override) gets a clearing change at the creation, so it has no value
//     before; the deals table's probability is the latest override, if any.
// The log's time base is the history's epoch, so every history instant fits.
//
// Ownership: the result owns its data; the history is only read (take it from a
// quiescent engine, or accept the consistent prefix a ConcurrentEngine shows).
// Thread-safety: reentrant.
//
// Example:
//   auto log = dealflow::analytics::event_log_from_engine(engine);
//   if (!log) return log.status();
//   auto funnel = dealflow::analytics::compute_funnel(*log, engine.workspace().pipeline(dealflow::PipelineId{0}), {});
#pragma once

#include <functional>
#include <string>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/status.h"
#include "dealflow/pipeline/deal.h"
#include "dealflow/pipeline/history.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

// How ids and codes of the history become text. Every member is optional.
struct HistoryNames {
  // Name of an attribute field; default: the workspace vocabulary's name, else "field_<id>".
  std::function<std::string(FieldId)> field_name;
  // Text of an attribute value; default: the code in decimal.
  std::function<std::string(FieldId, ValueCode)> value_text;
  // Manager (owner, actor) name; default: the id in decimal.
  std::function<std::string(ManagerId)> manager_name;
  // Client name; default: the id in decimal.
  std::function<std::string(ClientId)> client_name;
};

// Errors: a history event naming a pipeline the workspace does not have
// (invalid_argument), more than 65,535 distinct actors (overflow).
Result<EventLog> event_log_from_history(const History& history, const Workspace& workspace,
                                        const HistoryNames& names = {});

// The engine's history with its field names and value texts.
template <class EngineT>
Result<EventLog> event_log_from_engine(const EngineT& engine, HistoryNames names = {}) {
  if (!names.field_name) names.field_name = [&engine](FieldId f) { return std::string(engine.field_name(f)); };
  if (!names.value_text) names.value_text = [&engine](FieldId f, ValueCode c) { return engine.value_text(f, c); };
  return event_log_from_history(engine.history(), engine.workspace(), names);
}

}  // namespace dealflow::analytics
