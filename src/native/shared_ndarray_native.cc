// shared-ndarray's native addon: memory maps (files, anonymous memory, POSIX shared memory)
// surfaced to JavaScript as SharedArrayBuffers, so a mapped region goes to worker threads with
// zero copies like any other SharedArrayBuffer. And the few array kernels that JavaScript and
// WebAssembly cannot run at numpy's speed (vector math, sums down columns), at the end of this
// file.
//
// Why the V8 API and not N-API: N-API can create an ArrayBuffer over external memory but not a
// SharedArrayBuffer. v8::SharedArrayBuffer::NewBackingStore(data, length, deleter, deleter_data)
// can, and V8 shares that backing store (a std::shared_ptr) with every isolate the buffer is
// posted to; the deleter runs once, on whichever thread drops the last reference. So munmap lives
// in the deleter: the memory is never unmapped under a live view in any thread.
//
// The price of the V8 API is ABI: the module is tied to one Node major (NODE_MODULE_VERSION), which
// is why it is built at install time against the running Node's headers.
//
// The JS wrappers (src/io/native.ts) validate arguments with the package's error messages; the
// checks here only guarantee that no input can crash the process.

#include <node.h>
#include <uv.h>
#include <v8.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

// libmvec's vector math (below): x86-64 with gcc or clang, whose target attributes compile the
// few functions that hold AVX registers without raising the whole addon's baseline
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHARED_NDARRAY_MVEC 1
#include <immintrin.h>
#endif

namespace {

using v8::Context;
using v8::Exception;
using v8::FunctionCallbackInfo;
using v8::FunctionTemplate;
using v8::Isolate;
using v8::Local;
using v8::Number;
using v8::Object;
using v8::SharedArrayBuffer;
using v8::String;
using v8::Value;

// ---------------------------------------------------------------------------------------------
// The registry of live mappings, keyed by the data pointer the SharedArrayBuffer starts at.
// flush() needs the page-aligned base and whether the mapping is MAP_SHARED, and a backing store
// gives back only its data pointer. Entries are added before the buffer exists and removed by the
// deleter, which may run on any thread: hence the mutex. Both are allocated once and never freed,
// because a deleter can still run while the process exits, after static destructors.

struct Mapping {
  void* base;   // what mmap returned (page-aligned)
  size_t span;  // bytes mapped from base, for munmap and msync bounds
  bool file;    // a MAP_SHARED file mapping: the one kind flush() msyncs (private, anonymous and
                // shared memory mappings have no file for msync to write to)
  uint64_t account = 0;  // the Account the bytes were reported to (0: none), see below
  int64_t reported = 0;
};

std::mutex& RegistryMutex() {
  static std::mutex* mutex = new std::mutex();
  return *mutex;
}

std::map<const void*, Mapping*>& Registry() {
  static auto* registry = new std::map<const void*, Mapping*>();
  return *registry;
}

// External memory. V8 schedules collections partly by the external memory each isolate reports,
// and counts no SharedArrayBuffer there (a shared backing store's per-isolate accounting length is
// 0). So a program that drops 1 GiB arrays and makes new ones kept the old ones mapped until
// something else triggered a collection. allocate() reports its bytes to the isolate that called
// it; the deleter, which may run on any thread and after that isolate is gone, cannot call into
// it, so it leaves the amount on the isolate's Account, settled by that isolate's next call
// (allocate or mappingCount). An Account lives as long as its environment (a cleanup hook ends it)
// and is found by id, never by an isolate pointer that a later isolate could reuse.
struct Account {
  std::atomic<int64_t> freed{0};
};

std::map<uint64_t, Account*>& Accounts() {  // guarded by RegistryMutex
  static auto* accounts = new std::map<uint64_t, Account*>();
  return *accounts;
}

thread_local uint64_t this_thread_account = 0;  // one isolate per thread in Node

void EndAccount(void* arg) {
  uint64_t id = reinterpret_cast<uintptr_t>(arg);
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto it = Accounts().find(id);
  if (it != Accounts().end()) {
    delete it->second;
    Accounts().erase(it);
  }
  if (this_thread_account == id) this_thread_account = 0;
}

// This isolate's Account id, opened on first use.
uint64_t ThisAccount(Isolate* isolate) {
  static std::atomic<uint64_t> next{1};
  if (this_thread_account == 0) {
    uint64_t id = next++;
    {
      std::lock_guard<std::mutex> lock(RegistryMutex());
      Accounts()[id] = new Account();
    }
    node::AddEnvironmentCleanupHook(isolate, EndAccount, reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
    this_thread_account = id;
  }
  return this_thread_account;
}

// Reports `delta` more bytes to this isolate, less what its mappings freed since the last report.
void Report(Isolate* isolate, int64_t delta) {
  uint64_t id = ThisAccount(isolate);
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    auto it = Accounts().find(id);
    if (it != Accounts().end()) delta -= it->second->freed.exchange(0);
  }
  if (delta != 0) isolate->AdjustAmountOfExternalAllocatedMemory(delta);
}

// The backing store's deleter: forget the mapping, then unmap the whole span (which starts up to a
// page before `data` when the file offset was not page-aligned).
void Unmap(void* data, size_t /*length*/, void* deleter_data) {
  Mapping* mapping = static_cast<Mapping*>(deleter_data);
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    Registry().erase(data);
    if (mapping->account != 0) {
      auto it = Accounts().find(mapping->account);
      if (it != Accounts().end()) it->second->freed += mapping->reported;
    }
  }
  munmap(mapping->base, mapping->span);
  delete mapping;
}

// ---------------------------------------------------------------------------------------------
// Errors. System call failures become an Error shaped like Node's own (code, errno, syscall,
// path), with a message that names the function, the call and the file.

Local<String> Str(Isolate* isolate, const std::string& s) {
  return String::NewFromUtf8(isolate, s.c_str(), v8::NewStringType::kNormal, static_cast<int>(s.size()))
      .ToLocalChecked();
}

void ThrowErrno(Isolate* isolate, int err, const char* fn, const char* syscall, const std::string& path) {
  std::string message = std::string(fn) + ": " + syscall;
  if (!path.empty()) message += " '" + path + "'";
  message += " failed: " + std::string(uv_strerror(-err)) + " (" + uv_err_name(-err) + ")";
  Local<Context> context = isolate->GetCurrentContext();
  Local<Object> error = Exception::Error(Str(isolate, message)).As<Object>();
  error->Set(context, Str(isolate, "code"), Str(isolate, uv_err_name(-err))).Check();
  error->Set(context, Str(isolate, "errno"), Number::New(isolate, -err)).Check();
  error->Set(context, Str(isolate, "syscall"), Str(isolate, syscall)).Check();
  if (!path.empty()) error->Set(context, Str(isolate, "path"), Str(isolate, path)).Check();
  isolate->ThrowException(error);
}

void ThrowType(Isolate* isolate, const std::string& message) {
  isolate->ThrowException(Exception::TypeError(Str(isolate, message)));
}

void ThrowRange(Isolate* isolate, const std::string& message) {
  isolate->ThrowException(Exception::RangeError(Str(isolate, message)));
}

// ---------------------------------------------------------------------------------------------
// Argument helpers. Sizes arrive as JS numbers: accept only integers in [0, 2^53 - 1], which also
// keeps offset + length from overflowing off_t and size_t.

constexpr uint64_t kMaxSafeInteger = (uint64_t{1} << 53) - 1;

bool ToSize(Isolate* isolate, Local<Value> value, const char* fn, const char* name, uint64_t* out) {
  if (!value->IsNumber()) {
    ThrowType(isolate, std::string(fn) + ": '" + name + "' must be a number");
    return false;
  }
  double d = value.As<Number>()->Value();
  if (!(d >= 0) || d > static_cast<double>(kMaxSafeInteger) || d != static_cast<double>(static_cast<uint64_t>(d))) {
    ThrowRange(isolate, std::string(fn) + ": '" + name + "' must be a nonnegative safe integer");
    return false;
  }
  *out = static_cast<uint64_t>(d);
  return true;
}

bool ToPathString(Isolate* isolate, Local<Value> value, const char* fn, const char* name, std::string* out) {
  if (!value->IsString()) {
    ThrowType(isolate, std::string(fn) + ": '" + name + "' must be a string");
    return false;
  }
  String::Utf8Value utf8(isolate, value);
  std::string s(*utf8, utf8.length());
  // the C calls stop at a NUL: a name with one inside would silently open a different file
  if (s.empty() || s.find('\0') != std::string::npos) {
    ThrowType(isolate, std::string(fn) + ": '" + name + "' must be a nonempty string without NUL characters");
    return false;
  }
  *out = s;
  return true;
}

// The largest typed-array element (Float64Array, BigInt64Array): every SharedArrayBuffer made here
// starts at a multiple of it.
constexpr uint64_t kBufferAlign = 8;

uint64_t PageSize() {
  static const uint64_t size = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return size;
}

// mmap the span, register it and wrap it in a SharedArrayBuffer starting `delta` bytes into the
// span. Returns false (with a JS exception pending) when mmap fails.
bool MapAndReturn(const FunctionCallbackInfo<Value>& args, const char* fn, const std::string& path, size_t delta,
                  size_t length, int prot, int flags, int fd, off_t aligned_offset, bool file) {
  Isolate* isolate = args.GetIsolate();
  size_t span = delta + length;
  void* base = mmap(nullptr, span, prot, flags, fd, aligned_offset);
  if (base == MAP_FAILED) {
    ThrowErrno(isolate, errno, fn, "mmap", path);
    return false;
  }
  Mapping* mapping = new Mapping{base, span, file};
  void* data = static_cast<char*>(base) + delta;
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    Registry()[data] = mapping;
  }
  std::unique_ptr<v8::BackingStore> store = SharedArrayBuffer::NewBackingStore(data, length, Unmap, mapping);
  args.GetReturnValue().Set(SharedArrayBuffer::New(isolate, std::move(store)));
  return true;
}

// An empty mapping: mmap refuses length 0 (EINVAL), and an empty SharedArrayBuffer is what the
// caller needs anyway.
void ReturnEmpty(const FunctionCallbackInfo<Value>& args) {
  args.GetReturnValue().Set(SharedArrayBuffer::New(args.GetIsolate(), 0));
}

// Closes `fd` when `own` is set, keeping errno for the caller's error message.
void CloseIfOwned(int fd, bool own) {
  if (!own) return;
  int saved = errno;
  close(fd);
  errno = saved;
}

// ---------------------------------------------------------------------------------------------
// mapFile(pathOrFd, mode, offset, length) -> SharedArrayBuffer over exactly [offset, offset+length)
// of the file; offset is a multiple of kBufferAlign. Modes are numpy memmap's:
//   'r'  open O_RDONLY, MAP_PRIVATE with PROT_READ|PROT_WRITE. The JS API refuses writes; a stray
//        raw typed-array write lands in a private copy: it neither crashes (SIGSEGV on a PROT_READ
//        page) nor reaches the file.
//   'r+' open O_RDWR, MAP_SHARED: writes reach the file and every other mapping of it.
//   'w+' open O_RDWR|O_CREAT|O_TRUNC, size the file to offset+length, then MAP_SHARED.
//   'c'  open O_RDONLY, MAP_PRIVATE read-write: copy-on-write, never reaches the file.
// For 'r', 'r+' and 'c' a file shorter than offset+length is an error (the mapping would SIGBUS
// past the end); callers that want numpy's growing 'r+' extend the file first.
// A number instead of a path is an open file descriptor; it stays open and the caller's.
void MapFile(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  const char* fn = "mapFile";
  std::string path;
  int fd = -1;
  bool own = false;
  if (args[0]->IsNumber()) {
    double d = args[0].As<Number>()->Value();
    if (!(d >= 0) || d > 2147483647.0 || d != static_cast<double>(static_cast<int>(d))) {
      return ThrowRange(isolate, "mapFile: a file descriptor must be an integer from 0 to 2^31 - 1");
    }
    fd = static_cast<int>(d);
  } else if (!ToPathString(isolate, args[0], fn, "path", &path)) {
    return;
  }
  if (!args[1]->IsString()) return ThrowType(isolate, "mapFile: 'mode' must be a string");
  std::string mode = *String::Utf8Value(isolate, args[1]);
  int open_flags;
  bool shared;
  if (mode == "r" || mode == "c") {
    open_flags = O_RDONLY;
    shared = false;
  } else if (mode == "r+") {
    open_flags = O_RDWR;
    shared = true;
  } else if (mode == "w+") {
    open_flags = O_RDWR | O_CREAT | O_TRUNC;
    shared = true;
  } else {
    return ThrowRange(isolate, "mapFile: 'mode' must be 'r', 'r+', 'w+' or 'c'");
  }
  uint64_t offset, length;
  if (!ToSize(isolate, args[2], fn, "offset", &offset) || !ToSize(isolate, args[3], fn, "length", &length)) return;
  uint64_t end = offset + length;  // both < 2^53: no overflow, and within off_t
  // V8 assumes a SharedArrayBuffer's memory is aligned for every element type: a typed array over
  // one that starts at a misaligned address aborts the process on its slow element path (e.g.
  // Int16Array: "Check failed: kInt32Size <= alignof(ElementType)"). The mapping is page-aligned,
  // so the buffer starts as aligned as the offset is; callers view misaligned data from an aligned
  // buffer at a byte offset instead (src/io/native.ts).
  if (offset % kBufferAlign != 0) {
    return ThrowRange(isolate, "mapFile: 'offset' must be a multiple of " + std::to_string(kBufferAlign) +
                                   ", so the buffer starts aligned for every typed array");
  }

  std::string label = path.empty() ? "fd " + std::to_string(fd) : path;
  if (fd < 0) {
    // O_NONBLOCK: a FIFO would block open() for a writer; with it, open returns and mmap refuses
    // (ENODEV). Regular files ignore the flag.
    fd = open(path.c_str(), open_flags | O_CLOEXEC | O_NONBLOCK, 0666);
    if (fd < 0) return ThrowErrno(isolate, errno, fn, "open", path);
    own = true;
  }
  if (mode == "w+") {
    if (ftruncate(fd, static_cast<off_t>(end)) != 0) {
      CloseIfOwned(fd, own);
      return ThrowErrno(isolate, errno, fn, "ftruncate", label);
    }
  } else {
    struct stat st;
    if (fstat(fd, &st) != 0) {
      CloseIfOwned(fd, own);
      return ThrowErrno(isolate, errno, fn, "fstat", label);
    }
    if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) < end) {
      CloseIfOwned(fd, own);
      return ThrowRange(isolate, "mapFile: the file '" + label + "' is " + std::to_string(st.st_size) +
                                     " bytes, shorter than offset + length = " + std::to_string(end) + " bytes");
    }
  }
  if (length == 0) {
    CloseIfOwned(fd, own);
    return ReturnEmpty(args);
  }
  // mmap wants a page-aligned file offset: map from the page that holds `offset`, and start the
  // buffer `delta` bytes in. The deleter unmaps the whole span.
  uint64_t aligned = offset - offset % PageSize();
  size_t delta = static_cast<size_t>(offset - aligned);
  MapAndReturn(args, fn, label, delta, static_cast<size_t>(length), PROT_READ | PROT_WRITE,
               shared ? MAP_SHARED : MAP_PRIVATE, fd, static_cast<off_t>(aligned), shared);
  // the mapping holds its own reference to the file: the descriptor can go
  CloseIfOwned(fd, own);
}

// The size of a transparent huge page on x86-64 and most arm64 kernels: where a mapping starts on
// such a boundary, the kernel can back it with huge pages from the first fault.
constexpr size_t kHugePage = size_t{2} << 20;

// allocate(length) -> SharedArrayBuffer over fresh zero-filled private anonymous memory, advised to
// use transparent huge pages. What numpy does for large arrays: one fault per 2 MiB instead of
// one per 4 KiB page, which on a virtual machine is most of the cost of first touching fresh
// memory. Private is enough: every thread of the process shares it, and no other process needs it
// (processes share through files or shared memory, mapped by the other functions). The buffer
// starts on a huge-page boundary: up to 2 MiB more is mapped (never touched, so never resident) and the
// deleter unmaps the whole span.
void Allocate(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  uint64_t length;
  if (!ToSize(isolate, args[0], "allocate", "length", &length)) return;
  if (length == 0) return ReturnEmpty(args);
  size_t span = static_cast<size_t>(length) + kHugePage;
  void* base = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return ThrowErrno(isolate, errno, "allocate", "mmap", "");
  uintptr_t start = reinterpret_cast<uintptr_t>(base);
  size_t delta = static_cast<size_t>((kHugePage - start % kHugePage) % kHugePage);
#ifdef MADV_HUGEPAGE
  // advice only: a kernel without transparent huge pages (or with them off) gives 4 KiB pages
  madvise(static_cast<char*>(base) + delta, static_cast<size_t>(length), MADV_HUGEPAGE);
#endif
  Mapping* mapping = new Mapping{base, span, false};
  mapping->account = ThisAccount(isolate);
  mapping->reported = static_cast<int64_t>(length);
  void* data = static_cast<char*>(base) + delta;
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    Registry()[data] = mapping;
  }
  std::unique_ptr<v8::BackingStore> store = SharedArrayBuffer::NewBackingStore(data, static_cast<size_t>(length), Unmap, mapping);
  args.GetReturnValue().Set(SharedArrayBuffer::New(isolate, std::move(store)));
  Report(isolate, static_cast<int64_t>(length));
}

// mapAnonymous(length) -> SharedArrayBuffer over MAP_SHARED|MAP_ANONYMOUS memory (Python's
// mmap(-1, length)): zero-filled, shared with children forked from this process, not with others.
void MapAnonymous(const FunctionCallbackInfo<Value>& args) {
  uint64_t length;
  if (!ToSize(args.GetIsolate(), args[0], "mapAnonymous", "length", &length)) return;
  if (length == 0) return ReturnEmpty(args);
  MapAndReturn(args, "mapAnonymous", "", 0, static_cast<size_t>(length), PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_ANONYMOUS, -1, 0, false);
}

// flush(sab, offset, length) -> true when msync(MS_SYNC) ran over the pages covering
// [offset, offset+length) of the buffer; false (a no-op) for a buffer that is not a live
// MAP_SHARED file mapping of ours ('r' and 'c' maps, anonymous and shared memory, an ordinary
// SharedArrayBuffer).
void Flush(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  if (!args[0]->IsSharedArrayBuffer()) return ThrowType(isolate, "flush: 'buffer' must be a SharedArrayBuffer");
  // holding the backing store keeps the mapping alive for the duration of this call
  std::shared_ptr<v8::BackingStore> store = args[0].As<SharedArrayBuffer>()->GetBackingStore();
  uint64_t offset, length;
  if (!ToSize(isolate, args[1], "flush", "offset", &offset) || !ToSize(isolate, args[2], "flush", "length", &length)) return;
  if (offset + length > store->ByteLength()) {
    return ThrowRange(isolate, "flush: offset + length is past the end of the buffer");
  }
  Mapping* mapping = nullptr;
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    auto it = Registry().find(store->Data());
    if (it != Registry().end()) mapping = it->second;
  }
  if (mapping == nullptr || !mapping->file || length == 0) {
    args.GetReturnValue().Set(false);
    return;
  }
  // msync needs a page-aligned address; the span's base is one, so rounding down stays inside it
  uintptr_t start = reinterpret_cast<uintptr_t>(store->Data()) + offset;
  uintptr_t aligned = start - start % PageSize();
  if (msync(reinterpret_cast<void*>(aligned), static_cast<size_t>(start + length - aligned), MS_SYNC) != 0) {
    return ThrowErrno(isolate, errno, "flush", "msync", "");
  }
  args.GetReturnValue().Set(true);
}

// The bytes of an ArrayBuffer or a SharedArrayBuffer, or nullptr (thrown) for anything else.
bool BufferBytes(Isolate* isolate, Local<Value> value, const char* name, char** data, size_t* length) {
  if (value->IsSharedArrayBuffer()) {
    Local<SharedArrayBuffer> b = value.As<SharedArrayBuffer>();
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
  ThrowType(isolate, std::string("copy: '") + name + "' must be an ArrayBuffer or a SharedArrayBuffer");
  return false;
}

// copy(target, targetOffset, source, sourceOffset, length): memmove of length bytes between two
// buffers, either of them shared. V8 copies to or from a SharedArrayBuffer a word at a time
// (TypedArray.prototype.set); this is memmove's speed, for the ops' WebAssembly block copies.
void Copy(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  char *target, *source;
  size_t targetLength, sourceLength;
  uint64_t targetOffset, sourceOffset, length;
  if (!BufferBytes(isolate, args[0], "target", &target, &targetLength) || !BufferBytes(isolate, args[2], "source", &source, &sourceLength)) return;
  if (!ToSize(isolate, args[1], "copy", "targetOffset", &targetOffset) || !ToSize(isolate, args[3], "copy", "sourceOffset", &sourceOffset) ||
      !ToSize(isolate, args[4], "copy", "length", &length)) {
    return;
  }
  if (targetOffset + length > targetLength || sourceOffset + length > sourceLength) {
    return ThrowRange(isolate, "copy: offset + length is past the end of a buffer");
  }
  memmove(target + targetOffset, source + sourceOffset, static_cast<size_t>(length));
}

// POSIX shared memory names: one leading '/', then 1..254 characters without '/'.
bool ToShmName(Isolate* isolate, Local<Value> value, const char* fn, std::string* out) {
  if (!ToPathString(isolate, value, fn, "name", out)) return false;
  if ((*out)[0] != '/' || out->size() < 2 || out->size() > 255 || out->find('/', 1) != std::string::npos) {
    ThrowRange(isolate, std::string(fn) + ": 'name' must be '/' followed by 1 to 254 characters other than '/'");
    return false;
  }
  return true;
}

// shmOpen(name, create, size) -> SharedArrayBuffer over the POSIX shared memory object `name`.
// create: shm_open(O_CREAT|O_EXCL) so an existing segment is never silently reused, then sized
// with ftruncate; if that or mmap fails the new segment is unlinked again. Attach: the segment's
// current size (fstat); `size` is ignored, as in Python. Mode 0600, as in Python.
void ShmOpen(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  const char* fn = "shmOpen";
  std::string name;
  if (!ToShmName(isolate, args[0], fn, &name)) return;
  if (!args[1]->IsBoolean()) return ThrowType(isolate, "shmOpen: 'create' must be a boolean");
  bool create = args[1].As<v8::Boolean>()->Value();
  uint64_t size;
  if (!ToSize(isolate, args[2], fn, "size", &size)) return;
  int fd = shm_open(name.c_str(), create ? (O_CREAT | O_EXCL | O_RDWR) : O_RDWR, 0600);
  if (fd < 0) return ThrowErrno(isolate, errno, fn, "shm_open", name);
  auto fail = [&](const char* syscall) {
    int saved = errno;
    close(fd);
    if (create) shm_unlink(name.c_str());
    ThrowErrno(isolate, saved, fn, syscall, name);
  };
  if (create) {
    if (ftruncate(fd, static_cast<off_t>(size)) != 0) return fail("ftruncate");
  } else {
    struct stat st;
    if (fstat(fd, &st) != 0) return fail("fstat");
    size = static_cast<uint64_t>(st.st_size);
  }
  if (size == 0) {
    close(fd);
    return ReturnEmpty(args);
  }
  if (!MapAndReturn(args, fn, name, 0, static_cast<size_t>(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0, false)) {
    // MapAndReturn threw already; undo the creation without replacing that exception
    close(fd);
    if (create) shm_unlink(name.c_str());
    return;
  }
  close(fd);
}

// shmUnlink(name): removes the name; memory stays mapped wherever it is mapped until unmapped.
void ShmUnlink(const FunctionCallbackInfo<Value>& args) {
  std::string name;
  if (!ToShmName(args.GetIsolate(), args[0], "shmUnlink", &name)) return;
  if (shm_unlink(name.c_str()) != 0) ThrowErrno(args.GetIsolate(), errno, "shmUnlink", "shm_unlink", name);
}

// mappingCount() -> live mappings in this process (for tests of the unmap-on-GC rule).
void MappingCount(const FunctionCallbackInfo<Value>& args) {
  Report(args.GetIsolate(), 0);
  std::lock_guard<std::mutex> lock(RegistryMutex());
  args.GetReturnValue().Set(static_cast<double>(Registry().size()));
}

// ---------------------------------------------------------------------------------------------
// storeAtExit(words, index, value) -> token; cancelStoreAtExit(token).
//
// A thread that ends without running JavaScript (a worker over its resourceLimits heap, or
// terminate()) runs no 'exit' handler, so a thread blocked on its work, whose event loop is stopped
// too, would never learn of the death. Node runs an environment's cleanup hooks whenever the
// environment is torn down, however the thread ended: one hook stores `value` into the shared
// word `words[index]`, which the blocked thread reads between timed waits. The hook keeps the
// word's backing store alive; cancelling (the work finished) removes the hook.

struct ExitStore {
  std::shared_ptr<v8::BackingStore> store;
  int32_t* word;
  int32_t value;
  Isolate* isolate;
};

// Tokens of this thread's pending stores; a hook runs and is freed on the thread that added it.
thread_local std::map<double, ExitStore*>* exit_stores = nullptr;
thread_local double next_exit_token = 0;

void RunExitStore(void* arg) {
  auto* entry = static_cast<ExitStore*>(arg);
  __atomic_store_n(entry->word, entry->value, __ATOMIC_SEQ_CST);
  if (exit_stores != nullptr) {
    for (auto it = exit_stores->begin(); it != exit_stores->end(); ++it) {
      if (it->second == entry) {
        exit_stores->erase(it);
        break;
      }
    }
  }
  delete entry;
}

void StoreAtExit(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  if (!args[0]->IsInt32Array()) return ThrowType(isolate, "storeAtExit: 'words' must be an Int32Array");
  if (!args[1]->IsUint32() || !args[2]->IsInt32()) return ThrowType(isolate, "storeAtExit: 'index' and 'value' must be integers");
  Local<v8::Int32Array> view = args[0].As<v8::Int32Array>();
  uint32_t index = args[1].As<v8::Uint32>()->Value();
  if (index >= view->Length()) return ThrowRange(isolate, "storeAtExit: 'index' is out of range");
  Local<v8::ArrayBuffer> buffer = view->Buffer();
  auto* entry = new ExitStore{buffer->GetBackingStore(), nullptr, args[2].As<v8::Int32>()->Value(), isolate};
  entry->word = reinterpret_cast<int32_t*>(static_cast<char*>(entry->store->Data()) + view->ByteOffset()) + index;
  if (exit_stores == nullptr) exit_stores = new std::map<double, ExitStore*>();
  double token = ++next_exit_token;
  (*exit_stores)[token] = entry;
  node::AddEnvironmentCleanupHook(isolate, RunExitStore, entry);
  args.GetReturnValue().Set(token);
}

void CancelStoreAtExit(const FunctionCallbackInfo<Value>& args) {
  if (exit_stores == nullptr || !args[0]->IsNumber()) return;
  auto it = exit_stores->find(args[0].As<Number>()->Value());
  if (it == exit_stores->end()) return;
  ExitStore* entry = it->second;
  exit_stores->erase(it);
  node::RemoveEnvironmentCleanupHook(entry->isolate, RunExitStore, entry);
  delete entry;
}

// ---------------------------------------------------------------------------------------------
// Vector math: exp, sin and cos of float64 runs by ports of the package's WebAssembly kernels
// (below), log, expm1, log1p and tanh through glibc's libmvec, the vector functions gcc calls for
// `#pragma omp simd` loops (x86-64 only; elsewhere the table below stays empty).
//
// numpy's float64 exp and sin are SVML's AVX-512 kernels, eight lanes a step; the package's
// WebAssembly SIMD kernels (src/ops/kernels/math.wat) are two. libmvec's AVX-512 and AVX2 kernels
// come from the same Intel code, so this gets numpy's width without shipping a math library; but
// its exp, sin and cos are 4-ULP kernels, which miss numpy 2's 1-ULP accuracy tests: the ports
// give the WebAssembly kernels' bits at numpy's width instead.
// Nothing here links against libmvec: it is dlopen'ed on first use and each function looked up
// by name, and the addon is compiled for the x86-64 baseline, with only the few functions that
// hold vector registers compiled for AVX2 or AVX-512F (target attributes) and called only when
// the CPU has them. So the prebuilt addon loads wherever it did before; where libmvec (glibc
// 2.22; 2.35 for expm1, log1p and tanh) or a symbol is missing, math() offers fewer functions,
// and none without the instructions; the JavaScript side then uses its own kernels.
//
// Special values: libmvec's kernels send every lane outside their fast range (NaN, infinities,
// overflow, underflow) to glibc's scalar function, so results there are libm's. No -ffast-math
// anywhere: nothing reorders or drops NaNs.

// The functions, in the order of their index (the data of each JS function made in math()).
constexpr const char* kMathNames[] = {"exp", "log", "sin", "cos", "expm1", "log1p", "tanh"};
constexpr int kMathCount = sizeof(kMathNames) / sizeof(kMathNames[0]);
// exp, sin and cos: the ports of the WebAssembly kernels (below), not libmvec's
constexpr bool IsPort(int k) { return k == 0 || k == 2 || k == 3; }

#ifdef SHARED_NDARRAY_MVEC

// libmvec's vector-ABI functions are stored untyped: a pointer type with a __m512d parameter is an
// AVX-512 ABI, which the baseline-compiled code must not even name (gcc's -Wpsabi).
struct MathTable {
  int width = 0;                      // 8 (AVX-512F), 4 (AVX2) or 0 (none usable)
  const char* isa = "none";
  void* fn[kMathCount] = {nullptr};  // _ZGVeN8v_<name> or _ZGVdN4v_<name>, or nullptr
  void* pow = nullptr;               // _ZGVdN4vv_pow, or nullptr (width 8: the addon's own Pow8)
  void* powf = nullptr;              // _ZGVeN16vv_powf or _ZGVdN8vv_powf, or nullptr
};

using Vec8 = __m512d (*)(__m512d);
using Vec4 = __m256d (*)(__m256d);

// Runs `f` over n doubles from `in` (element stride is) into `out` (stride os), eight at a time.
// Contiguous runs load and store directly; strided ones gather each group of eight into a
// buffer. The last n % 8 go through the same buffer, its unused lanes copies of the group's
// first element (a value the kernel takes in its stride: padding with 0 would send log's
// spare lanes down its special-value path for nothing).
__attribute__((target("avx512f"))) void Run8(void* fn, const double* in, ptrdiff_t is, double* out, ptrdiff_t os, size_t n) {
  Vec8 f = reinterpret_cast<Vec8>(fn);
  size_t i = 0;
  if (is == 1 && os == 1) {
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(out + i, f(_mm512_loadu_pd(in + i)));
  } else {
    alignas(64) double b[8];
    for (; i + 8 <= n; i += 8) {
      for (int k = 0; k < 8; k++) b[k] = in[static_cast<ptrdiff_t>(i + k) * is];
      _mm512_store_pd(b, f(_mm512_load_pd(b)));
      for (int k = 0; k < 8; k++) out[static_cast<ptrdiff_t>(i + k) * os] = b[k];
    }
  }
  if (i < n) {
    alignas(64) double b[8];
    size_t m = n - i;
    for (size_t k = 0; k < 8; k++) b[k] = in[static_cast<ptrdiff_t>(i + (k < m ? k : 0)) * is];
    _mm512_store_pd(b, f(_mm512_load_pd(b)));
    for (size_t k = 0; k < m; k++) out[static_cast<ptrdiff_t>(i + k) * os] = b[k];
  }
}

// Run8 for AVX2's four lanes.
__attribute__((target("avx2"))) void Run4(void* fn, const double* in, ptrdiff_t is, double* out, ptrdiff_t os, size_t n) {
  Vec4 f = reinterpret_cast<Vec4>(fn);
  size_t i = 0;
  if (is == 1 && os == 1) {
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, f(_mm256_loadu_pd(in + i)));
  } else {
    alignas(32) double b[4];
    for (; i + 4 <= n; i += 4) {
      for (int k = 0; k < 4; k++) b[k] = in[static_cast<ptrdiff_t>(i + k) * is];
      _mm256_store_pd(b, f(_mm256_load_pd(b)));
      for (int k = 0; k < 4; k++) out[static_cast<ptrdiff_t>(i + k) * os] = b[k];
    }
  }
  if (i < n) {
    alignas(32) double b[4];
    size_t m = n - i;
    for (size_t k = 0; k < 4; k++) b[k] = in[static_cast<ptrdiff_t>(i + (k < m ? k : 0)) * is];
    _mm256_store_pd(b, f(_mm256_load_pd(b)));
    for (size_t k = 0; k < m; k++) out[static_cast<ptrdiff_t>(i + k) * os] = b[k];
  }
}


// The WebAssembly kernels of exp, sin and cos (scripts/math-wasm.mjs, the algorithms' source)
// with 8 or 4 lanes: the same operations in the same order on each lane, so the same bits (the
// addon is built with -ffp-contract=off: no multiply-add fuses two roundings into one). Like
// src/ops/kernels/math-simd.ts, a run goes in blocks of kPortBlock elements, and at a block some
// lane of which the kernel refuses the call stops, returning how many elements it finished; the
// JavaScript side (src/ops/kernels/native.ts) computes that block with the scalar kernels the
// WebAssembly path uses for it, then calls again for the rest. So a run's blocks start where the
// WebAssembly path's start, and sin and cos (which choose their loop per block, from its range)
// take the same loop. A refused block's input is left as it was (its output too where that is
// the input). Contiguous blocks are read and written where they are, not copied through a buffer
// first as the WebAssembly path must: the copies doubled exp's time (they do not overlap the
// arithmetic). Strided ones are gathered into a buffer padded with zeros, as there.

constexpr size_t kPortBlock = 4096;
constexpr double kShift = 6755399441055744.0;  // 1.5 * 2^52

// exp's (2^(j/128), tail) pairs, src/ops/kernels/exp-table.ts's values, as math() was given them
// (once per process: every thread passes the same table)
alignas(64) uint64_t exp_h[128];
alignas(64) double exp_tail[128];
std::once_flag exp_table_once;

// Loads and stores at any double's address: through memcpy, since a template argument drops the
// typedefs' aligned(8) (gcc would take every vector as aligned to its size)
#define PORT_LOAD(V, p) \
  ({                    \
    V v_;               \
    std::memcpy(&v_, (p), sizeof v_); \
    v_;                 \
  })
#define PORT_STORE(V, p, v)             \
  do {                                  \
    V v_ = (v);                         \
    std::memcpy((p), &v_, sizeof v_);   \
  } while (0)

// Whether every x of the m at x has |x| < 708 (not NaN): the lanes for which the vector formula
// gives the scalar kernel's bits (the test by which math-simd.ts recomputes a lane).
template <typename F, typename U, int W>
__attribute__((always_inline)) inline bool ExpInRange(const double* x, size_t m) {
  const U magnitude = U{} + 0x7fffffffffffffffull;
  U in = ~U{};
  size_t i = 0;
  for (; i + W <= m; i += W) in &= (U)((F)(PORT_LOAD(U, x + i) & magnitude) < 708.0);
  bool ok = true;
  for (int q = 0; q < W; q++) ok = ok && in[q] != 0;
  for (; i < m; i++) ok = ok && std::fabs(x[i]) < 708;
  return ok;
}

// e^x for the n at src (n a multiple of W) into dst (the same or apart); false if a lane had
// |x| >= 708 or NaN (or |x| a hair under 708: the WebAssembly kernel's test, on z's bits)
template <typename F, typename U, int W>
__attribute__((always_inline)) inline bool ExpKernel(const double* src, double* dst, size_t n) {
  constexpr uint64_t kLimit = 130741;  // math-wasm.mjs's K_LIMIT
  U bad = U{};
  for (size_t i = 0; i < n; i += W) {
    F x = PORT_LOAD(F, src + i);
    F z = x * 184.6649652337873 + kShift;
    F k = z - kShift;
    F r = (x - k * 0.0054152123475432745) - k * 5.812982117197185e-13;
    U zb = (U)z;
    bad |= (U)((zb - (0x4338000000000000ull - kLimit)) > 2 * kLimit);
    // the table's lanes gathered through memory (GCC makes slow lane inserts of h[q] = ...)
    alignas(64) uint64_t js[W], hs[W];
    alignas(64) double ls[W];
    PORT_STORE(U, js, zb & 127);
    for (int q = 0; q < W; q++) {
      hs[q] = exp_h[js[q]];
      ls[q] = exp_tail[js[q]];
    }
    U h = PORT_LOAD(U, hs);
    F l = PORT_LOAD(F, ls);
    // 2^(k >> 7) added into H's exponent bits: (z & ~127) << 45 (1.5 * 2^52's bits shift out)
    F e = (F)(h + ((zb & ~uint64_t{127}) << 45));
    F r2 = r * r;
    F t = ((l + r) + r2 * (0.5 + r * (1.0 / 6))) + (r2 * r2) * (1.0 / 24 + r * (1.0 / 120));
    PORT_STORE(F, dst + i, e + e * t);
  }
  for (int q = 0; q < W; q++) {
    if (bad[q] != 0) return false;
  }
  return true;
}

// math-wasm.mjs's $range over the m at x: 0 if every x is in [-pi/4, pi/4], 1 if every one is
// within 2^19 pi/2, else 2, NaN skipped (by a running pseudo-max and pseudo-min from 0: NaN never
// enters them, so they end at the largest and the smallest other x, or 0, in any order)
template <typename F, typename U, int W>
__attribute__((always_inline)) inline int TrigRange(const double* x, size_t m) {
  const F zero = F{};
  F hi0 = zero, lo0 = zero, hi1 = zero, lo1 = zero;
  size_t i = 0;
  for (; i + 2 * W <= m; i += 2 * W) {
    F x0 = PORT_LOAD(F, x + i), x1 = PORT_LOAD(F, x + i + W);
    hi0 = hi0 < x0 ? x0 : hi0;
    lo0 = x0 < lo0 ? x0 : lo0;
    hi1 = hi1 < x1 ? x1 : hi1;
    lo1 = x1 < lo1 ? x1 : lo1;
  }
  double hi = 0, lo = 0;
  for (int q = 0; q < W; q++) {
    hi = std::max({hi, hi0[q], hi1[q]});
    lo = std::min({lo, lo0[q], lo1[q]});
  }
  for (; i < m; i++) {
    hi = hi < x[i] ? x[i] : hi;
    lo = x[i] < lo ? x[i] : lo;
  }
  if (hi <= 0.7853981633974483 && lo >= -0.7853981633974483) return 0;
  return hi < 823549 && lo > -823549 ? 1 : 2;
}

// fdlibm's kernels (math-wasm.mjs's S and K by its Estrin trees over zz, z2 = zz^2, z4 = z2^2)
#define PORT_SIN_R(zz, z2, z4)                                                                                          \
  (((0.00833333333332249 + zz * -0.0001984126982985795) + z2 * (2.7557313707070068e-6 + zz * -2.5050760253406863e-8)) + \
   z4 * 1.58969099521155e-10)
#define PORT_COS_P(zz, z2, z4)                                                                                    \
  (((0.0416666666666666 + zz * -0.001388888888887411) + z2 * (2.480158728947673e-5 + zz * -2.7557314351390663e-7)) + \
   z4 * (2.087572321298175e-9 + zz * -1.1359647557788195e-11))
constexpr double kS1 = -0.16666666666666632;

// sin or cos of the n at src (n a multiple of W, every |x| <= pi/4) into dst: the kernel alone
template <typename F, typename U, int W, bool kCos>
__attribute__((always_inline)) inline bool TrigSmall(const double* src, double* dst, size_t n) {
  const F zero = F{};
  for (size_t i = 0; i < n; i += W) {
    F x = PORT_LOAD(F, src + i);
    F zz = x * x, z2 = zz * zz, z4 = z2 * z2;
    F out;
    if (kCos) {
      F zr = z2 * PORT_COS_P(zz, z2, z4);
      F hz = 0.5 * zz, w = 1.0 - hz;
      out = w + (((1.0 - w) - hz) + zr);
    } else {
      // x - (0 - v (S1 + z r)), not x + v (...): sin(-0) stays -0
      F v = zz * x;
      out = x - (zero - v * (kS1 + zz * PORT_SIN_R(zz, z2, z4)));
    }
    PORT_STORE(F, dst + i, out);
  }
  return true;
}

// sin or cos in place over the n at b (n a multiple of W, every |x| < 2^19 pi/2): two rounds of
// reduction, both kernels, a choice per lane; false if a lane's reduction cancels so far that
// fdlibm would take a third round (or is NaN)
template <typename F, typename U, int W, bool kCos>
__attribute__((always_inline)) inline bool TrigReduced(double* b, size_t n) {
  U ok = ~U{};
  const U sign = U{} + 0x8000000000000000ull, magnitude = U{} + 0x7fffffffffffffffull;
  for (size_t i = 0; i < n; i += W) {
    F x = PORT_LOAD(F, b + i);
    F z = x * 0.6366197723675814 + kShift;
    F fn = z - kShift;
    F t = x - fn * 1.5707963267341256;
    F w = fn * 6.077100506303966e-11;
    F r = t - w;
    w = fn * 2.0222662487959506e-21 - ((t - r) - w);
    F y = r - w;
    F yt = (r - y) - w;
    ok &= (U)((F)((U)y & magnitude) >= (F)((U)x & magnitude) * 0x1p-45);
    F zz = y * y, z2 = zz * zz, z4 = z2 * z2;
    F v = zz * y;
    F ks = y - (((zz * (0.5 * yt - v * PORT_SIN_R(zz, z2, z4))) - yt) - v * kS1);
    F zr = z2 * PORT_COS_P(zz, z2, z4);
    F hz = 0.5 * zz, cw = 1.0 - hz;
    F kc = cw + (((1.0 - cw) - hz) + (zr - y * yt));
    // quadrant n = fn mod 4 (z's low bits), plus one for cos: odd takes the other kernel, 2 and 3 the negation
    U q = (U)z + (kCos ? 1 : 0);
    U odd = U{} - (q & 1);
    PORT_STORE(F, b + i, (F)((((U)kc & odd) | ((U)ks & ~odd)) ^ ((q << 62) & sign)));
  }
  for (int q = 0; q < W; q++) {
    if (ok[q] == 0) return false;
  }
  return true;
}

// The m % W past `whole` of the m at src into dst, through a vector of them and zeros (`ok` the
// kernel's verdict, for exp).
#define PORT_TAIL(KERNEL)                                   \
  if (whole < m) {                                          \
    alignas(64) double t[W] = {0};                          \
    std::memcpy(t, src + whole, (m - whole) * 8);           \
    ok = KERNEL(t, t, W) && ok;                             \
    std::memcpy(dst + whole, t, (m - whole) * 8);           \
  }

// One block: the m at src into dst, contiguous (src and dst the same or apart), through the
// buffer b of kPortBlock where needed; false (dst unwritten) if the block is refused. A strided
// block comes gathered into b (src = dst = b) and padded with zeros to a multiple of W.
template <typename F, typename U, int W>
__attribute__((always_inline)) inline bool PortBlock(int kind, const double* src, double* dst, size_t m, double* b) {
  size_t whole = m / W * W, padded = (m + W - 1) / W * W;
  bool ok = true;
  if (kind == 0) {
    // in place, a refused block's input must survive: a first pass checks the range (a pass of
    // its own only there: it costs a third more)
    if (src == dst && src != b && !ExpInRange<F, U, W>(src, m)) return false;
    ok = ExpKernel<F, U, W>(src, dst, whole);
    PORT_TAIL((ExpKernel<F, U, W>))
    return ok;
  }
  int range = TrigRange<F, U, W>(src, m);
  if (range == 2) return false;
  if (range == 0) {
    if (kind == 2) {
      TrigSmall<F, U, W, false>(src, dst, whole);
      PORT_TAIL((TrigSmall<F, U, W, false>))
    } else {
      TrigSmall<F, U, W, true>(src, dst, whole);
      PORT_TAIL((TrigSmall<F, U, W, true>))
    }
    return ok;
  }
  // the reduced loop refuses a block only once computed: into b, then out
  if (src != b) {
    std::memcpy(b, src, m * 8);
    for (size_t k = m; k < padded; k++) b[k] = 0;
  }
  if (!(kind == 2 ? TrigReduced<F, U, W, false>(b, padded) : TrigReduced<F, U, W, true>(b, padded))) return false;
  if (dst != b) std::memcpy(dst, b, m * 8);
  return true;
}

// One of the ported kernels over a run in blocks (see above): the elements written, a multiple of
// kPortBlock short of n where a block was refused.
#define PORT_RUN_BODY(F, U, W)                                                                         \
  alignas(64) double b[kPortBlock];                                                                     \
  for (size_t i = 0; i < n; i += kPortBlock) {                                                          \
    size_t m = std::min(kPortBlock, n - i);                                                            \
    const double* src = in + static_cast<ptrdiff_t>(i) * is;                                           \
    double* dst = out + static_cast<ptrdiff_t>(i) * os;                                                \
    if (is == 1 && os == 1) {                                                                          \
      if (!PortBlock<F, U, W>(kind, src, dst, m, b)) return i;                                         \
      continue;                                                                                         \
    }                                                                                                   \
    size_t padded = (m + W - 1) / W * W;                                                               \
    for (size_t k = 0; k < m; k++) b[k] = src[static_cast<ptrdiff_t>(k) * is];                        \
    for (size_t k = m; k < padded; k++) b[k] = 0;                                                      \
    if (!PortBlock<F, U, W>(kind, b, b, padded, b)) return i;                                          \
    for (size_t k = 0; k < m; k++) dst[static_cast<ptrdiff_t>(k) * os] = b[k];                        \
  }                                                                                                     \
  return n;

typedef double PortF8 __attribute__((vector_size(64)));
typedef uint64_t PortU8 __attribute__((vector_size(64)));
typedef double PortF4 __attribute__((vector_size(32)));
typedef uint64_t PortU4 __attribute__((vector_size(32)));

// kind: the function's index in kMathNames (0 exp, 2 sin, 3 cos)
__attribute__((target("avx512f"))) size_t Port8(int kind, const double* in, ptrdiff_t is, double* out, ptrdiff_t os, size_t n) {
  PORT_RUN_BODY(PortF8, PortU8, 8)
}
__attribute__((target("avx2"))) size_t Port4(int kind, const double* in, ptrdiff_t is, double* out, ptrdiff_t os, size_t n) {
  PORT_RUN_BODY(PortF4, PortU4, 4)
}

// The functions of `width` (8: AVX-512F, 4: AVX2), looked up once per process; a table of width 0
// when the CPU lacks those instructions. libmvec's are looked up only for the functions whose
// results meet numpy's accuracy tests (its exp, sin and cos, 4-ULP kernels, miss numpy 2's 1 ULP
// on some of them: the ports above replace them); none when libmvec does not load. The handle is
// never closed: the pointers are used for the life of the process.
MathTable LoadTable(int width) {
  MathTable t;
  __builtin_cpu_init();
  if (width == 8 && !__builtin_cpu_supports("avx512f")) return t;
  if (width == 4 && !__builtin_cpu_supports("avx2")) return t;
  t.width = width;
  t.isa = width == 8 ? "avx512f" : "avx2";
  void* lib = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) return t;
  std::string prefix = width == 8 ? "_ZGVeN8v_" : "_ZGVdN4v_";
  for (int k = 0; k < kMathCount; k++) {
    if (!IsPort(k)) t.fn[k] = dlsym(lib, (prefix + kMathNames[k]).c_str());
  }
  if (width == 4) t.pow = dlsym(lib, "_ZGVdN4vv_pow");
  t.powf = dlsym(lib, width == 8 ? "_ZGVeN16vv_powf" : "_ZGVdN8vv_powf");
  return t;
}

const MathTable& Table(int width) {
  static const MathTable avx512 = LoadTable(8);
  static const MathTable avx2 = LoadTable(4);
  return width == 8 ? avx512 : avx2;
}

// ---------------------------------------------------------------------------------------------
// pow of float64 and float32 runs: the addon's own Pow8 (float64, AVX-512F, below) and libmvec's
// vector pow and powf (_ZGVdN4vv_pow, _ZGVeN16vv_powf, _ZGVdN8vv_powf), within 1 ULP of glibc's
// pow and powf, which they call for the lanes outside their fast path (NaN, infinities, zeros, negative bases,
// overflow, underflow, subnormals): so the special values are C99's, numpy's and those of the
// JavaScript loop's pow (src/ops/kernels/elementwise.ts), which patches Math.pow to C's
// pow(1, y) = 1 and pow(-1, ±inf) = 1 (and for float32 rounds the double power once: powf is
// within 1 float32 ULP of that, test/ops/kernels/pow-native.property.test.ts). That loop answers
// the exponents 2, -1 and 0.5 by x * x, 1 / x and sqrt(x) (pow's exact answers, which libmvec's
// pow misses by an ULP now and then): so do these, per lane.

using PowV4 = __m256d (*)(__m256d, __m256d);

#define POW_INLINE(isa) __attribute__((target(isa), always_inline)) inline

// r with the lanes whose exponent is 2, -1 or 0.5 replaced by x * x, 1 / x or sqrt(x) + 0 (+0 for
// -0), +inf for x = -inf (where sqrt gives NaN)
POW_INLINE("avx512f") __m512d PowExact8(__m512d x, __m512d y, __m512d r) {
  __mmask8 two = _mm512_cmp_pd_mask(y, _mm512_set1_pd(2.0), _CMP_EQ_OQ);
  __mmask8 inv = _mm512_cmp_pd_mask(y, _mm512_set1_pd(-1.0), _CMP_EQ_OQ);
  __mmask8 half = _mm512_cmp_pd_mask(y, _mm512_set1_pd(0.5), _CMP_EQ_OQ);
  if ((two | inv | half) == 0) return r;
  r = _mm512_mask_mul_pd(r, two, x, x);
  r = _mm512_mask_div_pd(r, inv, _mm512_set1_pd(1.0), x);
  // (the masked sqrt: gcc 12's plain one trips -Wmaybe-uninitialized on its own header)
  __m512d s = _mm512_add_pd(_mm512_mask_sqrt_pd(x, half, x), _mm512_setzero_pd());
  s = _mm512_mask_mov_pd(s, _mm512_cmp_pd_mask(x, _mm512_set1_pd(-INFINITY), _CMP_EQ_OQ), _mm512_set1_pd(INFINITY));
  return _mm512_mask_mov_pd(r, half, s);
}
POW_INLINE("avx2") __m256d PowExact4(__m256d x, __m256d y, __m256d r) {
  __m256d two = _mm256_cmp_pd(y, _mm256_set1_pd(2.0), _CMP_EQ_OQ);
  __m256d inv = _mm256_cmp_pd(y, _mm256_set1_pd(-1.0), _CMP_EQ_OQ);
  __m256d half = _mm256_cmp_pd(y, _mm256_set1_pd(0.5), _CMP_EQ_OQ);
  if (_mm256_movemask_pd(_mm256_or_pd(_mm256_or_pd(two, inv), half)) == 0) return r;
  r = _mm256_blendv_pd(r, _mm256_mul_pd(x, x), two);
  r = _mm256_blendv_pd(r, _mm256_div_pd(_mm256_set1_pd(1.0), x), inv);
  __m256d s = _mm256_add_pd(_mm256_sqrt_pd(x), _mm256_setzero_pd());
  s = _mm256_blendv_pd(s, _mm256_set1_pd(INFINITY), _mm256_cmp_pd(x, _mm256_set1_pd(-INFINITY), _CMP_EQ_OQ));
  return _mm256_blendv_pd(r, s, half);
}

// The JavaScript loop's exact cases, one element: e is 2, -1 or 0.5
inline double PowExact(double x, double e) {
  if (e == 2.0) return x * x;
  if (e == -1.0) return 1.0 / x;
  return x == -INFINITY ? INFINITY : std::sqrt(x) + 0.0;
}

// out[j * os] = pow(x[j * xs], y[j * ys]) for j < n (elements of type T, lanes of type B), W
// lanes a step. A scalar exponent (ys = 0) of 2, -1 or 0.5 needs no pow at all (float32 x * x,
// 1 / x and sqrt(x) computed in float64 and rounded once are float32's own). Contiguous runs load
// and store in place; strided ones gather each group of W into buffers. The
// last n % W go through the same buffers, their unused lanes copies of the group's first
// element (a pair the kernel takes in its stride, where zeros would take its special path).
#define POW_RUN_BODY(W, B, V, f, g, LOAD, STORE, EXACT, LOADA, STOREA, SET1)                            \
  size_t i = 0;                                                                                        \
  if (ys == 0 && (y[0] == 2.0 || y[0] == -1.0 || y[0] == 0.5)) {                                       \
    double e = y[0];                                                                                   \
    if (xs == 1 && os == 1) {                                                                          \
      for (; i < n; i++) out[i] = static_cast<T>(PowExact(x[i], e));                                   \
    } else {                                                                                           \
      for (; i < n; i++) out[static_cast<ptrdiff_t>(i) * os] = static_cast<T>(PowExact(x[static_cast<ptrdiff_t>(i) * xs], e)); \
    }                                                                                                  \
    return;                                                                                            \
  }                                                                                                    \
  if (xs == 1 && os == 1 && ys == 0) {                                                                 \
    V yv = SET1(static_cast<B>(y[0]));                                                                 \
    for (; i + W <= n; i += W) STORE(out + i, f(LOAD(x + i), yv));                                     \
  } else if (xs == 1 && os == 1 && ys == 1) {                                                          \
    for (; i + W <= n; i += W) {                                                                       \
      V xv = LOAD(x + i), yv = LOAD(y + i);                                                            \
      STORE(out + i, EXACT(xv, yv, f(xv, yv)));                                                        \
    }                                                                                                  \
  } else {                                                                                             \
    alignas(64) B bx[W], by[W];                                                                        \
    for (; i + W <= n; i += W) {                                                                       \
      for (size_t k = 0; k < W; k++) {                                                                 \
        bx[k] = x[static_cast<ptrdiff_t>(i + k) * xs];                                                 \
        by[k] = y[static_cast<ptrdiff_t>(i + k) * ys];                                                 \
      }                                                                                                \
      V xv = LOADA(bx), yv = LOADA(by);                                                                \
      STOREA(bx, EXACT(xv, yv, g(xv, yv)));                                                            \
      for (size_t k = 0; k < W; k++) out[static_cast<ptrdiff_t>(i + k) * os] = static_cast<T>(bx[k]);  \
    }                                                                                                  \
  }                                                                                                    \
  if (i < n) {                                                                                         \
    alignas(64) B bx[W], by[W];                                                                        \
    size_t m = n - i;                                                                                  \
    for (size_t k = 0; k < W; k++) {                                                                   \
      bx[k] = x[static_cast<ptrdiff_t>(i + (k < m ? k : 0)) * xs];                                     \
      by[k] = y[static_cast<ptrdiff_t>(i + (k < m ? k : 0)) * ys];                                     \
    }                                                                                                  \
    V xv = LOADA(bx), yv = LOADA(by);                                                                  \
    STOREA(bx, EXACT(xv, yv, g(xv, yv)));                                                              \
    for (size_t k = 0; k < m; k++) out[static_cast<ptrdiff_t>(i + k) * os] = static_cast<T>(bx[k]);    \
  }

// The addon's own 8-lane pow (AVX-512F), which replaces libmvec's _ZGVeN8vv_pow: that kernel
// takes ~2.9 ns an element on an AVX-512 Zen core, numpy's SVML ~1.8. Method (as in ARM's
// optimized-routines and glibc's scalar pow, with tables small enough for register permutes
// instead of gathers, which are slow on Zen): x^y = exp(y log x) with log x in double-double.
// log x = k ln2 + log c + log1p(r), x = 2^k z, z in [OFF, 2 OFF), c from a 16-entry table on
// z's top mantissa bits (1 / c rounded; c = 1 for the entry holding 1), r = z / c - 1 exact as
// rhi + rlo (|r| < 0.0298); log1p(r) = r - r^2/2 + r^3/3 + r^4 P(r), the first three terms
// carried in double-double (with |r| up to 2^-5 the r^3 term's rounding alone would cost an
// ULP at |y log x| near 709). P: a degree-8 Chebyshev fit, relative error 2^-72 over |r| < 0.0298.
// exp(e) = 2^(k/16) exp(s), s = e - k ln2/16 in [-ln2/32, ln2/32], expm1(s) = s + s^2 Q(s),
// Q of degree 5 (absolute error 2^-64). Error: within 0.6 ULP of the exact power (see
// test/ops/kernels/pow-native.property.test.ts). Lanes outside the range where every step is
// exact enough (x not a positive normal, y not finite, |y log x| > 708: NaN, infinities, zeros,
// negative bases, subnormals, overflow, underflow) take glibc's scalar pow.
// The tables: bench/investigate/pow-tables.py (mpmath, 200 bits), rounded to double.
constexpr uint64_t kPowOff = 0x3fe6555555555556;  // 1 sits at 2/3 of entry 9: its |r| is the others'
constexpr double kPowThird = 0x1.5555555555555p-2, kPowThirdLo = 0x1.5555555555555p-56;
constexpr double kPowLn2hi = 0x1.62e42fefa3800p-1, kPowLn2lo = 0x1.ef35793c76730p-45;
alignas(64) constexpr double kPowInvc[16] = {0x1.66c612afa64e7p+0, 0x1.57b864407292cp+0, 0x1.49e112e63a6a8p+0, 0x1.3d1c13d1c13d1p+0, 0x1.314abba098a55p+0, 0x1.2652c7480c437p+0, 0x1.1c1d986a8b192p+0, 0x1.12979907269d5p+0, 0x1.09afbd94109afp+0, 0x1.0000000000000p+0, 0x1.e6a74981446f7p-1, 0x1.cb5d4ef40991ep-1, 0x1.b2f9341b2f933p-1, 0x1.9d0ac19d0ac19p-1, 0x1.89374bc6a7ef9p-1, 0x1.7734c36b7b1d4p-1};
alignas(64) constexpr double kPowLogcHi[16] = {-0x1.599d63116c000p-2, -0x1.2db8ec8e8a000p-2, -0x1.03a25dcb05000p-2, -0x1.b66a7745e6000p-3, -0x1.68a266e2f8000p-3, -0x1.1db2fe622a000p-3, -0x1.aad19489c8000p-4, -0x1.1f2b355e90000p-4, -0x1.303f467128000p-5, 0x0.0p+0, 0x1.9fed48a0a8000p-5, 0x1.bc5632de88000p-4, 0x1.4de7b857bc000p-3, 0x1.b7dc1d0462000p-3, 0x1.0e4cfbea85000p-2, 0x1.3e4f3c1b23000p-2};
alignas(64) constexpr double kPowLogcLo[16] = {0x1.9b932dd7b92d6p-44, -0x1.9e3b5041dea3cp-44, -0x1.21544a2ed22b0p-47, -0x1.e09d53447ad83p-45, 0x1.5fe819d3a478bp-44, 0x1.44e59f3445196p-45, 0x1.42ab8e61210a5p-44, 0x1.105e4769ff248p-45, -0x1.4d37ec1107943p-47, 0x0.0p+0, 0x1.c62f941daabe5p-45, 0x1.8dc7d37d14021p-44, 0x1.8eeb6c2290a04p-44, 0x1.6ad6a9c5163efp-44, -0x1.1735d31e9d581p-46, 0x1.a9b8b39ab2cf7p-44};
alignas(64) constexpr double kPowLogPoly[9] = {-0x1.0000000000000p-2, 0x1.999999999995ep-3, -0x1.555555555551ep-3, 0x1.249249256c981p-3, -0x1.00000000cab7dp-3, 0x1.c71c569a52a64p-4, -0x1.9999805da1a72p-4, 0x1.74fd6ca22ea9dp-4, -0x1.55ea374da5cfap-4};
alignas(64) constexpr double kPowExpPoly[6] = {0x1.0000000000001p-1, 0x1.5555555555556p-3, 0x1.55555554e05e3p-5, 0x1.11111110dd150p-7, 0x1.6c17f96a3dbd8p-10, 0x1.a01b16f3b6b7dp-13};
alignas(64) constexpr double kPowExpTail[16] = {0x0.0p+0, 0x1.79aa65d837b6dp-54, -0x1.01b15eaa59348p-55, 0x1.68efde3a8a894p-54, 0x1.34d754db0abb6p-55, 0x1.59f48a72a4c6dp-55, 0x1.690cebb7aafb0p-56, 0x1.063e1e21c5409p-54, -0x1.3b3efbf5e2228p-54, -0x1.b32dcb94da51dp-56, 0x1.db72fc1f0eab4p-55, 0x1.1affc2b91ce27p-56, 0x1.c1a7792cb3387p-55, 0x1.36eae30af0cb3p-56, 0x1.4a385a63d07a7p-56, -0x1.ff7128fd391f0p-55};
alignas(64) constexpr uint64_t kPowExpBits[16] = {0x3ff0000000000000, 0x3fefb5586cf9890f, 0x3fef72b83c7d517b, 0x3fef387a6e756238, 0x3fef06fe0a31b715, 0x3feedea64c123422, 0x3feebfdad5362a27, 0x3feeab07dd485429, 0x3feea09e667f3bcd, 0x3feea11473eb0187, 0x3feeace5422aa0db, 0x3feec49182a3f090, 0x3feee89f995ad3ad, 0x3fef199bdd85529c, 0x3fef5818dcfba487, 0x3fefa4afa2a490da};
constexpr double kPowInvLn2N = 0x1.71547652b82fep+4, kPowNegLn2hiN = -0x1.62e42fefa3a00p-5, kPowNegLn2loN = 0x1.0ca86c3898d00p-53;

#define POW8_INLINE __attribute__((target("avx512f"), always_inline)) inline

// x^y in the lanes of *fast (see above); the other lanes hold anything
POW8_INLINE __m512d PowCore8(__m512d x, __m512d y, __mmask8* fast) {
  const __m512i ix = _mm512_castpd_si512(x);
  const __m512d one = _mm512_set1_pd(1.0);
  // x a positive normal, y finite
  __mmask8 ok = _mm512_cmplt_epu64_mask(_mm512_sub_epi64(ix, _mm512_set1_epi64(0x0010000000000000)),
                                        _mm512_set1_epi64(0x7fe0000000000000));
  ok &= _mm512_cmplt_epu64_mask(_mm512_and_si512(_mm512_castpd_si512(y), _mm512_set1_epi64(0x7fffffffffffffff)),
                                _mm512_set1_epi64(0x7ff0000000000000));
  // x = 2^k z; the permutes read the entry from the low 4 bits of tmp >> 48
  const __m512i tmp = _mm512_sub_epi64(ix, _mm512_set1_epi64(kPowOff));
  const __m512i idx = _mm512_srli_epi64(tmp, 48);
  // k as a double without AVX-512DQ's conversion: |k| < 1100 lands in the low bits of 1.5 * 2^52
  const __m512d shift = _mm512_set1_pd(0x1.8p52);
  const __m512d kd = _mm512_sub_pd(
      _mm512_castsi512_pd(_mm512_add_epi64(_mm512_srai_epi64(tmp, 52), _mm512_castpd_si512(shift))), shift);
  const __m512d z =
      _mm512_castsi512_pd(_mm512_sub_epi64(ix, _mm512_and_si512(tmp, _mm512_set1_epi64(static_cast<int64_t>(0xfff0000000000000)))));
  const __m512d invc = _mm512_permutex2var_pd(_mm512_load_pd(kPowInvc), idx, _mm512_load_pd(kPowInvc + 8));
  const __m512d logchi = _mm512_permutex2var_pd(_mm512_load_pd(kPowLogcHi), idx, _mm512_load_pd(kPowLogcHi + 8));
  const __m512d logclo = _mm512_permutex2var_pd(_mm512_load_pd(kPowLogcLo), idx, _mm512_load_pd(kPowLogcLo + 8));
  // r = z invc - 1 = rh + rl exactly (z invc - 1 needs more than 53 bits with a full-width invc)
  const __m512d ph = _mm512_mul_pd(z, invc), pl = _mm512_fmsub_pd(z, invc, ph);
  const __m512d s = _mm512_sub_pd(ph, one);
  const __m512d rh = _mm512_add_pd(s, pl), rl = _mm512_add_pd(_mm512_sub_pd(s, rh), pl);
  // k ln2 + log c: t1 exact (both are multiples of 2^-42); then + r, fast two-sum (|t1| > |r| or t1 = 0)
  const __m512d t1 = _mm512_fmadd_pd(kd, _mm512_set1_pd(kPowLn2hi), logchi);
  const __m512d lo1 = _mm512_fmadd_pd(kd, _mm512_set1_pd(kPowLn2lo), logclo);
  const __m512d t2 = _mm512_add_pd(t1, rh), lo2 = _mm512_add_pd(_mm512_sub_pd(t1, t2), rh);
  // - r^2 / 2
  const __m512d r2 = _mm512_mul_pd(rh, rh), e2 = _mm512_fmsub_pd(rh, rh, r2);
  const __m512d ar2 = _mm512_mul_pd(r2, _mm512_set1_pd(-0.5)), lo3 = _mm512_mul_pd(e2, _mm512_set1_pd(-0.5));
  const __m512d h1 = _mm512_add_pd(t2, ar2), lo4 = _mm512_add_pd(_mm512_sub_pd(t2, h1), ar2);
  // + r^3 / 3
  const __m512d r3 = _mm512_mul_pd(r2, rh), e3 = _mm512_fmadd_pd(e2, rh, _mm512_fmsub_pd(r2, rh, r3));
  const __m512d third = _mm512_set1_pd(kPowThird);
  const __m512d q = _mm512_mul_pd(r3, third);
  const __m512d eq = _mm512_fmadd_pd(r3, _mm512_set1_pd(kPowThirdLo), _mm512_fmadd_pd(e3, third, _mm512_fmsub_pd(r3, third, q)));
  const __m512d h2 = _mm512_add_pd(h1, q), lo5 = _mm512_add_pd(_mm512_sub_pd(h1, h2), q);
  // + r^4 P(r), Estrin
  const __m512d r4 = _mm512_mul_pd(r2, r2);
#define C(j) _mm512_set1_pd(kPowLogPoly[j])
  const __m512d p01 = _mm512_fmadd_pd(rh, C(1), C(0)), p23 = _mm512_fmadd_pd(rh, C(3), C(2));
  const __m512d p45 = _mm512_fmadd_pd(rh, C(5), C(4)), p67 = _mm512_fmadd_pd(rh, C(7), C(6));
  const __m512d p48 = _mm512_fmadd_pd(r4, C(8), _mm512_fmadd_pd(r2, p67, p45));
  const __m512d p = _mm512_mul_pd(r4, _mm512_fmadd_pd(r4, p48, _mm512_fmadd_pd(r2, p23, p01)));
#undef C
  // log1p(rh + rl) = log1p(rh) + rl (1 - rh + rh^2) + O(rl r^3): rl is up to 2^-53 r, so the
  // rh^2 term still counts at |y log x| near 709
  const __m512d lrl = _mm512_fnmadd_pd(rl, _mm512_sub_pd(rh, r2), rl);
  const __m512d lo = _mm512_add_pd(_mm512_add_pd(_mm512_add_pd(lo1, lo2), _mm512_add_pd(lo3, lo4)),
                                   _mm512_add_pd(_mm512_add_pd(lo5, eq), _mm512_add_pd(p, lrl)));
  const __m512d lh = _mm512_add_pd(h2, lo), ll = _mm512_add_pd(_mm512_sub_pd(h2, lh), lo);
  // e = y log x = eh + el
  const __m512d eh = _mm512_mul_pd(y, lh), el = _mm512_fmadd_pd(y, ll, _mm512_fmsub_pd(y, lh, eh));
  // exp(e) normal and finite: |e| <= 708
  ok &= _mm512_cmp_pd_mask(_mm512_abs_pd(eh), _mm512_set1_pd(708.0), _CMP_LE_OQ);
  *fast = ok;
  // e = k ln2 / 16 + s
  const __m512d kz = _mm512_add_pd(_mm512_mul_pd(eh, _mm512_set1_pd(kPowInvLn2N)), shift);
  const __m512i ki = _mm512_castpd_si512(kz);
  const __m512d ke = _mm512_sub_pd(kz, shift);
  __m512d sr = _mm512_fmadd_pd(ke, _mm512_set1_pd(kPowNegLn2hiN), eh);
  sr = _mm512_add_pd(_mm512_fmadd_pd(ke, _mm512_set1_pd(kPowNegLn2loN), sr), el);
  // 2^(k/16) = scale (1 + tail)
  const __m512d tail = _mm512_permutex2var_pd(_mm512_load_pd(kPowExpTail), ki, _mm512_load_pd(kPowExpTail + 8));
  const __m512i sbits = _mm512_add_epi64(
      _mm512_permutex2var_epi64(_mm512_load_si512(kPowExpBits), ki, _mm512_load_si512(kPowExpBits + 8)),
      _mm512_slli_epi64(ki, 48));
  const __m512d scale = _mm512_castsi512_pd(sbits);
#define C(j) _mm512_set1_pd(kPowExpPoly[j])
  const __m512d s2 = _mm512_mul_pd(sr, sr);
  const __m512d q01 = _mm512_fmadd_pd(sr, C(1), C(0)), q23 = _mm512_fmadd_pd(sr, C(3), C(2)), q45 = _mm512_fmadd_pd(sr, C(5), C(4));
  const __m512d qv = _mm512_fmadd_pd(s2, _mm512_fmadd_pd(s2, q45, q23), q01);
#undef C
  // scale (1 + tail + expm1(s)), rounded once
  const __m512d t = _mm512_add_pd(tail, _mm512_fmadd_pd(s2, qv, sr));
  return _mm512_fmadd_pd(scale, t, scale);
}

// x^y, eight lanes: PowCore8's, and glibc's pow for the lanes it leaves
POW8_INLINE __m512d Pow8(__m512d x, __m512d y) {
  __mmask8 fast;
  __m512d r = PowCore8(x, y, &fast);
  if (__builtin_expect(fast != 0xff, 0)) {
    alignas(64) double bx[8], by[8], br[8];
    _mm512_store_pd(bx, x);
    _mm512_store_pd(by, y);
    _mm512_store_pd(br, r);
    for (int k = 0; k < 8; k++) {
      if (!((fast >> k) & 1)) br[k] = std::pow(bx[k], by[k]);
    }
    r = _mm512_load_pd(br);
  }
  return r;
}

// Pow8 not inlined: the strided runs and the tail, where a call a step costs little, call this
// one copy (each inlined copy adds ~2 kB to the addon)
__attribute__((target("avx512f"), noinline)) __m512d Pow8Call(__m512d x, __m512d y) { return Pow8(x, y); }

__attribute__((target("avx512f"))) void PowRun8(const double* x, ptrdiff_t xs, const double* y, ptrdiff_t ys, double* out, ptrdiff_t os, size_t n) {
  using T = double;
  POW_RUN_BODY(8, double, __m512d, Pow8, Pow8Call, _mm512_loadu_pd, _mm512_storeu_pd, PowExact8, _mm512_load_pd, _mm512_store_pd, _mm512_set1_pd)
}
__attribute__((target("avx2"))) void PowRun4(void* fn, const double* x, ptrdiff_t xs, const double* y, ptrdiff_t ys, double* out, ptrdiff_t os, size_t n) {
  using T = double;
  PowV4 f = reinterpret_cast<PowV4>(fn);
  POW_RUN_BODY(4, double, __m256d, f, f, _mm256_loadu_pd, _mm256_storeu_pd, PowExact4, _mm256_load_pd, _mm256_store_pd, _mm256_set1_pd)
}

// libmvec's powf: float32 lanes, twice as many a step. Its exact cases in float32 arithmetic:
// x * x, 1 / x and sqrt(x) of float32 operands rounded once are those of float64 rounded to
// float32 (the JavaScript loop's), float64 having more than twice float32's precision.
using PowfV16 = __m512 (*)(__m512, __m512);
using PowfV8 = __m256 (*)(__m256, __m256);

POW_INLINE("avx512f") __m512 PowfExact16(__m512 x, __m512 y, __m512 r) {
  __mmask16 two = _mm512_cmp_ps_mask(y, _mm512_set1_ps(2.0f), _CMP_EQ_OQ);
  __mmask16 inv = _mm512_cmp_ps_mask(y, _mm512_set1_ps(-1.0f), _CMP_EQ_OQ);
  __mmask16 half = _mm512_cmp_ps_mask(y, _mm512_set1_ps(0.5f), _CMP_EQ_OQ);
  if ((two | inv | half) == 0) return r;
  r = _mm512_mask_mul_ps(r, two, x, x);
  r = _mm512_mask_div_ps(r, inv, _mm512_set1_ps(1.0f), x);
  __m512 s = _mm512_add_ps(_mm512_mask_sqrt_ps(x, half, x), _mm512_setzero_ps());
  s = _mm512_mask_mov_ps(s, _mm512_cmp_ps_mask(x, _mm512_set1_ps(-INFINITY), _CMP_EQ_OQ), _mm512_set1_ps(INFINITY));
  return _mm512_mask_mov_ps(r, half, s);
}
POW_INLINE("avx2") __m256 PowfExact8(__m256 x, __m256 y, __m256 r) {
  __m256 two = _mm256_cmp_ps(y, _mm256_set1_ps(2.0f), _CMP_EQ_OQ);
  __m256 inv = _mm256_cmp_ps(y, _mm256_set1_ps(-1.0f), _CMP_EQ_OQ);
  __m256 half = _mm256_cmp_ps(y, _mm256_set1_ps(0.5f), _CMP_EQ_OQ);
  if (_mm256_movemask_ps(_mm256_or_ps(_mm256_or_ps(two, inv), half)) == 0) return r;
  r = _mm256_blendv_ps(r, _mm256_mul_ps(x, x), two);
  r = _mm256_blendv_ps(r, _mm256_div_ps(_mm256_set1_ps(1.0f), x), inv);
  __m256 s = _mm256_add_ps(_mm256_sqrt_ps(x), _mm256_setzero_ps());
  s = _mm256_blendv_ps(s, _mm256_set1_ps(INFINITY), _mm256_cmp_ps(x, _mm256_set1_ps(-INFINITY), _CMP_EQ_OQ));
  return _mm256_blendv_ps(r, s, half);
}

__attribute__((target("avx512f"))) void PowfRun16(void* fn, const float* x, ptrdiff_t xs, const float* y, ptrdiff_t ys, float* out, ptrdiff_t os, size_t n) {
  using T = float;
  PowfV16 f = reinterpret_cast<PowfV16>(fn);
  POW_RUN_BODY(16, float, __m512, f, f, _mm512_loadu_ps, _mm512_storeu_ps, PowfExact16, _mm512_load_ps, _mm512_store_ps, _mm512_set1_ps)
}
__attribute__((target("avx2"))) void PowfRun8(void* fn, const float* x, ptrdiff_t xs, const float* y, ptrdiff_t ys, float* out, ptrdiff_t os, size_t n) {
  using T = float;
  PowfV8 f = reinterpret_cast<PowfV8>(fn);
  POW_RUN_BODY(8, float, __m256, f, f, _mm256_loadu_ps, _mm256_storeu_ps, PowfExact8, _mm256_load_ps, _mm256_store_ps, _mm256_set1_ps)
}

#endif  // SHARED_NDARRAY_MVEC

// A Float64Array argument's elements, or false (thrown) for anything else.
bool Float64Elements(Isolate* isolate, Local<Value> value, const char* name, double** data, size_t* length) {
  if (!value->IsFloat64Array()) {
    ThrowType(isolate, std::string("math: '") + name + "' must be a Float64Array");
    return false;
  }
  Local<v8::Float64Array> view = value.As<v8::Float64Array>();
  *data = reinterpret_cast<double*>(static_cast<char*>(view->Buffer()->Data()) + view->ByteOffset());
  *length = view->Length();
  return true;
}

// An element offset and stride walking `count` elements of an array of `length`, or false (thrown)
// when an index would fall outside it.
bool InBounds(Isolate* isolate, Local<Value> offset, Local<Value> stride, size_t length, uint64_t count, const char* name,
              uint64_t* start, int64_t* step) {
  if (!ToSize(isolate, offset, "math", name, start)) return false;
  if (!stride->IsNumber()) {
    ThrowType(isolate, std::string("math: the stride of '") + name + "' must be a number");
    return false;
  }
  double s = stride.As<Number>()->Value();
  if (!(std::abs(s) <= static_cast<double>(kMaxSafeInteger)) || s != static_cast<double>(static_cast<int64_t>(s))) {
    ThrowRange(isolate, std::string("math: the stride of '") + name + "' must be a safe integer");
    return false;
  }
  *step = static_cast<int64_t>(s);
  if (count == 0) return true;
  // the last index, start + (count - 1) * step, in exact 128-bit arithmetic
  __int128 last = static_cast<__int128>(*start) + static_cast<__int128>(count - 1) * *step;
  if (*start >= length || last < 0 || last >= static_cast<__int128>(length)) {
    ThrowRange(isolate, std::string("math: '") + name + "' is too short for that offset, stride and count");
    return false;
  }
  return true;
}

// <name>(input, inputOffset, inputStride, output, outputOffset, outputStride, count):
// output[outputOffset + j * outputStride] = name(input[inputOffset + j * inputStride]) for
// j < count, both Float64Arrays (either over a SharedArrayBuffer). Pure: no state but libmvec's
// table; any thread may call it on its own rows. The function's index in kMathNames is its data.
void MathCall(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  double *in, *out;
  size_t inLength, outLength;
  uint64_t inStart, outStart, count;
  int64_t inStep, outStep;
  if (!Float64Elements(isolate, args[0], "input", &in, &inLength) || !Float64Elements(isolate, args[3], "output", &out, &outLength) ||
      !ToSize(isolate, args[6], "math", "count", &count) ||
      !InBounds(isolate, args[1], args[2], inLength, count, "input", &inStart, &inStep) ||
      !InBounds(isolate, args[4], args[5], outLength, count, "output", &outStart, &outStep)) {
    return;
  }
  args.GetReturnValue().Set(static_cast<double>(count));
  if (count == 0) return;
#ifdef SHARED_NDARRAY_MVEC
  // the data is index * 16 + width, of a function math() found in that width's table
  int data = args.Data().As<v8::Int32>()->Value();
  int k = data / 16;
  bool wide = data % 16 == 8;
  if (IsPort(k)) {
    size_t done = wide ? Port8(k, in + inStart, inStep, out + outStart, outStep, count)
                       : Port4(k, in + inStart, inStep, out + outStart, outStep, count);
    return args.GetReturnValue().Set(static_cast<double>(done));
  }
  void* fn = Table(data % 16).fn[k];
  if (wide) return Run8(fn, in + inStart, inStep, out + outStart, outStep, count);
  return Run4(fn, in + inStart, inStep, out + outStart, outStep, count);
#else
  // math() offers no function on a build without the table: unreachable from its result
  ThrowType(isolate, "math: no vector math in this build");
#endif
}

// A Float64Array (T = double) or Float32Array (T = float) argument's elements, or false (thrown).
template <typename T>
bool TypedElements(Isolate* isolate, Local<Value> value, const char* fn, const char* name, T** data, size_t* length) {
  constexpr bool wide = sizeof(T) == 8;
  if (!(wide ? value->IsFloat64Array() : value->IsFloat32Array())) {
    ThrowType(isolate, std::string(fn) + ": '" + name + "' must be a " + (wide ? "Float64Array" : "Float32Array"));
    return false;
  }
  Local<v8::TypedArray> view = value.As<v8::TypedArray>();
  *data = reinterpret_cast<T*>(static_cast<char*>(view->Buffer()->Data()) + view->ByteOffset());
  *length = view->Length();
  return true;
}

// pow(x, xOffset, xStride, y, yOffset, yStride, output, outputOffset, outputStride, count), and
// powf (libmvec's powf) over Float32Arrays: output[outputOffset + j * outputStride] = pow(x[...], y[...])
// for j < count (a stride of 0 repeats an element: a scalar exponent). The data is the width,
// plus 16 for powf.
template <typename T>
void PowCallOf(const FunctionCallbackInfo<Value>& args, const char* fn) {
  Isolate* isolate = args.GetIsolate();
  T *x, *y, *out;
  size_t xLength, yLength, outLength;
  uint64_t xStart, yStart, outStart, count;
  int64_t xStep, yStep, outStep;
  if (!TypedElements(isolate, args[0], fn, "x", &x, &xLength) || !TypedElements(isolate, args[3], fn, "y", &y, &yLength) ||
      !TypedElements(isolate, args[6], fn, "output", &out, &outLength) || !ToSize(isolate, args[9], "math", "count", &count) ||
      !InBounds(isolate, args[1], args[2], xLength, count, "x", &xStart, &xStep) ||
      !InBounds(isolate, args[4], args[5], yLength, count, "y", &yStart, &yStep) ||
      !InBounds(isolate, args[7], args[8], outLength, count, "output", &outStart, &outStep)) {
    return;
  }
  if (count == 0) return;
#ifdef SHARED_NDARRAY_MVEC
  int width = args.Data().As<v8::Int32>()->Value() % 16;
  if constexpr (sizeof(T) == 4) {
    void* f = Table(width).powf;
    if (width == 8) return PowfRun16(f, x + xStart, xStep, y + yStart, yStep, out + outStart, outStep, count);
    return PowfRun8(f, x + xStart, xStep, y + yStart, yStep, out + outStart, outStep, count);
  } else {
    void* f = Table(width).pow;
    if (width == 8) return PowRun8(x + xStart, xStep, y + yStart, yStep, out + outStart, outStep, count);
    return PowRun4(f, x + xStart, xStep, y + yStart, yStep, out + outStart, outStep, count);
  }
#else
  ThrowType(isolate, "math: no vector math in this build");
#endif
}

void PowCall(const FunctionCallbackInfo<Value>& args) {
  if (args.Data().As<v8::Int32>()->Value() >= 16) return PowCallOf<float>(args, "powf");
  PowCallOf<double>(args, "pow");
}

// math(widest = 8) -> { isa, functions: { exp, log, ... } }: the vector math functions this
// machine runs with vectors of at most `widest` doubles, widest first, and the instruction set
// they use ('avx512f', 'avx2', or 'none' with no functions). `widest` 4 tests the AVX2 kernels on
// an AVX-512 machine.
void MathFunctions(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  Local<Object> result = Object::New(isolate);
  Local<Object> functions = Object::New(isolate);
  const char* isa = "none";
#ifdef SHARED_NDARRAY_MVEC
  uint64_t widest = 8;
  if (!args[0]->IsUndefined() && !ToSize(isolate, args[0], "math", "widest", &widest)) return;
  // exp's table, which exp is offered with only once some call has passed it
  static std::atomic<bool> has_exp_table{false};
  if (!args[1]->IsUndefined()) {
    double* table;
    size_t length;
    if (!Float64Elements(isolate, args[1], "expTable", &table, &length)) return;
    if (length != 256) return ThrowRange(isolate, "math: 'expTable' must hold 256 doubles");
    std::call_once(exp_table_once, [table] {
      for (int j = 0; j < 128; j++) {
        std::memcpy(&exp_h[j], &table[2 * j], 8);
        exp_tail[j] = table[2 * j + 1];
      }
      has_exp_table.store(true);
    });
  }
  const MathTable* table = nullptr;
  for (int width : {8, 4}) {
    if (width <= static_cast<int>(widest) && Table(width).width != 0) {
      table = &Table(width);
      break;
    }
  }
  static const MathTable none;
  const MathTable& t = table != nullptr ? *table : none;
  isa = t.isa;
  for (int k = 0; k < kMathCount; k++) {
    if (t.width == 0 || (IsPort(k) ? k == 0 && !has_exp_table.load() : t.fn[k] == nullptr)) continue;
    Local<v8::Function> fn =
        FunctionTemplate::New(isolate, MathCall, v8::Int32::New(isolate, k * 16 + t.width))->GetFunction(context).ToLocalChecked();
    fn->SetName(Str(isolate, kMathNames[k]));
    functions->Set(context, Str(isolate, kMathNames[k]), fn).Check();
  }
  for (int f32 : {0, 1}) {
    if (t.width != 0 && (f32 ? t.powf != nullptr : t.width == 8 || t.pow != nullptr)) {
      const char* name = f32 ? "powf" : "pow";
      Local<v8::Function> fn =
          FunctionTemplate::New(isolate, PowCall, v8::Int32::New(isolate, t.width + 16 * f32))->GetFunction(context).ToLocalChecked();
      fn->SetName(Str(isolate, name));
      result->Set(context, Str(isolate, name), fn).Check();
    }
  }
#endif
  result->Set(context, Str(isolate, "isa"), Str(isolate, isa)).Check();
  result->Set(context, Str(isolate, "functions"), functions).Check();
  args.GetReturnValue().Set(result);
}

// ---------------------------------------------------------------------------------------------
// sumRows(x, offset, n, rowStride, m, acc, accOffset): acc[accOffset + j] = the sum down n rows of
// column j, x[offset + r * rowStride + j] (contiguous columns), for j < m: numpy's sum(axis=0) of
// a C matrix. The same operations in the same order as sumRows in src/ops/kernels/reduce.ts, so
// the same bits: columns in tiles of 4096; rows halved (the first half floor(n / 2)) down to
// leaves of at most 32 rows, whose sums start at +0 and add eight rows at a time as a tree, then
// four, then one; the second half's sums added to the first's. Vectors run along the columns,
// where every lane does one column's scalar sequence, so the width changes no bit.

constexpr size_t kSumTile = 4096;
constexpr size_t kRowLeaf = 32;

#define SUM_ROWS_LEAF_BODY(V, L)                                                                        \
  for (size_t j = 0; j < w; j++) acc[j] = 0;                                                           \
  size_t r = 0;                                                                                         \
  const double* q = x;                                                                                  \
  for (; r + 7 < n; r += 8, q += 8 * rs) {                                                              \
    const double *q1 = q + rs, *q2 = q1 + rs, *q3 = q2 + rs, *q4 = q3 + rs, *q5 = q4 + rs, *q6 = q5 + rs, \
                 *q7 = q6 + rs;                                                                         \
    size_t j = 0;                                                                                       \
    for (; j + L <= w; j += L) {                                                                        \
      V u = ((LOADV(V, q + j) + LOADV(V, q1 + j)) + (LOADV(V, q2 + j) + LOADV(V, q3 + j))) +            \
            ((LOADV(V, q4 + j) + LOADV(V, q5 + j)) + (LOADV(V, q6 + j) + LOADV(V, q7 + j)));            \
      STOREV(V, acc + j, LOADV(V, acc + j) + u);                                                        \
    }                                                                                                   \
    for (; j < w; j++) acc[j] += ((q[j] + q1[j]) + (q2[j] + q3[j])) + ((q4[j] + q5[j]) + (q6[j] + q7[j])); \
  }                                                                                                     \
  for (; r + 3 < n; r += 4, q += 4 * rs) {                                                              \
    const double *q1 = q + rs, *q2 = q1 + rs, *q3 = q2 + rs;                                            \
    for (size_t j = 0; j < w; j++) acc[j] += (q[j] + q1[j]) + (q2[j] + q3[j]);                          \
  }                                                                                                     \
  for (; r < n; r++, q += rs) {                                                                         \
    for (size_t j = 0; j < w; j++) acc[j] += q[j];                                                      \
  }

// Vectors of doubles that may sit at any double's address and alias doubles (as immintrin.h's
// __m512d_u): a row starts wherever the view starts. Loads and stores are plain dereferences,
// macros rather than functions so that no vector crosses a call between code of two ISAs.
#define LOADV(V, p) (*reinterpret_cast<const V*>(p))
#define STOREV(V, p, v) (*reinterpret_cast<V*>(p) = (v))

typedef double V2d __attribute__((vector_size(16), aligned(8), may_alias));
using SumLeaf = void (*)(const double* x, size_t n, ptrdiff_t rs, size_t w, double* acc);

void SumLeaf2(const double* x, size_t n, ptrdiff_t rs, size_t w, double* acc) { SUM_ROWS_LEAF_BODY(V2d, 2) }

#ifdef SHARED_NDARRAY_MVEC
typedef double V4d __attribute__((vector_size(32), aligned(8), may_alias));
typedef double V8d __attribute__((vector_size(64), aligned(8), may_alias));
__attribute__((target("avx2"))) void SumLeaf4(const double* x, size_t n, ptrdiff_t rs, size_t w, double* acc) {
  SUM_ROWS_LEAF_BODY(V4d, 4)
}
__attribute__((target("avx512f"))) void SumLeaf8(const double* x, size_t n, ptrdiff_t rs, size_t w, double* acc) {
  SUM_ROWS_LEAF_BODY(V8d, 8)
}
#endif

void SumRowsTile(SumLeaf leaf, const double* x, size_t n, ptrdiff_t rs, size_t w, double* acc, std::vector<std::unique_ptr<double[]>>& tmp,
                 size_t depth) {
  if (n <= kRowLeaf) return leaf(x, n, rs, w, acc);
  size_t n2 = n / 2;
  SumRowsTile(leaf, x, n2, rs, w, acc, tmp, depth + 1);
  if (tmp.size() <= depth) tmp.resize(depth + 1);
  if (!tmp[depth]) tmp[depth].reset(new double[kSumTile]);
  double* t = tmp[depth].get();
  SumRowsTile(leaf, x + static_cast<ptrdiff_t>(n2) * rs, n - n2, rs, w, t, tmp, depth + 1);
  for (size_t j = 0; j < w; j++) acc[j] += t[j];
}

// The widest leaf this CPU runs, of at most `widest` lanes.
SumLeaf WidestSumLeaf(uint64_t widest) {
#ifdef SHARED_NDARRAY_MVEC
  __builtin_cpu_init();
  if (widest >= 8 && __builtin_cpu_supports("avx512f")) return SumLeaf8;
  if (widest >= 4 && __builtin_cpu_supports("avx2")) return SumLeaf4;
#endif
  return SumLeaf2;
}

// sumRows(x, offset, n, rowStride, m, acc, accOffset, widest = 8): see above; `widest` caps the
// vector width in doubles (4: AVX2, 2: the baseline's SSE2, for tests on an AVX-512 machine).
void SumRows(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  double *x, *acc;
  size_t xLength, accLength;
  uint64_t offset, n, m, accOffset;
  if (!Float64Elements(isolate, args[0], "x", &x, &xLength) || !Float64Elements(isolate, args[5], "acc", &acc, &accLength) ||
      !ToSize(isolate, args[1], "sumRows", "offset", &offset) || !ToSize(isolate, args[2], "sumRows", "n", &n) ||
      !ToSize(isolate, args[4], "sumRows", "m", &m) || !ToSize(isolate, args[6], "sumRows", "accOffset", &accOffset)) {
    return;
  }
  if (!args[3]->IsNumber()) return ThrowType(isolate, "sumRows: 'rowStride' must be a number");
  double s = args[3].As<Number>()->Value();
  if (!(std::abs(s) <= static_cast<double>(kMaxSafeInteger)) || s != static_cast<double>(static_cast<int64_t>(s))) {
    return ThrowRange(isolate, "sumRows: 'rowStride' must be a safe integer");
  }
  int64_t rs = static_cast<int64_t>(s);
  uint64_t widest = 8;
  if (!args[7]->IsUndefined() && !ToSize(isolate, args[7], "sumRows", "widest", &widest)) return;
  SumLeaf leaf = WidestSumLeaf(widest);
  if (accOffset + m > accLength) return ThrowRange(isolate, "sumRows: 'acc' is too short for accOffset + m");
  if (m == 0) return;
  if (n > 0) {
    // the lowest and highest index read, in exact 128-bit arithmetic
    __int128 last = static_cast<__int128>(n - 1) * rs;
    __int128 lo = static_cast<__int128>(offset) + (last < 0 ? last : 0);
    __int128 hi = static_cast<__int128>(offset) + (last > 0 ? last : 0) + static_cast<__int128>(m - 1);
    if (lo < 0 || hi >= static_cast<__int128>(xLength)) return ThrowRange(isolate, "sumRows: 'x' is too short for those rows");
  }
  std::vector<std::unique_ptr<double[]>> tmp;
  for (uint64_t j0 = 0; j0 < m; j0 += kSumTile) {
    size_t w = static_cast<size_t>(std::min<uint64_t>(kSumTile, m - j0));
    SumRowsTile(leaf, x + offset + j0, static_cast<size_t>(n), rs, w, acc + accOffset + j0, tmp, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// argExtremum(x, offset, n, sign, widest = 8): the index in x[offset, offset + n) of the first
// largest (sign 1) or smallest (sign -1) element, or of the first NaN: argExtremum in
// src/ops/kernels/reduce.ts for a contiguous float64 run, with the same answer. A vector compare
// of a block with the best so far, true for a better element or NaN (not-less-or-equal /
// not-greater-or-equal, unordered), is seldom true once the best is found, so a block costs its
// loads; a block where it is true is walked in order as the scalar kernel walks it, which keeps
// ties and ±0 at the first one, as numpy does.

// Walks x[from, to) in order from the current best: false (and *at the NaN's index) at a NaN.
inline bool ArgWalk(const double* x, size_t from, size_t to, int sign, double* best, size_t* at) {
  for (size_t k = from; k < to; k++) {
    double v = x[k];
    if (sign == 1 ? v > *best : v < *best) {
      *best = v;
      *at = k;
    } else if (v != v) {
      *at = k;
      return false;
    }
  }
  return true;
}

#ifdef SHARED_NDARRAY_MVEC
// Each ArgBlock scans whole blocks from index 1 and returns where it stopped (the caller walks
// the rest), with *nan set when it stopped at a NaN.
using ArgBlock = size_t (*)(const double* x, size_t n, int sign, double* best, size_t* at, bool* nan);

size_t ArgBlock2(const double* x, size_t n, int sign, double* best, size_t* at, bool* nan) {
  size_t p = 1;
  for (; p + 8 <= n; p += 8) {
    __m128d b = _mm_set1_pd(*best);
    __m128d v0 = _mm_loadu_pd(x + p), v1 = _mm_loadu_pd(x + p + 2), v2 = _mm_loadu_pd(x + p + 4), v3 = _mm_loadu_pd(x + p + 6);
    __m128d hit = sign == 1 ? _mm_or_pd(_mm_or_pd(_mm_cmpnle_pd(v0, b), _mm_cmpnle_pd(v1, b)), _mm_or_pd(_mm_cmpnle_pd(v2, b), _mm_cmpnle_pd(v3, b)))
                            : _mm_or_pd(_mm_or_pd(_mm_cmpnge_pd(v0, b), _mm_cmpnge_pd(v1, b)), _mm_or_pd(_mm_cmpnge_pd(v2, b), _mm_cmpnge_pd(v3, b)));
    if (_mm_movemask_pd(hit) != 0 && !ArgWalk(x, p, p + 8, sign, best, at)) {
      *nan = true;
      return p;
    }
  }
  return p;
}

__attribute__((target("avx2"))) size_t ArgBlock4(const double* x, size_t n, int sign, double* best, size_t* at, bool* nan) {
  size_t p = 1;
  for (; p + 16 <= n; p += 16) {
    __m256d b = _mm256_set1_pd(*best);
    __m256d v0 = _mm256_loadu_pd(x + p), v1 = _mm256_loadu_pd(x + p + 4), v2 = _mm256_loadu_pd(x + p + 8), v3 = _mm256_loadu_pd(x + p + 12);
    __m256d hit = sign == 1
                      ? _mm256_or_pd(_mm256_or_pd(_mm256_cmp_pd(v0, b, _CMP_NLE_UQ), _mm256_cmp_pd(v1, b, _CMP_NLE_UQ)),
                                     _mm256_or_pd(_mm256_cmp_pd(v2, b, _CMP_NLE_UQ), _mm256_cmp_pd(v3, b, _CMP_NLE_UQ)))
                      : _mm256_or_pd(_mm256_or_pd(_mm256_cmp_pd(v0, b, _CMP_NGE_UQ), _mm256_cmp_pd(v1, b, _CMP_NGE_UQ)),
                                     _mm256_or_pd(_mm256_cmp_pd(v2, b, _CMP_NGE_UQ), _mm256_cmp_pd(v3, b, _CMP_NGE_UQ)));
    if (_mm256_movemask_pd(hit) != 0 && !ArgWalk(x, p, p + 16, sign, best, at)) {
      *nan = true;
      return p;
    }
  }
  return p;
}

__attribute__((target("avx512f"))) size_t ArgBlock8(const double* x, size_t n, int sign, double* best, size_t* at, bool* nan) {
  size_t p = 1;
  for (; p + 32 <= n; p += 32) {
    __m512d b = _mm512_set1_pd(*best);
    __m512d v0 = _mm512_loadu_pd(x + p), v1 = _mm512_loadu_pd(x + p + 8), v2 = _mm512_loadu_pd(x + p + 16), v3 = _mm512_loadu_pd(x + p + 24);
    __mmask8 hit = sign == 1 ? (_mm512_cmp_pd_mask(v0, b, _CMP_NLE_UQ) | _mm512_cmp_pd_mask(v1, b, _CMP_NLE_UQ)) |
                                   (_mm512_cmp_pd_mask(v2, b, _CMP_NLE_UQ) | _mm512_cmp_pd_mask(v3, b, _CMP_NLE_UQ))
                             : (_mm512_cmp_pd_mask(v0, b, _CMP_NGE_UQ) | _mm512_cmp_pd_mask(v1, b, _CMP_NGE_UQ)) |
                                   (_mm512_cmp_pd_mask(v2, b, _CMP_NGE_UQ) | _mm512_cmp_pd_mask(v3, b, _CMP_NGE_UQ));
    if (hit != 0 && !ArgWalk(x, p, p + 32, sign, best, at)) {
      *nan = true;
      return p;
    }
  }
  return p;
}

// The widest block scanner this CPU runs, of at most `widest` lanes.
ArgBlock WidestArgBlock(uint64_t widest) {
  __builtin_cpu_init();
  if (widest >= 8 && __builtin_cpu_supports("avx512f")) return ArgBlock8;
  if (widest >= 4 && __builtin_cpu_supports("avx2")) return ArgBlock4;
  return ArgBlock2;
}
#endif

void ArgExtremum(const FunctionCallbackInfo<Value>& args) {
  Isolate* isolate = args.GetIsolate();
  double* x;
  size_t length;
  uint64_t offset, n, widest = 8;
  if (!Float64Elements(isolate, args[0], "x", &x, &length) || !ToSize(isolate, args[1], "argExtremum", "offset", &offset) ||
      !ToSize(isolate, args[2], "argExtremum", "n", &n)) {
    return;
  }
  if (!args[3]->IsNumber() || std::abs(args[3].As<Number>()->Value()) != 1) {
    return ThrowType(isolate, "argExtremum: 'sign' must be 1 or -1");
  }
  int sign = args[3].As<Number>()->Value() > 0 ? 1 : -1;
  if (!args[4]->IsUndefined() && !ToSize(isolate, args[4], "argExtremum", "widest", &widest)) return;
  if (n == 0 || offset + n > length) return ThrowRange(isolate, "argExtremum: 'x' must hold n >= 1 elements from offset");
  const double* run = x + offset;
  double best = run[0];
  size_t at = 0;
  bool nan = best != best;
  if (!nan) {
#ifdef SHARED_NDARRAY_MVEC
    size_t p = WidestArgBlock(widest)(run, static_cast<size_t>(n), sign, &best, &at, &nan);
#else
    size_t p = 1;
    (void)widest;
#endif
    if (!nan) ArgWalk(run, p, static_cast<size_t>(n), sign, &best, &at);
  }
  args.GetReturnValue().Set(static_cast<double>(at));
}

void SetMethod(Local<Context> context, Local<Object> exports, const char* name, v8::FunctionCallback callback) {
  Isolate* isolate = context->GetIsolate();
  Local<v8::Function> fn = FunctionTemplate::New(isolate, callback)->GetFunction(context).ToLocalChecked();
  fn->SetName(Str(isolate, name));
  exports->Set(context, Str(isolate, name), fn).Check();
}

// Keeps this shared object loaded for the life of the process. Node dlcloses an addon when the
// last environment that loaded it goes away, and a worker thread's environment goes before its
// isolate frees the backing stores: a buffer mapped by a worker that alone loaded the addon would
// then call Unmap in unmapped code (SIGSEGV at the worker's exit). A second, RTLD_NODELETE handle
// to our own file makes every dlclose leave the code in place; it is taken once and never closed.
void PinSelf() {
  static bool pinned = [] {
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&Unmap), &info) == 0 || info.dli_fname == nullptr) return false;
    return dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != nullptr;
  }();
  (void)pinned;
}

}  // namespace

// fill.cc: the large fills (streaming stores), in a file of its own
namespace shared_ndarray {
void Fill(const v8::FunctionCallbackInfo<v8::Value>& args);
}

// Context-aware, so worker threads can load the addon too (each gets its own exports; the
// registry is per process).
NODE_MODULE_INIT(/* exports, module, context */) {
  PinSelf();
  SetMethod(context, exports, "mapFile", MapFile);
  SetMethod(context, exports, "mapAnonymous", MapAnonymous);
  SetMethod(context, exports, "allocate", Allocate);
  SetMethod(context, exports, "flush", Flush);
  SetMethod(context, exports, "copy", Copy);
  SetMethod(context, exports, "shmOpen", ShmOpen);
  SetMethod(context, exports, "shmUnlink", ShmUnlink);
  SetMethod(context, exports, "mappingCount", MappingCount);
  SetMethod(context, exports, "storeAtExit", StoreAtExit);
  SetMethod(context, exports, "cancelStoreAtExit", CancelStoreAtExit);
  SetMethod(context, exports, "math", MathFunctions);
  SetMethod(context, exports, "sumRows", SumRows);
  SetMethod(context, exports, "argExtremum", ArgExtremum);
  SetMethod(context, exports, "fill", shared_ndarray::Fill);
  exports->Set(context, Str(context->GetIsolate(), "pageSize"),
               Number::New(context->GetIsolate(), static_cast<double>(PageSize())))
      .Check();
}
