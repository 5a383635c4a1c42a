#include "arena_maps.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace ummunotify {

std::vector<ArenaVma> ReadArenaVmas(uintptr_t lo, uintptr_t hi) {
  std::vector<ArenaVma> vmas;
  FILE *smaps = fopen("/proc/self/smaps", "re");
  if (!smaps) return vmas;
  char line[512];
  bool inside = false;
  while (fgets(line, sizeof(line), smaps)) {
    uintptr_t start, end;
    char perms[8];
    if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &start, &end, perms) == 3) {
      inside = start < hi && lo < end;
      if (inside) {
        Protection prot = perms[0] != 'r' ? Protection::kNone : perms[1] == 'w' ? Protection::kReadWrite : Protection::kRead;
        vmas.push_back(ArenaVma{start < lo ? lo : start, end > hi ? hi : end, prot, false});
      }
    } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
      vmas.back().dontFork = strstr(line, " dc") != nullptr;
    }
  }
  fclose(smaps);
  return vmas;
}

}  // namespace ummunotify
