package importer

import (
	"strings"
	"testing"
)

func TestTextEncodings(t *testing.T) {
	// Windows-1252: curly quotes (0x93, 0x94), an em dash (0x97), é (0xE9).
	cp1252 := []byte("Title: Caf\xe9 Lights\nAuthor: Someone\n\n\x93Wait,\x94 she said \x97 and waited.\n")
	w, err := Parse("text", "cafe.txt", cp1252, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Title != "Café Lights" || !strings.Contains(w.Chapters[0].Body, "“Wait,” she said — and waited.") {
		t.Errorf("Windows-1252 text read as title %q, body %q", w.Title, w.Chapters[0].Body)
	}
	for _, bad := range [][]byte{
		[]byte("Title: X\n\nsome\x00binary"),
		func() []byte {
			b := []byte(strings.Repeat("text ", 100))
			for i := 3; i < len(b); i += 25 { // 20 control bytes in 500
				b[i] = 0x1b
			}
			return b
		}(),
	} {
		for _, format := range []string{"text", "markdown"} {
			if _, err := Parse(format, "bin.txt", bad, Options{}); err == nil || !strings.Contains(err.Error(), "binary") {
				t.Errorf("%s of binary data: %v, want a refusal naming binary data", format, err)
			}
		}
	}
}

func TestHTMLDeclaredCharset(t *testing.T) {
	page := []byte("<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head><body><h1>Caf\xe9</h1><p>\x93Hello\x94 \x97 there.</p></body></html>")
	w, err := Parse("html", "page.html", page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Title != "Café" || !strings.Contains(w.Chapters[0].Body, "“Hello” — there.") {
		t.Errorf("windows-1252 page read as title %q, body %q", w.Title, w.Chapters[0].Body)
	}
}
