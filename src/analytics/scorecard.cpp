// The manager scorecard: see dealflow/analytics/scorecard.h.
#include "dealflow/analytics/scorecard.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "analytics/report_context.h"

namespace dealflow::analytics {
namespace {

struct FigureAccumulator {
  std::uint64_t taken = 0, won = 0, lost = 0, open = 0;
  detail::CurrencySums won_sum{true};  // keeps the amounts for the medians
  std::vector<std::int64_t> cycles;    // seconds created -> won
  bool empty() const noexcept { return taken + won + lost + open == 0; }
};

// Accumulators of one split (business or channel) by dimension code, kNoValue
// = the empty cell: a dense vector indexed by code (kNoValue last) when the
// dimension has at most kDenseSplitValues values, else a map (a dimension
// with very many values must not cost that many accumulators per manager).
class SplitAccumulators {
 public:
  static constexpr std::size_t kDenseSplitValues = 1024;
  explicit SplitAccumulators(std::size_t values = 0) : values_(values), dense_(values <= kDenseSplitValues) {}
  FigureAccumulator& operator[](std::uint32_t code) {
    if (!dense_) return sparse_[code];
    if (slots_.empty()) {
      slots_.resize(values_ + 1);
      used_.assign(values_ + 1, false);
    }
    const std::size_t i = code == kNoValue ? values_ : code;
    used_[i] = true;
    return slots_[i];
  }
  // The codes with an accumulator (in code order, kNoValue last), and one.
  template <class F>
  void for_each(F&& f) const {
    if (!dense_) {
      for (const auto& [code, acc] : sparse_) f(code, acc);
      return;
    }
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (used_[i]) f(i == values_ ? kNoValue : static_cast<std::uint32_t>(i), slots_[i]);
    }
  }
  const FigureAccumulator* find(std::uint32_t code) const {
    if (!dense_) {
      auto it = sparse_.find(code);
      return it == sparse_.end() ? nullptr : &it->second;
    }
    const std::size_t i = code == kNoValue ? values_ : code;
    return i < slots_.size() && used_[i] ? &slots_[i] : nullptr;
  }

 private:
  std::size_t values_;
  bool dense_;
  std::vector<FigureAccumulator> slots_;
  std::vector<bool> used_;
  std::map<std::uint32_t, FigureAccumulator> sparse_;
};

struct RowAccumulator {
  FigureAccumulator figures;
  SplitAccumulators business, channel;  // by dimension code
};

// One deal's contribution to a period.
struct Contribution {
  bool taken = false, won = false, lost = false, open = false;
  std::optional<Money> amount;
  std::int64_t cycle = 0;
};

Status add(FigureAccumulator& a, const Contribution& c, std::string_view deal_key) {
  a.taken += c.taken;
  a.open += c.open;
  if (c.lost) ++a.lost;
  if (c.won) {
    ++a.won;
    a.cycles.push_back(c.cycle);
    if (c.amount) {
      DEALFLOW_RETURN_IF_ERROR(a.won_sum.add(*c.amount, deal_key));
    }
  }
  return {};
}

ScorecardFigures finish(FigureAccumulator a) {
  ScorecardFigures f;
  f.taken = a.taken;
  f.won = a.won;
  f.lost = a.lost;
  f.open = a.open;
  if (f.won + f.lost > 0) f.win_rate = static_cast<double>(f.won) / static_cast<double>(f.won + f.lost);
  f.won_with_amount = static_cast<std::uint64_t>(a.won_sum.count());
  for (const auto& e : a.won_sum.entries()) {
    std::vector<std::int64_t> values = e.values;
    f.by_currency.push_back({e.currency, static_cast<std::uint64_t>(e.count), Money(e.minor, e.currency),
                             Money(detail::divide_rounded(e.minor, e.count), e.currency),
                             Money(*detail::lower_median(values), e.currency)});
  }
  if (f.by_currency.size() == 1) {
    f.won_amount = f.by_currency[0].won_amount;
    f.average_won_amount = f.by_currency[0].average_won_amount;
    f.median_won_amount = f.by_currency[0].median_won_amount;
  }
  f.median_cycle_seconds = detail::lower_median(a.cycles);
  return f;
}

// Accumulates one period: rows by manager code (index size() - 1 = no manager) and the team.
struct PeriodAccumulator {
  std::vector<RowAccumulator> managers;
  RowAccumulator team;
};

// A dimension column as of an instant: the stored codes, or the codes with
// the log's field changes applied when the column has any.
class AsOfCodes {
 public:
  AsOfCodes(const EventLog& log, StandardDimension d, Instant t)
      : stored_(log.dimension(d).codes), changed_(log.dimension_codes_as_of(to_dimension_id(d), t)) {}
  std::uint32_t operator[](std::size_t deal) const noexcept {
    return changed_.empty() ? stored_[deal] : changed_[deal];
  }

 private:
  const DimensionCodes& stored_;
  std::vector<std::uint32_t> changed_;
};

bool has_value(const DimensionCodes& codes) {
  if (codes.width() == 0) return false;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] != kNoValue) return true;
  }
  return false;
}

// Codes of the business split when it is derived from the client column.
constexpr std::uint32_t kDerivedNew = 0, kDerivedRepeat = 1;

// Without a business column: per client code, the earliest closing of a deal of
// that client won as of the context's instant (Instant max when none).
std::vector<Instant> first_wins(const EventLog& log, const detail::ReportContext& ctx) {
  const DimensionColumn& clients = log.dimension(StandardDimension::client);
  std::vector<Instant> first(clients.values.size(),
                             Instant::from_unix_seconds(std::numeric_limits<std::int64_t>::max()));
  for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{i};
    const std::uint32_t client = clients.codes[i];
    if (client == kNoValue || !ctx.exists(d)) continue;
    const detail::DealState st = ctx.state(d);
    if (st.outcome == detail::Outcome::won) first[client] = std::min(first[client], st.closed_at);
  }
  return first;
}

Status accumulate_period(const EventLog& log, const Pipeline& pipeline, Instant from, Instant to,
                         bool derive_business, const detail::AmountSource& amounts, PeriodAccumulator& out) {
  auto ctx = detail::ReportContext::create(log, pipeline, std::nullopt, std::nullopt, to - Duration(1));
  if (!ctx) return ctx.status();
  // Owner, business and channel as of the period's last second (the state's
  // instant): a deal reassigned later counts for its owner then.
  const Instant period_end = to - Duration(1);
  const auto& managers = log.dimension(StandardDimension::manager);
  const AsOfCodes manager_codes(log, StandardDimension::manager, period_end);
  const AsOfCodes business(log, StandardDimension::business, period_end);
  const AsOfCodes channel(log, StandardDimension::channel, period_end);
  const auto& clients = log.dimension(StandardDimension::client).codes;
  const std::vector<Instant> first_win = derive_business ? first_wins(log, *ctx) : std::vector<Instant>();
  const std::size_t business_values =
      derive_business ? 2 : log.dimension(StandardDimension::business).values.size();
  const std::size_t channel_values = log.dimension(StandardDimension::channel).values.size();
  const RowAccumulator empty_row{{}, SplitAccumulators(business_values), SplitAccumulators(channel_values)};
  out.managers.assign(managers.values.size() + 1, empty_row);
  out.team = empty_row;
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->exists(d)) continue;
    const detail::DealState st = ctx->state(d);
    Contribution c;
    const Instant created = log.created_at(d);
    std::uint32_t business_code = business[i];
    if (derive_business) {
      // Repeat business: the client had a deal won before this one was created.
      const std::uint32_t client = clients[i];
      business_code = client == kNoValue            ? kNoValue
                      : first_win[client] < created ? kDerivedRepeat
                                                    : kDerivedNew;
    }
    c.taken = created >= from;
    const bool closed = st.outcome == detail::Outcome::won || st.outcome == detail::Outcome::lost;
    const bool closed_in_period = closed && st.closed_at >= from && st.closed_at < to;
    c.won = closed_in_period && st.outcome == detail::Outcome::won;
    c.lost = closed_in_period && st.outcome == detail::Outcome::lost;
    c.open = !closed;
    if (!(c.taken || c.won || c.lost || c.open)) continue;
    if (c.won) {
      auto amount = amounts.amount(d, st.closed_at, period_end);
      if (!amount) return amount.status();
      c.amount = *amount;
      c.cycle = (st.closed_at - created).count();
    }
    const std::uint32_t m = manager_codes[i];
    RowAccumulator& row = out.managers[m == kNoValue ? managers.values.size() : m];
    const std::string_view key = log.deal_key(d);
    for (RowAccumulator* r : {&row, &out.team}) {
      DEALFLOW_RETURN_IF_ERROR(add(r->figures, c, key));
      DEALFLOW_RETURN_IF_ERROR(add(r->business[business_code], c, key));
      DEALFLOW_RETURN_IF_ERROR(add(r->channel[channel[i]], c, key));
    }
  }
  return {};
}

std::vector<ScorecardSplit> splits(const Dictionary& values, const SplitAccumulators& current,
                                   const SplitAccumulators& previous) {
  std::vector<std::uint32_t> codes;
  current.for_each([&](std::uint32_t code, const FigureAccumulator&) { codes.push_back(code); });
  previous.for_each([&](std::uint32_t code, const FigureAccumulator&) { codes.push_back(code); });
  std::sort(codes.begin(), codes.end(), [&](std::uint32_t a, std::uint32_t b) {
    if ((a == kNoValue) != (b == kNoValue)) return b == kNoValue;
    if (a == kNoValue) return false;
    return values.at(a) < values.at(b);
  });
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  std::vector<ScorecardSplit> out;
  for (std::uint32_t code : codes) {
    ScorecardSplit s;
    if (code != kNoValue) s.key = std::string(values.at(code));
    if (const FigureAccumulator* a = current.find(code)) s.current = finish(*a);
    if (const FigureAccumulator* a = previous.find(code)) s.previous = finish(*a);
    out.push_back(std::move(s));
  }
  return out;
}

ScorecardRow make_row(const EventLog& log, const Dictionary& business_values, const RowAccumulator& current,
                      const RowAccumulator& previous) {
  ScorecardRow row;
  row.current = finish(current.figures);
  row.previous = finish(previous.figures);
  row.by_business = splits(business_values, current.business, previous.business);
  row.by_channel =
      splits(log.dimension(StandardDimension::channel).values, current.channel, previous.channel);
  return row;
}

std::int64_t won_minor(const ScorecardRow& r) {
  return r.current.won_amount ? r.current.won_amount->minor_units() : 0;
}

}  // namespace

std::string ScorecardDefinition::business_text() {
  return "no business column: repeat = the deal's client had a deal won (as of the period end) before this "
         "deal was created, else new; deals without a client have no business value";
}

std::string ScorecardDefinition::summary() const {
  return "definition: pipeline " + pipeline_id + "; period [" + format_iso(from) + ", " + format_iso(to) +
         ") vs previous [" + format_iso(previous_from) + ", " + format_iso(previous_to) +
         "), each as of its end; taken = created in the period; won/lost = closed in the period, outcome at "
         "its end; open = open at its end; win rate = won/(won+lost); medians = lower middle; rank by " +
         rank_by + ", ties by manager" + (conversion.empty() ? std::string() : "; " + conversion) +
         (business_derived ? "; " + business_text() : std::string());
}

std::string ScorecardDefinition::text() {
  return "taken: deals created in the period, by owner (manager). won, lost: deals whose final won/lost "
         "stage "
         "(as of the period end) was entered in the period. open: deals created before the period end and "
         "open "
         "at it. win rate = won/(won+lost). won amount = exact sum; average = sum / won deals with an "
         "amount, "
         "rounded half away from zero to the minor unit; median amount and median cycle = the lower middle "
         "value "
         "(even counts take the smaller middle). median cycle = created_at to closing of the won deals, "
         "calendar "
         "time. previous period = the same length just before. rank = by won amount descending, ties by "
         "manager "
         "id; deals without a manager are in the team totals and an unranked row.";
}

Result<ScorecardReport> compute_scorecard(const EventLog& log, const Pipeline& pipeline,
                                          const ScorecardQuery& query) {
  if (query.to <= query.from) {
    return Status(ErrorCode::invalid_argument, "empty period: from " + format_iso(query.from) +
                                                   " is not before to " + format_iso(query.to));
  }
  ScorecardReport report;
  ScorecardDefinition& def = report.definition;
  def.from = query.from;
  def.to = query.to;
  def.previous_to = query.from;
  def.previous_from = query.from - (query.to - query.from);
  def.pipeline_id = pipeline.id();

  // No business value in any deal (no column, or an empty one) but clients:
  // new vs repeat is derived.
  def.business_derived = !has_value(log.dimension(StandardDimension::business).codes) &&
                         has_value(log.dimension(StandardDimension::client).codes);
  Dictionary derived;
  if (def.business_derived) {
    derived.intern("new");     // kDerivedNew
    derived.intern("repeat");  // kDerivedRepeat
  }
  const Dictionary& business_values =
      def.business_derived ? derived : log.dimension(StandardDimension::business).values;

  // rate-at-report: the end of the period, for both periods (comparable amounts).
  auto amounts = detail::AmountSource::create(log, query.fx, query.to - Duration(1));
  if (!amounts) return amounts.status();
  if (query.fx) def.conversion = query.fx->describe();
  // The two periods are independent: the previous one on a second thread for
  // large logs (the same result either way; the current period's error first).
  PeriodAccumulator current, previous;
  Status previous_status;
  auto previous_period = [&] {
    previous_status = accumulate_period(log, pipeline, def.previous_from, def.previous_to,
                                        def.business_derived, *amounts, previous);
  };
  std::optional<std::thread> worker;
  if (log.deal_count() + log.event_count() >= 400'000 && std::thread::hardware_concurrency() > 1) {
    worker.emplace(previous_period);
  }
  const Status current_status =
      accumulate_period(log, pipeline, def.from, def.to, def.business_derived, *amounts, current);
  if (worker) {
    worker->join();
  } else if (current_status.ok()) {
    previous_period();
  }
  DEALFLOW_RETURN_IF_ERROR(current_status);
  DEALFLOW_RETURN_IF_ERROR(previous_status);
  // Ranks by won amount need one currency over both periods.
  detail::CurrencySums all;
  for (const auto* team : {&current.team.figures.won_sum, &previous.team.figures.won_sum}) {
    for (const auto& e : team->entries()) DEALFLOW_RETURN_IF_ERROR(all.add(Money(0, e.currency), ""));
  }
  const bool by_amount = all.entries().size() <= 1;
  if (!by_amount) def.rank_by = "won deals";

  const Dictionary& names = log.dimension(StandardDimension::manager).values;
  std::optional<ScorecardRow> no_manager;
  for (std::size_t m = 0; m < current.managers.size(); ++m) {
    const RowAccumulator& cur = current.managers[m];
    const RowAccumulator& prev = previous.managers[m];
    if (cur.figures.empty() && prev.figures.empty()) continue;
    ScorecardRow row = make_row(log, business_values, cur, prev);
    if (m == names.size()) {
      no_manager = std::move(row);
    } else {
      row.manager = std::string(names.at(static_cast<Dictionary::Code>(m)));
      report.managers.push_back(std::move(row));
    }
  }
  std::sort(report.managers.begin(), report.managers.end(),
            [&](const ScorecardRow& a, const ScorecardRow& b) {
              if (by_amount && won_minor(a) != won_minor(b)) return won_minor(a) > won_minor(b);
              if (!by_amount && a.current.won != b.current.won) return a.current.won > b.current.won;
              return *a.manager < *b.manager;
            });
  for (std::size_t i = 0; i < report.managers.size(); ++i)
    report.managers[i].rank = static_cast<std::uint32_t>(i + 1);
  if (no_manager) report.managers.push_back(std::move(*no_manager));
  report.team = make_row(log, business_values, current.team, previous.team);
  report.team.manager = std::string();
  return report;
}

}  // namespace dealflow::analytics
