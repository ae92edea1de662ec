// The value syntax of compensation plan files (compensation/plan_detail.h).
#include <cctype>
#include <string>

#include "compensation/plan_detail.h"

namespace dealflow::compensation::detail {
namespace {

// A percentage string: the scaled number before '%', or nullopt.
std::optional<std::int64_t> parse_percent(const JsonReader& node, int digits) {
  if (!node.node().is_string()) return std::nullopt;
  std::string_view s = node.node().get_ref<const std::string&>();
  if (s.empty() || s.back() != '%') return std::nullopt;
  s.remove_suffix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return parse_scaled(s, digits);
}

}  // namespace

std::string quoted(const JsonReader& node) {
  if (node.node().is_string()) return "'" + node.node().get<std::string>() + "'";
  return dump_json(node.node(), -1);
}

std::optional<std::int64_t> parse_scaled(std::string_view text, int digits) {
  const std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 12 || (dot != std::string_view::npos && frac.empty()) ||
      frac.size() > static_cast<std::size_t>(digits))
    return std::nullopt;
  std::int64_t v = 0;
  for (std::string_view part : {whole, frac})
    for (char c : part)
      if (c < '0' || c > '9') return std::nullopt;
  for (char c : whole) v = v * 10 + (c - '0');
  for (int i = 0; i < digits; ++i)
    v = v * 10 + (static_cast<std::size_t>(i) < frac.size() ? frac[static_cast<std::size_t>(i)] - '0' : 0);
  return v;
}

Result<std::string> read_string(const JsonReader& node, std::string_view what) {
  if (!node.node().is_string())
    return node.error(std::string(json_type_name(node.node())) + ": expected " + std::string(what));
  return node.node().get<std::string>();
}

Result<Rate> read_rate(const JsonReader& node) {
  auto v = parse_percent(node, 4);
  if (!v || *v > 100 * 10000)
    return node.error(quoted(node) + ": expected a rate such as 3.5% (0% .. 100%, at most 4 decimals)");
  return Rate::ratio(*v, 1'000'000);
}

Result<std::int64_t> read_attainment(const JsonReader& node) {
  auto v = parse_percent(node, 2);
  if (!v) return node.error(quoted(node) + ": expected an attainment such as 87.5% (at most 2 decimals)");
  return *v;
}

Result<std::int64_t> read_share(const JsonReader& node) {
  auto v = parse_percent(node, 2);
  if (!v || *v == 0 || *v > 10000)
    return node.error(quoted(node) + ": expected a share such as 60% (above 0%, at most 100%)");
  return *v;
}

Result<Rate> read_factor(const JsonReader& node) {
  std::optional<std::int64_t> v;
  if (node.node().is_string()) v = parse_scaled(node.node().get_ref<const std::string&>(), 4);
  if (!v || *v > 10 * 10000) return node.error(quoted(node) + ": expected a factor such as 1.5 (0 .. 10)");
  return Rate::ratio(*v, 10000);
}

Result<Money> read_money(const JsonReader& node, Currency plan_currency, std::string_view role,
                         bool any_currency) {
  const std::string example = "an amount in " + std::string(plan_currency.code()) + " such as 120000.00";
  if (!node.node().is_string()) return node.error(quoted(node) + ": expected " + example);
  const std::string& s = node.node().get_ref<const std::string&>();
  Result<Money> m = (!s.empty() && std::isalpha(static_cast<unsigned char>(s.back())))
                        ? Money::parse_with_code(s)
                        : Money::parse(s, plan_currency);
  if (!m) {
    const Currency c = (!s.empty() && std::isalpha(static_cast<unsigned char>(s.back())) && s.size() > 3)
                           ? Currency::parse(s.substr(s.size() - 3)).ok()
                                 ? *Currency::parse(s.substr(s.size() - 3))
                                 : plan_currency
                           : plan_currency;
    return node.error(quoted(node) + ": expected an amount in " + std::string(c.code()) +
                      " such as 120000.00");
  }
  if (m->minor_units() < 0) return node.error(quoted(node) + ": expected " + example + " (not negative)");
  if (!any_currency && m->currency() != plan_currency) {
    return node.error(quoted(node) + ": " + std::string(role) + " in " + std::string(m->currency().code()) +
                      "; the plan pays and measures in " + std::string(plan_currency.code()) +
                      ": expected every amount in " + std::string(plan_currency.code()));
  }
  return m;
}

Result<Date> read_date(const JsonReader& node, int offset_minutes) {
  const std::string expected = ": expected a date such as 2024-07-01 (or an instant with an offset)";
  if (!node.node().is_string()) return node.error(quoted(node) + expected);
  const std::string& s = node.node().get_ref<const std::string&>();
  if (s.size() == 10) {
    auto d = Date::parse(s);
    if (!d) return node.error(quoted(node) + expected);
    return *d;
  }
  auto t = parse_instant(s, offset_minutes);
  if (!t) return node.error(quoted(node) + expected);
  return t->date(offset_minutes);
}

Result<std::int64_t> read_count(const JsonReader& node) {
  if (!node.node().is_number_integer() ||
      (node.node().is_number_integer() && !node.node().is_number_unsigned() &&
       node.node().get<std::int64_t>() < 0))
    return node.error(quoted(node) + ": expected a whole number >= 0");
  return node.node().get<std::int64_t>();
}

std::string show_amount(std::int64_t minor, Currency currency) {
  return Money(minor, currency).format_amount(" ") + " " + std::string(currency.code());
}

std::string show_bp(std::int64_t bp) {
  std::string s = std::to_string(bp / 100);
  if (bp % 100 != 0) {
    std::string f = std::to_string(100 + bp % 100).substr(1);
    if (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s + "%";
}

}  // namespace dealflow::compensation::detail
