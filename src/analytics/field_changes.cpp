// EventLog: deal field changes (owner and other dimensions, amount, expected
// close date, probability) and their values as of an instant. See
// dealflow/analytics/event_log.h and docs/analytics-formats.md.
#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "dealflow/analytics/event_log.h"

namespace dealflow::analytics {

namespace {

constexpr std::uint32_t kDateBias = 0x80000000u;

std::uint32_t encode_date(Date d) noexcept {
  return static_cast<std::uint32_t>(static_cast<std::int64_t>(d.days_since_epoch()) + kDateBias);
}
Date decode_date(std::uint32_t v) noexcept {
  return Date(static_cast<std::int32_t>(static_cast<std::int64_t>(v) - kDateBias));
}

}  // namespace

std::uint16_t EventLog::intern_currency(Currency c) {
  auto it = std::find(currencies_.begin(), currencies_.end(), c);
  if (it != currencies_.end()) return static_cast<std::uint16_t>(it - currencies_.begin());
  currencies_.push_back(c);
  return static_cast<std::uint16_t>(currencies_.size() - 1);
}

Status EventLog::check_change(DealId deal, Instant at, std::uint32_t* seconds) const {
  if (!deal.valid() || deal.value() >= deal_count()) {
    return Status(ErrorCode::invalid_argument,
                  "field change: no deal with id " + std::to_string(deal.value()));
  }
  const std::int64_t s = (at - time_base_).count();
  if (s < 0 || s > std::numeric_limits<std::uint32_t>::max()) {
    return Status(ErrorCode::invalid_argument, "instant " + format_iso(at) + " is outside the log's range [" +
                                                   format_iso(time_base_) + ", " +
                                                   format_iso(time_base_ + Duration(0xFFFFFFFFll)) + "]");
  }
  *seconds = static_cast<std::uint32_t>(s);
  return {};
}

void EventLog::push_change(std::uint32_t deal, std::uint32_t at, std::uint16_t field, std::uint32_t value) {
  fc_pending_deal_.push_back(deal);
  fc_pending_at_.push_back(at);
  fc_pending_field_.push_back(field);
  fc_pending_value_.push_back(value);
}

Status EventLog::add_dimension_change(DealId deal, Instant at, DimensionId dimension,
                                      std::string_view value) {
  if (!dimension.valid() || dimension.value() >= dimensions_.size()) {
    return Status(ErrorCode::invalid_argument,
                  "field change: no dimension with id " + std::to_string(dimension.value()));
  }
  std::uint32_t s = 0;
  DEALFLOW_RETURN_IF_ERROR(check_change(deal, at, &s));
  const std::uint32_t code = value.empty() ? kNoValue : dimensions_[dimension.value()].values.intern(value);
  push_change(deal.value(), s, DealField::dimension(dimension).code(), code);
  return {};
}

Status EventLog::add_dimension_change_code(DealId deal, Instant at, DimensionId dimension,
                                           std::uint32_t code) {
  if (!dimension.valid() || dimension.value() >= dimensions_.size()) {
    return Status(ErrorCode::invalid_argument,
                  "field change: no dimension with id " + std::to_string(dimension.value()));
  }
  if (code != kNoValue && code >= dimensions_[dimension.value()].values.size()) {
    return Status(ErrorCode::invalid_argument, "field change: code " + std::to_string(code) +
                                                   " is not in the '" + dimensions_[dimension.value()].name +
                                                   "' dictionary");
  }
  std::uint32_t s = 0;
  DEALFLOW_RETURN_IF_ERROR(check_change(deal, at, &s));
  push_change(deal.value(), s, DealField::dimension(dimension).code(), code);
  return {};
}

Status EventLog::add_amount_change(DealId deal, Instant at, std::optional<Money> amount) {
  std::uint32_t s = 0;
  DEALFLOW_RETURN_IF_ERROR(check_change(deal, at, &s));
  std::uint32_t index = kNoValue;
  if (amount) {
    if (fc_amount_minor_.size() >= kNoValue - 1) {
      return Status(ErrorCode::overflow, "the log holds at most 2^32-2 amount changes");
    }
    index = static_cast<std::uint32_t>(fc_amount_minor_.size());
    fc_amount_minor_.push_back(amount->minor_units());
    fc_amount_currency_.push_back(intern_currency(amount->currency()));
  }
  push_change(deal.value(), s, DealField::amount().code(), index);
  return {};
}

Status EventLog::add_close_date_change(DealId deal, Instant at, std::optional<Date> date) {
  std::uint32_t s = 0;
  DEALFLOW_RETURN_IF_ERROR(check_change(deal, at, &s));
  push_change(deal.value(), s, DealField::close_date().code(), date ? encode_date(*date) : kNoValue);
  return {};
}

Status EventLog::add_probability_change(DealId deal, Instant at, std::optional<std::uint32_t> hundredths) {
  if (hundredths && *hundredths > kProbabilityScale) {
    return Status(ErrorCode::invalid_argument,
                  "probability " + std::to_string(*hundredths) + " hundredths of a percent is above 100 %");
  }
  std::uint32_t s = 0;
  DEALFLOW_RETURN_IF_ERROR(check_change(deal, at, &s));
  push_change(deal.value(), s, DealField::probability().code(), hundredths ? *hundredths : kNoValue);
  return {};
}

void EventLog::seal_field_changes() {
  if (fc_pending_deal_.empty()) return;
  const std::size_t n_deals = deal_count();
  const std::size_t n_old = fc_at_.size(), n_new = fc_pending_deal_.size(), n = n_old + n_new;
  for (std::uint32_t a : fc_pending_at_) fc_max_at_ = std::max(fc_max_at_, a);
  // The deal of every change, sealed ones first (their order is kept by the stable sort).
  std::vector<std::uint32_t> deal(n);
  for (std::size_t d = 0; d + 1 < fc_offsets_.size(); ++d) {
    std::fill(deal.begin() + fc_offsets_[d], deal.begin() + fc_offsets_[d + 1],
              static_cast<std::uint32_t>(d));
  }
  std::copy(fc_pending_deal_.begin(), fc_pending_deal_.end(),
            deal.begin() + static_cast<std::ptrdiff_t>(n_old));
  fc_at_.insert(fc_at_.end(), fc_pending_at_.begin(), fc_pending_at_.end());
  fc_field_.insert(fc_field_.end(), fc_pending_field_.begin(), fc_pending_field_.end());
  fc_value_.insert(fc_value_.end(), fc_pending_value_.begin(), fc_pending_value_.end());

  bool sorted = true;
  for (std::size_t i = 1; sorted && i < n; ++i) {
    sorted = deal[i - 1] < deal[i] || (deal[i - 1] == deal[i] && fc_at_[i - 1] <= fc_at_[i]);
  }
  if (!sorted) {
    std::vector<std::uint32_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0u);
    std::stable_sort(perm.begin(), perm.end(), [&](std::uint32_t x, std::uint32_t y) {
      return deal[x] != deal[y] ? deal[x] < deal[y] : fc_at_[x] < fc_at_[y];
    });
    auto permute = [&perm](auto& column) {
      std::remove_reference_t<decltype(column)> out(column.size());
      for (std::size_t k = 0; k < perm.size(); ++k) out[k] = column[perm[k]];
      column = std::move(out);
    };
    permute(deal);
    permute(fc_at_);
    permute(fc_field_);
    permute(fc_value_);
  }
  fc_offsets_.assign(n_deals + 1, 0);
  for (std::uint32_t d : deal) ++fc_offsets_[d + 1];
  std::partial_sum(fc_offsets_.begin(), fc_offsets_.end(), fc_offsets_.begin());
  fc_field_counts_.clear();
  for (std::uint16_t f : fc_field_) {
    auto it = std::find_if(fc_field_counts_.begin(), fc_field_counts_.end(),
                           [f](const auto& p) { return p.first == f; });
    if (it == fc_field_counts_.end()) {
      fc_field_counts_.emplace_back(f, 1);
    } else {
      ++it->second;
    }
  }
  std::vector<std::uint32_t>().swap(fc_pending_deal_);
  std::vector<std::uint32_t>().swap(fc_pending_at_);
  std::vector<std::uint16_t>().swap(fc_pending_field_);
  std::vector<std::uint32_t>().swap(fc_pending_value_);
  fc_offsets_.shrink_to_fit();
  fc_at_.shrink_to_fit();
  fc_field_.shrink_to_fit();
  fc_value_.shrink_to_fit();
  fc_amount_minor_.shrink_to_fit();
  fc_amount_currency_.shrink_to_fit();
}

std::size_t EventLog::field_change_count(DealField field) const noexcept {
  for (const auto& [f, n] : fc_field_counts_) {
    if (f == field.code()) return n;
  }
  return 0;
}

std::optional<Money> EventLog::field_change_amount(std::size_t i) const {
  const std::uint32_t v = fc_value_.at(i);
  if (v == kNoValue || fc_field_[i] != DealField::amount().code()) return std::nullopt;
  return Money(fc_amount_minor_[v], currencies_[fc_amount_currency_[v]]);
}

std::optional<Date> EventLog::field_change_date(std::size_t i) const {
  const std::uint32_t v = fc_value_.at(i);
  if (v == kNoValue || fc_field_[i] != DealField::close_date().code()) return std::nullopt;
  return decode_date(v);
}

std::optional<std::size_t> EventLog::latest_change(DealId deal, DealField field,
                                                   std::uint32_t t) const noexcept {
  if (fc_offsets_.empty() || deal.value() >= deal_count()) return std::nullopt;
  const auto b = fc_at_.begin() + fc_offsets_[deal.value()];
  const auto e = std::upper_bound(b, fc_at_.begin() + fc_offsets_[deal.value() + 1], t);
  for (auto i = e; i > b; --i) {
    const std::size_t k = static_cast<std::size_t>(i - 1 - fc_at_.begin());
    if (fc_field_[k] == field.code()) return k;
  }
  return std::nullopt;
}

std::uint32_t EventLog::dimension_code_as_of(DealId deal, DimensionId dim, Instant t) const {
  const std::uint32_t stored = dimension(dim).codes[deal.value()];
  if (t < time_base_) return stored;
  if (auto k = latest_change(deal, DealField::dimension(dim), to_log_seconds(t))) return fc_value_[*k];
  return stored;
}

std::string_view EventLog::dimension_value_as_of(DealId deal, DimensionId dim, Instant t) const {
  const std::uint32_t code = dimension_code_as_of(deal, dim, t);
  return code == kNoValue ? std::string_view{} : dimension(dim).values.at(code);
}

std::optional<Money> EventLog::amount_as_of(DealId deal, Instant t) const {
  if (t >= time_base_) {
    if (auto k = latest_change(deal, DealField::amount(), to_log_seconds(t))) return field_change_amount(*k);
  }
  return amount(deal);
}

std::optional<Date> EventLog::close_date_as_of(DealId deal, Instant t) const {
  if (t >= time_base_) {
    if (auto k = latest_change(deal, DealField::close_date(), to_log_seconds(t)))
      return field_change_date(*k);
  }
  return close_date(deal);
}

std::optional<std::uint32_t> EventLog::probability_as_of(DealId deal, Instant t) const {
  if (t >= time_base_) {
    if (auto k = latest_change(deal, DealField::probability(), to_log_seconds(t))) {
      if (fc_value_[*k] == kNoValue) return std::nullopt;
      return fc_value_[*k];
    }
  }
  return probability(deal);
}

std::vector<std::uint32_t> EventLog::dimension_codes_as_of(DimensionId dim, Instant t) const {
  const DealField field = DealField::dimension(dim);
  if (field_change_count(field) == 0) return {};
  const DimensionCodes& stored = dimension(dim).codes;
  std::vector<std::uint32_t> out(deal_count());
  for (std::size_t d = 0; d < out.size(); ++d) out[d] = stored[d];
  if (t < time_base_) return out;
  const std::uint32_t s = to_log_seconds(t);
  const std::uint16_t f = field.code();
  for (std::size_t d = 0; d < out.size(); ++d) {
    for (std::uint32_t i = fc_offsets_[d]; i < fc_offsets_[d + 1] && fc_at_[i] <= s; ++i) {
      if (fc_field_[i] == f) out[d] = fc_value_[i];
    }
  }
  return out;
}

bool EventLog::amounts_as_of(Instant t, std::vector<std::int64_t>& minor,
                             std::vector<std::uint16_t>& currency) const {
  if (field_change_count(DealField::amount()) == 0) return false;
  minor.assign(amount_minor_.begin(), amount_minor_.end());
  currency.assign(currency_.begin(), currency_.end());
  if (t < time_base_) return true;
  const std::uint32_t s = to_log_seconds(t);
  const std::uint16_t f = DealField::amount().code();
  for (std::size_t d = 0; d < minor.size(); ++d) {
    for (std::uint32_t i = fc_offsets_[d]; i < fc_offsets_[d + 1] && fc_at_[i] <= s; ++i) {
      if (fc_field_[i] != f) continue;
      const std::uint32_t v = fc_value_[i];
      minor[d] = v == kNoValue ? 0 : fc_amount_minor_[v];
      currency[d] = v == kNoValue ? kNoCurrency : fc_amount_currency_[v];
    }
  }
  return true;
}

}  // namespace dealflow::analytics
