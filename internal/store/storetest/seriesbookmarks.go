package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// testSeriesBookmarks covers bookmarks of series: one per reader and
// series, counted for the series and for no work, following the series'
// title, and outliving the series.
func testSeriesBookmarks(t *testing.T, st store.Store) {
	ctx := context.Background()
	writer := newUser(t, st, "sbwriter")
	ann, bob, cat, dan := newUser(t, st, "ann"), newUser(t, st, "bob"), newUser(t, st, "cat"), newUser(t, st, "dan")
	w1 := postWork(t, st, writer, "Part One", basicTags("F"), "a")
	w2 := postWork(t, st, writer, "Part Two", basicTags("F"), "b")
	sr := &archive.Series{Title: "The Saga"}
	must(t, st.CreateSeries(ctx, sr, []int64{defaultPseud(t, st, writer)}))
	must(t, st.SetSeriesWork(ctx, sr.ID, w1.ID, 0))
	must(t, st.SetSeriesWork(ctx, sr.ID, w2.ID, 0))
	other := &archive.Series{Title: "Other Series"}
	must(t, st.CreateSeries(ctx, other, []int64{defaultPseud(t, st, writer)}))
	at := time.Date(2024, 9, 1, 8, 0, 0, 0, time.UTC)
	notes := archive.Rich{Source: "loved it", Format: archive.FormatHTML, HTML: "<p>loved it</p>"}

	if _, err := st.SeriesBookmarkOf(ctx, ann.ID, sr.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bookmark before any: %v, want ErrNotFound", err)
	}
	if n, err := st.SeriesBookmarkCount(ctx, sr.ID, nil); err != nil || n != 0 {
		t.Fatalf("count before any = %d, %v", n, err)
	}

	b := &archive.Bookmark{UserID: ann.ID, OfSeries: true, SeriesID: sr.ID, Notes: notes, Tags: []string{"epic", "reread"}, Rec: true, CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateBookmark(ctx, b))
	if b.ID == 0 || b.SeriesTitle != "The Saga" {
		t.Fatalf("created series bookmark = id %d title %q", b.ID, b.SeriesTitle)
	}
	got, err := st.SeriesBookmarkOf(ctx, ann.ID, sr.ID)
	must(t, err)
	if got.ID != b.ID || !got.OfSeries || got.SeriesID != sr.ID || got.SeriesTitle != "The Saga" || got.WorkID != 0 || got.WorkTitle != "" ||
		got.UserName != "ann" || !got.Rec || got.Private || got.Notes.HTML != notes.HTML || !slices.Equal(got.Tags, []string{"epic", "reread"}) ||
		!got.CreatedAt.Equal(at) {
		t.Fatalf("series bookmark read back = %+v", got)
	}
	// A bookmark of a series is not a bookmark of a work, even one with
	// the same id, and counts toward no work.
	if _, err := st.BookmarkOf(ctx, ann.ID, sr.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("the series bookmark read as a work bookmark: %v", err)
	}
	for _, id := range []int64{w1.ID, w2.ID} {
		if w, _ := st.Work(ctx, id); w.Bookmarks != 0 {
			t.Fatalf("work %d in the series counts %d bookmarks, want 0", id, w.Bookmarks)
		}
	}
	// The reader's bookmarks of the series and of a work in it are two.
	must(t, st.CreateBookmark(ctx, &archive.Bookmark{UserID: ann.ID, WorkID: w1.ID, CreatedAt: at, UpdatedAt: at}))
	if w, _ := st.Work(ctx, w1.ID); w.Bookmarks != 1 {
		t.Fatalf("work bookmark beside a series bookmark: count %d", w.Bookmarks)
	}

	// One bookmark per reader and series; a missing series or reader is
	// not found.
	if err := st.CreateBookmark(ctx, &archive.Bookmark{UserID: ann.ID, OfSeries: true, SeriesID: sr.ID, CreatedAt: at, UpdatedAt: at}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("a second bookmark of the series: %v, want ErrConflict", err)
	}
	if err := st.CreateBookmark(ctx, &archive.Bookmark{UserID: ann.ID, OfSeries: true, SeriesID: sr.ID + 1000, CreatedAt: at, UpdatedAt: at}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a bookmark of a missing series: %v, want ErrNotFound", err)
	}
	if err := st.CreateBookmark(ctx, &archive.Bookmark{UserID: 1 << 40, OfSeries: true, SeriesID: sr.ID, CreatedAt: at, UpdatedAt: at}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a bookmark by a missing reader: %v, want ErrNotFound", err)
	}
	if _, err := st.SeriesBookmarkOf(ctx, bob.ID, sr.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bob's bookmark before he made one: %v", err)
	}
	if _, err := st.SeriesBookmarkOf(ctx, ann.ID, other.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("ann's bookmark of a series she did not bookmark: %v", err)
	}

	// The count: public bookmarks only, without the muted readers', without
	// a banned account's.
	must(t, st.CreateBookmark(ctx, &archive.Bookmark{UserID: bob.ID, OfSeries: true, SeriesID: sr.ID, CreatedAt: at, UpdatedAt: at}))
	priv := &archive.Bookmark{UserID: cat.ID, OfSeries: true, SeriesID: sr.ID, Private: true, CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateBookmark(ctx, priv))
	must(t, st.CreateBookmark(ctx, &archive.Bookmark{UserID: dan.ID, OfSeries: true, SeriesID: sr.ID, CreatedAt: at, UpdatedAt: at}))
	must(t, st.CreateBookmark(ctx, &archive.Bookmark{UserID: bob.ID, OfSeries: true, SeriesID: other.ID, CreatedAt: at, UpdatedAt: at}))
	count := func(id int64, except []int64) int64 {
		t.Helper()
		n, err := st.SeriesBookmarkCount(ctx, id, except)
		must(t, err)
		return n
	}
	if n := count(sr.ID, nil); n != 3 {
		t.Fatalf("public bookmarks of the series = %d, want 3 (ann, bob, dan)", n)
	}
	if n := count(sr.ID, []int64{bob.ID, cat.ID}); n != 2 {
		t.Fatalf("count without bob's and cat's = %d, want 2", n)
	}
	if n := count(other.ID, nil); n != 1 {
		t.Fatalf("count of the other series = %d, want 1", n)
	}
	_, err = st.BanUser(ctx, dan.ID, "spam", false, audit("boss", archive.AuditBan, "user:dan", "spam"))
	must(t, err)
	if n := count(sr.ID, nil); n != 2 {
		t.Fatalf("count with dan banned = %d, want 2", n)
	}
	_, err = st.UnbanUser(ctx, dan.ID, audit("boss", archive.AuditUnban, "user:dan", "appeal"))
	must(t, err)
	if n := count(sr.ID, nil); n != 3 {
		t.Fatalf("count after dan's unban = %d, want 3", n)
	}

	// Editing: made public, it is counted; it stays a bookmark of the series.
	priv.Private = false
	priv.Tags = []string{"finally"}
	priv.UpdatedAt = at.Add(time.Hour)
	must(t, st.UpdateBookmark(ctx, priv))
	got, err = st.SeriesBookmarkOf(ctx, cat.ID, sr.ID)
	must(t, err)
	if got.Private || !got.OfSeries || got.SeriesID != sr.ID || got.SeriesTitle != "The Saga" || !slices.Equal(got.Tags, []string{"finally"}) {
		t.Fatalf("edited series bookmark = %+v", got)
	}
	if n := count(sr.ID, nil); n != 4 {
		t.Fatalf("count after cat made hers public = %d, want 4", n)
	}

	// A renamed series: its bookmarks show the new title.
	sr.Title = "The Long Saga"
	must(t, st.UpdateSeries(ctx, sr))
	if got, err := st.SeriesBookmarkOf(ctx, ann.ID, sr.ID); err != nil || got.SeriesTitle != "The Long Saga" {
		t.Fatalf("bookmark title after a rename = %+v, %v", got, err)
	}
	if got, _ := st.SeriesBookmarkOf(ctx, bob.ID, other.ID); got.SeriesTitle != "Other Series" {
		t.Fatalf("renaming one series renamed another's bookmark: %q", got.SeriesTitle)
	}

	// A deleted series: the bookmark stays with its title and notes, and
	// no longer points anywhere.
	must(t, st.DeleteSeries(ctx, sr.ID))
	got, err = st.Bookmark(ctx, b.ID)
	must(t, err)
	if !got.OfSeries || got.SeriesID != 0 || got.SeriesTitle != "The Long Saga" || got.Notes.HTML != notes.HTML || !slices.Equal(got.Tags, []string{"epic", "reread"}) {
		t.Fatalf("bookmark of a deleted series = %+v", got)
	}
	if _, err := st.SeriesBookmarkOf(ctx, ann.ID, sr.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bookmark of the deleted series by id: %v", err)
	}
	if n := count(sr.ID, nil); n != 0 {
		t.Fatalf("count of a deleted series = %d", n)
	}
	list, err := st.BookmarksByUser(ctx, ann.ID, false)
	must(t, err)
	var titles []string
	for _, x := range list {
		if x.OfSeries {
			titles = append(titles, x.SeriesTitle)
		}
	}
	if !slices.Equal(titles, []string{"The Long Saga"}) {
		t.Fatalf("ann's series bookmarks after the delete = %v", titles)
	}

	// Deleting the bookmark; a second delete is not found.
	must(t, st.DeleteBookmark(ctx, b.ID))
	if _, err := st.Bookmark(ctx, b.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleted bookmark: %v", err)
	}
	if err := st.DeleteBookmark(ctx, b.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
	if w, _ := st.Work(ctx, w1.ID); w.Bookmarks != 1 {
		t.Fatalf("deleting a series bookmark moved a work's count to %d", w.Bookmarks)
	}
}
