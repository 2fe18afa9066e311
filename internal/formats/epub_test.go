package formats_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"quire/internal/archive"
	"quire/internal/formats"
)

func epubBytes(t *testing.T, f fixture) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := formats.EPUB(&buf, f.work, f.chapters, site(f.work.ID)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func unzip(t *testing.T, b []byte) (*zip.Reader, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = string(data)
	}
	return zr, files
}

func TestEPUBStructure(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			b := epubBytes(t, f)
			// The mimetype is the first entry, stored, with no extra
			// field, so its bytes sit at offset 38.
			if got := string(b[30:58]); got != "mimetypeapplication/epub+zip" {
				t.Fatalf("bytes 30..58 = %q", got)
			}
			if method := binary.LittleEndian.Uint16(b[8:10]); method != 0 {
				t.Fatalf("mimetype compression method %d, want 0 (stored)", method)
			}
			if extra := binary.LittleEndian.Uint16(b[28:30]); extra != 0 {
				t.Fatalf("mimetype has an extra field of %d bytes", extra)
			}
			zr, files := unzip(t, b)
			if zr.File[0].Name != "mimetype" || zr.File[0].Method != zip.Store {
				t.Fatalf("first entry %s (method %d)", zr.File[0].Name, zr.File[0].Method)
			}
			for _, name := range []string{"META-INF/container.xml", "OEBPS/content.opf", "OEBPS/nav.xhtml", "OEBPS/toc.ncx", "OEBPS/title.xhtml", "OEBPS/afterword.xhtml"} {
				if _, ok := files[name]; !ok {
					t.Fatalf("missing %s", name)
				}
			}
			for i := range f.chapters {
				if _, ok := files["OEBPS/chapter-"+itoa(int64(i+1))+".xhtml"]; !ok {
					t.Fatalf("missing chapter %d", i+1)
				}
			}
			// Every XML file is well-formed.
			for name, data := range files {
				if strings.HasSuffix(name, ".xhtml") || strings.HasSuffix(name, ".opf") || strings.HasSuffix(name, ".ncx") || strings.HasSuffix(name, ".xml") {
					wellFormed(t, name, data)
				}
			}

			opf := files["OEBPS/content.opf"]
			uid := formats.WorkUUID("Quire Test Archive", f.work.ID)
			mustContain(t, opf,
				`version="3.0"`, `unique-identifier="uid"`, `<dc:identifier id="uid">`+uid+`</dc:identifier>`,
				`<dc:language>`+f.work.Language+`</dc:language>`,
				`<dc:publisher>Quire Test Archive</dc:publisher>`,
				`<dc:date>2024-03-01T09:30:00Z</dc:date>`,
				`<meta property="dcterms:modified">2024-04-02T18:05:07Z</meta>`,
				`properties="nav"`, `<spine toc="ncx"`, `media-type="application/x-dtbncx+xml"`)
			if !regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(uid) {
				t.Fatalf("identifier %s is not a v5 UUID URN", uid)
			}
			mustContain(t, opf, "<dc:title>"+xmlEscape(f.work.Title)+"</dc:title>")
			for _, c := range f.work.Creators {
				mustContain(t, opf, ">"+xmlEscape(c.Pseud)+"</dc:creator>")
			}
			for _, ts := range f.work.Tags {
				for _, tag := range ts {
					mustContain(t, opf, "<dc:subject>"+xmlEscape(tag)+"</dc:subject>")
				}
			}
			if !f.work.Summary.IsEmpty() {
				mustContain(t, opf, "<dc:description>")
			}
			mustContain(t, files["OEBPS/toc.ncx"], `<meta name="dtb:uid" content="`+uid+`"/>`, "<navMap>", `src="chapter-1.xhtml"`)
			mustContain(t, files["OEBPS/nav.xhtml"], `epub:type="toc"`, `href="chapter-1.xhtml"`, `href="afterword.xhtml"`)
			mustContain(t, files["OEBPS/title.xhtml"], "Rating:", "Fandom", "Language:", "Stats:", `Published: <time datetime="2024-03-01T09:30:00Z">2024-03-01</time>`, "Chapters: ", `lang="`+f.work.Language+`"`)
			mustContain(t, files["OEBPS/afterword.xhtml"], "http://quire.test/works/"+itoa(f.work.ID))
			for name, data := range files {
				if strings.Contains(data, `src="http`) {
					t.Fatalf("%s references a remote resource", name)
				}
			}
		})
	}
}

func TestEPUBContent(t *testing.T) {
	f := fixtures()[0]
	_, files := unzip(t, epubBytes(t, f))
	ch1 := files["OEBPS/chapter-1.xhtml"]
	mustContain(t, ch1, "Chapter 1: Arrival", "Chapter Summary", "They arrive.", "Chapter Notes", "Chapter End Notes",
		`<hr/>`, `<br/>`, `<a class="remote-image" href="https://images.example.org/lighthouse.png">[Image: A lighthouse at dusk]</a>`,
		`<a href="http://quire.test/works/2">a relative link</a>`, "a fragment link", `<span class="big">big</span>`, `<s>struck</s>`,
		`<div class="center">`, `class="align-center"`)
	for _, bad := range []string{"<img", "<center", "<big", "<strike", "<acronym", ` align=`, "&nbsp;", `href="#`} {
		if strings.Contains(ch1, bad) {
			t.Errorf("chapter 1 contains %q", bad)
		}
	}
	mustContain(t, files["OEBPS/chapter-2.xhtml"], "<table>", "<th", "🌊", `href="https://example.org/x?a=1&amp;b=2"`, "&lt;tag&gt;")
	title := files["OEBPS/title.xhtml"]
	mustContain(t, title, "Categories:", "Characters:", "Additional Tags:", "Gen, F/F", "Slow Burn &amp; Tea",
		`Updated: <time datetime="2024-04-02T18:05:07Z">2024-04-02</time>`, "Words: 1,234", "Chapters: 2/?", "by lanternkeeper, Second Pen", "beta&#160;reader")
	mustContain(t, files["OEBPS/afterword.xhtml"], "End Notes", `href="https://example.org/"`)
	// The series, as AO3's preface and calibre's metadata say it.
	mustContain(t, title, `<dt class="series">Series:</dt><dd class="series">Part 1 of <a href="http://quire.test/series/4">Lights &amp; Lamps</a>, Part 1 of <a href="http://quire.test/series/5">Side Stories</a></dd>`)
	mustContain(t, files["OEBPS/content.opf"], `<meta property="belongs-to-collection" id="series-1">Lights &amp; Lamps</meta>`,
		`<meta refines="#series-1" property="group-position">1</meta>`, `<meta name="calibre:series" content="Lights &amp; Lamps"/>`,
		`<meta name="calibre:series_index" content="1"/>`)

	ar := fixtures()[2]
	_, files = unzip(t, epubBytes(t, ar))
	mustContain(t, files["OEBPS/chapter-1.xhtml"], `xml:lang="ar" lang="ar" dir="rtl"`, `<p dir="rtl">`, `lang="en" xml:lang="en"`)
	mustContain(t, files["OEBPS/chapter-3.xhtml"], `<div dir="rtl" lang="he" xml:lang="he">`)
	mustContain(t, files["OEBPS/content.opf"], `page-progression-direction="rtl"`)
}

func TestEPUBDeterministic(t *testing.T) {
	for _, f := range fixtures() {
		a, b := epubBytes(t, f), epubBytes(t, f)
		if !bytes.Equal(a, b) {
			t.Fatalf("%s: two EPUBs of the same work differ", f.name)
		}
		zr, _ := unzip(t, a)
		for _, zf := range zr.File {
			if got := zf.Modified.UTC(); !got.Equal(time.Date(2024, 4, 2, 18, 5, 6, 0, time.UTC)) {
				t.Fatalf("%s: %s dated %v, want the work's modified time", f.name, zf.Name, got)
			}
		}
	}
	// A new version changes dcterms:modified; the identifier stays.
	f := fixtures()[0]
	before := epubBytes(t, f)
	f.work.EditedAt = f.work.EditedAt.Add(time.Hour)
	after := epubBytes(t, f)
	_, fb := unzip(t, before)
	_, fa := unzip(t, after)
	if fb["OEBPS/content.opf"] == fa["OEBPS/content.opf"] {
		t.Fatal("an edit did not change the package document")
	}
	mustContain(t, fa["OEBPS/content.opf"], "2024-04-02T19:05:07Z", formats.WorkUUID("Quire Test Archive", 1))
	if formats.WorkUUID("Quire Test Archive", 1) == formats.WorkUUID("Quire Test Archive", 2) {
		t.Fatal("two works share an identifier")
	}
}

// TestEPUBHostileHTML feeds the converter HTML the sanitizer would never
// produce: whatever comes in, the output is well-formed XML.
func TestEPUBHostileHTML(t *testing.T) {
	bodies := []string{
		"<p>unclosed <em>tags <strong>everywhere",
		"<ul>text in a list<p>para</p></ul><dl><dd>lonely</dd><p>x</p><dt>end</dt></dl>",
		"<table><p>foster</p><tr><td>a<td>b</table>",
		"<details><p>no summary</p></details><summary>stray</summary><li>stray item</li>",
		"<p>control \x01\x02 chars \u0085 and \uFFFE</p><script>alert(1)</script>",
		"<span><div><blockquote><ul><li><hr></ul></blockquote></div></span>",
		"<a href='javascript:alert(1)'>js</a><a href='https://x.example/'><a href='https://y.example/'>nested</a></a>",
		"<p title='a \"quoted\" & <title>'>attrs</p><img src=\"https://e.example/i.png\" alt='<b>'>",
		"&nbsp;&amp;&lt;&copy;&#x1F600;",
	}
	for _, h := range bodies {
		w := &archive.Work{ID: 9, Title: "T <&>", Language: "en"}
		c := &archive.Chapter{Position: 1, Body: archive.Rich{HTML: h}}
		var buf bytes.Buffer
		if err := formats.EPUB(&buf, w, []*archive.Chapter{c}, formats.SiteInfo{Name: "S"}); err != nil {
			t.Fatal(err)
		}
		_, files := unzip(t, buf.Bytes())
		for name, data := range files {
			if strings.HasSuffix(name, ".xhtml") {
				wellFormed(t, name+" of "+h, data)
			}
		}
		if strings.Contains(files["OEBPS/chapter-1.xhtml"], "<script") || strings.Contains(files["OEBPS/chapter-1.xhtml"], "javascript:") {
			t.Fatalf("script survived: %s", files["OEBPS/chapter-1.xhtml"])
		}
	}
}

func TestHTMLDocument(t *testing.T) {
	f := fixtures()[0]
	var a, b bytes.Buffer
	if err := formats.HTMLDocument(&a, f.work, f.chapters, site(1)); err != nil {
		t.Fatal(err)
	}
	if err := formats.HTMLDocument(&b, f.work, f.chapters, site(1)); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("not deterministic")
	}
	doc := a.String()
	mustContain(t, doc, "<!DOCTYPE html>", `<html lang="en">`, "<style>", "A Quiet Harbor", "Rating:", "Stats:",
		`<div class="meta group" id="chapter-1">`, `href="#chapter-2"`, "Chapter 1: Arrival", "Chapter 2", "Afterword",
		"http://quire.test/works/1", "[Image: A lighthouse at dusk]")
	for _, bad := range []string{"<script", "<img", "<link", `src="`} {
		if strings.Contains(doc, bad) {
			t.Fatalf("HTML download contains %q", bad)
		}
	}
	if _, err := html.Parse(strings.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	// The download is also well-formed XML once the doctype is dropped.
	wellFormed(t, "html download", strings.Replace(doc, "<!DOCTYPE html>", "", 1))
}

func wellFormed(t *testing.T, name, data string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(data))
	d.Strict = true
	d.Entity = map[string]string{} // only XML's own five
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v\n%s", name, err, data)
		}
	}
}

func mustContain(t *testing.T, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Fatalf("missing %q in:\n%s", w, s)
		}
	}
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// A note's anchor and the links to it (an imported book's footnotes) stay
// inside the downloads: in the EPUB they lead to the chapter file that
// holds the anchor, in the single HTML file to the anchor itself; an id
// twice in one document is kept once.
func TestDownloadsKeepNoteLinks(t *testing.T) {
	f := fixtures()[2]
	_, files := unzip(t, epubBytes(t, f))
	mustContain(t, files["OEBPS/chapter-1.xhtml"], `<a href="chapter-3.xhtml#uc-c3-note-1" id="uc-c1-ref-1">1</a>`, `<a href="#uc-c1-ref-1">twice</a>`)
	mustContain(t, files["OEBPS/chapter-2.xhtml"], `<a href="chapter-1.xhtml">١</a>`)
	ch3 := files["OEBPS/chapter-3.xhtml"]
	mustContain(t, ch3, `<p id="uc-c3-note-1">`, `<a href="chapter-1.xhtml#uc-c1-ref-1">Back</a>`, `<span>again</span>`)
	var doc bytes.Buffer
	if err := formats.HTMLDocument(&doc, f.work, f.chapters, site(f.work.ID)); err != nil {
		t.Fatal(err)
	}
	mustContain(t, doc.String(), `<a href="#uc-c3-note-1" id="uc-c1-ref-1">1</a>`, `<a href="#chapter-1">١</a>`, `<a href="#uc-c1-ref-1">Back</a>`)
}
