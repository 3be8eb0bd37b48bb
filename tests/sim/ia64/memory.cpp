// SPDX-License-Identifier: Apache-2.0
#include "memory.hpp"

namespace ia64sim {

const Memory::Page* Memory::find(std::uint64_t address) const {
  const auto it = pages_.find(address / page_size);
  return it == pages_.end() ? nullptr : it->second.get();
}

Memory::Page& Memory::at(std::uint64_t address) {
  auto& page = pages_[address / page_size];
  if (!page) page = std::make_unique<Page>(Page{});
  return *page;
}

bool Memory::read(std::uint64_t address, unsigned size, std::uint64_t& value) const {
  value = 0;
  for (unsigned i = size; i-- > 0;) {
    const Page* page = find(address + i);
    if (page == nullptr) return false;
    value = (value << 8) | (*page)[(address + i) % page_size];
  }
  return true;
}

void Memory::write(std::uint64_t address, unsigned size, std::uint64_t value) {
  for (unsigned i = 0; i < size; ++i)
    at(address + i)[(address + i) % page_size] = static_cast<std::uint8_t>(value >> (8 * i));
}

void Memory::load(std::uint64_t address, const std::uint8_t* bytes, std::uint64_t length) {
  for (std::uint64_t i = 0; i < length; ++i) at(address + i)[(address + i) % page_size] = bytes[i];
}

void Memory::reserve(std::uint64_t address, std::uint64_t length) {
  for (std::uint64_t a = address / page_size * page_size; a < address + length; a += page_size) at(a);
}

} // namespace ia64sim
