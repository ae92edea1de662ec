// Close-date slippage, amount and owner changes: see dealflow/analytics/slippage.h.
#include "dealflow/analytics/slippage.h"

#include <algorithm>
#include <map>

#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"

#include "analytics/output_text.h"

namespace dealflow::analytics {
namespace {

// Per-currency sums as a small map by the log's currency index.
using Deltas = std::map<std::uint16_t, std::int64_t>;

struct SlippageSums {
  SlippageFigures figures;
  Deltas delta;
};

void merge(SlippageSums& into, const SlippageSums& from) {
  SlippageFigures& a = into.figures;
  const SlippageFigures& b = from.figures;
  a.deals += b.deals;
  a.deals_pushed += b.deals_pushed;
  a.close_date_pushes += b.close_date_pushes;
  a.days_pushed += b.days_pushed;
  a.close_date_pulls += b.close_date_pulls;
  a.days_pulled += b.days_pulled;
  a.amount_changes += b.amount_changes;
  a.owner_changes += b.owner_changes;
  for (const auto& [c, v] : from.delta) into.delta[c] += v;
}

SlippageFigures finish(const SlippageSums& acc, const EventLog& log) {
  SlippageFigures f = acc.figures;
  std::vector<std::pair<std::string, Money>> by_code;
  for (const auto& [c, v] : acc.delta) {
    if (v != 0) by_code.emplace_back(std::string(log.currencies()[c].code()), Money(v, log.currencies()[c]));
  }
  std::sort(by_code.begin(), by_code.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [code, m] : by_code) f.amount_delta.push_back(m);
  return f;
}

// The counted changes of one deal in [from, to) (log seconds, to exclusive).
SlippageSums deal_changes(const EventLog& log, DealId d, std::uint32_t from, std::uint32_t to,
                          bool to_given) {
  SlippageSums acc;
  SlippageFigures& f = acc.figures;
  const std::uint16_t manager = DealField::dimension(StandardDimension::manager).code();
  bool seen_date = false, seen_amount = false, seen_owner = false;
  std::optional<Date> prev_date;
  std::uint32_t prev_owner = kNoValue;
  std::optional<std::size_t> prev_amount;  // index of the previous amount change
  for (std::size_t i = log.field_change_begin(d); i < log.field_change_end(d); ++i) {
    const std::uint32_t at = log.to_log_seconds(log.field_change_at(i));
    if (to_given && at >= to) break;
    const bool counted = at >= from;
    const DealField field = log.field_change_field(i);
    const std::uint32_t v = log.field_change_value(i);
    if (field == DealField::close_date()) {
      const std::optional<Date> now = log.field_change_date(i);
      if (seen_date && counted && now && prev_date) {
        const int days = *now - *prev_date;
        if (days > 0) {
          ++f.close_date_pushes;
          f.days_pushed += days;
        } else if (days < 0) {
          ++f.close_date_pulls;
          f.days_pulled -= days;
        }
      }
      seen_date = true;
      prev_date = now;
    } else if (field == DealField::amount()) {
      const std::optional<Money> now = log.field_change_amount(i);
      if (seen_amount && counted) {
        const std::optional<Money> before =
            prev_amount ? log.field_change_amount(*prev_amount) : std::nullopt;
        if (now != before) {
          ++f.amount_changes;
          if (now && before && now->currency() == before->currency()) {
            const auto& cs = log.currencies();
            const auto c =
                static_cast<std::uint16_t>(std::find(cs.begin(), cs.end(), now->currency()) - cs.begin());
            acc.delta[c] += now->minor_units() - before->minor_units();
          }
        }
      }
      seen_amount = true;
      prev_amount = now ? std::optional<std::size_t>(i) : std::nullopt;
    } else if (field.code() == manager) {
      if (seen_owner && counted && v != prev_owner) ++f.owner_changes;
      seen_owner = true;
      prev_owner = v;
    }
  }
  if (f.close_date_pushes) f.deals_pushed = 1;
  if (f.close_date_pushes || f.close_date_pulls || f.amount_changes || f.owner_changes) f.deals = 1;
  return acc;
}

std::string day_count_text(std::int64_t days) { return std::to_string(days); }

std::string deals_text(std::uint64_t n) { return "(" + std::to_string(n) + (n == 1 ? " deal)" : " deals)"); }

std::string money_list(const std::vector<Money>& v) {
  std::string s;
  for (const Money& m : v)
    s += std::string(s.empty() ? "" : "; ") + (m.minor_units() > 0 ? "+" : "") + m.to_string();
  return s;
}

}  // namespace

std::string SlippageReport::definition_text() {
  return "push = a change of the expected close date to a later date (days pushed = new - previous date), "
         "pull = to an earlier one; amount change = the amount changed (delta per currency); owner change = "
         "the "
         "manager changed; counted when the change is in [from, to) and compared with the field's previous "
         "change (a deal's first change of a field sets it and is not counted); groups and owners as of the "
         "report instant";
}

Result<SlippageReport> compute_slippage(const EventLog& log, const Pipeline& pipeline,
                                        const SlippageQuery& query) {
  if (!log.sealed())
    return Status(ErrorCode::invalid_argument, "the event log must be sealed before a report");
  const auto pcode = log.pipelines().find(pipeline.id());
  if (!pcode) return Status(ErrorCode::not_found, "pipeline '" + pipeline.id() + "' has no deals in the log");
  if (query.from && query.to && *query.from >= *query.to) {
    return Status(ErrorCode::invalid_argument, "empty period: from " + format_iso(*query.from) +
                                                   " is not before to " + format_iso(*query.to));
  }
  if (query.group.kind == FunnelGrouping::Kind::created_month) {
    return Status(ErrorCode::invalid_argument, "pipeline changes group by a dimension, not by created month");
  }
  SlippageReport report;
  report.pipeline_id = pipeline.id();
  report.from = query.from;
  report.to = query.to;
  report.as_of = query.to ? *query.to - Duration(1) : log.latest_instant();
  const bool grouped = query.group.kind == FunnelGrouping::Kind::dimension;
  if (grouped) report.group_by = log.dimension(query.group.dimension).name;
  const std::uint32_t from = query.from ? log.to_log_seconds(*query.from) : 0;
  const std::uint32_t to = query.to ? log.to_log_seconds(*query.to) : 0;
  const bool from_before_base = query.from && *query.from < log.time_base();
  const DimensionId manager = to_dimension_id(StandardDimension::manager);

  SlippageSums total;
  std::map<std::optional<std::string>, SlippageSums> groups;
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (log.pipeline(d).value() != *pcode || log.created_at(d) > report.as_of) continue;
    const SlippageSums acc = deal_changes(log, d, from_before_base ? 0 : from, to, query.to.has_value());
    if (acc.figures.deals == 0) continue;
    SlippageDeal row;
    row.deal = std::string(log.deal_key(d));
    row.owner = std::string(log.dimension_value_as_of(d, manager, report.as_of));
    row.close_date = log.close_date_as_of(d, report.as_of);
    row.figures = finish(acc, log);
    if (grouped) {
      const std::string_view v = log.dimension_value_as_of(d, query.group.dimension, report.as_of);
      row.group = v.empty() ? std::nullopt : std::optional<std::string>(std::string(v));
      merge(groups[row.group], acc);
    }
    merge(total, acc);
    report.deals.push_back(std::move(row));
  }
  for (const auto& [key, acc] : groups) {
    if (key) report.groups.push_back({key, finish(acc, log)});
  }
  if (auto it = groups.find(std::nullopt); it != groups.end())
    report.groups.push_back({std::nullopt, finish(it->second, log)});
  report.total = finish(total, log);
  return report;
}

namespace {

using detail::bound;

Json slippage_figures_json(const SlippageFigures& f) {
  Json delta = Json::array();
  for (const Money& m : f.amount_delta)
    delta.push_back(detail::money_json(m));
  return Json{{"deals", f.deals},
              {"deals_pushed", f.deals_pushed},
              {"close_date_pushes", f.close_date_pushes},
              {"days_pushed", f.days_pushed},
              {"close_date_pulls", f.close_date_pulls},
              {"days_pulled", f.days_pulled},
              {"amount_changes", f.amount_changes},
              {"amount_delta", delta},
              {"owner_changes", f.owner_changes}};
}

}  // namespace

Json slippage_to_json(const SlippageReport& r) {
  Json deals = Json::array();
  for (const auto& d : r.deals) {
    Json j = slippage_figures_json(d.figures);
    j.erase("deals");
    j.erase("deals_pushed");
    deals.push_back(Json{{"deal", d.deal},
                         {"group", d.group ? Json(*d.group) : Json(nullptr)},
                         {"owner", d.owner},
                         {"close_date", d.close_date ? Json(d.close_date->to_string()) : Json(nullptr)},
                         {"changes", j}});
  }
  Json groups = Json::array();
  for (const auto& g : r.groups) {
    groups.push_back(
        Json{{"key", g.key ? Json(*g.key) : Json(nullptr)}, {"figures", slippage_figures_json(g.figures)}});
  }
  return Json{{"definition",
               {{"pipeline", r.pipeline_id},
                {"from", r.from ? Json(format_iso(*r.from)) : Json(nullptr)},
                {"to", r.to ? Json(format_iso(*r.to)) : Json(nullptr)},
                {"as_of", format_iso(r.as_of)},
                {"group_by", r.group_by.empty() ? Json(nullptr) : Json(r.group_by)},
                {"text", SlippageReport::definition_text()}}},
              {"deals", deals},
              {"groups", groups},
              {"total", slippage_figures_json(r.total)}};
}

std::string slippage_to_csv(const SlippageReport& r) {
  std::string out =
      "row,deal,group,owner,close_date,deals,deals_pushed,close_date_pushes,days_pushed,close_date_pulls,"
      "days_pulled,amount_changes,amount_delta,owner_changes\n";
  auto line = [&](const char* kind, const std::string& deal, const std::string& group,
                  const std::string& owner, const std::string& close, const SlippageFigures& f) {
    out += std::string(kind) + "," + csv_escape(deal) + "," + csv_escape(group) + "," + csv_escape(owner) +
           "," + close + "," + std::to_string(f.deals) + "," + std::to_string(f.deals_pushed) + "," +
           std::to_string(f.close_date_pushes) + "," + std::to_string(f.days_pushed) + "," +
           std::to_string(f.close_date_pulls) + "," + std::to_string(f.days_pulled) + "," +
           std::to_string(f.amount_changes) + "," + csv_escape(money_list(f.amount_delta)) + "," +
           std::to_string(f.owner_changes) + "\n";
  };
  for (const auto& d : r.deals) {
    line("deal", d.deal, d.group.value_or(""), d.owner, d.close_date ? d.close_date->to_string() : "",
         d.figures);
  }
  for (const auto& g : r.groups) line("group", "", g.key.value_or(""), "", "", g.figures);
  line("total", "", "", "", "", r.total);
  return out;
}

std::string slippage_to_table(const SlippageReport& r) {
  const std::vector<Align> align = {Align::left,  Align::left,  Align::left,  Align::right, Align::right,
                                    Align::right, Align::right, Align::right, Align::left,  Align::right};
  TextTable t({"deal", r.group_by.empty() ? "group" : r.group_by, "owner", "close date", "pushes",
               "days pushed", "pulls", "amount changes", "amount delta", "owner changes"},
              align);
  for (const auto& d : r.deals) {
    const SlippageFigures& f = d.figures;
    t.add_row({d.deal, d.group.value_or(r.group_by.empty() ? "" : "(none)"), d.owner,
               d.close_date ? d.close_date->to_string() : "", std::to_string(f.close_date_pushes),
               day_count_text(f.days_pushed), std::to_string(f.close_date_pulls),
               std::to_string(f.amount_changes), money_list(f.amount_delta),
               std::to_string(f.owner_changes)});
  }
  for (const auto& g : r.groups) {
    const SlippageFigures& f = g.figures;
    t.add_row({deals_text(f.deals), g.key.value_or("(none)"), "", "", std::to_string(f.close_date_pushes),
               day_count_text(f.days_pushed), std::to_string(f.close_date_pulls),
               std::to_string(f.amount_changes), money_list(f.amount_delta),
               std::to_string(f.owner_changes)});
  }
  const SlippageFigures& f = r.total;
  t.add_row({"total " + deals_text(f.deals), "", "", "", std::to_string(f.close_date_pushes),
             day_count_text(f.days_pushed), std::to_string(f.close_date_pulls),
             std::to_string(f.amount_changes), money_list(f.amount_delta), std::to_string(f.owner_changes)});
  return t.render() + "\npipeline " + r.pipeline_id + "; changes in [" + bound(r.from, "-inf") + ", " +
         bound(r.to, "+inf") + "); as of " + format_iso(r.as_of) + "; " +
         std::to_string(r.total.deals_pushed) +
         " deal(s) pushed\ndefinition: " + SlippageReport::definition_text() + "\n";
}

}  // namespace dealflow::analytics
