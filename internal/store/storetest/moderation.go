package storetest

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func audit(actor, action, target, reason string) *archive.AuditEntry {
	return &archive.AuditEntry{Actor: actor, Action: action, Target: target, Reason: reason}
}

func testModeration(t *testing.T, st store.Store) {
	ctx := context.Background()
	admin := &archive.User{Name: "boss", Email: "boss@example.test", PasswordHash: "x", Roles: []string{archive.RoleAdmin}}
	must(t, st.CreateUser(ctx, admin))
	ann := newUser(t, st, "ann")
	bob := newUser(t, st, "bob")
	w := postWork(t, st, ann, "Hidden Tale", basicTags("F"), "one")
	w2 := postWork(t, st, ann, "Already Hidden", basicTags("F"), "two")
	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	c := &archive.Comment{WorkID: w.ID, ChapterID: cs[0].ID, UserID: bob.ID, PseudID: defaultPseud(t, st, bob), Approved: true, CreatedAt: time.Now(),
		Body: archive.Rich{Source: "hi", Format: archive.FormatHTML, HTML: "<p>hi</p>"}}
	must(t, st.CreateComment(ctx, c))

	// Hide a work: the flag, its reason, the index row and the log, together.
	must(t, st.SetWorkHidden(ctx, w2.ID, true, "copied", audit("boss", archive.AuditHideWork, "work:2", "copied")))
	got, err := st.Work(ctx, w2.ID)
	must(t, err)
	if !got.Hidden || got.HiddenReason != "copied" || got.HiddenByBan {
		t.Fatalf("hidden work = hidden %v reason %q byBan %v", got.Hidden, got.HiddenReason, got.HiddenByBan)
	}
	if row, err := st.IndexRow(ctx, w2.ID); err != nil || !row.Hidden {
		t.Fatalf("index row of hidden work = %+v, %v", row, err)
	}
	if err := st.SetWorkHidden(ctx, 999, true, "x", audit("boss", archive.AuditHideWork, "work:999", "x")); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("hide unknown work: %v, want not found", err)
	}
	// Editing the work's metadata leaves the moderators' hide alone.
	got.Title = "Renamed"
	got.Hidden = false
	must(t, st.UpdateWork(ctx, got))
	if got, _ = st.Work(ctx, w2.ID); !got.Hidden {
		t.Fatal("UpdateWork showed a hidden work again")
	}

	// Hide a comment: it leaves the work's count.
	must(t, st.SetCommentHidden(ctx, c.ID, true, audit("boss", archive.AuditHideComment, "comment:1", "rude")))
	if cm, err := st.Comment(ctx, c.ID); err != nil || !cm.Hidden {
		t.Fatalf("hidden comment = %+v, %v", cm, err)
	}
	if got, _ := st.Work(ctx, w.ID); got.Comments != 0 {
		t.Fatalf("comments count with the only comment hidden = %d, want 0", got.Comments)
	}
	must(t, st.SetCommentHidden(ctx, c.ID, false, audit("boss", archive.AuditUnhideComment, "comment:1", "fine")))
	if got, _ := st.Work(ctx, w.ID); got.Comments != 1 {
		t.Fatalf("comments count after unhide = %d, want 1", got.Comments)
	}

	// Roles: the last admin keeps the role.
	if _, err := st.ChangeUserRole(ctx, admin.ID, archive.RoleAdmin, false, audit("boss", archive.AuditRemoveRole, "user:boss", "x")); err == nil {
		t.Fatal("removed the last admin's role")
	}
	roles, err := st.ChangeUserRole(ctx, bob.ID, archive.RoleModerator, true, audit("boss", archive.AuditAddRole, "user:bob", "helps"))
	must(t, err)
	if !slices.Equal(roles, []string{archive.RoleModerator}) {
		t.Fatalf("bob's roles = %v", roles)
	}
	if u, _ := st.UserByID(ctx, bob.ID); !u.Has(archive.RoleModerator) {
		t.Fatalf("bob's stored roles = %v", u.Roles)
	}

	// Suspension: set, then ended only once due.
	until := time.Now().Add(time.Hour).Truncate(time.Second).UTC()
	must(t, st.SuspendUser(ctx, ann.ID, until, "cool off", audit("boss", archive.AuditSuspend, "user:ann", "cool off")))
	u, err := st.UserByID(ctx, ann.ID)
	must(t, err)
	if !u.SuspendedUntil.Equal(until) || u.ModerationReason != "cool off" || !u.Suspended(time.Now()) {
		t.Fatalf("suspended user = until %v reason %q", u.SuspendedUntil, u.ModerationReason)
	}
	if ended, err := st.EndSuspension(ctx, ann.ID, time.Now(), audit("system", archive.AuditUnsuspend, "user:ann", "ended")); err != nil || ended {
		t.Fatalf("ended a running suspension: %v, %v", ended, err)
	}
	if ended, err := st.EndSuspension(ctx, ann.ID, until.Add(time.Second), audit("system", archive.AuditUnsuspend, "user:ann", "ended")); err != nil || !ended {
		t.Fatalf("due suspension not ended: %v, %v", ended, err)
	}
	if u, _ := st.UserByID(ctx, ann.ID); !u.SuspendedUntil.IsZero() {
		t.Fatalf("suspension still set: %v", u.SuspendedUntil)
	}

	// Ban: sessions and tokens end, works and comments hide; unban undoes
	// what the ban hid and leaves the moderators' own hides.
	must(t, st.CreateSession(ctx, "sess-ann", ann.ID, time.Now().Add(time.Hour)))
	must(t, st.CreateToken(ctx, "tok-ann", ann.ID, "t"))
	hid, err := st.BanUser(ctx, ann.ID, "spam links", false, audit("boss", archive.AuditBan, "user:ann", "spam links"))
	must(t, err)
	if !slices.Equal(hid.Works, []int64{w.ID}) {
		t.Fatalf("ban hid %v, want [%d] (the other was already hidden)", hid.Works, w.ID)
	}
	if _, err := st.SessionUser(ctx, "sess-ann", time.Now()); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("banned user's session: %v", err)
	}
	if _, err := st.TokenUser(ctx, "tok-ann"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("banned user's token: %v", err)
	}
	if u, _ := st.UserByID(ctx, ann.ID); !u.Banned || u.ModerationReason != "spam links" {
		t.Fatalf("banned user = %+v", u)
	}
	if got, _ := st.Work(ctx, w.ID); !got.Hidden || !got.HiddenByBan {
		t.Fatalf("banned user's work hidden %v byBan %v", got.Hidden, got.HiddenByBan)
	}
	shown, err := st.UnbanUser(ctx, ann.ID, audit("boss", archive.AuditUnban, "user:ann", "appeal"))
	must(t, err)
	if !slices.Equal(shown.Works, []int64{w.ID}) {
		t.Fatalf("unban showed %v, want [%d]", shown.Works, w.ID)
	}
	if got, _ := st.Work(ctx, w2.ID); !got.Hidden {
		t.Fatal("unban showed a work the moderators hid")
	}

	// Spam: bob's comment is hidden for good, an unban keeps it hidden;
	// his bookmark counts only while he is not banned.
	must(t, st.CreateBookmark(ctx, &archive.Bookmark{UserID: bob.ID, WorkID: w.ID, CreatedAt: time.Now(), UpdatedAt: time.Now()}))
	if got, _ := st.Work(ctx, w.ID); got.Bookmarks != 1 {
		t.Fatalf("bookmarks of the work = %d, want 1", got.Bookmarks)
	}
	spam, err := st.BanUser(ctx, bob.ID, "spam", true, audit("boss", archive.AuditSpam, "user:bob", "spam"))
	must(t, err)
	if got, _ := st.Work(ctx, w.ID); got.Bookmarks != 0 || got.Comments != 0 || !slices.Equal(spam.Counted, []int64{w.ID}) {
		t.Fatalf("after the spam ban: bookmarks %d, comments %d, counted %v", got.Bookmarks, got.Comments, spam.Counted)
	}
	_, err = st.UnbanUser(ctx, bob.ID, audit("boss", archive.AuditUnban, "user:bob", "oops"))
	must(t, err)
	if got, _ := st.Work(ctx, w.ID); got.Bookmarks != 1 {
		t.Fatalf("bookmarks after the unban = %d, want 1", got.Bookmarks)
	}
	if cm, _ := st.Comment(ctx, c.ID); !cm.Hidden {
		t.Fatal("unban after spam showed the comment again")
	}

	// Deleting, logged.
	must(t, st.DeleteCommentAudited(ctx, c.ID, audit("boss", archive.AuditDeleteComment, "comment:1", "gone")))
	if _, err := st.Comment(ctx, c.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleted comment: %v", err)
	}
	must(t, st.DeleteWorkAudited(ctx, w2.ID, audit("boss", archive.AuditDeleteWork, "work:2", "gone")))
	if err := st.DeleteWorkAudited(ctx, w2.ID, audit("boss", archive.AuditDeleteWork, "work:2", "again")); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("delete deleted work: %v", err)
	}

	// The log: newest first, filtered, paged; a failed action left no row.
	all, total, err := st.AuditLog(ctx, store.AuditFilter{})
	must(t, err)
	if total != 12 || len(all) != 12 || all[0].Action != archive.AuditDeleteWork || all[len(all)-1].Action != archive.AuditHideWork {
		t.Fatalf("audit log = %d entries (total %d): %+v", len(all), total, all)
	}
	if all[0].At.IsZero() || all[0].ID <= all[1].ID {
		t.Fatalf("audit entries not dated or not newest first: %+v", all[:2])
	}
	byTarget, total, err := st.AuditLog(ctx, store.AuditFilter{Target: "user:ann", Limit: 2, Offset: 1})
	must(t, err)
	if total != 4 || len(byTarget) != 2 || byTarget[0].Action != archive.AuditBan {
		t.Fatalf("ann's log page 2 = %+v (total %d)", byTarget, total)
	}
	if got, n, _ := st.AuditLog(ctx, store.AuditFilter{Actor: "system", Action: archive.AuditUnsuspend}); n != 1 || got[0].Target != "user:ann" {
		t.Fatalf("system unsuspends = %+v", got)
	}

	// The log is append-only in the schema too.
	if d, ok := st.(interface{ DB() *sql.DB }); ok {
		for _, q := range []string{`DELETE FROM audit_log`, `UPDATE audit_log SET reason = 'x'`} {
			if _, err := d.DB().ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", q, err)
			}
		}
		if _, n, _ := st.AuditLog(ctx, store.AuditFilter{}); n != 12 {
			t.Errorf("audit log has %d entries after the refused changes, want 12", n)
		}
	}

	// Search accounts by name or address, wildcards taken literally.
	us, n, err := st.SearchUsers(ctx, "BOSS@example", true, 0, 10)
	must(t, err)
	if n != 1 || us[0].Name != "boss" {
		t.Fatalf("search by e-mail = %d %+v", n, us)
	}
	if _, n, _ := st.SearchUsers(ctx, "example", false, 0, 10); n != 0 {
		t.Fatalf("search by name matched %d addresses", n)
	}
	if _, n, _ := st.SearchUsers(ctx, "%", true, 0, 10); n != 0 {
		t.Fatalf("search %% matched %d accounts", n)
	}
	if us, n, _ := st.SearchUsers(ctx, "", false, 1, 1); n != 3 || len(us) != 1 || us[0].Name != "bob" {
		t.Fatalf("all accounts page 2 = %d %+v", n, us)
	}
}

// testLastAdminRace: two admins taking each other's role at the same
// moment leave one admin, never none.
func testLastAdminRace(t *testing.T, st store.Store) {
	ctx := context.Background()
	a := &archive.User{Name: "ada", Email: "ada@example.test", PasswordHash: "x", Roles: []string{archive.RoleAdmin}}
	b := &archive.User{Name: "bea", Email: "bea@example.test", PasswordHash: "x", Roles: []string{archive.RoleAdmin}}
	must(t, st.CreateUser(ctx, a))
	must(t, st.CreateUser(ctx, b))
	errs := make(chan error, 2)
	for _, pair := range [][2]*archive.User{{a, b}, {b, a}} {
		go func(actor, target *archive.User) {
			_, err := st.ChangeUserRole(ctx, target.ID, archive.RoleAdmin, false, audit(actor.Name, archive.AuditRemoveRole, "user:"+target.Name, "race"))
			errs <- err
		}(pair[0], pair[1])
	}
	failed := 0
	for range 2 {
		if err := <-errs; err != nil {
			var ve *archive.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("unexpected error: %v", err)
			}
			failed++
		}
	}
	ua, _ := st.UserByID(ctx, a.ID)
	ub, _ := st.UserByID(ctx, b.ID)
	if failed != 1 || ua.IsAdmin() == ub.IsAdmin() {
		t.Fatalf("%d demotions refused; ada admin %v, bea admin %v: want exactly one admin left", failed, ua.IsAdmin(), ub.IsAdmin())
	}
}
