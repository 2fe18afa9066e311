package storetest

import (
	"context"
	"testing"

	"quire/internal/store"
)

// testIDsNeverReused: the newest work and the newest account, once
// deleted, do not give their ids to the next ones, so an old link, mail or
// notice can never lead to somebody else's work or page.
func testIDsNeverReused(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "Ida")
	old := postWork(t, st, u, "Gone Soon", basicTags("Lighthouse"), "first words")
	must(t, st.DeleteWork(ctx, old.ID))
	next := postWork(t, st, u, "Next", basicTags("Lighthouse"), "other words")
	if next.ID <= old.ID {
		t.Fatalf("a new work got id %d after work %d was deleted: ids must never be used twice", next.ID, old.ID)
	}
	gone := newUser(t, st, "Gone")
	if _, _, err := st.DeleteUser(ctx, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	if again := newUser(t, st, "Again"); again.ID <= gone.ID {
		t.Fatalf("a new account got id %d after account %d was deleted: ids must never be used twice", again.ID, gone.ID)
	}
}
