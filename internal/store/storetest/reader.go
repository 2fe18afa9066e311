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

// testBookmarksAndMutes: bookmarks (one per user per work, public counts,
// outliving their work) and mutes (replaced whole, gone with the account).
func testBookmarksAndMutes(t *testing.T, st store.Store) {
	ctx := context.Background()
	alice, bob := newUser(t, st, "alice"), newUser(t, st, "bob")
	w := postWork(t, st, alice, "Kept Title", basicTags("F"), "body")
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	count := func() int64 {
		t.Helper()
		got, err := st.Work(ctx, w.ID)
		must(t, err)
		return got.Bookmarks
	}

	b := &archive.Bookmark{UserID: bob.ID, WorkID: w.ID, Notes: archive.Rich{Source: "n", Format: archive.FormatHTML, HTML: "<p>n</p>"},
		Tags: []string{"one", "two"}, Rec: true, CreatedAt: now, UpdatedAt: now}
	must(t, st.CreateBookmark(ctx, b))
	if b.ID == 0 || b.WorkTitle != "Kept Title" || count() != 1 {
		t.Fatalf("created %+v, count %d", b, count())
	}
	if err := st.CreateBookmark(ctx, &archive.Bookmark{UserID: bob.ID, WorkID: w.ID, CreatedAt: now, UpdatedAt: now}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("second bookmark: %v, want ErrConflict", err)
	}
	if err := st.CreateBookmark(ctx, &archive.Bookmark{UserID: bob.ID, WorkID: 9999, CreatedAt: now, UpdatedAt: now}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bookmark of a missing work: %v", err)
	}
	priv := &archive.Bookmark{UserID: alice.ID, WorkID: w.ID, Private: true, CreatedAt: now.Add(time.Hour), UpdatedAt: now}
	must(t, st.CreateBookmark(ctx, priv))
	if count() != 1 {
		t.Fatalf("a private bookmark counted: %d", count())
	}

	got, err := st.Bookmark(ctx, b.ID)
	must(t, err)
	if got.UserName != "bob" || got.Notes.HTML != "<p>n</p>" || !slices.Equal(got.Tags, []string{"one", "two"}) || !got.Rec || got.Private || !got.CreatedAt.Equal(now) {
		t.Fatalf("read back %+v", got)
	}
	if of, err := st.BookmarkOf(ctx, alice.ID, w.ID); err != nil || of.ID != priv.ID {
		t.Fatalf("BookmarkOf: %v %v", of, err)
	}
	if _, err := st.BookmarkOf(ctx, alice.ID, 9999); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("BookmarkOf missing: %v", err)
	}

	got.Private, got.Tags = true, []string{"three"}
	must(t, st.UpdateBookmark(ctx, got))
	if again, _ := st.Bookmark(ctx, b.ID); !slices.Equal(again.Tags, []string{"three"}) || !again.Private || count() != 0 {
		t.Fatalf("updated %+v, count %d", again, count())
	}
	if list, err := st.BookmarksByUser(ctx, bob.ID, false); err != nil || len(list) != 0 {
		t.Fatalf("public list with only a private bookmark: %v %v", list, err)
	}
	if list, err := st.BookmarksByUser(ctx, bob.ID, true); err != nil || len(list) != 1 || list[0].ID != b.ID {
		t.Fatalf("own list: %v %v", list, err)
	}

	// Renaming the work updates the kept title; deleting it keeps the bookmark.
	w.Title = "Renamed"
	must(t, st.UpdateWork(ctx, w))
	must(t, st.DeleteWork(ctx, w.ID))
	gone, err := st.Bookmark(ctx, b.ID)
	must(t, err)
	if gone.WorkID != 0 || gone.WorkTitle != "Renamed" || gone.Notes.HTML != "<p>n</p>" {
		t.Fatalf("bookmark of a deleted work: %+v", gone)
	}
	must(t, st.DeleteBookmark(ctx, b.ID))
	if err := st.DeleteBookmark(ctx, b.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}

	// Mutes.
	tag, err := st.EnsureTag(ctx, archive.TypeFreeform, "Angst")
	must(t, err)
	must(t, st.SetMutedTags(ctx, bob.ID, []int64{tag.ID, tag.ID}))
	must(t, st.SetMutedUsers(ctx, bob.ID, []int64{alice.ID}))
	if ids, err := st.MutedTags(ctx, bob.ID); err != nil || !slices.Equal(ids, []int64{tag.ID}) {
		t.Fatalf("muted tags %v %v", ids, err)
	}
	if ids, err := st.MutedUsers(ctx, bob.ID); err != nil || !slices.Equal(ids, []int64{alice.ID}) {
		t.Fatalf("muted users %v %v", ids, err)
	}
	if ids, err := st.MutedTags(ctx, alice.ID); err != nil || ids == nil || len(ids) != 0 {
		t.Fatalf("nobody's mutes: %v %v", ids, err)
	}
	if err := st.SetMutedUsers(ctx, bob.ID, []int64{9999}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("muting a missing user: %v", err)
	}
	if ids, _ := st.MutedUsers(ctx, bob.ID); !slices.Equal(ids, []int64{alice.ID}) {
		t.Fatalf("a refused change landed: %v", ids)
	}
	must(t, st.SetMutedTags(ctx, bob.ID, nil))
	if ids, _ := st.MutedTags(ctx, bob.ID); len(ids) != 0 {
		t.Fatalf("cleared tags: %v", ids)
	}
	_, _, err = st.DeleteUser(ctx, alice.ID, true)
	must(t, err)
	if ids, _ := st.MutedUsers(ctx, bob.ID); len(ids) != 0 {
		t.Fatalf("a deleted account is still muted: %v", ids)
	}
}
