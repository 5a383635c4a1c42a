#include "arena_pages.h"

namespace ummunotify {

const char *ProtectionName(Protection prot) {
  switch (prot) {
    case Protection::kReadWrite:
      return "rw";
    case Protection::kRead:
      return "r";
    case Protection::kNone:
      return "none";
  }
  return "?";
}

bool ArenaPages::AllMapped(size_t start, size_t end) const {
  for (size_t p = start; p < end; p++)
    if (!pages_[p].mapped) return false;
  return true;
}

bool ArenaPages::AnyMapped(size_t start, size_t end) const {
  for (size_t p = start; p < end; p++)
    if (pages_[p].mapped) return true;
  return false;
}

std::string ArenaPages::AccessProblem(size_t start, size_t end, bool write) const {
  for (size_t p = start; p < end; p++) {
    const ArenaPage &page = pages_[p];
    if (!page.mapped) return "page " + std::to_string(p) + " is not mapped";
    if (page.prot == Protection::kNone || (write && page.prot != Protection::kReadWrite)) {
      return "page " + std::to_string(p) + " is mapped " + ProtectionName(page.prot) + ", not " +
             (write ? "writable" : "readable");
    }
  }
  return "";
}

size_t ArenaPages::LowestHole(size_t length, size_t avoidStart, size_t avoidEnd) const {
  for (size_t start = 0; start + length <= pages_.size(); start++) {
    bool overlapsAvoided = start < avoidEnd && avoidStart < start + length;
    if (!overlapsAvoided && !AnyMapped(start, start + length)) return start;
  }
  return pages_.size();
}

void ArenaPages::Unmap(size_t start, size_t end) {
  for (size_t p = start; p < end; p++) pages_[p] = ArenaPage{false, Protection::kNone, false};
}

void ArenaPages::MapFresh(size_t start, size_t end) {
  for (size_t p = start; p < end; p++) pages_[p] = ArenaPage{};
}

}  // namespace ummunotify
