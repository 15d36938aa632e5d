// fill(buffer, byteOffset, byteLength, pattern, widest = 64): writes the 8-byte `pattern` over and
// over into buffer[byteOffset, byteOffset + byteLength), pattern byte i % 8 at byte byteOffset + i
// (an element of 1, 2, 4 or 8 bytes repeated to 8 bytes is any dtype's fill), with the widest
// vector stores the CPU has, of at most `widest` bytes (64: AVX-512F, 32: AVX2, 16: SSE2).
//
// Why it exists: V8 fills a typed array over a SharedArrayBuffer an element at a time, at half
// the speed of vector stores on memory, a fifth to a twentieth in cache (bench/investigate/fill.mjs).
// Plain stores: streaming (non-temporal) ones, which skip reading a line before writing it, were
// measured too (this file's first version in git had them) and won nowhere: on fresh memory the
// kernel has just zeroed each huge page at its fault, so its lines are in cache anyway, and on
// memory faulted in earlier they were slower at every size from 256 KiB to 4 GiB on the AMD EPYC
// (AVX-512) VM measured.
//
// Its own file so that the addon's math can change beside it; registered by
// shared_ndarray_native.cc's NODE_MODULE_INIT.

#include <node.h>
#include <v8.h>

#include <cstdint>
#include <cstring>
#include <string>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHARED_NDARRAY_FILL_X86 1
#include <immintrin.h>
#endif

namespace {

using v8::FunctionCallbackInfo;
using v8::Isolate;
using v8::Local;
using v8::Value;

void Throw(Isolate* isolate, bool range, const std::string& message) {
  Local<v8::String> text = v8::String::NewFromUtf8(isolate, message.c_str()).ToLocalChecked();
  isolate->ThrowException(range ? v8::Exception::RangeError(text) : v8::Exception::TypeError(text));
}

bool Bytes(Local<Value> value, char** data, size_t* length) {
  if (value->IsSharedArrayBuffer()) {
    Local<v8::SharedArrayBuffer> b = value.As<v8::SharedArrayBuffer>();
    *data = static_cast<char*>(b->Data());
    *length = b->ByteLength();
    return true;
  }
  if (value->IsArrayBuffer()) {
    Local<v8::ArrayBuffer> b = value.As<v8::ArrayBuffer>();
    *data = static_cast<char*>(b->Data());
    *length = b->ByteLength();
    return true;
  }
  return false;
}

bool Size(Isolate* isolate, Local<Value> value, const char* name, uint64_t* out) {
  double d = value->IsNumber() ? value.As<v8::Number>()->Value() : -1;
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<uint64_t>(d))) {
    Throw(isolate, false, std::string("fill: '") + name + "' must be a nonnegative integer");
    return false;
  }
  *out = static_cast<uint64_t>(d);
  return true;
}

// The bytes before `p` reaches a multiple of `width` and after the last whole vector: at most
// width - 1 each, byte stores (cheap next to the run, and right at any alignment).
inline void FillBytes(char* p, size_t n, const uint8_t* pattern, size_t phase) {
  for (size_t i = 0; i < n; i++) p[i] = static_cast<char>(pattern[(phase + i) % 8]);
}

// Vectors of `width` bytes from an aligned start (`line` holds the pattern as it lies from there),
// four a step; returns the bytes written, a multiple of the width.
#define FILL_BODY(V, load, store)                                                     \
  const V v = load(reinterpret_cast<const V*>(line));                                 \
  size_t i = 0;                                                                       \
  for (; i + 4 * sizeof(V) <= n; i += 4 * sizeof(V)) {                                \
    store(reinterpret_cast<V*>(p + i), v);                                            \
    store(reinterpret_cast<V*>(p + i + sizeof(V)), v);                                \
    store(reinterpret_cast<V*>(p + i + 2 * sizeof(V)), v);                            \
    store(reinterpret_cast<V*>(p + i + 3 * sizeof(V)), v);                            \
  }                                                                                   \
  for (; i + sizeof(V) <= n; i += sizeof(V)) store(reinterpret_cast<V*>(p + i), v); \
  return i;

using Body = size_t (*)(char* p, size_t n, const uint8_t* line);

#ifdef SHARED_NDARRAY_FILL_X86
size_t Store16(char* p, size_t n, const uint8_t* line) { FILL_BODY(__m128i, _mm_load_si128, _mm_store_si128) }
__attribute__((target("avx2"))) size_t Store32(char* p, size_t n, const uint8_t* line) {
  FILL_BODY(__m256i, _mm256_load_si256, _mm256_store_si256)
}
__attribute__((target("avx512f"))) size_t Store64(char* p, size_t n, const uint8_t* line) {
  FILL_BODY(__m512i, _mm512_load_si512, _mm512_store_si512)
}
#else
size_t Store8(char* p, size_t n, const uint8_t* line) {
  uint64_t v;
  memcpy(&v, line, 8);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) memcpy(p + i, &v, 8);
  return i;
}
#endif

// The widest vector this CPU stores, of at most `widest` bytes, and its body.
size_t Widest(uint64_t widest, Body* body) {
#ifdef SHARED_NDARRAY_FILL_X86
  __builtin_cpu_init();
  if (widest >= 64 && __builtin_cpu_supports("avx512f")) {
    *body = Store64;
    return 64;
  }
  if (widest >= 32 && __builtin_cpu_supports("avx2")) {
    *body = Store32;
    return 32;
  }
  *body = Store16;
  return 16;
#else
  (void)widest;
  *body = Store8;
  return 8;
#endif
}

}  // namespace

namespace shared_ndarray {

void Fill(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  char* data;
  size_t length;
  if (!Bytes(args[0], &data, &length)) return Throw(isolate, false, "fill: 'buffer' must be an ArrayBuffer or a SharedArrayBuffer");
  uint64_t offset, count, widest = 64;
  if (!Size(isolate, args[1], "byteOffset", &offset) || !Size(isolate, args[2], "byteLength", &count)) return;
  if (args.Length() > 4 && !args[4]->IsUndefined() && !Size(isolate, args[4], "widest", &widest)) return;
  if (!args[3]->IsArrayBufferView() || args[3].As<v8::ArrayBufferView>()->ByteLength() < 8) {
    return Throw(isolate, false, "fill: 'pattern' must be a typed array of at least 8 bytes");
  }
  if (offset > length || count > length - offset) return Throw(isolate, true, "fill: byteOffset + byteLength is past the end of the buffer");
  uint8_t pattern[8];
  args[3].As<v8::ArrayBufferView>()->CopyContents(pattern, 8);

  char* p = data + offset;
  size_t n = static_cast<size_t>(count);
  Body body;
  size_t width = Widest(widest, &body);
  size_t head = (width - reinterpret_cast<uintptr_t>(p) % width) % width;
  if (head >= n) return FillBytes(p, n, pattern, 0);
  FillBytes(p, head, pattern, 0);
  alignas(64) uint8_t line[64];
  for (size_t k = 0; k < 64; k++) line[k] = pattern[(head + k) % 8];
  size_t done = head + body(p + head, n - head, line);
  FillBytes(p + done, n - done, pattern, done);
}

}  // namespace shared_ndarray
