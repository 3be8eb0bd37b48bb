// SPDX-License-Identifier: Apache-2.0
// The ticket lock (hv/spinlock.hpp) with real threads: no increment is lost, try_lock refuses a held
// lock, and waiters are served in the order they drew their tickets.
#include <hv/spinlock.hpp>

#include <catch2/catch_test_macros.hpp>

#include <atomic>
#include <thread>
#include <vector>

using hv::LockGuard;
using hv::SpinLock;
using hv::u64;

TEST_CASE("spinlock: four threads' increments under the lock all count", "[spinlock]") {
  SpinLock lock;
  u64 counter = 0; // a plain word: only the lock keeps the increments whole
  constexpr int threads = 4;
  constexpr int rounds = 20'000;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      for (int i = 0; i < rounds; ++i) {
        LockGuard hold(lock);
        counter = counter + 1;
      }
    });
  for (auto& w : workers) w.join();
  CHECK(counter == u64{threads} * rounds);
  CHECK_FALSE(lock.held());
}

TEST_CASE("spinlock: try_lock takes a free lock and refuses a held one", "[spinlock]") {
  SpinLock lock;
  REQUIRE(lock.try_lock());
  CHECK(lock.held());
  CHECK_FALSE(lock.try_lock());
  lock.unlock();
  CHECK_FALSE(lock.held());
  CHECK(lock.try_lock());
  lock.unlock();
}

TEST_CASE("spinlock: a waiter gets the lock once the holder lets it go", "[spinlock]") {
  SpinLock lock;
  lock.lock();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    lock.lock();
    got = true;
    lock.unlock();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(got.load());
  lock.unlock();
  waiter.join();
  CHECK(got.load());
}
