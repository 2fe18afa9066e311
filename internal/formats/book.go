package formats

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"quire/internal/archive"
	"quire/internal/text"
)

// book is a work prepared for writing: what the EPUB and the HTML download
// share — the preface shaped like AO3's, the chapters, the afterword.
type book struct {
	work     *archive.Work
	chapters []*archive.Chapter // posted chapters, in order
	site     SiteInfo
	lang     lang
	modified time.Time
	base     *url.URL
	images   *bookImages // remote images to embed; nil: all stay links
	// anchors maps each user-content id in the chapters (a note's
	// anchor) to the chapter that holds it, by index.
	anchors map[string]int
}

func newBook(w *archive.Work, chapters []*archive.Chapter, site SiteInfo) *book {
	bk := &book{work: w, site: site, lang: workLang(w.Language)}
	for _, c := range chapters {
		if c != nil && !c.Draft {
			bk.chapters = append(bk.chapters, c)
		}
	}
	bk.modified = site.modified(w, bk.chapters)
	bk.anchors = map[string]int{}
	for i, c := range bk.chapters {
		for _, m := range userIDAttr.FindAllStringSubmatch(c.Body.HTML, -1) {
			if _, ok := bk.anchors[m[1]]; !ok {
				bk.anchors[m[1]] = i
			}
		}
	}
	if u, err := url.Parse(site.WorkURL); err == nil && u.Scheme != "" && u.Host != "" {
		bk.base = u
	}
	return bk
}

func (bk *book) writer(xhtml bool) *writer {
	return &writer{xhtml: xhtml, base: bk.base, images: bk.images, book: bk, ids: map[string]bool{}}
}

// userIDAttr finds the ids the sanitizer keeps in a body.
var userIDAttr = regexp.MustCompile(`\bid="(uc-[A-Za-z0-9_.-]+)"`)

// inBook is where a link inside the book leads: fragment is an id (or
// ""), chapter an index into the chapters (or -1 for the fragment's own).
// In the EPUB that is a file of the book, in the single HTML file a place
// in it; "" when the book does not hold it.
func (bk *book) inBook(xhtml bool, fragment string, chapter int) string {
	if fragment != "" {
		i, ok := bk.anchors[fragment]
		if !ok {
			if chapter < 0 {
				return ""
			}
			fragment = ""
		} else {
			chapter = i
		}
	}
	if chapter < 0 || chapter >= len(bk.chapters) {
		return ""
	}
	if !xhtml {
		if fragment != "" {
			return "#" + fragment
		}
		return "#chapter-" + itoa(chapter+1)
	}
	if fragment != "" {
		return chapterFile(chapter+1) + "#" + fragment
	}
	return chapterFile(chapter + 1)
}

// chapterAt is the index of the book's chapter at a site path
// ("/works/7/chapters/31"), or -1.
func (bk *book) chapterAt(p string) int {
	prefix := "/works/" + strconv.FormatInt(bk.work.ID, 10) + "/chapters/"
	i := strings.LastIndex(p, prefix)
	if i < 0 {
		return -1
	}
	id, err := strconv.ParseInt(p[i+len(prefix):], 10, 64)
	if err != nil {
		return -1
	}
	for k, c := range bk.chapters {
		if c.ID == id {
			return k
		}
	}
	return -1
}

func (bk *book) siteName() string {
	if n := strings.TrimSpace(bk.site.Name); n != "" {
		return n
	}
	return "Quire"
}

// workLink is the work's URL as the writer keeps it ("" if it has none).
func (bk *book) workLink(w *writer) string { return w.link(bk.site.WorkURL) }

// preface writes the title page in the shape of AO3's downloads
// (app/views/downloads in otwarchive), so that the tools readers use on
// AO3's files read ours: div#preface with the archive's message, a
// div.meta holding dl.tags (tag groups, language, series, stats), the
// title, the byline, and each rich field as a label paragraph followed by
// a blockquote.userstuff.
func (bk *book) preface(w *writer) {
	wk := bk.work
	w.raw(`<div id="preface" class="preface">` + "\n")
	w.tag("h2", "toc-heading", "Preface")
	w.raw("\n" + `<p class="message"><b>`)
	w.text(title(wk))
	w.raw("</b><br/>\nPosted originally on ")
	bk.siteLink(w)
	if link := bk.workLink(w); link != "" {
		w.raw(` at `)
		w.open("a", nil)
		w.attr("href", link)
		w.raw(">")
		w.text(link)
		w.raw("</a>")
	}
	w.raw(".</p>\n")

	w.raw(`<div class="meta">` + "\n" + `<dl class="tags">` + "\n")
	for _, t := range archive.TagTypes {
		names := nonEmpty(wk.Tags[t])
		if t == archive.TypeRating && len(names) == 0 {
			names = []string{wk.Rating()}
		}
		if len(names) == 0 {
			continue
		}
		w.tag("dt", string(t), tagLabel(t, len(names))+":")
		w.raw(`<dd class="` + string(t) + `">`)
		for i, n := range names {
			if i > 0 {
				w.raw(", ")
			}
			w.text(n)
		}
		w.raw("</dd>\n")
	}
	w.tag("dt", "language", "Language:")
	// The name as AO3 shows it, and the code for whoever reads it back.
	w.open("dd", []html.Attribute{{Key: "class", Val: "language"}, {Key: "lang", Val: bk.lang.Code}})
	w.raw(">")
	w.text(bk.lang.Name)
	w.raw("</dd>\n")
	if len(bk.site.Series) > 0 {
		w.tag("dt", "series", "Series:")
		w.raw(`<dd class="series">`)
		for i, s := range bk.site.Series {
			if i > 0 {
				w.raw(", ")
			}
			w.raw("Part " + itoa(s.Position) + " of ")
			if link := w.link(s.URL); link != "" {
				w.open("a", nil)
				w.attr("href", link)
				w.raw(">")
				w.text(s.Title)
				w.raw("</a>")
			} else {
				w.text(s.Title)
			}
		}
		w.raw("</dd>\n")
	}
	w.tag("dt", "stats", "Stats:")
	w.raw(`<dd class="stats">`)
	w.raw("Published: ")
	bk.date(w, wk.PostedAt)
	if len(bk.chapters) > 1 || wk.ChaptersPosted > 1 {
		label := " Updated: "
		if wk.Complete() {
			label = " Completed: "
		}
		w.raw(label)
		bk.date(w, wk.UpdatedAt)
	}
	w.text(" Words: " + formatNum(wk.Words) + " Chapters: " + chapterCount(wk, len(bk.chapters)))
	w.raw("</dd>\n</dl>\n")

	w.tag("h1", "title", title(wk))
	w.raw("\n")
	if names := creatorNames(wk); len(names) > 0 {
		w.tag("div", "byline", "by "+strings.Join(names, ", "))
		w.raw("\n")
	}
	bk.richBlock(w, "summary", "Summary", wk.Summary, "")
	bk.richBlock(w, "notes", "Notes", wk.Notes, "")
	if !wk.EndNotes.IsEmpty() {
		w.raw(`<div class="endnote-link">See the end of the work for `)
		if !wk.Notes.IsEmpty() {
			w.raw("more ")
		}
		w.raw(`<a href="` + bk.afterwordHref(w) + `">notes</a></div>` + "\n")
	}
	w.raw("</div>\n</div>\n")
}

// date writes a date as AO3 shows it (the day), with the full time in a
// <time> element so that nothing is lost on the way back in.
func (bk *book) date(w *writer, t time.Time) {
	if t.IsZero() {
		w.raw("—")
		return
	}
	w.open("time", []html.Attribute{{Key: "datetime", Val: t.UTC().Format(time.RFC3339)}})
	w.raw(">" + day(t) + "</time>")
}

// siteLink writes the archive's name, linked to its front page.
func (bk *book) siteLink(w *writer) {
	if bk.base == nil {
		w.text(bk.siteName())
		return
	}
	w.open("a", nil)
	w.attr("href", (&url.URL{Scheme: bk.base.Scheme, Host: bk.base.Host, Path: "/"}).String())
	w.raw(">")
	w.text(bk.siteName())
	w.raw("</a>")
}

// afterwordHref is the link to the work's end notes from where w writes.
func (bk *book) afterwordHref(w *writer) string {
	if w.file != "" {
		return "afterword.xhtml#endnotes"
	}
	return "#endnotes"
}

// richBlock writes a labelled rich-text field, as AO3's downloads do; id
// names the block ("" for none).
func (bk *book) richBlock(w *writer, class, label string, r archive.Rich, id string) {
	if r.IsEmpty() {
		return
	}
	w.raw(`<div class="` + class + `"`)
	if id != "" {
		w.raw(` id="` + id + `"`)
	}
	w.raw(">")
	w.tag("p", "label", label)
	w.raw(`<blockquote class="userstuff">`)
	w.rich(r.HTML)
	w.raw("</blockquote></div>\n")
}

// chapter writes one chapter as AO3 does: a div.meta.group with the
// heading, summary and notes, the text in a div.userstuff, then the end
// notes in a div.meta.
func (bk *book) chapter(w *writer, n int, c *archive.Chapter) {
	w.raw(`<div class="chapter">` + "\n")
	w.raw(`<div class="meta group" id="chapter-` + itoa(n) + `">` + "\n")
	w.tag("h2", "heading", chapterHeading(n, c))
	w.raw("\n")
	if by := archive.ChapterByline(bk.work, c); by != nil {
		var names []string
		for _, cr := range by {
			names = append(names, cr.Pseud)
		}
		w.tag("p", "byline", "Chapter by "+strings.Join(names, ", "))
		w.raw("\n")
	}
	bk.richBlock(w, "summary", "Chapter Summary", c.Summary, "")
	bk.richBlock(w, "notes", "Chapter Notes", c.Notes, "")
	w.raw("</div>\n")
	w.raw(`<div class="userstuff">` + "\n")
	w.rich(c.Body.HTML)
	w.raw("\n</div>\n")
	if !c.EndNotes.IsEmpty() {
		w.raw(`<div class="meta" id="endnotes` + itoa(n) + `">`)
		bk.richBlock(w, "endnotes", "Chapter End Notes", c.EndNotes, "")
		w.raw("</div>\n")
	}
	w.raw("</div>\n")
}

// afterword writes the work's end notes and where to find it.
func (bk *book) afterword(w *writer) {
	w.raw(`<div id="afterword" class="afterword">` + "\n")
	w.tag("h2", "toc-heading heading", "Afterword")
	w.raw("\n")
	if !bk.work.EndNotes.IsEmpty() {
		w.raw(`<div class="meta">`)
		bk.richBlock(w, "endnotes", "End Notes", bk.work.EndNotes, "endnotes")
		w.raw("</div>\n")
	}
	w.raw(`<p class="message">Please drop by `)
	w.text(bk.siteName())
	if link := bk.workLink(w); link != "" {
		w.raw(` at `)
		w.open("a", nil)
		w.attr("href", link)
		w.raw(">")
		w.text(link)
		w.raw("</a>")
	}
	w.raw(" to let the creator know if you enjoyed their work!</p>\n</div>\n")
}

// tocEntries are the book's parts in reading order.
func (bk *book) tocEntries() []string {
	out := []string{"Preface"}
	for i, c := range bk.chapters {
		out = append(out, chapterHeading(i+1, c))
	}
	return append(out, "Afterword")
}

// description is the summary as plain text.
func (bk *book) description() string {
	return strings.TrimSpace(text.PlainText(bk.work.Summary.HTML))
}

func nonEmpty(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}
