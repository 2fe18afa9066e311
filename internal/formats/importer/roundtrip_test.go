package importer

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"quire/internal/archive"
	"quire/internal/formats"
)

// A work Quire wrote as an EPUB or an HTML download comes back with the
// same chapters (titles, summaries, notes, end notes and bodies as the
// sanitizer renders them) and the same preface.
func TestQuireDownloadsRoundTrip(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	in := archive.WorkInput{
		Title: "Round Trip", Summary: "<p>A summary with <em>emphasis</em>.</p>", Notes: "<p>Some notes.</p>", EndNotes: "<p>Goodbye.</p>",
		Rating: archive.RatingMature, Warnings: []string{archive.WarningNone}, Categories: []string{"Gen"},
		Fandoms: []string{"Lantern Tales"}, Relationships: []string{"A/B"}, Characters: []string{"A", "B"}, Freeforms: []string{"Fluff"},
		Language: "ja", ChaptersExpected: 3, PostedAt: time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC),
		Chapters: []archive.ChapterInput{
			{Title: "Beginnings", Summary: "<p>It starts.</p>", Notes: "<p>Hello.</p>", EndNotes: "<p>Bye for now.</p>",
				Body: "<p>First <strong>body</strong>.</p><blockquote><p>An epigraph.</p><p>— <cite>Someone</cite></p></blockquote><hr><ul><li>one</li><li>two</li></ul>"},
			{Body: "<p>猫が好きです。</p><table><tr><td>cell</td></tr></table>"},
		},
	}
	work, chapters, err := archive.PrepareWork(in, now)
	if err != nil {
		t.Fatal(err)
	}
	work.ID = 7
	work.Creators = []archive.Creator{{Pseud: "alice"}}
	for i, c := range chapters {
		c.Position = i + 1
		work.ChaptersPosted++
		work.Words += c.Words
	}
	work.UpdatedAt = work.PostedAt
	site := formats.SiteInfo{Name: "Quire", WorkURL: "http://quire.test/works/7"}
	var epub, doc bytes.Buffer
	if err := formats.EPUB(&epub, work, chapters, site); err != nil {
		t.Fatal(err)
	}
	if err := formats.HTMLDocument(&doc, work, chapters, site); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		format, name string
		data         []byte
	}{{FormatEPUB, "round.epub", epub.Bytes()}, {FormatAO3HTML, "round.html", doc.Bytes()}} {
		if f := Detect(c.name, c.data[:min(len(c.data), DetectBytes)]); f != c.format {
			t.Errorf("%s detected as %s", c.name, f)
		}
		w := mustParse(t, c.format, c.name, c.data)
		noChrome(t, w)
		eq(t, c.name+" byline", w.Byline, []string{"alice"})
		eq(t, c.name+" published", w.Published, in.PostedAt)
		back, backChapters, err := archive.PrepareWork(w.Input(Options{}), now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		eq(t, c.name+" title", back.Title, work.Title)
		eq(t, c.name+" summary", back.Summary.HTML, work.Summary.HTML)
		eq(t, c.name+" notes", back.Notes.HTML, work.Notes.HTML)
		eq(t, c.name+" end notes", back.EndNotes.HTML, work.EndNotes.HTML)
		eq(t, c.name+" tags", back.Tags, work.Tags)
		eq(t, c.name+" language", back.Language, work.Language)
		eq(t, c.name+" expected", back.ChaptersExpected, work.ChaptersExpected)
		if len(backChapters) != len(chapters) {
			t.Fatalf("%s: %d chapters, want %d", c.name, len(backChapters), len(chapters))
		}
		for i, bc := range backChapters {
			oc := chapters[i]
			eq(t, c.name+" chapter title", bc.Title, oc.Title)
			eq(t, c.name+" chapter summary", bc.Summary.HTML, oc.Summary.HTML)
			eq(t, c.name+" chapter notes", bc.Notes.HTML, oc.Notes.HTML)
			eq(t, c.name+" chapter end notes", bc.EndNotes.HTML, oc.EndNotes.HTML)
			eq(t, c.name+" chapter body", normal(t, bc.Body.HTML), normal(t, oc.Body.HTML))
			eq(t, c.name+" chapter words", bc.Words, oc.Words)
		}
	}
}

// normal is HTML as the parser reads it: <hr> and <hr/>, or a table with
// and without its implied tbody, are the same.
func normal(t *testing.T, h string) string {
	nodes, err := html.ParseFragment(strings.NewReader(h), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, n := range nodes {
		html.Render(&b, n)
	}
	return b.String()
}

// A regional language, the time of day of the dates and the series come
// back from Quire's own EPUB and HTML downloads.
func TestQuireDownloadsKeepLanguageTimesAndSeries(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	posted := time.Date(2023, 1, 2, 9, 30, 15, 0, time.UTC)
	updated := time.Date(2023, 2, 3, 18, 5, 7, 0, time.UTC)
	work, chapters, err := archive.PrepareWork(archive.WorkInput{
		Title: "Regional", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone}, Fandoms: []string{"Lantern Tales"},
		Language: "en-US", PostedAt: posted,
		Chapters: []archive.ChapterInput{{Body: "<p>One.</p>"}, {Body: "<p>Two.</p>"}},
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	work.ID = 9
	work.Creators = []archive.Creator{{Pseud: "alice"}}
	work.ChaptersPosted, work.UpdatedAt = 2, updated
	for i, c := range chapters {
		c.ID, c.Position = int64(90+i), i+1
	}
	site := formats.SiteInfo{Name: "Quire", WorkURL: "http://quire.test/works/9",
		Series: []formats.SeriesInfo{{Title: "Lights Along the Coast", Position: 3, URL: "http://quire.test/series/4"}, {Title: "Side Stories", Position: 1}}}
	var epub, doc bytes.Buffer
	if err := formats.EPUB(&epub, work, chapters, site); err != nil {
		t.Fatal(err)
	}
	if err := formats.HTMLDocument(&doc, work, chapters, site); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		format, name string
		data         []byte
	}{{FormatEPUB, "regional.epub", epub.Bytes()}, {FormatAO3HTML, "regional.html", doc.Bytes()}} {
		w := mustParse(t, c.format, c.name, c.data)
		eq(t, c.name+" language", w.Language, "en-US")
		eq(t, c.name+" published", w.Published, posted)
		eq(t, c.name+" updated", w.Updated, updated)
		eq(t, c.name+" series", w.Series, []SeriesPart{{Title: "Lights Along the Coast", Position: 3}, {Title: "Side Stories", Position: 1}})
		if len(w.Remarks) > 0 {
			t.Errorf("%s: remarks %q", c.name, w.Remarks)
		}
	}
}
