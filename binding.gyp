# node-gyp build of the memory-map addon (src/native/shared_ndarray_native.cc).
# scripts/build-native.mjs runs it at install; the output is build/Release/shared_ndarray_native.node.
{
  "targets": [
    {
      "target_name": "shared_ndarray_native",
      "sources": ["src/native/shared_ndarray_native.cc"],
      # node's common.gypi already gives -std=gnu++17 -fno-exceptions -fno-rtti; the addon needs
      # neither exceptions nor RTTI. The warning silenced is node.h's own NODE_MODULE_INIT cast.
      "cflags_cc": ["-O2", "-Wno-cast-function-type"],
      # shm_open/shm_unlink live in librt on glibc < 2.34
      "libraries": ["-lrt"],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "2",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17"
      }
    }
  ]
}
