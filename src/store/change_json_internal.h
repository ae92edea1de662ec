// Shared by the change-stream writer, its parser and the snapshot format.
#pragma once

#include <nlohmann/json.hpp>

#include "dealflow/store/change_json.h"

namespace dealflow::store::detail {

// The change as an ordered JSON object ("v", "seq", "kind", "at", ... in wire order).
nlohmann::ordered_json change_ojson(const Change& change, const ChangeNames& names);

}  // namespace dealflow::store::detail
