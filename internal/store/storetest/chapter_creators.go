package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

// chapterBylines is each chapter's own byline ("-" for none: the work's).
func chapterBylines(t *testing.T, st store.Store, workID int64) string {
	t.Helper()
	cs, err := st.Chapters(context.Background(), workID, false)
	must(t, err)
	var out []string
	for _, c := range cs {
		var names []string
		for _, cr := range c.Creators {
			names = append(names, cr.Pseud)
		}
		if len(names) == 0 {
			names = []string{"-"}
		}
		out = append(out, strings.Join(names, ","))
	}
	one, err := st.Chapter(context.Background(), workID, cs[0].ID)
	must(t, err)
	if len(one.Creators) != len(cs[0].Creators) {
		t.Fatalf("Chapter and Chapters disagree on chapter 1's creators: %+v vs %+v", one.Creators, cs[0].Creators)
	}
	return strings.Join(out, " | ")
}

func testChapterCreators(t *testing.T, st store.Store) {
	ctx := context.Background()
	a, b, c := newUser(t, st, "chapwriter"), newUser(t, st, "chapguest"), newUser(t, st, "chapthird")
	bp, cp := defaultPseud(t, st, b), defaultPseud(t, st, c)
	w := postWork(t, st, a, "Relay", basicTags("F"), "one", "two", "three")
	other := postWork(t, st, a, "Elsewhere", basicTags("F"), "x")
	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	if got := chapterBylines(t, st, w.ID); got != "- | - | -" {
		t.Fatalf("new chapters' bylines = %s", got)
	}

	// An invitation to chapter 2: nothing changes until it is accepted.
	inv := &archive.CreatorInvitation{WorkID: w.ID, ChapterID: cs[1].ID, PseudID: bp, Inviter: "chapwriter"}
	must(t, st.InviteCreator(ctx, inv))
	if err := st.InviteCreator(ctx, &archive.CreatorInvitation{WorkID: other.ID, ChapterID: cs[0].ID, PseudID: cp}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("inviting to another work's chapter: %v", err)
	}
	got, err := st.CreatorInvitation(ctx, inv.ID)
	must(t, err)
	if got.ChapterID != cs[1].ID || got.ChapterPosition != 2 {
		t.Fatalf("invitation read back = %+v", got)
	}
	if got := chapterBylines(t, st, w.ID); got != "- | - | -" {
		t.Fatalf("bylines before accepting = %s", got)
	}
	must(t, st.AcceptCreatorInvitation(ctx, inv.ID))
	// The invitee is a creator of the chapter and of the work; the other
	// chapters keep the creator they showed.
	if got := bylineOf(t, st, w.ID); got != "chapwriter,chapguest" {
		t.Fatalf("work byline after accepting = %s", got)
	}
	if got := chapterBylines(t, st, w.ID); got != "chapwriter | chapwriter,chapguest | chapwriter" {
		t.Fatalf("chapter bylines after accepting = %s", got)
	}
	row, err := st.IndexRow(ctx, w.ID)
	must(t, err)
	if len(row.CreatorUserIDs) != 2 {
		t.Fatalf("index creators = %v", row.CreatorUserIDs)
	}
	if ids, _ := st.WorkIDsByUser(ctx, b.ID); len(ids) != 1 || ids[0] != w.ID {
		t.Fatalf("works of the chapter co-creator = %v", ids)
	}

	// A chapter's byline set directly; none gives it back the work's.
	must(t, st.SetChapterCreators(ctx, w.ID, cs[2].ID, []int64{bp}))
	must(t, st.SetChapterCreators(ctx, w.ID, cs[0].ID, nil))
	if got := chapterBylines(t, st, w.ID); got != "- | chapwriter,chapguest | chapguest" {
		t.Fatalf("chapter bylines after setting = %s", got)
	}
	if err := st.SetChapterCreators(ctx, other.ID, cs[0].ID, []int64{bp}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("setting through another work: %v", err)
	}

	// A work's invitation accepted joins every chapter with its own byline.
	inv2 := &archive.CreatorInvitation{WorkID: w.ID, PseudID: cp, Inviter: "chapwriter"}
	must(t, st.InviteCreator(ctx, inv2))
	must(t, st.AcceptCreatorInvitation(ctx, inv2.ID))
	if got := chapterBylines(t, st, w.ID); got != "- | chapwriter,chapguest,chapthird | chapguest,chapthird" {
		t.Fatalf("chapter bylines after a work invitation = %s", got)
	}

	// Leaving the work leaves its chapters; a chapter left with nobody is
	// the work's again.
	must(t, st.RemoveCreator(ctx, w.ID, b.ID))
	if got := chapterBylines(t, st, w.ID); got != "- | chapwriter,chapthird | chapthird" {
		t.Fatalf("chapter bylines after leaving = %s", got)
	}
	must(t, st.RemoveCreator(ctx, w.ID, c.ID))
	if got := chapterBylines(t, st, w.ID); got != "- | chapwriter | -" {
		t.Fatalf("chapter bylines after the last chapter creator left = %s", got)
	}

	// Orphaning: the orphaning creator's place on chapters goes too.
	inv3 := &archive.CreatorInvitation{WorkID: w.ID, ChapterID: cs[2].ID, PseudID: bp, Inviter: "chapwriter"}
	must(t, st.InviteCreator(ctx, inv3))
	must(t, st.AcceptCreatorInvitation(ctx, inv3.ID))
	if got := chapterBylines(t, st, w.ID); got != "chapwriter | chapwriter | chapwriter,chapguest" {
		t.Fatalf("chapter bylines before orphaning = %s", got)
	}
	_, err = st.OrphanWorks(ctx, a.ID, []int64{w.ID}, nil, true)
	must(t, err)
	if got := bylineOf(t, st, w.ID); got != "chapwriter (orphan_account),chapguest" {
		t.Fatalf("work byline after orphaning = %s", got)
	}
	if got := chapterBylines(t, st, w.ID); got != "chapwriter (orphan_account) | chapwriter (orphan_account) | chapwriter (orphan_account),chapguest" {
		t.Fatalf("chapter bylines after orphaning = %s", got)
	}

	// Deleting a pseud moves its chapters to the default pseud, as its works.
	quill, err := st.CreatePseud(ctx, c.ID, "Chap Quill")
	must(t, err)
	cw := postWorkBy(t, st, cp, "Quilled", basicTags("F"), "a", "b")
	ccs, err := st.Chapters(ctx, cw.ID, false)
	must(t, err)
	must(t, st.SetChapterCreators(ctx, cw.ID, ccs[1].ID, []int64{quill.ID}))
	if got := bylineOf(t, st, cw.ID); got != "chapthird,Chap Quill" {
		t.Fatalf("a chapter's own pseud joins the work: %s", got)
	}
	_, err = st.DeletePseud(ctx, quill.ID)
	must(t, err)
	if got := chapterBylines(t, st, cw.ID); got != "chapthird | chapthird" {
		t.Fatalf("chapter bylines after deleting the pseud = %s", got)
	}

	// Deleting the account: its places on chapters go with it.
	_, _, err = st.DeleteUser(ctx, b.ID, false)
	must(t, err)
	if got := chapterBylines(t, st, w.ID); got != "chapwriter (orphan_account) | chapwriter (orphan_account) | chapwriter (orphan_account)" {
		t.Fatalf("chapter bylines after the account went = %s", got)
	}
}
