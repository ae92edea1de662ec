// Pipeline movement over random histories (two pipelines with moves between
// them, reopened deals, close dates pushed, pulled, set and cleared, amounts
// changed, changed in currency and cleared, changes at the instant of a stage
// event): the identity start + flows = end holds exactly in every section, in
// counts and in minor units, and every deal listed in a bar made that
// movement, as replayed here from the definitions in docs/movement.md.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "dealflow/analytics/movement.h"
#include "dealflow/analytics/movement_output.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::small_pipeline;
using testing::stage;

const Pipeline& service() {
  static const LoadedPipeline p = small_pipeline("service");
  return p.pipeline;
}

struct World {
  EventLog log;
  MovementQuery query;
};

World random_world(std::uint64_t seed, std::size_t deals) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  World w;
  EventLog& log = w.log;
  const PipelineId sales = log.intern_pipeline("sales"), svc = log.intern_pipeline("service");
  const Currency currencies[] = {Currency::of("RUB"), Currency::of("RUB"), Currency::of("USD")};
  const std::int64_t t0 = at("2024-03-01T00:00:00Z").unix_seconds();
  const std::int32_t d0 = Date::parse("2024-02-01").value().days_since_epoch();
  auto random_date = [&]() -> std::optional<Date> {
    if (pick(8) == 0) return std::nullopt;
    return Date(d0 + static_cast<std::int32_t>(pick(240)));
  };
  auto random_amount = [&]() -> std::optional<Money> {
    if (pick(8) == 0) return std::nullopt;
    return Money(static_cast<std::int64_t>(pick(1'000'000)), currencies[pick(3)]);
  };
  for (std::size_t i = 0; i < deals; ++i) {
    const Instant created = Instant::from_unix_seconds(t0 + static_cast<std::int64_t>(pick(120 * 86400)));
    auto d = *log.add_deal("R" + std::to_string(i), pick(4) ? sales : svc, created, random_amount());
    log.set_close_date(d, random_date());
    bool in_sales = log.pipeline(d) == sales;
    std::vector<Instant> times;
    std::int64_t t = created.unix_seconds() + (pick(3) == 0 ? 0 : static_cast<std::int64_t>(pick(3600)));
    StageId current;
    const int events = 1 + static_cast<int>(pick(7));
    for (int k = 0; k < events; ++k) {
      const Instant when = Instant::from_unix_seconds(t);
      if (k > 0 && pick(8) == 0) {  // a move to the other pipeline, entering its first stage
        in_sales = !in_sales;
        EXPECT_TRUE(log.add_pipeline_move(d, when, in_sales ? sales : svc).ok());
        current = StageId{0};
      } else if (in_sales) {
        const bool closed = current.valid() && fixture_pipeline().is_terminal(current);
        current = closed ? stage("NEW") : StageId{static_cast<std::uint16_t>(pick(7))};
      } else {
        const bool closed = current.valid() && current.value() > 0;
        current = closed ? StageId{0} : StageId{static_cast<std::uint16_t>(pick(3))};
      }
      EXPECT_TRUE(log.append_event(d, when, current).ok());
      times.push_back(when);
      t += 1 + static_cast<std::int64_t>(pick(20 * 86400));
    }
    const int changes = static_cast<int>(pick(6));
    for (int k = 0; k < changes; ++k) {
      // Half of the changes at the instant of a stage event.
      const Instant when = pick(2) ? times[pick(times.size())]
                                   : created + Duration(static_cast<std::int64_t>(pick(100 * 86400)));
      if (pick(2)) {
        EXPECT_TRUE(log.add_close_date_change(d, when, random_date()).ok());
      } else {
        EXPECT_TRUE(log.add_amount_change(d, when, random_amount()).ok());
      }
    }
  }
  log.seal();
  w.query.from = Instant::from_unix_seconds(t0 + static_cast<std::int64_t>(pick(60 * 86400)));
  w.query.to = w.query.from + Duration(static_cast<std::int64_t>(1 + pick(90 * 86400)));
  w.query.scope = pick(4) ? MovementScope::close_in_period : MovementScope::all_open;
  w.query.utc_offset_minutes = pick(3) ? 0 : 180;
  return w;
}

// ---- the oracle: the definitions of docs/movement.md, replayed plainly -----

enum class Was { absent, elsewhere, open, won, lost };

struct Sit {
  Was was = Was::absent;
  bool member = false;
  std::optional<Date> close;
  std::optional<Money> amount;
};

Sit oracle(const EventLog& log, const Pipeline& p, const MovementQuery& q, DealId d, Instant t) {
  Sit s;
  if (log.created_at(d) > t) return s;
  std::size_t last = log.event_end(d);
  for (std::size_t i = log.event_begin(d); i < log.event_end(d); ++i)
    if (log.event_at(i) <= t) last = i;
  if (last == log.event_end(d)) return s;
  s.was = Was::elsewhere;
  s.close = log.close_date_as_of(d, t);
  s.amount = log.amount_as_of(d, t);
  const EventLog::PipelineStay stay = log.stay_as_of(d, log.to_log_seconds(t));
  if (log.pipelines().at(stay.pipeline.value()) != p.id() || stay.begin > last) return s;
  if (log.event_stage(last).value() >= p.stage_count()) return s;
  const StageKind kind = p.kind(log.event_stage(last));
  s.was = kind == StageKind::won ? Was::won : kind == StageKind::lost ? Was::lost : Was::open;
  const auto in_period = [&](Date c) {
    const Instant m = Instant::at_midnight(c, q.utc_offset_minutes);
    return q.from <= m && m < q.to;
  };
  s.member = s.was == Was::open && (q.scope == MovementScope::all_open || (s.close && in_period(*s.close)));
  return s;
}

std::string section_of(const std::optional<Money>& m) {
  return m ? std::string(m->currency().code()) : std::string("-");
}

using Key = std::pair<std::string, std::string>;  // (section, bar)
struct Expected {
  std::map<Key, std::multiset<std::string>> listed;  // entries, exits, levels, currency changes
  std::map<Key, std::int64_t> amount;
  std::map<std::string, std::set<std::string>> amount_changed;  // section -> deals
};

Expected replay(const EventLog& log, const Pipeline& p, const MovementQuery& q) {
  Expected e;
  const Instant start = q.from - Duration(1), end = q.to - Duration(1);
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    const std::string id(log.deal_key(d));
    auto record = [&](const std::string& section, const char* bar, std::int64_t amount) {
      e.listed[{section, bar}].insert(id);
      e.amount[{section, bar}] += amount;
    };
    auto minor = [](const std::optional<Money>& m) { return m ? m->minor_units() : 0; };
    std::set<Instant> instants = {log.created_at(d)};
    for (std::size_t k = log.event_begin(d); k < log.event_end(d); ++k) instants.insert(log.event_at(k));
    for (std::size_t k = log.field_change_begin(d); k < log.field_change_end(d); ++k)
      instants.insert(log.field_change_at(k));
    for (const auto& m : log.pipeline_moves(d)) instants.insert(log.time_base() + Duration(m.at));
    Sit before = oracle(log, p, q, d, start);
    if (before.member) record(section_of(before.amount), "start", minor(before.amount));
    for (const Instant t : instants) {
      if (t < q.from || t >= q.to) continue;
      const Sit after = oracle(log, p, q, d, t);
      auto date_bar = [&](const std::optional<Date>& c, const char* none, const char* later,
                          const char* earlier) {
        if (!c) return none;
        return Instant::at_midnight(*c, q.utc_offset_minutes) >= q.to ? later : earlier;
      };
      if (!before.member && after.member) {
        const char* bar = before.was == Was::absent      ? "created"
                          : before.was == Was::elsewhere ? "moved_in"
                          : before.was == Was::won || before.was == Was::lost
                              ? "reopened"
                              : date_bar(before.close, "dated", "pulled_in", "slipped_in");
        record(section_of(after.amount), bar, minor(after.amount));
      } else if (before.member) {
        const std::string sb = section_of(before.amount), sa = section_of(after.amount);
        if (sb != sa) {
          record(sb, "currency_changed", -minor(before.amount));
          record(sa, "currency_changed", minor(after.amount));
        } else if (minor(before.amount) != minor(after.amount)) {
          e.amount_changed[sa].insert(id);
          e.amount[{sa, "amount_changed"}] += minor(after.amount) - minor(before.amount);
        }
        if (!after.member) {
          const char* bar = after.was == Was::elsewhere ? "moved_out"
                            : after.was == Was::won     ? "won"
                            : after.was == Was::lost
                                ? "lost"
                                : date_bar(after.close, "undated", "slipped_out", "pulled_out");
          record(sa, bar, -minor(after.amount));
        }
      }
      before = after;
    }
    const Sit last = oracle(log, p, q, d, end);
    if (last.member) record(section_of(last.amount), "end", minor(last.amount));
  }
  return e;
}

void check(const World& w, const Pipeline& p, std::uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed) + " pipeline " + p.id());
  auto r = compute_pipeline_movement(w.log, p, w.query);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  const Expected e = replay(w.log, p, w.query);
  const Json json = movement_to_json(*r);
  std::map<Key, std::multiset<std::string>> listed;
  std::map<Key, std::int64_t> amount;
  std::map<std::string, std::set<std::string>> amount_changed;
  for (std::size_t si = 0; si < r->sections.size(); ++si) {
    const MovementSection& s = r->sections[si];
    const std::string section = s.currency ? std::string(s.currency->code()) : "-";
    EXPECT_TRUE(s.identity_holds()) << section;
    EXPECT_TRUE(json["currencies"][si]["identity"]["count"]["holds"].get<bool>());
    EXPECT_TRUE(json["currencies"][si]["identity"]["amount"]["holds"].get<bool>());
    std::int64_t count = 0, money = 0;
    for (const MovementFigures& f : s.bars) {
      const std::string bar(movement_bar_name(f.bar));
      if (f.bar != MovementBar::end) count += f.count, money += f.amount;
      if (!s.currency) {
        EXPECT_EQ(f.amount, 0);
      }
      if (f.amount != 0) amount[{section, bar}] = f.amount;
      if (f.bar == MovementBar::amount_changed) {
        EXPECT_EQ(f.count, 0);
        const std::set<std::string> ids(f.deals.begin(), f.deals.end());
        EXPECT_EQ(ids.size(), f.deals.size()) << "listed once";
        if (!ids.empty()) amount_changed[section] = ids;
        continue;
      }
      const MovementBarKind kind = movement_bar_kind(f.bar);
      if (kind == MovementBarKind::entry || kind == MovementBarKind::level) {
        EXPECT_EQ(f.count, std::ssize(f.deals));
      } else if (kind == MovementBarKind::exit) {
        EXPECT_EQ(f.count, -std::ssize(f.deals));
      }
      if (!f.deals.empty()) listed[{section, bar}].insert(f.deals.begin(), f.deals.end());
    }
    EXPECT_EQ(count, s.bar(MovementBar::end).count);
    EXPECT_EQ(money, s.bar(MovementBar::end).amount);
  }
  EXPECT_EQ(listed, e.listed);
  std::map<Key, std::int64_t> expected_amount;
  for (const auto& [k, v] : e.amount)
    if (v != 0) expected_amount[k] = v;
  EXPECT_EQ(amount, expected_amount);
  EXPECT_EQ(amount_changed, e.amount_changed);
}

TEST(MovementProperty, IdentityAndEveryListedDealMadeItsMovement) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const World w = random_world(seed, 150);
    check(w, fixture_pipeline(), seed);
    check(w, service(), seed);
  }
}

TEST(MovementProperty, EveryBarOccursSomewhere) {
  // The generator is rich enough that no bar is dead in the property test.
  std::set<MovementBar> seen;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    World w = random_world(seed, 150);
    w.query.scope = MovementScope::close_in_period;
    auto r = compute_pipeline_movement(w.log, fixture_pipeline(), w.query);
    ASSERT_TRUE(r.ok());
    for (const auto& s : r->sections)
      for (const auto& f : s.bars)
        if (!f.deals.empty()) seen.insert(f.bar);
  }
  EXPECT_EQ(seen.size(), kMovementBarCount);
}

}  // namespace
}  // namespace dealflow::analytics
