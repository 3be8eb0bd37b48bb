// SPDX-License-Identifier: Apache-2.0
// The Linux guest's /init: says which kernel it runs on, checks that the guest's clock moves (a 100 ms
// sleep, measured on the monotonic clock), and powers off. Freestanding: raw x86_64 system calls, no libc,
// so that it builds with the project's own compiler and nothing else.
//
// What it prints, one line each, for the boot matrix to judge:
//   init: running on Linux <release> (TSC <n>)
// where <n> is the TSC when /init began: under QEMU -icount, the instructions since the machine started,
// which tests/bench/linux reads.
//   init: a 100 ms sleep took <n> ms of the guest's clock
// then, with more than one CPU online (sysfs, mounted at /sys, lists them):
//   init: CPUs online: <list>, as /sys/devices/system/cpu/online writes it ("0-3")
//   init: ran on CPU <n>, for each online CPU, pinned there (sched_setaffinity) and asked (getcpu)
//   init: CPU <last> taken offline: CPUs online: <list>
//   init: CPU <last> back online: CPUs online: <list>
//   init: ran on CPU <last>
// and last
//   init: powering off
// or, when the kernel's command line has the word `spin` (which Linux hands to /init as an argument),
//   init: spinning until the machine stops
// and it never stops: a domain that keeps its CPU busy, whose share of it the boot matrix checks.
using u64 = unsigned long;

namespace {

// Linux x86_64 system call numbers and arguments (its ABI, as documented in its syscall table).
constexpr long sys_read = 0;
constexpr long sys_write = 1;
constexpr long sys_open = 2;
constexpr long sys_close = 3;
constexpr long sys_mount = 165;
constexpr long sys_sched_setaffinity = 203;
constexpr long sys_getcpu = 309;
constexpr long open_read_only = 0, open_write_only = 1;
constexpr long sys_nanosleep = 35;
constexpr long sys_uname = 63;
constexpr long sys_reboot = 169;
constexpr long sys_clock_gettime = 228;
constexpr long sys_exit = 60;
constexpr long clock_monotonic = 1;
constexpr long reboot_magic1 = 0xfee1dead;
constexpr long reboot_magic2 = 672274793;
constexpr long reboot_power_off = 0x4321fedc;

long syscall(long n, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0) {
  long result;
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  asm volatile("syscall" : "=a"(result) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
  return result;
}

struct Timespec {
  long seconds;
  long nanoseconds;
};

struct Utsname {
  char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

// One line of output, built in a buffer so that it reaches the console in one write.
class Line {
public:
  Line& operator<<(const char* s) {
    while (*s != 0 && used_ < sizeof text_ - 1) text_[used_++] = *s++;
    return *this;
  }
  Line& operator<<(u64 n) {
    char digits[20];
    unsigned count = 0;
    do {
      digits[count++] = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n != 0);
    while (count != 0 && used_ < sizeof text_ - 1) text_[used_++] = digits[--count];
    return *this;
  }
  ~Line() {
    text_[used_++] = '\n';
    syscall(sys_write, 1, reinterpret_cast<long>(text_), static_cast<long>(used_));
  }

private:
  char text_[160];
  unsigned used_ = 0;
};

u64 monotonic_ns() {
  Timespec now{};
  syscall(sys_clock_gettime, clock_monotonic, reinterpret_cast<long>(&now));
  return static_cast<u64>(now.seconds) * 1'000'000'000 + static_cast<u64>(now.nanoseconds);
}

u64 tsc() {
  unsigned low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return static_cast<u64>(high) << 32 | low;
}

// The contents of a small file (a sysfs attribute), its trailing newline dropped; "" when unreadable.
struct Text {
  char bytes[64] = {};
};
Text read_file(const char* path) {
  Text t;
  const long fd = syscall(sys_open, reinterpret_cast<long>(path), open_read_only);
  if (fd < 0) return t;
  const long n = syscall(sys_read, fd, reinterpret_cast<long>(t.bytes), sizeof t.bytes - 1);
  syscall(sys_close, fd);
  for (long i = n > 0 ? n : 0; i > 0 && (t.bytes[i - 1] == '\n' || t.bytes[i - 1] == 0); --i) t.bytes[i - 1] = 0;
  return t;
}

bool write_file(const char* path, const char* text, long length) {
  const long fd = syscall(sys_open, reinterpret_cast<long>(path), open_write_only);
  if (fd < 0) return false;
  const long n = syscall(sys_write, fd, reinterpret_cast<long>(text), length);
  syscall(sys_close, fd);
  return n == length;
}

// The highest CPU number in a sysfs CPU list ("0-3", "0,2-3"): its last number.
unsigned last_cpu(const char* list) {
  unsigned last = 0, n = 0;
  for (const char* c = list; *c != 0; ++c) {
    if (*c >= '0' && *c <= '9') {
      n = n * 10 + static_cast<unsigned>(*c - '0');
      last = n;
    } else {
      n = 0;
    }
  }
  return last;
}

// Runs the calling thread on CPU `cpu` alone, then asks the kernel where it runs: -1 when it could not.
long run_on(unsigned cpu) {
  u64 mask = u64{1} << cpu;
  if (syscall(sys_sched_setaffinity, 0, sizeof mask, reinterpret_cast<long>(&mask)) != 0) return -1;
  unsigned where = ~0u;
  if (syscall(sys_getcpu, reinterpret_cast<long>(&where), 0, 0) != 0) return -1;
  return where;
}

// With several CPUs: each one runs /init in turn, and the last goes offline and comes back.
void exercise_cpus() {
  if (syscall(sys_mount, reinterpret_cast<long>("sysfs"), reinterpret_cast<long>("/sys"),
              reinterpret_cast<long>("sysfs"), 0, 0) != 0) {
    Line() << "init: sysfs could not be mounted";
    return;
  }
  constexpr const char* online = "/sys/devices/system/cpu/online";
  const Text cpus = read_file(online);
  const unsigned last = last_cpu(cpus.bytes);
  if (last == 0) return; // one CPU: nothing to take away
  Line() << "init: CPUs online: " << cpus.bytes;
  for (unsigned cpu = 0; cpu <= last; ++cpu) {
    const long where = run_on(cpu);
    if (where >= 0) Line() << "init: ran on CPU " << static_cast<u64>(where);
  }
  run_on(0);
  char path[] = "/sys/devices/system/cpu/cpuNN/online";
  char* digits = path + sizeof "/sys/devices/system/cpu/cpu" - 1;
  if (last >= 10) *digits++ = static_cast<char>('0' + last / 10);
  *digits++ = static_cast<char>('0' + last % 10);
  for (const char* rest = "/online"; *rest != 0;) *digits++ = *rest++;
  *digits = 0;
  if (!write_file(path, "0", 1)) {
    Line() << "init: CPU " << u64{last} << " could not be taken offline";
    return;
  }
  Line() << "init: CPU " << u64{last} << " taken offline: CPUs online: " << read_file(online).bytes;
  if (!write_file(path, "1", 1)) {
    Line() << "init: CPU " << u64{last} << " could not be brought back online";
    return;
  }
  Line() << "init: CPU " << u64{last} << " back online: CPUs online: " << read_file(online).bytes;
  const long where = run_on(last);
  if (where >= 0) Line() << "init: ran on CPU " << static_cast<u64>(where);
  run_on(0);
}

// Whether two C strings are equal.
bool same(const char* a, const char* b) {
  while (*a != 0 && *a == *b) ++a, ++b;
  return *a == *b;
}

} // namespace

// The compiler may call it to clear a structure; there is no libc to provide it.
extern "C" void* memset(void* to, int value, unsigned long n) {
  auto* bytes = static_cast<unsigned char*>(to);
  for (unsigned long i = 0; i < n; ++i) bytes[i] = static_cast<unsigned char>(value);
  return to;
}

// Entered with argc, then the arguments, on the stack (the System V process entry): _start hands their
// address to init_main on a stack aligned as for a call.
asm(R"(
  .globl _start
_start:
  mov %rsp, %rdi
  and $-16, %rsp
  call init_main
  ud2
)");

extern "C" [[noreturn]] void init_main(const long* entry_stack) {
  const long argc = entry_stack[0];
  const auto* const* argv = reinterpret_cast<const char* const*>(entry_stack + 1);
  bool spin = false;
  for (long i = 1; i < argc; ++i) spin = spin || same(argv[i], "spin");

  const u64 started = tsc();
  Utsname names{};
  syscall(sys_uname, reinterpret_cast<long>(&names));
  Line() << "init: running on Linux " << names.release << " (TSC " << started << ")";

  const Timespec sleep{0, 100'000'000};
  const u64 before = monotonic_ns();
  syscall(sys_nanosleep, reinterpret_cast<long>(&sleep), 0);
  const u64 after = monotonic_ns();
  Line() << "init: a 100 ms sleep took " << (after - before) / 1'000'000 << " ms of the guest's clock";

  exercise_cpus();

  if (spin) {
    Line() << "init: spinning until the machine stops";
    for (volatile u64 turns = 0;; turns = turns + 1) {
    }
  }
  Line() << "init: powering off";
  syscall(sys_reboot, reboot_magic1, reboot_magic2, reboot_power_off);
  for (;;) syscall(sys_exit, 1); // reboot() returned: /init exiting makes the kernel panic, which says so
}
