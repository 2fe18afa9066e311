package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

func bylineOf(t *testing.T, st store.Store, id int64) string {
	t.Helper()
	w, err := st.Work(context.Background(), id)
	must(t, err)
	var out []string
	for _, c := range w.Creators {
		out = append(out, c.Pseud)
	}
	return strings.Join(out, ",")
}

func testCreatorInvitations(t *testing.T, st store.Store) {
	ctx := context.Background()
	a, b := newUser(t, st, "inviter"), newUser(t, st, "invitee")
	bp := defaultPseud(t, st, b)
	w := postWork(t, st, a, "Together", basicTags("F"), "x")

	inv := &store.CreatorInvitation{WorkID: w.ID, PseudID: bp, Inviter: "inviter"}
	must(t, st.InviteCreator(ctx, inv))
	if inv.ID == 0 {
		t.Fatal("no invitation id")
	}
	if err := st.InviteCreator(ctx, &store.CreatorInvitation{WorkID: w.ID, PseudID: bp}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("second invitation: %v", err)
	}
	if err := st.InviteCreator(ctx, &store.CreatorInvitation{WorkID: w.ID, PseudID: defaultPseud(t, st, a)}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("inviting a creator: %v", err)
	}
	if err := st.InviteCreator(ctx, &store.CreatorInvitation{WorkID: w.ID + 1000, PseudID: bp}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("inviting to a missing work: %v", err)
	}
	// Pending: not on the byline, nor in the index's creator set.
	if got := bylineOf(t, st, w.ID); got != "inviter" {
		t.Fatalf("byline before accepting = %s", got)
	}
	row, err := st.IndexRow(ctx, w.ID)
	must(t, err)
	if len(row.CreatorUserIDs) != 1 {
		t.Fatalf("index creators before accepting = %v", row.CreatorUserIDs)
	}
	mine, err := st.CreatorInvitationsForUser(ctx, b.ID)
	must(t, err)
	if len(mine) != 1 || mine[0].WorkTitle != "Together" || mine[0].Inviter != "inviter" || mine[0].Pseud != "invitee" || mine[0].UserID != b.ID {
		t.Fatalf("invitations of b = %+v", mine)
	}
	if l, _ := st.CreatorInvitationsForUser(ctx, a.ID); len(l) != 0 {
		t.Fatalf("a has invitations %+v", l)
	}
	ofWork, err := st.CreatorInvitationsOfWork(ctx, w.ID)
	must(t, err)
	if len(ofWork) != 1 || ofWork[0].ID != inv.ID {
		t.Fatalf("invitations of work = %+v", ofWork)
	}

	must(t, st.AcceptCreatorInvitation(ctx, inv.ID))
	if got := bylineOf(t, st, w.ID); got != "inviter,invitee" {
		t.Fatalf("byline after accepting = %s", got)
	}
	row, err = st.IndexRow(ctx, w.ID)
	must(t, err)
	if len(row.CreatorUserIDs) != 2 {
		t.Fatalf("index creators after accepting = %v", row.CreatorUserIDs)
	}
	if ids, _ := st.WorkIDsByUser(ctx, b.ID); len(ids) != 1 || ids[0] != w.ID {
		t.Fatalf("works of the co-creator = %v", ids)
	}
	if err := st.AcceptCreatorInvitation(ctx, inv.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("accepting twice: %v", err)
	}
	if ids, _ := st.SearchText(ctx, store.TextQuery{Terms: []string{"invitee"}}); len(ids) != 1 {
		t.Fatalf("search by the new co-creator = %v", ids)
	}

	// Declining leaves the byline alone.
	c := newUser(t, st, "decliner")
	inv2 := &store.CreatorInvitation{WorkID: w.ID, PseudID: defaultPseud(t, st, c), Inviter: "inviter"}
	must(t, st.InviteCreator(ctx, inv2))
	must(t, st.DeclineCreatorInvitation(ctx, inv2.ID))
	if _, err := st.CreatorInvitation(ctx, inv2.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("declined invitation still there: %v", err)
	}
	if got := bylineOf(t, st, w.ID); got != "inviter,invitee" {
		t.Fatalf("byline after declining = %s", got)
	}

	// Leaving: anyone but the last creator.
	must(t, st.RemoveCreator(ctx, w.ID, a.ID))
	if got := bylineOf(t, st, w.ID); got != "invitee" {
		t.Fatalf("byline after a left = %s", got)
	}
	if err := st.RemoveCreator(ctx, w.ID, a.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("leaving twice: %v", err)
	}
	var ve *archive.ValidationError
	if err := st.RemoveCreator(ctx, w.ID, b.ID); !errors.As(err, &ve) {
		t.Fatalf("the last creator left: %v", err)
	}
	if got := bylineOf(t, st, w.ID); got != "invitee" {
		t.Fatalf("byline after refusing = %s", got)
	}
}

func testOrphanWorks(t *testing.T, st store.Store) {
	ctx := context.Background()
	a, b := newUser(t, st, "orphaner"), newUser(t, st, "partner")
	ap := defaultPseud(t, st, a)
	solo := postWork(t, st, a, "Solo", basicTags("F"), "x")
	kept := postWork(t, st, a, "Kept", basicTags("F"), "x")
	shared := postWork(t, st, b, "Shared", basicTags("F"), "x")
	untouched := postWork(t, st, a, "Untouched", basicTags("F"), "x")
	others := postWork(t, st, b, "Not mine", basicTags("F"), "x")
	pen, err := st.CreatePseud(ctx, a.ID, "Pen Name")
	must(t, err)
	must(t, st.SetWorkCreators(ctx, kept.ID, []int64{pen.ID}))
	bp := defaultPseud(t, st, b)
	must(t, st.SetWorkCreators(ctx, shared.ID, []int64{bp, ap}))
	sr := &store.SeriesRecord{Title: "Saga"}
	must(t, st.CreateSeries(ctx, sr, []int64{ap}))

	changed, err := st.OrphanWorks(ctx, a.ID, []int64{solo.ID, shared.ID, others.ID}, []int64{sr.ID}, false)
	must(t, err)
	if fmt.Sprint(changed) != fmt.Sprint([]int64{solo.ID, shared.ID}) {
		t.Fatalf("changed = %v", changed)
	}
	if got := bylineOf(t, st, solo.ID); got != "orphan_account" {
		t.Fatalf("solo byline = %s", got)
	}
	if got := bylineOf(t, st, shared.ID); got != "partner,orphan_account" {
		t.Fatalf("shared byline = %s", got)
	}
	if got := bylineOf(t, st, others.ID); got != "partner" {
		t.Fatalf("someone else's work changed: %s", got)
	}
	if got := bylineOf(t, st, untouched.ID); got != "orphaner" {
		t.Fatalf("a work not chosen changed: %s", got)
	}
	rec, err := st.SeriesByID(ctx, sr.ID)
	must(t, err)
	if len(rec.Creators) != 1 || rec.Creators[0].Pseud != "orphan_account" || rec.Creators[0].UserID != 0 {
		t.Fatalf("series byline = %+v", rec.Creators)
	}
	row, err := st.IndexRow(ctx, solo.ID)
	must(t, err)
	for _, id := range row.CreatorUserIDs {
		if id == a.ID {
			t.Fatal("the orphaned work is still in the creator's set")
		}
	}

	// Keeping the pseud's name.
	_, err = st.OrphanWorks(ctx, a.ID, []int64{kept.ID}, nil, true)
	must(t, err)
	w, err := st.Work(ctx, kept.ID)
	must(t, err)
	if len(w.Creators) != 1 || w.Creators[0].Pseud != "Pen Name (orphan_account)" || w.Creators[0].UserID != 0 {
		t.Fatalf("kept-name byline = %+v", w.Creators)
	}
	// The live pseud is still the account's, and a second orphaning under
	// the same name reuses the orphan pseud.
	if ps, _ := st.Pseuds(ctx, a.ID); len(ps) != 2 {
		t.Fatalf("pseuds after orphaning = %+v", ps)
	}
	must(t, st.SetWorkCreators(ctx, untouched.ID, []int64{pen.ID}))
	_, err = st.OrphanWorks(ctx, a.ID, []int64{untouched.ID}, nil, true)
	must(t, err)
	w2, err := st.Work(ctx, untouched.ID)
	must(t, err)
	if w2.Creators[0].PseudID != w.Creators[0].PseudID {
		t.Fatalf("second kept-name orphaning made another pseud: %+v vs %+v", w2.Creators, w.Creators)
	}
	if ids, _ := st.WorkIDsByUser(ctx, a.ID); len(ids) != 0 {
		t.Fatalf("works still credited to the orphaner: %v", ids)
	}
}
