#include "generation_words.h"

#include <linux/ummunotify.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ummunotify {

GenerationWords::~GenerationWords() {
  Unmap();
}

void GenerationWords::Unmap() {
  if (words_) munmap(const_cast<uint64_t *>(words_), bytes_);
  words_ = nullptr;
  bytes_ = 0;
}

// The kernel marks the mapping VM_DONTEXPAND, so it cannot be mremap()ed
// larger: a larger one is mapped (doubling, capped at the area's size) and
// the old one dropped. The words themselves stay in the kernel.
int GenerationWords::Cover(int fd, uint32_t slot) {
  size_t needed = (static_cast<size_t>(slot) + 1) * sizeof(uint64_t);
  if (needed <= bytes_) return 0;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t most = static_cast<size_t>(UMMUNOTIFY_GENERATIONS_MAX_SLOTS) * sizeof(uint64_t);
  size_t bytes = std::max(bytes_ * 2, page);
  while (bytes < needed) bytes *= 2;
  bytes = std::min(bytes, most);
  void *mapped = mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(UMMUNOTIFY_GENERATIONS_PGOFF * page));
  if (mapped == MAP_FAILED) return errno;
  Unmap();
  words_ = static_cast<const uint64_t *>(mapped);
  bytes_ = bytes;
  return 0;
}

}  // namespace ummunotify
