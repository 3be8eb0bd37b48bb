// SPDX-License-Identifier: Apache-2.0
// Which vCPU owns one physical CPU's floating-point and vector registers, and when they move: the one
// policy every backend follows, which only saves, loads and arms its first-use trap for it
// (contract/virtualization.hpp, docs/virtualization.md).
//
// The hypervisor never uses these registers (every port builds it without them), so after an exit they
// still hold the guest's values; they are saved and loaded only when another vCPU needs them.
//
// - A backend that traps a guest's first use (fpu_first_use_trap) moves them at that trap: every vCPU but
//   the owner runs with the trap armed, so a vCPU that never uses them costs no save or load, and the
//   owner running again costs nothing at all.
// - A backend without one moves them before the entry of a vCPU that does not own them: the owner running
//   again costs one comparison.
// - A vCPU that goes away while it owns them is forgotten, its values dropped unsaved: the next vCPU to
//   use them loads its own over them first (at its entry, or at its trap), so nothing of it is seen.
//
// One object per physical CPU, changed only by that CPU with interrupts masked (the Hypervisor holds one
// for each CPU). Another CPU only asks whether it holds a vCPU (holds()): a vCPU whose registers one CPU
// still holds must not run on another until that one stored them (the Hypervisor asks it with
// cpu_request::store_fpu and waits), so the owner is published only once the previous owner's values are
// stored.
#pragma once

#include <port.hpp>

namespace hv {

class LazyFpu {
public:
  using ArchVcpu = port::Virtualization::Vcpu;

  /// After Virtualization::create_vcpu made `vcpu`: with a first-use trap, it is armed, as on every vCPU
  /// that does not own the registers.
  void created(ArchVcpu& vcpu) {
    if (port::Virtualization::fpu_first_use_trap) port::Virtualization::set_fpu_trap(vcpu, true);
  }

  /// Just before every Virtualization::run of `vcpu`. Without a first-use trap, makes it the owner unless it
  /// is; with one, nothing: its trap says.
  void entering(ArchVcpu& vcpu) {
    if (!port::Virtualization::fpu_first_use_trap && owner_ != &vcpu) take(vcpu);
  }

  /// The fpu_unavailable exit `vcpu` just made: it becomes the owner, its trap disarmed and the previous
  /// owner's armed, so that the instruction that trapped finds its own values when it runs again.
  void first_use(ArchVcpu& vcpu) { take(vcpu); }

  /// Before `vcpu` is destroyed (Virtualization::destroy_vcpu), or its storage made another vCPU: if it owns
  /// the registers, nobody does any more, and its values in them are never saved.
  void forget(const ArchVcpu& vcpu) {
    if (owner_ == &vcpu) __atomic_store_n(&owner_, nullptr, __ATOMIC_RELEASE);
  }

  /// Before `vcpu`'s saved state is read (its domain is saved): if it owns the registers, they are stored
  /// into it and nobody owns them any more, so that its saved copy is current and stays so.
  void store(ArchVcpu& vcpu) {
    if (owner_ != &vcpu) return;
    port::Virtualization::save_fpu(vcpu);
    if (port::Virtualization::fpu_first_use_trap) port::Virtualization::set_fpu_trap(vcpu, true);
    __atomic_store_n(&owner_, nullptr, __ATOMIC_RELEASE); // after the values are stored: holds() says so
  }

  /// Stores what the registers hold for a vCPU other than `running` (null: any), for another CPU that
  /// asked (cpu_request::store_fpu).
  void store_unless(const ArchVcpu* running) {
    if (owner_ != nullptr && owner_ != running) store(*owner_);
  }

  /// Whether the registers hold `vcpu`'s values: from any CPU (acquire: once false, what this CPU stored
  /// of it is seen).
  bool holds(const ArchVcpu& vcpu) const { return __atomic_load_n(&owner_, __ATOMIC_ACQUIRE) == &vcpu; }

  /// The vCPU whose values the registers hold, null when none does (for tests and messages).
  const ArchVcpu* owner() const { return owner_; }

private:
  void take(ArchVcpu& vcpu);

  ArchVcpu* owner_ = nullptr;
};

} // namespace hv
