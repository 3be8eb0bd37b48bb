// SPDX-License-Identifier: Apache-2.0
// The ACPI tables an x86 guest finds at boot (x86/guest_acpi.hpp). Layouts, signatures and revisions are
// the ACPI specification's, version 6.4: 5.2.5 (RSDP), 5.2.6 (the common header), 5.2.8 (XSDT), 5.2.9
// (FADT), 5.2.11.1 (DSDT), 5.2.12 (MADT).
#include <x86/guest_acpi.hpp>

namespace hv::x86 {
namespace {

/// The header every table but the RSDP begins with.
struct [[gnu::packed]] TableHeader {
  char signature[4];
  u32 length; ///< of the whole table, header included
  u8 revision;
  u8 checksum; ///< makes the whole table's bytes sum to zero
  char oem_id[6];
  char oem_table_id[8];
  u32 oem_revision;
  char creator_id[4];
  u32 creator_revision;
};
static_assert(sizeof(TableHeader) == 36, "ACPI table headers are 36 bytes");

struct [[gnu::packed]] Rsdp {
  char signature[8];
  u8 checksum; ///< over the first 20 bytes: the ACPI 1.0 structure
  char oem_id[6];
  u8 revision;      ///< 2: ACPI 2.0 and later, with the XSDT and the fields below
  u32 rsdt_address; ///< 0: no RSDT, whose 32-bit entries only an ACPI 1.0 OS needs
  u32 length;
  u64 xsdt_address;
  u8 extended_checksum; ///< over all of it
  u8 reserved[3];
};
static_assert(sizeof(Rsdp) == 36, "the ACPI 2.0 RSDP is 36 bytes");

/// The FADT with only what a hardware-reduced system fills in named; every field in the byte arrays is
/// zero because the hardware it describes (PM1 blocks, PM timer, GPE blocks, SMI, C-state latencies,
/// reset and sleep registers) does not exist.
struct [[gnu::packed]] Fadt {
  TableHeader header;
  u32 firmware_ctrl; ///< 0: no FACS, which only a system with the fixed hardware must have
  u32 dsdt;
  u8 fixed_hardware[65]; ///< offsets 44-108: SCI, SMI command, PM blocks and lengths, latencies, RTC alarms
  u16 iapc_boot_arch;
  u8 reserved;
  u32 flags;
  u8 reset_and_arm[15]; ///< offsets 116-130: the reset register and value, the ARM boot flags
  u8 minor_version;
  u64 x_firmware_ctrl;
  u64 x_dsdt;
  u8 extended_blocks[128]; ///< offsets 148-275: the blocks' 64-bit forms, the sleep registers, a hypervisor ID
};
static_assert(sizeof(Fadt) == 276, "the ACPI 6 FADT is 276 bytes");
static_assert(__builtin_offsetof(Fadt, iapc_boot_arch) == 109 && __builtin_offsetof(Fadt, flags) == 112 &&
                  __builtin_offsetof(Fadt, minor_version) == 131 && __builtin_offsetof(Fadt, x_dsdt) == 140,
              "FADT layout");

struct [[gnu::packed]] MadtHeader {
  TableHeader header;
  u32 local_apic_address; ///< where each processor's xAPIC registers are, as an OS not in x2APIC mode sees them
  u32 flags;
};
static_assert(sizeof(MadtHeader) == 44, "the MADT's fixed part is 44 bytes");

struct [[gnu::packed]] MadtLocalApic {
  u8 type;
  u8 length;
  u8 processor_uid;
  u8 apic_id;
  u32 flags;
};
static_assert(sizeof(MadtLocalApic) == 8, "Processor Local APIC structures are 8 bytes");

struct [[gnu::packed]] MadtLocalX2apic {
  u8 type;
  u8 length;
  u16 reserved;
  u32 x2apic_id;
  u32 flags;
  u32 processor_uid;
};
static_assert(sizeof(MadtLocalX2apic) == 16, "Processor Local x2APIC structures are 16 bytes");

constexpr u8 madt_local_apic = 0;
constexpr u8 madt_local_x2apic = 9;
constexpr u32 madt_processor_enabled = 1u << 0;
// Below this ID a processor is described by a Processor Local APIC structure (5.2.12.12): 255 is the
// xAPIC's broadcast ID, and its structure has an 8-bit ID.
constexpr u32 first_x2apic_only_id = 255;
constexpr u32 xapic_base = 0xfee0'0000;

constexpr u32 fadt_power_button_not_fixed = 1u << 4; // no fixed-feature power button
constexpr u32 fadt_sleep_button_not_fixed = 1u << 5; // no fixed-feature sleep button
constexpr u32 fadt_hardware_reduced = 1u << 20;
constexpr u16 boot_arch_no_vga = 1u << 2;      // no VGA to probe
constexpr u16 boot_arch_no_cmos_rtc = 1u << 5; // no RTC at ports 0x70/0x71: they read all ones
// The revisions of ACPI 6.4.
constexpr u8 rsdp_revision = 2, xsdt_revision = 1, fadt_revision = 6, fadt_minor_revision = 4;
constexpr u8 madt_revision = 5;
constexpr u8 dsdt_revision = 2; // AML integers are 64 bits wide

constexpr usize table_alignment = 16;
constexpr usize aligned(usize bytes) { return (bytes + table_alignment - 1) & ~(table_alignment - 1); }

// Where each table starts, from the RSDP's address; the MADT, whose size depends on the vCPUs, last.
constexpr usize xsdt_entries = 2; // the FADT and the MADT; the DSDT is found through the FADT
constexpr usize xsdt_size = sizeof(TableHeader) + xsdt_entries * sizeof(u64);
constexpr usize xsdt_offset = aligned(sizeof(Rsdp));
constexpr usize fadt_offset = xsdt_offset + aligned(xsdt_size);
constexpr usize dsdt_offset = fadt_offset + aligned(sizeof(Fadt));
constexpr usize madt_offset = dsdt_offset + aligned(sizeof(TableHeader));

/// Copies `text` without its NUL into a fixed-width name field; the compiler checks that it fills it.
template <usize N> void set_name(char (&field)[N], const char (&text)[N + 1]) { __builtin_memcpy(field, text, N); }

TableHeader header(const char (&signature)[5], usize length, u8 revision) {
  TableHeader h{};
  set_name(h.signature, signature);
  h.length = static_cast<u32>(length);
  h.revision = revision;
  // Who made the tables: this hypervisor, space-padded as the specification's examples are.
  set_name(h.oem_id, "HV    ");
  set_name(h.oem_table_id, "PVHGUEST");
  h.oem_revision = 1;
  set_name(h.creator_id, "HV  ");
  h.creator_revision = 1;
  return h;
}

u8 byte_sum(const u8* bytes, usize count) {
  u8 sum = 0;
  for (usize i = 0; i < count; ++i) sum = static_cast<u8>(sum + bytes[i]);
  return sum;
}

/// Sets the checksum byte at `checksum_at` so that `count` bytes from `table` sum to zero.
void checksum(u8* table, usize count, usize checksum_at) {
  table[checksum_at] = 0;
  table[checksum_at] = static_cast<u8>(0 - byte_sum(table, count));
}

template <class T> void put(u8* at, const T& value) { __builtin_memcpy(at, &value, sizeof(T)); }

usize madt_size(u32 vcpus) {
  const usize below = vcpus < first_x2apic_only_id ? vcpus : first_x2apic_only_id;
  return sizeof(MadtHeader) + below * sizeof(MadtLocalApic) + (vcpus - below) * sizeof(MadtLocalX2apic);
}

void write_madt(u32 vcpus, u8* table) {
  MadtHeader madt{};
  madt.header = header("APIC", madt_size(vcpus), madt_revision);
  madt.local_apic_address = xapic_base;
  madt.flags = 0; // no PCAT_COMPAT: there are no 8259 PICs to mask
  put(table, madt);
  u8* entry = table + sizeof(MadtHeader);
  for (u32 id = 0; id < vcpus; ++id) {
    if (id < first_x2apic_only_id) {
      const MadtLocalApic apic{madt_local_apic, sizeof(MadtLocalApic), static_cast<u8>(id), static_cast<u8>(id),
                               madt_processor_enabled};
      put(entry, apic);
      entry += sizeof(apic);
    } else {
      const MadtLocalX2apic apic{madt_local_x2apic, sizeof(MadtLocalX2apic), 0, id, madt_processor_enabled, id};
      put(entry, apic);
      entry += sizeof(apic);
    }
  }
  checksum(table, madt_size(vcpus), __builtin_offsetof(TableHeader, checksum));
}

void write_fadt(u64 dsdt_gpa, u8* table) {
  Fadt fadt{};
  fadt.header = header("FACP", sizeof(Fadt), fadt_revision);
  fadt.minor_version = fadt_minor_revision;
  // The 32-bit field too where the address fits, for an OS that reads only it.
  fadt.dsdt = dsdt_gpa >> 32 == 0 ? static_cast<u32>(dsdt_gpa) : 0;
  fadt.x_dsdt = dsdt_gpa;
  fadt.flags = fadt_hardware_reduced | fadt_power_button_not_fixed | fadt_sleep_button_not_fixed;
  fadt.iapc_boot_arch = boot_arch_no_vga | boot_arch_no_cmos_rtc; // and no 8042, no legacy ISA devices
  put(table, fadt);
  checksum(table, sizeof(Fadt), __builtin_offsetof(TableHeader, checksum));
}

void write_xsdt(u64 gpa, u8* table) {
  put(table, header("XSDT", xsdt_size, xsdt_revision));
  const u64 entries[xsdt_entries] = {gpa + fadt_offset, gpa + madt_offset};
  __builtin_memcpy(table + sizeof(TableHeader), entries, sizeof(entries));
  checksum(table, xsdt_size, __builtin_offsetof(TableHeader, checksum));
}

void write_rsdp(u64 gpa, u8* at) {
  Rsdp rsdp{};
  set_name(rsdp.signature, "RSD PTR ");
  set_name(rsdp.oem_id, "HV    ");
  rsdp.revision = rsdp_revision;
  rsdp.length = sizeof(Rsdp);
  rsdp.xsdt_address = gpa + xsdt_offset;
  put(at, rsdp);
  constexpr usize acpi1_length = __builtin_offsetof(Rsdp, rsdt_address) + sizeof(u32);
  checksum(at, acpi1_length, __builtin_offsetof(Rsdp, checksum));
  checksum(at, sizeof(Rsdp), __builtin_offsetof(Rsdp, extended_checksum));
}

} // namespace

usize guest_acpi_size(u32 vcpus) { return madt_offset + madt_size(vcpus); }

bool write_guest_acpi(u32 vcpus, u64 gpa, u8* buffer, usize capacity, usize& used) {
  if (vcpus == 0 || gpa % table_alignment != 0 || guest_acpi_size(vcpus) > capacity) return false;
  used = guest_acpi_size(vcpus);
  __builtin_memset(buffer, 0, used);
  write_rsdp(gpa, buffer);
  write_xsdt(gpa, buffer + xsdt_offset);
  write_fadt(gpa + dsdt_offset, buffer + fadt_offset);
  put(buffer + dsdt_offset, header("DSDT", sizeof(TableHeader), dsdt_revision));
  checksum(buffer + dsdt_offset, sizeof(TableHeader), __builtin_offsetof(TableHeader, checksum));
  write_madt(vcpus, buffer + madt_offset);
  return true;
}

} // namespace hv::x86
