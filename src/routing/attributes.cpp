#include "dealflow/routing/attributes.h"

#include <algorithm>
#include <unordered_set>

namespace dealflow::routing {
namespace {
// "'value' <rest>" built by appending (GCC 12 warns falsely on "'" + std::string).
std::string quoted(std::string_view value, std::string_view rest) {
  std::string out;
  out.reserve(value.size() + rest.size() + 2);
  out.append("'").append(value).append("'").append(rest);
  return out;
}
}  // namespace

bool CategoricalAttribute::is_ancestor_or_self(ValueCode ancestor, ValueCode code) const {
  // Depth is bounded by the number of values: the forest has no cycles.
  for (std::size_t steps = 0; code != kUnspecified && steps <= parent_.size(); ++steps) {
    if (code == ancestor) return true;
    code = parent_[code];
  }
  return false;
}

std::vector<ValueCode> CategoricalAttribute::subtree(ValueCode code) const {
  std::vector<ValueCode> out;
  std::vector<ValueCode> stack{code};
  while (!stack.empty()) {
    const ValueCode v = stack.back();
    stack.pop_back();
    out.push_back(v);
    for (ValueCode c : children_[v]) stack.push_back(c);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<AttributeId> AttributeSchema::add_categorical(std::string name,
                                                     const std::vector<std::string>& values) {
  if (name.empty()) return Status(ErrorCode::invalid_argument, "attribute name is empty");
  if (has_attribute(name)) return Status(ErrorCode::duplicate, "attribute '" + name + "' is declared twice");
  if (categorical_.size() >= kMaxCategoricalAttributes) {
    return Status(ErrorCode::invalid_argument,
                  "too many categorical attributes: at most " + std::to_string(kMaxCategoricalAttributes));
  }
  if (values.empty())
    return Status(ErrorCode::invalid_argument, "attribute '" + name + "' declares no values");
  CategoricalAttribute attr;
  attr.name_ = std::move(name);
  for (const auto& v : values) {
    if (v.empty())
      return Status(ErrorCode::invalid_argument, "attribute '" + attr.name_ + "' has an empty value");
    if (attr.values_.find(v)) {
      return Status(ErrorCode::duplicate, "attribute '" + attr.name_ + "' declares value '" + v + "' twice");
    }
    attr.values_.intern(v);
  }
  attr.parent_.assign(values.size(), kUnspecified);
  attr.children_.assign(values.size(), {});
  categorical_.push_back(std::move(attr));
  return AttributeId(static_cast<std::uint16_t>(categorical_.size() - 1));
}

Status AttributeSchema::add_child(AttributeId attribute, std::string_view parent, std::string_view child) {
  if (attribute.value() >= categorical_.size()) return Status(ErrorCode::not_found, "unknown attribute");
  CategoricalAttribute& a = categorical_[attribute.value()];
  auto p = a.find(parent);
  if (!p) {
    return Status(ErrorCode::not_found, quoted(parent, " is not a declared value of ") + quoted(a.name_, ""));
  }
  auto c = a.find(child);
  if (!c) {
    return Status(ErrorCode::not_found, quoted(child, " is not a declared value of ") + quoted(a.name_, ""));
  }
  if (a.parent_[*c] != kUnspecified) {
    return Status(ErrorCode::validation_failed,
                  quoted(child, " already has the parent ") + quoted(a.value_name(a.parent_[*c]), ""));
  }
  if (a.is_ancestor_or_self(*c, *p)) {
    // The new edge parent -> child closes a cycle: child is already above parent.
    std::vector<std::string_view> path;
    for (ValueCode v = *p; v != *c; v = a.parent_[v]) path.push_back(a.value_name(v));
    std::string message = "hierarchy cycle in '";
    message.append(a.name_).append("': ").append(a.value_name(*c));
    for (auto it = path.rbegin(); it != path.rend(); ++it) message.append(" -> ").append(*it);
    message.append(" -> ").append(a.value_name(*c));
    return Status(ErrorCode::validation_failed, std::move(message));
  }
  // Levels from the root down to the parent, plus the child's subtree. The
  // walk up is short (the limit holds for every earlier edge); a value's
  // subtree is walked at most once per ancestor attached above it.
  std::size_t above = 0;
  for (ValueCode v = *p; v != kUnspecified; v = a.parent_[v]) ++above;
  std::size_t height = 0;
  std::vector<ValueCode> level{*c}, next;
  while (!level.empty() && above + height <= kMaxHierarchyDepth) {
    ++height;
    next.clear();
    for (ValueCode v : level) next.insert(next.end(), a.children_[v].begin(), a.children_[v].end());
    level.swap(next);
  }
  if (above + height > kMaxHierarchyDepth) {
    return Status(ErrorCode::validation_failed,
                  "hierarchy of '" + a.name_ + "' deeper than " + std::to_string(kMaxHierarchyDepth) +
                      " levels: " + quoted(child, " under ") + quoted(parent, "") + " makes at least " +
                      std::to_string(above + height) + "; expected at most " +
                      std::to_string(kMaxHierarchyDepth));
  }
  a.parent_[*c] = *p;
  a.children_[*p].push_back(*c);
  a.has_hierarchy_ = true;
  return {};
}

Result<NumericAttributeId> AttributeSchema::add_numeric(std::string name, NumericKind kind,
                                                        Currency currency) {
  if (name.empty()) return Status(ErrorCode::invalid_argument, "attribute name is empty");
  if (has_attribute(name)) return Status(ErrorCode::duplicate, "attribute '" + name + "' is declared twice");
  if (numeric_.size() >= kMaxNumericAttributes) {
    return Status(ErrorCode::invalid_argument,
                  "too many numeric attributes: at most " + std::to_string(kMaxNumericAttributes));
  }
  if (kind == NumericKind::money && currency.empty()) {
    return Status(ErrorCode::invalid_argument, "money attribute '" + name + "' needs a currency");
  }
  numeric_.push_back(NumericAttribute{std::move(name), kind, currency});
  return NumericAttributeId(static_cast<std::uint16_t>(numeric_.size() - 1));
}

std::optional<AttributeId> AttributeSchema::find_categorical(std::string_view name) const {
  for (std::size_t i = 0; i < categorical_.size(); ++i) {
    if (categorical_[i].name() == name) return AttributeId(static_cast<std::uint16_t>(i));
  }
  return std::nullopt;
}

std::optional<NumericAttributeId> AttributeSchema::find_numeric(std::string_view name) const {
  for (std::size_t i = 0; i < numeric_.size(); ++i) {
    if (numeric_[i].name == name) return NumericAttributeId(static_cast<std::uint16_t>(i));
  }
  return std::nullopt;
}

bool AttributeSchema::has_attribute(std::string_view name) const {
  return find_categorical(name).has_value() || find_numeric(name).has_value();
}

std::vector<std::uint64_t> AttributeSchema::expand(AttributeId id,
                                                   const std::vector<ValueCode>& declared) const {
  const CategoricalAttribute& a = categorical_[id.value()];
  std::vector<std::uint64_t> words((a.size() + 63) / 64, 0);
  std::vector<ValueCode> stack(declared.begin(), declared.end());
  while (!stack.empty()) {
    const ValueCode v = stack.back();
    stack.pop_back();
    if (v >= a.size()) continue;
    std::uint64_t& w = words[v / 64];
    const std::uint64_t bit = std::uint64_t{1} << (v % 64);
    if (w & bit) continue;
    w |= bit;
    for (ValueCode c : a.children(v)) stack.push_back(c);
  }
  return words;
}

}  // namespace dealflow::routing
