package storetest

import (
	"context"
	"testing"
	"time"

	"quire/internal/store"
)

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
