package templates

import (
	"fmt"
	"slices"
)

//go:generate go run ../internal/emitternames -o emitternames.gen.go

// DeclaredNames lists, sorted, every package-level identifier a generated
// package may declare under a name that does not come from the spec: the
// top-level declarations of the support code (read from the code itself)
// and the fixed names the emitters declare. No name from the spec may
// take one of them.
func DeclaredNames() ([]string, error) {
	names, err := SupportNames()
	if err != nil {
		return nil, fmt.Errorf("list support declarations: %w", err)
	}
	for _, group := range emitterNames {
		names = append(names, group...)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// SupportNames lists the package-level names the support files declare
// (not methods), from the support package parsed once per process.
func SupportNames() ([]string, error) {
	decls, err := loadSupport()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range decls {
		names = append(names, d.names...)
	}
	return names, nil
}
