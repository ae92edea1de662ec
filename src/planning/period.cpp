// Periods: parsing the text forms and stepping between periods (period.h).
#include "dealflow/planning/period.h"

#include <charconv>
#include <optional>

namespace dealflow::planning {
namespace {

Date ymd(int year, int month) {  // the first of a month; month may run past 12
  year += (month - 1) / 12;
  month = (month - 1) % 12 + 1;
  return Date(days_from_civil(year, static_cast<unsigned>(month), 1u));
}

std::optional<int> number(std::string_view s) {
  int v = 0;
  if (s.empty() || s.size() > 4) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string fiscal_label(int fiscal_start_month, int year, std::string_view suffix) {
  std::string label = (fiscal_start_month == 1 ? "" : "FY") + std::to_string(year);
  if (!suffix.empty()) label += "-" + std::string(suffix);
  return label;
}

// The fiscal period of `kind` number `index` (1-based; ignored for year) of fiscal year `year`.
Period fiscal_period(PeriodKind kind, int year, int index, int m) {
  Period p;
  p.kind = kind;
  const int months = kind == PeriodKind::quarter ? 3 : kind == PeriodKind::half_year ? 6 : 12;
  const int start = m + (kind == PeriodKind::year ? 0 : (index - 1) * months);
  p.first = ymd(year, start);
  p.end = ymd(year, start + months);
  const std::string suffix = kind == PeriodKind::quarter     ? "Q" + std::to_string(index)
                             : kind == PeriodKind::half_year ? "H" + std::to_string(index)
                                                             : "";
  p.label = fiscal_label(m, year, suffix);
  return p;
}

Period month_period(int year, int month) {
  Period p;
  p.kind = PeriodKind::month;
  p.first = ymd(year, month);
  p.end = ymd(year, month + 1);
  const std::string mm = (month < 10 ? "0" : "") + std::to_string(month);
  p.label = std::to_string(year) + "-" + mm;
  return p;
}

Period range_period(Date first, Date end) {
  Period p;
  p.kind = PeriodKind::range;
  p.first = first;
  p.end = end;
  p.label = first.to_string() + ".." + (end - 1).to_string();
  return p;
}

Status bad(std::string_view text, std::string_view why = {}) {
  std::string m = "period '" + std::string(text) + "'";
  if (!why.empty()) m += ": " + std::string(why);
  m += ": expected YYYY-MM (a month), YYYY or FYYYYY (a year), YYYY-Qn (n 1..4), YYYY-Hn (n 1..2), "
       "optionally FY-prefixed, or FIRST..LAST (YYYY-MM-DD..YYYY-MM-DD, both included)";
  return Status(ErrorCode::invalid_argument, std::move(m));
}

}  // namespace

std::string_view to_string(PeriodKind kind) noexcept {
  switch (kind) {
    case PeriodKind::month:
      return "month";
    case PeriodKind::quarter:
      return "quarter";
    case PeriodKind::half_year:
      return "half_year";
    case PeriodKind::year:
      return "year";
    case PeriodKind::range:
      return "range";
  }
  return "?";
}

std::optional<PeriodKind> parse_period_kind(std::string_view text) noexcept {
  for (PeriodKind k :
       {PeriodKind::month, PeriodKind::quarter, PeriodKind::half_year, PeriodKind::year, PeriodKind::range})
    if (text == to_string(k)) return k;
  if (text == "half-year" || text == "half") return PeriodKind::half_year;
  return std::nullopt;
}

Result<Period> parse_period(std::string_view text, int fiscal_start_month) {
  if (fiscal_start_month < 1 || fiscal_start_month > 12)
    return Status(ErrorCode::invalid_argument,
                  "fiscal year start month " + std::to_string(fiscal_start_month) + ": expected 1 .. 12");
  if (auto dots = text.find(".."); dots != std::string_view::npos) {
    auto first = Date::parse(text.substr(0, dots));
    auto last = Date::parse(text.substr(dots + 2));
    if (!first || !last) return bad(text, "a range needs two dates YYYY-MM-DD");
    if (*last < *first) return bad(text, "the last day is before the first");
    return range_period(*first, *last + 1);
  }
  std::string_view s = text;
  const bool fy = s.starts_with("FY");
  if (fy) s.remove_prefix(2);
  if (s.size() < 4) return bad(text);
  auto year = number(s.substr(0, 4));
  if (!year || *year < 1971 || *year > 2105) return bad(text, "the year must be 1971 .. 2105");
  s.remove_prefix(4);
  if (s.empty()) return fiscal_period(PeriodKind::year, *year, 1, fiscal_start_month);
  if (s.front() != '-' || s.size() < 2) return bad(text);
  s.remove_prefix(1);
  if (s.front() == 'Q' || s.front() == 'H') {
    const bool quarter = s.front() == 'Q';
    auto n = number(s.substr(1));
    if (!n || *n < 1 || *n > (quarter ? 4 : 2)) return bad(text, quarter ? "quarter 1 .. 4" : "half 1 .. 2");
    return fiscal_period(quarter ? PeriodKind::quarter : PeriodKind::half_year, *year, *n,
                         fiscal_start_month);
  }
  if (fy) return bad(text, "a month is a calendar month, without FY");
  auto month = number(s);
  if (!month || s.size() != 2 || *month < 1 || *month > 12) return bad(text, "month 01 .. 12");
  return month_period(*year, *month);
}

Period period_containing(PeriodKind kind, Date d, int m) {
  if (m < 1 || m > 12) m = 1;
  if (kind == PeriodKind::month || kind == PeriodKind::range) return month_period(d.year(), d.month());
  // Months since the start of the fiscal year that contains d.
  int fiscal_year = d.year();
  int offset = d.month() - m;
  if (offset < 0) {
    fiscal_year -= 1;
    offset += 12;
  }
  const int months = kind == PeriodKind::quarter ? 3 : kind == PeriodKind::half_year ? 6 : 12;
  return fiscal_period(kind, fiscal_year, offset / months + 1, m);
}

Period next_period(const Period& p, int m) {
  if (p.kind == PeriodKind::range) return range_period(p.end, p.end + p.days());
  return period_containing(p.kind, p.end, m);
}

Period previous_period(const Period& p, int m) {
  if (p.kind == PeriodKind::range) return range_period(p.first - p.days(), p.first);
  return period_containing(p.kind, p.first - 1, m);
}

}  // namespace dealflow::planning
