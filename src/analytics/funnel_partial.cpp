// FunnelPartial::difference: what tells two funnel queries apart, for merge()
// and finish() errors (docs/funnel.md, "Partials").
#include <string>

#include "dealflow/analytics/funnel.h"

namespace dealflow::analytics {
namespace {

std::string instant_text(const std::optional<Instant>& t) {
  return t ? format_iso(*t) : "(unbounded)";
}
std::string text_or_none(const std::string& s) {
  return s.empty() ? "(none)" : s;
}

}  // namespace

std::string FunnelPartial::difference(const Query& a, const Query& b) {
  auto diff = [](const char* what, const std::string& x, const std::string& y) {
    return std::string(what) + " " + x + " vs " + y;
  };
  if (a.rule != b.rule)
    return diff("counting rule", std::string(to_string(a.rule)), std::string(to_string(b.rule)));
  if (a.basis != b.basis)
    return diff("basis", std::string(to_string(a.basis)), std::string(to_string(b.basis)));
  if (a.from != b.from) return diff("from", instant_text(a.from), instant_text(b.from));
  if (a.to != b.to) return diff("to", instant_text(a.to), instant_text(b.to));
  if (a.as_of != b.as_of) return diff("report instant", format_iso(a.as_of), format_iso(b.as_of));
  if (a.pipeline_id != b.pipeline_id) return diff("pipeline", a.pipeline_id, b.pipeline_id);
  if (a.group_by != b.group_by) return diff("grouping", text_or_none(a.group_by), text_or_none(b.group_by));
  if (a.utc_offset_minutes != b.utc_offset_minutes) {
    return diff("grouping UTC offset (minutes)", std::to_string(a.utc_offset_minutes),
                std::to_string(b.utc_offset_minutes));
  }
  if (a.conversion != b.conversion)
    return diff("currency conversion", text_or_none(a.conversion), text_or_none(b.conversion));
  return {};
}

}  // namespace dealflow::analytics
