package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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

	inv := &archive.CreatorInvitation{WorkID: w.ID, PseudID: bp, Inviter: "inviter"}
	must(t, st.InviteCreator(ctx, inv))
	if inv.ID == 0 {
		t.Fatal("no invitation id")
	}
	if err := st.InviteCreator(ctx, &archive.CreatorInvitation{WorkID: w.ID, PseudID: bp}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("second invitation: %v", err)
	}
	if err := st.InviteCreator(ctx, &archive.CreatorInvitation{WorkID: w.ID, PseudID: defaultPseud(t, st, a)}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("inviting a creator: %v", err)
	}
	if err := st.InviteCreator(ctx, &archive.CreatorInvitation{WorkID: w.ID + 1000, PseudID: bp}); !errors.Is(err, archive.ErrNotFound) {
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
	inv2 := &archive.CreatorInvitation{WorkID: w.ID, PseudID: defaultPseud(t, st, c), Inviter: "inviter"}
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
	sr := &archive.Series{Title: "Saga"}
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

func testInboxOnce(t *testing.T, st store.Store) {
	ctx := context.Background()
	a, b := newUser(t, st, "poster"), newUser(t, st, "follower")
	w := postWork(t, st, a, "Told Once", basicTags("F"), "x")
	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	entry := func() *store.InboxEntry {
		return &store.InboxEntry{UserID: b.ID, Kind: store.InboxChapter, WorkID: w.ID, ChapterID: cs[0].ID, Actor: "poster", CreatedAt: time.Now()}
	}
	first := entry()
	must(t, st.AddInboxEntriesOnce(ctx, []*store.InboxEntry{first}))
	again := entry()
	must(t, st.AddInboxEntriesOnce(ctx, []*store.InboxEntry{again, {UserID: b.ID, Kind: store.InboxWork, WorkID: w.ID, CreatedAt: time.Now()}}))
	if first.ID == 0 || again.ID != 0 {
		t.Fatalf("ids %d then %d; the second should be skipped", first.ID, again.ID)
	}
	p, err := st.InboxEntries(ctx, b.ID, false, 0, 10)
	must(t, err)
	if p.Total != 2 {
		t.Fatalf("inbox has %d entries, want 2 (one chapter notice, one work notice)", p.Total)
	}
}

func testSchedules(t *testing.T, st store.Store) {
	ctx := context.Background()
	a := newUser(t, st, "scheduler")
	w := postWork(t, st, a, "Serial", basicTags("F"), "one two")
	at := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	c := &archive.Chapter{WorkID: w.ID, Body: archive.Rich{Source: "later words", Format: archive.FormatHTML, HTML: "<p>later words</p>"}, Words: 2,
		Draft: true, PublishAt: at}
	must(t, st.CreateChapter(ctx, c))
	got, err := st.Chapter(ctx, w.ID, c.ID)
	must(t, err)
	if !got.PublishAt.Equal(at) || !got.Draft {
		t.Fatalf("stored chapter: draft %v publish_at %v", got.Draft, got.PublishAt)
	}
	scs, err := st.PendingSchedules(ctx)
	must(t, err)
	if len(scs) != 1 || scs[0].ChapterID != c.ID || scs[0].WorkID != w.ID || !scs[0].At.Equal(at) {
		t.Fatalf("schedules %+v", scs)
	}
	// A job holding another time publishes nothing.
	now := at.Add(time.Minute)
	must(t, st.PublishScheduled(ctx, w.ID, c.ID, at.Add(-time.Hour), now))
	if got, _ := st.Chapter(ctx, w.ID, c.ID); !got.Draft {
		t.Fatal("a stale schedule published the chapter")
	}
	// Two runners with the right time: one publication.
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- st.PublishScheduled(ctx, w.ID, c.ID, at, now) }()
	}
	must(t, <-errs)
	must(t, <-errs)
	got, err = st.Chapter(ctx, w.ID, c.ID)
	must(t, err)
	if got.Draft || !got.PostedAt.Equal(now) || !got.PublishAt.Equal(at) {
		t.Fatalf("published chapter: draft %v posted %v publish_at %v (kept until the notices are out)", got.Draft, got.PostedAt, got.PublishAt)
	}
	work, err := st.Work(ctx, w.ID)
	must(t, err)
	if work.ChaptersPosted != 2 || work.Words != 4 {
		t.Fatalf("work after publication: %d chapters, %d words", work.ChaptersPosted, work.Words)
	}
	if ids, _ := st.SearchText(ctx, store.TextQuery{Terms: []string{"later"}}); len(ids) != 1 {
		t.Fatalf("the published chapter is not searchable: %v", ids)
	}
	must(t, st.ClearSchedule(ctx, w.ID, c.ID, at))
	if scs, _ := st.PendingSchedules(ctx); len(scs) != 0 {
		t.Fatalf("schedules after clearing %+v", scs)
	}

	// A scheduled draft work.
	d := &archive.Work{Title: "Premiere", Tags: basicTags("F"), Language: "en", CommentPermission: archive.CommentsRegistered,
		PostedAt: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), Draft: true, PublishAt: at}
	ch := &archive.Chapter{Body: archive.Rich{Source: "x", Format: archive.FormatHTML, HTML: "<p>x</p>"}, Words: 1}
	must(t, st.CreateWorks(ctx, []store.NewWork{{Work: d, Chapters: []*archive.Chapter{ch}, PseudIDs: []int64{defaultPseud(t, st, a)}}}))
	row, err := st.IndexRow(ctx, d.ID)
	must(t, err)
	if !row.Draft {
		t.Fatal("a scheduled work is listed as posted")
	}
	must(t, st.PublishScheduled(ctx, d.ID, 0, at, now))
	pub, err := st.Work(ctx, d.ID)
	must(t, err)
	if pub.Draft || !pub.PostedAt.Equal(now) || !pub.PublishAt.Equal(at) {
		t.Fatalf("published work %+v", pub)
	}
	must(t, st.ClearSchedule(ctx, d.ID, 0, at))
	if pub, _ := st.Work(ctx, d.ID); !pub.PublishAt.IsZero() {
		t.Fatal("the work's schedule stayed")
	}
}

func testUpdateWorks(t *testing.T, st store.Store) {
	ctx := context.Background()
	a := newUser(t, st, "bulk")
	w1 := postWork(t, st, a, "One", basicTags("F"), "x")
	w2 := postWork(t, st, a, "Two", basicTags("F"), "x")
	w1.Restricted, w2.Restricted = true, true
	w1.Tags = map[archive.TagType][]string{archive.TypeFandom: {"F"}, archive.TypeFreeform: {"Added"}}
	ghost := *w2
	ghost.ID = w2.ID + 1000
	if err := st.UpdateWorks(ctx, []*archive.Work{w1, &ghost}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("updating a missing work: %v", err)
	}
	if got, _ := st.Work(ctx, w1.ID); got.Restricted || len(got.Tags[archive.TypeFreeform]) != 0 {
		t.Fatalf("a failed batch changed the first work: %+v", got)
	}
	must(t, st.UpdateWorks(ctx, []*archive.Work{w1, w2}))
	for _, id := range []int64{w1.ID, w2.ID} {
		row, err := st.IndexRow(ctx, id)
		must(t, err)
		if !row.Restricted {
			t.Fatalf("work %d not restricted", id)
		}
	}
	if got, _ := st.Work(ctx, w1.ID); strings.Join(got.Tags[archive.TypeFreeform], ",") != "Added" {
		t.Fatalf("tags after the batch %v", got.Tags)
	}
}

func testRenames(t *testing.T, st store.Store) {
	ctx := context.Background()
	a, b := newUser(t, st, "oldname"), newUser(t, st, "other")
	w := postWork(t, st, a, "Signed", basicTags("F"), "x")
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := st.RenameUser(ctx, a.ID, "Other", at); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("renaming to a taken name: %v", err)
	}
	changed, err := st.RenameUser(ctx, a.ID, "newname", at)
	must(t, err)
	if len(changed) != 1 || changed[0] != w.ID {
		t.Fatalf("changed %v", changed)
	}
	if got := bylineOf(t, st, w.ID); got != "newname" {
		t.Fatalf("byline after the rename %s", got)
	}
	if _, err := st.UserByName(ctx, "oldname"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("the old name still finds the account: %v", err)
	}
	owner, when, err := st.FormerNameOwner(ctx, "OldName")
	must(t, err)
	if owner.ID != a.ID || owner.Name != "newname" || !when.Equal(at) {
		t.Fatalf("former name owner %+v at %v", owner, when)
	}
	if ids, _ := st.SearchText(ctx, store.TextQuery{Terms: []string{"newname"}}); len(ids) != 1 {
		t.Fatalf("search by the new name %v", ids)
	}
	// Back to the old name: its former-name row goes, the other stays.
	must2 := func(_ []int64, err error) { t.Helper(); must(t, err) }
	must2(st.RenameUser(ctx, a.ID, "oldname", at.Add(time.Hour)))
	fs, err := st.FormerNames(ctx, a.ID)
	must(t, err)
	if len(fs) != 1 || fs[0].Name != "newname" {
		t.Fatalf("former names %+v", fs)
	}
	if _, _, err := st.FormerNameOwner(ctx, "oldname"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a current name is a former name: %v", err)
	}
	_ = b
}

func testProfiles(t *testing.T, st store.Store) {
	ctx := context.Background()
	a := newUser(t, st, "profiled")
	if bio, err := st.Bio(ctx, a.ID); err != nil || !bio.IsEmpty() {
		t.Fatalf("bio before any: %+v, %v", bio, err)
	}
	b := archive.Rich{Source: "<p>Hi</p>", Format: archive.FormatHTML, HTML: "<p>Hi</p>"}
	must(t, st.SetBio(ctx, a.ID, b))
	b2 := archive.Rich{Source: "*Hey*", Format: archive.FormatMarkdown, HTML: "<p><em>Hey</em></p>"}
	must(t, st.SetBio(ctx, a.ID, b2))
	if got, err := st.Bio(ctx, a.ID); err != nil || got != b2 {
		t.Fatalf("bio after two saves: %+v, %v", got, err)
	}
	must(t, st.SetBio(ctx, a.ID, archive.Rich{}))
	if got, err := st.Bio(ctx, a.ID); err != nil || !got.IsEmpty() {
		t.Fatalf("bio after emptying: %+v, %v", got, err)
	}
	if err := st.SetBio(ctx, 1<<40, b); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("bio of a missing account: %v, want ErrNotFound", err)
	}
	// Deleting the account takes its bio.
	must(t, st.SetBio(ctx, a.ID, b))
	if _, _, err := st.DeleteUser(ctx, a.ID, false); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Bio(ctx, a.ID); err != nil || !got.IsEmpty() {
		t.Fatalf("bio of a deleted account: %+v, %v", got, err)
	}
}
