// src/pipeline/engine_impl.h: the deal engine's state and logic (private),
// written once for both locking policies (engine_sync.h).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <mutex>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "dealflow/pipeline/engine.h"
#include "pipeline/engine_sync.h"
#include "pipeline/engine_tables.h"

namespace dealflow {
namespace detail {

// One live deal: 64 bytes, one cache line (no false sharing between deals
// locked by different threads).
struct alignas(64) DealRecord {
  std::uint8_t lock;  // ThreadSafe: the deal's spinlock
  std::uint8_t reserved0;
  std::uint16_t pipeline;
  std::uint16_t stage;
  std::uint16_t reserved1;
  std::uint32_t created_at;  // history offsets (seconds since the epoch)
  std::uint32_t entered_at;
  std::uint32_t last_at;
  std::uint32_t entries;  // stage entries so far; timers remember it
  std::int64_t amount;
  char currency[4];
  std::uint32_t owner;            // ManagerId value
  std::uint32_t client;           // ClientId value
  std::uint32_t probability_ppm;  // kNoValue = no override
  std::uint32_t source_deal;      // DealId value of the hand-off source, or kNoValue
  std::uint32_t last_shard;       // ThreadSafe: the shard (and seq in it) of the deal's last staged record
  std::uint64_t last_seq;         // 0: none
};
static_assert(sizeof(DealRecord) == 64);

struct Timer {
  std::int64_t due;  // unix seconds
  std::uint64_t seq;
  std::uint32_t deal;
  std::uint32_t entries;
  std::uint16_t pipeline;
  std::uint16_t stage;
  std::uint32_t action;  // index into EngineTables::actions
};
struct TimerLater {
  bool operator()(const Timer& a, const Timer& b) const noexcept {
    return a.due != b.due ? a.due > b.due : a.seq > b.seq;
  }
};

struct NamedCallback {
  std::string name;
  StageCallback fn;
};

// Stage entries whose callbacks run once the deal is released.
struct PendingNotices {
  std::vector<MoveNotice> notices;
};

Money to_money(const DealRecord& r) noexcept;
void set_money(DealRecord& r, Money m) noexcept;

// Cold helpers that format refusal messages (engine_messages.cpp).
std::string describe_stage(const EngineTables& t, std::uint16_t pipeline, std::uint16_t stage);
std::string describe_move_refusal(const EngineTables& t, Refusal refusal, DealId deal, std::uint16_t pipeline,
                                  StageId from, StageId to);
std::string describe_guard_failure(const EngineTables& t, const CompiledGuard& g, DealId deal,
                                   std::uint16_t pipeline, StageId from, StageId to, ManagerId actor,
                                   Money amount, bool threw, const std::string& what);

}  // namespace detail

template <class Policy>
struct BasicEngine<Policy>::Impl {
  using S = detail::Sync<Policy>;
  using Record = detail::DealRecord;

  detail::EngineTables t;
  std::function<Instant()> clock;
  BusinessCalendar calendar;
  History history;
  detail::SegmentedLog<Record, 12> deals;  // 256 KiB segments, up to 2^28 deals
  detail::SegmentedLog<ValueCode, 16> attrs;
  std::size_t stride = 1;  // attribute slots per deal, a power of two
  bool any_callbacks = false;

  std::vector<Dictionary> values;
  mutable typename S::Mutex values_mutex;
  typename S::Mutex create_mutex;

  // History staging (ThreadSafe; see publish_history). `shards_mutex` guards
  // `shards`, `merge_end`, `merge_pos` and serializes merges.
  std::uint64_t uid = 0;
  std::mutex shards_mutex;
  std::vector<std::unique_ptr<detail::HistoryShard>> shards;
  std::vector<std::uint64_t> merge_end;  // per shard: published records seen by the merge
  std::vector<std::uint64_t> merge_pos;  // per shard: records merged

  std::priority_queue<detail::Timer, std::vector<detail::Timer>, detail::TimerLater> timers;
  std::uint64_t timer_seq = 0;
  mutable typename S::Mutex timers_mutex;

  std::vector<std::vector<detail::NamedCallback>> stage_callbacks;  // per stage code
  std::vector<detail::NamedCallback> entry_callbacks;
  std::vector<HandoffLink> links;
  mutable typename S::Mutex links_mutex;
  std::vector<AutomationFailure> failures;
  mutable typename S::Mutex failures_mutex;

  Impl(detail::EngineTables tables, EngineOptions& options, std::vector<Dictionary> dictionaries)
      : t(std::move(tables)),
        clock(std::move(options.clock)),
        calendar(std::move(options.calendar)),
        history(t.codes, t.attribute_slots, options.history_epoch),
        values(std::move(dictionaries)) {
    while (stride < t.attribute_slots) stride <<= 1;
    if constexpr (S::kThreadSafe) uid = detail::g_next_engine_uid.fetch_add(1, std::memory_order_relaxed);
    stage_callbacks.resize(t.codes.code_count());
    if (options.expected_events) history.reserve(options.expected_events);
    if (options.expected_deals) {
      deals.reserve(options.expected_deals);
      attrs.reserve(options.expected_deals * stride);
    }
  }

  // ---------------------------------------------------------------- helpers
  struct DealLock {
    Record& r;
    explicit DealLock(Record& rec) noexcept : r(rec) { S::lock_byte(r.lock); }
    ~DealLock() { S::unlock_byte(r.lock); }
  };

  Instant now() const {
    if (clock) return clock();
    return Instant::from_unix_seconds(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
  }
  ValueCode* deal_attrs(DealId id) noexcept { return &attrs.mutable_at(std::size_t{id.value()} * stride); }
  std::uint16_t code(std::uint16_t pipeline, std::uint16_t stage) const noexcept {
    return static_cast<std::uint16_t>(t.pipelines[pipeline].code_offset + stage);
  }
  static std::uint16_t actor_code(ManagerId actor) noexcept {
    return actor.valid() ? static_cast<std::uint16_t>(actor.value()) : kSystemActor;
  }
  static bool actor_fits(ManagerId actor) noexcept { return !actor.valid() || actor.value() < kSystemActor; }

  // ------------------------------------------------------- history staging
  // SingleWriter appends straight to `history`. ThreadSafe appends to the
  // calling thread's shard (engine_sync.h) and publish_history() merges the
  // shards into `history` when a reader asks or a shard fills up.
  static constexpr std::uint64_t kShardFlush = 512;  // unmerged records that trigger a merge

  // The calling thread's shard (ThreadSafe).
  detail::HistoryShard& my_shard() {
    detail::ShardSlot* slots = detail::t_shard_slots;
    if (slots[0].engine == uid) [[likely]]
      return *slots[0].shard;
    return find_shard();
  }
  [[gnu::cold, gnu::noinline]] detail::HistoryShard& find_shard() {
    detail::ShardSlot* slots = detail::t_shard_slots;
    detail::HistoryShard* found = nullptr;
    int at_slot = detail::kShardSlots - 1;
    for (int i = 1; i < detail::kShardSlots; ++i)
      if (slots[i].engine == uid) {
        found = slots[i].shard;
        at_slot = i;
        break;
      }
    if (!found) {
      std::lock_guard<std::mutex> g(shards_mutex);
      const std::thread::id me = std::this_thread::get_id();
      for (const auto& sh : shards)
        if (sh->owner == me) found = sh.get();  // evicted from the cache earlier
      if (!found) {
        shards.push_back(std::make_unique<detail::HistoryShard>());
        found = shards.back().get();
        found->owner = me;
        found->index = static_cast<std::uint32_t>(shards.size() - 1);
        merge_end.push_back(0);
        merge_pos.push_back(0);
      }
    }
    for (int i = at_slot; i > 0; --i) slots[i] = slots[i - 1];  // most recent first
    slots[0] = {uid, found};
    return *found;
  }

  // Appends the history records of one operation on one LOCKED deal, and
  // publishes them (ThreadSafe) before the deal is released.
  class HistoryWriter {
   public:
    HistoryWriter(Impl& m, Record& rec) : m_(m), rec_(rec) {
      if constexpr (S::kThreadSafe) shard_ = &m.my_shard();
    }
    HistoryWriter(const HistoryWriter&) = delete;
    HistoryWriter& operator=(const HistoryWriter&) = delete;
    ~HistoryWriter() {
      if constexpr (S::kThreadSafe) {
        detail::HistoryShard& sh = *shard_;
        sh.published.store(sh.written, std::memory_order_release);
        if (sh.written - sh.known_consumed >= kShardFlush) [[unlikely]] {
          sh.known_consumed = sh.consumed.load(std::memory_order_acquire);
          if (sh.written - sh.known_consumed >= kShardFlush) {
            try {
              m_.publish_history(false);
            } catch (...) {  // out of memory: the records stay staged, the next merge retries
            }
          }
        }
      }
    }
    // The index of the appended stage event (SingleWriter); ~0 when staged.
    std::size_t event(const HistoryEvent& e) {
      if constexpr (S::kThreadSafe) {
        reserve(1);
        stage(detail::StagedRecord::stage_event).event = e;
        return ~std::size_t{0};
      } else {
        return m_.history.append(e);
      }
    }
    void field(const FieldEvent& e) {
      if constexpr (S::kThreadSafe) {
        reserve(1);
        stage(detail::StagedRecord::field_event).field = e;
      } else {
        m_.history.append_field(e);
      }
    }
    // A builtin amount event: its value is the money table index of `amount`.
    void amount(FieldEvent e, Money amount) {
      if constexpr (S::kThreadSafe) {
        reserve(2);
        stage(detail::StagedRecord::amount_event).field = e;
        detail::HistoryShard& sh = *shard_;
        detail::StagedRecord& p = sh.ring[sh.written++ & (detail::HistoryShard::kCapacity - 1)];
        p.kind = detail::StagedRecord::money_payload;
        p.after_seq = 0;
        std::memcpy(p.money, &amount, sizeof(Money));
      } else {
        e.value = m_.history.append_money(amount);
        m_.history.append_field(e);
      }
    }

   private:
    // Makes room for `k` records: when the ring is full, publishes what this
    // operation wrote so far and merges (the deal stays locked: its earlier
    // records are all published, so the merge can always drain the ring).
    void reserve(std::uint64_t k) {
      detail::HistoryShard& sh = *shard_;
      while (sh.written + k - sh.known_consumed > detail::HistoryShard::kCapacity) [[unlikely]] {
          sh.known_consumed = sh.consumed.load(std::memory_order_acquire);
          if (sh.written + k - sh.known_consumed <= detail::HistoryShard::kCapacity) break;
          sh.published.store(sh.written, std::memory_order_release);
          m_.publish_history(true);
        }
    }
    // Appends a record (payload to fill) linked to the deal's previous one.
    detail::StagedRecord& stage(detail::StagedRecord::Kind kind) {
      detail::HistoryShard& sh = *shard_;
      detail::StagedRecord& r = sh.ring[sh.written & (detail::HistoryShard::kCapacity - 1)];
      const std::uint64_t seq = ++sh.written;
      r.kind = kind;
      const bool other = rec_.last_seq != 0 && rec_.last_shard != sh.index;
      r.after_seq = other ? rec_.last_seq : 0;
      r.after_shard = rec_.last_shard;
      rec_.last_shard = sh.index;
      rec_.last_seq = seq;
      return r;
    }
    Impl& m_;
    Record& rec_;
    detail::HistoryShard* shard_ = nullptr;
  };

  std::size_t append_event(Record& rec, const HistoryEvent& e) { return HistoryWriter(*this, rec).event(e); }
  void append_field(Record& rec, const FieldEvent& e) { HistoryWriter(*this, rec).field(e); }

  // ThreadSafe: merges the published staged records into `history`, shard
  // by shard, each shard in its own order, except that a record whose deal's
  // previous record is still unmerged in another shard waits for it (the merge
  // continues in that shard first; that record was published before the later
  // one was written, so re-reading the shard's published count finds it). Per
  // deal and per thread order are kept, the result is one total order, and a
  // reader sees each log grow by steps that hold, with any record, every
  // earlier record of its deal. `wait` false: return at once when another
  // merge runs.
  void publish_history(bool wait) {
    if constexpr (S::kThreadSafe) {
      std::unique_lock<std::mutex> g(shards_mutex, std::defer_lock);
      if (wait)
        g.lock();
      else if (!g.try_lock())
        return;
      const std::size_t n = shards.size();
      for (std::size_t i = 0; i < n; ++i) merge_end[i] = shards[i]->published.load(std::memory_order_acquire);
      std::size_t cur = 0;
      for (bool left = n > 0; left;) {
        if (merge_pos[cur] == merge_end[cur]) {
          left = false;  // continue with any shard that has records left
          for (std::size_t i = 0; i < n && !left; ++i)
            if (merge_pos[i] < merge_end[i]) {
              cur = i;
              left = true;
            }
          continue;
        }
        const detail::HistoryShard& sh = *shards[cur];
        constexpr std::uint64_t mask = detail::HistoryShard::kCapacity - 1;
        const detail::StagedRecord& r = sh.ring[merge_pos[cur] & mask];
        const std::size_t j = r.after_shard;
        if (r.after_seq != 0 && j < n && merge_pos[j] < r.after_seq) {  // the predecessor first
          if (merge_end[j] < r.after_seq) merge_end[j] = shards[j]->published.load(std::memory_order_acquire);
          cur = j;
          continue;
        }
        switch (r.kind) {
          case detail::StagedRecord::stage_event:
            history.append(r.event);
            break;
          case detail::StagedRecord::field_event:
            history.append_field(r.field);
            break;
          case detail::StagedRecord::amount_event: {
            Money amount;
            std::memcpy(&amount, sh.ring[(merge_pos[cur] + 1) & mask].money, sizeof(Money));
            FieldEvent f = r.field;
            f.value = history.append_money(amount);
            history.append_field(f);
            ++merge_pos[cur];  // the payload
            break;
          }
          case detail::StagedRecord::money_payload:
            break;  // consumed with its amount_event
        }
        ++merge_pos[cur];
      }
      for (std::size_t i = 0; i < n; ++i) shards[i]->consumed.store(merge_pos[i], std::memory_order_release);
    }
  }

  void record_failure(AutomationFailure f) {
    std::lock_guard<typename S::Mutex> g(failures_mutex);
    failures.push_back(std::move(f));
  }

  [[gnu::cold, gnu::noinline]] static void refuse(MoveResult& r, Refusal why, DealId deal,
                                                  std::string message) {
    r.refusal = why;
    r.deal = deal;
    r.message = std::move(message);
  }

  // ------------------------------------------------------------------ guards
  [[gnu::cold, gnu::noinline]] bool call_predicate(std::uint32_t index, const Record& rec, const ValueCode* a,
                                                   DealId id, std::uint16_t pipeline, StageId from,
                                                   StageId to, Instant at, ManagerId actor,
                                                   std::string& what) const {
    GuardContext ctx{id,
                     PipelineId{pipeline},
                     from,
                     to,
                     at,
                     actor,
                     detail::to_money(rec),
                     rec.owner == kNoValue ? ManagerId{} : ManagerId{rec.owner},
                     rec.client == kNoValue ? ClientId{} : ClientId{rec.client},
                     std::span<const ValueCode>(a, t.attribute_slots)};
    try {
      return t.predicates[index](ctx);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
      what = "unknown exception";
    }
    return false;
  }

  // Index of the first failing guard of `rule`, or -1. `what` is set when a
  // predicate threw.
  [[gnu::always_inline]] int first_failing_guard(const detail::CompiledRule& rule, const Record& rec,
                                                 const ValueCode* a, DealId id, std::uint16_t pipeline,
                                                 StageId from, StageId to, Instant at, ManagerId actor,
                                                 std::string& what) const {
    const detail::CompiledGuard* g = t.guards.data() + rule.guard_begin;
    for (int i = 0; i < rule.guard_count; ++i) {
      bool ok = true;
      switch (g[i].check) {
        case detail::Check::amount_set:
          ok = rec.amount != 0;
          break;
        case detail::Check::owner_set:
          ok = rec.owner != kNoValue;
          break;
        case detail::Check::client_set:
          ok = rec.client != kNoValue;
          break;
        case detail::Check::attribute_set:
          ok = a[g[i].arg] != kNoValue;
          break;
        case detail::Check::amount_positive:
          ok = rec.amount > 0;
          break;
        case detail::Check::actor_role:
          ok = actor.valid() && actor.value() < t.actor_roles.size() &&
               (t.actor_roles[actor.value()] & t.role_masks[g[i].arg]) != 0;
          break;
        case detail::Check::predicate:
          ok = call_predicate(g[i].arg, rec, a, id, pipeline, from, to, at, actor, what);
          break;
      }
      if (!ok) return i;
    }
    return -1;
  }

  [[gnu::cold, gnu::noinline]] void refuse_guard(MoveResult& r, const detail::CompiledRule& rule, int failed,
                                                 const Record& rec, DealId id, std::uint16_t pipeline, StageId from,
                                                 StageId to, ManagerId actor, const std::string& what) const {
    const detail::CompiledGuard& g = t.guards[rule.guard_begin + static_cast<std::uint32_t>(failed)];
    r.guard = g.kind;
    if (g.kind == GuardKind::required_fields) r.field = FieldId{g.field};
    if (g.kind == GuardKind::predicate) r.predicate = PredicateId{g.field};
    refuse(r, Refusal::guard_failed, id,
           detail::describe_guard_failure(t, g, id, pipeline, from, to, actor, detail::to_money(rec), !what.empty(), what));
  }

  // ------------------------------------------------------------------- moves
  // Checks and applies a move of a locked deal. `timed`: fired by tick().
  [[gnu::always_inline]] void apply_move(MoveResult& r, DealId id, Record& rec, StageId to, Instant at,
                                         ManagerId actor, bool timed, detail::PendingNotices& pending) {
    const std::uint16_t pipeline = rec.pipeline;
    const detail::PipelineTables& pt = t.pipelines[pipeline];
    const StageId from{rec.stage};
    if (to.value() >= pt.stage_count) [[unlikely]]
      return refuse(r, Refusal::unknown_stage, id, detail::describe_move_refusal(t, Refusal::unknown_stage, id, pipeline, from, to));
    const std::optional<std::uint32_t> off = history.offset_of(at);
    if (!off) [[unlikely]]
      return refuse(r, Refusal::time_out_of_range, id,
                    std::string("deal ") + std::to_string(id.value()) + ": time " + format_iso(at) + " is outside the history range [" +
                        format_iso(history.epoch()) + ", " + format_iso(history.instant(0xFFFFFFFF)) + "]");
    if (*off < rec.last_at) [[unlikely]]
      return refuse(r, Refusal::time_before_last_event, id,
                    std::string("deal ") + std::to_string(id.value()) + ": time " + format_iso(at) +
                        " is earlier than the deal's last event at " + format_iso(history.instant(rec.last_at)));
    if (!actor_fits(actor)) [[unlikely]]
      return refuse(r, Refusal::invalid_actor, id,
                    std::string("actor ") + std::to_string(actor.value()) + " cannot be recorded: expected a ManagerId below 65535");
    const detail::CompiledRule& rule = pt.rules[std::size_t{from.value()} * pt.stage_count + to.value()];
    if (!(rule.flags & detail::kRuleAllowed)) [[unlikely]] {
      const Refusal why = from == to                                ? Refusal::already_in_stage
                          : (rule.flags & detail::kRuleFromTerminal) ? Refusal::terminal_without_reopen
                                                                     : Refusal::not_allowed;
      return refuse(r, why, id, detail::describe_move_refusal(t, why, id, pipeline, from, to));
    }
    if (rule.guard_count) {
      std::string what;
      const ValueCode* a = deal_attrs(id);
      const int failed = first_failing_guard(rule, rec, a, id, pipeline, from, to, at, actor, what);
      if (failed >= 0) [[unlikely]]
        return refuse_guard(r, rule, failed, rec, id, pipeline, from, to, actor, what);
    }
    const EventCause cause = timed ? EventCause::timed_move
                             : (rule.flags & detail::kRuleReopen) ? EventCause::reopened
                                                                  : EventCause::moved;
    const std::uint16_t to_code = static_cast<std::uint16_t>(pt.code_offset + to.value());
    r.deal = id;
    r.event = append_event(
        rec, HistoryEvent{id.value(), *off, static_cast<std::uint16_t>(pt.code_offset + from.value()),
                          to_code, actor_code(actor), cause, 0});
    rec.stage = to.value();
    rec.entered_at = *off;
    rec.last_at = *off;
    ++rec.entries;
    const std::uint8_t flags = t.stage_flags[to_code];
    if ((flags & detail::kStageHasCallbacks) || any_callbacks) [[unlikely]]
      pending.notices.push_back(MoveNotice{id, PipelineId{pipeline}, from, to, at, actor, cause});
    if (flags & (detail::kStageHasActions | detail::kStageHasHandoffs)) [[unlikely]]
      r.automation_failures += enter_automation(id, rec, *off, actor, true, pending);
  }

  [[gnu::always_inline]] MoveResult move(DealId id, StageId to, Instant at, ManagerId actor, bool timed) {
    MoveResult r;
    if (id.value() >= deals.size()) [[unlikely]] {
      refuse(r, Refusal::unknown_deal, id,
             std::string("deal ") + std::to_string(id.value()) + " does not exist (the engine has " + std::to_string(deals.size()) +
                 " deals)");
      return r;
    }
    Record& rec = deals.mutable_at(id.value());
    detail::PendingNotices pending;
    {
      DealLock lock(rec);
      apply_move(r, id, rec, to, at, actor, timed, pending);
    }
    if (!pending.notices.empty()) [[unlikely]]
      r.automation_failures += run_callbacks(pending);
    return r;
  }

  // --------------------------------------------------------------- automation
  // Runs the on-enter actions of the deal's current stage, then (when allowed)
  // its hand-offs. The deal is locked. Returns the number of failures.
  std::uint32_t enter_automation(DealId id, Record& rec, std::uint32_t at, ManagerId actor, bool allow_handoffs,
                                 detail::PendingNotices& pending) {
    std::uint32_t failures_count = 0;
    const std::uint16_t pipeline = rec.pipeline;
    const std::uint16_t stage = rec.stage;
    const std::uint16_t stage_code = code(pipeline, stage);
    const detail::Range32 actions = t.action_ranges[stage_code];
    for (std::uint32_t i = actions.begin; i < actions.begin + actions.count; ++i) {
      const detail::CompiledAction& a = t.actions[i];
      switch (a.kind) {
        case ActionKind::set_probability:
          rec.probability_ppm = a.value;
          append_field(rec, FieldEvent{id.value(), at, kProbabilityField, kSystemActor, a.value});
          break;
        case ActionKind::set_field:
          deal_attrs(id)[attribute_slot(FieldId{a.field})] = a.value;
          append_field(rec, FieldEvent{id.value(), at, a.field, kSystemActor, a.value});
          break;
        case ActionKind::timed_move:
        case ActionKind::escalate: {
          const Instant start = history.instant(at);
          // Validation bounds delays by kMaxConfigDuration (2^32 - 1 s): no overflow.
          Instant due = start + Duration(a.delay_seconds);
          if (a.basis == TimeBasis::business) {
            Result<Instant> b = calendar.add_business_time(start, Duration(a.delay_seconds));
            if (!b) {
              ++failures_count;
              record_failure({AutomationFailureKind::timed_move_refused, id, PipelineId{pipeline}, StageId{stage}, start,
                              std::string(to_string(a.kind)), std::string("cannot schedule: ") + b.status().message()});
              break;
            }
            due = *b;
          }
          std::lock_guard<typename S::Mutex> g(timers_mutex);
          timers.push(detail::Timer{due.unix_seconds(), timer_seq++, id.value(), rec.entries, pipeline, stage, i});
          break;
        }
      }
    }
    if (!allow_handoffs) return failures_count;
    const detail::Range32 hs = t.handoff_ranges[stage_code];
    for (std::uint32_t i = hs.begin; i < hs.begin + hs.count; ++i) {
      const detail::CompiledHandoff& h = t.handoffs[i];
      const Instant when = history.instant(at);
      const StageId target{h.target_stage};
      const detail::CompiledRule& enter = t.pipelines[h.target_pipeline].enter[h.target_stage];
      std::string what;
      const int failed =
          first_failing_guard(enter, rec, deal_attrs(id), id, h.target_pipeline, StageId{}, target, when, actor, what);
      const Handoff& decl = t.pipeline(pipeline).handoffs()[h.index];
      if (failed >= 0) {
        ++failures_count;
        const detail::CompiledGuard& g = t.guards[enter.guard_begin + static_cast<std::uint32_t>(failed)];
        record_failure({AutomationFailureKind::handoff_refused, id, PipelineId{pipeline}, StageId{stage}, when, decl.id,
                        detail::describe_guard_failure(t, g, id, h.target_pipeline, StageId{}, target, actor,
                                                       detail::to_money(rec), !what.empty(), what)});
        continue;
      }
      const std::uint16_t target_code = code(h.target_pipeline, h.target_stage);
      if (h.mode == HandoffMode::move) {
        append_event(rec, HistoryEvent{id.value(), at, stage_code, target_code, actor_code(actor),
                                       EventCause::handoff_moved, 0});
        rec.pipeline = h.target_pipeline;
        rec.stage = h.target_stage;
        rec.entered_at = at;
        ++rec.entries;
        add_link({id, PipelineId{pipeline}, StageId{stage}, id, PipelineId{h.target_pipeline}, target, h.mode, decl.id, when});
        failures_count += enter_automation(id, rec, at, actor, false, pending);
        if ((t.stage_flags[target_code] & detail::kStageHasCallbacks) || any_callbacks)
          pending.notices.push_back(
              MoveNotice{id, PipelineId{h.target_pipeline}, StageId{}, target, when, actor, EventCause::handoff_moved});
        break;  // the deal left the trigger stage: later hand-offs of it no longer apply
      }
      Record init = rec;
      init.lock = 0;
      init.pipeline = h.target_pipeline;
      init.stage = h.target_stage;
      init.probability_ppm = kNoValue;
      init.source_deal = id.value();
      const DealId created = insert_deal(init, deal_attrs(id), at, actor, EventCause::handoff_created).first;
      Record& nrec = deals.mutable_at(created.value());
      add_link({id, PipelineId{pipeline}, StageId{stage}, created, PipelineId{h.target_pipeline}, target, h.mode, decl.id,
                when});
      failures_count += enter_automation(created, nrec, at, actor, false, pending);
      S::unlock_byte(nrec.lock);
      if ((t.stage_flags[target_code] & detail::kStageHasCallbacks) || any_callbacks)
        pending.notices.push_back(
            MoveNotice{created, PipelineId{h.target_pipeline}, StageId{}, target, when, actor, EventCause::handoff_created});
    }
    return failures_count;
  }

  void add_link(HandoffLink link) {
    std::lock_guard<typename S::Mutex> g(links_mutex);
    links.push_back(std::move(link));
  }

  std::uint32_t run_callbacks(detail::PendingNotices& pending) {
    std::uint32_t failed = 0;
    for (const MoveNotice& n : pending.notices) {
      const std::uint16_t c = code(n.pipeline.value(), n.to.value());
      auto run = [&](const detail::NamedCallback& cb) {
        std::string what;
        try {
          cb.fn(n);
          return;
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
          what = "unknown exception";
        }
        ++failed;
        record_failure({AutomationFailureKind::callback_threw, n.deal, n.pipeline, n.to, n.at, cb.name, std::move(what)});
      };
      for (const detail::NamedCallback& cb : stage_callbacks[c]) run(cb);
      for (const detail::NamedCallback& cb : entry_callbacks) run(cb);
    }
    return failed;
  }

  // ---------------------------------------------------------------- creation
  // Appends a deal (record + attributes + created event + initial field events,
  // the hand-off source included) and returns its id. ThreadSafe: the new deal
  // is returned LOCKED (the caller runs its automation and unlocks it).
  std::pair<DealId, std::size_t> insert_deal(const Record& init, const ValueCode* a, std::uint32_t at, ManagerId actor,
                                             EventCause cause) {
    std::lock_guard<typename S::Mutex> g(create_mutex);
    const std::size_t index = deals.size();
    if (index >= 0xFFFFFFFEu) throw std::length_error("the deal engine holds at most 2^32-2 deals");
    const DealId id{static_cast<std::uint32_t>(index)};
    for (std::size_t s = 0; s < stride; ++s) {
      const std::size_t k = attrs.emplace_unpublished();
      attrs.mutable_at(k) = s < t.attribute_slots ? a[s] : kNoValue;
    }
    attrs.publish();
    const std::size_t slot = deals.emplace_unpublished();
    Record& rec = deals.mutable_at(slot);
    rec = init;
    rec.lock = 0;
    S::lock_byte(rec.lock);
    rec.created_at = rec.entered_at = rec.last_at = at;
    rec.entries = 1;
    rec.last_shard = 0;
    rec.last_seq = 0;
    const std::uint16_t ac = actor_code(actor);
    std::size_t event;
    {
      HistoryWriter h(*this, rec);
      event =
          h.event(HistoryEvent{id.value(), at, kNoStageCode, code(rec.pipeline, rec.stage), ac, cause, 0});
      if (rec.source_deal != kNoValue) h.field({id.value(), at, kSourceDealField, ac, rec.source_deal});
      if (rec.amount != 0 || rec.currency[0] != '\0')
        h.amount({id.value(), at, static_cast<std::uint16_t>(builtin_field::amount.value()), ac, 0},
                 detail::to_money(rec));
      if (rec.owner != kNoValue)
        h.field({id.value(), at, static_cast<std::uint16_t>(builtin_field::owner.value()), ac, rec.owner});
      if (rec.client != kNoValue)
        h.field({id.value(), at, static_cast<std::uint16_t>(builtin_field::client.value()), ac, rec.client});
      if (rec.probability_ppm != kNoValue)
        h.field({id.value(), at, kProbabilityField, ac, rec.probability_ppm});
      for (std::size_t s = 0; s < t.attribute_slots; ++s)
        if (a[s] != kNoValue)
          h.field({id.value(), at, static_cast<std::uint16_t>(s + kFirstAttributeField), ac, a[s]});
    }
    deals.publish();
    return {id, event};
  }

  MoveResult create(const NewDeal& d) {
    MoveResult r;
    if (d.pipeline.value() >= t.pipelines.size()) {
      refuse(r, Refusal::unknown_pipeline, DealId{},
             std::string("no pipeline #") + std::to_string(d.pipeline.value()) + " (the workspace has " +
                 std::to_string(t.pipelines.size()) + ")");
      return r;
    }
    const std::uint16_t pipeline = d.pipeline.value();
    const Pipeline& p = t.pipeline(pipeline);
    const StageId stage = d.stage.valid() ? d.stage : p.default_entry();
    if (stage.value() >= p.stage_count()) {
      refuse(r, Refusal::unknown_stage, DealId{},
             std::string("pipeline '") + p.id() + "' has no stage #" + std::to_string(stage.value()) + " (" +
                 std::to_string(p.stage_count()) + " stages)");
      return r;
    }
    if (!p.is_entry(stage)) {
      std::string entries;
      for (StageId e : p.entry_stages()) entries += std::string(entries.empty() ? "" : ", ") + p.stage(e).id;
      refuse(r, Refusal::not_entry_stage, DealId{},
             std::string("pipeline '") + p.id() + "': stage " + p.stage(stage).id + " is not an entry stage (entries: " + entries + ")");
      return r;
    }
    const Instant at = d.created_at ? *d.created_at : now();
    const std::optional<std::uint32_t> off = history.offset_of(at);
    if (!off) {
      refuse(r, Refusal::time_out_of_range, DealId{},
             std::string("time ") + format_iso(at) + " is outside the history range [" + format_iso(history.epoch()) + ", " +
                 format_iso(history.instant(0xFFFFFFFF)) + "]");
      return r;
    }
    if (!actor_fits(d.actor)) {
      refuse(r, Refusal::invalid_actor, DealId{},
             std::string("actor ") + std::to_string(d.actor.value()) + " cannot be recorded: expected a ManagerId below 65535");
      return r;
    }
    if (d.probability && !(*d.probability >= 0.0 && *d.probability <= 1.0)) {
      refuse(r, Refusal::invalid_value, DealId{},
             std::string("probability ") + std::to_string(*d.probability) + " is outside [0, 1]");
      return r;
    }
    std::vector<ValueCode> a(t.attribute_slots, kNoValue);
    for (const auto& [name, text] : d.attributes) {
      const std::optional<FieldId> f = find_field(name);
      if (!f || !is_attribute_field(*f)) {
        refuse(r, Refusal::unknown_field, DealId{},
               f ? std::string("field '") + name + "' is a built-in member: set NewDeal::amount/owner/client instead"
                 : std::string("unknown field '") + name + "' (declare custom fields in EngineOptions::extra_fields)");
        return r;
      }
      a[attribute_slot(*f)] = intern_value(*f, text);
    }
    Record init{};
    init.pipeline = pipeline;
    init.stage = stage.value();
    detail::set_money(init, d.amount);
    init.owner = d.owner.valid() ? d.owner.value() : kNoValue;
    init.client = d.client.valid() ? d.client.value() : kNoValue;
    init.probability_ppm = d.probability ? detail::probability_ppm(*d.probability) : kNoValue;
    init.source_deal = kNoValue;
    const detail::CompiledRule& enter = t.pipelines[pipeline].enter[stage.value()];
    if (enter.guard_count) {
      std::string what;
      const int failed = first_failing_guard(enter, init, a.data(), DealId{}, pipeline, StageId{}, stage, at, d.actor, what);
      if (failed >= 0) {
        refuse_guard(r, enter, failed, init, DealId{}, pipeline, StageId{}, stage, d.actor, what);
        return r;
      }
    }
    const auto [id, event] = insert_deal(init, a.data(), *off, d.actor, EventCause::created);
    Record& rec = deals.mutable_at(id.value());
    r.deal = id;
    r.event = event;
    detail::PendingNotices pending;
    const std::uint16_t c = code(pipeline, stage.value());
    if ((t.stage_flags[c] & detail::kStageHasCallbacks) || any_callbacks)
      pending.notices.push_back(MoveNotice{id, PipelineId{pipeline}, StageId{}, stage, at, d.actor, EventCause::created});
    if (t.stage_flags[c] & (detail::kStageHasActions | detail::kStageHasHandoffs))
      r.automation_failures += enter_automation(id, rec, *off, d.actor, true, pending);
    S::unlock_byte(rec.lock);
    if (!pending.notices.empty()) r.automation_failures += run_callbacks(pending);
    return r;
  }

  // ----------------------------------------------------------- field changes
  // Checks deal, time and actor; then `apply(rec)` returns the FieldEvent value
  // (ignored for the amount: the money table index of `*amount` is recorded).
  template <class Apply>
  MoveResult change_field(DealId id, std::uint16_t field, Instant at, ManagerId actor, Apply&& apply,
                          const Money* amount = nullptr) {
    MoveResult r;
    if (id.value() >= deals.size()) {
      refuse(r, Refusal::unknown_deal, id,
             std::string("deal ") + std::to_string(id.value()) + " does not exist (the engine has " + std::to_string(deals.size()) +
                 " deals)");
      return r;
    }
    const std::optional<std::uint32_t> off = history.offset_of(at);
    if (!off) {
      refuse(r, Refusal::time_out_of_range, id,
             std::string("deal ") + std::to_string(id.value()) + ": time " + format_iso(at) + " is outside the history range");
      return r;
    }
    if (!actor_fits(actor)) {
      refuse(r, Refusal::invalid_actor, id,
             std::string("actor ") + std::to_string(actor.value()) + " cannot be recorded: expected a ManagerId below 65535");
      return r;
    }
    Record& rec = deals.mutable_at(id.value());
    DealLock lock(rec);
    if (*off < rec.last_at) {
      refuse(r, Refusal::time_before_last_event, id,
             std::string("deal ") + std::to_string(id.value()) + ": time " + format_iso(at) +
                 " is earlier than the deal's last event at " + format_iso(history.instant(rec.last_at)));
      return r;
    }
    const std::uint32_t value = apply(rec);
    if (amount)
      HistoryWriter(*this, rec).amount(FieldEvent{id.value(), *off, field, actor_code(actor), 0}, *amount);
    else
      append_field(rec, FieldEvent{id.value(), *off, field, actor_code(actor), value});
    rec.last_at = *off;
    r.deal = id;
    return r;
  }

  // ------------------------------------------------------------------- tick
  TickReport tick(Instant now_at) {
    TickReport report;
    report.now = now_at;
    for (;;) {
      detail::Timer timer;
      {
        std::lock_guard<typename S::Mutex> g(timers_mutex);
        if (timers.empty() || timers.top().due > now_at.unix_seconds()) break;
        timer = timers.top();
        timers.pop();
      }
      const DealId id{timer.deal};
      Record& rec = deals.mutable_at(timer.deal);
      const detail::CompiledAction& action = t.actions[timer.action];
      const Instant due = Instant::from_unix_seconds(timer.due);
      detail::PendingNotices pending;
      MoveResult r;
      {
        DealLock lock(rec);
        if (rec.entries != timer.entries || rec.pipeline != timer.pipeline || rec.stage != timer.stage) {
          ++report.stale_timers;
          continue;
        }
        if (action.kind == ActionKind::escalate) {
          const Stage& st = t.pipeline(timer.pipeline).stage(StageId{timer.stage});
          const auto& esc = std::get<Escalation>(st.on_enter[action.position]);
          report.escalations.push_back({id, PipelineId{timer.pipeline}, StageId{timer.stage}, due, esc.name, esc.notify_role});
          continue;
        }
        const Instant at = std::max(due, history.instant(rec.last_at));
        apply_move(r, id, rec, StageId{action.target}, at, ManagerId{}, true, pending);
      }
      if (!r.applied())
        record_failure({AutomationFailureKind::timed_move_refused, id, PipelineId{timer.pipeline}, StageId{timer.stage}, due,
                        t.pipeline(timer.pipeline).stage(StageId{action.target}).id, r.message});
      if (!pending.notices.empty()) r.automation_failures += run_callbacks(pending);
      report.timed_moves.push_back(
          {id, PipelineId{timer.pipeline}, StageId{timer.stage}, StageId{action.target}, due, std::move(r)});
    }
    const std::size_t n = deals.size();
    for (std::size_t i = 0; i < n; ++i) {
      Record& rec = deals.mutable_at(i);
      std::uint16_t pipeline, stage;
      std::uint32_t entered;
      {
        DealLock lock(rec);
        pipeline = rec.pipeline;
        stage = rec.stage;
        entered = rec.entered_at;
      }
      if (!(t.stage_flags[code(pipeline, stage)] & detail::kStageHasSla)) continue;
      const Sla& sla = *t.pipeline(pipeline).stage(StageId{stage}).sla;
      const Instant since = history.instant(entered);
      const Duration wall = now_at - since;
      if (wall <= sla.limit) continue;  // business time never exceeds calendar time
      const Duration in_stage = sla.basis == TimeBasis::calendar ? wall : calendar.business_duration(since, now_at);
      if (in_stage > sla.limit)
        report.rotting.push_back({DealId{static_cast<std::uint32_t>(i)}, PipelineId{pipeline}, StageId{stage}, since,
                                  in_stage, sla.limit, sla.basis});
    }
    return report;
  }

  // ------------------------------------------------------------------ reads
  std::optional<FieldId> find_field(std::string_view name) const {
    const std::optional<Dictionary::Code> c = t.fields.find(name);
    if (!c) return std::nullopt;
    return FieldId{*c};
  }
  ValueCode intern_value(FieldId f, std::string_view text) {
    if (text.empty() || !is_attribute_field(f) || attribute_slot(f) >= values.size()) return kNoValue;
    std::lock_guard<typename S::Mutex> g(values_mutex);
    return values[attribute_slot(f)].intern(text);
  }

  std::optional<Deal> deal(DealId id) {
    if (id.value() >= deals.size()) return std::nullopt;
    Record& rec = deals.mutable_at(id.value());
    Deal d;
    d.attributes.resize(t.attribute_slots);
    Record copy;
    {
      DealLock lock(rec);
      copy = rec;
      std::copy_n(deal_attrs(id), t.attribute_slots, d.attributes.begin());
    }
    d.id = id;
    d.pipeline = PipelineId{copy.pipeline};
    d.stage = StageId{copy.stage};
    d.amount = detail::to_money(copy);
    if (copy.owner != kNoValue) d.owner = ManagerId{copy.owner};
    if (copy.client != kNoValue) d.client = ClientId{copy.client};
    d.created_at = history.instant(copy.created_at);
    d.stage_entered_at = history.instant(copy.entered_at);
    d.last_event_at = history.instant(copy.last_at);
    d.stage_entries = copy.entries;
    if (copy.probability_ppm != kNoValue) d.probability_override = copy.probability_ppm / 1'000'000.0;
    if (copy.source_deal != kNoValue) d.source_deal = DealId{copy.source_deal};
    return d;
  }
};

}  // namespace dealflow
