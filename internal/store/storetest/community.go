package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// testCommunity covers kudos, comments, blocks and daily hits, and the work
// counters that follow them.
func testCommunity(t *testing.T, st store.Store) {
	ctx := context.Background()
	alice, bob := newUser(t, st, "alice"), newUser(t, st, "bob")
	w := postWork(t, st, alice, "Counted", basicTags("F"), "one")
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

	must(t, st.AddKudos(ctx, &archive.Kudo{WorkID: w.ID, UserID: bob.ID, CreatedAt: now}))
	if err := st.AddKudos(ctx, &archive.Kudo{WorkID: w.ID, UserID: bob.ID, CreatedAt: now}); !errors.Is(err, archive.ErrConflict) {
		t.Errorf("second kudos: %v, want ErrConflict", err)
	}
	must(t, st.AddKudos(ctx, &archive.Kudo{WorkID: w.ID, GuestKey: "g1", CreatedAt: now}))
	if err := st.AddKudos(ctx, &archive.Kudo{WorkID: w.ID, GuestKey: "g1", CreatedAt: now}); !errors.Is(err, archive.ErrConflict) {
		t.Errorf("second guest kudos: %v, want ErrConflict", err)
	}
	g, err := st.KudosGivers(ctx, w.ID)
	must(t, err)
	if len(g.Users) != 1 || g.Users[0] != "bob" || g.Guests != 1 {
		t.Errorf("givers %+v", g)
	}

	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	c := &archive.Comment{WorkID: w.ID, ChapterID: cs[0].ID, UserID: bob.ID, PseudID: defaultPseud(t, st, bob), Approved: true, CreatedAt: now,
		Body: archive.Rich{Source: "hi", Format: archive.FormatHTML, HTML: "<p>hi</p>"}}
	must(t, st.CreateComment(ctx, c))
	reply := &archive.Comment{WorkID: w.ID, ChapterID: cs[0].ID, ParentID: c.ID, GuestName: "G", GuestEmail: "g@example.test", Approved: true, CreatedAt: now,
		Body: archive.Rich{Source: "yo", Format: archive.FormatHTML, HTML: "<p>yo</p>"}}
	must(t, st.CreateComment(ctx, reply))
	held := &archive.Comment{WorkID: w.ID, ChapterID: cs[0].ID, UserID: bob.ID, CreatedAt: now,
		Body: archive.Rich{Source: "wait", Format: archive.FormatHTML, HTML: "<p>wait</p>"}}
	must(t, st.CreateComment(ctx, held))
	got, err := st.Work(ctx, w.ID)
	must(t, err)
	if got.Kudos != 2 || got.Comments != 2 {
		t.Errorf("counters kudos %d comments %d, want 2 and 2", got.Kudos, got.Comments)
	}
	held.Approved = true
	must(t, st.UpdateComment(ctx, held))
	must(t, st.DeleteComment(ctx, c.ID)) // has a reply: kept as deleted
	list, err := st.ChapterComments(ctx, cs[0].ID)
	must(t, err)
	if len(list) != 3 || !list[0].Deleted || list[0].Body.HTML != "" || list[0].Pseud != "bob" || list[1].ParentID != c.ID {
		t.Errorf("comments after delete %+v", list)
	}
	must(t, st.DeleteComment(ctx, reply.ID))
	if _, err := st.Comment(ctx, reply.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("deleted reply: %v", err)
	}
	got, _ = st.Work(ctx, w.ID)
	if got.Comments != 1 {
		t.Errorf("comments counter %d, want 1", got.Comments)
	}
	times, err := st.CommentTimesSince(ctx, bob.ID, "", now.Add(-time.Minute))
	must(t, err)
	if len(times) != 2 {
		t.Errorf("bob's recent comments %d, want 2", len(times))
	}

	must(t, st.Block(ctx, alice.ID, bob.ID, now))
	if err := st.Block(ctx, alice.ID, bob.ID, now); !errors.Is(err, archive.ErrConflict) {
		t.Errorf("second block: %v", err)
	}
	if b, err := st.IsBlocked(ctx, []int64{alice.ID}, bob.ID); err != nil || !b {
		t.Errorf("IsBlocked = %v, %v", b, err)
	}
	if b, _ := st.IsBlocked(ctx, []int64{bob.ID}, alice.ID); b {
		t.Error("blocks are one way")
	}
	must(t, st.Unblock(ctx, alice.ID, bob.ID))
	if err := st.Unblock(ctx, alice.ID, bob.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("second unblock: %v", err)
	}

	// One batch: a repeat by a visitor on a day is not counted, another
	// day or visitor is, a view without a visitor always is, and a view of
	// a work that is gone is dropped.
	counted, err := st.AddHits(ctx, []store.VisitorHit{
		{WorkID: w.ID, Day: 100, Visitor: "a"}, {WorkID: w.ID, Day: 100, Visitor: "a"},
		{WorkID: w.ID, Day: 100, Visitor: "b"}, {WorkID: w.ID, Day: 101, Visitor: "a"},
		{WorkID: w.ID, Day: 101}, {WorkID: w.ID, Day: 101},
		{WorkID: w.ID + 1000, Day: 101, Visitor: "a"}, {WorkID: w.ID + 1000, Day: 101},
	})
	must(t, err)
	if len(counted) != 1 || counted[w.ID] != 5 {
		t.Errorf("counted %v, want 5 on work %d only", counted, w.ID)
	}
	// A later batch remembers the visitors of the day before it.
	counted, err = st.AddHits(ctx, []store.VisitorHit{{WorkID: w.ID, Day: 101, Visitor: "a"}, {WorkID: w.ID, Day: 102, Visitor: "a"}})
	must(t, err)
	if counted[w.ID] != 1 {
		t.Errorf("second batch counted %v, want 1", counted)
	}
	if counted, err := st.AddHits(ctx, nil); err != nil || len(counted) != 0 {
		t.Errorf("empty batch: %v, %v", counted, err)
	}
	got, _ = st.Work(ctx, w.ID)
	if got.Hits != 6 {
		t.Errorf("hits %d, want 6", got.Hits)
	}
	if salt, err := st.VisitorSalt(ctx); err != nil || len(salt) < 32 {
		t.Errorf("salt %q, %v", salt, err)
	}
}
