// The sample generator: see dealflow/analytics/sample.h and docs/sample-data.md.
#include "dealflow/analytics/sample.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <vector>

#include "analytics/sample_catalog.h"
#include "analytics/sample_fields.h"
#include "analytics/sample_office.h"
#include "analytics/sample_random.h"
#include "dealflow/io/csv.h"

namespace dealflow::analytics {
namespace {

using detail::draw_skew;
using detail::is_office_day;
using detail::SampleRandom;
namespace s = detail::sample;

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t kMaxDeals = 100'000'000;

// `d` shifted by n calendar months, the day clamped to the target month's length.
Date add_months(Date d, int n) {
  const int total = d.year() * 12 + (d.month() - 1) + n;
  const int y = total / 12;
  const unsigned m = static_cast<unsigned>(total % 12 + 1);
  const int first = days_from_civil(y, m, 1);
  const int next = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
  const int day = std::min(d.day(), next - first);
  return Date(first + day - 1);
}

struct Client {
  std::int64_t first_won = kNever;  // unix seconds of the client's first won deal
  std::uint32_t name_index = 0;
  std::uint8_t region = 0;
  bool enterprise = false;
  std::uint8_t account_manager = 0xFF;
};

struct Pool {
  std::vector<std::uint8_t> managers;
  std::vector<std::uint32_t> weights;
  std::uint8_t pick(SampleRandom& rng) const { return managers[rng.pick(weights)]; }
};

class Generator {
 public:
  Generator(const SampleOptions& options, const SampleVisitor& visit)
      : options_(options), rng_(options.seed), fields_(options.seed), visit_(visit) {
    for (std::size_t i = 0; i < s::kManagers.size(); ++i) {
      Pool& pool = pools_[static_cast<std::size_t>(s::kManagers[i].role)];
      pool.managers.push_back(static_cast<std::uint8_t>(i));
      pool.weights.push_back(s::kManagers[i].capacity);
    }
    client_name_.reserve(128);
  }

  Result<SampleSummary> run() {
    const Date end_date = add_months(options_.from, options_.months);
    end_ = static_cast<std::int64_t>(end_date.days_since_epoch()) * 86400;
    summary_.period_end = Instant::from_unix_seconds(end_);

    const std::vector<std::uint64_t> per_month = deals_per_month();
    std::vector<std::int64_t> created;
    for (int m = 0; m < options_.months; ++m) {
      const std::int64_t first = add_months(options_.from, m).days_since_epoch();
      const std::int64_t last = add_months(options_.from, m + 1).days_since_epoch();
      draw_creation_instants(first, last, per_month[static_cast<std::size_t>(m)], created);
      for (std::int64_t at : created) DEALFLOW_RETURN_IF_ERROR(generate_deal(at));
    }
    return summary_;
  }

 private:
  // Splits the deal count over the months by seasonality x growth, with the
  // largest-remainder method (ties to the earlier month).
  std::vector<std::uint64_t> deals_per_month() const {
    const auto months = static_cast<std::size_t>(options_.months);
    std::vector<std::uint64_t> weight(months);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < months; ++i) {
      const int calendar_month = add_months(options_.from, static_cast<int>(i)).month();
      weight[i] = std::uint64_t{s::kSeasonality[static_cast<std::size_t>(calendar_month - 1)]} *
                  (1000 + s::kGrowthPerMonth * i);
      total += weight[i];
    }
    std::vector<std::uint64_t> count(months);
    std::vector<std::pair<std::uint64_t, std::size_t>> remainder(months);
    std::uint64_t assigned = 0;
    for (std::size_t i = 0; i < months; ++i) {
      count[i] = options_.deals * weight[i] / total;
      remainder[i] = {options_.deals * weight[i] % total, i};
      assigned += count[i];
    }
    std::stable_sort(remainder.begin(), remainder.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; assigned < options_.deals; ++k, ++assigned) ++count[remainder[k % months].second];
    return count;
  }

  // `n` sorted creation instants in the days [first, last): mostly office hours
  // of office days, a few at any time (web forms at night and at weekends).
  void draw_creation_instants(std::int64_t first, std::int64_t last, std::uint64_t n,
                              std::vector<std::int64_t>& out) {
    office_days_.clear();
    for (std::int64_t d = first; d < last; ++d)
      if (is_office_day(d)) office_days_.push_back(d);
    out.clear();
    out.reserve(n);
    const auto span_days = static_cast<std::uint32_t>(last - first);
    for (std::uint64_t i = 0; i < n; ++i) {
      if (office_days_.empty() || rng_.chance(s::kOffHoursCreationPer10000)) {
        out.push_back(first * 86400 +
                      static_cast<std::int64_t>(rng_.below64(std::uint64_t{span_days} * 86400)));
      } else {
        const std::int64_t day = office_days_[rng_.below(static_cast<std::uint32_t>(office_days_.size()))];
        const auto second = static_cast<std::int64_t>(
            rng_.below(static_cast<std::uint32_t>(s::kWorkEndSeconds - s::kWorkStartSeconds)));
        out.push_back(day * 86400 + s::kWorkStartSeconds + second - s::kOfficeOffsetSeconds);
      }
    }
    std::sort(out.begin(), out.end());
  }

  std::int64_t snap_to_office(std::int64_t t) { return detail::snap_to_office(t, rng_); }

  std::int64_t draw_duration(std::int64_t median_seconds, std::uint32_t pace_per_mille) {
    const std::int64_t d = median_seconds * pace_per_mille / 1000 * draw_skew(rng_) / 1000;
    return std::max<std::int64_t>(d, 600);
  }

  std::uint32_t new_client(bool enterprise, std::uint8_t region) {
    Client c;
    c.name_index = static_cast<std::uint32_t>(clients_.size());
    c.region = region;
    c.enterprise = enterprise;
    clients_.push_back(c);
    return c.name_index;
  }

  std::string_view client_name(const Client& c) {
    const std::uint32_t i = c.name_index;
    const std::size_t roots = s::kClientRoots.size(), suffixes = s::kClientSuffixes.size();
    client_name_.clear();
    client_name_.append(!c.enterprise ? "ООО «" : (i % 3 == 0 ? "ПАО «" : "АО «"));
    client_name_.append(s::kClientRoots[i % roots]);
    client_name_.push_back('-');
    client_name_.append(s::kClientSuffixes[i / roots % suffixes]);
    if (i >= roots * suffixes) {
      client_name_.push_back(' ');
      client_name_.append(std::to_string(i / (roots * suffixes) + 1));
    }
    client_name_.append("»");
    return client_name_;
  }

  Status generate_deal(std::int64_t created) {
    const std::uint64_t id = ++summary_.deals;

    // The client: a returning one (often one that bought before) or a new one.
    std::uint32_t ci;
    if (!won_clients_.empty() && rng_.chance(s::kReturningWonClientPer10000)) {
      ci = won_clients_[rng_.below64(won_clients_.size())];
    } else if (!clients_.empty() && rng_.chance(s::kReturningAnyClientPer10000)) {
      ci = static_cast<std::uint32_t>(rng_.below64(clients_.size()));
    } else {
      const bool enterprise = rng_.chance(s::kEnterpriseNewPer10000);
      ci = new_client(enterprise, static_cast<std::uint8_t>(rng_.pick(s::kRegionWeights)));
    }
    const bool repeat = clients_[ci].first_won < created;
    const bool enterprise = clients_[ci].enterprise;

    const std::uint32_t inbound_chance =
        repeat ? s::kInboundRepeatPer10000
               : (enterprise ? s::kInboundEnterprisePer10000 : s::kInboundSmbPer10000);
    const bool inbound = rng_.chance(inbound_chance);

    std::uint8_t manager;
    if (repeat) {
      manager = rng_.chance(s::kAccountOwnerKeepsPer10000) ? clients_[ci].account_manager
                                                           : pool(s::Role::account).pick(rng_);
    } else if (enterprise) {
      manager = pool(s::Role::enterprise).pick(rng_);
    } else {
      manager = pool(inbound ? s::Role::inbound : s::Role::outbound).pick(rng_);
    }
    const s::ManagerProfile& profile = s::kManagers[manager];

    const std::size_t product =
        rng_.pick(repeat       ? std::span<const std::uint32_t>(s::kProductWeightsRepeat)
                  : enterprise ? std::span<const std::uint32_t>(s::kProductWeightsEnterpriseNew)
                               : std::span<const std::uint32_t>(s::kProductWeightsSmbNew));
    const std::size_t source =
        inbound ? rng_.pick(s::kInboundSourceWeights) : rng_.pick(s::kOutboundSourceWeights);

    std::int64_t rub = s::kProducts[product].base_rub * (enterprise ? s::kEnterpriseAmount : 1000) / 1000 *
                       draw_skew(rng_) / 1000;
    rub = std::max<std::int64_t>(5000, (rub + 50) / 100 * 100);
    std::int64_t minor = rub * 100;
    if (rng_.chance(s::kKopecksPer10000)) minor += rng_.below(100 * 100);

    const int lost_from = walk(created, enterprise, profile);
    const SampleStageEvent& last = events_[static_cast<std::size_t>(event_count_ - 1)];

    if (last.stage == s::kWon) {
      ++summary_.won;
      Client& c = clients_[ci];
      if (c.first_won == kNever) {
        won_clients_.push_back(ci);
        c.account_manager =
            (enterprise && profile.role == s::Role::enterprise) ? manager : pool(s::Role::account).pick(rng_);
      }
      c.first_won = std::min(c.first_won, last.at.unix_seconds());
    } else if (last.stage >= s::kLose) {
      ++summary_.lost;
    } else {
      ++summary_.open;
    }
    if (repeat) ++summary_.repeat;

    SampleDeal deal;
    deal.id = id;
    deal.created = Instant::from_unix_seconds(created);
    deal.pipeline = options_.pipeline_id;
    deal.currency = "RUB";
    deal.amount = minor;
    deal.manager = manager;
    deal.manager_name = profile.name;
    deal.region = s::kRegions[clients_[ci].region];
    deal.product = s::kProducts[product].name;
    deal.tier = enterprise ? "Enterprise" : "SMB";
    deal.channel = inbound ? "inbound" : "outbound";
    deal.business = repeat ? "repeat" : "new";
    deal.source = inbound ? s::kInboundSources[source] : s::kOutboundSources[source];
    deal.client = client_name(clients_[ci]);
    if (last.stage >= s::kLose) {
      // The reason is drawn only for deals that end lost, so it matches the stage they were lost from.
      const bool early = lost_from <= s::kPreparation;
      const std::size_t r = early ? rng_.pick(s::kEarlyLossWeights) : rng_.pick(s::kLateLossWeights);
      deal.lost_reason = early ? s::kEarlyLossReasons[r] : s::kLateLossReasons[r];
    }
    deal.closed = last.stage >= s::kWon;
    if (deal.closed) deal.closed_at = last.at;
    deal.history = std::span<const SampleStageEvent>(events_.data(), static_cast<std::size_t>(event_count_));

    // The field history comes from its own stream: the draws above are exactly those of the
    // generator before field history existed, so deals.csv and history.csv keep their bytes.
    detail::FieldHistoryInput in;
    in.period_end = end_;
    in.history = deal.history;
    in.manager = manager;
    in.pool = pools_[static_cast<std::size_t>(profile.role)].managers;
    in.amount = minor;
    in.enterprise = enterprise;
    fields_.draw(in, field_history_);
    deal.close_date = field_history_.close_date;
    deal.probability = field_history_.probability;
    deal.field_changes =
        std::span<const SampleFieldChange>(field_history_.changes.data(), field_history_.count);
    summary_.events += static_cast<std::uint64_t>(event_count_);
    summary_.field_changes += field_history_.count;
    summary_.reassigned += field_history_.reassigned ? 1 : 0;
    summary_.close_date_pushes += static_cast<std::uint64_t>(field_history_.pushes);
    summary_.amount_changes += static_cast<std::uint64_t>(field_history_.amount_changes);
    return visit_(deal);
  }

  // Moves the deal through the pipeline from its creation until it is won,
  // lost (and maybe reopened once) or the period ends. Fills events_; returns
  // the open stage the deal was last lost from (or -1).
  int walk(std::int64_t created, bool enterprise, const s::ManagerProfile& profile) {
    event_count_ = 0;
    add_event(created, s::kNew);
    std::int64_t t = created;
    int stage = s::kNew;
    int backs = 0;
    bool reopened = false;
    int lost_from = -1;
    const std::uint32_t pace = profile.pace * (enterprise ? s::kEnterprisePace : 1000) / 1000;
    const std::uint32_t loss_factor = profile.loss * (enterprise ? s::kEnterpriseLoss : 1000) / 1000;
    while (event_count_ + 2 < static_cast<int>(events_.size())) {
      const auto k = static_cast<std::size_t>(stage);
      const std::int64_t next = snap_to_office(t + draw_duration(s::kStageMedianSeconds[k], pace));
      if (next >= end_) break;
      const std::uint32_t loss = std::min<std::uint32_t>(9000, s::kLossPer10000[k] * loss_factor / 1000);
      std::uint32_t r = rng_.below(10000);
      if (r < loss) {
        const std::uint8_t lost = rng_.chance(s::kLoseNotApologyPer10000) ? s::kLose : s::kApology;
        add_event(next, lost);
        lost_from = stage;
        t = next;
        if (lost == s::kLose && !reopened && rng_.chance(s::kReopenPer10000)) {
          const std::int64_t again = snap_to_office(t + draw_duration(s::kReopenMedianSeconds, 1000));
          if (again < end_) {
            add_event(again, s::kNew);
            ++summary_.reopened;
            reopened = true;
            stage = s::kNew;
            t = again;
            continue;
          }
        }
        break;
      }
      r -= loss;
      int to;
      if (r < s::kBackPer10000[k] && backs < s::kMaxBackwardMoves) {
        to = stage - 1;
        ++backs;
        ++summary_.backward_moves;
      } else if (r >= s::kBackPer10000[k] && r - s::kBackPer10000[k] < s::kSkipPer10000[k]) {
        to = stage + 2;
        ++summary_.skipped_moves;
      } else {
        to = stage + 1;
      }
      add_event(next, static_cast<std::uint8_t>(to));
      t = next;
      stage = to;
      if (to == s::kWon) break;
    }
    return lost_from;
  }

  void add_event(std::int64_t at, std::uint8_t stage) {
    events_[static_cast<std::size_t>(event_count_++)] =
        SampleStageEvent{Instant::from_unix_seconds(at), stage};
  }

  const Pool& pool(s::Role role) const { return pools_[static_cast<std::size_t>(role)]; }

  const SampleOptions& options_;
  SampleRandom rng_;
  detail::FieldHistoryGenerator fields_;
  const SampleVisitor& visit_;
  std::array<Pool, 4> pools_;
  std::string client_name_;
  detail::FieldHistory field_history_;
  std::vector<Client> clients_;
  std::vector<std::uint32_t> won_clients_;
  std::vector<std::int64_t> office_days_;
  std::array<SampleStageEvent, 48> events_{};
  int event_count_ = 0;
  std::int64_t end_ = 0;
  SampleSummary summary_;
};

}  // namespace

Status validate_sample_options(const SampleOptions& options) {
  if (options.deals < 1 || options.deals > kMaxDeals)
    return Status(ErrorCode::invalid_argument,
                  "deals " + std::to_string(options.deals) + " out of range: expected 1 .. 100000000");
  if (options.months < 1 || options.months > 120)
    return Status(ErrorCode::invalid_argument,
                  "months " + std::to_string(options.months) + " out of range: expected 1 .. 120");
  // Every instant must load: the event log holds [1970-01-01, 2106-02-07T06:28:15Z]
  // (u32 seconds since the epoch), and no event is at or after the period's end.
  const Date last_end(static_cast<std::int32_t>(0xFFFFFFFFll / 86400));  // 2106-02-07
  if (options.from.year() < 1971 || options.from > last_end)
    return Status(ErrorCode::invalid_argument, "from " + options.from.to_string() +
                                                   " out of range: expected a date in 1971-01-01 .. " +
                                                   last_end.to_string() + " (what the event log can hold)");
  if (const Date end = add_months(options.from, options.months); end > last_end)
    return Status(ErrorCode::invalid_argument,
                  "from " + options.from.to_string() + " and months " + std::to_string(options.months) +
                      " end the period at " + end.to_string() + ": expected it to end by " +
                      last_end.to_string() + " (the event log holds instants up to 2106-02-07T06:28:15Z)");
  if (options.pipeline_id.empty() || options.pipeline_id.find_first_of("\r\n") != std::string::npos)
    return Status(ErrorCode::invalid_argument, "pipeline id '" + options.pipeline_id +
                                                   "' is not valid: expected a non-empty single-line id");
  return {};
}

Result<SampleSummary> visit_sample(const SampleOptions& options, const SampleVisitor& visit) {
  DEALFLOW_RETURN_IF_ERROR(validate_sample_options(options));
  Generator generator(options, visit);
  return generator.run();
}

std::span<const SampleStage> sample_stages() noexcept {
  static const std::array<SampleStage, 8> stages = [] {
    std::array<SampleStage, 8> out{};
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] =
          SampleStage{s::kStageIds[i], s::kStageNames[i],
                      i < s::kOpenStages ? "open" : (i == s::kWon ? "won" : "lost"), s::kStageProbability[i]};
    return out;
  }();
  return stages;
}

std::span<const std::string_view> sample_managers() noexcept {
  static const std::array<std::string_view, s::kManagers.size()> names = [] {
    std::array<std::string_view, s::kManagers.size()> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = s::kManagers[i].name;
    return out;
  }();
  return names;
}

std::string_view to_string(SampleField field) noexcept {
  switch (field) {
    case SampleField::manager:
      return "manager";
    case SampleField::amount:
      return "amount";
    case SampleField::close_date:
      return "close_date";
    case SampleField::probability:
      return "probability";
  }
  return "";
}

}  // namespace dealflow::analytics
