// The field-changes CSV loader: see load_field_changes_csv in
// dealflow/analytics/csv_load.h and docs/analytics-formats.md.
#include <algorithm>
#include <limits>

#include "analytics/csv_load_common.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/core/dictionary.h"

namespace dealflow::analytics {
using namespace csv_detail;

namespace {

// Staged close dates: days since 1970-01-01 + 2^31 (kNoValue stays free for "clear").
constexpr std::int64_t kStagedDateBias = 0x80000000ll;

enum class SlotKind : std::uint8_t { dimension, amount, close_date, probability };

// One distinct field name of the file. Dimension values are interned locally
// and mapped to the log's dictionary only when the whole file is good.
struct FieldSlot {
  std::string name;
  SlotKind kind = SlotKind::dimension;
  Dictionary values;  // dimension: local codes
};

struct StagedChange {
  std::uint32_t deal;
  std::uint32_t at;  // log seconds
  std::uint16_t slot;
  std::uint32_t
      value;  // local code, index into amounts, days since epoch (as u32), hundredths; kNoValue = clear
};

bool has_no_history(std::string_view name) {
  return name == "id" || name == "deal_id" || name == "created_at" || name == "closed_at" ||
         name == "pipeline" || name == "currency" || name == "stage" || name == "at";
}

}  // namespace

Status load_field_changes_csv(std::string_view text, std::string_view file_name,
                              const CsvLoadOptions& options, LoadedLog& loaded) {
  EventLog& log = loaded.log;
  LoadReport report = loaded.report;
  IssueSink sink(report, options.mode);
  CsvScanner sc(text, file_name);
  Header h;
  if (Status st = read_header(sc, h, "field changes"); !st.ok()) return st;
  const auto col_deal = h.find("deal_id");
  const auto col_at = h.find("at");
  const auto col_field = h.find("field");
  const auto col_value = h.find("value");
  for (auto [col, name] : {std::pair{col_deal, "deal_id"}, std::pair{col_at, "at"},
                           std::pair{col_field, "field"}, std::pair{col_value, "value"}}) {
    if (!col) return missing_column(sc, h, name, "field changes");
  }
  const auto col_currency = h.find("currency");

  const std::int64_t base = log.time_base().unix_seconds();
  std::vector<FieldSlot> slots;
  Dictionary slot_names;  // field name -> index in `slots`
  std::vector<Money> amounts;
  std::vector<StagedChange> staged;
  staged.reserve(count_lines(text));
  DealKeyCache deals(text);
  std::string_view last_currency_text;
  Currency last_currency;

  std::vector<std::string_view> f;
  const std::size_t n_cols = h.names.size();
  while (true) {
    const auto r = sc.next(f);
    if (r == CsvScanner::Next::end) break;
    if (r == CsvScanner::Next::error) return sc.error();
    ++report.field_change_rows;
    if (f.size() != n_cols) {
      Status st(
          ErrorCode::parse_error,
          "expected " + std::to_string(n_cols) + " fields as in the header, got " + std::to_string(f.size()),
          Location{std::string(file_name), sc.line(), 1, ""});
      if (sink.add(IssueKind::wrong_field_count, st)) return st;
      continue;
    }
    const std::string_view key = f[*col_deal];
    const std::string_view field = trim(f[*col_field]);
    if (key.empty() || field.empty()) {
      const std::size_t col = key.empty() ? *col_deal : *col_field;
      Status st = field_error(sc, h, col,
                              key.empty() ? "empty deal_id: expected the id of a deal in the deals file"
                                          : "empty field: expected manager, amount, close_date, "
                                            "probability, forecast_category or a dimension name");
      if (sink.add(IssueKind::empty_id, st)) return st;
      continue;
    }
    // deal
    const std::optional<std::uint32_t> found_deal = deals.find(log, key);
    if (!found_deal) {
      Status st =
          sink.wants_example(IssueKind::unknown_deal)
              ? field_error(sc, h, *col_deal,
                            "unknown deal '" + std::string(key) + "': expected an id from the deals file")
              : Status(ErrorCode::not_found, "unknown deal");
      if (sink.add(IssueKind::unknown_deal, st, key)) return st;
      continue;
    }
    const std::uint32_t deal = *found_deal;
    // at
    const std::string_view at_text = f[*col_at];
    std::int64_t at = 0;
    {
      Status stop;
      const FieldRead fr =
          read_timestamp(sc, h, *col_at, at_text, options.default_utc_offset_minutes, sink, &at, &stop);
      if (fr == FieldRead::stop) return stop;
      if (fr == FieldRead::skip_row) continue;
    }
    if (at < base || at - base > std::numeric_limits<std::uint32_t>::max()) {
      Status st = field_error(
          sc, h, *col_at,
          "timestamp '" + std::string(at_text) + "' is outside the supported range: expected " +
              format_iso(log.time_base()) + " .. " + format_iso(log.time_base() + Duration(0xFFFFFFFFll)));
      if (sink.add(IssueKind::bad_timestamp, st)) return st;
      continue;
    }
    if (at < log.created_column()[deal]) {
      Status st = field_error(sc, h, *col_at,
                              "change at " + std::string(at_text) + " is before deal '" + std::string(key) +
                                  "' was created (" + format_iso(log.created_at(DealId{deal})) +
                                  "): expected an instant at or after created_at");
      if (sink.add(IssueKind::event_before_creation, st, key)) return st;
      continue;
    }
    // field
    if (has_no_history(field)) {
      Status st = field_error(sc, h, *col_field,
                              "field '" + std::string(field) +
                                  "' has no history: expected manager, amount, close_date, probability, "
                                  "forecast_category or a dimension name");
      if (sink.add(IssueKind::unknown_field, st, field)) return st;
      continue;
    }
    // The slot of a field name by hash lookup: a scan of the slots made every
    // row cost O(distinct fields).
    const std::optional<Dictionary::Code> known_slot = slot_names.find(field);
    auto slot_it = known_slot ? slots.begin() + *known_slot : slots.end();
    if (slot_it == slots.end()) {
      FieldSlot slot;
      slot.name = std::string(field);
      slot.kind = field == "amount"        ? SlotKind::amount
                  : field == "close_date"  ? SlotKind::close_date
                  : field == "probability" ? SlotKind::probability
                                           : SlotKind::dimension;
      if (slots.size() >= 0xFFFDu) return field_error(sc, h, *col_field, "more than 65533 distinct fields");
      slots.push_back(std::move(slot));
      slot_names.intern(field);  // code == index in `slots`
      slot_it = slots.end() - 1;
    }
    const std::uint16_t slot = static_cast<std::uint16_t>(slot_it - slots.begin());
    // value
    const std::string_view value = f[*col_value];
    std::uint32_t v = kNoValue;
    if (!value.empty()) {
      switch (slot_it->kind) {
        case SlotKind::dimension:
          v = slot_it->values.intern(value);
          break;
        case SlotKind::close_date: {
          const auto d = parse_calendar_date(value);
          if (!d) {
            Status st =
                field_error(sc, h, *col_value,
                            "invalid close_date '" + std::string(value) + "': " + std::string(kDateExpected));
            if (sink.add(IssueKind::bad_date, st, value)) return st;
            continue;
          }
          v = static_cast<std::uint32_t>(static_cast<std::int64_t>(d->days_since_epoch()) + kStagedDateBias);
          break;
        }
        case SlotKind::probability: {
          if (!parse_percent(value, &v)) {
            Status st = field_error(
                sc, h, *col_value,
                "invalid probability '" + std::string(value) + "': " + std::string(kProbabilityExpected));
            if (sink.add(IssueKind::bad_probability, st, value)) return st;
            continue;
          }
          break;
        }
        case SlotKind::amount: {
          Currency currency{};
          const std::string_view ctext = col_currency ? trim(f[*col_currency]) : std::string_view{};
          if (!ctext.empty()) {
            if (ctext == last_currency_text) {
              currency = last_currency;
            } else {
              auto c = Currency::parse(ctext);
              if (!c) {
                Status st = field_error(sc, h, *col_currency, c.status().message());
                if (sink.add(IssueKind::bad_currency, st, ctext)) return st;
                continue;
              }
              currency = *c;
              if (points_into(text, ctext)) {
                last_currency = currency;
                last_currency_text = ctext;
              }
            }
          } else if (auto a = log.amount(DealId{deal})) {
            currency = a->currency();
          } else {
            currency = options.default_currency;
          }
          std::optional<Money> m;
          if (currency.empty()) {
            auto with_code = Money::parse_with_code(value);
            if (!with_code) {
              Status st =
                  field_error(sc, h, *col_value,
                              "amount '" + std::string(value) +
                                  "' has no currency: expected a 'currency' cell, a deal with an amount, a "
                                  "code in the value ('1234.56 RUB') or a default currency");
              if (sink.add(IssueKind::bad_currency, st, value)) return st;
              continue;
            }
            m = *with_code;
          } else {
            std::int64_t minor = 0;
            if (fast_amount(value, currency.minor_digits(), &minor)) {
              m = Money(minor, currency);
            } else {
              auto parsed = Money::parse(value, currency);
              if (!parsed) {
                Status st = field_error(sc, h, *col_value, parsed.status().message());
                if (sink.add(IssueKind::bad_amount, st, value)) return st;
                continue;
              }
              m = *parsed;
            }
          }
          v = static_cast<std::uint32_t>(amounts.size());
          amounts.push_back(*m);
          break;
        }
      }
    }
    staged.push_back({deal, static_cast<std::uint32_t>(at - base), slot, v});
  }

  // The whole file is read: apply (nothing below can fail for staged rows).
  std::vector<DimensionId> slot_dimension(slots.size());
  std::vector<std::vector<std::uint32_t>> code_map(slots.size());
  for (std::size_t s = 0; s < slots.size(); ++s) {
    if (slots[s].kind != SlotKind::dimension) continue;
    slot_dimension[s] = log.add_dimension(slots[s].name);
    code_map[s].resize(slots[s].values.size());
    for (std::size_t c = 0; c < slots[s].values.size(); ++c) {
      code_map[s][c] =
          log.intern_dimension_value(slot_dimension[s], slots[s].values.at(static_cast<Dictionary::Code>(c)));
    }
  }
  for (const StagedChange& c : staged) {
    const DealId deal{c.deal};
    const Instant at = log.time_base() + Duration(c.at);
    const bool clear = c.value == kNoValue;
    Status st;
    switch (slots[c.slot].kind) {
      case SlotKind::dimension:
        st = log.add_dimension_change_code(deal, at, slot_dimension[c.slot],
                                           clear ? kNoValue : code_map[c.slot][c.value]);
        break;
      case SlotKind::amount:
        st = log.add_amount_change(deal, at, clear ? std::nullopt : std::optional<Money>(amounts[c.value]));
        break;
      case SlotKind::close_date:
        st = log.add_close_date_change(deal, at,
                                       clear ? std::nullopt
                                             : std::optional<Date>(Date(static_cast<std::int32_t>(
                                                   static_cast<std::int64_t>(c.value) - kStagedDateBias))));
        break;
      case SlotKind::probability:
        st = log.add_probability_change(deal, at,
                                        clear ? std::nullopt : std::optional<std::uint32_t>(c.value));
        break;
    }
    if (!st.ok())
      return Status(ErrorCode::invalid_argument, "field change rejected after validation: " + st.message());
  }
  log.seal();
  report.field_changes_loaded += staged.size();
  loaded.report = std::move(report);
  return {};
}

}  // namespace dealflow::analytics
