package formats

import (
	"archive/zip"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"

	"quire/internal/archive"
)

// EPUB writes the work as an EPUB 3 book: a title page shaped like AO3's
// preface, one file per chapter, an afterword, a nav document and an NCX
// for older readers. Remote images become their alt text with a link. The
// output is deterministic: the same work (and site.Modified) gives the
// same bytes, zip timestamps included.
func EPUB(out io.Writer, work *archive.Work, chapters []*archive.Chapter, site SiteInfo) error {
	return EPUBWithImages(context.Background(), out, work, chapters, site, nil)
}

// EPUBWithImages is EPUB that, with a fetcher, carries the remote images
// the work shows inside the book; an image that cannot be fetched within
// the fetcher's limits stays alt text with a link. A nil fetcher fetches
// nothing. The bytes then depend on what the image servers answered.
func EPUBWithImages(ctx context.Context, out io.Writer, work *archive.Work, chapters []*archive.Chapter, site SiteInfo, images *ImageFetcher) error {
	bk := newBook(work, chapters, site)
	if images != nil {
		bk.fetchImages(ctx, images)
	}
	zw := zip.NewWriter(out)
	mod := bk.modified

	// The mimetype comes first, stored, with no extra field: readers
	// sniff it at a fixed offset.
	mt := []byte("application/epub+zip")
	fh := &zip.FileHeader{Name: "mimetype", Method: zip.Store, CRC32: crc32.ChecksumIEEE(mt),
		CompressedSize64: uint64(len(mt)), UncompressedSize64: uint64(len(mt))}
	fh.ModifiedDate, fh.ModifiedTime = dosTime(mod)
	f, err := zw.CreateRaw(fh)
	if err != nil {
		return fmt.Errorf("epub: %w", err)
	}
	if _, err := f.Write(mt); err != nil {
		return fmt.Errorf("epub: %w", err)
	}

	files := []struct {
		name string
		data string
	}{
		{"META-INF/container.xml", containerXML},
		{"OEBPS/content.opf", bk.opf()},
		{"OEBPS/toc.ncx", bk.ncx()},
		{"OEBPS/nav.xhtml", bk.nav()},
		{"OEBPS/style.css", epubCSS},
	}
	for _, p := range bk.pages() {
		files = append(files, struct{ name, data string }{"OEBPS/" + p.file, p.render()})
	}

	for _, file := range files {
		fh := &zip.FileHeader{Name: file.name, Method: zip.Deflate}
		fh.ModifiedDate, fh.ModifiedTime = dosTime(mod)
		f, err := zw.CreateHeader(fh)
		if err != nil {
			return fmt.Errorf("epub %s: %w", file.name, err)
		}
		if _, err := io.WriteString(f, file.data); err != nil {
			return fmt.Errorf("epub %s: %w", file.name, err)
		}
	}
	if bk.images != nil {
		for _, img := range bk.images.files {
			// Stored: PNG, JPEG and GIF are compressed already.
			fh := &zip.FileHeader{Name: "OEBPS/" + img.href, Method: zip.Store}
			fh.ModifiedDate, fh.ModifiedTime = dosTime(mod)
			f, err := zw.CreateHeader(fh)
			if err != nil {
				return fmt.Errorf("epub %s: %w", img.href, err)
			}
			if _, err := f.Write(img.data); err != nil {
				return fmt.Errorf("epub %s: %w", img.href, err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("epub: %w", err)
	}
	return nil
}

const containerXML = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`

const epubCSS = `body { margin: 0 1em; line-height: 1.5; }
h1, h2, h3 { text-align: center; line-height: 1.2; }
.preface .message, .afterword .message { font-size: 0.9em; font-style: italic; }
dl.tags dt { font-weight: bold; margin-top: 0.5em; }
dl.tags dd { margin-left: 1.5em; }
.byline { text-align: center; }
p.label { font-weight: bold; margin-bottom: 0; }
blockquote { margin: 0.5em 1.5em; }
.userstuff p { margin: 0 0 1em 0; }
.center, .align-center { text-align: center; }
.align-right { text-align: right; }
.align-left { text-align: left; }
.align-justify { text-align: justify; }
.big { font-size: larger; }
table { border-collapse: collapse; }
th, td { border: 1px solid #888; padding: 0.2em 0.4em; }
hr { margin: 1em 0; }
nav ol { list-style: none; }
`

func chapterFile(n int) string { return "chapter-" + itoa(n) + ".xhtml" }

// contentPage is one of the book's content documents, rendered on demand.
type contentPage struct {
	file   string
	render func() string
}

// pages are the content documents in reading order: title page, chapters,
// afterword.
func (bk *book) pages() []contentPage {
	out := []contentPage{{"title.xhtml", func() string {
		return bk.page("title.xhtml", "title", title(bk.work), func(w *writer) { bk.preface(w) })
	}}}
	for i, c := range bk.chapters {
		out = append(out, contentPage{chapterFile(i + 1), func() string {
			return bk.page(chapterFile(i+1), "chapter", chapterHeading(i+1, c), func(w *writer) { bk.chapter(w, i+1, c) })
		}})
	}
	return append(out, contentPage{"afterword.xhtml", func() string {
		return bk.page("afterword.xhtml", "afterword", "Afterword", func(w *writer) { bk.afterword(w) })
	}})
}

// page is one XHTML content document.
func (bk *book) page(file, class, pageTitle string, body func(*writer)) string {
	w := bk.writer(true)
	w.file = file
	w.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<!DOCTYPE html>\n")
	w.raw(`<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"`)
	w.attr("xml:lang", bk.lang.Code)
	w.attr("lang", bk.lang.Code)
	if bk.lang.RTL {
		w.attr("dir", "rtl")
	}
	w.raw(">\n<head>\n")
	w.tag("title", "", pageTitle)
	w.raw("\n" + `<link rel="stylesheet" type="text/css" href="style.css"/>` + "\n</head>\n")
	w.raw(`<body class="` + class + `">` + "\n")
	body(w)
	w.raw("</body>\n</html>\n")
	return w.b.String()
}

// nav is the EPUB 3 navigation document.
func (bk *book) nav() string {
	return bk.page("nav.xhtml", "nav", "Contents", func(w *writer) {
		w.raw(`<nav epub:type="toc" id="toc">` + "\n")
		w.tag("h1", "", "Contents")
		w.raw("\n<ol>\n")
		for i, label := range bk.tocEntries() {
			w.raw(`<li><a href="` + bk.partFile(i) + `">`)
			w.text(label)
			w.raw("</a></li>\n")
		}
		w.raw("</ol>\n</nav>\n")
	})
}

// partFile is the file of the i-th toc entry (preface, chapters, afterword).
func (bk *book) partFile(i int) string {
	switch {
	case i == 0:
		return "title.xhtml"
	case i <= len(bk.chapters):
		return chapterFile(i)
	}
	return "afterword.xhtml"
}

// ncx is the EPUB 2 table of contents, for readers that predate nav.
func (bk *book) ncx() string {
	w := bk.writer(true)
	w.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.raw(`<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"`)
	w.attr("xml:lang", bk.lang.Code)
	w.raw(">\n<head>\n")
	w.raw(`<meta name="dtb:uid"`)
	w.attr("content", WorkUUID(bk.site.Name, bk.work.ID))
	w.raw("/>\n" + `<meta name="dtb:depth" content="1"/>` + "\n" +
		`<meta name="dtb:totalPageCount" content="0"/>` + "\n" +
		`<meta name="dtb:maxPageNumber" content="0"/>` + "\n</head>\n")
	w.raw("<docTitle><text>")
	w.text(title(bk.work))
	w.raw("</text></docTitle>\n")
	for _, n := range creatorNames(bk.work) {
		w.raw("<docAuthor><text>")
		w.text(n)
		w.raw("</text></docAuthor>\n")
	}
	w.raw("<navMap>\n")
	for i, label := range bk.tocEntries() {
		w.raw(`<navPoint id="navpoint-` + itoa(i+1) + `" playOrder="` + itoa(i+1) + `"><navLabel><text>`)
		w.text(label)
		w.raw(`</text></navLabel><content src="` + bk.partFile(i) + `"/></navPoint>` + "\n")
	}
	w.raw("</navMap>\n</ncx>\n")
	return w.b.String()
}

// opf is the package document: metadata, manifest, spine.
func (bk *book) opf() string {
	wk := bk.work
	w := bk.writer(true)
	w.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.raw(`<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid"`)
	w.attr("xml:lang", bk.lang.Code)
	w.raw(">\n" + `<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">` + "\n")
	meta := func(el, val string) {
		if val = strings.TrimSpace(val); val == "" {
			return
		}
		w.raw("<" + el + ">")
		w.text(val)
		w.raw("</" + strings.Fields(el)[0] + ">\n")
	}
	meta(`dc:identifier id="uid"`, WorkUUID(bk.site.Name, wk.ID))
	meta("dc:title", title(wk))
	for i, n := range creatorNames(wk) {
		meta(`dc:creator id="creator-`+itoa(i+1)+`"`, n)
	}
	meta("dc:language", bk.lang.Code)
	seen := map[string]bool{}
	for _, t := range archive.TagTypes {
		names := nonEmpty(wk.Tags[t])
		if t == archive.TypeRating && len(names) == 0 {
			names = []string{wk.Rating()}
		}
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				meta("dc:subject", n)
			}
		}
	}
	meta("dc:description", bk.description())
	meta("dc:publisher", bk.siteName())
	if !wk.PostedAt.IsZero() {
		meta("dc:date", wk.PostedAt.UTC().Format(time.RFC3339))
	}
	if link := bk.workLink(w); link != "" {
		meta("dc:source", link)
	}
	meta(`meta property="dcterms:modified"`, bk.modified.Format("2006-01-02T15:04:05Z"))
	// The series as EPUB 3 says it, and as calibre (which AO3's files
	// come from) reads and writes it.
	for i, s := range bk.site.Series {
		id := "series-" + itoa(i+1)
		meta(`meta property="belongs-to-collection" id="`+id+`"`, s.Title)
		meta(`meta refines="#`+id+`" property="collection-type"`, "series")
		meta(`meta refines="#`+id+`" property="group-position"`, itoa(s.Position))
	}
	if len(bk.site.Series) > 0 {
		s := bk.site.Series[0]
		w.raw(`<meta name="calibre:series"`)
		w.attr("content", s.Title)
		w.raw("/>\n" + `<meta name="calibre:series_index" content="` + itoa(s.Position) + `"/>` + "\n")
	}
	w.raw("</metadata>\n<manifest>\n")
	item := func(id, href, mediaType, props string) {
		w.raw(`<item id="` + id + `" href="` + href + `" media-type="` + mediaType + `"`)
		if props != "" {
			w.raw(` properties="` + props + `"`)
		}
		w.raw("/>\n")
	}
	item("nav", "nav.xhtml", "application/xhtml+xml", "nav")
	item("ncx", "toc.ncx", "application/x-dtbncx+xml", "")
	item("css", "style.css", "text/css", "")
	item("title", "title.xhtml", "application/xhtml+xml", "")
	for i := range bk.chapters {
		item("chapter-"+itoa(i+1), chapterFile(i+1), "application/xhtml+xml", "")
	}
	item("afterword", "afterword.xhtml", "application/xhtml+xml", "")
	if bk.images != nil {
		for _, img := range bk.images.files {
			item(img.id, img.href, img.mediaType, "")
		}
	}
	w.raw("</manifest>\n")
	if bk.lang.RTL {
		w.raw(`<spine toc="ncx" page-progression-direction="rtl">` + "\n")
	} else {
		w.raw(`<spine toc="ncx">` + "\n")
	}
	w.raw(`<itemref idref="title"/>` + "\n")
	for i := range bk.chapters {
		w.raw(`<itemref idref="chapter-` + itoa(i+1) + `"/>` + "\n")
	}
	w.raw(`<itemref idref="afterword"/>` + "\n</spine>\n</package>\n")
	return w.b.String()
}

// dosTime is t in the zip format's MS-DOS date and time fields (UTC,
// two-second resolution, 1980 at the earliest). Setting these instead of
// FileHeader.Modified keeps extra fields out of the headers.
func dosTime(t time.Time) (date, tm uint16) {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if t.Year() > 2107 {
		t = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	tm = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, tm
}
