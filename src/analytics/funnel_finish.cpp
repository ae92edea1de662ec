// FunnelPlan::finish: a partial's integer counters into rates, rows and the
// definition (dealflow/analytics/funnel.h); the counting is in funnel.cpp.
#include <algorithm>
#include <cmath>
#include <limits>

#include "analytics/funnel_detail.h"
#include "analytics/report_context.h"
#include "dealflow/analytics/funnel.h"

namespace dealflow::analytics {
using funnel_detail::add_checked;
using funnel_detail::month_key;

void FunnelPlan::reason_cells(const FunnelPartial& partial, std::size_t g, ReasonCells& cells) const {
  cells.clear();
  const std::size_t reason_cells = (m_ + 1) * reasons_;
  if (g == groups_) {  // all groups
    if (sparse_reasons_) {
      for (const auto& r : partial.sparse_) cells.emplace_back(r.cell, r.count);
    } else {
      for (std::size_t k = 0; k < partial.reasons_.size(); ++k) {
        if (partial.reasons_[k] != 0) cells.emplace_back(k % reason_cells, partial.reasons_[k]);
      }
    }
    std::sort(cells.begin(), cells.end());
    std::size_t w = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (w > 0 && cells[w - 1].first == cells[i].first) {
        cells[w - 1].second += cells[i].second;  // counts of deals: no overflow
      } else {
        cells[w++] = cells[i];
      }
    }
    cells.resize(w);
    return;
  }
  if (sparse_reasons_) {
    const auto& v = partial.sparse_;
    auto it = std::lower_bound(
        v.begin(), v.end(), g,
        [](const FunnelPartial::ReasonCount& x, std::size_t group) { return x.group < group; });
    for (; it != v.end() && it->group == g; ++it) cells.emplace_back(it->cell, it->count);
  } else {
    const std::int64_t* block = partial.reasons_.data() + g * reason_cells;
    for (std::size_t k = 0; k < reason_cells; ++k) {
      if (block[k] != 0) cells.emplace_back(k, block[k]);
    }
  }
}

bool FunnelPlan::closed_amount_overflows(const std::int64_t* c) const noexcept {
  for (std::size_t i = 0; i < currencies_; ++i) {
    std::int64_t closed = 0;
    if (__builtin_add_overflow(c[layout_.won_amount + i], c[layout_.lost_amount + i], &closed)) return true;
  }
  return false;
}

void FunnelPlan::fill_figures(const std::int64_t* c, const ReasonCells& reason_counts,
                              FunnelFigures& f) const {
  const Pipeline& p = *pipeline_;
  const Layout l = layout_;
  const std::size_t m = m_, cn = currencies_, rn = reasons_;
  const auto& reason_dict = log_->dimension(StandardDimension::lost_reason).values;
  const bool level_rule =
      query_.rule == CountingRule::high_water || query_.rule == CountingRule::strict_order;
  const bool snapshot = query_.rule == CountingRule::snapshot;
  auto money = [&](const std::int64_t* sums, std::vector<Money>& out) {
    out.clear();
    for (std::size_t i : currency_order_) {
      if (sums[i] != 0) out.emplace_back(sums[i], currency_list_[i]);
    }
  };
  f.deals = static_cast<std::uint64_t>(c[l.deals]);
  f.won = static_cast<std::uint64_t>(c[l.won]);
  f.lost = static_cast<std::uint64_t>(c[l.lost]);
  f.open = static_cast<std::uint64_t>(c[l.open]);
  f.without_history = static_cast<std::uint64_t>(c[l.without_history]);
  f.stages.resize(m);
  // reached(k): the level rules take a suffix sum over the level histogram.
  std::vector<std::int64_t> cum_amount(level_rule ? cn : 0, 0);
  std::uint64_t run = level_rule ? static_cast<std::uint64_t>(c[l.level + m]) : 0;
  if (level_rule) {
    for (std::size_t i = 0; i < cn; ++i) cum_amount[i] = c[l.level_amount + m * cn + i];
  }
  for (std::size_t k = m; k-- > 0;) {
    FunnelStageRow& row = f.stages[k];
    row.stage = p.open_stages()[k];
    const Stage& st = p.stage(row.stage);
    row.id.assign(st.id);
    row.name.assign(st.name);
    if (level_rule) {
      row.reached = run;
      money(cum_amount.data(), row.amount);
      run += static_cast<std::uint64_t>(c[l.level + k]);
      for (std::size_t i = 0; i < cn; ++i) cum_amount[i] += c[l.level_amount + k * cn + i];
    } else {
      row.reached = static_cast<std::uint64_t>(c[l.stage + k]);
      money(c + l.stage_amount + k * cn, row.amount);
    }
  }
  for (std::size_t k = 0; k < m; ++k) {
    FunnelStageRow& row = f.stages[k];
    row.step_conversion = !snapshot && k > 0 ? Rate::of(row.reached, f.stages[k - 1].reached) : Rate{};
    row.cumulative_conversion = !snapshot ? Rate::of(row.reached, f.stages[0].reached) : Rate{};
  }
  f.win_rate = Rate::of(f.won, f.won + f.lost);
  f.win_rate_by_amount.clear();
  for (std::size_t i : currency_order_) {
    const std::int64_t won = c[l.won_amount + i], lost = c[l.lost_amount + i];
    if (won == 0 && lost == 0) continue;
    std::int64_t closed = 0;
    __builtin_add_overflow(won, lost, &closed);  // checked by closed_amount_overflows
    AmountRate r{Money(won, currency_list_[i]), Money(closed, currency_list_[i]), std::nullopt};
    if (closed != 0) r.value = static_cast<double>(won) / static_cast<double>(closed);
    f.win_rate_by_amount.push_back(r);
  }
  if (query_.basis == FunnelBasis::created) {
    f.won_of_created = Rate::of(f.won, f.deals);
  } else {
    f.won_of_created.reset();
  }
  money(c + l.won_amount, f.won_amount);
  money(c + l.lost_amount, f.lost_amount);
  money(c + l.open_amount, f.open_amount);
  std::size_t rows = 0;
  for (std::size_t k = 0; k <= m; ++k) {
    const auto count = static_cast<std::uint64_t>(c[l.lost_from + k]);
    if (count == 0) continue;
    if (f.lost_from.size() <= rows) f.lost_from.resize(rows + 1);
    LostFromRow& row = f.lost_from[rows++];
    if (k < m) {
      row.stage = p.open_stages()[k];
      row.id.assign(p.stage(*row.stage).id);
      row.name.assign(p.stage(*row.stage).name);
    } else {
      row.stage.reset();
      row.id.clear();
      row.name.clear();
    }
    row.count = count;
    money(c + l.lost_from_amount + k * cn, row.amount);
    auto it = std::lower_bound(reason_counts.begin(), reason_counts.end(),
                               std::pair<std::uint64_t, std::int64_t>(k * rn, 0));
    std::size_t n = 0;
    for (; it != reason_counts.end() && it->first < (k + 1) * rn; ++it) {
      if (row.reasons.size() <= n) row.reasons.resize(n + 1);
      const std::size_t r = it->first - k * rn;
      auto& [reason, reason_count] = row.reasons[n++];
      if (r + 1 == rn) {
        reason.clear();
      } else {
        reason.assign(reason_dict.at(static_cast<Dictionary::Code>(r)));
      }
      reason_count = static_cast<std::uint64_t>(it->second);
    }
    row.reasons.resize(n);
    std::sort(row.reasons.begin(), row.reasons.end(), [](const auto& a, const auto& b) {
      if (a.second != b.second) return a.second > b.second;
      return a.first < b.first;
    });
  }
  f.lost_from.resize(rows);
  rows = 0;
  for (std::size_t k = 0; k < lost_stages_; ++k) {
    const auto count = static_cast<std::uint64_t>(c[l.lost_to + k]);
    if (count == 0) continue;
    if (f.lost_to.size() <= rows) f.lost_to.resize(rows + 1);
    LostToRow& row = f.lost_to[rows++];
    row.stage = p.lost_stages()[k];
    row.id.assign(p.stage(row.stage).id);
    row.name.assign(p.stage(row.stage).name);
    row.count = count;
  }
  f.lost_to.resize(rows);
}

Result<FunnelReport> FunnelPlan::finish(const FunnelPartial& partial) const {
  auto result = FunnelResult::create(*this, partial);
  if (!result) return result.status();
  return std::move(*result).materialize();
}

Result<FunnelResult> FunnelResult::create(FunnelPlan plan, FunnelPartial partial) {
  const FunnelPlan& p = plan;
  if (std::string d = FunnelPartial::difference(p.partial_query_, partial.query_); !d.empty()) {
    return Status(ErrorCode::invalid_argument, "funnel partial was computed with another query: " + d);
  }
  const std::size_t reason_cells = (p.m_ + 1) * p.reasons_;
  if (partial.counters_.size() != p.layout_.size * p.groups_ ||
      partial.sparse_reasons_ != p.sparse_reasons_ ||
      partial.reasons_.size() != (p.sparse_reasons_ ? 0 : p.groups_ * reason_cells)) {
    return Status(ErrorCode::invalid_argument, "funnel partial does not belong to this plan");
  }
  for (const FunnelPartial::ReasonCount& r : partial.sparse_) {  // a parsed partial is not trusted
    if (r.group >= p.groups_ || r.cell >= reason_cells) {
      return Status(ErrorCode::invalid_argument,
                    "funnel partial does not belong to this plan (loss-reason cell " + std::to_string(r.cell) +
                        " of group " + std::to_string(r.group) + ")");
    }
  }
  if (partial.overflow_)
    return Status(ErrorCode::overflow, "a funnel amount sum overflows int64 minor units");
  const FunnelPlan::Layout l = p.layout_;
  FunnelResult result;
  // Totals: the sum of the group blocks.
  std::vector<std::int64_t> total(l.size, 0);
  bool overflow = false;
  for (std::size_t g = 0; g < p.groups_; ++g) {
    for (std::size_t i = 0; i < l.size; ++i)
      add_checked(total[i], partial.counters_[g * l.size + i], overflow);
  }
  if (overflow) return Status(ErrorCode::overflow, "a funnel amount sum overflows int64 minor units");
  bool amount_overflow = p.closed_amount_overflows(total.data());
  FunnelPlan::ReasonCells cells;
  p.reason_cells(partial, p.groups_, cells);
  p.fill_figures(total.data(), cells, result.report_.total);

  if (p.query_.group.kind != FunnelGrouping::Kind::none) {
    for (std::size_t g = 0; g < p.groups_; ++g) {
      const std::int64_t* c = partial.counters_.data() + g * l.size;
      if (c[l.deals] == 0) continue;
      amount_overflow = amount_overflow || p.closed_amount_overflows(c);
      result.order_.push_back(static_cast<std::uint32_t>(g));
    }
    // Month groups are in key order already; dimension codes sort by their
    // values' bytes, the empty cell (the last code) last.
    if (p.query_.group.kind == FunnelGrouping::Kind::dimension) {
      const Dictionary& values = p.log_->dimension(p.query_.group.dimension).values;
      const std::uint32_t none = static_cast<std::uint32_t>(p.groups_ - 1);
      std::sort(result.order_.begin(), result.order_.end(), [&](std::uint32_t a, std::uint32_t b) {
        if ((a == none) != (b == none)) return b == none;
        return a != none && values.at(a) < values.at(b);
      });
    }
  }
  if (amount_overflow) return Status(ErrorCode::overflow, "won + lost amount overflows int64 minor units");
  result.report_.definition = p.definition();
  result.plan_ = std::move(plan);
  result.partial_ = std::move(partial);
  return result;
}

void FunnelPlan::fill_summary(const std::int64_t* c, FunnelFigures& f) const {
  const Layout l = layout_;
  const std::size_t m = m_;
  const bool level_rule =
      query_.rule == CountingRule::high_water || query_.rule == CountingRule::strict_order;
  f.deals = static_cast<std::uint64_t>(c[l.deals]);
  f.won = static_cast<std::uint64_t>(c[l.won]);
  f.lost = static_cast<std::uint64_t>(c[l.lost]);
  f.open = static_cast<std::uint64_t>(c[l.open]);
  f.without_history = static_cast<std::uint64_t>(c[l.without_history]);
  f.stages.resize(m);
  std::uint64_t run = level_rule ? static_cast<std::uint64_t>(c[l.level + m]) : 0;
  for (std::size_t k = m; k-- > 0;) {
    if (level_rule) {
      f.stages[k].reached = run;
      run += static_cast<std::uint64_t>(c[l.level + k]);
    } else {
      f.stages[k].reached = static_cast<std::uint64_t>(c[l.stage + k]);
    }
  }
  const std::uint64_t closed = f.won + f.lost;
  f.win_rate.value.reset();
  if (closed > 0) f.win_rate.value = static_cast<double>(f.won) / static_cast<double>(closed);
  f.win_rate_by_amount.clear();
  f.won_amount.clear();
  for (std::size_t i : currency_order_) {
    const std::int64_t won = c[l.won_amount + i], lost = c[l.lost_amount + i];
    if (won != 0) f.won_amount.emplace_back(won, currency_list_[i]);
    if (won == 0 && lost == 0) continue;
    std::int64_t sum = 0;
    __builtin_add_overflow(won, lost, &sum);  // checked by closed_amount_overflows
    AmountRate r{Money(won, currency_list_[i]), Money(sum, currency_list_[i]), std::nullopt};
    if (sum != 0) r.value = static_cast<double>(won) / static_cast<double>(sum);
    f.win_rate_by_amount.push_back(r);
  }
}

void FunnelResult::key(std::uint32_t g, FunnelGroup& out) const {
  const FunnelPlan& p = plan_;
  if (p.query_.group.kind == FunnelGrouping::Kind::created_month) {
    out.key = month_key(p.first_month_ + static_cast<std::int32_t>(g));
  } else if (g + 1 < p.groups_) {
    if (!out.key) out.key.emplace();
    out.key->assign(p.log_->dimension(p.query_.group.dimension).values.at(static_cast<Dictionary::Code>(g)));
  } else {
    out.key.reset();
  }
}

void FunnelResult::group_summary(std::size_t i, FunnelGroup& out) const {
  const std::uint32_t g = order_[i];
  key(g, out);
  plan_.fill_summary(partial_.counters_.data() + std::size_t{g} * plan_.layout_.size, out.figures);
}

void FunnelResult::group(std::size_t i, FunnelGroup& out) const {
  const FunnelPlan& p = plan_;
  const std::uint32_t g = order_[i];
  key(g, out);
  thread_local FunnelPlan::ReasonCells cells;
  p.reason_cells(partial_, g, cells);
  p.fill_figures(partial_.counters_.data() + std::size_t{g} * p.layout_.size, cells, out.figures);
}

FunnelReport FunnelResult::materialize() && {
  FunnelReport report = std::move(report_);
  report.groups.resize(order_.size());
  for (std::size_t i = 0; i < order_.size(); ++i) group(i, report.groups[i]);
  return report;
}

FunnelDefinition FunnelPlan::definition() const {
  const Pipeline& p = *pipeline_;
  const EventLog& log = *log_;
  FunnelDefinition def;
  def.rule = query_.rule;
  def.basis = query_.basis;
  def.from = query_.from;
  def.to = query_.to;
  def.as_of = as_of_instant_;
  def.pipeline_id = p.id();
  if (query_.fx) def.conversion = query_.fx->describe();
  switch (query_.group.kind) {
    case FunnelGrouping::Kind::none:
      break;
    case FunnelGrouping::Kind::dimension:
      def.group_by = log.dimension(query_.group.dimension).name;
      break;
    case FunnelGrouping::Kind::created_month:
      def.group_by = "created_month";
      break;
  }
  switch (query_.rule) {
    case CountingRule::high_water:
      def.rule_text =
          "a deal counts at open stage k when the furthest open stage it entered is k or later, or it is won";
      break;
    case CountingRule::touched:
      def.rule_text = "a deal counts at open stage k when it entered k at least once";
      break;
    case CountingRule::strict_order:
      def.rule_text = "a deal counts at open stage k when it entered stages 1..k in this order";
      break;
    case CountingRule::snapshot:
      def.rule_text = "deals whose stage at the report instant is k";
      break;
  }
  const std::string period = std::string("[") + (query_.from ? format_iso(*query_.from) : "-inf") + ", " +
                             (query_.to ? format_iso(*query_.to) : "+inf") + ")";
  def.basis_text = query_.basis == FunnelBasis::created
                       ? "deals created in " + period
                       : "deals whose final won/lost stage was entered in " + period;
  def.basis_text += ", outcome as of the report instant";
  def.denominator_text =
      std::string(query_.rule == CountingRule::snapshot
                      ? "no conversions in a snapshot; "
                      : "step_conversion = reached(k)/reached(k-1); cumulative_conversion = "
                        "reached(k)/reached(first); ") +
      "win_rate = won/(won+lost) deals; win_rate_by_amount = won amount/(won+lost amount) per currency; " +
      (query_.basis == FunnelBasis::created ? "won_of_created = won/deals"
                                            : "no won_of_created on the closed basis (deals = won+lost)") +
      "; 95% Wilson intervals for the rates of counts";
  return def;
}

}  // namespace dealflow::analytics
