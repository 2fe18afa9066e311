package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// testSavedSearches: one default per reader, feed tokens unique and found,
// another reader's search not found, and a digest recorded (with its mail
// job) once per reader and period.
func testSavedSearches(t *testing.T, st store.Store) {
	ctx := context.Background()
	alice, bob := newUser(t, st, "alice"), newUser(t, st, "bob")
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	a1 := &store.SavedSearch{UserID: alice.ID, Name: "One", Params: "tag=F", Default: true, Digest: "daily", DigestSince: now, FeedToken: "tok-1", CreatedAt: now, UpdatedAt: now}
	a2 := &store.SavedSearch{UserID: alice.ID, Name: "Two", Params: "", Digest: "off", FeedToken: "tok-2", CreatedAt: now, UpdatedAt: now}
	must(t, st.PutSavedSearch(ctx, a1))
	must(t, st.PutSavedSearch(ctx, a2))
	if err := st.PutSavedSearch(ctx, &store.SavedSearch{UserID: bob.ID, Name: "Taken", Digest: "off", FeedToken: "tok-1", CreatedAt: now, UpdatedAt: now}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("a taken feed token: %v", err)
	}
	a2.Default = true
	must(t, st.PutSavedSearch(ctx, a2))
	ss, err := st.SavedSearches(ctx, alice.ID)
	must(t, err)
	if len(ss) != 2 || ss[0].Default || !ss[1].Default || ss[0].Params != "tag=F" || !ss[0].DigestSince.Equal(now) {
		t.Fatalf("searches %+v", ss)
	}
	got, err := st.SavedSearchByToken(ctx, "tok-1")
	must(t, err)
	if got.ID != a1.ID || got.UserID != alice.ID {
		t.Fatalf("by token %+v", got)
	}
	if _, err := st.SavedSearch(ctx, bob.ID, a1.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bob reads alice's search: %v", err)
	}
	if err := st.DeleteSavedSearch(ctx, bob.ID, a1.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bob deletes alice's search: %v", err)
	}
	if err := st.PutSavedSearch(ctx, &store.SavedSearch{ID: a1.ID, UserID: bob.ID, Name: "Mine", Digest: "off", FeedToken: "tok-3", UpdatedAt: now}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bob updates alice's search: %v", err)
	}

	readers, err := st.DigestReaders(ctx, "daily", "daily:2024-06-01")
	must(t, err)
	if len(readers) != 1 || readers[0] != alice.ID {
		t.Fatalf("due readers %v", readers)
	}
	pending, err := st.PendingJobs(ctx)
	must(t, err)
	d := store.DigestSend{UserID: alice.ID, Period: "daily:2024-06-01", Frequency: "daily", SentAt: now.Add(time.Hour), Works: 2}
	for i, want := range []bool{true, false} {
		ok, err := st.RecordDigest(ctx, d, "mail", []byte(`{"to":"alice@example.test"}`))
		must(t, err)
		if ok != want {
			t.Fatalf("record %d: %v", i, ok)
		}
	}
	if n, _ := st.PendingJobs(ctx); n != pending+1 {
		t.Fatalf("%d jobs pending after recording twice, want %d", n, pending+1)
	}
	if readers, _ := st.DigestReaders(ctx, "daily", "daily:2024-06-01"); len(readers) != 0 {
		t.Fatalf("due after the digest: %v", readers)
	}
	last, err := st.LastDigest(ctx, alice.ID, "daily")
	must(t, err)
	if !last.Equal(now.Add(time.Hour)) {
		t.Fatalf("last digest %v", last)
	}
	if last, _ := st.LastDigest(ctx, alice.ID, "weekly"); !last.IsZero() {
		t.Fatalf("last weekly digest %v", last)
	}
	must(t, st.DeleteSavedSearch(ctx, alice.ID, a1.ID))
	if _, err := st.SavedSearchByToken(ctx, "tok-1"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a deleted search's token: %v", err)
	}
}
