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

// testReaderSets: the works a reader hid, read, left kudos on, bookmarked
// and marked for later, each set the reader's own.
func testReaderSets(t *testing.T, st store.Store) {
	ctx := context.Background()
	alice, bob := newUser(t, st, "alice"), newUser(t, st, "bob")
	w1 := postWork(t, st, alice, "One", basicTags("F"), "body")
	w2 := postWork(t, st, alice, "Two", basicTags("F"), "body")
	w3 := postWork(t, st, alice, "Three", basicTags("F"), "body")
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	set := func(u *archive.User, name string) []int64 {
		t.Helper()
		ids, err := st.ReaderWorkIDs(ctx, u.ID, name)
		must(t, err)
		slices.Sort(ids)
		return ids
	}
	must(t, st.HideWork(ctx, bob.ID, w2.ID, now))
	must(t, st.HideWork(ctx, bob.ID, w2.ID, now)) // again: no change
	must(t, st.HideWork(ctx, bob.ID, w1.ID, now.Add(time.Hour)))
	if err := st.HideWork(ctx, bob.ID, 99999, now); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("hiding a missing work: %v", err)
	}
	hs, err := st.HiddenWorks(ctx, bob.ID)
	must(t, err)
	if len(hs) != 2 || hs[0].WorkID != w1.ID || hs[1].WorkID != w2.ID || !hs[1].CreatedAt.Equal(now) {
		t.Fatalf("hidden works %+v", hs)
	}
	must(t, st.UnhideWork(ctx, bob.ID, w1.ID))
	if got := set(bob, store.SetHidden); !slices.Equal(got, []int64{w2.ID}) {
		t.Fatalf("hidden %v", got)
	}
	if got := set(alice, store.SetHidden); len(got) != 0 {
		t.Fatalf("alice's hidden set holds bob's: %v", got)
	}

	must(t, st.RecordReading(ctx, bob.ID, w1.ID, 0, now))
	must(t, st.MarkForLater(ctx, bob.ID, w3.ID, true, now)) // marked, not read
	must(t, st.AddKudos(ctx, &archive.Kudo{WorkID: w2.ID, UserID: bob.ID, CreatedAt: now}))
	must(t, st.AddKudos(ctx, &archive.Kudo{WorkID: w3.ID, GuestKey: "guest", CreatedAt: now}))
	must(t, st.CreateBookmark(ctx, &archive.Bookmark{UserID: bob.ID, WorkID: w3.ID, Private: true, CreatedAt: now, UpdatedAt: now}))
	for _, c := range []struct {
		set  string
		want []int64
	}{
		{store.SetRead, []int64{w1.ID}}, {store.SetLater, []int64{w3.ID}},
		{store.SetKudosed, []int64{w2.ID}}, {store.SetBookmarked, []int64{w3.ID}},
	} {
		if got := set(bob, c.set); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.set, got, c.want)
		}
		if got := set(alice, c.set); len(got) != 0 {
			t.Errorf("alice's %s: %v", c.set, got)
		}
	}
	if _, err := st.ReaderWorkIDs(ctx, bob.ID, "nonsense"); err == nil {
		t.Error("an unknown set was answered")
	}
	// A deleted work leaves the sets.
	must(t, st.DeleteWork(ctx, w2.ID))
	if got := set(bob, store.SetHidden); len(got) != 0 {
		t.Errorf("a deleted work is still hidden: %v", got)
	}
}
