// The kernel's own view of the arena, from /proc/self/smaps: its VMAs,
// their protection and MADV_DONTFORK. Used where the page table cannot
// know (VMA boundaries) and to resynchronise after a failed system call
// that changed part of the range before failing (mremap with MREMAP_FIXED
// unmaps the destination first).
#ifndef UMMUNOTIFY_NATIVE_ARENA_MAPS_H
#define UMMUNOTIFY_NATIVE_ARENA_MAPS_H

#include <cstdint>
#include <vector>

#include "arena_pages.h"

namespace ummunotify {

struct ArenaVma {
  uintptr_t start;
  uintptr_t end;
  Protection prot;
  bool dontFork;
};

// The VMAs overlapping [lo, hi), clipped to it; empty if smaps cannot be read.
std::vector<ArenaVma> ReadArenaVmas(uintptr_t lo, uintptr_t hi);

}  // namespace ummunotify

#endif
