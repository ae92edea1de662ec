// dealflow/routing/lead.h: one lead as the router sees it.
//
// A `Lead` is a flat value (no heap storage): the dictionary code of each
// categorical attribute (kUnspecified when empty), the numeric attributes in
// minor units / integers with a presence mask, the account owner the host
// knows for the lead's client (invalid when none), and the instant the lead
// arrived, which decides absences, working hours and the cap day.
// Leads are built by the leads CSV loader (leads_csv.h) or directly by a host
// that resolved its strings to codes once. A code outside an attribute's
// domain is routed like an empty value (rules and skills), except that a
// lead_field target reports it as unmapped (SkipReason::field_unmapped);
// explain names it "region=(undeclared code 17)".
//
// Thread-safety: a plain value.
//
// Example:
//   Lead lead;                                   // everything unspecified
//   lead.set(region_attr, *schema.categorical(region_attr).find("Томск"));
//   lead.set_number(amount_attr, 150'000'00);    // 150 000.00 RUB in kopecks
//   lead.at = *parse_instant("2024-03-04T10:00:00+03:00");
#pragma once

#include <array>
#include <cstdint>

#include "dealflow/core/ids.h"
#include "dealflow/core/time.h"
#include "dealflow/routing/attributes.h"

namespace dealflow::routing {

struct Lead {
  Lead() { values.fill(kUnspecified); }

  std::array<ValueCode, kMaxCategoricalAttributes> values;
  std::array<std::int64_t, kMaxNumericAttributes> numbers{};
  std::uint32_t numbers_present = 0;  // bit i: numbers[i] is set
  ManagerId account_owner;            // invalid: no known owner
  Instant at;

  void set(AttributeId a, ValueCode v) noexcept { values[a.value()] = v; }
  ValueCode value(AttributeId a) const noexcept { return values[a.value()]; }
  void set_number(NumericAttributeId a, std::int64_t v) noexcept {
    numbers[a.value()] = v;
    numbers_present |= 1u << a.value();
  }
  bool has_number(NumericAttributeId a) const noexcept { return (numbers_present >> a.value()) & 1u; }
  std::int64_t number(NumericAttributeId a) const noexcept { return numbers[a.value()]; }
};

}  // namespace dealflow::routing
