// A consumer program: parses money, prints it, exits 0 only when the library works.
#include <iostream>

#include "dealflow/core/money.h"
#include "dealflow/core/time.h"

int main() {
  auto m = dealflow::Money::parse("1 234,56", dealflow::Currency::of("RUB"));
  auto t = dealflow::parse_instant("2024-03-01T10:00:00+03:00");
  if (!m || !t || m->minor_units() != 123456 || dealflow::format_iso(*t) != "2024-03-01T07:00:00Z") return 1;
  std::cout << "consumer ok: " << m->to_string() << " at " << dealflow::format_iso(*t) << "\n";
  return 0;
}
