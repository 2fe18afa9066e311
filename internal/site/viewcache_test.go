package site_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/store"
	"quire/internal/store/testdb"
)

// The work page's comment threads and kudos givers are cached per node.
// Every write that changes them shows at once on the node that wrote it
// and, on PostgreSQL, on a second node once it applies the change feed's
// rows (what Follow does): a comment posted, edited, hidden by a
// moderator, shown again and deleted, kudos given, a pseud and an account
// renamed, an account deleted.
func TestCachedThreadsAndKudosFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	rig := sitetest.New(t)
	a := rig.Site
	var b *site.Site // the second node: PostgreSQL only
	if testdb.Engine() == "postgres" {
		b = rig.Node(t)
	}
	signup := func(name string) *archive.User {
		t.Helper()
		u, err := a.Signup(ctx, site.SignupInput{Name: name, Email: name + "@example.test", Password: "correct horse", Confirmation: "correct horse", Operator: true})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	writer, reader, mod := signup("writer"), signup("reader"), signup("mod")
	if err := rig.Store.SetUserRoles(ctx, mod.ID, []string{archive.RoleModerator}); err != nil {
		t.Fatal(err)
	}
	if mod, _ = rig.Store.UserByID(ctx, mod.ID); !mod.Has(archive.RoleModerator) {
		t.Fatal("mod is no moderator")
	}
	w, err := a.PostWork(ctx, writer, archive.WorkInput{Title: "Cached", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"F"}, Chapters: []archive.ChapterInput{{Body: "one two three"}}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := a.Chapters(ctx, writer, w, false)
	if err != nil {
		t.Fatal(err)
	}
	ch := cs[0]

	// feedAt is the last change-feed row the second node applied.
	var feedAt int64
	applyFeed := func() {
		t.Helper()
		rows, err := rig.Store.DB().QueryContext(ctx, `SELECT id, kind, ref, at FROM changes WHERE id > $1 ORDER BY id`, feedAt)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var changes []store.Change
		for rows.Next() {
			var c store.Change
			if err := rows.Scan(&c.ID, &c.Kind, &c.Ref, &c.At); err != nil {
				t.Fatal(err)
			}
			changes = append(changes, c)
			feedAt = c.ID
		}
		if err := b.ApplyChanges(ctx, changes); err != nil {
			t.Fatal(err)
		}
	}
	// thread is what viewer sees of the chapter's comments on node s, as
	// "author: body" lines.
	thread := func(s *site.Site, viewer *archive.User) string {
		t.Helper()
		work, err := s.Work(ctx, viewer, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := s.Thread(ctx, viewer, work, ch)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, n := range site.Flatten(nodes) {
			body := strings.TrimSpace(n.Body.Source)
			if n.Deleted {
				body = "(deleted)"
			}
			lines = append(lines, n.Author()+": "+body)
		}
		return strings.Join(lines, "\n")
	}
	kudos := func(s *site.Site) string {
		t.Helper()
		g, err := s.KudosGivers(ctx, nil, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%v+%d", g.Users, g.Guests)
	}
	// check reads both views on every node (filling the caches), after the
	// second node has applied the feed.
	check := func(step, wantThread, wantKudos string) {
		t.Helper()
		nodes := []*site.Site{a}
		if b != nil {
			applyFeed()
			nodes = append(nodes, b)
		}
		for i, s := range nodes {
			if got := thread(s, nil); got != wantThread {
				t.Errorf("%s: node %d shows the thread\n%s\nwant\n%s", step, i+1, got, wantThread)
			}
			if got := kudos(s); got != wantKudos {
				t.Errorf("%s: node %d shows kudos %s, want %s", step, i+1, got, wantKudos)
			}
		}
	}
	check("at first", "", "[]+0")

	cm, err := a.PostComment(ctx, site.Visitor{User: reader, Address: "192.0.2.1"}, w, ch, archive.CommentInput{Body: "First comment."})
	if err != nil {
		t.Fatal(err)
	}
	check("comment posted", "reader: First comment.", "[]+0")

	if _, err := a.EditComment(ctx, reader, cm.ID, archive.CommentInput{Body: "First comment, edited."}); err != nil {
		t.Fatal(err)
	}
	check("comment edited", "reader: First comment, edited.", "[]+0")

	if err := a.HideComment(ctx, mod, cm.ID, "testing the cache"); err != nil {
		t.Fatal(err)
	}
	check("comment hidden by the moderators", "", "[]+0")
	if err := a.UnhideComment(ctx, mod, cm.ID, "testing the cache"); err != nil {
		t.Fatal(err)
	}
	check("comment shown again", "reader: First comment, edited.", "[]+0")

	if _, err := a.GiveKudos(ctx, site.Visitor{User: reader, Address: "192.0.2.1"}, w.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GiveKudos(ctx, site.Visitor{Cookie: "guest-cookie", Address: "192.0.2.9"}, w.ID); err != nil {
		t.Fatal(err)
	}
	check("kudos given", "reader: First comment, edited.", "[reader]+1")

	reply, err := a.PostComment(ctx, site.Visitor{User: writer, Address: "192.0.2.2"}, w, ch, archive.CommentInput{Body: "Thank you.", ParentID: cm.ID})
	if err != nil {
		t.Fatal(err)
	}
	check("reply posted", "reader: First comment, edited.\nwriter: Thank you.", "[reader]+1")

	if _, err := a.RenameUser(ctx, reader, "correct horse", "reader2"); err != nil {
		t.Fatal(err)
	}
	check("reader renamed", "reader2: First comment, edited.\nwriter: Thank you.", "[reader2]+1")

	if err := a.DeleteComment(ctx, reader, cm.ID); err != nil {
		t.Fatal(err)
	}
	check("comment deleted under a reply", "reader2: (deleted)\nwriter: Thank you.", "[reader2]+1")

	if err := a.DeleteComment(ctx, writer, reply.ID); err != nil {
		t.Fatal(err)
	}
	check("reply deleted", "", "[reader2]+1")

	late, err := a.PostComment(ctx, site.Visitor{User: reader, Address: "192.0.2.1"}, w, ch, archive.CommentInput{Body: "Still here."})
	if err != nil {
		t.Fatal(err)
	}
	_ = late
	check("another comment", "reader2: Still here.", "[reader2]+1")

	reader, err = rig.Store.UserByID(ctx, reader.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteAccount(ctx, reader, "correct horse", false); err != nil {
		t.Fatal(err)
	}
	check("account deleted", "(deleted account): Still here.", "[]+2")
}
