// Command supportindex reads package support (templates/support) into the
// table of its declarations that the emitters splice from, and writes it
// to templates/support_index.gen.go. Run it from package templates:
//
//	go generate ./templates
package main

import (
	"fmt"
	"os"

	"github.com/asyncgen/asyncgen/templates/internal/supportdecls"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "supportindex:", err)
		os.Exit(1)
	}
}

func run() error {
	decls, err := supportdecls.ParseDir("support")
	if err != nil {
		return err
	}
	src, err := supportdecls.Table(decls)
	if err != nil {
		return err
	}
	if err := os.WriteFile(supportdecls.TableFile, src, 0o644); err != nil {
		return fmt.Errorf("write the support table: %w", err)
	}
	return nil
}
