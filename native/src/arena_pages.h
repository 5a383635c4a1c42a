// What the lab arena knows about its own pages: mapped or a hole, the
// protection, MADV_DONTFORK. The lab ops are the only thing that changes
// the arena, so this table lets an op refuse an access that would kill the
// process (SIGSEGV) before it makes any system call.
#ifndef UMMUNOTIFY_NATIVE_ARENA_PAGES_H
#define UMMUNOTIFY_NATIVE_ARENA_PAGES_H

#include <cstddef>
#include <string>
#include <vector>

namespace ummunotify {

enum class Protection { kReadWrite, kRead, kNone };

struct ArenaPage {
  bool mapped = true;
  Protection prot = Protection::kReadWrite;
  bool dontFork = false;
};

class ArenaPages {
 public:
  explicit ArenaPages(size_t count) : pages_(count) {}

  size_t size() const { return pages_.size(); }
  ArenaPage &operator[](size_t page) { return pages_[page]; }
  const ArenaPage &operator[](size_t page) const { return pages_[page]; }

  bool AllMapped(size_t start, size_t end) const;
  bool AnyMapped(size_t start, size_t end) const;
  // "" when every page of [start, end) may be read (or written); else why not.
  std::string AccessProblem(size_t start, size_t end, bool write) const;
  // The lowest start of `length` unmapped pages not overlapping [avoidStart, avoidEnd), or size() when none.
  size_t LowestHole(size_t length, size_t avoidStart, size_t avoidEnd) const;
  void Unmap(size_t start, size_t end);
  void MapFresh(size_t start, size_t end);

 private:
  std::vector<ArenaPage> pages_;
};

const char *ProtectionName(Protection prot);

}  // namespace ummunotify

#endif
