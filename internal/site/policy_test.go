package site_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/store"
)

func TestSetPolicyChecksRoleAndInput(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	admin := &archive.User{Name: "root", Roles: []string{archive.RoleAdmin}}
	mod := &archive.User{Name: "keeper", Roles: []string{archive.RoleModerator}}
	p := archive.DefaultPolicy()
	if err := s.SetPolicy(ctx, nil, p); !errors.Is(err, archive.ErrAuth) {
		t.Errorf("a guest: %v", err)
	}
	if err := s.SetPolicy(ctx, mod, p); !errors.Is(err, archive.ErrForbidden) {
		t.Errorf("a moderator: %v", err)
	}
	var ve *archive.ValidationError
	for _, bad := range []archive.Policy{{Signup: "sometimes"}, {Signup: "open", NewAccountWorks: -1},
		{Signup: "open", RefuseRatings: []string{"Spicy"}}} {
		if err := s.SetPolicy(ctx, admin, bad); !errors.As(err, &ve) {
			t.Errorf("%+v: %v, want a validation error", bad, err)
		}
	}
	p.RefuseRatings = []string{"explicit", "Explicit", " mature "}
	if err := s.SetPolicy(ctx, admin, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.RefuseRatings) != 2 || got.RefuseRatings[0] != archive.RatingExplicit || got.RefuseRatings[1] != archive.RatingMature {
		t.Errorf("refused ratings kept as %q", got.RefuseRatings)
	}
}

// Another node sees a change once the change feed names it (on SQLite
// there is one node; the call stands for what Follow does on PostgreSQL).
func TestPolicyChangeReachesAnotherNode(t *testing.T) {
	rig := sitetest.New(t)
	a, b := rig.Site, rig.Node(t)
	ctx := context.Background()
	if p, _ := b.Policy(ctx); p.Signup != archive.SignupOpen {
		t.Fatalf("B starts with %q", p.Signup)
	}
	p := archive.DefaultPolicy()
	p.Signup = archive.SignupClosed
	if err := a.SetPolicy(ctx, &archive.User{Name: "root", Roles: []string{archive.RoleAdmin}}, p); err != nil {
		t.Fatal(err)
	}
	if err := b.ApplyChanges(ctx, []store.Change{{Kind: "settings"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Policy(ctx); got.Signup != archive.SignupClosed {
		t.Fatalf("B after the change: %q", got.Signup)
	}
	if _, err := b.Signup(ctx, site.SignupInput{Name: "late", Email: "late@example.test", Password: "correct horse", Confirmation: "correct horse"}); !errors.Is(err, site.ErrSignupClosed) {
		t.Fatalf("sign-up on B: %v", err)
	}
	// The command line makes accounts whatever the policy.
	if _, err := b.Signup(ctx, site.SignupInput{Name: "ops", Email: "ops@example.test", Password: "correct horse", Confirmation: "correct horse", Operator: true}); err != nil {
		t.Fatalf("an operator's account: %v", err)
	}
}

func TestPostingADraftMeetsTheRatingPolicy(t *testing.T) {
	rig := sitetest.New(t)
	s := rig.Site
	ctx := context.Background()
	u, err := s.Signup(ctx, site.SignupInput{Name: "writer", Email: "w@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.PostWork(ctx, u, archive.WorkInput{Title: "Saved For Later", Rating: archive.RatingExplicit, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Draft: true, Chapters: []archive.ChapterInput{{Body: "Some words."}}})
	if err != nil {
		t.Fatal(err)
	}
	p := archive.DefaultPolicy()
	p.RefuseRatings = []string{archive.RatingExplicit}
	if err := s.SetPolicy(ctx, &archive.User{Name: "root", Roles: []string{archive.RoleAdmin}}, p); err != nil {
		t.Fatal(err)
	}
	var ve *archive.ValidationError
	if _, err := s.PostDraft(ctx, u, w.ID); !errors.As(err, &ve) {
		t.Fatalf("posting a draft with a refused rating: %v", err)
	}
	if got, _ := rig.Store.Work(ctx, w.ID); !got.Draft {
		t.Fatal("the draft was posted")
	}
}

// The new-account limits are for accounts that signed up on the site, not
// for those an operator made on the command line.
func TestNewAccountLimitsSpareOperatorAccounts(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	if err := s.InitPolicy(ctx, archive.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	post := func(u *archive.User) error {
		_, err := s.PostWork(ctx, u, archive.WorkInput{Title: "A Tale", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
			Fandoms: []string{"Original Work"}, Chapters: []archive.ChapterInput{{Body: "Some words."}}})
		return err
	}
	for _, op := range []bool{true, false} {
		u, err := s.Signup(ctx, site.SignupInput{Name: map[bool]string{true: "staff", false: "visitor"}[op], Email: map[bool]string{true: "s@example.test", false: "v@example.test"}[op],
			Password: "correct horse", Confirmation: "correct horse", Operator: op})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if err := post(u); err != nil {
				t.Fatal(err)
			}
		}
		err = post(u)
		var ve *archive.ValidationError
		if op && err != nil {
			t.Errorf("the operator's account was limited: %v", err)
		}
		if !op && !errors.As(err, &ve) {
			t.Errorf("a fourth work from a new self-signed-up account: %v", err)
		}
	}
}

// The review queue comes a page (50 works) at a time, oldest first.
func TestReviewQueuePages(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	admin := &archive.User{Name: "root", Roles: []string{archive.RoleAdmin}}
	p := archive.DefaultPolicy()
	p.ReviewFirstWorks = 60
	if err := s.SetPolicy(ctx, admin, p); err != nil {
		t.Fatal(err)
	}
	u, err := s.Signup(ctx, site.SignupInput{Name: "prolific", Email: "p@example.test", Password: "correct horse", Confirmation: "correct horse", Operator: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range 55 {
		w, err := s.PostWork(ctx, u, archive.WorkInput{Title: fmt.Sprintf("Held %02d", i), Rating: archive.RatingGeneral,
			Warnings: []string{archive.WarningNone}, Fandoms: []string{"F"}, Chapters: []archive.ChapterInput{{Body: "words"}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, w.ID)
	}
	mod := &archive.User{ID: 999999, Name: "keeper", Roles: []string{archive.RoleModerator}}
	var got []int64
	for page := 1; page <= 3; page++ {
		rp, err := s.ReviewQueue(ctx, mod, page)
		if err != nil {
			t.Fatal(err)
		}
		if rp.Total != 55 || rp.PerPage != 50 || len(rp.Works) != []int{50, 5, 0}[page-1] {
			t.Fatalf("page %d: total %d, %d works", page, rp.Total, len(rp.Works))
		}
		for _, w := range rp.Works {
			got = append(got, w.ID)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Errorf("the queue's order %v, want %v", got, ids)
	}
	if _, err := s.ReviewQueue(ctx, u, 1); !errors.Is(err, archive.ErrForbidden) {
		t.Errorf("a writer at the review queue: %v", err)
	}
}
