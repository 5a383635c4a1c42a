{
  "targets": [
    {
      "target_name": "ummunotify",
      "sources": [
        "src/addon.cc",
        "src/errors.cc",
        "src/u64.cc",
        "src/device.cc",
        "src/monitor.cc",
        "src/snapshot.cc",
        "src/generation_words.cc",
        "src/event_watcher.cc",
        "src/readable_watcher.cc",
        "src/arena.cc",
        "src/arena_pages.cc",
        "src/arena_maps.cc",
        "src/page_residency.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "../kernel/include/uapi"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra"],
      "ldflags": ["-pthread"]
    }
  ]
}
