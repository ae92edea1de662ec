// The sample generator: see dealflow/analytics/sample.h and docs/sample-data.md.
#include "dealflow/analytics/sample.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <vector>

#include "analytics/sample_catalog.h"
#include "analytics/sample_random.h"
#include "dealflow/io/csv.h"

namespace dealflow::analytics {
namespace {

using detail::SampleRandom;
namespace s = detail::sample;

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kChunkBytes = 1 << 20;
constexpr std::uint64_t kMaxDeals = 100'000'000;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Accumulates CSV text and hands it to the sink in chunks of ~1 MiB.
class ChunkWriter {
 public:
  explicit ChunkWriter(const SampleSink& sink) : sink_(sink) { buf_.reserve(kChunkBytes + 4096); }

  void put(std::string_view text) { buf_.append(text); }
  void put(char c) { buf_.push_back(c); }
  void put_uint(std::uint64_t v) {
    char tmp[24];
    char* end = tmp + sizeof tmp;
    char* p = end;
    do {
      *--p = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    buf_.append(p, static_cast<std::size_t>(end - p));
  }
  // "2024-03-01T10:15:00Z"
  void put_iso(std::int64_t unix_seconds) {
    const std::int64_t days = floor_div(unix_seconds, 86400);
    const std::int64_t sod = unix_seconds - days * 86400;
    const Date d(static_cast<std::int32_t>(days));
    char out[20];
    put_digits(out, 4, d.year());
    out[4] = '-';
    put_digits(out + 5, 2, d.month());
    out[7] = '-';
    put_digits(out + 8, 2, d.day());
    out[10] = 'T';
    put_digits(out + 11, 2, static_cast<int>(sod / 3600));
    out[13] = ':';
    put_digits(out + 14, 2, static_cast<int>(sod / 60 % 60));
    out[16] = ':';
    put_digits(out + 17, 2, static_cast<int>(sod % 60));
    out[19] = 'Z';
    buf_.append(out, sizeof out);
  }
  // Non-negative minor units with two fraction digits: "125400.00".
  void put_amount(std::int64_t minor) {
    put_uint(static_cast<std::uint64_t>(minor / 100));
    char frac[3] = {'.', static_cast<char>('0' + minor % 100 / 10), static_cast<char>('0' + minor % 10)};
    buf_.append(frac, 3);
  }

  Status end_row() {
    buf_.push_back('\n');
    return buf_.size() >= kChunkBytes ? flush() : Status();
  }
  Status flush() {
    if (buf_.empty()) return {};
    bytes_ += buf_.size();
    Status st = sink_(buf_);
    buf_.clear();
    return st;
  }
  std::uint64_t bytes() const noexcept { return bytes_ + buf_.size(); }

 private:
  static void put_digits(char* out, int width, int value) {
    for (int i = width - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  }

  const SampleSink& sink_;
  std::string buf_;
  std::uint64_t bytes_ = 0;
};

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

// The sample office's working days: Monday–Friday except fixed Russian public
// holidays (1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November).
bool is_office_day(std::int64_t days) {
  const std::int64_t iso_weekday = ((days % 7 + 7) % 7 + 3) % 7 + 1;
  if (iso_weekday >= 6) return false;
  const Date d(static_cast<std::int32_t>(days));
  const int m = d.month(), day = d.day();
  switch (m) {
    case 1:
      return day > 8;
    case 2:
      return day != 23;
    case 3:
      return day != 8;
    case 5:
      return day != 1 && day != 9;
    case 6:
      return day != 12;
    case 11:
      return day != 4;
    default:
      return true;
  }
}

// A skewed positive multiplier per mille (log-normal shaped, median 1000).
std::int64_t draw_skew(SampleRandom& rng) {
  const std::uint32_t u = rng.below(64 * 1024);
  const std::uint32_t i = u >> 10, frac = u & 1023;
  const std::int64_t lo = s::kSkewPerMille[i], hi = s::kSkewPerMille[i + 1];
  return lo + (hi - lo) * frac / 1024;
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

struct Event {
  std::int64_t at;
  std::uint8_t stage;
};

class Generator {
 public:
  Generator(const SampleOptions& options, ChunkWriter& deals, ChunkWriter& history)
      : options_(options), rng_(options.seed), deals_(deals), history_(history) {
    pipeline_ = csv_escape(options.pipeline_id);
    for (std::size_t i = 0; i < s::kManagers.size(); ++i) {
      Pool& pool = pools_[static_cast<std::size_t>(s::kManagers[i].role)];
      pool.managers.push_back(static_cast<std::uint8_t>(i));
      pool.weights.push_back(s::kManagers[i].capacity);
    }
    for (auto r : s::kEarlyLossReasons) early_reasons_.push_back(csv_escape(r));
    for (auto r : s::kLateLossReasons) late_reasons_.push_back(csv_escape(r));
  }

  Result<SampleSummary> run() {
    const Date end_date = add_months(options_.from, options_.months);
    end_ = static_cast<std::int64_t>(end_date.days_since_epoch()) * 86400;
    summary_.period_end = Instant::from_unix_seconds(end_);

    deals_.put(
        "id,created_at,pipeline,amount,currency,manager,region,product,tier,channel,business,source,client,"
        "lost_reason");
    DEALFLOW_RETURN_IF_ERROR(deals_.end_row());
    history_.put("deal_id,at,stage,pipeline,actor");
    DEALFLOW_RETURN_IF_ERROR(history_.end_row());

    const std::vector<std::uint64_t> per_month = deals_per_month();
    std::vector<std::int64_t> created;
    for (int m = 0; m < options_.months; ++m) {
      const std::int64_t first = add_months(options_.from, m).days_since_epoch();
      const std::int64_t last = add_months(options_.from, m + 1).days_since_epoch();
      draw_creation_instants(first, last, per_month[static_cast<std::size_t>(m)], created);
      for (std::int64_t at : created) DEALFLOW_RETURN_IF_ERROR(generate_deal(at));
    }
    DEALFLOW_RETURN_IF_ERROR(deals_.flush());
    DEALFLOW_RETURN_IF_ERROR(history_.flush());
    summary_.deals_bytes = deals_.bytes();
    summary_.history_bytes = history_.bytes();
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

  // The instant itself when it falls in office hours; otherwise the next office
  // morning plus up to two hours (people move deals when they come in).
  std::int64_t snap_to_office(std::int64_t t) {
    const std::int64_t local = t + s::kOfficeOffsetSeconds;
    std::int64_t day = floor_div(local, 86400);
    const std::int64_t sod = local - day * 86400;
    if (is_office_day(day)) {
      if (sod >= s::kWorkStartSeconds && sod < s::kWorkEndSeconds) return t;
      if (sod < s::kWorkStartSeconds)
        return day * 86400 + s::kWorkStartSeconds + rng_.below(7200) - s::kOfficeOffsetSeconds;
    }
    do {
      ++day;
    } while (!is_office_day(day));
    return day * 86400 + s::kWorkStartSeconds + rng_.below(7200) - s::kOfficeOffsetSeconds;
  }

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

  void put_client_name(const Client& c) {
    const std::uint32_t i = c.name_index;
    const std::size_t roots = s::kClientRoots.size(), suffixes = s::kClientSuffixes.size();
    deals_.put(!c.enterprise ? "ООО «" : (i % 3 == 0 ? "ПАО «" : "АО «"));
    deals_.put(s::kClientRoots[i % roots]);
    deals_.put('-');
    deals_.put(s::kClientSuffixes[i / roots % suffixes]);
    if (i >= roots * suffixes) {
      deals_.put(' ');
      deals_.put_uint(i / (roots * suffixes) + 1);
    }
    deals_.put("»");
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
    const Event& last = events_[static_cast<std::size_t>(event_count_ - 1)];

    if (last.stage == s::kWon) {
      ++summary_.won;
      Client& c = clients_[ci];
      if (c.first_won == kNever) {
        won_clients_.push_back(ci);
        c.account_manager =
            (enterprise && profile.role == s::Role::enterprise) ? manager : pool(s::Role::account).pick(rng_);
      }
      c.first_won = std::min(c.first_won, last.at);
    } else if (last.stage >= s::kLose) {
      ++summary_.lost;
    } else {
      ++summary_.open;
    }
    if (repeat) ++summary_.repeat;

    // deals.csv
    deals_.put_uint(id);
    deals_.put(',');
    deals_.put_iso(created);
    deals_.put(',');
    deals_.put(pipeline_);
    deals_.put(',');
    deals_.put_amount(minor);
    deals_.put(",RUB,");
    deals_.put(profile.name);
    deals_.put(',');
    deals_.put(s::kRegions[clients_[ci].region]);
    deals_.put(',');
    deals_.put(s::kProducts[product].name);
    deals_.put(enterprise ? ",Enterprise," : ",SMB,");
    deals_.put(inbound ? "inbound," : "outbound,");
    deals_.put(repeat ? "repeat," : "new,");
    deals_.put(inbound ? s::kInboundSources[source] : s::kOutboundSources[source]);
    deals_.put(',');
    put_client_name(clients_[ci]);
    deals_.put(',');
    if (last.stage >= s::kLose) {
      // The reason is drawn only for deals that end lost, so it matches the stage they were lost from.
      const bool early = lost_from <= s::kPreparation;
      const std::size_t r = early ? rng_.pick(s::kEarlyLossWeights) : rng_.pick(s::kLateLossWeights);
      deals_.put(early ? early_reasons_[r] : late_reasons_[r]);
    }
    DEALFLOW_RETURN_IF_ERROR(deals_.end_row());

    // history.csv
    for (int e = 0; e < event_count_; ++e) {
      const Event& ev = events_[static_cast<std::size_t>(e)];
      history_.put_uint(id);
      history_.put(',');
      history_.put_iso(ev.at);
      history_.put(',');
      history_.put(s::kStageIds[ev.stage]);
      history_.put(',');
      history_.put(pipeline_);
      history_.put(',');
      history_.put(profile.name);
      DEALFLOW_RETURN_IF_ERROR(history_.end_row());
    }
    summary_.events += static_cast<std::uint64_t>(event_count_);
    return {};
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
    events_[static_cast<std::size_t>(event_count_++)] = Event{at, stage};
  }

  const Pool& pool(s::Role role) const { return pools_[static_cast<std::size_t>(role)]; }

  const SampleOptions& options_;
  SampleRandom rng_;
  ChunkWriter& deals_;
  ChunkWriter& history_;
  std::string pipeline_;
  std::array<Pool, 4> pools_;
  std::vector<std::string> early_reasons_, late_reasons_;
  std::vector<Client> clients_;
  std::vector<std::uint32_t> won_clients_;
  std::vector<std::int64_t> office_days_;
  std::array<Event, 48> events_{};
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

Result<SampleSummary> generate_sample(const SampleOptions& options, const SampleSink& deals,
                                      const SampleSink& history) {
  DEALFLOW_RETURN_IF_ERROR(validate_sample_options(options));
  ChunkWriter deals_writer(deals), history_writer(history);
  Generator generator(options, deals_writer, history_writer);
  return generator.run();
}

Result<SampleCsv> generate_sample_csv(const SampleOptions& options) {
  SampleCsv csv;
  auto summary = generate_sample(
      options,
      [&](std::string_view chunk) {
        csv.deals.append(chunk);
        return Status();
      },
      [&](std::string_view chunk) {
        csv.history.append(chunk);
        return Status();
      });
  if (!summary) return summary.status();
  csv.summary = *summary;
  return csv;
}

}  // namespace dealflow::analytics
