package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func testPolicy(t *testing.T, st store.Store) {
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	// Settings: the flags fill what is unset; a set value wins over them.
	kv, err := st.Settings(ctx)
	must(t, err)
	if len(kv) != 0 {
		t.Fatalf("a new archive has settings %v", kv)
	}
	must(t, st.InitSettings(ctx, map[string]string{"signup": "invite", "verify_email": "false"}))
	must(t, st.SetSettings(ctx, map[string]string{"signup": "closed"}))
	must(t, st.InitSettings(ctx, map[string]string{"signup": "open", "new_account_works": "3"}))
	kv, err = st.Settings(ctx)
	must(t, err)
	if kv["signup"] != "closed" || kv["verify_email"] != "false" || kv["new_account_works"] != "3" {
		t.Fatalf("settings = %v", kv)
	}

	// The invitation queue: one place per address, in order.
	for i, e := range []string{"a@example.test", "b@example.test", "A@example.test"} {
		place, err := st.QueueInviteRequest(ctx, e, at.Add(time.Duration(i)*time.Second))
		must(t, err)
		if want := []int{1, 2, 1}[i]; place != want {
			t.Fatalf("%s: place %d, want %d", e, place, want)
		}
	}
	reqs, n, err := st.InviteRequests(ctx, 1)
	must(t, err)
	if n != 2 || len(reqs) != 1 || reqs[0].Email != "a@example.test" {
		t.Fatalf("queue front = %+v of %d", reqs, n)
	}
	must(t, st.DeleteInviteRequest(ctx, "a@example.test"))
	if place, err := st.InviteRequestPlace(ctx, "b@example.test"); err != nil || place != 1 {
		t.Fatalf("b's place after a left: %d %v", place, err)
	}
	if _, err := st.InviteRequestPlace(ctx, "a@example.test"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a's place after leaving: %v", err)
	}

	// An invitation works once, even when two use it at the same time.
	inv := &archive.Invitation{Email: "new@example.test", SentAt: at}
	must(t, st.CreateInvitation(ctx, inv, "hash-1"))
	if got, err := st.InvitationByToken(ctx, "hash-1"); err != nil || got.Email != "new@example.test" {
		t.Fatalf("invitation by token: %+v %v", got, err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := []string{"racer_one", "racer_two"}[i]
			errs[i] = st.CreateInvitedUser(ctx, &archive.User{Name: name, Email: name + "@example.test", PasswordHash: "x"}, "hash-1", at)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, archive.ErrNotFound) {
			t.Fatalf("the losing use: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d concurrent uses of one invitation succeeded: %v", ok, errs)
	}
	if _, err := st.InvitationByToken(ctx, "hash-1"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a used invitation is still found: %v", err)
	}
	// A failed account (taken name) does not use up the invitation.
	must(t, st.CreateInvitation(ctx, &archive.Invitation{Email: "x@example.test", SentAt: at}, "hash-2"))
	newUser(t, st, "taken")
	if err := st.CreateInvitedUser(ctx, &archive.User{Name: "taken", Email: "other@example.test", PasswordHash: "x"}, "hash-2", at); err == nil {
		t.Fatal("a taken name was accepted")
	}
	if _, err := st.InvitationByToken(ctx, "hash-2"); err != nil {
		t.Fatalf("the invitation was used by a failed sign-up: %v", err)
	}

	// Invitations given to a user to hand on.
	owner := newUser(t, st, "inviter")
	must(t, st.GiveInvitations(ctx, owner.ID, 2, at))
	for i := 0; i < 2; i++ {
		if _, err := st.SendOwnedInvitation(ctx, owner.ID, "friend@example.test", "owned-"+string(rune('a'+i)), at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.SendOwnedInvitation(ctx, owner.ID, "friend@example.test", "owned-c", at); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a third invitation from two: %v", err)
	}
	mine, err := st.Invitations(ctx, owner.ID, 10)
	must(t, err)
	if len(mine) != 2 || mine[0].OwnerID != owner.ID || mine[0].SentAt.IsZero() {
		t.Fatalf("owner's invitations = %+v", mine)
	}
	all, err := st.Invitations(ctx, 0, 10)
	must(t, err)
	if len(all) != 4 {
		t.Fatalf("all invitations: %d, want 4", len(all))
	}
	if err := st.GiveInvitations(ctx, 999999, 1, at); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("invitations for no one: %v", err)
	}

	// Accounts made through the sign-up form are marked.
	if self, err := st.SelfSignup(ctx, owner.ID); err != nil || self {
		t.Fatalf("an account made otherwise is a self sign-up: %v %v", self, err)
	}
	must(t, st.MarkSelfSignup(ctx, owner.ID))
	must(t, st.MarkSelfSignup(ctx, owner.ID))
	if self, err := st.SelfSignup(ctx, owner.ID); err != nil || !self {
		t.Fatalf("a marked account: %v %v", self, err)
	}
	if err := st.MarkSelfSignup(ctx, 999999); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("marking no one: %v", err)
	}

	// E-mail verification.
	must(t, st.SetEmailVerification(ctx, owner.ID, "v1", at.Add(time.Hour)))
	must(t, st.SetEmailVerification(ctx, owner.ID, "v2", at.Add(2*time.Hour)))
	if un, err := st.EmailUnverified(ctx, owner.ID); err != nil || !un {
		t.Fatalf("unverified = %v %v", un, err)
	}
	if _, _, err := st.EmailVerification(ctx, "v1"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a replaced link still works: %v", err)
	}
	uid, exp, err := st.EmailVerification(ctx, "v2")
	must(t, err)
	if uid != owner.ID || !exp.Equal(at.Add(2*time.Hour)) {
		t.Fatalf("verification = %d %v", uid, exp)
	}
	must(t, st.DeleteEmailVerification(ctx, owner.ID))
	if un, _ := st.EmailUnverified(ctx, owner.ID); un {
		t.Fatal("still unverified after verifying")
	}

	// A work held for review is out of the index until approved.
	w := &archive.Work{Title: "Held", Tags: basicTags("Fandom"), Language: "en", CommentPermission: archive.CommentsRegistered,
		PostedAt: at, AwaitingReview: true}
	must(t, st.CreateWorks(ctx, []store.NewWork{{Work: w, Chapters: []*archive.Chapter{{Body: archive.Rich{Source: "x", Format: archive.FormatHTML, HTML: "<p>x</p>"}, Words: 1}},
		PseudIDs: []int64{defaultPseud(t, st, owner)}}}))
	got, err := st.Work(ctx, w.ID)
	must(t, err)
	row, err := st.IndexRow(ctx, w.ID)
	must(t, err)
	if !got.AwaitingReview || !row.Hidden {
		t.Fatalf("held work: awaiting %v, hidden in index %v", got.AwaitingReview, row.Hidden)
	}
	ids, err := st.WorksAwaitingReview(ctx)
	must(t, err)
	if len(ids) != 1 || ids[0] != w.ID {
		t.Fatalf("review queue = %v", ids)
	}
	must(t, st.ApproveWork(ctx, w.ID))
	if err := st.ApproveWork(ctx, w.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("approving twice: %v", err)
	}
	got, _ = st.Work(ctx, w.ID)
	row, _ = st.IndexRow(ctx, w.ID)
	if got.AwaitingReview || row.Hidden {
		t.Fatal("an approved work is still held")
	}
}
