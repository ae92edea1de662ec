// Pipeline movement over random histories (two pipelines with moves between
// them, reopened deals, close dates pushed, pulled, set and cleared, amounts
// changed, changed in currency and cleared, changes at the instant of a stage
// event): the identity start + flows = end holds exactly in every section, in
// counts and in minor units, and every deal listed in a bar made that
// movement, as replayed here from the definitions in docs/movement.md; also
// period to date, at random as_of instants (some exactly at a change).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "dealflow/analytics/movement.h"
#include "dealflow/analytics/movement_output.h"
#include "movement_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::fixture_pipeline;
using testing::random_world;
using testing::service;
using testing::World;

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
  const Instant changes_end = q.as_of ? *q.as_of : q.to;
  const Instant start = q.from - Duration(1), end = changes_end - Duration(1);
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
      if (t < q.from || t >= changes_end) continue;
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

TEST(MovementProperty, PeriodToDateAtRandomAsOf) {
  std::size_t at_a_change = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    World w = random_world(seed, 150);
    w.query.as_of = testing::random_as_of(w, seed);
    for (std::size_t i = 0; i < w.log.event_count(); ++i)
      if (w.log.event_at(i) == *w.query.as_of) ++at_a_change;
    auto r = compute_pipeline_movement(w.log, fixture_pipeline(), w.query);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->end_as_of, *w.query.as_of - Duration(1));
    check(w, fixture_pipeline(), seed);
    check(w, service(), seed);
  }
  EXPECT_GT(at_a_change, 0u);  // the exclusive bound is exercised
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
