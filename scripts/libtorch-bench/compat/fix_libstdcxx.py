#!/usr/bin/env python3
"""Lets a shared object built against a newer libstdc++ load with an older one, when that is safe. In place, idempotent.

Usage: fix_libstdcxx.py LIB [LIBSTDCXX]    (LIBSTDCXX: the libstdc++.so.6 that ld.so will pick; default from ldconfig)

TorchSharp 0.107.0's libLibTorchSharp.so was linked with GCC >= 13 and so requires version GLIBCXX_3.4.32 of
libstdc++.so.6; Debian 12's libstdc++ (GCC 12) stops at GLIBCXX_3.4.30, and ld.so refuses the library ("version
`GLIBCXX_3.4.32' not found"). The only symbol it binds to that version is std::ios_base_library_init(), which GCC 13's
<iostream> references with a bare `.globl` directive (no relocation: nothing ever calls it or needs its address).
So the requirement can be marked weak (VER_FLG_WEAK in .gnu.version_r): ld.so then accepts the missing version.

This script marks weak every version of libstdc++.so.6 that LIB requires and LIBSTDCXX does not define, but only if
no dynamic relocation of LIB refers to a symbol of such a version (otherwise it changes nothing and exits 1: the
missing functions would really be called, and a newer libstdc++ is needed instead).
"""
import ctypes.util, os, struct, subprocess, sys

SHT_RELA, SHT_REL, SHT_DYNSYM = 4, 9, 11
SHT_GNU_VERDEF, SHT_GNU_VERNEED, SHT_GNU_VERSYM = 0x6FFFFFFD, 0x6FFFFFFE, 0x6FFFFFFF
VER_FLG_WEAK = 0x2

def sections(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    # (name, type, flags, addr, offset, size, link, info, addralign, entsize)
    return [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

def cstr(data, off):
    return data[off:data.index(b"\0", off)].decode()

def defined_versions(path):
    data = open(path, "rb").read()
    secs = sections(data)
    names = set()
    for s in secs:
        if s[1] != SHT_GNU_VERDEF:
            continue
        strtab = secs[s[6]][4]
        vd = s[4]
        for _ in range(s[7]):
            _, _, _, cnt, _, aux, nxt = struct.unpack_from("<HHHHIII", data, vd)
            if cnt:
                names.add(cstr(data, strtab + struct.unpack_from("<I", data, vd + aux)[0]))
            vd += nxt
    return names

def default_libstdcxx():
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith("libstdc++.so.6 ") and "x86-64" in line:
            return line.split("=>")[-1].strip()
    raise SystemExit("no libstdc++.so.6 found by ldconfig -p")

def main(lib, libstdcxx):
    have = defined_versions(libstdcxx)
    data = bytearray(open(lib, "rb").read())
    secs = sections(data)
    missing = {}  # version index -> (name, offset of vna_flags, flags)
    for s in secs:
        if s[1] != SHT_GNU_VERNEED:
            continue
        strtab = secs[s[6]][4]
        vn = s[4]
        for _ in range(s[7]):
            _, cnt, vfile, aux, nxt = struct.unpack_from("<HHIII", data, vn)
            va = vn + aux
            for _ in range(cnt):
                _, flags, other, vname, vnext = struct.unpack_from("<IHHII", data, va)
                name = cstr(data, strtab + vname)
                if cstr(data, strtab + vfile) == "libstdc++.so.6" and name not in have:
                    missing[other] = (name, va + 4, flags)
                va += vnext
            vn += nxt
    if not missing:
        print(f"{lib}: every libstdc++ version it needs is in {libstdcxx}")
        return 0
    versym = next((s for s in secs if s[1] == SHT_GNU_VERSYM), None)
    dynsym = next((s for s in secs if s[1] == SHT_DYNSYM), None)
    used = []
    for s in secs:
        if s[1] in (SHT_RELA, SHT_REL) and dynsym is not None and secs[s[6]] == dynsym:
            ent = s[9] or (24 if s[1] == SHT_RELA else 16)
            for off in range(s[4], s[4] + s[5], ent):
                sym = struct.unpack_from("<Q", data, off + 8)[0] >> 32
                if sym and versym is not None:
                    ndx = struct.unpack_from("<H", data, versym[4] + 2 * sym)[0] & 0x7FFF
                    if ndx in missing:
                        sname = cstr(data, secs[dynsym[6]][4] + struct.unpack_from("<I", data, dynsym[4] + 24 * sym)[0])
                        used.append(f"{sname}@{missing[ndx][0]}")
    if used:
        print(f"{lib}: relocations use symbols of versions {libstdcxx} lacks ({', '.join(sorted(set(used)))}); "
              "not patched: put a newer libstdc++.so.6 on LD_LIBRARY_PATH instead", file=sys.stderr)
        return 1
    for name, off, flags in missing.values():
        if flags & VER_FLG_WEAK:
            print(f"{lib}: {name} (not in {libstdcxx}) already weak")
        else:
            struct.pack_into("<H", data, off, flags | VER_FLG_WEAK)
            print(f"{lib}: {name} (not in {libstdcxx}, no relocation uses it) marked weak")
    with open(lib, "r+b") as f:
        f.write(data)
    return 0

if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else default_libstdcxx()))
