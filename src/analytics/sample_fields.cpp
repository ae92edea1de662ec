// The sample's field history: see analytics/sample_fields.h and
// docs/sample-data.md "Field changes".
#include "analytics/sample_fields.h"

#include <algorithm>

#include "analytics/sample_catalog.h"
#include "analytics/sample_office.h"

namespace dealflow::analytics::detail {
namespace {

namespace s = sample;

std::int64_t seconds(Instant t) {
  return t.unix_seconds();
}

}  // namespace

FieldHistoryGenerator::FieldHistoryGenerator(std::uint64_t seed) : rng_(seed ^ s::kFieldStreamSalt) {}

void FieldHistoryGenerator::add(FieldHistory& out, std::int64_t at, SampleField field, std::int64_t value) {
  if (out.count < out.changes.size())
    out.changes[out.count++] = SampleFieldChange{Instant::from_unix_seconds(at), field, value};
}

void FieldHistoryGenerator::draw(const FieldHistoryInput& in, FieldHistory& out) {
  out.count = 0;
  out.reassigned = false;
  out.pushes = 0;
  out.amount_changes = 0;
  const SampleStageEvent& last = in.history.back();
  const bool closed = last.stage >= s::kWon;
  // Owner and amount change while the deal is worked: before it closes, or
  // before the end of the period when it is still open.
  const std::int64_t horizon = closed ? seconds(last.at) : in.period_end;
  draw_managers(in, horizon, out);
  draw_amounts(in, horizon, out);
  draw_close_dates(in, out);

  // Probability follows the stage: the stage's percent from the creation on.
  int probability = -1;
  for (const SampleStageEvent& ev : in.history) {
    const int p = s::kStageProbability[ev.stage];
    if (p != probability) add(out, seconds(ev.at), SampleField::probability, p);
    probability = p;
  }
  out.probability = probability;

  std::stable_sort(out.changes.begin(), out.changes.begin() + static_cast<std::ptrdiff_t>(out.count),
                   [](const SampleFieldChange& a, const SampleFieldChange& b) {
                     return a.at != b.at ? a.at < b.at : a.field < b.field;
                   });
}

// Some deals were first given to another manager of the same role and
// reassigned (once or twice) before they closed; the last owner is deals.csv's.
void FieldHistoryGenerator::draw_managers(const FieldHistoryInput& in, std::int64_t horizon,
                                          FieldHistory& out) {
  const std::int64_t created = seconds(in.history.front().at);
  auto other = [&](std::uint8_t not_this) {
    std::uint8_t m = not_this;
    for (int tries = 0; m == not_this && tries < 8; ++tries)
      m = in.pool[rng_.below(static_cast<std::uint32_t>(in.pool.size()))];
    if (m == not_this) m = static_cast<std::uint8_t>((not_this + 1) % s::kManagers.size());
    return m;
  };
  auto instant_in = [&](std::int64_t from) {
    // Office hours in (from, horizon), or the raw draw when the office is closed until then.
    const std::int64_t raw =
        from + 1 + static_cast<std::int64_t>(rng_.below64(static_cast<std::uint64_t>(horizon - from - 1)));
    const std::int64_t snapped = snap_to_office(raw, rng_);
    return snapped < horizon ? snapped : raw;
  };
  if (horizon - created < 3 || !rng_.chance(s::kReassignPer10000)) {
    add(out, created, SampleField::manager, in.manager);
    return;
  }
  out.reassigned = true;
  const std::uint8_t first = other(in.manager);
  add(out, created, SampleField::manager, first);
  const std::int64_t t1 = instant_in(created);
  if (rng_.chance(s::kSecondReassignPer10000) && horizon - t1 >= 3) {
    const std::uint8_t second = other(first);
    if (second != in.manager) {
      add(out, t1, SampleField::manager, second);
      add(out, instant_in(t1), SampleField::manager, in.manager);
      return;
    }
  }
  add(out, t1, SampleField::manager, in.manager);
}

// Some deals were first quoted at another price; the price is usually settled
// when the prepayment invoice is issued (the first entry into
// PREPAYMENT_INVOICE), otherwise at some moment while the deal is worked.
void FieldHistoryGenerator::draw_amounts(const FieldHistoryInput& in, std::int64_t horizon,
                                         FieldHistory& out) {
  const std::int64_t created = seconds(in.history.front().at);
  auto quote = [&](std::int64_t around) {
    const std::int64_t per_mille = 700 + rng_.below(601);  // 70% .. 130% of `around`
    const std::int64_t rub = std::max<std::int64_t>(5000, (around / 100 * per_mille / 1000 + 50) / 100 * 100);
    return rub * 100;
  };
  if (horizon - created < 3 || !rng_.chance(s::kAmountChangePer10000)) {
    add(out, created, SampleField::amount, in.amount);
    return;
  }
  const std::int64_t initial = quote(in.amount);
  add(out, created, SampleField::amount, initial);
  std::int64_t at = 0;
  for (const SampleStageEvent& ev : in.history)
    if (ev.stage == s::kPrepaymentInvoice && seconds(ev.at) < horizon) {
      at = seconds(ev.at);
      break;
    }
  if (at == 0)
    at = created + 1 +
         static_cast<std::int64_t>(rng_.below64(static_cast<std::uint64_t>(horizon - created - 1)));
  std::int64_t previous = initial;
  if (rng_.chance(s::kSecondAmountChangePer10000) && at - created >= 3) {
    const std::int64_t middle = quote(in.amount);
    const std::int64_t t =
        created + 1 + static_cast<std::int64_t>(rng_.below64(static_cast<std::uint64_t>(at - created - 1)));
    if (middle != previous) {
      add(out, t, SampleField::amount, middle);
      ++out.amount_changes;
      previous = middle;
    }
  }
  if (previous != in.amount) {
    add(out, at, SampleField::amount, in.amount);
    ++out.amount_changes;
  }
}

// The expected close date: set at creation from the expected cycle; when the
// deal is still open the morning after it, the owner pushes it (slippage,
// so most pushes fall late in the cycle); a reopen sets a new one; winning or
// losing sets it to the day the deal closed.
void FieldHistoryGenerator::draw_close_dates(const FieldHistoryInput& in, FieldHistory& out) {
  const std::int64_t created = seconds(in.history.front().at);
  const std::int64_t cycle_days = s::kExpectedCycleDays * (in.enterprise ? 3 : 1);
  auto expected_from = [&](std::int64_t t) {
    return office_date(t) + std::max<std::int64_t>(3, cycle_days * draw_skew(rng_) / 1000);
  };
  std::int64_t close = expected_from(created);
  add(out, created, SampleField::close_date, close);
  for (std::size_t i = 0; i < in.history.size(); ++i) {
    const SampleStageEvent& ev = in.history[i];
    const std::int64_t at = seconds(ev.at);
    if (i > 0 && ev.stage >= s::kWon && office_date(at) != close) {
      close = office_date(at);
      add(out, at, SampleField::close_date, close);
    } else if (i > 0 && ev.stage == s::kNew) {  // reopened
      if (const std::int64_t again = expected_from(at); again != close) {
        close = again;
        add(out, at, SampleField::close_date, close);
      }
    }
    if (ev.stage >= s::kWon) continue;
    const std::int64_t until = i + 1 < in.history.size() ? seconds(in.history[i + 1].at) : in.period_end;
    while (out.pushes < s::kMaxPushes) {
      // The morning after the expected close date, in office hours.
      const std::int64_t morning = (close + 1) * 86400 + s::kWorkStartSeconds - s::kOfficeOffsetSeconds;
      const std::int64_t push_at = snap_to_office(std::max(morning, at + 1), rng_);
      if (push_at <= at || push_at >= until) break;
      const std::int64_t days = s::kPushDays * (in.enterprise ? 2 : 1) * draw_skew(rng_) / 1000;
      close = office_date(push_at) + std::max<std::int64_t>(1, days);
      add(out, push_at, SampleField::close_date, close);
      ++out.pushes;
    }
  }
  out.close_date = close;
}

}  // namespace dealflow::analytics::detail
