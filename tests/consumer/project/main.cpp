// A consumer program: parses money and a planning period, prices a marginal
// commission, prints them, exits 0 only when the library (core and the last
// modules, planning and compensation) works.
#include <iostream>
#include <vector>

#include "dealflow/compensation/rates.h"
#include "dealflow/core/money.h"
#include "dealflow/core/time.h"
#include "dealflow/planning/period.h"

int main() {
  auto m = dealflow::Money::parse("1 234,56", dealflow::Currency::of("RUB"));
  auto t = dealflow::parse_instant("2024-03-01T10:00:00+03:00");
  if (!m || !t || m->minor_units() != 123456 || dealflow::format_iso(*t) != "2024-03-01T07:00:00Z") return 1;
  auto q = dealflow::planning::parse_period("FY2024-Q1", 4);
  if (!q || q->first.to_string() != "2024-04-01" || q->end.to_string() != "2024-07-01") return 1;
  // The case: 1%/2%/3%/4% at 0/10 000/50 000/100 000 USD, 60 000 USD marginal = 1 200 USD.
  using namespace dealflow::compensation;
  const dealflow::Currency usd = dealflow::Currency::of("USD");
  RateSpec spec;
  spec.currency = usd;
  spec.kind = StructureKind::marginal;
  spec.tiers = {{0, Rate::bp(100), usd},
                {1'000'000, Rate::bp(200), usd},
                {5'000'000, Rate::bp(300), usd},
                {10'000'000, Rate::bp(400), usd}};
  const std::vector<Credit> sales = {{"A", dealflow::Money(6'000'000, usd)}};
  auto st = compute_period(spec, sales);
  if (!st || st->total != dealflow::Money(120'000, usd)) return 1;
  std::cout << "consumer ok: " << m->to_string() << " at " << dealflow::format_iso(*t) << ", " << q->label
            << ", commission " << st->total.to_string() << "\n";
  return 0;
}
