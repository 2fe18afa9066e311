package storetest

import (
	"context"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// testCommentCounts covers the works table's comments counter (approved,
// not deleted, not hidden comments) through every comment write, checked
// against a count of the comments themselves, and the per-reader counts
// of comments under muted users.
func testCommentCounts(t *testing.T, st store.Store) {
	ctx := context.Background()
	writer, ann, bob, mute := newUser(t, st, "ccwriter"), newUser(t, st, "ann"), newUser(t, st, "bob"), newUser(t, st, "muted")
	w := postWork(t, st, writer, "Talked About", basicTags("F"), "one", "two")
	quiet := postWork(t, st, writer, "Quiet", basicTags("F"), "x")
	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	qcs, err := st.Chapters(ctx, quiet.ID, false)
	must(t, err)
	at := time.Date(2024, 10, 1, 12, 0, 0, 0, time.UTC)
	pseuds := map[int64]int64{}
	for _, u := range []*archive.User{writer, ann, bob, mute} {
		pseuds[u.ID] = defaultPseud(t, st, u)
	}
	comment := func(u *archive.User, chapter, parent int64, approved bool) *archive.Comment {
		t.Helper()
		c := &archive.Comment{WorkID: w.ID, ChapterID: chapter, ParentID: parent, Approved: approved, CreatedAt: at,
			Body: archive.Rich{Source: "words", Format: archive.FormatHTML, HTML: "<p>words</p>"}}
		if chapter == qcs[0].ID {
			c.WorkID = quiet.ID
		}
		if u != nil {
			c.UserID, c.PseudID = u.ID, pseuds[u.ID]
		} else {
			c.GuestName, c.GuestEmail = "Guest", "guest@example.test"
		}
		must(t, st.CreateComment(ctx, c))
		return c
	}
	// check asserts the counter, the index row's copy and a count of the
	// comments as a reader sees them all agree on want.
	check := func(step string, workID int64, want int64) {
		t.Helper()
		got, err := st.Work(ctx, workID)
		must(t, err)
		row, err := st.IndexRow(ctx, workID)
		must(t, err)
		chs, err := st.Chapters(ctx, workID, false)
		must(t, err)
		var counted int64
		for _, ch := range chs {
			list, err := st.ChapterComments(ctx, ch.ID)
			must(t, err)
			for _, c := range list {
				if c.Approved && !c.Deleted && !c.Hidden {
					counted++
				}
			}
		}
		if got.Comments != want || row.Comments != want || counted != want {
			t.Fatalf("%s: counter %d, index row %d, counted %d; want %d", step, got.Comments, row.Comments, counted, want)
		}
	}
	check("no comments", w.ID, 0)

	top := comment(ann, cs[0].ID, 0, true)
	check("one comment", w.ID, 1)
	guest := comment(nil, cs[0].ID, top.ID, true)
	check("a guest's reply", w.ID, 2)
	held := comment(bob, cs[1].ID, 0, false)
	check("a comment held for the creator", w.ID, 2)
	held.Approved = true
	must(t, st.UpdateComment(ctx, held))
	check("the held comment approved", w.ID, 3)
	// Editing the body of a counted comment changes nothing.
	held.Body = archive.Rich{Source: "edited", Format: archive.FormatHTML, HTML: "<p>edited</p>"}
	held.EditedAt = at.Add(time.Minute)
	must(t, st.UpdateComment(ctx, held))
	check("an edit", w.ID, 3)
	comment(ann, qcs[0].ID, 0, true)
	check("a comment on another work", w.ID, 3)
	check("the other work", quiet.ID, 1)

	// A comment a moderator hides leaves the count, and comes back when shown.
	must(t, st.SetCommentHidden(ctx, held.ID, true, audit("boss", archive.AuditHideComment, "comment", "rude")))
	check("a hidden comment", w.ID, 2)
	must(t, st.SetCommentHidden(ctx, held.ID, true, audit("boss", archive.AuditHideComment, "comment", "again")))
	check("hidden twice", w.ID, 2)
	// Deleting a hidden comment does not count it out a second time.
	must(t, st.DeleteComment(ctx, held.ID))
	check("a hidden comment deleted", w.ID, 2)

	// A deleted comment with replies stays as a placeholder, uncounted;
	// its reply still counts. Deleting the reply too leaves none.
	must(t, st.DeleteComment(ctx, top.ID))
	check("a deleted comment with a reply", w.ID, 1)
	must(t, st.DeleteComment(ctx, guest.ID))
	check("its reply deleted", w.ID, 0)

	// A held comment deleted was never counted.
	h2 := comment(bob, cs[0].ID, 0, false)
	must(t, st.DeleteComment(ctx, h2.ID))
	check("a held comment deleted", w.ID, 0)

	// A moderator's audited delete counts the comment out once.
	c1 := comment(bob, cs[0].ID, 0, true)
	r1 := comment(ann, cs[0].ID, c1.ID, true)
	check("a new thread", w.ID, 2)
	must(t, st.DeleteCommentAudited(ctx, c1.ID, audit("boss", archive.AuditDeleteComment, "comment", "spam")))
	check("the thread's head deleted by a moderator", w.ID, 1)

	// A ban hides the account's comments (they leave the count); the
	// unban shows them again.
	b1 := comment(bob, cs[1].ID, 0, true)
	comment(bob, cs[1].ID, b1.ID, true)
	check("bob's two comments", w.ID, 3)
	_, err = st.BanUser(ctx, bob.ID, "rude", false, audit("boss", archive.AuditBan, "user:bob", "rude"))
	must(t, err)
	check("bob banned", w.ID, 1)
	_, err = st.UnbanUser(ctx, bob.ID, audit("boss", archive.AuditUnban, "user:bob", "appeal"))
	must(t, err)
	check("bob unbanned", w.ID, 3)

	// Deleting a chapter takes its comments out of the count.
	must(t, st.DeleteChapter(ctx, w.ID, cs[1].ID))
	check("the chapter with bob's comments deleted", w.ID, 1)
	_ = r1

	// Per-reader counts: a reader who muted someone does not see their
	// counted comments, nor the replies under them at any depth; held,
	// deleted and hidden ones were never counted.
	m1 := comment(mute, cs[0].ID, 0, true)
	m1r := comment(ann, cs[0].ID, m1.ID, true)
	comment(nil, cs[0].ID, m1r.ID, true)
	comment(mute, cs[0].ID, 0, false)       // held
	mh := comment(mute, cs[0].ID, 0, true)  // hidden below
	mq := comment(mute, qcs[0].ID, 0, true) // on the other work
	must(t, st.SetCommentHidden(ctx, mh.ID, true, audit("boss", archive.AuditHideComment, "comment", "rude")))
	check("the muted user's thread", w.ID, 4)
	check("the other work with the muted user's comment", quiet.ID, 2)
	n, err := st.MutedCommentCounts(ctx, []int64{w.ID, quiet.ID}, []int64{mute.ID})
	must(t, err)
	if n[w.ID] != 3 || n[quiet.ID] != 1 || len(n) != 2 {
		t.Fatalf("comments unseen with %q muted = %v, want 3 on %d and 1 on %d", mute.Name, n, w.ID, quiet.ID)
	}
	// What a reader is shown is never below zero nor above the counter.
	if shown := mustWork(t, st, w.ID).Comments - n[w.ID]; shown != 1 {
		t.Fatalf("comments shown to the muting reader = %d, want 1 (ann's reply to a deleted comment)", shown)
	}
	// Deleting the muted user's head comment (it has a reply) keeps the
	// replies hidden from the reader and counts the head out.
	must(t, st.DeleteComment(ctx, m1.ID))
	n, err = st.MutedCommentCounts(ctx, []int64{w.ID}, []int64{mute.ID})
	must(t, err)
	if n[w.ID] != 2 {
		t.Fatalf("unseen after the muted head was deleted = %v, want 2", n)
	}
	check("the muted head deleted", w.ID, 3)
	// Only the works asked about, only the users muted; none asked, none given.
	n, err = st.MutedCommentCounts(ctx, []int64{quiet.ID}, []int64{mute.ID, writer.ID})
	must(t, err)
	if len(n) != 1 || n[quiet.ID] != 1 {
		t.Fatalf("unseen on the quiet work = %v", n)
	}
	n, err = st.MutedCommentCounts(ctx, []int64{w.ID}, []int64{writer.ID})
	must(t, err)
	if len(n) != 0 {
		t.Fatalf("unseen with a silent user muted = %v, want none", n)
	}
	for _, args := range [][2][]int64{{nil, {mute.ID}}, {{w.ID}, nil}} {
		n, err := st.MutedCommentCounts(ctx, args[0], args[1])
		if err != nil || n == nil || len(n) != 0 {
			t.Fatalf("MutedCommentCounts(%v, %v) = %v, %v; want an empty map", args[0], args[1], n, err)
		}
	}
	_ = mq

	// Deleting the work leaves no counts behind to ask about.
	must(t, st.DeleteWork(ctx, quiet.ID))
	n, err = st.MutedCommentCounts(ctx, []int64{quiet.ID}, []int64{mute.ID})
	must(t, err)
	if len(n) != 0 {
		t.Fatalf("unseen on a deleted work = %v", n)
	}
}

func mustWork(t *testing.T, st store.Store, id int64) *archive.Work {
	t.Helper()
	w, err := st.Work(context.Background(), id)
	must(t, err)
	return w
}
