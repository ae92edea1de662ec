#include "dealflow/core/dictionary.h"

namespace dealflow {

Dictionary::Dictionary(const Dictionary& other) : values_(other.values_) {
  index_.reserve(values_.size());
  for (Code c = 0; c < values_.size(); ++c) index_.emplace(values_[c], c);
}

Dictionary& Dictionary::operator=(const Dictionary& other) {
  if (this != &other) {
    Dictionary copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Dictionary::Code Dictionary::intern(std::string_view value) {
  if (auto it = index_.find(value); it != index_.end()) return it->second;
  const Code code = static_cast<Code>(values_.size());
  values_.emplace_back(value);
  index_.emplace(values_.back(), code);
  return code;
}

std::optional<Dictionary::Code> Dictionary::find(std::string_view value) const {
  if (auto it = index_.find(value); it != index_.end()) return it->second;
  return std::nullopt;
}

std::size_t Dictionary::memory_bytes() const noexcept {
  std::size_t bytes = values_.size() * sizeof(std::string) + index_.bucket_count() * sizeof(void*) +
                      index_.size() * (sizeof(std::string_view) + sizeof(Code) + 2 * sizeof(void*));
  for (const auto& v : values_) {
    if (v.capacity() > 15) bytes += v.capacity() + 1;
  }
  return bytes;
}

}  // namespace dealflow
