package site_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The pages and the API reach works, chapters, comments and bookmarks only
// through site, which makes every permission decision once: they never
// hold a store, never open an engine, and never call a store read.
func TestPagesAndAPIReadOnlyThroughSite(t *testing.T) {
	forbiddenImports := map[string]bool{
		"quire/internal/store/sqlstore": true,
		"quire/internal/store/sqlite":   true,
		"quire/internal/store/postgres": true,
		"quire/internal/store/testdb":   true,
		"quire/internal/store":          true, // the model is archive's
	}
	for _, dir := range []string{"../web", "../api"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if forbiddenImports[p] {
					t.Errorf("%s imports %s: pages and the API go through site", path, p)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "store" && sel.Sel.Name == "Store" {
					t.Errorf("%s names store.Store: pages and the API go through site", path)
				}
				return true
			})
		}
	}
}

// The house has one direction: the domain, the index, the store, the
// formats and the importers never reach up to site or the surfaces (an
// importer reads its limits from archive, as site does).
func TestNothingBelowSiteImportsIt(t *testing.T) {
	up := []string{"quire/internal/site", "quire/internal/web", "quire/internal/api", "quire/internal/cli", "quire/internal/httperr"}
	for _, dir := range []string{"archive", "tags", "listing", "store", "store/sqlstore", "store/sqlite", "store/postgres",
		"text", "formats", "formats/efiction", "formats/importer", "dump", "demo", "mail", "jobs", "metrics", "ratelimit"} {
		files, _ := filepath.Glob(filepath.Join("..", dir, "*.go"))
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				for _, u := range up {
					if p == u {
						t.Errorf("%s imports %s", path, p)
					}
				}
			}
		}
	}
}
