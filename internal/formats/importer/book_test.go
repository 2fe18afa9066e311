package importer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/formats/importer"
	"quire/internal/store/testdb"
)

// epubOf builds a small EPUB: the package document and name → content
// pairs under OEBPS/.
func epubOf(t *testing.T, opf string, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	all := append([]string{"mimetype", "application/epub+zip",
		"META-INF/container.xml", `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`,
		"OEBPS/content.opf", opf}, files...)
	for i := 0; i+1 < len(all); i += 2 {
		f, err := zw.Create(all[i])
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(all[i+1]))
	}
	zw.Close()
	return buf.Bytes()
}

func page(body string) string {
	return `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>` + body + `</body></html>`
}

// A book as public-domain EPUBs are made: notes in a non-linear file
// listed first, links between the files, an image page, a creator who is
// not the importer, and library subject headings with commas.
func TestImportEPUBBook(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t)
	u := newUser(t, st, "reader")
	opf := `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:uuid:00000000-0000-4000-8000-000000000001</dc:identifier><dc:title>The Tide Tables</dc:title>
<dc:creator>Ada Quillfeather</dc:creator><dc:language>en</dc:language>
<dc:subject>Quillfeather, Ada (Fictitious character) -- Fiction</dc:subject><dc:subject>Sea stories</dc:subject></metadata><manifest>
<item id="notes" href="Text/notes.xhtml" media-type="application/xhtml+xml"/>
<item id="answers" href="Text/answers.xhtml" media-type="application/xhtml+xml"/>
<item id="c1" href="Text/ch1.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="Text/ch2.xhtml" media-type="application/xhtml+xml"/>
<item id="map" href="Text/map.xhtml" media-type="application/xhtml+xml"/>
<item id="img" href="Images/bay.png" media-type="image/png"/></manifest>
<spine><itemref idref="notes" linear="no"/><itemref idref="answers" linear="no"/><itemref idref="c1"/><itemref idref="c2"/><itemref idref="map"/></spine></package>`
	data := epubOf(t, opf,
		"OEBPS/Text/notes.xhtml", page(`<h1>Notes</h1><p id="note-1">The tables are invented. <a href="ch1.xhtml#ref-1">Back</a></p>`),
		"OEBPS/Text/answers.xhtml", page(`<h1>Answers</h1><p>Nobody links here.</p>`),
		"OEBPS/Text/ch1.xhtml", page(`<h1>The Bay</h1><p id="top">The tide turned.<a id="ref-1" href="notes.xhtml#note-1">1</a> See <a href="ch2.xhtml#storm">the storm</a>, or go back to <a href="#top">the top</a>, or the <a href="../Images/bay.png">picture</a>.</p>`),
		"OEBPS/Text/ch2.xhtml", page(`<h1>The Storm</h1><p id="storm">Rain came. Back to <a href="ch1.xhtml">the bay</a>.</p>`),
		"OEBPS/Text/map.xhtml", page(`<h1>The Map</h1><div><img src="../Images/bay.png" alt="A map of the bay"/></div>`),
		"OEBPS/Images/bay.png", "not really a png")
	rep, err := importer.ImportFile(ctx, st, u, "tide.epub", data, importer.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.Work(ctx, rep.Works[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	chs, err := st.Chapters(ctx, w.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, c := range chs {
		titles = append(titles, c.Title)
	}
	// The non-linear notes come last, and only because the text links
	// to them.
	if got := strings.Join(titles, "|"); got != "The Bay|The Storm|The Map|Notes" {
		t.Fatalf("chapters %q", got)
	}
	page := func(i int) string { return fmt.Sprintf("/works/%d/chapters/%d", w.ID, chs[i].ID) }
	for _, c := range []struct {
		ch   int
		want []string
		gone []string
	}{
		{0, []string{`id="uc-c1-top"`, `id="uc-c1-ref-1"`, `href="` + page(3) + `#uc-c4-note-1"`, `href="` + page(1) + `#uc-c2-storm"`, `href="#uc-c1-top"`, `picture`},
			[]string{`bay.png`, `notes.xhtml`}},
		{1, []string{`id="uc-c2-storm"`, `href="` + page(0) + `"`}, []string{"ch1.xhtml"}},
		{2, []string{`[Image: A map of the bay]`}, []string{"<img"}},
		{3, []string{`id="uc-c4-note-1"`, `href="` + page(0) + `#uc-c1-ref-1"`}, nil},
	} {
		body := chs[c.ch].Body.HTML
		for _, s := range c.want {
			if !strings.Contains(body, s) {
				t.Errorf("chapter %d lacks %s: %s", c.ch+1, s, body)
			}
		}
		for _, s := range c.gone {
			if strings.Contains(body, s) {
				t.Errorf("chapter %d has %s: %s", c.ch+1, s, body)
			}
		}
	}
	// Who wrote it is said; the subjects are one tag each.
	if !strings.Contains(w.Notes.HTML, "Original creator: Ada Quillfeather") {
		t.Errorf("notes %q", w.Notes.HTML)
	}
	if got := strings.Join(w.Tags[archive.TypeFreeform], "|"); got != "Quillfeather; Ada (Fictitious character) -- Fiction|Sea stories" {
		t.Errorf("freeforms %q", got)
	}
	if w.Creators[0].Pseud != "reader" {
		t.Errorf("byline %+v", w.Creators)
	}
	if s := rep.String(); !strings.Contains(s, "1 image inside the file could not be kept") || !strings.Contains(s, `original creator "Ada Quillfeather"`) {
		t.Errorf("report %s", s)
	}
}

// One rule for images a file carries, in every format: each becomes its
// description; a file of images and nothing else is refused.
func TestImagesInsideFiles(t *testing.T) {
	opf := `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Pictures</dc:title></metadata><manifest>
<item id="p1" href="p1.xhtml" media-type="application/xhtml+xml"/><item id="p2" href="p2.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="p1"/><itemref idref="p2"/></spine></package>`
	pictures := epubOf(t, opf, "OEBPS/p1.xhtml", page(`<img src="i1.jpg" alt="A gull"/>`), "OEBPS/p2.xhtml", page(`<p><img src="i2.jpg"/></p>`))
	if _, err := importer.Parse(importer.FormatEPUB, "pictures.epub", pictures, importer.Options{}); err == nil || !strings.Contains(err.Error(), "images with no text") {
		t.Errorf("an image-only book: %v", err)
	}
	mixed := epubOf(t, opf, "OEBPS/p1.xhtml", page(`<p>Words first.</p>`), "OEBPS/p2.xhtml", page(`<p><img src="i2.jpg"/></p><p><img src="https://images.example/gull.png" alt="A gull"/></p>`))
	w, err := importer.Parse(importer.FormatEPUB, "mixed.epub", mixed, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b := w.Chapters[1].Body; !strings.Contains(b, "[Image]") || !strings.Contains(b, `src="https://images.example/gull.png"`) {
		t.Errorf("image page: %s", b)
	}
	h, err := importer.Parse(importer.FormatHTML, "page.html", []byte(`<html><body><p>Text.</p><p><img src="local/gull.jpg" alt="A gull"></p></body></html>`), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b := h.Chapters[0].Body; !strings.Contains(b, "[Image: A gull]") || strings.Contains(b, "<img") {
		t.Errorf("html: %s", b)
	}
}
