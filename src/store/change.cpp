// Change kinds, Change equality and the in-memory sink.
#include "dealflow/store/change.h"

#include <array>

namespace dealflow::store {

namespace {
constexpr std::array<std::string_view, 10> kKindNames = {
    "",          "create",     "route_and_create", "move",       "reassign",
    "set_field", "set_amount", "set_probability",  "set_client", "tick",
};

bool same_lead(const routing::Lead& a, const routing::Lead& b) noexcept {
  return a.values == b.values && a.numbers == b.numbers && a.numbers_present == b.numbers_present &&
         a.account_owner == b.account_owner && a.at == b.at;
}
}  // namespace

std::string_view to_string(ChangeKind kind) noexcept {
  const auto i = static_cast<std::size_t>(kind);
  return i < kKindNames.size() ? kKindNames[i] : std::string_view{};
}

std::optional<ChangeKind> parse_change_kind(std::string_view text) noexcept {
  for (std::size_t i = 1; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == text) return static_cast<ChangeKind>(i);
  }
  return std::nullopt;
}

bool operator==(const Change& a, const Change& b) {
  return a.sequence == b.sequence && a.kind == b.kind && a.at == b.at && a.actor == b.actor &&
         a.deal == b.deal && a.pipeline == b.pipeline && a.stage == b.stage && a.owner == b.owner &&
         a.client == b.client && a.amount == b.amount && a.probability == b.probability &&
         a.field == b.field && a.value == b.value && a.attributes == b.attributes &&
         same_lead(a.lead, b.lead);
}

Status MemorySink::append(const Change& change,
                          std::span<const std::pair<ManagerId, std::uint32_t>> open_deals) {
  entries_.push_back(Entry{change, {open_deals.begin(), open_deals.end()}});
  return {};
}

}  // namespace dealflow::store
