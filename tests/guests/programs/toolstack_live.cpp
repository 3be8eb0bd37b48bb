// SPDX-License-Identifier: Apache-2.0
// Live migration between two machines, each side's toolstack command. See toolstack_live.hpp; the protocol
// and its rule against a double run: docs/migration-link.md.
#include "toolstack_live.hpp"

#include "migration.hpp"
#include "toolstack_window.hpp"
#include "window_link.hpp"

#include <hv/abi/domctl.hpp>

namespace guest::live {
namespace {

namespace wl = window_link;

hv::abi::Domctl op;

long domctl(u32 cmd, hv::abi::domid_t domain) {
  op = hv::abi::Domctl{};
  op.cmd = cmd;
  op.interface_version = hv::abi::domctl_interface_version;
  op.domain = domain;
  return hypercall(hv::abi::hypercall::domctl, address(&op));
}

/// This machine's end of the ring, in the window the control domain's boot information names.
wl::Link& link() {
  static wl::Link l;
  if (l.window == nullptr) {
    l.window = arch::transfer_window(l.window_bytes);
    if (l.window == nullptr || l.window_bytes <= wl::ring_offset + 2 * 4096)
      fail("a transfer window in the control domain's boot information", static_cast<i64>(l.window_bytes), 1);
    l.stall_ms = option("stall_ms", 10000);
    l.answer_ms = option("answer_ms", 10000);
    l.handover_ms = option("handover_ms", 60000);
    l.linger_at = option("linger_at", 0);
    l.linger_ms = option("linger_ms", 0);
  }
  return l;
}

u64 us(u64 ns) { return ns / 1000; }

} // namespace

void send(hv::abi::domid_t source) {
  using namespace hv::abi;
  namespace m = migration;
  events_init(); // its PV clock: the time-outs and the figures
  wl::Link& l = link();
  // Held until the other machine listens (its boot may be slower), so that the guest moves mid-run.
  expect("pausedomain of the domain to send", domctl(domctl::pausedomain, source), 0);
  if (!window::wait_for(option("listen_ms", 60000), [&] { return wl::word(l.window, wl::listening_offset) == 1; })) {
    Line() << "toolstack: nobody listens on the link; d" << u32{source} << " stays here";
    expect("unpausedomain", domctl(domctl::unpausedomain, source), 0);
    return window::finish(source);
  }
  expect("unpausedomain of the domain to send", domctl(domctl::unpausedomain, source), 0);
  for (u64 i = 0, waits = option("wait", 20); i < waits; ++i) yield();
  static m::Figures fig;
  if (!m::send(source, l.transport(), option("small", 64), static_cast<u32>(option("rounds", 30)), fig, nullptr,
               nullptr)) {
    Line() << "toolstack: the live migration of d" << u32{source} << " stopped after " << l.written << " bytes ("
           << (l.stalled         ? "the link stalled"
               : fig.source_gone ? "it shut down first"
                                 : "no restore answered")
           << "); d" << u32{source} << " runs on here";
    return window::finish(source);
  }
  {
    Line line;
    line << "toolstack: migrated d" << u32{source} << " live to the other machine: " << fig.rounds << " rounds, pages";
    for (u32 r = 0; r < fig.rounds && r < 12; ++r) line << (r == 0 ? " " : ", ") << fig.pages[r];
    line << (fig.rounds > 12 ? ", ..." : "") << "; " << fig.pages[fig.rounds] << " while paused";
  }
  const u64 total = fig.handed_ns - fig.started_ns;
  Line() << "toolstack: source's downtime " << us(fig.handed_ns - fig.paused_ns) << " us (paused to handed over; "
         << us(fig.sent_ns - fig.paused_ns) << " us to send the rest, " << us(fig.handed_ns - fig.sent_ns)
         << " us for the restore there)";
  Line() << "toolstack: total " << us(total) << " us, " << l.written << " bytes over the link ("
         << (total != 0 ? l.written * 1000 / total : 0) << " MB/s), " << l.waits << " waits for room";
  Line() << "toolstack: d" << u32{source} << " handed over and destroyed here";
}

void receive() {
  namespace m = migration;
  events_init();
  wl::Link& l = link();
  wl::word(l.window, wl::listening_offset) = 1;
  Line() << "toolstack: listening on the link for a live migration";
  if (!window::wait_for(option("listen_ms", 120000), [&] { return wl::word(l.window, wl::head_offset) != 0; })) {
    Line() << "toolstack: nothing came over the link";
    return;
  }
  static m::Receiver receiver(l.transport());
  while (!receiver.done() && receiver.pump() && !l.stalled) {
  }
  if (!receiver.done()) {
    (void)receiver.abandon(); // what it built goes; the domain stays with the sender
    if (wl::word(l.window, wl::ready_offset) == 0) wl::word(l.window, wl::ready_offset) = 2;
    Line() << "toolstack: the live migration stopped after " << l.written << " bytes ("
           << (l.stalled ? "the link stalled" : "refused or withdrawn") << "); nothing runs here";
    return;
  }
  const hv::abi::domid_t d = receiver.destination();
  Line() << "toolstack: received a live migration as d" << u32{d} << ": " << receiver.rounds() << " rounds, "
         << l.written << " bytes over the link, " << l.waits << " waits for bytes";
  Line() << "toolstack: destination's part of the downtime " << us(receiver.resumed_ns() - receiver.state_ns())
         << " us (state record to unpaused: restored in " << us(receiver.ready_ns() - receiver.state_ns()) << " us, "
         << us(receiver.handover_seen_ns() - receiver.ready_ns()) << " us to the hand-over, "
         << us(receiver.resumed_ns() - receiver.handover_seen_ns()) << " us to unpause)";
  window::finish(d);
}

} // namespace guest::live
