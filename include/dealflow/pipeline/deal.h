// dealflow/pipeline/deal.h: what a deal is, as the deal engine stores and returns it.
//
// A deal lives in one pipeline at one stage. It has an amount (Money), an owner
// (ManagerId), a client (ClientId), a creation instant, an optional per-deal win
// probability that overrides the stage default, and attributes: region, product,
// tier, channel, business (new/repeat), source, plus any custom field. Attribute
// values are interned per field into dense `ValueCode`s (kNoValue = empty), so
// guards and analytics compare integers; the engine turns codes back into text.
//
// Field ids come from the pipelines' Vocabulary (dealflow/pipeline/pipeline.h):
// amount, owner and client are built-in members; every FieldId from
// kFirstAttributeField on (region, product, ... then custom fields) is an
// attribute with slot `attribute_slot(field)`.
//
// Ownership: `Deal` and `NewDeal` are plain values (a snapshot / a request); the
// engine owns the live deals. Thread-safety: plain values.
//
// Example:
//   dealflow::NewDeal nd;
//   nd.amount = dealflow::Money(1'500'000'00, dealflow::Currency::of("RUB"));
//   nd.owner = dealflow::ManagerId{7};
//   nd.attributes = {{"region", "Москва"}, {"product", "Лицензии"}};
//   auto created = engine.create(nd);             // dealflow/pipeline/engine.h
//   std::optional<dealflow::Deal> d = engine.deal(created.deal);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow {

// A dictionary code of an attribute value, dense per field.
using ValueCode = std::uint32_t;
inline constexpr ValueCode kNoValue = 0xFFFFFFFF;

// The first FieldId that is an attribute (region); amount/owner/client precede it.
inline constexpr std::uint32_t kFirstAttributeField = builtin_field::region.value();
static_assert(builtin_field::amount.value() < kFirstAttributeField && builtin_field::owner.value() < kFirstAttributeField &&
              builtin_field::client.value() < kFirstAttributeField);

constexpr bool is_attribute_field(FieldId f) noexcept { return f.valid() && f.value() >= kFirstAttributeField; }
constexpr std::uint32_t attribute_slot(FieldId f) noexcept { return f.value() - kFirstAttributeField; }

// A request to create a deal (engine.create).
struct NewDeal {
  PipelineId pipeline{0};
  StageId stage;  // invalid = the pipeline's default entry stage; else must be an entry stage
  Money amount;
  ManagerId owner;
  ClientId client;
  // nullopt = now, from the engine's clock (EngineOptions::clock, the system
  // clock by default): moves before that instant are then refused.
  std::optional<Instant> created_at;
  std::optional<double> probability;  // per-deal override of the stage default, in [0, 1]
  // Field name -> UTF-8 value, e.g. {"region", "Москва"}; "" leaves the field empty.
  std::vector<std::pair<std::string, std::string>> attributes;
  ManagerId actor;  // who creates it (history actor, role guards); invalid = automation/system
};

// A snapshot of one deal (engine.deal(id)).
struct Deal {
  DealId id;
  PipelineId pipeline;
  StageId stage;
  Money amount;
  ManagerId owner;
  ClientId client;
  Instant created_at;
  Instant stage_entered_at;
  Instant last_event_at;  // the latest stage or field event
  std::uint32_t stage_entries = 0;  // how many times the deal entered a stage (1 after creation)
  std::optional<double> probability_override;
  std::vector<ValueCode> attributes;  // by attribute slot
  DealId source_deal;  // the deal this one was handed off from (create_linked), else invalid

  ValueCode attribute(FieldId f) const noexcept {
    return is_attribute_field(f) && attribute_slot(f) < attributes.size() ? attributes[attribute_slot(f)] : kNoValue;
  }
};

}  // namespace dealflow
