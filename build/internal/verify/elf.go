package verify

import (
	"bytes"
	"debug/elf"
	"fmt"
)

var machines = map[string]elf.Machine{
	"amd64":   elf.EM_X86_64,
	"arm64":   elf.EM_AARCH64,
	"386":     elf.EM_386,
	"arm":     elf.EM_ARM,
	"ppc64le": elf.EM_PPC64,
	"s390x":   elf.EM_S390,
	"riscv64": elf.EM_RISCV,
}

// checkStatic reports whether body is a statically linked ELF executable for arch: no
// program interpreter and no shared libraries, so it runs on an empty base image.
func checkStatic(name string, body []byte, arch string) error {
	f, err := elf.NewFile(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: not an ELF executable: %w", name, err)
	}
	defer f.Close()
	if want, ok := machines[arch]; ok && f.Machine != want {
		return fmt.Errorf("%s: built for %s, want %s (%s)", name, f.Machine, want, arch)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s: dynamically linked (it names a program interpreter): build it with CGO_ENABLED=0", name)
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		return fmt.Errorf("%s: reading its shared libraries: %w", name, err)
	}
	if len(libs) > 0 {
		return fmt.Errorf("%s: needs the shared libraries %v", name, libs)
	}
	return nil
}
