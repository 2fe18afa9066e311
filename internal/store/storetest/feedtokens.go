package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// testFeedTokens covers readers' private feed tokens: one per reader, a new
// one retires the old feed URL, and a token names exactly one reader.
func testFeedTokens(t *testing.T, st store.Store) {
	ctx := context.Background()
	ann, bob := newUser(t, st, "ann"), newUser(t, st, "bob")
	at := time.Date(2024, 8, 1, 9, 0, 0, 0, time.UTC)

	if tok, err := st.FeedToken(ctx, ann.ID); !errors.Is(err, archive.ErrNotFound) || tok != "" {
		t.Fatalf("token of a reader who has none = %q, %v; want ErrNotFound", tok, err)
	}
	for _, tok := range []string{"", "no-such-token"} {
		if u, err := st.FeedTokenUser(ctx, tok); !errors.Is(err, archive.ErrNotFound) || u != nil {
			t.Fatalf("owner of %q = %v, %v; want ErrNotFound", tok, u, err)
		}
	}

	must(t, st.SetFeedToken(ctx, ann.ID, "tokenAnn1", at))
	if tok, err := st.FeedToken(ctx, ann.ID); err != nil || tok != "tokenAnn1" {
		t.Fatalf("ann's token = %q, %v", tok, err)
	}
	if u, err := st.FeedTokenUser(ctx, "tokenAnn1"); err != nil || u.ID != ann.ID || u.Name != "ann" {
		t.Fatalf("owner of ann's token = %+v, %v", u, err)
	}
	// A token is matched exactly: another case or a prefix is no token.
	for _, tok := range []string{"TOKENANN1", "tokenAnn", "tokenAnn1 "} {
		if _, err := st.FeedTokenUser(ctx, tok); !errors.Is(err, archive.ErrNotFound) {
			t.Fatalf("owner of %q: %v, want ErrNotFound", tok, err)
		}
	}
	if _, err := st.FeedToken(ctx, bob.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bob has ann's token: %v", err)
	}

	// A new token replaces the old one: the old feed URL stops working.
	must(t, st.SetFeedToken(ctx, ann.ID, "tokenAnn2", at.Add(time.Hour)))
	if tok, err := st.FeedToken(ctx, ann.ID); err != nil || tok != "tokenAnn2" {
		t.Fatalf("ann's token after a new one = %q, %v", tok, err)
	}
	if _, err := st.FeedTokenUser(ctx, "tokenAnn1"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("the replaced token still works: %v", err)
	}

	// Two readers never share a token: taking one in use is a conflict
	// that changes neither reader's token.
	must(t, st.SetFeedToken(ctx, bob.ID, "tokenBob1", at))
	if err := st.SetFeedToken(ctx, bob.ID, "tokenAnn2", at); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("bob taking ann's token: %v, want ErrConflict", err)
	}
	if u, err := st.FeedTokenUser(ctx, "tokenAnn2"); err != nil || u.ID != ann.ID {
		t.Fatalf("ann's token after bob's try = %+v, %v", u, err)
	}
	if tok, err := st.FeedToken(ctx, bob.ID); err != nil || tok != "tokenBob1" {
		t.Fatalf("bob's token after a refused change = %q, %v", tok, err)
	}
	// Setting the same token again is no conflict with oneself.
	must(t, st.SetFeedToken(ctx, bob.ID, "tokenBob1", at.Add(time.Minute)))

	// The token goes with the account.
	_, _, err := st.DeleteUser(ctx, ann.ID, true)
	must(t, err)
	if _, err := st.FeedTokenUser(ctx, "tokenAnn2"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a deleted reader's token still works: %v", err)
	}
	if _, err := st.FeedToken(ctx, ann.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a deleted reader's token: %v", err)
	}
	if err := st.SetFeedToken(ctx, ann.ID, "tokenGhost", at); err == nil {
		t.Fatal("a deleted account was given a feed token")
	}
}
