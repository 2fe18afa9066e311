package site_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
)

// A suspended or banned account, or one that has not verified its
// address under --verify-email, may not comment on news, whichever page
// or endpoint asks; nothing is written.
func TestNewsCommentsRefuseWhoMayNotWrite(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	signup := func(name string, admin bool) *archive.User {
		t.Helper()
		u, err := s.Signup(ctx, site.SignupInput{Name: name, Email: name + "@example.test", Password: "correct horse", Confirmation: "correct horse", Admin: admin})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	boss := signup("boss", true)
	reader := signup("reader", false)
	post, err := s.PostNews(ctx, boss, site.NewsInput{Title: "News", Body: "We grew."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CommentOnNews(ctx, reader, post.ID, "Welcome!", ""); err != nil {
		t.Fatal(err)
	}
	until := s.Now().Add(48 * time.Hour)
	suspended, err := s.Suspend(ctx, boss, "reader", until, "cooling off")
	if err != nil {
		t.Fatal(err)
	}
	var se *archive.SuspendedError
	if _, err := s.CommentOnNews(ctx, suspended, post.ID, "Still here.", ""); !errors.As(err, &se) || !errors.Is(err, archive.ErrForbidden) ||
		!strings.Contains(err.Error(), "suspended until") {
		t.Errorf("a suspended reader's news comment: %v", err)
	}
	if _, err := s.Unsuspend(ctx, boss, "reader", "talked it over"); err != nil {
		t.Fatal(err)
	}
	banned, err := s.Ban(ctx, boss, "reader", "spam")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CommentOnNews(ctx, banned, post.ID, "Still here.", ""); !errors.Is(err, archive.ErrForbidden) {
		t.Errorf("a banned reader's news comment: %v", err)
	}
	cs, err := s.NewsComments(ctx, boss, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("%d comments, want only the one from before the suspension", len(cs))
	}
}
