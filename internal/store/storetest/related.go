package storetest

import (
	"context"
	"errors"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

func testRelatedWorks(t *testing.T, st store.Store) {
	ctx := context.Background()
	author := newUser(t, st, "origauthor")
	translator := newUser(t, st, "translator")
	orig := postWork(t, st, author, "The Original", nil)
	other := postWork(t, st, author, "Another Original", nil)
	tr := postWork(t, st, translator, "La Traduction", nil)

	links := []archive.RelatedWork{
		{ParentID: orig.ID, Kind: archive.RelatedTranslation, State: archive.RelatedPending},
		{URL: "https://elsewhere.example/s/1", Title: "Far Away", Creator: "Someone", Kind: archive.RelatedInspiredBy, State: archive.RelatedApproved},
		{ParentID: other.ID, Kind: archive.RelatedRemix, State: archive.RelatedPending},
	}
	must(t, st.SetRelatedWorks(ctx, tr.ID, links))
	got, err := st.RelatedParents(ctx, tr.ID)
	must(t, err)
	if len(got) != 3 || got[0].ParentID != orig.ID || got[0].Position != 1 || got[1].URL != "https://elsewhere.example/s/1" || got[1].Title != "Far Away" ||
		got[2].Kind != archive.RelatedRemix || got[0].ChildID != tr.ID || got[0].CreatedAt.IsZero() {
		t.Fatalf("parents %+v", got)
	}
	pending, err := st.UserRelatedLinks(ctx, author.ID, archive.RelatedPending)
	must(t, err)
	if len(pending) != 2 {
		t.Fatalf("the author's pending links %+v", pending)
	}
	if mine, _ := st.UserRelatedLinks(ctx, translator.ID, ""); len(mine) != 0 {
		t.Fatalf("the translator's works are named by nobody: %+v", mine)
	}

	// The author approves one and rejects the other.
	must(t, st.SetRelatedState(ctx, orig.ID, tr.ID, archive.RelatedApproved))
	must(t, st.SetRelatedState(ctx, other.ID, tr.ID, archive.RelatedRejected))
	if err := st.SetRelatedState(ctx, tr.ID, orig.ID, archive.RelatedApproved); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("answering a link that does not exist: %v", err)
	}
	kids, err := st.RelatedChildren(ctx, orig.ID, archive.RelatedApproved)
	must(t, err)
	if len(kids) != 1 || kids[0].ChildID != tr.ID {
		t.Fatalf("approved children %+v", kids)
	}
	if kids, _ := st.RelatedChildren(ctx, other.ID, archive.RelatedApproved); len(kids) != 0 {
		t.Fatalf("a rejected link lists: %+v", kids)
	}

	// Saving the links again keeps the answers: a rejected link stays
	// rejected even when named as pending again.
	must(t, st.SetRelatedWorks(ctx, tr.ID, []archive.RelatedWork{
		{ParentID: other.ID, Kind: archive.RelatedRemix, State: archive.RelatedPending},
		{ParentID: orig.ID, Kind: archive.RelatedTranslation, State: archive.RelatedPending},
	}))
	got, _ = st.RelatedParents(ctx, tr.ID)
	if len(got) != 2 || got[0].ParentID != other.ID || got[0].State != archive.RelatedRejected || got[1].State != archive.RelatedApproved {
		t.Fatalf("after saving again %+v", got)
	}
	if err := st.SetRelatedWorks(ctx, tr.ID, []archive.RelatedWork{{ParentID: 1 << 40, Kind: archive.RelatedRemix, State: archive.RelatedPending}}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a link to a missing work: %v", err)
	}
	if got, _ := st.RelatedParents(ctx, tr.ID); len(got) != 2 {
		t.Fatalf("a failed save changed the links: %+v", got)
	}

	// Deleting the parent drops the link.
	must(t, st.DeleteWork(ctx, other.ID))
	if got, _ := st.RelatedParents(ctx, tr.ID); len(got) != 1 || got[0].ParentID != orig.ID {
		t.Fatalf("after deleting a parent %+v", got)
	}
}
