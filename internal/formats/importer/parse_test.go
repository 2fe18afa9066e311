package importer

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, format, name string, data []byte) *Work {
	t.Helper()
	w, err := Parse(format, name, data, Options{})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return w
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// noChrome checks that no field carries the archive's own messages.
func noChrome(t *testing.T, w *Work) {
	t.Helper()
	fields := []string{w.Title, w.Summary, w.Notes, w.EndNotes, strings.Join(w.Byline, ",")}
	for _, c := range w.Chapters {
		fields = append(fields, c.Title, c.Summary, c.Notes, c.EndNotes, c.Body)
	}
	for _, f := range fields {
		for _, chrome := range []string{"Posted originally", "Please drop by", "See the end of", "Preface", "Afterword", "endnote-link"} {
			if strings.Contains(f, chrome) {
				t.Errorf("a field carries the archive's chrome %q: %q", chrome, f)
			}
		}
	}
}

func checkLedger(t *testing.T, w *Work) {
	t.Helper()
	eq(t, "title", w.Title, "The Lamplighter's Ledger")
	eq(t, "byline", w.Byline, []string{"Wren_Ashdown"})
	eq(t, "rating", w.Rating, archive.RatingTeen)
	eq(t, "warnings", w.Warnings, []string{archive.WarningChoseNot, archive.WarningMCD})
	eq(t, "categories", w.Categories, []string{"Gen", "F/M"})
	eq(t, "fandoms", w.Fandoms, []string{"Harbor Lights"})
	eq(t, "relationships", w.Relationships, []string{"Tamsin/Odell"})
	eq(t, "characters", w.Characters, []string{"Tamsin", "Odell", "The Harbormaster"})
	eq(t, "freeforms", w.Freeforms, []string{"Slow Burn", "Lighthouses"})
	eq(t, "language", w.Language, "en")
	eq(t, "series", w.Series, []SeriesPart{{"Harbor Nights", 2}, {"Ledgers, Lamps, and Other Things", 1}})
	eq(t, "published", w.Published, day("2019-03-04"))
	eq(t, "updated", w.Updated, day("2020-11-15"))
	eq(t, "expected", w.ChaptersExpected, 0)
	eq(t, "summary", w.Summary, "<p>Every evening Tamsin writes down which lamps were lit.</p><p>One evening the <em>ledger</em> writes back.</p>")
	eq(t, "notes", w.Notes, "<p>Written for a prompt about lists.</p>")
	eq(t, "end notes", w.EndNotes, "<p>The harbor in this story is invented.</p>")
	if len(w.Chapters) != 3 {
		t.Fatalf("%d chapters, want 3: %#v", len(w.Chapters), w.Chapters)
	}
	c := w.Chapters
	eq(t, "chapter 1 title", c[0].Title, "The First Lamp")
	eq(t, "chapter 2 title", c[1].Title, "")
	eq(t, "chapter 3 title", c[2].Title, "Low Tide")
	eq(t, "chapter 1 summary", c[0].Summary, "<p>The ledger is found.</p>")
	eq(t, "chapter 1 notes", c[0].Notes, "<p>A short one to begin.</p>")
	eq(t, "chapter 1 end notes", c[0].EndNotes, "<p>More soon.</p>")
	eq(t, "chapter 3 notes", c[2].Notes, "<p>Thank you for reading this far.</p>")
	eq(t, "chapter 3 end notes", c[2].EndNotes, "")
	if !strings.Contains(c[0].Body, "<strong>caught</strong>") || !strings.Contains(c[1].Body, "<hr/>") || !strings.Contains(c[2].Body, "<blockquote>") {
		t.Errorf("bodies: %q", c)
	}
	noChrome(t, w)
}

func TestAO3HTML(t *testing.T) {
	checkLedger(t, mustParse(t, FormatAO3HTML, "ledger.html", fixture(t, "ao3_multi.html")))
}

func TestAO3HTMLSingleChapter(t *testing.T) {
	w := mustParse(t, FormatAO3HTML, "small.html", fixture(t, "ao3_single.html"))
	eq(t, "title", w.Title, "Small Hours")
	eq(t, "byline", w.Byline, []string{"quillwort", "second_hand (pell_writes)"})
	eq(t, "rating", w.Rating, archive.RatingGeneral)
	eq(t, "warnings", w.Warnings, []string{archive.WarningNone})
	eq(t, "fandoms", w.Fandoms, []string{"Orchard Row", "Orchard Row (Radio Play)"})
	eq(t, "language", w.Language, "es")
	eq(t, "expected", w.ChaptersExpected, 1)
	if len(w.Chapters) != 1 || w.Chapters[0].Title != "" || !strings.Contains(w.Chapters[0].Body, "<h2>A heading inside the story</h2>") ||
		!strings.Contains(w.Chapters[0].Body, "Three apples") {
		t.Errorf("chapters: %#v", w.Chapters)
	}
	noChrome(t, w)
}

func TestAO3HTMLOlderHeadings(t *testing.T) {
	w := mustParse(t, FormatAO3HTML, "bridges.html", fixture(t, "ao3_old.html"))
	eq(t, "rating", w.Rating, archive.RatingNotRated)
	eq(t, "warnings", w.Warnings, []string{archive.WarningViolence, archive.WarningUnderage})
	eq(t, "byline", w.Byline, []string{"ferrywoman"})
	eq(t, "updated", w.Updated, day("2010-05-06"))
	eq(t, "expected", w.ChaptersExpected, 2)
	if len(w.Chapters) != 2 || w.Chapters[0].Title != "The North Bridge" || w.Chapters[1].Title != "The South Bridge" {
		t.Errorf("chapters: %#v", w.Chapters)
	}
	noChrome(t, w)
}

// writeZip builds an EPUB-shaped zip from name → content pairs.
func writeZip(t testing.TB, files ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		f, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(files[i+1]))
	}
	zw.Close()
	return buf.Bytes()
}

const containerFile = `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`

func xhtml(body string) string {
	return `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>` + body + `</body></html>`
}

// ao3EPUB splits the AO3 fixture into the files an AO3 EPUB holds: the
// preface, one file per chapter, the afterword.
func ao3EPUB(t *testing.T) []byte {
	src := string(fixture(t, "ao3_multi.html"))
	cut := func(from, to string) string {
		i := strings.Index(src, from)
		j := strings.Index(src[i:], to)
		return src[i : i+j]
	}
	preface := cut(`<div id="preface">`, `<div id="chapters"`)
	chapters := cut(`<div id="chapters"`, `<div id="afterword">`)
	parts := strings.Split(chapters, `<div class="meta group">`)
	afterword := cut(`<div id="afterword">`, `</body>`)
	opf := `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Lamplighter's Ledger</dc:title><dc:creator>Wren_Ashdown</dc:creator><dc:language>en</dc:language></metadata><manifest>
<item id="preface" href="preface.xhtml" media-type="application/xhtml+xml"/>
<item id="c1" href="Text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="Text/chapter%202.xhtml" media-type="application/xhtml+xml"/>
<item id="c3" href="Text/chapter%203.xhtml" media-type="application/xhtml+xml"/>
<item id="after" href="afterword.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="preface"/><itemref idref="c1"/><itemref idref="c2"/><itemref idref="c3"/><itemref idref="after"/></spine></package>`
	return writeZip(t, "mimetype", "application/epub+zip", "META-INF/container.xml", containerFile, "OEBPS/content.opf", opf,
		"OEBPS/preface.xhtml", xhtml(preface),
		"OEBPS/Text/chapter 1.xhtml", xhtml(`<div class="meta group">`+parts[1]),
		"OEBPS/Text/chapter 2.xhtml", xhtml(`<div class="meta group">`+parts[2]),
		"OEBPS/Text/chapter 3.xhtml", xhtml(`<div class="meta group">`+strings.TrimSuffix(strings.TrimSpace(parts[3]), "</div>")),
		"OEBPS/afterword.xhtml", xhtml(afterword))
}

func TestAO3EPUB(t *testing.T) {
	data := ao3EPUB(t)
	if f := Detect("ledger.epub", data[:min(len(data), DetectBytes)]); f != FormatEPUB {
		t.Errorf("detect: %s", f)
	}
	checkLedger(t, mustParse(t, FormatEPUB, "ledger.epub", data))
}

func TestGenericEPUB(t *testing.T) {
	opf := `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>Salt and Cedar</dc:title><dc:creator>M. Ferrant</dc:creator><dc:language>de</dc:language><dc:description>&lt;p&gt;A boat is built.&lt;/p&gt;</dc:description>
<dc:subject>Boats</dc:subject><dc:date>2015-08-09</dc:date></metadata><manifest>
<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="a" href="a.xhtml" media-type="application/xhtml+xml"/>
<item id="b" href="b.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="cover"/><itemref idref="nav"/><itemref idref="a"/><itemref idref="b"/></spine></package>`
	data := writeZip(t, "mimetype", "application/epub+zip", "META-INF/container.xml", containerFile, "OEBPS/content.opf", opf,
		"OEBPS/cover.xhtml", xhtml(`<p>Salt and Cedar</p>`),
		"OEBPS/nav.xhtml", xhtml(`<nav><ol><li>One</li></ol></nav>`),
		"OEBPS/a.xhtml", xhtml(`<h1>One: The Keel</h1><p>They laid the keel in spring.</p>`),
		"OEBPS/b.xhtml", xhtml(`<h2>Chapter 2: Planks</h2><p>The planks came from the north.</p>`))
	w := mustParse(t, FormatEPUB, "salt.epub", data)
	eq(t, "title", w.Title, "Salt and Cedar")
	eq(t, "byline", w.Byline, []string{"M. Ferrant"})
	eq(t, "language", w.Language, "de")
	eq(t, "summary", w.Summary, "<p>A boat is built.</p>")
	eq(t, "freeforms", w.Freeforms, []string{"Boats"})
	eq(t, "published", w.Published, day("2015-08-09"))
	if len(w.Chapters) != 2 || w.Chapters[0].Title != "One: The Keel" || w.Chapters[1].Title != "Planks" ||
		w.Chapters[1].Body != "<p>The planks came from the north.</p>" {
		t.Errorf("chapters: %#v", w.Chapters)
	}
}

func TestEPUBRefusesBadFiles(t *testing.T) {
	for name, data := range map[string][]byte{
		"not a zip":  []byte("hello"),
		"no opf":     writeZip(t, "mimetype", "application/epub+zip"),
		"bad opf":    writeZip(t, "META-INF/container.xml", containerFile, "OEBPS/content.opf", "<package><"),
		"empty book": writeZip(t, "META-INF/container.xml", containerFile, "OEBPS/content.opf", `<package><manifest/><spine/></package>`),
	} {
		if _, err := Parse(FormatEPUB, "x.epub", data, Options{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestHTML(t *testing.T) {
	w := mustParse(t, FormatHTML, "jardin.html", fixture(t, "generic.html"))
	eq(t, "title", w.Title, "Le Jardin")
	eq(t, "byline", w.Byline, []string{"Claude Sorel"})
	eq(t, "language", w.Language, "fr")
	eq(t, "summary", w.Summary, "Un jardin, deux voisins.")
	eq(t, "notes", w.Notes, "<p>Une note avant tout.</p>")
	eq(t, "chapters", w.Chapters, []Chapter{{Title: "Premier", Body: "<p>Les tomates étaient rouges.</p>"}, {Title: "Second", Body: "<p>Les haricots étaient verts.</p>"}})
	// No headings: one chapter; no title: the file name.
	w = mustParse(t, FormatHTML, "quiet_evening.htm", []byte("<p>Only a paragraph.</p>"))
	eq(t, "title", w.Title, "Quiet evening")
	eq(t, "chapters", w.Chapters, []Chapter{{Body: "<p>Only a paragraph.</p>"}})
}

func TestMarkdown(t *testing.T) {
	w := mustParse(t, FormatMarkdown, "story.md", fixture(t, "story.md"))
	eq(t, "format", w.Format, archive.FormatMarkdown)
	eq(t, "title", w.Title, "The Cartographer's Cat")
	eq(t, "byline", w.Byline, []string{"Juniper Vale"})
	eq(t, "rating", w.Rating, archive.RatingTeen)
	eq(t, "fandoms", w.Fandoms, []string{"Paper Maps"})
	eq(t, "freeforms", w.Freeforms, []string{"Cats", "Maps"})
	eq(t, "summary", w.Summary, "A cat walks across a map and the map changes.")
	eq(t, "notes", w.Notes, "A short note before the story begins.")
	if len(w.Chapters) != 2 || w.Chapters[0].Title != "Ink" || w.Chapters[1].Title != "Paper" {
		t.Fatalf("chapters: %#v", w.Chapters)
	}
	if !strings.Contains(w.Chapters[0].Body, "## not a heading, only code") || !strings.Contains(w.Chapters[1].Body, "- of things") {
		t.Errorf("bodies: %#v", w.Chapters)
	}
	// Several top-level headings split; setext headings count.
	w = mustParse(t, FormatMarkdown, "two.md", []byte("One\n===\n\nfirst text\n\nTwo\n===\n\nsecond text\n"))
	eq(t, "setext chapters", w.Chapters, []Chapter{{Title: "One", Body: "first text"}, {Title: "Two", Body: "second text"}})
}

func TestTextHeader(t *testing.T) {
	w := mustParse(t, FormatText, "weather_vane.txt", fixture(t, "legacy_header.txt"))
	eq(t, "title", w.Title, "The Weather Vane")
	eq(t, "byline", w.Byline, []string{"Hollis Penrose"})
	eq(t, "fandoms", w.Fandoms, []string{"Windmill Country"})
	eq(t, "rating", w.Rating, archive.RatingTeen)
	eq(t, "relationships", w.Relationships, []string{"Ada/Merrow"})
	eq(t, "characters", w.Characters, []string{"Ada", "Merrow", "the miller's cat"})
	eq(t, "warnings", w.Warnings, []string{archive.WarningNone})
	eq(t, "summary", w.Summary, "<p>A weather vane that points the wrong way and the two people who argue about it.</p>")
	eq(t, "notes", w.Notes, "<p>Thanks to my friend for reading this first.</p>\n<p>Disclaimer: The windmills belong to nobody.</p>")
	eq(t, "series", w.Series, []SeriesPart{{"Turning Things", 2}})
	if len(w.Chapters) != 3 {
		t.Fatalf("chapters: %#v", w.Chapters)
	}
	eq(t, "titles", []string{w.Chapters[0].Title, w.Chapters[1].Title, w.Chapters[2].Title}, []string{"", "The Oil Can", "Epilogue"})
	b := w.Chapters[0].Body
	// Hard-wrapped lines join; a scene break is a rule; dialogue stays text.
	if !strings.Contains(b, "<p>The vane on the mill roof pointed east, and the wind came from the west,") ||
		!strings.Contains(b, "<hr/>") || !strings.Contains(b, "&#34;It is rusted,&#34; Merrow said.") || strings.Contains(b, "blockquote") {
		t.Errorf("body: %s", b)
	}
	if !strings.Contains(w.Chapters[1].Body, "The <em>good</em> one.") {
		t.Errorf("emphasis: %s", w.Chapters[1].Body)
	}
	for _, c := range w.Chapters {
		if strings.Contains(c.Body, "Feedback") || strings.Contains(c.Body, "* * *") {
			t.Errorf("header or separator left in a body: %s", c.Body)
		}
	}
}

func TestTextProseSummary(t *testing.T) {
	w, err := Parse(FormatText, "ferry_pilot.txt", fixture(t, "legacy_prose.txt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "title", w.Title, "Ferry pilot")
	eq(t, "summary", w.Summary, "<p>A small story about a ferry pilot who keeps a list of passengers who never arrive.</p>")
	eq(t, "warnings", w.Warnings, []string{archive.WarningMCD})
	eq(t, "freeforms", w.Freeforms, []string{"Mild peril", "Broken lantern"})
	if len(w.Chapters) != 3 {
		t.Fatalf("chapters: %#v", w.Chapters)
	}
	eq(t, "titles", []string{w.Chapters[0].Title, w.Chapters[1].Title, w.Chapters[2].Title}, []string{"Fog", "", "Part III"})
	eq(t, "chapter 1 summary", w.Chapters[0].Summary, "<p>In which the fog comes in early.</p>")
	eq(t, "chapter 2 summary", w.Chapters[1].Summary, "<p>In which someone finally answers.</p>")
	want := "<blockquote><p>Every crossing is a promise made to the far shore</p><p>— <cite>Ilse Marrow</cite></p></blockquote>"
	if !strings.HasPrefix(w.Chapters[0].Body, want) {
		t.Errorf("epigraph: %s", w.Chapters[0].Body)
	}
	in := w.Input(Options{Fandom: "Ferry Tales"})
	eq(t, "rating default", in.Rating, archive.RatingNotRated)
	eq(t, "fandom from options", in.Fandoms, []string{"Ferry Tales"})
	in = w.Input(Options{})
	eq(t, "fandom default", in.Fandoms, []string{DefaultFandom})
}

func TestTextIndentedParagraphsAndDefaults(t *testing.T) {
	w := mustParse(t, FormatText, "letters.txt", fixture(t, "legacy_dash.txt"))
	eq(t, "summary", w.Summary, "")
	if len(w.Chapters) != 1 {
		t.Fatalf("chapters: %#v", w.Chapters)
	}
	b := w.Chapters[0].Body
	if strings.Count(b, "<p>") != 3 || strings.Contains(b, "blockquote") {
		t.Errorf("body: %s", b)
	}
	in := w.Input(Options{})
	eq(t, "warnings default", in.Warnings, []string{archive.WarningChoseNot})
}

func TestRatings(t *testing.T) {
	for in, want := range map[string]string{
		"G": archive.RatingGeneral, "PG": archive.RatingGeneral, "PG-13": archive.RatingTeen, "pg13 for language": archive.RatingTeen,
		"R": archive.RatingMature, "NC-17": archive.RatingExplicit, "FRC": archive.RatingGeneral, "FRT": archive.RatingTeen,
		"FRM": archive.RatingMature, "FRAO": archive.RatingExplicit, "Mature": archive.RatingMature, "Teen And Up Audiences": archive.RatingTeen,
		"whatever": "",
	} {
		if got := mapRating(in); got != want {
			t.Errorf("mapRating(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTagsTheArchiveCantCarryAreLeftOut(t *testing.T) {
	w := &Work{Title: "T", Fandoms: []string{"Good", "Bad*Star"}, Chapters: []Chapter{{Body: "x"}}}
	for i := 0; i < 80; i++ {
		w.Freeforms = append(w.Freeforms, "tag "+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	in := w.Input(Options{})
	eq(t, "fandoms", in.Fandoms, []string{"Good"})
	if n := len(in.Fandoms) + len(in.Freeforms); n != archive.MaxFreeTags {
		t.Errorf("%d free tags kept", n)
	}
	if len(w.Remarks) != 1+81-archive.MaxFreeTags {
		t.Errorf("remarks: %q", w.Remarks)
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct{ name, head, want string }{
		{"a.jsonl", "", FormatJSONL},
		{"a", `{"type":"tag"}`, FormatJSONL},
		{"a.bin", "PK\x03\x04rest", FormatEPUB},
		{"dump.sql", "-- dump", FormatEFiction},
		{"dump", "CREATE TABLE `fanfiction_stories` (", FormatEFiction},
		{"dump.txt", "INSERT INTO `efic_fanfiction_chapters` VALUES", FormatEFiction},
		{"x.html", string(fixture(t, "ao3_multi.html")), FormatAO3HTML},
		{"x", string(fixture(t, "ao3_single.html")), FormatAO3HTML},
		{"x.htm", string(fixture(t, "generic.html")), FormatHTML},
		{"x", "<p>hello</p>", FormatHTML},
		{"x.md", "plain", FormatMarkdown},
		{"x", "# Title\n\ntext", FormatMarkdown},
		{"x.txt", "# not markdown by name", FormatText},
		{"x", "Title: A\n\ntext", FormatText},
	} {
		if got := Detect(c.name, []byte(c.head)); got != c.want {
			t.Errorf("Detect(%q, %.20q) = %s, want %s", c.name, c.head, got, c.want)
		}
	}
}
