// Whether each mapped page of the arena has a page behind it, and whether
// that page is the shared zero page (what a read of a never-written
// private anonymous page maps).
#ifndef UMMUNOTIFY_NATIVE_PAGE_RESIDENCY_H
#define UMMUNOTIFY_NATIVE_PAGE_RESIDENCY_H

#include <cstddef>
#include <vector>

#include "arena_pages.h"

namespace ummunotify {

enum class Residency { kUnmapped, kNone, kZero, kPresent };

// One entry per page of [base, base + count pages); errno set and an empty
// vector when mincore() fails.
std::vector<Residency> ReadResidency(char *base, size_t count, size_t pageSize, const ArenaPages &pages);

const char *ResidencyName(Residency residency);

}  // namespace ummunotify

#endif
