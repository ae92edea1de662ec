// Pipeline movement as text, JSON and CSV: see dealflow/analytics/movement_output.h.
#include "dealflow/analytics/movement_output.h"

#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"

namespace dealflow::analytics {
namespace {

struct BarText {
  std::string_view name, label;
  MovementBarKind kind;
};

constexpr std::array<BarText, kMovementBarCount> kBars = {{
    {"start", "open at start", MovementBarKind::level},
    {"created", "created", MovementBarKind::entry},
    {"pulled_in", "pulled in", MovementBarKind::entry},
    {"slipped_in", "slipped in", MovementBarKind::entry},
    {"dated", "dated", MovementBarKind::entry},
    {"reopened", "reopened", MovementBarKind::entry},
    {"moved_in", "moved in", MovementBarKind::entry},
    {"amount_changed", "amount changes", MovementBarKind::change},
    {"currency_changed", "currency changes", MovementBarKind::change},
    {"won", "won", MovementBarKind::exit},
    {"lost", "lost", MovementBarKind::exit},
    {"slipped_out", "slipped out", MovementBarKind::exit},
    {"pulled_out", "pulled out", MovementBarKind::exit},
    {"undated", "undated", MovementBarKind::exit},
    {"moved_out", "moved out", MovementBarKind::exit},
    {"end", "open at end", MovementBarKind::level},
}};

const BarText& text(MovementBar bar) {
  return kBars[static_cast<std::size_t>(bar)];
}

std::string amount_text(const MovementSection& s, std::int64_t minor) {
  return s.currency ? Money(minor, *s.currency).format_amount() : std::to_string(minor);
}

std::string signed_text(std::int64_t v, const std::string& formatted) {
  return (v > 0 ? "+" : "") + formatted;
}

}  // namespace

std::string_view movement_bar_name(MovementBar bar) noexcept {
  return text(bar).name;
}
std::string_view movement_bar_label(MovementBar bar) noexcept {
  return text(bar).label;
}
MovementBarKind movement_bar_kind(MovementBar bar) noexcept {
  return text(bar).kind;
}

std::string_view movement_bar_kind_name(MovementBarKind kind) noexcept {
  switch (kind) {
    case MovementBarKind::level:
      return "level";
    case MovementBarKind::entry:
      return "entry";
    case MovementBarKind::change:
      return "change";
    case MovementBarKind::exit:
      return "exit";
  }
  return "level";
}

std::string_view movement_scope_name(MovementScope scope) noexcept {
  return scope == MovementScope::all_open ? "all_open" : "close_in_period";
}

std::string movement_bar_definition(MovementBar bar, MovementScope scope, bool to_date) {
  const bool period = scope == MovementScope::close_in_period;
  const std::string pipeline =
      period ? "open with its expected close date in [from, to)" : "open (any close date)";
  switch (bar) {
    case MovementBar::start:
      return "deals " + pipeline + " as of from - 1 s";
    case MovementBar::created:
      return "entered by being created (or by its first stage event) in the period";
    case MovementBar::pulled_in:
      return "entered when its close date moved into the period from a later date";
    case MovementBar::slipped_in:
      return "entered when its close date moved into the period from an earlier date";
    case MovementBar::dated:
      return "entered when a close date in the period was set where there was none";
    case MovementBar::reopened:
      return "entered when a won or lost deal was reopened";
    case MovementBar::moved_in:
      return "entered from another pipeline";
    case MovementBar::amount_changed:
      return "net change of the amounts of deals while in the pipeline (new - previous; no count)";
    case MovementBar::currency_changed:
      return "deals in the pipeline whose amount changed currency or was set or cleared: out of the old "
             "currency's section (-), into the new one's (+)";
    case MovementBar::won:
      return "left by being won (at the amount it was won with)";
    case MovementBar::lost:
      return "left by being lost";
    case MovementBar::slipped_out:
      return "left when its close date was pushed past the period (on or after to)";
    case MovementBar::pulled_out:
      return "left when its close date was moved before the period (before from)";
    case MovementBar::undated:
      return "left when its close date was cleared";
    case MovementBar::moved_out:
      return "left to another pipeline";
    case MovementBar::end:
      return "deals " + pipeline + (to_date ? " as of as_of - 1 s" : " as of to - 1 s");
  }
  return "";
}

std::string MovementReport::definition_text() const {
  const std::string window =
      as_of ? "period to date (as_of = " + format_iso(*as_of) +
                  "): start as of from - 1 s, end as of as_of - 1 s; every change of a deal in [from, as_of)"
            : std::string("start as of from - 1 s, end as of to - 1 s; every change of a deal in [from, to)");
  return std::string("pipeline of the period = ") +
         (scope == MovementScope::close_in_period ? "open deals whose expected close date is in [from, to)"
                                                  : "all open deals") +
         "; " + window +
         " that makes it enter or leave counts once, named by what it was before (entries) or became "
         "(exits); amounts per currency, exits at the amount the deal left with; start + entries + changes - "
         "exits = end";
}

Json movement_to_json(const MovementReport& r) {
  Json bars_def = Json::array();
  for (std::size_t i = 0; i < kMovementBarCount; ++i) {
    const auto bar = static_cast<MovementBar>(i);
    bars_def.push_back(Json{{"bar", movement_bar_name(bar)},
                            {"label", movement_bar_label(bar)},
                            {"kind", movement_bar_kind_name(movement_bar_kind(bar))},
                            {"definition", movement_bar_definition(bar, r.scope, r.as_of.has_value())}});
  }
  Json sections = Json::array();
  for (const MovementSection& s : r.sections) {
    Json bars = Json::array();
    for (const MovementFigures& f : s.bars) {
      bars.push_back(Json{{"bar", movement_bar_name(f.bar)},
                          {"label", movement_bar_label(f.bar)},
                          {"kind", movement_bar_kind_name(movement_bar_kind(f.bar))},
                          {"count", f.count},
                          {"amount", amount_text(s, f.amount)},
                          {"deals", f.deals}});
    }
    const MovementFigures& start = s.bar(MovementBar::start);
    const MovementFigures& end = s.bar(MovementBar::end);
    const std::int64_t count_flows = s.computed_end_count() - start.count;
    const std::int64_t amount_flows = static_cast<std::int64_t>(
        static_cast<std::uint64_t>(s.computed_end_amount()) - static_cast<std::uint64_t>(start.amount));
    Json identity = {{"count",
                      {{"start", start.count},
                       {"flows", count_flows},
                       {"end", end.count},
                       {"holds", s.computed_end_count() == end.count}}},
                     {"amount",
                      {{"start", amount_text(s, start.amount)},
                       {"flows", amount_text(s, amount_flows)},
                       {"end", amount_text(s, end.amount)},
                       {"holds", s.computed_end_amount() == end.amount}}}};
    sections.push_back(Json{{"currency", s.currency ? Json(s.currency->code()) : Json(nullptr)},
                            {"bars", std::move(bars)},
                            {"identity", std::move(identity)}});
  }
  return Json{{"definition",
               {{"pipeline", r.pipeline_id},
                {"from", format_iso(r.from)},
                {"to", format_iso(r.to)},
                {"as_of", r.as_of ? Json(format_iso(*r.as_of)) : Json(nullptr)},
                {"start_as_of", format_iso(r.start_as_of)},
                {"end_as_of", format_iso(r.end_as_of)},
                {"scope", movement_scope_name(r.scope)},
                {"utc_offset_minutes", r.utc_offset_minutes},
                {"text", r.definition_text()},
                {"bars", std::move(bars_def)}}},
              {"currencies", std::move(sections)}};
}

std::string movement_to_csv(const MovementReport& r) {
  std::string out = "currency,bar,kind,count,amount,deals\n";
  for (const MovementSection& s : r.sections) {
    const std::string currency = s.currency ? std::string(s.currency->code()) : "";
    for (const MovementFigures& f : s.bars) {
      std::string ids;
      for (const std::string& id : f.deals) ids += (ids.empty() ? "" : "; ") + id;
      out += currency + "," + std::string(movement_bar_name(f.bar)) + "," +
             std::string(movement_bar_kind_name(movement_bar_kind(f.bar))) + "," + std::to_string(f.count) +
             "," + amount_text(s, f.amount) + "," + csv_escape(ids) + "\n";
    }
  }
  return out;
}

std::string movement_to_table(const MovementReport& r, std::size_t ids_width) {
  std::string out;
  for (const MovementSection& s : r.sections) {
    if (!out.empty()) out += "\n";
    out += s.currency ? std::string(s.currency->code()) + "\n" : std::string("(no amount)\n");
    TextTable t({"bar", "deals", "amount", "deal ids"},
                {Align::left, Align::right, Align::right, Align::left});
    for (const MovementFigures& f : s.bars) {
      const bool level = movement_bar_kind(f.bar) == MovementBarKind::level;
      if (!level && f.count == 0 && f.amount == 0 && f.deals.empty()) continue;
      std::string ids;
      std::size_t shown = 0;
      for (; shown < f.deals.size(); ++shown) {
        if (shown > 0 && ids.size() + 2 + f.deals[shown].size() > ids_width) break;
        ids += (shown ? ", " : "") + f.deals[shown];
      }
      if (shown < f.deals.size()) ids += ", … (+" + std::to_string(f.deals.size() - shown) + ")";
      const std::string count = f.bar == MovementBar::amount_changed ? std::string("")
                                : level                              ? std::to_string(f.count)
                                        : signed_text(f.count, std::to_string(f.count));
      const std::string amount =
          level ? amount_text(s, f.amount) : signed_text(f.amount, amount_text(s, f.amount));
      t.add_row({std::string(movement_bar_label(f.bar)), count, amount, ids});
    }
    out += t.render();
    const MovementFigures& start = s.bar(MovementBar::start);
    const MovementFigures& end = s.bar(MovementBar::end);
    const std::int64_t count_flows = s.computed_end_count() - start.count;
    const auto amount_flows = static_cast<std::int64_t>(static_cast<std::uint64_t>(s.computed_end_amount()) -
                                                        static_cast<std::uint64_t>(start.amount));
    auto term = [](std::int64_t v, const std::string& formatted) {
      return (v < 0 ? " - " + formatted.substr(1) : " + " + formatted);
    };
    out += "identity: " + std::to_string(start.count) + term(count_flows, std::to_string(count_flows)) +
           " = " + std::to_string(end.count) + " deals; " + amount_text(s, start.amount) +
           term(amount_flows, amount_text(s, amount_flows)) + " = " + amount_text(s, end.amount) + ": " +
           (s.identity_holds() ? "holds" : "DOES NOT HOLD") + "\n";
  }
  if (r.sections.empty()) out += "no deal was in the period's pipeline or moved through it\n";
  out += "\npipeline " + r.pipeline_id + "; period [" + format_iso(r.from) + ", " + format_iso(r.to) + ")" +
         (r.as_of ? "; changes to as_of " + format_iso(*r.as_of) : std::string()) + "; scope " +
         std::string(movement_scope_name(r.scope)) + "\ndefinition: " + r.definition_text() + "\n";
  return out;
}

}  // namespace dealflow::analytics
