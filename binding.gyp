# node-gyp build of the memory-map addon (src/native/shared_ndarray_native.cc).
# scripts/build-native.mjs runs it at install; the output is build/Release/shared_ndarray_native.node.
{
  "targets": [
    {
      "target_name": "shared_ndarray_native",
      "sources": ["src/native/shared_ndarray_native.cc", "src/native/fill.cc"],
      # node's common.gypi already gives -std=gnu++17 -fno-exceptions -fno-rtti; the addon needs
      # neither exceptions nor RTTI. The warning silenced is node.h's own NODE_MODULE_INIT cast.
      # -ffp-contract=off: the ports of the WebAssembly math kernels must round each multiply and
      # each add as WebAssembly does (gcc fuses them into FMAs by default where the target has them)
      "cflags_cc": ["-O2", "-ffp-contract=off", "-Wno-cast-function-type"],
      # shm_open/shm_unlink live in librt on glibc < 2.34
      "libraries": ["-lrt"],
      # no static symbol table: a fifth of the file, which the package ships three times (prebuilds/)
      "ldflags": ["-s"],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "2",
        "OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=off"],
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17"
      }
    }
  ]
}
