package site_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/text"
)

func newSite(t *testing.T) *site.Site { return sitetest.New(t).Site }

// Listings read works through a cache; every write must show at once.
func TestListingsNeverShowAStaleWork(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	u, err := s.Signup(ctx, site.SignupInput{Name: "writer", Email: "w@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	in := archive.WorkInput{Title: "First Title", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"F"}, Chapters: []archive.ChapterInput{{Body: "one two three"}}}
	w, err := s.PostWork(ctx, u, in)
	if err != nil {
		t.Fatal(err)
	}
	first := func() *archive.Work {
		t.Helper()
		l, err := s.List(ctx, nil, listing.Query{})
		if err != nil || len(l.Works) != 1 {
			t.Fatalf("listing: %v %+v", err, l)
		}
		return l.Works[0]
	}
	if first().Title != "First Title" {
		t.Fatal("new work not listed")
	}
	in.Title = "Second Title"
	if _, err := s.EditWork(ctx, u, w.ID, in); err != nil {
		t.Fatal(err)
	}
	if got := first().Title; got != "Second Title" {
		t.Fatalf("listing shows %q after the edit", got)
	}
	s.CountHit(ctx, w.ID)
	if err := s.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	if got := first().Hits; got != 1 {
		t.Fatalf("listing shows %d hits after one", got)
	}
	if _, err := s.AddChapter(ctx, u, w.ID, 0, archive.ChapterInput{Body: "four five"}); err != nil {
		t.Fatal(err)
	}
	if got := first(); got.ChaptersPosted != 2 || got.Words != 5 {
		t.Fatalf("listing shows %d chapters, %d words after adding one", got.ChaptersPosted, got.Words)
	}
	if err := s.DeleteAccount(ctx, u, "correct horse", true); err != nil {
		t.Fatal(err)
	}
	if got := first().Creators[0].Pseud; got != "orphan_account" {
		t.Fatalf("listing shows byline %q after orphaning", got)
	}
}

// Views wait a moment in memory and are written in one batch: many
// visitors' views of a work, queued at once, all reach the store and the
// listing by themselves, and a visitor's repeat adds nothing.
func TestHitsArriveInBatches(t *testing.T) {
	ctx := context.Background()
	rig := sitetest.New(t)
	s := rig.Site
	u, err := s.Signup(ctx, site.SignupInput{Name: "writer", Email: "w@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.PostWork(ctx, u, archive.WorkInput{Title: "Counted", Rating: archive.RatingGeneral,
		Warnings: []string{archive.WarningNone}, Fandoms: []string{"F"}, Chapters: []archive.ChapterInput{{Body: "one two"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		v := site.Visitor{Cookie: fmt.Sprintf("guest-%d", i%25), Address: "192.0.2.1"}
		s.CountHit(site.WithVisitor(ctx, v), w.ID)
	}
	s.CountHit(ctx, w.ID) // a view with no visitor always counts
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, err := s.List(ctx, nil, listing.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if l.Works[0].Hits == 26 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("listing shows %d hits, want 26 (25 guests and one view without a visitor)", l.Works[0].Hits)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stored, err := rig.Store.Work(ctx, w.ID)
	if err != nil || stored.Hits != 26 {
		t.Fatalf("store has %d hits (%v), want 26", stored.Hits, err)
	}
}

// A work page reads chapters through the cache; every chapter write shows
// on the next read.
func TestChapterPagesNeverShowAStaleChapter(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	u, err := s.Signup(ctx, site.SignupInput{Name: "writer", Email: "w@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.PostWork(ctx, u, archive.WorkInput{Title: "Chaptered", Rating: archive.RatingGeneral,
		Warnings: []string{archive.WarningNone}, Fandoms: []string{"F"},
		Chapters: []archive.ChapterInput{{Title: "Old One", Body: "first body"}, {Title: "Two", Body: "second body"}}})
	if err != nil {
		t.Fatal(err)
	}
	read := func() (titles []string, body string) {
		t.Helper()
		work, err := s.Work(ctx, nil, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := s.Chapters(ctx, nil, work, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			titles = append(titles, c.Title)
		}
		c, err := s.ChapterByPosition(ctx, nil, work, 1)
		if err != nil {
			t.Fatal(err)
		}
		return titles, text.PlainText(c.Body.HTML)
	}
	read() // fill the cache
	cs, err := s.Chapters(ctx, u, w, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditChapter(ctx, u, w.ID, cs[0].ID, archive.ChapterInput{Title: "New One", Body: "edited body"}); err != nil {
		t.Fatal(err)
	}
	if titles, body := read(); fmt.Sprint(titles) != "[New One Two]" || !strings.Contains(body, "edited body") {
		t.Fatalf("after an edit: %v %q", titles, body)
	}
	if _, err := s.AddChapter(ctx, u, w.ID, 0, archive.ChapterInput{Title: "Three", Body: "third body"}); err != nil {
		t.Fatal(err)
	}
	if titles, _ := read(); fmt.Sprint(titles) != "[New One Two Three]" {
		t.Fatalf("after adding a chapter: %v", titles)
	}
	if err := s.DeleteChapter(ctx, u, w.ID, cs[0].ID); err != nil {
		t.Fatal(err)
	}
	if titles, body := read(); fmt.Sprint(titles) != "[Two Three]" || !strings.Contains(body, "second body") {
		t.Fatalf("after deleting the first chapter: %v %q", titles, body)
	}
}

// History views are queued and written in batches; the history itself
// never shows a view missing, and two views of a work count two.
func TestQueuedReadingsShowInHistory(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	writer, err := s.Signup(ctx, site.SignupInput{Name: "writer", Email: "w@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	reader, err := s.Signup(ctx, site.SignupInput{Name: "reader", Email: "r@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.PostWork(ctx, writer, archive.WorkInput{Title: "Read Me", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"F"}, Chapters: []archive.ChapterInput{{Body: "one"}, {Body: "two"}}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.Chapters(ctx, reader, w, false)
	if err != nil || len(cs) != 2 {
		t.Fatalf("chapters: %v %v", cs, err)
	}
	s.RecordReading(ctx, reader, w, cs[0].ID)
	s.RecordReading(ctx, reader, w, cs[1].ID)
	s.RecordReading(ctx, writer, w, cs[1].ID) // the creator's own views are not history
	h, n, err := s.History(ctx, reader, false, 1, 20)
	if err != nil || n != 1 || len(h) != 1 {
		t.Fatalf("history right after two views: %+v, %d, %v", h, n, err)
	}
	if h[0].Views != 2 || h[0].ChapterID != cs[1].ID || !strings.HasSuffix(h[0].ContinueURL, fmt.Sprintf("/chapters/%d", cs[1].ID)) {
		t.Errorf("history entry %+v, want 2 views continuing at chapter %d", h[0].Reading, cs[1].ID)
	}
	if _, n, err := s.History(ctx, writer, false, 1, 20); err != nil || n != 0 {
		t.Errorf("the creator's history has %d entries (%v), want none", n, err)
	}
	// A view queued before the history is cleared does not come back.
	s.RecordReading(ctx, reader, w, cs[0].ID)
	if err := s.ClearHistory(ctx, reader); err != nil {
		t.Fatal(err)
	}
	if err := s.FlushReadings(ctx); err != nil {
		t.Fatal(err)
	}
	if _, n, err := s.History(ctx, reader, false, 1, 20); err != nil || n != 0 {
		t.Errorf("history after clearing has %d entries (%v), want none", n, err)
	}
}

// The entire work and a single chapter are read through the chapter cache;
// an edit shows at once in both.
func TestCachedChapterBodiesNeverStale(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	u, err := s.Signup(ctx, site.SignupInput{Name: "writer", Email: "w@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.PostWork(ctx, u, archive.WorkInput{Title: "T", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"F"}, Chapters: []archive.ChapterInput{{Body: "first words"}, {Body: "second words"}}})
	if err != nil {
		t.Fatal(err)
	}
	bodies := func() string {
		t.Helper()
		cs, err := s.Chapters(ctx, nil, w, true)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			one, err := s.Chapter(ctx, nil, w, c.ID)
			if err != nil || one.Body.HTML != c.Body.HTML {
				t.Fatalf("chapter %d alone: %v, %q; in the entire work %q", c.ID, err, one.Body.HTML, c.Body.HTML)
			}
			out = append(out, c.Body.HTML)
		}
		return strings.Join(out, "|")
	}
	if got := bodies(); !strings.Contains(got, "first words") || !strings.Contains(got, "second words") {
		t.Fatalf("bodies %q", got)
	}
	bodies() // now from the cache
	cs, _ := s.Chapters(ctx, u, w, false)
	if _, err := s.EditChapter(ctx, u, w.ID, cs[1].ID, archive.ChapterInput{Body: "changed words"}); err != nil {
		t.Fatal(err)
	}
	if got := bodies(); strings.Contains(got, "second words") || !strings.Contains(got, "changed words") {
		t.Fatalf("bodies after the edit %q", got)
	}
	if _, err := s.AddChapter(ctx, u, w.ID, 0, archive.ChapterInput{Body: "third words"}); err != nil {
		t.Fatal(err)
	}
	if got := bodies(); !strings.Contains(got, "third words") {
		t.Fatalf("bodies after a new chapter %q", got)
	}
}
