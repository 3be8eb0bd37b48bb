#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Prints IA-64 assembly with one instruction for each form of the instruction set: every mnemonic with
every combination of its completers, in each operand shape, from the instruction reference of the Intel
Itanium Architecture Software Developer's Manual (volume 3, chapter 2) and the pseudo-ops objdump prints.
check-disassembly assembles it with ia64-linux-gnu-as (which drops, and counts, the lines it refuses)
and compares the disassembly of what it accepted."""
from itertools import product

lines = []


def emit(*texts):
    lines.extend(texts)


def each(fmt, **choices):
    keys = list(choices)
    for values in product(*(choices[k] for k in keys)):
        emit(fmt.format(**dict(zip(keys, values))))


sizes = ["1", "2", "4", "8"]
fp_sizes = ["e", "8", "s", "d"]
sf = ["", ".s0", ".s1", ".s2", ".s3"]
ld_hint = ["", ".nt1", ".nta"]
st_hint = ["", ".nta"]
lf_hint = ["", ".nt1", ".nt2", ".nta"]

# A unit
for op in ["add", "sub", "addp4", "and", "andcm", "or", "xor"]:
    emit(f"{op} r1=r2,r3")
emit("add r1=r2,r3,1", "sub r1=r2,r3,1", "adds r1=-8192,r3", "adds r1=8191,r3", "addp4 r1=100,r3",
     "addl r1=-2097152,r3", "addl r1=2097151,r2", "mov r1=r2", "mov r1=-100000", "mov r1=0", "add r1=5,r3",
     "add r1=-200000,r2")
each("{op} r1={imm},r3", op=["sub", "and", "andcm", "or", "xor"], imm=["-128", "127", "0"])
each("{op} r1=r2,{n},r3", op=["shladd", "shladdp4"], n=["1", "2", "3", "4"])
for cmp, rel in product(["cmp", "cmp4"], ["eq", "ne", "lt", "le", "gt", "ge", "ltu", "leu", "gtu", "geu"]):
    for ctype in ["", ".unc", ".and", ".or", ".or.andcm", ".orcm", ".andcm", ".and.orcm"]:
        emit(f"{cmp}.{rel}{ctype} p1,p2=r2,r3", f"{cmp}.{rel}{ctype} p1,p2=-5,r3", f"{cmp}.{rel}{ctype} p1,p2=r0,r3",
             f"{cmp}.{rel}{ctype} p1,p2=r3,r0")
for size in ["1", "2", "4"]:
    for op in ["padd", "psub"]:
        each(f"{op}{size}{{s}} r1=r2,r3", s=["", ".sss", ".uuu", ".uus"])
    each(f"pavg{size}{{s}} r1=r2,r3", s=["", ".raz"])
    emit(f"pavgsub{size} r1=r2,r3")
    each(f"pcmp{size}.{{rel}} r1=r2,r3", rel=["eq", "gt"])
each("{op} r1=r2,{n},r3", op=["pshladd2", "pshradd2"], n=["1", "2", "3"])

# I unit
each("pmpyshr2{u} r1=r2,r3,{n}", u=["", ".u"], n=["0", "7", "15", "16"])
for op in ["pmpy2.r", "pmpy2.l", "mix1.r", "mix2.r", "mix4.r", "mix1.l", "mix2.l", "mix4.l", "pack2.uss",
           "pack2.sss", "pack4.sss", "unpack1.h", "unpack2.h", "unpack4.h", "unpack1.l", "unpack2.l", "unpack4.l",
           "pmin1.u", "pmax1.u", "pmin2", "pmax2", "psad1", "pshl2", "pshl4", "shl", "mpy4", "mpyshl4"]:
    emit(f"{op} r1=r2,r3")
each("mux1 r1=r2,{t}", t=["@rev", "@mix", "@shuf", "@alt", "@brcst"])
emit("mux2 r1=r2,0x1b", "mux2 r1=r2,0xff", "mux2 r1=r2,0")
each("{op} r1=r3,r2", op=["pshr2", "pshr4", "shr", "pshr2.u", "pshr4.u", "shr.u"])
each("{op} r1=r3,{n}", op=["pshr2", "pshr4", "pshr2.u", "pshr4.u"], n=["0", "5", "31"])
each("{op} r1=r2,{n}", op=["pshl2", "pshl4"], n=["0", "5", "31"])
each("{op} r1=r3", op=["popcnt", "clz", "zxt1", "zxt2", "zxt4", "sxt1", "sxt2", "sxt4", "czx1.l", "czx2.l", "czx1.r",
                       "czx2.r"])
emit("shrp r1=r2,r3,0", "shrp r1=r2,r3,63", "extr r1=r3,0,1", "extr r1=r3,7,57", "extr.u r1=r3,63,1",
     "extr.u r1=r3,4,60", "shr r1=r3,5", "shr.u r1=r3,63", "dep.z r1=r2,0,1", "dep.z r1=r2,5,59", "dep.z r1=r2,63,1",
     "dep.z r1=-128,4,8", "dep.z r1=127,60,4", "shl r1=r2,7", "dep r1=0,r3,4,5", "dep r1=-1,r3,63,1",
     "dep r1=r2,r3,0,16", "dep r1=r2,r3,63,1", "dep r1=r2,r3,10,6")
for op, z in product(["tbit", "tnat"], ["z", "nz"]):
    for ctype in ["", ".unc", ".and", ".or", ".or.andcm"]:
        emit(f"{op}.{z}{ctype} p1,p2=r3,5" if op == "tbit" else f"{op}.{z}{ctype} p1,p2=r3")
for z, ctype in product(["z", "nz"], ["", ".unc", ".and", ".or", ".or.andcm"]):
    emit(f"tf.{z}{ctype} p1,p2=32", f"tf.{z}{ctype} p1,p2=63")
emit("break.i 0", "break.i 0x1fffff", "nop.i 0", "nop.i 0x1fffff", "hint.i 0", "hint.i 0x3f", "mov.i ar.lc=-128",
     "mov.i ar.ec=127", "mov.i ar.lc=r2", "mov.i ar.pfs=r2", "mov.i r1=ar.lc", "mov.i r1=ar.ec", "mov.i r1=ar.pfs",
     "mov r1=ip", "mov r1=b7", "mov r1=pr", "mov pr=r2,-1", "mov pr=r2,0x2", "mov pr=r2,0x1fffe", "mov pr.rot=0x10000",
     "mov pr.rot=-0x10000", "mov pr=r2", "mov b1=r2", "mov ar.lc=r2", "mov r1=ar.lc", "mov ar.ec=5")
for ret, wh, ih in product(["", ".ret"], ["", ".sptk", ".dptk"], ["", ".imp"]):
    emit(f"mov{ret}{wh}{ih} b1=r2,1f", "1:")  # the tag's reach is short: a label close by
emit("chk.s.i r2,9f", "chk.s r2,9f")

# M unit: integer memory
for size in sizes:
    for kind in ["", ".s", ".a", ".sa", ".bias", ".acq", ".c.clr", ".c.nc", ".c.clr.acq"]:
        for hint in ld_hint:
            emit(f"ld{size}{kind}{hint} r1=[r3]", f"ld{size}{kind}{hint} r1=[r3],r2", f"ld{size}{kind}{hint} r1=[r3],-256",
                 f"ld{size}{kind}{hint} r1=[r3],255")
    for kind in ["", ".rel"]:
        for hint in st_hint:
            emit(f"st{size}{kind}{hint} [r3]=r2", f"st{size}{kind}{hint} [r3]=r2,-256", f"st{size}{kind}{hint} [r3]=r2,255")
    for hint in ld_hint:
        emit(f"cmpxchg{size}.acq{hint} r1=[r3],r2,ar.ccv", f"cmpxchg{size}.rel{hint} r1=[r3],r2,ar.ccv",
             f"xchg{size}{hint} r1=[r3],r2")
for hint in ld_hint:
    emit(f"ld8.fill{hint} r1=[r3]", f"ld8.fill{hint} r1=[r3],r2", f"ld8.fill{hint} r1=[r3],8", f"st8.spill{hint} [r3]=r2",
         f"st8.spill{hint} [r3]=r2,8", f"ld16{hint} r1,ar.csd=[r3]", f"ld16.acq{hint} r1,ar.csd=[r3]",
         f"st16{hint} [r3]=r2,ar.csd", f"st16.rel{hint} [r3]=r2,ar.csd", f"cmp8xchg16.acq{hint} r1=[r3],r2,ar.csd,ar.ccv",
         f"cmp8xchg16.rel{hint} r1=[r3],r2,ar.csd,ar.ccv")
    each(f"fetchadd{{size}}.{{sem}}{hint} r1=[r3],{{inc}}", size=["4", "8"], sem=["acq", "rel"],
         inc=["-16", "-8", "-4", "-1", "1", "4", "8", "16"])
each("getf.{k} r1=f2", k=["sig", "exp", "s", "d"])
each("setf.{k} f1=r2", k=["sig", "exp", "s", "d"])

# M unit: floating-point memory
for size in fp_sizes:
    for kind in ["", ".s", ".a", ".sa", ".c.clr", ".c.nc"]:
        for hint in ld_hint:
            emit(f"ldf{size}{kind}{hint} f1=[r3]", f"ldf{size}{kind}{hint} f1=[r3],r2", f"ldf{size}{kind}{hint} f1=[r3],-256")
    for hint in st_hint:
        emit(f"stf{size}{hint} [r3]=f2", f"stf{size}{hint} [r3]=f2,255")
for size, kind, hint in product(["8", "s", "d"], ["", ".s", ".a", ".sa", ".c.clr", ".c.nc"], ld_hint):
    inc = "8" if size == "s" else "16"
    emit(f"ldfp{size}{kind}{hint} f1,f2=[r3]", f"ldfp{size}{kind}{hint} f1,f2=[r3],{inc}")
for hint in ld_hint:
    emit(f"ldf.fill{hint} f1=[r3]", f"ldf.fill{hint} f1=[r3],r2", f"ldf.fill{hint} f1=[r3],16", f"stf.spill{hint} [r3]=f2",
         f"stf.spill{hint} [r3]=f2,16")
for kind, hint in product(["", ".excl", ".fault", ".fault.excl"], lf_hint):
    emit(f"lfetch{kind}{hint} [r3]", f"lfetch{kind}{hint} [r3],r2", f"lfetch{kind}{hint} [r3],-256")
emit("lfetch.count [r3],1,64", "lfetch.count.nt1 [r3],64,-64", "lfetch.count [r3],17,640")

# M unit: system and memory management
emit("break.m 0", "break.m 0x1fffff", "nop.m 0", "nop.m 0x1fffff", "hint.m 0", "hint.m 0x7ffff", "sum 0xffffff", "rum 1",
     "ssm 0x6000", "rsm 0x4000", "loadrs", "flushrs", "invala", "invala.e r1", "invala.e f1", "fwb", "mf", "mf.a",
     "srlz.d", "srlz.i", "sync.i", "mov.m ar.ccv=-128", "mov.m ar.unat=127", "mov.m ar.ccv=r2", "mov.m r1=ar.ccv",
     "mov ar.rsc=r2", "mov r1=ar.bsp", "mov ar.k7=r2", "mov r1=ar.itc", "mov ar.fpsr=r2", "mov ar.unat=5",
     "mov ar48=r2", "mov r1=ar50", "mov r1=ar.ruc",
     "chk.a.nc r1,9f", "chk.a.clr r1,9f", "chk.a.nc f1,9f", "chk.a.clr f1,9f", "chk.s.m r2,9f", "chk.s f2,9f",
     "alloc r1=ar.pfs,0,0,0,0", "alloc r1=ar.pfs,3,4,5,8", "alloc r1=ar.pfs,96,0,0,0", "alloc r1=ar.pfs,8,80,8,96",
     "mov r1=dahr[r3]", "mov dahr0=0", "mov dahr7=1")
for f in ["rr", "dbr", "ibr", "pkr", "pmc", "pmd", "msr"]:
    emit(f"mov {f}[r3]=r2", f"mov r1={f}[r3]")
emit("mov r1=cpuid[r3]")
each("{op} r3,r2", op=["ptc.l", "ptc.g", "ptc.ga", "ptr.d", "ptr.i", "probe.r", "probe.w"])
emit("itr.d dtr[r3]=r2", "itr.i itr[r3]=r2", "itc.d r2", "itc.i r2", "fc r3", "fc.i r3", "ptc.e r3",
     "probe.r r1=r3,r2", "probe.w r1=r3,r2", "probe.r r1=r3,3", "probe.w r1=r3,0", "probe.rw.fault r3,3",
     "probe.r.fault r3,3", "probe.w.fault r3,3")
each("{op} r1=r3", op=["thash", "ttag", "tpa", "tak"])
for cr in ["dcr", "itm", "iva", "pta", "ipsr", "isr", "iip", "ifa", "itir", "iipa", "ifs", "iim", "iha", "iib0",
           "iib1", "lid", "ivr", "tpr", "eoi", "irr0", "irr3", "itv", "pmv", "cmcv", "lrr0", "lrr1"]:
    emit(f"mov r1=cr.{cr}", f"mov cr.{cr}=r2")
emit("mov psr.l=r2", "mov psr.um=r2", "mov r1=psr", "mov r1=psr.um")

# B unit
for wh, ph, dh in product(["sptk", "spnt", "dptk", "dpnt"], ["few", "many"], ["", ".clr"]):
    c = f".{wh}.{ph}{dh}"
    emit(f"br.cond{c} 9f", f"br.call{c} b1=9f", f"br.cond{c} b1", f"br.ia{c} b1", f"br.ret{c} b1",
         f"br.call{c} b0=b1", f"(p6) br.cond{c} 9f", f"br.cloop{c} 9f", f"br.ctop{c} 9f", f"br.cexit{c} 9f",
         f"(p1) br.wtop{c} 9f", f"(p1) br.wexit{c} 9f", f"brl.cond{c} 9f", f"(p6) brl.cond{c} 9f",
         f"brl.call{c} b1=9f", f"(p6) br.ret{c} b0")
emit("br 9f", "br.few 9f", "br.many b6", "br.sptk.few b6", "brl 9f", "brl.many 9f", "br.call.sptk.many b0=b6")
emit("cover", "clrrrb", "clrrrb.pr", "rfi", "bsw.0", "bsw.1", "epc", "vmsw.0", "vmsw.1", "break.b 0x1fffff",
     "nop.b 0x1fffff")
for wh, ih in product(["sptk", "loop", "dptk", "exit"], ["", ".imp"]):
    emit(f"brp.{wh}{ih} 9f,1f", "1:")
for wh, ih in product(["sptk", "dptk"], ["", ".imp"]):
    emit(f"brp.{wh}{ih} b1,1f", "1:", f"brp.ret.{wh}{ih} b1,1f", "1:")

# L+X
emit("movl r1=0", "movl r1=-1", "movl r1=0x123456789abcdef0", "break.x 0", "break.x 0x3fffffffffffffff", "nop.x 0",
     "nop.x 0x3fffffffffffffff", "hint.x 0", "hint.x 0x3f")

# F unit
for s in sf:
    for op in ["fma", "fms", "fnma"]:
        each(f"{op}{{p}}{s} f1=f3,f4,f5", p=["", ".s", ".d"])
        emit(f"fp{op[1:] if op != 'fnma' else 'nma'}{s} f1=f3,f4,f5".replace("fpma", "fpma"))
    emit(f"fpma{s} f1=f3,f4,f5", f"fpms{s} f1=f3,f4,f5", f"fpnma{s} f1=f3,f4,f5")
    each(f"{{op}}{{p}}{s} f1=f3,f4", op=["fmpy", "fnmpy"], p=["", ".s", ".d"])
    each(f"{{op}}{{p}}{s} f1=f3,f2", op=["fadd", "fsub"], p=["", ".s", ".d"])
    each(f"fnorm{{p}}{s} f1=f3", p=["", ".s", ".d"])
    emit(f"fpmpy{s} f1=f3,f4", f"fpnmpy{s} f1=f3,f4")
    for rel in ["eq", "lt", "le", "unord", "gt", "ge", "neq", "nlt", "nle", "ngt", "nge", "ord"]:
        emit(f"fcmp.{rel}{s} p1,p2=f2,f3", f"fcmp.{rel}.unc{s} p1,p2=f2,f3", f"fpcmp.{rel}{s} f1=f2,f3")
    each(f"{{op}}{s} f1,p2=f2,f3", op=["frcpa", "fprcpa"])
    each(f"{{op}}{s} f1,p2=f3", op=["frsqrta", "fprsqrta"])
    each(f"{{op}}{s} f1=f2,f3", op=["fmin", "fmax", "famin", "famax", "fpmin", "fpmax", "fpamin", "fpamax"])
    each(f"{{op}}{s} f1=f2", op=["fcvt.fx", "fcvt.fxu", "fcvt.fx.trunc", "fcvt.fxu.trunc", "fpcvt.fx", "fpcvt.fxu",
                                 "fpcvt.fx.trunc", "fpcvt.fxu.trunc"])
    emit(f"fsetc{s} 0x7f,0x7f", f"fsetc{s} 0,0", f"fclrf{s}", f"fchkf{s} 9f")
each("xma.{k} f1=f3,f4,f2", k=["l", "h", "hu", "lu"])
each("xmpy.{k} f1=f3,f4", k=["l", "h", "hu", "lu"])
emit("fselect f1=f3,f4,f2", "fclass.m p1,p2=f2,0x1ff", "fclass.m.unc p1,p2=f2,0x1", "fclass.nm p1,p2=f2,0x3",
     "fclass.nm.unc p1,p2=f2,0x100", "fcvt.xf f1=f2", "fcvt.xuf f1=f3", "fcvt.xuf.s1 f1=f3", "fcvt.xuf.d f1=f3")
for op in ["fmerge.s", "fmerge.ns", "fmerge.se", "fpmerge.s", "fpmerge.ns", "fpmerge.se", "fmix.lr", "fmix.r",
           "fmix.l", "fsxt.r", "fsxt.l", "fpack", "fswap", "fswap.nl", "fswap.nr", "fand", "fandcm", "for", "fxor"]:
    emit(f"{op} f1=f2,f3", f"{op} f1=f2,f2", f"{op} f1=f0,f2")
each("{op} f1=f2", op=["fabs", "fneg", "fnegabs", "fpabs", "fpneg", "fpnegabs", "mov"])
emit("break.f 0x1fffff", "nop.f 0x1fffff", "hint.f 0", "hint.f 0x3f", "(p63) nop.f 0")

# Predicated forms of a few of each unit.
emit("(p6) add r1=r2,r3", "(p63) ld8 r1=[r3]", "(p1) st8 [r3]=r2,8", "(p7) fma f1=f2,f3,f4", "(p2) mov r1=b0",
     "(p3) cmp.eq p4,p5=r0,r3", "(p9) alloc r1=ar.pfs,1,1,1,0", "(p9) cover")

for line in lines:
    print(line if line.endswith(":") else "\t" + line)
print("9:\tnop.b 0")
