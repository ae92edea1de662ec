// dealflow/routing/attributes.h: the declared attribute domains leads are routed on.
//
// An `AttributeSchema` lists the lead attributes that rules and manager skills
// may name. Categorical attributes (region, product, tier, channel, business,
// sale_type, or any other declared name) have a closed, declared set of UTF-8
// values, each compiled to a dense `ValueCode` (0..size-1), and optionally a
// hierarchy (a forest: "Сибирь" contains "Новосибирск" and "Томск"). Numeric
// attributes (amount as Money in minor units, client size as an integer) are
// matched by ranges. The schema is declared in the team file (`attributes`,
// docs/routing.md) because both manager skills and rules refer to it; lint
// reasons over exactly these domains.
//
// Hierarchy semantics: a condition or a skill naming a value accepts that value
// and every descendant. A lead may carry any value, parent or leaf. A value
// has at most one parent; adding an edge that would create a cycle fails.
//
// Ownership: the schema owns its dictionaries. TeamModel owns one schema.
// Thread-safety: immutable once the TeamModel is built; const methods may be
// called from any number of threads.
//
// Example:
//   dealflow::routing::AttributeSchema schema;
//   auto region = *schema.add_categorical("region", {"Москва", "Сибирь", "Томск"});
//   DEALFLOW_RETURN_IF_ERROR(schema.add_child(region, "Сибирь", "Томск"));
//   auto amount = *schema.add_numeric("amount", NumericKind::money, Currency::of("RUB"));
//   const auto& attr = schema.categorical(region);
//   bool in = attr.is_ancestor_or_self(*attr.find("Сибирь"), *attr.find("Томск"));  // true
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/dictionary.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"

namespace dealflow::routing {

// Index of a categorical attribute in its schema (0..categorical_count-1).
using AttributeId = StrongId<struct AttributeIdTag, std::uint16_t>;
// Index of a numeric attribute in its schema (0..numeric_count-1).
using NumericAttributeId = StrongId<struct NumericAttributeIdTag, std::uint16_t>;
// Dense code of one value of one categorical attribute.
using ValueCode = std::uint32_t;

// A lead whose attribute is empty carries this code: only "any" and
// "not in" conditions accept it; a skill list on that axis does not.
inline constexpr ValueCode kUnspecified = 0xFFFFFFFFu;

// Fixed limits so that a Lead is a flat value with no heap storage.
inline constexpr std::size_t kMaxCategoricalAttributes = 16;
inline constexpr std::size_t kMaxNumericAttributes = 4;
// Deepest value hierarchy (levels, a root value alone is 1): add_child refuses
// an edge that would make a deeper one, so walking up from a value costs at
// most this many steps (docs/performance.md).
inline constexpr std::size_t kMaxHierarchyDepth = 64;

// The conventional axes of specialization (DOMAIN.md section 1). Any of them
// may be declared; other names are allowed too.
inline constexpr std::string_view kRegion = "region";
inline constexpr std::string_view kProduct = "product";
inline constexpr std::string_view kTier = "tier";
inline constexpr std::string_view kChannel = "channel";
inline constexpr std::string_view kBusiness = "business";
inline constexpr std::string_view kSaleType = "sale_type";

class CategoricalAttribute {
 public:
  const std::string& name() const noexcept { return name_; }
  std::size_t size() const noexcept { return values_.size(); }
  std::optional<ValueCode> find(std::string_view value) const { return values_.find(value); }
  std::string_view value_name(ValueCode code) const { return values_.at(code); }
  const Dictionary& values() const noexcept { return values_; }

  bool has_hierarchy() const noexcept { return has_hierarchy_; }
  // Parent of `code`, or kUnspecified for a root.
  ValueCode parent(ValueCode code) const { return parent_[code]; }
  const std::vector<ValueCode>& children(ValueCode code) const { return children_[code]; }
  bool is_leaf(ValueCode code) const { return children_[code].empty(); }
  // True when `ancestor` == `code` or lies on the path from `code` to its root.
  bool is_ancestor_or_self(ValueCode ancestor, ValueCode code) const;
  // `code` and all its descendants, in ascending code order.
  std::vector<ValueCode> subtree(ValueCode code) const;

 private:
  friend class AttributeSchema;
  std::string name_;
  Dictionary values_;
  std::vector<ValueCode> parent_;
  std::vector<std::vector<ValueCode>> children_;
  bool has_hierarchy_ = false;
};

enum class NumericKind : std::uint8_t {
  money,    // Money minor units of the declared currency; CSV "1 234,56" parsed exactly
  integer,  // a count, e.g. client size in employees
};

struct NumericAttribute {
  std::string name;
  NumericKind kind = NumericKind::integer;
  Currency currency;  // for money
};

class AttributeSchema {
 public:
  // Declares a categorical attribute with its values (non-empty, unique).
  // Errors: duplicate attribute name, empty or duplicate value, too many attributes.
  Result<AttributeId> add_categorical(std::string name, const std::vector<std::string>& values);
  // Makes `child` a child of `parent`. Errors: unknown value, a child that
  // already has a parent, a hierarchy deeper than kMaxHierarchyDepth levels,
  // and an edge that would create a cycle (the message
  // names the cycle, e.g. "Сибирь -> Томск -> Сибирь").
  Status add_child(AttributeId attribute, std::string_view parent, std::string_view child);
  Result<NumericAttributeId> add_numeric(std::string name, NumericKind kind, Currency currency = {});

  std::size_t categorical_count() const noexcept { return categorical_.size(); }
  std::size_t numeric_count() const noexcept { return numeric_.size(); }
  const CategoricalAttribute& categorical(AttributeId id) const { return categorical_[id.value()]; }
  const NumericAttribute& numeric(NumericAttributeId id) const { return numeric_[id.value()]; }
  const std::vector<CategoricalAttribute>& categorical_attributes() const noexcept { return categorical_; }
  const std::vector<NumericAttribute>& numeric_attributes() const noexcept { return numeric_; }
  std::optional<AttributeId> find_categorical(std::string_view name) const;
  std::optional<NumericAttributeId> find_numeric(std::string_view name) const;
  // Either kind: used to reject a name declared twice across kinds.
  bool has_attribute(std::string_view name) const;

  // Expands declared values into a bitmask over the attribute's codes
  // (ceil(size/64) words): each value and its descendants set.
  std::vector<std::uint64_t> expand(AttributeId id, const std::vector<ValueCode>& declared) const;

 private:
  std::vector<CategoricalAttribute> categorical_;
  std::vector<NumericAttribute> numeric_;
};

// Bit helpers over the word vectors returned by AttributeSchema::expand.
inline bool test_bit(const std::vector<std::uint64_t>& words, ValueCode code) noexcept {
  const std::size_t w = code / 64;
  return w < words.size() && ((words[w] >> (code % 64)) & 1u) != 0;
}

}  // namespace dealflow::routing
