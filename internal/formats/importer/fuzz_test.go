package importer

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"quire/internal/archive"
)

// Every parser takes any input without panicking and in bounded time, and
// what it makes goes through validation without panicking either.

func seedFixtures(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func fuzzParse(t *testing.T, format string, data []byte) {
	start := time.Now()
	w, err := Parse(format, "fuzz.in", data, Options{})
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("%s took %v on %d bytes", format, d, len(data))
	}
	if err != nil {
		return
	}
	if len(w.Chapters) == 0 || w.Title == "" {
		t.Fatalf("%s: a parsed work without chapters or title", format)
	}
	pseuds := []archive.Pseud{{ID: 1, Name: "fuzz", IsDefault: true}}
	Prepare(w, pseuds, Options{}, time.Now())
}

func FuzzText(f *testing.F) {
	seedFixtures(f, "legacy_header.txt", "legacy_prose.txt", "legacy_dash.txt")
	f.Add([]byte("Title:\n\n\"\n— \n\nChapter IIII:\n\n* * *"))
	f.Add([]byte("Summary: Chapter one: in which. Warnings for , and ,.\n\nx"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatText, data) })
}

func FuzzHTML(f *testing.F) {
	seedFixtures(f, "generic.html", "ao3_single.html")
	f.Add([]byte("<h1>a</h1><h1>b</h1><div><h1>c</h1></div>"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatHTML, data) })
}

func FuzzAO3HTML(f *testing.F) {
	seedFixtures(f, "ao3_multi.html", "ao3_single.html", "ao3_old.html")
	f.Add([]byte(`<dl class="tags"><dt>Series:</dt><dd>Part 9999999999999999999 of <a>x</a></dd><dt>Stats:</dt><dd>Chapters: 1/99999999999</dd></dl>`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatAO3HTML, data) })
}

func FuzzMarkdown(f *testing.F) {
	seedFixtures(f, "story.md")
	f.Add([]byte("---\ntitle: x\n---\n# a\n===\n## b\n---\n```\n# c"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatMarkdown, data) })
}

func FuzzEPUB(f *testing.F) {
	f.Add(writeZip(f, "META-INF/container.xml", containerFile, "OEBPS/content.opf",
		`<package><manifest><item id="a" href="a.xhtml"/></manifest><spine><itemref idref="a"/></spine></package>`,
		"OEBPS/a.xhtml", xhtml("<h1>t</h1><p>x</p>")))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatEPUB, data) })
}

func FuzzDetect(f *testing.F) {
	seedFixtures(f, "ao3_multi.html", "story.md", "legacy_prose.txt")
	f.Fuzz(func(t *testing.T, data []byte) { Detect("x", data) })
}
