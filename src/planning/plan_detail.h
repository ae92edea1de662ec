// Internal: helpers of the plan loader.
#pragma once

#include <string>
#include <string_view>

#include "dealflow/core/status.h"

namespace dealflow::planning::detail {

// The first key an object of the JSON `text` names twice, as a duplicate error
// at its JSON path ("/targets/3/target"); ok when there is none. `text` must
// be valid JSON (parse it first: syntax errors are not reported here).
Status find_duplicate_key(std::string_view text, const std::string& file);

}  // namespace dealflow::planning::detail
