package web

import (
	"html/template"
	"strings"
	"testing"
)

// FuzzEscapeTo: the sidebar's escaper writes exactly what html/template's
// does, for any text (a tag name is any text a creator typed).
func FuzzEscapeTo(f *testing.F) {
	for _, s := range []string{"", "Angst", `Fish & "Chips" 'n' <b>`, "a\x00b", "Café — naïve", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		escapeTo(&b, s)
		if got, want := b.String(), template.HTMLEscapeString(s); got != want {
			t.Fatalf("escapeTo(%q) = %q, want %q", s, got, want)
		}
	})
}
