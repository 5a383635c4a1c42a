// The generation words of FEATURE_GENERATIONS (kernel/README.md,
// "Generations"): a read-only shared mapping of the file from page
// UMMUNOTIFY_GENERATIONS_PGOFF on, one __u64 per slot. It covers only the
// slots REGISTER_SLOT has returned: the kernel allocates the pages of words
// as slots are handed out and a page it has not allocated gives SIGBUS, so
// Load() never touches a word past the highest slot seen.
#ifndef UMMUNOTIFY_NATIVE_GENERATION_WORDS_H
#define UMMUNOTIFY_NATIVE_GENERATION_WORDS_H

#include <cstddef>
#include <cstdint>

namespace ummunotify {

class GenerationWords {
 public:
  GenerationWords() = default;
  GenerationWords(const GenerationWords &) = delete;
  GenerationWords &operator=(const GenerationWords &) = delete;
  ~GenerationWords();

  // REGISTER_SLOT returned `slot`: its page exists now, and stays until the file is released.
  void SlotReturned(uint32_t slot) {
    if (!seen_ || slot > highest_) highest_ = slot;
    seen_ = true;
  }
  // Whether `slot` was ever returned by REGISTER_SLOT on this file (so reading it cannot SIGBUS).
  bool Known(uint32_t slot) const { return seen_ && slot <= highest_; }

  // Maps (or grows the mapping to cover) `slot`; 0 or the errno of mmap.
  int Cover(int fd, uint32_t slot);
  // One acquire load of a slot that Cover() covers.
  uint64_t Load(uint32_t slot) const { return __atomic_load_n(&words_[slot], __ATOMIC_ACQUIRE); }
  // Slots the mapping covers now.
  size_t Covered() const { return bytes_ / sizeof(uint64_t); }
  void Unmap();

 private:
  const uint64_t *words_ = nullptr;
  size_t bytes_ = 0;
  uint32_t highest_ = 0;
  bool seen_ = false;
};

}  // namespace ummunotify

#endif
