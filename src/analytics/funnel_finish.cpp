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

Result<FunnelReport> FunnelPlan::finish(const FunnelPartial& partial) const {
  const std::size_t reason_cells = (m_ + 1) * reasons_;
  if (partial.counters_.size() != layout_.size * groups_ || partial.sparse_reasons_ != sparse_reasons_ ||
      partial.reasons_.size() != (sparse_reasons_ ? 0 : groups_ * reason_cells)) {
    return Status(ErrorCode::invalid_argument, "funnel partial does not belong to this plan");
  }
  if (partial.overflow_)
    return Status(ErrorCode::overflow, "a funnel amount sum overflows int64 minor units");
  const EventLog& log = *log_;
  const Pipeline& p = *pipeline_;
  const Layout l = layout_;
  const std::size_t m = m_, cn = currencies_, rn = reasons_;
  // Currency indexes in code order.
  std::vector<std::size_t> cur_order(cn);
  for (std::size_t i = 0; i < cn; ++i) cur_order[i] = i;
  std::sort(cur_order.begin(), cur_order.end(), [&](std::size_t a, std::size_t b) {
    return currency_list_[a].code() < currency_list_[b].code();
  });
  auto money = [&](const std::int64_t* sums) {
    std::vector<Money> out;
    for (std::size_t i : cur_order) {
      if (sums[i] != 0) out.emplace_back(sums[i], currency_list_[i]);
    }
    return out;
  };
  const auto& reason_dict = log.dimension(StandardDimension::lost_reason).values;
  const bool level_rule =
      query_.rule == CountingRule::high_water || query_.rule == CountingRule::strict_order;
  bool amount_overflow = false;  // won + lost amount of a currency left int64

  // Loss reasons of one group (or of all): (cell, count) sorted by cell, counts > 0.
  using Cells = std::vector<std::pair<std::uint64_t, std::int64_t>>;
  auto group_cells = [&](std::size_t g) {
    Cells cells;
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
    return cells;
  };
  auto all_cells = [&] {
    Cells cells;
    for (std::size_t g = 0; g < groups_; ++g) {
      Cells part = group_cells(g);
      cells.insert(cells.end(), part.begin(), part.end());
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
    return cells;
  };

  auto figures = [&](const std::int64_t* c, const Cells& reason_counts) {
    FunnelFigures f;
    f.deals = static_cast<std::uint64_t>(c[l.deals]);
    f.won = static_cast<std::uint64_t>(c[l.won]);
    f.lost = static_cast<std::uint64_t>(c[l.lost]);
    f.open = static_cast<std::uint64_t>(c[l.open]);
    f.without_history = static_cast<std::uint64_t>(c[l.without_history]);
    std::vector<std::int64_t> cum_amount(cn, 0);
    std::vector<std::uint64_t> reached(m, 0);
    std::vector<std::vector<std::int64_t>> amounts(m, std::vector<std::int64_t>(cn, 0));
    if (level_rule) {
      // reached(k) = deals whose level is > k: a suffix sum over the level histogram.
      std::uint64_t run = static_cast<std::uint64_t>(c[l.level + m]);
      for (std::size_t i = 0; i < cn; ++i) cum_amount[i] = c[l.level_amount + m * cn + i];
      for (std::size_t k = m; k-- > 0;) {
        reached[k] = run;
        amounts[k] = cum_amount;
        run += static_cast<std::uint64_t>(c[l.level + k]);
        for (std::size_t i = 0; i < cn; ++i) cum_amount[i] += c[l.level_amount + k * cn + i];
      }
    } else {
      for (std::size_t k = 0; k < m; ++k) {
        reached[k] = static_cast<std::uint64_t>(c[l.stage + k]);
        for (std::size_t i = 0; i < cn; ++i) amounts[k][i] = c[l.stage_amount + k * cn + i];
      }
    }
    const bool snapshot = query_.rule == CountingRule::snapshot;
    for (std::size_t k = 0; k < m; ++k) {
      FunnelStageRow row;
      row.stage = p.open_stages()[k];
      row.id = p.stage(row.stage).id;
      row.name = p.stage(row.stage).name;
      row.reached = reached[k];
      if (!snapshot) {
        if (k > 0) row.step_conversion = Rate::of(reached[k], reached[k - 1]);
        row.cumulative_conversion = Rate::of(reached[k], reached[0]);
      }
      row.amount = money(amounts[k].data());
      f.stages.push_back(std::move(row));
    }
    f.win_rate = Rate::of(f.won, f.won + f.lost);
    for (std::size_t i : cur_order) {
      const std::int64_t won = c[l.won_amount + i], lost = c[l.lost_amount + i];
      if (won == 0 && lost == 0) continue;
      std::int64_t closed = 0;
      if (__builtin_add_overflow(won, lost, &closed)) amount_overflow = true;
      AmountRate r{Money(won, currency_list_[i]), Money(closed, currency_list_[i]), std::nullopt};
      if (closed != 0) r.value = static_cast<double>(won) / static_cast<double>(closed);
      f.win_rate_by_amount.push_back(r);
    }
    if (query_.basis == FunnelBasis::created) f.won_of_created = Rate::of(f.won, f.deals);
    f.won_amount = money(c + l.won_amount);
    f.lost_amount = money(c + l.lost_amount);
    f.open_amount = money(c + l.open_amount);
    for (std::size_t k = 0; k <= m; ++k) {
      const auto count = static_cast<std::uint64_t>(c[l.lost_from + k]);
      if (count == 0) continue;
      LostFromRow row;
      if (k < m) {
        row.stage = p.open_stages()[k];
        row.id = p.stage(*row.stage).id;
        row.name = p.stage(*row.stage).name;
      }
      row.count = count;
      row.amount = money(c + l.lost_from_amount + k * cn);
      auto it = std::lower_bound(reason_counts.begin(), reason_counts.end(),
                                 std::pair<std::uint64_t, std::int64_t>(k * rn, 0));
      for (; it != reason_counts.end() && it->first < (k + 1) * rn; ++it) {
        const std::size_t r = it->first - k * rn;
        row.reasons.emplace_back(
            r + 1 == rn ? std::string() : std::string(reason_dict.at(static_cast<Dictionary::Code>(r))),
            static_cast<std::uint64_t>(it->second));
      }
      std::sort(row.reasons.begin(), row.reasons.end(), [](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;
        return a.first < b.first;
      });
      f.lost_from.push_back(std::move(row));
    }
    for (std::size_t k = 0; k < lost_stages_; ++k) {
      const auto count = static_cast<std::uint64_t>(c[l.lost_to + k]);
      if (count == 0) continue;
      LostToRow row;
      row.stage = p.lost_stages()[k];
      row.id = p.stage(row.stage).id;
      row.name = p.stage(row.stage).name;
      row.count = count;
      f.lost_to.push_back(std::move(row));
    }
    return f;
  };

  FunnelReport report;
  // Totals: the sum of the group blocks.
  std::vector<std::int64_t> total(l.size, 0);
  bool overflow = false;
  for (std::size_t g = 0; g < groups_; ++g) {
    for (std::size_t i = 0; i < l.size; ++i)
      add_checked(total[i], partial.counters_[g * l.size + i], overflow);
  }
  if (overflow) return Status(ErrorCode::overflow, "a funnel amount sum overflows int64 minor units");
  report.total = figures(total.data(), all_cells());

  if (query_.group.kind != FunnelGrouping::Kind::none) {
    for (std::size_t g = 0; g < groups_; ++g) {
      const std::int64_t* c = partial.counters_.data() + g * l.size;
      if (c[l.deals] == 0) continue;
      FunnelGroup group;
      if (query_.group.kind == FunnelGrouping::Kind::created_month) {
        group.key = month_key(first_month_ + static_cast<std::int32_t>(g));
      } else if (g + 1 < groups_) {
        group.key =
            std::string(log.dimension(query_.group.dimension).values.at(static_cast<Dictionary::Code>(g)));
      }
      group.figures = figures(c, group_cells(g));
      report.groups.push_back(std::move(group));
    }
    std::stable_sort(report.groups.begin(), report.groups.end(),
                     [](const FunnelGroup& a, const FunnelGroup& b) {
                       if (a.key.has_value() != b.key.has_value()) return a.key.has_value();
                       return a.key && *a.key < *b.key;
                     });
  }

  if (amount_overflow) return Status(ErrorCode::overflow, "won + lost amount overflows int64 minor units");

  FunnelDefinition& def = report.definition;
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
  return report;
}

}  // namespace dealflow::analytics
