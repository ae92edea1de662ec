// A consumer program: parses money and a planning period, prints them, exits 0
// only when the library (core and the last module, planning) works.
#include <iostream>

#include "dealflow/core/money.h"
#include "dealflow/core/time.h"
#include "dealflow/planning/period.h"

int main() {
  auto m = dealflow::Money::parse("1 234,56", dealflow::Currency::of("RUB"));
  auto t = dealflow::parse_instant("2024-03-01T10:00:00+03:00");
  if (!m || !t || m->minor_units() != 123456 || dealflow::format_iso(*t) != "2024-03-01T07:00:00Z") return 1;
  auto q = dealflow::planning::parse_period("FY2024-Q1", 4);
  if (!q || q->first.to_string() != "2024-04-01" || q->end.to_string() != "2024-07-01") return 1;
  std::cout << "consumer ok: " << m->to_string() << " at " << dealflow::format_iso(*t) << ", " << q->label
            << "\n";
  return 0;
}
