#include "page_residency.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace ummunotify {

namespace {

constexpr uint64_t kPagemapPresent = 1ULL << 63;
constexpr uint64_t kPagemapFile = 1ULL << 61;
constexpr uint64_t kPagemapExclusive = 1ULL << 56;

// mincore() counts the zero page as resident like any other page. The
// pagemap tells them apart without privileges: a present PTE with no
// "normal" page behind it (neither a file page nor mapped exclusively)
// is the zero page, since the arena's own pages are private anonymous
// pages mapped once (a lab fork's child has exited when the op returns).
// Without a readable pagemap every resident page is reported present.
std::vector<uint64_t> ReadPagemap(char *base, size_t count, size_t pageSize) {
  std::vector<uint64_t> entries(count, 0);
  int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  off_t offset = static_cast<off_t>(reinterpret_cast<uintptr_t>(base) / pageSize * sizeof(uint64_t));
  size_t want = count * sizeof(uint64_t);
  ssize_t got = pread(fd, entries.data(), want, offset);
  close(fd);
  if (got != static_cast<ssize_t>(want)) return {};
  return entries;
}

bool IsZeroPage(uint64_t entry) {
  return (entry & kPagemapPresent) && !(entry & (kPagemapFile | kPagemapExclusive));
}

}  // namespace

std::vector<Residency> ReadResidency(char *base, size_t count, size_t pageSize, const ArenaPages &pages) {
  std::vector<unsigned char> resident(count, 0);
  for (size_t start = 0; start < count;) {
    if (!pages[start].mapped) {
      start++;
      continue;
    }
    size_t end = start;
    while (end < count && pages[end].mapped) end++;
    // One call per run of mapped pages: mincore() fails on holes.
    if (mincore(base + start * pageSize, (end - start) * pageSize, &resident[start]) < 0) return {};
    start = end;
  }
  std::vector<uint64_t> pagemap = ReadPagemap(base, count, pageSize);
  std::vector<Residency> states(count, Residency::kUnmapped);
  for (size_t p = 0; p < count; p++) {
    if (!pages[p].mapped) continue;
    if (!(resident[p] & 1)) states[p] = Residency::kNone;
    else if (!pagemap.empty() && IsZeroPage(pagemap[p])) states[p] = Residency::kZero;
    else states[p] = Residency::kPresent;
  }
  return states;
}

const char *ResidencyName(Residency residency) {
  switch (residency) {
    case Residency::kUnmapped:
      return "unmapped";
    case Residency::kNone:
      return "none";
    case Residency::kZero:
      return "zero";
    case Residency::kPresent:
      return "present";
  }
  return "?";
}

}  // namespace ummunotify
