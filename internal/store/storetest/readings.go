package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// testReadings covers the reading history: the last chapter opened, the
// views, first and last read, Mark for Later, and what deletions leave.
func testReadings(t *testing.T, st store.Store) {
	ctx := context.Background()
	writer, reader, other := newUser(t, st, "rwriter"), newUser(t, st, "reader"), newUser(t, st, "other")
	w1 := postWork(t, st, writer, "Long Road", basicTags("F"), "one", "two", "three")
	w2 := postWork(t, st, writer, "Short Hop", basicTags("F"), "only")
	w3 := postWork(t, st, writer, "Third Thing", basicTags("F"), "x")
	cs, err := st.Chapters(ctx, w1.ID, false)
	must(t, err)
	t0 := time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC)

	if _, err := st.Reading(ctx, reader.ID, w1.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("reading before any view: %v, want ErrNotFound", err)
	}
	if rs, total, err := st.History(ctx, reader.ID, false, 10, 0); err != nil || total != 0 || len(rs) != 0 {
		t.Fatalf("empty history = %v, %d, %v", rs, total, err)
	}

	// The first view: one view, that chapter, first and last read now.
	must(t, st.RecordReading(ctx, reader.ID, w1.ID, cs[0].ID, t0))
	r, err := st.Reading(ctx, reader.ID, w1.ID)
	must(t, err)
	if r.UserID != reader.ID || r.WorkID != w1.ID || r.ChapterID != cs[0].ID || r.Views != 1 || r.MarkedForLater ||
		!r.FirstReadAt.Equal(t0) || !r.LastReadAt.Equal(t0) {
		t.Fatalf("after the first view: %+v", r)
	}
	// A later view of another chapter moves the place and the last read,
	// never the first read.
	must(t, st.RecordReading(ctx, reader.ID, w1.ID, cs[2].ID, t0.Add(time.Hour)))
	// The whole work (chapter 0) keeps the chapter where the reader stopped.
	must(t, st.RecordReading(ctx, reader.ID, w1.ID, 0, t0.Add(2*time.Hour)))
	r, err = st.Reading(ctx, reader.ID, w1.ID)
	must(t, err)
	if r.ChapterID != cs[2].ID || r.Views != 3 || !r.FirstReadAt.Equal(t0) || !r.LastReadAt.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("after three views: %+v", r)
	}
	// A work first opened whole has no chapter to continue from.
	must(t, st.RecordReading(ctx, reader.ID, w3.ID, 0, t0.Add(3*time.Hour)))
	if r, err := st.Reading(ctx, reader.ID, w3.ID); err != nil || r.ChapterID != 0 || r.Views != 1 {
		t.Fatalf("a whole-work view: %+v, %v", r, err)
	}

	// Mark for Later on a work never opened makes a row with no views.
	must(t, st.MarkForLater(ctx, reader.ID, w2.ID, true, t0.Add(4*time.Hour)))
	r, err = st.Reading(ctx, reader.ID, w2.ID)
	must(t, err)
	if !r.MarkedForLater || r.Views != 0 || r.ChapterID != 0 {
		t.Fatalf("marked for later, never read: %+v", r)
	}
	// Reading it (twice) leaves the mark: only the reader clears it.
	c2, err := st.Chapters(ctx, w2.ID, false)
	must(t, err)
	must(t, st.RecordReading(ctx, reader.ID, w2.ID, c2[0].ID, t0.Add(5*time.Hour)))
	must(t, st.RecordReading(ctx, reader.ID, w2.ID, c2[0].ID, t0.Add(6*time.Hour)))
	r, err = st.Reading(ctx, reader.ID, w2.ID)
	must(t, err)
	if !r.MarkedForLater || r.Views != 2 || r.ChapterID != c2[0].ID || !r.LastReadAt.Equal(t0.Add(6*time.Hour)) {
		t.Fatalf("Mark for Later did not survive two views: %+v", r)
	}
	// Marking a work already read keeps its views and place.
	must(t, st.MarkForLater(ctx, reader.ID, w1.ID, true, t0.Add(7*time.Hour)))
	if r, err := st.Reading(ctx, reader.ID, w1.ID); err != nil || !r.MarkedForLater || r.Views != 3 || r.ChapterID != cs[2].ID || !r.FirstReadAt.Equal(t0) {
		t.Fatalf("marking a read work: %+v, %v", r, err)
	}

	// History: most recent first, paged, with the full count; the later
	// list holds only the marked works.
	rs, total, err := st.History(ctx, reader.ID, false, 10, 0)
	must(t, err)
	if total != 3 || len(rs) != 3 || rs[0].WorkID != w1.ID || rs[1].WorkID != w2.ID || rs[2].WorkID != w3.ID {
		t.Fatalf("history = %d %v", total, workIDsOf(rs))
	}
	rs, total, err = st.History(ctx, reader.ID, false, 1, 1)
	must(t, err)
	if total != 3 || len(rs) != 1 || rs[0].WorkID != w2.ID {
		t.Fatalf("history page 2 of size 1 = %d %v", total, workIDsOf(rs))
	}
	rs, total, err = st.History(ctx, reader.ID, true, 10, 0)
	must(t, err)
	if total != 2 || len(rs) != 2 || rs[0].WorkID != w1.ID || rs[1].WorkID != w2.ID {
		t.Fatalf("marked for later = %d %v", total, workIDsOf(rs))
	}
	// Clearing the mark leaves the work in the history, not in the list.
	must(t, st.MarkForLater(ctx, reader.ID, w2.ID, false, t0.Add(8*time.Hour)))
	if r, err := st.Reading(ctx, reader.ID, w2.ID); err != nil || r.MarkedForLater || r.Views != 2 {
		t.Fatalf("after clearing the mark: %+v, %v", r, err)
	}
	if _, total, _ := st.History(ctx, reader.ID, true, 10, 0); total != 1 {
		t.Fatalf("marked for later after clearing one = %d, want 1", total)
	}
	if _, total, _ := st.History(ctx, reader.ID, false, 10, 0); total != 3 {
		t.Fatalf("history after clearing a mark = %d, want 3", total)
	}

	// Another reader's history is their own.
	must(t, st.RecordReading(ctx, other.ID, w1.ID, cs[1].ID, t0))
	if r, err := st.Reading(ctx, other.ID, w1.ID); err != nil || r.Views != 1 || r.ChapterID != cs[1].ID || r.MarkedForLater {
		t.Fatalf("the other reader's reading: %+v, %v", r, err)
	}

	// A deleted chapter leaves the reading without a place; a deleted work
	// leaves no reading at all.
	must(t, st.DeleteChapter(ctx, w1.ID, cs[2].ID))
	if r, err := st.Reading(ctx, reader.ID, w1.ID); err != nil || r.ChapterID != 0 || r.Views != 3 {
		t.Fatalf("reading after its chapter was deleted: %+v, %v", r, err)
	}
	must(t, st.DeleteWork(ctx, w3.ID))
	if _, err := st.Reading(ctx, reader.ID, w3.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("reading of a deleted work: %v, want ErrNotFound", err)
	}
	if _, total, _ := st.History(ctx, reader.ID, false, 10, 0); total != 2 {
		t.Fatalf("history after a work was deleted = %d, want 2", total)
	}

	// Reading or marking a work that is not there is not found, and
	// records nothing.
	if err := st.RecordReading(ctx, reader.ID, w3.ID, 0, t0); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("reading a deleted work: %v, want ErrNotFound", err)
	}
	if err := st.MarkForLater(ctx, reader.ID, w3.ID, true, t0); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("marking a deleted work: %v, want ErrNotFound", err)
	}
	if _, total, _ := st.History(ctx, reader.ID, false, 10, 0); total != 2 {
		t.Fatalf("history after refused writes = %d, want 2", total)
	}

	// Clearing forgets every reading of that reader (marks too), and only theirs.
	must(t, st.ClearHistory(ctx, reader.ID))
	if rs, total, err := st.History(ctx, reader.ID, false, 10, 0); err != nil || total != 0 || len(rs) != 0 {
		t.Fatalf("history after clearing = %v, %d, %v", workIDsOf(rs), total, err)
	}
	if _, err := st.Reading(ctx, other.ID, w1.ID); err != nil {
		t.Fatalf("clearing one reader's history cleared another's: %v", err)
	}
	// Deleting the account takes its history with it.
	_, _, err = st.DeleteUser(ctx, other.ID, true)
	must(t, err)
	if _, err := st.Reading(ctx, other.ID, w1.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("reading of a deleted account: %v", err)
	}
}

func workIDsOf(rs []store.Reading) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.WorkID)
	}
	return out
}

// testRecordReadings: a batch of readers' views adds up per reader and
// work, keeps the last chapter, and leaves out views of a deleted account,
// work or chapter without losing the others.
func testRecordReadings(t *testing.T, st store.Store) {
	ctx := context.Background()
	author := newUser(t, st, "rr_author")
	a, b, gone := newUser(t, st, "rr_a"), newUser(t, st, "rr_b"), newUser(t, st, "rr_gone")
	w := postWork(t, st, author, "Read", nil, "one", "two")
	dropped := postWork(t, st, author, "Dropped", nil, "only")
	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	must(t, st.RecordReading(ctx, a.ID, w.ID, cs[0].ID, t0))
	must(t, st.MarkForLater(ctx, b.ID, w.ID, true, t0))
	must(t, st.DeleteWork(ctx, dropped.ID))
	if _, _, err := st.DeleteUser(ctx, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	must(t, st.RecordReadings(ctx, []store.ReadingViews{
		{UserID: a.ID, WorkID: w.ID, ChapterID: cs[1].ID, Views: 3, First: t0.Add(time.Hour), Last: t0.Add(2 * time.Hour)},
		{UserID: gone.ID, WorkID: w.ID, Views: 1, First: t0, Last: t0},
		{UserID: a.ID, WorkID: dropped.ID, Views: 1, First: t0, Last: t0},
		{UserID: b.ID, WorkID: w.ID, ChapterID: 999999, Views: 2, First: t0.Add(time.Minute), Last: t0.Add(time.Minute)},
	}))
	must(t, st.RecordReadings(ctx, nil))
	r, err := st.Reading(ctx, a.ID, w.ID)
	must(t, err)
	if r.Views != 4 || r.ChapterID != cs[1].ID || !r.FirstReadAt.Equal(t0) || !r.LastReadAt.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("a's reading = %+v, want 4 views, chapter %d, first %v, last %v", r, cs[1].ID, t0, t0.Add(2*time.Hour))
	}
	r, err = st.Reading(ctx, b.ID, w.ID)
	must(t, err)
	if r.Views != 2 || r.ChapterID != 0 || !r.MarkedForLater {
		t.Errorf("b's reading = %+v, want 2 views, no chapter (it does not exist), still marked for later", r)
	}
	if hist, n, err := st.History(ctx, a.ID, false, 10, 0); err != nil || n != 1 || len(hist) != 1 {
		t.Errorf("a's history = %+v, %d, %v; want the one work (not the deleted one)", hist, n, err)
	}
}
